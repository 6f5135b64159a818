"""Monthly flows in and out of plans and care reconcile with the stocks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import earlyhelp as eh
from cohort_data import D, dataset, days, episode
from demo_data import demo_dataset
from earlyhelp.errors import PeriodError


@st.composite
def episodes(draw: st.DrawFn) -> list[eh.model.SocialCareEpisode]:
    out = []
    for i in range(draw(st.integers(0, 25))):
        started = draw(days(D(2013, 1, 1), D(2015, 12, 31)))
        ended = draw(st.none() | st.just(started) | st.dates(started, D(2016, 6, 30)))
        out.append(
            episode(f"S-{i}", started, ended, kind=draw(st.sampled_from(["cp", "cic", "cin"])))
        )
    return out


@settings(max_examples=50, suppress_health_check=[HealthCheck.too_slow])  # whole-table queries
@given(records=episodes(), first=days(D(2013, 6, 1), D(2015, 6, 30)), months=st.integers(1, 14))
def test_monthly_flows_reconcile_with_stocks(
    records: list[eh.model.SocialCareEpisode], first: dt.date, months: int
) -> None:
    last = eh.periods.add_months(first, months - 1)
    flows = eh.cohorts.statutory_flows(dataset(social_care_episodes=records), start=first, end=last)
    assert flows.reconciles
    frame = flows.frame
    assert frame.height == 2 * months
    # start stock + starts - ends = end stock, over the whole span as well as each month
    for kind in ("cp", "cic"):
        rows = frame.filter(pl.col("kind") == kind)
        assert rows["opening"][0] + rows["starts"].sum() - rows["ends"].sum() == rows["closing"][-1]
        # each stock, counted per record with is_open_at, matches
        for month, closing in zip(rows["month"], rows["closing"], strict=True):
            month_end = eh.periods.add_months(month, 1) - dt.timedelta(days=1)
            expected = sum(
                r.kind.value == kind and eh.periods.is_open_at(r.started, r.ended, month_end)
                for r in records
            )
            assert closing == expected
        starts = sum(
            r.kind.value == kind and rows["month"][0] <= r.started <= month_end for r in records
        )
        assert rows["starts"].sum() == starts


def test_an_episode_starting_and_ending_in_one_month_is_a_start_and_an_end() -> None:
    data = dataset(
        social_care_episodes=[
            episode("S-1", D(2014, 12, 1), D(2014, 12, 31), kind="cic"),
            episode("S-2", D(2014, 11, 30), D(2014, 12, 1), kind="cic"),
            episode("S-3", D(2014, 12, 31), kind="cic"),
        ]
    )
    flows = eh.cohorts.statutory_flows(data, start="2014-11", end="2014-12", kinds=("cic",))
    assert flows.month("cic", "2014-11") == {
        "opening": 0,
        "starts": 1,
        "ends": 0,
        "net": 1,
        "closing": 1,
    }
    assert flows.month("cic", "2014-12") == {
        "opening": 1,
        "starts": 2,
        "ends": 2,
        "net": 0,
        "closing": 1,
    }


def test_the_demo_shows_the_december_2014_spike_in_admissions_to_care(tmp_path: Path) -> None:
    flows = eh.cohorts.statutory_flows(demo_dataset(), start="2014-04", end="2015-03")
    cic = flows.frame.filter(pl.col("kind") == "cic")
    december = flows.month("cic", "2014-12")
    assert december["starts"] == cic["starts"].max()
    assert december["starts"] > december["ends"]
    assert (
        december["starts"] >= 2 * cic.filter(pl.col("month") != D(2014, 12, 1))["starts"].median()
    )  # type: ignore[operator]
    figure = flows.chart(tmp_path / "flows.png")
    assert (tmp_path / "flows.png").stat().st_size > 1000
    assert len(figure.axes) == 2


def test_months_and_bad_arguments() -> None:
    data = dataset(social_care_episodes=[episode("S-1", D(2014, 12, 1))])

    def months(start: dt.date | str, end: dt.date | str) -> list[dt.date]:
        flows = eh.cohorts.statutory_flows(data, start=start, end=end, kinds=("cp",))
        return flows.frame["month"].to_list()

    assert months("2014-12", "2015-02") == [D(2014, 12, 1), D(2015, 1, 1), D(2015, 2, 1)]
    assert months(D(2016, 2, 29), D(2016, 2, 1)) == [D(2016, 2, 1)]
    with pytest.raises(PeriodError, match="before start"):
        months("2015-02", "2014-12")
    with pytest.raises(PeriodError, match="expected a month like '2014-12'"):
        months("Dec 2014", "2015-01")
    with pytest.raises(ValueError, match="unknown kinds yos"):
        eh.cohorts.statutory_flows(data, start="2014-12", end="2014-12", kinds=("yos",))
    with pytest.raises(KeyError, match="no cp row for 2015-01"):
        eh.cohorts.statutory_flows(data, start="2014-12", end="2014-12").month("cp", "2015-01")
