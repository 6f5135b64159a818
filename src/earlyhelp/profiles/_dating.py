"""Effective dating: which version of a rule is in force on a record's own date.

Every rule version carries the dates it applies from and to, both inclusive;
the version in force is chosen by the date of the record being judged, never
by the clock. What happens when no version is in force is a profile's explicit
choice (:class:`OnMissing`).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from typing import Protocol, TypeVar

import attrs
import pendulum

from earlyhelp.model._base import to_date, to_optional_date
from earlyhelp.periods._dates import uk_date

__all__ = [
    "Citation",
    "Effective",
    "OnMissing",
    "Versioned",
    "check_versions",
    "in_force",
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
            msg = f"effective_to {self.end} is before effective_from {self.start}"
            raise ValueError(msg)

    def covers(self, day: dt.date) -> bool:
        """Whether ``day`` falls on or between the first and last days."""
        return self.start <= day and (self.end is None or day <= self.end)

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


def in_force(versions: Sequence[V], day: dt.date) -> V | None:
    """The version in force on ``day``, or ``None``.

    Example:
        >>> @attrs.frozen
        ... class Rule:
        ...     rule_id: str
        ...     effective: Effective
        >>> rules = [Rule("RR-A", Effective(start=dt.date(2014, 4, 1), end=dt.date(2015, 3, 31))),
        ...          Rule("RR-B", Effective(start=dt.date(2015, 4, 1)))]
        >>> in_force(rules, dt.date(2015, 3, 31)).rule_id
        'RR-A'
        >>> in_force(rules, dt.date(2015, 4, 1)).rule_id
        'RR-B'
        >>> in_force(rules, dt.date(2014, 3, 31)) is None
        True
    """
    for version in versions:
        if version.effective.covers(day):
            return version
    return None
