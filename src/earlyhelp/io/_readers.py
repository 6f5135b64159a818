"""Reading a table from a file or a frame into polars, without losing anything.

Every source becomes a :class:`TextTable`: one text column per source column,
named by position (so no header, however it is spelt, can collide with a name
used inside the library), the headers as written, and the data row number of
each row.

CSV is read with every column as text, so that validation, not the reader,
decides what a value means and can report each bad value by row. Its encoding
is detected (a byte order mark, UTF-16/32 by their zero bytes, else UTF-8, else
Windows-1252, else Latin-1, each decoded exactly, never with replacement
characters) and any line ending (LF, CRLF, CR) is read. A row with more or
fewer fields than the header is rejected on its own, not the whole file; a
stray quote that would swallow the following lines is read literally (see
:mod:`earlyhelp.io._quotes`).

Typed sources (XLSX, Parquet, JSON, frames) are brought to the same text form
column by column: dates and date-times as ISO dates (a date field takes the
calendar day of a date-time), whole-number floats as integers. A column whose
values cannot be written as one plain value per cell (lists, structs, binary,
durations, intervals) is kept aside: it is an error only if the table needs it.

Nothing raised here contains a value read from the source: failures name the
file and, at most, a header.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import decimal
import io
import math
import os
import re
import unicodedata
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeAlias, cast

import attrs
import polars as pl

from earlyhelp.errors import ConversionError, LoadError
from earlyhelp.io._quotes import mend_stray_quotes

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "SUFFIXES",
    "Source",
    "TextTable",
    "clean_name",
    "decode_text",
    "read_frame",
    "read_text",
]

Source: TypeAlias = "str | os.PathLike[str] | pl.DataFrame | pl.LazyFrame | pd.DataFrame"
"""Anything a table can be loaded from: a file path or a pandas/polars frame."""

SUFFIXES: Final = (".csv", ".txt", ".xlsx", ".xlsm", ".parquet", ".json", ".jsonl", ".ndjson")
"""File endings ``earlyhelp`` can read."""

MAX_COLUMNS: Final = 4096
"""The most columns a table may have."""

MAX_NAME: Final = 40
"""Header and file names are cut to this many characters in messages and reports."""

_BOMS: Final = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Bytes that begin a whitespace character in UTF-8 (see earlyhelp.model._base.WHITESPACE);
# a file with none of them needs no trimming. \n and \r end lines, but may sit
# inside a quoted value, so a file with a quote is always looked at.
_WHITESPACE_BYTES: Final = (
    b" ",
    b"\t",
    b"\x0b",
    b"\x0c",
    b"\x1c",
    b"\x1d",
    b"\x1e",
    b"\x1f",
    b"\xc2\x85",
    b"\xc2\xa0",
    b"\xe1\x9a\x80",
    b"\xe2\x80",
    b"\xe2\x81\x9f",
    b"\xe3\x80\x80",
    b'"',
)


def clean_name(name: object) -> str:
    r"""A header or file name made safe to print: one line, no control characters, short.

    Example:
        >>> clean_name("  Case\tID\n")
        'Case ID'
        >>> clean_name("x" * 50)
        'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'
    """
    text = "".join(
        " " if unicodedata.category(c)[0] in "CZ" else c for c in str(name)[: MAX_NAME * 4]
    )
    text = " ".join(text.split())
    return text if len(text) <= MAX_NAME else text[: MAX_NAME - 1] + "…"


@attrs.frozen(kw_only=True)
class TextTable:
    """A source table as text, ready for validation.

    Attributes:
        frame: one ``String`` column per source column, named ``c0``, ``c1``...
            by position (internal names can never collide with a header); a
            column of codes may be ``Categorical`` (see :func:`read_text`).
        headers: the source's headers, as written, one per column.
        where: the file name (or ``<frame>``) for reports.
        rows: each row's data row number (1 after the header), or ``None`` when
            they run 1, 2, 3... with no gap.
        ragged: ``(row, fields)`` of each CSV row rejected for having more or
            fewer fields than the header; they are not in ``frame``.
        unreadable: the positions of columns that hold values which are not one
            plain value per cell.
        whitespace: whether any value may have whitespace at an edge (false only
            when a CSV file holds no whitespace byte at all).
        suspect_header: whether the header row of a CSV file may be, or hold, a
            data row: no row has its number of fields, at least as many rows
            were ragged as not, or a header cell looks like a value (a date, a
            number, a separator or quote): a lost line break or an unmatched
            quote runs a row into the header. Its cells are then never named in
            a report.
    """

    frame: pl.DataFrame
    headers: tuple[str, ...]
    where: str
    rows: pl.Series | None = None
    ragged: tuple[tuple[int, int], ...] = ()
    unreadable: frozenset[int] = frozenset()
    whitespace: bool = True
    suspect_header: bool = False


def _name(position: int) -> str:
    return f"c{position}"


# Decoding -------------------------------------------------------------------


def decode_text(data: bytes, *, where: str, encoding: str | None = None) -> tuple[str | None, str]:
    r"""Decode a text file's bytes exactly, detecting the encoding unless given.

    Returns:
        The text (``None`` when the bytes are already UTF-8 without a byte order
        mark, so need no copy) and the encoding's name.

    Raises:
        LoadError: the declared encoding does not fit, or the bytes are binary.

    Example:
        >>> decode_text("café".encode("cp1252"), where="x.csv")
        ('café', 'cp1252')
        >>> decode_text("\ufeffid".encode("utf-16-le"), where="x.csv")
        ('id', 'utf-16-le')
        >>> decode_text(b"id", where="x.csv")
        (None, 'utf-8')
    """
    if encoding is not None:
        try:
            return data.decode(encoding).removeprefix("\ufeff"), encoding
        except LookupError:
            msg = f"{where}: unknown encoding {clean_name(encoding)!r}"
            raise LoadError(msg) from None
        except UnicodeDecodeError as exc:
            msg = f"{where}: is not valid {clean_name(encoding)} (at byte {exc.start:,})"
            raise LoadError(msg) from None
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(name), name
            except UnicodeDecodeError as exc:
                msg = f"{where}: starts with a {name} byte order mark but is not valid {name} (at byte {exc.start:,})"
                raise LoadError(msg) from None
    sample = data[:4096]
    if sample.count(0) * 4 >= len(sample) > 0:  # text of mostly ASCII in 2 or 4 bytes a character
        return _wide(data, where), "utf-16/32"
    if data.isascii():  # valid UTF-8, found without decoding a copy of the file
        return None, "utf-8"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return None, "utf-8"
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:  # bytes cp1252 leaves undefined: Latin-1 maps every byte
        return data.decode("latin-1"), "latin-1"


def _wide(data: bytes, where: str) -> str:
    """UTF-16 or UTF-32 text without a byte order mark, told apart by its zero bytes."""
    sample = data[:4096]
    zeros = [sum(1 for b in sample[k::4] if b == 0) for k in range(4)]
    if zeros[2] and zeros[3] and not zeros[0]:
        order = ("utf-32-le", "utf-16-le", "utf-32-be", "utf-16-be")
    elif zeros[0] and zeros[1] and not zeros[3]:
        order = ("utf-32-be", "utf-16-be", "utf-32-le", "utf-16-le")
    elif zeros[1] + zeros[3] > zeros[0] + zeros[2]:
        order = ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
    else:
        order = ("utf-16-be", "utf-16-le", "utf-32-be", "utf-32-le")
    for name in order:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    msg = f"{where}: holds zero bytes but is not UTF-16 or UTF-32 text; expected a text file"
    raise LoadError(msg)


# CSV ------------------------------------------------------------------------


def _header(text: str) -> list[str]:
    """The first record's fields (quotes respected, any line ending); none if unreadable."""
    reader = csv.reader(io.StringIO(text[: 1 << 20], newline=""))
    try:
        return next(reader, [])
    except csv.Error:
        return []


