"""Early help before statutory services: look-back windows, bulk and per record."""

from __future__ import annotations

import datetime as dt

import attrs
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import earlyhelp as eh
from cohort_data import DERBY, D, case, dataset, days, episode, lookback_profile
from demo_data import demo_dataset
from earlyhelp.cohorts import flag_preceded_by_early_help, is_preceded_by_early_help
from earlyhelp.errors import NoRuleInForceError, UnknownRecordError
from earlyhelp.profiles import OnMissing, Profile
from earlyhelp.rules import PriorEarlyHelpRule

PLAN = D(2014, 12, 1)


def _accessed(
    data: eh.Dataset, profile: object = DERBY, period: str = "2014-15"
) -> dict[str, object]:
    frame = flag_preceded_by_early_help(data, profile=profile, period=period)  # type: ignore[arg-type]
    return dict(zip(frame["record_id"], frame["prior_episode_id"], strict=True))


def test_case_closed_the_day_before_a_plan_starts_counts_as_prior_early_help() -> None:
    data = dataset(
        cases=[case("C-1", D(2014, 6, 2), D(2014, 11, 30), reason="escalated_to_social_care")],
        social_care_episodes=[episode("S-1", PLAN)],
    )
    row = flag_preceded_by_early_help(data, profile=DERBY, period="2014-15").row(0, named=True)
    assert row["accessed"] is True
    assert row["offered"] is True
    assert row["prior_episode_id"] == "C-1"
    assert row["days_before"] == 1
    assert row["prior_closure_reason"] == "escalated_to_social_care"
    assert row["open_at_start"] is False
    decision = is_preceded_by_early_help(data, "S-1", profile=DERBY)
    assert decision.outcome is True
    assert "1 day before" in decision.summary


def test_a_case_opened_on_the_plan_start_day_is_not_before_it_under_derby() -> None:
    data = dataset(cases=[case("C-1", PLAN)], social_care_episodes=[episode("S-1", PLAN)])
    assert _accessed(data) == {"S-1": None}
    inclusive = lookback_profile(24, anchor_inclusive=True, far_inclusive=True)
    assert _accessed(data, inclusive) == {"S-1": "C-1"}


@pytest.mark.parametrize(
    ("far_inclusive", "closed", "counted"),
    [
        (True, D(2012, 12, 1), True),  # the far day itself, declared inclusive
        (True, D(2012, 11, 30), False),  # the day before the far day
        (False, D(2012, 12, 1), False),  # the far day, declared exclusive
        (False, D(2012, 12, 2), True),
    ],
)
def test_lookback_far_end_behaves_as_declared(
    far_inclusive: bool, closed: dt.date, counted: bool
) -> None:
    profile = lookback_profile(24, anchor_inclusive=False, far_inclusive=far_inclusive)
    data = dataset(
        cases=[case("C-1", D(2012, 1, 9), closed)], social_care_episodes=[episode("S-1", PLAN)]
    )
    assert (_accessed(data, profile)["S-1"] == "C-1") is counted
    assert is_preceded_by_early_help(data, "S-1", profile=profile).outcome is counted


@pytest.mark.parametrize(
    ("anchor_inclusive", "opened", "counted"),
    [
        (False, PLAN, False),  # opened on the start day: not before it
        (False, D(2014, 11, 30), True),
        (True, PLAN, True),
        (True, D(2014, 12, 2), False),  # after the start: never before it
    ],
)
def test_lookback_anchor_end_behaves_as_declared(
    anchor_inclusive: bool, opened: dt.date, counted: bool
) -> None:
    profile = lookback_profile(24, anchor_inclusive=anchor_inclusive, far_inclusive=True)
    data = dataset(cases=[case("C-1", opened)], social_care_episodes=[episode("S-1", PLAN)])
    assert (_accessed(data, profile)["S-1"] == "C-1") is counted


def test_lookback_clamps_at_month_end_in_a_leap_year() -> None:
    start = D(2016, 2, 29)
    profile = lookback_profile(24, anchor_inclusive=False, far_inclusive=True)
    data = dataset(
        cases=[case("C-1", D(2013, 5, 1), D(2014, 2, 28))],
        social_care_episodes=[episode("S-1", start)],
    )
    row = flag_preceded_by_early_help(data, profile=profile, period="2015-16").row(0, named=True)
    assert (row["window_first"], row["window_last"]) == (D(2014, 2, 28), D(2016, 2, 28))
    assert _accessed(data, profile, "2015-16") == {"S-1": "C-1"}


