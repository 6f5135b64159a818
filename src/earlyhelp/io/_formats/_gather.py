"""Recognising what a path holds, and reading it with the right format reader.

``earlyhelp.load(path)`` looks at each file (its name, its sheets, its XML root
or its header row) and hands it to the reader of the format it recognises:

========== ===================================================================
format     recognised by
========== ===================================================================
native     a file or sheet named after an input table (``cases.csv``), or
           named in the profile's ``[mapping.files]``
ssd        a file named after a Standard Safeguarding Dataset table (``ssd_*``)
cin-census an XML file whose root is ``Message`` holding ``CINdetails`` (DfE's
           children in need census return)
ssda903    a CSV file whose header row is an SSDA903 episodes or header table
           (``CHILD, DECOM, RNE, LS, ...`` or ``CHILD, SEX, DOB, ETHNIC, ...``)
annex-a    a workbook with sheets ``List 1`` ... ``List 11`` (Ofsted's Annex A)
nccis      a CSV file whose header row has ``ACADYR`` and ``MonthNo`` (an NCCIS extract)
========== ===================================================================

A database (a ``postgresql://``, ``mssql://`` or ``sqlite://`` URL, a ``.db``/``.sqlite``/``.duckdb``
file, or an open connection) is read table by table, each table recognised by
its name as a file would be (see :mod:`earlyhelp.io._formats._database`).

``format=`` chooses the reader for every file instead. Nothing recognised is an
error naming each file not recognised and the names expected.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import polars as pl

from earlyhelp.errors import LoadError
from earlyhelp.io._formats._annex_a import annex_a_list, is_annex_a, read_annex_a
from earlyhelp.io._formats._cin_census import is_cin_census, read_cin_census
from earlyhelp.io._formats._common import Gathered, rejected_rows
from earlyhelp.io._formats._database import database_members, is_database
from earlyhelp.io._formats._nccis import is_nccis, read_nccis
from earlyhelp.io._formats._ssd import SSD_TABLES, read_ssd, ssd_table_of
from earlyhelp.io._formats._ssda903 import read_ssda903, ssda903_table
from earlyhelp.io._readers import SUFFIXES, clean_name
from earlyhelp.io._schema import normalise_name
from earlyhelp.io._tables import SCHEMAS
from earlyhelp.profiles._mapping import MappingSpec, fold_key

__all__ = ["FORMATS", "gather", "native_table"]

_BY_NORMALISED: Final = {normalise_name(name): name for name in SCHEMAS}

FORMATS: Final = ("native", "ssd", "cin-census", "ssda903", "annex-a", "nccis")
"""The formats ``earlyhelp.load`` can read (``format=``)."""


def native_table(name: str, mapping: MappingSpec) -> str | None:
    """The input table a file stem or sheet names, directly or through the profile's mapping."""
    mapped = mapping.files.get(fold_key(name))
    if mapped is not None:
        table = _BY_NORMALISED.get(normalise_name(mapped))
        if table is None:
            msg = (
                f"profile [mapping.files] maps {name!r} to {mapped!r}, which is not a table; "
                f"expected one of {', '.join(SCHEMAS)}"
            )
            raise LoadError(msg)
        return table
    return _BY_NORMALISED.get(normalise_name(name))


def _sheets(path: Path) -> list[str]:
    import fastexcel  # noqa: PLC0415 - only workbooks need it

    try:
        return list(fastexcel.read_excel(str(path)).sheet_names)
    except (Exception, BaseException) as exc:  # fastexcel may panic on a corrupt workbook
        if isinstance(exc, KeyboardInterrupt | SystemExit | MemoryError):
            raise
        msg = f"{clean_name(path.name)}: could not be read as XLSX"
        raise LoadError(msg) from None


