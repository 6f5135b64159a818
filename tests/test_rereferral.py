"""Re-referrals: named cases, effective dating, explanations, and per-record == bulk."""

from __future__ import annotations

import datetime as dt
import re

import attrs
import polars as pl
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

import earlyhelp as eh
import oracles
from demo_data import demo_dataset
from earlyhelp.errors import NoRuleInForceError
from earlyhelp.io import records_to_frame
from earlyhelp.periods import MonthWindow, add_months
from earlyhelp.profiles import Citation, Effective, OnMissing, Profile, load_profile
from earlyhelp.rules import (
    Anchor,
    Decision,
    MatchOn,
    PlacedBy,
    RereferralHistory,
    RereferralRule,
    flag_rereferrals,
    is_rereferral,
    matched_id,
)
from strategies import dates, ids

D = dt.date
DERBY = load_profile("derby-2014-15")
CIN = load_profile("cin-census")
CITE = Citation(document="Test framework", section="re-referrals")
SHIPPED_START = D(2013, 4, 1)


def rule(
    rule_id: str = "RR-T",
    *,
    start: dt.date = SHIPPED_START,
    end: dt.date | None = None,
    anchor: Anchor = Anchor.PREVIOUS_CLOSURE,
    months: int = 3,
    anchor_inclusive: bool = False,
    far_inclusive: bool = True,
    match_on: MatchOn = MatchOn.CHILD,
    exclude_same_case: bool = True,
    placed_by: PlacedBy = PlacedBy.REFERRAL,
) -> RereferralRule:
    return RereferralRule(
        rule_id=rule_id,
        effective=Effective(start=start, end=end),
        citation=CITE,
        anchor=anchor,
        window=MonthWindow(months, anchor_inclusive=anchor_inclusive, far_inclusive=far_inclusive),
        match_on=match_on,
        exclude_same_case=exclude_same_case,
        placed_by=placed_by,
    )


def profile(*rules: RereferralRule, strict: bool = True) -> Profile:
    return Profile(
        profile_id="test",
        title="Test profile",
        on_missing=OnMissing.STRICT if strict else OnMissing.LENIENT,
        rules=rules,
    )


def case(
    episode_id: str,
    closed: dt.date | None,
    *,
    person: str = "P-1",
    family: str | None = None,
    referral: str | None = None,
    opened: dt.date | None = None,
) -> eh.model.EarlyHelpCase:
    return eh.model.EarlyHelpCase(
        episode_id=episode_id,
        person_id=person,
        family_id=family,
        referral_id=referral,
        team_id="T1U",
        locality_id="L1",
        opened=opened or (closed - dt.timedelta(days=90) if closed else D(2014, 1, 6)),
        closed=closed,
        closure_reason=None if closed is None else eh.model.ClosureReason.OUTCOMES_MET,
    )


def referral(
    referral_id: str, day: dt.date, *, person: str = "P-1", family: str | None = None
) -> eh.model.Referral:
    return eh.model.Referral(
        referral_id=referral_id,
        person_id=person,
        family_id=family,
        referral_date=day,
        route=eh.model.ReferralRoute.OTHER,
    )


def bulk_row(
    refs: list[eh.model.Referral],
    cases: list[eh.model.EarlyHelpCase],
    prof: Profile,
    referral_id: str,
) -> tuple[object, ...]:
    frame = flag_rereferrals(
        records_to_frame(refs, eh.io.SCHEMAS["referrals"]),
        records_to_frame(cases, eh.io.SCHEMAS["cases"]),
        profile=prof,
    )
    return frame.filter(pl.col("referral_id") == referral_id).drop("judged_on").row(0)


# --------------------------------------------------------------------------- the source city


def test_closed_30_11_2014_and_referred_28_02_2015_is_a_rereferral() -> None:
    cases = [case("C-1042", D(2014, 11, 30))]
    decision = is_rereferral(referral("R-7", D(2015, 2, 28)), cases=cases, profile="derby-2014-15")
    assert decision.outcome is True
    assert matched_id(decision) == "C-1042"
    assert decision.summary == (
        "Re-referral: referred 28/02/2015, within 3 months of case C-1042 closing on 30/11/2014"
    )
    assert decision.fired_rules == ("RR-3M",)
    assert bulk_row([referral("R-7", D(2015, 2, 28))], cases, DERBY, "R-7") == (
        "R-7",
        True,
        "C-1042",
        "RR-3M",
    )


