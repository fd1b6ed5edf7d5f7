"""Subcommands of `pan-kiosk`, one module per group; each exposes `register(subparsers)`."""
