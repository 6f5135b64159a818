"""UK financial years and quarters; stock (open at end) versus flow (during) semantics."""

from __future__ import annotations

import datetime as dt
import itertools

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import earlyhelp as eh
from strategies import date_spans, dates, financial_years, periods, quarters

D = dt.date
ONE_DAY = dt.timedelta(days=1)


# --------------------------------------------------------------------------- containment


@given(dates())
def test_every_date_is_in_exactly_one_quarter_of_its_year(day: dt.date) -> None:
    year = eh.FinancialYear.containing(day)
    assert year.contains(day)
    assert year.start <= day <= year.end
    holding = [q for q in year.quarters() if q.contains(day)]
    assert len(holding) == 1
    assert holding == [eh.Quarter.containing(day)]
    assert eh.Quarter.containing(day).contains(day)
    assert eh.Quarter.containing(day).year == year
    assert not year.previous().contains(day)
    assert not year.next().contains(day)


@given(dates())
def test_financial_year_starts_in_april(day: dt.date) -> None:
    year = eh.FinancialYear.containing(day)
    assert year.start_year == (day.year if day.month >= 4 else day.year - 1)
    quarter = eh.Quarter.containing(day)
    expected = {4: 1, 5: 1, 6: 1, 7: 2, 8: 2, 9: 2, 10: 3, 11: 3, 12: 3, 1: 4, 2: 4, 3: 4}
    assert quarter.number == expected[day.month]


@given(financial_years())
def test_quarters_tile_the_year(year: eh.FinancialYear) -> None:
    qs = year.quarters()
    assert [q.number for q in qs] == [1, 2, 3, 4]
    assert all(q.year == year for q in qs)
    assert qs[0].start == year.start == D(year.start_year, 4, 1)
    assert qs[3].end == year.end == D(year.start_year + 1, 3, 31)
    for before, after in itertools.pairwise(qs):
        assert before.end + ONE_DAY == after.start
        assert before.end < after.start
    for q in qs:
        assert q.start <= q.end
        assert q.start.day == 1
        assert (q.end + ONE_DAY).day == 1  # ends on a month end
    days_in_quarters = sum((q.end - q.start).days + 1 for q in qs)
    days_in_year = (D(year.start_year + 1, 4, 1) - D(year.start_year, 4, 1)).days
    assert days_in_quarters == days_in_year == (year.end - year.start).days + 1
    assert days_in_year in (365, 366)


@pytest.mark.parametrize(
    ("label", "start", "end"),
    [
        ("2014-15 Q1", D(2014, 4, 1), D(2014, 6, 30)),
        ("2014-15 Q2", D(2014, 7, 1), D(2014, 9, 30)),
        ("2014-15 Q3", D(2014, 10, 1), D(2014, 12, 31)),
        ("2014-15 Q4", D(2015, 1, 1), D(2015, 3, 31)),
        ("2015-16 Q4", D(2016, 1, 1), D(2016, 3, 31)),
        ("1999-00 Q4", D(2000, 1, 1), D(2000, 3, 31)),
    ],
)
def test_quarter_dates(label: str, start: dt.date, end: dt.date) -> None:
    quarter = eh.Quarter.parse(label)
    assert (quarter.start, quarter.end) == (start, end)
    assert eh.Quarter.containing(start) == quarter
    assert eh.Quarter.containing(end) == quarter
    assert eh.Quarter.containing(start - ONE_DAY) == quarter.previous()
    assert eh.Quarter.containing(end + ONE_DAY) == quarter.next()


# --------------------------------------------------------------------------- labels


@given(financial_years())
def test_year_label_round_trip(year: eh.FinancialYear) -> None:
    label = year.label
    assert label == f"{year.start_year}-{str(year.start_year + 1)[-2:]}"
    assert str(year) == label
    assert eh.FinancialYear.parse(label) == year
    assert eh.parse_period(label) == year
    assert eh.parse_period(f"  {label} ") == year


@given(quarters())
def test_quarter_label_round_trip(quarter: eh.Quarter) -> None:
    label = quarter.label
    assert label == f"{quarter.year.label} Q{quarter.number}"
    assert str(quarter) == label
    assert eh.Quarter.parse(label) == quarter
    assert eh.parse_period(label) == quarter
    assert eh.parse_period(label.lower()) == quarter


