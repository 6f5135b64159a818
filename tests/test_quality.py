"""Data-quality rules: each fires on an offending record and not on a clean one; the report."""

from __future__ import annotations

import datetime as dt
import string
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import earlyhelp as eh
from demo_data import demo_dataset
from earlyhelp.errors import NoRuleInForceError
from earlyhelp.io import LoadReport
from earlyhelp.profiles import OnMissing, load_profile
from earlyhelp.rules import (
    EXCEPTION_SCHEMA,
    QUALITY_RULES,
    CheckInputs,
    check_quality,
    flag_cin_allowed_in_early_help,
)

DERBY = load_profile("derby-2014-15")
EXTRACT = dt.date(2015, 3, 31)
D = dt.date

Tables = dict[str, list[dict[str, Any]]]


def clean() -> Tables:
    """One child's early help episode with everything in order."""
    return {
        "teams": [{"team_id": "T1", "name": "MAT 1", "locality_id": "L1"}],
        "children": [{"person_id": "P1", "family_id": "F1", "date_of_birth": D(2008, 1, 1)}],
        "referrals": [
            {"referral_id": "R1", "person_id": "P1", "referral_date": D(2014, 5, 1)}
            | {"route": "vcm", "level_of_need": 2}
        ],
        "cases": [
            {"episode_id": "C1", "person_id": "P1", "referral_id": "R1", "team_id": "T1"}
            | {"locality_id": "L1", "opened": D(2014, 5, 2), "level_of_need": 2}
        ],
        "assessments": [
            {"assessment_id": "A1", "person_id": "P1", "episode_id": "C1"}
            | {"started": D(2014, 5, 10), "completed": D(2014, 6, 1)}
        ],
        "single_assessments": [],
        "surveys": [
            {"response_id": "H1", "episode_id": "C1", "team_id": "T1", "received": D(2015, 1, 5)}
            | {"respected": "yes", "listened_to": "yes", "helped": "yes", "comments": None}
        ],
        "audits": [
            {"audit_id": "AU1", "episode_id": "C1", "scheduled": D(2014, 9, 1)}
            | {"completed": D(2014, 9, 5), "scale": "derby-0-4", "overall_rating": 2}
        ],
        "audit_grades": [{"audit_id": "AU1", "measure": "Reviews", "grade": 3}],
    }


def dataset(tables: Tables) -> eh.Dataset:
    """A dataset built straight from rows, bypassing load checks (as a raw extract might)."""
    frames = {
        name: pl.DataFrame(rows, schema=eh.io.SCHEMAS[name].polars_schema, orient="row")
        if rows
        else pl.DataFrame(schema=eh.io.SCHEMAS[name].polars_schema)
        for name, rows in tables.items()
    }
    return eh.Dataset(frames, LoadReport(()))


def run(tables: Tables, profile: Any = DERBY, extract: dt.date = EXTRACT) -> pl.DataFrame:
    return check_quality(dataset(tables), profile=profile, extract_date=extract).exceptions


def found(tables: Tables, code: str) -> list[tuple[str, str]]:
    exceptions = run(tables).filter(pl.col("code") == code)
    return exceptions.select("record_id", "message").rows()


def edit(tables: Tables, table: str, **changes: Any) -> Tables:
    tables[table][0].update(changes)
    return tables


def test_a_clean_dataset_has_no_exceptions() -> None:
    report = check_quality(dataset(clean()), profile=DERBY, extract_date=EXTRACT)
    assert report.exceptions.height == 0
    assert report.skipped == ()
    assert [rule.code for rule in report.rules] == [f"DQ{n:02d}" for n in range(1, 17)]


def add_case(tables: Tables, **changes: Any) -> Tables:
    tables["cases"].append({**tables["cases"][0], "episode_id": "C2", **changes})
    return tables


