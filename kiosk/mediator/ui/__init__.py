"""Widgets of mediator mode: the panel, helper-assist and the visitor's call for a mediator."""