def test_an_open_case_at_the_start_is_prior_help_with_no_days_before() -> None:
    data = dataset(cases=[case("C-1", D(2014, 1, 6))], social_care_episodes=[episode("S-1", PLAN)])
    row = flag_preceded_by_early_help(data, profile=DERBY, period="2014-15").row(0, named=True)
    assert (row["accessed"], row["open_at_start"], row["days_before"]) == (True, True, None)


def test_the_most_recent_case_is_reported_and_other_children_are_ignored() -> None:
    data = dataset(
        cases=[
            case("C-1", D(2013, 1, 7), D(2013, 6, 30)),
            case("C-2", D(2014, 2, 3), D(2014, 9, 1), reason="disengaged_or_declined"),
            case("C-3", D(2014, 2, 3), D(2014, 11, 1), person_id="P-2"),
        ],
        social_care_episodes=[episode("S-1", PLAN)],
    )
    row = flag_preceded_by_early_help(data, profile=DERBY, period="2014-15").row(0, named=True)
    assert (row["prior_episode_id"], row["days_before"]) == ("C-2", 91)
    assert row["prior_closure_reason"] == "disengaged_or_declined"


def test_a_referral_alone_is_offered_but_not_accessed() -> None:
    referral = eh.model.Referral(
        referral_id="R-1", person_id="P-1", referral_date=D(2014, 10, 1), route="vcm"
    )
    data = dataset(referrals=[referral], social_care_episodes=[episode("S-1", PLAN)])
    row = flag_preceded_by_early_help(data, profile=DERBY, period="2014-15").row(0, named=True)
    assert (row["offered"], row["accessed"], row["prior_referral_id"]) == (True, False, "R-1")


def test_starts_outside_the_period_and_yos_starts() -> None:
    yos = eh.model.YouthOffendingEpisode(
        episode_id="Y-1", person_id="P-1", started=D(2015, 3, 31), locality_id="L2"
    )
    data = dataset(
        cases=[case("C-1", D(2014, 6, 2), D(2014, 11, 30))],
        social_care_episodes=[episode("S-1", D(2015, 4, 1)), episode("S-2", D(2014, 4, 1))],
        yos_episodes=[yos],
    )
    result = eh.prior_early_help(data, profile=DERBY, period="2014-15")
    assert sorted(result.starts["record_id"]) == ["S-2", "Y-1"]
    assert result.counts("2014-15", "yos", "L2") == (1, 1, 1)
    assert result.counts("2014-15", "cp", "L1") == (1, 0, 0)
    assert result.accessed_share("2014-15", "yos", "L2") == 1
    assert result.accessed_share("2014-15", "cic", "L1") is None


def test_no_rule_in_force_is_strict_or_lenient_as_the_profile_says() -> None:
    profile = DERBY.with_rules("prior_early_help", ())
    data = dataset(social_care_episodes=[episode("S-9", PLAN)])
    with pytest.raises(NoRuleInForceError, match="statutory episode S-9"):
        flag_preceded_by_early_help(data, profile=profile, period="2014-15")
    with pytest.raises(NoRuleInForceError, match="statutory episode S-9"):
        is_preceded_by_early_help(data, "S-9", profile=profile)
    lenient = attrs.evolve(profile, on_missing=OnMissing.LENIENT)
    row = flag_preceded_by_early_help(data, profile=lenient, period="2014-15").row(0, named=True)
    assert (row["accessed"], row["offered"]) == (None, None)
    assert is_preceded_by_early_help(data, "S-9", profile=lenient).outcome is None


def test_unknown_episode_and_bad_breakdown_are_named() -> None:
    data = dataset(social_care_episodes=[episode("S-1", PLAN)])
    with pytest.raises(UnknownRecordError, match="S-2"):
        is_preceded_by_early_help(data, "S-2", profile=DERBY)
    with pytest.raises(ValueError, match="'team'"):
        eh.prior_early_help(data, profile=DERBY, period="2014-15", by="team")  # type: ignore[arg-type]


