"""Placing records in periods: ``MeasureContext.flow``, ``stock`` and ``period_ends``.

Each is checked against the periods' own ``contains`` and ``is_open_at``, record
by record, for any choice of periods: quarters without their year, years
without their quarters, periods years apart, in any order.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

import earlyhelp as eh
from earlyhelp.measures import MeasureContext, period_ends
from strategies import dates, periods

PROFILE = eh.load_profile("derby-2014-15")
EMPTY = eh.load({})
ONE_DAY = dt.timedelta(days=1)


def _context(asked: list[eh.FinancialYear | eh.Quarter]) -> MeasureContext:
    return MeasureContext(EMPTY, PROFILE, asked)


def _near(asked: list[eh.FinancialYear | eh.Quarter]) -> st.SearchStrategy[dt.date]:
    """Days on and either side of the periods' edges."""
    edges = [dt.date(d.year, d.month, d.day) for p in asked for d in (p.start, p.end)]
    return st.sampled_from(edges).flatmap(lambda d: st.sampled_from([d - ONE_DAY, d, d + ONE_DAY]))


@given(st.lists(periods(), min_size=1, max_size=5), st.data())
def test_flow_places_each_record_in_every_period_that_contains_its_date(
    asked: list[eh.FinancialYear | eh.Quarter], data: st.DataObject
) -> None:
    days = data.draw(st.lists(st.none() | dates() | _near(asked), max_size=25), label="days")
    frame = pl.LazyFrame(
        {"record": list(range(len(days))), "day": days},
        schema={"record": pl.Int64, "day": pl.Date},
    )
    ctx = _context(asked)
    placed = ctx.flow(frame, "day").collect()
    assert placed.columns == ["record", "day", "period"]
    assert placed.schema["period"] == ctx.labels
    expected = sorted(
        (record, p.label)
        for record, day in enumerate(days)
        if day is not None
        for p in ctx.periods
        if p.contains(day)
    )
    assert sorted(placed.select("record", pl.col("period").cast(pl.String)).rows()) == expected


@given(st.lists(periods(), min_size=1, max_size=5), st.data())
def test_stock_places_each_record_in_every_period_at_whose_end_it_is_open(
    asked: list[eh.FinancialYear | eh.Quarter], data: st.DataObject
) -> None:
    opened = data.draw(st.lists(dates() | _near(asked), max_size=20), label="opened")
    ends = data.draw(
        st.lists(st.none() | dates() | _near(asked), min_size=len(opened), max_size=len(opened)),
        label="closed",
    )
    # closed on or after opened (the same day often): an episode's own order
    closed = [c if c is None or c >= o else o for o, c in zip(opened, ends, strict=True)]
    frame = pl.LazyFrame(
        {"record": list(range(len(opened))), "opened": opened, "closed": closed},
        schema={"record": pl.Int64, "opened": pl.Date, "closed": pl.Date},
    )
    ctx = _context(asked)
    placed = ctx.stock(frame, "opened", "closed").collect()
    expected = sorted(
        (record, p.label)
        for record, (o, c) in enumerate(zip(opened, closed, strict=True))
        for p in ctx.periods
        if eh.periods.is_open_at(o, c, p.end)
    )
    assert sorted(placed.select("record", pl.col("period").cast(pl.String)).rows()) == expected
    # may_be_open leaves out no record stock places
    maybe = frame.filter(ctx.may_be_open("opened", "closed")).collect()["record"].to_list()
    assert {record for record, _ in expected} <= set(maybe)
    left_out = set(range(len(opened))) - set(maybe)
    for record in left_out:  # opened after the last end, or closed by the first
        o, c = opened[record], closed[record]
        assert o > max(p.end for p in ctx.periods) or (
            c is not None and c <= min(p.end for p in ctx.periods)
        )


@given(st.lists(periods(), min_size=1, max_size=6), st.data())
def test_period_ends_reads_each_rows_own_period(
    asked: list[eh.FinancialYear | eh.Quarter], data: st.DataObject
) -> None:
    ctx = _context(asked)
    labels = data.draw(st.lists(st.sampled_from([p.label for p in ctx.periods]), max_size=12))
    by_label = {p.label: p.end for p in ctx.periods}
    for kind in (pl.String, ctx.labels):
        rows = pl.DataFrame({"period": labels}, schema={"period": kind})
        ends = rows.select(period_ends(ctx)).to_series().to_list()
        assert ends == [by_label[label] for label in labels]


def test_flow_leaves_out_the_gaps_between_periods_and_keeps_leap_days() -> None:
    q4 = eh.Quarter.parse("2015-16 Q4")  # 1 January to 31 March 2016: a leap year
    year = eh.FinancialYear.parse("2012-13")
    ctx = _context([q4, year])
    days = [
        dt.date(2013, 3, 31),  # the year's last day
        dt.date(2013, 4, 1),  # the gap between them
        dt.date(2015, 12, 31),  # the gap's last day
        dt.date(2016, 1, 1),  # the quarter's first day
        dt.date(2016, 2, 29),
        dt.date(2016, 3, 31),
        dt.date(2016, 4, 1),  # after both
        dt.date(2012, 3, 31),  # before both
    ]
    frame = pl.LazyFrame({"day": days})
    placed = ctx.flow(frame, "day").collect()
    assert placed.select("day", pl.col("period").cast(pl.String)).rows() == [
        (dt.date(2016, 1, 1), "2015-16 Q4"),
        (dt.date(2016, 2, 29), "2015-16 Q4"),
        (dt.date(2016, 3, 31), "2015-16 Q4"),
        (dt.date(2013, 3, 31), "2012-13"),
    ]


def test_flow_and_stock_with_no_periods_place_nothing_and_keep_the_columns() -> None:
    ctx = _context([])
    frame = pl.LazyFrame({"record": [1], "day": [dt.date(2014, 5, 1)], "end": [None]})
    for placed in (ctx.flow(frame, "day"), ctx.stock(frame, "day", "end")):
        out = placed.collect()
        assert out.height == 0
        assert out.columns == ["record", "day", "end", "period"]


def test_a_context_takes_periods_or_their_labels_once_each() -> None:
    q3 = eh.Quarter.parse("2014-15 Q3")
    ctx = MeasureContext(EMPTY, PROFILE, ["2014-15 Q3", q3, "2014-15"])
    assert ctx.periods == (q3, eh.FinancialYear.parse("2014-15"))
    assert MeasureContext(EMPTY, PROFILE, "2014-15 Q3").periods == (q3,)
    assert MeasureContext(EMPTY, PROFILE, q3).periods == (q3,)
    assert MeasureContext(EMPTY, PROFILE, []).periods == ()
