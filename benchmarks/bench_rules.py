"""Benchmark: earlyhelp's re-referral and escalation flags against plain polars and pandas scripts.

Acceptance criteria:

* re-referral flags (both shipped profiles) and escalation (step-ups) over ~1M
  synthetic cases take at most 1.5x the time of a plain hand-written polars
  script computing the same flags, and are at least 3x faster than a plain
  hand-written pandas script, side by side in one run;
* explained per-record decisions: at least 50,000 a second.

Steps:

1. In a child process (the generator's memory is not held by the timing
   process), make the ``referrals`` and ``cases`` tables with
   :func:`earlyhelp.generate_demo` and write them as Parquet.
2. In this process, read them once (polars and pandas; pandas dates converted to
   ``datetime64`` up front), then time three tasks (derby re-referrals,
   children in need census re-referrals, step-ups) for three contenders
   (``earlyhelp``; a plain polars script with joins and ``dt.offset_by``; a
   plain pandas script with ``merge`` and ``pd.DateOffset``), one warm-up round
   then ``--repeat`` rounds, the starting job moving along by one each round.
   All three must agree exactly: the same flag and matched id for every row.
3. Time explained decisions: :func:`is_rereferral` for ``--decisions`` referrals
   one by one, under each profile, against a
   :class:`RereferralHistory` built once from the frames; their outcomes and
   matched ids must equal the bulk flags.
4. Print a table of median times and ratios and PASS/FAIL for each target.

The shipped profiles are strict and in force from 01/04/2013, but the generated
history reaches back to 2011; every contender therefore uses them leniently
(earlier referrals get a null flag, and the plain scripts do the same).

Run from the repository root::

    python benchmarks/bench_rules.py                      # ~1M cases, 5 rounds
    python benchmarks/bench_rules.py --cases 100000 --repeat 3 --decisions 20000

The exit status is 1 if any check fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import math
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import attrs
import pandas as pd
import polars as pl
from _common import check, format_table, interleave, machine, spawn

from earlyhelp import Profile, flag_rereferrals, flag_step_ups, is_rereferral, load_profile
from earlyhelp.profiles import OnMissing
from earlyhelp.rules import Anchor, MatchOn, RereferralHistory, matched_id

POLARS_LIMIT: Final = 1.5  # earlyhelp / plain polars, at most
PANDAS_LIMIT: Final = 3.0  # plain pandas / earlyhelp, at least
DECISIONS_LIMIT: Final = 50_000  # explained decisions a second, at least
CASES_PER_CASE_YEAR: Final = 2.6  # case rows per unit of cases_per_year at years=2
START: Final = dt.date(2013, 4, 1)  # the shipped profiles' rules are in force from here
TASKS: Final = ("derby re-referral", "cin-census re-referral", "step-up")


# --------------------------------------------------------------------------- data


def _paths(out: Path, cases: int, seed: int) -> tuple[Path, Path]:
    stem = f"rules_{cases}_seed{seed}"
    return out / f"{stem}_referrals.parquet", out / f"{stem}_cases.parquet"


def _child_write(out: Path, cases: int, seed: int) -> None:
    """Generate and write the tables (run in a child process); print facts as JSON."""
    import earlyhelp

    cases_per_year = max(1, math.ceil(cases / CASES_PER_CASE_YEAR))
    data = earlyhelp.generate_demo(seed=seed, cases_per_year=cases_per_year, years=2)
    referrals_path, cases_path = _paths(out, cases, seed)
    data["referrals"].write_parquet(referrals_path)
    data["cases"].write_parquet(cases_path)
    facts = {
        "cases_per_year": cases_per_year,
        "referrals": data["referrals"].height,
        "cases": data["cases"].height,
    }
    print(json.dumps(facts))


def _prepare(out: Path, cases: int, seed: int, *, reuse: bool) -> tuple[Path, Path]:
    referrals_path, cases_path = _paths(out, cases, seed)
    if reuse and referrals_path.is_file() and cases_path.is_file():
        print(f"reusing {referrals_path.name} and {cases_path.name} in {out}")
        return referrals_path, cases_path
    started = time.perf_counter()
    facts = spawn(__file__, ["--child", str(out), "--cases", str(cases), "--seed", str(seed)])
    print(
        f"wrote {facts['referrals']:,} referrals and {facts['cases']:,} cases in "
        f"{time.perf_counter() - started:.1f}s (generate_demo seed={seed}, "
        f"cases_per_year={facts['cases_per_year']:,}, years=2)"
    )
    return referrals_path, cases_path


@dataclass
class Inputs:
    """The tables, read once: polars frames and pandas frames."""

    referrals: pl.DataFrame
    cases: pl.DataFrame
    pd_referrals: pd.DataFrame
    pd_cases: pd.DataFrame

    @classmethod
    def read(cls, referrals_path: Path, cases_path: Path) -> Inputs:
        pd_referrals = pd.read_parquet(referrals_path)
        pd_cases = pd.read_parquet(cases_path)
        # pandas reads Parquet dates as Python objects; a plain script converts them first
        pd_referrals["referral_date"] = pd.to_datetime(pd_referrals["referral_date"])
        for name in ("opened", "closed"):
            pd_cases[name] = pd.to_datetime(pd_cases[name])
        return cls(
            pl.read_parquet(referrals_path), pl.read_parquet(cases_path), pd_referrals, pd_cases
        )


# --------------------------------------------------------------------------- earlyhelp


def _lenient(name: str) -> Profile:
    return attrs.evolve(load_profile(name), on_missing=OnMissing.LENIENT)


DERBY: Final = _lenient("derby-2014-15")
CIN: Final = _lenient("cin-census")


def eh_derby(data: Inputs) -> pl.DataFrame:
    return flag_rereferrals(data.referrals, data.cases, profile=DERBY)


def eh_cin(data: Inputs) -> pl.DataFrame:
    return flag_rereferrals(data.referrals, profile=CIN)


def eh_step_ups(data: Inputs) -> pl.DataFrame:
    return flag_step_ups(data.cases, profile=DERBY)


# --------------------------------------------------------------------------- plain polars


def pl_flags(referrals: pl.DataFrame, matches: pl.DataFrame) -> pl.DataFrame:
    covered = pl.col("referral_date") >= START
    return referrals.join(matches, on="referral_id", how="left", maintain_order="left").select(
        "referral_id",
        pl.when(covered).then(pl.col("matched_id").is_not_null()).alias("rereferral"),
        pl.when(covered).then(pl.col("matched_id")).alias("matched_id"),
    )


def pl_derby(data: Inputs) -> pl.DataFrame:
    referrals = data.referrals.select("referral_id", "person_id", "referral_date")
    closed = data.cases.filter(pl.col("closed").is_not_null()).select(
        "episode_id", "person_id", pl.col("referral_id").alias("case_referral_id"), "closed"
    )
    matches = (
        referrals.join(closed, on="person_id")
        .filter(
            (pl.col("referral_date") > pl.col("closed"))
            & (pl.col("referral_date") <= pl.col("closed").dt.offset_by("3mo"))
            & pl.col("case_referral_id").ne_missing(pl.col("referral_id"))
        )
        .group_by("referral_id")
        .agg(
            pl.col("episode_id")
            .sort_by(["closed", "episode_id"], descending=[True, False])
            .first()
            .alias("matched_id")
        )
    )
    return pl_flags(referrals, matches)


def pl_cin(data: Inputs) -> pl.DataFrame:
    referrals = data.referrals.select("referral_id", "person_id", "referral_date")
    earlier = referrals.select(
        "person_id", pl.col("referral_id").alias("prev_id"), pl.col("referral_date").alias("prev")
    )
    matches = (
        referrals.join(earlier, on="person_id")
        .filter(
            (pl.col("referral_date") > pl.col("prev"))
            & (pl.col("referral_date") <= pl.col("prev").dt.offset_by("12mo"))
            & (pl.col("prev_id") != pl.col("referral_id"))
        )
        .group_by("referral_id")
        .agg(
            pl.col("prev_id")
            .sort_by(["prev", "prev_id"], descending=[True, False])
            .first()
            .alias("matched_id")
        )
    )
    return pl_flags(referrals, matches)


def pl_step_ups(data: Inputs) -> pl.DataFrame:
    closed = pl.col("closed")
    return data.cases.select(
        "episode_id",
        pl.when(closed.is_null())
        .then(pl.lit(False))
        .when(closed >= START)
        .then(pl.col("closure_reason") == "escalated_to_social_care")
        .alias("step_up"),
    )


# --------------------------------------------------------------------------- plain pandas


def pd_flags(referrals: pd.DataFrame, matches: pd.DataFrame, column: str) -> pd.DataFrame:
    covered = referrals["referral_date"] >= pd.Timestamp(START)
    best = matches.drop_duplicates("referral_id").set_index("referral_id")[column]
    matched = referrals["referral_id"].map(best).where(covered)
    flag = pd.Series(pd.NA, index=referrals.index, dtype="boolean")
    flag[covered] = matched[covered].notna()
    return pd.DataFrame(
        {"referral_id": referrals["referral_id"], "rereferral": flag, "matched_id": matched}
    )


def pd_derby(data: Inputs) -> pd.DataFrame:
    referrals = data.pd_referrals[["referral_id", "person_id", "referral_date"]]
    cases = data.pd_cases
    closed = cases.loc[
        cases["closed"].notna(), ["episode_id", "person_id", "referral_id", "closed"]
    ].rename(columns={"referral_id": "case_referral_id"})
    pairs = referrals.merge(closed, on="person_id")
    keep = (
        (pairs["referral_date"] > pairs["closed"])
        & (pairs["referral_date"] <= pairs["closed"] + pd.DateOffset(months=3))
        & (pairs["case_referral_id"].isna() | (pairs["case_referral_id"] != pairs["referral_id"]))
    )
    pairs = pairs[keep].sort_values(
        ["referral_id", "closed", "episode_id"], ascending=[True, False, True]
    )
    return pd_flags(referrals, pairs, "episode_id")


def pd_cin(data: Inputs) -> pd.DataFrame:
    referrals = data.pd_referrals[["referral_id", "person_id", "referral_date"]]
    earlier = referrals.rename(columns={"referral_id": "prev_id", "referral_date": "prev"})
    pairs = referrals.merge(earlier, on="person_id")
    keep = (
        (pairs["referral_date"] > pairs["prev"])
        & (pairs["referral_date"] <= pairs["prev"] + pd.DateOffset(months=12))
        & (pairs["prev_id"] != pairs["referral_id"])
    )
    pairs = pairs[keep].sort_values(
        ["referral_id", "prev", "prev_id"], ascending=[True, False, True]
    )
    return pd_flags(referrals, pairs, "prev_id")


def pd_step_ups(data: Inputs) -> pd.DataFrame:
    cases = data.pd_cases
    step_up = pd.Series(pd.NA, index=cases.index, dtype="boolean")
    step_up[cases["closed"].isna()] = False
    covered = cases["closed"] >= pd.Timestamp(START)
    step_up[covered] = cases.loc[covered, "closure_reason"] == "escalated_to_social_care"
    return pd.DataFrame({"episode_id": cases["episode_id"], "step_up": step_up})


CONTENDERS: Final[dict[str, tuple[Callable[[Inputs], Any], ...]]] = {
    "earlyhelp": (eh_derby, eh_cin, eh_step_ups),
    "plain polars": (pl_derby, pl_cin, pl_step_ups),
    "plain pandas": (pd_derby, pd_cin, pd_step_ups),
}


# --------------------------------------------------------------------------- timing


def _time_bulk(
    data: Inputs, repeat: int
) -> tuple[dict[tuple[str, str], list[float]], dict[str, Any]]:
    """Median-ready times of every (contender, task), and each one's last result."""
    jobs = [(name, index) for name in CONTENDERS for index in range(len(TASKS))]
    timed = interleave(jobs, lambda job: CONTENDERS[job[0]][job[1]](data), repeat)
    seconds = {(name, TASKS[index]): timed.seconds[name, index] for name, index in jobs}
    results = {f"{name}/{TASKS[index]}": timed.results[name, index] for name, index in jobs}
    return seconds, results


