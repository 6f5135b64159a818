"""NEET records and the child population (the denominator for rates)."""

from __future__ import annotations

import re
from typing import Any, Final

import attrs
import pendulum

from earlyhelp.errors import FieldError
from earlyhelp.model._base import id_field, non_negative, to_date

__all__ = ["ChildPopulation", "NeetRecord"]

_ACTIVITY_CODE: Final = re.compile(r"[0-9]{3}")


def _first_of_month(_inst: object, attribute: attrs.Attribute[Any], value: pendulum.Date) -> None:
    if value.day != 1:
        raise FieldError(attribute.name, "expected the first day of a month")


def _activity_code(_inst: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not isinstance(value, str) or not _ACTIVITY_CODE.fullmatch(value):
        raise FieldError(attribute.name, "expected a three-digit NCCIS activity code")


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
    record_month: pendulum.Date = attrs.field(converter=to_date, validator=_first_of_month)
    activity_code: str = attrs.field(validator=_activity_code)


@attrs.frozen(kw_only=True)
class ChildPopulation:
    """The number of children (0-17) living in an area in a year.

    Used as the denominator for rates per 10,000 children.
    """

    area_id: str = id_field()
    year: int
    children: int = attrs.field(validator=non_negative)
