"""Effective dating: which version of a rule is in force on a record's own date.

Every rule version carries the dates it applies from and to, both inclusive;
the version in force is chosen by the date of the record being judged, never
by the clock. What happens when no version is in force is a profile's explicit
choice (:class:`OnMissing`).

The choice is defined once: :meth:`Effective.covers` states which days a version
applies to, and :func:`version_index` picks the first version in force. Both work
on a Python date (one record) and on a polars date expression (every row of a
frame) alike, and :func:`in_force` is :func:`version_index` for one date.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from typing import Protocol, TypeVar, overload

import attrs
import pendulum
import polars as pl

from earlyhelp.errors import FieldError
from earlyhelp.model._base import to_date, to_optional_date
from earlyhelp.periods._dates import uk_date

__all__ = [
    "Citation",
    "Effective",
    "OnMissing",
    "Versioned",
    "check_versions",
    "in_force",
    "overlapping_by_measure",
    "version_index",
]


@attrs.frozen(kw_only=True)
class Citation:
    """Where a rule comes from: a policy document and, optionally, its section.

    Example:
        >>> str(Citation(document="Working Together to Safeguard Children 2015",
        ...              section="chapter 1, paragraph 17"))
        'Working Together to Safeguard Children 2015, chapter 1, paragraph 17'
    """

    document: str
    section: str | None = None

    def __str__(self) -> str:
        return self.document if self.section is None else f"{self.document}, {self.section}"


@attrs.frozen(kw_only=True)
class Effective:
    """The days a rule version applies: from ``start`` to ``end``, both inclusive.

    ``end`` is ``None`` for a version still in force.

    Example:
        >>> span = Effective(start=dt.date(2015, 4, 1))
        >>> span.covers(dt.date(2015, 3, 31)), span.covers(dt.date(2015, 4, 1))
        (False, True)
        >>> str(Effective(start=dt.date(2014, 4, 1), end=dt.date(2015, 3, 31)))
        '01/04/2014 to 31/03/2015'
    """

    start: pendulum.Date = attrs.field(converter=to_date)
    end: pendulum.Date | None = attrs.field(default=None, converter=to_optional_date)

    def __attrs_post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            msg = f"{self.end} is before effective_from {self.start}"
            raise FieldError("effective_to", msg)

    @overload
    def covers(self, day: dt.date) -> bool: ...
    @overload
    def covers(self, day: pl.Expr) -> pl.Expr: ...
    def covers(self, day: dt.date | pl.Expr) -> bool | pl.Expr:
        """Whether ``day`` falls on or between the first and last days.

        ``day`` may be a polars date expression; the answer is then an expression
        (null where the date is null), from the same comparison.

        Example:
            >>> span = Effective(start=dt.date(2014, 4, 1), end=dt.date(2015, 3, 31))
            >>> frame = pl.DataFrame({"closed": [dt.date(2015, 3, 31), dt.date(2015, 4, 1)]})
            >>> frame.select(span.covers(pl.col("closed"))).to_series().to_list()
            [True, False]
        """
        start = dt.date(self.start.year, self.start.month, self.start.day)
        inside = day >= start
        if self.end is None:
            return inside
        end = dt.date(self.end.year, self.end.month, self.end.day)
        return inside & (day <= end)

    def overlaps(self, other: Effective) -> bool:
        """Whether the two spans share a day."""
        return (other.end is None or self.start <= other.end) and (
            self.end is None or other.start <= self.end
        )

    def __str__(self) -> str:
        if self.end is None:
            return f"from {uk_date(self.start)}"
        return f"{uk_date(self.start)} to {uk_date(self.end)}"


class OnMissing(enum.StrEnum):
    """What to do when no version of a rule is in force on a record's date."""

    STRICT = "strict"
    """Raise :class:`NoRuleInForceError`."""
    LENIENT = "lenient"
    """Return a decision whose outcome is ``None``, saying no rule was in force."""


