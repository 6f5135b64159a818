"""The declaration of a re-referral rule: its window and what it matches on."""

from __future__ import annotations

import enum

import attrs

from earlyhelp.periods._windows import MonthWindow
from earlyhelp.profiles._dating import Citation, Effective
from earlyhelp.profiles._header import read_header
from earlyhelp.profiles._reading import MAX_MONTHS, Reader
from earlyhelp.profiles._registry import rule_family

__all__ = ["Anchor", "MatchOn", "PlacedBy", "RateDenominator", "RereferralRule"]


class Anchor(enum.StrEnum):
    """The earlier event a re-referral window is measured from."""

    PREVIOUS_CLOSURE = "previous_closure"
    """The closure of an earlier early help case (the source city's measure)."""
    PREVIOUS_REFERRAL = "previous_referral"
    """An earlier referral (the national children in need census measure)."""


class MatchOn(enum.StrEnum):
    """Whose earlier episodes count."""

    CHILD = "child"
    FAMILY = "family"


class PlacedBy(enum.StrEnum):
    """The date a re-referral is judged on and placed in a period by."""

    REFERRAL = "referral"
    """The referral's own date (the source city's measure)."""
    CASE_OPENED = "case_opened"
    """The date the case the referral opened was opened; a referral that opened
    no case is not a re-referral."""

    @property
    def words(self) -> str:
        """The date in words, e.g. ``"the date the case opened"``."""
        return "the referral date" if self is PlacedBy.REFERRAL else "the date the case opened"


class RateDenominator(enum.StrEnum):
    """What the re-referral rate is a share of."""

    QUARTER_END_CASELOADS = "quarter_end_caseloads"
    """The cases open at the end of each quarter of the period, added together
    (the source city's reading)."""
    CASES_OPENED = "cases_opened"
    """The cases opened in the period."""
    REFERRALS = "referrals"
    """The referrals received in the period."""

    @property
    def words(self) -> str:
        """The denominator in words."""
        return _DENOMINATOR_WORDS[self]


_DENOMINATOR_WORDS = {
    RateDenominator.QUARTER_END_CASELOADS: "the cases open at the end of each quarter of the "
    "period, added together",
    RateDenominator.CASES_OPENED: "the cases opened in the period",
    RateDenominator.REFERRALS: "the referrals received in the period",
}


@rule_family(
    "rereferral",
    summary="Re-referral windows: the anchor event, the window in calendar months and its inclusive ends, and whose episodes match.",
)
@attrs.frozen(kw_only=True)
class RereferralRule:
    """One version of a re-referral rule.

    A referral is a re-referral when an earlier anchor event (a case closure or a
    referral) of the same child (or family) lies within ``window`` before it:
    the referral date falls in the window measured forward from the anchor, with
    the window's declared inclusive ends.

    Attributes:
        rule_id: the version's stable id, e.g. ``"RR-3M"``.
        effective: the referral dates it applies to.
        citation: the definition it encodes.
        anchor: the earlier event the window is measured from.
        window: how many calendar months, and whether each end is inclusive.
        match_on: child or family.
        exclude_same_case: with a closure anchor, ignore the case the referral
            itself opened (a case cannot re-refer itself).
        placed_by: the date the window is measured to, and that places the
            re-referral in a period: the referral date, or the date the case
            the referral opened was opened.
        denominator: what the re-referral rate is a share of.
    """

    rule_id: str
    effective: Effective
    citation: Citation
    anchor: Anchor
    window: MonthWindow
    match_on: MatchOn = MatchOn.CHILD
    exclude_same_case: bool = True
    placed_by: PlacedBy = PlacedBy.REFERRAL
    denominator: RateDenominator = RateDenominator.QUARTER_END_CASELOADS

    def describe(self) -> str:
        """The rule in words, as measure titles and reports state it.

        Example:
            >>> from earlyhelp.profiles import load_profile
            >>> import datetime as dt
            >>> load_profile("derby-2014-15").rule(RereferralRule, dt.date(2015, 1, 1)).describe()
            'within 3 months of closure'
            >>> load_profile("cin-census").rule(RereferralRule, dt.date(2015, 1, 1)).describe()
            'within 12 months of a previous referral'
        """
        months = self.window.months
        span = f"within {months} month{'' if months == 1 else 's'}"
        if self.anchor is Anchor.PREVIOUS_CLOSURE:
            return f"{span} of closure"
        return f"{span} of a previous referral"

    @classmethod
    def from_reader(cls, reader: Reader) -> RereferralRule | None:
        """Read one version from profile data; ``None`` if it has problems."""
        header = read_header(reader)
        anchor = reader.choice("anchor", Anchor)
        months = reader.integer("months", minimum=1, maximum=MAX_MONTHS)
        anchor_inclusive = reader.boolean("anchor_inclusive")
        far_inclusive = reader.boolean("far_inclusive")
        match_on = reader.choice("match_on", MatchOn, MatchOn.CHILD)
        exclude_same_case = reader.boolean("exclude_same_case", True)
        placed_by = reader.choice("placed_by", PlacedBy, PlacedBy.REFERRAL)
        denominator = reader.choice(
            "denominator", RateDenominator, RateDenominator.QUARTER_END_CASELOADS
        )
        reader.finish()
        if header is None or None in (
            anchor,
            months,
            anchor_inclusive,
            far_inclusive,
            match_on,
            placed_by,
            denominator,
        ):
            return None
        return cls(
            **header,
            anchor=anchor,
            window=MonthWindow(
                months, anchor_inclusive=anchor_inclusive, far_inclusive=far_inclusive
            ),
            match_on=match_on,
            exclude_same_case=exclude_same_case,
            placed_by=placed_by,
            denominator=denominator,
        )
