"""Case file audits and their grading scales.

Scales differ in length and direction between councils and Ofsted, so every
audit names its scale explicitly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any, Final

import attrs
import pendulum
import polars as pl

from earlyhelp.errors import NotFoundError
from earlyhelp.model._base import (
    check_problems,
    id_field,
    to_date,
    to_optional_date,
    to_tuple,
)
from earlyhelp.model._row_rules import Absent, Condition, Present, RowRule

__all__ = [
    "AUDIT_COMPLETED",
    "AUDIT_RULES",
    "GRADED_NOT_COMPLETED",
    "GRADE_OFF_SCALE",
    "GRADE_ON_SCALE",
    "GRADING_SCALES",
    "RATING_OFF_SCALE",
    "RATING_ON_SCALE",
    "AuditGrade",
    "CaseFileAudit",
    "Grade",
    "GradingScale",
    "OffScale",
]

GRADE_OFF_SCALE: Final = "{measure} grade {grade} is not on scale {scale}"
"""The message for a grade that is not on the audit's scale (per record and in bulk)."""
RATING_OFF_SCALE: Final = "overall rating {overall_rating} is not on scale {scale}"
"""The message for an overall rating that is not on the audit's scale."""
GRADED_NOT_COMPLETED: Final = "an audit with grades must have a completed date"
"""The message for grades given to an audit with no completed date."""

AUDIT_RULES: Final = (
    RowRule(
        code="rating-without-completion",
        fields=("overall_rating", "completed"),
        when=Absent("completed") & Present("overall_rating"),
        template="an audit with a rating must have a completed date",
    ),
)
"""An audit's cross-field rule on its own fields: per record and over the ``audits`` table."""

AUDIT_COMPLETED: Final = Present("completed")
"""The one definition of a completed audit: it has a completed date.

A declared condition with both evaluators generated from it:
:func:`earlyhelp.instruments.flag_audits` applies its polars expression to a
table, :attr:`CaseFileAudit.is_completed` its Python form to one record.
"""


@attrs.frozen(kw_only=True)
class Grade:
    """One point on a grading scale."""

    value: int
    label: str


@attrs.frozen(kw_only=True)
class GradingScale:
    """An ordered grading scale.

    Args:
        name: the scale's id, e.g. ``"derby-0-4"``.
        grades: the points in ascending order of ``value``.
        higher_is_better: whether a larger value is a better grade (Derby's
            0 missing .. 4 outstanding: yes; Ofsted's 1 outstanding .. 4 inadequate: no).

    Example:
        >>> scale = GradingScale.derby()
        >>> scale.label(3), scale.contains(5), scale.is_better(3, 2)
        ('good', False, True)
        >>> GradingScale.ofsted().is_better(1, 2)
        True
    """

    name: str = id_field()
    grades: tuple[Grade, ...] = attrs.field(converter=to_tuple)
    higher_is_better: bool = True

    def __attrs_post_init__(self) -> None:
        problems: list[tuple[str, str]] = []
        values = [grade.value for grade in self.grades]
        if not values:
            problems.append(("grades", "a scale needs at least one grade"))
        if values != sorted(set(values)):
            problems.append(("grades", "grade values must be unique and ascending"))
        check_problems("GradingScale", self.name, problems)

    @classmethod
    def derby(cls) -> GradingScale:
        """The source city's scale: 0 missing, 1 poor, 2 satisfactory, 3 good, 4 outstanding."""
        labels = ("missing", "poor", "satisfactory", "good", "outstanding")
        return cls(
            name="derby-0-4",
            grades=tuple(Grade(value=i, label=label) for i, label in enumerate(labels)),
            higher_is_better=True,
        )

    @classmethod
    def ofsted(cls) -> GradingScale:
        """Ofsted's four-point scale, which runs the other way: 1 is best."""
        labels = ("outstanding", "good", "requires improvement", "inadequate")
        return cls(
            name="ofsted-1-4",
            grades=tuple(Grade(value=i, label=label) for i, label in enumerate(labels, 1)),
            higher_is_better=False,
        )

    def contains(self, value: int) -> bool:
        """Whether ``value`` is a grade on this scale (the values the bulk check reads)."""
        return value in _values(self)

    def label(self, value: int) -> str:
        """The label of a grade.

        Raises:
            NotFoundError: ``value`` is not on the scale.
        """
        for grade in self.grades:
            if grade.value == value:
                return grade.label
        raise NotFoundError(f"grade {value} is not on scale {self.name}")

    def is_better(self, first: int, second: int) -> bool:
        """Whether grade ``first`` is strictly better than ``second``."""
        return first > second if self.higher_is_better else first < second


@attrs.frozen(kw_only=True)
class AuditGrade:
    """The grade given to one quality measure; ``None`` means not applicable."""

    measure: str
    grade: int | None


