"""The Ofsted Annex A workbook (children's social care inspection lists 1 to 11).

Ofsted's template is one workbook with a sheet per list (``List 1`` ... ``List
11``; councils often add a description, ``List 3 - Referrals``), one row per child
per event, and coded answers written with a letter, as the template's drop-downs
give them: ``a) Yes``, ``b) Female``, ``e) 2A: Schools``, ``a) E11: Adopted -
application unopposed``. :func:`unlettered` reads such an answer as its code.

The lists ``earlyhelp`` uses:

* List 1 (contacts) -> ``contacts``;
* List 2 (early help assessments) -> ``assessments``;
* List 3 (referrals) -> ``cin_referrals``;
* List 4 (assessments) -> ``single_assessments``;
* List 6 (children in need) -> ``cin`` social care episodes;
* List 7 (child protection plans) -> ``cp`` social care episodes;
* List 8 (children looked after) -> ``cic`` social care episodes.

Lists 5 (section 47 enquiries), 9 (care leavers), 10 (adoption) and 11
(adopters) are recognised and noted, not read. Each list's header names are
Ofsted's (:data:`LIST_COLUMNS`), matched loosely.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import polars as pl

from earlyhelp.io._formats._common import Gathered
from earlyhelp.io._parsing import clean_id, date_text, trimmed
from earlyhelp.io._readers import read_frame
from earlyhelp.io._schema import normalise_name
from earlyhelp.profiles._mapping import MappingSpec

__all__ = ["LIST_COLUMNS", "annex_a_list", "read_annex_a", "unlettered"]

_SHEET: Final = re.compile(r"^\s*list\s*(\d{1,2})\b", re.IGNORECASE)

LIST_COLUMNS: Final[Mapping[int, Mapping[str, str]]] = {
    1: {
        "Child Unique ID": "person_id",
        "Date of Contact": "contact_date",
        "Contact Source": "source_code",
    },
    2: {
        "Child Unique ID": "person_id",
        "Assessment start date": "started",
        "Assessment completion date": "completed",
        "Organisation completing assessment": "organisation",
    },
    3: {
        "Child Unique ID": "person_id",
        "Date of referral": "referral_date",
        "Referral Source": "source_code",
        "Referral NFA?": "no_further_action",
        "Allocated Team": "team_id",
    },
    4: {
        "Child Unique ID": "person_id",
        "Continuous Assessment Start Date": "started",
        "Continuous Assessment Date of Authorisation": "completed",
    },
    6: {
        "Child Unique ID": "person_id",
        "CIN Start Date": "started",
        "Primary Need Code": "primary_need",
        "CIN Closure Date": "ended",
        "Reason for Closure": "end_reason",
    },
    7: {
        "Child Unique ID": "person_id",
        "Child Protection Plan Start Date": "started",
        "Latest Category of Abuse": "cp_category",
        "Child Protection Plan End Date": "ended",
    },
    8: {
        "Child Unique ID": "person_id",
        "Date Started to be Looked After": "started",
        "Child's Category of Need": "primary_need",
        "Child's Legal Status": "legal_status",
        "Date Ceased to be Looked After": "ended",
        "Reason Ceased to be Looked After": "end_reason",
        "Placement Type": "placement",
    },
}
"""For each list read, Ofsted's header -> the column it becomes."""

# Annex A writes some census codes by their name; these read them as the codes.
_BY_NAME: Final[Mapping[str, str]] = {
    # primary need (CIN census N codes)
    "abuse or neglect": "N1",
    "child's disability": "N2",
    "parental disability or illness": "N3",
    "family in acute stress": "N4",
    "family dysfunction": "N5",
    "socially unacceptable behaviour": "N6",
    "low income": "N7",
    "absent parenting": "N8",
    "cases other than children in need": "N9",
    "not stated": "N0",
    # reason for closure (CIN census RC codes)
    "adopted": "RC1",
    "died": "RC2",
    "child arrangements order": "RC3",
    "special guardianship order": "RC4",
    "transferred to services of another local authority": "RC5",
    "transferred to adult social care services": "RC6",
    "services ceased for any other reason, including child no longer in need": "RC7",
    "case closed after assessment, no further action": "RC8",
    "case closed after assessment, referred to early help": "RC9",
    # category of abuse
    "neglect": "NEG",
    "physical abuse": "PHY",
    "sexual abuse": "SAB",
    "emotional abuse": "EMO",
    "multiple/not recommended": "MUL",
}
_CODED: Final = (
    "source_code",
    "primary_need",
    "end_reason",
    "cp_category",
    "legal_status",
    "placement",
)


def annex_a_list(sheet: str) -> int | None:
    """The list number a sheet name gives (``List 3 - Referrals`` -> 3), if 1 to 11."""
    match = _SHEET.match(sheet)
    if match is None:
        return None
    number = int(match.group(1))
    return number if 1 <= number <= 11 else None


