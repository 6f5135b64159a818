"""Distance travelled and direction of travel for every spider graph: the one definition.

A graph's *start* reading is compared with its *latest* reading: the last
reading after the start (a review or the end), in date and stage order. Only
scales scored at both readings count. Each scale's change is oriented so that a
positive change is better: latest minus start where a higher score is better,
start minus latest where lower is. The direction of travel is decided by the
profile's :class:`SpiderRule` in force on the latest reading's date: by the
total of the changes, or by how many scales improved against how many worsened.
A tie is *no change*.

A graph is *completed* on the date of its end reading, if it has a start
reading too; a graph with a start and reviews only has a distance travelled so
far but is not completed.

:func:`flag_spider_graphs` evaluates this over the ``spider_scales`` and
``spider_readings`` tables in polars; :func:`judge_direction` runs the same
evaluation on one graph and renders its row as a :class:`Decision`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from typing import Final

import polars as pl

from earlyhelp.errors import RecordError
from earlyhelp.instruments._spider_rule import DirectionRule, SpiderRule
from earlyhelp.model._spider import SpiderGraph
from earlyhelp.model._vocab import Direction
from earlyhelp.periods._periods import Period, PeriodsLike, as_periods, during_expr
from earlyhelp.profiles._applying import (
    VERSION_COLUMN,
    ProfileLike,
    pick_by_version,
    resolve_profile,
    rule_ids,
    version_index,
)
from earlyhelp.profiles._profile import Profile
from earlyhelp.rules import text as tx
from earlyhelp.rules._decision import Decision, Fact
from earlyhelp.rules._evidence import EXPLANATION, Rendering, decide
from earlyhelp.rules._evidence import explain as explain_evidence
from earlyhelp.rules._judging import check_ruled

__all__ = ["DIRECTION", "compared_scores", "flag_spider_graphs", "judge_direction"]

DIRECTION: Final = pl.Enum([direction.value for direction in Direction])
"""The ``direction`` column's type."""

_RANK: Final = {"start": 0, "review": 1, "end": 2}

_OUTPUT: Final = (
    "graph_id",
    "episode_id",
    "latest_date",
    "completed",
    "scales",
    "total",
    "improved",
    "worsened",
    "direction",
    "rule_id",
)


def _improved_worsened(between: str, after: str) -> tx.Text:
    """How many scales improved and worsened, in words."""
    return tx.concat_str(tx.col("improved"), tx.lit(between), tx.col("worsened"), tx.lit(after))


_IS_START: Final = pl.col("__rank") == 0
_IS_LATEST: Final = pl.col("__key") == pl.col("__latest")


_RANK_OF: Final = (
    pl.when(pl.col("stage") == "start")
    .then(0)
    .when(pl.col("stage") == "review")
    .then(1)
    .when(pl.col("stage") == "end")
    .then(2)
    .cast(pl.Int64)
    .alias("__rank")
)
_KEY: Final = pl.col("reading_date").cast(pl.Int64) * 4 + pl.col("__rank")
_LATEST: Final = _KEY.filter(pl.col("__rank") > 0).max()
"""The graph's latest reading after the start, as a key (aggregated over the graph's rows)."""
_TOTALS: Final = ("scales", "total", "improved", "worsened")


