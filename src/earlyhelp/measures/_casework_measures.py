"""Framework measures over referrals and lead-professional cases."""

from __future__ import annotations

import datetime as dt

import polars as pl

from earlyhelp.measures._catalogue import Basis, Element, Measure, Part, Unit
from earlyhelp.measures._context import MeasureContext
from earlyhelp.measures._members import counted, period_ends, span, years_asked
from earlyhelp.measures._polarity import Polarity
from earlyhelp.profiles._dating import Effective
from earlyhelp.rules._escalation import flag_step_ups
from earlyhelp.rules._rereferral import flag_rereferrals
from earlyhelp.rules._rereferral_rule import RateDenominator, RereferralRule

__all__: list[str] = []

SINCE_2013 = Effective(start=dt.date(2013, 4, 1))
CASES = "case management system: lead professional cases"

_REFERRALS = Part(
    definition="referrals received by an early help team, dated in the period",
    table="referrals",
    basis=Basis.FLOW,
    date="referral_date",
)
_OPEN_CASES = Part(
    definition="lead professional cases open at the end of the period's last day",
    table="cases",
    basis=Basis.STOCK,
    date="opened, closed",
)
_CLOSED = Part(
    definition="lead professional cases closed in the period",
    table="cases",
    basis=Basis.FLOW,
    date="closed",
)

MEASURES: list[Measure] = []
"""The measures this module declares, in order; the shipped catalogue collects them."""


def _new_referrals(ctx: MeasureContext) -> pl.LazyFrame:
    placed = ctx.flow(ctx.lazy("referrals"), "referral_date")
    return counted(placed, "referral_id", breakdown="route", locality=None)


def _open_cases(ctx: MeasureContext) -> pl.LazyFrame:
    return counted(ctx.stock(ctx.lazy("cases"), "opened", "closed"), "episode_id")


def _level_2_cases(ctx: MeasureContext) -> pl.LazyFrame:
    cases = ctx.lazy("cases").filter(pl.col("level_of_need") == 2)
    return counted(ctx.stock(cases, "opened", "closed"), "episode_id")


def _ehas_completed(ctx: MeasureContext) -> pl.LazyFrame:
    placed = ctx.flow(ctx.with_team(ctx.lazy("assessments")), "completed")
    return counted(placed, "assessment_id")


def _assessment_in_place(ctx: MeasureContext) -> pl.LazyFrame:
    first = (
        ctx.lazy("assessments")
        .filter(pl.col("completed").is_not_null() & pl.col("episode_id").is_not_null())
        .group_by("episode_id")
        .agg(pl.col("completed").min().alias("_first_completed"))
    )
    # Each case that may be open at a period's end joined to its first completion
    # once, before the periods' copies: at 1M cases 0.17 s against 0.20 for a join
    # of the 1.8M copies (polars 2.1). Collected, as each copy would repeat the join.
    cases = ctx.lazy("cases").filter(ctx.may_be_open("opened", "closed"))
    joined = (
        cases.select("episode_id", "team_id", "locality_id", "opened", "closed")
        .join(first, on="episode_id", how="left")
        .collect()
    )
    placed = ctx.stock(joined.lazy(), "opened", "closed")
    in_place = pl.col("_first_completed") <= period_ends(ctx)
    return counted(placed, "episode_id", numerator=in_place, denominator=1)


def _rereferred(ctx: MeasureContext) -> pl.LazyFrame:
    """Each referral judged a re-referral, with its team and the date its rule judged it by."""

    def flag() -> pl.DataFrame:
        referrals, cases = ctx.data["referrals"], ctx.data["cases"]
        flags = [
            flag_rereferrals(referrals, cases, profile=ctx.profile, period=year)
            for year in years_asked(ctx)
        ]
        rereferred = pl.concat(flags).filter(pl.col("rereferral"))
        # Kept for the whole compute, with the team looked up once for both measures
        # and for the re-referrals only (a join of every referral, before).
        teams = referrals.select("referral_id", "team_id")
        return rereferred.join(teams, on="referral_id").select(
            "referral_id", "team_id", "judged_on"
        )

    return ctx.once("rereferrals", flag).lazy()


def _rereferrals(ctx: MeasureContext) -> pl.LazyFrame:
    """Re-referrals, each in the period of the date its rule judged it by (``judged_on``)."""
    return counted(ctx.flow(_rereferred(ctx), "judged_on"), "referral_id", locality=None)


def _caseload_quarters(ctx: MeasureContext) -> pl.LazyFrame:
    """Cases open at each quarter end, labelled with the periods asked for.

    A year's rows are the cases open at the end of each of its four quarters: the
    total number of cases worked with across the year, counted quarter by quarter.
    """
    quarters = [q for year in years_asked(ctx) for q in year.quarters()]
    asked = {p.label for p in ctx.periods}
    parts: list[pl.LazyFrame] = []
    cases = ctx.lazy("cases")
    for quarter in quarters:
        labels = [label for label in (quarter.label, quarter.year.label) if label in asked]
        open_cases = cases.filter(
            (pl.col("opened") <= quarter.end)
            & (pl.col("closed").is_null() | (pl.col("closed") > quarter.end))
        )
        parts.extend(
            open_cases.with_columns(pl.lit(label, dtype=ctx.labels).alias("period"))
            for label in labels
        )
    return pl.concat(parts) if parts else ctx.stock(cases, "opened", "closed")