def _has_whitespace(data: bytes) -> bool:
    # A search (memchr) for each byte a probe starts with: only if one is there is
    # each probe looked for. Measured at half of one translate pass deleting them.
    if not any(bytes((lead,)) in data for lead in _WHITESPACE_LEADS):
        return False
    return any(data.find(probe) >= 0 for probe in _WHITESPACE_BYTES)


_WHITESPACE_LEADS: Final = bytes(sorted({probe[0] for probe in _WHITESPACE_BYTES}))


def _read_plain(
    utf8: bytes, width: int, categorical: frozenset[int] = frozenset()
) -> tuple[pl.DataFrame, bool] | None:
    """The file read by polars' own CSV reader, if it is plainly well formed.

    Returns the frame, and whether the file holds any whitespace (see
    :class:`TextTable`). The columns at the positions ``categorical`` are read
    as ``Categorical`` (four bytes a value instead of sixteen; an empty field
    reads as missing), the others as text.

    Plainly well formed: no quote (so no separator or line break inside a
    value), no zero byte, every carriage return followed by a line feed, and
    every line with the header's number of fields (so no empty line either).
    Anything else (``None``) goes the careful way, which rejects ragged rows
    one by one and reads quotes and lone carriage returns as pyarrow does.

    Polars reads on a thread of its own while the bytes are checked here (it
    leaves the interpreter free): the checks of 300 MB of spider readings no
    longer add their 0.3 s to the read (1M cases, 2 cores, measured). A file
    that fails them was read for nothing; a quote, the usual reason, is looked
    for first.
    """
    if width < 2 or b'"' in utf8 or b"\x00" in utf8:
        return None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="earlyhelp-csv") as pool:
        reading = pool.submit(_polars_csv, utf8, width, categorical)
        lines = _whole_lines(utf8, width)
        whitespace = _has_whitespace(utf8)
        frame = reading.result()
    if lines is None or frame is None or frame.height != lines:
        return None
    return frame, whitespace


