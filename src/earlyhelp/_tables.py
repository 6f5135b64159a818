"""The input tables ``earlyhelp`` reads, declared once.

Column names follow the Standard Safeguarding Dataset (SSD) where it has the
field, and each column lists the SSD and common export names it is also known by.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from typing import Final

import polars as pl

from earlyhelp._model._assessments import EarlyHelpAssessment, SingleAssessment
from earlyhelp._model._casework import EarlyHelpCase, OnwardReferral, Referral
from earlyhelp._model._neet import ChildPopulation, NeetRecord
from earlyhelp._model._org import Team
from earlyhelp._model._people import Child
from earlyhelp._model._statutory import SocialCareEpisode, YouthOffendingEpisode
from earlyhelp._model._survey import SurveyResponse
from earlyhelp._model._vocab import (
    Answer,
    ClosureReason,
    LevelOfNeed,
    ReadingStage,
    ReferralRoute,
    SocialCareKind,
)
from earlyhelp._schema import Column, Kind, RowRule, TableSchema

__all__ = ["SCHEMAS"]


def _codes(vocabulary: type[enum.Enum]) -> tuple[str, ...]:
    return tuple(str(member.value) for member in vocabulary)


def _id(name: str, description: str, *aliases: str, required: bool = True) -> Column:
    return Column(
        name=name, kind=Kind.ID, required=required, description=description, aliases=aliases
    )


def _date(
    name: str, description: str, *aliases: str, required: bool = True, personal: bool = False
) -> Column:
    return Column(
        name=name,
        kind=Kind.DATE,
        required=required,
        description=description,
        aliases=aliases,
        personal=personal,
    )


def _code(
    name: str, description: str, codes: tuple[str, ...], *aliases: str, required: bool = True
) -> Column:
    return Column(
        name=name,
        kind=Kind.CODE,
        required=required,
        description=description,
        codes=codes,
        aliases=aliases,
    )


def _text(name: str, description: str, *aliases: str) -> Column:
    return Column(name=name, kind=Kind.TEXT, description=description, aliases=aliases)


def _level(required: bool) -> Column:
    return Column(
        name="level_of_need",
        kind=Kind.INT,
        required=required,
        description="Threshold level of need, 1 to 4.",
        aliases=("level", "threshold"),
        minimum=int(LevelOfNeed.LEVEL_1),
        maximum=int(LevelOfNeed.LEVEL_4),
    )


def _before(later: str, earlier: str, code: str) -> RowRule:
    return RowRule(
        code=code,
        fields=(later, earlier),
        broken=lambda: pl.col(later) < pl.col(earlier),
        message=lambda: pl.format(
            "{} {} is before {} {}",
            pl.lit(later),
            pl.col(later).cast(pl.String),
            pl.lit(earlier),
            pl.col(earlier).cast(pl.String),
        ),
    )


def _fixed(text: str) -> Callable[[], pl.Expr]:
    return lambda: pl.lit(text)


_ANSWER_CODES: Final = _codes(Answer)

TEAMS = TableSchema(
    name="teams",
    description="The organisation hierarchy: each team (MAT) and the locality it belongs to.",
    key=("team_id",),
    record_type=Team,
    columns=(
        _id("team_id", "The team's id.", "team", "mat_id"),
        Column(
            name="name",
            kind=Kind.TEXT,
            required=True,
            description="The team's name.",
            aliases=("team_name",),
        ),
        _id("locality_id", "The locality's id.", "locality"),
    ),
)

CHILDREN = TableSchema(
    name="children",
    description="Children and young people, by pseudonymous id (no names).",
    key=("person_id",),
    record_type=Child,
    columns=(
        _id("person_id", "Pseudonymous person id.", "pers_person_id", "child_id"),
        _id("family_id", "The family (household) id.", "fami_family_id", required=False),
        _date(
            "date_of_birth",
            "Date of birth (personal data, optional).",
            "pers_dob",
            "dob",
            required=False,
            personal=True,
        ),
    ),
)

REFERRALS = TableSchema(
    name="referrals",
    description="Referrals of children to early help.",
    key=("referral_id",),
    record_type=Referral,
    columns=(
        _id("referral_id", "The referral's id.", "refe_referral_id"),
        _id("person_id", "Pseudonymous person id.", "refe_person_id", "child_id"),
        _id("family_id", "The family id.", "family", required=False),
        _date("referral_date", "The date the referral was received.", "refe_referral_date", "date"),
        _code(
            "route",
            "How it arrived: vcm (Vulnerable Children's Meeting) or other.",
            _codes(ReferralRoute),
            "referral_route",
        ),
        _text("referring_agency", "The agency that referred.", "refe_source", "source"),
        _level(required=False),
        _id("team_id", "The team the referral went to.", "team", required=False),
    ),
)

_CLOSURE_CODES = _codes(ClosureReason)

CASES = TableSchema(
    name="cases",
    description="Early help cases (episodes) led by a lead professional in a MAT.",
    key=("episode_id",),
    record_type=EarlyHelpCase,
    columns=(
        _id("episode_id", "The case's id.", "earl_episode_id", "case_id"),
        _id("person_id", "Pseudonymous person id.", "earl_person_id", "child_id"),
        _id("family_id", "The family id.", "family", required=False),
        _id("referral_id", "The referral that opened the case.", required=False),
        _id("team_id", "The MAT leading the case.", "earl_episode_organisation", "team"),
        _id("locality_id", "The team's locality.", "locality"),
        _id(
            "worker_id",
            "The lead professional's id.",
            "earl_episode_worker_id",
            "lead_professional_id",
            required=False,
        ),
        _date("opened", "The date the case opened.", "earl_episode_start_date", "start_date"),
        _date(
            "closed",
            "The date the case closed; empty while open.",
            "earl_episode_end_date",
            "end_date",
            required=False,
        ),
        _code(
            "closure_reason",
            "Why it closed; present exactly when closed.",
            _CLOSURE_CODES,
            "earl_episode_end_reason",
            "end_reason",
            required=False,
        ),
        _level(required=True),
    ),
    rules=(
        _before("closed", "opened", "closed-before-opened"),
        RowRule(
            code="closure-reason-missing",
            fields=("closure_reason", "closed"),
            broken=lambda: pl.col("closed").is_not_null() & pl.col("closure_reason").is_null(),
            message=_fixed("required when the case is closed"),
        ),
        RowRule(
            code="closure-reason-while-open",
            fields=("closure_reason", "closed"),
            broken=lambda: pl.col("closed").is_null() & pl.col("closure_reason").is_not_null(),
            message=_fixed("must be empty while the case is open"),
        ),
    ),
)

ASSESSMENTS = TableSchema(
    name="assessments",
    description="Early Help Assessments (EHA, formerly CAF).",
    key=("assessment_id",),
    record_type=EarlyHelpAssessment,
    columns=(
        _id("assessment_id", "The assessment's id.", "eha_id", "caf_id"),
        _id("person_id", "Pseudonymous person id.", "child_id"),
        _id("episode_id", "The early help case it belongs to.", "case_id", required=False),
        _date("started", "The date it started.", "start_date"),
        _date(
            "completed",
            "The date it was completed; empty if not yet.",
            "completed_date",
            required=False,
        ),
        _text("organisation", "The completing organisation.", "completing_organisation"),
    ),
    rules=(_before("completed", "started", "completed-before-started"),),
)

SINGLE_ASSESSMENTS = TableSchema(
    name="single_assessments",
    description="Statutory single assessments (social care).",
    key=("assessment_id",),
    record_type=SingleAssessment,
    columns=(
        _id("assessment_id", "The assessment's id.", "cina_assessment_id"),
        _id("person_id", "Pseudonymous person id.", "cina_person_id", "child_id"),
        _date("started", "The date it started.", "cina_assessment_start_date", "start_date"),
        _date(
            "completed",
            "The date it was authorised as complete.",
            "cina_assessment_auth_date",
            "completed_date",
            required=False,
        ),
        Column(
            name="by_qualified_social_worker",
            kind=Kind.BOOL,
            required=True,
            description="Completed by a qualified social worker.",
            aliases=("qsw",),
        ),
    ),
    rules=(_before("completed", "started", "completed-before-started"),),
)

SOCIAL_CARE_EPISODES = TableSchema(
    name="social_care_episodes",
    description="Child in need episodes, child protection plans and periods in care.",
    key=("episode_id",),
    record_type=SocialCareEpisode,
    columns=(
        _id("episode_id", "The episode's id."),
        _id("person_id", "Pseudonymous person id.", "child_id"),
        _code(
            "kind",
            "cin (child in need), cp (child protection plan) or cic (child in care).",
            _codes(SocialCareKind),
            "episode_type",
        ),
        _date("started", "The date it started.", "start_date"),
        _date("ended", "The date it ended; empty while open.", "end_date", required=False),
        _id("locality_id", "The locality.", "locality", required=False),
    ),
    rules=(_before("ended", "started", "ended-before-started"),),
)

YOS_EPISODES = TableSchema(
    name="yos_episodes",
    description="Periods open to the Youth Offending Service.",
    key=("episode_id",),
    record_type=YouthOffendingEpisode,
    columns=(
        _id("episode_id", "The episode's id."),
        _id("person_id", "Pseudonymous person id.", "child_id"),
        _date("started", "The date it started.", "start_date"),
        _date("ended", "The date it ended; empty while open.", "end_date", required=False),
        _id("locality_id", "The locality.", "locality", required=False),
    ),
    rules=(_before("ended", "started", "ended-before-started"),),
)

ONWARD_REFERRALS = TableSchema(
    name="onward_referrals",
    description="Referrals from an early help case to another intervention.",
    key=("onward_referral_id",),
    record_type=OnwardReferral,
    columns=(
        _id("onward_referral_id", "The onward referral's id."),
        _id("episode_id", "The early help case.", "case_id"),
        _date("referral_date", "The date of the onward referral.", "date"),
        Column(
            name="intervention",
            kind=Kind.TEXT,
            required=True,
            description="The intervention referred to.",
            aliases=("intervention_type",),
        ),
    ),
)

SPIDER_SCALES = TableSchema(
    name="spider_scales",
    description="The council's spider graph scales.",
    key=("scale",),
    columns=(
        _id("scale", "The scale's name.", "scale_name"),
        Column(name="minimum", kind=Kind.INT, required=True, description="Lowest score."),
        Column(name="maximum", kind=Kind.INT, required=True, description="Highest score."),
        Column(
            name="higher_is_better",
            kind=Kind.BOOL,
            required=True,
            description="Whether a higher score is better.",
        ),
    ),
    rules=(
        RowRule(
            code="scale-empty",
            fields=("maximum", "minimum"),
            broken=lambda: pl.col("maximum") <= pl.col("minimum"),
            message=_fixed("must be greater than minimum"),
        ),
    ),
)

SPIDER_READINGS = TableSchema(
    name="spider_readings",
    description="Spider graph scores: one row per graph, reading stage and scale.",
    key=("graph_id", "stage", "reading_date", "scale"),
    columns=(
        _id("graph_id", "The spider graph's id."),
        _id("episode_id", "The early help case.", "case_id"),
        _code("stage", "start, review or end.", _codes(ReadingStage), "reading_stage"),
        _date("reading_date", "The date of the reading.", "date"),
        _id("scale", "The scale scored (a scale in spider_scales).", "scale_name"),
        Column(name="score", kind=Kind.INT, required=True, description="The score given."),
    ),
)

SURVEYS = TableSchema(
    name="surveys",
    description="How Was It For You survey responses.",
    key=("response_id",),
    record_type=SurveyResponse,
    columns=(
        _id("response_id", "The response's id."),
        _id("episode_id", "The early help case, if known.", "case_id", required=False),
        _id("team_id", "The team the response is about.", "team"),
        _date("received", "The date the form was received.", "received_date", "date"),
        _code(
            "respected",
            "Treated with respect? yes, no or not_answered.",
            _ANSWER_CODES,
            "treated_with_respect",
        ),
        _code("listened_to", "Listened to? yes, no or not_answered.", _ANSWER_CODES, "listened"),
        _code(
            "helped",
            "Helped with the identified issues? yes, no or not_answered.",
            _ANSWER_CODES,
            "helped_with_issues",
        ),
        Column(
            name="comments",
            kind=Kind.FREE_TEXT,
            description="Free-text feedback (personal data).",
            aliases=("feedback", "comment"),
        ),
    ),
)

AUDITS = TableSchema(
    name="audits",
    description="Case file audits, scheduled and completed.",
    key=("audit_id",),
    columns=(
        _id("audit_id", "The audit's id."),
        _id("episode_id", "The audited case.", "case_id"),
        _date("scheduled", "The date the audit was scheduled for.", "scheduled_date"),
        _date(
            "completed",
            "The date it was completed; empty if not done.",
            "completed_date",
            required=False,
        ),
        _text("auditor_role", "The auditor's role."),
        _id("scale", "The grading scale: derby-0-4 or ofsted-1-4.", "grading_scale"),
        Column(name="overall_rating", kind=Kind.INT, description="The overall grade."),
    ),
    rules=(
        RowRule(
            code="rating-without-completion",
            fields=("overall_rating", "completed"),
            broken=lambda: pl.col("completed").is_null() & pl.col("overall_rating").is_not_null(),
            message=_fixed("an audit with a rating must have a completed date"),
        ),
    ),
)

AUDIT_GRADES = TableSchema(
    name="audit_grades",
    description="The grade given to each quality measure in a completed audit.",
    key=("audit_id", "measure"),
    columns=(
        _id("audit_id", "The audit."),
        Column(
            name="measure",
            kind=Kind.TEXT,
            required=True,
            description="The quality measure, e.g. 'Reviews'.",
            aliases=("quality_measure",),
        ),
        Column(name="grade", kind=Kind.INT, description="The grade; empty if not applicable."),
    ),
)

NEET = TableSchema(
    name="neet",
    description="Young people's monthly NCCIS activity.",
    key=("person_id", "record_month"),
    columns=(
        _id("person_id", "Pseudonymous person id.", "young_person_id"),
        _date("date_of_birth", "Date of birth (personal data).", "dob", personal=True),
        _date("record_month", "The month of the record (its first day).", "month"),
        Column(
            name="activity_code",
            kind=Kind.ID,
            required=True,
            description="Three-digit NCCIS activity code.",
            aliases=("nccis_code",),
        ),
    ),
    rules=(
        RowRule(
            code="month-not-first-day",
            fields=("record_month",),
            broken=lambda: pl.col("record_month").dt.day() != 1,
            message=_fixed("expected the first day of a month"),
        ),
        RowRule(
            code="activity-code-format",
            fields=("activity_code",),
            broken=lambda: ~pl.col("activity_code").str.contains(r"^[0-9]{3}$"),
            message=_fixed("expected a three-digit NCCIS activity code"),
        ),
    ),
    record_type=NeetRecord,
)

POPULATION = TableSchema(
    name="population",
    description="Children (0-17) living in each area and year: the denominator for rates.",
    key=("area_id", "year"),
    record_type=ChildPopulation,
    columns=(
        _id("area_id", "A locality id or the city id.", "area"),
        Column(
            name="year",
            kind=Kind.INT,
            required=True,
            description="Calendar year.",
            minimum=1900,
            maximum=2999,
        ),
        Column(
            name="children",
            kind=Kind.INT,
            required=True,
            description="Number of children.",
            minimum=0,
        ),
    ),
)

SCHEMAS: Final[Mapping[str, TableSchema]] = {
    schema.name: schema
    for schema in (
        TEAMS,
        CHILDREN,
        REFERRALS,
        CASES,
        ASSESSMENTS,
        SINGLE_ASSESSMENTS,
        SOCIAL_CARE_EPISODES,
        YOS_EPISODES,
        ONWARD_REFERRALS,
        SPIDER_SCALES,
        SPIDER_READINGS,
        SURVEYS,
        AUDITS,
        AUDIT_GRADES,
        NEET,
        POPULATION,
    )
}
"""Every input table ``earlyhelp`` reads, by name."""
