"""Benchmark: earlyhelp against a hand-written DuckDB SQL script, CSV files to every figure.

The SQL contender (``measures.sql``, run by ``_sql_duckdb.py``) computes every
measure of the catalogue for 2013-14 and 2014-15, their quarters, every team,
locality and the city, under the profile ``derby-2014-15``, from the measure
definitions, in plain SQL. It reads the CSV files that
``earlyhelp generate DIR --cases-per-year N`` writes.

Steps:

1. Generate the CSV files once (``earlyhelp generate``, seeded) into a cache folder.
2. **Agreement first.** Run each contender once in a fresh process that writes its
   figures (measure, period, level, unit, breakdown, numerator, denominator) to
   Parquet. Compare every contender's figures with earlyhelp's, row by row. Any
   difference fails the run loudly, before a single time is reported.
3. **Times.** ``--repeat`` rounds after one warm-up round; each round runs every
   contender once as a fresh process, the starting contender moving along by one
   each round. Per run: the wall time of the whole process (interpreter start,
   imports, reading the CSV files, computing, exit) as the parent sees it; the
   compute time alone, which the process measures itself (earlyhelp:
   ``eh.compute`` after ``eh.load``; SQL: the script after the CSV files are in
   tables; plain scripts: ``measures()`` after the reads); and the process's
   peak resident set (``VmHWM``, which starts afresh at ``exec``; see
   ``_common.py`` for why not ``ru_maxrss``).
4. Print medians and ratios to the SQL contender.

Contenders: ``earlyhelp`` (``eh.load`` of the tables the measures read, then
``eh.compute(data, profile="derby-2014-15", period=["2013-14", "2014-15"],
by="team")``), ``sql`` (DuckDB), and the plain ``polars`` and ``pandas`` scripts
(``_plain_polars.py``, ``_plain_pandas.py``), which cover every figure but the two
NEET rates; those two are compared between earlyhelp and SQL only.

Run from the repository root, with ``pip install -e ".[bench]"``::

    python benchmarks/bench_sql.py --cases 100000 --repeat 3
    python benchmarks/bench_sql.py                               # 1M cases, 5 rounds
    python benchmarks/bench_sql.py --contenders earlyhelp,sql --check-only

The exit status is 1 if the figures disagree.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # a child's own clock, from before its imports

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any, Final  # noqa: E402

PROFILE: Final = "derby-2014-15"
YEARS: Final = ("2013-14", "2014-15")
CONTENDERS: Final = ("earlyhelp", "sql", "polars", "pandas")
KEYS: Final = ("measure_id", "period", "level", "unit_id", "breakdown")
CASES_PER_CASE_YEAR: Final = 2.6  # case rows per unit of --cases-per-year, two years
#: Measures a contender does not compute; they are compared among the others only.
NOT_COVERED: Final = {
    "polars": ("neet_rate", "not_known_rate"),
    "pandas": ("neet_rate", "not_known_rate"),
}
#: Measures the SQL does not compute (none), stated on both sides of the comparison.
EXCLUDED: Final[tuple[str, ...]] = ()
#: Tables earlyhelp loads: those the SQL reads, and the team around the family
#: involvements (a catalogue measure, in force from 2015-16, so with no figures here).
EH_TABLES: Final = ("tac_involvements",)


# --------------------------------------------------------------------------- child side


def _peak_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def _csv_schema(table: str) -> dict[str, Any]:
    import polars as pl
    from _sql_duckdb import TYPES

    kinds = {"DATE": pl.Date, "INTEGER": pl.Int64, "BOOLEAN": pl.Boolean, "VARCHAR": pl.String}
    return {column: kinds[kind] for column, kind in TYPES[table].items()}


def _load(contender: str, folder: Path) -> Any:
    from _sql_duckdb import TYPES

    if contender == "earlyhelp":
        import earlyhelp as eh

        tables = (*TYPES, *EH_TABLES)
        return eh.load({name: folder / f"{name}.csv" for name in tables})
    if contender == "sql":
        from _sql_duckdb import connect

        return connect(folder)
    if contender == "polars":
        import polars as pl

        return {
            name: pl.read_csv(folder / f"{name}.csv", schema_overrides=_csv_schema(name))
            for name in TYPES
        }
    import pandas as pd

    out = {}
    for name, types in TYPES.items():
        dates = [column for column, kind in types.items() if kind == "DATE"]
        text = {column: str for column, kind in types.items() if kind == "VARCHAR"}
        out[name] = pd.read_csv(folder / f"{name}.csv", parse_dates=dates, dtype=text)
    return out


def _compute(contender: str, data: Any) -> Any:
    if contender == "earlyhelp":
        import earlyhelp as eh

        return eh.compute(data, profile=PROFILE, period=list(YEARS), by="team")
    if contender == "sql":
        from _sql_duckdb import run

        run(data, YEARS)
        return data
    if contender == "polars":
        import _plain_polars

        return _plain_polars.measures(data)
    import _plain_pandas

    return _plain_pandas.measures(data)


def _write_figures(contender: str, result: Any, path: Path) -> None:
    """A contender's figures, in one shape: KEYS, numerator, denominator."""
    if contender == "sql":
        target = str(path).replace("'", "''")
        result.execute(f"COPY figures TO '{target}' (FORMAT parquet)")
        return
    import polars as pl

    if contender == "earlyhelp":
        frame = result.frame.filter(pl.col("numerator").is_not_null())
    elif contender == "polars":
        frame = result
    else:
        frame = pl.from_pandas(result)
    frame.write_parquet(path)


