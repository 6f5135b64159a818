"""Escalation: step-up and step-down, per record and in bulk, dated by the record's own date."""

from __future__ import annotations

import datetime as dt
import re

import attrs
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import earlyhelp as eh
import oracles
from demo_data import demo_dataset
from earlyhelp.errors import NoRuleInForceError
from earlyhelp.io import records_to_frame
from earlyhelp.profiles import (
    Citation,
    Effective,
    OnMissing,
    Profile,
    load_profile,
    resolve_profile,
)
from earlyhelp.rules import (
    Decision,
    EscalationRule,
    flag_step_downs,
    flag_step_ups,
    is_step_down,
    is_step_up,
)
from strategies import date_spans, dates, ids

D = dt.date
DERBY = load_profile("derby-2014-15")
LENIENT = attrs.evolve(DERBY, on_missing=OnMissing.LENIENT)
CITE = Citation(document="Test framework", section="escalation")
EARLY = D(2010, 1, 4)  # cases and episodes open long before the rules are in force
TWO_VERSIONS = Profile(
    profile_id="test",
    title="Test profile",
    on_missing=OnMissing.LENIENT,
    rules=(
        EscalationRule(
            rule_id="ESC-A",
            effective=Effective(start=D(2013, 4, 1), end=D(2015, 3, 31)),
            citation=CITE,
            step_up=("escalated_to_social_care",),
            step_down=("stepped_down_to_early_help",),
        ),
        EscalationRule(
            rule_id="ESC-B",
            effective=Effective(start=D(2015, 4, 1)),
            citation=CITE,
            step_up=("escalated_to_social_care", "other"),
            step_down=(),
        ),
    ),
)
END_REASONS = ("stepped_down_to_early_help", "needs_met", "transferred_out", "other")


def case(
    episode_id: str,
    closed: dt.date | None,
    reason: str | None = None,
    opened: dt.date | None = None,
) -> eh.model.EarlyHelpCase:
    return eh.model.EarlyHelpCase(
        episode_id=episode_id,
        person_id="P-1",
        team_id="T1U",
        locality_id="L1",
        opened=opened or EARLY,
        closed=closed,
        closure_reason=reason,
    )


def episode(
    episode_id: str,
    ended: dt.date | None,
    reason: str | None = None,
    started: dt.date = EARLY,
) -> eh.model.SocialCareEpisode:
    return eh.model.SocialCareEpisode(
        episode_id=episode_id,
        person_id="P-1",
        kind=eh.model.SocialCareKind.CHILD_IN_NEED,
        started=started,
        ended=ended,
        end_reason=reason,
    )


def up_rows(cases: list[eh.model.EarlyHelpCase], prof: Profile) -> list[tuple[object, ...]]:
    return flag_step_ups(records_to_frame(cases, eh.io.SCHEMAS["cases"]), profile=prof).rows()


def down_rows(
    episodes: list[eh.model.SocialCareEpisode], prof: Profile
) -> list[tuple[object, ...]]:
    frame = records_to_frame(episodes, eh.io.SCHEMAS["social_care_episodes"])
    return flag_step_downs(frame, profile=prof).rows()


def test_a_case_closed_to_social_care_is_a_step_up() -> None:
    escalated = case("C-1", D(2014, 12, 15), "escalated_to_social_care")
    decision = is_step_up(escalated, profile="derby-2014-15")
    assert (decision.outcome, decision.fired_rules) == (True, ("ESC-1",))
    assert decision.summary == "Step-up: case C-1 closed to social care on 15/12/2014"
    met = case("C-2", D(2014, 12, 15), "outcomes_met")
    assert is_step_up(met, profile=DERBY).summary == (
        "Not a step-up: case C-2 closed on 15/12/2014 as outcomes_met"
    )
    assert up_rows([escalated, met], DERBY) == [("C-1", True, "ESC-1"), ("C-2", False, "ESC-1")]


def test_an_open_case_is_never_a_step_up_and_needs_no_rule() -> None:
    still_open = case("C-3", None)  # opened long before any rule is in force
    decision = is_step_up(still_open, profile=DERBY)  # strict, but no rule is needed
    assert decision.outcome is False
    assert decision.summary == "Not a step-up: case C-3 is still open"
    assert decision.steps == ()
    assert up_rows([still_open], DERBY) == [("C-3", False, None)]


def test_a_social_care_episode_closed_to_early_help_is_a_step_down() -> None:
    stepped = episode("S-1", D(2015, 1, 30), "stepped_down_to_early_help")
    assert is_step_down(stepped, profile=DERBY).summary == (
        "Step-down: social care episode S-1 closed to early help on 30/01/2015"
    )
    unknown = episode("S-2", D(2015, 1, 30))
    decision = is_step_down(unknown, profile=DERBY)
    assert decision.outcome is False
    assert "no end reason recorded" in decision.summary
    still_open = episode("S-3", None)
    assert is_step_down(still_open, profile=DERBY).summary.endswith("is still open")
    assert down_rows([stepped, unknown, still_open], DERBY) == [
        ("S-1", True, "ESC-1"),
        ("S-2", False, "ESC-1"),
        ("S-3", False, None),
    ]


