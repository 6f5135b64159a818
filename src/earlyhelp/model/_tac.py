"""Team around the family: early help staff involvement that is not lead-professional casework."""

from __future__ import annotations

import enum
from typing import Final

import attrs
import pendulum

from earlyhelp.model._base import id_field, to_date, to_optional_date
from earlyhelp.model._row_rules import Absent, RowRule, before, check_rules

__all__ = ["TAC_RULES", "TacRole", "TeamAroundFamilyInvolvement"]

TAC_RULES: Final = (
    RowRule(
        code="no-case-or-family",
        fields=("episode_id", "family_id"),
        when=Absent("episode_id") & Absent("family_id"),
        template="give the early help case or the family (episode_id or family_id)",
    ),
    before("ended", "started", "ended-before-started"),
)
"""An involvement's cross-field rules: per record and over its table."""


class TacRole(enum.StrEnum):
    """What an early help worker does in a team around the family they do not lead."""

    TEAM_MEMBER = "team_member"
    """Attends the family's team around the family meetings and delivers part of its plan."""
    SPECIALIST = "specialist"
    """Delivers one specific intervention, e.g. a parenting programme."""
    CONSULTATION = "consultation"
    """Advises another agency's lead professional."""
    OTHER = "other"


@attrs.frozen(kw_only=True)
class TeamAroundFamilyInvolvement:
    """An early help worker's involvement with a family whose case they do not lead.

    The source report's caseload figures "relate to Lead Professional (LP) cases
    only and [do] not account for cases where early help staff are involved
    with a family as part of a Team around the Family approach". One record per
    worker (or team) and family, from when the involvement started to when it
    ended. It names the early help case it supports (``episode_id``, when the
    lead professional is in another early help team) or the family (when another
    agency, such as a school, leads), or both.

    Example:
        >>> import datetime as dt
        >>> TeamAroundFamilyInvolvement(
        ...     involvement_id="TAF-1", family_id="F-9", team_id="T1U", worker_id="W-3",
        ...     role=TacRole.SPECIALIST, started=dt.date(2014, 9, 1),
        ... ).role.value
        'specialist'
        >>> TeamAroundFamilyInvolvement(
        ...     involvement_id="TAF-2", team_id="T1U", role="team_member",
        ...     started=dt.date(2014, 9, 1),
        ... )
        Traceback (most recent call last):
        ...
        earlyhelp.errors.RecordError: TeamAroundFamilyInvolvement TAF-2: episode_id: give the early help case or the family (episode_id or family_id)
    """

    involvement_id: str = id_field()
    episode_id: str | None = id_field(optional=True)
    family_id: str | None = id_field(optional=True)
    team_id: str = id_field()
    worker_id: str | None = id_field(optional=True)
    role: TacRole = attrs.field(converter=TacRole)
    started: pendulum.Date = attrs.field(converter=to_date)
    ended: pendulum.Date | None = attrs.field(default=None, converter=to_optional_date)

    def __attrs_post_init__(self) -> None:
        check_rules(self, TAC_RULES, self.involvement_id)
