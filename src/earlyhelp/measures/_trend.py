"""Change between periods, exactly, and the direction of travel it shows.

A change is the later value minus the earlier one, exact: a count changes by
cases, a percentage by percentage points, a rate by so many per 10,000. A
missing value on either side gives a missing change that says which.

The source report uses three "over a year" changes, and each has its own name:

* :func:`within_year`: the year's last quarter minus its first ("the case load
  rose by 57 cases over the course of 2014-15": 740 - 683).
* :func:`over_year`: the year's last quarter minus the previous year's last
  quarter, a year-end to year-end change (EHAs "increased by over 100 over the
  course of 2014-15": 282 - 168 = 114; Q4 minus Q1 would be 95).
* :func:`year_total_change`: the sum of the year's quarters minus the previous
  year's ("an additional 21 cases ... than in 2013-14": 2847 - 2826).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Final, Protocol

import attrs

from earlyhelp.errors import ArgumentError, FieldError, PeriodError
from earlyhelp.measures._polarity import Polarity
from earlyhelp.measures._rounding import Rounding, RoundingPolicy
from earlyhelp.model._vocab import Direction
from earlyhelp.periods._periods import FinancialYear, Period, Quarter, parse_period

__all__ = [
    "Change",
    "Direction",
    "Series",
    "Valued",
    "change",
    "direction",
    "over_year",
    "quarter_on_quarter",
    "within_year",
    "year_on_year",
    "year_total_change",
]


class Valued(Protocol):
    """Anything with an exact ``value`` and a ``missing`` reason, such as a measure's result."""

    @property
    def value(self) -> Fraction | None: ...  # pragma: no cover

    @property
    def missing(self) -> object: ...  # pragma: no cover


Series = Mapping[str, "Fraction | int | Valued | None"]
"""Values by period label (``"2014-15 Q3"`` or ``"2014-15"``): exact numbers, ``None``
for missing, or results that carry their own value and missing reason."""

_UNITS: Final = {
    "count": "",
    "percentage": " percentage points",
    "rate_per_10000": " per 10,000",
}


def _unit(_inst: object, _attr: object, value: str) -> None:
    if value not in _UNITS:
        raise FieldError("unit", f"expected one of {', '.join(_UNITS)}, got {value!r}")


@attrs.frozen(kw_only=True)
class Change:
    """An exact change from an earlier value to a later one.

    Attributes:
        unit: the measure's unit: ``"count"``, ``"percentage"`` (the change is in
            percentage points) or ``"rate_per_10000"``.
        later: the later value (``None`` if missing).
        earlier: the earlier value (``None`` if missing).
        later_period: the later period's label.
        earlier_period: the earlier period's label.
        missing: why there is no change, or ``None``.

    Example:
        >>> step = change(Fraction(18, 206) * 100, Fraction(53, 369) * 100, unit="percentage")
        >>> step.value < 0
        True
        >>> step.describe()
        '-5.6 percentage points'
        >>> change(740, None, unit="count").missing
        'no earlier value'
    """

    unit: str = attrs.field(validator=_unit)
    later: Fraction | None
    earlier: Fraction | None
    later_period: str = ""
    earlier_period: str = ""
    missing: str | None = None

    @property
    def value(self) -> Fraction | None:
        """Later minus earlier, exact; ``None`` when either is missing."""
        if self.later is None or self.earlier is None:
            return None
        return self.later - self.earlier

    def describe(self, places: int = 1) -> str:
        """The change in words, signed; non-counts rounded half-up to ``places``."""
        value = self.value
        if value is None:
            return f"not available ({self.missing})"
        if self.unit == "count" and value.denominator == 1:
            text = str(value.numerator)
        else:
            text = RoundingPolicy(Rounding.HALF_UP, places).format(value)
        sign = "+" if value > 0 else ""
        return f"{sign}{text}{_UNITS[self.unit]}"


def change(
    later: Fraction | int | None,
    earlier: Fraction | int | None,
    *,
    unit: str,
    later_period: str = "",
    earlier_period: str = "",
    later_missing: str | None = None,
    earlier_missing: str | None = None,
) -> Change:
    """The exact change from ``earlier`` to ``later``.

    Args:
        later: the later value, exact, or ``None`` if missing.
        earlier: the earlier value, exact, or ``None`` if missing.
        unit: ``"count"``, ``"percentage"`` or ``"rate_per_10000"``.
        later_period: the later period's label, for the missing reason.
        earlier_period: the earlier period's label.
        later_missing: why the later value is missing, e.g. ``"awaited"``.
        earlier_missing: why the earlier value is missing.

    Example:
        >>> change(740, 683, unit="count").value
        Fraction(57, 1)
        >>> change(None, 683, unit="count", later_period="2014-15 Q4",
        ...        later_missing="awaited").missing
        'no value for 2014-15 Q4 (awaited)'
    """
    reasons = []
    for value, period, why, side in (
        (later, later_period, later_missing, "later"),
        (earlier, earlier_period, earlier_missing, "earlier"),
    ):
        if value is None:
            text = f"no value for {period}" if period else f"no {side} value"
            reasons.append(f"{text} ({why})" if why else text)
    return Change(
        unit=unit,
        later=None if later is None else Fraction(later),
        earlier=None if earlier is None else Fraction(earlier),
        later_period=later_period,
        earlier_period=earlier_period,
        missing="; ".join(reasons) or None,
    )


def _lookup(series: Series, label: str) -> tuple[Fraction | int | None, str | None]:
    """A period's value and, if missing, the reason its result gives."""
    item = series.get(label)
    if item is None or isinstance(item, Fraction | int):
        return item, None
    why = item.missing
    return item.value, None if why is None else str(getattr(why, "value", why))


