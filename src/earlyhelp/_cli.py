"""The ``earlyhelp`` command line.

Exit codes: 0 success; 1 the data loaded but some rows were rejected
(``validate``); 2 the command could not run (bad arguments, unreadable file,
missing required column).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from earlyhelp._dataset import Dataset, load
from earlyhelp._demo import demo_path, write_demo
from earlyhelp._periods import FinancialYear, Quarter, parse_period
from earlyhelp._readers import LoadError
from earlyhelp._summary import caseload_summary, format_table

__all__ = ["main"]

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_ERROR = 2


def _quarter_range(text: str | None) -> tuple[Quarter | None, Quarter | None]:
    if text is None:
        return None, None
    first_text, _, last_text = text.partition(":")
    first, last = parse_period(first_text), parse_period(last_text or first_text)
    start = first.quarters()[0] if isinstance(first, FinancialYear) else first
    end = last.quarters()[-1] if isinstance(last, FinancialYear) else last
    return start, end


def _print_summary(data: Dataset, periods: str | None, locality: bool) -> None:
    first, last = _quarter_range(periods)
    summary = caseload_summary(data, first=first, last=last)
    if not locality:
        summary = summary.filter(summary.get_column("locality_id") == "city")
    print("\nEarly help cases by quarter (open_at_end: open at the end of the quarter's last day)")
    print(format_table(summary))


def _demo(args: argparse.Namespace) -> int:
    source = demo_path()
    if args.out is not None:
        write_demo(args.out, seed=args.seed)
        source = Path(args.out)
        print(f"wrote the demo dataset (seed {args.seed}) to {source}")
    data = load(source)
    print(f"Loaded {source}\n")
    print(data.report)
    _print_summary(data, args.periods, args.by_locality)
    return EXIT_OK


def _generate(args: argparse.Namespace) -> int:
    paths = write_demo(
        args.directory, seed=args.seed, cases_per_year=args.cases_per_year, years=args.years
    )
    print(f"wrote {len(paths)} tables to {args.directory}")
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    data = load(args.data)
    print(data.report)
    if args.problems is not None:
        problems = data.report.problems()
        problems.write_csv(args.problems)
        print(f"wrote {problems.height:,} problems to {args.problems}")
    if args.summary:
        _print_summary(data, args.periods, args.by_locality)
    return EXIT_OK if data.report.ok else EXIT_REJECTED


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="earlyhelp",
        description="Load, validate and summarise early help data.",
        epilog="Exit codes: 0 success; 1 rows were rejected; 2 the command could not run.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    periods_help = "quarters to show, e.g. '2013-14:2014-15' or '2014-15 Q1:2014-15 Q4'"
    demo = commands.add_parser(
        "demo",
        help="load the bundled demo dataset, validate it and summarise it",
        description="Load the bundled synthetic dataset (or generate one), show how it "
        "loaded and the early help caseload by quarter.",
    )
    demo.add_argument("--out", type=Path, help="generate a fresh demo dataset into this folder")
    demo.add_argument("--seed", type=int, default=2015, help="random seed (default 2015)")
    demo.add_argument("--periods", default="2013-14:2014-15", help=periods_help)
    demo.add_argument("--by-locality", action="store_true", help="one row per locality too")
    demo.set_defaults(run=_demo)

    generate = commands.add_parser(
        "generate",
        help="write a synthetic dataset of any size as CSV files",
        description="Write a seeded synthetic dataset shaped like the source city.",
    )
    generate.add_argument("directory", type=Path, help="folder to write <table>.csv files into")
    generate.add_argument("--seed", type=int, default=2015, help="random seed (default 2015)")
    generate.add_argument(
        "--cases-per-year", type=int, default=1500, help="new cases a year (default 1500)"
    )
    generate.add_argument("--years", type=int, default=2, help="financial years (default 2)")
    generate.set_defaults(run=_generate)

    validate = commands.add_parser(
        "validate",
        help="load a folder, workbook or file set and report rejected rows",
        description="Load DATA (a folder of <table>.csv/.xlsx/.parquet/.json files or an "
        "XLSX workbook with one sheet per table) and report every rejected row.",
    )
    validate.add_argument("data", type=Path, help="folder or workbook to load")
    validate.add_argument("--problems", type=Path, help="write every problem to this CSV")
    validate.add_argument("--summary", action="store_true", help="also summarise the caseload")
    validate.add_argument("--periods", default=None, help=periods_help)
    validate.add_argument("--by-locality", action="store_true", help="one row per locality too")
    validate.set_defaults(run=_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        code: int = args.run(args)
    except (LoadError, ValueError, OSError) as exc:
        print(f"earlyhelp: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
