"""Cohort measures: early help before plans and care, and team around the family work.

``cp_starts_with_prior_early_help_rate`` and ``care_starts_with_prior_early_help_rate``
count the starts of child protection plans (periods in care) in a period whose
child accessed early help in the profile's look-back window before the start
(:func:`~earlyhelp.cohorts.prior_early_help`); provenance is the statutory episode ids.
A profile with no ``prior_early_help`` rule at all gives no members (no data);
one whose versions leave a start's date uncovered follows its ``on_missing_rule``.

``team_around_family_involvements`` counts team around the family involvements
open at the end of the period (:func:`~earlyhelp.cohorts.team_around_family`), apart
from the lead-professional caseload; provenance is the involvement ids.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from earlyhelp.cohorts._prior import preceded_by_early_help_plan
from earlyhelp.cohorts._team_around import tac_members
from earlyhelp.errors import NoRuleInForceError
from earlyhelp.measures._catalogue import Basis, Element, Level, Measure, Part, Unit
from earlyhelp.measures._context import MeasureContext
from earlyhelp.measures._members import counted
from earlyhelp.measures._polarity import Polarity
from earlyhelp.profiles._dating import Effective
from earlyhelp.rules._prior_rule import PriorEarlyHelpRule

__all__: list[str] = []

_SOCIAL_CARE = "children's social care system: statutory episodes; case management system: cases"
_SINCE_2013 = Effective(start=dt.date(2013, 4, 1))

MEASURES: list[Measure] = []
"""The measures this module declares, in order; the shipped catalogue collects them."""

_PRIOR_KINDS = ("cp", "cic")
"""The statutory starts the prior early help measures count."""
_COUNTED = ("period", "kind", "record_id", "locality_id", "accessed")
"""The columns of the prior early help evidence the measures count."""


def _prior_of(kind: str):  # type: ignore[no-untyped-def]
    def calculate(ctx: MeasureContext) -> pl.LazyFrame:
        if not ctx.profile.versions(PriorEarlyHelpRule) or not ctx.periods:
            return counted(
                pl.LazyFrame(
                    schema={"period": ctx.labels, "record_id": pl.String, "locality_id": pl.String}
                ),
                "record_id",
                team=None,
            )

        def both() -> pl.DataFrame | None:
            # Only the columns the two measures count, in no order: kept for the compute.
            try:
                return (
                    preceded_by_early_help_plan(
                        ctx.data, profile=ctx.profile, period=ctx.periods, kinds=_PRIOR_KINDS
                    )
                    .select(_COUNTED)
                    .collect(engine="in-memory")
                )
            except NoRuleInForceError:  # maybe one kind's starts only: each on its own
                return None

        # One evaluation for both kinds: the cases and referrals it joins are the same.
        shared = ctx.once(("flag_preceded_by_early_help", _PRIOR_KINDS), both)
        starts = (
            preceded_by_early_help_plan(
                ctx.data, profile=ctx.profile, period=ctx.periods, kinds=(kind,)
            )
            .select(_COUNTED)
            .collect(engine="in-memory")
            if shared is None
            else shared.filter(pl.col("kind") == kind)
        )
        placed = starts.lazy().with_columns(pl.col("period").cast(ctx.labels))
        return counted(
            placed,
            "record_id",
            numerator=pl.col("accessed"),
            denominator=pl.col("accessed").is_not_null(),
            team=None,
        )

    return calculate


def _start_part(what: str, accessed: bool) -> Part:
    having = (
        ", whose child had an early help case open on a day of the profile's look-back "
        "window before the start (prior_early_help rule)"
        if accessed
        else ""
    )
    return Part(
        definition=f"{what} that started in the period{having}",
        table="social_care_episodes",
        basis=Basis.FLOW,
        date="started",
    )


for _id, _kind, _what, _title in (
    (
        "cp_starts_with_prior_early_help_rate",
        "cp",
        "child protection plans",
        "Child protection plans started after early help",
    ),
    (
        "care_starts_with_prior_early_help_rate",
        "cic",
        "periods in care",
        "Admissions to care after early help",
    ),
):
    MEASURES.append(
        Measure(
            measure_id=_id,
            title=_title,
            element=Element.CONTEXT,
            description=f"Of the {_what} that started in the period, the percentage whose "
            "child had early help before (an early help case open within the look-back "
            "window). The rest are the cohort for a missed-opportunity audit.",
            unit=Unit.PERCENTAGE,
            numerator=_start_part(_what, accessed=True),
            denominator=_start_part(_what, accessed=False),
            polarity=Polarity.NEUTRAL,
            source=_SOCIAL_CARE,
            effective=_SINCE_2013,
            levels=(Level.LOCALITY, Level.CITY),
            reads=("cases", "cases.closed", "social_care_episodes.ended"),
            calculator=_prior_of(_kind),
        )
    )


def _tac(ctx: MeasureContext) -> pl.LazyFrame:
    members = tac_members(ctx.data, ctx.periods).with_columns(pl.col("period").cast(ctx.labels))
    return counted(members, "involvement_id")


MEASURES.append(
    Measure(
        measure_id="team_around_family_involvements",
        title="Team around the family involvements",
        element=Element.HOW_MUCH,
        description="Early help staff involvements with families as part of a team around "
        "the family, where they are not the lead professional, open at the end of the "
        "period: counted apart from the lead-professional caseload.",
        unit=Unit.COUNT,
        numerator=Part(
            definition="team around the family involvements open at the end of the period's "
            "last day, leaving out any whose worker is the named case's lead professional",
            table="tac_involvements",
            basis=Basis.STOCK,
            date="started, ended",
        ),
        denominator=None,
        polarity=Polarity.NEUTRAL,
        source="case management system: team around the family involvements",
        effective=Effective(start=dt.date(2015, 4, 1)),
        calculator=_tac,
    )
)