def test_referred_01_03_2015_is_not_a_rereferral() -> None:
    cases = [case("C-1042", D(2014, 11, 30))]
    decision = is_rereferral(referral("R-7", D(2015, 3, 1)), cases=cases, profile=DERBY)
    assert decision.outcome is False
    assert matched_id(decision) is None
    assert decision.summary == (
        "Not a re-referral: no case of child P-1 closed in the 3 calendar months before 01/03/2015"
    )


def test_a_referral_on_the_closure_day_itself_is_not_a_rereferral() -> None:
    cases = [case("C-1", D(2014, 11, 30))]
    decision = is_rereferral(referral("R-2", D(2014, 11, 30)), cases=cases, profile=DERBY)
    assert decision.outcome is False  # the anchor day is excluded


def test_31_august_plus_6_months_ends_on_29_february_in_a_leap_year() -> None:
    six = profile(rule(months=6))
    cases = [case("C-1", D(2015, 8, 31))]
    on_leap_day = referral("R-1", D(2016, 2, 29))
    day_after = referral("R-2", D(2016, 3, 1))
    assert is_rereferral(on_leap_day, cases=cases, profile=six).outcome is True
    assert is_rereferral(day_after, cases=cases, profile=six).outcome is False
    assert bulk_row([on_leap_day, day_after], cases, six, "R-1")[1] is True
    assert bulk_row([on_leap_day, day_after], cases, six, "R-2")[1] is False


def test_same_day_close_and_reopen() -> None:
    # C-1 closes on 10/03/2015; referral R-2 the same day opens C-2.
    cases = [case("C-1", D(2015, 3, 10)), case("C-2", None, referral="R-2", opened=D(2015, 3, 10))]
    reopened = referral("R-2", D(2015, 3, 10))
    # The source city's rule excludes the closure day: not yet "after" the closure.
    assert is_rereferral(reopened, cases=cases, profile=DERBY).outcome is False
    # A rule that includes the anchor day counts it.
    same_day = profile(rule(anchor_inclusive=True))
    decision = is_rereferral(reopened, cases=cases, profile=same_day)
    assert (decision.outcome, matched_id(decision)) == (True, "C-1")
    assert bulk_row([reopened], cases, same_day, "R-2")[1:3] == (True, "C-1")


def test_the_case_the_referral_opened_is_excluded() -> None:
    # R-5 opened C-5, which closed the same day (no further action).
    cases = [case("C-5", D(2015, 1, 12), referral="R-5", opened=D(2015, 1, 12))]
    made = referral("R-5", D(2015, 1, 12))
    excluding = profile(rule(anchor_inclusive=True, exclude_same_case=True))
    decision = is_rereferral(made, cases=cases, profile=excluding)
    assert decision.outcome is False
    assert "case C-5, opened by this referral, is not counted" in str(decision)
    assert bulk_row([made], cases, excluding, "R-5")[1] is False
    including = profile(rule(anchor_inclusive=True, exclude_same_case=False))
    assert matched_id(is_rereferral(made, cases=cases, profile=including)) == "C-5"
    assert bulk_row([made], cases, including, "R-5")[1:3] == (True, "C-5")


def test_family_matching() -> None:
    sibling = case("C-9", D(2014, 12, 31), person="P-2", family="F-1")
    made = referral("R-1", D(2015, 2, 1), person="P-1", family="F-1")
    by_family = profile(rule(match_on=MatchOn.FAMILY))
    decision = is_rereferral(made, cases=[sibling], profile=by_family)
    assert (decision.outcome, matched_id(decision)) == (True, "C-9")
    assert ("family_id", "F-1") in [(f.name, f.value) for f in decision.steps[0].inputs]
    assert is_rereferral(made, cases=[sibling], profile=DERBY).outcome is False  # by child
    no_family = attrs.evolve(made, family_id=None)
    decision = is_rereferral(no_family, cases=[sibling], profile=by_family)
    assert decision.outcome is False
    assert "has no family id" in decision.summary
    assert bulk_row([no_family], [sibling], by_family, "R-1")[1:3] == (False, None)


