"""Polarity: which way a measure should move to count as better."""

from __future__ import annotations

import enum

__all__ = ["Polarity"]


class Polarity(enum.StrEnum):
    """Whether a higher or a lower value of a measure is better, or neither.

    Direction of travel and RAG status read a change or a target through the
    measure's polarity: a fall in the escalation rate is an improvement, a fall in
    the share of people treated with respect is not. A ``NEUTRAL`` measure (a
    count of referrals, say) describes demand; its changes are neither better nor
    worse.

    Example:
        >>> Polarity("lower_is_better") is Polarity.LOWER_IS_BETTER
        True
        >>> Polarity.HIGHER_IS_BETTER.flipped()
        <Polarity.LOWER_IS_BETTER: 'lower_is_better'>
    """

    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"
    NEUTRAL = "neutral"

    def flipped(self) -> Polarity:
        """The opposite polarity (``NEUTRAL`` stays ``NEUTRAL``)."""
        if self is Polarity.HIGHER_IS_BETTER:
            return Polarity.LOWER_IS_BETTER
        if self is Polarity.LOWER_IS_BETTER:
            return Polarity.HIGHER_IS_BETTER
        return Polarity.NEUTRAL
