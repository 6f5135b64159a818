"""Benchmark: ``earlyhelp.load`` of synthetic case rows from CSV against a bare ``polars.read_csv``.

Acceptance criterion: loading and validating 1M synthetic case rows from CSV takes
at most 2x the time of a bare ``polars.read_csv`` of the same file, measured side
by side in one run, with peak memory under 1 GB.

Steps:

1. In a child process (so that the generator's memory is not held by the timing
   process), make ``--rows`` case rows with :func:`earlyhelp.generate_demo` and
   write them as CSV; write a copy with about 1% of rows corrupted in realistic
   ways, so that the rejection path is measured too.
2. Time, interleaved and repeated, on each file: bare ``pl.read_csv(path)``,
   ``pl.read_csv(path, infer_schema=False)`` and ``earlyhelp.load({"cases": path})``.
3. Measure each contender's peak resident memory in a fresh child process each:
   the child's ``VmHWM`` from ``/proc/self/status``. (tracemalloc cannot see
   polars' Rust allocations, and on Linux ``ru_maxrss``, even a child's from
   ``wait4`` or ``RUSAGE_CHILDREN``, carries over the RSS the parent had when it
   forked, so it would report the timing process's peak; ``VmHWM`` starts afresh
   at ``exec``.)
4. Print a table and PASS/FAIL for ratio <= 2.0 and peak < 1024 MB, and check that
   accepted + rejected == read (and that the rejections are the ones planted).

Run from the repository root::

    python benchmarks/bench_load.py                # 1M rows, 5 repeats
    python benchmarks/bench_load.py --rows 100000 --repeat 3 --out /tmp/bench

The exit status is 1 if any check fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import polars as pl
from _common import check, format_table, interleave, machine, peak_kb, spawn

RATIO_LIMIT: Final = 2.0
PEAK_LIMIT_MB: Final = 1024.0
CORRUPT_FRACTION: Final = 0.01
CASES_PER_CASE_YEAR: Final = 2.6  # cases rows per unit of cases_per_year at years=2 (~2.70)

# Each corruption: (kind, whether the row must be rejected). Every corrupted row
# gets exactly one kind, so the planted rejections can be counted exactly.
CORRUPTIONS: Final = (
    ("bad-date", True),  # 2014-02-30, 31/13/2014, Excel serial, "unknown", 2014/03/31
    ("uk-date", False),  # opened (and closed) as DD/MM/YYYY: valid, accepted
    ("closed-before-opened", True),
    ("unknown-closure-reason", True),  # "NFA", "Closed - other", ...
    ("blank-id", True),  # episode_id or person_id empty
    ("padded-id", False),  # " C0000012 ", "T1U ": valid after trimming, accepted
    ("duplicate-id", True),  # an episode_id used on another (clean) row
    ("level-out-of-range", True),  # level_of_need 0, 5, "Level 2"
)
_BAD_DATES: Final = ("2014-02-30", "31/13/2014", "41730", "unknown", "2014/03/31", "2014-13-01")
_BAD_REASONS: Final = ("NFA", "Closed - other", "Unknown", "Transferred to CAMHS")
_BAD_LEVELS: Final = ("0", "5", "Level 2", "2.5")


# --------------------------------------------------------------------------- data


def _cases(rows: int, seed: int) -> tuple[pl.DataFrame, int]:
    """The first ``rows`` rows of a generated cases table, and the cases_per_year used."""
    import earlyhelp

    cases_per_year = max(1, math.ceil(rows / CASES_PER_CASE_YEAR))
    while True:
        cases = earlyhelp.generate_demo(seed=seed, cases_per_year=cases_per_year, years=2)["cases"]
        if cases.height >= rows:
            return cases.head(rows), cases_per_year
        cases_per_year = math.ceil(cases_per_year * rows / max(cases.height, 1) * 1.05)


def corrupt(cases: pl.DataFrame, seed: int) -> tuple[pl.DataFrame, dict[str, int]]:
    """A text copy of ``cases`` with ~1% of rows corrupted, one corruption kind each.

    Returns:
        The corrupted all-text frame and the number of rows of each kind.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    text = cases.select(pl.all().cast(pl.String))
    n = text.height
    n_bad = max(len(CORRUPTIONS), round(n * CORRUPT_FRACTION))
    if n_bad * 2 > n:
        msg = f"{n} rows is too few to corrupt"
        raise ValueError(msg)
    chosen = rng.choice(n, size=n_bad, replace=False)
    closed = cases.get_column("closed").is_not_null().to_numpy()
    # closed-before-opened and unknown reasons need a closed case: take those first.
    with_closed = chosen[closed[chosen]]
    per_kind = n_bad // len(CORRUPTIONS)
    needs_closed = {"closed-before-opened", "unknown-closure-reason"}
    pools: dict[str, np.ndarray[Any, Any]] = {}
    start = 0
    for kind in sorted(needs_closed):
        pools[kind] = with_closed[start : start + per_kind]
        start += per_kind
    used = set(np.concatenate(list(pools.values())).tolist())
    rest = np.array([i for i in chosen.tolist() if i not in used], dtype=np.int64)
    rng.shuffle(rest)
    others = [kind for kind, _ in CORRUPTIONS if kind not in needs_closed]
    for position, kind in enumerate(others):
        stop = len(rest) if position == len(others) - 1 else (position + 1) * per_kind
        pools[kind] = rest[position * per_kind : stop]

    updates: dict[str, dict[int, str | None]] = {name: {} for name in text.columns}

    def value(name: str, i: int) -> str | None:
        return updates[name].get(i, text.item(i, name))

    def uk(iso: str | None) -> str | None:
        return None if iso is None else f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"

    for i in pools["bad-date"].tolist():
        target = "opened" if rng.random() < 0.5 or value("closed", i) is None else "closed"
        updates[target][i] = str(rng.choice(_BAD_DATES))
    for i in pools["uk-date"].tolist():
        updates["opened"][i], updates["closed"][i] = uk(value("opened", i)), uk(value("closed", i))
    for i in pools["closed-before-opened"].tolist():
        days = dt.timedelta(days=int(rng.integers(1, 90)))
        updates["closed"][i] = (cases.item(i, "opened") - days).isoformat()
    for i in pools["unknown-closure-reason"].tolist():
        updates["closure_reason"][i] = str(rng.choice(_BAD_REASONS))
    for i in pools["blank-id"].tolist():
        updates["episode_id" if rng.random() < 0.5 else "person_id"][i] = None
    for i in pools["padded-id"].tolist():
        name = str(rng.choice(["episode_id", "person_id", "team_id"]))
        updates[name][i] = f" {value(name, i)} " if rng.random() < 0.5 else f"{value(name, i)} "
    clean = np.setdiff1d(np.arange(n), chosen)
    sources = rng.choice(clean, size=len(pools["duplicate-id"]), replace=False)
    for i, j in zip(pools["duplicate-id"].tolist(), sources.tolist(), strict=True):
        updates["episode_id"][i] = value("episode_id", j)
    for i in pools["level-out-of-range"].tolist():
        updates["level_of_need"][i] = str(rng.choice(_BAD_LEVELS))

    frame = text.with_columns(
        text.get_column(name).scatter(list(changes), list(changes.values()))
        for name, changes in updates.items()
        if changes
    )
    return frame, {kind: len(pools[kind]) for kind, _ in CORRUPTIONS}


