"""How Was It For You survey percentages: yes over the forms the profile counts.

Each yes/no question (treated with respect, listened to, helped with the
identified issues) is answered ``yes``, ``no`` or ``not_answered``. The
numerator is the forms that answered ``yes``. The denominator is the forms
that answered ``yes`` or ``no`` and, when the profile's :class:`SurveyRule` in
force on the form's received date says ``not_answered_in_denominator``, the
forms that left the question unanswered too.

Under a lenient profile a form received where no rule is in force is in
neither count (``unruled`` says how many); under a strict one it is an error.

The rule is defined once, in bulk, by :func:`flag_survey_answers`; one form's
:func:`is_answer_counted` runs that same evaluation on the one form and renders
its row, and :func:`tally_survey` adds up its flags.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Final

import attrs
import polars as pl

from earlyhelp.instruments._survey_rule import SurveyRule
from earlyhelp.io._records import records_to_frame
from earlyhelp.io._tables import SCHEMAS
from earlyhelp.model._survey import SurveyResponse
from earlyhelp.model._vocab import Answer
from earlyhelp.periods._periods import Period, during_expr, parse_period
from earlyhelp.profiles._applying import (
    VERSION_COLUMN,
    ProfileLike,
    pick_by_version,
    resolve_profile,
    version_index,
)
from earlyhelp.profiles._profile import Profile
from earlyhelp.rules import text as tx
from earlyhelp.rules._decision import Decision, Fact
from earlyhelp.rules._evidence import EXPLANATION, Rendering, decide
from earlyhelp.rules._evidence import explain as explain_evidence
from earlyhelp.rules._judging import check_ruled

__all__ = [
    "SurveyQuestion",
    "SurveyTally",
    "flag_survey_answers",
    "is_answer_counted",
    "tally_survey",
]


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


_RENDERINGS: dict[tuple[int, SurveyQuestion], tuple[Profile, Rendering[SurveyRule]]] = {}


def _rendering(question: SurveyQuestion, profile: Profile) -> Rendering[SurveyRule]:
    """How the survey rule's evidence reads, for one question (built once per profile)."""
    cached = _RENDERINGS.get((id(profile), question))
    if cached is not None and cached[0] is profile:
        return cached[1]
    if len(_RENDERINGS) > 64:
        _RENDERINGS.clear()
    rendering = _build_rendering(question, profile)
    _RENDERINGS[id(profile), question] = (profile, rendering)
    return rendering


def _build_rendering(question: SurveyQuestion, profile: Profile) -> Rendering[SurveyRule]:
    asked = f"'{question.value}'"
    form = tx.concat_str(tx.lit("form "), tx.col("response_id"))
    answer = tx.col("answer")
    unanswered = answer == Answer.NOT_ANSWERED.value
    what = (
        tx.when(unanswered)
        .then(tx.lit(f" left {asked} unanswered"))
        .otherwise(tx.concat_str(tx.lit(" answered "), answer, tx.lit(f" to {asked}")))
    )
    counts = (
        tx.when(tx.col("numerator") == 1)
        .then(tx.lit(", in the numerator and the denominator"))
        .when(tx.col("denominator") == 1)
        .then(tx.lit(", in the denominator only"))
        .otherwise(tx.lit(", so it is in neither count"))
    )
    return Rendering(
        question="survey answer counted",
        subject=form,
        as_of=pl.col("received"),
        outcome=pl.when(pl.col("rule_id").is_not_null()).then(pl.col("denominator") == 1),
        summary=tx.concat_str(
            tx.when(tx.col("denominator") == 1)
            .then(tx.lit("Counted: "))
            .otherwise(tx.lit("Not counted: ")),
            form,
            what,
            counts,
        ),
        reason=tx.when(~unanswered)
        .then(tx.lit(f"a form answering yes or no to {asked} is in its denominator"))
        .when(tx.col("denominator") == 1)
        .then(tx.lit(f"forms leaving {asked} unanswered are in its denominator"))
        .otherwise(tx.lit(f"forms leaving {asked} unanswered are not in its denominator")),
        unruled=tx.concat_str(
            tx.lit("No decision: no survey rule is in force on "),
            tx.col("received").uk_date(),
            tx.lit(f" in profile {profile.profile_id}"),
        ),
        inputs=(
            ("response_id", tx.col("response_id")),
            ("received", tx.col("received").uk_date()),
            ("question", tx.lit(question.value)),
            ("answer", answer),
        ),
        parameters=lambda rule: (
            Fact(
                name="not_answered_in_denominator",
                value=str(rule.not_answered_in_denominator).lower(),
            ),
        ),
    )


