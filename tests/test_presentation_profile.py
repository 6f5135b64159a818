"""The presentation and targets profile families: shipped values, strict reading, dating."""

from __future__ import annotations

import copy
import datetime as dt
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from earlyhelp import load_profile
from earlyhelp.errors import ProfileError
from earlyhelp.measures import Disclosure, PresentationSettings, Rounding, RoundingPolicy
from earlyhelp.profiles import Comparison, Target, profile_from_data, target_for

SHIPPED = Path(__file__).parents[1] / "src" / "earlyhelp" / "profiles"
DAY = dt.date(2015, 3, 31)


def _derby() -> dict[str, Any]:
    return tomllib.loads((SHIPPED / "derby-2014-15.toml").read_text(encoding="utf-8"))


def _problems(data: dict[str, Any]) -> str:
    with pytest.raises(ProfileError) as caught:
        profile_from_data(data, source="test.toml")
    return str(caught.value)


def test_derby_truncates_to_one_place_and_prints_audit_completion_whole() -> None:
    settings = load_profile("derby-2014-15").rule("presentation", DAY)
    assert settings.percentage == RoundingPolicy(Rounding.TRUNCATE, 1)
    assert settings.policy("escalation_rate", "percentage") == RoundingPolicy(Rounding.TRUNCATE, 1)
    assert settings.policy("audit_completion_rate", "percentage") == RoundingPolicy(
        Rounding.TRUNCATE, 0
    )
    assert settings.policy("open_cases", "count") is None
    assert settings.internal.method is Disclosure.NONE
    assert (settings.published.method, settings.published.threshold) == (Disclosure.SUPPRESS, 5)
    assert not settings.published.suppress_zero


def test_the_census_rounds_half_up_and_suppresses_one_to_five() -> None:
    settings = load_profile("cin-census").rule("presentation", DAY)
    assert settings.percentage == RoundingPolicy(Rounding.HALF_UP, 1)
    assert settings.rate == RoundingPolicy(Rounding.HALF_UP, 1)
    assert [settings.published.hides(n) for n in (0, 1, 5, 6)] == [False, True, True, False]


def test_derby_targets_and_baselines() -> None:
    targets = load_profile("derby-2014-15").versions("targets")
    neet = target_for(targets, "neet_rate", dt.date(2016, 4, 30))
    assert neet is not None
    assert (neet.comparison, neet.value, neet.due) == (
        Comparison.BELOW,
        Decimal("5.5"),
        dt.date(2016, 4, 30),
    )
    assert neet.baseline == "2014-15"
    assert neet.amber_within == Decimal("0.5")
    unknown = target_for(targets, "not_known_rate", dt.date(2015, 4, 1))
    assert unknown is not None
    assert unknown.describe() == "below 5 by 30/04/2016"
    framework = target_for(targets, "escalation_rate", DAY)
    assert framework is not None
    assert (framework.measure_id, framework.baseline, framework.has_target) == (
        "*",
        "2014-15",
        False,
    )
    assert framework.baseline_period is not None
    assert framework.baseline_period.label == "2014-15"
    assert target_for(targets, "escalation_rate", dt.date(2014, 3, 31)) is None
    # The framework baseline stands behind a measure whose own target has lapsed.
    assert target_for(targets, "neet_rate", dt.date(2016, 5, 1)) is framework


def test_a_profile_without_presentation_settings_has_none() -> None:
    data = _derby()
    del data["presentation"]
    del data["targets"]
    profile = profile_from_data(data, source="test.toml")
    assert profile.versions(PresentationSettings) == ()
    assert profile.rule("presentation", DAY) is None
    assert target_for(profile.versions(Target), "neet_rate", DAY) is None