def unlettered(source: pl.Expr) -> pl.Expr:
    """An Annex A answer as its code: the drop-down's letter dropped, a leading code kept.

    Example:
        >>> answers = pl.Series(["a) Yes", "e) 2A: Schools", "a) E11: Adopted - unopposed",
        ...     "b) Physical abuse", "c) Child Protection plan", "N1", None])
        >>> pl.select(unlettered(pl.lit(answers))).to_series().to_list()
        ['Yes', '2A', 'E11', 'PHY', 'Child Protection plan', 'N1', None]
    """
    text = trimmed(source).str.replace(r"^[a-zA-Z]{1,2}\)\s*", "")
    code = text.str.extract(r"^([A-Z0-9]{1,4}):\s", 1)
    named = text.str.to_lowercase().replace_strict(
        list(_BY_NAME), list(_BY_NAME.values()), default=None
    )
    return pl.coalesce(code, named, text)


def _matched(frame: pl.DataFrame, number: int) -> pl.DataFrame:
    wanted = {normalise_name(h): column for h, column in LIST_COLUMNS[number].items()}
    picked = {h: wanted[normalise_name(h)] for h in frame.columns if normalise_name(h) in wanted}
    out = frame.select([pl.col(h).alias(c) for h, c in picked.items()])
    missing = [c for c in wanted.values() if c not in out.columns]
    return out.with_columns(pl.lit(None, dtype=pl.String).alias(c) for c in missing)


def _key(*columns: str) -> pl.Expr:
    return pl.concat_str([pl.col(c).fill_null("") for c in columns], separator=":")


def read_annex_a(files: Mapping[str, Any], mapping: MappingSpec) -> Gathered:
    """Read Annex A lists (sheet name -> ``(workbook, sheet)``) into input tables."""
    fold = mapping.fold_ids
    read: dict[int, list[pl.DataFrame]] = {}
    notes: list[str] = []
    for name, source in files.items():
        number = annex_a_list(name)
        if number is None:
            continue
        if number not in LIST_COLUMNS:
            notes.append(f"Annex A List {number} ({name}) recognised, not used by earlyhelp")
            continue
        origin, sheet = source if isinstance(source, tuple) else (source, None)
        frame = read_frame(origin, sheet=sheet)
        typed = _matched(frame, number).with_columns(
            clean_id(pl.col("person_id"), fold=fold).alias("person_id"),
            *(unlettered(pl.col(c)).alias(c) for c in _CODED if c in LIST_COLUMNS[number].values()),
            *(
                date_text(pl.col(c)).alias(c)
                for c in ("contact_date", "started", "completed", "referral_date", "ended")
                if c in LIST_COLUMNS[number].values()
            ),
        )
        read.setdefault(number, []).append(typed.filter(pl.any_horizontal(pl.all().is_not_null())))
    lists = {n: pl.concat(frames, how="diagonal_relaxed") for n, frames in read.items()}
    sources: dict[str, Any] = {}
    if 1 in lists:
        sources["contacts"] = lists[1].select(
            _key("person_id", "contact_date", "source_code").alias("contact_id"),
            "person_id",
            "contact_date",
            "source_code",
        )
    if 2 in lists:
        sources["assessments"] = lists[2].select(
            _key("person_id", "started").alias("assessment_id"),
            "person_id",
            "started",
            "completed",
            "organisation",
        )
    if 3 in lists:
        nfa = unlettered(pl.col("no_further_action"))
        sources["cin_referrals"] = lists[3].select(
            _key("person_id", "referral_date").alias("referral_id"),
            "person_id",
            "referral_date",
            "source_code",
            pl.when(nfa.str.to_lowercase() != "unknown").then(nfa).alias("no_further_action"),
            clean_id(pl.col("team_id"), fold=fold).alias("team_id"),
        )
    if 4 in lists:
        sources["single_assessments"] = lists[4].select(
            _key("person_id", "started").alias("assessment_id"),
            "person_id",
            "started",
            "completed",
            pl.lit("yes").alias("by_qualified_social_worker"),
        )
    episodes = []
    for number, kind in ((6, "cin"), (7, "cp"), (8, "cic")):
        if number in lists:
            episodes.append(
                lists[number].with_columns(
                    (f"{kind}-" + _key("person_id", "started")).alias("episode_id"),
                    pl.lit(kind).alias("kind"),
                    pl.when(pl.col("ended").is_not_null()).then(pl.col("end_reason"))
                    if "end_reason" in lists[number].columns
                    else pl.lit(None, dtype=pl.String).alias("end_reason"),
                )
            )
    if episodes:
        sources["social_care_episodes"] = pl.concat(episodes, how="diagonal_relaxed").unique(
            "episode_id", keep="first", maintain_order=True
        )
    notes.insert(0, f"Annex A lists read: {', '.join(str(n) for n in sorted(lists))}")
    return Gathered(sources=sources, notes=tuple(notes), formats=("annex-a",))


def is_annex_a(path: Path, sheets: list[str]) -> bool:
    """Whether a workbook's sheets are Annex A lists (at least one ``List n``)."""
    return path.suffix.lower() in (".xlsx", ".xlsm") and any(annex_a_list(s) for s in sheets)