OFFENDING: dict[str, tuple[Callable[[Tables], Tables], str, str]] = {
    "DQ01": (
        lambda t: edit(t, "cases", closed=D(2014, 5, 1), closure_reason="outcomes_met"),
        "C1",
        "closed 01/05/2014 is before opened 02/05/2014",
    ),
    "DQ02": (
        lambda t: edit(t, "cases", level_of_need=3),
        "C1",
        "child in need case (level 3) opened in early help on 02/05/2014 with no single "
        "assessment meeting rule WT-2013-CIN completed by then",
    ),
    "DQ03": (
        lambda t: edit(t, "assessments", completed=None),
        "C1",
        "open 333 days at the extract date 31/03/2015 with no completed Early Help Assessment "
        "for the child (more than 45 days)",
    ),
    "DQ04": (
        lambda t: edit(t, "audits", overall_rating=7),
        "AU1",
        "overall rating 7 is not on scale derby-0-4",
    ),
    "DQ05": (
        lambda t: edit(t, "referrals", referral_date=D(2015, 4, 1)),
        "R1",
        "referral dated 01/04/2015, after the extract date 31/03/2015",
    ),
    "DQ06": (
        lambda t: edit(t, "cases", opened=D(2015, 4, 1)),
        "C1",
        "opened 01/04/2015, after the extract date 31/03/2015",
    ),
    "DQ07": (
        lambda t: edit(t, "referrals", referral_date=D(2014, 5, 3)),
        "C1",
        "opened 02/05/2014, before referral R1 was received on 03/05/2014",
    ),
    "DQ08": (
        lambda t: add_case(t, opened=D(2014, 6, 1)),
        "C1",
        "open at the same time as case C2 of the same child",
    ),
    "DQ09": (
        lambda t: edit(t, "children", date_of_birth=D(1996, 5, 2)),
        "C1",
        "the child was aged 18 or over when the case opened on 02/05/2014",
    ),
    "DQ10": (
        lambda t: edit(t, "cases", team_id="T9"),
        "C1",
        "team T9 is not in the teams table",
    ),
    "DQ11": (
        lambda t: edit(t, "surveys", episode_id="C9"),
        "H1",
        "case C9 is not in the cases table",
    ),
    "DQ12": (
        lambda t: edit(t, "audits", episode_id="C9"),
        "AU1",
        "case C9 is not in the cases table",
    ),
    "DQ13": (
        lambda t: edit(t, "cases", closed=D(2015, 4, 1), closure_reason="outcomes_met"),
        "C1",
        "closed 01/04/2015, after the extract date 31/03/2015",
    ),
    "DQ14": (
        lambda t: edit(t, "cases", referral_id="R9"),
        "C1",
        "referral R9 is not in the referrals table",
    ),
    "DQ15": (
        lambda t: edit(t, "referrals", person_id="P2"),
        "C1",
        "the child is not the child of referral R1",
    ),
    "DQ16": (
        lambda t: edit(t, "assessments", started=D(2015, 4, 2), completed=None),
        "A1",
        "started 02/04/2015, after the extract date 31/03/2015",
    ),
}


def test_every_rule_has_an_offending_example() -> None:
    assert sorted(OFFENDING) == [rule.code for rule in QUALITY_RULES]


@pytest.mark.parametrize("code", sorted(OFFENDING))
def test_rule_fires_on_an_offending_record_only(code: str) -> None:
    spoil, record, message = OFFENDING[code]
    assert found(clean(), code) == []
    assert (record, message) in found(spoil(clean()), code)


def test_each_exception_row_carries_the_rule_declaration() -> None:
    exceptions = run(edit(clean(), "cases", opened=D(2015, 4, 1)))
    row = exceptions.filter(pl.col("code") == "DQ06").row(0, named=True)
    assert row == {
        "code": "DQ06",
        "severity": "error",
        "table": "cases",
        "record_id": "C1",
        "fields": "opened",
        "message": "opened 01/04/2015, after the extract date 31/03/2015",
    }
    assert dict(exceptions.schema) == EXCEPTION_SCHEMA


# --------------------------------------------------------------------------- rule details


