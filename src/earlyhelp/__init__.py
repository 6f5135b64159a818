"""earlyhelp: measure what English councils' early help services achieve."""
