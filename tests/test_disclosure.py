"""Display text and disclosure control: exact values in, text out, nothing derivable."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import attrs
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp import load_profile, present, publish
from earlyhelp.measures import Disclosure, DisclosurePolicy, PresentationSettings, Symbol

DERBY = load_profile("derby-2014-15").rule("presentation", dt.date(2015, 3, 31))
CENSUS = load_profile("cin-census").rule("presentation", dt.date(2015, 3, 31))
SCALES = {"percentage": 100, "rate_per_10000": 10_000}
C, X, Z, LOW = (
    s.value for s in (Symbol.CONFIDENTIAL, Symbol.NOT_AVAILABLE, Symbol.NOT_APPLICABLE, Symbol.LOW)
)


def _frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            "measure_id": pl.Utf8,
            "period": pl.Utf8,
            "team_id": pl.Utf8,
            "unit": pl.Utf8,
            "numerator": pl.Int64,
            "denominator": pl.Int64,
            "value": pl.Object,
        },
    )


def _row(
    measure: str, unit: str, numerator: int | None, denominator: int | None, team: str = "T1"
) -> dict[str, Any]:
    if unit == "count":
        value: Fraction | None = None if numerator is None else Fraction(numerator)
    elif numerator is None or not denominator:
        value = None
    else:
        value = Fraction(numerator * SCALES[unit], denominator)
    return {
        "measure_id": measure,
        "period": "2014-15 Q3",
        "team_id": team,
        "unit": unit,
        "numerator": numerator,
        "denominator": None if unit == "count" else denominator,
        "value": value,
    }


@st.composite
def rows(draw: st.DrawFn) -> dict[str, Any]:
    unit = draw(st.sampled_from(["count", "percentage", "rate_per_10000"]))
    measure = draw(st.sampled_from(["escalation_rate", "audit_completion_rate", "open_cases"]))
    # Small numbers are where disclosure control acts: draw them often.
    denominator = draw(
        st.integers(min_value=0, max_value=12) | st.integers(min_value=0, max_value=400)
    )
    numerator = draw(
        st.integers(min_value=0, max_value=max(denominator, 0) if unit != "count" else 400)
    )
    if draw(st.booleans()) and unit == "count":
        numerator = draw(st.integers(min_value=0, max_value=12))
    return _row(measure, unit, numerator, denominator, team=draw(st.sampled_from(["T1", "T2"])))


frames = st.lists(rows(), min_size=1, max_size=25).map(_frame)
suppressing = st.builds(
    DisclosurePolicy,
    method=st.just(Disclosure.SUPPRESS),
    threshold=st.integers(min_value=1, max_value=11),
    suppress_zero=st.booleans(),
)
rounding = st.builds(
    DisclosurePolicy, method=st.just(Disclosure.ROUND), base=st.sampled_from([1, 2, 3, 5, 10])
)


def _with(policy: DisclosurePolicy, settings: PresentationSettings = DERBY) -> PresentationSettings:
    return attrs.evolve(settings, published=policy)


@given(frames, suppressing)
def test_suppression_never_leaves_a_derivable_count(
    frame: pl.DataFrame, policy: DisclosurePolicy
) -> None:
    shown = publish(frame, _with(policy))
    for exact, text in zip(frame.iter_rows(named=True), shown.iter_rows(named=True), strict=True):
        hidden = policy.hides(exact["numerator"])
        assert (text["numerator_display"] == C) == (
            hidden or (exact["unit"] != "count" and policy.hides(exact["denominator"]))
        )
        if text["numerator_display"] == C:
            # Neither the value nor (for counts) anything else gives the count away.
            assert text["value_display"] in (C, X)
        if text["denominator_display"] == C:
            assert text["numerator_display"] == C
            assert text["value_display"] in (C, X)
        for column in ("numerator_display", "denominator_display"):
            if text[column] not in (C, X, Z):
                count = int(text[column])
                assert count >= policy.threshold or (count == 0 and not policy.suppress_zero)


@given(frames, rounding)
def test_rounding_to_a_base_keeps_multiples_of_the_base(
    frame: pl.DataFrame, policy: DisclosurePolicy
) -> None:
    shown = publish(frame, _with(policy))
    for exact, text in zip(frame.iter_rows(named=True), shown.iter_rows(named=True), strict=True):
        count = int(text["numerator_display"])
        assert count % policy.base == 0
        assert abs(count - exact["numerator"]) * 2 <= policy.base
        if exact["unit"] == "count":
            assert text["value_display"] == str(count)
        elif text["denominator_display"] not in (X,):
            denominator = int(text["denominator_display"])
            assert denominator % policy.base == 0
            if exact["value"] is not None and denominator:
                settings = _with(policy)
                rounded = settings.policy(exact["measure_id"], exact["unit"])
                assert rounded is not None
                expected = rounded.format(Fraction(count * SCALES[exact["unit"]], denominator))
                assert text["value_display"] in (expected, LOW)


@given(frames)
def test_internal_text_shows_every_count_and_agrees_with_the_per_value_rounding(
    frame: pl.DataFrame,
) -> None:
    before = frame.clone()
    shown = present(frame, DERBY)
    assert frame.rows() == before.rows()  # the exact values are never changed
    assert not {"numerator", "denominator", "value"} & set(shown.columns)
    assert shown.select("measure_id", "period", "team_id", "unit").equals(
        frame.select("measure_id", "period", "team_id", "unit")
    )
    for exact, text in zip(frame.iter_rows(named=True), shown.iter_rows(named=True), strict=True):
        assert text["numerator_display"] == str(exact["numerator"])
        # Exact from the whole numbers: polars may hold the value column as floats.
        scale = SCALES.get(exact["unit"], 1)
        denominator = exact["denominator"] or 1
        expected = (
            DERBY.format(
                exact["measure_id"],
                exact["unit"],
                Fraction(exact["numerator"] * scale, denominator),
            )
            if exact["value"] is not None
            else X
        )
        assert text["value_display"] == expected
        assert text["denominator_display"] == (
            Z if exact["unit"] == "count" else str(exact["denominator"])
        )


def test_the_reports_escalation_row_under_derby_settings() -> None:
    pairs = [(31, 274), (44, 331), (36, 292), (51, 245), (51, 273), (53, 369), (18, 206)]
    frame = _frame([_row("escalation_rate", "percentage", n, d) for n, d in pairs])
    shown = present(frame, DERBY)["value_display"].to_list()
    assert shown == ["11.3", "13.2", "12.3", "20.8", "18.6", "14.3", "8.7"]
    census = present(frame, CENSUS)["value_display"].to_list()
    assert census == ["11.3", "13.3", "12.3", "20.8", "18.7", "14.4", "8.7"]


def test_a_measures_own_places_override_the_units() -> None:
    frame = _frame(
        [
            _row("audit_completion_rate", "percentage", 52, 86),
            _row("escalation_rate", "percentage", 52, 86),
        ]
    )
    assert present(frame, DERBY)["value_display"].to_list() == ["60", "60.4"]


def test_missing_figures_and_count_denominators_use_the_gss_symbols() -> None:
    frame = _frame(
        [
            _row("escalation_rate", "percentage", 0, 0),  # no denominator: not available
            _row("open_cases", "count", 740, None),
            _row("escalation_rate", "percentage", None, None),  # data awaited
        ]
    )
    shown = publish(frame, DERBY).select(
        "numerator_display", "denominator_display", "value_display"
    )
    assert shown.rows() == [("0", "0", X), ("740", Z, "740"), (X, X, X)]


def test_a_published_rate_that_rounds_to_zero_is_low_but_an_internal_one_is_not() -> None:
    frame = _frame(
        [
            _row("cin_rate", "rate_per_10000", 6, 2_000_000),  # 0.03 per 10,000
            _row("cin_rate", "rate_per_10000", 0, 2_000_000),
        ]
    )
    assert publish(frame, CENSUS)["value_display"].to_list() == [LOW, "0.0"]
    assert present(frame, CENSUS)["value_display"].to_list() == ["0.0", "0.0"]


def test_dfe_suppresses_one_to_five_and_publishes_zeros() -> None:
    frame = _frame([_row("referrals", "count", n, None) for n in (0, 1, 5, 6)])
    shown = publish(frame, CENSUS)["numerator_display"].to_list()
    assert shown == ["0", C, C, "6"]
    assert present(frame, CENSUS)["numerator_display"].to_list() == ["0", "1", "5", "6"]


def test_a_suppressed_denominator_hides_its_numerator_and_percentage() -> None:
    frame = _frame(
        [_row("escalation_rate", "percentage", 0, 4), _row("escalation_rate", "percentage", 5, 6)]
    )
    shown = publish(frame, CENSUS).select(
        "numerator_display", "denominator_display", "value_display"
    )
    assert shown.rows() == [(C, C, C), (C, "6", C)]


def test_rounding_a_small_denominator_to_zero_hides_the_percentage() -> None:
    policy = DisclosurePolicy(method=Disclosure.ROUND, base=5)
    frame = _frame(
        [_row("escalation_rate", "percentage", 1, 2), _row("escalation_rate", "percentage", 3, 12)]
    )
    shown = publish(frame, _with(policy)).select(
        "numerator_display", "denominator_display", "value_display"
    )
    assert shown.rows() == [("0", "0", C), ("5", "10", "50.0")]


def test_bad_frames_are_refused_with_the_row_named() -> None:
    with pytest.raises(ValueError, match="missing column"):
        present(pl.DataFrame({"measure_id": ["m"]}), DERBY)
    frame = _frame(
        [
            _row("escalation_rate", "percentage", 1, 2),
            _row("escalation_rate", "percentage", 1, 2) | {"unit": "percent"},
        ]
    )
    with pytest.raises(
        ValueError, match=r"row 2 \(measure escalation_rate, period 2014-15 Q3\): unit"
    ):
        present(frame, DERBY)
    negative = _frame([_row("open_cases", "count", -1, None)])
    with pytest.raises(ValueError, match=r"row 1 .*expected 0 or more"):
        publish(negative, DERBY)
    floats = pl.DataFrame(
        {
            "measure_id": ["m"],
            "period": ["p"],
            "unit": ["count"],
            "numerator": [1.0],
            "denominator": [None],
            "value": [1.0],
        }
    )
    with pytest.raises(ValueError, match="numerator: expected whole numbers"):
        present(floats, DERBY)


def test_policies_describe_themselves_and_refuse_unsafe_settings() -> None:
    assert "counts from 1 to 4 are suppressed" in DERBY.published.describe()
    assert DERBY.internal.describe().startswith("no disclosure control")
    with pytest.raises(ValueError, match="suppress_derived: must be true"):
        DisclosurePolicy(method=Disclosure.SUPPRESS, suppress_derived=False)
    with pytest.raises(ValueError, match="threshold: expected a whole number of 1 or more"):
        DisclosurePolicy(method=Disclosure.SUPPRESS, threshold=0)
    assert DisclosurePolicy(method=Disclosure.ROUND, base=5).rounded(-7) == -5
    assert [DisclosurePolicy(method=Disclosure.ROUND, base=5).rounded(n) for n in (2, 3, 7, 8)] == [
        0,
        5,
        5,
        10,
    ]
