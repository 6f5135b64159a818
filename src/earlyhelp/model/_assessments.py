"""Early Help Assessments (EHA, formerly CAF) and statutory single assessments."""

from __future__ import annotations

from typing import Final

import attrs
import pendulum

from earlyhelp.model._base import id_field, to_date, to_optional_date
from earlyhelp.model._row_rules import before, check_rules

__all__ = ["ASSESSMENT_RULES", "EarlyHelpAssessment", "SingleAssessment"]

ASSESSMENT_RULES: Final = (before("completed", "started", "completed-before-started"),)
"""An assessment's cross-field rule (both kinds): per record and over their tables."""


@attrs.frozen(kw_only=True)
class EarlyHelpAssessment:
    """An Early Help Assessment: the single multi-agency assessment.

    Example:
        >>> import datetime as dt
        >>> EarlyHelpAssessment(
        ...     assessment_id="A1", person_id="P1", started=dt.date(2014, 6, 2),
        ...     completed=dt.date(2014, 5, 1), organisation="school",
        ... )
        Traceback (most recent call last):
        ...
        earlyhelp.errors.RecordError: EarlyHelpAssessment A1: completed: completed 2014-05-01 is before started 2014-06-02
    """

    assessment_id: str = id_field()
    person_id: str = id_field()
    episode_id: str | None = id_field(optional=True)
    started: pendulum.Date = attrs.field(converter=to_date)
    completed: pendulum.Date | None = attrs.field(default=None, converter=to_optional_date)
    organisation: str | None = None

    def __attrs_post_init__(self) -> None:
        check_rules(self, ASSESSMENT_RULES, self.assessment_id)


@attrs.frozen(kw_only=True)
class SingleAssessment:
    """A statutory single assessment (social care).

    ``by_qualified_social_worker`` matters: under Working Together 2015 a child in
    need case may be held in an early help team only once a single assessment by
    a qualified social worker is complete.
    """

    assessment_id: str = id_field()
    person_id: str = id_field()
    started: pendulum.Date = attrs.field(converter=to_date)
    completed: pendulum.Date | None = attrs.field(default=None, converter=to_optional_date)
    by_qualified_social_worker: bool

    def __attrs_post_init__(self) -> None:
        check_rules(self, ASSESSMENT_RULES, self.assessment_id)
