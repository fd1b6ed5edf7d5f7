"""Scanning: the scanner adapters (SANE, simulated), the imaging pipeline that turns pages into upload-
ready files, and `ui/` (controller, scan page).
"""
