"""The DfE children in need (CIN) census return, as XML.

One file per collection year (``Message/Header/CollectionDetails/Year``), each
child with ``ChildIdentifiers``, ``ChildCharacteristics`` and one ``CINdetails``
per referral, holding its assessments and child protection plans. The schema
changed over the years (DfE publishes one XSD per collection year; the code
lists are in :data:`CENSUS_YEARS`), but the elements read here are in every
year's schema since 2017.

The reader gives:

* ``children``: ``LAchildID``, ``PersonBirthDate``;
* ``cin_referrals``: one per ``CINdetails``, its id ``LAchildID:CINreferralDate``;
  kept apart from early help referrals;
* ``social_care_episodes``: each ``CINdetails`` as a child in need episode (the
  census's children in need include those on plans and in care), each
  ``ChildProtectionPlans`` as a ``cp`` episode; reason for closure ``RC9``
  (transferred to early help, from 2023-24) is a step-down to early help under
  the ``cin-census`` profile;
* ``single_assessments``: each ``Assessments``.

Several years' returns load together: a referral, plan or assessment in more
than one return is kept once, from the latest return, and each removal is
noted by id.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import attrs
import polars as pl

from earlyhelp.errors import LoadError
from earlyhelp.io._formats._common import Gathered
from earlyhelp.io._formats._xml import local_name, parse_xml

__all__ = ["CENSUS_YEARS", "CensusYear", "is_cin_census", "read_cin_census"]


@attrs.frozen(kw_only=True)
class CensusYear:
    """The code lists of one collection year's CIN census schema (its XSD)."""

    year: int
    referral_sources: tuple[str, ...]
    closure_reasons: tuple[str, ...]
    cin_plan_dates: bool
    """Whether ``CINPlanDates`` (CIN plan start and end) is in the schema."""


_SOURCES_2017: Final = (
    "1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E", "3F",
    "4", "5A", "5B", "5C", "6", "7", "8", "9", "10",
)  # fmt: skip
_REASONS_2017: Final = ("RC1", "RC2", "RC3", "RC4", "RC5", "RC6", "RC7", "RC8")


def _year(year: int) -> CensusYear:
    return CensusYear(
        year=year,
        referral_sources=_SOURCES_2017 + (("5D",) if year >= 2024 else ()),
        closure_reasons=_REASONS_2017 + (("RC9",) if year >= 2024 else ()),
        cin_plan_dates=year >= 2022,
    )


CENSUS_YEARS: Final[Mapping[int, CensusYear]] = {y: _year(y) for y in range(2017, 2025)}
"""Each collection year's code lists, from DfE's CIN census XSDs for 2017 to 2024
(the year is the census's ``Year``: 2024 is the 2023-24 census). Referral source
``5D`` ("LA services - early help") and reason for closure ``RC9`` ("case closed
after assessment, referred to early help") are new in 2024; ``CINPlanDates`` in
2022. Other years are read with the nearest year's lists, and the load report
says so."""

STEP_DOWN_CODE: Final = "RC9"
"""Reason for closure: case closed after assessment, referred to early help."""


def is_cin_census(path: Path) -> bool:
    """Whether a file looks like a CIN census return (sniffs its first 64 KiB)."""
    if path.suffix.lower() != ".xml" or not path.is_file():
        return False
    with path.open("rb") as file:
        head = file.read(65536)
    return b"<Message" in head and (b"<CINdetails" in head or b"<Collection>CIN" in head)


def _text(element: ET.Element | None, name: str) -> str | None:
    if element is None:
        return None
    for child in element:
        if local_name(child.tag) == name:
            text = (child.text or "").strip()
            return text or None
    return None


def _children_of(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if local_name(child.tag) == name]


def _first(element: ET.Element, name: str) -> ET.Element | None:
    found = _children_of(element, name)
    return found[0] if found else None


def _collection_year(root: ET.Element, path: Path) -> int:
    header = _first(root, "Header")
    details = None if header is None else _first(header, "CollectionDetails")
    year = _text(details, "Year")
    if year is None or not year.isdigit():
        msg = f"{path.name}: no collection year (Message/Header/CollectionDetails/Year)"
        raise LoadError(msg)
    return int(year)


