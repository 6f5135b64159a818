"""Loading from a reporting database: a live PostgreSQL server the test starts, and SQLite files.

The PostgreSQL tests start a throwaway server with Debian's ``postgresql``
binaries (``initdb``/``pg_ctl``) in a temporary folder. Without them, or without
``psycopg``, they skip locally; with ``EARLYHELP_REQUIRE_POSTGRES=1`` (as
``.ci/run`` sets) they fail instead.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import shutil
import socket
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import earlyhelp as eh
from earlyhelp.errors import LoadError
from ssd_extract import SPEC_COLUMNS

D = dt.date
REQUIRED = os.environ.get("EARLYHELP_REQUIRE_POSTGRES") == "1"
DATE_COLUMNS = {
    c for columns in SPEC_COLUMNS.values() for c in columns if "date" in c or c.endswith("_dob")
}
TABLES = ("ssd_department", "ssd_person", "ssd_family", "ssd_early_help_episodes", "ssd_cp_plans")
MEASURES = ["open_cases", "cases_closed", "escalations", "escalation_rate", "cp_plans"]


def _rows() -> dict[str, list[dict[str, Any]]]:
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


def _frames() -> dict[str, pl.DataFrame]:
    frames = {}
    for table, rows in _rows().items():
        schema = {
            c: (pl.Datetime("us") if c in DATE_COLUMNS else pl.String) for c in SPEC_COLUMNS[table]
        }
        frames[table] = pl.DataFrame(
            [{c: row.get(c) for c in schema} for row in rows], schema=schema, orient="row"
        )
    return frames


def _figures(data: eh.Dataset) -> pl.DataFrame:
    results = eh.compute(data, profile="derby-2014-15", period="2014-15", measures=MEASURES)
    return results.frame.sort("measure_id", "period", "unit_id", "breakdown", nulls_last=True)


def _csv_export(frames: dict[str, pl.DataFrame], folder: Path) -> Path:
    folder.mkdir()
    for table, frame in frames.items():
        frame.write_csv(folder / f"{table}.csv")
    return folder


# --------------------------------------------------------------------------- PostgreSQL


def _binaries() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(candidates[-1]).parent if candidates else None


def _unavailable(why: str) -> None:
    if REQUIRED:
        pytest.fail(f"PostgreSQL tests are required (EARLYHELP_REQUIRE_POSTGRES=1): {why}")
    pytest.skip(why)


def _as_postgres(command: list[str]) -> None:
    """Run a server command; as root, as the postgres user (the server refuses root)."""
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    """A throwaway PostgreSQL server; yields a URL for its ``earlyhelp`` database."""
    bindir = _binaries()
    if bindir is None:
        _unavailable("PostgreSQL's initdb is not installed (apt-get install postgresql)")
    try:
        import psycopg
    except ImportError:
        _unavailable("psycopg is not installed (pip install 'earlyhelp[database]')")
    assert bindir is not None
    base = Path(tempfile.mkdtemp(prefix="earlyhelp-pg-"))
    base.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    data = base / "data"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _as_postgres([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "earlyhelp",
                  "-E", "UTF8", "--no-sync"])  # fmt: skip
    options = f"-k {base} -c listen_addresses='' -p {port} -c fsync=off"
    _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l",
                  str(base / "log"), "-w", "start"])  # fmt: skip
    try:
        admin = f"postgresql://earlyhelp@/postgres?host={base}&port={port}"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute("CREATE DATABASE reporting")
        yield f"postgresql://earlyhelp@/reporting?host={base}&port={port}"
    finally:
        _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"])
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def ssd_in_postgres(postgres: str) -> str:
    """The extract as tables in an ``ssd`` schema, typed as the spec declares."""
    import psycopg

    with psycopg.connect(postgres) as connection:
        connection.execute("CREATE SCHEMA ssd")
        for table, frame in _frames().items():
            columns = ", ".join(
                f"{c} {'timestamp' if c in DATE_COLUMNS else 'text'}" for c in frame.columns
            )
            connection.execute(f"CREATE TABLE ssd.{table} ({columns})")
            marks = ", ".join(["%s"] * frame.width)
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO ssd.{table} VALUES ({marks})",
                    frame.rows(),
                )
        connection.execute("CREATE TABLE ssd.unrelated (x int)")
    return postgres


def test_live_postgres_gives_the_same_figures_as_a_csv_export(
    ssd_in_postgres: str, tmp_path: Path
) -> None:
    from_db = eh.load(ssd_in_postgres, tables=[f"ssd.{t}" for t in TABLES])
    assert from_db.report.ok, str(from_db.report)
    assert from_db["cases"].height == 40
    # The 1900-01-01 placeholder in a timestamp column is an open case.
    assert from_db["cases"].get_column("closed").null_count() == 14
    from_csv = eh.load(_csv_export(_frames(), tmp_path / "export"))
    assert from_csv.report.ok, str(from_csv.report)
    figures = _figures(from_db)
    assert figures.height > 0
    assert figures.equals(_figures(from_csv))


def test_every_listed_table_is_offered_and_unknown_ones_named(ssd_in_postgres: str) -> None:
    data = eh.load(ssd_in_postgres)  # every table: ssd_* recognised, "unrelated" not read
    assert data["cases"].height == 40
    assert "unrelated" in data.report.ignored_sources
    with pytest.raises(LoadError, match=r"no table ssd_nope; it lists .*ssd_person"):
        eh.load(ssd_in_postgres, tables=["ssd_nope"])


def test_an_open_connection_is_read_too(ssd_in_postgres: str) -> None:
    import psycopg

    with psycopg.connect(ssd_in_postgres) as connection:
        data = eh.load(connection, tables=["ssd.ssd_department", "ssd.ssd_early_help_episodes"])
        assert not connection.closed  # the caller's connection stays open
    assert data["teams"].height == 3


def test_credentials_never_reach_messages() -> None:
    with pytest.raises(LoadError) as caught:
        eh.load("postgresql://someone:s3cret@127.0.0.1:1/db", tables=["ssd_person"])
    assert "s3cret" not in str(caught.value)


# --------------------------------------------------------------------------- SQLite


def test_a_sqlite_file_gives_the_same_figures_as_a_csv_export(tmp_path: Path) -> None:
    path = tmp_path / "reporting.sqlite"
    with sqlite3.connect(path) as connection:
        for table, frame in _frames().items():
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
    from_db = eh.load(path)
    assert from_db.report.ok, str(from_db.report)
    from_csv = eh.load(_csv_export(_frames(), tmp_path / "export"))
    assert _figures(from_db).equals(_figures(from_csv))
    url = f"sqlite:///{path}"
    assert eh.load(url, tables=["ssd_department", "ssd_early_help_episodes"])["cases"].height == 40


def test_cli_validates_a_database_url(
    ssd_in_postgres: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from earlyhelp.cli import EXIT_OK, main

    assert main(["validate", ssd_in_postgres]) == EXIT_OK
    assert "cases" in capsys.readouterr().out


def test_a_duckdb_file_and_connection(tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")  # optional: DuckDB files need the duckdb package
    path = tmp_path / "reporting.duckdb"
    connection = duckdb.connect(str(path))
    for table, frame in _frames().items():
        connection.register("frame", frame.to_arrow())
        connection.execute(f"CREATE TABLE {table} AS SELECT * FROM frame")
        connection.unregister("frame")
    connection.close()
    from_db = eh.load(path)
    assert from_db.report.ok, str(from_db.report)
    assert _figures(from_db).equals(_figures(eh.load(_csv_export(_frames(), tmp_path / "csv"))))
