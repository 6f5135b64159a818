"""Escalation: step-up (early help to social care) and step-down (social care to early help).

One definition. The profile's :class:`EscalationRule` versions list the closure
reasons that count: ``step_up`` for early help cases, ``step_down`` for
social-care episodes. The definition is a polars evaluation over a table
(:func:`_evidence`): for each record, the version in force on its closure date,
the outcome and the facts that decided it. Its one :class:`Rendering` words that
evidence. :func:`flag_step_ups` and :func:`flag_step_downs` run it on a whole
table (with ``explain=True``, each row's explanation too); :func:`is_step_up`
and :func:`is_step_down` run it on a one-row table built from the record and
render that row as a :class:`Decision`, so its text is the bulk explanation.

The version in force is chosen by the record's own closure (end) date, never by
the clock. An open case or episode is never a step-up or step-down and needs no
rule in force. A closed one dated where no version is in force raises
:class:`NoRuleInForceError` under a strict profile; under a lenient one its
outcome is ``None`` (``null`` in bulk).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Final

import attrs
import polars as pl

from earlyhelp.errors import LoadError
from earlyhelp.model._casework import EarlyHelpCase
from earlyhelp.model._statutory import SocialCareEpisode
from earlyhelp.periods._periods import Period, during_expr, parse_period
from earlyhelp.profiles._applying import (
    VERSION_COLUMN,
    ProfileLike,
    pick_by_version,
    resolve_profile,
    rule_ids,
)
from earlyhelp.profiles._dating import version_index
from earlyhelp.profiles._profile import Profile
from earlyhelp.rules import text as tx
from earlyhelp.rules._decision import Decision, Fact
from earlyhelp.rules._escalation_rule import EscalationRule
from earlyhelp.rules._evidence import EXPLANATION, Rendering, decisions
from earlyhelp.rules._judging import check_ruled, collect, rendered

__all__ = ["flag_step_downs", "flag_step_ups", "is_step_down", "is_step_up"]


@attrs.frozen
class _Kind:
    """How one of the two questions reads its records and words its answer."""

    question: str  # "step-up"
    record: str  # how a record is named: "case"
    start: str  # the start date field: "opened"
    day: str  # the date field that chooses the version: "closed"
    reason: str  # the reason field: "closure_reason"
    destination: str  # where a record that counts went: "social care"
    reasons: Callable[[EscalationRule], tuple[str, ...]]

    @property
    def column(self) -> str:
        """The outcome column of the bulk flags: ``step_up``."""
        return self.question.replace("-", "_")


_UP: Final = _Kind(
    "step-up", "case", "opened", "closed", "closure_reason", "social care", lambda r: r.step_up
)
_DOWN: Final = _Kind(
    "step-down",
    "social care episode",
    "started",
    "ended",
    "end_reason",
    "early help",
    lambda r: r.step_down,
)


def _evidence(frame: pl.LazyFrame, versions: Sequence[EscalationRule], kind: _Kind) -> pl.LazyFrame:
    """The definition: for each record, the version in force, the outcome and what decided it.

    Adds ``rule_id`` (the version applied, a ``pl.Enum`` of the versions' ids;
    null for an open record and where no version is in force) and the outcome
    column (``step_up`` or ``step_down``: false for an open record; null where no
    version is in force) to ``frame``, which has ``episode_id``, the date field
    (``closed`` or ``ended``) and the reason field.
    """
    ended = pl.col(kind.day)
    reason = pl.col(kind.reason)
    hits = {
        index: functools.reduce(
            operator.or_, (reason == code for code in kind.reasons(rule)), pl.lit(False)
        ).fill_null(value=False)
        for index, rule in enumerate(versions)
    }
    kind_of_id = rule_ids(versions)
    ids = {index: pl.lit(rule.rule_id, dtype=kind_of_id) for index, rule in enumerate(versions)}
    still_open = ended.is_null()
    return (
        frame.with_columns(version_index(versions, ended).alias(VERSION_COLUMN))
        .with_columns(
            pl.when(still_open)
            .then(pl.lit(value=False))
            .otherwise(pick_by_version(hits, pl.Boolean()))
            .alias(kind.column),
            pl.when(still_open)
            .then(pl.lit(None, dtype=kind_of_id))
            .otherwise(pick_by_version(ids, kind_of_id))
            .alias("rule_id"),
        )
        .drop(VERSION_COLUMN)
    )


@functools.lru_cache(maxsize=64)
def _rendering(
    kind: _Kind, versions: tuple[EscalationRule, ...], profile_id: str
) -> Rendering[EscalationRule]:
    """How the evidence of one question reads, under one profile's versions."""
    question = kind.question
    subject = tx.concat_str(tx.lit(f"{kind.record} "), tx.col("episode_id"))
    day = tx.col(kind.day).uk_date()
    reason = tx.col(kind.reason).cast(pl.String)
    counts = tx.col(kind.column)
    no_reason = f"with no {kind.reason.replace('_', ' ')} recorded"
    summary = (
        tx.when(counts)
        .then(
            tx.concat_str(
                tx.lit(f"{question.capitalize()}: "),
                subject,
                tx.lit(f" closed to {kind.destination} on "),
                day,
            )
        )
        .when(reason.is_null())
        .then(
            tx.concat_str(
                tx.lit(f"Not a {question}: "),
                subject,
                tx.lit(" closed on "),
                day,
                tx.lit(f" {no_reason}"),
            )
        )
        .otherwise(
            tx.concat_str(
                tx.lit(f"Not a {question}: "),
                subject,
                tx.lit(" closed on "),
                day,
                tx.lit(" as "),
                reason,
            )
        )
    )
    why = (
        tx.when(reason.is_null())
        .then(tx.concat_str(tx.lit("closed on "), day, tx.lit(f" {no_reason}")))
        .otherwise(
            tx.concat_str(
                tx.lit("closed as "),
                reason,
                tx.lit(" on "),
                day,
                tx.when(counts)
                .then(tx.lit(f", which is a {question} reason"))
                .otherwise(tx.lit(f", which is not a {question} reason")),
            )
        )
    )
    unruled = (
        tx.when(tx.col(kind.day).is_null())
        .then(tx.concat_str(tx.lit(f"Not a {question}: "), subject, tx.lit(" is still open")))
        .otherwise(
            tx.concat_str(
                tx.lit("No decision: no escalation rule is in force on "),
                day,
                tx.lit(f" in profile {profile_id}"),
            )
        )
    )

    def parameters(rule: EscalationRule) -> tuple[Fact, ...]:
        counted = ", ".join(kind.reasons(rule)) or "-"
        return (Fact(name=f"{kind.column}_reasons", value=counted),)

    return Rendering(
        question=question,
        subject=subject,
        as_of=pl.coalesce(pl.col(kind.day), pl.col(kind.start)),
        outcome=pl.col(kind.column),
        summary=summary,
        reason=why,
        unruled=unruled,
        inputs=(("episode_id", tx.col("episode_id")), (kind.day, day), (kind.reason, reason)),
        parameters=parameters,
    )