class _Scales:
    """The scales as the evaluation uses them: their names in order, and each one's sign.

    A reading's scale is coded by an enum of the names (in name order), so each
    comparison with a name is on integers and a score on a scale not declared
    becomes null. Each scale's score at the start and at the latest reading is
    aggregated in a column of its own, so one aggregation per graph compares
    every scale; each change is then oriented by the scale's sign (latest minus
    start where a higher score is better, start minus latest where lower is)
    and summed across the row.

    A score is the greatest of the graph's scores on the scale at that reading:
    a validated table has one (its key is graph, stage, date and scale), and
    with more the choice does not depend on row order.
    """

    def __init__(self, scales: Iterable[tuple[str, bool | None]]) -> None:
        better: dict[str, bool | None] = {}
        for name, higher in scales:
            better.setdefault(name, higher)
        self.names = tuple(sorted(better))
        self.kind = pl.Enum(list(self.names))
        score = pl.col("score")
        compared: list[pl.Expr] = []
        changes: list[pl.Expr] = []
        for index, name in enumerate(self.names):
            on = pl.col("scale") == name
            # filter, then max: a quarter of when-then-max's time in a group-by (polars 2.1)
            compared.append(score.filter(on & _IS_START).max().alias(f"__start_{index}"))
            compared.append(score.filter(on & _IS_LATEST).max().alias(f"__latest_{index}"))
            change = pl.col(f"__latest_{index}") - pl.col(f"__start_{index}")
            changes.append((change if better[name] else -change).alias(f"__change_{index}"))
        self.compared: tuple[pl.Expr, ...] = tuple(compared)
        """Per scale, the start and latest scores: aggregations over a graph's rows."""
        self.changes: tuple[pl.Expr, ...] = tuple(changes)
        """Per scale, the change, better as positive (null unless scored at both)."""
        self.totals = self._totals()
        self.text = self._text()

    def _totals(self) -> tuple[pl.Expr, ...]:
        """``scales`` compared, their ``total`` change, how many ``improved`` and ``worsened``."""
        change = [pl.col(f"__change_{index}") for index in range(len(self.names))]
        if not change:
            return tuple(pl.lit(0, pl.Int64).alias(name) for name in _TOTALS)
        counts = (
            pl.sum_horizontal(*(each.is_not_null() for each in change)),
            pl.sum_horizontal(*change),
            pl.sum_horizontal(*(each > 0 for each in change)),
            pl.sum_horizontal(*(each < 0 for each in change)),
        )
        return tuple(
            count.cast(pl.Int64).alias(name) for count, name in zip(counts, _TOTALS, strict=True)
        )

    def _text(self) -> pl.Expr:
        """Each scale's change in words, in scale order: ``home +3, worry -1``."""
        words = [
            pl.concat_str(pl.lit(f"{name} "), tx.signed(tx.col(f"__change_{index}")).expr())
            for index, name in enumerate(self.names)
        ]
        if not words:
            return pl.lit("").alias("changes")
        return pl.concat_str(words, separator=", ", ignore_nulls=True).alias("changes")

    @classmethod
    def of(cls, scales: pl.DataFrame | pl.LazyFrame) -> _Scales:
        """From a ``spider_scales`` table."""
        table = scales.lazy().select(pl.col("scale").cast(pl.String), "higher_is_better")
        return _scales(tuple(table.drop_nulls("scale").collect(engine="in-memory").iter_rows()))


@functools.lru_cache(maxsize=64)
def _scales(scales: tuple[tuple[str, bool | None], ...]) -> _Scales:
    """The scales' expressions, built once for each set of scales."""
    return _Scales(scales)


