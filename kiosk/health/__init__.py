"""Health: doctor checks, Prometheus textfile metrics, systemd notifications (no Qt)."""