def _between(series: Series, later: Period, earlier: Period, unit: str) -> Change:
    later_value, later_missing = _lookup(series, later.label)
    earlier_value, earlier_missing = _lookup(series, earlier.label)
    return change(
        later_value,
        earlier_value,
        unit=unit,
        later_period=later.label,
        earlier_period=earlier.label,
        later_missing=later_missing,
        earlier_missing=earlier_missing,
    )


def _period(period: Period | str) -> Period:
    return parse_period(period) if isinstance(period, str) else period


def _quarter(period: Quarter | str) -> Quarter:
    parsed = _period(period)
    if not isinstance(parsed, Quarter):
        msg = f"expected a quarter like '2014-15 Q3', got {parsed.label!r}"
        raise PeriodError(msg)
    return parsed


def _year(period: FinancialYear | str) -> FinancialYear:
    parsed = _period(period)
    if not isinstance(parsed, FinancialYear):
        msg = f"expected a financial year like '2014-15', got {parsed.label!r}"
        raise PeriodError(msg)
    return parsed


def quarter_on_quarter(series: Series, quarter: Quarter | str, *, unit: str) -> Change:
    """The change from the previous quarter (2014-15 Q1 follows 2013-14 Q4).

    Example:
        >>> caseload = {"2014-15 Q2": 726, "2014-15 Q3": 698}
        >>> quarter_on_quarter(caseload, "2014-15 Q3", unit="count").value
        Fraction(-28, 1)
    """
    current = _quarter(quarter)
    return _between(series, current, current.previous(), unit)


def year_on_year(series: Series, period: Period | str, *, unit: str) -> Change:
    """The change from the same period a year earlier (a quarter, or a whole year).

    Example:
        >>> ehas = {"2013-14 Q3": 159, "2014-15 Q3": 254}
        >>> year_on_year(ehas, "2014-15 Q3", unit="count").value
        Fraction(95, 1)
    """
    current = _period(period)
    if isinstance(current, Quarter):
        earlier: Period = Quarter(current.year.previous(), current.number)
    else:
        earlier = current.previous()
    return _between(series, current, earlier, unit)


def within_year(series: Series, year: FinancialYear | str, *, unit: str) -> Change:
    """The year's last quarter minus its first quarter.

    Example:
        >>> caseload = {"2014-15 Q1": 683, "2014-15 Q4": 740}
        >>> within_year(caseload, "2014-15", unit="count").describe()
        '+57'
    """
    first, *_, last = _year(year).quarters()
    return _between(series, last, first, unit)


def over_year(series: Series, year: FinancialYear | str, *, unit: str) -> Change:
    """The year's last quarter minus the previous year's last quarter (year end to year end).

    Example:
        >>> ehas = {"2013-14 Q4": 168, "2014-15 Q4": 282}
        >>> over_year(ehas, "2014-15", unit="count").describe()
        '+114'
    """
    last = _year(year).quarters()[3]
    return year_on_year(series, last, unit=unit)


def _total(series: Series, year: FinancialYear) -> tuple[Fraction | None, str]:
    values = [_lookup(series, quarter.label)[0] for quarter in year.quarters()]
    absent = [q.label for q, v in zip(year.quarters(), values, strict=True) if v is None]
    if absent:
        return None, f"no value for {', '.join(absent)}"
    return sum((Fraction(v) for v in values if v is not None), Fraction(0)), ""


def year_total_change(series: Series, year: FinancialYear | str, *, unit: str = "count") -> Change:
    """The sum of the year's four quarters minus the sum of the previous year's.

    For a stock count (cases open at each quarter end) the sum is the report's
    "number of cases worked with across the year". Only counts add up; summing
    percentages is refused.

    Raises:
        ArgumentError: ``unit`` is not ``"count"``.

    Example:
        >>> caseload = dict(zip(
        ...     [f"{y} Q{n}" for y in ("2013-14", "2014-15") for n in range(1, 5)],
        ...     [615, 762, 739, 710, 683, 726, 698, 740]))
        >>> year_total_change(caseload, "2014-15").describe()
        '+21'
    """
    if unit != "count":
        msg = f"year_total_change adds quarters up, so needs counts; got unit {unit!r}"
        raise ArgumentError(msg)
    current = _year(year)
    later, later_gap = _total(series, current)
    earlier, earlier_gap = _total(series, current.previous())
    return Change(
        unit=unit,
        later=later,
        earlier=earlier,
        later_period=current.label,
        earlier_period=current.previous().label,
        missing="; ".join(gap for gap in (later_gap, earlier_gap) if gap) or None,
    )


def direction(step: Change | Fraction | int | None, polarity: Polarity | str) -> Direction:
    """The direction of travel a change shows, read through the measure's polarity.

    Args:
        step: a :class:`Change`, or an exact change (``None`` if missing).
        polarity: the measure's :class:`Polarity`.

    Example:
        >>> direction(Fraction(-56, 10), Polarity.LOWER_IS_BETTER)
        <Direction.IMPROVING: 'improving'>
        >>> direction(57, "neutral")
        <Direction.NOT_APPLICABLE: 'not_applicable'>
        >>> direction(0, Polarity.HIGHER_IS_BETTER)
        <Direction.NO_CHANGE: 'no_change'>
    """
    value = step.value if isinstance(step, Change) else step
    rule = Polarity(polarity)
    if value is None or rule is Polarity.NEUTRAL:
        return Direction.NOT_APPLICABLE
    if value == 0:
        return Direction.NO_CHANGE
    up_is_good = rule is Polarity.HIGHER_IS_BETTER
    return Direction.IMPROVING if (value > 0) == up_is_good else Direction.WORSENING
