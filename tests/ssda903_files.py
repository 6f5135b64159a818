"""SSDA903 (children looked after) files written from DfE's return specification.

Episodes files have the return's episode columns (``CHILD, DECOM, RNE, LS, CIN,
PLACE, ...``), header files its header columns (``CHILD, SEX, DOB, ETHNIC,
...``); dates are written ``dd/mm/yyyy``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

D = dt.date
EPISODE_COLUMNS = (
    "CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
    "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN",
)  # fmt: skip


def episode(
    child: str, start: dt.date, rne: str, end: dt.date | None = None, rec: str | None = None,
    *, ls: str = "C2", place: str = "U1",
) -> dict[str, str]:  # fmt: skip
    return {
        "CHILD": child,
        "DECOM": f"{start:%d/%m/%Y}",
        "RNE": rne,
        "LS": ls,
        "CIN": "N1",
        "PLACE": place,
        "PLACE_PROVIDER": "PR1",
        "DEC": "" if end is None else f"{end:%d/%m/%Y}",
        "REC": rec or "",
        "REASON_PLACE_CHANGE": "CARPL" if rne == "P" else "",
        "HOME_POST": "DE1",
        "PL_POST": "DE2",
        "URN": "SC123456",
    }


EPISODES = [
    # A: one period of three episodes (placement, then legal status changes), closed.
    episode("A", D(2023, 4, 1), "S", D(2023, 6, 1), "X1", ls="V2"),
    episode("A", D(2023, 6, 1), "P", D(2023, 9, 1), "X1", place="U3"),
    episode("A", D(2023, 9, 1), "L", D(2023, 12, 1), "E11", ls="C2"),
    # A again: a second period, open.
    episode("A", D(2024, 2, 1), "S"),
    # B: a period of two episodes, open.
    episode("B", D(2023, 5, 15), "S", D(2023, 7, 20), "X1"),
    episode("B", D(2023, 7, 20), "T"),
    # C: one closed episode.
    episode("C", D(2024, 1, 1), "S", D(2024, 3, 1), "E4A"),
]


def write_episodes(path: Path, rows: list[dict[str, str]]) -> Path:
    pl.DataFrame(rows, schema=dict.fromkeys(EPISODE_COLUMNS, pl.String)).write_csv(path)
    return path


def write_header(path: Path) -> Path:
    """The header file of the children in ``EPISODES``."""
    pl.DataFrame(
        {
            "CHILD": ["A", "B", "C"],
            "SEX": ["1", "2", "1"],
            "DOB": ["01/01/2010", "02/02/2012", "03/03/2015"],
            "ETHNIC": ["WBRI"] * 3,
            "UPN": ["A123456789012"] * 3,
            "MOTHER": ["", "", ""],
            "MC_DOB": ["", "", ""],
        }
    ).write_csv(path)
    return path
