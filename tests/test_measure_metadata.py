"""A measure's declared metadata (table, basis, date column) matches what its calculator counts.

For every measure whose parts name plain date columns, the records behind each
figure of the demo year are looked up in the declared table, by its key or, for
measures that count children, by ``person_id``: a flow part's records are dated
within the period (both ends inclusive); a stock part's records are open at the
end of the period's last day (checked for quarters: a year's stock may be read
as the sum of its quarter-end stocks, as the re-referral rate's denominator is).
A stock measure counted by a flow date, or a part naming the wrong table, fails
here.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

import polars as pl
import pytest

import earlyhelp as eh
from demo_data import demo_dataset
from earlyhelp.measures import Basis, Measure, Part

PLAIN = re.compile(r"^(\w+)(?:, (\w+))?$")
PERIODS = ("2014-15 Q1", "2014-15 Q4", "2014-15")


@cache
def _results() -> eh.Results:
    return eh.compute(demo_dataset(), profile="derby-2014-15", period="2014-15", by="city")


def _checked_parts() -> list[tuple[Measure, str, Part]]:
    found = []
    for item in eh.CATALOGUE:
        for name, part in (("numerator", item.numerator), ("denominator", item.denominator)):
            if part is None or not PLAIN.match(part.date):
                continue
            if len(eh.io.SCHEMAS[part.table].key) != 1:
                continue
            found.append((item, name, part))
    return found


def _placed(part: Part, period: eh.periods.Period) -> pl.Expr:
    match = PLAIN.match(part.date)
    assert match is not None
    start, end = match.group(1), match.group(2)
    if part.basis is Basis.FLOW:
        assert end is None, f"a flow part is dated by one column, not {part.date!r}"
        return pl.col(start).is_between(period.start, period.end, closed="both")
    assert end is not None, f"a stock part needs a start and an end column, not {part.date!r}"
    return (pl.col(start) <= period.end) & (pl.col(end).is_null() | (pl.col(end) > period.end))


def test_most_measures_are_checked() -> None:
    assert len({item.measure_id for item, _, _ in _checked_parts()}) >= 20


@pytest.mark.parametrize(
    ("item", "name", "part"),
    _checked_parts(),
    ids=lambda v: v if isinstance(v, str) else getattr(v, "measure_id", ""),
)
def test_the_records_behind_each_figure_fit_the_declared_part(
    item: Measure, name: str, part: Part
) -> None:
    table = demo_dataset()[part.table]
    (key,) = eh.io.SCHEMAS[part.table].key
    for label in PERIODS:
        period = eh.parse_period(label)
        if part.basis is Basis.STOCK and not isinstance(period, eh.Quarter):
            continue
        figure = _results()[item.measure_id, label, "city"]
        if figure.missing is not None:
            continue
        ids = set(_results().records(item.measure_id, label, "city", part=name))
        column = key if ids <= set(table[key]) else "person_id"
        rows = table.filter(pl.col(column).is_in(list(ids)))
        assert set(rows[column]) == ids, f"{item.measure_id}: ids not in {part.table}"
        placed = set(rows.filter(_placed(part, period))[column])
        stray = sorted(ids - placed)
        assert not stray, (
            f"{item.measure_id} {name} ({part.basis.value} by {part.date}) counts "
            f"{len(stray)} record(s) not placed in {label}, e.g. {stray[0]}"
        )


def test_the_check_catches_a_stock_measure_declared_as_a_flow() -> None:
    open_cases = eh.measure("open_cases")
    wrong = Part(definition="x", table="cases", basis=Basis.FLOW, date="opened")
    period = eh.parse_period("2014-15 Q4")
    ids = _results().records("open_cases", "2014-15 Q4", "city")
    rows = demo_dataset()["cases"].filter(pl.col("episode_id").is_in(ids))
    assert open_cases.numerator.basis is Basis.STOCK
    assert rows.filter(~_placed(wrong, period)).height > 0
    assert rows.filter(~_placed(open_cases.numerator, period)).height == 0
    assert period.end == dt.date(2015, 3, 31)