def test_dq02_is_clear_once_a_qualified_assessment_was_completed_by_opening() -> None:
    tables = edit(clean(), "cases", level_of_need=3)
    tables["single_assessments"] = [
        {"assessment_id": "SA1", "person_id": "P1", "started": D(2014, 3, 1)}
        | {"completed": D(2014, 5, 2), "by_qualified_social_worker": True}
    ]
    assert found(tables, "DQ02") == []
    tables["single_assessments"][0]["by_qualified_social_worker"] = False
    assert [r for r, _ in found(tables, "DQ02")] == ["C1"]


def test_dq02_agrees_with_flag_cin_allowed_in_early_help_on_the_demo() -> None:
    data = demo_dataset()
    report = check_quality(data, profile=DERBY, extract_date=EXTRACT)
    flagged = report.exceptions.filter(pl.col("code") == "DQ02")["record_id"].sort().to_list()
    lenient = attrs.evolve(DERBY, on_missing=OnMissing.LENIENT)
    flags = flag_cin_allowed_in_early_help(
        data["cases"], data["single_assessments"], profile=lenient
    )
    assert flagged == flags.filter(pl.col("allowed").not_())["episode_id"].sort().to_list()
    assert flagged


def test_dq03_counts_days_from_opening_and_reads_the_profile_setting() -> None:
    tables = edit(clean(), "assessments", completed=None)
    assert found(tables, "DQ03")
    settings = attrs.evolve(DERBY.versions("quality")[0], open_case_without_eha_days=400)
    relaxed = DERBY.with_rules("quality", (settings,))
    assert run(tables, relaxed).filter(pl.col("code") == "DQ03").height == 0
    assert run(tables, extract=D(2014, 6, 16)).filter(pl.col("code") == "DQ03").height == 0
    assert run(tables, extract=D(2014, 6, 17)).filter(pl.col("code") == "DQ03").height == 1


@pytest.mark.parametrize(
    ("table", "changes", "message"),
    [
        ("audit_grades", {"grade": 9}, "Reviews grade 9 is not on scale derby-0-4"),
        ("audits", {"completed": None}, "an audit with grades must have a completed date"),
        ("audits", {"scale": "nine-point"}, "grading scale nine-point is not known"),
    ],
)
def test_dq04_grades_and_completion(table: str, changes: dict[str, Any], message: str) -> None:
    assert found(edit(clean(), table, **changes), "DQ04") == [("AU1", message)]


def test_dq08_a_handover_on_the_closing_day_is_not_an_overlap() -> None:
    tables = edit(clean(), "cases", closed=D(2014, 8, 1), closure_reason="outcomes_met")
    assert found(add_case(tables, opened=D(2014, 8, 1)), "DQ08") == []
    same_day = edit(clean(), "cases", closed=D(2014, 5, 2), closure_reason="outcomes_met")
    assert {r for r, _ in found(add_case(same_day), "DQ08")} == {"C1", "C2"}


@pytest.mark.parametrize(
    ("born", "opened", "adult"),
    [
        (D(1996, 5, 3), D(2014, 5, 2), False),
        (D(1996, 5, 2), D(2014, 5, 2), True),
        (D(1996, 2, 29), D(2014, 2, 28), False),
        (D(1996, 2, 29), D(2014, 3, 1), True),
    ],
)
def test_dq09_age_on_the_day_the_case_opened(born: dt.date, opened: dt.date, adult: bool) -> None:
    tables = edit(edit(clean(), "children", date_of_birth=born), "cases", opened=opened)
    assert bool(found(tables, "DQ09")) is adult


def test_dq10_locality_must_match_the_team() -> None:
    assert found(edit(clean(), "cases", locality_id="L2"), "DQ10") == [
        ("C1", "locality L2 is not team T1's locality L1")
    ]


# --------------------------------------------------------------------------- settings and skips


def test_disabled_rules_are_skipped() -> None:
    settings = attrs.evolve(DERBY.versions("quality")[0], disabled=("DQ06",))
    profile = DERBY.with_rules("quality", (settings,))
    tables = edit(clean(), "cases", opened=D(2015, 4, 1))
    report = check_quality(dataset(tables), profile=profile, extract_date=EXTRACT)
    assert "DQ06" not in report.exceptions["code"].to_list()
    assert ("DQ06", "disabled by quality settings DQ-2014") in report.skipped


