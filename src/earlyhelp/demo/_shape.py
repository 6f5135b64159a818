"""The demo data's shape: the localities and calibration every demo table shares."""

from __future__ import annotations

from typing import Final

import numpy as np

from earlyhelp.demo._instruments import Floats, Ints

__all__ = [
    "ADULT",
    "CHILD_AGE",
    "CITY_ID",
    "CLOSURES",
    "ESCALATED",
    "HISTORY",
    "LOCALITIES",
    "LOCALITY_P",
    "Cases",
    "lengths",
]

CITY_ID: Final = "derby"
LOCALITIES: Final = ("L1", "L2", "L3", "L4", "L5", "L6")
LOCALITY_P: Final = (0.15, 0.17, 0.22, 0.15, 0.14, 0.17)
ADULT: Final = 6574  # days to an 18th birthday, near enough
CHILD_AGE: Final = 17 * 365 + 180  # oldest age at opening, in days
HISTORY: Final = 92  # days of closed cases kept before the first year
CLOSURES: Final = (
    "outcomes_met",
    "stepped_down_to_universal",
    "disengaged_or_declined",
    "moved_away",
    "other",
    "escalated_to_social_care",
)
ESCALATED: Final = len(CLOSURES) - 1

Cases = dict[str, Ints]
"""The case columns as numpy arrays, by name."""


def lengths(rng: np.random.Generator, n: int, mean: float | Floats, cap: float) -> Ints:
    """Episode lengths in days: at least 14, gamma-distributed around ``mean``, capped."""
    days = 14 + rng.gamma(1.6, (np.asarray(mean) - 14) / 1.6, n)
    lengths: Ints = np.minimum(days, cap).astype(np.int64)
    return lengths