def test_cin_census_12_months_after_a_previous_referral() -> None:
    first = referral("R-1", D(2014, 3, 31))
    at_far_end = referral("R-2", D(2015, 3, 31))
    decision = is_rereferral(at_far_end, referrals=[first, at_far_end], profile="cin-census")
    assert (decision.outcome, matched_id(decision)) == (True, "R-1")
    assert decision.summary == (
        "Re-referral: referred 31/03/2015, within 12 months of referral R-1 on 31/03/2014"
    )
    too_late = referral("R-3", D(2015, 4, 1))
    assert is_rereferral(too_late, referrals=[first, too_late], profile=CIN).outcome is False
    alone = is_rereferral(first, referrals=[first], profile=CIN)
    assert alone.outcome is False  # a referral is never its own anchor


def test_the_most_recent_anchor_is_named_and_ties_go_to_the_smallest_id() -> None:
    earlier = [referral("R-9", D(2014, 6, 1)), referral("R-3", D(2014, 6, 1))]
    oldest = referral("R-0", D(2014, 5, 1))
    now = referral("R-10", D(2015, 1, 1))
    everything = [oldest, *earlier, now]
    assert matched_id(is_rereferral(now, referrals=everything, profile=CIN)) == "R-3"
    assert bulk_row(everything, [], CIN, "R-10")[2] == "R-3"
    closures = [
        case("C-2", D(2014, 12, 1)),
        case("C-1", D(2014, 12, 1)),
        case("C-0", D(2014, 11, 1)),
    ]
    assert matched_id(is_rereferral(now, cases=closures, profile=DERBY)) == "C-1"


# --------------------------------------------------------------------------- effective dating


TWO_VERSIONS = profile(
    rule("RR-A", end=D(2015, 3, 31), months=3),
    rule("RR-B", start=D(2015, 4, 1), months=6),
)


def test_a_version_from_01_04_2015_is_not_applied_to_a_referral_dated_31_03_2015() -> None:
    cases = [case("C-1", D(2014, 10, 15))]
    on_31_march = referral("R-1", D(2015, 3, 31))  # within 6 months but not within 3
    decision = is_rereferral(on_31_march, cases=cases, profile=TWO_VERSIONS)
    assert decision.steps[0].rule_id == "RR-A"
    assert decision.outcome is False
    on_1_april = referral("R-2", D(2015, 4, 1))
    decision = is_rereferral(on_1_april, cases=cases, profile=TWO_VERSIONS)
    assert (decision.steps[0].rule_id, decision.outcome) == ("RR-B", True)
    refs = [on_31_march, on_1_april]
    assert bulk_row(refs, cases, TWO_VERSIONS, "R-1")[1:] == (False, None, "RR-A")
    assert bulk_row(refs, cases, TWO_VERSIONS, "R-2")[1:] == (True, "C-1", "RR-B")


def test_strict_profile_with_no_rule_in_force_raises() -> None:
    early = referral("R-0", D(2013, 3, 31))  # the shipped rules start on 01/04/2013
    with pytest.raises(
        NoRuleInForceError, match=r"31/03/2013 in profile derby-2014-15 \(referral R-0\)"
    ):
        is_rereferral(early, profile=DERBY)
    refs = records_to_frame([referral("R-1", D(2014, 1, 1)), early], eh.io.SCHEMAS["referrals"])
    with pytest.raises(NoRuleInForceError, match=r"referral R-0"):
        flag_rereferrals(refs, records_to_frame([], eh.io.SCHEMAS["cases"]), profile=DERBY)


def test_lenient_profile_with_no_rule_in_force_has_no_outcome() -> None:
    lenient = attrs.evolve(DERBY, on_missing=OnMissing.LENIENT)
    decision = is_rereferral(referral("R-0", D(2013, 3, 31)), profile=lenient)
    assert decision.outcome is None
    assert decision.summary.startswith("No decision: no re-referral rule is in force on 31/03/2013")
    assert bulk_row([referral("R-0", D(2013, 3, 31))], [], lenient, "R-0") == (
        "R-0",
        None,
        None,
        None,
    )


# --------------------------------------------------------------------------- explanations


def test_decisions_round_trip_through_json() -> None:
    cases = [case("C-1042", D(2014, 11, 30))]
    lenient = attrs.evolve(DERBY, on_missing=OnMissing.LENIENT)
    for day in (D(2015, 2, 28), D(2015, 3, 1), D(2013, 1, 1)):
        decision = is_rereferral(referral("R-7", day), cases=cases, profile=lenient)
        assert Decision.from_json(decision.to_json()) == decision