def test_rules_needing_an_unsupplied_table_are_skipped() -> None:
    tables = clean()
    del tables["teams"]
    report = check_quality(dataset(tables), profile=DERBY, extract_date=EXTRACT)
    assert ("DQ10", "table teams was not supplied") in report.skipped
    assert "not run: table teams" in str(report)


def test_no_settings_in_force_strict_raises_lenient_skips() -> None:
    early = D(2013, 3, 31)
    with pytest.raises(NoRuleInForceError, match="no data quality rule is in force"):
        check_quality(dataset(clean()), profile=DERBY, extract_date=early)
    lenient = attrs.evolve(DERBY, on_missing=OnMissing.LENIENT)
    report = check_quality(dataset(clean()), profile=lenient, extract_date=early)
    assert report.settings is None
    assert [code for code, _ in report.skipped] == ["DQ03"]


def test_every_message_placeholder_is_a_column_its_check_returns() -> None:
    inputs = CheckInputs(
        data=dataset(clean()),
        profile=DERBY,
        extract_date=EXTRACT,
        settings=DERBY.versions("quality")[0],
    )
    for rule in QUALITY_RULES:
        columns = rule.check(inputs).collect_schema().names()
        names = [n for _, n, _, _ in string.Formatter().parse(rule.message) if n]
        assert {"record_id", *names} <= set(columns), rule.code
        assert rule.table in eh.io.SCHEMAS


# --------------------------------------------------------------------------- the report


def test_demo_exceptions_in_under_two_seconds() -> None:
    data = demo_dataset()
    start = time.perf_counter()
    report = check_quality(data, profile="derby-2014-15", extract_date=EXTRACT)
    assert time.perf_counter() - start < 2
    summary = report.summary()
    assert summary["code"].to_list() == [rule.code for rule in QUALITY_RULES]
    assert summary["records"].sum() == report.exceptions.height


def spoiled() -> pl.DataFrame:
    tables = clean()
    for spoil, _, _ in OFFENDING.values():
        tables = spoil(tables)
    return run(tables)


def test_csv_export_round_trips(tmp_path: Path) -> None:
    report = check_quality(dataset(clean()), profile=DERBY, extract_date=EXTRACT)
    report = attrs.evolve(report, exceptions=spoiled())
    assert report.exceptions.height > 5
    report.write_csv(tmp_path / "exceptions.csv")
    back = pl.read_csv(tmp_path / "exceptions.csv", schema=EXCEPTION_SCHEMA)
    assert back.equals(report.exceptions)


def test_xlsx_export_round_trips(tmp_path: Path) -> None:
    report = check_quality(dataset(clean()), profile=DERBY, extract_date=EXTRACT)
    report = attrs.evolve(report, exceptions=spoiled())
    report.write_xlsx(tmp_path / "exceptions.xlsx")
    back = pl.read_excel(
        tmp_path / "exceptions.xlsx", sheet_name="exceptions", schema_overrides=EXCEPTION_SCHEMA
    )
    assert back.equals(report.exceptions)


# --------------------------------------------------------------------------- no personal data

CASE_DAYS = st.dates(D(2010, 1, 1), D(2016, 12, 31))
SECRET = "FREETEXT"


