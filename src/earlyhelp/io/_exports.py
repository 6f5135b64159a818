"""Safe CSV exports: cells that a spreadsheet would run as a formula are neutralised.

A value read from the input (a team name, a free-text comment, an id) may start
with ``=``, ``+``, ``-`` or ``@``, or with a tab or carriage return; opened in a
spreadsheet, such a cell can be run as a formula (CSV or formula injection).
Following the OWASP guidance on CSV injection, every text cell that starts with
one of these characters is written with a single quote before it, so that the
spreadsheet shows it as text. Numbers, dates and booleans are written as they
are (a negative number is not text and is not changed).

Every CSV file or stream ``earlyhelp`` writes goes through :func:`write_csv` (or,
for a row written by Python's ``csv`` module, :func:`neutralise_cell`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final, overload

import polars as pl

__all__ = ["FORMULA_STARTS", "neutralise", "neutralise_cell", "write_csv"]

FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet read a cell as a formula (OWASP)."""

_PATTERN: Final = r"^[=+\-@\t\r]"


def neutralise_cell(value: str) -> str:
    """One text cell, with a single quote before it if it could run as a formula.

    Example:
        >>> neutralise_cell("=1+2"), neutralise_cell("-3"), neutralise_cell("Team A")
        ("'=1+2", "'-3", 'Team A')
    """
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def neutralise(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with every text cell that could run as a formula neutralised.

    Only text columns (``String``, categorical) change; numbers stay numbers.

    Example:
        >>> frame = pl.DataFrame({"name": ["@SUM(A1)", "Team"], "n": [-1, 2]})
        >>> neutralise(frame).rows()
        [("'@SUM(A1)", -1), ('Team', 2)]
    """
    text = [
        name
        for name, dtype in frame.schema.items()
        if dtype == pl.String or isinstance(dtype, pl.Categorical | pl.Enum)
    ]
    if not text:
        return frame
    return frame.with_columns(
        pl.when(pl.col(name).cast(pl.String).str.contains(_PATTERN))
        .then(pl.lit("'") + pl.col(name).cast(pl.String))
        .otherwise(pl.col(name).cast(pl.String))
        .alias(name)
        for name in text
    )


@overload
def write_csv(frame: pl.DataFrame, target: None = None) -> str: ...
@overload
def write_csv(frame: pl.DataFrame, target: str | os.PathLike[str]) -> None: ...
def write_csv(frame: pl.DataFrame, target: str | os.PathLike[str] | None = None) -> str | None:
    """Write ``frame`` as CSV (to ``target``, or return the text), neutralised.

    Example:
        >>> print(write_csv(pl.DataFrame({"team": ["=HYPERLINK(1)"], "cases": [3]})), end="")
        team,cases
        '=HYPERLINK(1),3
    """
    safe = neutralise(frame)
    if target is None:
        return safe.write_csv()
    safe.write_csv(Path(target))
    return None
