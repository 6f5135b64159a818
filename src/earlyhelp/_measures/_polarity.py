"""Polarity: whether a higher value of a measure is better, worse or neither."""

from __future__ import annotations

import enum

__all__ = ["Polarity"]


class Polarity(enum.StrEnum):
    """Which direction of a measure is an improvement.

    ``NEUTRAL`` marks context measures (caseloads, populations) where a rise is
    neither good nor bad in itself.
    """

    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"
    NEUTRAL = "neutral"
