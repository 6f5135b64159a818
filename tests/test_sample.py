"""Missed-opportunity audit samples: reproducible, eligible only, strata honoured."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import earlyhelp as eh
from cohort_data import DERBY, D, case, dataset, episode
from demo_data import demo_dataset
from earlyhelp.cohorts import flag_preceded_by_early_help

LOCALITIES = ("L1", "L2", "L3")


@st.composite
def cohorts(draw: st.DrawFn) -> eh.Dataset:
    """Children starting plans or care in 2014-15, some with early help before."""
    n = draw(st.integers(1, 30))
    episodes, cases = [], []
    for i in range(n):
        kind = draw(st.sampled_from(["cp", "cic", "cin"]))
        locality = draw(st.sampled_from(LOCALITIES))
        started = draw(st.dates(D(2014, 4, 1), D(2015, 3, 31)))
        episodes.append(
            episode(f"S-{i}", started, person_id=f"P-{i}", kind=kind, locality_id=locality)
        )
        if draw(st.booleans()):
            cases.append(case(f"C-{i}", D(2013, 1, 7), D(2014, 3, 31), person_id=f"P-{i}"))
    return dataset(cases=cases, social_care_episodes=episodes)


def _eligible(data: eh.Dataset) -> set[str]:
    frame = flag_preceded_by_early_help(data, profile=DERBY, period="2014-15", kinds=("cp", "cic"))
    return set(frame.filter(~frame["offered"])["person_id"])


@given(data=cohorts(), size=st.integers(0, 40), seed=st.integers(0, 2**32))
def test_same_seed_same_sample_and_only_eligible_children(
    data: eh.Dataset, size: int, seed: int
) -> None:
    first = eh.cohorts.missed_opportunity_sample(
        data, profile=DERBY, period="2014-15", size=size, seed=seed
    )
    again = eh.cohorts.missed_opportunity_sample(
        data, profile=DERBY, period="2014-15", size=size, seed=seed
    )
    assert first == again
    eligible = _eligible(data)
    assert set(first.person_ids) <= eligible
    assert len(first.person_ids) == min(size, len(eligible)) == len(set(first.person_ids))
    assert first.eligible == len(eligible)


@settings(max_examples=50, suppress_health_check=[HealthCheck.too_slow])  # whole-table queries
@given(data=cohorts(), size=st.integers(0, 40), seed=st.integers(0, 2**32))
def test_stratified_sample_honours_strata(data: eh.Dataset, size: int, seed: int) -> None:
    sample = eh.cohorts.missed_opportunity_sample(
        data, profile=DERBY, period="2014-15", size=size, seed=seed, stratify_by="locality"
    )
    assert sample == eh.cohorts.missed_opportunity_sample(
        data, profile=DERBY, period="2014-15", size=size, seed=seed, stratify_by="locality"
    )
    starts = flag_preceded_by_early_help(data, profile=DERBY, period="2014-15", kinds=("cp", "cic"))
    where = dict(zip(starts["person_id"], starts["locality_id"], strict=True))
    eligible = _eligible(data)
    assert set(sample.person_ids) <= eligible
    for locality, (count, drawn) in sample.strata.items():
        in_stratum = {p for p in eligible if where[p] == locality}
        assert count == len(in_stratum)
        assert sum(where[p] == locality for p in sample.person_ids) == drawn <= count
        # proportional: within one of the exact share
        assert abs(drawn - min(size, len(eligible)) * count / len(eligible)) < 1
    assert len(sample.person_ids) == min(size, len(eligible))


def test_a_different_seed_usually_gives_a_different_sample() -> None:
    data = demo_dataset()
    samples = {
        eh.cohorts.missed_opportunity_sample(
            data, profile=DERBY, period="2014-15", size=5, seed=s
        ).person_ids
        for s in range(5)
    }
    assert len(samples) > 1


def test_children_with_early_help_before_are_never_drawn() -> None:
    data = dataset(
        cases=[case("C-1", D(2014, 1, 6), D(2014, 11, 30), person_id="P-1")],
        social_care_episodes=[
            episode("S-1", D(2014, 12, 1), person_id="P-1"),
            episode("S-2", D(2014, 12, 1), person_id="P-2", kind="cic"),
            episode("S-3", D(2014, 12, 1), person_id="P-3", kind="cin"),  # not plans or care
        ],
    )
    sample = eh.cohorts.missed_opportunity_sample(
        data, profile=DERBY, period="2014-15", size=10, seed=1
    )
    assert sample.person_ids == ("P-2",)
    assert sample.eligible == 1


def test_write_csv_exports_ids_only(tmp_path: Path) -> None:
    data = demo_dataset()
    sample = eh.cohorts.missed_opportunity_sample(
        data, profile=DERBY, period="2014-15", size=4, seed=3
    )
    path = sample.write_csv(tmp_path / "audit.csv")
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows == [["person_id"], *([p] for p in sample.person_ids)]


def test_allocation_and_bad_arguments() -> None:
    one_each = dataset(
        social_care_episodes=[
            episode(f"S-{i}", D(2014, 12, 1), person_id=f"P-{i}", locality_id=locality)
            for i, locality in enumerate(LOCALITIES)
        ]
    )

    def drawn(size: int) -> dict[str, int]:
        sample = eh.cohorts.missed_opportunity_sample(
            one_each, profile=DERBY, period="2014-15", size=size, seed=0, stratify_by="locality"
        )
        return {locality: n for locality, (_, n) in sample.strata.items()}

    # equal remainders go to the strata in order; a sample never exceeds the eligible
    assert drawn(2) == {"L1": 1, "L2": 1, "L3": 0}
    assert drawn(0) == {"L1": 0, "L2": 0, "L3": 0}
    assert drawn(100) == {"L1": 1, "L2": 1, "L3": 1}
    data = dataset(social_care_episodes=[episode("S-1", D(2014, 12, 1))])
    with pytest.raises(ValueError, match="size must be zero or more"):
        eh.cohorts.missed_opportunity_sample(data, profile=DERBY, period="2014-15", size=-1, seed=0)
    with pytest.raises(ValueError, match="'team'"):
        eh.cohorts.missed_opportunity_sample(
            data,
            profile=DERBY,
            period="2014-15",
            size=1,
            seed=0,
            stratify_by="team",  # type: ignore[arg-type]
        )
