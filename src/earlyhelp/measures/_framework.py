"""A profile's framework: the catalogue's measures as one council reports and words them.

The shipped catalogue is generic: neutral citations, default dates in force, and
titles and definitions with placeholders for what a council's rules decide. A
profile's ``[[measures]]`` entries choose the measures it reports, each with its
own dates and citation; its ``[names]`` and its rules in force fill the
placeholders. :func:`catalogue_for` applies both, and :func:`wording` gives the
words themselves, so that every title and sentence stating a rule's parameter
is generated from the rule in force.

Placeholders (in a measure's title, description and parts' definitions):

``{rereferral_window}``
    the re-referral rule in words, e.g. ``within 3 months of closure``;
``{rereferral_rule}``
    what a re-referral is, e.g. ``a referral within 3 months of the closure of
    an earlier case of the same child``;
``{rereferral_placed}``
    the date that places a re-referral, e.g. ``the referral date``;
``{rereferral_denominator}``, ``{rereferral_denominator_short}``
    what the re-referral rate is a share of, in a sentence and in a title;
``{area}``, ``{locality}``, ``{localities}``, ``{team}``, ``{the_area}``,
``{survey}``, ``{spider_graph}``, ``{spider_graphs}``
    the council's names (see :class:`~earlyhelp.profiles.Names`); a capital
    first letter (``{Spider_graphs}``) capitalises the words.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Final

import attrs

from earlyhelp.errors import InternalError
from earlyhelp.measures._catalogue import Catalogue, Measure, Part
from earlyhelp.profiles._dating import in_force
from earlyhelp.profiles._framework import MeasureEntry, measure_entry_for, plural
from earlyhelp.profiles._profile import Profile
from earlyhelp.rules._rereferral_rule import (
    Anchor,
    MatchOn,
    PlacedBy,
    RateDenominator,
    RereferralRule,
)

__all__ = ["catalogue_for", "fill", "wording"]

_PLACEHOLDER: Final = re.compile(r"\{([A-Za-z][a-z_]*)\}")
_SHORT: Final = {
    RateDenominator.QUARTER_END_CASELOADS: "cases worked with",
    RateDenominator.CASES_OPENED: "cases opened",
    RateDenominator.REFERRALS: "referrals",
}


def _latest_start(profile: Profile) -> dt.date | None:
    """The day the profile's latest re-referral version starts (the default day to word)."""
    versions = profile.versions(RereferralRule)
    if not versions:
        return None
    start = max(version.effective.start for version in versions)
    return dt.date(start.year, start.month, start.day)


def _rule_sentence(rule: RereferralRule) -> str:
    who = "child" if rule.match_on is MatchOn.CHILD else "family"
    months = rule.window.months
    span = f"within {months} month{'' if months == 1 else 's'}"
    judged = "a referral" if rule.placed_by is PlacedBy.REFERRAL else "a case opened"
    if rule.anchor is Anchor.PREVIOUS_CLOSURE:
        return f"{judged} {span} of the closure of an earlier case of the same {who}"
    return f"{judged} {span} of a previous referral of the same {who}"


def wording(profile: Profile, day: dt.date | None = None) -> dict[str, str]:
    """The words a profile gives the catalogue's placeholders, under its rules in force on ``day``.

    Args:
        profile: the profile.
        day: the day whose rules are worded (a report's last day); by default
            the day the profile's latest re-referral version starts.

    Example:
        >>> from earlyhelp.profiles import load_profile
        >>> words = wording(load_profile("derby-2014-15"))
        >>> words["rereferral_window"], words["area"], words["the_area"]
        ('within 3 months of closure', 'city', 'Derby')
        >>> words = wording(load_profile("northmoor"))
        >>> words["rereferral_window"], words["localities"]
        ('within 12 months of closure', 'areas')
        >>> words["rereferral_rule"]
        'a case opened within 12 months of the closure of an earlier case of the same family'
    """
    names = profile.names
    words = {
        "area": names.area,
        "locality": names.locality,
        "localities": names.plural("locality"),
        "team": names.team,
        "the_area": names.the_area,
        "survey": names.survey,
        "spider_graph": names.spider,
        "spider_graphs": plural(names.spider),
    }
    when = day or _latest_start(profile)
    rule = None if when is None else in_force(profile.versions(RereferralRule), when)
    if rule is None:
        words |= {
            "rereferral_window": "(no re-referral rule in force)",
            "rereferral_rule": "(no re-referral rule in force)",
            "rereferral_placed": "the referral date",
            "rereferral_denominator": "(no re-referral rule in force)",
            "rereferral_denominator_short": "cases worked with",
            "rereferral_denominator_setting": "",
        }
    else:
        words |= {
            "rereferral_window": rule.describe(),
            "rereferral_rule": _rule_sentence(rule),
            "rereferral_placed": rule.placed_by.words,
            "rereferral_denominator": rule.denominator.words,
            "rereferral_denominator_short": _SHORT[rule.denominator],
            "rereferral_denominator_setting": rule.denominator.value,
        }
    return words


