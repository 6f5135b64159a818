"""Cross-field record rules: one declaration, checked per record and over whole tables alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import earlyhelp as eh
from earlyhelp.errors import FieldError, RecordError
from earlyhelp.io import SCHEMAS, validate
from strategies import dates

DAYS = dates(dt.date(2012, 1, 1), dt.date(2016, 12, 31))
REASONS = st.none() | st.sampled_from(["outcomes_met", "escalated_to_social_care"])


def _per_record(kind: type, values: dict[str, Any]) -> list[tuple[str, str]]:
    """The problems one record's own cross-field rules report (none if it is built)."""
    try:
        kind(**values)
    except RecordError as error:
        return list(error.problems)
    except FieldError as error:
        return [(error.field, error.message)]
    return []


def _in_bulk(table: str, rows: list[dict[str, Any]]) -> list[list[tuple[str, str]]]:
    """The problems the loader's table validation reports, per row (cross-field rules only)."""
    text = pl.DataFrame(
        [{k: None if v is None else str(v) for k, v in row.items()} for row in rows],
        schema=dict.fromkeys(rows[0], pl.String),
    )
    report = validate(text, SCHEMAS[table]).report
    found: list[list[tuple[str, str]]] = [[] for _ in rows]
    rules = {rule.code for rule in SCHEMAS[table].rules}
    for number, field, code, message in report.problems.iter_rows():
        if code in rules:
            found[number - 1].append((field, message))
    return found


@st.composite
def case_values(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "episode_id": f"C-{draw(st.integers(1, 999))}",
        "person_id": "P-1",
        "team_id": "T1U",
        "locality_id": "L1",
        "opened": draw(DAYS),
        "closed": draw(st.none() | DAYS),
        "closure_reason": draw(REASONS),
        "level_of_need": 2,
    }


@settings(max_examples=60)
@given(st.lists(case_values(), min_size=1, max_size=8))
def test_a_case_breaks_the_same_rules_with_the_same_words_per_record_and_in_bulk(
    rows: list[dict[str, Any]],
) -> None:
    rows = [{**row, "episode_id": f"C-{n}"} for n, row in enumerate(rows)]
    bulk = _in_bulk("cases", rows)
    for row, found in zip(rows, bulk, strict=True):
        assert _per_record(eh.model.EarlyHelpCase, row) == found
        # an independent reading of the rules
        closed, opened, reason = row["closed"], row["opened"], row["closure_reason"]
        expected = []
        if closed is not None and closed < opened:
            expected.append(("closed", f"closed {closed.isoformat()} is before opened {opened}"))
        if closed is not None and reason is None:
            expected.append(("closure_reason", "required when the case is closed"))
        if closed is None and reason is not None:
            expected.append(("closure_reason", "must be empty while the case is open"))
        assert found == expected


@st.composite
def episode_values(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "episode_id": "S-1",
        "person_id": "P-1",
        "kind": "cp",
        "started": draw(DAYS),
        "ended": draw(st.none() | DAYS),
        "end_reason": draw(st.none() | st.just("needs_met")),
    }


@settings(max_examples=60)
@given(st.lists(episode_values(), min_size=1, max_size=6))
def test_social_care_episodes_agree_per_record_and_in_bulk(rows: list[dict[str, Any]]) -> None:
    rows = [{**row, "episode_id": f"S-{n}"} for n, row in enumerate(rows)]
    for row, found in zip(rows, _in_bulk("social_care_episodes", rows), strict=True):
        assert _per_record(eh.model.SocialCareEpisode, row) == found


@st.composite
def involvement_values(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "involvement_id": "TAF-1",
        "episode_id": draw(st.none() | st.just("C-1")),
        "family_id": draw(st.none() | st.just("F-1")),
        "team_id": "T1U",
        "role": "specialist",
        "started": draw(DAYS),
        "ended": draw(st.none() | DAYS),
    }


@settings(max_examples=60)
@given(st.lists(involvement_values(), min_size=1, max_size=6))
def test_team_around_the_family_involvements_agree_per_record_and_in_bulk(
    rows: list[dict[str, Any]],
) -> None:
    rows = [{**row, "involvement_id": f"TAF-{n}"} for n, row in enumerate(rows)]
    for row, found in zip(rows, _in_bulk("tac_involvements", rows), strict=True):
        assert _per_record(eh.model.TeamAroundFamilyInvolvement, row) == found


@pytest.mark.parametrize(
    ("month", "code", "problem"),
    [
        (dt.date(2016, 2, 29), "540", ("record_month", "expected the first day of a month")),
        (
            dt.date(2016, 3, 1),
            "54",
            ("activity_code", "expected a three-digit NCCIS activity code"),
        ),
        (dt.date(2016, 3, 1), "540", None),
    ],
)
def test_neet_field_rules_are_the_tables_rules(
    month: dt.date, code: str, problem: tuple[str, str] | None
) -> None:
    row = {"person_id": "Y-1", "date_of_birth": dt.date(1998, 9, 1), "record_month": month}
    row["activity_code"] = code
    expected = [] if problem is None else [problem]
    assert _per_record(eh.model.NeetRecord, row) == expected
    assert _in_bulk("neet", [row]) == [expected]


def test_a_case_closed_on_the_day_it_opened_and_a_leap_day_are_fine() -> None:
    leap = dt.date(2016, 2, 29)
    row = {
        "episode_id": "C-1",
        "person_id": "P-1",
        "team_id": "T1U",
        "locality_id": "L1",
        "opened": leap,
        "closed": leap,
        "closure_reason": "outcomes_met",
        "level_of_need": 2,
    }
    assert _per_record(eh.model.EarlyHelpCase, row) == []
    assert _in_bulk("cases", [row]) == [[]]
    early = {**row, "closed": dt.date(2016, 2, 28)}
    problem = ("closed", "closed 2016-02-28 is before opened 2016-02-29")
    assert _per_record(eh.model.EarlyHelpCase, early) == [problem]
    assert _in_bulk("cases", [early]) == [[problem]]


def test_data_quality_dq01_applies_the_loaders_own_rule_to_frames_loaded_otherwise() -> None:
    cases = pl.DataFrame(
        {
            "episode_id": ["C-1", "C-2"],
            "person_id": ["P-1", "P-2"],
            "team_id": ["T1U", "T1U"],
            "locality_id": ["L1", "L1"],
            "opened": [dt.date(2014, 5, 1), dt.date(2014, 5, 1)],
            "closed": [dt.date(2014, 3, 2), dt.date(2014, 5, 1)],
            "closure_reason": ["outcomes_met", "outcomes_met"],
            "level_of_need": [2, 2],
        }
    )
    schema = SCHEMAS["cases"].polars_schema
    cases = cases.select(
        pl.col(name).cast(dtype) if name in cases.columns else pl.lit(None, dtype).alias(name)
        for name, dtype in schema.items()
    )
    data = eh.Dataset({"cases": cases}, eh.LoadReport(()))
    report = eh.check_quality(data, profile="derby-2014-15", extract_date=dt.date(2015, 3, 31))
    dq01 = report.exceptions.filter(pl.col("code") == "DQ01")
    assert dq01.select("record_id", "message").rows() == [
        ("C-1", "closed 02/03/2014 is before opened 01/05/2014")
    ]
