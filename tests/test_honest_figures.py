"""Honest figures: a figure that cannot be made from what was supplied is missing, never 0.

The three false figures of issue 14 each have a named test here, and a property
test drops every input table and optional column in turn (hypothesis chooses the
drop, the periods and the lowest level) and checks every measure of the
catalogue: no figure that had a value before changes, unless it becomes missing.
"""

from __future__ import annotations

from functools import cache

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import earlyhelp as eh
from demo_data import demo_dataset
from earlyhelp.io import SCHEMAS
from earlyhelp.measures import CATALOGUE, Missing

KEY = ["measure_id", "period", "level", "unit_id", "breakdown"]


@cache
def demo_frames() -> dict[str, pl.DataFrame]:
    """The demo's tables as delivered: text columns, as a council's CSV export reads."""
    folder = eh.demo_path()
    return {
        path.stem: pl.read_csv(path, infer_schema=False)
        for path in sorted(folder.iterdir())
        if path.suffix == ".csv"
    }


def _without(table: str, columns: tuple[str, ...] = ()) -> dict[str, pl.DataFrame]:
    frames = dict(demo_frames())
    if columns:
        frames[table] = frames[table].drop(columns, strict=False)
    else:
        del frames[table]
    return frames


@cache
def _computed(drop: tuple[str, tuple[str, ...]] | None, period: str, by: str) -> pl.DataFrame:
    frames = demo_frames() if drop is None else _without(*drop)
    return eh.compute(eh.load(frames), profile="derby-2014-15", period=period, by=by).frame


def _tied(table: str, column: str) -> tuple[str, ...]:
    """An optional column with the optional columns its row rules tie it to.

    ``closed`` and ``closure_reason`` of cases are present together or not at
    all (a rule rejects one without the other), so they are dropped together.
    """
    schema = SCHEMAS[table]
    optional = {c.name for c in schema.columns if not c.required}
    group = {column}
    for rule in schema.rules:
        if column in rule.fields:
            group |= optional & set(rule.fields)
    return tuple(sorted(group))


_DEMO_COLUMNS = {table: set(frame.columns) for table, frame in demo_frames().items()}

# Every table the demo supplies, and every optional column it has (a column the
# demo does not have cannot be dropped from it).
DROPS: list[tuple[str, tuple[str, ...]]] = sorted(
    {(table, ()) for table in SCHEMAS if table in _DEMO_COLUMNS}
    | {
        (table, _tied(table, column.name))
        for table, schema in SCHEMAS.items()
        for column in schema.columns
        if not column.required and column.name in _DEMO_COLUMNS.get(table, set())
    }
)


def test_every_table_and_optional_column_is_a_drop() -> None:
    assert ("assessments", ()) in DROPS
    assert ("referrals", ("team_id",)) in DROPS
    assert ("cases", ("closed", "closure_reason")) in DROPS
    assert len(DROPS) > len(SCHEMAS)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    drop=st.sampled_from(DROPS),
    period=st.sampled_from(["2014-15", "2013-14:2014-15", "2014-15 Q3"]),
    by=st.sampled_from(["team", "locality", "city"]),
)
def test_dropping_an_input_never_turns_a_figure_into_another_value(
    drop: tuple[str, tuple[str, ...]], period: str, by: str
) -> None:
    before = _computed(None, period, by).filter(pl.col("missing").is_null())
    after = _computed(drop, period, by)
    joined = before.join(
        after.with_columns(pl.lit(value=True).alias("present_after")),
        on=KEY,
        how="left",
        suffix="_after",
        nulls_equal=True,
    )
    # A figure with no row at all would be a KeyError. Only the units the teams table
    # names, and breakdown values known only from the data of a measure now missing
    # as a whole, may go.
    gone = joined.filter(pl.col("present_after").is_null())
    totals = after.filter(pl.col("breakdown").is_null()).select(
        "measure_id", "period", "unit_id", pl.col("missing").alias("total_missing")
    )
    unexplained = gone.join(totals, on=["measure_id", "period", "unit_id"], how="left").filter(
        pl.col("breakdown").is_null() | pl.col("total_missing").is_null()
    )
    assert drop == ("teams", ()) or unexplained.is_empty(), unexplained.select(KEY).head(5).rows()
    changed = joined.filter(
        pl.col("present_after")
        & pl.col("missing_after").is_null()
        & (
            (pl.col("numerator") != pl.col("numerator_after"))
            | (pl.col("denominator") != pl.col("denominator_after")).fill_null(value=False)
        )
    )
    assert changed.is_empty(), changed.select(KEY).head(5).rows()
    # Every measure of the catalogue was judged, not just those that happened to change.
    assert set(after.get_column("measure_id")) == set(CATALOGUE.ids())


