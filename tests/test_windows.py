"""Calendar-month arithmetic (clamped at month end) and month windows with declared ends."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import earlyhelp as eh
from strategies import dates

D = dt.date
ONE_DAY = dt.timedelta(days=1)
ENDS = list(itertools.product([True, False], repeat=2))


# --------------------------------------------------------------------------- add_months


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2015, 1, 31), 1, D(2015, 2, 28)),
        (D(2016, 1, 31), 1, D(2016, 2, 29)),
        (D(2016, 2, 29), 12, D(2017, 2, 28)),
        (D(2016, 2, 29), -12, D(2015, 2, 28)),
        (D(2016, 2, 29), 48, D(2020, 2, 29)),
        (D(2014, 11, 30), 3, D(2015, 2, 28)),
        (D(2015, 11, 30), 3, D(2016, 2, 29)),
        (D(2014, 8, 31), 6, D(2015, 2, 28)),
        (D(2015, 8, 31), 6, D(2016, 2, 29)),
        (D(2015, 3, 31), -1, D(2015, 2, 28)),
        (D(2015, 5, 31), -3, D(2015, 2, 28)),
        (D(2015, 1, 31), 3, D(2015, 4, 30)),
        (D(2015, 2, 28), 1, D(2015, 3, 28)),  # no "end of month sticks" rule
        (D(2014, 12, 15), 1, D(2015, 1, 15)),
        (D(2015, 1, 15), -1, D(2014, 12, 15)),
        (D(2015, 1, 15), 0, D(2015, 1, 15)),
    ],
)
def test_add_months(start: dt.date, months: int, expected: dt.date) -> None:
    result = eh.periods.add_months(start, months)
    assert result == expected
    assert (result.year, result.month, result.day) == (
        expected.year,
        expected.month,
        expected.day,
    )


def test_add_months_refuses_datetimes() -> None:
    with pytest.raises(TypeError):
        eh.periods.add_months(dt.datetime(2015, 1, 31, 12, 0), 1)


@given(dates(), st.integers(-360, 360))
def test_add_months_lands_in_the_right_month_and_clamps(day: dt.date, months: int) -> None:
    result = eh.periods.add_months(day, months)
    index = day.year * 12 + day.month - 1 + months
    year, month_index = divmod(index, 12)
    assert (result.year, result.month) == (year, month_index + 1)
    assert result.day <= day.day
    last = calendar.monthrange(result.year, result.month)[1]
    if result.day < day.day:
        assert result.day == last  # clamped: only ever to the month's last day
    else:
        assert result.day == day.day
    assert result.day == min(day.day, last)


@given(st.lists(st.tuples(dates(), st.integers(-360, 360)), min_size=1, max_size=40))
def test_add_months_agrees_with_polars_offset_by(pairs: list[tuple[dt.date, int]]) -> None:
    frame = pl.DataFrame(
        {"day": [d for d, _ in pairs], "months": [f"{n}mo" for _, n in pairs]},
        schema={"day": pl.Date, "months": pl.String},
    )
    bulk = frame.select(pl.col("day").dt.offset_by(pl.col("months"))).to_series().to_list()
    assert bulk == [eh.periods.add_months(d, n) for d, n in pairs]


# --------------------------------------------------------------------------- MonthWindow, named


def test_zero_month_window_is_refused() -> None:
    with pytest.raises(ValueError, match="months"):
        eh.periods.MonthWindow(0)


def test_window_defaults_include_both_ends() -> None:
    window = eh.periods.MonthWindow(3)
    assert window.anchor_inclusive
    assert window.far_inclusive


@pytest.mark.parametrize(("anchor_inclusive", "far_inclusive"), ENDS)
def test_forward_window_ends(anchor_inclusive: bool, far_inclusive: bool) -> None:
    window = eh.periods.MonthWindow(
        3, anchor_inclusive=anchor_inclusive, far_inclusive=far_inclusive
    )
    anchor = D(2014, 11, 30)  # case closed; far end clamps to 28 Feb 2015
    assert window.far_end(anchor) == D(2015, 2, 28)
    assert window.bounds(anchor) == (anchor, D(2015, 2, 28))
    expected = {
        D(2014, 11, 29): False,  # day before the anchor
        D(2014, 11, 30): anchor_inclusive,  # the anchor day
        D(2014, 12, 1): True,  # day after the anchor
        D(2015, 2, 27): True,  # day before the far end
        D(2015, 2, 28): far_inclusive,  # the far end
        D(2015, 3, 1): False,  # day after the far end
    }
    assert {day: window.contains(anchor, day) for day in expected} == expected
    frame = pl.DataFrame({"anchor": [anchor] * len(expected), "day": list(expected)})
    bulk = frame.select(window.expr("anchor", "day")).to_series().to_list()
    assert bulk == list(expected.values())


@pytest.mark.parametrize(("anchor_inclusive", "far_inclusive"), ENDS)
def test_backward_window_ends(anchor_inclusive: bool, far_inclusive: bool) -> None:
    window = eh.periods.MonthWindow(
        -3, anchor_inclusive=anchor_inclusive, far_inclusive=far_inclusive
    )
    anchor = D(2016, 5, 31)  # plan started; looks back to 29 Feb 2016 (clamped)
    assert window.far_end(anchor) == D(2016, 2, 29)
    assert window.bounds(anchor) == (D(2016, 2, 29), anchor)
    expected = {
        D(2016, 2, 28): False,  # day before the far end
        D(2016, 2, 29): far_inclusive,  # the far end
        D(2016, 3, 1): True,  # day after the far end
        D(2016, 5, 30): True,  # day before the anchor
        D(2016, 5, 31): anchor_inclusive,  # the anchor day
        D(2016, 6, 1): False,  # day after the anchor
    }
    assert {day: window.contains(anchor, day) for day in expected} == expected
    frame = pl.DataFrame({"anchor": [anchor] * len(expected), "day": list(expected)})
    bulk = frame.select(window.expr(pl.col("anchor"), pl.col("day"))).to_series().to_list()
    assert bulk == list(expected.values())


def test_rereferral_window_of_the_source_city() -> None:
    # "re-referred within 3 months of case closure": closed 30/11/2014, referred 28/02/2015.
    window = eh.periods.MonthWindow(3, anchor_inclusive=False, far_inclusive=True)
    assert window.contains(D(2014, 11, 30), D(2015, 2, 28))
    assert not window.contains(D(2014, 11, 30), D(2015, 3, 1))
    assert not window.contains(D(2014, 11, 30), D(2014, 11, 30))
    assert "3" in window.describe()
    assert "after" in window.describe()
    assert "before" in eh.periods.MonthWindow(-24).describe()


# --------------------------------------------------------------------------- MonthWindow, bulk


def windows() -> st.SearchStrategy[eh.periods.MonthWindow]:
    return st.builds(
        eh.periods.MonthWindow,
        st.integers(-36, 36).filter(bool),
        anchor_inclusive=st.booleans(),
        far_inclusive=st.booleans(),
    )


@st.composite
def anchor_day_pairs(draw: st.DrawFn, window: eh.periods.MonthWindow) -> tuple[dt.date, dt.date]:
    """An anchor and a day that is often on or next to one of the window's ends."""
    anchor = draw(dates())
    far = eh.periods.add_months(anchor, window.months)
    mode = draw(st.sampled_from(["anchor", "far", "any"]))
    if mode == "any":
        return anchor, draw(dates())
    base = anchor if mode == "anchor" else far
    return anchor, base + dt.timedelta(days=draw(st.sampled_from([-1, 0, 1])))