_OUTPUT: Final = (
    "response_id",
    "team_id",
    "received",
    "answer",
    "numerator",
    "denominator",
    "rule_id",
)


def _evidence(
    surveys: pl.DataFrame | pl.LazyFrame,
    question: SurveyQuestion,
    versions: Sequence[SurveyRule],
    period: Period | str | None,
) -> pl.LazyFrame:
    """The definition: each form's answer, its flags and the rule version applied.

    Check the collected rows with :func:`check_ruled`.
    """
    frame = surveys.lazy()
    if period is not None:
        window = parse_period(period) if isinstance(period, str) else period
        frame = frame.filter(during_expr("received", window))
    frame = frame.with_columns(version_index(versions, pl.col("received")).alias(VERSION_COLUMN))
    counts_unanswered = pick_by_version(
        {i: pl.lit(rule.not_answered_in_denominator) for i, rule in enumerate(versions)},
        pl.Boolean(),
    )
    ruled = pl.col(VERSION_COLUMN).is_not_null()
    answer = pl.col(question.value).cast(pl.String)
    counted = (answer != Answer.NOT_ANSWERED.value) | counts_unanswered
    rule_id = pick_by_version(
        {i: pl.lit(rule.rule_id) for i, rule in enumerate(versions)}, pl.String()
    )
    return frame.select(
        "response_id",
        "team_id",
        "received",
        answer.alias("answer"),
        (ruled & (answer == Answer.YES.value)).cast(pl.Int64).alias("numerator"),
        (ruled & counted.fill_null(False)).cast(pl.Int64).alias("denominator"),
        rule_id.alias("rule_id"),
    )


def flag_survey_answers(
    surveys: pl.DataFrame | pl.LazyFrame,
    question: SurveyQuestion | str,
    *,
    profile: ProfileLike,
    period: Period | str | None = None,
    explain: bool = False,
) -> pl.DataFrame:
    """Flag each form as in the numerator and the denominator of one question.

    The one definition of the survey rule: summing the flags gives a
    question's ``yes`` and ``denominator`` (see :func:`tally_survey`), and
    :func:`is_answer_counted` renders one form's row.

    Args:
        surveys: a ``surveys`` table (at least ``response_id``, ``team_id``,
            ``received`` and the question's column).
        question: a :class:`SurveyQuestion` or its name.
        profile: a :class:`~earlyhelp.profiles.Profile`, a shipped profile's name or a file.
        period: keep only forms received in this financial year or quarter (both
            ends inclusive). Without it, every form.
        explain: add an ``explanation`` column: each form's decision in words,
            exactly as ``str(is_answer_counted(...))`` prints it.

    Returns:
        One row per form, in input order: ``response_id``, ``team_id``,
        ``received``, ``answer`` (``yes``, ``no`` or ``not_answered``),
        ``numerator`` and ``denominator`` (Int64, 1 or 0; both 0 where no rule is
        in force, lenient profiles) and ``rule_id`` (null where no rule is in
        force).

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
        >>> flags = flag_survey_answers(forms, "helped", profile="derby-2014-15", explain=True)
        >>> print(flags["explanation"][2])
        Counted: form H3 left 'helped' unanswered, in the denominator only
        Decided on 01/07/2014 under profile derby-2014-15:
        - rule HWIFY-ALL-FORMS applies: forms leaving 'helped' unanswered are in its denominator
          read: response_id = H3; received = 01/07/2014; question = helped; answer = not_answered
          using: not_answered_in_denominator = true (in force from 01/04/2013)
          source: Derby early help impact report 2014-15, 2. How Was It For You client evaluation forms
    """
    resolved = resolve_profile(profile)
    asked = SurveyQuestion(question)
    versions = resolved.versions(SurveyRule)
    evidence = _evidence(surveys, asked, versions, period)
    if explain:
        rendering = _rendering(asked, resolved)
        evidence = explain_evidence(evidence, rendering, versions, resolved.profile_id).select(
            *_OUTPUT, EXPLANATION
        )
    found = evidence.collect(engine="in-memory")
    _check(found, resolved)
    return found


