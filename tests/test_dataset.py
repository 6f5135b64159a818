"""Dataset: records -> tables -> records round-trips, and bulk vs per-record agreement."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import earlyhelp as eh
from earlyhelp.io import validate
from strategies import (
    cases,
    children,
    dates,
    early_help_assessments,
    ids,
    neet_records,
    onward_referrals,
    referrals,
    single_assessments,
    social_care_episodes,
    spider_graphs,
    survey_responses,
    tac_involvements,
    teams,
    youth_offending_episodes,
)

# Loading trims text and reads blank text as missing, so round-trips use clean text.
CLEAN_TEXT = st.text(st.characters(categories=("L", "N")), min_size=1, max_size=12).filter(
    lambda text: text not in ("NULL", "null", "Null")  # NULL written as text is missing
)


def _clean(strategy: st.SearchStrategy[Any], **fields: st.SearchStrategy[Any]) -> Any:
    return st.builds(
        lambda record, extra: attrs.evolve(record, **extra), strategy, st.fixed_dictionaries(fields)
    )


FLAT = {
    "teams": _clean(teams(), name=CLEAN_TEXT),
    "children": children(),
    "referrals": _clean(referrals(), referring_agency=st.none() | CLEAN_TEXT),
    "cases": cases(),
    "assessments": _clean(early_help_assessments(), organisation=st.none() | CLEAN_TEXT),
    "single_assessments": single_assessments(),
    "social_care_episodes": social_care_episodes(),
    "yos_episodes": youth_offending_episodes(),
    "onward_referrals": _clean(onward_referrals(), intervention=CLEAN_TEXT),
    "surveys": _clean(survey_responses(), comments=st.none() | CLEAN_TEXT),
    "neet": neet_records(),
    "tac_involvements": tac_involvements(),
    "population": st.builds(
        eh.model.ChildPopulation,
        area_id=ids(),
        year=st.integers(1900, 2999),
        children=st.integers(0, 10**9),
    ),
}


def _key(table: str) -> Callable[[Any], tuple[Any, ...]]:
    key = eh.io.SCHEMAS[table].key
    return lambda record: tuple(getattr(record, name) for name in key)


@pytest.mark.parametrize("table", sorted(FLAT))
def test_flat_tables_round_trip_through_a_dataset(table: str) -> None:
    @settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(FLAT[table], max_size=6, unique_by=_key(table)))
    def round_trip(records: list[Any]) -> None:
        data = eh.Dataset.from_records(**{table: records})
        assert data.report.ok, str(data.report)
        assert list(data.records(table)) == records

    round_trip()


def _canonical(graph: eh.model.SpiderGraph) -> eh.model.SpiderGraph:
    """The long table keeps the scales a graph scored, in name order."""
    used = {score.scale for reading in graph.readings for score in reading.scores}
    return attrs.evolve(
        graph,
        scales=tuple(sorted((s for s in graph.scales if s.name in used), key=lambda s: s.name)),
        readings=tuple(
            attrs.evolve(r, scores=tuple(sorted(r.scores, key=lambda s: s.scale)))
            for r in graph.readings
            if r.scores
        ),
    )


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(spider_graphs())
def test_a_spider_graph_round_trips_through_its_two_tables(graph: eh.model.SpiderGraph) -> None:
    data = eh.Dataset.from_records(spider_graphs=[graph])
    assert data.report.ok, str(data.report)
    expected = _canonical(graph)
    assert data.spider_graphs() == ([expected] if expected.readings else [])


AUDITS = st.builds(
    eh.model.CaseFileAudit,
    audit_id=ids(),
    episode_id=ids(),
    scheduled=dates(),
    completed=st.none() | dates(),
    auditor_role=st.none() | CLEAN_TEXT,
    scale=st.sampled_from(list(eh.model.GRADING_SCALES.values())),
)


@st.composite
def graded_audits(draw: st.DrawFn) -> eh.model.CaseFileAudit:
    audit = draw(AUDITS)
    if audit.completed is None:
        return audit
    values = [grade.value for grade in audit.scale.grades]
    measures = draw(st.lists(CLEAN_TEXT, max_size=5, unique=True))
    return attrs.evolve(
        audit,
        grades=tuple(
            eh.model.AuditGrade(measure=m, grade=draw(st.none() | st.sampled_from(values)))
            for m in measures
        ),
        overall_rating=draw(st.none() | st.sampled_from(values)),
    )


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(graded_audits(), max_size=4, unique_by=lambda a: a.audit_id))
def test_audits_round_trip_through_their_two_tables(audits: list[eh.model.CaseFileAudit]) -> None:
    data = eh.Dataset.from_records(audits=audits)
    assert data.report.ok, str(data.report)
    assert data.audits() == audits


# --- the bulk validator and the attrs model agree on every cross-field rule -----------

TEXT_DATES = (
    st.none() | dates().map(dt.date.isoformat) | dates().map(lambda d: d.strftime("%d/%m/%Y"))
)
CODES = st.none() | st.sampled_from([*eh.model.ClosureReason, "no such reason"])


def _parse_date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    if "/" in text:
        return dt.datetime.strptime(text, "%d/%m/%Y").date()
    return dt.date.fromisoformat(text)


@settings(max_examples=200)
@given(
    opened=TEXT_DATES,
    closed=TEXT_DATES,
    reason=CODES,
    level=st.sampled_from(["1", "2", "3", "4", "0", "5"]),
)
def test_bulk_and_per_record_agree_on_cases(
    opened: str | None, closed: str | None, reason: str | None, level: str
) -> None:
    row = {
        "episode_id": "C1",
        "person_id": "P1",
        "team_id": "T",
        "locality_id": "L",
        "opened": opened,
        "closed": closed,
        "closure_reason": reason,
        "level_of_need": level,
    }
    bulk = validate(
        pl.DataFrame([row], schema=dict.fromkeys(row, pl.String)), eh.io.SCHEMAS["cases"]
    )
    try:
        eh.model.EarlyHelpCase(
            **(
                row
                | {
                    "opened": _parse_date(opened),
                    "closed": _parse_date(closed),
                    "level_of_need": int(level),
                }
            )
        )
        per_record = True
    except (ValueError, TypeError):
        per_record = False
    assert (bulk.report.accepted == 1) is per_record, str(bulk.report)


@settings(max_examples=200)
@given(
    started=TEXT_DATES,
    ended=TEXT_DATES,
    kind=st.sampled_from([*eh.model.SocialCareKind, "adoption"]),
)
def test_bulk_and_per_record_agree_on_social_care(
    started: str | None, ended: str | None, kind: str
) -> None:
    row = {"episode_id": "S1", "person_id": "P1", "kind": kind, "started": started, "ended": ended}
    bulk = validate(
        pl.DataFrame([row], schema=dict.fromkeys(row, pl.String)),
        eh.io.SCHEMAS["social_care_episodes"],
    )
    try:
        eh.model.SocialCareEpisode(
            **(row | {"started": _parse_date(started), "ended": _parse_date(ended)})
        )
        per_record = True
    except (ValueError, TypeError):
        per_record = False
    assert (bulk.report.accepted == 1) is per_record, str(bulk.report)


@settings(max_examples=200)
@given(
    month=dates(),
    code=st.sampled_from(["540", "110", "54", "5400", "abc", "810"]),
)
def test_bulk_and_per_record_agree_on_neet(month: dt.date, code: str) -> None:
    row = {
        "person_id": "Y1",
        "date_of_birth": "1998-09-01",
        "record_month": month.isoformat(),
        "activity_code": code,
    }
    bulk = validate(pl.DataFrame([row]), eh.io.SCHEMAS["neet"])
    try:
        eh.model.NeetRecord(
            person_id="Y1",
            date_of_birth=dt.date(1998, 9, 1),
            record_month=month,
            activity_code=code,
        )
        per_record = True
    except ValueError:
        per_record = False
    assert (bulk.report.accepted == 1) is per_record, str(bulk.report)
