"""Reading tables straight from a reporting database.

Councils build the Standard Safeguarding Dataset, and keep their case-management
exports, in SQL Server or PostgreSQL reporting databases. ``earlyhelp.load`` reads
them directly:

* a URL: ``postgresql://user@host/db`` (with ``psycopg``, the ``database``
  extra), ``mssql://user@host/db`` for SQL Server (with ``pyodbc`` and
  Microsoft's ODBC driver; see :func:`odbc_connection_string`),
  ``sqlite:///path/to.db``;
* a SQLite file (``.db``, ``.sqlite``, ``.sqlite3``) or a DuckDB file
  (``.duckdb``, with the ``duckdb`` package);
* a connection object you opened yourself: any DB-API connection (``psycopg``,
  ``pyodbc`` for SQL Server, ``sqlite3``), an ADBC connection or a SQLAlchemy
  connection, as :func:`polars.read_database` accepts.

``tables`` names the tables to read (``"ssd_person"`` or ``"schema.ssd_person"``);
by default every table the database lists is offered, and each is recognised by
its name exactly as a file would be (``ssd_*`` tables by the SSD reader, tables
named after input tables as they are). Names are checked against the database's
own list and quoted, never pasted into SQL as given.
"""

from __future__ import annotations

import os
import sqlite3
import urllib.parse
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import polars as pl

from earlyhelp.errors import LoadError

__all__ = ["DATABASE_SUFFIXES", "database_members", "is_database", "odbc_connection_string"]

DATABASE_SUFFIXES: Final = (".db", ".sqlite", ".sqlite3", ".duckdb")
"""File endings read as databases."""

_MSSQL_SCHEMES: Final = ("mssql://", "mssql+pyodbc://", "sqlserver://")
_URL_SCHEMES: Final = ("postgresql://", "postgres://", "sqlite://", *_MSSQL_SCHEMES)

ODBC_DRIVER: Final = "ODBC Driver 18 for SQL Server"
"""The ODBC driver a SQL Server URL uses unless it names one (``?driver=...``)."""


def odbc_connection_string(url: str) -> str:
    """The ODBC connection string for a SQL Server URL (``mssql://user:pass@host:port/db``).

    Query parameters are passed on as ODBC keywords (``?driver=...``,
    ``?TrustServerCertificate=yes``, ``?Trusted_Connection=yes``); the driver
    is :data:`ODBC_DRIVER` unless one is named. Values are braced, so a
    password holding ``;`` cannot add a keyword.

    Raises:
        LoadError: the URL names no server (the message never repeats it).

    Example:
        >>> odbc_connection_string("mssql://analyst:s3cret@reporting-db:1433/warehouse"
        ...     "?TrustServerCertificate=yes")  # doctest: +NORMALIZE_WHITESPACE
        'DRIVER={ODBC Driver 18 for SQL Server};SERVER={reporting-db,1433};DATABASE={warehouse};UID={analyst};PWD={s3cret};TrustServerCertificate={yes}'
    """
    parts = urllib.parse.urlsplit(url)
    if not parts.hostname:
        msg = "a SQL Server URL needs a server: mssql://user@host/database"
        raise LoadError(msg)
    options = dict(urllib.parse.parse_qsl(parts.query))
    driver = options.pop("driver", ODBC_DRIVER)
    server = parts.hostname if parts.port is None else f"{parts.hostname},{parts.port}"
    keywords = [("DRIVER", driver), ("SERVER", server)]
    database = urllib.parse.unquote(parts.path.lstrip("/"))
    if database:
        keywords.append(("DATABASE", database))
    if parts.username:
        keywords.append(("UID", urllib.parse.unquote(parts.username)))
    if parts.password:
        keywords.append(("PWD", urllib.parse.unquote(parts.password)))
    keywords += list(options.items())
    return ";".join(f"{key}={{{value.replace('}', '}}')}}}" for key, value in keywords)


def _connect_mssql(url: str) -> Any:
    """A pyodbc connection for a SQL Server URL."""
    connection_string = odbc_connection_string(url)
    try:
        import pyodbc  # type: ignore[import-not-found,unused-ignore]  # noqa: PLC0415
    except ImportError:
        msg = (
            "reading SQL Server needs pyodbc and Microsoft's ODBC driver: "
            "pip install pyodbc (or open the connection yourself and pass it)"
        )
        raise LoadError(msg) from None
    try:
        return pyodbc.connect(connection_string)
    except Exception as exc:  # pyodbc.Error and its kin; its text may hold the URL
        msg = f"could not connect to the SQL Server database ({type(exc).__name__})"
        raise LoadError(msg) from None


