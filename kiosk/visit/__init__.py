"""A visit: the visitor's screens and answers (pure models), the guided flow, idle policy, the wipe,
outcomes and anonymous counters; `ui/` has the pages.
"""