#: The modules each contender imports before it reads (timed as imports).
IMPORTS: Final = {
    "earlyhelp": ("earlyhelp",),
    "sql": ("duckdb", "_sql_duckdb"),
    "polars": ("polars", "_plain_polars"),
    "pandas": ("pandas", "_plain_pandas"),
}


def child(contender: str, folder: Path, figures: Path | None) -> dict[str, Any]:
    """Read the CSV files, compute every figure; the times and the peak, as a dict."""
    import importlib

    for module in IMPORTS[contender]:
        importlib.import_module(module)
    read_at = time.perf_counter()
    data = _load(contender, folder)
    compute_at = time.perf_counter()
    result = _compute(contender, data)
    done_at = time.perf_counter()
    if figures is not None:
        _write_figures(contender, result, figures)
    return {
        "imports_s": read_at - STARTED,
        "load_s": compute_at - read_at,
        "compute_s": done_at - compute_at,
        "peak_kb": _peak_kb(),
    }


# --------------------------------------------------------------------------- parent side


def generate(out: Path, cases: int, seed: int) -> Path:
    """The CSV files for about ``cases`` case rows, generated once into a cache folder."""
    per_year = max(1, math.ceil(cases / CASES_PER_CASE_YEAR))
    folder = out / f"csv_{per_year}_seed{seed}"
    done = folder / ".complete"
    if done.is_file():
        print(f"reusing {folder}")
        return folder
    command = [
        str(Path(sys.executable).with_name("earlyhelp")),
        "generate",
        str(folder),
        "--cases-per-year",
        str(per_year),
        "--seed",
        str(seed),
    ]
    started = time.perf_counter()
    subprocess.run(command, check=True)
    done.write_text(" ".join(command[1:]))
    print(
        f"generated {folder} in {time.perf_counter() - started:.1f}s: earlyhelp {' '.join(command[1:])}"
    )
    return folder


