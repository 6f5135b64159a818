"""Distance travelled on one spider graph, and its direction of travel.

A graph's *start* reading is compared with its *latest* reading: the last
reading after the start (a review or the end), in date and stage order. A
reading with no scores is ignored. Only scales scored at both readings count.

Each scale's change is oriented so that a positive change is better: latest
minus start where a higher score is better, start minus latest where lower is.
The direction of travel is decided by the profile's :class:`SpiderRule` in
force on the latest reading's date: by the total of the changes, or by how
many scales improved against how many worsened. A tie is *no change*.

A graph is *completed* on the date of its end reading, if it has a start
reading too; a graph with a start and reviews only has a distance travelled so
far but is not completed.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

import attrs
import pendulum

from earlyhelp.instruments._spider_rule import DirectionRule, SpiderRule
from earlyhelp.model._spider import SpiderGraph, SpiderReading
from earlyhelp.model._vocab import Direction, ReadingStage
from earlyhelp.profiles._applying import ProfileLike, no_rule_in_force, resolve_profile
from earlyhelp.profiles._dating import OnMissing, in_force

__all__ = [
    "Direction",
    "DistanceTravelled",
    "ScaleChange",
    "distance_travelled",
    "improving_rate",
    "start_and_latest",
]


@attrs.frozen(kw_only=True)
class ScaleChange:
    """The change on one scale from the start reading to the latest.

    Attributes:
        scale: the scale's name.
        start: the score at the start reading.
        latest: the score at the latest reading.
        change: the oriented change: positive is better.
    """

    scale: str
    start: int
    latest: int
    change: int


@attrs.frozen(kw_only=True)
class DistanceTravelled:
    """One graph's distance travelled and direction of travel.

    Attributes:
        graph_id: the graph.
        episode_id: its case.
        latest_date: the date of the latest reading (``None`` without one).
        completed: the date of the end reading, if the graph is completed.
        scales: the change on each scale scored at both readings, by scale name.
        rule_id: the :class:`SpiderRule` version applied (``None`` if none).
        direction: the direction of travel; ``None`` when there is nothing to
            compare (no start, no later reading, or no scale scored at both)
            or, under a lenient profile, no rule in force.
    """

    graph_id: str
    episode_id: str
    latest_date: pendulum.Date | None
    completed: pendulum.Date | None
    scales: tuple[ScaleChange, ...]
    rule_id: str | None
    direction: Direction | None

    @property
    def total(self) -> int:
        """The overall distance travelled (the sum of the oriented changes)."""
        return sum(item.change for item in self.scales)

    @property
    def improved(self) -> int:
        """How many scales improved."""
        return sum(item.change > 0 for item in self.scales)

    @property
    def worsened(self) -> int:
        """How many scales worsened."""
        return sum(item.change < 0 for item in self.scales)


def start_and_latest(graph: SpiderGraph) -> tuple[SpiderReading | None, SpiderReading | None]:
    """The graph's start reading and its latest later reading (either may be ``None``).

    Readings with no scores are ignored.

    Example:
        >>> import datetime as dt
        >>> from earlyhelp.model import SpiderGraph, SpiderReading, SpiderScale, SpiderScore
        >>> only_start = SpiderGraph(
        ...     graph_id="G1", episode_id="C1",
        ...     scales=(SpiderScale(name="home", minimum=1, maximum=10),),
        ...     readings=(SpiderReading(stage="start", reading_date=dt.date(2014, 5, 1),
        ...                             scores=(SpiderScore(scale="home", score=4),)),),
        ... )
        >>> start, latest = start_and_latest(only_start)
        >>> start.stage.value, latest
        ('start', None)
    """
    scored = [reading for reading in graph.readings if reading.scores]
    if not scored or scored[0].stage is not ReadingStage.START:
        return None, None
    return scored[0], (scored[-1] if len(scored) > 1 else None)


def _decide(rule: DirectionRule, changes: tuple[ScaleChange, ...]) -> Direction:
    if rule is DirectionRule.TOTAL_SCORE:
        balance = sum(item.change for item in changes)
    else:
        balance = sum(item.change > 0 for item in changes) - sum(
            item.change < 0 for item in changes
        )
    if balance > 0:
        return Direction.IMPROVING
    if balance < 0:
        return Direction.WORSENING
    return Direction.NO_CHANGE


def distance_travelled(graph: SpiderGraph, *, profile: ProfileLike) -> DistanceTravelled:
    """One graph's change on each scale, in total, and its direction of travel.

    Args:
        graph: the spider graph.
        profile: a :class:`~earlyhelp.profiles.Profile`, a shipped profile's name or a file.

    Returns:
        A :class:`DistanceTravelled`.

    Raises:
        NoRuleInForceError: no spider rule is in force on the latest reading's
            date, under a strict profile.

    Example:
        >>> import datetime as dt
        >>> from earlyhelp.model import SpiderGraph, SpiderReading, SpiderScale, SpiderScore
        >>> scales = (SpiderScale(name="routines", minimum=1, maximum=10),
        ...           SpiderScale(name="worry", minimum=1, maximum=10, higher_is_better=False))
        >>> def reading(stage, day, routines, worry):
        ...     return SpiderReading(stage=stage, reading_date=day, scores=(
        ...         SpiderScore(scale="routines", score=routines),
        ...         SpiderScore(scale="worry", score=worry)))
        >>> graph = SpiderGraph(graph_id="G1", episode_id="C1", scales=scales, readings=(
        ...     reading("start", dt.date(2014, 5, 1), 3, 8),
        ...     reading("end", dt.date(2014, 9, 1), 6, 9)))
        >>> result = distance_travelled(graph, profile="derby-2014-15")
        >>> [(s.scale, s.change) for s in result.scales], result.total
        ([('routines', 3), ('worry', -1)], 2)
        >>> result.direction.value, result.rule_id, result.completed
        ('improving', 'SG-TOTAL', Date(2014, 9, 1))
    """
    resolved = resolve_profile(profile)
    start, latest = start_and_latest(graph)
    ended = [r for r in graph.readings if r.scores and r.stage is ReadingStage.END]
    completed = ended[0].reading_date if start is not None and ended else None
    empty = DistanceTravelled(
        graph_id=graph.graph_id,
        episode_id=graph.episode_id,
        latest_date=None if latest is None else latest.reading_date,
        completed=completed,
        scales=(),
        rule_id=None,
        direction=None,
    )
    if start is None or latest is None:
        return empty
    orient = {scale.name: 1 if scale.higher_is_better else -1 for scale in graph.scales}
    before = {item.scale: item.score for item in start.scores}
    changes = tuple(
        ScaleChange(
            scale=item.scale,
            start=before[item.scale],
            latest=item.score,
            change=orient[item.scale] * (item.score - before[item.scale]),
        )
        for item in sorted(latest.scores, key=lambda s: s.scale)
        if item.scale in before
    )
    if not changes:
        return empty
    rule: SpiderRule | None = in_force(resolved.versions(SpiderRule), latest.reading_date)
    if rule is None:
        if resolved.on_missing is OnMissing.STRICT:
            raise no_rule_in_force(
                "spider graph", latest.reading_date, resolved, f"graph {graph.graph_id}"
            )
        return attrs.evolve(empty, scales=changes)
    return attrs.evolve(
        empty, scales=changes, rule_id=rule.rule_id, direction=_decide(rule.direction, changes)
    )


def improving_rate(results: Iterable[DistanceTravelled]) -> Fraction | None:
    """The percentage (0..100, exact) of graphs with a direction that are improving.

    Graphs whose direction is ``None`` are left out of both counts; ``None`` when
    no graph has a direction.

    Example:
        >>> from fractions import Fraction
        >>> def graph(direction):
        ...     return DistanceTravelled(graph_id="G", episode_id="C", latest_date=None,
        ...         completed=None, scales=(), rule_id=None, direction=direction)
        >>> improving_rate([graph(Direction.IMPROVING), graph(Direction.NO_CHANGE),
        ...                 graph(Direction.WORSENING), graph(None)])
        Fraction(100, 3)
        >>> improving_rate([graph(None)]) is None
        True
    """
    directions = [result.direction for result in results if result.direction is not None]
    if not directions:
        return None
    return Fraction(100 * directions.count(Direction.IMPROVING), len(directions))
