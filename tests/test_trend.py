"""Changes between periods and the direction of travel they show."""

from __future__ import annotations

import enum
from fractions import Fraction

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.errors import PeriodError
from earlyhelp.measures import (
    Change,
    Polarity,
    change,
    direction,
    over_year,
    quarter_on_quarter,
    within_year,
    year_on_year,
    year_total_change,
)
from earlyhelp.model import Direction

LABELS = [f"{year} Q{n}" for year in ("2013-14", "2014-15") for n in range(1, 5)]
CASELOAD = dict(zip(LABELS, [615, 762, 739, 710, 683, 726, 698, 740], strict=True))
EHAS = dict(zip(LABELS, [135, 94, 159, 168, 187, 206, 254, 282], strict=True))
ESCALATIONS = {
    label: Fraction(n * 100, d)
    for label, (n, d) in zip(
        LABELS,
        [(31, 274), (44, 331), (36, 292), (51, 245), (51, 273), (53, 369), (18, 206)],
        strict=False,
    )
} | {"2014-15 Q4": None}

values = st.fractions(max_denominator=1000) | st.integers(-(10**6), 10**6)
optional_values = st.none() | values


def test_the_reports_over_a_year_figures_each_have_their_own_function() -> None:
    assert within_year(CASELOAD, "2014-15", unit="count").value == 57  # "rose by 57 cases"
    assert year_total_change(CASELOAD, "2014-15").value == 21  # "an additional 21 cases"
    assert over_year(EHAS, "2014-15", unit="count").value == 114  # "increased by over 100"
    assert within_year(EHAS, "2014-15", unit="count").value == 95  # not "over 100"


def test_quarter_on_quarter_crosses_the_year_boundary() -> None:
    step = quarter_on_quarter(CASELOAD, "2014-15 Q1", unit="count")
    assert (step.earlier_period, step.later_period) == ("2013-14 Q4", "2014-15 Q1")
    assert step.value == 683 - 710
    assert step.describe() == "-27"


def test_year_on_year_compares_the_same_quarter_or_the_previous_year() -> None:
    step = year_on_year(CASELOAD, "2014-15 Q3", unit="count")
    assert (step.earlier_period, step.value) == ("2013-14 Q3", Fraction(698 - 739))
    totals = {"2013-14": 2826, "2014-15": 2847}
    assert year_on_year(totals, "2014-15", unit="count").value == 21


def test_a_percentage_changes_by_exact_percentage_points() -> None:
    step = quarter_on_quarter(ESCALATIONS, "2014-15 Q3", unit="percentage")
    assert step.value == Fraction(1800, 206) - Fraction(5300, 369)
    assert step.describe() == "-5.6 percentage points"
    assert direction(step, Polarity.LOWER_IS_BETTER) is Direction.IMPROVING


def test_a_missing_value_gives_a_missing_change_naming_the_period() -> None:
    step = quarter_on_quarter(ESCALATIONS, "2014-15 Q4", unit="percentage")
    assert step.value is None
    assert step.missing == "no value for 2014-15 Q4"
    assert step.describe() == "not available (no value for 2014-15 Q4)"
    assert direction(step, Polarity.LOWER_IS_BETTER) is Direction.NOT_APPLICABLE
    absent = year_on_year(CASELOAD, "2015-16 Q1", unit="count")
    assert absent.missing == "no value for 2015-16 Q1"
    both = change(None, None, unit="count")
    assert both.missing == "no later value; no earlier value"


def test_a_year_total_needs_all_four_quarters_and_counts() -> None:
    partial = dict(CASELOAD)
    del partial["2013-14 Q2"]
    step = year_total_change(partial, "2014-15")
    assert step.value is None
    assert step.missing == "no value for 2013-14 Q2"
    with pytest.raises(ValueError, match="needs counts"):
        year_total_change(ESCALATIONS, "2014-15", unit="percentage")


def test_periods_of_the_wrong_kind_and_unknown_units_are_refused() -> None:
    with pytest.raises(PeriodError, match="expected a quarter"):
        quarter_on_quarter(CASELOAD, "2014-15", unit="count")
    with pytest.raises(PeriodError, match="expected a financial year"):
        within_year(CASELOAD, "2014-15 Q1", unit="count")
    with pytest.raises(ValueError, match="unit: expected one of count"):
        change(1, 2, unit="percent")


@given(optional_values, optional_values)
def test_change_is_exact_and_missing_in_means_missing_out(
    later: Fraction | int | None, earlier: Fraction | int | None
) -> None:
    step = change(later, earlier, unit="count")
    if later is None or earlier is None:
        assert step.value is None
        assert step.missing
    else:
        assert step.value == Fraction(later) - Fraction(earlier)
        assert step.missing is None


@given(values, values, st.sampled_from(list(Polarity)))
def test_direction_reverses_when_the_values_swap(
    first: Fraction | int, second: Fraction | int, polarity: Polarity
) -> None:
    forward = direction(change(first, second, unit="count"), polarity)
    backward = direction(change(second, first, unit="count"), polarity)
    opposite = {
        Direction.IMPROVING: Direction.WORSENING,
        Direction.WORSENING: Direction.IMPROVING,
        Direction.NO_CHANGE: Direction.NO_CHANGE,
        Direction.NOT_APPLICABLE: Direction.NOT_APPLICABLE,
    }
    assert backward is opposite[forward]
    if polarity is Polarity.NEUTRAL:
        assert forward is Direction.NOT_APPLICABLE
    elif first == second:
        assert forward is Direction.NO_CHANGE


@given(values.filter(lambda v: v != 0), st.sampled_from(list(Polarity)))
def test_direction_flips_with_polarity(value: Fraction | int, polarity: Polarity) -> None:
    one, other = direction(value, polarity), direction(value, polarity.flipped())
    if polarity is Polarity.NEUTRAL:
        assert one is other is Direction.NOT_APPLICABLE
    else:
        assert {one, other} == {Direction.IMPROVING, Direction.WORSENING}


def test_a_rising_higher_is_better_measure_improves() -> None:
    assert direction(Fraction(1, 3), "higher_is_better") is Direction.IMPROVING
    assert direction(-1, "higher_is_better") is Direction.WORSENING
    assert direction(None, "higher_is_better") is Direction.NOT_APPLICABLE
    assert isinstance(change(1, 0, unit="rate_per_10000"), Change)
    assert change(Fraction(3, 2), 0, unit="rate_per_10000").describe() == "+1.5 per 10,000"


def test_results_in_a_series_bring_their_own_missing_reason() -> None:
    @attrs.frozen
    class Result:
        value: Fraction | None
        missing: Awaited | None = None

    class Awaited(enum.StrEnum):
        AWAITED = "awaited"

    series = {
        "2014-15 Q3": Result(Fraction(1800, 206)),
        "2014-15 Q4": Result(None, Awaited.AWAITED),
        "2013-14 Q3": Result(Fraction(3600, 292)),
    }
    assert quarter_on_quarter(series, "2014-15 Q4", unit="percentage").missing == (
        "no value for 2014-15 Q4 (awaited)"
    )
    step = year_on_year(series, "2014-15 Q3", unit="percentage")
    assert step.value == Fraction(1800, 206) - Fraction(3600, 292)
    assert direction(step, Polarity.LOWER_IS_BETTER) is Direction.IMPROVING
