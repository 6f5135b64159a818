"""Threshold levels and the child-in-need-in-early-help rule: per record, in bulk, and agreeing."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tomllib
import warnings
from typing import Any

import attrs
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import earlyhelp as eh
from earlyhelp import classify, flag_levels
from earlyhelp.errors import NoRuleInForceError, TableError
from earlyhelp.io import records_to_frame
from earlyhelp.profiles import OnMissing, Profile, load_profile, profile_from_data
from earlyhelp.rules import Decision, flag_cin_allowed_in_early_help, is_cin_allowed_in_early_help
from strategies import dates

DERBY = load_profile("derby-2014-15")
LENIENT = attrs.evolve(DERBY, on_missing=OnMissing.LENIENT)
NO_QSW = LENIENT.with_rules(
    "cin_in_early_help",
    [
        attrs.evolve(v, requires_qualified_social_worker=False)
        for v in DERBY.versions("cin_in_early_help")
    ],
)
DAY = dt.date(2014, 10, 1)
INPUTS = ("acute_risk", "complex_needs", "emerging_needs")

# A profile whose threshold table changes on 1 April 2014: the second version reads a
# count of areas of need and the referral route, under a first-match policy.
TWO_VERSIONS_TOML = """
[profile]
id = "two-versions"
title = "Two threshold versions"
on_missing_rule = "lenient"

[[threshold]]
id = "TH-A"
effective_from = 2013-04-01
effective_to = 2014-03-31
citation = { document = "Thresholds A" }
services = { 1 = "universal", 2 = "early help", 3 = "CIN", 4 = "CP" }
[threshold.table]
id = "TH-A"
title = "A"
hit_policy = "priority"
output = "level"
inputs = [
  { name = "acute_risk", domain = "boolean" },
  { name = "complex_needs", domain = "boolean" },
  { name = "emerging_needs", domain = "boolean" },
]
rows = [
  { when = { acute_risk = true }, then = 4, priority = 4 },
  { when = { complex_needs = true }, then = 3, priority = 3 },
  { when = { emerging_needs = true }, then = 2, priority = 2 },
  { then = 1, priority = 1 },
]