def test_a_plan_and_a_yos_episode_sharing_an_id_do_not_share_a_prior_case() -> None:
    """Issue 14: starts are keyed by kind and id, not by id alone."""
    yos = eh.model.YouthOffendingEpisode(
        episode_id="E-1", person_id="P-2", started=PLAN, locality_id="L1"
    )
    data = dataset(
        cases=[case("C-1", D(2014, 6, 2), D(2014, 11, 30), person_id="P-1")],
        social_care_episodes=[episode("E-1", PLAN, person_id="P-1")],
        yos_episodes=[yos],
    )
    frame = flag_preceded_by_early_help(data, profile=DERBY, period="2014-15", explain=True)
    rows = {row["kind"]: row for row in frame.iter_rows(named=True)}
    assert sorted(rows) == ["cp", "yos"]
    assert (rows["cp"]["accessed"], rows["cp"]["prior_episode_id"]) == (True, "C-1")
    assert (rows["yos"]["accessed"], rows["yos"]["offered"]) == (False, False)
    assert rows["yos"]["prior_episode_id"] is None
    result = eh.prior_early_help(data, profile=DERBY, period="2014-15", by="city")
    assert result.counts("2014-15", "yos") == (1, 0, 0)
    assert result.counts("2014-15", "cp") == (1, 1, 1)
    with pytest.raises(UnknownRecordError, match="cp, yos"):
        is_preceded_by_early_help(data, "E-1", profile=DERBY)
    for kind in ("cp", "yos"):
        decision = is_preceded_by_early_help(data, "E-1", profile=DERBY, kind=kind)
        assert decision.outcome is rows[kind]["accessed"]
        assert str(decision) == rows[kind]["explanation"]


def test_a_case_closed_on_the_far_day_of_the_window_and_a_referral_on_its_last_day() -> None:
    """A 24-month look-back from 01/03/2016 (leap year) runs 01/03/2014 to 29/02/2016."""
    start = D(2016, 3, 1)
    referral = eh.model.Referral(
        referral_id="R-9", person_id="P-1", referral_date=D(2016, 2, 29), route="other"
    )
    data = dataset(
        cases=[case("C-1", D(2013, 9, 2), D(2014, 3, 1))],
        referrals=[referral],
        social_care_episodes=[episode("S-1", start)],
    )
    row = flag_preceded_by_early_help(data, profile=DERBY, period="2015-16", explain=True).row(
        0, named=True
    )
    assert (row["window_first"], row["window_last"]) == (D(2014, 3, 1), D(2016, 2, 29))
    assert (row["accessed"], row["prior_referral_id"], row["days_before"]) == (True, "R-9", 731)
    assert row["explanation"].startswith(
        "Early help before: child protection plan S-1 started 01/03/2016; "
        "case C-1 closed 01/03/2014, 731 days before, as outcomes_met\n"
    )


# --------------------------------------------------------------------------- properties

WINDOWS = st.builds(
    lookback_profile,
    st.integers(1, 36),
    anchor_inclusive=st.booleans(),
    far_inclusive=st.booleans(),
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])  # whole-table queries
@given(profile=WINDOWS, anchor=days(D(2012, 1, 1), D(2016, 12, 31)), offset=st.integers(-1200, 40))
def test_a_one_day_case_counts_exactly_when_the_month_window_contains_its_day(
    profile: Profile, anchor: dt.date, offset: int
) -> None:
    window = profile.versions(PriorEarlyHelpRule)[0].window
    day = anchor + dt.timedelta(days=offset)
    data = dataset(cases=[case("C-1", day, day)], social_care_episodes=[episode("S-1", anchor)])
    (row,) = flag_preceded_by_early_help(data, profile=profile).iter_rows(named=True)
    assert row["accessed"] is window.contains(anchor, day)
    assert (row["window_first"] <= day <= row["window_last"]) is window.contains(anchor, day)


@st.composite
def histories(draw: st.DrawFn) -> eh.Dataset:
    day = days(D(2011, 1, 1), D(2016, 6, 30))
    cases = []
    for index in range(draw(st.integers(0, 6))):
        opened = draw(day)
        closed = draw(st.none() | st.just(opened) | st.dates(opened, D(2016, 6, 30)))
        person = draw(st.sampled_from(["P-1", "P-2"]))
        cases.append(case(f"C-{index}", opened, closed, person_id=person))
    episodes = [
        episode(f"S-{i}", draw(days(D(2014, 4, 1), D(2015, 3, 31))), person_id=p, kind=k)
        for i, (p, k) in enumerate(
            draw(
                st.lists(
                    st.tuples(
                        st.sampled_from(["P-1", "P-2"]), st.sampled_from(["cp", "cic", "cin"])
                    ),
                    min_size=1,
                    max_size=4,
                )
            )
        )
    ]
    return dataset(cases=cases, social_care_episodes=episodes)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])  # whole-table queries
