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
from earlyhelp.io._readers import TextTable, clean_name, decode_text, read_text
from earlyhelp.io._report import PROBLEM_SCHEMA
from earlyhelp.io._schema import TableSchema, normalise_name
from earlyhelp.io._validate import RAGGED_FIELD
from earlyhelp.profiles._mapping import MappingSpec, fold_key

__all__ = [
    "SOURCE_ROW",
    "Gathered",
    "SourceFrame",
    "apply_mapping",
    "crosswalk",
    "csv_headers",
    "read_source",
    "rejected_rows",
    "route_rejected",
    "source_row",
    "text_column",
]

SOURCE_ROW: Final = "__earlyhelp_source_row__"
"""The column of a format reader's frame that holds each row's number in its source file.

A reader keeps it in a table it builds row for row from one source file, so the
load report names rows as the file numbers them; :class:`Dataset` takes it out.
"""

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
    rejected: dict[str, pl.DataFrame] = attrs.field(factory=dict)
    """Source rows rejected before the reader used them (more or fewer fields than
    the header), by the table they would have gone into; ``row``, ``field``,
    ``code`` and ``message`` as in a load report's problems."""


@attrs.frozen(kw_only=True)
class SourceFrame:
    """A source file as a format reader uses it.

    Attributes:
        frame: all text, named by the file's headers, with :data:`SOURCE_ROW`.
        rejected: the rows left out because they have more or fewer fields
            than the header, as load-report problems naming the file.
    """

    frame: pl.DataFrame
    rejected: pl.DataFrame


def read_source(source: Any, *, sheet: str | None = None) -> SourceFrame:
    """Read one source file (or sheet or frame) for a format reader, ragged rows aside.

    A row with more or fewer fields than the header is left out and returned as
    a rejection, so the rest of the file loads; the reader passes it on to the
    load report (see :attr:`Gathered.rejected`).

    Raises:
        LoadError: as :func:`~earlyhelp.io._readers.read_text`; or two columns
            with one header.

    Example:
        >>> read = read_source(pl.DataFrame({"CHILD": ["A", "B"]}))
        >>> read.frame.rows(), read.rejected.height
        ([('A', 1), ('B', 2)], 0)
    """
    table = read_text(source, sheet=sheet)
    if len(set(table.headers)) < len(table.headers):
        msg = f"{table.where}: two columns have one header; expected each header once"
        raise LoadError(msg)
    rows = (
        pl.int_range(1, table.frame.height + 1, dtype=pl.Int64, eager=True)
        if table.rows is None
        else table.rows.cast(pl.Int64)
    )
    frame = table.frame.rename(dict(zip(table.frame.columns, table.headers, strict=True)))
    width = len(table.headers)
    where = table.where if sheet is None else f"{table.where}[{clean_name(sheet)}]"
    rejected = pl.DataFrame(
        {
            "row": [row for row, _ in table.ragged],
            "field": [RAGGED_FIELD] * len(table.ragged),
            "code": ["ragged-row"] * len(table.ragged),
            "message": [
                f"{where}: has {fields} field{'s' if fields != 1 else ''}; "
                f"expected {width} as in the header"
                for _, fields in table.ragged
            ],
        },
        schema=PROBLEM_SCHEMA,
    )
    return SourceFrame(frame=frame.with_columns(rows.alias(SOURCE_ROW)), rejected=rejected)


def rejected_rows(*frames: pl.DataFrame | None) -> pl.DataFrame:
    """Rejections of several sources as one frame (for :attr:`Gathered.rejected`)."""
    present = [frame for frame in frames if frame is not None and frame.height]
    return pl.concat(present) if present else pl.DataFrame(schema=PROBLEM_SCHEMA)


def route_rejected(
    rejected: Mapping[str, pl.DataFrame],
    destination: Mapping[str, str],
    built: Mapping[str, Any],
) -> tuple[dict[str, pl.DataFrame], list[str]]:
    """Send each source's rejected rows to the table it feeds, or to a note if none was built.

    Args:
        rejected: each source's rejected rows (see :func:`read_source`).
        destination: source -> the table its rows go into.
        built: the tables the reader built.

    Returns:
        The rejections by table (for :attr:`Gathered.rejected`), and notes for
        rows of sources whose table was not built.
    """
    by_table: dict[str, list[pl.DataFrame]] = {}
    notes: list[str] = []
    for source, frame in rejected.items():
        if not frame.height:
            continue
        table = destination.get(source)
        if table is not None and table in built:
            by_table.setdefault(table, []).append(frame)
        else:
            notes.append(
                f"{source}: {frame.height:,} row(s) with more or fewer fields than the "
                "header left out"
            )
    return {table: rejected_rows(*frames) for table, frames in by_table.items()}, notes


def source_row(frame: pl.DataFrame) -> list[pl.Expr]:
    """:data:`SOURCE_ROW`, to keep in a table built row for row from ``frame`` (if it has it)."""
    return [pl.col(SOURCE_ROW)] if SOURCE_ROW in frame.columns else []


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
    # A column of codes may have been read as Categorical: mapped, it is text again.
    changes = [
        crosswalk(pl.col(by_column[column]).cast(pl.String), codes_of).alias(by_column[column])
        for column, codes_of in codes.items()
        if column in by_column
    ]
    for target, value in defaults.items():
        if target in by_column:
            name = by_column[target]
            text = pl.col(name).cast(pl.String)
            blank = trimmed(text).is_null()
            changes.append(pl.when(blank).then(pl.lit(value)).otherwise(text).alias(name))
        else:
            changes.append(pl.lit(value, dtype=pl.String).alias(f"c{len(headers)}"))
            headers.append(target)
    return attrs.evolve(
        table,
        frame=frame.with_columns(changes) if changes else frame,
        headers=tuple(headers),
        unreadable=unreadable,
    )
