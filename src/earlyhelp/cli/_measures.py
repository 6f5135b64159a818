"""Command-line commands over the measure catalogue: ``measures list|show`` and ``compute``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import polars as pl

from earlyhelp.cli._data import add_allow_rejected, load_checked, profile_arg, rejected_exit
from earlyhelp.cli._output import FORMATS, CliError, add_output, emit, output, progress
from earlyhelp.measures._catalogue import Measure
from earlyhelp.measures._compute import compute, expand_periods
from earlyhelp.measures._results import Results
from earlyhelp.measures._shipped import CATALOGUE, measure
from earlyhelp.report._figures import FigureTexts, settings_for

__all__ = ["add_measure_commands", "results_table"]

EXIT_OK = 0
_BY = ("team", "locality", "city")


def _list(args: argparse.Namespace) -> int:
    frame = pl.DataFrame(
        [(m.measure_id, m.element.value, m.unit.value, m.title) for m in CATALOGUE],
        schema=["measure_id", "element", "unit", "title"],
        orient="row",
    )
    emit(frame, args.format)
    return EXIT_OK


def _lookup(measure_id: str) -> Measure:
    try:
        return measure(measure_id)
    except KeyError as exc:
        raise CliError(exc.args[0]) from None


def describe(item: Measure) -> str:
    """A measure's definition as lines of text, as ``earlyhelp measures show`` prints it."""
    lines = [
        f"{item.measure_id}: {item.title}",
        f"  element:     {item.element.heading}",
        f"  unit:        {item.unit.value.replace('_', ' ')}",
        f"  polarity:    {item.polarity.value.replace('_', ' ')}",
        f"  description: {item.description}",
        f"  numerator:   {item.numerator.definition} "
        f"({item.numerator.table}, {item.numerator.basis.value} on {item.numerator.date})",
    ]
    if item.denominator is not None:
        part = item.denominator
        lines.append(
            f"  denominator: {part.definition} ({part.table}, {part.basis.value} on {part.date})"
        )
    lines += [
        f"  levels:      {', '.join(level.value for level in item.levels)}",
        f"  breakdowns:  {', '.join(item.breakdowns) or '(none)'}",
        f"  source:      {item.source}",
        f"  citation:    {item.citation}",
        f"  in force:    {item.effective}",
    ]
    return "\n".join(lines)


def _show(args: argparse.Namespace) -> int:
    item = _lookup(args.measure_id)
    print(describe(item))
    return EXIT_OK


def results_table(
    results: Results, texts: FigureTexts, *, breakdowns: bool = False
) -> pl.DataFrame:
    """The results with each figure's shown ``value`` (or the symbol for why it is missing).

    Columns: ``measure_id``, ``period``, ``level``, ``unit_id``, ``breakdown``,
    ``numerator``, ``denominator`` (exact), ``value`` (rounded for display only,
    by ``texts``) and ``missing`` (the reason in words). Breakdown rows are left
    out unless asked.
    """
    rows = []
    for result in results:
        if result.breakdown is not None and not breakdowns:
            continue
        rows.append(
            (
                result.measure_id,
                result.period,
                result.level.value,
                result.unit_id,
                result.breakdown,
                result.numerator,
                result.denominator,
                texts.value(result.measure_id, result.period, result.unit_id, result.breakdown),
                None if result.missing is None else result.missing.reason,
            )
        )
    order = {measure_id: i for i, measure_id in enumerate(CATALOGUE.ids())}
    levels = {"team": 0, "locality": 1, "city": 2}
    rows.sort(
        key=lambda r: (order.get(r[0], len(order)), r[1], levels.get(r[2], 3), r[3], r[4] or "")
    )
    return pl.DataFrame(
        rows,
        schema={
            "measure_id": pl.String,
            "period": pl.String,
            "level": pl.String,
            "unit_id": pl.String,
            "breakdown": pl.String,
            "numerator": pl.Int64,
            "denominator": pl.Int64,
            "value": pl.String,
            "missing": pl.String,
        },
        orient="row",
    )


def _compute(args: argparse.Namespace) -> int:
    chosen = None
    if args.measure:
        chosen = [_lookup(name).measure_id for name in args.measure]
    profile = profile_arg(args.profile)
    data = load_checked(args.data)
    with progress("computing measures"):
        results = compute(data, profile=profile, period=args.period, by=args.by, measures=chosen)
    last = max(expand_periods(args.period), key=lambda period: period.end)
    settings, _ = settings_for(profile, last.end)
    # An analyst's working output: exact counts beside values rounded by the
    # profile's presentation settings, under its internal disclosure policy.
    texts = FigureTexts(results, settings, published=False)
    table = results_table(results, texts, breakdowns=args.breakdowns)
    if not args.breakdowns:
        table = table.drop("breakdown")
    if args.format == "table":
        table = table.drop("level").with_columns(pl.col("missing").fill_null(""))
    with output(args.output) as stream:
        emit(table, args.format, stream)
    return rejected_exit(data, args)


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
    listing.set_defaults(run=_list)
    show = actions.add_parser(
        "show",
        help="one measure's definition",
        description="Show a measure's numerator, denominator, basis, source and citation.",
        epilog="Exit codes: 0 success; 2 unknown measure id.",
    )
    show.add_argument("measure_id", metavar="ID", help="a measure id, e.g. escalation_rate")
    show.set_defaults(run=_show)

    comp = commands.add_parser(
        "compute",
        help="compute the framework's measures by team, locality or city",
        description="Compute every measure (or those named with --measure) for a year and "
        "its quarters, or a quarter, per team, locality and the city. Percentages roll up "
        "by ratio of sums; missing figures say why.",
        epilog="Exit codes: 0 success; 1 rows were rejected at load (the output leaves "
        "them out; --allow-rejected exits 0); 2 the command could not run (bad path, no "
        "recognised table, unknown profile or measure, malformed file or period).",
    )
    comp.add_argument("data", type=Path, help="folder or workbook to load")
    comp.add_argument("--profile", required=True, help="a shipped profile's name or a file")
    comp.add_argument(
        "--period", required=True, help="a financial year (with its quarters) or a quarter"
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
    comp.add_argument("--format", choices=FORMATS, default="table", help="output format")
    add_output(comp)
    add_allow_rejected(comp)
    comp.set_defaults(run=_compute)
