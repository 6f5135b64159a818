"""How a column's text becomes a typed value, in bulk.

Each column kind has one parsing expression (:func:`parse_expr`). Before parsing,
one pass over the table (:func:`survey`) learns what each column needs:

* dates, codes and yes/no answers have few distinct values even in millions of
  rows, so each distinct text is parsed once and the column is mapped through
  the result;
* identifiers and text are trimmed only if some value has surrounding spaces;
* a key is checked row by row for duplicates only if its hashes are not all
  distinct, or if its text may change when read (trimmed, or a date or code).
"""

from __future__ import annotations

from typing import Any, Final

import attrs
import polars as pl

from earlyhelp.io._schema import Column, Kind
from earlyhelp.model._base import WHITESPACE
from earlyhelp.periods._periods import FIRST_DAY, LAST_DAY

__all__ = ["ColumnPlan", "expected_text", "parse_expr", "survey", "trimmed"]

_TRUE: Final = ("yes", "y", "true", "t", "1")
_FALSE: Final = ("no", "n", "false", "f", "0")
_ISO_DATETIME: Final = (
    r"^\d{4}-\d{1,2}-\d{1,2}[ T]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$"
)
_MAPPED: Final = (Kind.DATE, Kind.CODE, Kind.BOOL)
_SPACE_CLASS: Final = "[" + "".join(f"\\x{{{ord(c):X}}}" for c in WHITESPACE) + "]"
_EDGE: Final = f"^{_SPACE_CLASS}|{_SPACE_CLASS}$"


def trimmed(source: pl.Expr) -> pl.Expr:
    """Text with surrounding whitespace removed, and blank text as null.

    Whitespace is :data:`earlyhelp.model._base.WHITESPACE`, the characters an
    id may not start or end with, so a trimmed id is always a valid one.
    """
    text = source.str.strip_chars(WHITESPACE)
    return pl.when(text.str.len_bytes() > 0).then(text)


def parse_expr(column: Column, text: pl.Expr) -> pl.Expr:
    """The typed value of trimmed ``text`` for ``column``; null where it cannot be read."""
    if column.kind is Kind.DATE:
        iso_part = (
            pl.when(text.str.len_bytes() > 10)
            .then(pl.when(text.str.contains(_ISO_DATETIME)).then(text.str.slice(0, 10)))
            .otherwise(text)
        )
        parsed = pl.coalesce(
            iso_part.str.to_date("%Y-%m-%d", strict=False),
            text.str.to_date("%d/%m/%Y", strict=False),
        )
        # Only days in the financial years the library handles, so that every
        # accepted date can become a record and falls in a period.
        return pl.when(parsed.is_between(FIRST_DAY, LAST_DAY)).then(parsed)
    if column.kind is Kind.INT:
        parsed = text.cast(pl.Int64, strict=False)
        low = pl.lit(True) if column.minimum is None else parsed >= column.minimum
        high = pl.lit(True) if column.maximum is None else parsed <= column.maximum
        return pl.when(low & high).then(parsed)
    if column.kind is Kind.BOOL:
        folded = text.str.to_lowercase()
        return (
            pl.when(folded.is_in(_TRUE))
            .then(pl.lit(True))
            .when(folded.is_in(_FALSE))
            .then(pl.lit(False))
        )
    if column.kind is Kind.CODE:
        key = text.str.to_lowercase().str.replace_all(r"[^0-9a-z]+", "_").str.strip_chars("_")
        return pl.when(key.is_in(column.codes)).then(key)
    return text


def expected_text(column: Column) -> str:
    """What a readable value of ``column`` looks like; empty for free text and ids."""
    if column.kind is Kind.DATE:
        return f"expected a date as YYYY-MM-DD or DD/MM/YYYY, from {FIRST_DAY} to {LAST_DAY}"
    if column.kind is Kind.INT:
        if column.minimum is not None and column.maximum is not None:
            return f"expected a whole number from {column.minimum} to {column.maximum}"
        if column.minimum is not None:
            return f"expected a whole number of {column.minimum} or more"
        if column.maximum is not None:
            return f"expected a whole number of {column.maximum} or less"
        return "expected a whole number"
    if column.kind is Kind.BOOL:
        return "expected yes or no"
    if column.kind is Kind.CODE:
        return f"expected one of {', '.join(column.codes)}"
    return ""


@attrs.frozen
class ColumnPlan:
    """How to read one source column, decided by :func:`survey`.

    Attributes:
        text: the trimmed text (null where blank), or ``None`` when the column is
            mapped instead.
        mapped: for mapped columns, ``(typed value, invalid flag)``.
    """

    text: pl.Expr | None
    mapped: tuple[pl.Expr, pl.Expr] | None
    trims: bool = False
    """Whether the text is trimmed, so may differ from the source."""


