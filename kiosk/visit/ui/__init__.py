"""Widgets of a visit: the Qt controller relaying the pure Visit, and one page per screen and step kind."""