@st.composite
def messy_datasets(draw: st.DrawFn) -> tuple[Tables, list[dt.date]]:
    """Tables with every kind of fault; dates of birth never coincide with casework dates."""
    people = [f"P{n}" for n in range(draw(st.integers(1, 4)))]
    births = [draw(st.dates(D(1985, 1, 1), D(2009, 12, 31))) for _ in people]
    pick = st.sampled_from
    tables: Tables = {
        "teams": [{"team_id": "T1", "name": "MAT", "locality_id": "L1"}],
        "children": [
            {"person_id": p, "family_id": None, "date_of_birth": b}
            for p, b in zip(people, births, strict=True)
        ],
        "referrals": [],
        "cases": [],
        "assessments": [],
        "single_assessments": [],
        "surveys": [],
        "audits": [],
        "audit_grades": [],
    }
    for n in range(draw(st.integers(0, 6))):
        opened, closed = draw(CASE_DAYS), draw(st.none() | CASE_DAYS)
        tables["referrals"].append(
            {"referral_id": f"R{n}", "person_id": draw(pick(people)), "route": "vcm"}
            | {"referral_date": draw(CASE_DAYS), "level_of_need": 2}
        )
        tables["cases"].append(
            {"episode_id": f"C{n}", "person_id": draw(pick(people)), "referral_id": f"R{n}"}
            | {"team_id": draw(pick(["T1", "T2"])), "locality_id": draw(pick(["L1", "L2"]))}
            | {"opened": opened, "closed": closed, "level_of_need": draw(st.integers(1, 4))}
            | {"closure_reason": None if closed is None else "outcomes_met"}
        )
        tables["surveys"].append(
            {"response_id": f"H{n}", "episode_id": draw(pick([f"C{n}", "C99"])), "team_id": "T1"}
            | {"received": draw(CASE_DAYS), "respected": "yes", "listened_to": "no"}
            | {"helped": "yes", "comments": f"{SECRET} {draw(st.integers(0, 99))}"}
        )
        tables["audits"].append(
            {"audit_id": f"AU{n}", "episode_id": draw(pick([f"C{n}", "C99"]))}
            | {"scheduled": draw(CASE_DAYS), "completed": draw(st.none() | CASE_DAYS)}
            | {"scale": "derby-0-4", "overall_rating": draw(st.none() | st.integers(-1, 6))}
        )
    return tables, births


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(messy_datasets(), st.dates(D(2012, 1, 1), D(2016, 12, 31)))
def test_exceptions_never_contain_a_date_of_birth_or_free_text(
    drawn: tuple[Tables, list[dt.date]], extract: dt.date
) -> None:
    tables, births = drawn
    text = run(tables, extract=max(extract, D(2013, 4, 1))).write_csv()
    assert SECRET not in text
    for born in births:
        assert born.isoformat() not in text
        assert f"{born.day:02d}/{born.month:02d}/{born.year}" not in text


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])  # whole-table checks
@given(
    scale=st.sampled_from(sorted(eh.model.GRADING_SCALES.values(), key=lambda s: s.name)),
    grades=st.lists(st.none() | st.integers(-2, 6), max_size=4),
    rating=st.none() | st.integers(-2, 6),
)
def test_an_audit_record_and_dq04_find_the_same_off_scale_grades(
    scale: eh.model.GradingScale, grades: list[int | None], rating: int | None
) -> None:
    """Grade on scale is defined once: the record refuses exactly what DQ04 reports, in its words."""
    tables = edit(clean(), "audits", scale=scale.name, overall_rating=rating)
    measures = [f"Measure {i}" for i in range(len(grades))]
    tables["audit_grades"] = [
        {"audit_id": "AU1", "measure": m, "grade": g} for m, g in zip(measures, grades, strict=True)
    ]
    reported = found(tables, "DQ04")
    in_bulk = sorted(reported[0][1].split("; ")) if reported else []
    try:
        eh.model.CaseFileAudit(
            audit_id="AU1",
            episode_id="C1",
            scheduled=D(2014, 9, 1),
            completed=D(2014, 9, 5),
            scale=scale,
            grades=tuple(
                eh.model.AuditGrade(measure=m, grade=g)
                for m, g in zip(measures, grades, strict=True)
            ),
            overall_rating=rating,
        )
        per_record: list[str] = []
    except eh.errors.RecordError as error:
        per_record = sorted(message for _, message in error.problems)
    assert per_record == in_bulk
    off = [g for g in [*grades, rating] if g is not None and not scale.contains(g)]
    assert len(per_record) == len(off)  # and each off-scale value is one problem
