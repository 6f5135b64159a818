"""Checks that need two tables: audit grades and spider scores against their scales.

A row that fails moves from accepted to rejected in its table's report, with its
source row number, so that accepted + rejected = read still holds.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Final

import attrs
import polars as pl

from earlyhelp.io._tables import SCHEMAS
from earlyhelp.io._validate import ValidatedTable
from earlyhelp.model._audit import GRADING_SCALES, OffScale

__all__ = ["check_references"]


def _reject(
    table: ValidatedTable,
    bad: pl.Series,
    field: str,
    code: str,
    message: pl.Series | pl.Expr | str,
) -> ValidatedTable:
    """Move the accepted rows where ``bad`` is true to the rejected side.

    ``message`` is one text for all, a series aligned with ``bad``, or an
    expression over the accepted rows, evaluated on the rejected ones only.
    """
    bad = bad.fill_null(value=False)
    if not bad.any():
        return table
    if isinstance(message, str):
        text = pl.lit(message, dtype=pl.String)
    elif isinstance(message, pl.Expr):
        text = pl.lit(table.accepted.filter(bad).select(message.cast(pl.String)).to_series())
    else:
        text = pl.lit(message.filter(bad).cast(pl.String))
    new_problems = pl.DataFrame({"row": table.rows.filter(bad)}).select(
        pl.col("row").cast(pl.Int64),
        pl.lit(field, dtype=pl.String).alias("field"),
        pl.lit(code, dtype=pl.String).alias("code"),
        text.alias("message"),
    )
    report = table.report
    report = attrs.evolve(
        report,
        accepted=report.accepted - new_problems.height,
        rejected=report.rejected + new_problems.height,
        problems=pl.concat([report.problems, new_problems]).sort("row", maintain_order=True),
    )
    return ValidatedTable(
        accepted=table.accepted.filter(~bad), rows=table.rows.filter(~bad), report=report
    )


def _off_scale(frame: pl.DataFrame, grade: str) -> pl.Series:
    """True where ``grade`` is given but is not a grade on the row's ``scale`` (or one not known)."""
    return frame.select(OffScale(grade).expr().fill_null(value=True)).to_series()


def _check_audits(tables: MutableMapping[str, ValidatedTable]) -> None:
    audits = tables["audits"]
    known = pl.Series(list(GRADING_SCALES), dtype=pl.String)
    frame = audits.accepted
    unknown = ~frame.get_column("scale").is_in(known.implode())
    expected = f"unknown grading scale; expected one of {', '.join(GRADING_SCALES)}"
    audits = _reject(audits, unknown, "scale", "unknown-scale", expected)
    off = _off_scale(audits.accepted, "overall_rating")
    audits = _reject(
        audits, off, "overall_rating", "grade-off-scale", "not a grade on the audit's scale"
    )
    tables["audits"] = audits
    if "audit_grades" not in tables:
        return
    grades = tables["audit_grades"]
    joined = grades.accepted.join(
        audits.accepted.select("audit_id", "scale", "completed"),
        on="audit_id",
        how="left",
        maintain_order="left",
    )
    orphan = joined.get_column("scale").is_null()
    grades = _reject(
        grades, orphan, "audit_id", "unknown-audit", "no accepted audit has this audit_id"
    )
    joined = joined.filter(~orphan)
    off = _off_scale(joined, "grade")
    message = joined.select(pl.format("not a grade on scale {}", pl.col("scale"))).to_series()
    grades = _reject(grades, off, "grade", "grade-off-scale", message)
    not_done = joined.filter(~off).get_column("completed").is_null()
    grades = _reject(
        grades, not_done, "audit_id", "audit-not-completed", "the audit has no completed date"
    )
    tables["audit_grades"] = grades


def _check_spider(tables: MutableMapping[str, ValidatedTable]) -> None:
    readings = tables["spider_readings"]
    scales = (
        tables["spider_scales"].accepted
        if "spider_scales" in tables
        else pl.DataFrame(schema=SCHEMAS["spider_scales"].polars_schema)
    )
    # The scale's range looked up by name (a handful of scales), not joined: the
    # same rows, at a fraction of a join's cost over millions of readings.
    known = scales.unique("scale", keep="first")
    names = known.get_column("scale")
    scale = pl.col("scale")
    minimum = scale.replace_strict(names, known.get_column("minimum"), default=None)
    maximum = scale.replace_strict(names, known.get_column("maximum"), default=None)
    # Two flags of a bit a reading, not each reading's range (two Int64 columns,
    # about 1 GB at 10M cases, held at the load's peak).
    flags = readings.accepted.select(
        minimum.is_null().alias("unknown"),
        (~pl.col("score").is_between(minimum, maximum)).fill_null(value=False).alias("outside"),
    )
    unknown = flags.get_column("unknown")
    readings = _reject(
        readings, unknown, "scale", "unknown-scale", "no such scale in spider_scales"
    )
    outside = flags.get_column("outside").filter(~unknown)
    message = pl.format("expected a score from {} to {}", minimum, maximum)
    readings = _reject(readings, outside, "score", "score-off-scale", message)
    tables["spider_readings"] = _check_graphs(readings)


_DAY: Final = pl.col("reading_date")
_START: Final = pl.col("stage") == "start"
_END: Final = pl.col("stage") == "end"
_DAYS: Final = (
    pl.when(_START).then(_DAY).min().alias("first_start"),
    pl.when(_START).then(_DAY).max().alias("last_start"),
    pl.when(_END).then(_DAY).min().alias("first_end"),
    pl.when(_END).then(_DAY).max().alias("last_end"),
    pl.when(~_START).then(_DAY).min().alias("first_not_start"),
    pl.when(~_END).then(_DAY).max().alias("last_not_end"),
)
"""Each graph's first and last days of its start, its end, and its other readings."""
_OUT_OF_ORDER: Final = (
    (pl.col("first_start") != pl.col("last_start"))
    | (pl.col("first_end") != pl.col("last_end"))
    | (pl.col("first_not_start") < pl.col("first_start"))
    | (pl.col("last_not_end") > pl.col("last_end"))
)
"""A graph whose readings are not start, reviews, end in date order.

More than one start or end date; or a reading other than the start dated before
it; or one other than the end dated after it (on one day the stages may be in
any order, as the stage breaks a tie of dates). Reviews among themselves have no
order. One aggregation of plain minima and maxima, no sort and no groups
gathered (measured at a fifth of sorting the readings). With the two flags of
:func:`_check_spider`, at 10M cases: 0.5 GB less at the load's peak than
filtering each group's readings, and 1.7 GB less held after the load."""


def _check_graphs(readings: ValidatedTable) -> ValidatedTable:
    """Reject every row of a graph whose readings cannot form a :class:`SpiderGraph`.

    The graph's own rule, in bulk: at most one start and one end reading, and
    stages in order (start, reviews, end) when the readings are in date order.
    """
    days = readings.accepted.lazy().group_by("graph_id").agg(_DAYS)
    graphs = days.filter(_OUT_OF_ORDER).select("graph_id").collect().to_series()
    if graphs.is_empty():
        return readings
    rows = readings.accepted.get_column("graph_id").is_in(graphs.implode())
    message = pl.format(
        "graph {}: expected readings start, reviews, end in date order, "
        "with at most one start and one end",
        pl.col("graph_id"),
    )
    return _reject(readings, rows, "stage", "graph-out-of-order", message)


def check_references(tables: MutableMapping[str, ValidatedTable]) -> None:
    """Apply every two-table check whose tables are both present, in place."""
    if "audits" in tables:
        _check_audits(tables)
    if "spider_readings" in tables:
        _check_spider(tables)