class _Grouping:
    """How the definition's expressions are grouped by graph: over many graphs, or one.

    The rule is the expressions (``_RANK_OF``, ``_LATEST``, ``_GRAPH``, the
    scales' comparisons and totals, the version and the direction), written
    once. This is only how rows are partitioned by graph. Over many graphs
    (:func:`flag_spider_graphs`) the graph's latest reading is a window over the
    graph and its aggregates a group-by on it; the graph is the id made
    categorical (each text hashed once, then integers), or, where the readings
    come sorted by graph id (so each graph's rows are together), the number of
    its run of rows, which needs no hashing at all. Over one graph
    (:func:`judge_direction`) the same aggregates are taken over the whole frame:
    on a few rows that saves a group-by's and a window's fixed costs. The
    property tests compare them, graph by graph, and sorted against shuffled.
    """

    def __init__(self, *, many: bool, runs: bool = False) -> None:
        self.many = many
        self.runs = runs
        self.key = "__graph" if runs else "graph_id"

    def rows(self, scales: _Scales, readings: pl.LazyFrame) -> pl.LazyFrame:
        """Each score, with its stage's rank, its reading's order and its graph's latest.

        The scales become their enum. A score on a scale not in ``scales`` plays
        no part (as an inner join would leave it out), though its reading still
        counts towards the graph's latest.
        """
        scale = pl.col("scale")
        if not isinstance(readings.collect_schema().get("scale"), _NAMED):
            scale = scale.cast(pl.String)  # names as numbers, say: compared as text
        # Text and categorical names alike straight to the enum: categorical names made
        # text first took twice as long (1M cases, polars 2.1).
        coded = readings.with_columns(scale.cast(scales.kind, strict=False), _RANK_OF)
        if self.runs:
            coded = coded.with_columns(pl.col("graph_id").rle_id().alias(self.key))
        elif self.many:
            coded = coded.with_columns(pl.col("graph_id").cast(pl.Categorical))
        latest = _LATEST.over(self.key) if self.many else _LATEST
        keyed = coded.with_columns(_KEY.alias("__key"), latest.alias("__latest"))
        return keyed.filter(pl.col("scale").is_not_null())

    def per_graph(self, frame: pl.LazyFrame, *aggregates: pl.Expr) -> pl.LazyFrame:
        """One row per graph: its id and ``aggregates``."""
        if self.runs:
            return frame.group_by(self.key).agg(pl.col("graph_id").first(), *aggregates)
        if self.many:
            return frame.group_by("graph_id").agg(*aggregates)
        return frame.select(pl.col("graph_id").first(), *aggregates)

    def ids(self) -> pl.Expr:
        """The graph ids as text again, for the output."""
        graph = pl.col("graph_id")
        return graph.cast(pl.String) if self.many and not self.runs else graph

    def ordered(self, graphs: pl.LazyFrame) -> pl.LazyFrame:
        """The graphs in id order (runs of sorted readings are numbered in it)."""
        if self.runs:
            return graphs.sort(self.key).drop(self.key)
        return graphs.sort("graph_id") if self.many else graphs

    @staticmethod
    def of(readings: pl.DataFrame | pl.LazyFrame) -> _Grouping:
        """The grouping for many graphs' readings: by runs where they come sorted by graph."""
        if isinstance(readings, pl.DataFrame) and readings.get_column("graph_id").is_sorted():
            return _RUNS
        return _MANY


_NAMED: Final = (pl.String, pl.Categorical, pl.Enum)
"""Scale name types cast to the scales' enum as they are."""
_MANY: Final = _Grouping(many=True)
_RUNS: Final = _Grouping(many=True, runs=True)
_ONE: Final = _Grouping(many=False)


def compared_scores(
    scales: pl.DataFrame | pl.LazyFrame, readings: pl.DataFrame | pl.LazyFrame
) -> pl.DataFrame:
    """The scores each graph's direction compares: start and latest, per scale scored at both.

    The same selection of readings :func:`flag_spider_graphs` decides from (the
    radar charts draw it).

    Returns:
        ``graph_id, scale, start, latest``, sorted by graph and scale.

    Example:
        >>> import datetime as dt
        >>> scales = pl.DataFrame({"scale": ["home"], "minimum": [1], "maximum": [10],
        ...     "higher_is_better": [True]})
        >>> readings = pl.DataFrame({"graph_id": ["G1"] * 3, "episode_id": ["C1"] * 3,
        ...     "stage": ["start", "review", "review"],
        ...     "reading_date": [dt.date(2014, 5, 1), dt.date(2014, 6, 1), dt.date(2014, 7, 1)],
        ...     "scale": ["home"] * 3, "score": [2, 6, 1]})
        >>> compared_scores(scales, readings).rows()
        [('G1', 'home', 2, 1)]
    """
    coded = _Scales.of(scales)
    graphs = _MANY.per_graph(_MANY.rows(coded, readings.lazy()), *coded.compared)
    graph = pl.col("graph_id").cast(pl.String)
    each = [
        graphs.select(
            graph,
            pl.lit(name).alias("scale"),
            pl.col(f"__start_{index}").alias("start"),
            pl.col(f"__latest_{index}").alias("latest"),
        )
        for index, name in enumerate(coded.names)
    ]
    if not each:
        score = readings.lazy().collect_schema().get("score", pl.Int64())
        schema = {"graph_id": pl.String(), "scale": pl.String(), "start": score, "latest": score}
        return pl.DataFrame(schema=schema)
    return (
        pl.concat(each)
        .filter(pl.col("start").is_not_null() & pl.col("latest").is_not_null())
        .sort("graph_id", "scale")
        .collect(engine="in-memory")
    )