def test_the_explanation_names_the_episode_and_citation_and_no_other_dates() -> None:
    child = eh.model.Child(person_id="P-1", family_id="F-1", date_of_birth=D(2008, 7, 14))
    cases = [case("C-1042", D(2014, 11, 30), person=child.person_id)]
    text = str(is_rereferral(referral("R-7", D(2015, 2, 28)), cases=cases, profile=DERBY))
    assert "C-1042" in text
    assert "Derby early help performance framework 2014-15" in text
    assert "RR-3M" in text
    shown = set(re.findall(r"\d\d/\d\d/\d{4}", text))
    assert shown == {"28/02/2015", "30/11/2014", "01/04/2013"}  # referral, closure, in force
    assert "14/07/2008" not in text
    assert "2008" not in text


def test_history_and_records_are_not_given_together() -> None:
    history = RereferralHistory.of()
    with pytest.raises(ValueError, match="not both"):
        is_rereferral(referral("R-1", D(2015, 1, 1)), cases=[], history=history, profile=DERBY)


def test_a_closure_rule_in_bulk_needs_the_cases_table() -> None:
    refs = records_to_frame([referral("R-1", D(2015, 1, 1))], eh.io.SCHEMAS["referrals"])
    with pytest.raises(ValueError, match="pass the cases table"):
        flag_rereferrals(refs, profile=DERBY)


# --------------------------------------------------------------------------- per record == bulk

FAMILIES = st.sampled_from([None, "F-1", "F-2"])
DAYS = dates(D(2013, 1, 1), D(2017, 12, 31))


@st.composite
def near(draw: st.DrawFn, pool: list[dt.date]) -> dt.date:
    """A day at or near a pool day moved by whole months: month ends and window edges."""
    base = draw(st.sampled_from(pool))
    moved = add_months(base, draw(st.sampled_from([0, 0, 1, 2, 3, 3, 6, 12, 12, -3])))
    return moved + dt.timedelta(days=draw(st.sampled_from([0, 0, 0, -1, 1])))


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[eh.model.Referral], list[eh.model.EarlyHelpCase]]:
    """A few children, several to a family, with cases and referrals on edge-biased days.

    Cases open near earlier closures (same-day close and reopen, overlapping
    episodes); referrals fall near closures and referrals moved by whole months.
    """
    pool = draw(st.lists(DAYS, min_size=1, max_size=3))
    children = draw(st.lists(ids(), min_size=1, max_size=4, unique=True))
    family_of = {child: draw(FAMILIES) for child in children}
    referral_ids = draw(st.lists(ids(), min_size=1, max_size=8, unique=True))
    cases = []
    for episode_id in draw(st.lists(ids(), max_size=8, unique=True)):
        child = draw(st.sampled_from(children))
        opened = draw(near(pool))
        closed = draw(st.sampled_from([None, opened, max(opened, draw(near(pool)))]))
        opener = draw(st.none() | st.sampled_from(referral_ids)) if referral_ids else None
        family = family_of[child] if draw(st.booleans()) else draw(FAMILIES)
        cases.append(
            case(episode_id, closed, person=child, family=family, referral=opener, opened=opened)
        )
        pool.append(closed or opened)
    closures = [(c.person_id, c.closed) for c in cases if c.closed is not None]
    refs = []
    for referral_id in referral_ids:
        child, anchor = draw(st.sampled_from(closures)) if closures else (None, None)
        if child is None or draw(st.booleans()):
            child = draw(st.sampled_from(children))
        day = draw(near([anchor] if anchor and draw(st.booleans()) else pool))
        family = family_of[child] if child in family_of and draw(st.booleans()) else draw(FAMILIES)
        refs.append(referral(referral_id, day, person=child, family=family))
        pool.append(day)
    return refs, cases


def _lenient(prof: Profile) -> Profile:
    return attrs.evolve(prof, on_missing=OnMissing.LENIENT)


