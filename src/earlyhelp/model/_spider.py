"""Spider graphs: a distance-travelled tool with council-defined scales.

The scales are the council's own: ``earlyhelp`` ships the engine, not any
licensed tool's scale texts.
"""

from __future__ import annotations

from collections import Counter
from typing import Final

import attrs
import pendulum

from earlyhelp.model._base import check_problems, id_field, to_date, to_tuple
from earlyhelp.model._row_rules import AtMost, RowRule, check_rules
from earlyhelp.model._vocab import ReadingStage

__all__ = ["SCALE_RULES", "SpiderGraph", "SpiderReading", "SpiderScale", "SpiderScore"]

SCALE_RULES: Final = (
    RowRule(
        code="scale-empty",
        fields=("maximum", "minimum"),
        when=AtMost("maximum", "minimum"),
        template="maximum {maximum} must exceed minimum {minimum}",
    ),
)
"""A spider scale's cross-field rule: per record and over the ``spider_scales`` table."""


@attrs.frozen(kw_only=True)
class SpiderScale:
    """One area of family life scored on a spider graph.

    Example:
        >>> SpiderScale(name="routines", minimum=1, maximum=10).contains(11)
        False
    """

    name: str = id_field()
    minimum: int
    maximum: int
    higher_is_better: bool = True

    def __attrs_post_init__(self) -> None:
        check_rules(self, SCALE_RULES, self.name)

    def contains(self, score: int) -> bool:
        """Whether ``score`` lies on the scale, ends inclusive."""
        return self.minimum <= score <= self.maximum


@attrs.frozen(kw_only=True)
class SpiderScore:
    """The score given on one scale at one reading."""

    scale: str = id_field()
    score: int


@attrs.frozen(kw_only=True)
class SpiderReading:
    """All the scores taken at one stage (start, review or end) on one date."""

    stage: ReadingStage = attrs.field(converter=ReadingStage)
    reading_date: pendulum.Date = attrs.field(converter=to_date)
    scores: tuple[SpiderScore, ...] = attrs.field(converter=to_tuple)


_STAGE_ORDER = {ReadingStage.START: 0, ReadingStage.REVIEW: 1, ReadingStage.END: 2}


@attrs.frozen(kw_only=True)
class SpiderGraph:
    """A case's spider graph: its scales and its readings in date order.

    Cross-field rules, reported together: readings are in date order and in
    stage order (start, reviews, end) with at most one start and one end, and
    no two at the same stage on the same day; every
    score names a declared scale, once per reading, and lies on it.

    Example:
        >>> import datetime as dt
        >>> scale = SpiderScale(name="routines", minimum=1, maximum=10)
        >>> SpiderGraph(
        ...     graph_id="G1", episode_id="C1", scales=(scale,),
        ...     readings=(
        ...         SpiderReading(stage="end", reading_date=dt.date(2014, 9, 1),
        ...                       scores=(SpiderScore(scale="routines", score=7),)),
        ...         SpiderReading(stage="start", reading_date=dt.date(2014, 5, 1),
        ...                       scores=(SpiderScore(scale="routines", score=12),)),
        ...     ),
        ... )
        Traceback (most recent call last):
        ...
        earlyhelp.errors.RecordError: SpiderGraph G1: readings: not in date order at reading 2; readings: stage start after stage end at reading 2; readings[2].scores: routines score 12 is outside 1..10
    """

    graph_id: str = id_field()
    episode_id: str = id_field()
    scales: tuple[SpiderScale, ...] = attrs.field(converter=to_tuple)
    readings: tuple[SpiderReading, ...] = attrs.field(converter=to_tuple)

    def __attrs_post_init__(self) -> None:
        problems: list[tuple[str, str]] = []
        scales = {scale.name: scale for scale in self.scales}
        if len(scales) != len(self.scales):
            problems.append(("scales", "scale names must be unique"))
        stages = Counter(reading.stage for reading in self.readings)
        for stage in (ReadingStage.START, ReadingStage.END):
            if stages[stage] > 1:
                problems.append(("readings", f"more than one {stage.value} reading"))
        taken = Counter((reading.stage, reading.reading_date) for reading in self.readings)
        for (stage, day), count in taken.items():
            if count > 1:
                problems.append(("readings", f"two {stage.value} readings on {day}"))
        for number, (before, after) in enumerate(
            zip(self.readings, self.readings[1:], strict=False), start=2
        ):
            if after.reading_date < before.reading_date:
                problems.append(("readings", f"not in date order at reading {number}"))
            if _STAGE_ORDER[after.stage] < _STAGE_ORDER[before.stage]:
                problems.append(
                    (
                        "readings",
                        f"stage {after.stage.value} after stage {before.stage.value}"
                        f" at reading {number}",
                    )
                )
        for number, reading in enumerate(self.readings, start=1):
            seen: set[str] = set()
            for item in reading.scores:
                scale = scales.get(item.scale)
                where = f"readings[{number}].scores"
                if scale is None:
                    problems.append((where, f"unknown scale {item.scale}"))
                elif not scale.contains(item.score):
                    problems.append(
                        (
                            where,
                            f"{item.scale} score {item.score} is outside "
                            f"{scale.minimum}..{scale.maximum}",
                        )
                    )
                if item.scale in seen:
                    problems.append((where, f"scale {item.scale} scored twice"))
                seen.add(item.scale)
        check_problems("SpiderGraph", self.graph_id, problems)

    @property
    def is_complete(self) -> bool:
        """Whether the graph has both a start and a later (review or end) reading."""
        stages = {reading.stage for reading in self.readings}
        return ReadingStage.START in stages and len(self.readings) >= 2
