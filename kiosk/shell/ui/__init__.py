"""Widgets of the shell: main window, on-screen keyboard, start screen, lock-down filter, the screens tour."""
