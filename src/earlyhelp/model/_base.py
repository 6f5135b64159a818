"""Shared validators and the error raised when a record breaks a cross-field rule."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any, Final

import attrs
import pendulum

from earlyhelp.errors import FieldError, RecordError
from earlyhelp.periods._dates import as_date

__all__ = [
    "check_problems",
    "id_field",
    "non_negative",
    "to_date",
    "to_optional_date",
    "to_tuple",
]

_ID: Final = re.compile(r"\S(.*\S)?", re.DOTALL)


def check_problems(kind: str, record_id: str, problems: list[tuple[str, str]]) -> None:
    """Raise :class:`RecordError` if ``problems`` is not empty."""
    if problems:
        raise RecordError(kind, record_id, problems)


def _check_id(_inst: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise FieldError(attribute.name, "expected a non-blank id without surrounding spaces")


def id_field(*, optional: bool = False) -> Any:
    """An identifier field: a non-blank string (``None`` allowed if ``optional``)."""
    if optional:
        return attrs.field(default=None, validator=attrs.validators.optional(_check_id))
    return attrs.field(validator=_check_id)


def to_date(value: dt.date) -> pendulum.Date:
    """Converter for a required date field."""
    return as_date(value)


def to_optional_date(value: dt.date | None) -> pendulum.Date | None:
    """Converter for an optional date field."""
    return None if value is None else as_date(value)


def non_negative(_inst: object, attribute: attrs.Attribute[Any], value: int) -> None:
    """Validate that an int field is zero or more."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FieldError(attribute.name, "expected a whole number of zero or more")


def to_tuple(values: Iterable[Any]) -> tuple[Any, ...]:
    """Converter for a sequence field: any iterable becomes an immutable tuple."""
    return tuple(values)