def fill(text: str, words: Mapping[str, str]) -> str:
    """``text`` with each known ``{placeholder}`` replaced by its words (others left as they are).

    A placeholder written with a capital (``{Spider_graphs}``) gives its words
    with a capital first letter.

    Example:
        >>> fill("Cases re-referred {rereferral_window} ({unknown})",
        ...      {"rereferral_window": "within 12 months of closure"})
        'Cases re-referred within 12 months of closure ({unknown})'
        >>> fill("{Spider_graphs} completed", {"spider_graphs": "outcome stars"})
        'Outcome stars completed'
    """

    def replaced(match: re.Match[str]) -> str:
        key = match.group(1)
        found = words.get(key.lower())
        if found is None:
            return match.group(0)
        return found[:1].upper() + found[1:] if key[0].isupper() else found

    return _PLACEHOLDER.sub(replaced, text)


def _part(value: Part | None, words: Mapping[str, str]) -> Part | None:
    return None if value is None else attrs.evolve(value, definition=fill(value.definition, words))


def _worded(item: Measure, words: Mapping[str, str]) -> Measure:
    denominator = item.denominator
    if item.denominator_key is not None:
        denominator = dict(item.denominators).get(words.get(item.denominator_key, ""), denominator)
    numerator = _part(item.numerator, words)
    if numerator is None:
        raise InternalError(f"measure {item.measure_id} has no numerator")
    return attrs.evolve(
        item,
        title=fill(item.title, words),
        description=fill(item.description, words),
        numerator=numerator,
        denominator=_part(denominator, words),
    )


def catalogue_for(
    profile: Profile, catalogue: Catalogue, *, day: dt.date | None = None
) -> Catalogue:
    """The measures a profile reports, with its dates, citations and words.

    A profile with ``[[measures]]`` entries reports the measures they name (an
    entry for ``"*"``: every measure without one of its own), each in force over
    its entry's dates and cited as the entry cites it, with the entry's title if
    it gives one. A profile with no entries reports every measure of
    ``catalogue`` under the catalogue's own dates and citations. Either way each
    title, description and definition is worded from the profile's names and
    its rules in force on ``day`` (see :func:`wording`).

    Example:
        >>> from earlyhelp.measures import CATALOGUE
        >>> from earlyhelp.profiles import load_profile
        >>> derby = catalogue_for(load_profile("derby-2014-15"), CATALOGUE)
        >>> derby["rereferrals"].title, str(derby["rereferrals"].effective)
        ('Cases re-referred within 3 months of closure', 'from 01/04/2013')
        >>> county = catalogue_for(load_profile("northmoor"), CATALOGUE)
        >>> county["rereferrals"].title, str(county["audit_completion_rate"].effective)
        ('Cases re-referred within 12 months of closure', 'from 01/04/2011')
        >>> county["rereferrals"].citation.document
        'Northmoor County Council, Early help outcomes framework 2011'
    """
    words = wording(profile, day)
    entries = profile.versions(MeasureEntry)
    chosen: list[Measure] = []
    for declared in catalogue:
        item = declared
        if entries:
            entry = measure_entry_for(entries, item.measure_id)
            if entry is None:
                continue
            item = attrs.evolve(
                item,
                effective=entry.effective,
                citation=entry.citation,
                title=entry.title or item.title,
            )
        chosen.append(_worded(item, words))
    return Catalogue(chosen)
