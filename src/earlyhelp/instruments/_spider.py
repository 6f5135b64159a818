"""Spider graphs: which readings are compared, and the share of graphs improving.

The direction of travel itself is defined once, in
:mod:`earlyhelp.instruments._spider_bulk` (:func:`flag_spider_graphs`, and
:func:`judge_direction` for one graph).
"""

from __future__ import annotations

from fractions import Fraction

import polars as pl

from earlyhelp.model._spider import SpiderGraph, SpiderReading
from earlyhelp.model._vocab import Direction, ReadingStage

__all__ = ["Direction", "improving_rate", "start_and_latest"]


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


def improving_rate(graphs: pl.DataFrame) -> Fraction | None:
    """The percentage (0..100, exact) of graphs with a direction that are improving.

    Args:
        graphs: a :func:`~earlyhelp.instruments.flag_spider_graphs` frame (its
            ``direction`` column). Graphs with no direction are left out of
            both counts.

    Returns:
        The exact percentage; ``None`` when no graph has a direction.

    Example:
        >>> graphs = pl.DataFrame({"direction": ["improving", "no_change", "worsening", None]})
        >>> improving_rate(graphs)
        Fraction(100, 3)
        >>> improving_rate(graphs.tail(1)) is None
        True
    """
    directions = graphs.get_column("direction").cast(pl.String).drop_nulls()
    if directions.is_empty():
        return None
    improving = int((directions == Direction.IMPROVING.value).sum())
    return Fraction(100 * improving, directions.len())
