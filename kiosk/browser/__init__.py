"""The locked browser: allow-list and guide-step rules (`policy`), the practice replica of the official
site (`replica`), and the QtWebEngine widgets (`ui`).
"""
