"""Widgets of scanning: the scan controller (slow work off the GUI thread) and the scan page."""