def _text_probes(source: pl.Expr, name: str, whitespace: bool) -> list[pl.Expr]:
    # The column's minimum answers two questions at once: it is "" if any value
    # is blank, and it starts with a space or control character if any value
    # does (they sort before printable text). Other whitespace at either edge
    # needs a look at each value, and none at all when the source holds no
    # whitespace byte.
    probes = [source.min().alias(f"min:{name}")]
    if whitespace:
        probes.append(source.str.contains(_EDGE).any().alias(f"edge:{name}"))
    return probes


def _text_plan(source: pl.Expr, found: dict[str, Any], name: str) -> ColumnPlan:
    smallest = found[f"min:{name}"]
    blank = smallest == ""
    leading = isinstance(smallest, str) and not blank and smallest[0] <= " "
    edge = bool(found.get(f"edge:{name}"))
    if leading or edge:
        return ColumnPlan(trimmed(source), None, trims=True)
    if blank:
        return ColumnPlan(pl.when(source.str.len_bytes() > 0).then(source), None)
    return ColumnPlan(source, None)


def survey(
    frame: pl.DataFrame,
    columns: list[tuple[Column, str]],
    key: list[str],
    *,
    whitespace: bool = True,
) -> tuple[dict[str, ColumnPlan], bool]:
    """One pass over ``frame`` to plan how each column is read.

    Args:
        frame: the all-text source table.
        columns: each schema column present, with its source header.
        key: the source headers of the table's key columns (empty for no key).
        whitespace: whether the source may hold whitespace at all; when it
            cannot (see :class:`earlyhelp.io._readers.TextTable`), no column is
            checked for surrounding whitespace.

    Returns:
        A plan per schema column name, and whether the key may hold duplicates
        (false only when the raw keys are read as written and their hashes are all
        distinct, which proves them unique).
    """
    probes: list[pl.Expr] = []
    for column, header in columns:
        source = pl.col(header)
        if column.kind in _MAPPED:
            probes.append(source.unique().implode().alias(f"distinct:{column.name}"))
        else:
            probes += _text_probes(source, column.name, whitespace)
    if key:
        raw = pl.col(key[0]) if len(key) == 1 else pl.struct(key)
        probes.append((raw.hash().n_unique() < pl.len()).alias("key:maybe-duplicated"))
    found = frame.select(probes).row(0, named=True) if probes else {}
    plans: dict[str, ColumnPlan] = {}
    for column, header in columns:
        source = pl.col(header)
        if column.kind in _MAPPED:
            plans[column.name] = ColumnPlan(None, _mapping(column, source, found))
        else:
            plans[column.name] = _text_plan(source, found, column.name)
    # A key whose text changes when read (trimmed, or parsed) may repeat even if
    # its raw hashes are all distinct.
    headers = {header: column for column, header in columns}
    rewritten = any(headers[h].kind in _MAPPED or plans[headers[h].name].trims for h in key)
    maybe_duplicated = bool(found.get("key:maybe-duplicated", False)) or rewritten
    return plans, maybe_duplicated


def _mapping(column: Column, source: pl.Expr, found: dict[str, object]) -> tuple[pl.Expr, pl.Expr]:
    distinct = found[f"distinct:{column.name}"]
    texts = pl.DataFrame({"text": distinct}, schema={"text": pl.String}).drop_nulls()
    text = trimmed(pl.col("text"))
    parsed = parse_expr(column, text)
    table = texts.select(
        pl.col("text"),
        parsed.cast(column.dtype).alias("parsed"),
        (text.is_not_null() & parsed.is_null()).alias("invalid"),
    )
    known = table.filter(pl.col("parsed").is_not_null())
    if not table.get_column("invalid").any() and known.height == table.height:
        # Every text present is already in canonical form: read it directly.
        if column.kind is Kind.CODE and (known["text"] == known["parsed"]).all():
            return source, pl.lit(False)
        if (
            column.kind is Kind.DATE
            and known["text"].str.contains(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$").all()
        ):
            return source.str.to_date("%Y-%m-%d", strict=False), pl.lit(False)
    typed = source.replace_strict(
        table.get_column("text"),
        table.get_column("parsed"),
        default=None,
        return_dtype=column.dtype,
    )
    invalid_texts = table.filter("invalid").get_column("text")
    invalid = (
        source.is_in(invalid_texts.implode()).fill_null(False)
        if invalid_texts.len()
        else pl.lit(False)
    )
    return typed, invalid