def test_century_label() -> None:
    assert eh.FinancialYear.parse("1999-00") == eh.FinancialYear(1999)
    assert eh.FinancialYear(1999).label == "1999-00"
    assert eh.FinancialYear(2009).label == "2009-10"


@pytest.mark.parametrize(
    "label",
    ["2014-16", "2014-14", "2014-15 Q5", "2014-15 Q0", "14-15", "2014/15", "2014-2015", "", "Q3"],
)
def test_bad_labels_raise(label: str) -> None:
    with pytest.raises(ValueError, match=r"financial year|quarter"):
        eh.parse_period(label)


@pytest.mark.parametrize("label", ["2014-16", "14-15", "2014-15 Q3"])
def test_bad_year_labels_raise(label: str) -> None:
    with pytest.raises(ValueError, match="financial year"):
        eh.FinancialYear.parse(label)


@pytest.mark.parametrize("label", ["2014-15 Q5", "2014-16 Q1", "14-15 Q1", "2014-15"])
def test_bad_quarter_labels_raise(label: str) -> None:
    with pytest.raises(ValueError, match=r"financial year|quarter"):
        eh.Quarter.parse(label)


@pytest.mark.parametrize(
    "label", ["\u0662\u0660\u0661\u0664-\u0661\u0665", "\uff12\uff10\uff11\uff14-15 Q3"]
)
def test_labels_with_non_ascii_digits_raise(label: str) -> None:
    with pytest.raises(ValueError, match=r"financial year|quarter"):
        eh.parse_period(label)


def test_quarter_number_is_checked() -> None:
    with pytest.raises(ValueError, match="quarter number"):
        eh.Quarter(eh.FinancialYear(2014), 5)


# --------------------------------------------------------------------------- stepping


@given(financial_years())
def test_year_next_previous_are_inverses(year: eh.FinancialYear) -> None:
    assert year.next().previous() == year
    assert year.previous().next() == year
    assert year.next().start == year.end + ONE_DAY
    assert year.previous() < year < year.next()


@given(quarters())
def test_quarter_next_previous_are_inverses(quarter: eh.Quarter) -> None:
    assert quarter.next().previous() == quarter
    assert quarter.previous().next() == quarter
    assert quarter.next().start == quarter.end + ONE_DAY
    assert quarter.previous().end == quarter.start - ONE_DAY
    assert quarter.previous() < quarter < quarter.next()


@given(quarters(), st.integers(0, 12))
def test_quarters_between_is_ordered_and_contiguous(first: eh.Quarter, steps: int) -> None:
    last = first
    for _ in range(steps):
        last = last.next()
    between = list(eh.periods.quarters_between(first, last))
    assert len(between) == steps + 1
    assert between[0] == first
    assert between[-1] == last
    for before, after in itertools.pairwise(between):
        assert before < after
        assert before.end + ONE_DAY == after.start
    assert list(eh.periods.quarters_between(last.next(), last)) == []


def test_quarters_between_crosses_a_year() -> None:
    labels = [
        q.label
        for q in eh.periods.quarters_between(
            eh.Quarter.parse("2014-15 Q3"), eh.Quarter.parse("2015-16 Q2")
        )
    ]
    assert labels == ["2014-15 Q3", "2014-15 Q4", "2015-16 Q1", "2015-16 Q2"]


# --------------------------------------------------------------------------- stock: open at end

Q3 = eh.Quarter.parse("2014-15 Q3")


def test_case_closed_on_quarter_end_is_not_open_at_its_end() -> None:
    assert Q3.end == D(2014, 12, 31)
    assert not eh.periods.is_open_at(D(2014, 10, 1), D(2014, 12, 31), Q3.end)


def test_case_closed_day_after_quarter_end_is_open_at_its_end() -> None:
    assert eh.periods.is_open_at(D(2014, 10, 1), D(2015, 1, 1), Q3.end)


