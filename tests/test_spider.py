"""Spider graphs: distance travelled, direction of travel, bulk agreement and radar charts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import earlyhelp as eh
import strategies
from demo_data import demo_dataset
from earlyhelp.errors import NoRuleInForceError
from earlyhelp.instruments import (
    DirectionRule,
    SpiderRule,
    cohort_averages,
    cohort_radar,
    flag_spider_graphs,
    improving_rate,
    judge_direction,
    spider_radar,
)
from earlyhelp.io import spider_graphs_to_frames
from earlyhelp.model import Direction
from earlyhelp.profiles import Citation, Effective, OnMissing

DERBY = eh.load_profile("derby-2014-15")


def profile_with(rule: DirectionRule, *, on_missing: OnMissing = OnMissing.STRICT) -> eh.Profile:
    """Derby, with one spider rule in force on every day the strategies draw."""
    version = SpiderRule(
        rule_id=f"SG-{rule.value}",
        effective=Effective(start=dt.date(1900, 1, 1)),
        citation=Citation(document="test"),
        direction=rule,
    )
    return attrs.evolve(DERBY.with_rules("spider", (version,)), on_missing=on_missing)


def reading(stage: str, day: dt.date, **scores: int) -> eh.model.SpiderReading:
    return eh.model.SpiderReading(
        stage=stage,
        reading_date=day,
        scores=tuple(eh.model.SpiderScore(scale=name, score=v) for name, v in scores.items()),
    )


SCALES = (
    eh.model.SpiderScale(name="home", minimum=1, maximum=10),
    eh.model.SpiderScale(name="school", minimum=1, maximum=10),
    eh.model.SpiderScale(name="worry", minimum=1, maximum=10, higher_is_better=False),
)


def graph(*readings: eh.model.SpiderReading, graph_id: str = "G1") -> eh.model.SpiderGraph:
    return eh.model.SpiderGraph(
        graph_id=graph_id, episode_id="C1", scales=SCALES, readings=readings
    )


# ------------------------------------------------------------------------ strategies


@st.composite
def comparable_graphs(draw: st.DrawFn) -> eh.model.SpiderGraph:
    """A graph with a start and an end reading that share at least one scale."""
    scales = draw(
        st.lists(strategies.spider_scales(), min_size=1, max_size=4, unique_by=lambda s: s.name)
    )
    start_day = draw(strategies.dates(dt.date(2001, 1, 1), dt.date(2029, 1, 1)))
    end_day = start_day + dt.timedelta(days=draw(st.integers(0, 400)))
    before = tuple(
        eh.model.SpiderScore(scale=s.name, score=draw(st.integers(s.minimum, s.maximum)))
        for s in scales
    )
    after = tuple(
        eh.model.SpiderScore(scale=s.name, score=draw(st.integers(s.minimum, s.maximum)))
        for s in scales
    )
    return eh.model.SpiderGraph(
        graph_id="G",
        episode_id="C",
        scales=scales,
        readings=(
            eh.model.SpiderReading(stage="start", reading_date=start_day, scores=before),
            eh.model.SpiderReading(stage="end", reading_date=end_day, scores=after),
        ),
    )


def reversed_graph(graph: eh.model.SpiderGraph) -> eh.model.SpiderGraph:
    """The same graph with its start and end scores swapped."""
    first, last = graph.readings
    return attrs.evolve(
        graph,
        readings=(
            attrs.evolve(first, scores=last.scores),
            attrs.evolve(last, scores=first.scores),
        ),
    )


def renamed(index: int, graph: eh.model.SpiderGraph) -> eh.model.SpiderGraph:
    """A graph whose id and scale names are unique to ``index``, so graphs share no scale."""

    def name(scale: str) -> str:
        return f"{index}:{scale}"

    return eh.model.SpiderGraph(
        graph_id=f"G{index}",
        episode_id=graph.episode_id,
        scales=tuple(attrs.evolve(s, name=name(s.name)) for s in graph.scales),
        readings=tuple(
            attrs.evolve(r, scores=tuple(attrs.evolve(x, scale=name(x.scale)) for x in r.scores))
            for r in graph.readings
        ),
    )


RULES = st.sampled_from(DirectionRule)


# ------------------------------------------------------------------------ an oracle


@attrs.frozen
class Oracle:
    """A graph's figures worked out by hand, reading by reading: an independent check."""

    changes: dict[str, int]
    latest_date: dt.date | None
    completed: dt.date | None
    direction: Direction | None

    @property
    def total(self) -> int:
        return sum(self.changes.values())

    @property
    def improved(self) -> int:
        return sum(c > 0 for c in self.changes.values())

    @property
    def worsened(self) -> int:
        return sum(c < 0 for c in self.changes.values())