def is_database(source: object) -> bool:
    """Whether ``source`` names or is a database (a URL, a database file, or a connection)."""
    if isinstance(source, str) and source.startswith(_URL_SCHEMES):
        return True
    if isinstance(source, str | os.PathLike):
        return Path(source).suffix.lower() in DATABASE_SUFFIXES and Path(source).is_file()
    return hasattr(source, "cursor") or hasattr(source, "execute")


def _connect(source: object) -> tuple[Any, str, bool]:
    """An open connection, its dialect, and whether this module opened it (so closes it)."""
    if isinstance(source, str) and source.startswith(("postgresql://", "postgres://")):
        try:
            import psycopg  # noqa: PLC0415 - only PostgreSQL sources need it
        except ImportError:
            msg = "reading PostgreSQL needs psycopg: pip install 'earlyhelp[database]'"
            raise LoadError(msg) from None
        try:
            return psycopg.connect(source), "postgresql", True
        except psycopg.Error as exc:
            msg = f"could not connect to the PostgreSQL database ({type(exc).__name__})"
            raise LoadError(msg) from None
    if isinstance(source, str) and source.startswith(_MSSQL_SCHEMES):
        return _connect_mssql(source), "mssql", True
    if isinstance(source, str) and source.startswith("sqlite://"):
        return sqlite3.connect(source.removeprefix("sqlite:///")), "sqlite", True
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if path.suffix.lower() == ".duckdb":
            try:
                import duckdb  # type: ignore[import-not-found,unused-ignore]  # noqa: PLC0415
            except ImportError:
                msg = f"{path.name}: reading DuckDB files needs the duckdb package"
                raise LoadError(msg) from None
            return duckdb.connect(str(path), read_only=True), "duckdb", True
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True), "sqlite", True
    module = type(source).__module__.split(".")[0]
    dialect = "sqlite" if isinstance(source, sqlite3.Connection) else module
    return source, dialect, False


def _listed(connection: Any, dialect: str) -> list[tuple[str | None, str]]:
    """Every (schema, table) the database lists (user tables and views)."""
    if dialect == "sqlite":
        query = "SELECT NULL AS s, name AS t FROM sqlite_master WHERE type IN ('table', 'view')"
    else:
        query = (
            "SELECT table_schema AS s, table_name AS t FROM information_schema.tables "
            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema', "
            "'INFORMATION_SCHEMA', 'sys')"
        )
    frame = pl.read_database(query, connection, infer_schema_length=None)
    return [(row[0], row[1]) for row in frame.rows()]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def database_members(
    source: object, tables: Sequence[str] | None = None
) -> tuple[list[tuple[str, pl.DataFrame]], str]:
    """Each table read from a database, named by its table name, and a label for reports.

    Args:
        source: a URL, a database file, or an open connection.
        tables: the tables to read (``name`` or ``schema.name``); every listed
            table by default.

    Raises:
        LoadError: no driver, no connection, or a named table the database does not list.
    """
    connection, dialect, opened = _connect(source)
    try:
        listed = _listed(connection, dialect)
        by_name: dict[str, tuple[str | None, str]] = {}
        for schema, name in listed:
            by_name.setdefault(name.lower(), (schema, name))
            if schema is not None:
                by_name[f"{schema}.{name}".lower()] = (schema, name)
        wanted = list(tables) if tables is not None else [name for _, name in listed]
        missing = [name for name in wanted if name.lower() not in by_name]
        if missing:
            msg = (
                f"the database has no table {', '.join(missing)}; it lists "
                f"{', '.join(sorted({name for _, name in listed})) or 'no tables'}"
            )
            raise LoadError(msg)
        members = []
        for name in wanted:
            schema, table = by_name[name.lower()]
            qualified = _quote(table) if schema is None else f"{_quote(schema)}.{_quote(table)}"
            frame = pl.read_database(
                # Names are checked against the database's own list, and quoted.
                f"SELECT * FROM {qualified}",
                connection,
                infer_schema_length=None,
            )
            members.append((table, frame))
    finally:
        if opened:
            connection.close()
    label = dialect if not isinstance(source, str | os.PathLike) else Path(str(source)).name
    if isinstance(source, str) and "://" in source:
        label = source.split("://", 1)[0] + " database"  # never echo credentials
    return members, label
