"""Holding a child in need case in early help (Working Together).

A child in need case may be held in an early help team only once a single
assessment is complete, and (where the rule version says so) by a qualified
social worker. :func:`may_hold_cin_in_early_help` judges one case and explains
itself; :func:`flag_cin_in_early_help` flags every case of a table in bulk.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import Final

import polars as pl

from earlyhelp.model._assessments import SingleAssessment
from earlyhelp.model._casework import EarlyHelpCase
from earlyhelp.periods._dates import uk_date
from earlyhelp.profiles._applying import (
    VERSION_COLUMN,
    ProfileLike,
    no_rule_in_force,
    pick_by_version,
    raise_if_unruled,
    resolve_profile,
    version_index,
    word,
)
from earlyhelp.profiles._dating import OnMissing
from earlyhelp.rules._decision import Decision, Fact, Step
from earlyhelp.rules._threshold_rule import CinInEarlyHelpRule
from earlyhelp.rules._thresholds import CHILD_IN_NEED_LEVEL

__all__ = ["flag_cin_in_early_help", "may_hold_cin_in_early_help"]

_CIN: Final = "child in need in early help"


def _note(assessment: SingleAssessment, day: dt.date) -> str:
    """One of the child's single assessments, in words, against the date judged."""
    by = "by a" if assessment.by_qualified_social_worker else "not by a"
    if assessment.completed is None:
        return f"not completed ({by} qualified social worker)"
    when = "on or before" if assessment.completed <= day else "after"
    return f"completed {uk_date(assessment.completed)}, {when} {uk_date(day)}, {by} QSW"


def _cin_step(rule: CinInEarlyHelpRule, inputs: list[Fact], *, fired: bool, reason: str) -> Step:
    qsw = word(rule.requires_qualified_social_worker)
    return Step(
        rule_id=rule.rule_id,
        effective=rule.effective,
        citation=rule.citation,
        inputs=inputs,
        parameters=(Fact(name="requires_qualified_social_worker", value=qsw),),
        fired=fired,
        reason=reason,
    )


def may_hold_cin_in_early_help(
    case: EarlyHelpCase,
    *,
    single_assessments: Iterable[SingleAssessment],
    profile: ProfileLike,
    as_of: dt.date | None = None,
) -> Decision:
    """Whether a case may be held in early help under the child-in-need rule.

    A child in need case (level 3) may be held in an early help team only if the
    same child has a single assessment completed on or before the date judged
    and, where the version in force on that date requires it, by a qualified
    social worker. A case at any other level is not a child in need case: the
    rule does not apply, the outcome is ``True`` and no version need be in force.

    Args:
        case: the early help case.
        single_assessments: single assessments; those of other children are ignored.
        profile: a :class:`Profile`, a shipped profile's name or a profile file.
        as_of: the date judged; by default the day the case opened, the first
            day it was held in early help.

    Returns:
        A :class:`Decision` whose outcome is ``True`` (allowed) or ``False``;
        ``None`` for a child in need case with no version in force, under a
        lenient profile. The step's ``single_assessment`` input names the
        assessment relied on (the latest completed; on a tie, the least id).

    Raises:
        NoRuleInForceError: a child in need case judged where no version is in
            force, under a strict profile.

    Example:
        >>> case = EarlyHelpCase(
        ...     episode_id="C-9", person_id="P-1", team_id="T1U", locality_id="L1",
        ...     opened=dt.date(2015, 4, 20), level_of_need=3,
        ... )
        >>> done = SingleAssessment(
        ...     assessment_id="SA-4", person_id="P-1", started=dt.date(2015, 3, 30),
        ...     completed=dt.date(2015, 4, 14), by_qualified_social_worker=True,
        ... )
        >>> decision = may_hold_cin_in_early_help(
        ...     case, single_assessments=[done], profile="derby-2014-15")
        >>> decision.outcome, decision.fired_rules
        (True, ('WT-2015-CIN',))
        >>> print(may_hold_cin_in_early_help(
        ...     case, single_assessments=[], profile="derby-2014-15").summary)
        Not allowed: case C-9 is a child in need case (level 3) held in early help, but no single assessment of the child by a qualified social worker was completed on or before 20/04/2015
    """
    prof = resolve_profile(profile)
    day = case.opened if as_of is None else as_of
    subject = f"case {case.episode_id}"
    level = int(case.level_of_need)
    rule: CinInEarlyHelpRule | None = prof.rule("cin_in_early_help", day)
    decide = functools.partial(
        Decision, question=_CIN, subject=subject, as_of=day, profile=prof.profile_id
    )
    inputs = [
        Fact(name="level_of_need", value=str(level)),
        Fact(name="judged_on", value=uk_date(day)),
    ]
    if level != CHILD_IN_NEED_LEVEL:
        why = f"level {level} is not the child in need level ({CHILD_IN_NEED_LEVEL})"
        steps = () if rule is None else (_cin_step(rule, inputs, fired=False, reason=why),)
        summary = f"Allowed: {subject} is not a child in need case (level {level})"
        return decide(outcome=True, summary=f"{summary}, so the rule does not apply", steps=steps)
    if rule is None:
        if prof.on_missing is OnMissing.STRICT:
            raise no_rule_in_force(_CIN, day, prof, subject)
        missing = f"no {_CIN} rule is in force on {uk_date(day)} in profile {prof.profile_id}"
        return decide(outcome=None, summary=f"No decision: {missing}")
    qsw = rule.requires_qualified_social_worker
    by = " by a qualified social worker" if qsw else ""
    own = sorted(
        (a for a in single_assessments if a.person_id == case.person_id),
        key=lambda a: a.assessment_id,
    )
    counts = [
        a
        for a in own
        if a.completed is not None
        and a.completed <= day
        and (a.by_qualified_social_worker or not qsw)
    ]
    best = max(counts, key=lambda a: a.completed or day, default=None)
    inputs += [Fact(name=f"single assessment {a.assessment_id}", value=_note(a, day)) for a in own]
    inputs.append(
        Fact(name="single_assessment", value="none" if best is None else best.assessment_id)
    )
    on = uk_date(day)
    if best is not None and best.completed is not None:
        done = (
            f"single assessment {best.assessment_id}{by} was completed on {uk_date(best.completed)}"
        )
        summary = f"Allowed: {subject} is a child in need case (level {level}) and {done}"
        reason = f"{done}, on or before {on}"
    else:
        reason = f"no single assessment of the child{by} was completed on or before {on}"
        summary = f"Not allowed: {subject} is a child in need case (level {level}) held in early help, but {reason}"
    rule_text = f"a child in need case may be held in early help only once a single assessment{by} is complete"
    step = _cin_step(rule, inputs, fired=True, reason=f"{rule_text}: {reason}")
    return decide(outcome=best is not None, summary=summary, steps=(step,))


