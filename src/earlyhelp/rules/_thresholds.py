"""Threshold levels of need: classify a referral or case from its recorded indicators.

One declaration, two evaluations. :func:`classify` judges one referral or case
with the decision table of the profile's threshold version in force on its own
date, and explains itself; :func:`flag_levels` classifies a whole table with
the same tables' polars expressions. Where no version is in force a strict
profile raises :class:`NoRuleInForceError`; a lenient one gives an outcome of
``None`` (``null`` in bulk).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from typing import Final

import polars as pl

from earlyhelp.errors import TableError
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
from earlyhelp.rules._table import DecisionTable, HitPolicy
from earlyhelp.rules._threshold_rule import ThresholdRule

__all__ = ["CHILD_IN_NEED_LEVEL", "classify", "flag_levels"]

CHILD_IN_NEED_LEVEL: Final = 3
"""The level of need of a child in need case (complex needs)."""

_THRESHOLD: Final = "threshold level"
_ADDED: Final = ("level", "service", "threshold_rule", "threshold_row")


def _check_table(table: DecisionTable) -> None:
    if table.hit_policy is HitPolicy.COLLECT:
        raise TableError(f"table {table.table_id}", ["a threshold table must pick one row"])


def _because(table: DecisionTable, number: int) -> str:
    """Why row ``number`` fired, in words: its conditions, or why a catch-all row won."""
    when = table.rows[number - 1].when
    tests = [w.describe(i.name) for i in table.inputs if (w := when.get(i.name)) and not w.is_any]
    if tests:
        return " and ".join(tests)
    if table.hit_policy is HitPolicy.PRIORITY:
        return "no row of higher priority matches"
    return (
        "no earlier row matches"
        if table.hit_policy is HitPolicy.FIRST
        else "it applies whatever the inputs"
    )


def classify(
    indicators: Mapping[str, bool | int | str],
    *,
    as_of: dt.date,
    subject: str,
    profile: ProfileLike,
) -> Decision:
    """Classify a referral or case into a level of need from its recorded indicators.

    The threshold version in force on ``as_of`` (the referral's own date) is
    applied: its decision table picks a row and so a level; the profile names the
    local service for that level. Only the table's inputs are read from
    ``indicators``; other keys are ignored and never echoed.

    Args:
        indicators: the recorded indicators by the table's input names.
        as_of: the record's own date (e.g. the referral date).
        subject: the record by kind and id, e.g. ``"referral R-7"``.
        profile: a :class:`Profile`, a shipped profile's name or a profile file.

    Returns:
        A :class:`Decision` whose outcome is the level (an ``int``); ``None``
        when no row matches, or when no version is in force under a lenient profile.

    Raises:
        NoRuleInForceError: no version is in force on ``as_of``, under a strict profile.
        TableError: an input is missing or outside its domain.

    Example:
        >>> decision = classify(
        ...     {"acute_risk": False, "complex_needs": True, "emerging_needs": True},
        ...     as_of=dt.date(2014, 10, 1), subject="referral R-7", profile="derby-2014-15",
        ... )
        >>> decision.outcome
        3
        >>> print(decision.summary)
        Level 3: child in need (complex needs), because complex_needs is true (row 2 of table TH-DSCB-2014)
    """
    prof = resolve_profile(profile)
    rule: ThresholdRule | None = prof.rule("threshold", as_of)
    decide = functools.partial(
        Decision, question=_THRESHOLD, subject=subject, as_of=as_of, profile=prof.profile_id
    )
    if rule is None:
        if prof.on_missing is OnMissing.STRICT:
            raise no_rule_in_force("threshold", as_of, prof, subject)
        missing = f"no threshold rule is in force on {uk_date(as_of)} in profile {prof.profile_id}"
        return decide(outcome=None, summary=f"No level: {missing}")
    table = rule.table
    _check_table(table)
    result = table.evaluate(indicators)
    inputs = tuple(Fact(name=i.name, value=word(indicators[i.name])) for i in table.inputs)
    parameters = [
        Fact(name="table", value=f"{table.table_id} (hit policy {table.hit_policy.value})")
    ]
    number = result.fired_row
    level: int | None = None
    if number is None:
        summary = f"No level: no row of table {table.table_id} matches the recorded indicators"
        reason = f"no row of table {table.table_id} matches"
    else:
        if not isinstance(result.outcome, int) or isinstance(result.outcome, bool):
            problem = f"row {number}: expected a whole-number level of need"
            raise TableError(f"table {table.table_id}", [problem])
        level = result.outcome
        service = dict(rule.services).get(level)
        parameters.append(
            Fact(name=f"service for level {level}", value=service or "(none in the profile)")
        )
        head = f"Level {level}" if service is None else f"Level {level}: {service}"
        summary = (
            f"{head}, because {_because(table, number)} (row {number} of table {table.table_id})"
        )
        reason = table.explain_row(number)
        if len(result.matched_rows) > 1:
            rows = ", ".join(map(str, result.matched_rows))
            reason += f" (rows {rows} match; row {number} is chosen by the hit policy)"
    step = Step(
        rule_id=rule.rule_id,
        effective=rule.effective,
        citation=rule.citation,
        inputs=inputs,
        parameters=tuple(parameters),
        fired=number is not None,
        reason=reason,
    )
    return decide(outcome=level, summary=summary, steps=(step,))


def flag_levels(frame: pl.DataFrame, *, date_column: str, profile: ProfileLike) -> pl.DataFrame:
    """Classify every row of a table, in bulk: the twin of :func:`classify`.

    Each row's threshold version is chosen by its own ``date_column``; the
    version's table is evaluated with its polars expressions over input columns
    named like the table's inputs.

    Args:
        frame: one row per referral or case, with the date column and a column
            per table input (booleans for the shipped profile).
        date_column: the column of the records' own dates.
        profile: a :class:`Profile`, a shipped profile's name or a profile file.

    Returns:
        ``frame`` with four columns added: ``level`` (Int64), ``service``,
        ``threshold_rule`` (the version applied) and ``threshold_row`` (the row
        that fired). ``level`` is null where an input is null or out of its
        domain, or no row matches; all four are null where the date is null or,
        under a lenient profile, no version is in force.

    Raises:
        NoRuleInForceError: a row is dated where no version is in force, under a
            strict profile.
        TableError: a version in force on some row has an input with no column.

    Example:
        >>> frame = pl.DataFrame({
        ...     "referral_date": [dt.date(2014, 10, 1)] * 3,
        ...     "acute_risk": [False, False, True],
        ...     "complex_needs": [False, True, True],
        ...     "emerging_needs": [False, False, False],
        ... })
        >>> out = flag_levels(frame, date_column="referral_date", profile="derby-2014-15")
        >>> out.select("level", "threshold_rule", "threshold_row").rows()
        [(1, 'TH-DSCB-2014', 4), (3, 'TH-DSCB-2014', 2), (4, 'TH-DSCB-2014', 1)]
    """
    prof = resolve_profile(profile)
    versions = prof.versions(ThresholdRule)
    lazy = frame.lazy().with_columns(
        version_index(versions, pl.col(date_column)).alias(VERSION_COLUMN)
    )
    numbered = lazy.select((pl.int_range(pl.len()) + 1).alias("__id"), date_column, VERSION_COLUMN)
    raise_if_unruled(numbered, date_column, prof, "threshold", "row")
    used = lazy.select(pl.col(VERSION_COLUMN).drop_nulls().unique().sort()).collect().to_series()
    tables = {index: versions[index].table for index in used.to_list()}
    for table in tables.values():
        _check_table(table)
        if missing := [i.name for i in table.inputs if i.name not in frame.columns]:
            problems = [f"input {name!r}: no such column" for name in missing]
            raise TableError(f"table {table.table_id}", problems)
    level = pick_by_version({k: t.expr().cast(pl.Int64) for k, t in tables.items()}, pl.Int64())
    row = pick_by_version({k: t.row_expr() for k, t in tables.items()}, pl.Int64())
    rule_id = pick_by_version({k: pl.lit(versions[k].rule_id) for k in tables}, pl.String())
    service = pick_by_version(
        {
            k: pl.col("level").replace_strict(
                dict(versions[k].services), default=None, return_dtype=pl.String
            )
            for k in tables
        },
        pl.String(),
    )
    return (
        lazy.with_columns(level.alias("level"), row.alias("threshold_row"))
        .with_columns(service.alias("service"), rule_id.alias("threshold_rule"))
        .select(pl.exclude(VERSION_COLUMN, *_ADDED), *_ADDED)
        .collect()
    )
