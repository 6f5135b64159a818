"""Case file audits: completion rate, grade distributions and good-or-better shares.

Bulk functions work on the ``audits`` and ``audit_grades`` tables in polars; the
per-record functions work on :class:`~earlyhelp.model.CaseFileAudit` objects and give
the same answers (a property test checks it). Not-applicable grades (empty) are
never graded: they are left out of every distribution and every denominator.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from fractions import Fraction

import attrs
import polars as pl

from earlyhelp.model._audit import GRADING_SCALES, CaseFileAudit, GradingScale

__all__ = [
    "AuditCompletion",
    "audit_completion",
    "audit_completion_of",
    "good_or_better",
    "grade_counts_of",
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


def audit_completion(audits: pl.DataFrame, start: dt.date, end: dt.date) -> AuditCompletion:
    """Completed of scheduled audits, for audits scheduled from ``start`` to ``end`` inclusive.

    An audit counts as completed whatever its completed date, so one scheduled for
    March and completed in April counts for March's year.

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
    counts = (
        audits.lazy()
        .filter(pl.col("scheduled").is_between(start, end, closed="both"))
        .select(
            pl.len().alias("scheduled"),
            pl.col("completed").is_not_null().sum().alias("completed"),
        )
        .collect(engine="in-memory")
        .row(0, named=True)
    )
    return AuditCompletion(completed=int(counts["completed"]), scheduled=int(counts["scheduled"]))


def audit_completion_of(
    audits: Iterable[CaseFileAudit], start: dt.date, end: dt.date
) -> AuditCompletion:
    """:func:`audit_completion` for audit records, one at a time.

    Example:
        >>> import datetime as dt
        >>> audit = CaseFileAudit(audit_id="A1", episode_id="C1",
        ...     scheduled=dt.date(2014, 5, 1), scale=GradingScale.derby())
        >>> audit_completion_of([audit], dt.date(2014, 4, 1), dt.date(2015, 3, 31))
        AuditCompletion(completed=0, scheduled=1)
    """
    inside = [a for a in audits if start <= a.scheduled <= end]
    return AuditCompletion(completed=sum(a.is_completed for a in inside), scheduled=len(inside))


def _single_scale(audits: pl.DataFrame) -> GradingScale:
    names = audits.get_column("scale").unique().drop_nulls().sort().to_list()
    if len(names) != 1:
        found = ", ".join(names) or "none"
        msg = f"audits: scale: expected one grading scale in the selection, found {found}"
        raise ValueError(msg)
    if names[0] not in GRADING_SCALES:
        msg = f"audits: scale: unknown grading scale {names[0]!r}; expected one of {', '.join(GRADING_SCALES)}"
        raise ValueError(msg)
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
        ValueError: the audits use more than one scale, or a grade is off the scale
            (naming the audit id).

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
    done = audits.lazy().filter(pl.col("completed").is_not_null()).select("audit_id", *keys)
    graded = (
        grades.lazy()
        .with_row_index("_order")
        .join(done, on="audit_id", how="inner")
        .filter(pl.col("grade").is_not_null())
        .collect(engine="in-memory")
    )
    off = graded.filter(~pl.col("grade").is_in([g.value for g in scale.grades]))
    if off.height:
        row = off.row(0, named=True)
        msg = (
            f"audit_grades: audit {row['audit_id']}: grade: {row['grade']} is not on scale "
            f"{scale.name} ({off.height} such grades)"
        )
        raise ValueError(msg)
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
        ValueError: the scale has no such grade (listing the labels it has).

    Example:
        >>> grade_threshold(GradingScale.ofsted(), "good")
        2
    """
    for grade in scale.grades:
        if grade.label == label:
            return grade.value
    labels = ", ".join(g.label for g in scale.grades)
    msg = f"scale {scale.name} has no grade {label!r}; expected one of {labels}"
    raise ValueError(msg)


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


def grade_counts_of(audits: Iterable[CaseFileAudit]) -> dict[str, Counter[int]]:
    """Per measure, how many completed audits gave each grade (not-applicable left out).

    The per-record counterpart of :func:`grade_distribution` (without the zeros).

    Example:
        >>> import datetime as dt
        >>> from earlyhelp.model import AuditGrade
        >>> audit = CaseFileAudit(audit_id="A1", episode_id="C1",
        ...     scheduled=dt.date(2014, 5, 1), completed=dt.date(2014, 5, 9),
        ...     scale=GradingScale.derby(),
        ...     grades=(AuditGrade(measure="Reviews", grade=3),
        ...             AuditGrade(measure="Outcomes", grade=None)))
        >>> grade_counts_of([audit])
        {'Reviews': Counter({3: 1})}
    """
    counts: dict[str, Counter[int]] = {}
    for audit in audits:
        if not audit.is_completed:
            continue
        for item in audit.grades:
            if item.grade is not None:
                counts.setdefault(item.measure, Counter())[item.grade] += 1
    return counts
