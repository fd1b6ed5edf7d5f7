"""PySide6 widgets only: pages per step kind, overlays, theme. No business rules here."""