def _judged(
    frame: pl.DataFrame, profile: Profile, kind: _Kind, *, explained: bool, per_record: bool = False
) -> pl.DataFrame:
    """Run the definition on a table, check it, and with ``explained``, render it.

    Both the bulk flags and the per-record questions come through here; a
    per-record call asks for the rendered parts only, run as :func:`collect` runs one record.
    """
    versions = profile.versions(EscalationRule)
    evidence = _evidence(frame.lazy(), versions, kind)
    if explained:
        rendering = _rendering(kind, versions, profile.profile_id)
        evidence = rendered(
            evidence, rendering, versions, profile.profile_id, per_record=per_record
        )
    judged = collect(evidence, per_record=per_record)
    check_ruled(
        judged,
        day=kind.day,
        ident="episode_id",
        profile=profile,
        family="escalation",
        record=kind.record,
    )
    return judged


def _decide(kind: _Kind, profile: ProfileLike, row: Mapping[str, object]) -> Decision:
    """Judge one record: the definition run on a one-row table, rendered as a Decision."""
    prof = resolve_profile(profile)
    schema = {
        "episode_id": pl.String,
        kind.start: pl.Date,
        kind.day: pl.Date,
        kind.reason: pl.String,
    }
    frame = pl.DataFrame([row], schema=schema, orient="row")
    explained = _judged(frame, prof, kind, explained=True, per_record=True)
    versions = prof.versions(EscalationRule)
    rendering = _rendering(kind, versions, prof.profile_id)
    (decision,) = decisions(explained, rendering, versions, prof.profile_id)
    return decision


def is_step_up(case: EarlyHelpCase, *, profile: ProfileLike) -> Decision:
    """Whether an early help case was closed because it stepped up to social care.

    The rule version is chosen by the case's closure date. A case is a step-up
    when its closure reason is one of the version's ``step_up`` reasons. An open
    case is never a step-up, and needs no rule in force. The decision is
    :func:`flag_step_ups` run on the one case: ``str(decision)`` is its
    ``explanation``.

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
    row = {
        "episode_id": case.episode_id,
        "opened": case.opened,
        "closed": case.closed,
        "closure_reason": None if case.closure_reason is None else case.closure_reason.value,
    }
    return _decide(_UP, profile, row)


def is_step_down(episode: SocialCareEpisode, *, profile: ProfileLike) -> Decision:
    """Whether a social-care episode was closed because it stepped down to early help.

    The rule version is chosen by the episode's end date. An episode is a
    step-down when its end reason is one of the version's ``step_down``
    reasons; an ended episode with no end reason recorded is not. An open
    episode is never a step-down, and needs no rule in force. The decision is
    :func:`flag_step_downs` run on the one episode.

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
    row = {
        "episode_id": episode.episode_id,
        "started": episode.started,
        "ended": episode.ended,
        "end_reason": episode.end_reason,
    }
    return _decide(_DOWN, profile, row)


