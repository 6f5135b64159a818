"""Benchmark: the instrument rule families (spider direction, survey answers, NEET cohort, audits).

Acceptance criteria (issue 11, one definition per rule family):

* bulk flags no slower than before the change (run this script against the
  older tree too, with ``PYTHONPATH=<old checkout>/src``: it times whichever
  names that tree has, ``spider_directions`` or ``flag_spider_graphs``);
* a single per-record call (``judge_direction``, ``is_answer_counted``,
  ``is_in_neet_cohort``) at most 2 ms median;
* bulk explanations (``explain=True``) at least 100,000 a second.

Steps: make the tables once with :func:`earlyhelp.generate_demo` (written as
Parquet to a temporary directory in a child process, so the generator's memory
is not held here), read them, then time each task ``--repeat`` times after one
warm-up and print medians. Run it alone on a quiet machine, briefly::

    python benchmarks/bench_instrument_rules.py                 # ~20k cases a year
    python benchmarks/bench_instrument_rules.py --cases 5000 --repeat 3

The exit status is 1 if a check that applies to this tree fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

import attrs
import polars as pl

import earlyhelp
from earlyhelp import instruments
from earlyhelp.io import SCHEMAS, frame_to_records, frames_to_spider_graphs
from earlyhelp.profiles import OnMissing

PER_RECORD_LIMIT_MS: Final = 2.0
EXPLAINED_LIMIT: Final = 100_000
TABLES: Final = ("spider_scales", "spider_readings", "surveys", "neet", "audits")


def _write(out: Path, cases: int, seed: int) -> None:
    data = earlyhelp.generate_demo(seed=seed, cases_per_year=cases, years=2, neet_cohort=cases)
    for name in TABLES:
        data[name].write_parquet(out / f"{name}.parquet")


CPU: dict[str, float] = {}
"""The median CPU seconds (all threads) of each bulk task: on a shared machine they
show the work done, which other jobs' load changes far less than wall time."""