def test_assessment_in_place_without_an_assessments_table_is_missing_not_zero() -> None:
    full = eh.compute(
        eh.load(demo_frames()),
        profile="derby-2014-15",
        period="2014-15",
        measures=["assessment_in_place_rate"],
    )["assessment_in_place_rate", "2014-15", "city"]
    assert full.missing is None
    assert full.numerator > 0
    results = eh.compute(
        eh.load(_without("assessments")),
        profile="derby-2014-15",
        period="2014-15",
        measures=["assessment_in_place_rate"],
    )
    figure = results["assessment_in_place_rate", "2014-15", "city"]
    assert figure.missing is Missing.NO_DATA
    assert figure.numerator is None
    assert figure.value is None
    assert "not supplied" in str(figure)
    assert all(r.missing is Missing.NO_DATA for r in results)


def test_assessments_without_their_completed_column_leave_the_figure_missing() -> None:
    results = eh.compute(
        eh.load(_without("assessments", ("completed",))),
        profile="derby-2014-15",
        period="2014-15",
        measures=["assessment_in_place_rate", "ehas_completed"],
    )
    assert results["assessment_in_place_rate", "2014-15", "city"].missing is Missing.NO_COLUMN
    assert results["ehas_completed", "2014-15", "city"].missing is Missing.NO_COLUMN


def test_referrals_without_team_id_leave_team_figures_missing_and_the_city_unchanged() -> None:
    asked = ["new_referrals", "rereferrals"]
    full = eh.compute(
        eh.load(demo_frames()), profile="derby-2014-15", period="2014-15", measures=asked
    )
    cut = eh.compute(
        eh.load(_without("referrals", ("team_id",))),
        profile="derby-2014-15",
        period="2014-15",
        measures=asked,
    )
    teams = eh.load(demo_frames())["teams"].get_column("team_id").to_list()
    for measure_id in asked:
        city = cut[measure_id, "2014-15", "city"]
        assert city.missing is None
        assert city.numerator == full[measure_id, "2014-15", "city"].numerator > 0
        for team in teams:
            figure = cut[measure_id, "2014-15", team]
            assert figure.missing is Missing.UNATTRIBUTED, (measure_id, team)
            assert figure.numerator is None
        locality = next(
            r for r in cut if r.measure_id == measure_id and r.level.value == "locality"
        )
        assert locality.missing is Missing.UNATTRIBUTED


def test_a_breakdown_value_with_no_members_is_zero() -> None:
    referrals = demo_frames()["referrals"].with_columns(pl.lit("other").alias("route"))
    data = eh.load({**demo_frames(), "referrals": referrals})
    results = eh.compute(
        data, profile="derby-2014-15", period="2014-15", measures=["new_referrals"]
    )
    vcm = results["new_referrals", "2014-15", "city", "vcm"]
    assert vcm.missing is None
    assert vcm.numerator == 0
    other = results["new_referrals", "2014-15", "city", "other"]
    assert other.numerator == results["new_referrals", "2014-15", "city"].numerator > 0
    team = data["teams"].get_column("team_id")[0]
    assert results["new_referrals", "2014-15 Q1", team, "vcm"].numerator == 0


def test_every_closure_reason_has_a_figure_even_when_none_closed_so() -> None:
    results = eh.compute(
        eh.load(demo_frames()),
        profile="derby-2014-15",
        period="2014-15 Q1",
        measures=["cases_closed"],
    )
    reasons = SCHEMAS["cases"].columns
    codes = next(c.codes for c in reasons if c.name == "closure_reason")
    shown = [results["cases_closed", "2014-15 Q1", "city", code].numerator for code in codes]
    assert sum(shown) == results["cases_closed", "2014-15 Q1", "city"].numerator
    assert all(n is not None and n >= 0 for n in shown)


def test_compute_under_a_profile_without_a_spider_rule_leaves_only_spider_figures_missing() -> None:
    data = demo_dataset()
    census = eh.compute(data, profile="cin-census", period="2014-15", by="city")
    derby = eh.compute(data, profile="derby-2014-15", period="2014-15", by="city")
    spider = {"spider_graphs_completed", "spider_improving_rate"}
    for figure in census:
        if figure.measure_id in spider:
            assert figure.missing is Missing.NO_RULE
            assert "no rule in force" in str(figure)
    assert derby["spider_graphs_completed", "2014-15", "city"].numerator > 0
    # Measures that need no profile rule come out the same under either profile.
    for measure_id in ("new_referrals", "open_cases", "ehas_completed", "cases_closed"):
        assert (
            census[measure_id, "2014-15", "city"].numerator
            == derby[measure_id, "2014-15", "city"].numerator
        )
    assert census["rereferrals", "2014-15", "city"].missing is None