def _flag(
    frame: pl.DataFrame,
    profile: ProfileLike,
    kind: _Kind,
    period: Period | str | None,
    *,
    explained: bool,
) -> pl.DataFrame:
    prof = resolve_profile(profile)
    if period is not None:
        window = parse_period(period) if isinstance(period, str) else period
        frame = frame.filter(during_expr(kind.day, window))
    columns = ["episode_id", kind.day, kind.reason]
    if explained:
        columns.insert(1, kind.start)
    if missing := [name for name in columns if name not in frame.columns]:
        needed = ", ".join(repr(name) for name in missing)
        msg = f"flagging {kind.question}s needs the column(s) {needed}"
        raise LoadError(msg)
    judged = _judged(frame.select(columns), prof, kind, explained=explained)
    return judged.select(
        "episode_id", kind.column, "rule_id", *([EXPLANATION] if explained else [])
    )


def flag_step_ups(
    cases: pl.DataFrame,
    *,
    profile: ProfileLike,
    period: Period | str | None = None,
    explain: bool = False,
) -> pl.DataFrame:
    """Flag every early help case that closed as a step-up to social care.

    The one definition of step-ups, over a whole table; :func:`is_step_up` runs
    it on one case.

    Args:
        cases: a ``cases`` table with at least ``episode_id``, ``closed`` (date)
            and ``closure_reason`` (and ``opened``, to explain).
        profile: a :class:`Profile`, a shipped profile's name or a profile file.
        period: flag only the cases closed in this financial year or quarter
            (e.g. ``"2014-15 Q3"``, both ends inclusive): the denominator of the
            escalation rate. Without it, every case is flagged.
        explain: add an ``explanation`` column: each case's decision in words,
            exactly as ``str(is_step_up(case, ...))`` prints it.

    Returns:
        One row per case flagged, in input order: ``episode_id``, ``step_up`` (``False``
        for open cases; null where no rule is in force under a lenient profile)
        and ``rule_id`` (the version applied, a ``pl.Enum`` of the profile's
        escalation rule ids; null for open cases).

    Raises:
        NoRuleInForceError: a case closed where no version is in force, under a
            strict profile; the message names the first such case.
        LoadError: ``cases`` lacks a column the flags need.

    Example:
        >>> import datetime as dt
        >>> cases = pl.DataFrame({
        ...     "episode_id": ["C-1", "C-2", "C-3"],
        ...     "opened": [dt.date(2014, 6, 2)] * 3,
        ...     "closed": [dt.date(2014, 12, 15), dt.date(2015, 1, 5), None],
        ...     "closure_reason": ["escalated_to_social_care", "outcomes_met", None],
        ... })
        >>> flag_step_ups(cases, profile="derby-2014-15").rows()
        [('C-1', True, 'ESC-1'), ('C-2', False, 'ESC-1'), ('C-3', False, None)]
        >>> flag_step_ups(cases, profile="derby-2014-15", period="2014-15 Q3").rows()
        [('C-1', True, 'ESC-1')]
        >>> explained = flag_step_ups(cases, profile="derby-2014-15", explain=True)
        >>> print(explained["explanation"][1])
        Not a step-up: case C-2 closed on 05/01/2015 as outcomes_met
        Decided on 05/01/2015 under profile derby-2014-15:
        - rule ESC-1 does not apply: closed as outcomes_met on 05/01/2015, which is not a step-up reason
          read: episode_id = C-2; closed = 05/01/2015; closure_reason = outcomes_met
          using: step_up_reasons = escalated_to_social_care (in force from 01/04/2013)
          source: Derby early help performance framework 2014-15, Escalated to social care / cases closed by early help
        >>> print(explained["explanation"][2])
        Not a step-up: case C-3 is still open
        Decided on 02/06/2014 under profile derby-2014-15:
    """
    return _flag(cases, profile, _UP, period, explained=explain)


def flag_step_downs(
    episodes: pl.DataFrame,
    *,
    profile: ProfileLike,
    period: Period | str | None = None,
    explain: bool = False,
) -> pl.DataFrame:
    """Flag every social-care episode that ended as a step-down to early help.

    The one definition of step-downs, over a whole table; :func:`is_step_down`
    runs it on one episode.

    Args:
        episodes: a ``social_care_episodes`` table with at least ``episode_id``,
            ``ended`` (date) and ``end_reason`` (and ``started``, to explain).
        profile: a :class:`Profile`, a shipped profile's name or a profile file.
        period: flag only the episodes that ended in this financial year or
            quarter (both ends inclusive). Without it, every episode is flagged.
        explain: add an ``explanation`` column, as ``str(is_step_down(...))``
            prints it.

    Returns:
        One row per episode flagged, in input order: ``episode_id``, ``step_down``
        (``False`` for open episodes; null where no rule is in force under a
        lenient profile) and ``rule_id`` (as for :func:`flag_step_ups`).

    Raises:
        NoRuleInForceError: an episode ended where no version is in force,
            under a strict profile; the message names the first such episode.
        LoadError: ``episodes`` lacks a column the flags need.

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
    return _flag(episodes, profile, _DOWN, period, explained=explain)
