"""Evidence: what a rule's bulk evaluation found for each record, and its one rendering.

A rule family is defined once, as a polars evaluation over whole tables. Its
result is an *evidence* frame: one row per record judged, holding the version
applied (``rule_id``), the outcome and every value that decided it (the earlier
record matched, window ends, condition values). A family declares how that
evidence reads in words once, as a :class:`Rendering` (its words are
:class:`~earlyhelp.rules.text.Text` declarations), and both of its answers come
from it:

* in bulk, :func:`explain` adds an ``explanation`` column: the text of each
  record's decision, built by polars for every row at once;
* per record, :func:`decisions` turns evidence rows into :class:`Decision`
  objects whose ``str()`` is that same text, and whose JSON names the same facts;
  on the few rows of a per-record call it reads the words of each row from the
  same declarations in Python.

So the per-record call (``is_rereferral(...)``) runs the bulk definition on the
record and the history it needs and renders the one row, and the two can never
disagree.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final, Generic, TypeVar

import attrs
import polars as pl

from earlyhelp.profiles._dating import Citation, Effective
from earlyhelp.rules import text as tx
from earlyhelp.rules._decision import Decision, Fact, Step
from earlyhelp.rules._few_rows import collect_few
from earlyhelp.rules.text import Text, render

__all__ = [
    "EXPLANATION",
    "Rendering",
    "decide",
    "decisions",
    "explain",
    "judged",
    "rows_where",
]

EXPLANATION: Final = "explanation"
"""The column :func:`explain` adds: each row's decision, as ``str(decision)`` prints it."""

V = TypeVar("V")

_P = "__ev_"  # prefix of the columns explain() adds besides EXPLANATION

_Built = tuple[tuple[pl.Expr, ...], tuple[pl.Expr, ...], pl.Expr]
"""The parts a :class:`Decision` holds, the parts only the text needs, and the text."""


@attrs.frozen(kw_only=True)
class Rendering(Generic[V]):
    """How one rule family's evidence reads in words, declared once.

    Every part is evaluated on the family's evidence frame, which must have a
    ``rule_id`` column (the version applied; null where none is in force). The
    words are :class:`~earlyhelp.rules.text.Text` declarations: polars builds a
    whole table's explanations from them, and a per-record call renders its one
    row from the same declarations in Python (polars' fixed cost per expression
    would be most of the call). The record's date and the answer are polars
    expressions, evaluated with the evidence either way.

    Attributes:
        question: what is asked, e.g. ``"re-referral"``.
        subject: the record judged, by kind and id, e.g. ``"referral R-7"``.
        as_of: the record's own date, which chose the version (a Date expression).
        outcome: the answer (an expression; null where no version is in force).
        fired: whether the rule applied (a Boolean expression); by default,
            ``outcome`` is true.
        summary: the answer in one line.
        reason: why, in words; used where a version is in force.
        unruled: the summary where no version is in force.
        inputs: the facts read from the records, as ``(name, value)``; each value
            reads as text, and a null value reads ``(none)``.
        parameters: the parameter facts of a version (they are the same for every
            record a version judges).
    """

    question: str
    subject: Text
    as_of: pl.Expr
    outcome: pl.Expr
    summary: Text
    reason: Text
    unruled: Text
    inputs: tuple[tuple[str, Text], ...] = ()
    parameters: Callable[[V], tuple[Fact, ...]] = attrs.field(default=lambda _version: ())
    fired: pl.Expr | None = None


def _version_text(versions: Sequence[Any], text: Callable[[Any], str]) -> pl.Expr:
    mapping = {version.rule_id: text(version) for version in versions}
    return pl.col("rule_id").cast(pl.String).replace_strict(mapping, default=None)


def _using(parameters: Callable[[Any], tuple[Fact, ...]]) -> Callable[[Any], str]:
    def text(version: Any) -> str:
        facts = parameters(version)
        if not facts:
            return ""
        used = "; ".join(map(str, facts))
        return f"\n  using: {used} (in force {version.effective})"

    return text


def explain(
    evidence: pl.LazyFrame, rendering: Rendering[V], versions: Sequence[V], profile: str
) -> pl.LazyFrame:
    """Add the ``explanation`` column (and the rendered parts) to an evidence frame.

    The text of each row is exactly what ``str()`` of the row's :class:`Decision`
    prints (see :func:`decisions`): the summary, the date and profile, and the
    step of the version applied, with what it read, the parameters it used and
    its source.

    Args:
        evidence: the family's evidence frame, with a ``rule_id`` column.
        rendering: the family's rendering.
        versions: the family's versions in the profile.
        profile: the profile's id.
    """
    parts, for_text, text = _expressions(rendering, versions, profile)
    return evidence.with_columns(*parts, *for_text).with_columns(text)


