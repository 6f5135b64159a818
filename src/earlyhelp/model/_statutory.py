"""Statutory episodes: child in need, child protection plan, child in care; youth offending."""

from __future__ import annotations

import attrs
import pendulum

from earlyhelp.model._base import check_problems, date_order, id_field, to_date, to_optional_date
from earlyhelp.model._vocab import SocialCareKind

__all__ = ["SocialCareEpisode", "YouthOffendingEpisode"]


def _ended_not_before_started(
    kind: str, record_id: str, started: pendulum.Date, ended: pendulum.Date | None
) -> None:
    check_problems(kind, record_id, date_order("ended", ended, "started", started))


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

    def __attrs_post_init__(self) -> None:
        _ended_not_before_started("SocialCareEpisode", self.episode_id, self.started, self.ended)
        if self.ended is None and self.end_reason is not None:
            check_problems(
                "SocialCareEpisode",
                self.episode_id,
                [("end_reason", "must be empty while the episode is open")],
            )


@attrs.frozen(kw_only=True)
class YouthOffendingEpisode:
    """A period open to the Youth Offending Service (YOS)."""

    episode_id: str = id_field()
    person_id: str = id_field()
    started: pendulum.Date = attrs.field(converter=to_date)
    ended: pendulum.Date | None = attrs.field(default=None, converter=to_optional_date)
    locality_id: str | None = id_field(optional=True)

    def __attrs_post_init__(self) -> None:
        _ended_not_before_started(
            "YouthOffendingEpisode", self.episode_id, self.started, self.ended
        )