class Versioned(Protocol):
    """Anything with a rule id and the dates it is in force."""

    @property
    def rule_id(self) -> str: ...  # pragma: no cover

    @property
    def effective(self) -> Effective: ...  # pragma: no cover


V = TypeVar("V", bound=Versioned)


def check_versions(versions: Sequence[Versioned]) -> list[str]:
    """Problems with a rule's versions: any two in force on the same day."""
    problems = []
    for index, first in enumerate(versions):
        for second in versions[index + 1 :]:
            if first.effective.overlaps(second.effective):
                problems.append(
                    f"versions {first.rule_id} ({first.effective}) and {second.rule_id} "
                    f"({second.effective}) are both in force on some days"
                )
    return problems


@overload
def version_index(versions: Sequence[Versioned], day: dt.date) -> int | None: ...
@overload
def version_index(versions: Sequence[Versioned], day: pl.Expr) -> pl.Expr: ...
def version_index(versions: Sequence[Versioned], day: dt.date | pl.Expr) -> int | pl.Expr | None:
    """The position in ``versions`` of the first version in force on ``day``, or null.

    For a date, an ``int`` or ``None``; for a polars date expression, a ``UInt32``
    expression (null where no version is in force or the date is null).

    Example:
        >>> @attrs.frozen
        ... class Rule:
        ...     rule_id: str
        ...     effective: Effective
        >>> rules = [Rule("RR-A", Effective(start=dt.date(2014, 4, 1), end=dt.date(2015, 3, 31))),
        ...          Rule("RR-B", Effective(start=dt.date(2015, 4, 1)))]
        >>> version_index(rules, dt.date(2015, 4, 1)), version_index(rules, dt.date(2014, 3, 31))
        (1, None)
        >>> days = pl.DataFrame({"day": [dt.date(2015, 3, 31), dt.date(2014, 3, 31)]})
        >>> days.select(version_index(rules, pl.col("day"))).to_series().to_list()
        [0, None]
    """
    found: int | pl.Expr | None = (
        pl.lit(None, dtype=pl.UInt32) if isinstance(day, pl.Expr) else None
    )
    for index in reversed(range(len(versions))):  # so the first version in force wins
        covered = versions[index].effective.covers(day)
        if isinstance(covered, pl.Expr):
            found = pl.when(covered).then(pl.lit(index, dtype=pl.UInt32)).otherwise(found)
        elif covered:
            found = index
    return found


def in_force(versions: Sequence[V], day: dt.date) -> V | None:
    """The version in force on ``day``, or ``None``: :func:`version_index` for one date.

    Example:
        >>> from earlyhelp.profiles import load_profile
        >>> versions = load_profile("derby-2014-15").versions("cin_in_early_help")
        >>> in_force(versions, dt.date(2015, 3, 25)).rule_id
        'WT-2013-CIN'
        >>> in_force(versions, dt.date(2015, 3, 26)).rule_id
        'WT-2015-CIN'
        >>> in_force(versions, dt.date(2013, 4, 14)) is None
        True
    """
    index = version_index(versions, day)
    return None if index is None else versions[index]


class _MeasureDated(Protocol):
    @property
    def rule_id(self) -> str: ...
    @property
    def measure_id(self) -> str: ...
    @property
    def effective(self) -> Effective: ...


def overlapping_by_measure(entries: Sequence[_MeasureDated]) -> list[str]:
    """Problems with per-measure profile entries: two for one measure in force on a day.

    The check of ``[[measures]]`` and ``[[targets]]`` entries alike.
    """
    problems = []
    for index, first in enumerate(entries):
        for second in entries[index + 1 :]:
            if first.measure_id == second.measure_id and first.effective.overlaps(second.effective):
                problems.append(
                    f"entries {first.rule_id} ({first.effective}) and {second.rule_id} "
                    f"({second.effective}) for measure {first.measure_id!r} are both in "
                    "force on some days"
                )
    return problems
