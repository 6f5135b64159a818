"""Team around the family: recorded, validated and counted apart from the LP caseload."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import earlyhelp as eh
from cohort_data import D, case, dataset, days


def _involvement(
    ident: str,
    started: dt.date,
    ended: dt.date | None = None,
    *,
    episode_id: str | None = None,
    family_id: str | None = "F-1",
    worker_id: str | None = "W-9",
    team_id: str = "T1",
) -> eh.model.TeamAroundFamilyInvolvement:
    return eh.model.TeamAroundFamilyInvolvement(
        involvement_id=ident,
        episode_id=episode_id,
        family_id=family_id,
        team_id=team_id,
        worker_id=worker_id,
        role="team_member",
        started=started,
        ended=ended,
    )


TEAMS = [
    eh.model.Team(team_id="T1", name="MAT 1", locality_id="L1"),
    eh.model.Team(team_id="T2", name="MAT 2", locality_id="L2"),
]


def test_involvements_are_counted_apart_from_the_lead_professional_caseload() -> None:
    lead = eh.model.EarlyHelpCase(
        episode_id="C-1",
        person_id="P-1",
        family_id="F-7",
        team_id="T1",
        locality_id="L1",
        worker_id="W-1",
        opened=D(2014, 10, 6),
    )
    data = dataset(
        teams=TEAMS,
        cases=[lead],
        tac_involvements=[
            _involvement("A", D(2014, 11, 3), episode_id="C-1", family_id=None, team_id="T2"),
            _involvement("B", D(2014, 11, 3), D(2014, 12, 31)),  # ended on the last day: not open
            _involvement("C", D(2014, 12, 1), episode_id="C-1", family_id=None, worker_id="W-1"),
        ],
    )
    table = eh.cohorts.team_around_family(data, period="2014-15 Q3", by="team")
    rows = {r["team_id"]: r for r in table.iter_rows(named=True)}
    assert rows["T1"]["lead_professional_cases"] == 1
    assert rows["T1"]["tac_involvements"] == 0  # B ended; C is the lead professional's own work
    assert rows["T1"]["tac_started"] == 1  # B
    assert rows["T2"] == {
        "period": "2014-15 Q3",
        "team_id": "T2",
        "lead_professional_cases": 0,
        "tac_involvements": 1,
        "tac_started": 1,
        "tac_families": 1,
    }
    assert eh.cohorts.lead_professional_overlaps(data)["involvement_id"].to_list() == ["C"]
    # the caseload is the cases table's alone, whatever is recorded as TAC work
    assert eh.cohorts.team_around_family(
        dataset(teams=TEAMS, cases=[lead]), period="2014-15 Q3", by="city"
    )["lead_professional_cases"].to_list() == [1]


@st.composite
def involvements(draw: st.DrawFn) -> list[eh.model.TeamAroundFamilyInvolvement]:
    out = []
    for i in range(draw(st.integers(0, 15))):
        started = draw(days(D(2014, 1, 1), D(2015, 6, 30)))
        ended = draw(st.none() | st.just(started) | st.dates(started, D(2015, 12, 31)))
        out.append(
            _involvement(
                f"I-{i}",
                started,
                ended,
                family_id=draw(st.sampled_from(["F-1", "F-2", "F-3"])),
                team_id=draw(st.sampled_from(["T1", "T2"])),
            )
        )
    return out


@settings(max_examples=50, suppress_health_check=[HealthCheck.too_slow])  # whole-table queries
@given(records=involvements(), cases=st.lists(days(D(2014, 1, 1), D(2015, 6, 30)), max_size=5))
def test_counts_match_records_and_roll_up(
    records: list[eh.model.TeamAroundFamilyInvolvement], cases: list[dt.date]
) -> None:
    case_records = [case(f"C-{i}", d, team_id="T1") for i, d in enumerate(cases)]
    data = dataset(teams=TEAMS, cases=case_records, tac_involvements=records)
    period = eh.parse_period("2014-15")
    city = eh.cohorts.team_around_family(data, period="2014-15", by="city")
    local = eh.cohorts.team_around_family(data, period="2014-15", by="locality")
    open_at_end = [r for r in records if eh.periods.is_open_at(r.started, r.ended, period.end)]
    expected = {
        "lead_professional_cases": sum(
            eh.periods.is_open_at(c.opened, c.closed, period.end) for c in case_records
        ),
        "tac_involvements": len(open_at_end),
        "tac_started": sum(period.contains(r.started) for r in records),
        "tac_families": len({r.family_id for r in open_at_end}),
    }
    got = city.row(0, named=True) if city.height else dict.fromkeys(expected, 0)
    assert {k: got[k] for k in expected} == expected
    for column in ("lead_professional_cases", "tac_involvements", "tac_started"):
        assert local[column].sum() == expected[column]


def test_bad_records_are_rejected_by_id_and_field() -> None:
    frame = pl.DataFrame(
        {
            "involvement_id": ["A", "B", "C"],
            "episode_id": [None, "C1", None],
            "family_id": [None, None, "F1"],
            "team_id": ["T1", "T1", "T1"],
            "role": ["specialist", "Team member", "lead_professional"],
            "started": ["2014-01-01", "2014-02-01", "2014-03-01"],
            "ended": [None, "2014-01-31", None],
        }
    )
    report = eh.load({"tac_involvements": frame}).report["tac_involvements"]
    assert (report.accepted, report.rejected) == (0, 3)
    problems = {(r["row"], r["field"]) for r in report.problems.iter_rows(named=True)}
    assert problems == {(1, "episode_id"), (2, "ended"), (3, "role")}
    with pytest.raises(eh.errors.RecordError, match="TeamAroundFamilyInvolvement A: episode_id"):
        _involvement("A", D(2014, 1, 1), family_id=None)
    with pytest.raises(ValueError, match="'worker'"):
        eh.cohorts.team_around_family(dataset(), period="2014-15", by="worker")  # type: ignore[arg-type]


def test_the_catalogue_count_is_in_force_from_2015_16_and_names_involvements() -> None:
    data = dataset(
        teams=TEAMS,
        cases=[case("C-1", D(2015, 4, 6), team_id="T1")],
        tac_involvements=[
            _involvement("A", D(2015, 5, 1), team_id="T1"),
            _involvement("B", D(2015, 5, 1), team_id="T2", family_id="F-2"),
            _involvement(
                "C", D(2015, 5, 1), D(2015, 6, 30), team_id="T2"
            ),  # ended on Q1's last day
        ],
    )
    measure = "team_around_family_involvements"
    results = eh.compute(
        data, profile="derby-2014-15", period="2015-16 Q1", by="team", measures=[measure]
    )
    assert results[measure, "2015-16 Q1", "T1"].numerator == 1
    assert results[measure, "2015-16 Q1", "L2"].numerator == 1
    assert results.records(measure, "2015-16 Q1", "city") == ["A", "B"]
    table = eh.cohorts.team_around_family(data, period="2015-16 Q1", by="city")
    assert table["tac_involvements"].item() == results[measure, "2015-16 Q1", "city"].numerator
    early = eh.compute(
        data, profile="derby-2014-15", period="2014-15 Q4", by="city", measures=[measure]
    )
    assert early[measure, "2014-15 Q4", "city"].missing is not None
