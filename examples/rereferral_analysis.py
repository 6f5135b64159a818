"""A re-referral analysis: how many of a year's referrals came back soon after a case closed.

Run it with ``python examples/rereferral_analysis.py``. It loads the bundled
demo data, flags every 2014-15 referral with the source city's rule (within 3
calendar months of the child's previous early help case closing; profile
``derby-2014-15``), then tabulates re-referrals by quarter and by locality as
exact fractions (rounded only when printed), and explains the latest
re-referral the way a worker would see it. Records are named by id only.
"""

from __future__ import annotations

from fractions import Fraction

import polars as pl

import earlyhelp as eh

PROFILE = "derby-2014-15"
YEAR = "2014-15"


def percent(part: int, whole: int) -> str:
    """An exact share, rounded half up to one place only for printing."""
    if whole == 0:
        return "n/a"
    share = Fraction(part * 100, whole)
    tenths = (share * 10 + Fraction(1, 2)).__floor__()
    return f"{tenths / 10:.1f}%"


def main() -> None:
    data = eh.load(eh.demo_path())
    referrals, cases = data["referrals"], data["cases"]
    flags = eh.flag_rereferrals(referrals, cases, profile=PROFILE, period=YEAR)
    year = eh.FinancialYear.parse(YEAR)
    quarter_of = pl.col("referral_date")
    quarter_label = pl.concat_str(
        pl.lit(f"{year.label} Q"),
        ((quarter_of.dt.month() + 8) % 12 // 3 + 1).cast(pl.String),
    )
    flagged = (
        flags.join(referrals, on="referral_id", how="left", maintain_order="left")
        .join(data["teams"].select("team_id", "locality_id"), on="team_id", how="left")
        # A referral not yet allocated to a team has no locality: count it, labelled.
        .with_columns(quarter=quarter_label, locality_id=pl.col("locality_id").fill_null("(none)"))
    )
    # Every quarter's label must be one of the year's quarters: check, don't assume.
    assert set(flagged["quarter"]) <= {q.label for q in year.quarters()}

    for by in ("quarter", "locality_id"):
        table = (
            flagged.group_by(by)
            .agg(
                pl.len().alias("referrals"),
                pl.col("rereferral").sum().cast(pl.Int64).alias("rereferrals"),
            )
            .sort(by)
        )
        total = (int(table["referrals"].sum()), int(table["rereferrals"].sum()))
        assert total == (flags.height, int(flags["rereferral"].sum()))  # nothing lost
        print(f"\nRe-referrals within 3 months of closure, {YEAR}, by {by}:")
        for key, made, again in table.iter_rows():
            print(f"  {key:<12} {again:>4} of {made:>4} referrals  {percent(again, made):>6}")
        # Ratio of sums: the year's share is total re-referrals over total referrals,
        # never the average of the quarters' percentages.
        print(f"  {'all':<12} {total[1]:>4} of {total[0]:>4} referrals  {percent(*total[::-1]):>6}")

    latest = flagged.filter(pl.col("rereferral")).sort("referral_date")["referral_id"][-1]
    referral = next(r for r in data.records("referrals") if r.referral_id == latest)
    history = eh.rules.RereferralHistory.from_frames(cases=cases, referrals=referrals)
    decision = eh.is_rereferral(referral, history=history, profile=PROFILE)
    assert (
        eh.rules.matched_id(decision)
        == flags.filter(pl.col("referral_id") == latest)["matched_id"][0]
    )
    print(f"\nThe latest re-referral, explained:\n{decision}")


if __name__ == "__main__":
    main()