def _whole_lines(utf8: bytes, width: int) -> int | None:
    r"""How many lines the bytes hold, if each ends plainly and has ``width`` fields.

    Example:
        >>> _whole_lines(b"a,b\r\n1,2\n3,4", 2), _whole_lines(b"a,b\n1\n", 2)
        (3, None)
    """
    returns = utf8.count(b"\r") if b"\r" in utf8 else 0
    if returns and utf8.count(b"\r\n") != returns:  # a lone CR: CR line endings
        return None
    # Every line has the header's width: polars fails on a line with more fields,
    # so as many separators as width - 1 a line leaves none with fewer (nor an
    # empty line). Two byte counts, measured at half a scan of the lines one by one.
    lines = utf8.count(b"\n") + (not utf8.endswith(b"\n"))
    return lines if utf8.count(b",") == (width - 1) * lines else None


def _polars_csv(utf8: bytes, width: int, categorical: frozenset[int]) -> pl.DataFrame | None:
    """The bytes read by polars, every field as written (``None`` if polars cannot)."""
    try:
        return pl.read_csv(
            utf8,
            has_header=False,
            new_columns=[_name(i) for i in range(width)],
            infer_schema=False,
            schema_overrides={_name(i): pl.Categorical for i in sorted(categorical)},
            quote_char=None,
            empty_string_is_null=False,
            truncate_ragged_lines=False,
            raise_if_empty=False,
        )
    except (Exception, pl.exceptions.PanicException):
        return None


def _read_csv(
    path: Path,
    where: str,
    encoding: str | None,
    categorical: Callable[[list[str]], Any] | None = None,
) -> TextTable:
    data = path.read_bytes()
    text, _ = decode_text(data, where=where, encoding=encoding)
    utf8 = mend_stray_quotes(data if text is None else text.encode("utf-8"))
    del data
    if not utf8 or utf8.isspace():
        msg = f"{where}: the file is empty; expected a header row"
        raise LoadError(msg)
    header = _header(utf8[: 1 << 20].decode("utf-8", errors="ignore"))
    width = len(header) or 1
    if width > MAX_COLUMNS:
        msg = f"{where}: has more than {MAX_COLUMNS:,} columns"
        raise LoadError(msg)
    chosen = set(categorical(header)) if categorical is not None else set()
    plain = _read_plain(
        utf8, width, frozenset(i for i, name in enumerate(header) if name in chosen)
    )
    if plain is not None:
        return _text_table(plain[0], utf8, where, (), whitespace=plain[1])
    import pyarrow as pa  # noqa: PLC0415 - the careful CSV path only
    import pyarrow.csv as pacsv  # noqa: PLC0415

    ragged: list[tuple[int, int]] = []

    def skip(row: Any) -> str:
        ragged.append((row.number, row.actual_columns))
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(utf8),
            read_options=pacsv.ReadOptions(
                use_threads=False, autogenerate_column_names=True, block_size=len(utf8) + 1
            ),
            parse_options=pacsv.ParseOptions(
                newlines_in_values=True, invalid_row_handler=skip, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(width)},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowException, ValueError, OSError):
        msg = f"{where}: could not be read as CSV"
        raise LoadError(msg) from None
    if table.num_columns > MAX_COLUMNS:
        msg = f"{where}: has more than {MAX_COLUMNS:,} columns"
        raise LoadError(msg)
    frame = cast("pl.DataFrame", pl.from_arrow(table))
    frame = frame.select(
        pl.col(old).cast(pl.String).alias(_name(i)) for i, old in enumerate(frame.columns)
    )
    rejected = tuple((number - 1, fields) for number, fields in ragged)
    return _text_table(frame, utf8, where, rejected)


