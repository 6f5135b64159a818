"""Recorded characteristics of a young person that a NEET deep dive breaks figures down by."""

from __future__ import annotations

import enum
from typing import Final

import attrs
import pendulum

from earlyhelp.model._base import id_field, to_date, to_optional_date
from earlyhelp.model._row_rules import before, check_rules

__all__ = ["CHARACTERISTIC_RULES", "Characteristic", "PersonCharacteristic"]

CHARACTERISTIC_RULES: Final = (before("end", "start", "end-before-start"),)
"""A characteristic's cross-field rule: per record and over its table."""


class Characteristic(enum.StrEnum):
    """A characteristic recorded for a person with the dates it applied."""

    TEENAGE_PARENT = "teenage_parent"
    """A teenage parent (or pregnant)."""
    SEN = "sen"
    """Special educational needs (an EHC plan, statement or SEN support)."""


@attrs.frozen(kw_only=True)
class PersonCharacteristic:
    """A characteristic that applied to a person from ``start`` to ``end`` (both inclusive).

    Example:
        >>> import datetime as dt
        >>> PersonCharacteristic(person_id="Y1", characteristic="sen",
        ...                      start=dt.date(2010, 9, 1)).characteristic
        <Characteristic.SEN: 'sen'>
    """

    person_id: str = id_field()
    characteristic: Characteristic = attrs.field(converter=Characteristic)
    start: pendulum.Date = attrs.field(converter=to_date)
    end: pendulum.Date | None = attrs.field(default=None, converter=to_optional_date)

    def __attrs_post_init__(self) -> None:
        check_rules(self, CHARACTERISTIC_RULES, self.person_id)