def test_case_opened_on_quarter_end_is_open_at_its_end() -> None:
    assert eh.periods.is_open_at(D(2014, 12, 31), None, Q3.end)
    assert eh.periods.is_open_at(D(2014, 12, 31), D(2015, 1, 1), Q3.end)
    assert not eh.periods.is_open_at(D(2015, 1, 1), None, Q3.end)
    assert not eh.periods.is_open_at(D(2014, 12, 31), D(2014, 12, 31), Q3.end)


def test_open_at_in_polars_for_the_named_cases() -> None:
    frame = pl.DataFrame(
        {
            "opened": [D(2014, 10, 1), D(2014, 10, 1), D(2014, 12, 31), D(2015, 1, 1)],
            "closed": [D(2014, 12, 31), D(2015, 1, 1), None, None],
        }
    )
    result = frame.select(eh.periods.open_at_expr("opened", "closed", Q3.end)).to_series()
    assert result.to_list() == [False, True, True, False]


@given(
    st.lists(date_spans(), min_size=1, max_size=40),
    st.data(),
)
def test_is_open_at_agrees_with_open_at_expr(
    spans: list[tuple[dt.date, dt.date | None]], data: st.DataObject
) -> None:
    edges = [
        day + dt.timedelta(days=delta)
        for pair in spans
        for day in pair
        if day is not None
        for delta in (-1, 0, 1)
    ]
    at = data.draw(st.sampled_from(edges) | dates(), label="at")
    frame = pl.DataFrame(
        {"opened": [o for o, _ in spans], "closed": [c for _, c in spans]},
        schema={"opened": pl.Date, "closed": pl.Date},
    )
    bulk = frame.select(eh.periods.open_at_expr("opened", "closed", at).alias("open")).to_series()
    assert bulk.dtype == pl.Boolean
    assert bulk.null_count() == 0
    assert bulk.to_list() == [eh.periods.is_open_at(o, c, at) for o, c in spans]


@given(date_spans())
def test_open_at_follows_the_episode(span: tuple[dt.date, dt.date | None]) -> None:
    opened, closed = span
    assert not eh.periods.is_open_at(opened, closed, opened - ONE_DAY)
    assert eh.periods.is_open_at(opened, closed, opened) == (closed is None or closed > opened)
    if closed is not None:
        assert not eh.periods.is_open_at(opened, closed, closed)
        assert eh.periods.is_open_at(opened, closed, closed - ONE_DAY) == (closed > opened)
        assert not eh.periods.is_open_at(opened, closed, closed + ONE_DAY)
    else:
        assert eh.periods.is_open_at(opened, closed, opened + dt.timedelta(days=10_000))


# --------------------------------------------------------------------------- flow: during


def test_flow_count_includes_both_first_and_last_days() -> None:
    days = [D(2014, 9, 30), D(2014, 10, 1), D(2014, 11, 15), D(2014, 12, 31), D(2015, 1, 1)]
    frame = pl.DataFrame({"referral_date": days})
    inside = frame.filter(eh.periods.during_expr("referral_date", Q3))
    assert inside.height == 3
    assert inside["referral_date"].to_list() == [D(2014, 10, 1), D(2014, 11, 15), D(2014, 12, 31)]
    assert [Q3.contains(d) for d in days] == [False, True, True, True, False]
    year = eh.FinancialYear.parse("2014-15")
    ends = [D(2014, 3, 31), D(2014, 4, 1), D(2015, 3, 31), D(2015, 4, 1)]
    assert pl.DataFrame({"d": ends}).filter(eh.periods.during_expr("d", year)).height == 2


@given(periods(), st.lists(dates(), max_size=30), st.data())
def test_during_expr_agrees_with_contains(
    period: eh.FinancialYear | eh.Quarter, days: list[dt.date], data: st.DataObject
) -> None:
    near_edges = data.draw(
        st.lists(
            st.sampled_from([period.start, period.end]).flatmap(
                lambda d: st.sampled_from([d - ONE_DAY, d, d + ONE_DAY])
            ),
            max_size=6,
        )
    )
    values = [*days, *near_edges]
    frame = pl.DataFrame({"day": values}, schema={"day": pl.Date})
    bulk = frame.select(eh.periods.during_expr("day", period)).to_series().to_list()
    assert bulk == [period.contains(d) for d in values]
    assert bulk == [period.start <= d <= period.end for d in values]
