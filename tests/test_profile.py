"""Profiles: shipped profiles load, files are read strictly, versions are dated."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import attrs
import polars as pl
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import oracles
from earlyhelp.errors import ProfileError
from earlyhelp.profiles import (
    Citation,
    Effective,
    OnMissing,
    Profile,
    Target,
    in_force,
    load_profile,
    profile_from_data,
    profile_names,
    version_index,
)
from earlyhelp.rules import Decision, Fact, Step
from strategies import dates, ids

SHIPPED = Path(__file__).parents[1] / "src" / "earlyhelp" / "profiles"


def _derby_data() -> dict[str, object]:
    return tomllib.loads((SHIPPED / "derby-2014-15.toml").read_text(encoding="utf-8"))


def test_shipped_profiles_load() -> None:
    assert profile_names() == ["cin-census", "derby-2014-15", "derby-demo", "northmoor"]
    derby = load_profile("derby-2014-15")
    assert derby.on_missing is OnMissing.STRICT
    assert [rule.rule_id for rule in derby.versions("rereferral")] == ["RR-3M"]
    assert derby.versions("rereferral")[0].window.months == 3
    assert not derby.versions("rereferral")[0].window.anchor_inclusive
    assert derby.versions("threshold")[0].service(2).startswith("early help")
    census = load_profile("cin-census")
    assert census.versions("rereferral")[0].window.months == 12
    assert census.versions("rereferral")[0].anchor.value == "previous_referral"


def test_a_version_is_chosen_by_the_records_own_date() -> None:
    derby = load_profile("derby-2014-15")
    assert derby.rule("cin_in_early_help", dt.date(2015, 3, 25)).rule_id == "WT-2013-CIN"
    assert derby.rule("cin_in_early_help", dt.date(2015, 3, 26)).rule_id == "WT-2015-CIN"
    assert derby.rule("cin_in_early_help", dt.date(2013, 4, 14)) is None
    assert derby.rule("rereferral", dt.date(2013, 3, 31)) is None
    assert derby.rule("rereferral", dt.date(2013, 4, 1)).rule_id == "RR-3M"


def test_a_rule_effective_from_april_2015_is_not_applied_on_31_march() -> None:
    data = _derby_data()
    later = dict(data["rereferral"][0])  # type: ignore[index]
    later |= {"id": "RR-6M", "effective_from": dt.date(2015, 4, 1), "months": 6}
    data["rereferral"][0]["effective_to"] = dt.date(2015, 3, 31)  # type: ignore[index]
    data["rereferral"].append(later)  # type: ignore[attr-defined]
    profile = profile_from_data(data, source="test.toml")
    assert profile.rule("rereferral", dt.date(2015, 3, 31)).rule_id == "RR-3M"
    assert profile.rule("rereferral", dt.date(2015, 4, 1)).window.months == 6


@attrs.frozen
class _Version:
    rule_id: str
    effective: Effective


@st.composite
def dated_versions(draw: st.DrawFn) -> list[_Version]:
    """Versions one after another, with gaps or none, the last often open-ended."""
    cuts = sorted(draw(st.lists(dates(), min_size=1, max_size=8, unique=True)))
    versions = []
    for number, (start, nxt) in enumerate(zip(cuts, [*cuts[1:], None], strict=True)):
        if nxt is None:
            end = draw(st.none() | st.just(start))
        else:
            end = nxt - dt.timedelta(days=draw(st.sampled_from([1, 1, 2, 30])))
            end = max(end, start)
        versions.append(_Version(f"V-{number}", Effective(start=start, end=end)))
    return draw(st.permutations(versions))


@given(dated_versions(), st.lists(dates(), min_size=1, max_size=30))
def test_the_version_in_force_is_one_choice_for_a_date_and_a_column(
    versions: list[_Version], days: list[dt.date]
) -> None:
    expected = [oracles.version_in_force(versions, day) for day in days]
    assert [in_force(versions, day) for day in days] == expected
    positions = [version_index(versions, day) for day in days]
    assert [None if i is None else versions[i] for i in positions] == expected
    frame = pl.DataFrame({"day": days}, schema={"day": pl.Date})
    bulk = frame.select(version_index(versions, pl.col("day")).alias("v"))["v"].to_list()
    assert bulk == positions
    for version in versions:
        covered = frame.select(version.effective.covers(pl.col("day")).alias("c"))["c"]
        assert covered.to_list() == [version.effective.covers(day) for day in days]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2014, 3, 31), None),  # the day before the first version
        (dt.date(2014, 4, 1), "A"),  # first day, inclusive
        (dt.date(2015, 3, 31), "A"),  # last day of a financial year, inclusive
        (dt.date(2015, 4, 1), None),  # a one-day gap between versions
        (dt.date(2015, 4, 2), "B"),
        (dt.date(2016, 2, 29), "B"),  # a leap day in an open-ended version
    ],
)
def test_the_version_in_force_at_its_edges(day: dt.date, expected: str | None) -> None:
    versions = [
        _Version("A", Effective(start=dt.date(2014, 4, 1), end=dt.date(2015, 3, 31))),
        _Version("B", Effective(start=dt.date(2015, 4, 2))),
    ]
    found = in_force(versions, day)
    assert (None if found is None else found.rule_id) == expected
    frame = pl.DataFrame({"day": [day]})
    index = frame.select(version_index(versions, pl.col("day"))).item()
    assert (None if index is None else versions[index].rule_id) == expected
    assert (
        frame.with_columns(pl.lit(None, dtype=pl.Date).alias("day"))
        .select(version_index(versions, pl.col("day")))
        .item()
        is None
    )


def test_a_misspelt_key_is_rejected_by_name(tmp_path: Path) -> None:
    text = (SHIPPED / "derby-2014-15.toml").read_text(encoding="utf-8")
    path = tmp_path / "my-council.toml"
    path.write_text(text.replace("far_inclusive = true", "far_inclusve = true"), encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    message = str(info.value)
    assert message.startswith(str(path))
    assert "rereferral[1].far_inclusve: unexpected key 'far_inclusve'" in message
    assert "rereferral[1].far_inclusive: required, but missing" in message


def test_every_problem_is_reported_at_once() -> None:
    data = _derby_data()
    data["profile"]["on_missing_rule"] = "sometimes"  # type: ignore[index]
    data["rereferral"][0]["months"] = "three"  # type: ignore[index]
    data["escalation"][0]["step_up"] = ["escalated"]  # type: ignore[index]
    data["quality"][0]["effective_from"] = "1 April 2013"  # type: ignore[index]
    with pytest.raises(ProfileError) as info:
        profile_from_data(data, source="edited.toml")
    paths = [path for path, _ in info.value.problems]
    assert paths == [
        "profile.on_missing_rule",
        "rereferral[1].months",
        "escalation[1].step_up",
        "quality[1].effective_from",
    ]


def test_overlapping_versions_are_an_error() -> None:
    data = _derby_data()
    data["rereferral"].append(dict(data["rereferral"][0]) | {"id": "RR-X"})  # type: ignore[attr-defined,index]
    with pytest.raises(ProfileError, match=r"versions RR-3M .* and RR-X .* are both in force"):
        profile_from_data(data, source="t.toml")


def test_a_decision_table_with_a_gap_is_rejected_with_its_path() -> None:
    data = _derby_data()
    rows = data["threshold"][0]["table"]["rows"]  # type: ignore[index]
    del rows[-1]  # the catch-all row: level 1 is no longer reachable
    with pytest.raises(ProfileError) as info:
        profile_from_data(data, source="t.toml")
    assert "threshold[1].table" in str(info.value)
    assert "gap" in str(info.value)


def test_yaml_and_toml_profiles_agree(tmp_path: Path) -> None:
    path = tmp_path / "derby.yaml"
    path.write_text(yaml.safe_dump(_derby_data()), encoding="utf-8")
    from_yaml = load_profile(path)
    assert attrs.evolve(from_yaml, source="x") == attrs.evolve(
        load_profile("derby-2014-15"), source="x"
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("derby-2015-16", "unknown profile 'derby-2015-16'; expected one of cin-census"),
        ("missing.toml", "no such file"),
    ],
)
def test_unknown_profiles(name: str, message: str) -> None:
    with pytest.raises(ProfileError, match=message):
        load_profile(name)


def test_broken_toml_is_named(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("[profile\nid = 1", encoding="utf-8")
    with pytest.raises(ProfileError, match="not valid TOML"):
        load_profile(path)


def test_a_loaded_profile_passes_through() -> None:
    derby = load_profile("derby-2014-15")
    assert load_profile(derby) is derby
    assert isinstance(derby, Profile)


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)
FACTS = st.builds(Fact, name=TEXT, value=TEXT)
STEPS = st.builds(
    Step,
    rule_id=ids(),
    effective=st.builds(Effective, start=dates(max_value=dt.date(2020, 1, 1)), end=st.none()),
    citation=st.builds(Citation, document=TEXT, section=st.none() | TEXT),
    inputs=st.lists(FACTS, max_size=3).map(tuple),
    parameters=st.lists(FACTS, max_size=3).map(tuple),
    fired=st.booleans(),
    reason=TEXT,
)


@given(
    st.builds(
        Decision,
        question=TEXT,
        subject=TEXT,
        as_of=dates(),
        profile=ids(),
        outcome=st.none() | st.booleans() | st.integers(-5, 5) | TEXT,
        summary=TEXT,
        steps=st.lists(STEPS, max_size=3).map(tuple),
    )
)
def test_decisions_round_trip_through_json(decision: Decision) -> None:
    assert Decision.from_json(decision.to_json()) == decision
    assert type(Decision.from_json(decision.to_json()).outcome) is type(decision.outcome)


def test_json_of_another_shape_is_refused() -> None:
    with pytest.raises(ValueError, match=r"earlyhelp\.decision/1"):
        Decision.from_json('{"format": "earlyhelp.decision/0"}')


def test_a_profile_extends_another_family_by_family(tmp_path: Path) -> None:
    parent = load_profile("derby-2014-15")
    child_file = tmp_path / "ours.toml"
    child_file.write_text(
        '[profile]\nid = "ours"\nextends = "derby-2014-15"\ntitle = "Ours"\n\n'
        "[[targets]]\n"
        'id = "T-1"\neffective_from = 2014-04-01\n'
        'citation = { document = "our plan" }\nmeasure = "neet_rate"\n'
        'comparison = "below"\nvalue = "5"\n',
        encoding="utf-8",
    )
    child = load_profile(child_file)
    assert (child.profile_id, child.title) == ("ours", "Ours")
    assert child.council == parent.council  # a [profile] key not given is the parent's
    assert [t.rule_id for t in child.versions(Target)] == ["T-1"]  # replaced whole
    for family in ("rereferral", "escalation", "presentation", "themes"):
        assert child.versions(family) == parent.versions(family), family
    assert child.names == parent.names
    # a file beside it, extending in turn
    grandchild = tmp_path / "team.yaml"
    grandchild.write_text(
        "profile:\n  id: team\n  extends: ours.toml\n  title: Team\n", encoding="utf-8"
    )
    assert [t.rule_id for t in load_profile(grandchild).versions(Target)] == ["T-1"]
    # an unknown parent, and a loop, are errors naming the key
    unknown = tmp_path / "unknown.toml"
    unknown.write_text('[profile]\nid = "u"\nextends = "nowhere"\ntitle = "U"\n', "utf-8")
    with pytest.raises(ProfileError, match=r"profile\.extends.*'nowhere'"):
        load_profile(unknown)
    loop = tmp_path / "loop.toml"
    loop.write_text('[profile]\nid = "l"\nextends = "loop.toml"\ntitle = "L"\n', "utf-8")
    with pytest.raises(ProfileError, match="deep"):
        load_profile(loop)
