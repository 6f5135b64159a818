"""Benchmark: ``earlyhelp.compute`` of every measure against plain polars and pandas scripts.

Acceptance criterion (issue 4): the full framework over 1M synthetic cases, for
8 quarters and every team, locality and the city, takes at most 1.5x a plain
hand-written polars script computing the same figures and is at least 3x faster
than a plain hand-written pandas script, side by side in one run; 10M cases
completes on a 2-core, 24 GB machine.

Steps:

1. In a child process, generate the tables with :func:`earlyhelp.generate_demo`
   (``cases_per_year = ceil(cases / 2.6)``, two financial years from 2013) and
   write each as ``<table>.parquet`` in a cache folder under ``/tmp``, reused by
   later runs with the same size and seed.
2. Read the tables once, untimed, for each contender: ``earlyhelp.load`` of every
   table any measure reads (a validated Dataset; ``children`` and
   ``single_assessments`` are left out), ``pl.read_parquet`` of each
   table the plain scripts read, and
   ``pd.read_parquet`` with the date columns converted to ``datetime64``. Load
   time is excluded for all three alike.
3. Time, interleaved (one warm-up round, then ``--repeat`` rounds, the starting
   contender moving along by one each round):
   * ``earlyhelp``: ``compute(data, profile="derby-2014-15",
     period=["2013-14", "2014-15"], by="team")``: 8 quarters and 2 years, every
     measure in the catalogue, every team, locality and the city;
   * ``plain polars`` (``_plain_polars.py``) and ``plain pandas``
     (``_plain_pandas.py``): the same figures from the definitions in
     ``_plain.py``.
4. Run each contender once more alone in a fresh process: it loads the data,
   resets its peak resident set (``/proc/self/clear_refs``), computes, and
   reports the peak during the computation and the resident set after the load.
   It writes its figures (measure, period, level, unit, breakdown, numerator,
   denominator) to Parquet; the runner checks that all three are identical.
5. Print a table and PASS/FAIL: agreement, earlyhelp / polars <= 1.5,
   pandas / earlyhelp >= 3.0.

Run from the repository root::

    python benchmarks/bench_measures.py                      # 1M cases, 5 rounds
    python benchmarks/bench_measures.py --cases 100000 --repeat 3
    python benchmarks/bench_measures.py --cases 10000000 --repeat 0 --contenders earlyhelp

The exit status is 1 if any check fails.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import math
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

import polars as pl
from _common import check, format_table, interleave, machine, peak_kb, spawn

POLARS_LIMIT: Final = 1.5  # earlyhelp / plain polars, at most
PANDAS_LIMIT: Final = 3.0  # plain pandas / earlyhelp, at least
CASES_PER_CASE_YEAR: Final = 2.6  # case rows per unit of cases_per_year at years=2
PROFILE: Final = "derby-2014-15"
PERIODS: Final = ("2013-14", "2014-15")
CONTENDERS: Final = ("earlyhelp", "plain polars", "plain pandas")
KEYS: Final = ("measure_id", "period", "level", "unit_id", "breakdown")
#: Generated tables no measure reads: earlyhelp loads every other table.
UNUSED: Final = ("children", "single_assessments")
#: Measures earlyhelp computes (and is timed on) that the plain scripts do not.
NOT_COMPARED: Final = ("neet_rate", "not_known_rate")
#: The tables the plain scripts read.
TABLES: Final = (
    "teams",
    "referrals",
    "cases",
    "assessments",
    "onward_referrals",
    "social_care_episodes",
    "yos_episodes",
    "population",
    "spider_scales",
    "spider_readings",
    "surveys",
    "audits",
    "audit_grades",
)


# --------------------------------------------------------------------------- data


def _folder(out: Path, cases: int, seed: int) -> Path:
    return out / f"measures_{cases}_seed{seed}"


def _write(folder: Path, cases: int, seed: int) -> dict[str, Any]:
    """Generate every table and write it as Parquet (run in a child process)."""
    import earlyhelp

    cases_per_year = max(1, math.ceil(cases / CASES_PER_CASE_YEAR))
    data = earlyhelp.generate_demo(seed=seed, cases_per_year=cases_per_year, years=2)
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in data.items():
        frame.write_parquet(folder / f"{name}.parquet")
    facts = {"cases_per_year": cases_per_year} | {n: f.height for n, f in data.items()}
    (folder / "facts.json").write_text(json.dumps(facts))
    return facts


def _prepare(out: Path, cases: int, seed: int) -> tuple[Path, dict[str, Any]]:
    folder = _folder(out, cases, seed)
    facts_file = folder / "facts.json"
    if facts_file.is_file():
        print(f"reusing {folder}")
        return folder, json.loads(facts_file.read_text())
    started = time.perf_counter()
    facts = spawn(
        __file__, ["--child", "write", str(folder), "--cases", str(cases), "--seed", str(seed)]
    )
    print(
        f"wrote {folder} in {time.perf_counter() - started:.1f}s (generate_demo seed={seed}, "
        f"cases_per_year={facts['cases_per_year']:,}, years=2; generator peak RSS "
        f"{facts['peak_kb'] / 1024:,.0f} MB)"
    )
    return folder, facts


def read(contender: str, folder: Path) -> Any:
    """The input of one contender, read from the folder (untimed)."""
    if contender == "earlyhelp":
        import earlyhelp

        files = sorted(folder.glob("*.parquet"))
        return earlyhelp.load({f.stem: f for f in files if f.stem not in UNUSED})
    if contender == "plain polars":
        return {name: pl.read_parquet(folder / f"{name}.parquet") for name in TABLES}
    import pandas as pd

    tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in TABLES}
    for frame in tables.values():  # Parquet dates come back as Python objects
        for column in frame.columns:
            if frame[column].dtype == object and _is_date(frame[column]):
                frame[column] = pd.to_datetime(frame[column])
    return tables


def _is_date(column: Any) -> bool:
    import datetime as dt

    first = column.dropna()
    return len(first) > 0 and isinstance(first.iloc[0], dt.date)


# --------------------------------------------------------------------------- contenders


def run_earlyhelp(data: Any) -> Any:
    import earlyhelp

    return earlyhelp.compute(data, profile=PROFILE, period=list(PERIODS), by="team")


def run_polars(data: Any) -> Any:
    import _plain_polars

    return _plain_polars.measures(data)


def run_pandas(data: Any) -> Any:
    import _plain_pandas

    return _plain_pandas.measures(data)


RUN: Final[dict[str, Callable[[Any], Any]]] = {
    "earlyhelp": run_earlyhelp,
    "plain polars": run_polars,
    "plain pandas": run_pandas,
}


def figures(contender: str, result: Any) -> pl.DataFrame:
    """A contender's figures in one shape, sorted: KEYS, numerator, denominator.

    earlyhelp's figures that are missing for want of data at a level (statutory
    measures by team) have no numerator and are left out; the plain scripts do
    not compute them; nor the measures in ``NOT_COMPARED``.
    """
    if contender == "earlyhelp":
        frame = result.frame.filter(
            pl.col("numerator").is_not_null() & ~pl.col("measure_id").is_in(NOT_COMPARED)
        )
    elif contender == "plain polars":
        frame = result
    else:
        frame = pl.from_pandas(result)
    return frame.select(
        *(pl.col(key).cast(pl.String) for key in KEYS),
        pl.col("numerator").cast(pl.Int64),
        pl.col("denominator").cast(pl.Int64),
    ).sort(KEYS, nulls_last=True)


def _clear_peak() -> None:
    """Reset this process's peak resident set to the current one (Linux)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _child_run(contender: str, folder: Path, result_file: Path) -> dict[str, Any]:
    """Load, then compute once alone; the peak resident set of the computation."""
    started = time.perf_counter()
    data = read(contender, folder)
    load_s, load_peak = time.perf_counter() - started, peak_kb()
    print(
        f"  {contender}: read in {load_s:.1f}s, peak RSS {load_peak / 1024:,.0f} MB",
        file=sys.stderr,
        flush=True,
    )
    gc.collect()
    _clear_peak()
    base = _rss_kb()
    started, cpu = time.perf_counter(), time.process_time()
    result = RUN[contender](data)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = peak_kb()
    figures(contender, result).write_parquet(result_file)
    return {
        "seconds": seconds,
        "cpu": cpu,
        "base_kb": base,
        "run_peak_kb": peak,
        "load_s": load_s,
        "load_peak_kb": load_peak,
    }


