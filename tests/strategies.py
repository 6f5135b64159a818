"""Hypothesis strategies that generate valid earlyhelp records, periods and edge-biased dates.

Every strategy here produces only records that the domain model accepts: cross-field rules
(closed on or after opened, a closure reason exactly when closed, readings in date and stage
order, grades on the scale, first-of-month record months, ...) hold by construction.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from typing import Any

from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

import earlyhelp as eh

MIN_DATE = dt.date(2000, 1, 1)
MAX_DATE = dt.date(2030, 12, 31)

# Ids: non-blank, no surrounding whitespace; inner spaces and non-ASCII letters allowed.
_ID_EDGE_CHARS = st.characters(categories=("L", "N"), codec="utf-8") | st.sampled_from("-_/.#")
_ID_INNER_CHARS = _ID_EDGE_CHARS | st.just(" ")


# --------------------------------------------------------------------------- primitives


@st.composite
def ids(draw: st.DrawFn) -> str:
    """A non-blank id without surrounding whitespace, e.g. ``"C-1042"`` or ``"é 7"``."""
    first = draw(_ID_EDGE_CHARS)
    middle = draw(st.text(_ID_INNER_CHARS, max_size=8))
    last = draw(st.just("") | _ID_EDGE_CHARS) if not middle else draw(_ID_EDGE_CHARS)
    text = first + middle + last
    # Loading reads NULL as missing and drops Excel's ".0" from whole numbers: such
    # ids are not kept as written, so round-trips do not draw them.
    assume(text not in ("NULL", "null", "Null") and re.fullmatch(r"[0-9]+\.0+", text) is None)
    return text


def optional_ids() -> SearchStrategy[str | None]:
    return st.none() | ids()


def names() -> SearchStrategy[str]:
    """Unvalidated text (team names, labels, free text): anything, including empty."""
    return st.text(max_size=20)


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _edge_days(years: SearchStrategy[int]) -> SearchStrategy[dt.date]:
    months = st.integers(1, 12)
    month_ends = st.builds(_last_day, years, months)
    month_starts = st.builds(dt.date, years, months, st.just(1))
    leap_days = (
        years.map(lambda y: 4 * (y // 4)).filter(calendar.isleap).map(lambda y: dt.date(y, 2, 29))
    )
    quarter_ends = st.builds(
        lambda y, md: dt.date(y, *md), years, st.sampled_from([(6, 30), (9, 30), (12, 31), (3, 31)])
    )
    year_edges = st.builds(
        lambda y, md: dt.date(y, *md),
        years,
        st.sampled_from([(1, 1), (12, 31), (4, 1), (3, 31), (2, 28), (3, 1)]),
    )
    return st.one_of(month_ends, month_starts, leap_days, quarter_ends, year_edges)


@functools.cache  # building strategies is costly; callers draw from dates() many times
def dates(min_value: dt.date = MIN_DATE, max_value: dt.date = MAX_DATE) -> SearchStrategy[dt.date]:
    """Calendar dates, biased towards month ends, 29 Feb, quarter ends and year ends."""
    years = st.integers(min_value.year, max_value.year)
    edges = _edge_days(years).filter(lambda d: min_value <= d <= max_value)
    return st.one_of(st.dates(min_value, max_value), edges)


@st.composite
def date_spans(draw: st.DrawFn, *, optional_end: bool = True) -> tuple[dt.date, dt.date | None]:
    """A ``(start, end)`` pair with ``end >= start`` (same day often); ``end`` may be ``None``."""
    start, other = sorted((draw(dates()), draw(dates())))
    end = draw(st.sampled_from([other, start, None] if optional_end else [other, start]))
    return start, end


def financial_years() -> SearchStrategy[eh.FinancialYear]:
    # 1999-00 holds the first days of 2000; 2030-31 the last days of 2030.
    return st.builds(eh.FinancialYear, st.integers(1999, 2030))


def quarters() -> SearchStrategy[eh.Quarter]:
    return st.builds(eh.Quarter, financial_years(), st.integers(1, 4))


def periods() -> SearchStrategy[eh.FinancialYear | eh.Quarter]:
    return financial_years() | quarters()


# --------------------------------------------------------------------------- organisation


def teams() -> SearchStrategy[eh.model.Team]:
    return st.builds(eh.model.Team, team_id=ids(), name=names(), locality_id=ids())


def localities() -> SearchStrategy[eh.model.Locality]:
    return st.builds(eh.model.Locality, locality_id=ids(), name=names())


def cities() -> SearchStrategy[eh.model.City]:
    return st.builds(eh.model.City, city_id=ids(), name=names())


@st.composite
def org_hierarchies(draw: st.DrawFn) -> eh.model.OrgHierarchy:
    """A hierarchy with unique ids in which every team names a declared locality."""
    locs = draw(st.lists(localities(), max_size=4, unique_by=lambda x: x.locality_id))
    team_list: list[eh.model.Team] = []
    if locs:
        loc_ids = [loc.locality_id for loc in locs]
        team_ids = draw(st.lists(ids(), max_size=6, unique=True))
        team_list = [
            eh.model.Team(
                team_id=tid, name=draw(names()), locality_id=draw(st.sampled_from(loc_ids))
            )
            for tid in team_ids
        ]
    return eh.model.OrgHierarchy(city=draw(cities()), localities=locs, teams=team_list)


# --------------------------------------------------------------------------- people


def families() -> SearchStrategy[eh.model.Family]:
    return st.builds(eh.model.Family, family_id=ids(), locality_id=optional_ids())


def children() -> SearchStrategy[eh.model.Child]:
    return st.builds(
        eh.model.Child, person_id=ids(), family_id=optional_ids(), date_of_birth=st.none() | dates()
    )


# --------------------------------------------------------------------------- casework


def referrals() -> SearchStrategy[eh.model.Referral]:
    return st.builds(
        eh.model.Referral,
        referral_id=ids(),
        person_id=ids(),
        family_id=optional_ids(),
        referral_date=dates(),
        route=st.sampled_from(eh.model.ReferralRoute),
        referring_agency=st.none() | names(),
        level_of_need=st.none() | st.sampled_from(eh.model.LevelOfNeed),
        team_id=optional_ids(),
    )


@st.composite
def cases(draw: st.DrawFn) -> eh.model.EarlyHelpCase:
    """An early help case: closed on or after opened, a closure reason exactly when closed."""
    opened, closed = draw(date_spans())
    reason = None if closed is None else draw(st.sampled_from(eh.model.ClosureReason))
    return eh.model.EarlyHelpCase(
        episode_id=draw(ids()),
        person_id=draw(ids()),
        family_id=draw(optional_ids()),
        referral_id=draw(optional_ids()),
        team_id=draw(ids()),
        locality_id=draw(ids()),
        worker_id=draw(optional_ids()),
        opened=opened,
        closed=closed,
        closure_reason=reason,
        level_of_need=draw(st.sampled_from(eh.model.LevelOfNeed)),
    )


def onward_referrals() -> SearchStrategy[eh.model.OnwardReferral]:
    return st.builds(
        eh.model.OnwardReferral,
        onward_referral_id=ids(),
        episode_id=ids(),
        referral_date=dates(),
        intervention=names(),
    )


# --------------------------------------------------------------------------- assessments


@st.composite
def early_help_assessments(draw: st.DrawFn) -> eh.model.EarlyHelpAssessment:
    started, completed = draw(date_spans())
    return eh.model.EarlyHelpAssessment(
        assessment_id=draw(ids()),
        person_id=draw(ids()),
        episode_id=draw(optional_ids()),
        started=started,
        completed=completed,
        organisation=draw(st.none() | names()),
    )


@st.composite
def single_assessments(draw: st.DrawFn) -> eh.model.SingleAssessment:
    started, completed = draw(date_spans())
    return eh.model.SingleAssessment(
        assessment_id=draw(ids()),
        person_id=draw(ids()),
        started=started,
        completed=completed,
        by_qualified_social_worker=draw(st.booleans()),
    )


# --------------------------------------------------------------------------- statutory


@st.composite
def social_care_episodes(draw: st.DrawFn) -> eh.model.SocialCareEpisode:
    started, ended = draw(date_spans())
    return eh.model.SocialCareEpisode(
        episode_id=draw(ids()),
        person_id=draw(ids()),
        kind=draw(st.sampled_from(eh.model.SocialCareKind)),
        started=started,
        ended=ended,
        locality_id=draw(optional_ids()),
    )


@st.composite
def youth_offending_episodes(draw: st.DrawFn) -> eh.model.YouthOffendingEpisode:
    started, ended = draw(date_spans())
    return eh.model.YouthOffendingEpisode(
        episode_id=draw(ids()),
        person_id=draw(ids()),
        started=started,
        ended=ended,
        locality_id=draw(optional_ids()),
    )


# --------------------------------------------------------------------------- spider graphs


@st.composite
def spider_scales(draw: st.DrawFn) -> eh.model.SpiderScale:
    minimum = draw(st.integers(-10, 10))
    return eh.model.SpiderScale(
        name=draw(ids()),
        minimum=minimum,
        maximum=draw(st.integers(minimum + 1, minimum + 20)),
        higher_is_better=draw(st.booleans()),
    )


def spider_scores() -> SearchStrategy[eh.model.SpiderScore]:
    return st.builds(eh.model.SpiderScore, scale=ids(), score=st.integers())


def spider_readings() -> SearchStrategy[eh.model.SpiderReading]:
    return st.builds(
        eh.model.SpiderReading,
        stage=st.sampled_from(eh.model.ReadingStage),
        reading_date=dates(),
        scores=st.lists(spider_scores(), max_size=4).map(tuple),
    )


@st.composite
def spider_graphs(draw: st.DrawFn) -> eh.model.SpiderGraph:
    """A graph whose readings are in date and stage order and score declared scales on-scale.

    At most one start and one end; reviews on distinct days; a start, review and end may
    share a day.
    """
    scales = draw(st.lists(spider_scales(), min_size=1, max_size=5, unique_by=lambda s: s.name))
    gaps = st.sampled_from([0, 1]) | st.integers(0, 400)
    review_days = sorted(draw(st.lists(dates(), max_size=3, unique=True)))
    first = review_days[0] if review_days else draw(dates())
    start_day = first - dt.timedelta(days=draw(gaps))
    end_day = (review_days[-1] if review_days else start_day) + dt.timedelta(days=draw(gaps))
    planned = [(eh.model.ReadingStage.REVIEW, day) for day in review_days]
    if draw(st.booleans()):
        planned.insert(0, (eh.model.ReadingStage.START, start_day))
    if draw(st.booleans()):
        planned.append((eh.model.ReadingStage.END, end_day))
    readings = []
    for stage, day in planned:
        scored = draw(st.lists(st.sampled_from(scales), unique_by=lambda s: s.name))
        scores = tuple(
            eh.model.SpiderScore(scale=s.name, score=draw(st.integers(s.minimum, s.maximum)))
            for s in scored
        )
        readings.append(eh.model.SpiderReading(stage=stage, reading_date=day, scores=scores))
    return eh.model.SpiderGraph(
        graph_id=draw(ids()), episode_id=draw(ids()), scales=scales, readings=readings
    )


# --------------------------------------------------------------------------- survey


def survey_responses() -> SearchStrategy[eh.model.SurveyResponse]:
    answers = st.sampled_from(eh.model.Answer)
    return st.builds(
        eh.model.SurveyResponse,
        response_id=ids(),
        episode_id=optional_ids(),
        team_id=ids(),
        received=dates(),
        respected=answers,
        listened_to=answers,
        helped=answers,
        comments=st.none() | st.text(max_size=60),
    )


# --------------------------------------------------------------------------- audits


def grades() -> SearchStrategy[eh.model.Grade]:
    return st.builds(eh.model.Grade, value=st.integers(-5, 10), label=names())


@st.composite
def grading_scales(draw: st.DrawFn) -> eh.model.GradingScale:
    """A scale with unique ascending grade values; sometimes Derby's or Ofsted's own."""
    if draw(st.booleans()):
        return draw(
            st.sampled_from([eh.model.GradingScale.derby(), eh.model.GradingScale.ofsted()])
        )
    values = sorted(draw(st.sets(st.integers(-5, 10), min_size=1, max_size=6)))
    return eh.model.GradingScale(
        name=draw(ids()),
        grades=tuple(eh.model.Grade(value=v, label=draw(names())) for v in values),
        higher_is_better=draw(st.booleans()),
    )


def audit_grades() -> SearchStrategy[eh.model.AuditGrade]:
    return st.builds(eh.model.AuditGrade, measure=names(), grade=st.none() | st.integers())


@st.composite
def case_file_audits(draw: st.DrawFn) -> eh.model.CaseFileAudit:
    """An audit whose grades lie on its scale, each measure once; ungraded unless completed."""
    scale = draw(grading_scales())
    on_scale = st.sampled_from([g.value for g in scale.grades])
    completed = draw(st.none() | dates())
    audit_grade_list: list[eh.model.AuditGrade] = []
    overall = None
    if completed is not None:
        measures = draw(st.lists(names(), max_size=6, unique=True))
        audit_grade_list = [
            eh.model.AuditGrade(measure=m, grade=draw(st.none() | on_scale)) for m in measures
        ]
        overall = draw(st.none() | on_scale)
    return eh.model.CaseFileAudit(
        audit_id=draw(ids()),
        episode_id=draw(ids()),
        scheduled=draw(dates()),
        completed=completed,
        auditor_role=draw(st.none() | names()),
        scale=scale,
        grades=audit_grade_list,
        overall_rating=overall,
    )


# --------------------------------------------------------------------------- NEET, population


def record_months() -> SearchStrategy[dt.date]:
    return st.builds(dt.date, st.integers(2000, 2030), st.integers(1, 12), st.just(1))


def neet_records() -> SearchStrategy[eh.model.NeetRecord]:
    return st.builds(
        eh.model.NeetRecord,
        person_id=ids(),
        date_of_birth=dates(),
        record_month=record_months(),
        activity_code=st.from_regex(r"[0-9]{3}", fullmatch=True),
    )


def child_populations() -> SearchStrategy[eh.model.ChildPopulation]:
    return st.builds(
        eh.model.ChildPopulation,
        area_id=ids(),
        year=st.integers(2000, 2030),
        children=st.integers(min_value=0),
    )


# --------------------------------------------------------------------------- centres, characteristics


def childrens_centres() -> SearchStrategy[eh.model.ChildrensCentre]:
    return st.builds(eh.model.ChildrensCentre, centre_id=ids(), cluster_id=ids(), locality_id=ids())


def centre_inspections() -> SearchStrategy[eh.model.CentreInspection]:
    return st.builds(
        eh.model.CentreInspection,
        inspection_id=ids(),
        cluster_id=ids(),
        locality_id=ids(),
        inspected=dates(),
        judgement=st.sampled_from(eh.model.OfstedJudgement),
    )


@st.composite
def person_characteristics(draw: st.DrawFn) -> eh.model.PersonCharacteristic:
    start, end = draw(date_spans())
    return eh.model.PersonCharacteristic(
        person_id=draw(ids()),
        characteristic=draw(st.sampled_from(eh.model.Characteristic)),
        start=start,
        end=end,
    )


@st.composite
def tac_involvements(draw: st.DrawFn) -> eh.model.TeamAroundFamilyInvolvement:
    """A team around the family involvement: a case or a family (or both), ended on or after started."""
    started, ended = draw(date_spans())
    episode_id, family_id = draw(
        st.one_of(
            st.tuples(ids(), optional_ids()),
            st.tuples(st.none(), ids()),
        )
    )
    return eh.model.TeamAroundFamilyInvolvement(
        involvement_id=draw(ids()),
        episode_id=episode_id,
        family_id=family_id,
        team_id=draw(ids()),
        worker_id=draw(optional_ids()),
        role=draw(st.sampled_from(eh.model.TacRole)),
        started=started,
        ended=ended,
    )


ALL_RECORD_STRATEGIES: dict[type, SearchStrategy[Any]] = {
    eh.model.Team: teams(),
    eh.model.Locality: localities(),
    eh.model.City: cities(),
    eh.model.OrgHierarchy: org_hierarchies(),
    eh.model.Family: families(),
    eh.model.Child: children(),
    eh.model.Referral: referrals(),
    eh.model.EarlyHelpCase: cases(),
    eh.model.OnwardReferral: onward_referrals(),
    eh.model.EarlyHelpAssessment: early_help_assessments(),
    eh.model.SingleAssessment: single_assessments(),
    eh.model.SocialCareEpisode: social_care_episodes(),
    eh.model.YouthOffendingEpisode: youth_offending_episodes(),
    eh.model.SpiderScale: spider_scales(),
    eh.model.SpiderScore: spider_scores(),
    eh.model.SpiderReading: spider_readings(),
    eh.model.SpiderGraph: spider_graphs(),
    eh.model.SurveyResponse: survey_responses(),
    eh.model.Grade: grades(),
    eh.model.GradingScale: grading_scales(),
    eh.model.AuditGrade: audit_grades(),
    eh.model.CaseFileAudit: case_file_audits(),
    eh.model.NeetRecord: neet_records(),
    eh.model.ChildPopulation: child_populations(),
    eh.model.ChildrensCentre: childrens_centres(),
    eh.model.CentreInspection: centre_inspections(),
    eh.model.PersonCharacteristic: person_characteristics(),
    eh.model.TeamAroundFamilyInvolvement: tac_involvements(),
}
