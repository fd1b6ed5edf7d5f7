"""The widget kit every screen shares: labels and buttons, theme, overlays, page base class, the task pool.
No capability of its own.
"""
