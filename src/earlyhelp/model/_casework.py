"""Referrals into early help, early help cases (episodes) and onward referrals."""

from __future__ import annotations

from typing import Final

import attrs
import pendulum

from earlyhelp.model._base import id_field, to_date, to_optional_date
from earlyhelp.model._row_rules import Absent, Present, RowRule, before, check_rules
from earlyhelp.model._vocab import ClosureReason, LevelOfNeed, ReferralRoute

__all__ = ["CASE_RULES", "EarlyHelpCase", "OnwardReferral", "Referral"]

CASE_RULES: Final = (
    before("closed", "opened", "closed-before-opened"),
    RowRule(
        code="closure-reason-missing",
        fields=("closure_reason", "closed"),
        when=Present("closed") & Absent("closure_reason"),
        template="required when the case is closed",
    ),
    RowRule(
        code="closure-reason-while-open",
        fields=("closure_reason", "closed"),
        when=Absent("closed") & Present("closure_reason"),
        template="must be empty while the case is open",
    ),
)
"""A case's cross-field rules: checked per record and over the ``cases`` table."""


@attrs.frozen(kw_only=True)
class Referral:
    """A referral of a child to early help.

    Example:
        >>> import datetime as dt
        >>> Referral(
        ...     referral_id="R1", person_id="P1", family_id="F1",
        ...     referral_date=dt.date(2014, 5, 1), route=ReferralRoute.VCM,
        ...     referring_agency="school", level_of_need=LevelOfNeed.LEVEL_2,
        ... ).route
        <ReferralRoute.VCM: 'vcm'>
    """

    referral_id: str = id_field()
    person_id: str = id_field()
    family_id: str | None = id_field(optional=True)
    referral_date: pendulum.Date = attrs.field(converter=to_date)
    route: ReferralRoute = attrs.field(converter=ReferralRoute)
    referring_agency: str | None = None
    level_of_need: LevelOfNeed | None = attrs.field(
        default=None, converter=attrs.converters.optional(LevelOfNeed)
    )
    team_id: str | None = id_field(optional=True)


@attrs.frozen(kw_only=True)
class EarlyHelpCase:
    """An early help case (episode) led by a lead professional in a MAT.

    Cross-field rules, all checked and reported together: ``closed`` is on or
    after ``opened``; ``closure_reason`` is present exactly when ``closed`` is.

    Example:
        >>> import datetime as dt
        >>> case = EarlyHelpCase(
        ...     episode_id="C1", person_id="P1", team_id="T1A", locality_id="L1",
        ...     worker_id="W1", opened=dt.date(2014, 5, 1), closed=dt.date(2014, 11, 30),
        ...     closure_reason=ClosureReason.OUTCOMES_MET, level_of_need=LevelOfNeed.LEVEL_2,
        ... )
        >>> case.is_open
        False
        >>> EarlyHelpCase(
        ...     episode_id="C2", person_id="P1", team_id="T1A", locality_id="L1",
        ...     worker_id="W1", opened=dt.date(2014, 5, 1), closed=dt.date(2014, 3, 2),
        ... )
        Traceback (most recent call last):
        ...
        earlyhelp.errors.RecordError: EarlyHelpCase C2: closed: closed 2014-03-02 is before opened 2014-05-01; closure_reason: required when the case is closed
    """

    episode_id: str = id_field()
    person_id: str = id_field()
    family_id: str | None = id_field(optional=True)
    referral_id: str | None = id_field(optional=True)
    team_id: str = id_field()
    locality_id: str | None = id_field(optional=True)
    worker_id: str | None = id_field(optional=True)
    opened: pendulum.Date = attrs.field(converter=to_date)
    closed: pendulum.Date | None = attrs.field(default=None, converter=to_optional_date)
    closure_reason: ClosureReason | None = attrs.field(
        default=None, converter=attrs.converters.optional(ClosureReason)
    )
    level_of_need: LevelOfNeed | None = attrs.field(
        default=LevelOfNeed.LEVEL_2, converter=attrs.converters.optional(LevelOfNeed)
    )
    """The threshold level; ``None`` where the source does not record it (such a case
    is left out of the figures by level of need only)."""

    def __attrs_post_init__(self) -> None:
        check_rules(self, CASE_RULES, self.episode_id)

    @property
    def is_open(self) -> bool:
        """Whether the case has no closure date."""
        return self.closed is None


@attrs.frozen(kw_only=True)
class OnwardReferral:
    """A referral from an early help case to another intervention."""

    onward_referral_id: str = id_field()
    episode_id: str = id_field()
    referral_date: pendulum.Date = attrs.field(converter=to_date)
    intervention: str
