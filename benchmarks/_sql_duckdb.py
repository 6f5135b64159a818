"""The SQL contender: every figure of the catalogue in plain SQL, run by DuckDB.

``measures.sql`` (beside this file) holds the definitions; this module only
reads the CSV files that ``earlyhelp generate DIR`` writes into one table each
(the types of the columns the SQL reads are given, the rest left as text), adds
the table ``periods`` and the table ``nccis_codes`` (the shipped NCCIS activity
code list, read from its CSV file), and runs the script. It imports nothing from earlyhelp.

    >>> con = connect(folder)                      # doctest: +SKIP
    >>> run(con, ["2013-14", "2014-15"])           # doctest: +SKIP
    >>> con.sql("SELECT count(*) FROM figures")    # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

SCRIPT: Final = Path(__file__).with_name("measures.sql")

#: The NCCIS activity code list the library ships (code, category, effective dates):
#: the SQL's NEET and not known classes are read from it, never typed in by hand.
CODES: Final = Path(__file__).parents[1] / "src" / "earlyhelp" / "data" / "nccis_activity_codes.csv"

#: The tables the SQL reads, and the types of their non-text columns.
TYPES: Final[dict[str, dict[str, str]]] = {
    "teams": {},
    "referrals": {"referral_date": "DATE", "level_of_need": "INTEGER"},
    "cases": {"opened": "DATE", "closed": "DATE", "level_of_need": "INTEGER"},
    "assessments": {"started": "DATE", "completed": "DATE"},
    "onward_referrals": {"referral_date": "DATE"},
    "social_care_episodes": {"started": "DATE", "ended": "DATE"},
    "yos_episodes": {"started": "DATE", "ended": "DATE"},
    "population": {"year": "INTEGER", "children": "INTEGER"},
    "spider_scales": {"minimum": "INTEGER", "maximum": "INTEGER", "higher_is_better": "BOOLEAN"},
    "spider_readings": {"reading_date": "DATE", "score": "INTEGER"},
    "surveys": {"received": "DATE"},
    "audits": {"scheduled": "DATE", "completed": "DATE"},
    "audit_grades": {"grade": "INTEGER"},
    "neet": {"date_of_birth": "DATE", "record_month": "DATE", "activity_code": "VARCHAR"},
}


def connect(folder: Path, *, threads: int | None = None) -> Any:
    """An in-memory DuckDB database with one table per CSV file the SQL reads."""
    import duckdb

    con = duckdb.connect(":memory:")
    con.execute("SET enable_progress_bar = false")
    if threads is not None:
        con.execute(f"SET threads = {int(threads)}")
    for table, types in TYPES.items():
        path = str(folder / f"{table}.csv").replace("'", "''")
        typed = ", ".join(f"'{column}': '{kind}'" for column, kind in types.items())
        con.execute(
            f"CREATE TABLE {table} AS SELECT * FROM read_csv('{path}', header = true, "
            f"all_varchar = false, types = {{{typed}}})"
            if types
            else f"CREATE TABLE {table} AS SELECT * FROM read_csv('{path}', header = true, "
            "all_varchar = true)"
        )
    codes = str(CODES).replace("'", "''")
    con.execute(
        "CREATE TABLE nccis_codes AS SELECT code, category, effective_from, effective_to "
        f"FROM read_csv('{codes}', header = true, types = {{'code': 'VARCHAR', "
        "'category': 'VARCHAR', 'effective_from': 'DATE', 'effective_to': 'DATE'})"
    )
    return con


def periods(years: Sequence[str]) -> list[tuple[str, dt.date, dt.date, int, str, bool]]:
    """(period, first day, last day, year, year label, is quarter) for each financial year.

    A year label is ``"2013-14"``: 1 April 2013 to 31 March 2014, quarters from April.
    """
    out = []
    for label in years:
        year = int(label[:4])
        starts = [dt.date(year, 4, 1), dt.date(year, 7, 1), dt.date(year, 10, 1)]
        starts.append(dt.date(year + 1, 1, 1))
        ends = [*(s - dt.timedelta(days=1) for s in starts[1:]), dt.date(year + 1, 3, 31)]
        for number, (first, last) in enumerate(zip(starts, ends, strict=True), start=1):
            out.append((f"{label} Q{number}", first, last, year, label, True))
        out.append((label, starts[0], ends[-1], year, label, False))
    return out


def run(con: Any, years: Sequence[str]) -> None:
    """Compute every figure into the table ``figures``."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE periods (period VARCHAR, first_day DATE, last_day DATE, "
        "year INTEGER, year_label VARCHAR, is_quarter BOOLEAN)"
    )
    con.executemany("INSERT INTO periods VALUES (?, ?, ?, ?, ?, ?)", periods(years))
    con.execute(SCRIPT.read_text())


def measures(folder: Path, years: Sequence[str], *, threads: int | None = None) -> Any:
    """Every figure as a DuckDB relation (``connect`` then ``run``)."""
    con = connect(folder, threads=threads)
    run(con, years)
    return con
