"""How Was It For You survey percentages: per-record and bulk, both denominator rules."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import attrs
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import earlyhelp as eh
import strategies
from demo_data import demo_dataset
from earlyhelp.errors import NoRuleInForceError
from earlyhelp.instruments import (
    SurveyQuestion,
    SurveyRule,
    code_survey_comments,
    count_themes,
    flag_survey_answers,
    is_answer_counted,
    tally_survey,
)
from earlyhelp.io import SCHEMAS, frame_to_records, records_to_frame
from earlyhelp.measures import Rounding, RoundingPolicy
from earlyhelp.profiles import Citation, Effective, OnMissing
from earlyhelp.reproduction import (
    report_surveys,
    report_theme_comments,
    reproduce_surveys,
)

DERBY = eh.load_profile("derby-2014-15")


def profile_with(counted: bool, *, on_missing: OnMissing = OnMissing.STRICT) -> eh.Profile:
    """Derby, with one survey rule in force on every day the strategies draw."""
    rule = SurveyRule(
        rule_id=f"S-{counted}",
        effective=Effective(start=dt.date(1900, 1, 1)),
        citation=Citation(document="test"),
        not_answered_in_denominator=counted,
    )
    return attrs.evolve(DERBY.with_rules("survey", (rule,)), on_missing=on_missing)


def form(ident: str, answer: str, day: dt.date = dt.date(2014, 7, 1)) -> eh.model.SurveyResponse:
    return eh.model.SurveyResponse(
        response_id=ident,
        episode_id=None,
        team_id="T1",
        received=day,
        respected=answer,
        listened_to=answer,
        helped=answer,
    )


QUESTIONS = st.sampled_from(SurveyQuestion)


@given(st.lists(strategies.survey_responses(), max_size=20), QUESTIONS, st.booleans())
def test_per_record_and_bulk_agree_and_give_a_percentage(
    responses: list[eh.model.SurveyResponse], question: SurveyQuestion, counted: bool
) -> None:
    profile = profile_with(counted)
    tally = tally_survey(responses, question, profile=profile)
    frame = records_to_frame(responses, SCHEMAS["surveys"])
    flags = flag_survey_answers(frame, question, profile=profile)
    assert flags["response_id"].to_list() == [r.response_id for r in responses]
    assert (int(flags["numerator"].sum()), int(flags["denominator"].sum())) == (
        tally.yes,
        tally.denominator,
    )
    assert tally.yes + tally.no + tally.not_answered == len(responses)
    # An independent oracle: the answers counted form by form.
    answers = [getattr(r, question.value).value for r in responses]
    assert (tally.yes, tally.no, tally.not_answered) == (
        answers.count("yes"),
        answers.count("no"),
        answers.count("not_answered"),
    )
    expected = tally.yes + tally.no + (tally.not_answered if counted else 0)
    assert tally.denominator == expected
    if tally.value is None:
        assert tally.denominator == 0
    else:
        assert 0 <= tally.value <= 100


@given(st.lists(strategies.survey_responses(), max_size=20), QUESTIONS)
def test_counting_unanswered_forms_never_raises_the_percentage(
    responses: list[eh.model.SurveyResponse], question: SurveyQuestion
) -> None:
    wide = tally_survey(responses, question, profile=profile_with(True))
    narrow = tally_survey(responses, question, profile=profile_with(False))
    assert wide.denominator >= narrow.denominator
    if wide.value is not None and narrow.value is not None:
        assert wide.value <= narrow.value


@pytest.mark.parametrize(
    ("counted", "denominator", "value"),
    [(True, 4, Fraction(50)), (False, 3, Fraction(200, 3))],
)
def test_not_answered_in_or_out_of_the_denominator(
    counted: bool, denominator: int, value: Fraction
) -> None:
    forms = [form("H1", "yes"), form("H2", "yes"), form("H3", "no"), form("H4", "not_answered")]
    tally = tally_survey(forms, "helped", profile=profile_with(counted))
    assert (tally.yes, tally.no, tally.not_answered) == (2, 1, 1)
    assert (tally.denominator, tally.value) == (denominator, value)


def test_only_unanswered_forms_have_no_percentage_when_they_are_not_counted() -> None:
    forms = [form("H1", "not_answered")]
    assert tally_survey(forms, "respected", profile=profile_with(False)).value is None
    assert tally_survey(forms, "respected", profile=profile_with(True)).value == 0
    assert tally_survey([], "respected", profile=DERBY).value is None


@pytest.mark.parametrize(
    ("day", "period", "kept"),
    [
        (dt.date(2014, 6, 30), "2014-15 Q1", True),
        (dt.date(2014, 7, 1), "2014-15 Q1", False),
        (dt.date(2015, 3, 31), "2014-15 Q4", True),
        (dt.date(2016, 2, 29), "2015-16", True),
        (dt.date(2015, 4, 1), "2014-15", False),
    ],
)
def test_forms_count_in_the_period_they_are_received(day: dt.date, period: str, kept: bool) -> None:
    frame = records_to_frame([form("H1", "yes", day)], SCHEMAS["surveys"])
    flags = flag_survey_answers(frame, "respected", profile=DERBY, period=period)
    assert flags["response_id"].to_list() == (["H1"] if kept else [])


def test_an_empty_period_gives_no_rows() -> None:
    frame = records_to_frame([form("H1", "yes")], SCHEMAS["surveys"])
    assert flag_survey_answers(frame, "helped", profile=DERBY, period="2013-14").height == 0


def test_no_rule_in_force_strict_names_the_form_lenient_counts_it_nowhere() -> None:
    early = [form("H-OLD", "yes", dt.date(2013, 3, 31)), form("H2", "no")]
    with pytest.raises(NoRuleInForceError, match=r"31/03/2013 .*response H-OLD"):
        tally_survey(early, "respected", profile=DERBY)
    frame = records_to_frame(early, SCHEMAS["surveys"])
    with pytest.raises(NoRuleInForceError, match="response H-OLD"):
        flag_survey_answers(frame, "respected", profile=DERBY)
    with pytest.raises(NoRuleInForceError):
        tally_survey(early, "respected", profile="cin-census")
    lenient = attrs.evolve(DERBY, on_missing=OnMissing.LENIENT)
    tally = tally_survey(early, "respected", profile=lenient)
    assert (tally.yes, tally.no, tally.denominator, tally.unruled) == (0, 1, 1, 1)
    flags = flag_survey_answers(frame, "respected", profile=lenient)
    assert flags.select("numerator", "denominator", "rule_id").rows() == [
        (0, 0, None),
        (0, 1, "HWIFY-ALL-FORMS"),
    ]


def test_derby_counts_every_form_collected() -> None:
    rule = DERBY.rule("survey", dt.date(2014, 7, 1))
    assert rule.not_answered_in_denominator is True


def test_demo_surveys_agree() -> None:
    data = demo_dataset()
    responses = [r for r in data.records("surveys") if r.received >= dt.date(2014, 4, 1)]
    frame = data["surveys"].filter(pl.col("received") >= dt.date(2014, 4, 1))
    for question in SurveyQuestion:
        tally = tally_survey(responses, question, profile=DERBY)
        flags = flag_survey_answers(frame, question, profile=DERBY)
        assert int(flags["numerator"].sum()) == tally.yes
        assert int(flags["denominator"].sum()) == tally.denominator == len(responses)


# ------------------------------------------------------------------------ the report


def test_every_reproduced_figure_matches_the_report() -> None:
    figures = reproduce_surveys()
    assert [(f.published, f.computed) for f in figures] == [
        ("160", "160"),
        ("79.3%", "79.3%"),
        ("80.6%", "80.6%"),
        ("80%", "80.0%"),
        ("23%", "23.0%"),
        ("20.5%", "20.5%"),
        ("66%", "66.0%"),
    ]
    assert all(f.match for f in figures)
    for f in figures[4:]:
        assert f.note.startswith("The report prints no counts")
        assert "not the report" in f.note
    assert figures[1].derivation.startswith("127 / 160")


def test_only_truncation_reproduces_every_figure() -> None:
    half_up = reproduce_surveys(rounding=RoundingPolicy(Rounding.HALF_UP, 1))
    assert [f.figure for f in half_up if not f.match] == [
        "Treated with respect 2014-15",
        "Routines, strategies and parenting: share of positive feedback 2014-15",
    ]


def test_the_report_forms_give_the_printed_counts_per_record_too() -> None:
    forms = report_surveys()
    records = list(frame_to_records(forms, SCHEMAS["surveys"]))
    counts = {q: tally_survey(records, q, profile=DERBY) for q in SurveyQuestion}
    assert [(t.yes, t.denominator) for t in counts.values()] == [(127, 160), (129, 160), (128, 160)]
    # The truncation matters: half-up would print 79.4%, not the report's 79.3%.
    assert counts[SurveyQuestion.RESPECTED].value == Fraction(79375, 1000)


def _truncated(numerator: int, denominator: int) -> Fraction:
    """A percentage truncated to one decimal place, as the report prints it."""
    return Fraction(int(Fraction(1000 * numerator, denominator)), 10)


def test_the_theme_comments_are_the_smallest_set_without_a_tie() -> None:
    counts = count_themes(code_survey_comments(report_theme_comments(), profile=DERBY))
    tagged = dict(counts.select("theme_id", "comments").iter_rows())
    positive = counts["positive_comments"][0]
    main, second = tagged.pop("routines_strategies_parenting"), tagged.pop("confidence_building")
    assert (main, second, positive) == (18, 16, 78)
    assert max(tagged.values()) < second  # the two main areas lead, as the report says
    assert sum(tagged.values()) == positive - main - second  # one theme per comment

    def fits(n: int) -> bool:
        # Some a and b of n positive comments print 23.0% and 20.5%, and the other
        # n - a - b comments fit in the three other positive themes below b each.
        return any(
            _truncated(a, n) == 23
            and _truncated(b, n) == Fraction(205, 10)
            and n - a - b <= 3 * (b - 1)
            for a in range(n + 1)
            for b in range(n + 1)
        )

    assert [n for n in range(1, 79) if fits(n)] == [78]
    assert _truncated(9, 39) == 23  # 39 would give both shares, but with a tie
    assert _truncated(8, 39) == Fraction(205, 10)


# ------------------------------------------------------------------------ measures


def test_survey_measures_use_the_team_on_the_form_and_the_profile_rule() -> None:
    data = demo_dataset()
    results = eh.compute(data, profile=DERBY, period="2014-15", by="team")
    forms = data["surveys"]
    for measure_id, question in (
        ("survey_respected_rate", "respected"),
        ("survey_listened_to_rate", "listened_to"),
        ("survey_helped_rate", "helped"),
    ):
        flags = flag_survey_answers(forms, question, profile=DERBY, period="2014-15 Q2")
        result = results[measure_id, "2014-15 Q2", "city"]
        assert (result.numerator, result.denominator) == (
            flags["numerator"].sum(),
            flags["denominator"].sum(),
        )
        assert result.denominator == flags.height  # Derby counts every form
        team = flags["team_id"][0]
        mine = flags.filter(pl.col("team_id") == team)
        assert results[measure_id, "2014-15 Q2", team].numerator == mine["numerator"].sum()
    received = results["surveys_received", "2014-15", "city"]
    in_year = forms.filter(pl.col("received").is_between(dt.date(2014, 4, 1), dt.date(2015, 3, 31)))
    assert received.numerator == in_year.height
    assert sorted(results.records("surveys_received", "2014-15", "city")) == sorted(
        in_year["response_id"].to_list()
    )


def test_a_survey_rule_must_say_whether_unanswered_forms_count() -> None:
    from earlyhelp.profiles import profile_from_data

    version: dict[str, object] = {
        "id": "S",
        "effective_from": dt.date(2014, 4, 1),
        "citation": {"document": "guide"},
    }
    data = {"profile": {"id": "p", "title": "P"}, "survey": [version]}
    with pytest.raises(
        eh.errors.ProfileError, match=r"survey\[1\].not_answered_in_denominator: required"
    ):
        profile_from_data(data, source="t.toml")
    version["not_answered_in_denominator"] = "yes"
    with pytest.raises(eh.errors.ProfileError, match="expected true or false"):
        profile_from_data(data, source="t.toml")


# ------------------------------------------------------------------------ one definition

#: Two versions with a gap: forms received in April 2015 have no rule in force.
SPLIT = (
    SurveyRule(
        rule_id="S-ALL",
        effective=Effective(start=dt.date(2013, 4, 1), end=dt.date(2015, 3, 31)),
        citation=Citation(document="old guide"),
        not_answered_in_denominator=True,
    ),
    SurveyRule(
        rule_id="S-ANSWERED",
        effective=Effective(start=dt.date(2015, 5, 1)),
        citation=Citation(document="new guide", section="s. 2"),
        not_answered_in_denominator=False,
    ),
)
SPLIT_LENIENT = attrs.evolve(DERBY.with_rules("survey", SPLIT), on_missing=OnMissing.LENIENT)
AROUND_THE_CHANGE = st.dates(dt.date(2015, 3, 29), dt.date(2015, 5, 2)) | st.dates(
    dt.date(2013, 3, 30), dt.date(2016, 12, 31)
)


FORMS = st.lists(
    st.builds(
        form,
        st.text("HX0123", min_size=1, max_size=4),
        st.sampled_from(eh.model.Answer).map(lambda a: a.value),
        AROUND_THE_CHANGE,
    ),
    max_size=12,
)


@given(FORMS, QUESTIONS)
def test_each_forms_decision_is_its_bulk_explanation(
    forms: list[eh.model.SurveyResponse], question: SurveyQuestion
) -> None:
    """str(is_answer_counted(form)) is the explanation flag_survey_answers gives the form."""
    frame = records_to_frame(forms, SCHEMAS["surveys"])
    flags = flag_survey_answers(frame, question, profile=SPLIT_LENIENT, explain=True)
    assert flags.height == len(forms)
    for response, row in zip(forms, flags.iter_rows(named=True), strict=True):
        decision = is_answer_counted(response, question, profile=SPLIT_LENIENT)
        assert str(decision) == row["explanation"]
        assert decision.outcome == (None if row["rule_id"] is None else row["denominator"] == 1)
        assert decision.fired_rules == ((row["rule_id"],) if decision.outcome else ())
        assert eh.Decision.from_json(decision.to_json()) == decision


@pytest.mark.parametrize(
    ("day", "answer", "outcome", "rule_id", "numerator"),
    [
        (dt.date(2015, 3, 31), "not_answered", True, "S-ALL", 0),  # last day of the old rule
        (dt.date(2015, 4, 1), "yes", None, None, 0),  # the gap: no rule in force
        (dt.date(2015, 4, 30), "no", None, None, 0),  # month end, still the gap
        (dt.date(2015, 5, 1), "not_answered", False, "S-ANSWERED", 0),  # first day of the new
        (dt.date(2016, 2, 29), "yes", True, "S-ANSWERED", 1),  # leap day
    ],
)
def test_the_version_in_force_on_the_received_date_decides(
    day: dt.date, answer: str, outcome: bool | None, rule_id: str | None, numerator: int
) -> None:
    response = form("H1", answer, day)
    decision = is_answer_counted(response, "helped", profile=SPLIT_LENIENT)
    assert decision.outcome is outcome
    assert decision.fired_rules == ((rule_id,) if outcome else ())
    flags = flag_survey_answers(
        records_to_frame([response], SCHEMAS["surveys"]), "helped", profile=SPLIT_LENIENT
    )
    assert flags.select("numerator", "denominator", "rule_id").row(0) == (
        numerator,
        int(bool(outcome)),
        rule_id,
    )


def test_a_decision_in_words() -> None:
    response = form("H9", "not_answered", dt.date(2015, 5, 1))
    assert str(is_answer_counted(response, "respected", profile=SPLIT_LENIENT)) == (
        "Not counted: form H9 left 'respected' unanswered, so it is in neither count\n"
        "Decided on 01/05/2015 under profile derby-2014-15:\n"
        "- rule S-ANSWERED does not apply: forms leaving 'respected' unanswered are not in "
        "its denominator\n"
        "  read: response_id = H9; received = 01/05/2015; question = respected; "
        "answer = not_answered\n"
        "  using: not_answered_in_denominator = false (in force from 01/05/2015)\n"
        "  source: new guide, s. 2"
    )
    gap = is_answer_counted(form("H8", "yes", dt.date(2015, 4, 1)), "helped", profile=SPLIT_LENIENT)
    assert str(gap) == (
        "No decision: no survey rule is in force on 01/04/2015 in profile derby-2014-15\n"
        "Decided on 01/04/2015 under profile derby-2014-15:"
    )
    with pytest.raises(NoRuleInForceError, match=r"01/04/2015 .*response H8"):
        is_answer_counted(
            form("H8", "yes", dt.date(2015, 4, 1)),
            "helped",
            profile=attrs.evolve(SPLIT_LENIENT, on_missing=OnMissing.STRICT),
        )
