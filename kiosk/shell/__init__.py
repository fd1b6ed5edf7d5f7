"""The kiosk's frame: main window, keyboard, start screen, lock-down, the screens tour; the pure parts here
(contrast, keyboard layouts).
"""
