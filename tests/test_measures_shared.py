"""Calculators share costly eager work (re-referral and step-up flags) within one compute."""

from collections.abc import Callable
from functools import cache
from typing import Any

import polars as pl
import pytest

import earlyhelp as eh
from earlyhelp.measures import _casework_measures, _instrument_measures

KEYS = ["period", "level", "unit_id", "breakdown"]
SHARING = {
    "flag_rereferrals": ("rereferrals", "rereferral_rate"),
    "flag_step_ups": ("escalations", "escalation_rate"),
    "spider_directions": ("spider_graphs_completed", "spider_improving_rate"),
}
MODULES = {
    "flag_rereferrals": _casework_measures,
    "flag_step_ups": _casework_measures,
    "spider_directions": _instrument_measures,
}


@cache
def _demo() -> eh.Dataset:
    return eh.load(eh.demo_path())


def _counting(monkeypatch: pytest.MonkeyPatch, name: str) -> list[int]:
    calls: list[int] = []
    real: Callable[..., Any] = getattr(MODULES[name], name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(MODULES[name], name, counted)
    return calls


@pytest.mark.parametrize("name", sorted(SHARING))
def test_flags_are_made_once_per_year_for_every_measure_using_them(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    calls = _counting(monkeypatch, name)
    eh.compute(
        _demo(),
        profile="derby-2014-15",
        period=["2013-14", "2014-15"],
        by="city",
        measures=list(SHARING[name]),
    )
    # re-referrals are flagged year by year; step-ups and spider graphs once for the span
    assert len(calls) == (2 if name == "flag_rereferrals" else 1)


@pytest.mark.parametrize("name", sorted(SHARING))
def test_shared_flags_give_the_figures_each_measure_gives_alone(name: str) -> None:
    both = eh.compute(
        _demo(), profile="derby-2014-15", period="2014-15", by="team", measures=list(SHARING[name])
    )
    for measure in SHARING[name]:
        alone = eh.compute(_demo(), profile="derby-2014-15", period="2014-15", measures=[measure])
        mine = both.frame.filter(pl.col("measure_id") == measure).sort(KEYS, nulls_last=True)
        assert mine.equals(alone.frame.sort(KEYS, nulls_last=True))
        assert mine.get_column("numerator").sum() > 0
