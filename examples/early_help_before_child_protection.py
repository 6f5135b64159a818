"""Early help before child protection and care: the cohort analyses on the demo data.

Run it with ``python examples/early_help_before_child_protection.py [OUTPUT_DIR]``.
It loads the bundled demo data and prints, for 2014-15 and by locality, how many
children who started a child protection plan or came into care had been offered
and had accessed early help in the 24 months before (the source city's
profile); explains one start; draws a seeded, stratified sample of the children
without prior early help for a missed-opportunity audit (ids only); prints the
monthly flows in and out of care around the December 2014 spike and the time to
escalation of early help cases; and counts team around the family work apart
from the lead-professional caseload. The charts (PNG) and the audit ids (CSV)
go to OUTPUT_DIR, or to a new temporary folder: never into the repository.
Records are named by id only.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

import polars as pl

import earlyhelp as eh

PROFILE = "derby-2014-15"


def main(argv: list[str]) -> None:
    out = Path(argv[1]) if len(argv) > 1 else Path(tempfile.mkdtemp(prefix="earlyhelp-cohorts-"))
    out.mkdir(parents=True, exist_ok=True)
    data = eh.load(eh.demo_path())

    print("Early help before child protection plans and care, 2014-15, by locality")
    prior = eh.prior_early_help(
        data, profile=PROFILE, period="2014-15", by="locality", kinds=("cp", "cic")
    )
    print(prior)
    city = eh.prior_early_help(data, profile=PROFILE, period="2014-15", by="city")
    for kind, label in (("cp", "child protection plans"), ("cic", "admissions to care")):
        starts, offered, accessed = city.counts("2014-15", kind)
        share = city.accessed_share("2014-15", kind)
        shown = "-" if share is None else f"{float(share) * 100:.1f}%"
        print(
            f"City, {label}: {accessed} of {starts} had early help before ({shown}); "
            f"{offered} offered"
        )
    helped = city.starts.filter(pl.col("accessed") & pl.col("kind").is_in(["cp", "cic"]))
    if helped.height:
        print()
        print(eh.is_preceded_by_early_help(data, helped["record_id"][0], profile=PROFILE))

    print()
    sample = eh.cohorts.missed_opportunity_sample(
        data, profile=PROFILE, period="2014-15", size=20, seed=2015, stratify_by="locality"
    )
    ids = sample.write_csv(out / "missed_opportunity_audit_ids.csv")
    print(
        f"Audit sample: {len(sample.person_ids)} of {sample.eligible} children without "
        f"early help before (seed {sample.seed}); ids written to {ids}"
    )
    for locality, (eligible, drawn) in sample.strata.items():
        print(f"  {locality}: {drawn} of {eligible}")

    print()
    flows = eh.cohorts.statutory_flows(data, start="2014-04", end="2015-03")
    print("Children in care, month by month (episodes):")
    with pl.Config(tbl_rows=-1, tbl_hide_dataframe_shape=True, tbl_hide_column_data_types=True):
        print(flows.frame.filter(pl.col("kind") == "cic").drop("kind"))
    december = flows.month("cic", "2014-12")
    print(
        f"December 2014: {december['starts']} admissions, {december['ends']} discharges; "
        f"stocks reconcile: {flows.reconciles}"
    )
    flows.chart(out / "statutory_flows.png")

    print()
    curves = eh.cohorts.time_to_escalation(
        data,
        profile=PROFILE,
        period=["2013-14", "2014-15"],
        censor_at=dt.date(2015, 3, 31),
        by="city",
    )
    print(curves)
    curves.chart(out / "time_to_escalation.png")

    print()
    print("Team around the family work, counted apart from the lead-professional caseload:")
    with pl.Config(tbl_rows=-1, tbl_hide_dataframe_shape=True, tbl_hide_column_data_types=True):
        print(eh.cohorts.team_around_family(data, period=["2014-15 Q3", "2014-15 Q4"], by="city"))
    print()
    print(f"Charts written to {out}")


if __name__ == "__main__":
    main(sys.argv)
