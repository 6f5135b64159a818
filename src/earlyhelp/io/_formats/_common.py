"""What every format reader shares: its result, and the profile mapping applied to a table."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import attrs
import polars as pl

from earlyhelp.errors import LoadError
from earlyhelp.io._parsing import trimmed
from earlyhelp.io._readers import TextTable, clean_name, decode_text
from earlyhelp.io._schema import TableSchema, normalise_name
from earlyhelp.profiles._mapping import MappingSpec, fold_key

__all__ = ["Gathered", "apply_mapping", "crosswalk", "csv_headers", "text_column"]

_HEAD_BYTES: Final = 1 << 16
"""How much of a file is read to find its header row (a multiple of 4: whole UTF-32 characters)."""


@attrs.frozen(kw_only=True)
class Gathered:
    """The input tables a format reader found, before validation.

    Attributes:
        sources: table name -> where to read it: a path, ``(path, sheet)`` or an
            all-text polars frame with ``earlyhelp``'s (or the source's) headers.
        ignored: files or sheets no reader recognised.
        notes: what the load report should say about the source (format,
            version, variant, codes mapped, rows removed as duplicates).
        formats: the formats recognised.
    """

    sources: dict[str, Any] = attrs.field(factory=dict)
    ignored: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()


def csv_headers(path: Path) -> list[str]:
    """A CSV file's header names, read from its first line only (empty if not a CSV file).

    Used to recognise a format by its headers without reading the file. The
    encoding is detected as :func:`~earlyhelp.io._readers.decode_text` does (a
    byte order mark, UTF-16/32 with or without one, UTF-8, Windows-1252).
    """
    if path.suffix.lower() not in (".csv", ".txt") or not path.is_file():
        return []
    with path.open("rb") as file:
        head = file.read(_HEAD_BYTES)
    try:  # the encoding is detected as for reading: a UTF-16/32 file is recognised too
        text, _ = decode_text(head, where=clean_name(path.name))
    except LoadError:
        return []
    if text is None:
        text = head.decode("utf-8")
    first = next(csv.reader(io.StringIO(text, newline="")), [])
    return [name.strip() for name in first]


def text_column(frame: pl.DataFrame, name: str) -> pl.Expr:
    """A source column's trimmed text, or null where the source lacks it (an optional field).

    Example:
        >>> frame = pl.DataFrame({"a": [" x ", "NULL"]})
        >>> frame.select(text_column(frame, "a"), text_column(frame, "b")).rows()
        [('x', None), (None, None)]
    """
    if name in frame.columns:
        return trimmed(pl.col(name))
    return pl.lit(None, dtype=pl.String).alias(name)


def crosswalk(source: pl.Expr, table: Mapping[str, str]) -> pl.Expr:
    """``source`` with each local code replaced by its canonical code (matched folded).

    Values not in ``table`` are kept as written.

    Example:
        >>> frame = pl.DataFrame({"r": ["Step-up", " NFA", "outcomes_met", None]})
        >>> frame.select(crosswalk(pl.col("r"), {"step-up": "escalated_to_social_care",
        ...     "nfa": "other"})).to_series().to_list()
        ['escalated_to_social_care', 'other', 'outcomes_met', None]
    """
    if not table:
        return source
    folded = source.str.strip_chars().str.to_lowercase().str.replace_all(r"\s+", " ")
    keys = list(table)
    return (
        pl.when(folded.is_in(keys))
        .then(folded.replace_strict(keys, [table[k] for k in keys], default=None))
        .otherwise(source)
    )


def apply_mapping(table: TextTable, schema: TableSchema, mapping: MappingSpec) -> TextTable:
    """Apply the profile's header aliases, code crosswalks and defaults to one table as read.

    Headers are renamed in place (a column already named as an alias's target
    is left out, so the alias wins), local codes replaced by canonical ones, and
    each default fills its column's blanks, or becomes a column of its own.

    Example:
        >>> from earlyhelp.io._readers import read_text
        >>> from earlyhelp.io._tables import SCHEMAS
        >>> spec = MappingSpec(columns={"cases": {"case ref": "episode_id"}},
        ...     codes={"cases": {"closure_reason": {"step-up": "escalated_to_social_care"}}},
        ...     defaults={"cases": {"level_of_need": "2"}})
        >>> read = read_text(pl.DataFrame({"Case Ref": ["C1"], "closure reason": ["Step-up"]}))
        >>> out = apply_mapping(read, SCHEMAS["cases"], spec)
        >>> out.headers, out.frame.rows()
        (('episode_id', 'closure reason', 'level_of_need'), [('C1', 'escalated_to_social_care', '2')])
    """
    declared = {column.name for column in schema.columns}
    aliases = mapping.columns.get(schema.name, {})
    for part, names in (
        ("columns", set(aliases.values())),
        ("codes", set(mapping.codes.get(schema.name, {}))),
        ("defaults", set(mapping.defaults.get(schema.name, {}))),
    ):
        unknown = sorted(names - declared)
        if unknown:
            msg = (
                f"profile [mapping.{part}.{schema.name}] names column(s) {', '.join(unknown)}; "
                f"table {schema.name} has {', '.join(sorted(declared))}"
            )
            raise LoadError(msg)
    codes = mapping.codes.get(schema.name, {})
    defaults = mapping.defaults.get(schema.name, {})
    if not (aliases or codes or defaults):
        return table
    renamed = [aliases.get(fold_key(header), header) for header in table.headers]
    targets = {new for old, new in zip(table.headers, renamed, strict=True) if new != old}
    keep = [
        i
        for i, (old, new) in enumerate(zip(table.headers, renamed, strict=True))
        if not (new == old and old in targets)
    ]
    frame = table.frame.select(pl.col(f"c{i}").alias(f"c{n}") for n, i in enumerate(keep))
    headers = [renamed[i] for i in keep]
    unreadable = frozenset(n for n, i in enumerate(keep) if i in table.unreadable)
    lookup: dict[str, str] = {}
    for column in schema.columns:
        for name in (column.name, *column.aliases):
            lookup.setdefault(normalise_name(name), column.name)
    by_column: dict[str, str] = {}
    for position, header in enumerate(headers):
        by_column.setdefault(lookup.get(normalise_name(header), ""), f"c{position}")
    changes = [
        crosswalk(pl.col(by_column[column]), codes_of).alias(by_column[column])
        for column, codes_of in codes.items()
        if column in by_column
    ]
    for target, value in defaults.items():
        if target in by_column:
            name = by_column[target]
            blank = trimmed(pl.col(name)).is_null()
            changes.append(pl.when(blank).then(pl.lit(value)).otherwise(pl.col(name)).alias(name))
        else:
            changes.append(pl.lit(value, dtype=pl.String).alias(f"c{len(headers)}"))
            headers.append(target)
    return attrs.evolve(
        table,
        frame=frame.with_columns(changes) if changes else frame,
        headers=tuple(headers),
        unreadable=unreadable,
    )