def _as_polars(frame: pl.DataFrame | pd.DataFrame, columns: list[str]) -> pl.DataFrame:
    polars = frame if isinstance(frame, pl.DataFrame) else pl.from_pandas(frame)
    return polars.select(columns)


def _agree(results: dict[str, Any]) -> list[str]:
    """Tasks on which the three contenders' results differ (empty if they all agree)."""
    differ = []
    for task in TASKS:
        columns = (
            ["episode_id", "step_up"]
            if task == "step-up"
            else [
                "referral_id",
                "rereferral",
                "matched_id",
            ]
        )
        frames = [_as_polars(results[f"{name}/{task}"], columns) for name in CONTENDERS]
        if not all(frames[0].equals(other) for other in frames[1:]):
            differ.append(task)
    return differ


def _decide(referrals: list[Any], history: RereferralHistory, profile: Profile) -> list[Any]:
    """Decide each referral in turn, keeping only what the agreement check needs.

    This is how an application uses a decision: make it, show or log it, let it go.
    """
    kept = []
    for referral in referrals:
        decision = is_rereferral(referral, history=history, profile=profile)
        kept.append((referral.referral_id, decision.outcome, matched_id(decision)))
    return kept


def _time_decisions(
    data: Inputs, count: int, seed: int, bulk: dict[str, pl.DataFrame], repeat: int
) -> dict[str, Any]:
    """Explained decisions a second, per profile, against a history built once."""
    from earlyhelp.model import Referral

    covered = data.referrals.filter(pl.col("referral_date") >= START)
    sample = covered.sample(n=min(count, covered.height), seed=seed)
    referrals = [Referral(**row) for row in sample.iter_rows(named=True)]
    started = time.perf_counter()
    history = RereferralHistory.from_frames(cases=data.cases, referrals=data.referrals)
    history.events(Anchor.PREVIOUS_CLOSURE, MatchOn.CHILD, "")  # group now, not in the loop
    history.events(Anchor.PREVIOUS_REFERRAL, MatchOn.CHILD, "")
    out: dict[str, Any] = {"count": len(referrals), "history_s": time.perf_counter() - started}
    for label, profile in (("derby", DERBY), ("cin-census", CIN)):
        times = []
        for _ in range(repeat):
            gc.collect()
            started = time.perf_counter()
            kept = _decide(referrals, history, profile)
            times.append(time.perf_counter() - started)
        per_record = pl.DataFrame(
            kept,
            schema={"referral_id": pl.String, "rereferral": pl.Boolean, "matched_id": pl.String},
            orient="row",
        )
        expected = sample.select("referral_id").join(
            bulk[label].select("referral_id", "rereferral", "matched_id"),
            on="referral_id",
            how="left",
            maintain_order="left",
        )
        # informational: every Decision kept alive in a list, then each rendered as text
        gc.collect()
        started = time.perf_counter()
        decisions = [is_rereferral(ref, history=history, profile=profile) for ref in referrals]
        retained = time.perf_counter() - started
        started = time.perf_counter()
        for decision in decisions:
            str(decision)
        rendered = time.perf_counter() - started
        del decisions
        out[label] = {
            "rate": len(referrals) / statistics.median(times),
            "agree": per_record.equals(expected),
            "retained_rate": len(referrals) / retained,
            "render_rate": len(referrals) / rendered,
        }
    return out