def _text_table(
    frame: pl.DataFrame,
    utf8: bytes,
    where: str,
    rejected: tuple[tuple[int, int], ...],
    *,
    whitespace: bool | None = None,
) -> TextTable:
    """The table from every record read (the header first) and the ragged rows."""
    if frame.height == 0:  # every record was ragged, the header included
        msg = f"{where}: could not be read as CSV (no header row)"
        raise LoadError(msg)
    headers = tuple("" if v is None else str(v) for v in frame.row(0))
    frame = frame.slice(1)
    # A record's number counts the header as 1; a data row's counts from 1 after it.
    rows = None
    if rejected:
        total = frame.height + len(rejected)
        skipped = pl.Series([row for row, _ in rejected], dtype=pl.Int64)
        every = pl.int_range(1, total + 1, dtype=pl.Int64, eager=True)
        rows = every.filter(~every.is_in(skipped.implode())).rename("row")
    return TextTable(
        frame=frame,
        headers=headers,
        where=where,
        rows=rows,
        ragged=rejected,
        whitespace=_has_whitespace(utf8) if whitespace is None else whitespace,
        suspect_header=frame.height == 0
        or len(rejected) >= frame.height
        or any(_looks_like_data(header) for header in headers),
    )


_DATA_LIKE: Final = re.compile(
    r"[\x00-\x1f\x7f,\"]"  # a separator, quote or line break: a quoting accident
    r"|^\s*\d{4}-\d{1,2}-\d{1,2}"  # an ISO date
    r"|^\s*\d{1,2}/\d{1,2}/\d{2,4}"  # a UK date
    r"|^[\d\s.,:/+()-]*\d[\d\s.,:/+()-]*$"  # a number, an NHS or phone number
)


def _looks_like_data(header: str) -> bool:
    """Whether a CSV header cell looks like a value rather than a column name.

    A header holding a date, a number or a separator is a sign that a data row
    was run into the header row (a lost line break, an unmatched quote).

    Example:
        >>> [_looks_like_data(h) for h in ("date_of_birth", "2014-05-01", "943 476 5919")]
        [False, True, True]
        >>> [_looks_like_data(h) for h in ("address line 1", 'nhs,address P0"', "Q3 2014")]
        [False, True, False]
    """
    return _DATA_LIKE.search(header) is not None


# Typed sources ----------------------------------------------------------------

_PLAIN: Final = (pl.String, pl.Categorical, pl.Enum, pl.Null, pl.Decimal, pl.Time)


def _text_expr(column: pl.Expr, dtype: pl.DataType) -> pl.Expr | None:
    """The column as text, or ``None`` if it holds no plain values."""
    if dtype == pl.String:
        return column
    if isinstance(dtype, pl.Datetime):
        # Case-management systems often export dates as timestamps: a date field
        # takes the calendar day, as it does for an ISO date-time string.
        return column.dt.date().cast(pl.String)
    if dtype == pl.Date:
        return column.cast(pl.String)
    if dtype.is_float():
        return (
            pl.when(column.is_finite() & (column == column.round(0)) & (column.abs() < 2.0**63))
            .then(column.cast(pl.Int64, strict=False).cast(pl.String))
            .otherwise(column.cast(pl.String))
        )
    if dtype == pl.Boolean:
        return pl.when(column).then(pl.lit("true")).otherwise(pl.lit("false"))
    if dtype.is_integer() or isinstance(dtype, _PLAIN):
        return column.cast(pl.String)
    return None  # lists, structs, arrays, objects, binary, durations, extension types