# --------------------------------------------------------------------------- report


def _agree(folder: Path, names: list[str]) -> tuple[bool, str]:
    frames = {name: pl.read_parquet(_result_file(folder, name)) for name in names}
    first = names[0]
    lines = []
    for name in names[1:]:
        if frames[first].equals(frames[name]):
            continue
        joined = frames[first].join(
            frames[name], on=list(KEYS), how="full", nulls_equal=True, coalesce=True, suffix="_2"
        )
        differ = joined.filter(
            pl.col("numerator").ne_missing(pl.col("numerator_2"))
            | pl.col("denominator").ne_missing(pl.col("denominator_2"))
        )
        lines.append(f"{first} vs {name}: {differ.height} figures differ")
        with pl.Config(tbl_rows=20, tbl_cols=10, tbl_width_chars=160):
            lines.append(str(differ.group_by("measure_id", "level").len().sort("measure_id")))
            lines.append(str(differ.head(20)))
    sizes = ", ".join(f"{name} {frame.height:,}" for name, frame in frames.items())
    skipped = f"; not compared (earlyhelp computes them, timed): {', '.join(NOT_COMPARED)}"
    return not lines, "\n".join([f"figures compared: {sizes}{skipped}", *lines])


def _result_file(folder: Path, contender: str) -> Path:
    """Where a contender's figures go: beside the tables, not among them."""
    results = folder / "results"
    results.mkdir(exist_ok=True)
    return results / f"{contender.replace(' ', '_')}.parquet"