def spawn(contender: str, folder: Path, figures: Path | None = None) -> dict[str, Any]:
    """One contender in a fresh process; its report, with the wall time seen from here."""
    command = [sys.executable, __file__, "--child", contender, str(folder)]
    if figures is not None:
        command += ["--figures", str(figures)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    report["wall_s"] = wall
    # children run one at a time, so the difference is this one's user + system seconds
    report["cpu_s"] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return report


def read_figures(path: Path, leave_out: tuple[str, ...] = ()) -> Any:
    """Figures from a contender's Parquet file, typed and sorted, some measures left out.

    Breakdown rows where nothing was counted (numerator 0, denominator 0 or none) are
    left out, on every side alike: earlyhelp gives every value of a breakdown's code
    list a figure in every unit and period, the SQL and the plain scripts only the
    values counted there. Totals are always compared, zero or not.
    """
    import polars as pl

    frame = pl.read_parquet(path).select(
        *(pl.col(key).cast(pl.String) for key in KEYS),
        pl.col("numerator").cast(pl.Int64),
        pl.col("denominator").cast(pl.Int64),
    )
    nothing_counted = (
        pl.col("breakdown").is_not_null()
        & (pl.col("numerator") == 0)
        & (pl.col("denominator").fill_null(0) == 0)
    )
    return frame.filter(~pl.col("measure_id").is_in(list(leave_out)) & ~nothing_counted).sort(
        KEYS, nulls_last=True
    )


def differences(left: Any, right: Any, names: tuple[str, str]) -> Any:
    """Rows whose figures differ, or that only one side has (empty when they agree)."""
    import polars as pl

    joined = left.with_columns(pl.lit(True).alias("_left")).join(
        right.with_columns(pl.lit(True).alias("_right")),
        on=list(KEYS),
        how="full",
        nulls_equal=True,
        coalesce=True,
        suffix="_r",
    )
    differ = joined.filter(
        pl.col("_left").is_null()
        | pl.col("_right").is_null()
        | pl.col("numerator").ne_missing(pl.col("numerator_r"))
        | pl.col("denominator").ne_missing(pl.col("denominator_r"))
    )
    a, b = names
    return differ.select(
        *KEYS,
        pl.col("numerator").alias(f"{a} n"),
        pl.col("denominator").alias(f"{a} d"),
        pl.col("numerator_r").alias(f"{b} n"),
        pl.col("denominator_r").alias(f"{b} d"),
    )


def agree(folder: Path, names: list[str]) -> tuple[bool, list[str]]:
    """Compare every contender's figures with earlyhelp's (or the first's), row by row."""
    import polars as pl

    reference = "earlyhelp" if "earlyhelp" in names else names[0]
    lines, ok = [], True
    for name in names:
        if name == reference:
            continue
        leave_out = EXCLUDED + NOT_COVERED.get(name, ()) + NOT_COVERED.get(reference, ())
        ours = read_figures(_figures_file(folder, reference), leave_out)
        theirs = read_figures(_figures_file(folder, name), leave_out)
        differ = differences(ours, theirs, (reference, name))
        measures = ours.get_column("measure_id").n_unique()
        left = f"; left out: {', '.join(leave_out)}" if leave_out else ""
        if differ.height == 0:
            lines.append(
                f"AGREE  {reference} vs {name}: {ours.height:,} figures of {measures} "
                f"measures identical{left}"
            )
            continue
        ok = False
        lines.append(f"DIFFER {reference} vs {name}: {differ.height:,} figures differ{left}")
        with pl.Config(tbl_rows=30, tbl_cols=12, tbl_width_chars=200):
            lines.append(str(differ.group_by("measure_id", "level").len().sort("measure_id")))
            lines.append(str(differ.head(30)))
    return ok, lines


def _figures_file(folder: Path, contender: str) -> Path:
    results = folder / "results"
    results.mkdir(exist_ok=True)
    return results / f"{contender}.parquet"


def _table(rows: list[list[str]], headers: list[str]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(cells)
        )

    head = line(headers)
    return "\n".join([head, "-" * len(head), *(line(r) for r in rows)])


def report(runs: dict[str, list[dict[str, Any]]]) -> str:
    """The table of medians, with ratios to the SQL contender."""

    def median(name: str, key: str) -> float:
        return statistics.median(run[key] for run in runs[name])

    base = "sql" if "sql" in runs else next(iter(runs))
    rows = []
    for name, measured in runs.items():
        wall, compute = median(name, "wall_s"), median(name, "compute_s")
        peak = median(name, "peak_kb") / 1024
        rows.append(
            [
                name,
                f"{wall:.2f}",
                f"{min(run['wall_s'] for run in measured):.2f}",
                f"{wall / median(base, 'wall_s'):.2f}",
                f"{median(name, 'cpu_s'):.2f}",
                f"{median(name, 'cpu_s') / median(base, 'cpu_s'):.2f}",
                f"{median(name, 'imports_s'):.2f}",
                f"{median(name, 'load_s'):.2f}",
                f"{compute:.2f}",
                f"{compute / median(base, 'compute_s'):.2f}",
                f"{peak:,.0f}",
                f"{peak / (median(base, 'peak_kb') / 1024):.2f}",
            ]
        )
    headers = [
        "contender",
        "wall s",
        "best s",
        f"wall/{base}",
        "CPU s",
        f"CPU/{base}",
        "imports s",
        "read s",
        "compute s",
        f"compute/{base}",
        "peak RSS MB",
        f"RSS/{base}",
    ]
    notes = (
        "wall s: the whole process (start, imports, read CSV, compute, exit), median; best s: its\n"
        "minimum; CPU s: its user + system seconds, all threads (RUSAGE_CHILDREN), median;\n"
        "imports s / read s / compute s: measured inside the process, medians;\n"
        "peak RSS: VmHWM of the process, median"
    )
    return _table(rows, headers) + "\n" + notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000, help="target case rows")
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds after a warm-up")
    parser.add_argument("--seed", type=int, default=2015, help="generator seed")
    parser.add_argument(
        "--out", type=Path, default=Path("/tmp/earlyhelp-bench-sql"), help="CSV cache folder"
    )
    parser.add_argument("--folder", type=Path, help="use these CSV files instead of generating")
    parser.add_argument(
        "--contenders",
        default=",".join(CONTENDERS),
        help="comma-separated subset of: " + ", ".join(CONTENDERS),
    )
    parser.add_argument("--check-only", action="store_true", help="compare figures, no timing")
    parser.add_argument("--child", nargs=2, metavar=("CONTENDER", "DIR"), help=argparse.SUPPRESS)
    parser.add_argument("--figures", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]), args.figures)))
        return 0

    names = [name for name in CONTENDERS if name in args.contenders.split(",")]
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"nproc {os.cpu_count()}; load average {load}; python {sys.version.split()[0]}")
    folder = args.folder or generate(args.out, args.cases, args.seed)
    with (folder / "cases.csv").open("rb") as cases:
        rows = sum(1 for _ in cases) - 1
    print(f"{rows:,} cases in {folder}")

    # 1. agreement, before any time
    for name in names:
        spawn(name, folder, _figures_file(folder, name))
    ok, lines = agree(folder, names)
    print("\n".join(lines))
    if not ok:
        print("FAIL: the figures differ; no times are reported", file=sys.stderr)
        return 1
    if args.check_only or args.repeat <= 0:
        return 0

    # 2. interleaved whole-process runs
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    for round_ in range(args.repeat + 1):
        shift = round_ % len(names)
        for name in [*names[shift:], *names[:shift]]:
            result = spawn(name, folder)
            if round_ > 0:  # round 0 warms the page cache and the imports
                runs[name].append(result)
        print(f"  round {round_}/{args.repeat} done", file=sys.stderr, flush=True)
    print()
    print(f"{rows:,} cases; {args.repeat} interleaved rounds after one warm-up")
    print(report(runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
