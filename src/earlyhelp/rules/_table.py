"""DMN-style decision tables: declared as data, checked when built, evaluated one by one or in bulk.

A :class:`DecisionTable` maps inputs, each with a finite :class:`Domain`, to one output through
numbered rows; its :class:`HitPolicy` says what happens when several rows match. Building a table
enumerates every combination of input values to find gaps (if the table is declared complete),
overlaps the policy forbids, and rows that can never fire, and reports them all in one
:class:`TableError`. At most :data:`MAX_COMBINATIONS` combinations are checked: a table whose
domains multiply to more is rejected as too large to check.

One record is evaluated by :meth:`DecisionTable.evaluate` (which raises on a missing or
out-of-domain input), a whole frame by :meth:`DecisionTable.expr` (null for such rows).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt
import polars as pl

from earlyhelp.errors import TableError
from earlyhelp.rules._conditions import (
    Condition,
    Input,
    Kind,
    Row,
    Scalar,
    is_int,
    kind_of,
    word,
)

__all__ = [
    "MAX_COMBINATIONS",
    "DecisionTable",
    "HitPolicy",
    "TableResult",
]

MAX_COMBINATIONS: Final = 100_000
_SHOWN: Final = 3  # gaps and overlaps named before the rest are summarised


class HitPolicy(enum.Enum):
    """What a table does when several rows match one combination of inputs."""

    UNIQUE = "unique"  #: at most one row may match any combination; overlaps are an error
    FIRST = "first"  #: the first matching row in order wins
    PRIORITY = "priority"  #: the matching row with the highest priority wins
    COLLECT = "collect"  #: every matching row, outcomes in row order


@attrs.frozen(kw_only=True)
class TableResult:
    """An evaluation: the outcome (a tuple under COLLECT), rows matched, and the row that fired."""

    outcome: Scalar | tuple[Scalar, ...] | None
    matched_rows: tuple[int, ...]
    fired_row: int | None


@attrs.frozen(kw_only=True)
class DecisionTable:
    """A DMN-style decision table, checked for gaps, overlaps and dead rows when built.

    Raises:
        TableError: naming the table id and row numbers, with every problem found.

    Example:
        >>> from earlyhelp.rules import read_decision_table
        >>> table = read_decision_table({
        ...     "id": "TH-1", "title": "Threshold", "hit_policy": "priority", "output": "level",
        ...     "inputs": [{"name": "acute_risk", "domain": "boolean"},
        ...                {"name": "areas_of_need", "domain": {"min": 0, "max": 8}}],
        ...     "rows": [{"when": {"acute_risk": True}, "then": 4, "priority": 40},
        ...              {"when": {"areas_of_need": {"min": 3}}, "then": 3, "priority": 30},
        ...              {"then": 1, "priority": 10, "annotation": "universal services"}]})
        >>> table.evaluate({"acute_risk": False, "areas_of_need": 5})
        TableResult(outcome=3, matched_rows=(2, 3), fired_row=2)
        >>> table.explain_row(2)
        'row 2: if areas_of_need at least 3 then level is 3 (priority 30)'
        >>> table.explain_row(3)
        'row 3: level is 1 whatever the inputs (priority 10): universal services'
        >>> frame = pl.DataFrame({"acute_risk": [True, False, None], "areas_of_need": [0, 9, 2]})
        >>> frame.select(table.expr(), table.row_expr()).rows()
        [(4, 1), (None, None), (None, None)]
    """

    table_id: str
    title: str
    inputs: tuple[Input, ...]
    output: str
    rows: tuple[Row, ...]
    hit_policy: HitPolicy
    complete: bool = True

    def __attrs_post_init__(self) -> None:
        problems = self._structure_problems() or self._coverage_problems()
        if problems:
            raise TableError(f"table {self.table_id}", problems)

    def _structure_problems(self) -> list[str]:
        names = [inp.name for inp in self.inputs]
        domains = {inp.name: inp.domain for inp in self.inputs}
        problems = [f"duplicate input name {n!r}" for n in domains if names.count(n) > 1]
        problems += [] if self.inputs else ["a table needs at least one input"]
        problems += [] if self.rows else ["a table needs at least one row"]
        kinds: dict[Kind | None, int] = {}
        for position, row in enumerate(self.rows, 1):
            where = f"row {row.number}"
            if row.number != position:
                problems.append(f"{where}: is row {position} in order; number rows from 1")
            for name, condition in row.when.items():
                if name not in domains:
                    known = ", ".join(domains)
                    problems.append(f"{where}: unknown input {name!r}; expected one of {known}")
                elif problem := condition.problem(domains[name]):
                    problems.append(f"{where}: input {name!r}: {problem}")
            if self.hit_policy is HitPolicy.PRIORITY and not is_int(row.priority):
                problems.append(f"{where}: needs a whole-number priority under PRIORITY")
            kinds.setdefault(kind_of(row.then), row.number)
        if None in kinds:
            problems.append(f"row {kinds[None]}: expected an outcome of text, a number or a bool")
        elif len(kinds) > 1:
            mixed = ", ".join(f"{kind} in row {number}" for kind, number in kinds.items())
            problems.append(f"outcomes mix types: {mixed}")
        return problems

    def _mask(self, row: Row, shape: tuple[int, ...]) -> npt.NDArray[np.bool_]:
        """Which combinations (an array of ``shape``, one axis per input) ``row`` matches."""
        mask = np.ones(shape, dtype=np.bool_)
        for axis, inp in enumerate(self.inputs):
            condition = row.when.get(inp.name, Condition())
            if not condition.is_any:
                hits = np.fromiter(map(condition.matches, inp.domain.values), np.bool_)
                mask &= hits.reshape([-1 if a == axis else 1 for a in range(len(shape))])
        return mask

    def _coverage_problems(self) -> list[str]:
        shape = tuple(len(inp.domain.values) for inp in self.inputs)
        if (total := math.prod(shape)) > MAX_COMBINATIONS:
            return [
                f"domain too large to check: {total:,} combinations of input values, "
                f"more than {MAX_COMBINATIONS:,}; narrow the inputs' domains"
            ]
        masks = np.stack([self._mask(row, shape).ravel() for row in self.rows])
        shared = masks.astype(np.float32) @ masks.T.astype(np.float32)  # exact: counts < 2**24

        def combination(flat: int) -> str:
            at = np.unravel_index(flat, shape)
            pairs = zip(self.inputs, at, strict=True)
            return ", ".join(f"{i.name}={i.domain.values[int(k)]}" for i, k in pairs)

        numbers = [row.number for row in self.rows]
        problems = [
            f"row {n} can never match: no combination of input values satisfies it"
            for n, mask in zip(numbers, masks, strict=True)
            if not mask.any()
        ]
        if self.complete:  # name the first few gaps, then count them
            gaps = np.flatnonzero(~masks.any(axis=0))
            problems += [f"gap: no row matches {combination(int(f))}" for f in gaps[:_SHOWN]]
            if len(gaps) > _SHOWN:
                problems.append(f"gap: {len(gaps):,} combinations that no row matches in all")
        if self.hit_policy in (HitPolicy.UNIQUE, HitPolicy.PRIORITY):
            unique = self.hit_policy is HitPolicy.UNIQUE
            rows = self.rows
            pairs = [
                (i, j)
                for i, j in zip(*np.nonzero(np.triu(shared, 1)), strict=True)
                if unique or rows[i].priority == rows[j].priority
            ]
            for i, j in pairs[:_SHOWN]:
                same = "" if unique else f" of priority {rows[i].priority}"
                both = combination(int(np.argmax(masks[i] & masks[j])))
                problems.append(
                    f"overlap: rows {numbers[i]} and {numbers[j]}{same} both match {both}"
                )
            if len(pairs) > _SHOWN:
                problems.append(f"overlap: {len(pairs):,} overlapping pairs of rows in all")
        if self.hit_policy is HitPolicy.FIRST:
            seen = np.zeros(total, dtype=np.bool_)
            for k, mask in enumerate(masks):
                if mask.any() and not (mask & ~seen).any():
                    earlier = ", ".join(str(numbers[i]) for i in range(k) if shared[i, k])
                    which = f"rows {earlier} match" if "," in earlier else f"row {earlier} matches"
                    problems.append(f"row {numbers[k]} can never match: {which} everything it does")
                seen |= mask
        return problems

    def check_values(self, values: Mapping[str, object]) -> None:
        """Check that ``values`` give every input a value in its domain.

        Raises:
            TableError: an input is missing (or None) or outside its domain.
        """
        problems = [
            f"input {i.name!r}: "
            + ("missing" if values.get(i.name) is None else f"expected {i.domain.describe()}")
            for i in self.inputs
            if not i.domain.contains(values.get(i.name))
        ]
        if problems:
            raise TableError(f"table {self.table_id}", problems)

    def evaluate(self, values: Mapping[str, object]) -> TableResult:
        """Evaluate one record, given ``values`` by input name (other keys are ignored).

        Raises:
            TableError: an input is missing (or None) or outside its domain.
        """
        self.check_values(values)
        matched = tuple(row.number for row in self.rows if row.matches(values))
        if self.hit_policy is HitPolicy.COLLECT:
            outcomes = tuple(self.rows[number - 1].then for number in matched)
            return TableResult(outcome=outcomes, matched_rows=matched, fired_row=None)
        fired = matched[0] if matched else None
        if matched and self.hit_policy is HitPolicy.PRIORITY:
            fired = max(matched, key=lambda number: self.rows[number - 1].priority or 0)
        outcome = None if fired is None else self.rows[fired - 1].then
        return TableResult(outcome=outcome, matched_rows=matched, fired_row=fired)

    def explain_row(self, number: int) -> str:
        """Row ``number``'s conditions and outcome in words, and its annotation, for traces."""
        if not 1 <= number <= len(self.rows):
            problem = f"no row {number}; the rows are 1 to {len(self.rows)}"
            raise TableError(f"table {self.table_id}", [problem])
        row = self.rows[number - 1]
        conditions = {i.name: row.when.get(i.name, Condition()) for i in self.inputs}
        tests = " and ".join(c.describe(name) for name, c in conditions.items() if not c.is_any)
        outcome = f"{self.output} is {word(row.then)}"
        text = f"if {tests} then {outcome}" if tests else f"{outcome} whatever the inputs"
        text += "" if row.priority is None else f" (priority {row.priority})"
        return f"row {number}: {text}" + (f": {row.annotation}" if row.annotation else "")

    def expr(self) -> pl.Expr:
        """The outcome column, from input columns named like the inputs, named like the output.

        Null where no row matches, or any input is null or outside its domain. Under COLLECT, a
        list column of the matching rows' outcomes in row order (empty if none match).
        """
        dtype = {bool: pl.Boolean, int: pl.Int64}.get(type(self.rows[0].then), pl.String)
        return self._bulk([pl.lit(row.then, dtype=dtype) for row in self.rows]).alias(self.output)

    def row_expr(self) -> pl.Expr:
        """The fired row's number, named ``<output>_row``; under COLLECT, matching rows' numbers."""
        numbers = [pl.lit(row.number, dtype=pl.Int64) for row in self.rows]
        return self._bulk(numbers).alias(f"{self.output}_row")

    def matched_expr(self) -> pl.Expr:
        """The numbers of every row that matches, in row order, as text: ``"2, 3, 4"``.

        Whatever the hit policy; empty text where no row matches, null where any
        input is null or outside its domain.
        """
        numbers = [pl.lit(str(row.number)) for row in self.rows]
        picks = [pl.when(t).then(n) for t, n in zip(self._tests(), numbers, strict=True)]
        matched = pl.concat_str(picks, separator=", ", ignore_nulls=True)
        return pl.when(self.valid_expr()).then(matched)

    def valid_expr(self) -> pl.Expr:
        """Whether every input column holds a value in its domain."""
        return pl.all_horizontal([inp.domain.valid_expr(pl.col(inp.name)) for inp in self.inputs])

    def _tests(self) -> list[pl.Expr]:
        return [
            pl.all_horizontal([pl.lit(True), *(c.expr(pl.col(n)) for n, c in row.when.items())])
            for row in self.rows
        ]

    def _bulk(self, values: list[pl.Expr]) -> pl.Expr:
        tests = self._tests()
        picks = [pl.when(test).then(value) for test, value in zip(tests, values, strict=True)]
        if self.hit_policy is HitPolicy.COLLECT:
            inner = pl.concat_list(picks).list.drop_nulls()
        else:  # the first row to match, in priority order under PRIORITY (the sort is stable)
            order = list(range(len(picks)))
            if self.hit_policy is HitPolicy.PRIORITY:
                order.sort(key=lambda k: -(self.rows[k].priority or 0))
            inner = pl.coalesce([picks[k] for k in order])
        return pl.when(self.valid_expr()).then(inner)
