"""How Was It For You (HWIFY) client survey responses."""

from __future__ import annotations

import attrs
import pendulum

from earlyhelp.model._base import id_field, to_date
from earlyhelp.model._vocab import Answer

__all__ = ["SurveyResponse"]


@attrs.frozen(kw_only=True)
class SurveyResponse:
    """One returned How Was It For You form.

    The free-text ``comments`` are personal data: they never appear in a ``repr``
    or an error message.

    Example:
        >>> import datetime as dt
        >>> SurveyResponse(
        ...     response_id="H1", episode_id="C1", team_id="T1A",
        ...     received=dt.date(2014, 7, 1), respected="yes", listened_to="yes",
        ...     helped="not_answered", comments="My worker helped with routines.",
        ... )
        SurveyResponse(response_id='H1', episode_id='C1', team_id='T1A', received=Date(2014, 7, 1), respected=<Answer.YES: 'yes'>, listened_to=<Answer.YES: 'yes'>, helped=<Answer.NOT_ANSWERED: 'not_answered'>)
    """

    response_id: str = id_field()
    episode_id: str | None = id_field(optional=True)
    team_id: str = id_field()
    received: pendulum.Date = attrs.field(converter=to_date)
    respected: Answer = attrs.field(converter=Answer)
    """Treated with respect by the worker?"""
    listened_to: Answer = attrs.field(converter=Answer)
    """Listened to by the worker?"""
    helped: Answer = attrs.field(converter=Answer)
    """Helped with the identified issues?"""
    comments: str | None = attrs.field(default=None, repr=False)
