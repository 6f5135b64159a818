"""The rule engine (private package)."""
