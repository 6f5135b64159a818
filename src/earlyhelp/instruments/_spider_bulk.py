"""Distance travelled and direction of travel for every spider graph, in polars.

The bulk twin of :func:`~earlyhelp.instruments._spider.distance_travelled`,
over the ``spider_scales`` and ``spider_readings`` tables: the same start and
latest readings, the same oriented changes, the same rule versions.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from earlyhelp.instruments._spider_rule import DirectionRule
from earlyhelp.model._vocab import Direction
from earlyhelp.periods._periods import Period, during_expr, parse_period
from earlyhelp.profiles._applying import (
    VERSION_COLUMN,
    ProfileLike,
    pick_by_version,
    raise_if_unruled,
    resolve_profile,
    rule_ids,
    version_index,
)

__all__ = ["DIRECTION", "spider_directions"]

DIRECTION: Final = pl.Enum([direction.value for direction in Direction])
"""The ``direction`` column's type."""

_RANK: Final = {"start": 0, "review": 1, "end": 2}


def _balance(rule: DirectionRule) -> pl.Expr:
    if rule is DirectionRule.TOTAL_SCORE:
        return pl.col("total")
    return pl.col("improved") - pl.col("worsened")


def spider_directions(
    scales: pl.DataFrame | pl.LazyFrame,
    readings: pl.DataFrame | pl.LazyFrame,
    *,
    profile: ProfileLike,
    period: Period | str | None = None,
) -> pl.DataFrame:
    """Every graph's distance travelled and direction of travel.

    Args:
        scales: a ``spider_scales`` table.
        readings: a ``spider_readings`` table (validated: at most one start and
            one end per graph, in date and stage order).
        profile: a :class:`~earlyhelp.profiles.Profile`, a shipped profile's name or a file.
        period: keep only the graphs completed (end reading dated) in this
            financial year or quarter, both ends inclusive. Without it, every graph.

    Returns:
        One row per graph, sorted by ``graph_id``: ``graph_id``, ``episode_id``,
        ``latest_date`` and ``completed`` (dates, null as in
        :class:`DistanceTravelled`), ``scales`` (how many were compared),
        ``total``, ``improved``, ``worsened``, ``direction`` (``improving``,
        ``no_change``, ``worsening`` or null) and ``rule_id``.

    Raises:
        ValueError: a reading scores a scale missing from ``scales`` (the message
            names the graph and the scale).
        NoRuleInForceError: a graph's latest reading is dated where no spider
            rule is in force, under a strict profile.

    Example:
        >>> import datetime as dt
        >>> scales = pl.DataFrame({"scale": ["home", "worry"], "minimum": [1, 1],
        ...     "maximum": [10, 10], "higher_is_better": [True, False]})
        >>> readings = pl.DataFrame({
        ...     "graph_id": ["G1"] * 4 + ["G2"],
        ...     "episode_id": ["C1"] * 4 + ["C2"],
        ...     "stage": ["start", "start", "end", "end", "start"],
        ...     "reading_date": [dt.date(2014, 5, 1)] * 2 + [dt.date(2014, 9, 1)] * 2
        ...                     + [dt.date(2014, 6, 1)],
        ...     "scale": ["home", "worry", "home", "worry", "home"],
        ...     "score": [3, 8, 6, 9, 5],
        ... })
        >>> spider_directions(scales, readings, profile="derby-2014-15").select(
        ...     "graph_id", "completed", "total", "improved", "worsened", "direction"
        ... ).rows()
        [('G1', datetime.date(2014, 9, 1), 2, 1, 1, 'improving'), ('G2', None, None, None, None, None)]
        >>> spider_directions(scales, readings, profile="derby-2014-15", period="2014-15 Q1").height
        0
    """
    resolved = resolve_profile(profile)
    versions = resolved.versions("spider")
    rows = readings.lazy().with_columns(
        pl.col("stage").replace_strict(_RANK, return_dtype=pl.Int64).alias("__rank")
    )
    scale_rows = scales.lazy().select(
        "scale", pl.when(pl.col("higher_is_better")).then(1).otherwise(-1).alias("__sign")
    )
    unknown = rows.join(scale_rows, on="scale", how="anti").select("graph_id", "scale")
    stray = unknown.head(1).collect(engine="in-memory")
    if stray.height:
        graph, scale = stray.row(0)
        msg = f"spider_readings: graph {graph} scores scale {scale}, which is not in spider_scales"
        raise ValueError(msg)
    start = rows.filter(pl.col("__rank") == 0)
    started = start.select("graph_id").unique()
    key = pl.col("reading_date").cast(pl.Int64) * 4 + pl.col("__rank")
    later = rows.filter(pl.col("__rank") > 0).join(started, on="graph_id", how="semi")
    latest = later.filter(key == key.max().over("graph_id"))
    changes = (
        start.select("graph_id", "scale", pl.col("score").alias("__start"))
        .join(latest.select("graph_id", "scale", "score"), on=["graph_id", "scale"])
        .join(scale_rows, on="scale")
        .group_by("graph_id")
        .agg(
            pl.len().cast(pl.Int64).alias("scales"),
            ((pl.col("score") - pl.col("__start")) * pl.col("__sign")).sum().alias("total"),
            ((pl.col("score") - pl.col("__start")) * pl.col("__sign") > 0)
            .sum()
            .cast(pl.Int64)
            .alias("improved"),
            ((pl.col("score") - pl.col("__start")) * pl.col("__sign") < 0)
            .sum()
            .cast(pl.Int64)
            .alias("worsened"),
        )
    )
    dates = latest.group_by("graph_id").agg(pl.col("reading_date").max().alias("latest_date"))
    completed = (
        rows.filter(pl.col("__rank") == 2)
        .join(started, on="graph_id", how="semi")
        .group_by("graph_id")
        .agg(pl.col("reading_date").min().alias("completed"))
    )
    graphs = (
        rows.group_by("graph_id")
        .agg(pl.col("episode_id").first())
        .join(dates, on="graph_id", how="left")
        .join(completed, on="graph_id", how="left")
        .join(changes, on="graph_id", how="left")
        .with_columns(
            pl.when(pl.col("scales").is_not_null())
            .then(version_index(versions, pl.col("latest_date")))
            .alias(VERSION_COLUMN),
            pl.col("graph_id").alias("__id"),
            pl.when(pl.col("scales").is_not_null()).then(pl.col("latest_date")).alias("__day"),
        )
    )
    if period is not None:
        window = parse_period(period) if isinstance(period, str) else period
        graphs = graphs.filter(during_expr("completed", window))
    graphs = graphs.collect(engine="in-memory").lazy()  # computed once: checked, then used
    raise_if_unruled(graphs, "__day", resolved, "spider graph", "graph")
    balance = pick_by_version(
        {index: _balance(rule.direction) for index, rule in enumerate(versions)}, pl.Int64()
    )
    ids = pick_by_version(
        {index: pl.lit(rule.rule_id) for index, rule in enumerate(versions)}, pl.String()
    )
    direction = (
        pl.when(balance > 0)
        .then(pl.lit(Direction.IMPROVING.value))
        .when(balance < 0)
        .then(pl.lit(Direction.WORSENING.value))
        .when(balance == 0)
        .then(pl.lit(Direction.NO_CHANGE.value))
        .cast(DIRECTION)
    )
    return (
        graphs.select(
            "graph_id",
            "episode_id",
            "latest_date",
            "completed",
            pl.col("scales").fill_null(0),
            "total",
            "improved",
            "worsened",
            direction.alias("direction"),
            ids.cast(rule_ids(versions) if versions else pl.String()).alias("rule_id"),
        )
        .sort("graph_id")
        .collect(engine="in-memory")
    )
