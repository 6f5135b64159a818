"""Reading a table from a file or a frame into polars, without losing anything.

CSV is read with every column as text, so that validation, not the reader,
decides what a value means and can report each bad value by row. Typed sources
(XLSX, Parquet, JSON, frames) are brought to the same text form first: dates and
date-times as ISO dates (a date field takes the calendar day of a date-time),
whole-number floats as integers.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeAlias

import polars as pl

from earlyhelp.errors import EarlyHelpError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "SUFFIXES",
    "LoadError",
    "Source",
    "has_whitespace",
    "read_text",
    "scan_source",
    "to_text",
]

Source: TypeAlias = "str | os.PathLike[str] | pl.DataFrame | pl.LazyFrame | pd.DataFrame"
"""Anything a table can be loaded from: a file path or a pandas/polars frame."""

SUFFIXES: Final = (".csv", ".txt", ".xlsx", ".xlsm", ".parquet", ".json", ".jsonl", ".ndjson")
"""File endings ``earlyhelp`` can read."""


class LoadError(EarlyHelpError, ValueError):
    """A table cannot be loaded at all (unreadable file, missing required columns).

    Row-level problems never raise: they are rejections in the load report.
    """

    code = "load"


def _is_pandas(value: object) -> bool:
    module = type(value).__module__
    return module.startswith("pandas") and type(value).__name__ == "DataFrame"


def scan_source(source: Any, *, sheet: str | None = None) -> tuple[pl.LazyFrame, str]:
    """Open ``source`` lazily and say where it came from.

    Args:
        source: a path to a CSV, XLSX, Parquet or JSON file, or a pandas or
            polars frame.
        sheet: the worksheet to read from an XLSX file (default: the first).

    Returns:
        A lazy frame, and a description of the source for reports.

    Raises:
        LoadError: the file does not exist, has an unknown ending, or cannot be parsed.
    """
    if isinstance(source, pl.LazyFrame):
        return source, "<frame>"
    if isinstance(source, pl.DataFrame):
        return source.lazy(), "<frame>"
    if _is_pandas(source):
        return pl.from_pandas(source).lazy(), "<pandas frame>"
    if not isinstance(source, str | os.PathLike):
        msg = f"cannot load a table from a {type(source).__name__}"
        raise LoadError(msg)
    path = Path(source)
    if not path.is_file():
        msg = f"{path}: no such file"
        raise LoadError(msg)
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".txt"):
            frame = pl.scan_csv(path, infer_schema=False)  # strict UTF-8: see read_text
        elif suffix in (".xlsx", ".xlsm"):
            frame = pl.read_excel(path, sheet_name=sheet).lazy()
        elif suffix == ".parquet":
            frame = pl.scan_parquet(path)
        elif suffix == ".json":
            frame = pl.read_json(path).lazy()
        elif suffix in (".jsonl", ".ndjson"):
            frame = pl.scan_ndjson(path)
        else:
            msg = f"{path.name}: cannot read files ending {suffix!r}; expected one of {', '.join(SUFFIXES)}"
            raise LoadError(msg)
        frame.collect_schema()
    except LoadError:
        raise
    except Exception as exc:  # any reader failure is reported as unreadable, by file
        msg = (
            f"{path.name}: could not be read as {suffix.lstrip('.').upper()} ({type(exc).__name__})"
        )
        raise LoadError(msg) from exc
    return frame, path.name


def _text_expr(name: str, dtype: pl.DataType) -> pl.Expr:
    column = pl.col(name)
    if dtype == pl.String:
        return column
    if isinstance(dtype, pl.Datetime):
        # Case-management systems often export dates as timestamps: a date field
        # takes the calendar day, as it does for an ISO date-time string.
        return column.dt.date().cast(pl.String)
    if dtype.is_float():
        return (
            pl.when(column == column.round(0))
            .then(column.cast(pl.Int64, strict=False).cast(pl.String))
            .otherwise(column.cast(pl.String))
        )
    if dtype == pl.Boolean:
        return pl.when(column).then(pl.lit("true")).otherwise(pl.lit("false"))
    if dtype.is_nested() or dtype == pl.Object:
        msg = f"column {name!r} holds lists or objects; expected one plain value per cell"
        raise LoadError(msg)
    return column.cast(pl.String)


def to_text(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Bring every column to text, dates as ISO strings, whole floats as integers."""
    schema = frame.collect_schema()
    if all(dtype == pl.String for dtype in schema.dtypes()):
        return frame
    return frame.with_columns(_text_expr(name, dtype).alias(name) for name, dtype in schema.items())


def has_whitespace(source: Any) -> bool:
    """Whether a CSV file holds a space or tab byte anywhere (true if not a CSV file).

    A file without one cannot have a value with surrounding spaces, so
    validation can skip looking for them: two memchr scans instead of several
    string passes per column.
    """
    if not isinstance(source, str | os.PathLike):
        return True
    path = Path(source)
    if path.suffix.lower() not in (".csv", ".txt") or path.stat().st_size == 0:
        return True
    import mmap  # noqa: PLC0415

    with path.open("rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
        return data.find(b" ") >= 0 or data.find(b"\t") >= 0


def read_text(source: Any, *, sheet: str | None = None) -> tuple[pl.DataFrame, str]:
    """Read ``source`` into an all-text frame; CSV as UTF-8, else lossily."""
    frame, where = scan_source(source, sheet=sheet)
    try:
        return to_text(frame).collect(), where
    except pl.exceptions.ComputeError:
        if not isinstance(source, str | os.PathLike) or Path(source).suffix.lower() not in (
            ".csv",
            ".txt",
        ):
            raise
    # Not valid UTF-8 (a rarer case than paying lossy decoding on every file).
    return pl.scan_csv(Path(source), infer_schema=False, encoding="utf8-lossy").collect(), where
