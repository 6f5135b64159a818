"""Threshold levels of need: classify a referral or case from its recorded indicators.

One declaration, one definition. The profile's threshold version in force on a
record's own date holds a decision table; :func:`flag_levels` classifies a whole
table with the polars expressions generated from that table's condition tree,
and that bulk evaluation is the rule's definition. Its evidence (the version,
the row that fired, every row that matched, the values read) reads in words
through one :class:`~earlyhelp.rules.Rendering`; :func:`classify` runs the same
evaluation on a one-row frame and renders its row, so ``str(classify(...))`` is
the bulk explanation word for word. Where no version is in force a strict
profile raises :class:`NoRuleInForceError`; a lenient one gives an outcome of
``None`` (``null`` in bulk).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Final

import attrs
import polars as pl

from earlyhelp.errors import InternalError, TableError
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
from earlyhelp.profiles._profile import Profile
from earlyhelp.rules import text as tx
from earlyhelp.rules._conditions import is_int
from earlyhelp.rules._decision import Decision, Fact
from earlyhelp.rules._evidence import EXPLANATION, Rendering, decide
from earlyhelp.rules._evidence import explain as explain_evidence
from earlyhelp.rules._table import DecisionTable, HitPolicy
from earlyhelp.rules._threshold_rule import ThresholdRule

__all__ = ["CHILD_IN_NEED_LEVEL", "classify", "flag_levels"]

CHILD_IN_NEED_LEVEL: Final = 3
"""The level of need of a child in need case (complex needs)."""

_THRESHOLD: Final = "threshold level"
_ADDED: Final = ("level", "service", "threshold_rule", "threshold_row")
_P: Final = "__th_"  # prefix of the evidence columns only explanations need


def _check_table(table: DecisionTable) -> None:
    problems = (
        [] if table.hit_policy is not HitPolicy.COLLECT else ["a threshold table must pick one row"]
    )
    problems += [
        f"row {row.number}: expected a whole-number level of need"
        for row in table.rows
        if not is_int(row.then)
    ]
    if problems:
        raise TableError(f"table {table.table_id}", problems)


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


def _row_text(
    tables: Mapping[int, DecisionTable], text: Callable[[DecisionTable, int], str]
) -> pl.Expr:
    """Per version, a text for the row that fired (``text(table, number)``)."""
    row = pl.col("threshold_row")
    return pick_by_version(
        {
            k: row.replace_strict(
                {r.number: text(t, r.number) for r in t.rows},
                default=None,
                return_dtype=pl.String,
            )
            for k, t in tables.items()
        },
        pl.String(),
    )


def _input_names(versions: Sequence[ThresholdRule]) -> list[str]:
    """Every input any version reads, in order of first appearance."""
    return list(dict.fromkeys(i.name for v in versions for i in v.table.inputs))


@attrs.frozen
class _Plan:
    """A profile's threshold expressions for some versions, built once and reused."""

    versions: tuple[ThresholdRule, ...]  # held so the cache key (its id) stays theirs
    version: pl.Expr
    define: tuple[pl.Expr, ...]
    then: tuple[pl.Expr, ...]
    evidence: tuple[pl.Expr, ...]
    rendering: Rendering[ThresholdRule] | None


_PLANS: dict[tuple[int, tuple[int, ...], str, bool], _Plan] = {}
_MAX_PLANS: Final = 64


def _plan(
    versions: tuple[ThresholdRule, ...], used: tuple[int, ...], date_column: str, explain: bool
) -> _Plan:
    """The expressions of the definition for ``versions[k]`` for each ``k`` in ``used``."""
    key = (id(versions), used, date_column, explain)
    found = _PLANS.get(key)
    if found is not None and found.versions is versions:
        return found
    tables = {index: versions[index].table for index in used}
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
    evidence: list[pl.Expr] = []
    if explain:
        for name in _input_names(versions):
            reads = {
                k: pl.col(name).cast(pl.String)
                for k, t in tables.items()
                if name in {i.name for i in t.inputs}
            }
            value = pick_by_version(reads, pl.String()) if reads else pl.lit(None, pl.String)
            evidence.append(value.alias(f"{_P}in_{name}"))
        evidence += [
            pick_by_version({k: t.matched_expr() for k, t in tables.items()}, pl.String()).alias(
                f"{_P}matched"
            ),
            pick_by_version({k: t.valid_expr() for k, t in tables.items()}, pl.Boolean()).alias(
                f"{_P}valid"
            ),
            pick_by_version({k: pl.lit(t.table_id) for k, t in tables.items()}, pl.String()).alias(
                f"{_P}table"
            ),
            _row_text(tables, _because).alias(f"{_P}because"),
            _row_text(tables, DecisionTable.explain_row).alias(f"{_P}row_text"),
            pl.col(date_column).alias(f"{_P}as_of"),
            pl.col("threshold_rule").alias("rule_id"),
        ]
    plan = _Plan(
        versions=versions,
        version=version_index(versions, pl.col(date_column)).alias(VERSION_COLUMN),
        define=(level.alias("level"), row.alias("threshold_row")),
        then=(service.alias("service"), rule_id.alias("threshold_rule")),
        evidence=tuple(evidence),
        rendering=_rendering(versions) if explain else None,
    )
    if len(_PLANS) >= _MAX_PLANS:
        _PLANS.clear()
    _PLANS[key] = plan
    return plan


