"""UK financial years and their quarters, and stock versus flow semantics.

A financial year runs 1 April to 31 March and is labelled ``"2014-15"``; its
quarters are labelled ``"2014-15 Q1"`` (April-June) to ``"2014-15 Q4"``
(January-March). Both ends of every period are **inclusive** calendar days.

Two ways of counting against a period, and the library always says which:

* **stock** ("as at the end of the period"): a record counts if it was open at the
  end of the period's last day. A case that *closed on* the last day is not open at
  its end (:func:`is_open_at`).
* **flow** ("during the period"): an event counts if its date falls on or between the
  period's first and last days (:meth:`FinancialYear.contains`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from typing import Final

import attrs
import pendulum
import polars as pl

from earlyhelp.errors import PeriodError
from earlyhelp.periods._dates import as_date

__all__ = [
    "FinancialYear",
    "Period",
    "PeriodsLike",
    "Quarter",
    "as_periods",
    "during_expr",
    "is_open_at",
    "open_at_expr",
    "parse_period",
    "quarters_between",
]

_YEAR_LABEL: Final = re.compile(r"([0-9]{4})-([0-9]{2})")
_QUARTER_LABEL: Final = re.compile(r"([0-9]{4})-([0-9]{2}) ?Q([1-4])")
_FIRST_MONTH: Final = 4  # April
FIRST_YEAR: Final = 1900
"""The first financial year ``earlyhelp`` handles starts in this year."""
LAST_YEAR: Final = 2999
"""The last financial year ``earlyhelp`` handles starts in this year."""
FIRST_DAY: Final = dt.date(FIRST_YEAR, _FIRST_MONTH, 1)
"""The first day of the first financial year handled; earlier dates are not loaded."""
LAST_DAY: Final = dt.date(LAST_YEAR + 1, _FIRST_MONTH - 1, 31)
"""The last day of the last financial year handled; later dates are not loaded."""


def _check_year(_inst: object, _attr: object, value: int) -> None:
    if not FIRST_YEAR <= value <= LAST_YEAR:
        msg = f"financial year must start between {FIRST_YEAR} and {LAST_YEAR}, got {value}"
        raise PeriodError(msg)


@attrs.frozen(order=True)
class FinancialYear:
    """A UK financial year, 1 April to 31 March, both days inclusive.

    Args:
        start_year: the calendar year in which the financial year starts
            (2014 for ``2014-15``).

    Example:
        >>> year = FinancialYear.parse("2014-15")
        >>> year.start, year.end
        (Date(2014, 4, 1), Date(2015, 3, 31))
        >>> [q.label for q in year.quarters()]
        ['2014-15 Q1', '2014-15 Q2', '2014-15 Q3', '2014-15 Q4']
        >>> FinancialYear.containing(dt.date(2015, 3, 31)).label
        '2014-15'
    """

    start_year: int = attrs.field(validator=_check_year)

    @classmethod
    def parse(cls, label: str) -> FinancialYear:
        """Read a label such as ``"2014-15"``.

        Raises:
            PeriodError: the label is not ``YYYY-YY`` with consecutive years.
        """
        match = _YEAR_LABEL.fullmatch(label.strip())
        if match is None:
            msg = f"expected a financial year like '2014-15', got {label!r}"
            raise PeriodError(msg)
        start = int(match.group(1))
        if (start + 1) % 100 != int(match.group(2)):
            msg = f"financial year {label!r} does not span consecutive years"
            raise PeriodError(msg)
        return cls(start)

    @classmethod
    def containing(cls, day: dt.date) -> FinancialYear:
        """The financial year in which ``day`` falls."""
        return cls(day.year if day.month >= _FIRST_MONTH else day.year - 1)

    @property
    def label(self) -> str:
        """The label, e.g. ``"2014-15"``."""
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def start(self) -> pendulum.Date:
        """1 April, the first day (inclusive)."""
        return pendulum.Date(self.start_year, _FIRST_MONTH, 1)

    @property
    def end(self) -> pendulum.Date:
        """31 March, the last day (inclusive)."""
        return pendulum.Date(self.start_year + 1, 3, 31)

    def quarters(self) -> tuple[Quarter, Quarter, Quarter, Quarter]:
        """The year's four quarters in order."""
        return (Quarter(self, 1), Quarter(self, 2), Quarter(self, 3), Quarter(self, 4))

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` falls on or between the first and last days."""
        return self.start <= day <= self.end

    def previous(self) -> FinancialYear:
        """The year before."""
        return FinancialYear(self.start_year - 1)

    def next(self) -> FinancialYear:
        """The year after."""
        return FinancialYear(self.start_year + 1)

    def __str__(self) -> str:
        return self.label


def _check_quarter(_inst: object, _attr: object, value: int) -> None:
    if value not in (1, 2, 3, 4):
        msg = f"quarter number must be 1, 2, 3 or 4, got {value}"
        raise PeriodError(msg)


@attrs.frozen(order=True)
class Quarter:
    """A quarter of a UK financial year; Q1 is April to June.

    Example:
        >>> q3 = Quarter.parse("2014-15 Q3")
        >>> q3.start, q3.end
        (Date(2014, 10, 1), Date(2014, 12, 31))
        >>> Quarter.containing(dt.date(2015, 1, 1)).label
        '2014-15 Q4'
        >>> q3.next().label, q3.previous().label
        ('2014-15 Q4', '2014-15 Q2')
    """

    year: FinancialYear
    number: int = attrs.field(validator=_check_quarter)

    @classmethod
    def parse(cls, label: str) -> Quarter:
        """Read a label such as ``"2014-15 Q3"``.

        Raises:
            PeriodError: the label is not ``YYYY-YY Qn``.
        """
        match = _QUARTER_LABEL.fullmatch(label.strip())
        if match is None:
            msg = f"expected a quarter like '2014-15 Q3', got {label!r}"
            raise PeriodError(msg)
        year = FinancialYear.parse(f"{match.group(1)}-{match.group(2)}")
        return cls(year, int(match.group(3)))

    @classmethod
    def containing(cls, day: dt.date) -> Quarter:
        """The quarter in which ``day`` falls."""
        year = FinancialYear.containing(day)
        months_in = (day.month - _FIRST_MONTH) % 12
        return cls(year, months_in // 3 + 1)

    @property
    def label(self) -> str:
        """The label, e.g. ``"2014-15 Q3"``."""
        return f"{self.year.label} Q{self.number}"

    @property
    def start(self) -> pendulum.Date:
        """The first day (inclusive)."""
        return self.year.start.add(months=3 * (self.number - 1))

    @property
    def end(self) -> pendulum.Date:
        """The last day (inclusive)."""
        return self.year.start.add(months=3 * self.number).subtract(days=1)

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` falls on or between the first and last days."""
        return self.start <= day <= self.end

    def previous(self) -> Quarter:
        """The quarter before (Q4 of the previous year before Q1)."""
        if self.number == 1:
            return Quarter(self.year.previous(), 4)
        return Quarter(self.year, self.number - 1)

    def next(self) -> Quarter:
        """The quarter after (Q1 of the next year after Q4)."""
        if self.number == 4:
            return Quarter(self.year.next(), 1)
        return Quarter(self.year, self.number + 1)

    def __str__(self) -> str:
        return self.label


Period = FinancialYear | Quarter
"""A reporting period: a financial year or one of its quarters."""


def parse_period(label: str) -> Period:
    """Read a year label (``"2014-15"``) or a quarter label (``"2014-15 Q3"``).

    Example:
        >>> parse_period("2014-15 Q3")
        Quarter(year=FinancialYear(start_year=2014), number=3)
        >>> parse_period("2014-15")
        FinancialYear(start_year=2014)
    """
    text = label.strip()
    if "Q" in text.upper():
        return Quarter.parse(text.upper())
    return FinancialYear.parse(text)


PeriodsLike = Period | str | Sequence[Period | str]
"""One period (or its label, e.g. ``"2014-15 Q3"``), or several."""


def as_periods(period: PeriodsLike) -> tuple[Period, ...]:
    """The periods asked for, parsed, in the order given.

    Raises:
        PeriodError: no period was given, or a label is not a year or quarter.

    Example:
        >>> [p.label for p in as_periods(["2014-15 Q3", "2014-15"])]
        ['2014-15 Q3', '2014-15']
    """
    items = [period] if isinstance(period, str | Period) else list(period)
    if not items:
        msg = "expected at least one period, e.g. '2014-15' or '2014-15 Q3'"
        raise PeriodError(msg)
    return tuple(parse_period(p) if isinstance(p, str) else p for p in items)


def quarters_between(first: Quarter, last: Quarter) -> Iterator[Quarter]:
    """Every quarter from ``first`` to ``last``, both inclusive."""
    current = first
    while current <= last:
        yield current
        current = current.next()


def is_open_at(opened: dt.date, closed: dt.date | None, at: dt.date) -> bool:
    """Whether an episode is open at the *end* of day ``at`` (stock semantics).

    Opened on or before ``at`` and not closed by the end of ``at``: an episode
    that closes on ``at`` is not open at its end; one that opens on ``at`` is.

    Example:
        >>> at = dt.date(2014, 12, 31)
        >>> is_open_at(dt.date(2014, 12, 31), None, at)
        True
        >>> is_open_at(dt.date(2014, 10, 1), dt.date(2014, 12, 31), at)
        False
        >>> is_open_at(dt.date(2014, 10, 1), dt.date(2015, 1, 1), at)
        True
    """
    return as_date(opened) <= at and (closed is None or as_date(closed) > at)


def open_at_expr(opened: str, closed: str, at: dt.date) -> pl.Expr:
    """The columnar twin of :func:`is_open_at` over two date columns."""
    return (pl.col(opened) <= at) & (pl.col(closed).is_null() | (pl.col(closed) > at))


def during_expr(column: str, period: Period) -> pl.Expr:
    """Whether a date column falls in ``period``, both ends inclusive (flow)."""
    return pl.col(column).is_between(period.start, period.end, closed="both")