def test_the_version_is_chosen_by_the_closure_date() -> None:
    other = [case("C-1", D(2015, 3, 31), "other"), case("C-2", D(2015, 4, 1), "other")]
    assert [is_step_up(c, profile=TWO_VERSIONS).outcome for c in other] == [False, True]
    assert up_rows(other, TWO_VERSIONS) == [("C-1", False, "ESC-A"), ("C-2", True, "ESC-B")]
    stepped = episode("S-1", D(2015, 4, 1), "stepped_down_to_early_help")
    decision = is_step_down(stepped, profile=TWO_VERSIONS)
    assert (decision.outcome, decision.fired_rules) == (False, ())
    assert decision.steps[0].rule_id == "ESC-B"


def test_strict_raises_and_lenient_has_no_outcome() -> None:
    early = case("C-0", D(2013, 3, 31), "escalated_to_social_care")
    with pytest.raises(NoRuleInForceError, match=r"31/03/2013 .*\(case C-0\)"):
        is_step_up(early, profile=DERBY)
    with pytest.raises(NoRuleInForceError, match=r"case C-0, and 1 more"):
        up_rows([case("C-9", D(2014, 1, 1), "other"), early, early], DERBY)
    decision = is_step_up(early, profile=LENIENT)
    assert decision.outcome is None
    assert decision.summary.startswith("No decision: no escalation rule is in force")
    assert up_rows([early], LENIENT) == [("C-0", None, None)]
    ended = episode("S-0", D(2013, 3, 31), "needs_met")
    with pytest.raises(NoRuleInForceError, match="social care episode S-0"):
        is_step_down(ended, profile=DERBY)
    with pytest.raises(NoRuleInForceError, match="social care episode S-0"):
        down_rows([ended], DERBY)
    assert down_rows([ended], LENIENT) == [("S-0", None, None)]


def test_decisions_round_trip_and_explain_themselves() -> None:
    decisions = [
        is_step_up(case("C-1", D(2014, 12, 15), "escalated_to_social_care"), profile=DERBY),
        is_step_up(case("C-2", None), profile=DERBY),
        is_step_up(case("C-3", D(2013, 1, 1), "other"), profile=LENIENT),
        is_step_down(episode("S-1", D(2015, 1, 30), "needs_met"), profile=DERBY),
    ]
    for decision in decisions:
        assert Decision.from_json(decision.to_json()) == decision
    text = str(decisions[0])
    assert "case C-1" in text
    assert "Escalated to social care / cases closed by early help" in text


def test_shipped_profile_names_are_read_once() -> None:
    assert resolve_profile("derby-2014-15") is resolve_profile("derby-2014-15")
    assert resolve_profile(DERBY) is DERBY


# --------------------------------------------------------------------------- per record == bulk

DAYS = dates(D(2012, 1, 1), D(2017, 12, 31))


@st.composite
def closed_cases(draw: st.DrawFn) -> list[eh.model.EarlyHelpCase]:
    out = []
    for episode_id in draw(st.lists(ids(), max_size=8, unique=True)):
        opened = draw(DAYS)
        closed = draw(st.sampled_from([None, opened, max(opened, draw(DAYS))]))
        reason = None if closed is None else draw(st.sampled_from(eh.model.ClosureReason))
        out.append(case(episode_id, closed, reason, opened=opened))
    return out


@st.composite
def ended_episodes(draw: st.DrawFn) -> list[eh.model.SocialCareEpisode]:
    out = []
    for episode_id in draw(st.lists(ids(), max_size=8, unique=True)):
        started, ended = draw(date_spans())
        reason = None if ended is None else draw(st.none() | st.sampled_from(END_REASONS))
        out.append(episode(episode_id, ended, reason, started))
    return out


PROFILES = {
    "derby": LENIENT,
    "cin-census": attrs.evolve(load_profile("cin-census"), on_missing=OnMissing.LENIENT),
    "two versions": TWO_VERSIONS,
}


@pytest.mark.parametrize("name", list(PROFILES))
@given(cases=closed_cases(), episodes=ended_episodes())
def test_each_decision_prints_its_bulk_explanation(
    name: str, cases: list[eh.model.EarlyHelpCase], episodes: list[eh.model.SocialCareEpisode]
) -> None:
    prof = PROFILES[name]
    ups = flag_step_ups(records_to_frame(cases, eh.io.SCHEMAS["cases"]), profile=prof, explain=True)
    assert ups.columns == ["episode_id", "step_up", "rule_id", "explanation"]
    for made, row in zip(cases, ups.iter_rows(named=True), strict=True):
        decision = is_step_up(made, profile=prof)
        assert str(decision) == row["explanation"]
        rule_id = decision.steps[0].rule_id if decision.steps else None
        assert (decision.outcome, rule_id) == (row["step_up"], row["rule_id"])
    frame = records_to_frame(episodes, eh.io.SCHEMAS["social_care_episodes"])
    downs = flag_step_downs(frame, profile=prof, explain=True)
    for made, row in zip(episodes, downs.iter_rows(named=True), strict=True):
        decision = is_step_down(made, profile=prof)
        assert str(decision) == row["explanation"]
        assert decision.outcome == row["step_down"]


