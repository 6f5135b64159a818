"""Command-line commands over data: ``demo``, ``generate`` and ``validate``."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from earlyhelp.cli._output import CliError, progress, writing
from earlyhelp.cli._publishing import financial_year, write_annual_report
from earlyhelp.demo._generate import demo_path, write_demo
from earlyhelp.demo._profiled import demo_shape
from earlyhelp.demo._shape import DERBY as SOURCE_SHAPE
from earlyhelp.io import FORMATS as INPUT_FORMATS
from earlyhelp.io._dataset import Dataset, load
from earlyhelp.io._exports import write_csv
from earlyhelp.measures._summary import caseload_summary, format_table
from earlyhelp.periods._periods import FinancialYear, Quarter, parse_period
from earlyhelp.profiles._profile import Profile, load_profile
from earlyhelp.rules._quality import check_quality
from earlyhelp.rules._quality_checks import Severity

__all__ = [
    "add_allow_rejected",
    "add_data_commands",
    "add_format_arg",
    "load_checked",
    "load_data",
    "profile_arg",
    "rejected_exit",
]

EXIT_OK = 0
EXIT_REJECTED = 1

_PERIODS_HELP = "quarters to show, e.g. '2013-14:2014-15' or '2014-15 Q1:2014-15 Q4'"


def load_data(
    path: Path | str, profile: Profile | None = None, format: str | None = None
) -> Dataset:
    """Load a folder, workbook, file or database, with progress shown on a terminal.

    The profile's ``[mapping]`` maps the council's own names and codes; nothing
    recognised at ``path`` is an error (exit code 2) naming what was expected.
    """
    with progress(f"loading {path}"):
        return load(path, profile=profile, format=format)


def add_format_arg(parser: argparse.ArgumentParser) -> None:
    """The ``--input-format`` option: read DATA as this format instead of recognising it."""
    parser.add_argument(
        "--input-format",
        choices=INPUT_FORMATS,
        help="read DATA as this format instead of recognising it from names and headers",
    )


def load_checked(
    path: Path | str, profile: Profile | None = None, format: str | None = None
) -> Dataset:
    """Load ``path`` for a command that computes from it, loudly when data is bad.

    When rows were rejected, the load summary goes to standard error (the
    command goes on; see :func:`rejected_exit` for its exit code).

    Raises:
        CliError: no file or sheet named a table (exit 2).
    """
    data = load_data(path, profile, format)
    if not data.report.tables:
        msg = (
            f"{path}: no table recognised; expected files or sheets named after tables "
            "(cases.csv, referrals.xlsx, ...)"
        )
        raise CliError(msg)
    if not data.report.ok:
        print(f"earlyhelp: {data.report.rejected:,} rows were rejected at load:", file=sys.stderr)
        for table in data.report.tables:
            if table.rejected:
                print(table.summary(), file=sys.stderr)
    return data


def rejected_exit(data: Dataset, args: argparse.Namespace) -> int:
    """1 if rows were rejected at load and ``--allow-rejected`` was not given, else 0."""
    if data.report.ok or args.allow_rejected:
        return EXIT_OK
    print(
        "earlyhelp: rows were rejected at load (see above); "
        "the output leaves them out. Pass --allow-rejected to exit 0 all the same.",
        file=sys.stderr,
    )
    return EXIT_REJECTED


def add_allow_rejected(command: argparse.ArgumentParser) -> None:
    """Add ``--allow-rejected`` to a command that computes from loaded data."""
    command.add_argument(
        "--allow-rejected",
        action="store_true",
        help="exit 0 even if rows were rejected at load (they are left out either way)",
    )


def profile_arg(name: str) -> Profile:
    """Load a profile by shipped name or file (errors are :class:`ProfileError`)."""
    return load_profile(name)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        msg = f"expected a date as YYYY-MM-DD, got {text!r}"
        raise argparse.ArgumentTypeError(msg) from None


def _quarter_range(text: str | None) -> tuple[Quarter | None, Quarter | None]:
    if text is None:
        return None, None
    first_text, _, last_text = text.partition(":")
    first, last = parse_period(first_text), parse_period(last_text or first_text)
    start = first.quarters()[0] if isinstance(first, FinancialYear) else first
    end = last.quarters()[-1] if isinstance(last, FinancialYear) else last
    if end < start:
        msg = f"--periods {text!r}: the first period must not be after the last"
        raise CliError(msg)
    return start, end


def _print_summary(data: Dataset, periods: str | None, locality: bool) -> None:
    first, last = _quarter_range(periods)
    summary = caseload_summary(data, first=first, last=last)
    if not locality:
        summary = summary.filter(summary.get_column("locality_id") == "city")
    print("\nEarly help cases by quarter (open_at_end: open at the end of the quarter's last day)")
    print(format_table(summary))


def _demo(args: argparse.Namespace) -> int:
    year = financial_year(args.year)
    profile = profile_arg(args.profile)
    source, out = demo_path(), args.out
    if out is None and demo_shape(profile) != SOURCE_SHAPE:  # the bundled data is the city's
        out = args.report_dir / "data"
    if out is not None:
        with progress(f"generating the demo dataset into {out}"), writing(out):
            write_demo(out, seed=args.seed, profile=profile)
        source = Path(out)
        print(
            f"wrote the demo dataset (seed {args.seed}, profile {profile.profile_id}) to {source}"
        )
    data = load_data(source, profile)
    print(f"Loaded {source}\n")
    print(data.report)
    _print_summary(data, args.periods, args.by_locality)
    html, markdown, workbook = write_annual_report(data, profile, year, args.report_dir)
    print(f"\nwrote the {year.label} annual report: {html} (and {markdown.name}, {workbook.name})")
    return EXIT_OK


def _generate(args: argparse.Namespace) -> int:
    if (args.cases_per_year is not None and args.cases_per_year < 1) or args.years < 1:
        msg = "--cases-per-year and --years must be at least 1"
        raise CliError(msg)
    profile = None if args.profile is None else profile_arg(args.profile)
    with progress(f"generating {args.years} years into {args.directory}"), writing(args.directory):
        paths = write_demo(
            args.directory,
            seed=args.seed,
            cases_per_year=args.cases_per_year,
            years=args.years,
            profile=profile,
        )
    print(f"wrote {len(paths)} tables to {args.directory}")
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    if args.exceptions is not None and args.profile is None:
        msg = "--exceptions needs --profile (the data-quality rules come from a profile)"
        raise CliError(msg)
    if args.exceptions is not None and args.exceptions.suffix.lower() not in {".csv", ".xlsx"}:
        msg = f"--exceptions {args.exceptions}: expected a .csv or .xlsx file name"
        raise CliError(msg)
    profile = None if args.profile is None else profile_arg(args.profile)
    data = load_data(args.data, profile, args.input_format)
    if not data.report.tables:
        msg = (
            f"{args.data}: no table recognised; expected files or sheets named after tables "
            "(cases.csv, referrals.xlsx, ...)"
        )
        raise CliError(msg)
    print(data.report)
    ok = data.report.ok
    if args.problems is not None:
        problems = data.report.problems()
        with writing(args.problems):
            write_csv(problems, args.problems)
        print(f"wrote {problems.height:,} problems to {args.problems}")
    if profile is not None:
        extract = args.extract_date or dt.date.today()
        with progress("checking data quality"):
            quality = check_quality(data, profile=profile, extract_date=extract)
        print()
        print(quality)
        errors = quality.exceptions.filter(
            quality.exceptions.get_column("severity") == Severity.ERROR.value
        ).height
        ok = ok and errors == 0
        if args.exceptions is not None:
            with writing(args.exceptions):
                if args.exceptions.suffix.lower() == ".xlsx":
                    quality.write_xlsx(args.exceptions)
                else:
                    quality.write_csv(args.exceptions)
            print(f"wrote {quality.exceptions.height:,} exceptions to {args.exceptions}")
    if args.summary:
        _print_summary(data, args.periods, args.by_locality)
    return EXIT_OK if ok else EXIT_REJECTED


def add_data_commands(commands: Any) -> None:
    """Add ``demo``, ``generate`` and ``validate`` to the command parser."""
    demo = commands.add_parser(
        "demo",
        help="load the bundled demo dataset, summarise it and write the annual report",
        description="Load the bundled synthetic dataset (or generate one), show how it "
        "loaded and the early help caseload by quarter, and write the annual impact "
        "report (HTML and Markdown) from it. With another council's --profile, generate "
        "data shaped like that council's (its areas, teams, codes and re-referral window).",
    )
    demo.add_argument(
        "--out",
        type=Path,
        help="generate a fresh demo dataset into this folder (for a profile with areas of "
        "its own, the default is REPORT_DIR/data)",
    )
    demo.add_argument("--seed", type=int, default=2015, help="random seed (default 2015)")
    demo.add_argument("--periods", default="2013-14:2014-15", help=_PERIODS_HELP)
    demo.add_argument("--by-locality", action="store_true", help="one row per locality too")
    demo.add_argument(
        "--report-dir",
        type=Path,
        default=Path("earlyhelp-demo-report"),
        help="folder to write the annual report into (default earlyhelp-demo-report)",
    )
    demo.add_argument("--year", default="2014-15", help="the report's year (default 2014-15)")
    demo.add_argument(
        "--profile",
        default="derby-demo",
        help="the report's profile, which also shapes generated data (default derby-demo: "
        "the source city's framework with demonstration targets)",
    )
    demo.set_defaults(run=_demo)

    generate = commands.add_parser(
        "generate",
        help="write a synthetic dataset of any size as CSV files",
        description="Write a seeded synthetic dataset shaped like the source city, or like "
        "a profile's council (--profile).",
    )
    generate.add_argument("directory", type=Path, help="folder to write <table>.csv files into")
    generate.add_argument("--seed", type=int, default=2015, help="random seed (default 2015)")
    generate.add_argument(
        "--cases-per-year",
        type=int,
        default=None,
        help="new cases a year (default the council's: 1500 for the source city)",
    )
    generate.add_argument(
        "--profile",
        help="shape the data like this profile's council: its areas, teams, closure-reason "
        "codes and re-referral window (default the source city)",
    )
    generate.add_argument("--years", type=int, default=2, help="financial years (default 2)")
    generate.set_defaults(run=_generate)

    validate = commands.add_parser(
        "validate",
        help="load data, report rejected rows and data-quality exceptions",
        description="Load DATA (a folder of <table>.csv/.xlsx/.parquet/.json files or an "
        "XLSX workbook with one sheet per table) and report every rejected row. With "
        "--profile, also run the profile's data-quality rules.",
        epilog="Exit codes: 0 every row loaded and no data-quality errors; 1 rows were "
        "rejected or data-quality errors were found; 2 the command could not run.",
    )
    validate.add_argument(
        "data", help="folder, workbook, file, or database URL (postgresql://..., sqlite:///...)"
    )
    add_format_arg(validate)
    validate.add_argument("--problems", type=Path, help="write every rejected row to this CSV")
    validate.add_argument(
        "--profile", help="run this profile's data-quality rules (a shipped name or a file)"
    )
    validate.add_argument(
        "--extract-date",
        type=_date,
        help="the day the data were extracted, YYYY-MM-DD (default today); "
        "chooses the quality settings in force",
    )
    validate.add_argument(
        "--exceptions", type=Path, help="write data-quality exceptions to this .csv or .xlsx"
    )
    validate.add_argument("--summary", action="store_true", help="also summarise the caseload")
    validate.add_argument("--periods", default=None, help=_PERIODS_HELP)
    validate.add_argument("--by-locality", action="store_true", help="one row per locality too")
    validate.set_defaults(run=_validate)