_BUILT: dict[int, tuple[weakref.ref[Any], tuple[Any, ...], str, _Built]] = {}
"""Each rendering's expressions, built once per rendering, versions and profile."""


def _expressions(rendering: Rendering[V], versions: Sequence[V], profile: str) -> _Built:
    """The rendered parts' expressions and the ``explanation`` expression, kept.

    A per-record call explains one row at a time, and building the expressions
    costs more than evaluating them on it.
    """
    key = (tuple(versions), profile)
    found = _BUILT.get(id(rendering))
    if found is not None and found[0]() is rendering and found[1:3] == key:
        return found[3]
    built = _build(rendering, versions, profile)
    if len(_BUILT) > 256:
        _BUILT.clear()
    _BUILT[id(rendering)] = (weakref.ref(rendering), *key, built)
    return built


def _build(rendering: Rendering[V], versions: Sequence[V], profile: str) -> _Built:
    """Build what :func:`explain` adds: the rendered parts, then the explanation text."""
    ruled = pl.col("rule_id").is_not_null()
    inputs = [
        pl.concat_str(pl.lit(f"{name} = "), value.expr().cast(pl.String).fill_null("(none)"))
        for name, value in rendering.inputs
    ]
    read = (
        pl.concat_str(pl.lit("\n  read: "), pl.concat_str(inputs, separator="; "))
        if inputs
        else pl.lit("")
    )
    parts = (
        rendering.subject.expr().alias(f"{_P}subject"),
        *_judged(rendering),
        pl.when(ruled)
        .then(rendering.summary.expr())
        .otherwise(rendering.unruled.expr())
        .alias(f"{_P}summary"),
        pl.when(ruled).then(rendering.reason.expr()).otherwise(None).alias(f"{_P}reason"),
        *(value.expr().cast(pl.String).alias(f"{_P}in_{name}") for name, value in rendering.inputs),
    )
    step = pl.concat_str(
        pl.lit("\n- rule "),
        pl.col("rule_id").cast(pl.String),
        pl.when(pl.col(f"{_P}fired"))
        .then(pl.lit(" applies: "))
        .otherwise(pl.lit(" does not apply: ")),
        pl.col(f"{_P}reason"),
        pl.col(f"{_P}read"),
        _version_text(versions, _using(rendering.parameters)),
        pl.lit("\n  source: "),
        _version_text(versions, lambda version: str(version.citation)),
    )
    head = pl.concat_str(
        pl.col(f"{_P}summary"),
        pl.lit("\nDecided on "),
        tx.col(f"{_P}as_of").uk_date().expr(),
        pl.lit(f" under profile {profile}:"),
    )
    text = pl.when(ruled).then(pl.concat_str(head, step)).otherwise(head).alias(EXPLANATION)
    return parts, (read.alias(f"{_P}read"),), text


def _judged(rendering: Rendering[V]) -> tuple[pl.Expr, ...]:
    """The parts that are not words: the record's date, the answer, whether the rule fired."""
    fired = rendering.fired if rendering.fired is not None else rendering.outcome.fill_null(False)
    return (
        rendering.as_of.alias(f"{_P}as_of"),
        rendering.outcome.alias(f"{_P}outcome"),
        pl.when(pl.col("rule_id").is_not_null()).then(fired).otherwise(None).alias(f"{_P}fired"),
    )


_JUDGED: dict[int, tuple[weakref.ref[Any], tuple[pl.Expr, ...]]] = {}


def judged(rendering: Rendering[V]) -> tuple[pl.Expr, ...]:
    """What a per-record call adds to its evidence in polars: the parts that are not words.

    :func:`decisions` reads the words from each row in Python (built once per rendering).
    """
    found = _JUDGED.get(id(rendering))
    if found is not None and found[0]() is rendering:
        return found[1]
    if len(_JUDGED) > 256:
        _JUDGED.clear()
    judged = _judged(rendering)
    _JUDGED[id(rendering)] = (weakref.ref(rendering), judged)
    return judged


def _words(rendering: Rendering[V], row: dict[str, Any]) -> dict[str, Any]:
    """The rendered words of one evidence row, read in Python from the same declarations."""
    ruled = row["rule_id"] is not None
    row[f"{_P}subject"] = render(rendering.subject, row)
    row[f"{_P}summary"] = render(rendering.summary if ruled else rendering.unruled, row)
    row[f"{_P}reason"] = render(rendering.reason, row) if ruled else None
    for name, value in rendering.inputs:
        row[f"{_P}in_{name}"] = render(value, row)
    return row


