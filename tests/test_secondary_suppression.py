"""No recovery by arithmetic: no suppressed cell is a linear combination of published cells.

Each published table is checked by the independent checker in
``disclosure_checker.py`` (exact Gaussian elimination over fractions), on
generated hierarchical tables with many small cells and on the demo data cut
down so that small cells abound.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import time
from collections.abc import Mapping
from random import Random

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import earlyhelp as eh
from disclosure_checker import recoverable, table_relations
from earlyhelp.errors import DisclosureError
from earlyhelp.measures import DimensionTree, SuppressionCell, protect

_SETTINGS = eh.load_profile("derby-2014-15").rule("presentation", dt.date(2015, 3, 31))
_THRESHOLD = _SETTINGS.published.threshold
_KEY = ("period", "level", "unit_id", "breakdown")


def _published_tables(
    exact: pl.DataFrame, shown: pl.DataFrame, hierarchy: Mapping[str, str]
) -> list[tuple[str, str, set[tuple[object, ...]]]]:
    """Per measure and part, the cells a reader can recover; empty lists when safe."""
    found = []
    joined = pl.concat([exact, shown.select(pl.exclude(exact.columns))], how="horizontal")
    for (measure_id,), table in joined.group_by(["measure_id"], maintain_order=True):
        for part in ("numerator", "denominator"):
            rows = table.filter(pl.col(part).is_not_null())
            if rows.is_empty():
                continue
            keys = list(rows.select(_KEY).iter_rows())
            values = dict(zip(keys, rows.get_column(part).to_list(), strict=True))
            texts = rows.get_column(f"{part}_display").to_list()
            hidden = {key for key, text in zip(keys, texts, strict=True) if text == "[c]"}
            # a cell not shown as its own number is hidden from the reader
            assert all(
                text == "[c]" or text == str(values[key]) or text == "[z]"
                for key, text in zip(keys, texts, strict=True)
            )
            exposed = recoverable(table_relations(keys, hierarchy), values, hidden)
            found.append((str(measure_id), part, exposed))
    return found


def _assert_safe(exact: pl.DataFrame, shown: pl.DataFrame, hierarchy: Mapping[str, str]) -> int:
    suppressed = 0
    for measure_id, part, exposed in _published_tables(exact, shown, hierarchy):
        assert not exposed, f"{measure_id} {part}: recoverable {sorted(map(str, exposed))}"
    for part in ("numerator", "denominator"):
        small = exact.with_row_index("_r").filter(pl.col(part).is_between(1, _THRESHOLD - 1))
        texts = shown[f"{part}_display"].gather(small["_r"]).to_list()
        assert all(text == "[c]" for text in texts), f"a small {part} was published"
        suppressed += shown.filter(pl.col(f"{part}_display") == "[c]").height
    return suppressed


@st.composite
def hierarchical_tables(draw: st.DrawFn) -> tuple[pl.DataFrame, dict[str, str]]:
    """A count table and a percentage table over quarters/years, teams/localities/city
    and a breakdown, exactly additive, with many small leaf cells."""
    years = draw(st.integers(1, 2))
    localities = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    parts = draw(st.sampled_from([(), ("a", "b"), ("a", "b", "c")]))
    teams = {f"T{i}{j}": f"L{i}" for i, n in enumerate(localities) for j in range(n)}
    quarters = [
        (f"{2013 + y}-{14 + y}", f"{2013 + y}-{14 + y} Q{q}")
        for y in range(years)
        for q in range(1, 5)
    ]
    breakdowns = list(parts) or [None]
    small = st.integers(0, 9) | st.integers(0, 3)
    leaves = {
        (quarter, team, part): draw(small)
        for (_, quarter), team, part in itertools.product(quarters, teams, breakdowns)
    }
    extra = {key: draw(st.integers(0, 6)) for key in leaves}
    rows = []
    for measure_id, unit in (("referrals", "count"), ("escalation_rate", "percentage")):
        frame = pl.DataFrame(
            {
                "quarter": [k[0] for k in leaves],
                "year": [k[0][:7] for k in leaves],
                "team": [k[1] for k in leaves],
                "locality": [teams[k[1]] for k in leaves],
                "part": [k[2] for k in leaves],
                "n": list(leaves.values()),
                "d": [v + extra[k] for k, v in leaves.items()],
            },
            schema_overrides={"part": pl.String},
        )
        periods = [("quarter",), ("year",)]
        areas = [("team", "team"), ("locality", "locality"), ("city", None)]
        splits = [True, False] if parts else [True]
        for (period,), (level, column), split in itertools.product(periods, areas, splits):
            keys = [period, *([column] if column else []), *(["part"] if split else [])]
            summed = frame.group_by(keys).agg(pl.col("n").sum(), pl.col("d").sum())
            rows.append(
                summed.select(
                    pl.lit(measure_id).alias("measure_id"),
                    pl.col(period).alias("period"),
                    pl.lit(level).alias("level"),
                    (pl.col(column) if column else pl.lit("city")).alias("unit_id"),
                    (pl.col("part") if split else pl.lit(None, dtype=pl.String)).alias("breakdown"),
                    pl.lit(unit).alias("unit"),
                    pl.col("n").cast(pl.Int64).alias("numerator"),
                    (pl.col("d") if unit == "percentage" else pl.lit(None))
                    .cast(pl.Int64)
                    .alias("denominator"),
                )
            )
    table = pl.concat(rows).sort("measure_id", *_KEY, nulls_last=False)
    table = table.with_columns(
        value=pl.when(pl.col("unit") == "count")
        .then(pl.col("numerator").cast(pl.Float64))
        .when(pl.col("denominator") > 0)
        .then(100 * pl.col("numerator") / pl.col("denominator"))
    )
    return table, teams


@settings(max_examples=40, deadline=None)
@given(hierarchical_tables())
def test_no_suppressed_cell_of_a_generated_table_can_be_worked_out(
    generated: tuple[pl.DataFrame, dict[str, str]],
) -> None:
    table, teams = generated
    shown = eh.publish(table, _SETTINGS, hierarchy=teams)
    _assert_safe(table, shown, teams)


def test_a_suppressed_quarter_is_not_the_year_less_the_other_quarters() -> None:
    # The example: 34 - 10 - 12 - 9 = 3.
    table = pl.DataFrame(
        {
            "measure_id": ["ehas_completed"] * 5,
            "period": ["2014-15 Q1", "2014-15 Q2", "2014-15 Q3", "2014-15 Q4", "2014-15"],
            "level": ["city"] * 5,
            "unit_id": ["city"] * 5,
            "breakdown": [None] * 5,
            "unit": ["count"] * 5,
            "numerator": [10, 3, 12, 9, 34],
            "denominator": [None] * 5,
            "value": [10.0, 3.0, 12.0, 9.0, 34.0],
        },
        schema_overrides={"breakdown": pl.String, "denominator": pl.Int64},
    )
    shown = eh.publish(table, _SETTINGS)
    hidden = shown.filter(pl.col("value_display") == "[c]")["period"].to_list()
    assert hidden == ["2014-15 Q2", "2014-15 Q4"]  # the small one and the smallest other
    _assert_safe(table, shown, {})


def test_a_suppressed_team_is_not_its_locality_less_the_other_team() -> None:
    table = pl.DataFrame(
        {
            "measure_id": ["open_cases"] * 6,
            "period": ["2014-15 Q3"] * 6,
            "level": ["team", "team", "team", "team", "locality", "locality"],
            "unit_id": ["T1", "T2", "T3", "T4", "L1", "L2"],
            "unit": ["count"] * 6,
            "numerator": [3, 40, 20, 30, 43, 50],
            "denominator": [None] * 6,
            "value": [1.0] * 6,
        },
        schema_overrides={"denominator": pl.Int64},
    )
    teams = {"T1": "L1", "T2": "L1", "T3": "L2", "T4": "L2"}
    shown = eh.publish(table, _SETTINGS, hierarchy=teams)
    hidden = shown.filter(pl.col("value_display") == "[c]")["unit_id"].to_list()
    # T1 alone would be L1 - T2; T2 (40) is a cheaper partner than L1 (43)
    assert hidden == ["T1", "T2"]
    _assert_safe(table.with_columns(breakdown=pl.lit(None, dtype=pl.String)), shown, teams)


def test_teams_beside_localities_need_the_hierarchy() -> None:
    table = pl.DataFrame(
        {
            "measure_id": ["open_cases"] * 3,
            "period": ["2014-15 Q3"] * 3,
            "level": ["team", "team", "locality"],
            "unit_id": ["T1", "T2", "L1"],
            "unit": ["count"] * 3,
            "numerator": [3, 40, 43],
            "denominator": [None] * 3,
            "value": [1.0] * 3,
        },
        schema_overrides={"denominator": pl.Int64},
    )
    with pytest.raises(DisclosureError, match=r"team 'T1': its locality is not known"):
        eh.publish(table, _SETTINGS)


@functools.cache
def _small_data() -> eh.Dataset:
    data = eh.load(eh.demo_path())
    return eh.Dataset.load(
        {name: data[name] for name in ("teams", "referrals")} | {"cases": data["cases"].head(300)}
    )


def test_no_suppressed_figure_of_computed_results_by_team_can_be_worked_out() -> None:
    results = eh.compute(_small_data(), profile="derby-2014-15", period="2014-15", by="team")
    exact = results.frame
    started = time.perf_counter()
    shown = eh.publish(results.frame, _SETTINGS, hierarchy=results.hierarchy)
    elapsed = time.perf_counter() - started
    suppressed = _assert_safe(exact, shown, results.hierarchy)
    assert suppressed > 50  # the cut-down data has many small cells
    assert elapsed < 30


@settings(max_examples=30, deadline=None)
@given(hierarchical_tables(), st.randoms(use_true_random=False))
def test_the_cells_hidden_never_depend_on_a_hidden_value(
    generated: tuple[pl.DataFrame, dict[str, str]], random: Random
) -> None:
    table, teams = generated
    small = pl.col("numerator").is_between(1, _THRESHOLD - 1)
    changed = table.with_columns(
        numerator=pl.when(small)
        .then(pl.Series([random.randint(1, _THRESHOLD - 1) for _ in range(table.height)]))
        .otherwise(pl.col("numerator"))
    )
    first = eh.publish(table, _SETTINGS, hierarchy=teams)
    second = eh.publish(changed, _SETTINGS, hierarchy=teams)
    assert first.equals(second)


def test_when_no_hypercube_avoids_a_fixed_cell_the_whole_table_is_hidden() -> None:
    year = DimensionTree({"Q1": "Y", "Q2": "Y", "Q3": "Y", "Y": None})
    cells = {
        ("Q1",): SuppressionCell(value=3, primary=True),
        ("Q2",): SuppressionCell(value=20, primary=False, eligible=False),
        ("Q3",): SuppressionCell(value=30, primary=False),
        ("Y",): SuppressionCell(value=53, primary=False, eligible=False),
    }
    # Q1's partners are Q2 (fixed), Q3 (free) or the year (fixed): Q3 it is.
    assert protect(cells, [year]) == {("Q3",)}
    fixed = cells | {("Q3",): SuppressionCell(value=30, primary=False, eligible=False)}
    # nothing can be hidden beside it: every cell that may be hidden is (here, none)
    assert protect(fixed, [year]) == set()
    loose = fixed | {("Q4",): SuppressionCell(value=7, primary=False)}
    assert protect(loose, [year]) == {
        ("Q4",)
    }  # Q4 has no place in the tree: hidden as a last resort
