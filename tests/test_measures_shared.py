"""Calculators share costly eager work (re-referral and step-up flags) within one compute."""

from collections import Counter
from collections.abc import Callable, Hashable
from typing import Any

import polars as pl
import pytest

import earlyhelp as eh
from demo_data import demo_dataset
from earlyhelp.measures import MeasureContext

KEYS = ["period", "level", "unit_id", "breakdown"]
SHARING = {
    "flag_rereferrals": ("rereferrals", "rereferral_rate"),
    "flag_step_ups": ("escalations", "escalation_rate"),
    "flag_spider_graphs": ("spider_graphs_completed", "spider_improving_rate"),
}


def _recording(monkeypatch: pytest.MonkeyPatch) -> tuple[Counter[Hashable], Counter[Hashable]]:
    """Count, per key, how often calculators ask for shared work and how often it is made."""
    asked: Counter[Hashable] = Counter()
    made: Counter[Hashable] = Counter()
    real = MeasureContext.once

    def once(self: MeasureContext, key: Hashable, make: Callable[[], Any]) -> Any:
        asked[key] += 1

        def counted() -> Any:
            made[key] += 1
            return make()

        return real(self, key, counted)

    monkeypatch.setattr(MeasureContext, "once", once)
    return asked, made


@pytest.mark.parametrize("name", sorted(SHARING))
def test_flags_are_made_once_for_every_measure_using_them(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    asked, made = _recording(monkeypatch)
    eh.compute(
        demo_dataset(),
        profile="derby-2014-15",
        period=["2013-14", "2014-15"],
        by="city",
        measures=list(SHARING[name]),
    )
    shared = [key for key, n in asked.items() if n >= len(SHARING[name])]
    assert shared, asked  # the measures ask for the same work ...
    assert all(made[key] == 1 for key in asked), made  # ... and it is made once


@pytest.mark.parametrize("name", sorted(SHARING))
def test_shared_flags_give_the_figures_each_measure_gives_alone(name: str) -> None:
    both = eh.compute(
        demo_dataset(),
        profile="derby-2014-15",
        period="2014-15",
        by="team",
        measures=list(SHARING[name]),
    )
    for measure in SHARING[name]:
        alone = eh.compute(
            demo_dataset(), profile="derby-2014-15", period="2014-15", measures=[measure]
        )
        mine = both.frame.filter(pl.col("measure_id") == measure).sort(KEYS, nulls_last=True)
        assert mine.equals(alone.frame.sort(KEYS, nulls_last=True))
        assert mine.get_column("numerator").sum() > 0


def test_every_shared_work_is_made_once_and_freed_after_its_neighbours(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The whole catalogue: measures sharing work are neighbours, so nothing is made
    # twice, and what they share is dropped once they are done, not held to the end.
    asked, made = _recording(monkeypatch)
    held: list[int] = []
    forget = MeasureContext.forget_unasked

    def forget_unasked(self: MeasureContext) -> None:
        held.append(len(self._made))
        forget(self)

    monkeypatch.setattr(MeasureContext, "forget_unasked", forget_unasked)
    eh.compute(demo_dataset(), profile="derby-2014-15", period=["2013-14", "2014-15"], by="city")
    assert len(made) >= 6, made
    assert all(made[key] == 1 for key in asked), made
    assert sum(asked.values()) > len(made)  # some work was shared
    assert max(held) <= 2 < len(made), held


def test_measures_asked_in_any_order_give_the_same_figures_and_share_their_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pairs = [SHARING[name] for name in sorted(SHARING)]
    interleaved = [pair[0] for pair in pairs] + [pair[1] for pair in reversed(pairs)]
    asked, made = _recording(monkeypatch)
    shuffled = eh.compute(
        demo_dataset(), profile="derby-2014-15", period="2014-15", measures=interleaved
    )
    assert all(made[key] == 1 for key in asked), made
    ordered = eh.compute(
        demo_dataset(),
        profile="derby-2014-15",
        period="2014-15",
        measures=[measure for pair in pairs for measure in pair],
    )
    for measure in interleaved:
        mine = shuffled.frame.filter(pl.col("measure_id") == measure).sort(KEYS, nulls_last=True)
        theirs = ordered.frame.filter(pl.col("measure_id") == measure).sort(KEYS, nulls_last=True)
        assert mine.equals(theirs), measure
