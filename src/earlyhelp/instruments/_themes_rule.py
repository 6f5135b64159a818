"""The declaration of a theme dictionary: themes, and the phrases and keywords that tag them.

Matching is case-insensitive and on word boundaries: the phrase ``"listened to"``
tags "She LISTENED TO me" but not "glistened tone". Words of a phrase may be
separated by any run of white space. A keyword ending in ``*`` matches any word
that starts with it: ``"confiden*"`` tags "confident" and "confidence". Every
phrase and keyword must start and end with a letter or digit (before the ``*``),
so that a word boundary is well defined at both ends.
"""

from __future__ import annotations

import enum
import re
from typing import Final

import attrs

from earlyhelp.errors import ProfileError
from earlyhelp.profiles._dating import Citation, Effective
from earlyhelp.profiles._header import read_header
from earlyhelp.profiles._reading import Reader
from earlyhelp.profiles._registry import rule_family

__all__ = ["Theme", "ThemeDictionary", "ThemeKind", "term_pattern"]

_TERM: Final = re.compile(r"\w(?:.*\w)?", re.DOTALL)


class ThemeKind(enum.StrEnum):
    """Whether a theme is praise or a suggestion."""

    POSITIVE = "positive"
    """Positive feedback (what helped)."""
    IMPROVEMENT = "improvement"
    """Feedback on what could be done better."""


def _term(term: str) -> str:
    prefix = term.endswith("*")
    body = term[:-1] if prefix else term
    words = r"\s+".join(re.escape(word) for word in body.split())
    return rf"\b{words}\w*" if prefix else rf"\b{words}\b"


def term_pattern(terms: tuple[str, ...]) -> str:
    r"""One case-insensitive regular expression matching any of ``terms``.

    The pattern uses only syntax that Python's :mod:`re` and polars (Rust's
    ``regex``) read alike, so per-comment and bulk coding agree.

    Example:
        >>> term_pattern(("listened to", "confiden*"))
        '(?i)(?:\\blistened\\s+to\\b|\\bconfiden\\w*)'
    """
    return "(?i)(?:" + "|".join(_term(term) for term in terms) + ")"


def bad_term(term: str) -> bool:
    """Whether a phrase or keyword cannot be matched on word boundaries."""
    body = term[:-1] if term.endswith("*") else term
    return _TERM.fullmatch(body) is None or "*" in body


@attrs.frozen(kw_only=True)
class Theme:
    """One theme of a theme dictionary.

    Attributes:
        theme_id: the theme's stable id, e.g. ``"confidence"``.
        label: the theme in words, as a report prints it.
        kind: :class:`ThemeKind` (positive or improvement).
        phrases: phrases that tag a comment with the theme.
        keywords: single words (``*`` suffix: any word starting so) that tag it.

    Example:
        >>> theme = Theme(theme_id="confidence", label="confidence building",
        ...               kind="positive", keywords=("confiden*",))
        >>> theme.matches("I feel more CONFIDENT now"), theme.matches("unconfident")
        (True, False)
    """

    theme_id: str
    label: str
    kind: ThemeKind = attrs.field(converter=ThemeKind)
    phrases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    pattern: str = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        terms = self.phrases + self.keywords
        bad = [term for term in terms if bad_term(term)]
        if not terms or bad:
            what = f"unusable terms {bad}" if bad else "no phrases or keywords"
            msg = f"{what}; expected terms that start and end with a letter or digit"
            raise ProfileError(f"Theme {self.theme_id}", [("", msg)])
        object.__setattr__(self, "pattern", term_pattern(terms))

    def matches(self, comment: str) -> bool:
        """Whether the comment contains any of the theme's phrases or keywords."""
        return re.search(self.pattern, comment) is not None


def _read_theme(reader: Reader) -> Theme | None:
    theme_id = reader.text("id")
    label = reader.text("label")
    kind = reader.choice("kind", ThemeKind)
    phrases = reader.texts("phrases", ())
    keywords = reader.texts("keywords", ())
    reader.finish()
    if None in (theme_id, label, kind, phrases, keywords):
        return None
    terms = phrases + keywords
    if not terms:
        reader.problem(None, "expected at least one phrase or keyword")
        return None
    for key, values in (("phrases", phrases), ("keywords", keywords)):
        for value in values:
            if bad_term(value):
                reader.problem(
                    key,
                    f"{value!r} must start and end with a letter or digit (a keyword may end in *)",
                )
                return None
    return Theme(theme_id=theme_id, label=label, kind=kind, phrases=phrases, keywords=keywords)


@rule_family(
    "themes",
    summary="Survey comment themes: the phrases that tag a comment with each theme.",
)
@attrs.frozen(kw_only=True)
class ThemeDictionary:
    """One version of the theme dictionary used to code free-text comments.

    Attributes:
        rule_id: the version's stable id.
        effective: the dates of receipt it applies to.
        citation: where the themes come from.
        themes: the themes, in the order a report lists them.
    """

    rule_id: str
    effective: Effective
    citation: Citation
    themes: tuple[Theme, ...]

    def __attrs_post_init__(self) -> None:
        ids = [theme.theme_id for theme in self.themes]
        if len(set(ids)) != len(ids):
            problem = ("", "theme ids must be unique")
            raise ProfileError(f"ThemeDictionary {self.rule_id}", [problem])

    def tag(self, comment: str) -> tuple[str, ...]:
        """The ids of the themes the comment falls into, in dictionary order.

        Example:
            >>> import datetime as dt
            >>> themes = ThemeDictionary(
            ...     rule_id="TD", effective=Effective(start=dt.date(2014, 4, 1)),
            ...     citation=Citation(document="guide"),
            ...     themes=(Theme(theme_id="a", label="A", kind="positive", keywords=("help*",)),
            ...             Theme(theme_id="b", label="B", kind="positive", phrases=("on time",))),
            ... )
            >>> themes.tag("Helpful, and ON  time."), themes.tag("nothing")
            (('a', 'b'), ())
        """
        return tuple(theme.theme_id for theme in self.themes if theme.matches(comment))

    @classmethod
    def from_reader(cls, reader: Reader) -> ThemeDictionary | None:
        """Read one version from profile data; ``None`` if it has problems."""
        header = read_header(reader)
        themes = [_read_theme(item) for item in reader.children("themes")]
        reader.finish()
        if not themes:
            reader.problem("themes", "expected at least one theme")
            return None
        ids = [theme.theme_id for theme in themes if theme is not None]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            reader.problem("themes", f"theme ids must be unique; repeated: {', '.join(repeated)}")
            return None
        if header is None or None in themes:
            return None
        return cls(**header, themes=tuple(t for t in themes if t is not None))