def _rate_denominator(ctx: MeasureContext, kind: RateDenominator) -> pl.LazyFrame:
    """The re-referral rate's denominator members of one kind, for every period asked."""
    if kind is RateDenominator.CASES_OPENED:
        return counted(
            ctx.flow(ctx.lazy("cases"), "opened"), "episode_id", numerator=0, denominator=1
        )
    if kind is RateDenominator.REFERRALS:
        placed = ctx.flow(ctx.lazy("referrals"), "referral_date")
        return counted(placed, "referral_id", numerator=0, denominator=1, locality=None)
    return counted(_caseload_quarters(ctx), "episode_id", numerator=0, denominator=1)


def _rereferral_rate(ctx: MeasureContext) -> pl.LazyFrame:
    """Re-referrals over the denominator the rule in force at each period's end names."""
    parts = [_rereferrals(ctx)]
    kinds: dict[RateDenominator, list[str]] = {}
    for period in ctx.periods:
        rule = ctx.profile.rule(RereferralRule, period.end)
        kind = RateDenominator.QUARTER_END_CASELOADS if rule is None else rule.denominator
        kinds.setdefault(kind, []).append(period.label)
    for kind, labels in kinds.items():
        part = _rate_denominator(ctx, kind)
        if len(kinds) > 1:
            part = part.filter(pl.col("period").cast(pl.String).is_in(labels))
        parts.append(part)
    return pl.concat(parts)


#: The re-referral rate's denominator under each setting of the rule in force.
RATE_DENOMINATORS = {
    RateDenominator.QUARTER_END_CASELOADS.value: Part(
        definition="lead professional cases open at the end of each quarter of the "
        "period, summed over its quarters (a case open at two quarter ends counts twice)",
        table="cases",
        basis=Basis.STOCK,
        date="opened, closed",
    ),
    RateDenominator.CASES_OPENED.value: Part(
        definition="lead professional cases opened in the period",
        table="cases",
        basis=Basis.FLOW,
        date="opened",
    ),
    RateDenominator.REFERRALS.value: _REFERRALS,
}


def _cases_closed(ctx: MeasureContext) -> pl.LazyFrame:
    placed = ctx.flow(ctx.lazy("cases"), "closed")
    return counted(placed, "episode_id", breakdown="closure_reason")


def _escalation(ctx: MeasureContext) -> pl.LazyFrame:
    def flag() -> pl.DataFrame:
        first, last = span(ctx)
        closed = ctx.data["cases"].filter(pl.col("closed").is_between(first, last))
        flags = flag_step_ups(closed, profile=ctx.profile).select("step_up")
        # Kept for the whole compute: only the columns the two measures count.
        kept = closed.select("episode_id", "team_id", "locality_id", "closed")
        return pl.concat([kept, flags], how="horizontal")

    placed = ctx.flow(ctx.once("step_ups", flag).lazy(), "closed")
    return counted(placed, "episode_id", numerator=pl.col("step_up"), denominator=1)


def _escalations(ctx: MeasureContext) -> pl.LazyFrame:
    return _escalation(ctx).filter(pl.col("numerator") > 0)


def _onward_referrals(ctx: MeasureContext) -> pl.LazyFrame:
    placed = ctx.flow(ctx.with_team(ctx.lazy("onward_referrals")), "referral_date")
    return counted(placed, "onward_referral_id")


def _declare(
    measure_id: str,
    title: str,
    element: Element,
    *,
    description: str,
    calculator: object,
    numerator: Part,
    denominator: Part | None = None,
    polarity: Polarity = Polarity.NEUTRAL,
    breakdowns: tuple[str, ...] = (),
    unit: Unit | None = None,
    reads: tuple[str, ...] = (),
    denominators: dict[str, Part] | None = None,
) -> None:
    MEASURES.append(
        Measure(
            measure_id=measure_id,
            title=title,
            element=element,
            description=description,
            unit=unit or (Unit.COUNT if denominator is None else Unit.PERCENTAGE),
            numerator=numerator,
            denominator=denominator,
            polarity=polarity,
            source=CASES,
            effective=SINCE_2013,
            breakdowns=breakdowns,
            reads=reads,
            denominators=tuple((denominators or {}).items()),
            denominator_key="rereferral_denominator_setting" if denominators else None,
            calculator=calculator,  # type: ignore[arg-type]
        )
    )