def _median(task: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Median and fastest time of ``repeat`` runs after a warm-up (a shared machine is noisy).

    The median CPU seconds go to ``CPU["last"]``.
    """
    result = task()  # warm-up
    times, cpu = [], []
    for _ in range(repeat):
        started, used = time.perf_counter(), time.process_time()
        result = task()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    CPU["last"] = statistics.median(cpu)
    return statistics.median(times), min(times), result


def _per_record(task: Callable[[Any], Any], records: list[Any]) -> float:
    for record in records[:20]:
        task(record)  # warm-up
    times = []
    for record in records:
        started = time.perf_counter()
        task(record)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=20_000, help="cases a year (and NEET cohort)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--records", type=int, default=300, help="per-record calls timed")
    parser.add_argument("--seed", type=int, default=2015)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _write(args.child, args.cases, args.seed)
        return 0
    out = Path(tempfile.mkdtemp(prefix="bench_instruments_"))
    subprocess.run(
        [sys.executable, __file__, "--child", str(out), "--cases", str(args.cases)],
        check=True,
    )
    data = {name: pl.read_parquet(out / f"{name}.parquet") for name in TABLES}
    profile = attrs.evolve(earlyhelp.load_profile("derby-2014-15"), on_missing=OnMissing.LENIENT)
    print(f"earlyhelp from {Path(earlyhelp.__file__).parent}")
    print(", ".join(f"{name} {frame.height:,} rows" for name, frame in data.items()))
    new = hasattr(instruments, "flag_spider_graphs")
    spider = getattr(instruments, "flag_spider_graphs", None) or instruments.spider_directions
    failed = False
    rows: list[tuple[str, float, float, float, int]] = []

    def bulk(label: str, task: Callable[[], pl.DataFrame | Any]) -> Any:
        seconds, fastest, result = _median(task, args.repeat)
        height = result.height if isinstance(result, pl.DataFrame) else 0
        rows.append((label, seconds, fastest, CPU["last"], height))
        return result

    scales, readings, surveys = data["spider_scales"], data["spider_readings"], data["surveys"]
    definition = instruments.neet_cohort_definition(2014)
    bulk("spider flags", lambda: spider(scales, readings, profile=profile))
    bulk("survey flags (helped)", lambda: instruments.flag_survey_answers(
        surveys, "helped", profile=profile))  # fmt: skip
    bulk("neet figures 2014-15", lambda: instruments.neet_figures(
        data["neet"], definition, academic_year=2014))  # fmt: skip
    bulk("audit completion 2014-15", lambda: instruments.audit_completion(
        data["audits"], dt.date(2014, 4, 1), dt.date(2015, 3, 31)))  # fmt: skip
    if new:
        graphs = bulk("spider flags, explain", lambda: spider(
            scales, readings, profile=profile, explain=True))  # fmt: skip
        forms = bulk("survey flags, explain", lambda: instruments.flag_survey_answers(
            surveys, "helped", profile=profile, explain=True))  # fmt: skip
        cohort = bulk("neet cohort flags, explain", lambda: instruments.flag_neet_cohort(
            data["neet"], explain=True))  # fmt: skip
        bulk("neet cohort flags", lambda: instruments.flag_neet_cohort(data["neet"]))
        del graphs, forms, cohort
    print(
        f"\n{'task':32} {'median s':>10} {'min s':>8} {'cpu s':>8} {'rows':>8}"
        f" {'rows/s (median)':>16} {'rows/cpu s':>12}"
    )
    for label, seconds, fastest, cpu, height in rows:
        rate = f"{height / seconds:16,.0f}" if height else f"{'':>16}"
        per_cpu = f"{height / cpu:12,.0f}" if height and cpu else f"{'':>12}"
        print(f"{label:32} {seconds:10.4f} {fastest:8.4f} {cpu:8.4f} {height:8,} {rate} {per_cpu}")
        if label.endswith("explain") and height / seconds < EXPLAINED_LIMIT:
            failed = True
            print(f"  FAIL: fewer than {EXPLAINED_LIMIT:,} explanations a second")
    if not new:
        return int(failed)
    return int(_per_record_checks(data, profile, args.records, args.seed) or failed)


def _per_record_checks(data: dict[str, pl.DataFrame], profile: Any, n: int, seed: int) -> bool:
    """Time the per-record calls; True if one is over its limit."""
    failed = False
    scales, readings, surveys = data["spider_scales"], data["spider_readings"], data["surveys"]
    sample_graphs = frames_to_spider_graphs(
        scales,
        readings.filter(
            pl.col("graph_id").is_in(readings["graph_id"].unique().sort()[:n].to_list())
        ),
    )
    sample_graphs = [g for g in sample_graphs if any(r.scores for r in g.readings)]
    sample_forms = list(frame_to_records(surveys.head(n), SCHEMAS["surveys"]))
    sample_neet = list(frame_to_records(data["neet"].sample(n, seed=seed), SCHEMAS["neet"]))
    timings = {
        "judge_direction": _per_record(
            lambda g: instruments.judge_direction(g, profile=profile), sample_graphs
        ),
        "is_answer_counted": _per_record(
            lambda f: instruments.is_answer_counted(f, "helped", profile=profile), sample_forms
        ),
        "is_in_neet_cohort": _per_record(instruments.is_in_neet_cohort, sample_neet),
    }
    print(f"\n{'per-record call':32} {'median ms':>10}")
    for label, ms in timings.items():
        verdict = "PASS" if ms <= PER_RECORD_LIMIT_MS else "FAIL"
        failed |= ms > PER_RECORD_LIMIT_MS
        print(f"{label:32} {ms:10.3f}  {verdict} (at most {PER_RECORD_LIMIT_MS} ms)")
    return failed


if __name__ == "__main__":
    sys.exit(main())
