"""Ranking quality measures into strengths and weaknesses, and comparing audit rounds.

The ranking rule, declared once: a measure's share is its count at or above the
threshold grade (strengths: good or better) or at or below it (weaknesses: poor
or worse) over the audits that graded it, exactly (a fraction). Measures are
ranked by share, highest first; equal shares share a rank (standard competition
ranking, 1, 2, 2, 4) and are listed in the audit form's order. Measures nobody
graded have no share and are not ranked.
"""

from __future__ import annotations

import enum
from fractions import Fraction

import attrs
import polars as pl

from earlyhelp.instruments._audit import good_or_better, percentage
from earlyhelp.model._audit import GradingScale

__all__ = ["RankKind", "Ranked", "RoundChange", "compare_rounds", "rank_measures"]


class RankKind(enum.StrEnum):
    """What a ranking puts first."""

    STRENGTHS = "strengths"
    """The highest share of grades good or better."""
    WEAKNESSES = "weaknesses"
    """The highest share of grades poor or worse."""


@attrs.frozen(kw_only=True)
class Ranked:
    """One measure's place in a ranking.

    Attributes:
        measure: the quality measure.
        rank: 1 for the first; tied shares share a rank.
        count: audits at or beyond the threshold grade.
        graded: audits that graded the measure (not-applicable left out).
        share: ``count / graded`` as an exact percentage.
    """

    measure: str
    rank: int
    count: int
    graded: int
    share: Fraction


def rank_measures(
    distribution: pl.DataFrame,
    scale: GradingScale,
    kind: RankKind = RankKind.STRENGTHS,
    *,
    threshold: str | None = None,
) -> list[Ranked]:
    """Rank a round's quality measures as strengths or weaknesses.

    Args:
        distribution: a :func:`~earlyhelp.instruments.grade_distribution` frame for one round.
        scale: its grading scale.
        kind: strengths (good or better first) or weaknesses (poor or worse first).
        threshold: the grade label that starts the counted band; by default
            ``"good"`` for strengths and ``"poor"`` for weaknesses.

    Example:
        >>> import polars as pl
        >>> dist = pl.DataFrame({
        ...     "measure": ["Reviews"] * 2 + ["Outcomes"] * 2 + ["Indirect work"] * 2,
        ...     "grade": [2, 3] * 3, "count": [1, 3, 2, 2, 1, 3]})
        >>> [(r.measure, r.rank, r.count, r.graded) for r in rank_measures(dist, GradingScale.derby())]
        [('Reviews', 1, 3, 4), ('Indirect work', 1, 3, 4), ('Outcomes', 3, 2, 4)]
    """
    if kind is RankKind.STRENGTHS:
        counted = good_or_better(distribution, scale, at_least=threshold or "good")
    else:
        counted = good_or_better(distribution, scale, at_most=threshold or "poor")
    shares = [
        (row["measure"], int(row["count"]), int(row["graded"]), index)
        for index, row in enumerate(counted.iter_rows(named=True))
        if row["graded"]
    ]
    shares.sort(key=lambda item: (-Fraction(item[1], item[2]), item[3]))
    ranked: list[Ranked] = []
    for position, (measure, count, graded, _) in enumerate(shares, 1):
        share = Fraction(100 * count, graded)
        rank = ranked[-1].rank if ranked and ranked[-1].share == share else position
        ranked.append(Ranked(measure=measure, rank=rank, count=count, graded=graded, share=share))
    return ranked


@attrs.frozen(kw_only=True)
class RoundChange:
    """A measure's good-or-better share in two rounds, and the change in points.

    ``None`` where a round graded the measure for no audit.
    """

    measure: str
    before: Fraction | None
    after: Fraction | None

    @property
    def change(self) -> Fraction | None:
        """``after - before`` in percentage points; ``None`` if either is missing."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def compare_rounds(
    before: pl.DataFrame, after: pl.DataFrame, scale: GradingScale, *, at_least: str = "good"
) -> list[RoundChange]:
    """Good-or-better shares per measure in two rounds, in the earlier round's order.

    Measures only the later round graded come last.

    Example:
        >>> import polars as pl
        >>> aug = pl.DataFrame({"measure": ["Reviews"] * 2, "grade": [2, 3], "count": [3, 1]})
        >>> mar = pl.DataFrame({"measure": ["Reviews"] * 2, "grade": [2, 3], "count": [1, 1]})
        >>> [(c.measure, c.change) for c in compare_rounds(aug, mar, GradingScale.derby())]
        [('Reviews', Fraction(25, 1))]
    """

    def shares(frame: pl.DataFrame) -> dict[str, Fraction | None]:
        counted = good_or_better(frame, scale, at_least=at_least)
        return {
            row["measure"]: percentage(int(row["count"]), int(row["graded"]))
            for row in counted.iter_rows(named=True)
        }

    first, second = shares(before), shares(after)
    names = list(first) + [name for name in second if name not in first]
    return [
        RoundChange(measure=name, before=first.get(name), after=second.get(name)) for name in names
    ]
