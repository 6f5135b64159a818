"""Case file audits and their grading scales.

Scales differ in length and direction between councils and Ofsted, so every
audit names its scale explicitly.
"""

from __future__ import annotations

from collections import Counter
from typing import Final

import attrs
import pendulum

from earlyhelp.errors import NotFoundError
from earlyhelp.model._base import (
    check_problems,
    id_field,
    to_date,
    to_optional_date,
    to_tuple,
)
from earlyhelp.model._row_rules import Absent, Present, RowRule

__all__ = [
    "AUDIT_RULES",
    "GRADED_NOT_COMPLETED",
    "GRADE_OFF_SCALE",
    "GRADING_SCALES",
    "RATING_OFF_SCALE",
    "AuditGrade",
    "CaseFileAudit",
    "Grade",
    "GradingScale",
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
        """Whether ``value`` is a grade on this scale."""
        return any(grade.value == value for grade in self.grades)

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
        problems: list[tuple[str, str]] = []
        for item in self.grades:
            if item.grade is not None and not self.scale.contains(item.grade):
                shown = GRADE_OFF_SCALE.format(
                    measure=item.measure, grade=item.grade, scale=self.scale.name
                )
                problems.append(("grades", shown))
        dupes = sorted(m for m, n in Counter(g.measure for g in self.grades).items() if n > 1)
        if dupes:
            problems.append(("grades", f"measures graded twice: {', '.join(dupes)}"))
        if self.overall_rating is not None and not self.scale.contains(self.overall_rating):
            shown = RATING_OFF_SCALE.format(
                overall_rating=self.overall_rating, scale=self.scale.name
            )
            problems.append(("overall_rating", shown))
        if self.completed is None and self.grades:
            problems.append(("completed", GRADED_NOT_COMPLETED))
        rating = AUDIT_RULES[0].problem(
            {"overall_rating": self.overall_rating, "completed": self.completed}
        )
        check_problems("CaseFileAudit", self.audit_id, [*problems, *([rating] if rating else [])])

    @property
    def is_completed(self) -> bool:
        """Whether the audit was completed."""
        return self.completed is not None


GRADING_SCALES: dict[str, GradingScale] = {
    scale.name: scale for scale in (GradingScale.derby(), GradingScale.ofsted())
}
"""The grading scales ``earlyhelp`` knows by name."""
