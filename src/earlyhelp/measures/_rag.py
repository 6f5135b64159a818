"""RAG status: red, amber or green against a target, read through the measure's polarity."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from earlyhelp.errors import ArgumentError
from earlyhelp.measures._polarity import Polarity
from earlyhelp.profiles._targets import Comparison, Target, target_for

__all__ = ["Rag", "rag", "rag_for"]


class Rag(enum.StrEnum):
    """A figure's status against its target."""

    GREEN = "green"
    """The target is met."""
    AMBER = "amber"
    """Not met, but no further from the target than the amber tolerance."""
    RED = "red"
    """Not met, and further from the target than the amber tolerance."""
    NO_TARGET = "no_target"
    """No target is set (or only a baseline), or the measure is neutral."""
    NO_DATA = "no_data"
    """The figure is missing (no denominator, data awaited, ...)."""


def _comparison(polarity: Polarity, comparison: Comparison | None) -> Comparison | None:
    if comparison is None:
        if polarity is Polarity.HIGHER_IS_BETTER:
            return Comparison.AT_LEAST
        if polarity is Polarity.LOWER_IS_BETTER:
            return Comparison.AT_MOST
        return None
    if polarity is not Polarity.NEUTRAL and comparison.lower_is_better != (
        polarity is Polarity.LOWER_IS_BETTER
    ):
        msg = (
            f"a target {comparison.value} a value contradicts the measure's polarity "
            f"{polarity.value}"
        )
        raise ArgumentError(msg)
    return comparison


def rag(
    value: Fraction | int | None,
    target: Decimal | Fraction | int | None,
    polarity: Polarity | str,
    *,
    comparison: Comparison | str | None = None,
    amber_within: Decimal | Fraction | int = 0,
) -> Rag:
    """The RAG status of an exact value against a target.

    The exact value is judged, never the rounded figure: a NEET rate of
    5.4999% is below 5.5% even where it is printed 5.5%.

    Args:
        value: the exact value, ``None`` if missing.
        target: the target value on the measure's scale, ``None`` if none.
        polarity: the measure's :class:`Polarity`.
        comparison: how the target is met; by default ``at_least`` for
            higher-is-better measures and ``at_most`` for lower-is-better ones.
        amber_within: a value that misses the target by no more than this is
            amber rather than red (inclusive); 0 means never amber.

    Raises:
        ArgumentError: the comparison contradicts the polarity (a lower-is-better
            measure with an ``at_least`` target), or ``amber_within`` is negative.

    Example:
        >>> rag(Fraction(59, 10), Decimal("5.5"), "lower_is_better", comparison="below",
        ...     amber_within=Decimal("0.5"))
        <Rag.AMBER: 'amber'>
        >>> rag(Fraction(59, 10), Decimal("5.5"), "lower_is_better", comparison="below")
        <Rag.RED: 'red'>
        >>> rag(Fraction(59, 10), Decimal("5.5"), "higher_is_better")
        <Rag.GREEN: 'green'>
        >>> rag(None, Decimal("5.5"), "lower_is_better"), rag(3, None, "lower_is_better")
        (<Rag.NO_DATA: 'no_data'>, <Rag.NO_TARGET: 'no_target'>)
    """
    rule = Polarity(polarity)
    tolerance = Fraction(amber_within)
    if tolerance < 0:
        msg = f"amber_within: expected 0 or more, got {amber_within}"
        raise ArgumentError(msg)
    chosen = _comparison(rule, None if comparison is None else Comparison(comparison))
    if target is None or chosen is None:
        return Rag.NO_TARGET
    if value is None:
        return Rag.NO_DATA
    exact, goal = Fraction(value), Fraction(target)
    if chosen.met(exact, goal):
        return Rag.GREEN
    return Rag.AMBER if tolerance > 0 and abs(exact - goal) <= tolerance else Rag.RED


def rag_for(
    value: Fraction | int | None,
    measure_id: str,
    polarity: Polarity | str,
    targets: Sequence[Target],
    day: dt.date,
) -> Rag:
    """The RAG status of a measure's value against its profile target in force on ``day``.

    Args:
        value: the exact value, ``None`` if missing.
        measure_id: the measure.
        polarity: the measure's polarity.
        targets: the profile's ``targets`` family.
        day: the last day of the period the value is for.

    Example:
        >>> from earlyhelp.profiles._profile import load_profile
        >>> derby = load_profile("derby-2014-15")
        >>> rag_for(Fraction(53, 10), "neet_rate", "lower_is_better", derby.versions("targets"),
        ...         dt.date(2016, 3, 31))
        <Rag.GREEN: 'green'>
        >>> rag_for(Fraction(53, 10), "neet_rate", "lower_is_better", derby.versions("targets"),
        ...         dt.date(2015, 3, 31))
        <Rag.NO_TARGET: 'no_target'>
    """
    entry = target_for(targets, measure_id, day)
    if entry is None or not entry.has_target:
        return Rag.NO_TARGET
    return rag(
        value,
        entry.value,
        polarity,
        comparison=entry.comparison,
        amber_within=entry.amber_within,
    )
