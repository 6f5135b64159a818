"""RAG status against a target, through the measure's polarity and the amber tolerance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from earlyhelp import load_profile
from earlyhelp.measures import Polarity, Rag, rag, rag_for
from earlyhelp.profiles import Comparison

values = st.fractions(min_value=0, max_value=100, max_denominator=1000)
polarities = st.sampled_from([Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER])
DERBY = load_profile("derby-2014-15")
DAY_2016 = dt.date(2016, 3, 31)


@given(values, values, polarities)
def test_rag_flips_when_polarity_flips(
    value: Fraction, target: Fraction, polarity: Polarity
) -> None:
    assume(value != target)
    one = rag(value, target, polarity)
    other = rag(value, target, polarity.flipped())
    assert {one, other} == {Rag.GREEN, Rag.RED}


@given(values, polarities)
def test_a_value_on_the_target_meets_an_inclusive_target(
    value: Fraction, polarity: Polarity
) -> None:
    assert rag(value, value, polarity) is Rag.GREEN
    strict = Comparison.BELOW if polarity is Polarity.LOWER_IS_BETTER else Comparison.ABOVE
    assert rag(value, value, polarity, comparison=strict) is Rag.RED
    assert rag(value, value, polarity, comparison=strict, amber_within=0) is Rag.RED


@given(values, values, values, polarities)
def test_amber_is_a_miss_within_the_tolerance(
    value: Fraction, target: Fraction, tolerance: Fraction, polarity: Polarity
) -> None:
    status = rag(value, target, polarity, amber_within=tolerance)
    met = value >= target if polarity is Polarity.HIGHER_IS_BETTER else value <= target
    if met:
        assert status is Rag.GREEN
    elif tolerance > 0 and abs(value - target) <= tolerance:
        assert status is Rag.AMBER
    else:
        assert status is Rag.RED
    assert rag(value, target, polarity) is (Rag.GREEN if met else Rag.RED)


def test_the_amber_band_is_inclusive_at_its_edge() -> None:
    target = Decimal("5.5")
    kwargs = {"comparison": "below", "amber_within": Decimal("0.5")}
    assert rag(Fraction(6), target, "lower_is_better", **kwargs) is Rag.AMBER  # type: ignore[arg-type]
    assert rag(Fraction(601, 100), target, "lower_is_better", **kwargs) is Rag.RED  # type: ignore[arg-type]
    assert rag(Fraction(549, 100), target, "lower_is_better", **kwargs) is Rag.GREEN  # type: ignore[arg-type]
    assert rag(Fraction(55, 10), target, "lower_is_better", **kwargs) is Rag.AMBER  # type: ignore[arg-type]


def test_the_exact_value_is_judged_not_the_printed_one() -> None:
    # 5.4999...% prints 5.5 half-up, but it is below 5.5.
    assert (
        rag(Fraction(54999, 10000), Decimal("5.5"), "lower_is_better", comparison="below")
        is Rag.GREEN
    )


def test_missing_values_and_targets_and_neutral_measures() -> None:
    assert rag(None, Decimal(5), "lower_is_better") is Rag.NO_DATA
    assert rag(Fraction(3), None, "lower_is_better") is Rag.NO_TARGET
    assert rag(None, None, "lower_is_better") is Rag.NO_TARGET
    assert rag(Fraction(3), Decimal(5), "neutral") is Rag.NO_TARGET
    assert rag(Fraction(3), Decimal(5), "neutral", comparison="at_least") is Rag.RED


def test_a_comparison_that_contradicts_the_polarity_is_refused() -> None:
    with pytest.raises(ValueError, match="contradicts the measure's polarity lower_is_better"):
        rag(Fraction(3), Decimal(5), "lower_is_better", comparison="at_least")
    with pytest.raises(ValueError, match="amber_within: expected 0 or more"):
        rag(Fraction(3), Decimal(5), "lower_is_better", amber_within=-1)


def test_derby_neet_target_in_force_in_2015_16() -> None:
    def status(value: Fraction, day: dt.date = DAY_2016) -> Rag:
        return rag_for(value, "neet_rate", Polarity.LOWER_IS_BETTER, DERBY.versions("targets"), day)

    assert status(Fraction(54, 10)) is Rag.GREEN
    assert status(Fraction(55, 10)) is Rag.AMBER  # "below 5.5%": 5.5 misses, by 0
    assert status(Fraction(59, 10)) is Rag.AMBER  # March 2015's 5.9%, 0.4 over
    assert status(Fraction(61, 10)) is Rag.RED
    assert status(Fraction(54, 10), dt.date(2015, 3, 31)) is Rag.NO_TARGET  # baseline year
    assert status(Fraction(54, 10), dt.date(2016, 5, 1)) is Rag.NO_TARGET  # after the due date
    assert (
        rag_for(None, "neet_rate", "lower_is_better", DERBY.versions("targets"), DAY_2016)
        is Rag.NO_DATA
    )
    not_known = rag_for(
        Fraction(34, 10), "not_known_rate", "lower_is_better", DERBY.versions("targets"), DAY_2016
    )
    assert not_known is Rag.GREEN
    assert rag_for(
        Fraction(3), "escalation_rate", "lower_is_better", DERBY.versions("targets"), DAY_2016
    ) is (Rag.NO_TARGET)
