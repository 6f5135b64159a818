"""An SSD extract as its tables sit in a reporting database: typed as the spec declares.

Text columns are ``nvarchar`` (strings), dates ``datetime`` (timestamps), as
data-to-insight's ``ssd-data-model`` builds them; ``write_sqlite`` puts them in
a SQLite file as a council's reporting copy would hold them.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import polars as pl

from ssd_extract import SPEC_COLUMNS

DATE_COLUMNS = {
    c for columns in SPEC_COLUMNS.values() for c in columns if "date" in c or c.endswith("_dob")
}


def typed_rows() -> dict[str, list[dict[str, Any]]]:
    """An SSD-shaped extract: typed as the spec declares (nvarchar text, datetime timestamps)."""
    reasons = ["Step-up", "Outcomes met", "Moved out of area", "NFA"]
    episodes = []
    for i in range(40):
        opened = dt.datetime(2014, 4, 1) + dt.timedelta(days=9 * i)
        closed = opened + dt.timedelta(days=60 + i) if i % 3 else dt.datetime(1900, 1, 1)
        episodes.append(
            {
                "earl_episode_id": f"E{i:03d}",
                "earl_person_id": f"P{i % 25}",
                "earl_episode_start_date": opened,
                "earl_episode_end_date": closed,
                "earl_episode_end_reason": reasons[i % 4] if i % 3 else None,
                "earl_episode_organisation": f"T{i % 3 + 1}",
            }
        )
    return {
        "ssd_department": [
            {
                "dept_team_id": f"T{t}",
                "dept_team_name": f"MAT {t}",
                "dept_team_parent_id": f"L{t % 2}",
            }
            for t in (1, 2, 3)
        ],
        "ssd_person": [
            {"pers_person_id": f"P{p}", "pers_dob": dt.datetime(2010, 1, 1) + dt.timedelta(days=p)}
            for p in range(25)
        ],
        "ssd_family": [
            {"fami_table_id": str(p), "fami_family_id": f"F{p // 2}", "fami_person_id": f"P{p}"}
            for p in range(25)
        ],
        "ssd_early_help_episodes": episodes,
        "ssd_cp_plans": [
            {
                "cppl_cp_plan_id": f"CP{i}",
                "cppl_person_id": f"P{i}",
                "cppl_cp_plan_start_date": dt.datetime(2014, 6, 1) + dt.timedelta(days=20 * i),
                "cppl_cp_plan_end_date": None if i % 2 else dt.datetime(2015, 6, 1),
                "cppl_cp_plan_latest_category": "NEG",
            }
            for i in range(6)
        ],
    }


def typed_frames() -> dict[str, pl.DataFrame]:
    frames = {}
    for table, rows in typed_rows().items():
        schema = {
            c: (pl.Datetime("us") if c in DATE_COLUMNS else pl.String) for c in SPEC_COLUMNS[table]
        }
        frames[table] = pl.DataFrame(
            [{c: row.get(c) for c in schema} for row in rows], schema=schema, orient="row"
        )
    return frames


def write_sqlite(path: Path, frames: dict[str, pl.DataFrame]) -> Path:
    """Each frame as a table of a SQLite file, dates as SQLite's text timestamps."""
    with sqlite3.connect(path) as connection:
        for table, frame in frames.items():
            text = frame.with_columns(
                pl.col(c).dt.strftime("%Y-%m-%d %H:%M:%S")
                for c in frame.columns
                if c in DATE_COLUMNS
            )
            connection.execute(f"CREATE TABLE {table} ({', '.join(frame.columns)})")
            connection.executemany(
                f"INSERT INTO {table} VALUES ({', '.join('?' * frame.width)})",
                text.rows(),
            )
    return path
