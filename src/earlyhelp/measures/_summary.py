"""A first look at a dataset: early help cases by locality and quarter."""

from __future__ import annotations

import polars as pl

from earlyhelp.io._dataset import Dataset
from earlyhelp.periods._periods import Quarter, during_expr, open_at_expr, quarters_between

__all__ = ["caseload_summary", "format_table"]


def caseload_summary(
    data: Dataset, *, first: Quarter | None = None, last: Quarter | None = None
) -> pl.DataFrame:
    """Early help cases by locality and quarter: opened, closed, open at quarter end.

    ``opened`` and ``closed`` count events during the quarter (both ends
    inclusive); ``open_at_end`` counts cases open at the end of its last day, so
    a case closed on that day is not counted (stock). The city total is a row
    with locality ``"city"``.

    Args:
        data: the dataset.
        first: the first quarter (default: the quarter of the earliest opening).
        last: the last quarter (default: the quarter of the latest opening or closure).

    Returns:
        One row per quarter and locality, in order.

    Example:
        >>> import earlyhelp as eh
        >>> summary = eh.caseload_summary(eh.load(eh.demo_path()))
        >>> summary.columns
        ['quarter', 'locality_id', 'opened', 'closed', 'open_at_end']
        >>> city = summary.filter(pl.col("locality_id") == "city")
        >>> parts = summary.filter(pl.col("locality_id") != "city")
        >>> city["open_at_end"].sum() == parts["open_at_end"].sum()
        True
    """
    cases = data["cases"]
    schema = {
        "quarter": pl.String,
        "locality_id": pl.String,
        "opened": pl.Int64,
        "closed": pl.Int64,
        "open_at_end": pl.Int64,
    }
    if cases.is_empty():
        return pl.DataFrame(schema=schema)
    if first is None:
        first = Quarter.containing(cases.get_column("opened").min())  # type: ignore[arg-type]
    if last is None:
        latest = cases.select(pl.max_horizontal(pl.col("opened").max(), pl.col("closed").max()))
        last = Quarter.containing(latest.item())
    frames = []
    for quarter in quarters_between(first, last):
        counts = [
            during_expr("opened", quarter).sum().alias("opened"),
            during_expr("closed", quarter).fill_null(value=False).sum().alias("closed"),
            open_at_expr("opened", "closed", quarter.end).sum().alias("open_at_end"),
        ]
        by_locality = cases.group_by("locality_id").agg(counts).sort("locality_id")
        city = cases.select(pl.lit("city").alias("locality_id"), *counts)
        frames.append(
            pl.concat([by_locality, city]).select(pl.lit(quarter.label).alias("quarter"), pl.all())
        )
    return pl.concat(frames).cast(schema)  # type: ignore[arg-type]


def format_table(frame: pl.DataFrame) -> str:
    """A plain-text table with aligned columns and thousands separators."""
    header = frame.columns
    rows = [
        [f"{value:,}" if isinstance(value, int) else str(value) for value in row]
        for row in frame.iter_rows()
    ]
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)
    ]
    numeric = [dtype.is_integer() for dtype in frame.dtypes]

    def line(cells: list[str]) -> str:
        return "  ".join(
            cell.rjust(width) if num else cell.ljust(width)
            for cell, width, num in zip(cells, widths, numeric, strict=True)
        ).rstrip()

    out = [line(header), line(["-" * w for w in widths])]
    out.extend(line(row) for row in rows)
    return "\n".join(out)
