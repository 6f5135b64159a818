"""Case file audits: completion rate, grade distributions and good-or-better shares.

Everything works on the ``audits`` and ``audit_grades`` tables in polars, and
each rule is written once: an audit is *completed* when it has a completed date
(:func:`flag_audits`, used by :func:`audit_completion`, the
``audit_completion_rate`` measure and the annual report alike), and
not-applicable grades (empty) are never graded: they are left out of every
distribution and every denominator.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Final

import attrs
import polars as pl

from earlyhelp.errors import ArgumentError, RecordError
from earlyhelp.model._audit import AUDIT_COMPLETED, GRADING_SCALES, GradingScale, OffScale

__all__ = [
    "COMPLETED",
    "AuditCompletion",
    "audit_completion",
    "flag_audits",
    "good_or_better",
    "grade_distribution",
    "grade_threshold",
    "percentage",
]


def percentage(numerator: int, denominator: int) -> Fraction | None:
    """``numerator`` as an exact percentage of ``denominator``; ``None`` if it is 0.

    Example:
        >>> percentage(52, 86)
        Fraction(2600, 43)
        >>> percentage(0, 0) is None
        True
    """
    if denominator == 0:
        return None
    return Fraction(100 * numerator, denominator)


@attrs.frozen(kw_only=True)
class AuditCompletion:
    """Audits completed of those scheduled in a period.

    Attributes:
        completed: audits scheduled in the period that have a completed date.
        scheduled: audits scheduled in the period.

    Example:
        >>> AuditCompletion(completed=52, scheduled=86).rate
        Fraction(2600, 43)
    """

    completed: int
    scheduled: int

    @property
    def rate(self) -> Fraction | None:
        """The completion rate as an exact percentage; ``None`` when none were scheduled."""
        return percentage(self.completed, self.scheduled)


COMPLETED: Final = AUDIT_COMPLETED.expr()
"""The definition of a completed audit, as a polars expression: it has a completed date."""


def flag_audits(audits: pl.DataFrame | pl.LazyFrame, start: dt.date, end: dt.date) -> pl.DataFrame:
    """The audits scheduled from ``start`` to ``end`` inclusive, each flagged completed or not.

    The one definition of audit completion: an audit counts for the period it was
    *scheduled* in, and is completed when it has a completed date, whatever that
    date is (one scheduled for March and completed in April counts for March's
    year).

    Args:
        audits: the ``audits`` table (at least ``audit_id``, ``scheduled`` and
            ``completed``), or a selection of it.
        start: the first scheduled day counted.
        end: the last scheduled day counted.

    Returns:
        The audits scheduled in the period, in input order, with every input
        column and ``is_completed`` (Boolean).

    Example:
        >>> import datetime as dt, polars as pl
        >>> audits = pl.DataFrame({
        ...     "audit_id": ["A1", "A2", "A3"],
        ...     "scheduled": [dt.date(2014, 4, 1), dt.date(2015, 3, 31), dt.date(2015, 4, 1)],
        ...     "completed": [dt.date(2015, 4, 20), None, dt.date(2015, 4, 2)],
        ... })
        >>> flag_audits(audits, dt.date(2014, 4, 1), dt.date(2015, 3, 31)).select(
        ...     "audit_id", "is_completed").rows()
        [('A1', True), ('A2', False)]
    """
    return (
        audits.lazy()
        .filter(pl.col("scheduled").is_between(start, end, closed="both"))
        .with_columns(COMPLETED.alias("is_completed"))
        .collect(engine="in-memory")
    )


def audit_completion(
    audits: pl.DataFrame | pl.LazyFrame, start: dt.date, end: dt.date
) -> AuditCompletion:
    """Completed of scheduled audits, for audits scheduled from ``start`` to ``end`` inclusive.

    The counts of :func:`flag_audits`.

    Example:
        >>> import datetime as dt, polars as pl
        >>> audits = pl.DataFrame({
        ...     "audit_id": ["A1", "A2", "A3"],
        ...     "scheduled": [dt.date(2014, 4, 1), dt.date(2015, 3, 31), dt.date(2015, 4, 1)],
        ...     "completed": [dt.date(2014, 4, 20), None, dt.date(2015, 4, 2)],
        ... })
        >>> audit_completion(audits, dt.date(2014, 4, 1), dt.date(2015, 3, 31))
        AuditCompletion(completed=1, scheduled=2)
    """
    flags = flag_audits(audits, start, end)
    return AuditCompletion(completed=int(flags["is_completed"].sum()), scheduled=flags.height)


def _single_scale(audits: pl.DataFrame) -> GradingScale:
    names = audits.get_column("scale").unique().drop_nulls().sort().to_list()
    if len(names) != 1:
        found = ", ".join(names) or "none"
        msg = f"audits: scale: expected one grading scale in the selection, found {found}"
        raise ArgumentError(msg)
    if names[0] not in GRADING_SCALES:
        msg = f"audits: scale: unknown grading scale {names[0]!r}; expected one of {', '.join(GRADING_SCALES)}"
        raise ArgumentError(msg)
    return GRADING_SCALES[names[0]]


def grade_distribution(
    audits: pl.DataFrame,
    grades: pl.DataFrame,
    *,
    by: str | None = None,
    scale: GradingScale | None = None,
) -> pl.DataFrame:
    """How many completed audits gave each grade to each quality measure.

    One row per (group, measure, grade on the scale), zeros included, so each
    measure's counts sum to the number of audits that graded it; not-applicable
    grades are left out. Measures keep the order they first appear in ``grades``.

    Args:
        audits: the ``audits`` table (or a selection of it).
        grades: the ``audit_grades`` table.
        by: an ``audits`` column to group by (e.g. ``"round"`` or ``"team_id"``).
        scale: the grading scale; by default the one scale the audits name.

    Returns:
        Columns ``[by,] measure, grade, label, count`` (count is Int64).

    Raises:
        ArgumentError: the audits use more than one scale.
        RecordError: a grade is off the scale (naming the audit id).

    Example:
        >>> import polars as pl
        >>> audits = pl.DataFrame({"audit_id": ["A1", "A2"], "scale": ["derby-0-4"] * 2,
        ...                        "completed": [dt.date(2014, 5, 2)] * 2})
        >>> grades = pl.DataFrame({"audit_id": ["A1", "A2"], "measure": ["Reviews"] * 2,
        ...                        "grade": [3, None]})
        >>> grade_distribution(audits, grades).select("grade", "label", "count").rows()
        [(0, 'missing', 0), (1, 'poor', 0), (2, 'satisfactory', 0), (3, 'good', 1), (4, 'outstanding', 0)]
    """
    scale = scale or _single_scale(audits)
    keys = [by] if by else []
    done = audits.lazy().filter(COMPLETED).select("audit_id", *keys)
    graded = (
        grades.lazy()
        .with_row_index("_order")
        .join(done, on="audit_id", how="inner")
        .filter(pl.col("grade").is_not_null())
        .collect(engine="in-memory")
    )
    off_scale = OffScale("grade", scale="_scale", scales={scale.name: scale})
    off = graded.with_columns(pl.lit(scale.name).alias("_scale")).filter(off_scale.expr())
    if off.height:
        row = off.row(0, named=True)
        problem = (
            "grade",
            f"{row['grade']} is not on scale {scale.name} ({off.height} such grades)",
        )
        raise RecordError("audit_grades: audit", row["audit_id"], [problem])
    order = (
        grades.lazy()
        .with_row_index("_order")
        .join(done, on="audit_id", how="inner")
        .group_by("measure")
        .agg(pl.col("_order").min())
        .collect(engine="in-memory")
    )
    groups = graded.select(keys).unique(maintain_order=True) if keys else None
    scale_frame = pl.DataFrame(
        {
            "grade": [g.value for g in scale.grades],
            "label": [g.label for g in scale.grades],
        },
        schema={"grade": pl.Int64, "label": pl.String},
    )
    measures = order.select("measure", "_order")
    frame = measures.join(scale_frame, how="cross")
    if groups is not None:
        frame = groups.join(frame, how="cross")
    counts = graded.group_by([*keys, "measure", pl.col("grade").cast(pl.Int64)]).agg(
        pl.len().cast(pl.Int64).alias("count")
    )
    return (
        frame.join(counts, on=[*keys, "measure", "grade"], how="left")
        .with_columns(pl.col("count").fill_null(0))
        .sort([*keys, "_order", "grade"], maintain_order=True)
        .drop("_order")
    )


def grade_threshold(scale: GradingScale, label: str) -> int:
    """The value of the grade called ``label`` on ``scale``.

    Raises:
        ArgumentError: the scale has no such grade (listing the labels it has).

    Example:
        >>> grade_threshold(GradingScale.ofsted(), "good")
        2
    """
    for grade in scale.grades:
        if grade.label == label:
            return grade.value
    labels = ", ".join(g.label for g in scale.grades)
    msg = f"scale {scale.name} has no grade {label!r}; expected one of {labels}"
    raise ArgumentError(msg)


def _at_least(scale: GradingScale, label: str) -> pl.Expr:
    value = grade_threshold(scale, label)
    return pl.col("grade") >= value if scale.higher_is_better else pl.col("grade") <= value


def _at_most(scale: GradingScale, label: str) -> pl.Expr:
    value = grade_threshold(scale, label)
    return pl.col("grade") <= value if scale.higher_is_better else pl.col("grade") >= value


def good_or_better(
    distribution: pl.DataFrame,
    scale: GradingScale,
    *,
    at_least: str = "good",
    at_most: str | None = None,
) -> pl.DataFrame:
    """Per measure, the graded count and the count at or above a grade.

    The scale's direction decides "at or above": on Ofsted's scale, where 1 is
    outstanding, good or better means a value of 2 or less.

    Args:
        distribution: a :func:`grade_distribution` frame.
        scale: its grading scale.
        at_least: count grades this good or better (the default ``"good"``).
        at_most: instead count grades this bad or worse (e.g. ``"poor"``: poor
            or missing on the source city's scale).

    Returns:
        Columns ``[group,] measure, graded, count`` (Int64), one row per measure.

    Example:
        >>> import polars as pl
        >>> dist = pl.DataFrame({"measure": ["Reviews"] * 4, "grade": [1, 2, 3, 4],
        ...                      "count": [1, 2, 3, 0]})
        >>> good_or_better(dist, GradingScale.ofsted()).rows()
        [('Reviews', 6, 3)]
        >>> good_or_better(dist, GradingScale.derby(), at_most="poor").rows()
        [('Reviews', 6, 1)]
    """
    chosen = _at_most(scale, at_most) if at_most is not None else _at_least(scale, at_least)
    keys = [c for c in distribution.columns if c not in ("measure", "grade", "label", "count")]
    return (
        distribution.lazy()
        .group_by([*keys, "measure"], maintain_order=True)
        .agg(
            pl.col("count").sum().cast(pl.Int64).alias("graded"),
            pl.col("count").filter(chosen).sum().cast(pl.Int64).alias("count"),
        )
        .collect(engine="in-memory")
    )
