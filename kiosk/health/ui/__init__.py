"""Widgets and Qt timers of health: device checks, maintenance actions, the systemd/metrics service."""