def oracle(graph: eh.model.SpiderGraph, rule: DirectionRule | None) -> Oracle:
    scored = [r for r in graph.readings if r.scores]
    start = scored[0] if scored and scored[0].stage.value == "start" else None
    latest = scored[-1] if start is not None and len(scored) > 1 else None
    ends = [r.reading_date for r in scored if r.stage.value == "end"]
    completed = ends[0] if start is not None and ends else None
    if start is None or latest is None:
        return Oracle({}, None, completed, None)
    sign = {s.name: 1 if s.higher_is_better else -1 for s in graph.scales}
    before = {x.scale: x.score for x in start.scores}
    changes = {
        x.scale: sign[x.scale] * (x.score - before[x.scale])
        for x in latest.scores
        if x.scale in before
    }
    found = Oracle(changes, latest.reading_date, completed, None)
    if not changes or rule is None:
        return found
    by_total = rule is DirectionRule.TOTAL_SCORE
    balance = found.total if by_total else found.improved - found.worsened
    direction = (
        Direction.IMPROVING
        if balance > 0
        else Direction.WORSENING
        if balance < 0
        else Direction.NO_CHANGE
    )
    return attrs.evolve(found, direction=direction)


def row_of(graph: eh.model.SpiderGraph, profile: eh.Profile | str) -> dict[str, object]:
    scales, readings = spider_graphs_to_frames([graph])
    return flag_spider_graphs(scales, readings, profile=profile).row(0, named=True)


# ------------------------------------------------------------------------ properties


@given(comparable_graphs(), RULES)
def test_reversing_readings_swaps_improving_and_worsening(
    graph: eh.model.SpiderGraph, rule: DirectionRule
) -> None:
    profile = profile_with(rule)
    forward = row_of(graph, profile)
    backward = row_of(reversed_graph(graph), profile)
    swapped = {"improving": "worsening", "worsening": "improving", "no_change": "no_change"}
    assert forward["direction"] is not None
    assert backward["direction"] == swapped[str(forward["direction"])]
    assert backward["total"] == -forward["total"]  # type: ignore[operator]
    assert (backward["improved"], backward["worsened"]) == (
        forward["worsened"],
        forward["improved"],
    )


@given(st.lists(strategies.spider_graphs(), max_size=6), RULES)
def test_bulk_agrees_with_the_oracle(
    graphs: list[eh.model.SpiderGraph], rule: DirectionRule
) -> None:
    graphs = [renamed(i, g) for i, g in enumerate(graphs)]
    scales, readings = spider_graphs_to_frames(graphs)
    bulk = {
        row["graph_id"]: row
        for row in flag_spider_graphs(scales, readings, profile=profile_with(rule)).iter_rows(
            named=True
        )
    }
    for g in graphs:
        expected = oracle(g, rule)
        if not any(r.scores for r in g.readings):
            assert g.graph_id not in bulk  # a graph with no scores has no rows
            continue
        row = bulk[g.graph_id]
        assert row["direction"] == (
            None if expected.direction is None else expected.direction.value
        )
        assert row["completed"] == expected.completed
        assert row["scales"] == len(expected.changes)
        if expected.changes:
            assert (row["total"], row["improved"], row["worsened"]) == (
                expected.total,
                expected.improved,
                expected.worsened,
            )
            assert row["latest_date"] == expected.latest_date
            assert row["rule_id"] == f"SG-{rule.value}"
        else:
            assert (row["total"], row["direction"], row["rule_id"]) == (None, None, None)