_GRAPH: Final = (
    pl.col("episode_id").first(),
    pl.col("reading_date").min().alias("first_date"),
    pl.col("reading_date").filter(_IS_START).min().alias("start_date"),
    pl.col("reading_date").filter(_IS_LATEST).max().alias("__latest_date"),
    pl.col("stage").filter(_IS_LATEST).first().cast(pl.String).alias("__latest_stage"),
    pl.col("reading_date").filter(pl.col("__rank") == 2).min().alias("__end"),
)
_STARTED_ONLY: Final = tuple(
    pl.when(pl.col("start_date").is_not_null()).then(pl.col(name)).alias(name.removeprefix("__"))
    for name in ("__latest_date", "__latest_stage", "__end")
)
_COMPARED_ANY: Final = pl.col("scales").is_not_null()
_SCALED_ONLY: Final = tuple(
    pl.when(pl.col("scales") > 0).then(pl.col(name)).alias(name)
    for name in ("scales", "total", "improved", "worsened")
)
_BALANCE: Final = (
    pl.when(pl.col("decided_by") == DirectionRule.TOTAL_SCORE.value)
    .then(pl.col("total"))
    .otherwise(pl.col("improved") - pl.col("worsened"))
)
_DIRECTION: Final = (
    pl.when(pl.col("rule_id").is_null())
    .then(None)
    .when(_BALANCE > 0)
    .then(pl.lit(Direction.IMPROVING.value))
    .when(_BALANCE < 0)
    .then(pl.lit(Direction.WORSENING.value))
    .otherwise(pl.lit(Direction.NO_CHANGE.value))
    .cast(DIRECTION)
    .alias("direction")
)

_BY_VERSION: dict[int, tuple[tuple[SpiderRule, ...], tuple[pl.Expr, ...]]] = {}


def _by_version(versions: Sequence[SpiderRule]) -> tuple[pl.Expr, ...]:
    """The version index, then ``decided_on``, ``decided_by`` and ``rule_id`` expressions.

    Built once per profile's versions (held, so the id keying the cache stays theirs).
    """
    found = _BY_VERSION.get(id(versions))
    if found is not None and found[0] is versions:
        return found[1]
    decided_by = pick_by_version(
        {index: pl.lit(rule.direction.value) for index, rule in enumerate(versions)}, pl.String()
    )
    ids = pick_by_version(
        {index: pl.lit(rule.rule_id) for index, rule in enumerate(versions)}, pl.String()
    )
    exprs = (
        pl.when(_COMPARED_ANY)
        .then(version_index(versions, pl.col("latest_date")))
        .alias(VERSION_COLUMN),
        pl.when(_COMPARED_ANY).then(pl.col("latest_date")).alias("decided_on"),
        decided_by.alias("decided_by"),
        ids.cast(rule_ids(versions) if versions else pl.String()).alias("rule_id"),
    )
    if len(_BY_VERSION) >= 64:
        _BY_VERSION.clear()
    _BY_VERSION[id(versions)] = (tuple(versions), exprs)
    return exprs


def _evidence(
    scales: _Scales,
    readings: pl.LazyFrame,
    versions: Sequence[SpiderRule],
    periods: Sequence[Period] | None,
    *,
    changes: bool,
    grouping: _Grouping = _MANY,
) -> pl.LazyFrame:
    """The definition: one row per graph with a scored reading, and all that decided it.

    With ``changes``, also each graph's changes scale by scale in words (for
    explanations). With ``periods``, only the graphs completed in one of them.
    Check the collected rows with :func:`check_ruled`.
    ``grouping`` is :data:`_ONE` for a single graph's readings.
    """
    rows = grouping.rows(scales, readings)
    graphs = grouping.per_graph(rows, *_GRAPH, *scales.compared)
    graphs = graphs.with_columns(*_STARTED_ONLY, *scales.changes).rename({"end": "completed"})
    totals = (*scales.totals, scales.text) if changes else scales.totals
    graphs = graphs.with_columns(*totals).with_columns(*_SCALED_ONLY)
    if periods is not None:
        graphs = graphs.filter(pl.any_horizontal(during_expr("completed", p) for p in periods))
    which, *decided = _by_version(versions)
    graphs = graphs.with_columns(which).with_columns(*decided)
    graphs = graphs.with_columns(_DIRECTION, pl.col("scales").fill_null(0), grouping.ids())
    return grouping.ordered(graphs.drop(VERSION_COLUMN))


