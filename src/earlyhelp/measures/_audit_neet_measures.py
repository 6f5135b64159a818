"""Measures over the instruments: case file audits and NEET.

Audits are attributed to the team of the case audited. NEET records carry no
team or locality, so the NEET measures are recorded for the city only.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from earlyhelp.instruments._audit import COMPLETED
from earlyhelp.instruments._neet import with_checked_category
from earlyhelp.instruments._neet_codes import ActivityCategory
from earlyhelp.instruments._neet_cohort import NeetDenominator, cohort_evidence
from earlyhelp.measures._catalogue import Basis, Element, Level, Measure, Part, Unit
from earlyhelp.measures._context import MeasureContext
from earlyhelp.measures._members import counted
from earlyhelp.measures._polarity import Polarity
from earlyhelp.model._audit import GRADING_SCALES
from earlyhelp.profiles._dating import Effective

__all__: list[str] = []

_AUDITS = "quality assurance case file audits: audits and audit_grades"
_NEET = "client caseload information system (NCCIS returns): neet"
_SINCE_2014 = Effective(start=dt.date(2014, 4, 1))
_SINCE_2013 = Effective(start=dt.date(2013, 4, 1))

MEASURES: list[Measure] = []
"""The measures this module declares, in order; the shipped catalogue collects them."""


def _audit_completion(ctx: MeasureContext) -> pl.LazyFrame:
    placed = ctx.flow(ctx.with_team(ctx.lazy("audits")), "scheduled")
    return counted(placed, "audit_id", numerator=COMPLETED, denominator=1)


def _scales() -> pl.LazyFrame:
    """Each known scale's name, its good grade and direction."""
    rows = []
    for name, scale in GRADING_SCALES.items():
        good = [g.value for g in scale.grades if g.label == "good"]
        if good:
            rows.append((name, good[0], scale.higher_is_better))
    return pl.DataFrame(
        rows,
        schema={"scale": pl.Categorical, "_good": pl.Int64, "_higher": pl.Boolean},
        orient="row",
    ).lazy()


def _good_or_better(ctx: MeasureContext) -> pl.LazyFrame:
    audits = ctx.with_team(ctx.lazy("audits").filter(COMPLETED))
    graded = (
        ctx.lazy("audit_grades")
        .filter(pl.col("grade").is_not_null())
        .join(audits, on="audit_id", how="inner")
        .join(_scales(), on="scale", how="inner")
        .with_columns(pl.format("{}/{}", "audit_id", "measure").alias("_record"))
    )
    good = (
        pl.when(pl.col("_higher"))
        .then(pl.col("grade") >= pl.col("_good"))
        .otherwise(pl.col("grade") <= pl.col("_good"))
    )
    placed = ctx.flow(graded, "completed")
    return counted(placed, "_record", numerator=good, denominator=1, breakdown="measure")


def _neet_members(ctx: MeasureContext, *, not_known: bool) -> pl.LazyFrame:
    flags = cohort_evidence(ctx.lazy("neet"))
    cohort = with_checked_category(flags.filter(pl.col("in_cohort"))).with_columns(
        pl.format("{}/{}", "person_id", "record_month").alias("_r")
    )
    placed = ctx.flow(cohort.lazy(), "record_month")
    is_unknown = pl.col("category") == ActivityCategory.NOT_KNOWN.value
    if not_known:
        return counted(placed, "_r", numerator=is_unknown, denominator=1, team=None, locality=None)
    known_only = pl.col("neet_denominator") == NeetDenominator.KNOWN.value
    return counted(
        placed,
        "_r",
        numerator=pl.col("category") == ActivityCategory.NEET.value,
        denominator=~(known_only & is_unknown),
        team=None,
        locality=None,
    )


MEASURES.append(
    Measure(
        measure_id="audit_completion_rate",
        title="Case file audits completed",
        element=Element.HOW_WELL,
        description="Of the case file audits scheduled in the period, the percentage completed.",
        unit=Unit.PERCENTAGE,
        numerator=Part(
            definition="audits scheduled in the period that have a completed date",
            table="audits",
            basis=Basis.FLOW,
            date="scheduled",
        ),
        denominator=Part(
            definition="audits scheduled in the period",
            table="audits",
            basis=Basis.FLOW,
            date="scheduled",
        ),
        polarity=Polarity.HIGHER_IS_BETTER,
        source=_AUDITS,
        effective=_SINCE_2014,
        reads=("audits.completed",),
        calculator=_audit_completion,
    )
)

MEASURES.append(
    Measure(
        measure_id="audit_good_or_better_rate",
        title="Case file audit grades good or better",
        element=Element.HOW_WELL,
        description=(
            "Of the quality measures graded in audits completed in the period, the "
            "percentage graded good or better on the audit's scale; not-applicable "
            "measures are not graded. Broken down by quality measure."
        ),
        unit=Unit.PERCENTAGE,
        numerator=Part(
            definition="quality measures graded good or better (on the audit's own scale)",
            table="audit_grades",
            basis=Basis.FLOW,
            date="completed (of the audit)",
        ),
        denominator=Part(
            definition="quality measures graded in audits completed in the period",
            table="audit_grades",
            basis=Basis.FLOW,
            date="completed (of the audit)",
        ),
        polarity=Polarity.HIGHER_IS_BETTER,
        source=_AUDITS,
        effective=_SINCE_2014,
        breakdowns=("quality_measure",),
        reads=("audits", "audits.completed", "audit_grades.grade"),
        calculator=_good_or_better,
    )
)

_COHORT_PART = (
    "young people in the NEET cohort in the definition's averaged months that fall in "
    "the period (2014-15: academic age 16 to 18, November to January; from 2016-17: "
    "16 and 17, December to February), once per person and month"
)

MEASURES.append(
    Measure(
        measure_id="neet_rate",
        title="Young people not in education, employment or training (NEET)",
        element=Element.IMPACT,
        description=(
            "NEET young people as a percentage of the cohort whose activity is known "
            "(2014-15 definition) or of the whole cohort (from 2016-17), averaged over "
            "the definition's monthly snapshots."
        ),
        unit=Unit.PERCENTAGE,
        numerator=Part(
            definition="cohort records whose NCCIS activity code is a NEET code (5xx, 6xx)",
            table="neet",
            basis=Basis.FLOW,
            date="record_month",
        ),
        denominator=Part(
            definition=_COHORT_PART + "; less the not known under the 2014-15 definition",
            table="neet",
            basis=Basis.FLOW,
            date="record_month",
        ),
        polarity=Polarity.LOWER_IS_BETTER,
        source=_NEET,
        effective=_SINCE_2013,
        levels=(Level.CITY,),
        calculator=lambda ctx: _neet_members(ctx, not_known=False),
    )
)

MEASURES.append(
    Measure(
        measure_id="not_known_rate",
        title="Young people whose activity is not known",
        element=Element.HOW_WELL,
        description=(
            "Young people whose activity is not known to the authority, as a percentage "
            "of the whole cohort, averaged over the definition's monthly snapshots."
        ),
        unit=Unit.PERCENTAGE,
        numerator=Part(
            definition="cohort records whose NCCIS activity code is a not known code (8xx)",
            table="neet",
            basis=Basis.FLOW,
            date="record_month",
        ),
        denominator=Part(
            definition=_COHORT_PART, table="neet", basis=Basis.FLOW, date="record_month"
        ),
        polarity=Polarity.LOWER_IS_BETTER,
        source=_NEET,
        effective=_SINCE_2013,
        levels=(Level.CITY,),
        calculator=lambda ctx: _neet_members(ctx, not_known=True),
    )
)