@pytest.mark.parametrize("name", list(PROFILES))
@given(cases=closed_cases(), episodes=ended_episodes())
def test_the_flags_follow_the_definition(
    name: str, cases: list[eh.model.EarlyHelpCase], episodes: list[eh.model.SocialCareEpisode]
) -> None:
    """The bulk flags equal an independent plain-Python reading of the definition."""
    prof = PROFILES[name]
    rules = prof.versions(EscalationRule)
    expected = [
        (c.episode_id, *oracles.escalation(rules, c.closed, c.closure_reason, up=True))
        for c in cases
    ]
    assert up_rows(cases, prof) == expected
    expected = [
        (e.episode_id, *oracles.escalation(rules, e.ended, e.end_reason, up=False))
        for e in episodes
    ]
    assert down_rows(episodes, prof) == expected


@given(cases=closed_cases())
def test_strict_bulk_raises_exactly_when_a_record_would(
    cases: list[eh.model.EarlyHelpCase],
) -> None:
    raised = []
    for c in cases:
        try:
            is_step_up(c, profile=DERBY)
        except NoRuleInForceError:
            raised.append((c.closed, c.episode_id))
    frame = records_to_frame(cases, eh.io.SCHEMAS["cases"])
    if raised:
        first = min(raised)[1]  # bulk names the earliest closure, then the smallest id
        with pytest.raises(NoRuleInForceError, match=rf"\(case {re.escape(first)}[,)]"):
            flag_step_ups(frame, profile=DERBY)
    else:
        assert flag_step_ups(frame, profile=DERBY).height == len(cases)


def test_a_period_flags_the_cases_closed_in_it() -> None:
    data = demo_dataset()
    strict = load_profile("derby-2014-15")
    lenient = attrs.evolve(strict, on_missing=OnMissing.LENIENT)
    q3 = eh.Quarter.parse("2014-15 Q3")
    closed_in_q3 = data["cases"].filter(pl.col("closed").is_between(q3.start, q3.end))
    expected = flag_step_ups(data["cases"], profile=lenient).filter(
        pl.col("episode_id").is_in(closed_in_q3["episode_id"].implode())
    )
    flagged = flag_step_ups(data["cases"], profile=strict, period="2014-15 Q3")
    assert flagged.equals(expected)
    assert flagged.height == closed_in_q3.height > 0
    ended = flag_step_downs(data["social_care_episodes"], profile=strict, period=q3)
    assert ended.height > 0
    with pytest.raises(NoRuleInForceError):
        flag_step_ups(data["cases"], profile=strict)


def test_the_bulk_explanation_of_a_step_up_and_of_an_open_case() -> None:
    cases = [
        case("C-1", D(2014, 12, 15), "escalated_to_social_care"),
        case("C-2", None, opened=D(2014, 6, 2)),
    ]
    frame = records_to_frame(cases, eh.io.SCHEMAS["cases"])
    texts = flag_step_ups(frame, profile=DERBY, explain=True)["explanation"].to_list()
    assert texts == [
        "Step-up: case C-1 closed to social care on 15/12/2014\n"
        "Decided on 15/12/2014 under profile derby-2014-15:\n"
        "- rule ESC-1 applies: closed as escalated_to_social_care on 15/12/2014, "
        "which is a step-up reason\n"
        "  read: episode_id = C-1; closed = 15/12/2014; "
        "closure_reason = escalated_to_social_care\n"
        "  using: step_up_reasons = escalated_to_social_care (in force from 01/04/2013)\n"
        "  source: Derby early help performance framework 2014-15, "
        "Escalated to social care / cases closed by early help",
        "Not a step-up: case C-2 is still open\nDecided on 02/06/2014 under profile derby-2014-15:",
    ]
    # A closure with no reason (a table can hold one; a record cannot) reads as such.
    no_reason = pl.DataFrame(
        {"episode_id": ["C-3"], "opened": [D(2014, 6, 2)], "closed": [D(2015, 1, 5)]},
    ).with_columns(closure_reason=pl.lit(None, dtype=pl.String))
    (text,) = flag_step_ups(no_reason, profile=DERBY, explain=True)["explanation"]
    assert text.startswith(
        "Not a step-up: case C-3 closed on 05/01/2015 with no closure reason recorded\n"
    )
    assert "closure_reason = (none)" in text


def test_explaining_needs_the_start_date_column() -> None:
    frame = pl.DataFrame(
        {"episode_id": ["C-1"], "closed": [D(2015, 1, 5)], "closure_reason": ["other"]}
    )
    assert flag_step_ups(frame, profile=DERBY).height == 1
    with pytest.raises(eh.errors.LoadError, match="'opened'"):
        flag_step_ups(frame, profile=DERBY, explain=True)