_declare(
    "new_referrals",
    "New referrals",
    Element.HOW_MUCH,
    description=(
        "Referrals received by early help teams, by route: a Vulnerable Children's "
        "Meeting (VCM) or any other route."
    ),
    calculator=_new_referrals,
    numerator=_REFERRALS,
    breakdowns=("route",),
)
_declare(
    "open_cases",
    "Open cases",
    Element.HOW_MUCH,
    description=(
        "Lead professional cases open at the end of the period, whatever their level of need."
    ),
    calculator=_open_cases,
    numerator=_OPEN_CASES,
    reads=("cases.closed",),
)
_declare(
    "ehas_completed",
    "Early Help Assessments completed",
    Element.HOW_MUCH,
    description=(
        "Early Help Assessments (formerly CAF) completed in the period, attributed to "
        "the team of the case they belong to; an assessment with no case counts for "
        "the {area} only."
    ),
    calculator=_ehas_completed,
    numerator=Part(
        definition="Early Help Assessments with a completion date in the period",
        table="assessments",
        basis=Basis.FLOW,
        date="completed",
    ),
    polarity=Polarity.HIGHER_IS_BETTER,
    reads=("assessments.completed",),
)
_declare(
    "assessment_in_place_rate",
    "Cases with a completed assessment in place",
    Element.HOW_WELL,
    description=(
        "Of the lead professional cases open at the end of the period, those with an "
        "Early Help Assessment completed on or before the period's last day."
    ),
    calculator=_assessment_in_place,
    numerator=Part(
        definition="open cases with an Early Help Assessment completed on or before "
        "the period's last day",
        table="cases",
        basis=Basis.STOCK,
        date="opened, closed; assessments.completed",
    ),
    denominator=_OPEN_CASES,
    polarity=Polarity.HIGHER_IS_BETTER,
    reads=("cases.closed", "assessments", "assessments.completed", "assessments.episode_id"),
)
_declare(
    "rereferrals",
    "Cases re-referred {rereferral_window}",
    Element.HOW_WELL,
    description=(
        "Referrals in the period that the profile's re-referral rule judges a "
        "re-referral ({rereferral_rule}), counted in the period of {rereferral_placed}."
    ),
    calculator=_rereferrals,
    numerator=Part(
        definition="referrals judged re-referrals by the profile's rule, in the period of "
        "{rereferral_placed}",
        table="referrals",
        basis=Basis.FLOW,
        date="referral_date",
    ),
    polarity=Polarity.LOWER_IS_BETTER,
    reads=("cases", "cases.closed"),
)
_declare(
    "rereferral_rate",
    "Re-referrals as a share of {rereferral_denominator_short}",
    Element.HOW_WELL,
    description=(
        "Re-referrals in the period ({rereferral_rule}, counted in the period of "
        "{rereferral_placed}) as a percentage of {rereferral_denominator}."
    ),
    calculator=_rereferral_rate,
    numerator=Part(
        definition="referrals judged re-referrals by the profile's rule, in the period of "
        "{rereferral_placed}",
        table="referrals",
        basis=Basis.FLOW,
        date="referral_date",
    ),
    denominator=RATE_DENOMINATORS[RateDenominator.QUARTER_END_CASELOADS.value],
    denominators=RATE_DENOMINATORS,
    polarity=Polarity.LOWER_IS_BETTER,
    reads=("cases.closed",),
)
_declare(
    "cases_closed",
    "Cases closed",
    Element.HOW_WELL,
    description="Lead professional cases closed in the period, by closure reason.",
    calculator=_cases_closed,
    numerator=_CLOSED,
    breakdowns=("closure_reason",),
    reads=("cases.closed", "cases.closure_reason"),
)
_declare(
    "onward_referrals",
    "Referrals to other interventions",
    Element.HOW_WELL,
    description=("Referrals from an early help case to another intervention, dated in the period."),
    calculator=_onward_referrals,
    numerator=Part(
        definition="onward referrals dated in the period",
        table="onward_referrals",
        basis=Basis.FLOW,
        date="referral_date",
    ),
)
_declare(
    "early_help_level_2_cases",
    "Early help (level 2) cases",
    Element.CONTEXT,
    description=(
        "Lead professional cases at level of need 2 (emerging needs) open at the end of "
        "the period; cases held at level 3 in early help teams are not counted."
    ),
    calculator=_level_2_cases,
    numerator=Part(
        definition="lead professional cases with level of need 2 open at the end of "
        "the period's last day",
        table="cases",
        basis=Basis.STOCK,
        date="opened, closed",
    ),
    reads=("cases.closed", "cases.level_of_need"),
)
_declare(
    "escalations",
    "Cases escalated to social care",
    Element.CONTEXT,
    description=(
        "Lead professional cases closed in the period as a step-up to social care, as "
        "the profile's escalation rule judges the closure reason."
    ),
    calculator=_escalations,
    numerator=Part(
        definition="cases closed in the period as a step-up to social care",
        table="cases",
        basis=Basis.FLOW,
        date="closed",
    ),
    polarity=Polarity.LOWER_IS_BETTER,
    reads=("cases.closed", "cases.closure_reason"),
)
_declare(
    "escalation_rate",
    "Escalation %",
    Element.CONTEXT,
    description=(
        "Cases escalated to social care as a percentage of all lead professional cases "
        "closed in the period."
    ),
    calculator=_escalation,
    numerator=Part(
        definition="cases closed in the period as a step-up to social care",
        table="cases",
        basis=Basis.FLOW,
        date="closed",
    ),
    denominator=_CLOSED,
    polarity=Polarity.LOWER_IS_BETTER,
    reads=("cases.closed", "cases.closure_reason"),
)
