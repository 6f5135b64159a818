"""The domain model: round-trips, immutability, cross-field rules, personal data kept out of reprs."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import earlyhelp as eh
from strategies import (
    ALL_RECORD_STRATEGIES,
    children,
    dates,
    ids,
    neet_records,
    survey_responses,
)

D = dt.date
RECORD_CLASSES = list(ALL_RECORD_STRATEGIES)
any_record = st.sampled_from(RECORD_CLASSES).flatmap(lambda cls: ALL_RECORD_STRATEGIES[cls])


def fields_of(error: eh.errors.RecordError) -> list[str]:
    return [field for field, _ in error.problems]


def test_every_public_domain_class_has_a_strategy() -> None:
    domain = {
        obj
        for obj in (getattr(eh.model, name) for name in eh.model.__all__)
        if isinstance(obj, type) and attrs.has(obj)
    }
    assert len(domain) == 28
    assert set(ALL_RECORD_STRATEGIES) == domain


# --------------------------------------------------------------------------- round-trips


@pytest.mark.parametrize("cls", RECORD_CLASSES, ids=lambda c: c.__name__)
@given(data=st.data())
def test_structure_unstructure_round_trip(cls: type, data: st.DataObject) -> None:
    record = data.draw(ALL_RECORD_STRATEGIES[cls])
    plain = eh.model.unstructure(record)
    back = eh.model.structure(plain, cls)
    assert type(back) is cls
    assert back == record
    via_json = eh.model.structure(json.loads(json.dumps(plain)), cls)
    assert via_json == record


def _leaves(value: object) -> list[object]:
    if isinstance(value, dict):
        assert all(type(key) is str for key in value)
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list | tuple):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]


@given(any_record)
def test_unstructured_records_are_plain_json_data(record: Any) -> None:
    plain = eh.model.unstructure(record)
    assert type(plain) is dict
    # exact types: no enum members, pendulum dates or other str/int subclasses left behind
    assert {type(leaf) for leaf in _leaves(plain)} <= {str, int, bool, type(None)}


def test_unstructured_codes_are_plain_values() -> None:
    referral = eh.model.Referral(
        referral_id="R1",
        person_id="P1",
        referral_date=D(2014, 5, 1),
        route="vcm",
        level_of_need=2,
    )
    plain = eh.model.unstructure(referral)
    assert type(plain["level_of_need"]) is int
    assert type(plain["route"]) is str


@given(any_record)
def test_records_are_frozen(record: Any) -> None:
    for field in attrs.fields(type(record)):
        before = getattr(record, field.name)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            setattr(record, field.name, before)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            delattr(record, field.name)
        assert getattr(record, field.name) == before


@given(any_record)
def test_records_are_hashable_and_equal_to_their_copy(record: Any) -> None:
    copy = attrs.evolve(record)
    assert copy == record
    assert hash(copy) == hash(record)


# --------------------------------------------------------------------------- early help case


def make_case(**overrides: Any) -> eh.model.EarlyHelpCase:
    values: dict[str, Any] = {
        "episode_id": "C-1042",
        "person_id": "P1",
        "team_id": "T1A",
        "locality_id": "L1",
        "opened": D(2014, 5, 1),
    }
    return eh.model.EarlyHelpCase(**(values | overrides))


def test_case_closed_before_opened_and_without_reason_reports_both_problems() -> None:
    with pytest.raises(eh.errors.RecordError) as info:
        make_case(closed=D(2014, 3, 2))
    error = info.value
    assert error.record_id == "C-1042"
    assert error.kind == "EarlyHelpCase"
    assert fields_of(error) == ["closed", "closure_reason"]
    text = str(error)
    assert "C-1042" in text
    assert "closed:" in text
    assert "closure_reason:" in text


def test_case_open_with_a_closure_reason_is_refused() -> None:
    with pytest.raises(eh.errors.RecordError) as info:
        make_case(closure_reason=eh.model.ClosureReason.OUTCOMES_MET)
    assert fields_of(info.value) == ["closure_reason"]
    assert info.value.record_id == "C-1042"


def test_case_closed_on_the_day_it_opened_is_valid() -> None:
    case = make_case(closed=D(2014, 5, 1), closure_reason="moved_away")
    assert case.closure_reason is eh.model.ClosureReason.MOVED_AWAY
    assert not case.is_open


def test_case_closed_one_day_before_opened_is_refused() -> None:
    with pytest.raises(eh.errors.RecordError) as info:
        make_case(closed=D(2014, 4, 30), closure_reason="outcomes_met")
    assert fields_of(info.value) == ["closed"]


@given(
    opened=dates(),
    closed=st.none() | dates(),
    reason=st.none() | st.sampled_from(eh.model.ClosureReason),
    episode_id=ids(),
)
def test_case_rules_are_all_checked_together(
    opened: dt.date, closed: dt.date | None, reason: eh.model.ClosureReason | None, episode_id: str
) -> None:
    expected = []
    if closed is not None and closed < opened:
        expected.append("closed")
    if (closed is None) != (reason is None):
        expected.append("closure_reason")
    kwargs = {"episode_id": episode_id, "closed": closed, "closure_reason": reason}
    if not expected:
        case = make_case(opened=opened, **kwargs)
        assert case.is_open == (closed is None)
        return
    with pytest.raises(eh.errors.RecordError) as info:
        make_case(opened=opened, **kwargs)
    assert fields_of(info.value) == expected
    assert info.value.record_id == episode_id
    assert episode_id in str(info.value)


# --------------------------------------------------------------------------- assessments, episodes


@pytest.mark.parametrize("cls", [eh.model.EarlyHelpAssessment, eh.model.SingleAssessment])
def test_assessment_completed_before_started_is_refused(cls: type) -> None:
    extra = {"by_qualified_social_worker": True} if cls is eh.model.SingleAssessment else {}
    base = {"assessment_id": "A1", "person_id": "P1", "started": D(2014, 6, 2), **extra}
    assert cls(**base, completed=D(2014, 6, 2)).completed == D(2014, 6, 2)
    with pytest.raises(eh.errors.RecordError) as info:
        cls(**base, completed=D(2014, 6, 1))
    assert info.value.record_id == "A1"
    assert fields_of(info.value) == ["completed"]
    assert str(info.value).startswith(f"{cls.__name__} A1: completed:")


@pytest.mark.parametrize("cls", [eh.model.SocialCareEpisode, eh.model.YouthOffendingEpisode])
def test_episode_ended_before_started_is_refused(cls: type) -> None:
    extra = {"kind": "cp"} if cls is eh.model.SocialCareEpisode else {}
    base = {"episode_id": "S1", "person_id": "P1", "started": D(2015, 3, 31), **extra}
    assert cls(**base, ended=D(2015, 3, 31)).ended == D(2015, 3, 31)
    with pytest.raises(eh.errors.RecordError) as info:
        cls(**base, ended=D(2015, 3, 30))
    assert info.value.record_id == "S1"
    assert fields_of(info.value) == ["ended"]


# --------------------------------------------------------------------------- spider graphs


def test_spider_scale_maximum_must_exceed_minimum() -> None:
    assert eh.model.SpiderScale(name="routines", minimum=1, maximum=2).contains(2)
    for maximum in (1, 0):
        with pytest.raises(eh.errors.RecordError) as info:
            eh.model.SpiderScale(name="routines", minimum=1, maximum=maximum)
        assert info.value.record_id == "routines"
        assert fields_of(info.value) == ["maximum"]


def _reading(stage: str, day: dt.date, **scores: int) -> eh.model.SpiderReading:
    return eh.model.SpiderReading(
        stage=stage,
        reading_date=day,
        scores=tuple(eh.model.SpiderScore(scale=k, score=v) for k, v in scores.items()),
    )


def test_spider_graph_reports_every_problem_at_once() -> None:
    routines = eh.model.SpiderScale(name="routines", minimum=1, maximum=10)
    twice = eh.model.SpiderScore(scale="routines", score=5)
    readings = (
        _reading("start", D(2014, 5, 1), routines=1),
        _reading("start", D(2014, 6, 1), routines=10),  # second start
        _reading("end", D(2014, 9, 1), routines=11),  # off the scale
        _reading("review", D(2014, 8, 1), health=3),  # before the end by date and by stage
        eh.model.SpiderReading(stage="review", reading_date=D(2014, 8, 1), scores=(twice, twice)),
    )
    with pytest.raises(eh.errors.RecordError) as info:
        eh.model.SpiderGraph(
            graph_id="G1", episode_id="C1", scales=(routines, routines), readings=readings
        )
    error = info.value
    assert error.record_id == "G1"
    messages = dict.fromkeys(fields_of(error))
    assert list(messages) == [
        "scales",
        "readings",
        "readings[3].scores",
        "readings[4].scores",
        "readings[5].scores",
    ]
    text = [message for _, message in error.problems]
    assert "scale names must be unique" in text
    assert "more than one start reading" in text
    assert "not in date order at reading 4" in text
    assert "stage review after stage end at reading 4" in text
    assert "routines score 11 is outside 1..10" in text
    assert "unknown scale health" in text
    assert "scale routines scored twice" in text
    assert "two review readings on 2014-08-01" in text
    assert len(error.problems) == 8


def test_spider_graph_accepts_scale_ends_and_equal_dates() -> None:
    routines = eh.model.SpiderScale(name="routines", minimum=1, maximum=10)
    graph = eh.model.SpiderGraph(
        graph_id="G1",
        episode_id="C1",
        scales=(routines,),
        readings=(
            _reading("start", D(2014, 5, 1), routines=1),
            _reading("review", D(2014, 5, 1), routines=10),
            _reading("review", D(2014, 5, 2)),
            _reading("end", D(2014, 5, 2), routines=10),
        ),
    )
    assert graph.is_complete


def test_spider_graph_two_reviews_on_one_day_are_refused() -> None:
    with pytest.raises(eh.errors.RecordError) as info:
        eh.model.SpiderGraph(
            graph_id="G3",
            episode_id="C1",
            scales=(),
            readings=(_reading("review", D(2014, 5, 1)), _reading("review", D(2014, 5, 1))),
        )
    assert info.value.problems == (("readings", "two review readings on 2014-05-01"),)


def test_spider_graph_two_end_readings_are_refused() -> None:
    with pytest.raises(eh.errors.RecordError) as info:
        eh.model.SpiderGraph(
            graph_id="G2",
            episode_id="C1",
            scales=(),
            readings=(_reading("end", D(2014, 5, 1)), _reading("end", D(2014, 5, 2))),
        )
    assert error_messages(info.value) == ["more than one end reading"]


def error_messages(error: eh.errors.RecordError) -> list[str]:
    return [message for _, message in error.problems]


# --------------------------------------------------------------------------- audits


def test_grading_scale_rules() -> None:
    with pytest.raises(eh.errors.RecordError) as info:
        eh.model.GradingScale(name="empty", grades=())
    assert info.value.record_id == "empty"
    assert fields_of(info.value) == ["grades"]
    for values in ((2, 1), (1, 1)):
        with pytest.raises(eh.errors.RecordError) as info:
            eh.model.GradingScale(
                name="s", grades=[eh.model.Grade(value=v, label=str(v)) for v in values]
            )
        assert error_messages(info.value) == ["grade values must be unique and ascending"]


def test_case_file_audit_reports_every_problem_at_once() -> None:
    with pytest.raises(eh.errors.RecordError) as info:
        eh.model.CaseFileAudit(
            audit_id="AU1",
            episode_id="C1",
            scheduled=D(2015, 3, 1),
            completed=None,
            scale=eh.model.GradingScale.derby(),
            grades=(
                eh.model.AuditGrade(measure="Reviews", grade=5),
                eh.model.AuditGrade(measure="Plan", grade=4),
                eh.model.AuditGrade(measure="Plan", grade=None),
            ),
            overall_rating=-1,
        )
    error = info.value
    assert error.record_id == "AU1"
    # the rating rule is the audits table's own declaration (rating-without-completion)
    assert fields_of(error) == ["grades", "grades", "overall_rating", "completed", "overall_rating"]
    assert "an audit with a rating must have a completed date" in error_messages(error)
    assert "Reviews grade 5 is not on scale derby-0-4" in error_messages(error)
    assert "measures graded twice: Plan" in error_messages(error)


def test_case_file_audit_grades_on_ofsted_scale() -> None:
    base = {"audit_id": "AU2", "episode_id": "C1", "scheduled": D(2015, 3, 1)}
    ofsted = eh.model.GradingScale.ofsted()
    audit = eh.model.CaseFileAudit(
        **base,
        completed=D(2015, 2, 1),  # done early: allowed
        scale=ofsted,
        grades=(
            eh.model.AuditGrade(measure="Plan", grade=1),
            eh.model.AuditGrade(measure="Voice", grade=4),
        ),
        overall_rating=4,
    )
    assert audit.is_completed
    with pytest.raises(eh.errors.RecordError) as info:
        eh.model.CaseFileAudit(**base, completed=D(2015, 3, 1), scale=ofsted, overall_rating=0)
    assert fields_of(info.value) == ["overall_rating"]


def test_grading_scale_directions() -> None:
    derby, ofsted = eh.model.GradingScale.derby(), eh.model.GradingScale.ofsted()
    assert [g.value for g in derby.grades] == [0, 1, 2, 3, 4]
    assert derby.label(0) == "missing"
    assert derby.label(4) == "outstanding"
    assert derby.is_better(4, 3)
    assert not derby.is_better(3, 4)
    assert not derby.is_better(2, 2)
    assert [g.value for g in ofsted.grades] == [1, 2, 3, 4]
    assert ofsted.label(1) == "outstanding"
    assert ofsted.label(4) == "inadequate"
    assert ofsted.is_better(1, 2)
    assert not ofsted.is_better(4, 3)
    assert not ofsted.is_better(2, 2)
    assert not derby.contains(5)
    assert not ofsted.contains(0)
    with pytest.raises(KeyError):
        ofsted.label(0)


# --------------------------------------------------------------------------- organisation


def test_org_hierarchy_reports_duplicates_and_unknown_localities() -> None:
    l1 = eh.model.Locality(locality_id="L1", name="Locality 1")
    team = eh.model.Team(team_id="T1A", name="MAT 1A", locality_id="L1")
    with pytest.raises(eh.errors.RecordError) as info:
        eh.model.OrgHierarchy(
            city=eh.model.City(city_id="derby", name="Derby"),
            localities=(l1, l1),
            teams=(team, team, eh.model.Team(team_id="T9", name="MAT 9", locality_id="L9")),
        )
    error = info.value
    assert error.record_id == "derby"
    assert fields_of(error) == ["localities", "teams", "teams"]
    assert error_messages(error) == [
        "duplicate ids L1",
        "duplicate ids T1A",
        "team T9 names unknown locality L9",
    ]


def test_org_hierarchy_lookups() -> None:
    org = eh.model.OrgHierarchy(
        city=eh.model.City(city_id="derby", name="Derby"),
        localities=[eh.model.Locality(locality_id=f"L{i}", name=f"Locality {i}") for i in (1, 2)],
        teams=[
            eh.model.Team(team_id="T2B", name="b", locality_id="L2"),
            eh.model.Team(team_id="T1A", name="a", locality_id="L1"),
            eh.model.Team(team_id="T2A", name="c", locality_id="L2"),
        ],
    )
    assert org.locality_of("T1A").locality_id == "L1"
    assert [t.team_id for t in org.teams_in("L2")] == ["T2B", "T2A"]
    with pytest.raises(KeyError):
        org.locality_of("L1")


@pytest.mark.parametrize("bad", ["", " ", " T1", "T1 ", "\tT1", "\u00a0T1", "T1\r\n"])
def test_ids_must_be_non_blank_without_surrounding_space(bad: str) -> None:
    with pytest.raises(ValueError, match="team_id"):
        eh.model.Team(team_id=bad, name="x", locality_id="L1")


def test_id_with_trailing_newline_is_refused() -> None:
    with pytest.raises(ValueError, match="team_id"):
        eh.model.Team(team_id="T1\n", name="x", locality_id="L1")


@pytest.mark.parametrize("code", ["54", "5400", "54a", ""])
def test_neet_activity_code_is_three_digits(code: str) -> None:
    with pytest.raises(ValueError, match="activity_code"):
        eh.model.NeetRecord(
            person_id="Y1",
            date_of_birth=D(1998, 9, 1),
            record_month=D(2014, 11, 1),
            activity_code=code,
        )


@pytest.mark.parametrize("code", ["540\n", "\u0665\u0664\u0660"])
def test_neet_activity_code_is_three_ascii_digits_exactly(code: str) -> None:
    with pytest.raises(ValueError, match="activity_code"):
        eh.model.NeetRecord(
            person_id="Y1",
            date_of_birth=D(1998, 9, 1),
            record_month=D(2014, 11, 1),
            activity_code=code,
        )


def test_neet_record_month_must_be_first_of_month() -> None:
    with pytest.raises(ValueError, match="record_month"):
        eh.model.NeetRecord(
            person_id="Y1",
            date_of_birth=D(1998, 9, 1),
            record_month=D(2014, 11, 30),
            activity_code="540",
        )


def test_child_population_is_not_negative() -> None:
    assert eh.model.ChildPopulation(area_id="derby", year=2014, children=0).children == 0
    with pytest.raises(ValueError, match="children"):
        eh.model.ChildPopulation(area_id="derby", year=2014, children=-1)


def test_dates_are_stored_as_pendulum_dates_and_datetimes_are_refused() -> None:
    case = make_case(opened=D(2014, 5, 1))
    assert type(case.opened).__module__.startswith("pendulum")
    with pytest.raises(TypeError):
        make_case(opened=dt.datetime(2014, 5, 1, 9, 30))


# --------------------------------------------------------------------------- personal data


def _date_spellings(day: dt.date) -> list[str]:
    return [
        day.isoformat(),
        day.strftime("%d/%m/%Y"),
        repr(day),
        repr(dt.date(day.year, day.month, day.day)),
        f"{day.year}, {day.month}, {day.day}",
    ]


@given(children(), dates())
def test_child_repr_never_shows_date_of_birth(child: eh.model.Child, dob: dt.date) -> None:
    child = attrs.evolve(child, date_of_birth=dob)
    baseline = repr(attrs.evolve(child, date_of_birth=None))
    assert repr(child) == baseline  # the repr does not depend on the date of birth at all
    for spelling in _date_spellings(dob):
        assume(spelling not in baseline)
        assert spelling not in repr(child)
        assert spelling not in str(child)


@given(neet_records(), dates(), dates())
def test_neet_record_repr_never_shows_date_of_birth(
    record: eh.model.NeetRecord, dob: dt.date, other: dt.date
) -> None:
    record = attrs.evolve(record, date_of_birth=dob)
    assert repr(record) == repr(attrs.evolve(record, date_of_birth=other))
    for spelling in _date_spellings(dob):
        assume(spelling not in repr(attrs.evolve(record, date_of_birth=other)))
        assert spelling not in repr(record)


@given(survey_responses(), st.text(min_size=3, max_size=60))
def test_survey_repr_never_shows_comments(response: eh.model.SurveyResponse, comments: str) -> None:
    baseline = repr(attrs.evolve(response, comments=None))
    assume(comments not in baseline)
    response = attrs.evolve(response, comments=comments)
    assert repr(response) == baseline
    assert comments not in repr(response)


@given(neet_records(), st.sampled_from(["record_month", "activity_code", "person_id", "extra"]))
def test_neet_errors_never_show_date_of_birth(record: eh.model.NeetRecord, broken: str) -> None:
    dob = record.date_of_birth
    data = eh.model.unstructure(record)
    data[broken] = {
        "record_month": "2014-11-02",
        "activity_code": "54",
        "person_id": 7,
        "extra": "x",
    }[broken]
    with pytest.raises(eh.errors.StructureError) as info:
        eh.model.structure(data, eh.model.NeetRecord)
    baseline = f"{info.value.kind} {info.value.record_id}"
    for spelling in _date_spellings(dob):
        assume(spelling not in baseline)
        assert spelling not in str(info.value)
        assert all(spelling not in message for _, message in info.value.problems)


@given(children(), dates())
def test_child_errors_never_show_date_of_birth(child: eh.model.Child, dob: dt.date) -> None:
    uk = dob.strftime("%d/%m/%Y")
    data = eh.model.unstructure(child) | {"date_of_birth": uk, "family_id": 3}
    with pytest.raises(eh.errors.StructureError) as info:
        eh.model.structure(data, eh.model.Child)
    assert {path for path, _ in info.value.problems} == {"date_of_birth", "family_id"}
    assume(uk not in child.person_id)
    assert uk not in str(info.value)
    assert dob.isoformat() not in str(info.value)


@given(survey_responses(), st.text(min_size=3, max_size=60))
def test_survey_errors_never_show_comments(
    response: eh.model.SurveyResponse, comments: str
) -> None:
    data = eh.model.unstructure(response) | {"respected": "perhaps"}
    with pytest.raises(eh.errors.StructureError) as info:
        eh.model.structure(data | {"comments": None}, eh.model.SurveyResponse)
    baseline = str(info.value)
    assume(comments not in baseline)
    with pytest.raises(eh.errors.StructureError) as info:
        eh.model.structure(data | {"comments": comments}, eh.model.SurveyResponse)
    assert [path for path, _ in info.value.problems] == ["respected"]
    assert comments not in str(info.value)
    assert str(info.value) == baseline
