"""Command-line commands over the measure catalogue: ``measures list|show`` and ``compute``."""

from __future__ import annotations

import argparse
from typing import Any

import polars as pl

from earlyhelp.cli._data import (
    add_allow_rejected,
    add_format_arg,
    load_checked,
    profile_arg,
    rejected_exit,
)
from earlyhelp.cli._output import (
    FORMATS,
    CliError,
    add_output,
    emit,
    output,
    progress,
    writing,
)
from earlyhelp.measures._catalogue import Catalogue, Measure
from earlyhelp.measures._compute import compute
from earlyhelp.measures._framework import catalogue_for
from earlyhelp.measures._pages import describe_measure
from earlyhelp.measures._results import Results
from earlyhelp.measures._shipped import CATALOGUE
from earlyhelp.profiles._profile import Profile

__all__ = ["add_measure_commands", "results_table"]

EXIT_OK = 0
_BY = ("team", "locality", "city")


_DEFAULT_PROFILE = "derby-2014-15"


def _reported(args: argparse.Namespace) -> tuple[Catalogue, Profile]:
    """The catalogue as the profile given reports and words it, and the profile."""
    profile = profile_arg(args.profile)
    return catalogue_for(profile, CATALOGUE), profile


def _list(args: argparse.Namespace) -> int:
    catalogue, _ = _reported(args)
    frame = pl.DataFrame(
        [(m.measure_id, m.element.value, m.unit.value, m.title) for m in catalogue],
        schema=["measure_id", "element", "unit", "title"],
        orient="row",
    )
    emit(frame, args.format)
    return EXIT_OK


def _lookup(measure_id: str, catalogue: Catalogue = CATALOGUE) -> Measure:
    try:
        return catalogue[measure_id]
    except KeyError as exc:
        raise CliError(exc.args[0]) from None


def _show(args: argparse.Namespace) -> int:
    catalogue, profile = _reported(args)
    print(describe_measure(_lookup(args.measure_id, catalogue), profile.names))
    return EXIT_OK


def results_table(results: Results, *, breakdowns: bool = False) -> pl.DataFrame:
    """The results with each figure's presented ``value`` (or the symbol for why it is missing).

    Columns: ``measure_id``, ``period``, ``level``, ``unit_id``, ``breakdown``,
    ``numerator``, ``denominator`` (exact), ``value`` (rounded for display only,
    by the profile's presentation settings in force for the period, internal
    policy) and ``missing`` (the reason in words), in the order of
    ``Results.frame``. Breakdown rows are left out unless asked.
    """
    frame = results.frame
    if not breakdowns:
        frame = frame.filter(pl.col("breakdown").is_null())
    return frame.select(
        "measure_id",
        "period",
        "level",
        "unit_id",
        "breakdown",
        "numerator",
        "denominator",
        pl.col("presented").alias("value"),
        pl.col("missing_reason").alias("missing"),
    )


def _compute(args: argparse.Namespace) -> int:
    chosen = None
    if args.measure:
        chosen = [_lookup(name).measure_id for name in args.measure]
    if args.format == "xlsx" and args.output is None:
        msg = "--format xlsx needs --output FILE (a workbook is not written to the terminal)"
        raise CliError(msg)
    if args.raw and args.format != "xlsx":
        msg = "--raw applies to --format xlsx only (the other formats are always raw)"
        raise CliError(msg)
    profile = profile_arg(args.profile)
    data = load_checked(args.data, profile, args.input_format)
    with progress("computing measures"):
        results = compute(data, profile=profile, period=args.period, by=args.by, measures=chosen)
    if args.format == "xlsx":
        with writing(args.output):
            written = results.write_xlsx(args.output, published=not args.raw)
        control = "raw figures" if args.raw else "published disclosure control"
        print(f"wrote {written} ({control}; one sheet per framework element)")
        return rejected_exit(data, args)
    # An analyst's working output: exact counts beside values rounded by the
    # profile's presentation settings, under its internal disclosure policy.
    table = results_table(results, breakdowns=args.breakdowns)
    if not args.breakdowns:
        table = table.drop("breakdown")
    if args.format == "table":
        table = table.drop("level").with_columns(pl.col("missing").fill_null(""))
    with output(args.output) as stream:
        emit(table, args.format, stream)
    return rejected_exit(data, args)


def _add_profile(parser: Any) -> None:
    parser.add_argument(
        "--profile",
        default=_DEFAULT_PROFILE,
        help="the profile whose measures, dates, citations and wording are shown "
        f"(a shipped profile's name or a file; default {_DEFAULT_PROFILE})",
    )


def add_measure_commands(commands: Any) -> None:
    """Add ``measures`` (``list``, ``show``) and ``compute`` to the command parser."""
    measures = commands.add_parser(
        "measures",
        help="list the measure catalogue or show one measure's definition",
        description="The framework's measures, as declared in the catalogue.",
    )
    actions = measures.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser(
        "list", help="every measure: id, element, unit, title", description="List the measures."
    )
    listing.add_argument("--format", choices=FORMATS, default="table", help="output format")
    _add_profile(listing)
    listing.set_defaults(run=_list)
    show = actions.add_parser(
        "show",
        help="one measure's definition",
        description="Show a measure's numerator, denominator, basis, source and citation.",
        epilog="Exit codes: 0 success; 2 unknown measure id.",
    )
    show.add_argument("measure_id", metavar="ID", help="a measure id, e.g. escalation_rate")
    _add_profile(show)
    show.set_defaults(run=_show)

    comp = commands.add_parser(
        "compute",
        help="compute the framework's measures by team, locality or the whole area",
        description="Compute every measure the profile reports (or those named with "
        "--measure) for a year and its quarters, or a quarter, per team, locality and the "
        "whole area (--by names the levels by their codes: team, locality, city; the "
        "profile's [names] say what the council calls them). Percentages roll up by ratio "
        "of sums; missing figures say why.",
        epilog="Exit codes: 0 success; 1 rows were rejected at load (the output leaves "
        "them out; --allow-rejected exits 0); 2 the command could not run (bad path, no "
        "recognised table, unknown profile or measure, malformed file or period).",
    )
    comp.add_argument(
        "data", help="folder, workbook, file, or database URL (postgresql://..., sqlite:///...)"
    )
    add_format_arg(comp)
    comp.add_argument("--profile", required=True, help="a shipped profile's name or a file")
    comp.add_argument(
        "--period",
        required=True,
        help="a financial year (with its quarters), a quarter, or a range: "
        "'2013-14:2014-15' or '2014-15 Q2:2015-16 Q1'",
    )
    comp.add_argument(
        "--by", choices=_BY, default="team", help="the lowest level to report (default team)"
    )
    comp.add_argument(
        "--measure", action="append", metavar="ID", help="only this measure (repeatable)"
    )
    comp.add_argument(
        "--breakdowns", action="store_true", help="also the breakdown rows (route, reason)"
    )
    comp.add_argument(
        "--format",
        choices=(*FORMATS, "xlsx"),
        default="table",
        help="output format; xlsx writes a workbook, one sheet per framework element, "
        "under published disclosure control unless --raw",
    )
    add_output(comp)
    comp.add_argument(
        "--raw",
        action="store_true",
        help="xlsx only: the raw figures (exact counts), not published disclosure control",
    )
    add_allow_rejected(comp)
    comp.set_defaults(run=_compute)
