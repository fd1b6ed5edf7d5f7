"""Printing: printer adapters (CUPS, IPP, ESC/POS, simulated) with job state followed to the end; `ui`
shows printing to the visitor.
"""