@given(st.lists(strategies.spider_graphs(), max_size=6), RULES, st.randoms(use_true_random=False))
def test_the_flags_do_not_depend_on_the_order_of_the_readings(
    graphs: list[eh.model.SpiderGraph], rule: DirectionRule, random: Any
) -> None:
    # Readings sorted by graph are grouped by their runs of rows, others (and a lazy
    # frame) by the graph id: every way gives the same rows, explanations included.
    graphs = [renamed(i, g) for i, g in enumerate(graphs)]
    scales, readings = spider_graphs_to_frames(graphs)
    order = list(range(readings.height))
    random.shuffle(order)
    profile = profile_with(rule)
    by_graph = readings.sort("graph_id", maintain_order=True)
    expected = flag_spider_graphs(scales, by_graph, profile=profile, explain=True)
    for given_readings in (readings[order], by_graph.lazy(), readings[order].lazy()):
        found = flag_spider_graphs(scales, given_readings, profile=profile, explain=True)
        assert found.equals(expected)


#: Two versions with a gap: latest readings in April 2015 have no rule in force.
SPLIT = (
    SpiderRule(
        rule_id="SG-OLD",
        effective=Effective(start=dt.date(2000, 1, 1), end=dt.date(2015, 3, 31)),
        citation=Citation(document="old guide"),
        direction=DirectionRule.TOTAL_SCORE,
    ),
    SpiderRule(
        rule_id="SG-NEW",
        effective=Effective(start=dt.date(2015, 5, 1)),
        citation=Citation(document="new guide", section="s. 3"),
        direction=DirectionRule.SCALES_IMPROVED,
    ),
)
SPLIT_LENIENT = attrs.evolve(DERBY.with_rules("spider", SPLIT), on_missing=OnMissing.LENIENT)


@given(st.lists(strategies.spider_graphs(), max_size=5))
def test_each_graphs_decision_is_its_bulk_explanation(graphs: list[eh.model.SpiderGraph]) -> None:
    """str(judge_direction(graph)) is the explanation flag_spider_graphs gives the graph."""
    graphs = [renamed(i, g) for i, g in enumerate(graphs) if any(r.scores for r in g.readings)]
    scales, readings = spider_graphs_to_frames(graphs)
    flags = flag_spider_graphs(scales, readings, profile=SPLIT_LENIENT, explain=True)
    rows = {row["graph_id"]: row for row in flags.iter_rows(named=True)}
    assert set(rows) == {g.graph_id for g in graphs}
    for g in graphs:
        decision = judge_direction(g, profile=SPLIT_LENIENT)
        row = rows[g.graph_id]
        assert str(decision) == row["explanation"]
        assert decision.outcome == row["direction"]
        assert decision.fired_rules == (() if row["rule_id"] is None else (row["rule_id"],))
        assert eh.Decision.from_json(decision.to_json()) == decision


@given(st.lists(st.sampled_from(["improving", "no_change", "worsening", None])))
def test_improving_rate_is_a_percentage(directions: list[str | None]) -> None:
    rate = improving_rate(pl.DataFrame({"direction": directions}, schema={"direction": pl.String}))
    decided = [d for d in directions if d is not None]
    if not decided:
        assert rate is None
    else:
        assert rate is not None
        assert 0 <= rate <= 100
        assert rate * len(decided) == 100 * decided.count("improving")


# ------------------------------------------------------------------------ edge cases


def test_graph_with_only_a_start_reading_has_no_direction() -> None:
    g = graph(reading("start", dt.date(2014, 5, 1), home=3))
    decision = judge_direction(g, profile="derby-2014-15")
    assert (decision.outcome, decision.steps) == (None, ())
    assert str(decision) == (
        "No direction: graph G1 has no reading after its start\n"
        "Decided on 01/05/2014 under profile derby-2014-15:"
    )
    row = row_of(g, "derby-2014-15")
    assert (row["completed"], row["latest_date"], row["scales"]) == (None, None, 0)


def test_a_graph_with_no_scores_cannot_be_judged() -> None:
    g = graph(eh.model.SpiderReading(stage="start", reading_date=dt.date(2014, 5, 1), scores=()))
    with pytest.raises(eh.errors.RecordError, match="SpiderGraph G1: readings: no reading"):
        judge_direction(g, profile="derby-2014-15")


