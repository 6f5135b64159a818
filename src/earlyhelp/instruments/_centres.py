"""Children's centres: how many inspections reached each Ofsted judgement."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import polars as pl

from earlyhelp.model._centres import CentreInspection, OfstedJudgement

__all__ = ["judgement_counts", "judgement_counts_of"]


def judgement_counts(
    inspections: pl.DataFrame, start: dt.date, end: dt.date, *, by: str | None = None
) -> pl.DataFrame:
    """Inspections from ``start`` to ``end`` (inclusive) per judgement, best first, zeros kept.

    Args:
        inspections: the ``centre_inspections`` table.
        start: first day counted.
        end: last day counted.
        by: a column to group by, e.g. ``"locality_id"``.

    Returns:
        Columns ``[by,] judgement, count`` (count is Int64).

    Example:
        >>> import datetime as dt
        >>> inspections = pl.DataFrame({"inspection_id": ["I1", "I2"],
        ...     "inspected": [dt.date(2014, 11, 3), dt.date(2015, 4, 1)],
        ...     "judgement": ["requires_improvement", "good"]})
        >>> judgement_counts(inspections, dt.date(2014, 4, 1), dt.date(2015, 3, 31)).rows()
        [('outstanding', 0), ('good', 0), ('requires_improvement', 1), ('inadequate', 0)]
    """
    keys = [by] if by else []
    chosen = inspections.filter(pl.col("inspected").is_between(start, end, closed="both"))
    scale = pl.DataFrame({"judgement": [j.value for j in OfstedJudgement]}).with_row_index("_o")
    frame = scale
    if keys:
        frame = chosen.select(keys).unique(maintain_order=True).join(scale, how="cross")
    counts = chosen.group_by([*keys, pl.col("judgement").cast(pl.String)]).agg(
        pl.len().cast(pl.Int64).alias("count")
    )
    return (
        frame.join(counts, on=[*keys, "judgement"], how="left")
        .with_columns(pl.col("count").fill_null(0))
        .sort([*keys, "_o"])
        .select(*keys, "judgement", "count")
    )


def judgement_counts_of(
    inspections: Iterable[CentreInspection], start: dt.date, end: dt.date
) -> dict[OfstedJudgement, int]:
    """:func:`judgement_counts` for inspection records, one at a time.

    Example:
        >>> import datetime as dt
        >>> one = CentreInspection(inspection_id="I1", cluster_id="CL1", locality_id="L1",
        ...     inspected=dt.date(2014, 11, 3), judgement="requires_improvement")
        >>> judgement_counts_of([one], dt.date(2014, 4, 1), dt.date(2015, 3, 31))[
        ...     OfstedJudgement.REQUIRES_IMPROVEMENT]
        1
    """
    counts = dict.fromkeys(OfstedJudgement, 0)
    for inspection in inspections:
        if start <= inspection.inspected <= end:
            counts[inspection.judgement] += 1
    return counts