@given(st.data())
def test_contains_agrees_with_expr(data: st.DataObject) -> None:
    window = data.draw(windows(), label="window")
    pairs = data.draw(st.lists(anchor_day_pairs(window), min_size=1, max_size=40), label="pairs")
    frame = pl.DataFrame(
        {"anchor": [a for a, _ in pairs], "day": [d for _, d in pairs]},
        schema={"anchor": pl.Date, "day": pl.Date},
    )
    bulk = frame.select(window.expr("anchor", "day").alias("inside")).to_series()
    assert bulk.null_count() == 0
    assert bulk.to_list() == [window.contains(a, d) for a, d in pairs]


@pytest.mark.parametrize(("anchor_inclusive", "far_inclusive"), ENDS)
@pytest.mark.parametrize("sign", [1, -1])
@given(data=st.data())
def test_contains_agrees_with_expr_for_each_end_policy(
    anchor_inclusive: bool, far_inclusive: bool, sign: int, data: st.DataObject
) -> None:
    months = sign * data.draw(st.integers(1, 24))
    window = eh.periods.MonthWindow(
        months, anchor_inclusive=anchor_inclusive, far_inclusive=far_inclusive
    )
    pairs = data.draw(st.lists(anchor_day_pairs(window), min_size=1, max_size=8))
    frame = pl.DataFrame(
        {"anchor": [a for a, _ in pairs], "day": [d for _, d in pairs]},
        schema={"anchor": pl.Date, "day": pl.Date},
    )
    bulk = frame.select(window.expr("anchor", "day")).to_series().to_list()
    assert bulk == [window.contains(a, d) for a, d in pairs]


@given(windows(), dates(), dates())
def test_contains_matches_the_bounds(
    window: eh.periods.MonthWindow, anchor: dt.date, day: dt.date
) -> None:
    low, high = window.bounds(anchor)
    assert low < high
    assert (high if window.months > 0 else low) == eh.periods.add_months(anchor, window.months)
    inside = window.contains(anchor, day)
    if day < low or day > high:
        assert not inside
    elif low < day < high:
        assert inside
    elif day == anchor:
        assert inside == window.anchor_inclusive
    else:
        assert inside == window.far_inclusive
    closed = eh.periods.MonthWindow(window.months, anchor_inclusive=True, far_inclusive=True)
    assert closed.contains(anchor, day) == (low <= day <= high)
