"""An NCCIS extract as a council's CCIS system exports it: a row per young person per month.

The headers are NCCIS's (``YPID``, ``DOB``, ``ACADYR``, ``MonthNo``,
``Current_Activity_Code``); the academic year is written ``2014/15`` and the
month as its calendar number.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl


def write_nccis(path: Path, rows: list[tuple[str, str, str, str, str]]) -> Path:
    """Write ``rows`` (YPID, DOB, ACADYR, MonthNo, Current_Activity_Code) as an extract."""
    pl.DataFrame(
        rows,
        schema=["YPID", "DOB", "ACADYR", "MonthNo", "Current_Activity_Code"],
        orient="row",
    ).write_csv(path)
    return path


def sample_rows() -> list[tuple[str, str, str, str, str]]:
    """Four young people of academic age 16 in 2014-15, November to January.

    540 is NEET; 530 (re-engagement) is not; 150 is not known; 410 is training.
    """
    return [
        (person, "15/03/1998", "2014/15", month, code)
        for person, code in (("Y1", "540"), ("Y2", "530"), ("Y3", "150"), ("Y4", "410"))
        for month in ("11", "12", "1")
    ]
