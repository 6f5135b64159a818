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
    "WHITESPACE",
    "check_problems",
    "id_field",
    "non_negative",
    "to_date",
    "to_optional_date",
    "to_tuple",
]

WHITESPACE: Final = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
"""Every character Python counts as whitespace (``str.isspace``), in one string.

The one definition of whitespace: an id may not start or end with one of these,
and the loader trims exactly these from the edges of text, so that what
:func:`earlyhelp.load` accepts, the records accept too. It includes the no-break
space, U+2003, U+2028, the separators U+001C to U+001F and U+0085.
"""

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
