"""Measures of the children in need census: DfE's re-referral rate.

DfE counts a referral to children's social care as a re-referral when it is
within 12 months of a previous referral of the same child, and publishes
re-referrals as a percentage of the year's referrals. The window is the
profile's re-referral rule (the ``cin-census`` profile's ``CIN-RR-12M``), applied
to ``cin_referrals`` by the same bulk definition as every re-referral flag
(:func:`earlyhelp.flag_rereferrals`), with the CIN referrals as their own history.
"""

from __future__ import annotations

import polars as pl

from earlyhelp.measures._casework_measures import SINCE_2013
from earlyhelp.measures._catalogue import Basis, Element, Level, Measure, Part, Unit
from earlyhelp.measures._context import FigureUnavailableError, MeasureContext
from earlyhelp.measures._members import counted, years_asked
from earlyhelp.measures._polarity import Polarity
from earlyhelp.rules._rereferral import flag_rereferrals
from earlyhelp.rules._rereferral_rule import Anchor, RereferralRule

__all__: list[str] = []

MEASURES: list[Measure] = []
"""The measures this module declares; the shipped catalogue collects them."""

_FLAGS = {"referral_id": pl.String(), "rereferral": pl.Boolean()}


def _census_flags(ctx: MeasureContext) -> pl.DataFrame:
    """Each CIN referral of the years asked, flagged under the profile's referral-anchored rule."""
    every = tuple(ctx.profile.versions(RereferralRule))
    versions = tuple(v for v in every if v.anchor is Anchor.PREVIOUS_REFERRAL)
    if every and not versions:
        # DfE's rate is referral-anchored: a closure-anchored window is another measure.
        msg = (
            f"cin_rereferral_rate: profile {ctx.profile.profile_id!r} counts re-referrals from case "
            "closure; the DfE rate needs a rule anchored on the previous referral"
        )
        raise FigureUnavailableError("not_referral_anchored", msg)
    referrals = ctx.data["cin_referrals"]
    if not versions or referrals.is_empty():
        return pl.DataFrame(schema=_FLAGS)
    census = ctx.profile.with_rules(RereferralRule, versions)
    flags = [flag_rereferrals(referrals, profile=census, period=year) for year in years_asked(ctx)]
    return pl.concat(flags).select("referral_id", "rereferral").unique("referral_id")


def _cin_rereferral_rate(ctx: MeasureContext) -> pl.LazyFrame:
    flagged = ctx.once("cin_rereferral_flags", lambda: _census_flags(ctx)).lazy()
    placed = ctx.flow(
        ctx.lazy("cin_referrals").join(flagged, on="referral_id", how="inner"), "referral_date"
    )
    return counted(
        placed,
        "referral_id",
        numerator=pl.col("rereferral"),
        denominator=1,
        team=None,
        locality=None,
    )


MEASURES.append(
    Measure(
        measure_id="cin_rereferral_rate",
        title="Re-referrals to children's social care within 12 months",
        element=Element.HOW_WELL,
        description=(
            "Of the referrals to children's social care (CIN referrals) received in the "
            "period, the percentage within the profile's re-referral window of a previous "
            "referral of the same child: DfE's re-referral rate, 12 months under the "
            "cin-census profile. Under a profile whose re-referral rule counts from case "
            "closure (not a previous referral) the figure is missing, with that reason "
            "(not_referral_anchored)."
        ),
        unit=Unit.PERCENTAGE,
        numerator=Part(
            definition="CIN referrals in the period within the window of a previous "
            "CIN referral of the same child",
            table="cin_referrals",
            basis=Basis.FLOW,
            date="referral_date",
        ),
        denominator=Part(
            definition="CIN referrals received in the period",
            table="cin_referrals",
            basis=Basis.FLOW,
            date="referral_date",
        ),
        polarity=Polarity.LOWER_IS_BETTER,
        source="children in need census (CIN referrals), or the SSD's ssd_cin_episodes",
        effective=SINCE_2013,
        levels=(Level.CITY,),
        calculator=_cin_rereferral_rate,
    )
)