def _child_write(out: Path, rows: int, seed: int) -> dict[str, Any]:
    cases, cases_per_year = _cases(rows, seed)
    clean, dirty = _paths(out, rows)
    cases.write_csv(clean)  # dates are written as ISO YYYY-MM-DD
    corrupted, kinds = corrupt(cases, seed + 1)
    corrupted.write_csv(dirty)
    rejecting = {kind for kind, rejected in CORRUPTIONS if rejected}
    return {
        "cases_per_year": cases_per_year,
        "kinds": kinds,
        "expected_rejected": sum(count for kind, count in kinds.items() if kind in rejecting),
    }


def _paths(out: Path, rows: int) -> tuple[Path, Path]:
    return out / f"cases_{rows}.csv", out / f"cases_{rows}_corrupt.csv"


# ----------------------------------------------------------------------- contenders


def _read_csv(path: Path) -> dict[str, Any]:
    return {"read": pl.read_csv(path).height}


def _read_csv_text(path: Path) -> dict[str, Any]:
    return {"read": pl.read_csv(path, infer_schema=False).height}


def _load(path: Path) -> dict[str, Any]:
    import earlyhelp

    report = earlyhelp.load({"cases": path}).report["cases"]
    codes = report.problems.get_column("code").value_counts(sort=True).rows()
    return {
        "read": report.read,
        "accepted": report.accepted,
        "rejected": report.rejected,
        "codes": dict(codes),
    }


