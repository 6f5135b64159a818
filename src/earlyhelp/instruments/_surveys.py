"""How Was It For You survey percentages: yes over the forms the profile counts.

Each yes/no question (treated with respect, listened to, helped with the
identified issues) is answered ``yes``, ``no`` or ``not_answered``. The
numerator is the forms that answered ``yes``. The denominator is the forms
that answered ``yes`` or ``no`` and, when the profile's :class:`SurveyRule` in
force on the form's received date says ``not_answered_in_denominator``, the
forms that left the question unanswered too.

Under a lenient profile a form received where no rule is in force is in
neither count (``unruled`` says how many); under a strict one it is an error.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from fractions import Fraction

import attrs
import polars as pl

from earlyhelp.instruments._survey_rule import SurveyRule
from earlyhelp.model._survey import SurveyResponse
from earlyhelp.model._vocab import Answer
from earlyhelp.periods._periods import Period, during_expr, parse_period
from earlyhelp.profiles._applying import (
    VERSION_COLUMN,
    ProfileLike,
    no_rule_in_force,
    pick_by_version,
    raise_if_unruled,
    resolve_profile,
    version_index,
)
from earlyhelp.profiles._dating import OnMissing, in_force

__all__ = ["SurveyQuestion", "SurveyTally", "flag_survey_answers", "tally_survey"]


class SurveyQuestion(enum.StrEnum):
    """A yes/no question of the How Was It For You form (its column name)."""

    RESPECTED = "respected"
    """Treated with respect by the worker?"""
    LISTENED_TO = "listened_to"
    """Listened to by the worker?"""
    HELPED = "helped"
    """Helped with the identified issues?"""


@attrs.frozen(kw_only=True)
class SurveyTally:
    """The answers to one question, and the percentage the profile defines.

    Attributes:
        question: the :class:`SurveyQuestion`.
        yes: forms answering yes (the numerator).
        no: forms answering no.
        not_answered: forms leaving the question unanswered.
        denominator: forms in the denominator under the rules in force.
        unruled: forms received where no rule is in force (lenient profiles),
            counted in none of the above.
    """

    question: SurveyQuestion
    yes: int
    no: int
    not_answered: int
    denominator: int
    unruled: int = 0

    @property
    def value(self) -> Fraction | None:
        """``yes`` as an exact percentage (0..100) of the denominator; ``None`` if it is 0."""
        return None if self.denominator == 0 else Fraction(100 * self.yes, self.denominator)


def tally_survey(
    responses: Iterable[SurveyResponse], question: SurveyQuestion | str, *, profile: ProfileLike
) -> SurveyTally:
    """Count one question's answers and work out its percentage.

    Args:
        responses: the forms.
        question: a :class:`SurveyQuestion` or its name.
        profile: a :class:`~earlyhelp.profiles.Profile`, a shipped profile's name or a file.

    Raises:
        NoRuleInForceError: a form was received where no survey rule is in
            force, under a strict profile.

    Example:
        >>> import datetime as dt
        >>> from earlyhelp.model import SurveyResponse
        >>> forms = [SurveyResponse(response_id=f"H{n}", episode_id=None, team_id="T1",
        ...              received=dt.date(2014, 7, 1), respected=answer,
        ...              listened_to="yes", helped="yes")
        ...          for n, answer in enumerate(["yes", "yes", "no", "not_answered"])]
        >>> tally = tally_survey(forms, "respected", profile="derby-2014-15")
        >>> tally.yes, tally.denominator, tally.value
        (2, 4, Fraction(50, 1))
    """
    resolved = resolve_profile(profile)
    asked = SurveyQuestion(question)
    counts = dict.fromkeys(Answer, 0)
    denominator = unruled = 0
    for response in responses:
        rule = in_force(resolved.versions(SurveyRule), response.received)
        if rule is None:
            if resolved.on_missing is OnMissing.STRICT:
                raise no_rule_in_force(
                    "survey", response.received, resolved, f"response {response.response_id}"
                )
            unruled += 1
            continue
        answer: Answer = getattr(response, asked.value)
        counts[answer] += 1
        if answer is not Answer.NOT_ANSWERED or rule.not_answered_in_denominator:
            denominator += 1
    return SurveyTally(
        question=asked,
        yes=counts[Answer.YES],
        no=counts[Answer.NO],
        not_answered=counts[Answer.NOT_ANSWERED],
        denominator=denominator,
        unruled=unruled,
    )


def flag_survey_answers(
    surveys: pl.DataFrame | pl.LazyFrame,
    question: SurveyQuestion | str,
    *,
    profile: ProfileLike,
    period: Period | str | None = None,
) -> pl.DataFrame:
    """Flag each form as in the numerator and the denominator of one question.

    The bulk twin of :func:`tally_survey`: summing the flags gives its ``yes``
    and ``denominator``.

    Args:
        surveys: a ``surveys`` table (at least ``response_id``, ``team_id``,
            ``received`` and the question's column).
        question: a :class:`SurveyQuestion` or its name.
        profile: a :class:`~earlyhelp.profiles.Profile`, a shipped profile's name or a file.
        period: keep only forms received in this financial year or quarter (both
            ends inclusive). Without it, every form.

    Returns:
        One row per form, in input order: ``response_id``, ``team_id``,
        ``received``, ``numerator`` and ``denominator`` (Int64, 1 or 0) and
        ``rule_id`` (null where no rule is in force, lenient profiles).

    Raises:
        NoRuleInForceError: a form was received where no survey rule is in
            force, under a strict profile.

    Example:
        >>> import datetime as dt
        >>> forms = pl.DataFrame({"response_id": ["H1", "H2", "H3"], "team_id": ["T1"] * 3,
        ...     "received": [dt.date(2014, 7, 1)] * 3, "helped": ["yes", "no", "not_answered"]})
        >>> flag_survey_answers(forms, "helped", profile="derby-2014-15").select(
        ...     "response_id", "numerator", "denominator").rows()
        [('H1', 1, 1), ('H2', 0, 1), ('H3', 0, 1)]
    """
    resolved = resolve_profile(profile)
    asked = SurveyQuestion(question).value
    versions = resolved.versions("survey")
    frame = surveys.lazy()
    if period is not None:
        window = parse_period(period) if isinstance(period, str) else period
        frame = frame.filter(during_expr("received", window))
    frame = frame.with_columns(
        version_index(versions, pl.col("received")).alias(VERSION_COLUMN),
        pl.col("response_id").alias("__id"),
    )
    raise_if_unruled(frame, "received", resolved, "survey", "response")
    counts_unanswered = pick_by_version(
        {i: pl.lit(rule.not_answered_in_denominator) for i, rule in enumerate(versions)},
        pl.Boolean(),
    )
    ruled = pl.col(VERSION_COLUMN).is_not_null()
    answer = pl.col(asked).cast(pl.String)
    counted = ruled & ((answer != Answer.NOT_ANSWERED.value) | counts_unanswered.fill_null(False))
    rule_id = pick_by_version(
        {i: pl.lit(rule.rule_id) for i, rule in enumerate(versions)}, pl.String()
    )
    return frame.select(
        "response_id",
        "team_id",
        "received",
        (ruled & (answer == Answer.YES.value)).cast(pl.Int64).alias("numerator"),
        counted.cast(pl.Int64).alias("denominator"),
        rule_id.alias("rule_id"),
    ).collect(engine="in-memory")