@given(data=histories(), profile=WINDOWS)
def test_each_decision_prints_its_bulk_explanation(data: eh.Dataset, profile: Profile) -> None:
    frame = flag_preceded_by_early_help(data, profile=profile, period="2014-15", explain=True)
    for row in frame.iter_rows(named=True):
        decision = is_preceded_by_early_help(data, row["record_id"], profile=profile)
        assert str(decision) == row["explanation"]
        assert decision.outcome is row["accessed"]
        assert decision.as_of == row["started"]
        facts = {fact.name: fact.value for fact in decision.steps[0].inputs}
        assert facts["case"] == (row["prior_episode_id"] or "-")
        assert facts["referral"] == (row["prior_referral_id"] or "-")


@settings(max_examples=50, suppress_health_check=[HealthCheck.too_slow])  # whole-table queries
@given(data=histories())
def test_locality_rows_add_up_to_the_city(data: eh.Dataset) -> None:
    city = eh.prior_early_help(data, profile=DERBY, period="2014-15", by="city")
    local = eh.prior_early_help(data, profile=DERBY, period="2014-15", by="locality")
    for kind in ("cin", "cp", "cic"):
        parts = local.table.filter(pl.col("kind") == kind).select("starts", "offered", "accessed")
        totals = tuple(int(parts[c].sum()) for c in parts.columns)
        assert totals == city.counts("2014-15", kind)
        assert city.counts("2014-15", kind)[0] == city.starts.filter(pl.col("kind") == kind).height


# --------------------------------------------------------------------------- measures


def test_catalogue_rates_agree_with_the_analysis_and_name_their_episodes() -> None:
    data = demo_dataset()
    measures = ["cp_starts_with_prior_early_help_rate", "care_starts_with_prior_early_help_rate"]
    results = eh.compute(data, profile=DERBY, period="2014-15", by="locality", measures=measures)
    analysis = eh.prior_early_help(data, profile=DERBY, period="2014-15", kinds=("cp", "cic"))
    for measure, kind in zip(measures, ("cp", "cic"), strict=True):
        for locality in ("L1", "L2", "L3"):
            figure = results[measure, "2014-15", locality]
            starts, _, accessed = analysis.counts("2014-15", kind, locality)
            assert (figure.numerator, figure.denominator) == (accessed, starts)
        city = results[measure, "2014-15", "city"]
        ids = results.records(measure, "2014-15", "city")
        assert len(ids) == city.numerator
        assert sorted(ids) == sorted(analysis.ids("2014-15", kind, accessed=True))
    # recorded by locality: a team-level figure is missing, never zero
    assert (
        eh.compute(data, profile=DERBY, period="2014-15 Q3", by="team", measures=measures[:1])[
            measures[0], "2014-15 Q3", "T1U"
        ].missing
        is not None
    )


def test_a_profile_without_the_look_back_rule_gives_no_data_not_an_error() -> None:
    data = dataset(
        cases=[case("C-1", D(2014, 6, 2), D(2014, 11, 30))],
        social_care_episodes=[episode("S-1", PLAN)],
    )
    bare = DERBY.with_rules("prior_early_help", ())
    results = eh.compute(
        data,
        profile=bare,
        period="2014-15",
        by="city",
        measures=["cp_starts_with_prior_early_help_rate"],
    )
    figure = results["cp_starts_with_prior_early_help_rate", "2014-15", "city"]
    assert figure.value is None
    assert figure.missing is not None


def test_the_demo_has_children_with_and_without_early_help_before_plans_and_care() -> None:
    data = demo_dataset()
    result = eh.prior_early_help(data, profile=DERBY, period="2014-15", by="city")
    for kind in ("cp", "cic"):
        starts, offered, accessed = result.counts("2014-15", kind)
        assert 0 < accessed < starts
    _, offered, accessed = result.counts("2014-15", "cic")
    assert offered > accessed  # some were referred but never had a case opened


def test_profile_look_back_must_be_a_positive_number_of_months(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "bad.toml"
    path.write_text(
        '[profile]\nid = "x"\ntitle = "x"\n\n[[prior_early_help]]\nid = "P"\n'
        'effective_from = 2013-04-01\ncitation = { document = "d" }\nmonths = 0\n'
        "anchor_inclusive = false\nfar_inclusive = true\nextra = 1\n",
        encoding="utf-8",
    )
    with pytest.raises(eh.errors.ProfileError) as error:
        eh.load_profile(path)
    paths = {key for key, _ in error.value.problems}
    assert paths == {"prior_early_help[1].months", "prior_early_help[1].extra"}  # counted from 1
