"""The declaration of a re-referral rule: its window and what it matches on."""

from __future__ import annotations

import enum

import attrs

from earlyhelp.periods._windows import MonthWindow
from earlyhelp.profiles._dating import Citation, Effective
from earlyhelp.profiles._header import read_header
from earlyhelp.profiles._reading import MAX_MONTHS, Reader
from earlyhelp.profiles._registry import rule_family

__all__ = ["Anchor", "MatchOn", "RereferralRule"]


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
    """

    rule_id: str
    effective: Effective
    citation: Citation
    anchor: Anchor
    window: MonthWindow
    match_on: MatchOn = MatchOn.CHILD
    exclude_same_case: bool = True

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
        reader.finish()
        if header is None or None in (anchor, months, anchor_inclusive, far_inclusive, match_on):
            return None
        return cls(
            **header,
            anchor=anchor,
            window=MonthWindow(
                months, anchor_inclusive=anchor_inclusive, far_inclusive=far_inclusive
            ),
            match_on=match_on,
            exclude_same_case=exclude_same_case,
        )