_RENDERINGS: dict[int, tuple[Profile, Rendering[SpiderRule]]] = {}


def _rendering(profile: Profile) -> Rendering[SpiderRule]:
    """How the spider rule's evidence reads in words (built once per profile)."""
    cached = _RENDERINGS.get(id(profile))
    if cached is not None and cached[0] is profile:
        return cached[1]
    if len(_RENDERINGS) > 64:
        _RENDERINGS.clear()
    rendering = _build_rendering(profile)
    _RENDERINGS[id(profile)] = (profile, rendering)
    return rendering


def _build_rendering(profile: Profile) -> Rendering[SpiderRule]:
    graph = tx.concat_str(tx.lit("graph "), tx.col("graph_id"))
    word = tx.spelled(
        tx.col("direction"),
        {"improving": "Improving", "no_change": "No change", "worsening": "Worsening"},
    )
    scales = tx.when(tx.col("scales") == 1).then(tx.lit(" scale")).otherwise(tx.lit(" scales"))
    by_total = tx.col("decided_by") == DirectionRule.TOTAL_SCORE.value
    how = (
        tx.when(by_total)
        .then(tx.concat_str(tx.lit("total change "), tx.signed(tx.col("total"))))
        .otherwise(_improved_worsened(" improved and ", " worsened"))
    )
    readings = tx.concat_str(
        tx.lit(" over "),
        tx.col("scales").cast(pl.String),
        scales,
        tx.lit(", start "),
        tx.col("start_date").uk_date(),
        tx.lit(" to "),
        tx.col("latest_stage"),
        tx.lit(" "),
        tx.col("latest_date").uk_date(),
    )
    sign = (
        tx.when(tx.col("direction") == Direction.IMPROVING.value)
        .then(tx.lit("above"))
        .when(tx.col("direction") == Direction.WORSENING.value)
        .then(tx.lit("below"))
        .otherwise(tx.lit("equal to"))
    )
    total_reason = tx.concat_str(
        tx.lit("the changes, better as positive, total "),
        tx.signed(tx.col("total")),
        tx.lit(", "),
        sign,
        tx.lit(" 0"),
    )
    more = (
        tx.when(tx.col("improved") > tx.col("worsened"))
        .then(tx.lit("more scales improved than worsened"))
        .when(tx.col("improved") < tx.col("worsened"))
        .then(tx.lit("fewer scales improved than worsened"))
        .otherwise(tx.lit("as many scales improved as worsened"))
    )
    reason = (
        tx.when(by_total)
        .then(total_reason)
        .otherwise(tx.concat_str(more, tx.lit(" ("), _improved_worsened(" against ", ")")))
    )
    nothing = tx.concat_str(
        tx.lit("No direction: "),
        graph,
        tx.when(tx.col("start_date").is_null())
        .then(tx.lit(" has no start reading"))
        .when(tx.col("latest_date").is_null())
        .then(tx.lit(" has no reading after its start"))
        .otherwise(tx.lit(" scores no scale at both its start and its latest reading")),
    )
    unruled = (
        tx.when(tx.col("scales") == 0)
        .then(nothing)
        .otherwise(
            tx.concat_str(
                tx.lit("No decision: no spider rule is in force on "),
                tx.col("latest_date").uk_date(),
                tx.lit(f" in profile {profile.profile_id}"),
            )
        )
    )
    return Rendering(
        question="direction of travel",
        subject=graph,
        as_of=pl.coalesce("latest_date", "first_date"),
        outcome=pl.col("direction").cast(pl.String),
        fired=pl.lit(True),
        summary=tx.concat_str(word, tx.lit(": "), graph, tx.lit(", "), how, readings),
        reason=reason,
        unruled=unruled,
        inputs=(
            ("graph_id", tx.col("graph_id")),
            ("start", tx.col("start_date").uk_date()),
            (
                "latest",
                tx.concat_str(tx.col("latest_stage"), tx.lit(" "), tx.col("latest_date").uk_date()),
            ),
            ("changes", tx.col("changes")),
            ("total", tx.signed(tx.col("total"))),
            ("improved", tx.col("improved")),
            ("worsened", tx.col("worsened")),
        ),
        parameters=lambda rule: (Fact(name="direction", value=rule.direction.value),),
    )


