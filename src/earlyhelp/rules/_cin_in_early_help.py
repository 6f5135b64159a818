"""Holding a child in need case in early help (Working Together).

A child in need case may be held in an early help team only once a single
assessment is complete, and (where the rule version says so) by a qualified
social worker. The rule is defined once, as the bulk evaluation behind
:func:`flag_cin_allowed_in_early_help`; its evidence reads in words through one
:class:`~earlyhelp.rules.Rendering`. :func:`is_cin_allowed_in_early_help` runs
the same evaluation on one case and its child's single assessments, so its
``str()`` is the bulk explanation for that case, word for word.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Final

import polars as pl

from earlyhelp.model._assessments import SingleAssessment
from earlyhelp.model._casework import EarlyHelpCase
from earlyhelp.periods._periods import Period, during_expr, parse_period
from earlyhelp.profiles._applying import (
    VERSION_COLUMN,
    ProfileLike,
    pick_by_version,
    raise_if_unruled,
    resolve_profile,
    version_index,
    word,
)
from earlyhelp.profiles._profile import Profile
from earlyhelp.rules import text as tx
from earlyhelp.rules._decision import Decision, Fact
from earlyhelp.rules._evidence import EXPLANATION, Rendering, decide, rows_where
from earlyhelp.rules._evidence import explain as explain_evidence
from earlyhelp.rules._threshold_rule import CinInEarlyHelpRule
from earlyhelp.rules._thresholds import CHILD_IN_NEED_LEVEL

__all__ = ["RENDERING", "flag_cin_allowed_in_early_help", "is_cin_allowed_in_early_help"]

_CIN: Final = "child in need in early help"
_ASSESSMENTS: Final = {
    "assessment_id": pl.String(),
    "person_id": pl.String(),
    "completed": pl.Date(),
    "by_qualified_social_worker": pl.Boolean(),
}
_CASES: Final = {
    "episode_id": pl.String(),
    "person_id": pl.String(),
    "level_of_need": pl.Int64(),
    "as_of": pl.Date(),
}


def _uk(column: str) -> pl.Expr:
    return tx.col(column).uk_date().expr()


def _note() -> pl.Expr:
    """One of the child's single assessments, in words, against the date judged."""
    qsw = pl.col("by_qualified_social_worker")
    by = pl.when(qsw).then(pl.lit("by a")).otherwise(pl.lit("not by a"))
    when = (
        pl.when(pl.col("completed") <= pl.col("as_of"))
        .then(pl.lit("on or before "))
        .otherwise(pl.lit("after "))
    )
    note = (
        pl.when(pl.col("completed").is_null())
        .then(pl.concat_str(pl.lit("not completed ("), by, pl.lit(" qualified social worker)")))
        .otherwise(
            pl.concat_str(
                pl.lit("completed "),
                _uk("completed"),
                pl.lit(", "),
                when,
                _uk("as_of"),
                pl.lit(", "),
                by,
                pl.lit(" QSW"),
            )
        )
    )
    return pl.concat_str(pl.col("assessment_id"), pl.lit(": "), note)


_BY_VERSION: dict[int, tuple[tuple[CinInEarlyHelpRule, ...], tuple[pl.Expr, ...]]] = {}


def _by_version(versions: tuple[CinInEarlyHelpRule, ...]) -> tuple[pl.Expr, ...]:
    """The version index, ``rule_id`` and ``requires_qualified_social_worker`` expressions.

    Built once per profile's versions (held, so the id keying the cache stays theirs).
    """
    found = _BY_VERSION.get(id(versions))
    if found is not None and found[0] is versions:
        return found[1]
    exprs = (
        version_index(versions, pl.col("as_of")).alias(VERSION_COLUMN),
        pick_by_version({k: pl.lit(v.rule_id) for k, v in enumerate(versions)}, pl.String()).alias(
            "rule_id"
        ),
        pick_by_version(
            {k: pl.lit(v.requires_qualified_social_worker) for k, v in enumerate(versions)},
            pl.Boolean(),
        ).alias("requires_qualified_social_worker"),
    )
    if len(_BY_VERSION) >= 64:
        _BY_VERSION.clear()
    _BY_VERSION[id(versions)] = (versions, exprs)
    return exprs


