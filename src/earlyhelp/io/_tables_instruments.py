"""Input tables of the instruments: spider graphs, surveys, audits, NEET, population."""

from __future__ import annotations

from typing import Final

from earlyhelp.io._schema import (
    Column,
    Kind,
    TableSchema,
    code_column,
    codes_of,
    date_column,
    id_column,
    text_column,
)
from earlyhelp.model._audit import AUDIT_RULES
from earlyhelp.model._centres import CentreInspection, ChildrensCentre, OfstedJudgement
from earlyhelp.model._characteristics import (
    CHARACTERISTIC_RULES,
    Characteristic,
    PersonCharacteristic,
)
from earlyhelp.model._neet import NEET_RULES, ChildPopulation, NeetRecord
from earlyhelp.model._spider import SCALE_RULES
from earlyhelp.model._survey import SurveyResponse
from earlyhelp.model._vocab import Answer, ReadingStage

__all__ = [
    "AUDITS",
    "AUDIT_GRADES",
    "CENTRE_INSPECTIONS",
    "CHARACTERISTICS",
    "CHILDRENS_CENTRES",
    "NEET",
    "POPULATION",
    "SPIDER_READINGS",
    "SPIDER_SCALES",
    "SURVEYS",
]

_ANSWER_CODES: Final = codes_of(Answer)

SPIDER_SCALES = TableSchema(
    name="spider_scales",
    description="The council's spider graph scales.",
    key=("scale",),
    columns=(
        id_column("scale", "The scale's name.", "scale_name", categorical=True),
        Column(name="minimum", kind=Kind.INT, required=True, description="Lowest score."),
        Column(name="maximum", kind=Kind.INT, required=True, description="Highest score."),
        Column(
            name="higher_is_better",
            kind=Kind.BOOL,
            required=True,
            description="Whether a higher score is better.",
        ),
    ),
    rules=SCALE_RULES,
)

SPIDER_READINGS = TableSchema(
    name="spider_readings",
    description="Spider graph scores: one row per graph, reading stage and scale.",
    key=("graph_id", "stage", "reading_date", "scale"),
    columns=(
        id_column("graph_id", "The spider graph's id."),
        id_column("episode_id", "The early help case.", "case_id"),
        code_column("stage", "start, review or end.", codes_of(ReadingStage), "reading_stage"),
        date_column("reading_date", "The date of the reading.", "date"),
        id_column(
            "scale", "The scale scored (a scale in spider_scales).", "scale_name", categorical=True
        ),
        Column(name="score", kind=Kind.INT, required=True, description="The score given."),
    ),
)

SURVEYS = TableSchema(
    name="surveys",
    description="How Was It For You survey responses.",
    key=("response_id",),
    record_type=SurveyResponse,
    columns=(
        id_column("response_id", "The response's id."),
        id_column("episode_id", "The early help case, if known.", "case_id", required=False),
        id_column("team_id", "The team the response is about.", "team"),
        date_column("received", "The date the form was received.", "received_date", "date"),
        code_column(
            "respected",
            "Treated with respect? yes, no or not_answered.",
            _ANSWER_CODES,
            "treated_with_respect",
        ),
        code_column(
            "listened_to", "Listened to? yes, no or not_answered.", _ANSWER_CODES, "listened"
        ),
        code_column(
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
        id_column("audit_id", "The audit's id."),
        id_column("episode_id", "The audited case.", "case_id"),
        date_column("scheduled", "The date the audit was scheduled for.", "scheduled_date"),
        date_column(
            "completed",
            "The date it was completed; empty if not done.",
            "completed_date",
            required=False,
        ),
        text_column("auditor_role", "The auditor's role."),
        id_column(
            "scale",
            "The grading scale: derby-0-4 or ofsted-1-4.",
            "grading_scale",
            categorical=True,
        ),
        Column(name="overall_rating", kind=Kind.INT, description="The overall grade."),
    ),
    rules=AUDIT_RULES,
)

AUDIT_GRADES = TableSchema(
    name="audit_grades",
    description="The grade given to each quality measure in a completed audit.",
    key=("audit_id", "measure"),
    columns=(
        id_column("audit_id", "The audit."),
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
        id_column("person_id", "Pseudonymous person id.", "young_person_id"),
        date_column("date_of_birth", "Date of birth (personal data).", "dob", personal=True),
        date_column("record_month", "The month of the record (its first day).", "month"),
        Column(
            name="activity_code",
            kind=Kind.ID,
            required=True,
            description="Three-digit NCCIS activity code.",
            aliases=("nccis_code",),
        ),
    ),
    rules=NEET_RULES,
    record_type=NeetRecord,
)

POPULATION = TableSchema(
    name="population",
    description="Children (0-17) living in each area and year: the denominator for rates.",
    key=("area_id", "year"),
    record_type=ChildPopulation,
    columns=(
        id_column("area_id", "A locality id or the city id.", "area"),
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

CHARACTERISTICS = TableSchema(
    name="characteristics",
    description=(
        "Characteristics recorded for a person, with the dates they applied: "
        "teenage parent, special educational needs. Used by the NEET deep dive."
    ),
    key=("person_id", "characteristic", "start"),
    record_type=PersonCharacteristic,
    columns=(
        id_column("person_id", "Pseudonymous person id.", "young_person_id", "child_id"),
        code_column(
            "characteristic",
            "teenage_parent or sen (special educational needs).",
            codes_of(Characteristic),
            "characteristic_code",
        ),
        date_column("start", "The first day it applied.", "start_date", "from"),
        date_column(
            "end",
            "The last day it applied; empty while it applies.",
            "end_date",
            "to",
            required=False,
        ),
    ),
    rules=CHARACTERISTIC_RULES,
)

CHILDRENS_CENTRES = TableSchema(
    name="childrens_centres",
    description="Children's centres and the locality cluster each belongs to.",
    key=("centre_id",),
    record_type=ChildrensCentre,
    columns=(
        id_column("centre_id", "The centre's id.", "centre"),
        id_column("cluster_id", "The cluster of centres it belongs to.", "cluster"),
        id_column("locality_id", "The locality the cluster serves.", "locality"),
    ),
)

CENTRE_INSPECTIONS = TableSchema(
    name="centre_inspections",
    description="Ofsted inspections of children's centre clusters and their judgements.",
    key=("inspection_id",),
    record_type=CentreInspection,
    columns=(
        id_column("inspection_id", "The inspection's id.", "inspection"),
        id_column("cluster_id", "The cluster inspected.", "cluster"),
        id_column("locality_id", "The locality the cluster serves.", "locality"),
        date_column("inspected", "The date of the inspection.", "inspection_date"),
        code_column(
            "judgement",
            "Overall effectiveness: outstanding, good, requires_improvement or inadequate.",
            codes_of(OfstedJudgement),
            "outcome",
        ),
    ),
)
