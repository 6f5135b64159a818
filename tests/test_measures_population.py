"""Rates per 10,000 children: the denominators are the localities' populations, summed once."""

import datetime as dt
import random
from typing import Any

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

import earlyhelp as eh
from demo_data import demo_dataset

YEARS = (2013, 2014)
CITY_ROW = "derby"  # the demo population's row for the whole city


def _with_population(children: dict[tuple[str, int], int]) -> eh.Dataset:
    demo = demo_dataset()
    population = pl.DataFrame(
        {
            "area_id": [area for area, _ in children],
            "year": [year for _, year in children],
            "children": list(children.values()),
        }
    )
    tables = ("teams", "social_care_episodes")
    return eh.load({**{name: demo[name] for name in tables}, "population": population})


def _localities() -> list[str]:
    return sorted(demo_dataset()["teams"].get_column("locality_id").unique().to_list())


_EPISODE_SCHEMA = {
    "episode_id": pl.String,
    "person_id": pl.String,
    "kind": pl.String,
    "started": pl.Date,
    "ended": pl.Date,
    "locality_id": pl.String,
}


def _children_in_need(rows: list[dict[str, Any]], period: str) -> eh.Results:
    """The cin_cases figures by locality of these social care episodes (rows in file order)."""
    episodes = pl.DataFrame(rows, schema=_EPISODE_SCHEMA)
    data = eh.load({"teams": demo_dataset()["teams"], "social_care_episodes": episodes})
    return eh.compute(
        data, profile="derby-2014-15", period=period, by="locality", measures=["cin_cases"]
    )


@settings(max_examples=15)
@given(data=st.data())
def test_city_denominator_is_the_sum_of_localities_once(data: st.DataObject) -> None:
    localities = _localities()
    counts = st.integers(min_value=1, max_value=10**6)
    children = {(area, year): data.draw(counts) for area in localities for year in YEARS}
    # a row for the whole city (here deliberately not the sum) is not added again
    children |= {(CITY_ROW, year): data.draw(counts) for year in YEARS}
    results = eh.compute(
        _with_population(children),
        profile="derby-2014-15",
        period="2014-15",
        by="locality",
        measures=["cin_rate"],
    )
    frame = results.frame
    assert set(frame.get_column("unit_id").unique().to_list()) == {*localities, "city"}
    for period in ("2014-15 Q2", "2014-15"):
        for area in localities:
            assert results["cin_rate", period, area].denominator == children[area, 2014]
        city = results["cin_rate", period, "city"].denominator
        assert city == sum(children[area, 2014] for area in localities)


def test_city_rate_of_the_demo_uses_each_child_once() -> None:
    demo = demo_dataset()
    results = eh.compute(demo, profile="derby-2014-15", period="2013-14", by="city")
    city_row = (
        demo["population"]
        .filter((pl.col("area_id") == CITY_ROW) & (pl.col("year") == 2013))
        .get_column("children")
        .item()
    )
    for measure in ("cin_rate", "cp_rate", "cic_rate"):
        assert results[measure, "2013-14 Q3", "city"].denominator == city_row


@settings(max_examples=25)
@given(
    ids=st.lists(
        st.text(alphabet="ABC0123456789", min_size=1, max_size=6),
        min_size=2,
        max_size=4,
        unique=True,
    ),
    order=st.randoms(use_true_random=False),
)
def test_a_child_with_same_day_episodes_is_placed_by_the_greatest_episode_id(
    ids: list[str], order: random.Random
) -> None:
    """The locality does not depend on the order of the rows in the file."""
    localities = _localities()
    rows = [
        {
            "episode_id": episode,
            "person_id": "P1",
            "kind": "cin",
            "started": dt.date(2014, 6, 2),
            "ended": None,
            "locality_id": localities[i % len(localities)],
        }
        for i, episode in enumerate(ids)
    ]
    order.shuffle(rows)
    results = _children_in_need(rows, "2014-15 Q2")
    expected = next(row["locality_id"] for row in rows if row["episode_id"] == max(ids))
    for area in localities:
        figure = results["cin_cases", "2014-15 Q2", area].numerator
        assert figure == (1 if area == expected else 0)


_QUARTER_ENDS = {
    "2014-15 Q1": dt.date(2014, 6, 30),
    "2014-15 Q2": dt.date(2014, 9, 30),
    "2014-15 Q3": dt.date(2014, 12, 31),
    "2014-15 Q4": dt.date(2015, 3, 31),
}


@settings(max_examples=40, deadline=None)
@given(
    episodes=st.lists(
        st.tuples(
            st.sampled_from(["P1", "P2", "P3"]),
            st.dates(dt.date(2014, 3, 1), dt.date(2015, 3, 31)),
            st.one_of(st.none(), st.integers(0, 300)),
            st.integers(0, 3),
        ),
        max_size=12,
    ),
    order=st.randoms(use_true_random=False),
)
def test_a_child_open_at_a_quarter_end_counts_once_where_the_latest_episode_is(
    episodes: list[tuple[str, dt.date, int | None, int]], order: random.Random
) -> None:
    # Oracle: open at the end (started on or before it, not ended on or before it);
    # of a child's open episodes, the one started last, then the greatest id, places it.
    localities = _localities()
    rows: list[dict[str, Any]] = [
        {
            "episode_id": f"E{i:02d}",
            "person_id": person,
            "kind": "cin",
            "started": started,
            "ended": None if days is None else started + dt.timedelta(days=days),
            "locality_id": localities[area % len(localities)],
        }
        for i, (person, started, days, area) in enumerate(episodes)
    ]
    shuffled = rows.copy()
    order.shuffle(shuffled)
    results = _children_in_need(shuffled, "2014-15")
    for label, end in _QUARTER_ENDS.items():
        placed: dict[str, str] = {}
        for person in {row["person_id"] for row in rows}:
            open_rows = [
                row
                for row in rows
                if row["person_id"] == person
                and row["started"] <= end
                and (row["ended"] is None or row["ended"] > end)
            ]
            if open_rows:
                latest = max(open_rows, key=lambda row: (row["started"], row["episode_id"]))
                placed[person] = latest["locality_id"]
        for area in localities:
            expected = sum(1 for where in placed.values() if where == area)
            assert results["cin_cases", label, area].numerator == expected, (label, area)
        assert results["cin_cases", label, "city"].numerator == len(placed)