_IS_CIN: Final = (pl.col("level_of_need") == CHILD_IN_NEED_LEVEL).fill_null(value=False)
_JUDGED: Final = (pl.col("is_cin"), pl.col("rule_id").is_not_null())
_RELIED_ON: Final = (
    pl.col("completed") <= pl.col("as_of"),
    pl.col("by_qualified_social_worker") | ~pl.col("requires_qualified_social_worker"),
)
_LATEST: Final = (
    pl.col("assessment_id", "completed")
    .sort_by("completed", "assessment_id", descending=[True, False])
    .first()
)
_READ: Final = _note().sort_by("assessment_id").str.join("; ").alias("assessments_read")
_NO_NOTES: Final = pl.lit(None, dtype=pl.String).alias("assessments_read")
_ALLOWED: Final = (
    pl.when(~pl.col("is_cin"))
    .then(pl.lit(value=True))
    .when(pl.col("rule_id").is_not_null())
    .then(pl.col("assessment_id").is_not_null())
    .alias("allowed")
)
"""The definition's expressions, built once (a per-record call would otherwise rebuild them)."""


def _evidence(
    cases: pl.LazyFrame, assessments: pl.LazyFrame, profile: Profile, *, notes: bool
) -> pl.LazyFrame:
    """The one definition: each case's level, the version in force and the assessment relied on.

    ``cases`` has ``episode_id``, ``person_id``, ``level_of_need`` and ``as_of``
    (the date judged); ``assessments`` the columns of :data:`_ASSESSMENTS`.
    With ``notes``, ``assessments_read`` lists the child's assessments in words.
    """
    versions = profile.versions(CinInEarlyHelpRule)
    which, rule_id, requires = _by_version(versions)
    base = cases.with_columns(_IS_CIN.alias("is_cin"), which)
    raise_if_unruled(
        base.filter("is_cin").with_columns(pl.col("episode_id").alias("__id")),
        "as_of",
        profile,
        _CIN,
        "case",
    )
    ruled = base.with_columns(rule_id, requires).drop(VERSION_COLUMN)
    judged = ruled.filter(*_JUDGED)
    pairs = judged.select(
        "episode_id", "person_id", "as_of", "requires_qualified_social_worker"
    ).join(assessments, on="person_id")
    best = pairs.filter(*_RELIED_ON).group_by("episode_id").agg(_LATEST)
    out = ruled.join(best, on="episode_id", how="left", maintain_order="left")
    if notes:  # what the explanation reads: every assessment of the child, in words
        read = pairs.group_by("episode_id").agg(_READ)
        out = out.join(read, on="episode_id", how="left", maintain_order="left")
    else:
        out = out.with_columns(_NO_NOTES)
    return out.with_columns(_ALLOWED)