def test_a_lower_score_is_better_on_a_lower_is_better_scale() -> None:
    g = graph(
        reading("start", dt.date(2014, 5, 1), worry=9),
        reading("end", dt.date(2014, 8, 1), worry=4),
    )
    decision = judge_direction(g, profile="derby-2014-15")
    assert decision.outcome == "improving"
    assert "changes = worry +5" in str(decision)


def test_the_two_rules_can_disagree_and_ties_are_no_change() -> None:
    # home +3, school -1, worry worse by 1: total +1, but 1 improved against 2 worsened.
    g = graph(
        reading("start", dt.date(2014, 5, 1), home=2, school=5, worry=5),
        reading("review", dt.date(2014, 7, 1), home=3, school=5, worry=5),
        reading("end", dt.date(2014, 9, 1), home=5, school=4, worry=6),
    )
    total = judge_direction(g, profile=profile_with(DirectionRule.TOTAL_SCORE))
    count = judge_direction(g, profile=profile_with(DirectionRule.SCALES_IMPROVED))
    assert (total.outcome, count.outcome) == ("improving", "worsening")
    assert total.summary == (
        "Improving: graph G1, total change +1 over 3 scales, start 01/05/2014 to end 01/09/2014"
    )
    assert count.summary == (
        "Worsening: graph G1, 1 improved and 2 worsened over 3 scales, "
        "start 01/05/2014 to end 01/09/2014"
    )
    assert "fewer scales improved than worsened (1 against 2)" in str(count)
    tie = graph(
        reading("start", dt.date(2014, 5, 1), home=2, school=5),
        reading("end", dt.date(2014, 9, 1), home=4, school=4),
    )
    tied = judge_direction(tie, profile=profile_with(DirectionRule.SCALES_IMPROVED))
    assert tied.outcome == "no_change"
    assert "as many scales improved as worsened (1 against 1)" in str(tied)
    flat = graph(
        reading("start", dt.date(2014, 5, 1), home=2, school=5),
        reading("end", dt.date(2014, 9, 1), home=4, school=3),
    )
    assert judge_direction(flat, profile="derby-2014-15").outcome == "no_change"


def test_latest_reading_is_a_review_when_there_is_no_end() -> None:
    g = graph(
        reading("start", dt.date(2014, 5, 1), home=2),
        reading("review", dt.date(2014, 6, 1), home=6),
        reading("review", dt.date(2014, 7, 1), home=1),
    )
    decision = judge_direction(g, profile="derby-2014-15")
    assert (decision.outcome, decision.as_of) == ("worsening", dt.date(2014, 7, 1))
    assert "latest = review 01/07/2014" in str(decision)
    assert row_of(g, "derby-2014-15")["completed"] is None


def test_no_shared_scale_means_no_direction() -> None:
    g = graph(
        reading("start", dt.date(2014, 5, 1), home=2),
        reading("end", dt.date(2014, 6, 1), school=6),
    )
    decision = judge_direction(g, profile="derby-2014-15")
    assert decision.outcome is None
    assert decision.summary == (
        "No direction: graph G1 scores no scale at both its start and its latest reading"
    )
    assert row_of(g, "derby-2014-15")["completed"] == dt.date(2014, 6, 1)


@pytest.mark.parametrize(
    ("latest", "rule_id"),
    [
        (dt.date(2015, 3, 31), "SG-OLD"),  # the old version's last day
        (dt.date(2015, 4, 1), None),  # the gap
        (dt.date(2015, 4, 30), None),  # a month end in the gap
        (dt.date(2015, 5, 1), "SG-NEW"),  # the new version's first day
        (dt.date(2016, 2, 29), "SG-NEW"),  # a leap day
    ],
)
def test_the_version_in_force_on_the_latest_reading_decides(
    latest: dt.date, rule_id: str | None
) -> None:
    g = graph(
        reading("start", dt.date(2014, 5, 1), home=2, school=5, worry=5),
        reading("end", latest, home=5, school=4, worry=6),
    )
    decision = judge_direction(g, profile=SPLIT_LENIENT)
    expected = {"SG-OLD": "improving", "SG-NEW": "worsening", None: None}[rule_id]
    assert (decision.outcome, decision.fired_rules) == (expected, (rule_id,) if rule_id else ())
    if rule_id is None:
        assert decision.summary == (
            f"No decision: no spider rule is in force on {latest:%d/%m/%Y} in profile derby-2014-15"
        )
    assert row_of(g, SPLIT_LENIENT)["rule_id"] == rule_id


