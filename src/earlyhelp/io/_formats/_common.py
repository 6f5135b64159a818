"""What every format reader shares: its result, and the profile mapping applied to a table."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import polars as pl

from earlyhelp.errors import LoadError
from earlyhelp.io._parsing import trimmed
from earlyhelp.io._schema import TableSchema, normalise_name
from earlyhelp.profiles._mapping import MappingSpec, fold_key

__all__ = ["Gathered", "apply_mapping", "crosswalk", "csv_headers", "text_column"]


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

    Used to recognise a format by its headers without reading the file.
    """
    if path.suffix.lower() not in (".csv", ".txt") or not path.is_file():
        return []
    with path.open("r", encoding="utf-8-sig", errors="replace") as file:
        return [name.strip().strip('"') for name in file.readline().split(",")]


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


def apply_mapping(frame: pl.DataFrame, schema: TableSchema, mapping: MappingSpec) -> pl.DataFrame:
    """Apply the profile's header aliases, code crosswalks and defaults to one all-text table.

    Example:
        >>> from earlyhelp.io._tables import SCHEMAS
        >>> spec = MappingSpec(columns={"cases": {"case ref": "episode_id"}},
        ...     codes={"cases": {"closure_reason": {"step-up": "escalated_to_social_care"}}},
        ...     defaults={"cases": {"level_of_need": "2"}})
        >>> out = apply_mapping(pl.DataFrame({"Case Ref": ["C1"], "closure reason": ["Step-up"]}),
        ...     SCHEMAS["cases"], spec)
        >>> out.rows(named=True)
        [{'episode_id': 'C1', 'closure reason': 'escalated_to_social_care', 'level_of_need': '2'}]
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
    renames = {
        header: aliases[fold_key(header)]
        for header in frame.columns
        if fold_key(header) in aliases and aliases[fold_key(header)] != header
    }
    if renames:
        frame = frame.drop([t for t in renames.values() if t in frame.columns]).rename(renames)
    lookup: dict[str, str] = {}
    for column in schema.columns:
        for name in (column.name, *column.aliases):
            lookup.setdefault(normalise_name(name), column.name)
    by_column = {lookup[normalise_name(h)]: h for h in frame.columns if normalise_name(h) in lookup}
    codes = mapping.codes.get(schema.name, {})
    changes = [
        crosswalk(pl.col(by_column[column]), table).alias(by_column[column])
        for column, table in codes.items()
        if column in by_column
    ]
    defaults = mapping.defaults.get(schema.name, {})
    for target, value in defaults.items():
        if target in by_column:
            header = by_column[target]
            changes.append(pl.col(header).fill_null(pl.lit(value)).alias(header))
        else:
            changes.append(pl.lit(value, dtype=pl.String).alias(target))
    return frame.with_columns(changes) if changes else frame
