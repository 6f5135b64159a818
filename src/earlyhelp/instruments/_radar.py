"""Radar (spider) charts of start against latest readings, for one case or a cohort.

Charts are drawn with matplotlib's object-oriented API on an Agg canvas: no
window, no global pyplot state, safe on a server. Scores are plotted as
recorded; a scale where lower is better is labelled so.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

import polars as pl

from earlyhelp.errors import ArgumentError
from earlyhelp.instruments._spider_bulk import compared_scores
from earlyhelp.io._records import spider_graphs_to_frames
from earlyhelp.model._spider import SpiderGraph, SpiderScale

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["cohort_averages", "cohort_radar", "spider_radar"]


def cohort_averages(
    graphs: Sequence[SpiderGraph], *, minimum: int = 1
) -> dict[str, tuple[Fraction, Fraction]]:
    """Per scale, the mean start and mean latest score over the graphs that score it at both.

    A scale scored at both readings by fewer than ``minimum`` graphs is left
    out (for publication: an average of a few children discloses them).

    Example:
        >>> import datetime as dt
        >>> from earlyhelp.model import SpiderGraph, SpiderReading, SpiderScale, SpiderScore
        >>> def graph(ident, start, latest):
        ...     return SpiderGraph(graph_id=ident, episode_id=ident,
        ...         scales=(SpiderScale(name="home", minimum=1, maximum=10),),
        ...         readings=(SpiderReading(stage="start", reading_date=dt.date(2014, 5, 1),
        ...                       scores=(SpiderScore(scale="home", score=start),)),
        ...                   SpiderReading(stage="end", reading_date=dt.date(2014, 9, 1),
        ...                       scores=(SpiderScore(scale="home", score=latest),))))
        >>> cohort_averages([graph("G1", 2, 5), graph("G2", 3, 8)])
        {'home': (Fraction(5, 2), Fraction(13, 2))}
        >>> cohort_averages([graph("G1", 2, 5), graph("G2", 3, 8)], minimum=3)
        {}
    """
    scores = compared_scores(*spider_graphs_to_frames(graphs))
    sums = scores.group_by("scale").agg(pl.col("start").sum(), pl.col("latest").sum(), pl.len())
    return {
        scale: (Fraction(first, n), Fraction(last, n))
        for scale, first, last, n in sums.sort("scale").iter_rows()
        if n >= minimum
    }


def _draw(
    values: dict[str, tuple[Fraction | int, Fraction | int]],
    scales: dict[str, SpiderScale],
    title: str,
    path: str | os.PathLike[str] | None,
) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415
    from matplotlib.figure import Figure  # noqa: PLC0415

    if not values:
        msg = f"{title}: no scale is scored at both the start and a later reading"
        raise ArgumentError(msg)
    names = list(values)
    angles = [2 * math.pi * i / len(names) for i in range(len(names))]
    figure = Figure(figsize=(6, 6))
    FigureCanvasAgg(figure)
    axes = figure.add_subplot(projection="polar")
    for position, label in ((0, "start"), (1, "latest")):
        points = [float(values[name][position]) for name in names]
        axes.plot([*angles, angles[0]], [*points, points[0]], marker="o", label=label)
        axes.fill([*angles, angles[0]], [*points, points[0]], alpha=0.15)
    axes.set_xticks(angles)
    axes.set_xticklabels(
        [name if scales[name].higher_is_better else f"{name}\n(lower is better)" for name in names]
    )
    axes.set_ylim(min(s.minimum for s in scales.values()), max(s.maximum for s in scales.values()))
    axes.set_title(title)
    axes.legend(loc="lower right", bbox_to_anchor=(1.1, -0.1))
    if path is not None:
        figure.savefig(path, format="png")
    return figure


def spider_radar(graph: SpiderGraph, *, path: str | os.PathLike[str] | None = None) -> Figure:
    """A radar chart of one graph's start reading against its latest reading.

    Args:
        graph: the spider graph.
        path: if given, the chart is also written there as a PNG.

    Returns:
        The matplotlib :class:`~matplotlib.figure.Figure`.

    Raises:
        ArgumentError: no scale is scored at both readings (the graph is named by id).

    Example:
        >>> import datetime as dt
        >>> from earlyhelp.model import SpiderGraph, SpiderReading, SpiderScale, SpiderScore
        >>> scales = tuple(SpiderScale(name=n, minimum=1, maximum=10)
        ...                for n in ("home", "school", "health"))
        >>> graph = SpiderGraph(graph_id="G1", episode_id="C1", scales=scales, readings=(
        ...     SpiderReading(stage="start", reading_date=dt.date(2014, 5, 1), scores=tuple(
        ...         SpiderScore(scale=n, score=3) for n in ("home", "school", "health"))),
        ...     SpiderReading(stage="end", reading_date=dt.date(2014, 9, 1), scores=tuple(
        ...         SpiderScore(scale=n, score=7) for n in ("home", "school", "health")))))
        >>> figure = spider_radar(graph)
        >>> [line.get_label() for line in figure.axes[0].get_lines()]
        ['start', 'latest']
    """
    scores = compared_scores(*spider_graphs_to_frames([graph]))
    values: dict[str, tuple[Fraction | int, Fraction | int]] = {
        scale: (start, latest) for _, scale, start, latest in scores.iter_rows()
    }
    scales = {scale.name: scale for scale in graph.scales if scale.name in values}
    return _draw(values, scales, f"Spider graph {graph.graph_id}", path)


def cohort_radar(
    graphs: Sequence[SpiderGraph],
    *,
    title: str = "Cohort average",
    path: str | os.PathLike[str] | None = None,
    minimum: int = 1,
) -> Figure:
    """A radar chart of a cohort's average start and latest scores on each scale.

    Each scale is averaged over the graphs that score it at both readings
    (:func:`cohort_averages`).

    Args:
        graphs: the cohort's spider graphs.
        title: the chart's title (a team or period, never a person).
        path: if given, the chart is also written there as a PNG.
        minimum: draw only the scales that at least this many graphs score at
            both readings (the published policy's smallest cohort).

    Raises:
        ArgumentError: no scale is scored at both readings by ``minimum`` graphs.
    """
    values: dict[str, tuple[Fraction | int, Fraction | int]] = dict(
        cohort_averages(graphs, minimum=minimum)
    )
    scales: dict[str, SpiderScale] = {}
    for graph in graphs:
        for scale in graph.scales:
            if scale.name in values:
                scales.setdefault(scale.name, scale)
    return _draw(values, scales, title, path)
