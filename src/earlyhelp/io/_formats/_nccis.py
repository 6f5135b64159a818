"""NCCIS returns: young people's monthly activity, as the client caseload system exports it.

An NCCIS extract has one row per young person per month, the month given as the
academic year (``ACADYR``, e.g. ``2014/2015``, ``2014/15`` or ``201415``) and the
calendar month number (``MonthNo``, 1 to 12; September is 9). :func:`record_month`
turns the two into the month's first day: months September to December fall in
the academic year's first calendar year, January to August in its second.

Headers are matched loosely, with or without an ``NCCIS_`` prefix: the person
(``YPID``, ``Young_Person_ID``, ``PupilMatchingRefAnonymous``, ``Person_ID``...),
the date of birth (``DOB``, ``Date_of_Birth``) and the activity code
(``Current_Activity_Code``, ``Activity_Code``, ``ActivityCode``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import polars as pl

from earlyhelp.io._formats._common import (
    Gathered,
    csv_headers,
    read_source,
    rejected_rows,
    source_row,
)
from earlyhelp.io._parsing import clean_id, date_text, trimmed
from earlyhelp.io._schema import normalise_name
from earlyhelp.profiles._mapping import MappingSpec

__all__ = ["is_nccis", "read_nccis", "record_month"]

_ROLES: Final[Mapping[str, tuple[str, ...]]] = {
    "person_id": (
        "ypid", "youngpersonid", "youngpersonsid", "pupilmatchingrefanonymous", "personid",
        "ccisid", "clientid", "uniqueid", "upn",
    ),
    "date_of_birth": ("dob", "dateofbirth", "birthdate"),
    "activity_code": ("currentactivitycode", "activitycode", "currentactivity", "activity"),
    "acadyr": ("acadyr", "academicyear"),
    "monthno": ("monthno", "month"),
}  # fmt: skip


def _role(header: str) -> str | None:
    name = normalise_name(header)
    name = name.removeprefix("nccis")
    for role, names in _ROLES.items():
        if name in names:
            return role
    return None


def is_nccis(path: Path) -> bool:
    """Whether a CSV file's header row has ``ACADYR`` and ``MonthNo`` (an NCCIS extract)."""
    roles = {_role(h) for h in csv_headers(path)}
    return {"acadyr", "monthno"} <= roles


def record_month(acadyr: pl.Expr, month: pl.Expr) -> pl.Expr:
    """The first day of the month an NCCIS row records, as ISO text; null if unreadable.

    Example:
        >>> frame = pl.DataFrame({"y": ["2014/2015", "2014/15", "201415", "2014-15", "2014/16"],
        ...                       "m": ["11", "1", "08", "9", "1"]})
        >>> frame.select(record_month(pl.col("y"), pl.col("m"))).to_series().to_list()
        ['2014-11-01', '2015-01-01', '2015-08-01', '2014-09-01', None]
    """
    text = trimmed(acadyr)
    first = text.str.extract(r"^(\d{4})", 1).cast(pl.Int32, strict=False)
    rest = text.str.extract(r"^\d{4}\D?(\d{2}|\d{4})$", 1)
    second = rest.cast(pl.Int32, strict=False)
    follows = (
        pl.when(rest.str.len_chars() == 4)
        .then(second == first + 1)
        .otherwise(second == (first + 1) % 100)
    )
    number = trimmed(month).cast(pl.Int32, strict=False)
    valid = follows & number.is_between(1, 12)
    year = pl.when(number >= 9).then(first).otherwise(first + 1)
    return pl.when(valid).then(pl.date(year, number, 1).cast(pl.String))


def read_nccis(files: Mapping[str, Any], mapping: MappingSpec) -> Gathered:
    """Read NCCIS extracts into the ``neet`` table (person, birth, record month, code)."""
    frames = []
    rejected = []
    for source in files.values():
        read = read_source(Path(source))
        frame = read.frame
        rejected.append(read.rejected)
        roles: dict[str, str] = {}
        for header in frame.columns:
            role = _role(header)
            if role is not None and role not in roles:
                roles[role] = header

        def column(
            role: str, frame: pl.DataFrame = frame, roles: dict[str, str] = roles
        ) -> pl.Expr:
            return pl.col(roles[role]) if role in roles else pl.lit(None, dtype=pl.String)

        month = record_month(column("acadyr"), column("monthno"))
        frames.append(
            frame.select(
                # One file: its rows are numbered as in the file (several are concatenated).
                *(source_row(frame) if len(files) == 1 else []),
                clean_id(column("person_id"), fold=mapping.fold_ids).alias("person_id"),
                date_text(column("date_of_birth")).alias("date_of_birth"),
                # Unreadable year or month: kept as text, so validation rejects the row.
                pl.coalesce(month, pl.lit("unreadable ACADYR or MonthNo")).alias("record_month"),
                trimmed(column("activity_code")).str.replace(r"\.0$", "").alias("activity_code"),
            )
        )
    neet = pl.concat(frames) if frames else pl.DataFrame()
    notes = [f"NCCIS: {neet.height} monthly record(s) from {len(frames)} file(s)"]
    return Gathered(
        sources={"neet": neet},
        notes=tuple(notes),
        formats=("nccis",),
        rejected={"neet": rejected_rows(*rejected)},
    )
