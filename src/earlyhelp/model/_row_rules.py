"""Cross-field rules of one record, declared once: checked per record and over whole tables.

A :class:`RowRule` is a small declared condition tree (:class:`Before`,
:class:`Present`, :class:`Absent`, :class:`AtMost`, :class:`NotFirstOfMonth`,
:class:`NotMatching`, joined with ``&``) and a message template. Both of its
evaluators are generated from that one declaration:

* over a table, :meth:`RowRule.broken` and :meth:`RowRule.message` are polars
  expressions (the loader's bulk validation applies them to every row at once);
* for one record, :meth:`RowRule.problem` evaluates the same tree on the
  record's fields (the domain classes call :func:`check_rules` after they are
  built).

A null (``None``) value never breaks a comparison: a rule about a date that is
not recorded does not apply. Messages name fields and values that are not
personal (dates of casework, codes, numbers), never free text or a date of birth.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import polars as pl

from earlyhelp.errors import FieldError, RecordError

__all__ = [
    "Absent",
    "AtMost",
    "Before",
    "Condition",
    "NotFirstOfMonth",
    "NotMatching",
    "Present",
    "RowRule",
    "before",
    "check_rules",
    "field_rule",
    "template_expr",
]


def _text(value: object) -> str:
    """A value as the bulk path casts it to text: dates ISO, enums by their code."""
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day).isoformat()
    code = getattr(value, "value", value)
    return str(code).lower() if isinstance(code, bool) else str(code)


class Condition:
    """A node of a rule's condition tree: true where the record breaks the rule."""

    def expr(self) -> pl.Expr:
        """The condition over a frame's columns (null where it cannot be judged)."""
        raise NotImplementedError

    def holds(self, values: Mapping[str, Any]) -> bool:
        """The condition for one record's field values."""
        raise NotImplementedError

    def __and__(self, other: Condition) -> Condition:
        return _All((self, other))


@attrs.frozen
class _All(Condition):
    parts: tuple[Condition, ...]

    def expr(self) -> pl.Expr:
        return pl.all_horizontal(*(part.expr() for part in self.parts))

    def holds(self, values: Mapping[str, Any]) -> bool:
        return all(part.holds(values) for part in self.parts)


@attrs.frozen
class Present(Condition):
    """The field has a value."""

    name: str

    def expr(self) -> pl.Expr:
        return pl.col(self.name).is_not_null()

    def holds(self, values: Mapping[str, Any]) -> bool:
        return values[self.name] is not None


@attrs.frozen
class Absent(Condition):
    """The field has no value."""

    name: str

    def expr(self) -> pl.Expr:
        return pl.col(self.name).is_null()

    def holds(self, values: Mapping[str, Any]) -> bool:
        return values[self.name] is None


@attrs.frozen
class Before(Condition):
    """Field ``later`` is strictly before (less than) field ``earlier``; both present."""

    later: str
    earlier: str

    def expr(self) -> pl.Expr:
        return pl.col(self.later) < pl.col(self.earlier)

    def holds(self, values: Mapping[str, Any]) -> bool:
        later, earlier = values[self.later], values[self.earlier]
        return later is not None and earlier is not None and bool(later < earlier)


@attrs.frozen
class AtMost(Condition):
    """Field ``name`` is at most (less than or equal to) field ``other``; both present."""

    name: str
    other: str

    def expr(self) -> pl.Expr:
        return pl.col(self.name) <= pl.col(self.other)

    def holds(self, values: Mapping[str, Any]) -> bool:
        value, other = values[self.name], values[self.other]
        return value is not None and other is not None and bool(value <= other)


@attrs.frozen
class NotFirstOfMonth(Condition):
    """A date field that is not the first day of its month."""

    name: str

    def expr(self) -> pl.Expr:
        return pl.col(self.name).dt.day() != 1

    def holds(self, values: Mapping[str, Any]) -> bool:
        value = values[self.name]
        return value is not None and value.day != 1


