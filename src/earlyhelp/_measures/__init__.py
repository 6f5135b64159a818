"""The measure catalogue, its calculators, roll-up and presentation (private)."""
