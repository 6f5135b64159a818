"""How a column's text becomes a typed value, in bulk.

Each column kind has one parsing expression (:func:`parse_expr`). Before parsing,
one pass over the table (:func:`survey`) learns what each column needs:

* dates, codes and yes/no answers have few distinct values even in millions of
  rows, so each distinct text is parsed once and the column is mapped through
  the result;
* identifiers and text are trimmed only if some value has surrounding spaces
  (and ``NULL`` written as text, as SQL Server exports write it, is missing);
* a key is checked row by row for duplicates only if its hashes are not all
  distinct, or if its text may change when read (trimmed, or a date or code).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

import attrs
import polars as pl

from earlyhelp.io._schema import Column, Kind
from earlyhelp.model._base import WHITESPACE
from earlyhelp.periods._periods import FIRST_DAY, LAST_DAY

__all__ = [
    "NULL_TEXTS",
    "SENTINEL_DATE",
    "ColumnPlan",
    "clean_id",
    "code_shaped",
    "date_text",
    "expected_text",
    "parse_expr",
    "read_date",
    "survey",
    "trimmed",
]

_TRUE: Final = ("yes", "y", "true", "t", "1")
_FALSE: Final = ("no", "n", "false", "f", "0")
_ISO_DATETIME: Final = (
    r"^\d{4}-\d{1,2}-\d{1,2}[ T]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$"
)
_MAPPED: Final = (Kind.DATE, Kind.CODE, Kind.BOOL)
_SPACE_CLASS: Final = "[" + "".join(f"\\x{{{ord(c):X}}}" for c in WHITESPACE) + "]"
_EDGE: Final = f"^{_SPACE_CLASS}|{_SPACE_CLASS}$"

NULL_TEXTS: Final = ("NULL", "null", "Null")
"""Text that means a missing value: SQL Server and Oracle exports write ``NULL``."""

SENTINEL_DATE: Final = dt.date(1900, 1, 1)
"""SQL Server's placeholder for "no date" (a zero ``datetime``): read as missing."""

# A date followed by a time of day: the date part is the token before the space.
_WITH_TIME: Final = r"^(\S+)[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?( ?[AaPp][Mm])?$"


def trimmed(source: pl.Expr) -> pl.Expr:
    """Text with surrounding whitespace removed; blank text and ``NULL`` as null.

    Whitespace is :data:`earlyhelp.model._base.WHITESPACE`, the characters an
    id may not start or end with, so a trimmed id is always a valid one.

    Example:
        >>> values = pl.Series([" a ", "", " NULL", None, "\u00a0b\u2003"])
        >>> pl.select(trimmed(pl.lit(values))).to_series().to_list()
        ['a', None, None, None, 'b']
    """
    text = source.str.strip_chars(WHITESPACE)
    return pl.when((text.str.len_bytes() > 0) & ~text.is_in(NULL_TEXTS)).then(text)


# National codes are short: NFA, RC9, E4A, N1, 1A, 530. Only text of that shape is
# ever echoed in a message; anything else might be free text or a name.
_CODE_SHAPES: Final = r"^([A-Z]{1,4}|[A-Za-z]{1,3}[0-9]{1,3}[A-Za-z]?|[0-9]{1,3}[A-Za-z]?)$"


def code_shaped(text: pl.Expr) -> pl.Expr:
    """Whether a value is shaped like a code (``NFA``, ``RC9``, ``1A``), so safe to show.

    Messages name an unknown code only when it has this shape: a value typed into
    the wrong column may be personal data, and is never shown.

    Example:
        >>> values = pl.Series(["NFA", "RC9", "E4A", "1A", "530", "Step-up", "Smith", "0123456789"])
        >>> pl.select(code_shaped(pl.lit(values))).to_series().to_list()
        [True, True, True, True, True, False, False, False]
    """
    return text.str.contains(_CODE_SHAPES).fill_null(value=False)


