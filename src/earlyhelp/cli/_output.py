"""What the command line prints: tables, CSV or JSON, and progress on long work.

Results go to standard output in the format asked for; progress and errors go
to standard error, so ``earlyhelp compute ... --format csv > out.csv`` writes a
clean file. Progress is shown only when standard error is a terminal.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final, TextIO

import polars as pl

from earlyhelp.errors import EarlyHelpError
from earlyhelp.io._exports import write_csv

__all__ = [
    "FORMATS",
    "CliError",
    "add_output",
    "emit",
    "format_table",
    "output",
    "progress",
    "writing",
]

FORMATS: Final = ("table", "csv", "json")

_REASONS: Final = {
    "IsADirectoryError": "it is a folder",
    "FileNotFoundError": "no such folder",
    "PermissionError": "permission denied",
    "NotADirectoryError": "a part of the path is not a folder",
}


class CliError(EarlyHelpError):
    """A command could not run; the message is printed as one line, exit code 2."""

    code = "cli"


@contextmanager
def writing(target: object) -> Iterator[None]:
    """Turn any failure to write ``target`` into one :class:`CliError` line.

    A missing folder, a directory in the way, no permission or a full disk all
    end the command with the target's name and the system's reason.

    Example:
        >>> with writing("out.csv"):
        ...     raise OSError(28, "No space left on device")
        Traceback (most recent call last):
        ...
        earlyhelp.cli._output.CliError: out.csv: could not be written (No space left on device)
    """
    try:
        yield
    except (CliError, BrokenPipeError):  # a closed pipe is not a failure (see main)
        raise
    except Exception as exc:
        cause = exc if isinstance(exc, OSError) else exc.__cause__ or exc.__context__
        reason = (
            cause.strerror
            if isinstance(cause, OSError) and cause.strerror
            else _REASONS.get(type(cause or exc).__name__, type(cause or exc).__name__)
        )
        msg = f"{target}: could not be written ({reason})"
        raise CliError(msg) from None


def add_output(command: argparse.ArgumentParser) -> None:
    """Add ``--output FILE`` (default: standard output) to a command."""
    command.add_argument(
        "-o", "--output", type=Path, help="write the output to this file (default: the terminal)"
    )


@contextmanager
def output(target: Path | None) -> Iterator[TextIO]:
    """The stream to write a command's output to: ``target`` (a file), else standard output.

    Failures to write the file (or to standard output) are one :class:`CliError`.
    """
    if target is None:
        with writing("standard output"):
            yield sys.stdout
        return
    with writing(target), target.open("w", encoding="utf-8", newline="") as stream:
        yield stream


def emit(frame: pl.DataFrame, fmt: str, out: TextIO | None = None) -> None:
    """Write a frame to standard output as an aligned table, CSV or JSON records.

    Example:
        >>> import io
        >>> buffer = io.StringIO()
        >>> emit(pl.DataFrame({"team_id": ["T1U"], "cases": [1200]}), "table", buffer)
        >>> print(buffer.getvalue())
        team_id  cases
        -------  -----
        T1U      1,200
        <BLANKLINE>
        >>> buffer = io.StringIO()
        >>> emit(pl.DataFrame({"team_id": ["T1U"], "cases": [1200]}), "json", buffer)
        >>> print(buffer.getvalue().strip())
        [{"team_id": "T1U", "cases": 1200}]
    """
    stream = sys.stdout if out is None else out
    if fmt == "csv":
        stream.write(write_csv(frame))
    elif fmt == "json":
        stream.write(json.dumps(frame.to_dicts(), default=str) + "\n")
    else:
        stream.write(format_table(frame) + "\n")


def format_table(frame: pl.DataFrame) -> str:
    """A plain-text table: aligned columns, numbers right-aligned with separators, nulls blank.

    Example:
        >>> print(format_table(pl.DataFrame({"unit": ["city", "L1"], "n": [1234, None]})))
        unit      n
        ----  -----
        city  1,234
        L1
    """
    header = frame.columns
    rows = [
        ["" if v is None else f"{v:,}" if isinstance(v, int) else str(v) for v in row]
        for row in frame.iter_rows()
    ]
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(header)]
    numeric = [dtype.is_integer() for dtype in frame.dtypes]

    def line(cells: list[str]) -> str:
        return "  ".join(
            cell.rjust(width) if num else cell.ljust(width)
            for cell, width, num in zip(cells, widths, numeric, strict=True)
        ).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


@contextmanager
def progress(label: str, stream: TextIO | None = None) -> Iterator[None]:
    """Show ``label ...`` and then ``label ... done (1.2s)`` on a terminal.

    Nothing is written unless ``stream`` (standard error by default) is a
    terminal, so captured output and redirected files never hold progress
    lines. It needs no third-party package.

    Example:
        >>> import io
        >>> with progress("loading", io.StringIO()):  # not a terminal: silent
        ...     pass
    """
    target = sys.stderr if stream is None else stream
    shown = target.isatty()
    start = time.monotonic()
    if shown:
        target.write(f"\r{label} ...")
        target.flush()
    try:
        yield
    finally:
        if shown:
            target.write(f"\r{label} ... done ({time.monotonic() - start:.1f}s)\n")
            target.flush()