def _check(found: pl.DataFrame, profile: Profile) -> None:
    """Under a strict profile, refuse a response received where no survey rule is in force."""
    check_ruled(
        found,
        day="received",
        ident="response_id",
        profile=profile,
        family="survey",
        record="response",
    )


def is_answer_counted(
    response: SurveyResponse, question: SurveyQuestion | str, *, profile: ProfileLike
) -> Decision:
    """Whether one form counts in a question's denominator, and why.

    Runs :func:`flag_survey_answers` on the one form and renders its row: the
    decision's ``str()`` is that row's ``explanation``. Its outcome is ``True``
    when the form is in the denominator (``None`` where no rule is in force,
    lenient profiles); its summary says whether it is in the numerator too.

    Args:
        response: the form.
        question: a :class:`SurveyQuestion` or its name.
        profile: a :class:`~earlyhelp.profiles.Profile`, a shipped profile's name or a file.

    Raises:
        NoRuleInForceError: no survey rule is in force on the received date,
            under a strict profile.

    Example:
        >>> import datetime as dt
        >>> from earlyhelp.model import SurveyResponse
        >>> form = SurveyResponse(response_id="H1", episode_id=None, team_id="T1",
        ...     received=dt.date(2014, 7, 1), respected="yes", listened_to="no",
        ...     helped="not_answered")
        >>> print(is_answer_counted(form, "respected", profile="derby-2014-15").summary)
        Counted: form H1 answered yes to 'respected', in the numerator and the denominator
        >>> is_answer_counted(form, "helped", profile="derby-2014-15").outcome
        True
    """
    resolved = resolve_profile(profile)
    asked = SurveyQuestion(question)
    versions = resolved.versions(SurveyRule)
    frame = pl.DataFrame(
        {
            "response_id": [response.response_id],
            "team_id": [response.team_id],
            "received": [response.received],
            asked.value: [getattr(response, asked.value).value],
        },
        schema={
            "response_id": pl.String,
            "team_id": pl.String,
            "received": pl.Date,
            asked.value: pl.String,
        },
    )
    rendering = _rendering(asked, resolved)
    evidence = _evidence(frame, asked, versions, None)
    check = functools.partial(_check, profile=resolved)
    (decision,) = decide(evidence, rendering, versions, resolved.profile_id, check=check)
    return decision


def tally_survey(
    responses: Iterable[SurveyResponse], question: SurveyQuestion | str, *, profile: ProfileLike
) -> SurveyTally:
    """Count one question's answers and work out its percentage.

    The sums of :func:`flag_survey_answers` over the forms.

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
    asked = SurveyQuestion(question)
    frame = records_to_frame(responses, SCHEMAS["surveys"])
    flags = flag_survey_answers(frame, asked, profile=profile)
    ruled = pl.col("rule_id").is_not_null()
    counts = flags.select(
        pl.col("numerator").sum().alias("yes"),
        (ruled & (pl.col("answer") == Answer.NO.value)).sum().alias("no"),
        (ruled & (pl.col("answer") == Answer.NOT_ANSWERED.value)).sum().alias("not_answered"),
        pl.col("denominator").sum().alias("denominator"),
        (~ruled).sum().alias("unruled"),
    ).row(0, named=True)
    return SurveyTally(question=asked, **{k: int(v or 0) for k, v in counts.items()})