def _stray_scale(scales: _Scales, readings: pl.LazyFrame) -> None:
    if isinstance(readings.collect_schema().get("scale"), pl.Categorical):
        # A loaded table's names are categorical: their few distinct values, read by
        # code, settle it unless one is stray (a fifth of the look-up below, 1M cases).
        names = readings.select(pl.col("scale").unique().cast(pl.String)).collect()
        if names.get_column("scale").is_in(scales.names).fill_null(value=False).all():
            return  # a missing name is stray too, as below
    # a look-up in the handful of names (measured at a fifth of an anti join's cost)
    scale = pl.col("scale").cast(pl.String)
    unknown = readings.filter((~scale.is_in(scales.kind.categories)).fill_null(value=True))
    stray = unknown.select("graph_id", "scale").head(1).collect(engine="in-memory")
    if stray.height:
        graph, scale = stray.row(0)
        msg = f"graph {graph} scores scale {scale}, which is not in spider_scales"
        raise RecordError("spider_readings", str(graph), [("scale", msg)])


def flag_spider_graphs(
    scales: pl.DataFrame | pl.LazyFrame,
    readings: pl.DataFrame | pl.LazyFrame,
    *,
    profile: ProfileLike,
    period: PeriodsLike | None = None,
    explain: bool = False,
) -> pl.DataFrame:
    """Every graph's distance travelled and direction of travel.

    The one definition of the spider rule (see the module's description);
    :func:`judge_direction` renders one graph's row.

    Args:
        scales: a ``spider_scales`` table.
        readings: a ``spider_readings`` table (validated: at most one start and
            one end per graph, in date and stage order).
        profile: a :class:`~earlyhelp.profiles.Profile`, a shipped profile's name or a file.
        period: keep only the graphs completed (end reading dated) in this
            financial year or quarter, or in any of several (``["2013-14",
            "2014-15"]``), both ends inclusive. Without it, every graph. Only
            those graphs' rules must be in force.
        explain: add an ``explanation`` column: each graph's decision in words,
            exactly as ``str(judge_direction(...))`` prints it.

    Returns:
        One row per graph with a scored reading, sorted by ``graph_id``:
        ``graph_id``, ``episode_id``, ``latest_date`` (null with no reading
        after the start), ``completed`` (the end reading's date, if the graph
        has a start), ``scales`` (how many were compared), ``total``,
        ``improved``, ``worsened`` (null when no scale was compared),
        ``direction`` (``improving``, ``no_change``, ``worsening``, or null
        when nothing was compared or, under a lenient profile, no rule is in
        force) and ``rule_id``.

    Raises:
        RecordError: a reading scores a scale missing from ``scales`` (the message
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
        >>> flag_spider_graphs(scales, readings, profile="derby-2014-15").select(
        ...     "graph_id", "completed", "total", "improved", "worsened", "direction"
        ... ).rows()
        [('G1', datetime.date(2014, 9, 1), 2, 1, 1, 'improving'), ('G2', None, None, None, None, None)]
        >>> flag_spider_graphs(scales, readings, profile="derby-2014-15", period="2014-15 Q1").height
        0
        >>> flag_spider_graphs(scales, readings, profile="derby-2014-15",
        ...     period=["2014-15 Q1", "2014-15 Q2"])["graph_id"].to_list()
        ['G1']
        >>> flags = flag_spider_graphs(scales, readings, profile="derby-2014-15", explain=True)
        >>> print(flags["explanation"][0])
        Improving: graph G1, total change +2 over 2 scales, start 01/05/2014 to end 01/09/2014
        Decided on 01/09/2014 under profile derby-2014-15:
        - rule SG-TOTAL applies: the changes, better as positive, total +2, above 0
          read: graph_id = G1; start = 01/05/2014; latest = end 01/09/2014; changes = home +3, worry -1; total = +2; improved = 1; worsened = 1
          using: direction = total_score (in force from 01/04/2013)
          source: Derby early help performance framework 2014-15, Impact: ...
        >>> print(flags["explanation"][1])
        No direction: graph G2 has no reading after its start
        Decided on 01/06/2014 under profile derby-2014-15:
    """
    resolved = resolve_profile(profile)
    versions = resolved.versions(SpiderRule)
    scale_rows, reading_rows = scales.lazy(), readings.lazy()
    coded = _Scales.of(scale_rows)
    _stray_scale(coded, reading_rows)
    grouping = _Grouping.of(readings)
    periods = None if period is None else as_periods(period)
    evidence = _evidence(coded, reading_rows, versions, periods, changes=explain, grouping=grouping)
    # The default engine: measured twice as fast as in-memory on this plan (polars 2.1).
    found = evidence.collect()
    check_ruled(
        found,
        day="decided_on",
        ident="graph_id",
        profile=resolved,
        family="spider graph",
        record="graph",
    )
    if not explain:
        return found.select(_OUTPUT)
    rendering = _rendering(resolved)
    explained = explain_evidence(found.lazy(), rendering, versions, resolved.profile_id)
    return explained.select(*_OUTPUT, EXPLANATION).collect()