def _rows(root: ET.Element, year: int) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {
        "children": [],
        "cin_referrals": [],
        "cp": [],
        "single_assessments": [],
    }
    children = _first(root, "Children")
    for child in [] if children is None else _children_of(children, "Child"):
        ids = _first(child, "ChildIdentifiers")
        person = _text(ids, "LAchildID")
        out["children"].append(
            {"person_id": person, "date_of_birth": _text(ids, "PersonBirthDate"), "__year": year}
        )
        for cin in _children_of(child, "CINdetails"):
            referred = _text(cin, "CINreferralDate")
            referral_id = f"{person}:{referred}"
            out["cin_referrals"].append(
                {
                    "referral_id": referral_id,
                    "person_id": person,
                    "referral_date": referred,
                    "source_code": _text(cin, "ReferralSource"),
                    "primary_need": _text(cin, "PrimaryNeedCode"),
                    "no_further_action": _text(cin, "ReferralNFA"),
                    "closed": _text(cin, "CINclosureDate"),
                    "close_reason": _text(cin, "ReasonForClosure"),
                    "__year": year,
                }
            )
            for plan in _children_of(cin, "ChildProtectionPlans"):
                started = _text(plan, "CPPstartDate")
                out["cp"].append(
                    {
                        "episode_id": f"cp-{person}:{started}",
                        "person_id": person,
                        "kind": "cp",
                        "started": started,
                        "ended": _text(plan, "CPPendDate"),
                        "cp_category": _text(plan, "LatestCategoryOfAbuse")
                        or _text(plan, "InitialCategoryOfAbuse"),
                        "__year": year,
                    }
                )
            for assessment in _children_of(cin, "Assessments"):
                started = _text(assessment, "AssessmentActualStartDate")
                out["single_assessments"].append(
                    {
                        "assessment_id": f"{person}:{started}",
                        "person_id": person,
                        "started": started,
                        "completed": _text(assessment, "AssessmentAuthorisationDate"),
                        "by_qualified_social_worker": "yes",
                        "__year": year,
                    }
                )
    return out


def _latest(frame: pl.DataFrame, key: str, table: str) -> tuple[pl.DataFrame, list[str]]:
    """Keep each id once, from the latest return; note the ids removed."""
    if frame.is_empty():
        return frame.drop("__year"), []
    ordered = frame.sort("__year", descending=True, maintain_order=True)
    kept = ordered.unique(key, keep="first", maintain_order=True)
    removed = ordered.height - kept.height
    notes = []
    if removed:
        repeated = (
            ordered.group_by(key).len().filter(pl.col("len") > 1).get_column(key).sort().to_list()
        )
        notes.append(
            f"{table}: {removed} row(s) repeated in several years' returns kept once, from the "
            f"latest return; removed ids: {', '.join(str(i) for i in repeated)}"
        )
    return kept.sort("__year", maintain_order=True).drop("__year"), notes


def _code_notes(referrals: pl.DataFrame, years: Mapping[int, CensusYear]) -> list[str]:
    notes = []
    for year, schema in sorted(years.items()):
        rows = referrals.filter(pl.col("__year") == year)
        for column, allowed, label in (
            ("source_code", schema.referral_sources, "ReferralSource"),
            ("close_reason", schema.closure_reasons, "ReasonForClosure"),
        ):
            bad = rows.filter(pl.col(column).is_not_null() & ~pl.col(column).is_in(allowed))
            if bad.height:
                codes = ", ".join(sorted(set(bad.get_column(column).to_list())))
                notes.append(
                    f"CIN census {year}: {label} code(s) {codes} not in that year's schema "
                    f"({bad.height} referral(s)); kept as written"
                )
    return notes


def read_cin_census(files: Mapping[str, Any], mapping: object = None) -> Gathered:
    """Read one or more CIN census XML returns into ``earlyhelp``'s input tables.

    Args:
        files: name -> path of each return.
        mapping: unused (the census's codes are national).
    """
    rows: dict[str, list[dict[str, Any]]] = {}
    notes: list[str] = []
    schemas: dict[int, CensusYear] = {}
    for source in files.values():
        path = Path(source)
        root = parse_xml(path)
        if local_name(root.tag) != "Message":
            msg = f"{path.name}: the root element is {local_name(root.tag)!r}; expected Message"
            raise LoadError(msg)
        year = _collection_year(root, path)
        known = min(CENSUS_YEARS, key=lambda y: (abs(y - year), -y))
        schemas[year] = CENSUS_YEARS[known]
        note = f"CIN census {year} ({path.name})"
        if known != year:
            note += f": read with the {known} schema's code lists"
        notes.append(note)
        for table, found in _rows(root, year).items():
            rows.setdefault(table, []).extend(found)

    def frame(table: str) -> pl.DataFrame:
        found = rows.get(table, [])
        return (
            pl.DataFrame(found, infer_schema_length=None).cast(
                {c: pl.String for c in (found[0] if found else {}) if c != "__year"}
            )
            if found
            else pl.DataFrame()
        )

    sources: dict[str, Any] = {}
    referrals = frame("cin_referrals")
    if referrals.height:
        notes += _code_notes(referrals, schemas)
    for table, key in (
        ("children", "person_id"),
        ("cin_referrals", "referral_id"),
        ("cp", "episode_id"),
        ("single_assessments", "assessment_id"),
    ):
        read = frame(table)
        if read.height:
            kept, removed = _latest(read, key, table if table != "cp" else "cp plans")
            notes += removed
            sources[table] = kept
    if "cin_referrals" in sources:
        cin = sources["cin_referrals"].select(
            ("cin-" + pl.col("referral_id")).alias("episode_id"),
            "person_id",
            pl.lit("cin").alias("kind"),
            pl.col("referral_date").alias("started"),
            pl.col("closed").alias("ended"),
            pl.col("close_reason").alias("end_reason"),
            "primary_need",
        )
        episodes = [cin, sources.pop("cp")] if "cp" in sources else [cin]
        sources["social_care_episodes"] = pl.concat(episodes, how="diagonal_relaxed")
    return Gathered(sources=sources, notes=tuple(notes), formats=("cin-census",))