def _members(path: Path) -> list[tuple[str, Any]]:
    """Each (name, source) a path holds: files of a folder, sheets of a workbook, or the file.

    In a folder, a workbook of Annex A lists is opened into its sheets.
    """
    if path.is_dir():
        members: list[tuple[str, Any]] = []
        for file in sorted(path.iterdir()):
            if not file.is_file():
                continue
            if file.suffix.lower() in (".xlsx", ".xlsm"):
                sheets = _sheets(file)
                if is_annex_a(file, sheets):
                    members += [(sheet, (file, sheet)) for sheet in sheets]
                    continue
            members.append((file.stem, file))
        return members
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return [(sheet, (path, sheet)) for sheet in _sheets(path)]
    return [(path.stem, path)]


def _label(source: Any) -> str:
    if isinstance(source, tuple):
        return clean_name(source[1])
    if isinstance(source, pl.DataFrame):
        return "<table>"
    return clean_name(Path(source).name)


def _readable(source: Any) -> bool:
    if isinstance(source, tuple | pl.DataFrame):
        return True
    return Path(source).suffix.lower() in SUFFIXES


_Claim = Callable[[str, Any, MappingSpec], str | None]


def _claim_ssd(name: str, source: Any, mapping: MappingSpec) -> str | None:
    table = ssd_table_of(name)
    return table if table is not None and _readable(source) else None


def _claim_native(name: str, source: Any, mapping: MappingSpec) -> str | None:
    return native_table(name, mapping) if _readable(source) else None


def _is_file(source: Any) -> bool:
    return not isinstance(source, tuple | pl.DataFrame)


def _claim_cin_census(name: str, source: Any, mapping: MappingSpec) -> str | None:
    if not _is_file(source) or not is_cin_census(Path(source)):
        return None
    return Path(source).name  # one entry per return: several years load together


def _claim_ssda903(name: str, source: Any, mapping: MappingSpec) -> str | None:
    if not _is_file(source) or ssda903_table(Path(source)) is None:
        return None
    return Path(source).name  # one entry per file: several years load together


def _claim_annex_a(name: str, source: Any, mapping: MappingSpec) -> str | None:
    if not isinstance(source, tuple) or annex_a_list(name) is None:
        return None
    return f"{name}@{Path(source[0]).name}"  # several workbooks load together


def _claim_nccis(name: str, source: Any, mapping: MappingSpec) -> str | None:
    if not _is_file(source) or not is_nccis(Path(source)):
        return None
    return Path(source).name  # one entry per file: several months or years load together


_CLAIMS: Final[dict[str, _Claim]] = {
    "ssd": _claim_ssd,
    "annex-a": _claim_annex_a,
    "cin-census": _claim_cin_census,
    "ssda903": _claim_ssda903,
    "nccis": _claim_nccis,
    "native": _claim_native,
}
_READERS: Final[dict[str, Callable[[dict[str, Any], MappingSpec], Gathered]]] = {
    "ssd": read_ssd,
    "cin-census": read_cin_census,
    "ssda903": read_ssda903,
    "annex-a": read_annex_a,
    "nccis": read_nccis,
}


def _expected() -> str:
    return (
        f"files or sheets named after input tables ({', '.join(SCHEMAS)}); "
        f"Standard Safeguarding Dataset tables ({', '.join(SSD_TABLES)}); "
        "a CIN census XML return; SSDA903 episodes and header CSV files; "
        "an Annex A workbook (sheets List 1 to List 11); "
        "or an NCCIS extract (a CSV file with ACADYR and MonthNo)"
    )