def _rendering() -> Rendering[CinInEarlyHelpRule]:
    subject = tx.concat_str(tx.lit("case "), tx.col("episode_id"))
    level = tx.col("level_of_need").cast(pl.String)
    on = tx.col("as_of").uk_date()
    cin = tx.col("is_cin")
    by = (
        tx.when(tx.col("requires_qualified_social_worker"))
        .then(tx.lit(" by a qualified social worker"))
        .otherwise(tx.lit(""))
    )
    found = tx.col("assessment_id").is_not_null()
    done = tx.concat_str(
        tx.lit("single assessment "),
        tx.col("assessment_id"),
        by,
        tx.lit(" was completed on "),
        tx.col("completed").uk_date(),
    )
    none_done = tx.concat_str(
        tx.lit("no single assessment of the child"),
        by,
        tx.lit(" was completed on or before "),
        on,
    )
    other_level = tx.concat_str(
        tx.lit("Allowed: "),
        subject,
        tx.lit(" is not a child in need case (level "),
        level,
        tx.lit("), so the rule does not apply"),
    )
    is_a_cin_case = tx.concat_str(
        subject, tx.lit(f" is a child in need case (level {CHILD_IN_NEED_LEVEL})")
    )
    rule_text = tx.concat_str(
        tx.lit("a child in need case may be held in early help only once a single assessment"),
        by,
        tx.lit(" is complete: "),
    )
    return Rendering(
        question=_CIN,
        subject=subject,
        as_of=pl.col("as_of"),
        outcome=pl.col("allowed"),
        fired=pl.col("is_cin"),
        summary=tx.when(~cin)
        .then(other_level)
        .when(found)
        .then(tx.concat_str(tx.lit("Allowed: "), is_a_cin_case, tx.lit(" and "), done))
        .otherwise(
            tx.concat_str(
                tx.lit("Not allowed: "),
                is_a_cin_case,
                tx.lit(" held in early help, but "),
                none_done,
            )
        ),
        reason=tx.when(~cin)
        .then(
            tx.concat_str(
                tx.lit("level "),
                level,
                tx.lit(f" is not the child in need level ({CHILD_IN_NEED_LEVEL})"),
            )
        )
        .when(found)
        .then(tx.concat_str(rule_text, done, tx.lit(", on or before "), on))
        .otherwise(tx.concat_str(rule_text, none_done)),
        unruled=tx.when(cin)
        .then(tx.concat_str(tx.lit(f"No decision: no {_CIN} rule is in force on "), on))
        .otherwise(other_level),
        inputs=(
            ("level_of_need", level),
            ("judged_on", on),
            ("single_assessments", tx.when(cin).then(tx.col("assessments_read").fill_null("none"))),
            ("single_assessment", tx.when(cin).then(tx.col("assessment_id").fill_null("none"))),
        ),
        parameters=lambda version: (
            Fact(
                name="requires_qualified_social_worker",
                value=word(version.requires_qualified_social_worker),
            ),
        ),
    )


RENDERING: Final = _rendering()
"""How the child-in-need-in-early-help evidence reads in words, bulk and per record."""


def _assessment_frame(assessments: pl.DataFrame) -> pl.LazyFrame:
    return assessments.lazy().select(
        pl.col(name).cast(dtype) for name, dtype in _ASSESSMENTS.items()
    )


def flag_cin_allowed_in_early_help(
    cases: pl.DataFrame,
    single_assessments: pl.DataFrame,
    *,
    profile: ProfileLike,
    period: Period | str | None = None,
    as_of_column: str = "opened",
    explain: bool = False,
) -> pl.DataFrame:
    """Judge every case under the child-in-need rule, in bulk: the rule's one definition.

    A child in need case (level 3) may be held in an early help team only if the
    same child has a single assessment completed on or before the date judged
    and, where the version in force on that date requires it, by a qualified
    social worker. The assessment relied on is the latest completed; on a tie,
    the smallest id (ids compare as text). A case at any other level is not a
    child in need case: it is allowed and no version need be in force.

    Args:
        cases: a ``cases`` table with at least ``episode_id``, ``person_id``,
            ``level_of_need`` and the ``as_of_column``.
        single_assessments: a ``single_assessments`` table with ``assessment_id``,
            ``person_id``, ``completed`` and ``by_qualified_social_worker``.
        profile: a :class:`~earlyhelp.Profile`, a shipped profile's name or a profile file.
        period: only the cases judged on a day of this financial year or
            quarter (both ends inclusive); ``None`` for every case.
        as_of_column: the date column each case is judged on.
        explain: add the ``explanation`` column: each case's decision in words,
            exactly as ``str(is_cin_allowed_in_early_help(...))`` prints it.

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
        >>> flags = flag_cin_allowed_in_early_help(
        ...     cases, assessments, profile="derby-2014-15", explain=True)
        >>> flags.drop("explanation").rows()
        [('C-1', True, 'WT-2015-CIN', 'SA-4'), ('C-2', False, 'WT-2015-CIN', None), ('C-3', True, 'WT-2015-CIN', None)]
        >>> print(flags["explanation"][1].splitlines()[0])
        Not allowed: case C-2 is a child in need case (level 3) held in early help, but no single assessment of the child by a qualified social worker was completed on or before 20/04/2015
    """
    prof = resolve_profile(profile)
    frame = cases.lazy()
    if period is not None:
        frame = frame.filter(
            during_expr(as_of_column, parse_period(period) if isinstance(period, str) else period)
        )
    judged = frame.select(
        pl.col("episode_id").cast(pl.String),
        pl.col("person_id").cast(pl.String),
        pl.col("level_of_need").cast(pl.Int64),
        pl.col(as_of_column).alias("as_of"),
    )
    evidence = _evidence(judged, _assessment_frame(single_assessments), prof, notes=explain)
    columns = ["episode_id", "allowed", "rule_id", "assessment_id"]
    if explain:
        versions = prof.versions(CinInEarlyHelpRule)
        evidence = explain_evidence(evidence, RENDERING, versions, prof.profile_id)
        columns.append(EXPLANATION)
    return evidence.select(columns).collect()