def test_no_rule_in_force_strict_names_the_graph_and_lenient_has_no_direction() -> None:
    early = graph(
        reading("start", dt.date(2012, 5, 1), home=2),
        reading("end", dt.date(2013, 3, 31), home=6),
        graph_id="G-EARLY",
    )
    with pytest.raises(NoRuleInForceError, match=r"31/03/2013 .*graph G-EARLY"):
        judge_direction(early, profile="derby-2014-15")
    scales, readings = spider_graphs_to_frames([early])
    with pytest.raises(NoRuleInForceError, match="graph G-EARLY"):
        flag_spider_graphs(scales, readings, profile="derby-2014-15")
    lenient = attrs.evolve(DERBY, on_missing=OnMissing.LENIENT)
    decision = judge_direction(early, profile=lenient)
    assert (decision.outcome, decision.fired_rules) == (None, ())
    row = flag_spider_graphs(scales, readings, profile=lenient).row(0, named=True)
    assert (row["direction"], row["rule_id"], row["total"]) == (None, None, 4)
    with pytest.raises(NoRuleInForceError):
        judge_direction(early, profile="cin-census")


@pytest.mark.parametrize("dtype", [pl.String, pl.Categorical], ids=["text", "categorical"])
def test_bulk_names_a_graph_scoring_an_undeclared_scale(dtype: pl.DataType) -> None:
    # A loaded table's scale names are categorical: their distinct codes are read first.
    scales, readings = spider_graphs_to_frames(
        [graph(reading("start", dt.date(2014, 5, 1), home=2, school=3))]
    )
    readings = readings.with_columns(pl.col("scale").cast(dtype))
    assert flag_spider_graphs(scales, readings, profile=DERBY).height == 1
    with pytest.raises(ValueError, match="graph G1 scores scale school, which is not in"):
        flag_spider_graphs(scales.filter(pl.col("scale") != "school"), readings, profile=DERBY)
    unnamed = readings.with_columns(pl.when(pl.col("scale") != "school").then(pl.col("scale")))
    with pytest.raises(ValueError, match="graph G1 scores scale None, which is not in"):
        flag_spider_graphs(scales, unnamed, profile=DERBY)


@pytest.mark.parametrize(
    "dtype",
    [pl.String, pl.Categorical, pl.Enum(["1", "2", "3"]), pl.Int64],
    ids=["text", "categorical", "enum", "number"],
)
def test_scale_names_of_any_type_are_read_as_their_text(dtype: pl.DataType) -> None:
    # Names the readings hold as numbers are compared with the scales' names as text.
    scales = pl.DataFrame(
        {
            "scale": ["1", "2"],
            "minimum": [1, 1],
            "maximum": [10, 10],
            "higher_is_better": [True, False],
        }
    )
    days = [dt.date(2014, 5, 1)] * 2 + [dt.date(2014, 9, 1)] * 2
    readings = pl.DataFrame(
        {
            "graph_id": ["G1"] * 4,
            "episode_id": ["C1"] * 4,
            "stage": ["start", "start", "end", "end"],
            "reading_date": days,
            "scale": pl.Series(["1", "2", "1", "2"]).cast(dtype),
            "score": [3, 3, 5, 6],
        }
    )
    row = flag_spider_graphs(scales, readings, profile=DERBY).row(0, named=True)
    # scale 1: 3 -> 5 is +2; scale 2, lower is better: 3 -> 6 is -3
    assert (row["scales"], row["total"], row["improved"], row["worsened"]) == (2, -1, 1, 1)


