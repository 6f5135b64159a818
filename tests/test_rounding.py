"""Rounding policies: exact, agreeing with Decimal, and the same in bulk as per value."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import polars as pl
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from earlyhelp.measures import Rounding, RoundingPolicy

MODES = {
    Rounding.TRUNCATE: ROUND_DOWN,
    Rounding.HALF_UP: ROUND_HALF_UP,
    Rounding.HALF_EVEN: ROUND_HALF_EVEN,
}

fractions = st.fractions(max_denominator=10_000).filter(lambda f: abs(f) < 10**9)
places = st.integers(min_value=0, max_value=4)
modes = st.sampled_from(list(Rounding))


def _expansion(value: Fraction, digits: int) -> Decimal:
    """The decimal expansion of ``value`` cut (not rounded) after ``digits`` places."""
    with localcontext() as context:
        context.prec = 80
        context.rounding = ROUND_DOWN
        return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
            Decimal(1).scaleb(-digits), rounding=ROUND_DOWN
        )


@given(fractions, places)
def test_truncation_never_exceeds_the_exact_value_and_is_within_one_unit(
    value: Fraction, kept: int
) -> None:
    shown = Fraction(RoundingPolicy(Rounding.TRUNCATE, kept).apply(value))
    assert abs(shown) <= abs(value)
    assert abs(value - shown) < Fraction(1, 10**kept)
    assert shown == 0 or (shown > 0) == (value > 0)


@given(fractions, places, modes)
def test_rounding_is_within_half_a_unit_or_one_unit_when_truncating(
    value: Fraction, kept: int, mode: Rounding
) -> None:
    shown = Fraction(RoundingPolicy(mode, kept).apply(value))
    bound = Fraction(1, 10**kept) if mode is Rounding.TRUNCATE else Fraction(1, 2 * 10**kept)
    assert abs(value - shown) <= bound


@given(fractions, places, modes)
def test_rounding_agrees_with_decimal_quantize_on_the_exact_expansion(
    value: Fraction, kept: int, mode: Rounding
) -> None:
    # 40 more digits than kept: a value that does not terminate by then cannot be
    # an exact half, so the cut expansion rounds the same way as the value itself.
    expected = _expansion(value, kept + 40).quantize(Decimal(1).scaleb(-kept), rounding=MODES[mode])
    got = RoundingPolicy(mode, kept).apply(value)
    assert got == expected
    assert got.as_tuple().exponent == -kept


@given(fractions, places)
def test_half_up_and_half_even_differ_only_on_exact_halves(value: Fraction, kept: int) -> None:
    up = RoundingPolicy(Rounding.HALF_UP, kept).apply(value)
    even = RoundingPolicy(Rounding.HALF_EVEN, kept).apply(value)
    scaled = value * 10**kept
    is_half = (scaled - (scaled.numerator // scaled.denominator)) == Fraction(1, 2)
    if up != even:
        assert is_half
        assert abs(Fraction(up)) > abs(Fraction(even))


@given(st.integers(min_value=-(10**6), max_value=10**6), places)
def test_on_an_exact_half_half_up_goes_away_from_zero_and_half_even_to_even(
    whole: int, kept: int
) -> None:
    value = (Fraction(whole) + Fraction(1, 2)) / 10**kept
    up = RoundingPolicy(Rounding.HALF_UP, kept).apply(value)
    even = RoundingPolicy(Rounding.HALF_EVEN, kept).apply(value)
    assert abs(Fraction(up)) == abs(value) + Fraction(1, 2 * 10**kept)
    assert int(even.scaleb(kept)) % 2 == 0


@pytest.mark.parametrize(
    ("numerator", "denominator", "truncate", "half_up", "half_even"),
    [
        (127, 160, "79.3", "79.4", "79.4"),  # 79.375
        (129, 160, "80.6", "80.6", "80.6"),  # 80.625
        (44, 331, "13.2", "13.3", "13.3"),  # 13.293...
        (51, 273, "18.6", "18.7", "18.7"),  # 18.681...
        (1, 8, "12.5", "12.5", "12.5"),  # 12.5 exactly
        (1, 16, "6.2", "6.3", "6.2"),  # 6.25: the halves split
        (0, 5, "0.0", "0.0", "0.0"),
    ],
)
def test_the_reports_percentages_under_each_mode(
    numerator: int, denominator: int, truncate: str, half_up: str, half_even: str
) -> None:
    value = Fraction(numerator * 100, denominator)
    got = [RoundingPolicy(mode, 1).format(value) for mode in Rounding]
    assert got == [truncate, half_up, half_even]


def test_negative_values_round_symmetrically_and_never_show_minus_zero() -> None:
    assert RoundingPolicy(Rounding.TRUNCATE, 1).format(Fraction(-1, 25)) == "0.0"
    assert RoundingPolicy(Rounding.HALF_UP, 0).format(Fraction(-5, 2)) == "-3"
    assert RoundingPolicy(Rounding.HALF_EVEN, 0).format(Fraction(-5, 2)) == "-2"
    assert RoundingPolicy(Rounding.TRUNCATE, 0).format(Fraction(-7, 2)) == "-3"


def test_places_must_not_be_negative() -> None:
    with pytest.raises(ValueError, match="places: expected 0 or more, got -1"):
        RoundingPolicy(Rounding.TRUNCATE, -1)


@given(
    st.lists(
        st.tuples(
            st.integers(min_value=-(10**9), max_value=10**9),
            st.integers(min_value=-(10**6), max_value=10**6),
        ),
        min_size=1,
        max_size=30,
    ),
    places,
    modes,
    st.sampled_from([1, 100, 10_000]),
)
def test_the_columnar_rounding_agrees_with_the_per_value_one(
    rows: list[tuple[int, int]], kept: int, mode: Rounding, scale: int
) -> None:
    policy = RoundingPolicy(mode, kept)
    frame = pl.DataFrame(rows, schema=["n", "d"], orient="row")
    bulk = frame.select(policy.ratio_expr(pl.col("n"), pl.col("d"), scale=scale)).to_series()
    expected = [None if d == 0 else policy.format(Fraction(n * scale, d)) for n, d in rows]
    assert bulk.to_list() == expected


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_bulk_and_per_value_agree_at_the_reports_settings(numerator: int, denominator: int) -> None:
    assume(numerator <= denominator)
    policy = RoundingPolicy(Rounding.TRUNCATE, 1)
    frame = pl.DataFrame({"n": [numerator], "d": [denominator]})
    bulk = frame.select(policy.ratio_expr(pl.col("n"), pl.col("d"), scale=100)).item()
    assert bulk == policy.format(Fraction(numerator * 100, denominator))


@given(
    st.lists(st.integers(min_value=-(10**6), max_value=10**6), min_size=1, max_size=20),
    places,
    modes,
)
def test_the_columnar_rounding_agrees_on_exact_halves(
    wholes: list[int], kept: int, mode: Rounding
) -> None:
    # (2w + 1) / (2 * 10**kept) lies exactly halfway between two kept digits.
    policy = RoundingPolicy(mode, kept)
    frame = pl.DataFrame({"n": [2 * w + 1 for w in wholes], "d": [2 * 10**kept] * len(wholes)})
    bulk = frame.select(policy.ratio_expr(pl.col("n"), pl.col("d"))).to_series().to_list()
    assert bulk == [policy.format(Fraction(2 * w + 1, 2 * 10**kept)) for w in wholes]
