"""Instruments: spider graphs, surveys, case file audits, NEET and children's centres (private)."""
