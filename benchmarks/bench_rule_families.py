"""Benchmark: threshold levels, child in need in early help and prior early help.

For each family it times the bulk flags (no explanations), the bulk flags with
``explain=True`` (explanations a second), and the per-record call (median of
single calls). The child-in-need call is timed twice where the installed API
takes the ``single_assessments`` table as well as records: with every
assessment record (each call scans them all for the child's) and with the
table (indexed by child on the first call, so each call reads a slice). Targets (issue 11): bulk no slower than before the one-definition
change, a per-record call at most 2 ms median, bulk explanations at least
100,000 a second.

It runs against whichever API the installed ``earlyhelp`` has, so the same
script measures the code before the change (``prior_starts``,
``flag_cin_in_early_help``, ``explain_prior_early_help``, no ``explain``) and
after it: put the older tree's ``src`` first on ``PYTHONPATH`` to measure it.

Run from the repository root::

    python benchmarks/bench_rule_families.py                # ~100k cases, 3 rounds
    python benchmarks/bench_rule_families.py --cases-per-year 5000 --repeat 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import json
import statistics
import time
from collections.abc import Callable
from typing import Any, Final

import attrs
import numpy as np
import polars as pl

import earlyhelp as eh
from earlyhelp import cohorts, rules
from earlyhelp.io import SCHEMAS, LoadReport
from earlyhelp.profiles import OnMissing, load_profile

DERBY: Final = attrs.evolve(load_profile("derby-2014-15"), on_missing=OnMissing.LENIENT)
INPUTS: Final = ("acute_risk", "complex_needs", "emerging_needs")
NEW: Final = hasattr(rules, "flag_cin_allowed_in_early_help")


CPU: dict[str, float] = {}
"""CPU seconds (all threads) of the last timing of each kind: on a shared machine
they show the work done, which other jobs' load changes far less than wall time."""


def _time(job: Callable[[], Any], repeat: int) -> float:
    """The median wall seconds of ``repeat`` runs after a warm-up (CPU median in CPU["last"])."""
    job()  # warm-up
    times, cpu = [], []
    for _ in range(repeat):
        started, used = time.perf_counter(), time.process_time()
        job()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    CPU["last"] = statistics.median(cpu)
    return statistics.median(times)


def _per_call(job: Callable[[int], Any], calls: int) -> float:
    """The median wall seconds of one call (CPU median in CPU["last"])."""
    job(0)
    times, cpu = [], []
    for i in range(calls):
        started, used = time.perf_counter(), time.process_time()
        job(i)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    CPU["last"] = statistics.median(cpu)
    return statistics.median(times)


def _record(out: dict[str, Any], name: str, seconds: float, scale: float = 1.0) -> None:
    out[name] = round(seconds * scale, 4)
    out[f"{name}_cpu"] = round(CPU["last"] * scale, 4)


def _levels_frame(rows: int, seed: int) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    start = dt.date(2013, 4, 1).toordinal()
    days = rng.integers(0, 730, rows) + start
    return pl.DataFrame(
        {
            "referral_id": [f"R-{i}" for i in range(rows)],
            "referral_date": pl.Series([dt.date.fromordinal(int(d)) for d in days], dtype=pl.Date),
            **{name: rng.random(rows) < 0.3 for name in INPUTS},
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases-per-year", type=int, default=40_000)
    parser.add_argument("--levels", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2015)
    args = parser.parse_args()

    frames = eh.generate_demo(seed=args.seed, cases_per_year=args.cases_per_year, years=2)
    data = eh.Dataset({k: v for k, v in frames.items() if k in SCHEMAS}, LoadReport(()))
    cases, assessments = data["cases"], data["single_assessments"]
    levels = _levels_frame(args.levels, args.seed)
    out: dict[str, Any] = {
        "api": "new" if NEW else "old",
        "cases": cases.height,
        "single_assessments": assessments.height,
        "statutory_starts": data["social_care_episodes"].height + data["yos_episodes"].height,
        "levels_rows": levels.height,
    }

    # threshold levels
    _record(
        out,
        "levels_bulk_s",
        _time(
            lambda: eh.flag_levels(levels, date_column="referral_date", profile=DERBY), args.repeat
        ),
    )
    indicator_rows = levels.head(args.calls).to_dicts()
    classify = _per_call(
        lambda i: eh.classify(
            {n: indicator_rows[i][n] for n in INPUTS},
            as_of=indicator_rows[i]["referral_date"],
            subject=f"referral {indicator_rows[i]['referral_id']}",
            profile=DERBY,
        ),
        args.calls,
    )
    _record(out, "classify_median_ms", classify, 1000)

    # child in need in early help
    if NEW:
        flag_cin = rules.flag_cin_allowed_in_early_help
        one_cin = rules.is_cin_allowed_in_early_help
    else:
        flag_cin = rules.flag_cin_in_early_help
        one_cin = rules.may_hold_cin_in_early_help
    _record(
        out, "cin_bulk_s", _time(lambda: flag_cin(cases, assessments, profile=DERBY), args.repeat)
    )
    cin_cases = list(data.records("cases"))[: args.calls]
    assessment_records = list(data.records("single_assessments"))
    one = _per_call(
        lambda i: one_cin(cin_cases[i], single_assessments=assessment_records, profile=DERBY),
        len(cin_cases),
    )
    _record(out, "cin_median_ms", one, 1000)
    if "DataFrame" in str(inspect.signature(one_cin).parameters["single_assessments"].annotation):
        # the many-calls path: the table, indexed by child on the first call (not timed)
        one_cin(cin_cases[0], single_assessments=assessments, profile=DERBY)
        one = _per_call(
            lambda i: one_cin(cin_cases[i], single_assessments=assessments, profile=DERBY),
            len(cin_cases),
        )
        _record(out, "cin_table_median_ms", one, 1000)

    # prior early help
    if NEW:
        flag_prior = cohorts.flag_preceded_by_early_help
        one_prior = cohorts.is_preceded_by_early_help
    else:
        from earlyhelp.cohorts._prior import prior_starts as flag_prior

        one_prior = cohorts.explain_prior_early_help
    periods = ["2013-14", "2014-15"]
    _record(
        out,
        "prior_bulk_s",
        _time(lambda: flag_prior(data, profile=DERBY, period=periods), args.repeat),
    )
    starts = flag_prior(data, profile=DERBY, period=periods)
    unique = starts.unique(["kind", "record_id"], keep="first").unique("record_id", keep="none")
    ids = unique.get_column("record_id").head(args.calls).to_list()
    one = _per_call(lambda i: one_prior(data, ids[i], profile=DERBY), len(ids))
    _record(out, "prior_median_ms", one, 1000)

    if NEW:
        jobs: dict[str, tuple[Callable[[], Any], int]] = {
            "levels": (
                lambda: eh.flag_levels(
                    levels,
                    date_column="referral_date",
                    profile=DERBY,
                    id_column="referral_id",
                    kind="referral",
                    explain=True,
                ),
                levels.height,
            ),
            "cin": (
                lambda: flag_cin(cases, assessments, profile=DERBY, explain=True),
                cases.height,
            ),
            "prior": (
                lambda: flag_prior(data, profile=DERBY, period=periods, explain=True),
                starts.height,
            ),
        }
        for name, (job, rows) in jobs.items():
            _record(out, f"{name}_explained_s", _time(job, args.repeat))
            out[f"{name}_explanations_per_s"] = round(rows / out[f"{name}_explained_s"])
            out[f"{name}_explanations_per_cpu_s"] = round(rows / out[f"{name}_explained_s_cpu"])
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
