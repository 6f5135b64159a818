"""Words built from evidence columns: declared once, evaluated by polars or by Python.

A rule family's :class:`~earlyhelp.rules.Rendering` says how its evidence reads
in words. Each part is a :class:`Text`: a small tree of column reads,
literals, joins, date formats and choices, written like polars expressions
(``tx.concat_str(tx.lit("referral "), tx.col("referral_id"))``). The one tree
gives two evaluators:

* :meth:`Text.expr` is the polars expression: the bulk explanations of a whole
  table are built column-wise with it;
* :meth:`Text.value` reads one evidence row (a mapping of column names to
  values): a per-record call renders its one row with it, where polars' fixed
  cost for each expression would be most of the call.

They agree on every row, nulls included, which the property tests check on
random trees and rows: a null read gives a null join, a choice whose condition
is null falls through to the next, comparisons and ``&``/``|`` follow polars'
three-valued logic, and a value cast to text reads as polars casts it
(``true``/``false``, ``2014-05-01``).

Example:
    >>> import datetime as dt
    >>> import polars as pl
    >>> from earlyhelp.rules import text as tx
    >>> when = tx.col("closed").uk_date()
    >>> words = tx.concat_str(
    ...     tx.lit("case "), tx.col("case_id"),
    ...     tx.when(tx.col("closed").is_null()).then(tx.lit(" is open"))
    ...     .otherwise(tx.concat_str(tx.lit(" closed on "), when)),
    ... )
    >>> row = {"case_id": "C1", "closed": dt.date(2015, 3, 31)}
    >>> words.value(row)
    'case C1 closed on 31/03/2015'
    >>> pl.DataFrame([row]).select(words.expr()).item()
    'case C1 closed on 31/03/2015'
    >>> words.value({"case_id": "C2", "closed": None})
    'case C2 is open'
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Final, NoReturn

import attrs
import polars as pl

from earlyhelp.errors import ArgumentError, InternalError

__all__ = [
    "UK_DATE",
    "Constant",
    "Row",
    "Text",
    "Then",
    "When",
    "coalesce",
    "col",
    "concat_str",
    "lit",
    "render",
    "signed",
    "spelled",
    "when",
]

Row = Mapping[str, object]
"""One evidence row, its columns' values by name (as polars' ``iter_rows(named=True)`` gives)."""

UK_DATE: Final = "%d/%m/%Y"
"""The format of :func:`earlyhelp.periods.uk_date`, as polars' ``strftime`` takes it."""

Constant = str | int | bool | dt.date | None
"""A value :func:`lit` holds, text, a whole number, true or false, a date, or null."""


class Text:
    """A value read from an evidence row: one declaration, a polars and a Python evaluator.

    Build one with :func:`col`, :func:`lit`, :func:`concat_str`, :func:`when`,
    :func:`coalesce`, :func:`signed` and :func:`spelled`, and the methods below;
    the comparison operators (``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=``) and
    ``&``, ``|``, ``~`` give conditions, as polars' do. Compare numbers and dates
    in order, and codes and text for equality only: polars orders an ``Enum``
    column by its categories, Python orders text by its characters.
    """

    __slots__ = ()

    def expr(self) -> pl.Expr:
        """The polars expression, evaluated over a whole evidence frame."""
        raise NotImplementedError  # pragma: no cover - every node defines it

    def value(self, row: Row) -> object:
        """The value on one evidence row (``None`` where polars gives null)."""
        raise NotImplementedError  # pragma: no cover - every node defines it

    def __bool__(self) -> NoReturn:
        msg = "a Text is a declaration: compare it with .value(row), not in an if"
        raise InternalError(msg)

    __hash__ = object.__hash__

    def __eq__(self, other: object) -> Text:  # type: ignore[override]
        return _Compare("==", self, _text(other))

    def __ne__(self, other: object) -> Text:  # type: ignore[override]
        return _Compare("!=", self, _text(other))

    def __lt__(self, other: object) -> Text:
        return _Compare("<", self, _text(other))

    def __le__(self, other: object) -> Text:
        return _Compare("<=", self, _text(other))

    def __gt__(self, other: object) -> Text:
        return _Compare(">", self, _text(other))

    def __ge__(self, other: object) -> Text:
        return _Compare(">=", self, _text(other))

    def __and__(self, other: object) -> Text:
        return _Logic("&", self, _text(other))

    def __or__(self, other: object) -> Text:
        return _Logic("|", self, _text(other))

    def __invert__(self) -> Text:
        return _Not(self)

    def is_null(self) -> Text:
        """Whether the value is null (never null itself)."""
        return _IsNull(self, negate=False)

    def is_not_null(self) -> Text:
        """Whether the value is not null (never null itself)."""
        return _IsNull(self, negate=True)

    def fill_null(self, value: Text | Constant) -> Text:
        """The value, or ``value`` where it is null."""
        return _Coalesce((self, _text(value)))

    def cast(self, dtype: type[pl.String] | pl.String) -> Text:
        """The value as text, as polars casts it (only ``pl.String`` is supported)."""
        if dtype != pl.String:
            msg = f"a Text casts to pl.String only, not {dtype}"
            raise InternalError(msg)
        return _Str(self)

    def strftime(self, format: str) -> Text:
        """A date in words, e.g. ``"%d/%m/%Y"`` or ``"%B %Y"`` (``%d``, ``%m``, ``%Y``, ``%B``)."""
        return _Strftime(self, format)

    def uk_date(self) -> Text:
        """A date as :func:`earlyhelp.periods.uk_date` writes it: ``30/11/2014``."""
        return _Strftime(self, UK_DATE)

    def contains(self, literal: str) -> Text:
        """Whether the text holds ``literal`` (a plain substring, not a pattern)."""
        return _Contains(self, literal)