@attrs.frozen(kw_only=True)
class CaseFileAudit:
    """A manager's audit of one case file against the quality measures.

    Cross-field rules, reported together: completed on or after scheduled is not
    required (audits may be done early), but every grade and the overall rating
    lie on the scale, each measure is graded once, and an audit that is not
    completed has no grades.

    Example:
        >>> import datetime as dt
        >>> CaseFileAudit(
        ...     audit_id="AU1", episode_id="C1", scheduled=dt.date(2015, 3, 1),
        ...     completed=dt.date(2015, 3, 20), auditor_role="senior manager",
        ...     scale=GradingScale.derby(),
        ...     grades=(AuditGrade(measure="Reviews", grade=5),),
        ... )
        Traceback (most recent call last):
        ...
        earlyhelp.errors.RecordError: CaseFileAudit AU1: grades: Reviews grade 5 is not on scale derby-0-4
    """

    audit_id: str = id_field()
    episode_id: str = id_field()
    scheduled: pendulum.Date = attrs.field(converter=to_date)
    completed: pendulum.Date | None = attrs.field(default=None, converter=to_optional_date)
    auditor_role: str | None = None
    scale: GradingScale
    grades: tuple[AuditGrade, ...] = attrs.field(default=(), converter=to_tuple)
    overall_rating: int | None = None

    def __attrs_post_init__(self) -> None:
        own = {self.scale.name: self.scale}  # the record's own scale, whatever its name
        grade_rule, rating_rule = GRADE_ON_SCALE.on(own), RATING_ON_SCALE.on(own)
        problems = [
            ("grades", found[1])
            for item in self.grades
            if (
                found := grade_rule.problem(
                    {"measure": item.measure, "grade": item.grade, "scale": self.scale.name}
                )
            )
        ]
        dupes = sorted(m for m, n in Counter(g.measure for g in self.grades).items() if n > 1)
        if dupes:
            problems.append(("grades", f"measures graded twice: {', '.join(dupes)}"))
        off = rating_rule.problem({"overall_rating": self.overall_rating, "scale": self.scale.name})
        if off:
            problems.append(off)
        if self.completed is None and self.grades:
            problems.append(("completed", GRADED_NOT_COMPLETED))
        rating = AUDIT_RULES[0].problem(
            {"overall_rating": self.overall_rating, "completed": self.completed}
        )
        check_problems("CaseFileAudit", self.audit_id, [*problems, *([rating] if rating else [])])

    @property
    def is_completed(self) -> bool:
        """Whether the audit was completed (it has a completed date).

        The same declared condition that :func:`~earlyhelp.instruments.flag_audits`
        applies in bulk.
        """
        return AUDIT_COMPLETED.holds({"completed": self.completed})


GRADING_SCALES: dict[str, GradingScale] = {
    scale.name: scale for scale in (GradingScale.derby(), GradingScale.ofsted())
}
"""The grading scales ``earlyhelp`` knows by name."""


@attrs.frozen
class OffScale(Condition):
    """A grade given that is not a point on its row's grading scale: the one definition.

    Both evaluators come from the scales' declared grade values: over a table
    (:meth:`expr`, the scale named in column ``scale``; null where that scale
    is not known, a separate problem) and for one record (:meth:`holds`). A
    grade not given (not applicable) is never off the scale.

    Example:
        >>> frame = pl.DataFrame({"scale": ["derby-0-4", "ofsted-1-4", "derby-0-4", "x"],
        ...                       "grade": [4, 0, None, 1]})
        >>> frame.select(OffScale("grade").expr()).to_series().to_list()
        [False, True, False, None]
        >>> OffScale("grade").holds({"grade": 0, "scale": "ofsted-1-4"})
        True
    """

    name: str
    scale: str = "scale"
    scales: Mapping[str, GradingScale] = attrs.field(default=GRADING_SCALES, eq=False, repr=False)

    def expr(self) -> pl.Expr:
        value, named = pl.col(self.name), pl.col(self.scale)
        off: pl.Expr = pl.lit(None, dtype=pl.Boolean)
        for name, known in reversed(list(self.scales.items())):
            points = pl.Series(_values(known), dtype=pl.Int64).implode()
            off = pl.when(named == name).then(~value.cast(pl.Int64).is_in(points)).otherwise(off)
        return pl.when(value.is_null()).then(pl.lit(value=False)).otherwise(off)

    def holds(self, values: Mapping[str, Any]) -> bool:
        value, known = values[self.name], self.scales.get(values[self.scale])
        return value is not None and known is not None and value not in _values(known)


def _values(scale: GradingScale) -> list[int]:
    """The scale's grade values: the declaration both evaluators of :class:`OffScale` read."""
    return [point.value for point in scale.grades]


@attrs.frozen(kw_only=True)
class ScaleRule(RowRule):
    """A :class:`RowRule` whose condition is an :class:`OffScale`, re-aimed at other scales."""

    when: OffScale

    def on(self, scales: Mapping[str, GradingScale]) -> ScaleRule:
        """The same rule judged against ``scales`` (e.g. one record's own scale)."""
        return attrs.evolve(self, when=attrs.evolve(self.when, scales=scales))


GRADE_ON_SCALE: Final = ScaleRule(
    code="grade-off-scale",
    fields=("grade", "measure", "scale"),
    when=OffScale("grade"),
    template=GRADE_OFF_SCALE,
)
"""A quality measure's grade lies on its audit's scale: per record, at load and in DQ09."""

RATING_ON_SCALE: Final = ScaleRule(
    code="rating-off-scale",
    fields=("overall_rating", "scale"),
    when=OffScale("overall_rating"),
    template=RATING_OFF_SCALE,
)
"""An audit's overall rating lies on its scale: per record, at load and in DQ09."""