# --------------------------------------------------------------------------- report


def _table(seconds: dict[tuple[str, str], list[float]]) -> tuple[str, dict[str, float]]:
    medians = {key: statistics.median(values) for key, values in seconds.items()}
    totals = {name: sum(medians[name, task] for task in TASKS) for name in CONTENDERS}
    names = list(CONTENDERS)
    headers = ["task", *(f"{name} s" for name in names), "eh/polars", "pandas/eh"]
    rows = [(task, {name: medians[name, task] for name in names}) for task in TASKS]
    rows.append(("total", totals))
    cells = [
        [
            task,
            *(f"{row[name]:.3f}" for name in names),
            f"{row['earlyhelp'] / row['plain polars']:.2f}",
            f"{row['plain pandas'] / row['earlyhelp']:.2f}",
        ]
        for task, row in rows
    ]
    lines = [format_table(headers, cells)]
    lines.append("times are medians; ratios of medians (total: of the sums of the task medians)")
    return "\n".join(lines), totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000, help="target case rows (~1M)")
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds (default 5)")
    parser.add_argument("--decisions", type=int, default=60_000, help="referrals to decide")
    parser.add_argument("--out", type=Path, help="folder for the Parquet files (default: temp)")
    parser.add_argument("--seed", type=int, default=2015, help="generate_demo seed")
    parser.add_argument("--reuse", action="store_true", help="reuse Parquet files in --out")
    parser.add_argument("--child", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child_write(Path(args.child), args.cases, args.seed)
        return 0

    out = args.out or Path(tempfile.mkdtemp(prefix="earlyhelp-bench-rules-"))
    out.mkdir(parents=True, exist_ok=True)
    print(f"machine: {machine(pl, pd)}")
    try:
        data = Inputs.read(*_prepare(out, args.cases, args.seed, reuse=args.reuse))
        seconds, results = _time_bulk(data, args.repeat)
        bulk = {
            "derby": results["earlyhelp/derby re-referral"],
            "cin-census": results["earlyhelp/cin-census re-referral"],
        }
        decided = _time_decisions(data, args.decisions, args.seed, bulk, max(3, args.repeat // 2))
        differ = _agree(results)
        print(flush=True)
        print(
            f"{data.referrals.height:,} referrals, {data.cases.height:,} cases; "
            f"{args.repeat} interleaved rounds after one warm-up"
        )
        table, totals = _table(seconds)
        print(table)
        print()
        flagged = {label: frame["rereferral"].sum() for label, frame in bulk.items()} | {
            "step-up": results["earlyhelp/step-up"]["step_up"].sum()
        }
        print(f"flagged: {flagged}")
        print(
            f"decisions: {decided['count']:,} referrals one by one; history of both tables "
            f"grouped once in {decided['history_s']:.2f}s"
        )
        for label in ("derby", "cin-census"):
            facts = decided[label]
            print(
                f"  {label:<11} {facts['rate']:>8,.0f} decisions/s (each made, read and let go); "
                f"all kept in a list: {facts['retained_rate']:,.0f}/s; "
                f"str(decision) afterwards: {facts['render_rate']:,.0f}/s"
            )
        print()
        ok = check(
            "agreement",
            not differ,
            "earlyhelp, plain polars and plain pandas give identical flags and matched ids"
            if not differ
            else f"results differ on {', '.join(differ)}",
        )
        ratio = totals["earlyhelp"] / totals["plain polars"]
        ok &= check("vs polars", ratio <= POLARS_LIMIT, f"earlyhelp / polars {ratio:.2f} <= 1.5")
        ratio = totals["plain pandas"] / totals["earlyhelp"]
        ok &= check("vs pandas", ratio >= PANDAS_LIMIT, f"pandas / earlyhelp {ratio:.2f} >= 3.0")
        for label in ("derby", "cin-census"):
            rate = decided[label]["rate"]
            ok &= check(
                f"decisions ({label})",
                rate >= DECISIONS_LIMIT,
                f"{rate:,.0f}/s >= {DECISIONS_LIMIT:,}/s",
            )
            ok &= check(
                f"decisions agree with bulk ({label})",
                decided[label]["agree"],
                "outcome and matched id equal the bulk flags for every sampled referral",
            )
        print("ALL PASS" if ok else "SOME CHECKS FAILED")
        return 0 if ok else 1
    finally:
        if args.out is None:
            shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