def is_cin_allowed_in_early_help(
    case: EarlyHelpCase,
    *,
    single_assessments: Iterable[SingleAssessment] | pl.DataFrame,
    profile: ProfileLike,
    as_of: dt.date | None = None,
) -> Decision:
    """Whether a case may be held in early help under the child-in-need rule.

    Runs the definition behind :func:`flag_cin_allowed_in_early_help` on the
    one case and its child's single assessments.

    Args:
        case: the early help case.
        single_assessments: single assessments, as records or as a
            ``single_assessments`` table; those of other children are ignored.
            To judge many cases one by one, pass the table: it is sorted by
            child the first time (and kept while it lives; do not change it in
            place meanwhile), so each call reads only its child's rows instead
            of scanning every record.
        profile: a :class:`~earlyhelp.Profile`, a shipped profile's name or a profile file.
        as_of: the date judged; by default the day the case opened, the first
            day it was held in early help.

    Returns:
        A :class:`Decision` whose outcome is ``True`` (allowed) or ``False``;
        ``None`` for a child in need case with no version in force, under a
        lenient profile. The step's ``single_assessment`` input names the
        assessment relied on (the latest completed; on a tie, the smallest id).

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
        >>> decision = is_cin_allowed_in_early_help(
        ...     case, single_assessments=[done], profile="derby-2014-15")
        >>> decision.outcome, decision.fired_rules
        (True, ('WT-2015-CIN',))
        >>> print(decision)
        Allowed: case C-9 is a child in need case (level 3) and single assessment SA-4 by a qualified social worker was completed on 14/04/2015
        Decided on 20/04/2015 under profile derby-2014-15:
        - rule WT-2015-CIN applies: a child in need case may be held in early help only once a single assessment by a qualified social worker is complete: single assessment SA-4 by a qualified social worker was completed on 14/04/2015, on or before 20/04/2015
          read: level_of_need = 3; judged_on = 20/04/2015; single_assessments = SA-4: completed 14/04/2015, on or before 20/04/2015, by a QSW; single_assessment = SA-4
          using: requires_qualified_social_worker = true (in force from 26/03/2015)
          source: Working Together to Safeguard Children 2015, chapter 1: assessments under the Children Act 1989

        Judging many cases one by one, pass the ``single_assessments`` table:

        >>> table = pl.DataFrame({
        ...     "assessment_id": ["SA-4", "SA-5"], "person_id": ["P-1", "P-2"],
        ...     "completed": [dt.date(2015, 4, 14), None], "by_qualified_social_worker": [True, True],
        ... })
        >>> is_cin_allowed_in_early_help(
        ...     case, single_assessments=table, profile="derby-2014-15") == decision
        True
    """
    prof = resolve_profile(profile)
    day = case.opened if as_of is None else as_of
    judged = pl.LazyFrame(
        [
            (
                case.episode_id,
                case.person_id,
                None if case.level_of_need is None else int(case.level_of_need),
                day,
            )
        ],
        schema=_CASES,
        orient="row",
    )
    if isinstance(single_assessments, pl.DataFrame):
        own_rows = rows_where(single_assessments, "person_id", case.person_id)
        assessments = _assessment_frame(own_rows)
    else:
        own = [
            (a.assessment_id, a.person_id, a.completed, a.by_qualified_social_worker)
            for a in single_assessments
            if a.person_id == case.person_id
        ]
        assessments = pl.LazyFrame(own, schema=_ASSESSMENTS, orient="row")
    evidence = _evidence(judged, assessments, prof, notes=True)
    versions = prof.versions(CinInEarlyHelpRule)
    return decide(evidence, RENDERING, versions, prof.profile_id)[0]