def _text(value: object) -> Text:
    if isinstance(value, Text):
        return value
    if value is None or isinstance(value, str | int | bool | dt.date):
        return _Lit(value)
    msg = f"a Text cannot hold a {type(value).__name__}"
    raise InternalError(msg)


def _as_text(value: object) -> str | None:
    """A value as polars casts it to String."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    msg = f"a Text reads a {type(value).__name__} as text only through polars"
    raise InternalError(msg)


def col(name: str) -> Text:
    """The evidence column ``name``.

    Example:
        >>> col("referral_id").value({"referral_id": "R-7"})
        'R-7'
    """
    return _Col(name)


def lit(value: Constant) -> Text:
    """A constant: text, a whole number, true or false, a date, or null.

    Example:
        >>> lit(3).cast(pl.String).value({})
        '3'
    """
    return _Lit(value)


def concat_str(*parts: Text | str) -> Text:
    """The parts joined, each as text (text given as ``str`` is a literal); null if any is null.

    Example:
        >>> words = concat_str("referral ", col("referral_id"), " on ", col("day"))
        >>> words.value({"referral_id": "R-7", "day": dt.date(2014, 6, 2)})
        'referral R-7 on 2014-06-02'
        >>> words.value({"referral_id": None, "day": dt.date(2014, 6, 2)}) is None
        True
    """
    return _Concat(tuple(_text(part) for part in parts))


def coalesce(*parts: Text | Constant) -> Text:
    """The first part that is not null.

    Example:
        >>> coalesce(col("closed"), col("opened")).value({"closed": None, "opened": "C-1"})
        'C-1'
    """
    return _Coalesce(tuple(_text(part) for part in parts))


def when(condition: Text) -> When:
    """Start a choice: ``when(c).then(a).when(d).then(b).otherwise(e)``, as polars'.

    Without ``otherwise``, the choice is null where no condition holds. A null
    condition does not hold.

    Example:
        >>> days = when(col("days") == 1).then(" day").otherwise(" days")
        >>> days.value({"days": 1}), days.value({"days": 3}), days.value({"days": None})
        (' day', ' days', ' days')
    """
    return When((), condition)


def signed(number: Text) -> Text:
    """A whole number with its sign: ``+2``, ``0``, ``-1`` (null stays null).

    Example:
        >>> [signed(col("total")).value({"total": n}) for n in (2, 0, -1, None)]
        ['+2', '0', '-1', None]
    """
    return _Signed(number)


def spelled(code: Text, words: Mapping[str, str], default: str | None = None) -> Text:
    """A code in words, from a handful of codes; a null or any other code gives ``default``.

    Example:
        >>> kind = spelled(col("kind"), {"cin": "child in need"}, "episode")
        >>> kind.value({"kind": "cin"}), kind.value({"kind": "cp"}), kind.value({"kind": None})
        ('child in need', 'episode', 'episode')
    """
    return _Spelled(code, tuple(words.items()), default)


# --------------------------------------------------------------------------- the nodes


@attrs.frozen(eq=False)
class _Col(Text):
    name: str

    def expr(self) -> pl.Expr:
        return pl.col(self.name)

    def value(self, row: Row) -> object:
        try:
            return row[self.name]
        except KeyError:
            msg = f"the words read column {self.name!r}, which the evidence does not have"
            raise ArgumentError(msg) from None


@attrs.frozen(eq=False)
class _Lit(Text):
    constant: Constant

    def expr(self) -> pl.Expr:
        if self.constant is None:  # a text's null, so it joins and compares as text
            return pl.lit(None, pl.String)
        return pl.lit(self.constant)

    def value(self, row: Row) -> object:
        return self.constant


@attrs.frozen(eq=False)
class _Concat(Text):
    parts: tuple[Text, ...]

    def expr(self) -> pl.Expr:
        return pl.concat_str([part.expr() for part in self.parts])  # it casts each to text

    def value(self, row: Row) -> object:
        found = []
        for part in self.parts:
            text = _as_text(part.value(row))
            if text is None:
                return None
            found.append(text)
        return "".join(found)


@attrs.frozen(eq=False)
class _Str(Text):
    part: Text

    def expr(self) -> pl.Expr:
        if isinstance(self.part, _Lit) and isinstance(self.part.constant, str):
            return self.part.expr()
        return self.part.expr().cast(pl.String)

    def value(self, row: Row) -> object:
        return _as_text(self.part.value(row))


_MONTHS: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
"""Month names as polars (chrono) writes ``%B``, whatever the locale."""
_DIRECTIVE: Final = re.compile(r"%(.)")
_FORMATS: Final[dict[str, Callable[[dt.date], str]]] = {
    "d": lambda day: f"{day.day:02d}",
    "m": lambda day: f"{day.month:02d}",
    "Y": lambda day: f"{day.year:04d}",
    "B": lambda day: _MONTHS[day.month - 1],
    "%": lambda _day: "%",
}


@attrs.frozen(eq=False)
class _Strftime(Text):
    part: Text
    pattern: str = attrs.field()

    @pattern.validator
    def _supported(self, _attribute: object, pattern: str) -> None:
        unknown = sorted(set(_DIRECTIVE.findall(pattern)) - set(_FORMATS))
        if unknown:
            msg = f"date format {pattern!r}: only %d, %m, %Y and %B are supported, not {unknown}"
            raise InternalError(msg)

    def expr(self) -> pl.Expr:
        return self.part.expr().dt.strftime(self.pattern)

    def value(self, row: Row) -> object:
        day = self.part.value(row)
        if day is None:
            return None
        if not isinstance(day, dt.date):
            msg = f"strftime reads a date, not a {type(day).__name__}"
            raise InternalError(msg)
        return _DIRECTIVE.sub(lambda found: _FORMATS[found.group(1)](day), self.pattern)


@attrs.frozen(eq=False)
class _Coalesce(Text):
    parts: tuple[Text, ...]

    def expr(self) -> pl.Expr:
        return pl.coalesce([part.expr() for part in self.parts])

    def value(self, row: Row) -> object:
        for part in self.parts:
            found = part.value(row)
            if found is not None:
                return found
        return None


_COMPARE: Final[dict[str, Callable[[pl.Expr, pl.Expr], pl.Expr]]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}
_COMPARE_VALUES: Final[dict[str, Callable[[object, object], bool]]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,  # type: ignore[operator]
    "<=": lambda a, b: a <= b,  # type: ignore[operator]
    ">": lambda a, b: a > b,  # type: ignore[operator]
    ">=": lambda a, b: a >= b,  # type: ignore[operator]
}


def _side(part: Text) -> pl.Expr:
    # a constant compared with a column stays a plain Python value, which polars takes
    # in the column's type (so an Enum column compares with a code by its name)
    if isinstance(part, _Lit) and part.constant is not None:
        return part.constant  # type: ignore[return-value]
    return part.expr()


@attrs.frozen(eq=False)
class _Compare(Text):
    op: str
    left: Text
    right: Text

    def expr(self) -> pl.Expr:
        return _COMPARE[self.op](self.left.expr(), _side(self.right))

    def value(self, row: Row) -> object:
        left, right = self.left.value(row), self.right.value(row)
        if left is None or right is None:
            return None
        return _COMPARE_VALUES[self.op](left, right)


@attrs.frozen(eq=False)
class _Logic(Text):
    op: str
    left: Text
    right: Text

    def expr(self) -> pl.Expr:
        left, right = self.left.expr(), self.right.expr()
        return left & right if self.op == "&" else left | right

    def value(self, row: Row) -> object:
        left, right = self.left.value(row), self.right.value(row)
        decisive = self.op == "|"  # the value that settles it: true for |, false for &
        if left is decisive or right is decisive:
            return decisive
        if left is None or right is None:
            return None
        return not decisive


@attrs.frozen(eq=False)
class _Not(Text):
    part: Text

    def expr(self) -> pl.Expr:
        return ~self.part.expr()

    def value(self, row: Row) -> object:
        found = self.part.value(row)
        return None if found is None else not found


@attrs.frozen(eq=False)
class _IsNull(Text):
    part: Text
    negate: bool

    def expr(self) -> pl.Expr:
        return self.part.expr().is_not_null() if self.negate else self.part.expr().is_null()

    def value(self, row: Row) -> object:
        return (self.part.value(row) is None) is not self.negate


@attrs.frozen(eq=False)
class _Contains(Text):
    part: Text
    literal: str

    def expr(self) -> pl.Expr:
        return self.part.expr().str.contains(self.literal, literal=True)

    def value(self, row: Row) -> object:
        found = self.part.value(row)
        return None if found is None else self.literal in str(found)


@attrs.frozen(eq=False)
class _Choose(Text):
    cases: tuple[tuple[Text, Text], ...]
    fallback: Text

    def expr(self) -> pl.Expr:
        found = self.fallback.expr()
        for condition, result in reversed(self.cases):  # the first case is tested first
            found = pl.when(condition.expr()).then(result.expr()).otherwise(found)
        return found

    def value(self, row: Row) -> object:
        for condition, result in self.cases:
            if condition.value(row) is True:
                return result.value(row)
        return self.fallback.value(row)


@attrs.frozen(eq=False)
class Then(_Choose):
    """A choice with no ``otherwise`` yet (null where no condition holds)."""

    def when(self, condition: Text) -> When:
        """Add a condition, tested if the earlier ones do not hold."""
        return When(self.cases, condition)

    def otherwise(self, value: Text | Constant) -> Text:
        """The value where no condition holds."""
        return _Choose(self.cases, _text(value))


@attrs.frozen(eq=False)
class When:
    """A condition waiting for its ``then``."""

    cases: tuple[tuple[Text, Text], ...]
    condition: Text

    def then(self, value: Text | Constant) -> Then:
        """The value where the condition holds."""
        return Then((*self.cases, (self.condition, _text(value))), _Lit(None))


@attrs.frozen(eq=False)
class _Signed(Text):
    part: Text

    def expr(self) -> pl.Expr:
        number = self.part.expr()
        plus = pl.when(number > 0).then(pl.lit("+", pl.String)).otherwise(pl.lit("", pl.String))
        return plus + number.cast(pl.String)

    def value(self, row: Row) -> object:
        number = self.part.value(row)
        if number is None:
            return None
        if not isinstance(number, int) or isinstance(number, bool):
            msg = f"signed reads a whole number, not a {type(number).__name__}"
            raise InternalError(msg)
        return f"+{number}" if number > 0 else str(number)


@attrs.frozen(eq=False)
class _Spelled(Text):
    part: Text
    words: tuple[tuple[str, str], ...]
    default: str | None

    def expr(self) -> pl.Expr:
        # when/then on a handful of codes: on the few rows of a per-record call the
        # table replace_strict builds each time costs more than the comparisons
        text = self.part.expr().cast(pl.String)
        found = pl.lit(self.default, pl.String)
        for code, word in reversed(self.words):  # the first code listed is tested first
            found = pl.when(text == code).then(pl.lit(word, pl.String)).otherwise(found)
        return found

    def value(self, row: Row) -> object:
        code = _as_text(self.part.value(row))
        return dict(self.words).get(code, self.default) if code is not None else self.default


def render(part: Text, row: Row) -> str | None:
    """A part's value on one row, as text (or null): what a per-record decision reads.

    Example:
        >>> render(col("scales"), {"scales": 4})
        '4'
    """
    found = part.value(row)
    if found is None or isinstance(found, str):
        return found
    return _as_text(found)
