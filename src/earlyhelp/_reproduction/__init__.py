"""Reproduction of the source report's published figures (private)."""