CONTENDERS: Final[dict[str, Callable[[Path], dict[str, Any]]]] = {
    "pl.read_csv": _read_csv,
    "pl.read_csv(infer_schema=False)": _read_csv_text,
    "earlyhelp.load": _load,
}


def _child(mode: str, argument: str, rows: int, seed: int) -> None:
    """Run one job in this (child) process and print its result as JSON."""
    if mode == "write":
        result = _child_write(Path(argument), rows, seed)
    else:
        if mode == "earlyhelp.load":
            import earlyhelp  # noqa: F401 - count the import in the baseline, not the run
        base = peak_kb()
        started = time.perf_counter()
        result = CONTENDERS[mode](Path(argument))
        result |= {"seconds": time.perf_counter() - started, "base_kb": base}
    result["peak_kb"] = peak_kb()
    print(json.dumps(result))


def _spawn(mode: str, argument: str, rows: int = 0, seed: int = 0) -> dict[str, Any]:
    """Run ``mode`` in a fresh python process and return its JSON result."""
    return spawn(__file__, ["--child", mode, argument, "--rows", str(rows), "--seed", str(seed)])


# ------------------------------------------------------------------------ timing


@dataclass
class Timings:
    """The timed runs of one contender on one file."""

    contender: str
    file: str
    seconds: list[float] = field(default_factory=list)
    peak_mb: float = math.nan
    base_mb: float = math.nan
    error: str | None = None
    """The exception the contender raised on this file, if it raised one."""
    detail: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def best(self) -> float:
        return min(self.seconds)


def _time_interleaved(files: dict[str, Path], repeat: int) -> dict[tuple[str, str], Timings]:
    """Time every contender on every file, one warm-up round, then ``repeat`` rounds.

    Each round runs all contenders once, starting at a different one each round,
    so that slow drift of the machine's load falls on all of them alike. A
    contender that raises on a file (e.g. a default read_csv infers
    level_of_need as an integer from the first rows, then meets "Level 2" and
    gives up on the file) is reported, not timed.
    """
    jobs = [(label, name) for label in files for name in CONTENDERS]
    timed = interleave(
        jobs, lambda job: CONTENDERS[job[1]](files[job[0]]), repeat, catch=True, keep=False
    )
    timings = {}
    for label, name in jobs:
        t = Timings(name, label, seconds=timed.seconds[label, name])
        if (label, name) in timed.errors:
            exc = timed.errors[label, name]
            t.error, t.detail = f"raises {type(exc).__name__}", str(exc).splitlines()[0]
        timings[label, name] = t
    return timings


# ------------------------------------------------------------------------ report


def _reference(timings: dict[tuple[str, str], Timings], label: str) -> Timings:
    """The bare read_csv the ratio is taken to: this file's, or the clean file's if it failed."""
    bare = timings[label, "pl.read_csv"]
    return bare if bare.error is None else timings["clean", "pl.read_csv"]


def _table(timings: dict[tuple[str, str], Timings]) -> str:
    headers = [
        "file",
        "contender",
        "median s",
        "best s",
        "ratio",
        "peak RSS MB",
        "after imports MB",
    ]
    rows: list[list[str]] = []
    errors: list[str] = []
    for (label, _), t in timings.items():
        if t.error is not None:
            rows.append([label, t.contender, *["-"] * 5])
            errors.append(f"{label} {t.contender} {t.error}: {t.detail}")
            continue
        bare = _reference(timings, label)
        mark = "" if bare.file == label else "*"
        rows.append(
            [
                label,
                t.contender,
                f"{t.median:.3f}",
                f"{t.best:.3f}",
                f"{t.median / bare.median:.2f}{mark or ' '}",
                f"{t.peak_mb:.0f}",
                f"{t.base_mb:.0f}",
            ]
        )
    lines = [format_table(headers, rows, left=2), *errors]
    if any(t.error is not None for t in timings.values()):
        lines.append(
            "ratio = median / median of bare pl.read_csv of the same file; "
            "* = of the clean file (same rows), where the bare read of this one raises"
        )
    else:
        lines.append("ratio = median / median of bare pl.read_csv of the same file")
    return "\n".join(lines)


