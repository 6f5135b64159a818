"""Every error ``earlyhelp`` raises on purpose, under one base class.

Catch :class:`EarlyHelpError` to handle anything the library refuses; each
subclass carries a stable ``code`` (a short machine-readable name that does not
change between releases, unlike the message). Messages name records by id and
fields by name, never a person's name, date of birth or free text.

The classes also derive from the built-in exception a caller would expect
(``ValueError`` for bad values, ``LookupError`` for something not found), so
``except ValueError`` written before this module existed still works.

Example:
    >>> import earlyhelp as eh
    >>> try:
    ...     eh.load_profile("no-such-council")
    ... except EarlyHelpError as error:
    ...     print(error.code)
    profile
    >>> issubclass(ProfileError, ValueError)
    True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import ClassVar

__all__ = [
    "ArgumentError",
    "ConversionError",
    "DisclosureError",
    "EarlyHelpError",
    "FieldError",
    "InternalError",
    "LoadError",
    "MeasureError",
    "NoRuleInForceError",
    "NotFoundError",
    "PeriodError",
    "ProfileError",
    "RecordError",
    "ReturnsError",
    "StructureError",
    "TableError",
    "UnknownRecordError",
]


class EarlyHelpError(Exception):
    """The base of every error ``earlyhelp`` raises on purpose.

    Attributes:
        code: a stable, machine-readable name for the kind of error.
    """

    code: ClassVar[str] = "earlyhelp"


class LoadError(EarlyHelpError, ValueError):
    """A table cannot be loaded at all (unreadable file, missing required columns).

    Row-level problems never raise: they are rejections in the load report.
    """

    code: ClassVar[str] = "load"


class ProfileError(EarlyHelpError, ValueError):
    """A profile file (or a part of one) is not valid.

    Attributes:
        source: the file, e.g. ``"profiles/derby-2014-15.toml"``.
        problems: every ``(key path, what was expected)`` pair found.
    """

    code: ClassVar[str] = "profile"

    def __init__(self, source: str, problems: list[tuple[str, str]]) -> None:
        self.source = source
        self.problems = tuple(problems)
        text = "; ".join(f"{path}: {message}" if path else message for path, message in problems)
        super().__init__(f"{source}: {text}")


class NoRuleInForceError(EarlyHelpError, LookupError):
    """No version of a rule is in force on the record's date (strict profiles).

    Attributes:
        rule: the rule family in words, e.g. ``"re-referral"``.
        day: the record's own date.
        profile: the id of the profile searched.
    """

    code: ClassVar[str] = "no_rule_in_force"

    def __init__(self, rule: str, day: dt.date, profile: str) -> None:
        self.rule = rule
        self.day = day
        self.profile = profile
        when = f"{day.day:02d}/{day.month:02d}/{day.year}"
        super().__init__(f"no {rule} rule is in force on {when} in profile {profile}")


class RecordError(EarlyHelpError, ValueError):
    """A record breaks one or more of its rules.

    The message names the record by its id and each field involved; it never
    contains personal data (names, dates of birth, free text).

    Attributes:
        kind: the kind of record, e.g. ``"EarlyHelpCase"``.
        record_id: the id of the offending record.
        problems: ``(field, message)`` pairs, every problem found, not only the first.
    """

    code: ClassVar[str] = "record"

    def __init__(self, kind: str, record_id: str, problems: list[tuple[str, str]]) -> None:
        self.kind = kind
        self.record_id = record_id
        self.problems = tuple(problems)
        lines = "; ".join(f"{field}: {message}" for field, message in problems)
        super().__init__(f"{kind} {record_id}: {lines}")


class FieldError(EarlyHelpError, ValueError):
    """One field of a record holds a value its validator refuses.

    Attributes:
        field: the field's name.
        message: what was expected (never the value itself).
    """

    code: ClassVar[str] = "field"

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class StructureError(RecordError):
    """A mapping could not be turned into a domain record.

    A :class:`RecordError` whose problems name field paths (``grades[0].grade``).
    """

    code: ClassVar[str] = "structure"


class ReturnsError(EarlyHelpError, ValueError):
    """Aggregate returns that cannot be rolled up; the message names every problem."""

    code: ClassVar[str] = "returns"


class TableError(EarlyHelpError, ValueError):
    """A decision table, its data, or a record given to it, is wrong.

    Attributes:
        where: what the problems are in, e.g. ``"table TH-1"`` or ``"derby.toml"``.
        problems: every problem found, naming row numbers, inputs or key paths.
    """

    code: ClassVar[str] = "decision_table"

    def __init__(self, where: str, problems: Sequence[str]) -> None:
        self.where = where
        self.problems = tuple(problems)
        super().__init__(f"{where}: {'; '.join(self.problems)}")


class MeasureError(EarlyHelpError, KeyError):
    """A measure id the catalogue does not hold, or a measure declared wrongly."""

    code: ClassVar[str] = "measure"

    def __str__(self) -> str:
        # KeyError quotes its argument; a message reads better without the quotes.
        return str(self.args[0]) if self.args else ""


class PeriodError(EarlyHelpError, ValueError):
    """A period that cannot be read, e.g. ``"2014-15 Q5"``."""

    code: ClassVar[str] = "period"


class DisclosureError(EarlyHelpError, ValueError):
    """Results that cannot be published safely as given.

    A column is missing, a count is negative, or teams sit beside localities
    without the teams' localities (a suppressed team could be worked out).
    """

    code: ClassVar[str] = "disclosure"


class UnknownRecordError(EarlyHelpError, KeyError):
    """A record asked for by id is not in the data, or its id is ambiguous.

    Attributes:
        record_id: the id asked for.
    """

    code: ClassVar[str] = "unknown_record"

    def __init__(self, record_id: str, message: str) -> None:
        self.record_id = record_id
        super().__init__(message)

    def __str__(self) -> str:
        # KeyError quotes its argument; a message reads better without the quotes.
        return str(self.args[0]) if self.args else ""


class ArgumentError(EarlyHelpError, ValueError):
    """An argument given to a library function is not one it accepts.

    The message names the argument and what was expected, e.g.
    ``by: expected one of team, locality, city; got 'ward'``.
    """

    code: ClassVar[str] = "argument"


class ConversionError(EarlyHelpError, ValueError, TypeError):
    """A plain value cannot be turned into the kind of value asked for.

    Raised when structuring plain data (JSON, a mapping, a cell) into a typed
    value: text where a whole number was expected, a date that is not in the
    calendar. The message says what was expected and the kind of value found,
    never the value itself. It derives from both ``ValueError`` and
    ``TypeError``, the two built-in errors such a failure used to raise.
    """

    code: ClassVar[str] = "conversion"


class NotFoundError(EarlyHelpError, KeyError):
    """Something asked for by key is not there: a result, a figure, a table, a column.

    The message names what was asked for.
    """

    code: ClassVar[str] = "not_found"

    def __str__(self) -> str:
        # KeyError quotes its argument; a message reads better without the quotes.
        return str(self.args[0]) if self.args else ""


class InternalError(EarlyHelpError, RuntimeError):
    """A check on the library's own workings failed: a bug in ``earlyhelp``, not bad input.

    Please report it with the message. It replaces ``assert`` statements, which
    ``python -O`` removes.
    """

    code: ClassVar[str] = "internal"