def _cell_text(value: object) -> str | None:
    """One Python value as text, as :func:`_text_expr` writes it; raises if not plain."""
    text: str | None
    if value is None or type(value).__name__ in ("NaTType", "NAType"):
        text = None
    elif isinstance(value, str):
        text = value
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float):
        whole = value.is_integer() and abs(value) < 2.0**63
        text = None if math.isnan(value) else str(int(value)) if whole else str(value)
    elif isinstance(value, int | decimal.Decimal):
        text = str(value)
    elif isinstance(value, dt.datetime):
        text = value.date().isoformat()
    elif isinstance(value, dt.date | dt.time):
        text = value.isoformat()
    else:
        raise ConversionError(type(value).__name__)
    return text


def _python_column(values: list[object]) -> pl.Series | None:
    """A column of mixed Python values as text (only for columns polars cannot take)."""
    try:
        return pl.Series([_cell_text(v) for v in values], dtype=pl.String)
    except TypeError:
        return None


def _text_columns(
    columns: list[Callable[[], pl.Series]], headers: list[str], height: int, where: str
) -> TextTable:
    if len(headers) > MAX_COLUMNS:
        msg = f"{where}: has more than {MAX_COLUMNS:,} columns"
        raise LoadError(msg)
    texts: list[pl.Series] = []
    unreadable: set[int] = set()
    for position, make in enumerate(columns):
        text: pl.Series | None
        try:
            series = make()
            expr = _text_expr(pl.col("v"), series.dtype)
            text = (
                None
                if expr is None
                else pl.DataFrame({"v": series}).select(expr.cast(pl.String)).to_series()
            )
        except (Exception, pl.exceptions.PanicException):
            text = None
        if text is None or len(text) != height:
            unreadable.add(position)
            text = pl.repeat(None, height, dtype=pl.String, eager=True)
        texts.append(text.rename(_name(position)))
    return TextTable(
        frame=pl.DataFrame(texts, height=height) if texts else pl.DataFrame(height=height),
        headers=tuple(headers),
        where=where,
        unreadable=frozenset(unreadable),
    )


def _from_polars(frame: pl.DataFrame, where: str) -> TextTable:
    return _text_columns(
        [lambda s=series: s for series in frame.get_columns()],  # type: ignore[misc]
        list(frame.columns),
        frame.height,
        where,
    )


def _from_pandas(frame: Any, where: str) -> TextTable:
    def column(position: int) -> Callable[[], pl.Series]:
        def make() -> pl.Series:
            series = frame.iloc[:, position]
            try:
                converted = cast("pl.Series", pl.from_pandas(series.reset_index(drop=True)))
            except Exception:
                text = _python_column(series.tolist())
                if text is None:
                    raise
                return text
            return converted

        return make

    return _text_columns(
        [column(i) for i in range(frame.shape[1])],
        [str(name) for name in frame.columns],
        int(frame.shape[0]),
        where,
    )


def _is_pandas(value: object) -> bool:
    module = type(value).__module__
    return module.startswith("pandas") and type(value).__name__ == "DataFrame"


def _read_parquet_columns(path: Path, where: str, wanted: Callable[[list[str]], Any]) -> TextTable:
    """A Parquet file with only the columns ``wanted`` chooses read from disk.

    The others keep their place and header (so they are reported as ignored) as
    empty ``Null`` columns marked unreadable: an error only if a table needs one.
    """
    import pyarrow.parquet as pq  # noqa: PLC0415 - Parquet only

    names = list(pq.read_schema(path).names)
    if len(set(names)) < len(names):  # a name twice: read whole, as without a choice
        return _from_polars(cast("pl.DataFrame", pl.from_arrow(pq.read_table(path))), where)
    chosen = set(wanted(names))
    read = cast(
        "pl.DataFrame",
        pl.from_arrow(pq.read_table(path, columns=[n for n in names if n in chosen])),
    )
    height = pq.read_metadata(path).num_rows
    table = _from_polars(read, where) if read.width else None
    columns: list[pl.Series] = []
    unread: set[int] = set()
    for position, name in enumerate(names):
        if name in chosen and table is not None:
            columns.append(table.frame.get_column(_name(read.columns.index(name))))
        else:
            unread.add(position)
            columns.append(pl.repeat(None, height, dtype=pl.Null, eager=True))
    unreadable = set(unread)
    if table is not None:
        unreadable |= {names.index(read.columns[i]) for i in table.unreadable}
    return TextTable(
        frame=pl.DataFrame(
            [column.rename(_name(i)) for i, column in enumerate(columns)], height=height
        ),
        headers=tuple(names),
        where=where,
        unreadable=frozenset(unreadable),
    )