def test_defaults_apply_to_keys_left_out() -> None:
    data = _derby()
    data["presentation"] = [
        {key: data["presentation"][0][key] for key in ("id", "effective_from", "citation")}
    ]
    settings = profile_from_data(data, source="test.toml").versions("presentation")[0]
    assert settings.percentage == RoundingPolicy(Rounding.HALF_UP, 1)
    assert settings.places == {}
    assert settings.published.method is Disclosure.NONE


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"percentage": {"rounding": "bankers"}},
            "presentation[1].percentage.rounding: expected one of truncate, half_up, half_even",
        ),
        (
            {"percentage": {"rounding": "truncate", "places": -1}},
            "presentation[1].percentage.places: expected a whole number from 0 to 10",
        ),
        (
            {"places": {"audit_completion_rate": "0"}},
            "presentation[1].places.audit_completion_rate: expected a whole number",
        ),
        (
            {"published": {"method": "suppress", "suppress_derived": False}},
            "presentation[1].published.suppress_derived: must be true",
        ),
        (
            {"published": {"method": "suppress", "threshold": 0}},
            "presentation[1].published.threshold: expected a whole number from 1 to 1000",
        ),
        (
            {"published": {"method": "hide"}},
            "presentation[1].published.method: expected one of none, suppress, round",
        ),
        (
            {"published": {"method": "round", "bsae": 5}},
            "presentation[1].published.bsae: unexpected key 'bsae'",
        ),
        ({"roundng": "truncate"}, "presentation[1].roundng: unexpected key 'roundng'"),
    ],
)
def test_presentation_settings_are_read_strictly(change: dict[str, Any], message: str) -> None:
    data = _derby()
    data["presentation"][0] |= change
    assert message in _problems(data)


def _neet(data: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = next(t for t in data["targets"] if t["measure"] == "neet_rate")
    return entry


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"value": 5.5}, 'value: expected a number in quotes, e.g. "5.5", or a whole number'),
        ({"value": "five"}, "value: expected a number in quotes"),
        ({"comparison": "under"}, "comparison: expected one of below, at_most, at_least, above"),
        ({"baseline": "2014/15"}, "baseline: expected a financial year like '2014-15'"),
        ({"amber_within": "-1"}, "amber_within: expected a number of 0 or more"),
        ({"due": "April 2016"}, "due: expected a date as YYYY-MM-DD"),
    ],
)
def test_targets_are_read_strictly(change: dict[str, Any], message: str) -> None:
    data = _derby()
    _neet(data).update(change)
    assert message in _problems(data)


def test_a_target_needs_its_comparison_and_value_together() -> None:
    data = _derby()
    del _neet(data)["comparison"]
    assert "targets[2].value: comparison and value go together" in _problems(data)
    data = _derby()
    for key in ("comparison", "value", "baseline", "due", "amber_within"):
        del _neet(data)[key]
    assert "targets[2]: expected a target (comparison and value), a baseline, or both" in (
        _problems(data)
    )


def test_two_targets_for_one_measure_on_the_same_day_are_an_error_but_two_measures_are_not() -> (
    None
):
    data = _derby()
    second = copy.deepcopy(_neet(data)) | {"id": "T-NEET-AGAIN", "value": "5"}
    data["targets"].append(second)
    assert "T-NEET-2016" in _problems(data)
    assert "for measure 'neet_rate' are both in force" in _problems(data)
    data = _derby()
    later = copy.deepcopy(_neet(data)) | {
        "id": "T-NEET-2017",
        "effective_from": dt.date(2016, 5, 1),
        "value": "5",
        "due": dt.date(2017, 4, 30),
    }
    del later["effective_to"]
    data["targets"].append(later)
    targets = profile_from_data(data, source="test.toml").versions("targets")
    chosen = target_for(targets, "neet_rate", dt.date(2016, 5, 1))
    assert chosen is not None
    assert chosen.rule_id == "T-NEET-2017"
    assert target_for(targets, "neet_rate", dt.date(2016, 4, 30)).rule_id == "T-NEET-2016"  # type: ignore[union-attr]
