"""NEET records and the child population (the denominator for rates)."""

from __future__ import annotations

from typing import Final

import attrs
import pendulum

from earlyhelp.model._base import id_field, non_negative, to_date
from earlyhelp.model._row_rules import NotFirstOfMonth, NotMatching, RowRule, field_rule

__all__ = ["NEET_RULES", "ChildPopulation", "NeetRecord"]

NEET_RULES: Final = (
    RowRule(
        code="month-not-first-day",
        fields=("record_month",),
        when=NotFirstOfMonth("record_month"),
        template="expected the first day of a month",
    ),
    RowRule(
        code="activity-code-format",
        fields=("activity_code",),
        when=NotMatching("activity_code", "[0-9]{3}"),
        template="expected a three-digit NCCIS activity code",
    ),
)
"""A NEET record's field rules: its field validators and the ``neet`` table's checks."""
_MONTH, _ACTIVITY = NEET_RULES


@attrs.frozen(kw_only=True)
class NeetRecord:
    """A young person's NCCIS activity in one month.

    The date of birth is needed for academic age but is personal data: never in
    a ``repr`` or an error message.

    Example:
        >>> import datetime as dt
        >>> NeetRecord(person_id="Y1", date_of_birth=dt.date(1998, 9, 1),
        ...            record_month=dt.date(2014, 11, 1), activity_code="540")
        NeetRecord(person_id='Y1', record_month=Date(2014, 11, 1), activity_code='540')
    """

    person_id: str = id_field()
    date_of_birth: pendulum.Date = attrs.field(converter=to_date, repr=False)
    record_month: pendulum.Date = attrs.field(converter=to_date, validator=field_rule(_MONTH))
    activity_code: str = attrs.field(validator=field_rule(_ACTIVITY))


@attrs.frozen(kw_only=True)
class ChildPopulation:
    """The number of children (0-17) living in an area in a year.

    Used as the denominator for rates per 10,000 children.
    """

    area_id: str = id_field()
    year: int
    children: int = attrs.field(validator=non_negative)