def decide(
    evidence: pl.LazyFrame,
    rendering: Rendering[V],
    versions: Sequence[V],
    profile: str,
    *,
    check: Callable[[pl.DataFrame], None] | None = None,
) -> list[Decision]:
    """The :class:`Decision` of each row of a small evidence frame: the per-record path.

    The same as ``decisions(explain(evidence, ...).collect(), ...)``: polars
    evaluates the evidence (the definition) with the date, the answer and
    whether the rule fired; the words are then read from each row by the
    rendering's :class:`~earlyhelp.rules.text.Text` declarations in Python,
    the same declarations :func:`explain` gives polars.

    Args:
        evidence: the family's evidence for the record(s) judged.
        rendering: the family's rendering.
        versions: the family's versions in the profile.
        profile: the profile's id.
        check: called with the collected evidence rows before the decisions are
            built, e.g. to raise under a strict profile.
    """
    found = collect_few(evidence.with_columns(*judged(rendering)))
    if check is not None:
        check(found)
    return decisions(found, rendering, versions, profile)


def decisions(
    explained: pl.DataFrame, rendering: Rendering[V], versions: Sequence[V], profile: str
) -> list[Decision]:
    """The :class:`Decision` of each row of a frame :func:`explain` returned.

    ``str(decision)`` equals the row's ``explanation``. A frame with only the
    evidence and the parts that are not words (``judged``, as a per-record
    call collects it) has its words read from each row in Python, from the
    same declarations.
    """
    by_id = _by_id(versions)
    words = f"{_P}summary" not in explained.columns
    return [
        _decision(_words(rendering, row) if words else row, rendering, by_id, profile)
        for row in explained.iter_rows(named=True)
    ]


def _by_id(versions: Sequence[V]) -> dict[str, Any]:
    return {version.rule_id: version for version in versions}  # type: ignore[attr-defined]


def _decision(
    row: Mapping[str, Any], rendering: Rendering[V], by_id: Mapping[str, Any], profile: str
) -> Decision:
    """One row's Decision, from its evidence and rendered parts."""
    steps: tuple[Step, ...] = ()
    rule_id = row["rule_id"]
    if rule_id is not None:
        version = by_id[str(rule_id)]
        effective: Effective = version.effective
        citation: Citation = version.citation
        steps = (
            Step(
                rule_id=str(rule_id),
                effective=effective,
                citation=citation,
                inputs=tuple(
                    Fact(name=name, value=_text(row[f"{_P}in_{name}"]))
                    for name, _ in rendering.inputs
                ),
                parameters=rendering.parameters(version),
                fired=bool(row[f"{_P}fired"]),
                reason=row[f"{_P}reason"],
            ),
        )
    as_of: dt.date = row[f"{_P}as_of"]
    return Decision(
        question=rendering.question,
        subject=row[f"{_P}subject"],
        as_of=as_of,
        profile=profile,
        outcome=row[f"{_P}outcome"],
        summary=row[f"{_P}summary"],
        steps=steps,
    )


def _text(value: object) -> str:
    return "(none)" if value is None else str(value)


_Index = tuple[weakref.ref[pl.DataFrame], pl.DataFrame, dict[object, tuple[int, int]]]
_INDEXES: dict[tuple[int, str], _Index] = {}
"""Each table a per-record call reads a slice of, sorted and indexed by one column."""


def rows_where(table: pl.DataFrame, column: str, value: object) -> pl.DataFrame:
    """The rows of a whole table whose ``column`` equals ``value``: what one record needs.

    A per-record call runs its family's definition on the record and the few
    rows of the tables it needs (one child's cases, say). The first time a table
    is asked about, it is sorted by ``column`` (rows with equal values keep their
    order) and where each value's rows start is noted, kept while the table
    lives; each later call is a dictionary look-up and a slice, not a scan.
    A table changed in place meanwhile is not seen: pass a new frame.
    """
    if table.height == 0:
        return table
    key = (id(table), column)
    found = _INDEXES.get(key)
    if found is None or found[0]() is not table:
        found = _INDEXES[key] = _index(table, column, key)
    first, length = found[2].get(value, (0, 0))
    return found[1].slice(first, length)


def _index(table: pl.DataFrame, column: str, key: tuple[int, str]) -> _Index:
    ordered = table.filter(pl.col(column).is_not_null()).sort(column, maintain_order=True)
    runs = (
        ordered.select(pl.col(column))
        .with_row_index("__row")
        .group_by(column, maintain_order=True)
        .agg(pl.col("__row").first(), pl.len())
    )
    where = dict(
        zip(
            runs.get_column(column).to_list(),
            zip(runs["__row"], runs["len"], strict=True),
            strict=True,
        )
    )
    return weakref.ref(table, lambda _gone: _INDEXES.pop(key, None)), ordered, where
