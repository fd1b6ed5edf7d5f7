"""One page per screen and per step kind. Each page has `retranslate(tr)` and `reset()`."""
