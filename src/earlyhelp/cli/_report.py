"""Command-line command that publishes: ``report`` (the annual impact report)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from earlyhelp.cli._data import (
    add_allow_rejected,
    add_format_arg,
    load_checked,
    profile_arg,
    rejected_exit,
)
from earlyhelp.cli._publishing import financial_year, write_annual_report

__all__ = ["add_report_commands"]

EXIT_OK = 0


def _report(args: argparse.Namespace) -> int:
    year = financial_year(args.year)
    profile = profile_arg(args.profile)
    data = load_checked(args.data, profile, args.input_format)
    html, markdown, workbook = write_annual_report(
        data, profile, year, args.out, reproduction=args.reproduce_source
    )
    print(f"wrote {html}")
    print(f"wrote {markdown} (charts in {markdown.with_name(markdown.stem + '_files')})")
    print(f"wrote {workbook}")
    return rejected_exit(data, args)


def add_report_commands(commands: Any) -> None:
    """Add ``report`` to the command parser."""
    report = commands.add_parser(
        "report",
        help="write the annual impact report as self-contained HTML, Markdown and XLSX",
        description="Compute the framework's measures for YEAR and the year before and write "
        "the annual impact report into OUT: one self-contained HTML page (charts inline, "
        "nothing fetched from the network), a Markdown file with its charts beside it, and an "
        "XLSX workbook of the same published tables and charts.",
        epilog="Exit codes: 0 success; 1 rows were rejected at load (the report is written, "
        "with a 'Data excluded' section; --allow-rejected exits 0); 2 the command could not "
        "run (bad path, no recognised table, unknown profile, malformed file, a year that is "
        "not a financial year, an output that cannot be written).",
    )
    report.add_argument(
        "data", help="folder, workbook, file, or database URL (postgresql://..., sqlite:///...)"
    )
    add_format_arg(report)
    report.add_argument("--profile", required=True, help="a shipped profile's name or a file")
    report.add_argument("--year", required=True, help="the financial year, e.g. 2014-15")
    report.add_argument(
        "--out", type=Path, default=Path("report"), help="folder to write into (default report)"
    )
    report.add_argument(
        "--reproduce-source",
        action="store_true",
        help="append the source report's published figures beside the recomputed ones",
    )
    add_allow_rejected(report)
    report.set_defaults(run=_report)
