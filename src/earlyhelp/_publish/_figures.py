"""How one computed figure is written in a report or a terminal table.

Counts get thousands separators; percentages and rates are rounded once, from
the exact fraction, by a :class:`RoundingPolicy` (the source report truncates
to one place: 51 of 273 is published as 18.6%); a missing figure is written as
a short reason, never as zero.
"""

from __future__ import annotations

from typing import Final

from earlyhelp._measures._catalogue import Unit
from earlyhelp._measures._results import Missing, Result
from earlyhelp._measures._rounding import RoundingPolicy
from earlyhelp._reproduction._report import SOURCE_ROUNDING

__all__ = ["MISSING_TEXT", "PUBLISHED", "display", "parts"]

#: The source report's rounding: percentages truncated to one decimal place.
PUBLISHED: Final = SOURCE_ROUNDING

#: How each reason for a missing figure is written in a table cell.
MISSING_TEXT: Final = {
    Missing.AWAITED: "awaited",
    Missing.NO_DENOMINATOR: "n/a",
    Missing.NOT_RECORDED_AT_LEVEL: "not recorded",
    Missing.NO_DATA: "no data",
    Missing.NOT_IN_FORCE: "not in force",
}


def display(result: Result, policy: RoundingPolicy = PUBLISHED) -> str:
    """The figure as published: ``"1,234"``, ``"18.6%"``, ``"41.2 per 10,000"`` or a reason.

    Example:
        >>> from earlyhelp._measures._catalogue import Level
        >>> rate = Result(measure_id="escalation_rate", period="2014-15 Q1", level=Level.CITY,
        ...               unit_id="city", breakdown=None, numerator=51, denominator=273,
        ...               unit=Unit.PERCENTAGE, missing=None)
        >>> display(rate)
        '18.6%'
        >>> from earlyhelp import Rounding
        >>> display(rate, RoundingPolicy(Rounding.HALF_UP, 1))
        '18.7%'
        >>> import attrs
        >>> display(attrs.evolve(rate, numerator=None, denominator=None, missing=Missing.AWAITED))
        'awaited'
    """
    value = result.value
    if result.missing is not None or value is None:
        return MISSING_TEXT.get(result.missing, "n/a") if result.missing else "n/a"
    if result.unit is Unit.COUNT:
        return f"{result.numerator:,}"
    shown = policy.apply(value)
    if result.unit is Unit.PERCENTAGE:
        return f"{shown}%"
    return f"{shown} per 10,000"


def parts(result: Result) -> str:
    """A ratio's numerator over its denominator, as the source report prints escalations.

    Example:
        >>> from earlyhelp._measures._catalogue import Level
        >>> parts(Result(measure_id="escalation_rate", period="2013-14 Q1", level=Level.CITY,
        ...              unit_id="city", breakdown=None, numerator=31, denominator=274,
        ...              unit=Unit.PERCENTAGE, missing=None))
        '31/274'
    """
    if result.missing is not None or result.numerator is None:
        return MISSING_TEXT.get(result.missing, "n/a") if result.missing else "n/a"
    if result.denominator is None:
        return f"{result.numerator:,}"
    return f"{result.numerator:,}/{result.denominator:,}"