def _evidence(
    frame: pl.LazyFrame,
    columns: Sequence[str],
    date_column: str,
    profile: Profile,
    *,
    explain: bool,
    used: tuple[int, ...] | None = None,
) -> tuple[pl.LazyFrame, _Plan]:
    """The one definition: each row's version, level, row fired and service.

    With ``explain``, also what the rendering reads: every row matched, each
    input's value as read, the fired row in words and the table's id. ``used``
    are the indices of the versions in force on some row, when the caller knows
    them (one record); otherwise they are found, and a strict profile raises for
    a row with none in force.
    """
    versions = profile.versions(ThresholdRule)
    if used is None:
        lazy = frame.with_columns(
            version_index(versions, pl.col(date_column)).alias(VERSION_COLUMN)
        )
        numbered = lazy.select(
            (pl.int_range(pl.len()) + 1).alias("__id"), date_column, VERSION_COLUMN
        )
        raise_if_unruled(numbered, date_column, profile, "threshold", "row")
        found = lazy.select(pl.col(VERSION_COLUMN).drop_nulls().unique().sort()).collect()
        used = tuple(found.to_series().to_list())
    for index in used:
        table = versions[index].table
        _check_table(table)
        if missing := [i.name for i in table.inputs if i.name not in columns]:
            problems = [f"input {name!r}: no such column" for name in missing]
            raise TableError(f"table {table.table_id}", problems)
    plan = _plan(versions, used, date_column, explain)
    out = frame.with_columns(plan.version).with_columns(*plan.define).with_columns(*plan.then)
    if explain:
        out = out.with_columns(*plan.evidence)
    return out, plan


def _rendering(versions: Sequence[ThresholdRule]) -> Rendering[ThresholdRule]:
    """The rendering for a profile's threshold versions (their inputs are read by name)."""
    level = tx.col("level")
    row = tx.col("threshold_row").cast(pl.String)
    table = tx.col(f"{_P}table")
    matched = tx.col(f"{_P}matched")
    service = tx.col("service")
    head = tx.concat_str(
        tx.lit("Level "),
        level.cast(pl.String),
        tx.when(service.is_not_null())
        .then(tx.concat_str(tx.lit(": "), service))
        .otherwise(tx.lit("")),
    )
    fired = tx.concat_str(
        head,
        tx.lit(", because "),
        tx.col(f"{_P}because"),
        tx.lit(" (row "),
        row,
        tx.lit(" of table "),
        table,
        tx.lit(")"),
    )
    several = tx.concat_str(
        tx.lit(" (rows "),
        matched,
        tx.lit(" match; row "),
        row,
        tx.lit(" is chosen by the hit policy)"),
    )
    return Rendering(
        question=_THRESHOLD,
        subject=tx.col(f"{_P}subject"),
        as_of=pl.col(f"{_P}as_of"),
        outcome=pl.col("level"),
        fired=pl.col("threshold_row").is_not_null(),
        summary=tx.when(tx.col("threshold_row").is_not_null())
        .then(fired)
        .when(tx.col(f"{_P}valid"))
        .then(
            tx.concat_str(
                tx.lit("No level: no row of table "),
                table,
                tx.lit(" matches the recorded indicators"),
            )
        )
        .otherwise(
            tx.concat_str(
                tx.lit("No level: a recorded indicator of table "),
                table,
                tx.lit(" is missing or outside its domain"),
            )
        ),
        reason=tx.when(tx.col("threshold_row").is_not_null())
        .then(
            tx.concat_str(
                tx.col(f"{_P}row_text"),
                tx.when(matched.contains(",")).then(several).otherwise(tx.lit("")),
            )
        )
        .when(tx.col(f"{_P}valid"))
        .then(tx.concat_str(tx.lit("no row of table "), table, tx.lit(" matches")))
        .otherwise(
            tx.concat_str(
                tx.lit("a recorded indicator of table "),
                table,
                tx.lit(" is missing or outside its domain"),
            )
        ),
        unruled=tx.concat_str(
            tx.lit("No level: no threshold rule is in force on "),
            tx.col(f"{_P}as_of").uk_date(),
        ),
        inputs=tuple((name, tx.col(f"{_P}in_{name}")) for name in _input_names(versions)),
        parameters=_parameters,
    )