def gather(
    source: str | os.PathLike[str] | Any,
    *,
    format: str | None = None,
    mapping: MappingSpec | None = None,
    tables: Sequence[str] | None = None,
) -> Gathered:
    """Recognise the tables at ``source`` and read those that need a format reader.

    Args:
        source: a folder, a workbook, a single file, or a database (URL, file or
            open connection).
        format: read every file as this format (one of :data:`FORMATS`)
            instead of recognising each.
        mapping: the profile's ``[mapping]`` (file names, localities, codes).
        tables: for a database, the tables to read (every table by default).

    Raises:
        LoadError: no such path; an unknown ``format``; two files hold one
            table; or nothing was recognised (naming each file and what was expected).
    """
    spec = mapping if mapping is not None else MappingSpec()
    if format is not None and format not in FORMATS:
        msg = f"unknown format {format!r}; expected one of {', '.join(FORMATS)}"
        raise LoadError(msg)
    if is_database(source):
        read, where = database_members(source, tables)
        members: list[tuple[str, Any]] = [(name, (frame, name)) for name, frame in read]
        label = where
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.exists():
            msg = f"{clean_name(path)}: no such file or folder"
            raise LoadError(msg)
        members = _members(path)
        label = clean_name(path)
    else:
        msg = f"cannot load tables from a {type(source).__name__}; expected a path or a mapping"
        raise LoadError(msg)
    claimed: dict[str, dict[str, Any]] = {}
    ignored: list[str] = []
    order = (format,) if format is not None else tuple(_CLAIMS)
    for name, member in members:
        for fmt in order:
            table = _CLAIMS[fmt](name, member, spec)
            if table is not None:
                held = claimed.setdefault(fmt, {})
                if table in held:
                    msg = (
                        f"{label}: both {_label(held[table])} and {_label(member)} "
                        f"hold table {table}"
                    )
                    raise LoadError(msg)
                held[table] = member
                break
        else:
            ignored.append(clean_name(name) if isinstance(member, pl.DataFrame) else _label(member))
    if not claimed:
        listed = ", ".join(ignored) if ignored else "(nothing: the folder is empty)"
        msg = f"{label}: no table recognised. Not recognised: {listed}. Expected {_expected()}"
        raise LoadError(msg)
    gathered = _read_claimed(claimed, spec, label)
    return Gathered(
        sources=gathered.sources,
        ignored=tuple(ignored),
        notes=(f"format: {', '.join(claimed)}", *gathered.notes),
        formats=tuple(claimed),
        rejected=gathered.rejected,
    )


def _read_claimed(claimed: dict[str, dict[str, Any]], spec: MappingSpec, label: str) -> Gathered:
    """Read each format's claimed members with its reader, and put their tables together."""
    sources: dict[str, Any] = {}
    notes: list[str] = []
    rejected: dict[str, pl.DataFrame] = {}
    for fmt, held in claimed.items():
        gathered = (
            Gathered(sources=held, formats=(fmt,)) if fmt == "native" else _READERS[fmt](held, spec)
        )
        notes += gathered.notes
        for table, rows in gathered.rejected.items():
            rejected[table] = rejected_rows(rejected.get(table), rows)
        for table, value in gathered.sources.items():
            if table in sources:
                msg = f"{label}: table {table} is given both as {fmt} and in another format"
                raise LoadError(msg)
            sources[table] = value
    return Gathered(sources=sources, notes=tuple(notes), rejected=rejected)


def gather_frames(source: Mapping[str, Any], mapping: MappingSpec) -> Gathered:
    """Tables given as a mapping of name -> path or frame (native or SSD names)."""
    native: dict[str, Any] = {}
    ssd: dict[str, Any] = {}
    for name, value in source.items():
        if not isinstance(name, str):
            msg = f"a table is named by a {type(name).__name__}; expected its name as text"
            raise LoadError(msg)
        ssd_table = ssd_table_of(name)
        if ssd_table is not None:
            ssd[ssd_table] = value
            continue
        table = native_table(name, mapping)
        if table is None or table not in SCHEMAS:
            msg = f"unknown table {clean_name(name)!r}; expected {_expected()}"
            raise LoadError(msg)
        native[table] = value
    if not ssd:
        return Gathered(sources=native, formats=("native",))
    read = read_ssd(ssd, mapping)
    return Gathered(
        sources={**read.sources, **native},
        notes=read.notes,
        formats=("ssd", "native") if native else ("ssd",),
        rejected=read.rejected,
    )