@pytest.mark.parametrize(
    ("end", "period", "kept"),
    [
        (dt.date(2014, 6, 30), "2014-15 Q1", True),
        (dt.date(2014, 7, 1), "2014-15 Q1", False),
        (dt.date(2014, 7, 1), "2014-15 Q2", True),
        (dt.date(2015, 3, 31), "2014-15", True),
        (dt.date(2015, 4, 1), "2014-15", False),
        (dt.date(2016, 2, 29), "2015-16 Q4", True),
    ],
)
def test_completed_in_a_period_by_end_reading_date(end: dt.date, period: str, kept: bool) -> None:
    g = graph(reading("start", dt.date(2014, 4, 1), home=2), reading("end", end, home=3))
    scales, readings = spider_graphs_to_frames([g])
    found = flag_spider_graphs(scales, readings, profile=DERBY, period=period)
    assert found["graph_id"].to_list() == (["G1"] if kept else [])


@given(
    st.lists(strategies.spider_graphs(), max_size=6),
    st.lists(strategies.periods(), min_size=1, max_size=4),
)
def test_several_periods_keep_the_graphs_completed_in_any_of_them(
    graphs: list[eh.model.SpiderGraph], periods: list[eh.FinancialYear | eh.Quarter]
) -> None:
    graphs = [renamed(i, g) for i, g in enumerate(graphs)]
    scales, readings = spider_graphs_to_frames(graphs)
    lenient = attrs.evolve(DERBY, on_missing=OnMissing.LENIENT)
    every = flag_spider_graphs(scales, readings, profile=lenient)
    found = flag_spider_graphs(scales, readings, profile=lenient, period=periods)
    completed = every.filter(
        pl.col("completed").map_elements(
            lambda day: any(p.contains(day) for p in periods), return_dtype=pl.Boolean
        )
    )
    assert found.equals(completed)
    one_by_one = {
        graph_id
        for p in periods
        for graph_id in flag_spider_graphs(scales, readings, profile=lenient, period=p)["graph_id"]
    }
    assert set(found["graph_id"]) == one_by_one


def test_a_graph_completed_outside_the_periods_needs_no_rule_in_force() -> None:
    early = graph(
        reading("start", dt.date(2012, 5, 1), home=2),
        reading("end", dt.date(2013, 3, 31), home=6),
        graph_id="G-EARLY",
    )
    later = graph(
        reading("start", dt.date(2014, 5, 1), home=2),
        reading("end", dt.date(2014, 8, 1), home=6),
        graph_id="G-LATER",
    )
    scales, readings = spider_graphs_to_frames([early, later])
    found = flag_spider_graphs(scales, readings, profile=DERBY, period=["2013-14", "2014-15"])
    assert found.select("graph_id", "direction").rows() == [("G-LATER", "improving")]
    with pytest.raises(NoRuleInForceError, match="graph G-EARLY"):
        flag_spider_graphs(scales, readings, profile=DERBY, period=["2012-13", "2014-15"])


def test_an_empty_period_and_empty_tables_give_no_rows() -> None:
    scales, readings = spider_graphs_to_frames([])
    empty = flag_spider_graphs(scales, readings, profile=DERBY)
    assert empty.height == 0
    assert improving_rate(empty) is None


def test_demo_graphs_agree_with_the_oracle_and_about_two_thirds_improve() -> None:
    data = demo_dataset()
    profile = profile_with(DirectionRule.TOTAL_SCORE)
    expected = {g.graph_id: oracle(g, DirectionRule.TOTAL_SCORE) for g in data.spider_graphs()}
    everything = flag_spider_graphs(data["spider_scales"], data["spider_readings"], profile=profile)
    assert everything.height == len(expected)
    for row in everything.iter_rows(named=True):
        want = expected[row["graph_id"]].direction
        assert row["direction"] == (None if want is None else want.value)
    rate = improving_rate(everything)
    assert rate is not None
    assert 55 < rate < 77


# ------------------------------------------------------------------------ radar charts


