"""Theme coding of survey comments: matching, shares of positive feedback, profile reading."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import attrs
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import earlyhelp as eh
from demo_data import demo_dataset
from earlyhelp.errors import NoRuleInForceError
from earlyhelp.instruments import (
    CodedComment,
    Theme,
    ThemeCoding,
    ThemeDictionary,
    ThemeKind,
    code_comments,
    code_survey_comments,
    count_themes,
    theme_shares,
    untagged_comments,
)
from earlyhelp.io import SCHEMAS, records_to_frame
from earlyhelp.profiles import Citation, Effective, OnMissing, profile_from_data

DERBY = eh.load_profile("derby-2014-15")
DICTIONARY = DERBY.versions("themes")[0]


def form(
    ident: str, text: str | None, day: dt.date = dt.date(2014, 7, 1)
) -> eh.model.SurveyResponse:
    return eh.model.SurveyResponse(
        response_id=ident,
        episode_id=None,
        team_id="T1",
        received=day,
        respected="yes",
        listened_to="yes",
        helped="yes",
        comments=text,
    )


# ------------------------------------------------------------------------ matching


@pytest.mark.parametrize(
    ("text", "themes"),
    [
        ("She LISTENED TO me", ("listened_to",)),
        ("glistened tone", ()),
        ("She listened\n\tto me", ("listened_to",)),
        ("I feel confident; my son's confidence too", ("confidence_building",)),
        ("unconfident", ()),
        (
            "Routines, and help with the housing",
            ("routines_strategies_parenting", "practical_help"),
        ),
        ("Would like it in writing. I felt blamed.", ("communicating_views", "feeling_blamed")),
        ("Thank you", ()),
        ("debts", ("practical_help",)),
        ("undebted", ()),
    ],
)
def test_matching_is_case_insensitive_on_word_boundaries(
    text: str, themes: tuple[str, ...]
) -> None:
    assert DICTIONARY.tag(text) == themes
    coded = code_survey_comments(
        records_to_frame([form("H1", text)], SCHEMAS["surveys"]), profile=DERBY
    )
    assert tuple(coded["themes"][0]) == themes


WORDS = (
    "listened", "to", "me", "routine", "routines", "confident", "Confidence", "unconfident",
    "housing", "debt", "debts", "writing", "in", "blamed", "blame", "came", "with", "got",
    "on", "well", "trust", "bedtime", "bed", "time", "parenting", "the", "worker", "self",
    "esteem", "written", "glistened", "LISTENED", "TO",
)  # fmt: skip
SEPARATORS = (" ", "  ", ", ", ".\n", "-", "\t", "'")


@st.composite
def comments(draw: st.DrawFn) -> str | None:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from([None, "", "   "]))
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8))
    separators = draw(
        st.lists(st.sampled_from(SEPARATORS), min_size=len(words), max_size=len(words))
    )
    return "".join(w + s for w, s in zip(words, separators, strict=True))


@given(st.lists(comments(), max_size=15))
def test_per_comment_and_bulk_coding_agree(texts: list[str | None]) -> None:
    responses = [form(f"H{i}", text) for i, text in enumerate(texts)]
    coding = code_comments(responses, profile=DERBY)
    frame = code_survey_comments(records_to_frame(responses, SCHEMAS["surveys"]), profile=DERBY)
    assert [(c.response_id, c.themes, c.positive) for c in coding.comments] == [
        (r["response_id"], tuple(r["themes"]), r["positive"]) for r in frame.iter_rows(named=True)
    ]
    counts = count_themes(frame)
    bulk = {
        r["theme_id"]: Fraction(100 * r["comments"], r["positive_comments"])
        for r in counts.iter_rows(named=True)
    }
    assert bulk == theme_shares(coding)
    untagged = untagged_comments(records_to_frame(responses, SCHEMAS["surveys"]), profile=DERBY)
    assert untagged["response_id"].to_list() == list(coding.untagged)


# ------------------------------------------------------------------------ shares


THEMES = st.sampled_from(["a", "b", "c", "x", "y"])
POSITIVE = {"a", "b", "c"}


@st.composite
def coded(draw: st.DrawFn, *, positive: bool | None = None) -> CodedComment:
    themes = tuple(sorted(draw(st.sets(THEMES, max_size=3))))
    if positive is True:
        themes = tuple(sorted({*themes, draw(st.sampled_from(sorted(POSITIVE)))}))
    if positive is False:
        themes = tuple(t for t in themes if t not in POSITIVE)
    return CodedComment(
        response_id=draw(st.sampled_from(["H1", "H2", "H3"])),
        rule_id="T",
        themes=themes,
        positive=bool(POSITIVE & set(themes)),
    )


@given(st.lists(coded(), max_size=20), st.lists(coded(positive=False), max_size=10), st.randoms())
def test_shares_are_over_positive_comments_only(
    mixed: list[CodedComment], others: list[CodedComment], random: object
) -> None:
    shares = theme_shares(ThemeCoding(comments=tuple(mixed)))
    more = [*mixed, *others]
    random.shuffle(more)  # type: ignore[attr-defined]
    assert theme_shares(ThemeCoding(comments=tuple(more))) == shares
    positive = [c for c in mixed if c.positive]
    for theme, share in shares.items():
        assert 0 < share <= 100
        assert share * len(positive) == 100 * sum(theme in c.themes for c in positive)
    assert set(shares) <= {t for c in positive for t in c.themes}


def test_a_comment_in_several_themes_counts_in_each_share() -> None:
    coding = code_comments(
        [
            form("H1", "Routines helped and I am more confident"),
            form("H2", "Sorted the housing"),
            form("H3", "I felt blamed"),
            form("H4", "Quicker contact please"),
            form("H5", None),
            form("H6", "  "),
        ],
        profile=DERBY,
    )
    assert [c.response_id for c in coding.comments] == ["H1", "H2", "H3", "H4"]
    assert coding.untagged == ("H4",)
    assert coding.positive == 2
    assert theme_shares(coding) == {
        "routines_strategies_parenting": 50,
        "confidence_building": 50,
        "practical_help": 50,
    }
    assert theme_shares(ThemeCoding(comments=())) == {}


def test_free_text_stays_out_of_reprs_and_errors() -> None:
    secret = "Mrs Example at 1 Example Road listened to me"
    coding = code_comments([form("H1", secret)], profile=DERBY)
    assert "Example" not in repr(coding)
    assert "Example" not in repr(form("H1", secret))
    with pytest.raises(NoRuleInForceError) as info:
        code_comments([form("H-OLD", secret, dt.date(2012, 1, 1))], profile=DERBY)
    assert "Example" not in str(info.value)
    assert "response H-OLD" in str(info.value)
    frame = records_to_frame([form("H-OLD", secret, dt.date(2012, 1, 1))], SCHEMAS["surveys"])
    with pytest.raises(NoRuleInForceError) as bulk:
        code_survey_comments(frame, profile=DERBY)
    assert "Example" not in str(bulk.value)


def test_lenient_profile_leaves_comments_uncoded_without_a_dictionary() -> None:
    lenient = attrs.evolve(DERBY, on_missing=OnMissing.LENIENT)
    responses = [form("H-OLD", "listened to", dt.date(2012, 1, 1)), form("H2", "Thanks")]
    coding = code_comments(responses, profile=lenient)
    assert (coding.unruled, coding.untagged) == (("H-OLD",), ("H2",))
    frame = records_to_frame(responses, SCHEMAS["surveys"])
    coded_rows = code_survey_comments(frame, profile=lenient)
    assert coded_rows.select("response_id", "rule_id").rows() == [
        ("H-OLD", None),
        ("H2", "HWIFY-THEMES-2014"),
    ]
    assert untagged_comments(frame, profile=lenient).rows() == [("H2", "Thanks")]
    with pytest.raises(NoRuleInForceError):
        code_comments(responses, profile="cin-census")


def test_untagged_comments_returns_the_text_to_the_analyst() -> None:
    frame = records_to_frame(
        [form("H1", "She listened to me"), form("H2", "Quicker contact please")],
        SCHEMAS["surveys"],
    )
    assert untagged_comments(frame, profile=DERBY).rows() == [("H2", "Quicker contact please")]
    empty = frame.filter(pl.lit(False))
    assert untagged_comments(empty, profile=DERBY).height == 0
    assert count_themes(code_survey_comments(empty, profile=DERBY)).height == 0


def test_demo_comments_code_alike_and_improvement_ideas_are_untagged() -> None:
    data = demo_dataset()
    frame = data["surveys"].filter(pl.col("received") >= dt.date(2014, 4, 1))
    responses = [r for r in data.records("surveys") if r.received >= dt.date(2014, 4, 1)]
    coding = code_comments(responses, profile=DERBY)
    coded_rows = code_survey_comments(frame, profile=DERBY)
    assert coded_rows.height == len(coding.comments) > 0
    assert untagged_comments(frame, profile=DERBY)["response_id"].to_list() == list(coding.untagged)
    assert 0 < len(coding.untagged) < len(coding.comments)


# ------------------------------------------------------------------------ profile files


def themes_profile(**theme: object) -> dict[str, object]:
    version = {
        "id": "TD",
        "effective_from": dt.date(2014, 4, 1),
        "citation": {"document": "guide"},
        "themes": [{"id": "a", "label": "A", "kind": "positive", **theme}],
    }
    return {"profile": {"id": "p", "title": "P"}, "themes": [version]}


def test_a_theme_dictionary_reads_from_a_profile() -> None:
    profile = profile_from_data(themes_profile(keywords=["help*"]), source="t.toml")
    dictionary = profile.rule("themes", dt.date(2014, 4, 1))
    assert dictionary.themes == (
        Theme(theme_id="a", label="A", kind=ThemeKind.POSITIVE, keywords=("help*",)),
    )


@pytest.mark.parametrize(
    ("theme", "problem"),
    [
        ({}, "themes[1].themes[1]: expected at least one phrase or keyword"),
        ({"keywords": ["-help"]}, "themes[1].themes[1].keywords: '-help' must start and end"),
        ({"phrases": ["in writing "]}, "themes[1].themes[1].phrases: 'in writing ' must start"),
        ({"keywords": ["he*lp"]}, "themes[1].themes[1].keywords: 'he*lp' must start"),
        ({"kind": "neutral", "keywords": ["x"]}, "themes[1].themes[1].kind: expected one of"),
        ({"keywords": ["x"], "weight": 2}, "themes[1].themes[1].weight: unexpected key"),
    ],
)
def test_bad_themes_are_named_by_key_path(theme: dict[str, object], problem: str) -> None:
    with pytest.raises(eh.errors.ProfileError) as info:
        profile_from_data(themes_profile(**theme), source="t.toml")
    assert problem in str(info.value)


def test_theme_ids_are_unique_and_a_dictionary_has_themes() -> None:
    data = themes_profile(keywords=["x"])
    version = data["themes"][0]  # type: ignore[index]
    version["themes"].append(dict(version["themes"][0]))
    with pytest.raises(eh.errors.ProfileError, match="theme ids must be unique; repeated: a"):
        profile_from_data(data, source="t.toml")
    version["themes"] = []
    with pytest.raises(eh.errors.ProfileError, match="themes: expected at least one theme"):
        profile_from_data(data, source="t.toml")
    with pytest.raises(ValueError, match="theme ids must be unique"):
        ThemeDictionary(
            rule_id="TD",
            effective=Effective(start=dt.date(2014, 4, 1)),
            citation=Citation(document="x"),
            themes=(Theme(theme_id="a", label="A", kind="positive", keywords=("x",)),) * 2,
        )
    with pytest.raises(ValueError, match="Theme a: no phrases or keywords"):
        Theme(theme_id="a", label="A", kind="positive")


def test_derby_declares_the_report_themes() -> None:
    kinds = {t.theme_id: t.kind.value for t in DICTIONARY.themes}
    assert kinds == {
        "routines_strategies_parenting": "positive",
        "confidence_building": "positive",
        "listened_to": "positive",
        "practical_help": "positive",
        "relationship_with_worker": "positive",
        "communicating_views": "improvement",
        "feeling_blamed": "improvement",
    }
