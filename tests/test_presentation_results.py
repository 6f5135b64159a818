"""Presentation over the measure core's results frame, as it comes."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

import earlyhelp as eh

DERBY = eh.load_profile("derby-2014-15").rule("presentation", dt.date(2015, 3, 31))
QUARTERS = [f"{year} Q{n}" for year in ("2013-14", "2014-15") for n in range(1, 5)]


@pytest.fixture(scope="module")
def results() -> eh.Results:
    return eh.roll_up_returns(eh.reproduction.source_report_returns())


def _by_period(frame: pl.DataFrame, measure_id: str, column: str) -> list[str]:
    rows = dict(frame.filter(pl.col("measure_id") == measure_id).select("period", column).rows())
    return [rows[period] for period in QUARTERS]


def test_the_reports_escalation_row_from_the_results_frame(results: eh.Results) -> None:
    shown = eh.present(results.frame, DERBY)
    assert _by_period(shown, "escalation_rate", "value_display") == [
        "11.3", "13.2", "12.3", "20.8", "18.6", "14.3", "8.7", "[x]",
    ]  # fmt: skip
    assert _by_period(shown, "early_help_level_2_cases", "denominator_display") == ["[z]"] * 8
    assert "missing" in shown.columns  # the reason stays beside the symbol


def test_publishing_the_results_frame_hides_nothing_at_city_level(results: eh.Results) -> None:
    published = eh.publish(results.frame, DERBY)
    assert not published.filter(pl.col("value_display") == "[c]").height
    assert _by_period(published, "escalation_rate", "numerator_display")[:2] == ["31", "44"]


def test_changes_read_polarity_from_the_catalogue(results: eh.Results) -> None:
    steps = eh.measures.changes(results.frame, compare="quarter_on_quarter", settings=DERBY)
    escalation = steps.filter(pl.col("measure_id") == "escalation_rate")
    assert _by_period(escalation, "escalation_rate", "change_display")[5:] == [
        "-4.3",
        "-5.6",
        "[x]",
    ]
    assert _by_period(escalation, "escalation_rate", "direction")[5:] == [
        "improving", "improving", "not_applicable",
    ]  # fmt: skip
    yearly = eh.measures.changes(results.frame, compare="year_on_year", settings=DERBY)
    caseload = _by_period(yearly, "early_help_level_2_cases", "change_display")
    assert caseload[4:] == [str(683 - 615), str(726 - 762), str(698 - 739), str(740 - 710)]


def test_a_frame_without_units_needs_measures_the_catalogue_knows() -> None:
    frame = pl.DataFrame(
        {"measure_id": ["no_such_measure"], "period": ["2014-15 Q1"], "numerator": [1],
         "denominator": [None], "missing": [None]},
        schema_overrides={"denominator": pl.Int64, "missing": pl.Utf8},
    )  # fmt: skip
    with pytest.raises(ValueError, match="unknown measure 'no_such_measure'"):
        eh.present(frame, DERBY)