@attrs.frozen
class NotMatching(Condition):
    """A text field that does not match ``pattern`` as a whole."""

    name: str
    pattern: str

    def expr(self) -> pl.Expr:
        return ~pl.col(self.name).str.contains(f"^(?:{self.pattern})$")

    def holds(self, values: Mapping[str, Any]) -> bool:
        value = values[self.name]
        if value is None:
            return False
        return not isinstance(value, str) or re.fullmatch(self.pattern, value) is None


def _placeholders(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def template_expr(template: str) -> pl.Expr:
    """A ``{name}`` message template as a polars text expression over columns ``name``.

    Example:
        >>> frame = pl.DataFrame({"measure": ["Reviews"], "grade": [5]})
        >>> frame.select(template_expr("{measure} grade {grade}").alias("m")).item()
        'Reviews grade 5'
    """
    names = _placeholders(template)
    if not names:
        return pl.lit(template)
    parts = list(string.Formatter().parse(template))
    pattern = "".join(text + ("{}" if name else "") for text, name, _, _ in parts)
    return pl.format(pattern, *(pl.col(name).cast(pl.String) for name in names))


@attrs.frozen(kw_only=True)
class RowRule:
    """A cross-field rule of one record (one table row), declared once.

    Attributes:
        code: a stable id, e.g. ``"closed-before-opened"``.
        fields: the fields the rule reads; the first is the one reported.
        when: the condition tree: true where a record breaks the rule.
        template: the message; ``{name}`` fills in the value of field ``name``
            (dates as ``yyyy-mm-dd``). Never name a personal field.

    Example:
        >>> rule = before("closed", "opened", "closed-before-opened")
        >>> rule.problem({"closed": dt.date(2014, 3, 2), "opened": dt.date(2014, 5, 1)})
        ('closed', 'closed 2014-03-02 is before opened 2014-05-01')
        >>> frame = pl.DataFrame({"closed": [dt.date(2014, 3, 2), None],
        ...                       "opened": [dt.date(2014, 5, 1)] * 2})
        >>> frame.select(rule.broken().alias("broken"), rule.message().alias("message")).rows()
        [(True, 'closed 2014-03-02 is before opened 2014-05-01'), (None, None)]
    """

    code: str
    fields: tuple[str, ...]
    when: Condition
    template: str

    def broken(self) -> pl.Expr:
        """True where a row breaks the rule (null where it cannot be judged)."""
        return self.when.expr()

    def message(self) -> pl.Expr:
        """The message for each row, from its own values."""
        return template_expr(self.template)

    def problem(self, values: Mapping[str, Any]) -> tuple[str, str] | None:
        """``(field, message)`` if the record with these field values breaks the rule."""
        if not self.when.holds(values):
            return None
        shown = {name: _text(values[name]) for name in _placeholders(self.template)}
        return self.fields[0], self.template.format(**shown)


def before(later: str, earlier: str, code: str) -> RowRule:
    """A rule that date ``later`` is not before date ``earlier`` (both present)."""
    return RowRule(
        code=code,
        fields=(later, earlier),
        when=Before(later, earlier),
        template=f"{later} {{{later}}} is before {earlier} {{{earlier}}}",
    )


def field_rule(rule: RowRule) -> Callable[[object, attrs.Attribute[Any], Any], None]:
    """An attrs field validator from a one-field rule: the same declaration as the table check.

    Raises (when validating):
        FieldError: the field's value breaks the rule.
    """

    def validate(_inst: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        found = rule.problem({attribute.name: value})
        if found is not None:
            raise FieldError(attribute.name, found[1])

    return validate


def check_rules(record: object, rules: tuple[RowRule, ...], record_id: str) -> None:
    """Raise :class:`RecordError` naming every rule of ``rules`` the record breaks.

    Raises:
        RecordError: the record breaks one or more rules; each problem names its field.
    """
    values = {name: getattr(record, name) for rule in rules for name in rule.fields}
    problems = [found for rule in rules if (found := rule.problem(values)) is not None]
    if problems:
        raise RecordError(type(record).__name__, record_id, problems)
