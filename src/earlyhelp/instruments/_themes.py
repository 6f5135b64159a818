"""Theme coding of How Was It For You comments, and each theme's share of positive feedback.

Each comment is tagged with every theme of the profile's
:class:`ThemeDictionary` (the version in force on the form's received date)
whose phrases or keywords it contains; a comment may fall into several themes,
or into none. Forms with no comment (empty or only white space) are not coded.

*Positive feedback* is a comment tagged with at least one positive theme. A
positive theme's *share of positive feedback* is the number of comments tagged
with it over the number of positive-feedback comments, as a percentage.
Comments that fall only into improvement themes, or into no theme, are in
neither count. Because a comment may carry several themes, shares may add up
to more than 100%.

Free text never appears in a :class:`CodedComment` or an error; the comments
themselves are returned only by :func:`untagged_comments`, to the analyst who
asks for them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from fractions import Fraction

import attrs
import polars as pl

from earlyhelp.instruments._themes_rule import ThemeDictionary, ThemeKind
from earlyhelp.model._survey import SurveyResponse
from earlyhelp.profiles._applying import (
    VERSION_COLUMN,
    ProfileLike,
    no_rule_in_force,
    pick_by_version,
    raise_if_unruled,
    resolve_profile,
    version_index,
)
from earlyhelp.profiles._dating import OnMissing, in_force

__all__ = [
    "CodedComment",
    "ThemeCoding",
    "code_comments",
    "code_survey_comments",
    "count_themes",
    "theme_shares",
    "untagged_comments",
]


def _blank(comment: str | None) -> bool:
    return comment is None or re.search(r"\S", comment) is None


@attrs.frozen(kw_only=True)
class CodedComment:
    """The themes one form's comment falls into (the comment itself is not kept).

    Attributes:
        response_id: the form.
        rule_id: the theme dictionary version applied.
        themes: the ids of the themes, in dictionary order (empty: no theme).
        positive: whether it is positive feedback (tagged with a positive theme).
    """

    response_id: str
    rule_id: str
    themes: tuple[str, ...]
    positive: bool


@attrs.frozen(kw_only=True)
class ThemeCoding:
    """The coded comments of some forms.

    Attributes:
        comments: one :class:`CodedComment` per form with a comment, in input order.
        unruled: forms whose comment was not coded because no theme dictionary
            is in force on their received date (lenient profiles).
    """

    comments: tuple[CodedComment, ...]
    unruled: tuple[str, ...] = ()

    @property
    def untagged(self) -> tuple[str, ...]:
        """The response ids of the comments that fell into no theme."""
        return tuple(c.response_id for c in self.comments if not c.themes)

    @property
    def positive(self) -> int:
        """How many comments are positive feedback."""
        return sum(c.positive for c in self.comments)


def code_comments(responses: Iterable[SurveyResponse], *, profile: ProfileLike) -> ThemeCoding:
    """Tag each form's comment with its themes.

    Args:
        responses: the forms; those without a comment are skipped.
        profile: a :class:`~earlyhelp.profiles.Profile`, a shipped profile's name or a file.

    Raises:
        NoRuleInForceError: a form with a comment was received where no theme
            dictionary is in force, under a strict profile.

    Example:
        >>> import datetime as dt
        >>> from earlyhelp.model import SurveyResponse
        >>> def form(ident, text):
        ...     return SurveyResponse(response_id=ident, episode_id=None, team_id="T1",
        ...         received=dt.date(2014, 7, 1), respected="yes", listened_to="yes",
        ...         helped="yes", comments=text)
        >>> coding = code_comments([
        ...     form("H1", "Bedtime routines are better and I feel confident."),
        ...     form("H2", "Sometimes I felt blamed."),
        ...     form("H3", "Thanks."),
        ...     form("H4", None),
        ... ], profile="derby-2014-15")
        >>> [(c.response_id, c.themes, c.positive) for c in coding.comments]
        [('H1', ('routines_strategies_parenting', 'confidence_building'), True), ('H2', ('feeling_blamed',), False), ('H3', (), False)]
        >>> coding.untagged, coding.positive
        (('H3',), 1)
    """
    resolved = resolve_profile(profile)
    coded: list[CodedComment] = []
    unruled: list[str] = []
    for response in responses:
        if response.comments is None or _blank(response.comments):
            continue
        dictionary: ThemeDictionary | None = in_force(
            resolved.versions(ThemeDictionary), response.received
        )
        if dictionary is None:
            if resolved.on_missing is OnMissing.STRICT:
                raise no_rule_in_force(
                    "theme dictionary",
                    response.received,
                    resolved,
                    f"response {response.response_id}",
                )
            unruled.append(response.response_id)
            continue
        themes = dictionary.tag(response.comments)
        kinds = {theme.theme_id: theme.kind for theme in dictionary.themes}
        coded.append(
            CodedComment(
                response_id=response.response_id,
                rule_id=dictionary.rule_id,
                themes=themes,
                positive=any(kinds[theme] is ThemeKind.POSITIVE for theme in themes),
            )
        )
    return ThemeCoding(comments=tuple(coded), unruled=tuple(unruled))


def theme_shares(coding: ThemeCoding) -> dict[str, Fraction]:
    """Each positive theme's share of positive feedback, as an exact percentage.

    Only positive-feedback comments are counted; themes no comment fell into
    are left out. Empty when there is no positive feedback.

    Example:
        >>> coding = ThemeCoding(comments=(
        ...     CodedComment(response_id="H1", rule_id="T", themes=("a", "b"), positive=True),
        ...     CodedComment(response_id="H2", rule_id="T", themes=("a",), positive=True),
        ...     CodedComment(response_id="H3", rule_id="T", themes=("x",), positive=False),
        ... ))
        >>> theme_shares(coding)
        {'a': Fraction(100, 1), 'b': Fraction(50, 1)}
    """
    positive = [c for c in coding.comments if c.positive]
    tagged: dict[str, int] = {}
    for comment in positive:
        for theme in comment.themes:
            tagged[theme] = tagged.get(theme, 0) + 1
    return {theme: Fraction(100 * n, len(positive)) for theme, n in tagged.items()}


def _coding_columns(dictionary: ThemeDictionary) -> tuple[pl.Expr, pl.Expr]:
    text = pl.col("comments")
    hits = [
        pl.when(text.str.contains(theme.pattern)).then(pl.lit(theme.theme_id))
        for theme in dictionary.themes
    ]
    positive = [
        text.str.contains(theme.pattern)
        for theme in dictionary.themes
        if theme.kind is ThemeKind.POSITIVE
    ]
    tagged = pl.concat_list(hits).list.drop_nulls()
    return tagged, pl.any_horizontal(positive) if positive else pl.lit(False)


def code_survey_comments(
    surveys: pl.DataFrame | pl.LazyFrame, *, profile: ProfileLike
) -> pl.DataFrame:
    """Tag every form's comment with its themes: the bulk twin of :func:`code_comments`.

    Args:
        surveys: a ``surveys`` table (at least ``response_id``, ``received`` and
            ``comments``); forms without a comment are left out.
        profile: a :class:`~earlyhelp.profiles.Profile`, a shipped profile's name or a file.

    Returns:
        One row per form with a comment, in input order: ``response_id``,
        ``rule_id`` (null where no dictionary is in force, lenient profiles),
        ``themes`` (list of theme ids, in dictionary order) and ``positive``.

    Example:
        >>> import datetime as dt
        >>> forms = pl.DataFrame({"response_id": ["H1", "H2", "H3"],
        ...     "received": [dt.date(2014, 7, 1)] * 3,
        ...     "comments": ["She listened to me", "Put it in writing", None]})
        >>> code_survey_comments(forms, profile="derby-2014-15").rows()
        [('H1', 'HWIFY-THEMES-2014', ['listened_to'], True), ('H2', 'HWIFY-THEMES-2014', ['communicating_views'], False)]
    """
    resolved = resolve_profile(profile)
    versions = resolved.versions("themes")
    frame = (
        surveys.lazy()
        .filter(pl.col("comments").str.contains(r"\S").fill_null(False))
        .with_columns(
            version_index(versions, pl.col("received")).alias(VERSION_COLUMN),
            pl.col("response_id").alias("__id"),
        )
    )
    raise_if_unruled(frame, "received", resolved, "theme dictionary", "response")
    columns = {index: _coding_columns(dictionary) for index, dictionary in enumerate(versions)}
    themes = pick_by_version({i: c[0] for i, c in columns.items()}, pl.List(pl.String()))
    positive = pick_by_version({i: c[1] for i, c in columns.items()}, pl.Boolean())
    rule_id = pick_by_version(
        {i: pl.lit(dictionary.rule_id) for i, dictionary in enumerate(versions)}, pl.String()
    )
    return frame.select(
        "response_id",
        rule_id.alias("rule_id"),
        themes.fill_null(pl.lit([], dtype=pl.List(pl.String()))).alias("themes"),
        positive.fill_null(False).alias("positive"),
    ).collect(engine="in-memory")


def count_themes(coded: pl.DataFrame) -> pl.DataFrame:
    """Per theme, the positive-feedback comments tagged with it, and how many there are.

    Args:
        coded: the result of :func:`code_survey_comments`.

    Returns:
        One row per theme found in positive feedback, sorted by ``theme_id``:
        ``theme_id``, ``comments`` (tagged with it) and ``positive_comments``
        (all positive feedback: the denominator of its share).

    Example:
        >>> coded = pl.DataFrame({"response_id": ["H1", "H2", "H3"],
        ...     "themes": [["a", "b"], ["a"], ["x"]], "positive": [True, True, False]})
        >>> count_themes(coded).rows()
        [('a', 2, 2), ('b', 1, 2)]
    """
    positive = coded.lazy().filter(pl.col("positive"))
    total = positive.select(pl.len().cast(pl.Int64).alias("positive_comments"))
    return (
        positive.explode("themes")
        .drop_nulls("themes")
        .group_by(pl.col("themes").alias("theme_id"))
        .agg(pl.len().cast(pl.Int64).alias("comments"))
        .join(total, how="cross")
        .sort("theme_id")
        .collect(engine="in-memory")
    )


def untagged_comments(
    surveys: pl.DataFrame | pl.LazyFrame, *, profile: ProfileLike
) -> pl.DataFrame:
    """The comments that fell into no theme, for the analyst to read and code by hand.

    This is the one function that returns the free text itself.

    Returns:
        ``response_id`` and ``comments`` of each form whose comment fell into no
        theme, in input order.

    Example:
        >>> import datetime as dt
        >>> forms = pl.DataFrame({"response_id": ["H1", "H2"],
        ...     "received": [dt.date(2014, 7, 1)] * 2,
        ...     "comments": ["She listened to me", "Quicker contact please"]})
        >>> untagged_comments(forms, profile="derby-2014-15").rows()
        [('H2', 'Quicker contact please')]
    """
    coded = code_survey_comments(surveys, profile=profile)
    ids = coded.filter(pl.col("themes").list.len() == 0, pl.col("rule_id").is_not_null())
    return (
        surveys.lazy()
        .join(ids.lazy().select("response_id"), on="response_id", how="semi", maintain_order="left")
        .select("response_id", "comments")
        .collect(engine="in-memory")
    )
