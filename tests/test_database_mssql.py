"""SQL Server through the same database API (issue 13), without a server.

No SQL Server runs here, so the route is tested with a stand-in ``pyodbc``: an
``mssql://`` URL must be accepted, turned into an ODBC connection string and
read by the same code as every database (its ``information_schema`` lists the
tables; each is read by its quoted, schema-qualified name). The stand-in is a
SQLite connection with ``information_schema`` and ``dbo`` attached, so the SQL
that reaches it is the SQL a SQL Server would get. SQL Server itself is
untested (the docs say so).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
import types
from pathlib import Path

import pytest

import earlyhelp as eh
from earlyhelp.errors import LoadError
from ssd_extract import sql_date, table

URL = (
    "mssql://analyst:p%40ss%3Bword@reporting-db:1433/warehouse"
    "?driver=ODBC+Driver+17+for+SQL+Server&TrustServerCertificate=yes"
)


def _server(tmp_path: Path) -> sqlite3.Connection:
    """A SQLite stand-in for a SQL Server database holding SSD tables in schema dbo."""
    connection = sqlite3.connect(":memory:")
    connection.execute(f"ATTACH DATABASE '{tmp_path / 'info.db'}' AS information_schema")
    connection.execute(f"ATTACH DATABASE '{tmp_path / 'dbo.db'}' AS dbo")
    connection.execute("CREATE TABLE information_schema.tables (table_schema, table_name)")
    tables = {
        "ssd_department": table(
            "ssd_department", [{"dept_team_id": "T1", "dept_team_parent_id": "L1"}]
        ),
        "ssd_early_help_episodes": table(
            "ssd_early_help_episodes",
            [
                {
                    "earl_episode_id": f"E{i}",
                    "earl_person_id": f"P{i}",
                    "earl_episode_start_date": sql_date(dt.date(2024, 5, i)),
                    "earl_episode_organisation": "T1",
                }
                for i in (1, 2, 3)
            ],
        ),
    }
    for name, frame in tables.items():
        columns = ", ".join(f'"{c}"' for c in frame.columns)
        connection.execute(f'CREATE TABLE dbo."{name}" ({columns})')
        marks = ", ".join("?" for _ in frame.columns)
        connection.executemany(f'INSERT INTO dbo."{name}" VALUES ({marks})', frame.rows())
        connection.execute("INSERT INTO information_schema.tables VALUES ('dbo', ?)", (name,))
    connection.execute("INSERT INTO information_schema.tables VALUES ('sys', 'objects')")
    connection.commit()
    return connection


@pytest.fixture
def fake_pyodbc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Install a stand-in ``pyodbc`` module; returns the connection strings it was given."""
    given: list[str] = []
    module = types.ModuleType("pyodbc")

    def connect(connection_string: str) -> sqlite3.Connection:
        given.append(connection_string)
        return _server(tmp_path)

    module.connect = connect  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pyodbc", module)
    return given


def test_an_mssql_url_is_read_through_the_database_api(fake_pyodbc: list[str]) -> None:
    data = eh.load(URL, tables=["dbo.ssd_department", "ssd_early_help_episodes"])
    assert fake_pyodbc == [
        "DRIVER={ODBC Driver 17 for SQL Server};SERVER={reporting-db,1433};"
        "DATABASE={warehouse};UID={analyst};PWD={p@ss;word};TrustServerCertificate={yes}"
    ]
    assert data.report.ok, str(data.report)
    assert sorted(data["cases"].get_column("episode_id")) == ["E1", "E2", "E3"]
    assert set(data["cases"].get_column("locality_id")) == {"L1"}
    assert "format: ssd" in data.report.notes
    assert "p@ss" not in str(data.report)
    assert "analyst" not in str(data.report)


def test_every_listed_table_is_offered_but_system_schemas(fake_pyodbc: list[str]) -> None:
    data = eh.load("sqlserver://reporting-db/warehouse")
    assert fake_pyodbc[0].startswith("DRIVER={ODBC Driver 18 for SQL Server};SERVER={reporting-db}")
    assert data["cases"].height == 3
    assert data.report.ignored_sources == ()  # sys.objects is not offered


def test_a_failed_connection_names_no_credential(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("pyodbc")

    def connect(connection_string: str) -> None:
        msg = f"login failed: {connection_string}"
        raise RuntimeError(msg)

    module.connect = connect  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pyodbc", module)
    with pytest.raises(LoadError) as caught:
        eh.load(URL)
    assert "SQL Server" in str(caught.value)
    assert "p@ss" not in str(caught.value)
    assert "analyst" not in str(caught.value)


def test_without_pyodbc_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyodbc", None)  # an import of it fails
    with pytest.raises(LoadError, match="pyodbc"):
        eh.load(URL)


def test_a_url_without_a_server_is_refused() -> None:
    with pytest.raises(LoadError, match="needs a server"):
        eh.load("mssql:///warehouse")