def _read_typed(path: Path, suffix: str, sheet: str | None) -> pl.DataFrame:
    if suffix in (".xlsx", ".xlsm"):
        return pl.read_excel(path, sheet_name=sheet)
    if suffix == ".parquet":
        # pyarrow refuses a corrupt file with an error; polars may panic on one first.
        import pyarrow.parquet as pq  # noqa: PLC0415

        return cast("pl.DataFrame", pl.from_arrow(pq.read_table(path)))
    if suffix == ".json":
        return pl.read_json(path)
    return pl.read_ndjson(path)


def read_text(
    source: Any,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    wanted: Callable[[list[str]], Any] | None = None,
    categorical: Callable[[list[str]], Any] | None = None,
) -> TextTable:
    """Read ``source`` into a :class:`TextTable`.

    Args:
        source: a path to a CSV, XLSX, Parquet, JSON or NDJSON file, or a pandas
            or polars frame.
        sheet: the worksheet to read from an XLSX file (default: the first).
        encoding: a CSV file's encoding, if known (default: detected).
        wanted: for a Parquet file, which of its column names to read (given
            them all, returns those to read); the others are never read from
            disk, and stand as unreadable ``Null`` columns.
        categorical: for a plainly well formed CSV file (no quote, every
            line whole, UTF-8), which of its headers to read as
            ``Categorical`` rather than text (given them all, returns those):
            columns of codes, whose few values are then held four bytes a row
            while the file is checked. An empty field reads as missing.

    Raises:
        LoadError: the file does not exist, has an unknown ending, or cannot be
            read at all. The message names the file, never a value.
    """
    if isinstance(source, pl.LazyFrame):
        try:
            source = source.collect()
        except (Exception, pl.exceptions.PanicException):
            msg = "<frame>: the lazy frame could not be collected"
            raise LoadError(msg) from None
    if isinstance(source, pl.DataFrame):
        return _from_polars(source, "<frame>")
    if _is_pandas(source):
        return _from_pandas(source, "<pandas frame>")
    if not isinstance(source, str | os.PathLike):
        msg = f"cannot load a table from a {type(source).__name__}"
        raise LoadError(msg)
    path = Path(source)
    where = clean_name(path.name)
    if not path.is_file():
        msg = f"{clean_name(path)}: no such file"
        raise LoadError(msg)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        msg = f"{where}: cannot read files ending {clean_name(suffix)!r}; expected one of {', '.join(SUFFIXES)}"
        raise LoadError(msg)
    if suffix in (".csv", ".txt"):
        return _read_csv(path, where, encoding, categorical)
    try:
        if wanted is not None and suffix == ".parquet":
            return _read_parquet_columns(path, where, wanted)
        frame = _read_typed(path, suffix, sheet)
    except (Exception, pl.exceptions.PanicException):
        msg = f"{where}: could not be read as {suffix.lstrip('.').upper()}"
        raise LoadError(msg) from None
    return _from_polars(frame, where)


def read_frame(source: Any, *, sheet: str | None = None) -> pl.DataFrame:
    """Read ``source`` as an all-text frame named by its headers, for a format reader.

    A format reader (SSD, SSDA903, Annex A, NCCIS) rebuilds ``earlyhelp``'s
    tables from the source's columns by name, so it needs each header once and
    every row whole; the reading itself is :func:`read_text`'s (encodings, line
    endings, typed sources).

    Raises:
        LoadError: as :func:`read_text`; or two columns with one header; or a
            CSV row with more or fewer fields than the header (named by row).

    Example:
        >>> read_frame(pl.DataFrame({"CHILD": [1, 2]})).rows()
        [('1',), ('2',)]
    """
    table = read_text(source, sheet=sheet)
    if table.ragged:
        shown = ", ".join(str(row) for row, _ in table.ragged[:5])
        more = f" and {len(table.ragged) - 5:,} more" if len(table.ragged) > 5 else ""
        msg = (
            f"{table.where}: row(s) {shown}{more} have more or fewer fields than the header; "
            "expected every row whole"
        )
        raise LoadError(msg)
    if len(set(table.headers)) < len(table.headers):
        msg = f"{table.where}: two columns have one header; expected each header once"
        raise LoadError(msg)
    return table.frame.rename(dict(zip(table.frame.columns, table.headers, strict=True)))