def _parameters(version: ThresholdRule) -> tuple[Fact, ...]:
    table = version.table
    return (
        Fact(name="table", value=f"{table.table_id} (hit policy {table.hit_policy.value})"),
        *(Fact(name=f"service for level {level}", value=text) for level, text in version.services),
    )


def _period_filter(frame: pl.LazyFrame, column: str, period: Period | str | None) -> pl.LazyFrame:
    if period is None:
        return frame
    return frame.filter(
        during_expr(column, parse_period(period) if isinstance(period, str) else period)
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
        >>> frame = pl.DataFrame({"referral_id": ["R-7"], "referral_date": [dt.date(2014, 10, 1)],
        ...     "acute_risk": [False], "complex_needs": [True], "emerging_needs": [True]})
        >>> bulk = flag_levels(frame, date_column="referral_date", profile="derby-2014-15",
        ...     id_column="referral_id", kind="referral", explain=True)
        >>> bulk["explanation"][0] == str(decision)
        True
    """
    prof = resolve_profile(profile)
    versions = prof.versions(ThresholdRule)
    rule: ThresholdRule | None = in_force(versions, as_of)
    if rule is None and prof.on_missing is OnMissing.STRICT:
        raise no_rule_in_force("threshold", as_of, prof, subject)
    used = () if rule is None else (next(i for i, v in enumerate(versions) if v is rule),)
    names = [] if rule is None else [i.name for i in rule.table.inputs]
    if rule is not None:
        rule.table.check_values(indicators)
    row = {"__as_of": as_of, f"{_P}subject": subject, **{name: indicators[name] for name in names}}
    frame = pl.LazyFrame([row], schema_overrides={"__as_of": pl.Date()})
    evidence, plan = _evidence(frame, list(row), "__as_of", prof, explain=True, used=used)
    if plan.rendering is None:  # pragma: no cover - explain=True always renders
        raise InternalError("threshold levels: the evidence plan has no rendering")
    return decide(evidence, plan.rendering, versions, prof.profile_id)[0]


def flag_levels(
    frame: pl.DataFrame,
    *,
    date_column: str,
    profile: ProfileLike,
    period: Period | str | None = None,
    id_column: str | None = None,
    kind: str = "record",
    explain: bool = False,
) -> pl.DataFrame:
    """Classify every row of a table, in bulk: the definition :func:`classify` runs too.

    Each row's threshold version is chosen by its own ``date_column``; the
    version's table is evaluated with the polars expressions generated from its
    condition tree, over input columns named like the table's inputs.

    Args:
        frame: one row per referral or case, with the date column and a column
            per table input (booleans for the shipped profile).
        date_column: the column of the records' own dates.
        profile: a :class:`~earlyhelp.Profile`, a shipped profile's name or a profile file.
        period: only the rows dated in this financial year or quarter (both
            ends inclusive); ``None`` for every row.
        id_column: the column of the records' ids, to name each record in its
            explanation; by default the row number.
        kind: what a row is, to name it in its explanation, e.g. ``"referral"``.
        explain: add the ``explanation`` column: each row's decision in words,
            exactly as ``str(classify(...))`` prints it for the same record.

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
        >>> explained = flag_levels(
        ...     frame.with_columns(referral_id=pl.Series(["R-1", "R-2", "R-3"])),
        ...     date_column="referral_date", profile="derby-2014-15",
        ...     id_column="referral_id", kind="referral", explain=True,
        ... )
        >>> print(explained["explanation"][1])  # doctest: +ELLIPSIS
        Level 3: child in need (complex needs), because complex_needs is true (row 2 of table TH-DSCB-2014)
        Decided on 01/10/2014 under profile derby-2014-15:
        - rule TH-DSCB-2014 applies: row 2: if complex_needs is true then level is 3 (priority 30)...
          read: acute_risk = false; complex_needs = true; emerging_needs = false
          using: table = TH-DSCB-2014 (hit policy priority); service for level 1 = ...
          source: Derby Safeguarding Children Board thresholds document...
    """
    prof = resolve_profile(profile)
    frame_in = _period_filter(frame.lazy(), date_column, period)
    if explain:
        ids = (
            pl.col(id_column).cast(pl.String)
            if id_column is not None
            else (pl.int_range(pl.len()) + 1).cast(pl.String)
        )
        frame_in = frame_in.with_columns(
            pl.concat_str(pl.lit(f"{kind} "), ids).alias(f"{_P}subject")
        )
    evidence, plan = _evidence(frame_in, frame.columns, date_column, prof, explain=explain)
    kept = [*frame.columns, *_ADDED]
    if plan.rendering is not None:
        evidence = explain_evidence(evidence, plan.rendering, plan.versions, prof.profile_id)
        kept.append(EXPLANATION)
    return evidence.select(pl.exclude(*_ADDED), *_ADDED).select(kept).collect()
