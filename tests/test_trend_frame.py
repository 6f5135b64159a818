"""Bulk changes over a frame of results agree with the per-value functions."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp import load_profile
from earlyhelp.measures import Polarity, changes, direction, quarter_on_quarter, year_on_year
from earlyhelp.model import Direction

DERBY = load_profile("derby-2014-15").rule("presentation", dt.date(2015, 3, 31))
PERIODS = ["2013-14 Q3", "2013-14 Q4", "2014-15 Q1", "2014-15 Q3", "2014-15 Q4", "2014-15"]
MEASURES = {
    "escalation_rate": ("percentage", Polarity.LOWER_IS_BETTER),
    "audit_completion_rate": ("percentage", Polarity.HIGHER_IS_BETTER),
    "cin_rate": ("rate_per_10000", Polarity.NEUTRAL),
    "open_cases": ("count", Polarity.NEUTRAL),
    "ehas_completed": ("count", Polarity.HIGHER_IS_BETTER),
}
POLARITY = {measure: rule for measure, (_, rule) in MEASURES.items()}
SCALES = {"count": 1, "percentage": 100, "rate_per_10000": 10_000}


@st.composite
def results(draw: st.DrawFn) -> pl.DataFrame:
    keys = draw(
        st.sets(
            st.tuples(
                st.sampled_from(sorted(MEASURES)),
                st.sampled_from(["T1", None]),
                st.sampled_from(PERIODS),
            ),
            min_size=1,
            max_size=30,
        )
    )
    rows = []
    for measure, team, period in sorted(keys, key=str):
        unit = MEASURES[measure][0]
        denominator = None if unit == "count" else draw(st.integers(min_value=0, max_value=500))
        numerator = draw(st.integers(min_value=0, max_value=denominator or 500))
        missing = (draw(st.booleans()) and draw(st.booleans())) or denominator == 0
        value = None if missing else float(numerator * SCALES[unit]) / float(denominator or 1)
        rows.append(
            {
                "measure_id": measure,
                "team_id": team,
                "period": period,
                "unit": unit,
                "numerator": numerator,
                "denominator": denominator,
                "value": value,
            }
        )
    return pl.DataFrame(
        rows,
        schema={
            "measure_id": pl.Utf8,
            "team_id": pl.Utf8,
            "period": pl.Utf8,
            "unit": pl.Utf8,
            "numerator": pl.Int64,
            "denominator": pl.Int64,
            "value": pl.Float64,
        },
    )


def _exact(row: dict[str, Any]) -> Fraction | None:
    if row["value"] is None:
        return None
    return Fraction(row["numerator"] * SCALES[row["unit"]], row["denominator"] or 1)


@given(results(), st.sampled_from(["quarter_on_quarter", "year_on_year"]))
def test_bulk_changes_agree_with_the_per_value_functions(frame: pl.DataFrame, compare: str) -> None:
    bulk = changes(frame, compare=compare, polarity=POLARITY, settings=DERBY)
    assert bulk.height == frame.height
    series: dict[tuple[str, str | None], dict[str, Fraction | None]] = {}
    for row in frame.iter_rows(named=True):
        series.setdefault((row["measure_id"], row["team_id"]), {})[row["period"]] = _exact(row)
    for row, got in zip(frame.iter_rows(named=True), bulk.iter_rows(named=True), strict=True):
        values = series[row["measure_id"], row["team_id"]]
        unit, rule = MEASURES[row["measure_id"]]
        if compare == "quarter_on_quarter" and "Q" not in row["period"]:
            assert got["earlier_period"] is None
            assert (got["change_display"], got["direction"]) == ("[x]", "not_applicable")
            continue
        step = (quarter_on_quarter if compare == "quarter_on_quarter" else year_on_year)(
            values, row["period"], unit=unit
        )
        assert got["earlier_period"] == step.earlier_period
        assert got["direction"] == direction(step, rule).value
        if step.value is None:
            assert got["change_display"] == "[x]"
        elif unit == "count":
            assert got["change_display"] == str(step.value)
        else:
            policy = DERBY.policy(row["measure_id"], unit)
            assert policy is not None
            assert got["change_display"] == policy.format(step.value)


def test_the_reports_caseload_year_on_year_by_bulk() -> None:
    frame = pl.DataFrame(
        {
            "measure_id": ["open_cases"] * 2,
            "period": ["2013-14 Q4", "2014-15 Q4"],
            "unit": ["count"] * 2,
            "numerator": [710, 740],
            "denominator": [None, None],
            "value": [710.0, 740.0],
        },
        schema_overrides={"denominator": pl.Int64},
    )
    out = changes(frame, compare="year_on_year", polarity={"open_cases": "neutral"}, settings=DERBY)
    assert out.select("earlier_period", "change_display", "direction").row(1) == (
        "2013-14 Q4",
        "30",
        Direction.NOT_APPLICABLE.value,
    )


def test_unknown_comparisons_and_measures_without_polarity_are_refused() -> None:
    frame = pl.DataFrame(
        {
            "measure_id": ["m"],
            "period": ["2014-15 Q1"],
            "unit": ["count"],
            "numerator": [1],
            "denominator": [None],
            "value": [1.0],
        }
    )
    with pytest.raises(
        ValueError, match="compare: expected one of quarter_on_quarter, year_on_year"
    ):
        changes(frame, compare="month_on_month", polarity={"m": "neutral"}, settings=DERBY)
    with pytest.raises(ValueError, match="no polarity given for measure"):
        changes(frame, compare="year_on_year", polarity={}, settings=DERBY)
