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
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

import earlyhelp as eh
from earlyhelp.errors import LoadError
from ssd_database import DATE_COLUMNS, typed_frames, write_sqlite

D = dt.date
REQUIRED = os.environ.get("EARLYHELP_REQUIRE_POSTGRES") == "1"
TABLES = ("ssd_department", "ssd_person", "ssd_family", "ssd_early_help_episodes", "ssd_cp_plans")
MEASURES = ["open_cases", "cases_closed", "escalations", "escalation_rate", "cp_plans"]


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
        for table, frame in typed_frames().items():
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
    from_csv = eh.load(_csv_export(typed_frames(), tmp_path / "export"))
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
    write_sqlite(path, typed_frames())
    from_db = eh.load(path)
    assert from_db.report.ok, str(from_db.report)
    from_csv = eh.load(_csv_export(typed_frames(), tmp_path / "export"))
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
    for table, frame in typed_frames().items():
        connection.register("frame", frame.to_arrow())
        connection.execute(f"CREATE TABLE {table} AS SELECT * FROM frame")
        connection.unregister("frame")
    connection.close()
    from_db = eh.load(path)
    assert from_db.report.ok, str(from_db.report)
    assert _figures(from_db).equals(
        _figures(eh.load(_csv_export(typed_frames(), tmp_path / "csv")))
    )