def test_radar_for_one_case_plots_start_and_latest(tmp_path: Path) -> None:
    g = graph(
        reading("start", dt.date(2014, 5, 1), home=2, school=3, worry=8),
        reading("end", dt.date(2014, 9, 1), home=6, school=4, worry=3),
    )
    path = tmp_path / "one.png"
    figure = spider_radar(g, path=path)
    start, latest = figure.axes[0].get_lines()
    assert list(start.get_ydata()) == [2, 3, 8, 2]  # closed polygon, scales by name
    assert list(latest.get_ydata()) == [6, 4, 3, 6]
    labels = [t.get_text() for t in figure.axes[0].get_xticklabels()]
    assert labels == ["home", "school", "worry\n(lower is better)"]
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cohort_radar_averages_each_scale_over_graphs_scoring_it(tmp_path: Path) -> None:
    one = graph(
        reading("start", dt.date(2014, 5, 1), home=2, school=3),
        reading("end", dt.date(2014, 9, 1), home=6, school=4),
    )
    two = graph(
        reading("start", dt.date(2014, 5, 1), home=3),
        reading("end", dt.date(2014, 9, 1), home=5),
        graph_id="G2",
    )
    only_start = graph(reading("start", dt.date(2014, 5, 1), home=9), graph_id="G3")
    from fractions import Fraction

    assert cohort_averages([one, two, only_start]) == {
        "home": (Fraction(5, 2), Fraction(11, 2)),
        "school": (Fraction(3), Fraction(4)),
    }
    figure = cohort_radar([one, two, only_start], title="Team T1", path=tmp_path / "c.png")
    assert figure.axes[0].get_title() == "Team T1"
    assert (tmp_path / "c.png").stat().st_size > 0


def test_radar_without_comparable_scales_is_an_error_naming_the_graph() -> None:
    with pytest.raises(ValueError, match="Spider graph G3: no scale is scored"):
        spider_radar(graph(reading("start", dt.date(2014, 5, 1), home=9), graph_id="G3"))
    with pytest.raises(ValueError, match="no scale"):
        cohort_radar([])


# ------------------------------------------------------------------------ measures


def test_spider_measures_count_completed_graphs_by_the_case_team() -> None:
    data = demo_dataset()
    results = eh.compute(data, profile=DERBY, period="2014-15", by="team")
    graphs = flag_spider_graphs(
        data["spider_scales"], data["spider_readings"], profile=DERBY, period="2014-15 Q3"
    ).join(data["cases"].select("episode_id", "team_id"), on="episode_id")
    completed = results["spider_graphs_completed", "2014-15 Q3", "city"]
    rate = results["spider_improving_rate", "2014-15 Q3", "city"]
    improving = graphs.filter(pl.col("direction") == "improving")
    assert completed.numerator == graphs.height > 0
    assert (rate.numerator, rate.denominator) == (
        improving.height,
        graphs.filter(pl.col("direction").is_not_null()).height,
    )
    assert rate.value is not None
    assert 0 <= rate.value <= 100
    assert sorted(results.records("spider_improving_rate", "2014-15 Q3", "city")) == sorted(
        improving["graph_id"].to_list()
    )
    team = graphs["team_id"][0]
    assert (
        results["spider_graphs_completed", "2014-15 Q3", team].numerator
        == graphs.filter(pl.col("team_id") == team).height
    )
    year = results["spider_graphs_completed", "2014-15", "city"].numerator
    quarters = sum(
        results["spider_graphs_completed", f"2014-15 Q{q}", "city"].numerator for q in range(1, 5)
    )
    assert year == quarters


def test_a_spider_rule_with_an_unknown_direction_is_named_by_key_path() -> None:
    from earlyhelp.profiles import profile_from_data

    version = {
        "id": "SG",
        "effective_from": dt.date(2014, 4, 1),
        "citation": {"document": "guide"},
        "direction": "average",
    }
    data = {"profile": {"id": "p", "title": "P"}, "spider": [version]}
    with pytest.raises(eh.errors.ProfileError) as info:
        profile_from_data(data, source="t.toml")
    assert "spider[1].direction: expected one of total_score, scales_improved" in str(info.value)
    version["direction"] = "scales_improved"
    rule = profile_from_data(data, source="t.toml").rule("spider", dt.date(2014, 4, 1))
    assert rule.direction is DirectionRule.SCALES_IMPROVED