PROFILES = {
    "derby": _lenient(DERBY),
    "cin-census": _lenient(CIN),
    "two versions, family, anchor day in": profile(
        rule("RR-F", end=D(2015, 3, 31), match_on=MatchOn.FAMILY, anchor_inclusive=True),
        rule(
            "RR-R",
            start=D(2015, 4, 1),
            anchor=Anchor.PREVIOUS_REFERRAL,
            months=6,
            far_inclusive=False,
            match_on=MatchOn.FAMILY,
            anchor_inclusive=True,
        ),
        strict=False,
    ),
    "northmoor": _lenient(load_profile("northmoor")),
    "placed by case opened, child, two versions": profile(
        rule("RR-O", end=D(2015, 3, 31), placed_by=PlacedBy.CASE_OPENED, exclude_same_case=False),
        rule("RR-C", start=D(2015, 4, 1), months=1, placed_by=PlacedBy.CASE_OPENED),
        strict=False,
    ),
}


def frames(
    refs: list[eh.model.Referral], cases: list[eh.model.EarlyHelpCase]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    return (
        records_to_frame(refs, eh.io.SCHEMAS["referrals"]),
        records_to_frame(cases, eh.io.SCHEMAS["cases"]),
    )


@pytest.mark.parametrize("name", list(PROFILES))
@given(data=histories())
def test_each_decision_prints_its_bulk_explanation(
    name: str, data: tuple[list[eh.model.Referral], list[eh.model.EarlyHelpCase]]
) -> None:
    refs, cases = data
    prof = PROFILES[name]
    bulk = flag_rereferrals(*frames(refs, cases), profile=prof, explain=True)
    assert bulk.columns == [
        "referral_id",
        "rereferral",
        "matched_id",
        "rule_id",
        "judged_on",
        "explanation",
    ]
    history = RereferralHistory.of(cases=cases, referrals=refs)
    for made, row in zip(refs, bulk.iter_rows(named=True), strict=True):
        decision = is_rereferral(made, cases=cases, referrals=refs, profile=prof)
        assert str(decision) == row["explanation"]
        rule_id = decision.steps[0].rule_id if decision.steps else None
        assert (made.referral_id, decision.outcome, matched_id(decision), rule_id) == (
            row["referral_id"],
            row["rereferral"],
            row["matched_id"],
            row["rule_id"],
        )
        assert is_rereferral(made, history=history, profile=prof) == decision
    event(f"re-referrals: {bulk['rereferral'].sum()}")


@pytest.mark.parametrize("name", list(PROFILES))
@given(data=histories())
def test_the_flags_follow_the_definition(
    name: str, data: tuple[list[eh.model.Referral], list[eh.model.EarlyHelpCase]]
) -> None:
    """The bulk flags equal an independent plain-Python reading of the definition."""
    refs, cases = data
    prof = PROFILES[name]
    bulk = flag_rereferrals(*frames(refs, cases), profile=prof)
    rules = prof.versions(RereferralRule)
    expected = [(r.referral_id, *oracles.rereferral(rules, r, cases, refs)) for r in refs]
    assert bulk.rows() == expected
    explained = flag_rereferrals(*frames(refs, cases), profile=prof, explain=True)
    assert explained.drop("explanation").equals(bulk)  # explaining changes no flag


@given(data=histories())
def test_strict_bulk_raises_exactly_when_a_record_would(
    data: tuple[list[eh.model.Referral], list[eh.model.EarlyHelpCase]],
) -> None:
    refs, cases = data
    raised = []
    for made in refs:
        try:
            is_rereferral(made, cases=cases, profile=DERBY)
        except NoRuleInForceError:
            raised.append(made.referral_id)
    frames = (
        records_to_frame(refs, eh.io.SCHEMAS["referrals"]),
        records_to_frame(cases, eh.io.SCHEMAS["cases"]),
    )
    if raised:
        with pytest.raises(NoRuleInForceError, match=rf"\(referral {re.escape(raised[0])}"):
            flag_rereferrals(*frames, profile=DERBY)
    else:
        assert flag_rereferrals(*frames, profile=DERBY).height == len(refs)


@pytest.mark.parametrize("name", ["derby-2014-15", "cin-census"])
def test_a_period_flags_its_referrals_with_all_the_history(name: str) -> None:
    data = demo_dataset()
    referrals, cases = data["referrals"], data["cases"]
    strict = load_profile(name)
    lenient = attrs.evolve(strict, on_missing=OnMissing.LENIENT)
    everything = flag_rereferrals(referrals, cases, profile=lenient)
    year = eh.FinancialYear.parse("2014-15")
    in_year = referrals.filter(pl.col("referral_date").is_between(year.start, year.end))
    expected = everything.filter(pl.col("referral_id").is_in(in_year["referral_id"].implode()))
    flagged = flag_rereferrals(referrals, cases, profile=strict, period="2014-15")
    assert flagged.equals(expected)
    assert flagged["rereferral"].sum() > 0
    # History before the period counts: flagging the year's referrals alone loses matches.
    alone = flag_rereferrals(in_year, cases, profile=strict)
    if name == "cin-census":
        assert alone["rereferral"].sum() < flagged["rereferral"].sum()
    with pytest.raises(NoRuleInForceError):
        flag_rereferrals(referrals, cases, profile=strict)


# --------------------------------------------------------------------------- explanations in bulk


def test_the_bulk_explanation_of_a_rereferral_names_the_case_window_and_source() -> None:
    cases = [case("C-1042", D(2014, 11, 30), referral="R-1")]
    refs = [referral("R-7", D(2015, 2, 28))]
    (text,) = flag_rereferrals(*frames(refs, cases), profile=DERBY, explain=True)["explanation"]
    assert text == (
        "Re-referral: referred 28/02/2015, within 3 months of case C-1042 closing on 30/11/2014\n"
        "Decided on 28/02/2015 under profile derby-2014-15:\n"
        "- rule RR-3M applies: case C-1042 closed on 30/11/2014; 28/02/2015 is within 3 "
        "calendar months after (anchor day excluded, last day included) that closure\n"
        "  read: referral_id = R-7; referral_date = 28/02/2015; person_id = P-1; "
        "family_id = (none); matched_id = C-1042; matched_date = 30/11/2014\n"
        "  using: anchor = previous_closure; months = 3; anchor_inclusive = false; "
        "far_inclusive = true; exclude_same_case = true; match_on = child "
        "(in force from 01/04/2013)\n"
        "  source: Derby early help performance framework 2014-15, "
        "How well: number of cases re-opened within 3 months"
    )


def test_the_cases_a_referral_opened_are_named_latest_first() -> None:
    # R-5 opened C-5 and C-6 (closed 12/01 and 20/01/2015); C-1 closed earlier counts.
    cases = [
        case("C-5", D(2015, 1, 12), referral="R-5"),
        case("C-6", D(2015, 1, 20), referral="R-5"),
        case("C-1", D(2014, 12, 1)),
    ]
    made = referral("R-5", D(2015, 1, 12))
    decision = is_rereferral(made, cases=cases, profile=DERBY)
    assert (decision.outcome, matched_id(decision)) == (True, "C-1")
    assert decision.steps[0].reason.endswith(
        "(case C-6, C-5, opened by this referral, is not counted)"
    )
    including = profile(rule(exclude_same_case=False))
    assert "opened by this referral" not in str(is_rereferral(made, cases=cases, profile=including))


def test_no_rule_in_force_reads_the_same_in_bulk_and_per_record() -> None:
    lenient = attrs.evolve(DERBY, on_missing=OnMissing.LENIENT)
    early = referral("R-0", D(2013, 3, 31))
    (text,) = flag_rereferrals(*frames([early], []), profile=lenient, explain=True)["explanation"]
    assert text == (
        "No decision: no re-referral rule is in force on 31/03/2013 in profile derby-2014-15\n"
        "Decided on 31/03/2013 under profile derby-2014-15:"
    )
    assert str(is_rereferral(early, profile=lenient)) == text


@pytest.mark.parametrize(
    ("day", "in_q3"),
    [(D(2014, 12, 31), True), (D(2015, 1, 1), False), (D(2014, 10, 1), True)],
)
def test_a_quarter_flags_the_referrals_on_its_boundary_days(day: dt.date, in_q3: bool) -> None:
    cases = [case("C-1", D(2014, 10, 1))]
    refs = [referral("R-1", day)]
    flagged = flag_rereferrals(*frames(refs, cases), profile=DERBY, period="2014-15 Q3")
    assert flagged["referral_id"].to_list() == (["R-1"] if in_q3 else [])
    if in_q3:  # within 3 months of 01/10/2014 except the closure day itself
        assert flagged["rereferral"].to_list() == [day != D(2014, 10, 1)]