def _ratios(medians: dict[str, float], kind: str, *, gating: bool) -> bool:
    ok = True
    if "earlyhelp" in medians and "plain polars" in medians:
        ratio = medians["earlyhelp"] / medians["plain polars"]
        ok &= check(
            f"vs polars ({kind})",
            ratio <= POLARS_LIMIT,
            f"earlyhelp / polars {ratio:.2f} <= {POLARS_LIMIT}",
            gating=gating,
        )
    if "earlyhelp" in medians and "plain pandas" in medians:
        ratio = medians["plain pandas"] / medians["earlyhelp"]
        ok &= check(
            f"vs pandas ({kind})",
            ratio >= PANDAS_LIMIT,
            f"pandas / earlyhelp {ratio:.2f} >= {PANDAS_LIMIT}",
            gating=gating,
        )
    return ok


def _report(
    args: argparse.Namespace,
    *,
    facts: dict[str, Any],
    folder: Path,
    wall: dict[str, list[float]],
    cpu: dict[str, list[float]],
    alone: dict[str, dict[str, Any]],
) -> bool:
    """Print the table and the checks; whether every check passed."""
    print()
    rounds = (
        f"{args.repeat} interleaved rounds after one warm-up" if args.repeat else "one run each"
    )
    print(f"{facts['cases']:,} cases; periods {', '.join(PERIODS)} with their quarters; {rounds}")
    names = list(alone)
    wall = {name: wall.get(name) or [alone[name]["seconds"]] for name in names}
    cpu = {name: cpu.get(name) or [alone[name]["cpu"]] for name in names}
    medians = {name: statistics.median(wall[name]) for name in names}
    cpu_medians = {name: statistics.median(cpu[name]) for name in names}
    base = "plain polars" if "plain polars" in names else names[0]
    rows = [
        [
            name,
            f"{medians[name]:.2f}",
            f"{min(wall[name]):.2f}",
            f"{medians[name] / medians[base]:.2f}",
            f"{cpu_medians[name]:.2f}",
            f"{cpu_medians[name] / cpu_medians[base]:.2f}",
            f"{alone[name]['seconds']:.2f}",
            f"{alone[name]['run_peak_kb'] / 1024:,.0f}",
            f"{alone[name]['base_kb'] / 1024:,.0f}",
            f"{alone[name]['load_s']:.1f}",
        ]
        for name in names
    ]
    headers = [
        "contender",
        "median s",
        "best s",
        f"vs {base}",
        "CPU s",
        "CPU vs",
        "alone s",
        "peak RSS MB",
        "after load MB",
        "load s",
    ]
    print(format_table(headers, rows))
    print(
        "median/best s: wall seconds of the interleaved runs (loading excluded); CPU s: their "
        "median user + system seconds, all threads.\nalone s, peak RSS: one more run in a fresh "
        "process after loading the inputs (after load MB: its resident set then; load s: untimed)"
    )
    print()
    agree, detail = _agree(folder, names)
    print(detail)
    ok = check("agreement", agree, f"{', '.join(names)} give identical figures")
    ok &= _ratios(medians, "wall", gating=True)
    _ratios(cpu_medians, "CPU", gating=False)
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000, help="target case rows (~1M)")
    parser.add_argument(
        "--repeat", type=int, default=5, help="timed rounds (default 5; 0: the memory run only)"
    )
    parser.add_argument(
        "--out", type=Path, default=Path("/tmp/earlyhelp-bench"), help="Parquet cache folder"
    )
    parser.add_argument("--seed", type=int, default=2015, help="generate_demo seed")
    parser.add_argument(
        "--contenders",
        default=",".join(CONTENDERS),
        help="comma-separated subset of: " + ", ".join(CONTENDERS),
    )
    parser.add_argument("--child", nargs=2, metavar=("MODE", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        mode, folder = args.child[0], Path(args.child[1])
        if mode == "write":
            result = _write(folder, args.cases, args.seed)
        else:
            result = _child_run(mode, folder, _result_file(folder, mode))
        result["peak_kb"] = peak_kb()
        print(json.dumps(result))
        return 0

    names = [name for name in CONTENDERS if name in args.contenders.split(",")]
    print(f"machine: {machine(pl)}")
    folder, facts = _prepare(args.out, args.cases, args.seed)
    print(
        f"{facts['cases']:,} cases, {facts['referrals']:,} referrals, "
        f"{facts['assessments']:,} assessments, {facts['social_care_episodes']:,} social care "
        f"episodes, {facts['yos_episodes']:,} YOS episodes",
        flush=True,
    )
    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    if args.repeat > 0:
        inputs = {}
        for name in names:
            started = time.perf_counter()
            inputs[name] = read(name, folder)
            print(f"  read for {name} in {time.perf_counter() - started:.1f}s", file=sys.stderr)
        timed = interleave(names, lambda name: RUN[name](inputs[name]), args.repeat, keep=False)
        wall, cpu = timed.seconds, timed.cpu
        del inputs, timed
        gc.collect()
    alone = {}
    for name in names:  # peak memory and the figures: one fresh process each
        alone[name] = spawn(__file__, ["--child", name, str(folder)])
        print(f"  {name} alone: {alone[name]['seconds']:.2f}s", file=sys.stderr, flush=True)

    ok = _report(args, facts=facts, folder=folder, wall=wall, cpu=cpu, alone=alone)
    print("ALL PASS" if ok else "SOME CHECKS FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
