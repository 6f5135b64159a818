"""Time to escalation: cumulative incidence of step-up with censoring and competing closures."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import earlyhelp as eh
from cohort_data import DERBY, D, case, dataset, days
from demo_data import demo_dataset

UP = "escalated_to_social_care"
MET = "outcomes_met"
FAR = D(2020, 3, 31)  # an analysis date long after every case could close


def _curves(
    cases: list[eh.model.EarlyHelpCase], censor_at: dt.date, **kw: object
) -> eh.cohorts.EscalationCurves:
    return eh.cohorts.time_to_escalation(
        dataset(cases=cases),
        profile=DERBY,
        period="2014-15",
        censor_at=censor_at,
        by="city",
        **kw,  # type: ignore[arg-type]
    )


def test_a_still_open_case_never_counts_as_escalated() -> None:
    curves = _curves([case("C-1", D(2014, 4, 7)), case("C-2", D(2014, 4, 7))], FAR)
    assert curves.incidence("2014-15 Q1", 12) == 0
    assert all(p.stepped_up == 0 for p in curves.points)


def test_a_step_up_after_the_analysis_date_is_not_known_yet() -> None:
    cases = [case("C-1", D(2014, 4, 7), D(2014, 6, 2), reason=UP)]
    assert _curves(cases, D(2014, 12, 31)).incidence("2014-15 Q1", 3) == 1
    late = _curves(cases, D(2014, 6, 1))  # closure after the analysis date: still open
    assert all(p.stepped_up == 0 for p in late.points)
    assert late.incidence("2014-15 Q1", 1) == 0
    assert late.incidence("2014-15 Q1", 3) is None  # nobody followed for 3 whole months


def test_other_closures_are_competing_events_not_censored() -> None:
    cases = [
        case("C-1", D(2014, 4, 7), D(2014, 4, 20), reason=MET),  # month 1
        case("C-2", D(2014, 4, 7), D(2014, 6, 1), reason=UP),  # month 2
    ]
    curves = _curves(cases, FAR)
    # as a competing event: half the cases stepped up; censoring it would give 1
    assert curves.incidence("2014-15 Q1", 2) == Fraction(1, 2)
    point = next(p for p in curves.points if p.months == 2)
    assert (point.at_risk, point.stepped_up, point.other_closures) == (1, 1, 1)


def test_censoring_removes_cases_from_the_risk_set() -> None:
    censor_at = D(2014, 7, 7)
    cases = [
        case("C-1", D(2014, 6, 6)),  # followed 1 whole month, then censored
        case("C-2", D(2014, 4, 7), D(2014, 6, 1), reason=UP),  # step-up in month 2
        case("C-3", D(2014, 4, 7)),  # open, followed 3 months
    ]
    curves = _curves(cases, censor_at)
    assert curves.incidence("2014-15 Q1", 1) == 0
    assert curves.incidence("2014-15 Q1", 2) == Fraction(1, 2)  # 1 of 2 still at risk
    assert curves.incidence("2014-15 Q1", 3) == Fraction(1, 2)


def test_within_three_months_clamps_at_month_end() -> None:
    on_time = [case("C-1", D(2015, 1, 31), D(2015, 4, 30), reason=UP)]
    late = [case("C-1", D(2015, 1, 31), D(2015, 5, 1), reason=UP)]
    assert _curves(on_time, FAR).incidence("2014-15 Q4", 3) == 1
    assert _curves(late, FAR).incidence("2014-15 Q4", 3) == 0
    assert _curves(late, FAR).incidence("2014-15 Q4", 4) == 1


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])  # whole-table queries
@given(opened=days(D(2014, 4, 1), D(2015, 3, 31)), days=st.integers(0, 800))
def test_escalated_within_k_months_matches_add_months(opened: dt.date, days: int) -> None:
    day = opened + dt.timedelta(days=days)
    year = eh.periods.FinancialYear(2014)
    quarter = next(q.label for q in year.quarters() if q.start <= opened <= q.end)
    horizons = tuple(range(1, 28))
    curves = _curves([case("C-1", opened, day, reason=UP)], FAR, horizons=horizons)
    for k in horizons:  # escalated by month k exactly when the day is on or before opened + k
        assert curves.incidence(quarter, k) == (day <= eh.periods.add_months(opened, k)), k


@st.composite
def caseloads(draw: st.DrawFn) -> list[eh.model.EarlyHelpCase]:
    out = []
    for i in range(draw(st.integers(1, 12))):
        opened = draw(days(D(2014, 4, 1), D(2015, 3, 31)))
        closed = draw(st.none() | st.dates(opened, D(2016, 6, 30)))
        reason = draw(st.sampled_from([UP, MET, "moved_away"]))
        out.append(
            case(
                f"C-{i}",
                opened,
                closed,
                reason=reason,
                locality_id=draw(st.sampled_from(["L1", "L2"])),
            )
        )
    return out


@settings(max_examples=50, suppress_health_check=[HealthCheck.too_slow])  # whole-table queries
@given(cases=caseloads(), horizon=st.integers(1, 12))
def test_without_censoring_the_incidence_is_the_plain_share(
    cases: list[eh.model.EarlyHelpCase], horizon: int
) -> None:
    curves = eh.cohorts.time_to_escalation(
        dataset(cases=cases), profile=DERBY, period="2014-15", censor_at=FAR, horizons=(horizon,)
    )
    for cohort in {p.cohort for p in curves.points}:
        mine = [c for c in cases if eh.Quarter.containing(c.opened).label == cohort]
        for group in (None, "L1", "L2"):
            chosen = [c for c in mine if group is None or c.locality_id == group]
            if not chosen:
                continue
            up = sum(
                c.closed is not None
                and c.closure_reason == UP
                and c.closed <= eh.periods.add_months(c.opened, horizon)
                for c in chosen
            )
            assert curves.incidence(cohort, horizon, group) == Fraction(up, len(chosen))


@settings(max_examples=50, suppress_health_check=[HealthCheck.too_slow])  # whole-table queries
@given(cases=caseloads(), censor_at=days(D(2014, 4, 1), D(2016, 6, 30)))
def test_curves_are_monotone_and_never_count_open_cases(
    cases: list[eh.model.EarlyHelpCase], censor_at: dt.date
) -> None:
    curves = _curves(cases, censor_at)
    known_ups = sum(
        c.closed is not None and c.closed <= censor_at and c.closure_reason == UP for c in cases
    )
    for cohort in {p.cohort for p in curves.points}:
        line = [p for p in curves.points if p.cohort == cohort]
        values = [p.incidence for p in line if p.incidence is not None]
        assert values == sorted(values)
        assert all(0 <= v <= 1 for v in values)
        assert all(p.at_risk >= 0 for p in line)
        # once undefined, it stays undefined
        defined = [p.incidence is not None for p in line]
        assert defined == sorted(defined, reverse=True)
    assert (
        sum(
            max((p.stepped_up for p in curves.points if p.cohort == c), default=0)
            for c in {p.cohort for p in curves.points}
        )
        <= known_ups
    )


def test_groups_table_text_and_chart(tmp_path: Path) -> None:
    data = demo_dataset()
    curves = eh.cohorts.time_to_escalation(
        data, profile=DERBY, period="2013-14", censor_at=D(2015, 3, 31), by="team"
    )
    table = curves.table
    assert set(table["months"]) == {3, 6, 12}
    city = table.filter(pl.col("group").is_null())
    teams = table.filter(pl.col("group").is_not_null())
    for cohort in city["cohort"].unique():
        total = teams.filter(pl.col("cohort") == cohort, pl.col("months") == 3)["cases"].sum()
        assert (
            total == city.filter(pl.col("cohort") == cohort, pl.col("months") == 3)["cases"].item()
        )
    assert "2013-14 Q1" in str(curves)
    figure = curves.chart(tmp_path / "tte.png")
    assert (tmp_path / "tte.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(figure.axes[0].lines) == 4


def test_bad_arguments_are_named() -> None:
    data = dataset(cases=[case("C-1", D(2014, 4, 7))])
    with pytest.raises(ValueError, match="horizons"):
        eh.cohorts.time_to_escalation(
            data, profile=DERBY, period="2014-15", censor_at=FAR, horizons=(0,)
        )
    with pytest.raises(ValueError, match="'worker'"):
        eh.cohorts.time_to_escalation(
            data, profile=DERBY, period="2014-15", censor_at=FAR, by="worker"
        )  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="censor_at 2014-03-31 is before"):
        eh.cohorts.time_to_escalation(
            data, profile=DERBY, period="2014-15", censor_at=D(2014, 3, 31)
        )
    with pytest.raises(KeyError, match="2013-14 Q1"):
        _curves([case("C-1", D(2014, 4, 7))], FAR).incidence("2013-14 Q1", 3)
