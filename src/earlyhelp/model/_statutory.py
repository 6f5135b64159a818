"""Statutory episodes: child in need, child protection plan, child in care; youth offending."""

from __future__ import annotations

from typing import Final

import attrs
import pendulum

from earlyhelp.model._base import id_field, to_date, to_optional_date
from earlyhelp.model._row_rules import Absent, Present, RowRule, before, check_rules
from earlyhelp.model._vocab import SocialCareKind

__all__ = ["SOCIAL_CARE_RULES", "YOS_RULES", "SocialCareEpisode", "YouthOffendingEpisode"]

YOS_RULES: Final = (before("ended", "started", "ended-before-started"),)
"""A youth offending episode's cross-field rule: per record and over its table."""

SOCIAL_CARE_RULES: Final = (
    *YOS_RULES,
    RowRule(
        code="end-reason-while-open",
        fields=("end_reason", "ended"),
        when=Absent("ended") & Present("end_reason"),
        template="must be empty while the episode is open",
    ),
)
"""A social care episode's cross-field rules: per record and over its table."""


@attrs.frozen(kw_only=True)
class SocialCareEpisode:
    """A child in need episode, child protection plan or period in care.

    Example:
        >>> import datetime as dt
        >>> SocialCareEpisode(
        ...     episode_id="S1", person_id="P1", kind=SocialCareKind.CHILD_PROTECTION_PLAN,
        ...     started=dt.date(2014, 12, 1),
        ... ).kind.value
        'cp'
    """

    episode_id: str = id_field()
    person_id: str = id_field()
    kind: SocialCareKind = attrs.field(converter=SocialCareKind)
    started: pendulum.Date = attrs.field(converter=to_date)
    ended: pendulum.Date | None = attrs.field(default=None, converter=to_optional_date)
    locality_id: str | None = id_field(optional=True)
    end_reason: str | None = id_field(optional=True)
    """Why it ended, as the council's code (e.g. ``stepped_down_to_early_help``)."""
    start_reason: str | None = attrs.field(default=None)
    """Why it started, as the source's code (SSDA903 RNE)."""
    primary_need: str | None = attrs.field(default=None)
    """Primary need code (N0...N9)."""
    cp_category: str | None = attrs.field(default=None)
    """Child protection plan category."""
    legal_status: str | None = attrs.field(default=None)
    """Legal status code at the start of care (SSDA903 LS)."""
    placement: str | None = attrs.field(default=None)
    """Placement type code (SSDA903 PLACE)."""
    placement_provider: str | None = attrs.field(default=None)
    """Placement provider code (SSDA903 PLACE_PROVIDER)."""
    placement_postcode: str | None = attrs.field(default=None, repr=False)
    """Placement postcode (SSDA903 PL_POST; personal data, never shown in a ``repr``)."""

    def __attrs_post_init__(self) -> None:
        check_rules(self, SOCIAL_CARE_RULES, self.episode_id)


@attrs.frozen(kw_only=True)
class YouthOffendingEpisode:
    """A period open to the Youth Offending Service (YOS)."""

    episode_id: str = id_field()
    person_id: str = id_field()
    started: pendulum.Date = attrs.field(converter=to_date)
    ended: pendulum.Date | None = attrs.field(default=None, converter=to_optional_date)
    locality_id: str | None = id_field(optional=True)

    def __attrs_post_init__(self) -> None:
        check_rules(self, YOS_RULES, self.episode_id)