def clean_id(source: pl.Expr, *, fold: bool = False) -> pl.Expr:
    """An identifier as ``earlyhelp`` keeps it: the one id-cleaning rule.

    Trimmed; blank or ``NULL`` is missing; a whole number that Excel wrote as a
    float (``"1042.0"``) loses its ``.0``; leading zeros are kept (ids are text,
    never numbers); and, where the profile says ids are case-insensitive
    (``fold``), lower-cased.

    Example:
        >>> ids = pl.Series([" C-1 ", "1042.0", "007", "007.00", "NULL", "AbC", "1.5"])
        >>> pl.select(clean_id(pl.lit(ids))).to_series().to_list()
        ['C-1', '1042', '007', '007', None, 'AbC', '1.5']
        >>> pl.select(clean_id(pl.lit(ids), fold=True)).to_series().to_list()[-2]
        'abc'
    """
    text = trimmed(source).str.replace(r"^([0-9]+)\.0+$", "$1")
    return text.str.to_lowercase() if fold else text


def read_date(source: pl.Expr) -> pl.Expr:
    """A date from text in any accepted form; null where missing, a placeholder or unreadable.

    Example:
        >>> texts = pl.Series(["13/05/2024 00:00", "NULL", "1900-01-01", "13-MAY-24", "x"])
        >>> pl.select(read_date(pl.lit(texts))).to_series().to_list()[::3]
        [datetime.date(2024, 5, 13), datetime.date(2024, 5, 13)]
    """
    parsed = _date_expr(trimmed(source))
    return pl.when(parsed != SENTINEL_DATE).then(parsed)


def date_text(source: pl.Expr) -> pl.Expr:
    """A date column as ISO text, for a reader that rebuilds tables before validation.

    Readable dates become ``YYYY-MM-DD``, missing ones (blank, ``NULL``, the
    1900-01-01 placeholder) null, and unreadable text is kept as written so that
    validation rejects it by row.

    Example:
        >>> texts = pl.Series(["13/05/2024 00:00", "NULL", "1900-01-01 00:00:00", "soon"])
        >>> pl.select(date_text(pl.lit(texts))).to_series().to_list()
        ['2024-05-13', None, None, 'soon']
    """
    text = trimmed(source)
    parsed = _date_expr(text)
    return (
        pl.when(parsed == SENTINEL_DATE)
        .then(pl.lit(None, dtype=pl.String))
        .when(parsed.is_not_null())
        .then(parsed.cast(pl.String))
        .otherwise(text)
    )


def _date_expr(text: pl.Expr) -> pl.Expr:
    """The date of ``text`` in any accepted form (ISO, UK, with a time, Oracle ``13-MAY-24``)."""
    iso_part = (
        pl.when(text.str.len_bytes() > 10)
        .then(pl.when(text.str.contains(_ISO_DATETIME)).then(text.str.slice(0, 10)))
        .otherwise(text)
    )
    # UK and Oracle forms may carry a time ("13/05/2024 00:00", "13-MAY-24 00:00:00").
    day = (
        pl.when(text.str.contains(_WITH_TIME)).then(text.str.extract(_WITH_TIME, 1)).otherwise(text)
    )
    short_year = day.str.contains(r"^\d{1,2}-[A-Za-z]{3}-\d{2}$")
    long_year = day.str.contains(r"^\d{1,2}-[A-Za-z]{3}-\d{4}$")
    return pl.coalesce(
        iso_part.str.to_date("%Y-%m-%d", strict=False),
        pl.when(day.str.contains(r"^\d{1,2}/\d{1,2}/\d{4}$")).then(
            day.str.to_date("%d/%m/%Y", strict=False)
        ),
        pl.when(short_year).then(day.str.to_date("%d-%b-%y", strict=False)),
        pl.when(long_year).then(day.str.to_date("%d-%b-%Y", strict=False)),
    )


def parse_expr(column: Column, text: pl.Expr) -> pl.Expr:
    """The typed value of trimmed ``text`` for ``column``; null where it cannot be read."""
    if column.kind is Kind.DATE:
        parsed = _date_expr(text)
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
        return (
            "expected a date as YYYY-MM-DD, DD/MM/YYYY or DD-MON-YY (a time may follow), "
            f"from {FIRST_DAY} to {LAST_DAY}"
        )
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
    source: pl.Expr | None = None
    """The raw source: for an identifier whose text is cleaned (to count changes), and
    for a code (to name an unknown code in its problem)."""