def flag_cin_in_early_help(
    cases: pl.DataFrame,
    single_assessments: pl.DataFrame,
    *,
    profile: ProfileLike,
    as_of_column: str = "opened",
) -> pl.DataFrame:
    """Judge every case under the child-in-need rule: the bulk twin of :func:`may_hold_cin_in_early_help`.

    Args:
        cases: a ``cases`` table with at least ``episode_id``, ``person_id``,
            ``level_of_need`` and the ``as_of_column``.
        single_assessments: a ``single_assessments`` table with ``assessment_id``,
            ``person_id``, ``completed`` and ``by_qualified_social_worker``.
        profile: a :class:`Profile`, a shipped profile's name or a profile file.
        as_of_column: the date column each case is judged on.

    Returns:
        One row per case, in input order: ``episode_id``; ``allowed`` (``True``
        for cases at other levels; null for a child in need case with no version
        in force, under a lenient profile); ``rule_id`` (the version in force on
        the date judged, or null); ``assessment_id`` (the assessment relied on).

    Raises:
        NoRuleInForceError: a child in need case is judged where no version is in
            force, under a strict profile.

    Example:
        >>> cases = pl.DataFrame({
        ...     "episode_id": ["C-1", "C-2", "C-3"], "person_id": ["P-1", "P-2", "P-3"],
        ...     "level_of_need": [3, 3, 2], "opened": [dt.date(2015, 4, 20)] * 3,
        ... })
        >>> assessments = pl.DataFrame({
        ...     "assessment_id": ["SA-4"], "person_id": ["P-1"],
        ...     "completed": [dt.date(2015, 4, 14)], "by_qualified_social_worker": [True],
        ... })
        >>> flag_cin_in_early_help(cases, assessments, profile="derby-2014-15").rows()
        [('C-1', True, 'WT-2015-CIN', 'SA-4'), ('C-2', False, 'WT-2015-CIN', None), ('C-3', True, 'WT-2015-CIN', None)]
    """
    prof = resolve_profile(profile)
    versions = prof.versions(CinInEarlyHelpRule)
    day = pl.col(as_of_column)
    is_cin = (pl.col("level_of_need") == CHILD_IN_NEED_LEVEL).fill_null(value=False)
    base = cases.lazy().select(
        pl.col("episode_id"),
        pl.col("person_id"),
        day.alias("as_of"),
        is_cin.alias("__cin"),
        version_index(versions, day).alias(VERSION_COLUMN),
    )
    judged = base.filter("__cin").select(
        pl.col("episode_id").alias("__id"), "as_of", VERSION_COLUMN
    )
    raise_if_unruled(judged, "as_of", prof, _CIN, "case")
    which = pl.col(VERSION_COLUMN)
    requires = pick_by_version(
        {k: pl.lit(v.requires_qualified_social_worker) for k, v in enumerate(versions)},
        pl.Boolean(),
    )
    rule_id = pick_by_version({k: pl.lit(v.rule_id) for k, v in enumerate(versions)}, pl.String())
    done = single_assessments.lazy().filter(pl.col("completed").is_not_null())
    best = (
        base.filter("__cin", which.is_not_null())
        .with_columns(requires.alias("__qsw"))
        .join(
            done.select("person_id", "assessment_id", "completed", "by_qualified_social_worker"),
            on="person_id",
        )
        .filter(
            pl.col("completed") <= pl.col("as_of"),
            pl.col("by_qualified_social_worker") | ~pl.col("__qsw"),
        )
        .group_by("episode_id")
        .agg(
            pl.col("assessment_id")
            .sort_by("completed", "assessment_id", descending=[True, False])
            .first()
        )
    )
    found = pl.col("assessment_id").is_not_null()
    return (
        base.join(best, on="episode_id", how="left", maintain_order="left")
        .select(
            "episode_id",
            pl.when(~pl.col("__cin"))
            .then(pl.lit(value=True))
            .when(which.is_not_null())
            .then(found)
            .alias("allowed"),
            rule_id.alias("rule_id"),
            "assessment_id",
        )
        .collect()
    )
