"""Spider graphs: distance travelled, direction of travel, bulk agreement and radar charts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import earlyhelp as eh
import strategies
from earlyhelp.errors import NoRuleInForceError
from earlyhelp.instruments import (
    DirectionRule,
    DistanceTravelled,
    SpiderRule,
    cohort_averages,
    cohort_radar,
    distance_travelled,
    improving_rate,
    spider_directions,
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


# ------------------------------------------------------------------------ properties


@given(comparable_graphs(), RULES)
def test_reversing_readings_swaps_improving_and_worsening(
    graph: eh.model.SpiderGraph, rule: DirectionRule
) -> None:
    profile = profile_with(rule)
    forward = distance_travelled(graph, profile=profile)
    backward = distance_travelled(reversed_graph(graph), profile=profile)
    swapped = {
        Direction.IMPROVING: Direction.WORSENING,
        Direction.WORSENING: Direction.IMPROVING,
        Direction.NO_CHANGE: Direction.NO_CHANGE,
    }
    assert forward.direction is not None
    assert backward.direction is swapped[forward.direction]
    assert backward.total == -forward.total
    assert (backward.improved, backward.worsened) == (forward.worsened, forward.improved)


@given(comparable_graphs())
def test_total_score_rule_follows_the_sign_of_the_total(graph: eh.model.SpiderGraph) -> None:
    result = distance_travelled(graph, profile=profile_with(DirectionRule.TOTAL_SCORE))
    expected = {1: Direction.IMPROVING, 0: Direction.NO_CHANGE, -1: Direction.WORSENING}
    assert result.direction is expected[(result.total > 0) - (result.total < 0)]
    scales = {s.name: s for s in graph.scales}
    for item in result.scales:
        raw = item.latest - item.start
        assert item.change == (raw if scales[item.scale].higher_is_better else -raw)


@given(st.lists(strategies.spider_graphs(), max_size=6), RULES)
def test_per_graph_and_bulk_agree(graphs: list[eh.model.SpiderGraph], rule: DirectionRule) -> None:
    graphs = [renamed(i, g) for i, g in enumerate(graphs)]
    profile = profile_with(rule)
    scales, readings = spider_graphs_to_frames(graphs)
    bulk = {
        row["graph_id"]: row
        for row in spider_directions(scales, readings, profile=profile).iter_rows(named=True)
    }
    for g in graphs:
        one = distance_travelled(g, profile=profile)
        if not any(r.scores for r in g.readings):
            assert g.graph_id not in bulk  # a graph with no scores has no rows
            assert one.direction is None
            continue
        row = bulk[g.graph_id]
        assert row["direction"] == (None if one.direction is None else one.direction.value)
        assert row["completed"] == one.completed
        assert row["scales"] == len(one.scales)
        if one.scales:
            assert (row["total"], row["improved"], row["worsened"]) == (
                one.total,
                one.improved,
                one.worsened,
            )
            assert row["latest_date"] == one.latest_date
            assert row["rule_id"] == one.rule_id


@given(st.lists(st.sampled_from([*Direction, None])))
def test_improving_rate_is_a_percentage(directions: list[Direction | None]) -> None:
    results = [
        DistanceTravelled(
            graph_id="G",
            episode_id="C",
            latest_date=None,
            completed=None,
            scales=(),
            rule_id=None,
            direction=d,
        )
        for d in directions
    ]
    rate = improving_rate(results)
    decided = [d for d in directions if d is not None]
    if not decided:
        assert rate is None
    else:
        assert rate is not None
        assert 0 <= rate <= 100
        assert rate * len(decided) == 100 * decided.count(Direction.IMPROVING)


# ------------------------------------------------------------------------ edge cases


def test_graph_with_only_a_start_reading_has_no_direction() -> None:
    result = distance_travelled(
        graph(reading("start", dt.date(2014, 5, 1), home=3)), profile="derby-2014-15"
    )
    assert (result.direction, result.completed, result.latest_date, result.scales) == (
        None,
        None,
        None,
        (),
    )


def test_a_lower_score_is_better_on_a_lower_is_better_scale() -> None:
    result = distance_travelled(
        graph(
            reading("start", dt.date(2014, 5, 1), worry=9),
            reading("end", dt.date(2014, 8, 1), worry=4),
        ),
        profile="derby-2014-15",
    )
    assert [(s.scale, s.change) for s in result.scales] == [("worry", 5)]
    assert result.direction is Direction.IMPROVING


def test_the_two_rules_can_disagree_and_ties_are_no_change() -> None:
    # home +3, school -1, worry worse by 1: total +1, but 1 improved against 2 worsened.
    g = graph(
        reading("start", dt.date(2014, 5, 1), home=2, school=5, worry=5),
        reading("review", dt.date(2014, 7, 1), home=3, school=5, worry=5),
        reading("end", dt.date(2014, 9, 1), home=5, school=4, worry=6),
    )
    total = distance_travelled(g, profile=profile_with(DirectionRule.TOTAL_SCORE))
    count = distance_travelled(g, profile=profile_with(DirectionRule.SCALES_IMPROVED))
    assert (total.total, total.direction) == (1, Direction.IMPROVING)
    assert count.direction is Direction.WORSENING
    tie = graph(
        reading("start", dt.date(2014, 5, 1), home=2, school=5),
        reading("end", dt.date(2014, 9, 1), home=4, school=4),
    )
    assert (
        distance_travelled(tie, profile=profile_with(DirectionRule.SCALES_IMPROVED)).direction
        is Direction.NO_CHANGE
    )
    flat = graph(
        reading("start", dt.date(2014, 5, 1), home=2, school=5),
        reading("end", dt.date(2014, 9, 1), home=4, school=3),
    )
    assert distance_travelled(flat, profile="derby-2014-15").direction is Direction.NO_CHANGE


def test_latest_reading_is_a_review_when_there_is_no_end() -> None:
    result = distance_travelled(
        graph(
            reading("start", dt.date(2014, 5, 1), home=2),
            reading("review", dt.date(2014, 6, 1), home=6),
            reading("review", dt.date(2014, 7, 1), home=1),
        ),
        profile="derby-2014-15",
    )
    assert result.latest_date == dt.date(2014, 7, 1)
    assert (result.direction, result.completed) == (Direction.WORSENING, None)


def test_no_shared_scale_means_no_direction() -> None:
    result = distance_travelled(
        graph(
            reading("start", dt.date(2014, 5, 1), home=2),
            reading("end", dt.date(2014, 6, 1), school=6),
        ),
        profile="derby-2014-15",
    )
    assert (result.direction, result.completed) == (None, dt.date(2014, 6, 1))


def test_no_rule_in_force_strict_names_the_graph_and_lenient_has_no_direction() -> None:
    early = graph(
        reading("start", dt.date(2012, 5, 1), home=2),
        reading("end", dt.date(2013, 3, 31), home=6),
        graph_id="G-EARLY",
    )
    with pytest.raises(NoRuleInForceError, match=r"31/03/2013 .*graph G-EARLY"):
        distance_travelled(early, profile="derby-2014-15")
    scales, readings = spider_graphs_to_frames([early])
    with pytest.raises(NoRuleInForceError, match="graph G-EARLY"):
        spider_directions(scales, readings, profile="derby-2014-15")
    lenient = attrs.evolve(DERBY, on_missing=OnMissing.LENIENT)
    result = distance_travelled(early, profile=lenient)
    assert (result.direction, result.rule_id, result.total) == (None, None, 4)
    row = spider_directions(scales, readings, profile=lenient).row(0, named=True)
    assert (row["direction"], row["rule_id"], row["total"]) == (None, None, 4)
    with pytest.raises(NoRuleInForceError):
        distance_travelled(early, profile="cin-census")


def test_bulk_names_a_graph_scoring_an_undeclared_scale() -> None:
    scales, readings = spider_graphs_to_frames(
        [graph(reading("start", dt.date(2014, 5, 1), home=2, school=3))]
    )
    with pytest.raises(ValueError, match="graph G1 scores scale school, which is not in"):
        spider_directions(scales.filter(pl.col("scale") != "school"), readings, profile=DERBY)


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
    found = spider_directions(scales, readings, profile=DERBY, period=period)
    assert found["graph_id"].to_list() == (["G1"] if kept else [])


def test_an_empty_period_and_empty_tables_give_no_rows() -> None:
    scales, readings = spider_graphs_to_frames([])
    assert spider_directions(scales, readings, profile=DERBY).height == 0
    assert improving_rate([]) is None


def test_demo_graphs_agree_and_about_two_thirds_improve() -> None:
    data = eh.load(eh.demo_path())
    lenient = attrs.evolve(DERBY, on_missing=OnMissing.LENIENT)
    bulk = spider_directions(data["spider_scales"], data["spider_readings"], profile=lenient)
    per = {
        g.graph_id: distance_travelled(g, profile=profile_with(DirectionRule.TOTAL_SCORE))
        for g in data.spider_graphs()
    }
    assert bulk.height == len(per)
    everything = spider_directions(
        data["spider_scales"],
        data["spider_readings"],
        profile=profile_with(DirectionRule.TOTAL_SCORE),
    )
    for row in everything.iter_rows(named=True):
        assert row["direction"] == per[row["graph_id"]].direction.value  # type: ignore[union-attr]
    rate = improving_rate(per.values())
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
    data = eh.load(eh.demo_path())
    results = eh.compute(data, profile=DERBY, period="2014-15", by="team")
    graphs = spider_directions(
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
