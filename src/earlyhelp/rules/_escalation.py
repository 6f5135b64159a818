"""Escalation: step-up (early help to social care) and step-down (social care to early help).

One declaration, two evaluations. The profile's :class:`EscalationRule` versions
list the closure reasons that count: ``step_up`` for early help cases,
``step_down`` for social-care episodes. :func:`is_step_up` and
:func:`is_step_down` judge one record and explain themselves;
:func:`flag_step_ups` and :func:`flag_step_downs` flag every row of a table
with polars expressions built from the same versions.

The version in force is chosen by the record's own closure (end) date, never by
the clock. An open case or episode is never a step-up or step-down and needs no
rule in force. A closed one dated where no version is in force raises
:class:`NoRuleInForceError` under a strict profile; under a lenient one its
outcome is ``None`` (``null`` in bulk).
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Callable
from typing import Final

import attrs
import polars as pl

from earlyhelp.model._casework import EarlyHelpCase
from earlyhelp.model._statutory import SocialCareEpisode
from earlyhelp.periods._dates import uk_date
from earlyhelp.periods._periods import Period, during_expr, parse_period
from earlyhelp.profiles._applying import (
    ProfileLike,
    covers,
    no_rule_in_force,
    resolve_profile,
    rule_ids,
    version_index,
)
from earlyhelp.profiles._dating import OnMissing, in_force
from earlyhelp.profiles._profile import Profile
from earlyhelp.rules._decision import Decision, Fact, Step
from earlyhelp.rules._escalation_rule import EscalationRule

__all__ = ["flag_step_downs", "flag_step_ups", "is_step_down", "is_step_up"]


@attrs.frozen
class _Kind:
    """How one of the two questions reads its record and words its answer."""

    question: str  # "step-up"
    day: str  # the date field that chooses the version: "closed"
    reason: str  # the reason field: "closure_reason"
    destination: str  # where a record that counts went: "social care"
    reasons: Callable[[EscalationRule], tuple[str, ...]]


_UP: Final = _Kind("step-up", "closed", "closure_reason", "social care", lambda r: r.step_up)
_DOWN: Final = _Kind("step-down", "ended", "end_reason", "early help", lambda r: r.step_down)


def _judge(
    kind: _Kind,
    profile: Profile,
    *,
    ident: str,
    subject: str,
    started: dt.date,
    ended: dt.date | None,
    reason: str | None,
) -> Decision:
    question = kind.question
    decided = {"question": question, "subject": subject, "profile": profile.profile_id}
    if ended is None:
        summary = f"Not a {question}: {subject} is still open"
        return Decision(**decided, as_of=started, outcome=False, summary=summary)
    day = uk_date(ended)
    rule = in_force(profile.versions(EscalationRule), ended)
    if rule is None:
        if profile.on_missing is OnMissing.STRICT:
            raise no_rule_in_force("escalation", ended, profile, subject)
        summary = (
            f"No decision: no escalation rule is in force on {day} in profile {decided['profile']}"
        )
        return Decision(**decided, as_of=ended, outcome=None, summary=summary)
    counted = kind.reasons(rule)
    fired = reason is not None and reason in counted
    title = question.capitalize()
    if fired:
        summary = f"{title}: {subject} closed to {kind.destination} on {day}"
        why = f"closed as {reason} on {day}, which is a {question} reason"
    elif reason is None:
        no_reason = f"with no {kind.reason.replace('_', ' ')} recorded"
        why = f"closed on {day} {no_reason}"
        summary = f"Not a {question}: {subject} {why}"
    else:
        summary = f"Not a {question}: {subject} closed on {day} as {reason}"
        why = f"closed as {reason} on {day}, which is not a {question} reason"
    step = Step(
        rule_id=rule.rule_id,
        effective=rule.effective,
        citation=rule.citation,
        inputs=(
            Fact(name="episode_id", value=ident),
            Fact(name=kind.day, value=day),
            Fact(name=kind.reason, value=str(reason)),
        ),
        parameters=(
            Fact(name=f"{question.replace('-', '_')}_reasons", value=", ".join(counted) or "-"),
        ),
        fired=fired,
        reason=why,
    )
    return Decision(**decided, as_of=ended, outcome=fired, summary=summary, steps=(step,))


def is_step_up(case: EarlyHelpCase, *, profile: ProfileLike) -> Decision:
    """Whether an early help case was closed because it stepped up to social care.

    The rule version is chosen by the case's closure date. A case is a step-up
    when its closure reason is one of the version's ``step_up`` reasons. An open
    case is never a step-up, and needs no rule in force.

    Args:
        case: the early help case.
        profile: a :class:`Profile`, a shipped profile's name or a profile file.

    Returns:
        A :class:`Decision` whose outcome is ``True`` or ``False`` (``None`` when
        no rule is in force under a lenient profile).

    Raises:
        NoRuleInForceError: the case closed on a day no version is in force,
            under a strict profile.

    Example:
        >>> import datetime as dt
        >>> case = EarlyHelpCase(
        ...     episode_id="C-7", person_id="P-1", team_id="T1U", locality_id="L1",
        ...     opened=dt.date(2014, 6, 2), closed=dt.date(2014, 12, 15),
        ...     closure_reason="escalated_to_social_care",
        ... )
        >>> decision = is_step_up(case, profile="derby-2014-15")
        >>> decision.outcome, decision.fired_rules
        (True, ('ESC-1',))
        >>> print(decision.summary)
        Step-up: case C-7 closed to social care on 15/12/2014
    """
    return _judge(
        _UP,
        resolve_profile(profile),
        ident=case.episode_id,
        subject=f"case {case.episode_id}",
        started=case.opened,
        ended=case.closed,
        reason=None if case.closure_reason is None else case.closure_reason.value,
    )


def is_step_down(episode: SocialCareEpisode, *, profile: ProfileLike) -> Decision:
    """Whether a social-care episode was closed because it stepped down to early help.

    The rule version is chosen by the episode's end date. An episode is a
    step-down when its end reason is one of the version's ``step_down``
    reasons; an ended episode with no end reason recorded is not. An open
    episode is never a step-down, and needs no rule in force.

    Args:
        episode: the child in need, child protection or child in care episode.
        profile: a :class:`Profile`, a shipped profile's name or a profile file.

    Returns:
        A :class:`Decision` whose outcome is ``True`` or ``False`` (``None`` when
        no rule is in force under a lenient profile).

    Raises:
        NoRuleInForceError: the episode ended on a day no version is in force,
            under a strict profile.

    Example:
        >>> import datetime as dt
        >>> episode = SocialCareEpisode(
        ...     episode_id="S-3", person_id="P-1", kind="cin", started=dt.date(2014, 5, 1),
        ...     ended=dt.date(2015, 1, 30), end_reason="stepped_down_to_early_help",
        ... )
        >>> print(is_step_down(episode, profile="derby-2014-15").summary)
        Step-down: social care episode S-3 closed to early help on 30/01/2015
    """
    return _judge(
        _DOWN,
        resolve_profile(profile),
        ident=episode.episode_id,
        subject=f"social care episode {episode.episode_id}",
        started=episode.started,
        ended=episode.ended,
        reason=episode.end_reason,
    )


def _flag(
    frame: pl.DataFrame, profile: Profile, kind: _Kind, record: str, period: Period | str | None
) -> pl.DataFrame:
    versions = profile.versions(EscalationRule)
    ended = pl.col(kind.day)
    if period is not None:
        window = parse_period(period) if isinstance(period, str) else period
        frame = frame.filter(during_expr(kind.day, window))
    if profile.on_missing is OnMissing.STRICT:
        stray = frame.filter(ended.is_not_null() & version_index(versions, ended).is_null())
        if stray.height:
            ident, day = stray.select("episode_id", kind.day).row(0)
            more = stray.height - 1
            raise no_rule_in_force("escalation", day, profile, f"{record} {ident}", more=more)
    kind_of_id = rule_ids(versions)
    flags, ids = pl.lit(None, dtype=pl.Boolean), pl.lit(None, dtype=kind_of_id)
    for rule in reversed(versions):
        counted = (pl.col(kind.reason) == code for code in kind.reasons(rule))
        hit = functools.reduce(operator.or_, counted, pl.lit(False)).fill_null(value=False)
        in_span = covers(rule.effective, ended)
        flags = pl.when(in_span).then(hit).otherwise(flags)
        ids = pl.when(in_span).then(pl.lit(rule.rule_id, dtype=kind_of_id)).otherwise(ids)
    still_open = ended.is_null()
    return frame.select(
        "episode_id",
        pl.when(still_open)
        .then(pl.lit(value=False))
        .otherwise(flags)
        .alias(kind.question.replace("-", "_")),
        pl.when(still_open).then(pl.lit(None, dtype=kind_of_id)).otherwise(ids).alias("rule_id"),
    )


def flag_step_ups(
    cases: pl.DataFrame, *, profile: ProfileLike, period: Period | str | None = None
) -> pl.DataFrame:
    """Flag every early help case that closed as a step-up to social care.

    The bulk twin of :func:`is_step_up`, built from the same rule versions.

    Args:
        cases: a ``cases`` table with at least ``episode_id``, ``closed`` (date)
            and ``closure_reason``.
        profile: a :class:`Profile`, a shipped profile's name or a profile file.
        period: flag only the cases closed in this financial year or quarter
            (e.g. ``"2014-15 Q3"``, both ends inclusive): the denominator of the
            escalation rate. Without it, every case is flagged.

    Returns:
        One row per case flagged, in input order: ``episode_id``, ``step_up`` (``False``
        for open cases; null where no rule is in force under a lenient profile)
        and ``rule_id`` (the version applied, a ``pl.Enum`` of the profile's
        escalation rule ids; null for open cases).

    Raises:
        NoRuleInForceError: a case closed where no version is in force, under a
            strict profile; the message names the first such case.

    Example:
        >>> import datetime as dt
        >>> cases = pl.DataFrame({
        ...     "episode_id": ["C-1", "C-2", "C-3"],
        ...     "closed": [dt.date(2014, 12, 15), dt.date(2015, 1, 5), None],
        ...     "closure_reason": ["escalated_to_social_care", "outcomes_met", None],
        ... })
        >>> flag_step_ups(cases, profile="derby-2014-15").rows()
        [('C-1', True, 'ESC-1'), ('C-2', False, 'ESC-1'), ('C-3', False, None)]
        >>> flag_step_ups(cases, profile="derby-2014-15", period="2014-15 Q3").rows()
        [('C-1', True, 'ESC-1')]
    """
    return _flag(cases, resolve_profile(profile), _UP, "case", period)


def flag_step_downs(
    episodes: pl.DataFrame, *, profile: ProfileLike, period: Period | str | None = None
) -> pl.DataFrame:
    """Flag every social-care episode that ended as a step-down to early help.

    The bulk twin of :func:`is_step_down`, built from the same rule versions.

    Args:
        episodes: a ``social_care_episodes`` table with at least ``episode_id``,
            ``ended`` (date) and ``end_reason``.
        profile: a :class:`Profile`, a shipped profile's name or a profile file.
        period: flag only the episodes that ended in this financial year or
            quarter (both ends inclusive). Without it, every episode is flagged.

    Returns:
        One row per episode flagged, in input order: ``episode_id``, ``step_down``
        (``False`` for open episodes; null where no rule is in force under a
        lenient profile) and ``rule_id`` (as for :func:`flag_step_ups`).

    Raises:
        NoRuleInForceError: an episode ended where no version is in force,
            under a strict profile; the message names the first such episode.

    Example:
        >>> import datetime as dt
        >>> episodes = pl.DataFrame({
        ...     "episode_id": ["S-1", "S-2"],
        ...     "ended": [dt.date(2015, 1, 30), dt.date(2015, 2, 2)],
        ...     "end_reason": ["stepped_down_to_early_help", None],
        ... })
        >>> flag_step_downs(episodes, profile="derby-2014-15").rows()
        [('S-1', True, 'ESC-1'), ('S-2', False, 'ESC-1')]
    """
    return _flag(episodes, resolve_profile(profile), _DOWN, "social care episode", period)