[[threshold]]
id = "TH-B"
effective_from = 2014-04-01
citation = { document = "Thresholds B" }
services = { 1 = "universal", 2 = "early help", 3 = "CIN" }
[threshold.table]
id = "TH-B"
title = "B"
hit_policy = "first"
output = "need"
inputs = [
  { name = "areas_of_need", domain = { min = 0, max = 8 } },
  { name = "route", domain = ["vcm", "other"] },
]
rows = [
  { when = { areas_of_need = { min = 5 } }, then = 4 },
  { when = { areas_of_need = { min = 3 } }, then = 3 },
  { when = { areas_of_need = { min = 1 }, route = "vcm" }, then = 2 },
  { then = 1 },
]
"""
TWO_VERSIONS: Profile = profile_from_data(tomllib.loads(TWO_VERSIONS_TOML), source="<test>")


def flags(acute: bool = False, complex_: bool = False, emerging: bool = False) -> dict[str, bool]:
    return {"acute_risk": acute, "complex_needs": complex_, "emerging_needs": emerging}


def classify_day(values: dict[str, Any], day: dt.date = DAY, profile: Any = DERBY) -> Decision:
    return classify(values, as_of=day, subject="referral R-1", profile=profile)


# --------------------------------------------------------------------------- levels


def test_level_4_acute_risk_wins_over_everything() -> None:
    decision = classify_day(flags(acute=True, complex_=True, emerging=True))
    assert decision.outcome == 4
    assert decision.summary == (
        "Level 4: child protection or child in care (acute needs), because acute_risk is true "
        "(row 1 of table TH-DSCB-2014)"
    )


def test_level_3_complex_needs() -> None:
    decision = classify_day(flags(complex_=True))
    assert decision.outcome == 3
    assert decision.summary == (
        "Level 3: child in need (complex needs), because complex_needs is true "
        "(row 2 of table TH-DSCB-2014)"
    )


def test_level_2_emerging_needs() -> None:
    decision = classify_day(flags(emerging=True))
    assert decision.outcome == 2
    assert decision.summary.startswith("Level 2: early help, with an Early Help Assessment")
    assert "because emerging_needs is true (row 3 of table TH-DSCB-2014)" in decision.summary


def test_level_1_universal_when_nothing_is_recorded() -> None:
    decision = classify_day(flags())
    assert decision.outcome == 1
    assert decision.summary == (
        "Level 1: universal services, because no row of higher priority matches "
        "(row 4 of table TH-DSCB-2014)"
    )


def test_step_carries_inputs_row_service_and_citation() -> None:
    (step,) = classify_day(flags(complex_=True)).steps
    assert step.rule_id == "TH-DSCB-2014"
    assert step.fired
    assert [(f.name, f.value) for f in step.inputs] == [
        ("acute_risk", "false"),
        ("complex_needs", "true"),
        ("emerging_needs", "false"),
    ]
    assert step.reason.startswith("row 2: if complex_needs is true then level is 3")
    assert ("service for level 3", "child in need (complex needs)") in [
        (f.name, f.value) for f in step.parameters
    ]
    assert step.citation.document == "Derby Safeguarding Children Board thresholds document"


def test_decision_round_trips_through_json() -> None:
    decision = classify_day(flags(emerging=True))
    assert Decision.from_json(decision.to_json()) == decision
    assert json.loads(decision.to_json())["outcome"] == 2


def test_other_indicators_are_never_echoed() -> None:
    values: dict[str, Any] = {**flags(complex_=True), "name": "Jane Doe", "dob": "2009-01-02"}
    decision = classify_day(values)
    for text in (str(decision), decision.to_json()):
        assert "Jane" not in text
        assert "2009" not in text


def test_missing_indicator_raises_per_record_and_is_null_in_bulk() -> None:
    with pytest.raises(TableError, match="complex_needs"):
        classify_day({"acute_risk": False, "emerging_needs": True})
    frame = pl.DataFrame(
        {"day": [DAY], "acute_risk": [False], "complex_needs": [None], "emerging_needs": [True]},
        schema_overrides={"complex_needs": pl.Boolean},
    )
    out = flag_levels(frame, date_column="day", profile=DERBY, explain=True)
    assert out.select("level", "threshold_rule").row(0) == (None, "TH-DSCB-2014")
    assert out["explanation"][0].startswith(
        "No level: a recorded indicator of table TH-DSCB-2014 is missing or outside its domain\n"
    )
    assert (
        "read: acute_risk = false; complex_needs = (none); emerging_needs = true"
        in (out["explanation"][0])
    )


def test_bulk_needs_a_column_for_every_input() -> None:
    frame = pl.DataFrame({"day": [DAY], "acute_risk": [True]})
    with pytest.raises(TableError, match="complex_needs"):
        flag_levels(frame, date_column="day", profile="derby-2014-15")


def test_bulk_keeps_columns_and_adds_four() -> None:
    frame = pl.DataFrame({"id": ["R-1"], "day": [DAY], **{n: [True] for n in INPUTS}})
    out = flag_levels(frame, date_column="day", profile=DERBY)
    assert out.columns == [
        "id",
        "day",
        *INPUTS,
        "level",
        "service",
        "threshold_rule",
        "threshold_row",
    ]


# --------------------------------------------------------------------------- effective dating


def cin_case(opened: dt.date, level: int = 3, person: str = "P-1") -> eh.model.EarlyHelpCase:
    return eh.model.EarlyHelpCase(
        episode_id="C-1",
        person_id=person,
        team_id="T1U",
        locality_id="L1",
        opened=opened,
        level_of_need=level,
    )


def assessment(completed: dt.date | None, *, qsw: bool = True, ident: str = "SA-1") -> Any:
    return eh.model.SingleAssessment(
        assessment_id=ident,
        person_id="P-1",
        started=dt.date(2013, 1, 1),
        completed=completed,
        by_qualified_social_worker=qsw,
    )


@pytest.mark.parametrize(
    ("day", "rule_id", "document"),
    [
        (dt.date(2015, 3, 25), "WT-2013-CIN", "Working Together to Safeguard Children 2013"),
        (dt.date(2015, 3, 26), "WT-2015-CIN", "Working Together to Safeguard Children 2015"),
    ],
)
def test_working_together_version_is_chosen_by_the_date_judged(
    day: dt.date, rule_id: str, document: str
) -> None:
    done = [assessment(dt.date(2015, 1, 5))]
    decision = is_cin_allowed_in_early_help(cin_case(day), single_assessments=done, profile=DERBY)
    assert decision.outcome is True
    assert decision.fired_rules == (rule_id,)
    assert decision.steps[0].citation.document == document


def test_threshold_version_changes_with_the_referral_date() -> None:
    before = classify_day(flags(complex_=True), dt.date(2014, 3, 31), TWO_VERSIONS)
    after = classify_day({"areas_of_need": 3, "route": "other"}, dt.date(2014, 4, 1), TWO_VERSIONS)
    assert (before.outcome, before.steps[0].rule_id) == (3, "TH-A")
    assert (after.outcome, after.steps[0].rule_id) == (3, "TH-B")
    assert after.summary == "Level 3: CIN, because areas_of_need at least 3 (row 2 of table TH-B)"


def test_strict_profile_with_no_version_in_force_raises() -> None:
    early = dt.date(2013, 3, 31)
    with pytest.raises(NoRuleInForceError, match="no threshold rule is in force on 31/03/2013"):
        classify_day(flags(), early)
    with pytest.raises(NoRuleInForceError, match="child in need in early help"):
        is_cin_allowed_in_early_help(cin_case(early), single_assessments=[], profile=DERBY)
    frame = pl.DataFrame({"day": [DAY, early], **{n: [True, True] for n in INPUTS}})
    with pytest.raises(NoRuleInForceError, match="row 2"):
        flag_levels(frame, date_column="day", profile=DERBY)
    cases = records_to_frame([cin_case(early)], eh.io.SCHEMAS["cases"])
    no_assessments = pl.DataFrame(schema=eh.io.SCHEMAS["single_assessments"].polars_schema)
    with pytest.raises(NoRuleInForceError, match="case C-1"):
        flag_cin_allowed_in_early_help(cases, no_assessments, profile=DERBY)


def test_lenient_profile_with_no_version_in_force_gives_no_outcome() -> None:
    early = dt.date(2013, 3, 31)
    decision = classify_day(flags(acute=True), early, LENIENT)
    assert decision.outcome is None
    assert decision.steps == ()
    assert "no threshold rule is in force on 31/03/2013" in decision.summary
    cin = is_cin_allowed_in_early_help(cin_case(early), single_assessments=[], profile=LENIENT)
    assert cin.outcome is None


def test_a_case_at_another_level_needs_no_rule_in_force() -> None:
    decision = is_cin_allowed_in_early_help(
        cin_case(dt.date(2012, 1, 1), level=2), single_assessments=[], profile=DERBY
    )
    assert decision.outcome is True
    assert "not a child in need case" in decision.summary


# --------------------------------------------------------------------------- the CIN rule


def test_assessment_must_be_by_a_qualified_social_worker() -> None:
    case = cin_case(dt.date(2015, 5, 1))
    unqualified = [assessment(dt.date(2015, 4, 1), qsw=False)]
    decision = is_cin_allowed_in_early_help(case, single_assessments=unqualified, profile=DERBY)
    assert decision.outcome is False
    assert decision.summary.startswith("Not allowed: case C-1 is a child in need case")
    not_required = DERBY.with_rules(
        "cin_in_early_help",
        [
            attrs.evolve(v, requires_qualified_social_worker=False)
            for v in DERBY.versions("cin_in_early_help")
        ],
    )
    allowed = is_cin_allowed_in_early_help(
        case, single_assessments=unqualified, profile=not_required
    )
    assert allowed.outcome is True


def test_assessment_completed_after_the_date_judged_does_not_count() -> None:
    late = [assessment(dt.date(2015, 5, 2))]
    case = cin_case(dt.date(2015, 5, 1))
    assert (
        is_cin_allowed_in_early_help(case, single_assessments=late, profile=DERBY).outcome is False
    )
    later = is_cin_allowed_in_early_help(
        case, single_assessments=late, profile=DERBY, as_of=dt.date(2015, 5, 2)
    )
    assert later.outcome is True


def test_other_childrens_assessments_are_ignored_and_never_named() -> None:
    other = eh.model.SingleAssessment(
        assessment_id="SA-X",
        person_id="P-2",
        started=dt.date(2015, 1, 1),
        completed=dt.date(2015, 2, 1),
        by_qualified_social_worker=True,
    )
    decision = is_cin_allowed_in_early_help(
        cin_case(dt.date(2015, 5, 1)), single_assessments=[other], profile=DERBY
    )
    assert decision.outcome is False
    assert "SA-X" not in str(decision)
    assert "P-1" not in str(decision)


# --------------------------------------------------------------------------- per record = bulk

OUT_OF_FORCE = dates(dt.date(2012, 6, 1), dt.date(2016, 12, 31))


@given(st.lists(st.tuples(OUT_OF_FORCE, st.booleans(), st.booleans(), st.booleans()), max_size=25))
def test_each_classification_prints_its_bulk_explanation(
    rows: list[tuple[dt.date, bool, bool, bool]],
) -> None:
    frame = pl.DataFrame(
        rows, schema={"day": pl.Date, **dict.fromkeys(INPUTS, pl.Boolean)}, orient="row"
    ).with_row_index("id", offset=1)
    bulk = flag_levels(
        frame, date_column="day", profile=LENIENT, id_column="id", kind="referral", explain=True
    )
    plain = flag_levels(frame, date_column="day", profile=LENIENT)
    assert plain.equals(bulk.drop("explanation"))
    for (day, *values), got in zip(rows, bulk.iter_rows(named=True), strict=True):
        one = classify(
            dict(zip(INPUTS, values, strict=True)),
            as_of=day,
            subject=f"referral {got['id']}",
            profile=LENIENT,
        )
        assert str(one) == got["explanation"]
        assert got["level"] == one.outcome
        if not one.steps:
            assert got["threshold_rule"] is got["service"] is got["threshold_row"] is None
            continue
        (step,) = one.steps
        assert got["threshold_rule"] == step.rule_id
        assert step.reason.startswith(f"row {got['threshold_row']}:")
        assert got["service"] in one.summary
        # an independent reading of the shipped table: acute, then complex, then emerging
        acute, complex_, emerging = values
        assert one.outcome == (4 if acute else 3 if complex_ else 2 if emerging else 1)


@given(
    st.lists(
        st.tuples(
            dates(dt.date(2013, 4, 1), dt.date(2016, 12, 31)),
            st.booleans(),
            st.integers(0, 8),
            st.sampled_from(["vcm", "other"]),
        ),
        max_size=25,
    )
)
def test_each_classification_prints_its_bulk_explanation_across_two_table_versions(
    rows: list[tuple[dt.date, bool, int, str]],
) -> None:
    schema = {
        "day": pl.Date,
        "complex_needs": pl.Boolean,
        "areas_of_need": pl.Int64,
        "route": pl.String,
    }
    frame = pl.DataFrame(rows, schema=schema, orient="row").with_columns(
        acute_risk=pl.lit(value=False), emerging_needs=pl.col("route") == "vcm"
    )
    bulk = flag_levels(frame, date_column="day", profile=TWO_VERSIONS, explain=True)
    for number, (record, got) in enumerate(
        zip(frame.iter_rows(named=True), bulk.iter_rows(named=True), strict=True), 1
    ):
        one = classify(
            record, as_of=record["day"], subject=f"record {number}", profile=TWO_VERSIONS
        )
        assert str(one) == got["explanation"]
        assert (got["level"], got["threshold_rule"]) == (one.outcome, one.steps[0].rule_id)
        assert one.steps[0].reason.startswith(f"row {got['threshold_row']}:")


PEOPLE = st.sampled_from(["P-1", "P-2", "P-3"])


@st.composite
def cin_histories(
    draw: st.DrawFn,
) -> tuple[list[eh.model.EarlyHelpCase], list[eh.model.SingleAssessment], list[dt.date]]:
    days = dates(dt.date(2013, 1, 1), dt.date(2016, 6, 30))
    count = draw(st.integers(0, 8))
    cases = [
        eh.model.EarlyHelpCase(
            episode_id=f"C-{n}",
            person_id=draw(PEOPLE),
            team_id="T1U",
            locality_id="L1",
            opened=draw(days),
            level_of_need=draw(st.sampled_from([2, 3, 3, 4])),
        )
        for n in range(count)
    ]
    assessments = []
    for n in range(draw(st.integers(0, 8))):
        started = draw(days)
        completed = draw(st.none() | st.just(started) | days.filter(lambda d, s=started: d >= s))
        assessments.append(
            eh.model.SingleAssessment(
                assessment_id=f"SA-{n}",
                person_id=draw(PEOPLE),
                started=started,
                completed=completed,
                by_qualified_social_worker=draw(st.booleans()),
            )
        )
    judged = [draw(st.just(case.opened) | days) for case in cases]
    return cases, assessments, judged


@given(cin_histories(), st.booleans())
def test_each_cin_decision_prints_its_bulk_explanation(
    history: tuple[list[eh.model.EarlyHelpCase], list[eh.model.SingleAssessment], list[dt.date]],
    qsw_required: bool,
) -> None:
    profile = LENIENT if qsw_required else NO_QSW
    cases, assessments, judged = history
    case_frame = records_to_frame(cases, eh.io.SCHEMAS["cases"]).with_columns(
        judged=pl.Series(judged, dtype=pl.Date)
    )
    sa_frame = records_to_frame(assessments, eh.io.SCHEMAS["single_assessments"])
    bulk = flag_cin_allowed_in_early_help(
        case_frame, sa_frame, profile=profile, as_of_column="judged", explain=True
    )
    assert bulk.columns == ["episode_id", "allowed", "rule_id", "assessment_id", "explanation"]
    plain = flag_cin_allowed_in_early_help(
        case_frame, sa_frame, profile=profile, as_of_column="judged"
    )
    assert plain.equals(bulk.drop("explanation"))
    for case, day, got in zip(cases, judged, bulk.iter_rows(named=True), strict=True):
        one = is_cin_allowed_in_early_help(
            case, single_assessments=assessments, profile=profile, as_of=day
        )
        assert str(one) == got["explanation"]
        # the table, indexed by child, gives the same decision as the records
        from_table = is_cin_allowed_in_early_help(
            case, single_assessments=sa_frame, profile=profile, as_of=day
        )
        assert from_table == one
        assert (got["episode_id"], got["allowed"]) == (case.episode_id, one.outcome)
        assert got["rule_id"] == (one.steps[0].rule_id if one.steps else None)
        # an independent reading of the rule, over the child's own assessments
        if int(case.level_of_need) != 3:
            assert got["allowed"] is True
            assert got["assessment_id"] is None
        elif got["rule_id"] is not None:
            qsw = profile.rule("cin_in_early_help", day).requires_qualified_social_worker
            counted = [
                a
                for a in assessments
                if a.person_id == case.person_id
                and a.completed is not None
                and a.completed <= day
                and (a.by_qualified_social_worker or not qsw)
            ]
            best = min(
                counted, key=lambda a: (-a.completed.toordinal(), a.assessment_id), default=None
            )
            assert got["assessment_id"] == (None if best is None else best.assessment_id)
            assert got["allowed"] is (best is not None)


def test_cin_ties_on_a_leap_day_rely_on_the_smallest_id_and_periods_select_by_the_date_judged() -> (
    None
):
    leap = dt.date(2016, 2, 29)
    case = cin_case(leap)
    done = [
        assessment(leap, ident="SA-b"),
        assessment(leap, ident="SA-a"),
        assessment(dt.date(2016, 3, 1), ident="SA-0"),  # the day after: does not count
    ]
    decision = is_cin_allowed_in_early_help(case, single_assessments=done, profile=DERBY)
    assert decision.outcome is True
    assert decision.summary.endswith(
        "single assessment SA-a by a qualified social worker was completed on 29/02/2016"
    )
    cases = records_to_frame([case], eh.io.SCHEMAS["cases"])
    frame = records_to_frame(done, eh.io.SCHEMAS["single_assessments"])
    for period, height in (("2015-16 Q4", 1), ("2015-16 Q3", 0), ("2016-17", 0)):
        flags = flag_cin_allowed_in_early_help(
            cases, frame, profile=DERBY, period=period, explain=True
        )
        assert flags.height == height
        if height:
            assert flags["explanation"][0] == str(decision)
            assert flags["assessment_id"][0] == "SA-a"


def test_levels_by_period_at_quarter_ends_and_the_unruled_explanation() -> None:
    days = [dt.date(2013, 3, 31), dt.date(2014, 12, 31), dt.date(2015, 1, 1), dt.date(2016, 2, 29)]
    frame = pl.DataFrame({"day": days, **{n: [False] * 4 for n in INPUTS}})
    q3 = flag_levels(frame, date_column="day", profile=LENIENT, period="2014-15 Q3")
    assert q3["day"].to_list() == [dt.date(2014, 12, 31)]
    year = flag_levels(frame, date_column="day", profile=LENIENT, period="2015-16", explain=True)
    assert year["day"].to_list() == [dt.date(2016, 2, 29)]
    every = flag_levels(frame, date_column="day", profile=LENIENT, explain=True)
    assert every["level"].to_list() == [None, 1, 1, 1]
    unruled = classify_day(flags(), dt.date(2013, 3, 31), LENIENT)
    assert every["explanation"][0] == str(unruled).replace("referral R-1", "record 1")
    assert str(unruled) == (
        "No level: no threshold rule is in force on 31/03/2013\n"
        "Decided on 31/03/2013 under profile derby-2014-15:"
    )


def test_a_per_record_call_passes_on_no_unstable_warning_from_polars(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A per-record call collects on polars' pool (a background collect, which polars
    # calls unstable): an app that turns polars' unstable warnings on and treats
    # warnings as errors still gets its decision.
    expected = classify_day(flags(complex_=True))
    monkeypatch.setenv("POLARS_WARN_UNSTABLE", "1")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert classify_day(flags(complex_=True)) == expected


_FROM_INSIDE_POLARS = """
import datetime as dt
import polars as pl
import earlyhelp as eh

def levels(acute: pl.Series) -> pl.Series:
    found = [
        eh.classify({"acute_risk": a, "complex_needs": False, "emerging_needs": False},
                    as_of=dt.date(2014, 10, 1), subject="referral R-1",
                    profile="derby-2014-15").outcome
        for a in acute
    ]
    return pl.Series(found, dtype=pl.Int64)

frame = pl.LazyFrame({"team": ["T1", "T1", "T2", "T3"], "acute": [True, False, True, False]})
out = frame.group_by("team").agg(pl.col("acute").map_batches(levels, return_dtype=pl.Int64))
print(sorted(out.collect().rows()))
"""


def test_a_per_record_call_from_inside_a_polars_query_does_not_wait_for_ever() -> None:
    # A user function in a group-by runs on polars' own threads; a per-record call made
    # there must not wait on the pool it occupies (with two threads both can be busy).
    result = subprocess.run(
        [sys.executable, "-c", _FROM_INSIDE_POLARS],
        env={**os.environ, "POLARS_MAX_THREADS": "2"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert result.stdout.strip() == "[('T1', [4, 1]), ('T2', [4]), ('T3', [1])]"