def judge_direction(graph: SpiderGraph, *, profile: ProfileLike) -> Decision:
    """One graph's direction of travel, and why.

    Runs :func:`flag_spider_graphs` on the one graph and renders its row: the
    decision's ``str()`` is that row's ``explanation``. Its outcome is
    ``"improving"``, ``"no_change"`` or ``"worsening"``; ``None`` when there is
    nothing to compare (no start, no later reading, or no scale scored at both)
    or, under a lenient profile, no rule is in force. Its step reads the dates
    compared, each scale's change (better as positive), the total, and how many
    scales improved and worsened.

    Args:
        graph: the spider graph.
        profile: a :class:`~earlyhelp.profiles.Profile`, a shipped profile's name or a file.

    Raises:
        RecordError: the graph has no scored reading, so nothing to judge.
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
        >>> decision = judge_direction(graph, profile="derby-2014-15")
        >>> decision.outcome, decision.fired_rules
        ('improving', ('SG-TOTAL',))
        >>> print(decision.summary)
        Improving: graph G1, total change +2 over 2 scales, start 01/05/2014 to end 01/09/2014
    """
    resolved = resolve_profile(profile)
    versions = resolved.versions(SpiderRule)
    coded = _scales(tuple((scale.name, scale.higher_is_better) for scale in graph.scales))
    readings = _graph_readings(graph)
    evidence = _evidence(coded, readings, versions, None, changes=True, grouping=_ONE)

    def check(explained: pl.DataFrame) -> None:
        if explained["graph_id"].is_null().all():  # no scored reading: one row of nulls
            problem = ("readings", "no reading has a score, so there is nothing to judge")
            raise RecordError("SpiderGraph", graph.graph_id, [problem])
        check_ruled(
            explained,
            day="decided_on",
            ident="graph_id",
            profile=resolved,
            family="spider graph",
            record="graph",
        )

    (decision,) = decide(evidence, _rendering(resolved), versions, resolved.profile_id, check=check)
    return decision


_READINGS: Final = {
    "graph_id": pl.String(),
    "episode_id": pl.String(),
    "stage": pl.String(),
    "reading_date": pl.Date(),
    "scale": pl.String(),
    "score": pl.Int64(),
}


def _graph_readings(graph: SpiderGraph) -> pl.LazyFrame:
    """One graph's scores, as the columns the definition reads."""
    scores = [
        (
            graph.graph_id,
            graph.episode_id,
            reading.stage.value,
            dt.date(
                reading.reading_date.year, reading.reading_date.month, reading.reading_date.day
            ),
            score.scale,
            score.score,
        )
        for reading in graph.readings
        for score in reading.scores
    ]
    return pl.LazyFrame(scores, schema=_READINGS, orient="row")