def _prepare(out: Path, rows: int, seed: int, *, reuse: bool) -> tuple[Path, Path, dict[str, Any]]:
    """Write (or reuse) the clean and corrupted CSV files; their paths and the write info."""
    clean, dirty = _paths(out, rows)
    info_file = out / f"cases_{rows}_seed{seed}.json"
    if reuse and clean.is_file() and dirty.is_file() and info_file.is_file():
        print(f"reusing {clean} and {dirty}")
        return clean, dirty, json.loads(info_file.read_text())
    started = time.perf_counter()
    info = _spawn("write", str(out), rows, seed)
    info_file.write_text(json.dumps(info))
    print(
        f"wrote {clean.name} ({clean.stat().st_size / 1e6:.0f} MB) and {dirty.name} in "
        f"{time.perf_counter() - started:.1f}s (generate_demo seed={seed}, cases_per_year="
        f"{info['cases_per_year']}, years=2; generator peak RSS {info['peak_kb'] / 1024:.0f} MB)"
    )
    return clean, dirty, info


def _checks(
    timings: dict[tuple[str, str], Timings],
    results: dict[str, dict[str, Any]],
    rows: int,
    planted: int,
) -> bool:
    """Print PASS/FAIL for time, memory and row counts on each file.

    The acceptance criterion is time and memory on the clean file (generate_demo's
    rows as written). The corrupted file's time and memory are printed for the
    rejection path but do not fail the run; on both files, a load that raises or
    whose counts do not add up (or miss a planted rejection) does.

    Returns:
        Whether every gating check passed.
    """
    ok = True
    for label in ("clean", "corrupt"):
        gating = label == "clean"
        load, bare = timings[label, "earlyhelp.load"], _reference(timings, label)
        if load.error is not None:
            ok &= check(f"{label} load", False, f"earlyhelp.load {load.error}: {load.detail}")
            continue
        counts = results[f"{label}/earlyhelp.load"]
        print(
            f"{label}: read {counts['read']:,}, accepted {counts['accepted']:,}, "
            f"rejected {counts['rejected']:,}; problems by code: {counts['codes']}"
        )
        ratio = load.median / bare.median
        ok &= check(
            f"{label} time",
            ratio <= RATIO_LIMIT,
            f"ratio {ratio:.2f} <= {RATIO_LIMIT}",
            gating=gating,
        )
        ok &= check(
            f"{label} memory",
            load.peak_mb < PEAK_LIMIT_MB,
            f"peak RSS {load.peak_mb:.0f} MB < {PEAK_LIMIT_MB:.0f} MB",
            gating=gating,
        )
        ok &= check(
            f"{label} counts",
            counts["accepted"] + counts["rejected"] == counts["read"] == rows,
            f"{counts['accepted']:,} + {counts['rejected']:,} == {counts['read']:,} == {rows:,}",
        )
        expected = 0 if label == "clean" else planted
        ok &= check(
            f"{label} rejections",
            counts["rejected"] == expected,
            f"rejected {counts['rejected']:,} == planted {expected:,}",
        )
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="case rows (default 1M)")
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds (default 5)")
    parser.add_argument("--out", type=Path, help="folder for the CSV files (default: a temp dir)")
    parser.add_argument("--seed", type=int, default=2015, help="generate_demo seed")
    parser.add_argument("--reuse", action="store_true", help="reuse CSV files already in --out")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "ARG"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child[0], args.child[1], args.rows, args.seed)
        return 0

    out = args.out or Path(tempfile.mkdtemp(prefix="earlyhelp-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    print(f"machine: {machine(pl)}")
    try:
        clean, dirty, info = _prepare(out, args.rows, args.seed, reuse=args.reuse)
        print(f"corrupted rows by kind: {info['kinds']}", flush=True)
        files = {"clean": clean, "corrupt": dirty}
        timings = _time_interleaved(files, args.repeat)
        results: dict[str, dict[str, Any]] = {}
        for (label, name), t in timings.items():  # peak memory: one fresh process each
            if t.error is None:
                result = _spawn(name, str(files[label]))
                t.peak_mb, t.base_mb = result["peak_kb"] / 1024, result["base_kb"] / 1024
                results[f"{label}/{name}"] = result
        print(flush=True)
        print(f"{args.rows:,} case rows, {args.repeat} interleaved rounds after one warm-up")
        print(_table(timings))
        print()
        ok = _checks(timings, results, args.rows, info["expected_rejected"])
        print("ALL PASS" if ok else "SOME CHECKS FAILED")
        return 0 if ok else 1
    finally:
        if args.out is None:
            shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
