"""The declaration of the look-back window for "early help before statutory services"."""

from __future__ import annotations

import attrs

from earlyhelp.periods._windows import MonthWindow
from earlyhelp.profiles._dating import Citation, Effective
from earlyhelp.profiles._header import read_header
from earlyhelp.profiles._reading import MAX_MONTHS, Reader
from earlyhelp.profiles._registry import rule_family

__all__ = ["PriorEarlyHelpRule"]


@rule_family(
    "prior_early_help",
    summary="Prior early help: how far back before a statutory start an early help episode counts.",
)
@attrs.frozen(kw_only=True)
class PriorEarlyHelpRule:
    """One version of the look-back rule for prior early help.

    A child who starts a statutory service (a child protection plan, a period in
    care, a child in need episode or a youth offending episode) *had early help
    before* when an early help case of theirs was open on a day of ``window``,
    measured back from the statutory start; they were *offered* it when, in
    addition, a referral of theirs to early help is dated in the window.

    Attributes:
        rule_id: the version's stable id, e.g. ``"PEH-24M"``.
        effective: the statutory start dates it applies to.
        citation: the definition it encodes.
        window: a look-back :class:`~earlyhelp.periods.MonthWindow` (``months`` is
            negative), with the start day (anchor) and the earliest day (far
            end) each declared inclusive or not.

    Example:
        >>> import datetime as dt
        >>> from earlyhelp import load_profile
        >>> rule = load_profile("derby-2014-15").rule("prior_early_help", dt.date(2014, 12, 1))
        >>> rule.rule_id, rule.window.describe()
        ('PEH-24M', 'within 24 calendar months before (anchor day excluded, last day included)')
    """

    rule_id: str
    effective: Effective
    citation: Citation
    window: MonthWindow

    @classmethod
    def from_reader(cls, reader: Reader) -> PriorEarlyHelpRule | None:
        """Read one version from profile data; ``None`` if it has problems.

        The file gives ``months`` as a positive look-back length.
        """
        header = read_header(reader)
        months = reader.integer("months", minimum=1, maximum=MAX_MONTHS)
        anchor_inclusive = reader.boolean("anchor_inclusive")
        far_inclusive = reader.boolean("far_inclusive")
        reader.finish()
        if header is None or None in (months, anchor_inclusive, far_inclusive):
            return None
        window = MonthWindow(
            -months, anchor_inclusive=anchor_inclusive, far_inclusive=far_inclusive
        )
        return cls(**header, window=window)