def _text_probes(source: pl.Expr, name: str, whitespace: bool) -> list[pl.Expr]:
    # The column's minimum answers two questions at once: it is "" if any value
    # is blank, and it starts with a space or control character if any value
    # does (they sort before printable text). Other whitespace at either edge
    # needs a look at each value, and none at all when the source holds no
    # whitespace byte.
    probes = [
        source.min().alias(f"min:{name}"),
        # Equality, not is_in: a byte comparison per value instead of a hash.
        pl.any_horizontal(*(source == text for text in NULL_TEXTS)).any().alias(f"null:{name}"),
    ]
    if whitespace:
        probes.append(source.str.contains(_EDGE).any().alias(f"edge:{name}"))
    return probes


def _excel_float(source: pl.Expr) -> pl.Expr:
    """Whether any id is a whole number written as a float (``7.0``, ``7.00``).

    Then :func:`clean_id` reads the column. Only values ending in 0 are matched
    against the pattern, as the full match on every value costs more (whitespace
    at the edges is its own probe).
    """
    zero_ended = source.filter(source.str.ends_with("0"))
    return zero_ended.str.contains(r"^[0-9]+\.0+$").any()


def _text_plan(
    source: pl.Expr, found: dict[str, Any], name: str, *, is_id: bool = False, fold: bool = False
) -> ColumnPlan:
    smallest = found[f"min:{name}"]
    blank = smallest == ""
    leading = isinstance(smallest, str) and not blank and smallest[0] <= " "
    edge = bool(found.get(f"edge:{name}"))
    nulls = bool(found.get(f"null:{name}"))
    if is_id and (leading or edge or nulls or fold or bool(found.get(f"float:{name}"))):
        return ColumnPlan(clean_id(source, fold=fold), None, trims=True, source=source)
    if leading or edge or nulls:
        return ColumnPlan(trimmed(source), None, trims=True)
    if blank:  # a blank id is missing, and counted as cleaned, as clean_id would
        return ColumnPlan(
            pl.when(source.str.len_bytes() > 0).then(source), None, source=source if is_id else None
        )
    return ColumnPlan(source, None)


def survey(
    frame: pl.DataFrame,
    columns: list[tuple[Column, str]],
    key: list[str],
    *,
    whitespace: bool = True,
    fold_ids: bool = False,
) -> tuple[dict[str, ColumnPlan], bool]:
    """One pass over ``frame`` to plan how each column is read.

    Args:
        frame: the all-text source table.
        columns: each schema column present, with its source header.
        key: the source headers of the table's key columns (empty for no key).
        whitespace: whether the source may hold whitespace at all; when it
            cannot (see :class:`earlyhelp.io._readers.TextTable`), no column is
            checked for surrounding whitespace.
        fold_ids: whether identifiers are case-insensitive (lower-cased when read).

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
            if column.kind is Kind.ID:
                probes.append(_excel_float(source).alias(f"float:{column.name}"))
    kinds = {header: column.kind for column, header in columns}
    if key and not any(kinds[header] in _MAPPED for header in key):
        # A key with a date or code in it is checked for duplicates row by row
        # whatever its raw hashes say (see below): hashing it here too cost the
        # spider readings 0.5 CPU s at 1M cases.
        raw = pl.col(key[0]) if len(key) == 1 else pl.struct(key)
        probes.append((raw.hash().n_unique() < pl.len()).alias("key:maybe-duplicated"))
    found = frame.select(probes).row(0, named=True) if probes else {}
    plans: dict[str, ColumnPlan] = {}
    for column, header in columns:
        source = pl.col(header)
        if column.kind in _MAPPED:
            original = source if column.kind is Kind.CODE else None
            plans[column.name] = ColumnPlan(None, _mapping(column, source, found), source=original)
        else:
            is_id = column.kind is Kind.ID
            plans[column.name] = _text_plan(
                source, found, column.name, is_id=is_id, fold=fold_ids and is_id
            )
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
    invalid = text.is_not_null() & parsed.is_null()
    if column.kind is Kind.DATE:  # the SQL Server placeholder is no date, not a bad one
        invalid = invalid & (_date_expr(text) != SENTINEL_DATE).fill_null(value=True)
    table = texts.select(
        pl.col("text"),
        parsed.cast(column.dtype).alias("parsed"),
        invalid.alias("invalid"),
    )
    known = table.filter(pl.col("parsed").is_not_null())
    if (
        not table.get_column("invalid").any() and known.height == table.height
    ):  # no NULL, no sentinel
        # Every text present is already in canonical form: read it directly.
        if column.kind is Kind.CODE and (known["text"] == known["parsed"]).all():
            return source.cast(column.dtype), pl.lit(False)
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
