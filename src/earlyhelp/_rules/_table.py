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
from collections.abc import Mapping, Sequence
from typing import Any, Final, Literal, TypeAlias, TypeGuard

import attrs
import numpy as np
import numpy.typing as npt
import polars as pl

__all__ = [
    "MAX_COMBINATIONS",
    "Condition",
    "DecisionTable",
    "Domain",
    "HitPolicy",
    "Input",
    "Row",
    "TableError",
    "TableResult",
]

Scalar: TypeAlias = str | int | bool
Kind: TypeAlias = Literal["boolean", "integer", "code"]

MAX_COMBINATIONS: Final = 100_000
_SHOWN: Final = 3  # gaps and overlaps named before the rest are summarised


class TableError(ValueError):
    """A decision table, its data, or a record given to it, is wrong.

    Attributes:
        where: what the problems are in, e.g. ``"table TH-1"`` or ``"derby.toml"``.
        problems: every problem found, naming row numbers, inputs or key paths.
    """

    def __init__(self, where: str, problems: Sequence[str]) -> None:
        self.where = where
        self.problems = tuple(problems)
        super().__init__(f"{where}: {'; '.join(self.problems)}")


def _kind(value: object) -> Kind | None:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return "code" if isinstance(value, str) else None


def _is_scalar(value: object) -> TypeGuard[Scalar]:
    return _kind(value) is not None


def _is_int(value: object) -> TypeGuard[int]:
    return _kind(value) == "integer"


def _is_text(value: object) -> TypeGuard[str]:
    return isinstance(value, str)


def _word(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


@attrs.frozen(kw_only=True)
class Domain:
    """The finite set of values an input can take, so gaps and overlaps can be checked exactly.

    Example:
        >>> Domain.integers(0, 8).describe(), Domain.of("vcm", "other").describe()
        ('a whole number from 0 to 8', 'one of vcm, other')
        >>> Domain.boolean().contains(True), Domain.boolean().contains(1)
        (True, False)
    """

    kind: Kind
    values: Sequence[Scalar]

    @classmethod
    def boolean(cls) -> Domain:
        """True and False."""
        return cls(kind="boolean", values=(True, False))

    @classmethod
    def of(cls, *values: str | int) -> Domain:
        """Distinct codes, all text or all whole numbers, e.g. ``Domain.of("vcm", "other")``."""
        kinds = {_kind(value) for value in values}
        if kinds not in ({"code"}, {"integer"}) or len(set(values)) != len(values):
            msg = "expected one or more distinct values, all text or all whole numbers"
            raise ValueError(msg)
        return cls(kind="code" if kinds == {"code"} else "integer", values=tuple(values))

    @classmethod
    def integers(cls, low: int, high: int) -> Domain:
        """The whole numbers from ``low`` to ``high``, both inclusive."""
        if not (_is_int(low) and _is_int(high) and low <= high):
            msg = "expected whole numbers min and max, min at most max"
            raise ValueError(msg)
        return cls(kind="integer", values=range(low, high + 1))

    def contains(self, value: object) -> bool:
        """Whether ``value`` is in the domain (``1`` is not a boolean, nor ``True`` a number)."""
        return _kind(value) == self.kind and value in self.values

    def bounds(self) -> tuple[int, int]:
        """The least and greatest values of a whole-number domain."""
        ints = [value for value in self.values if _is_int(value)]
        return min(ints), max(ints)

    def describe(self) -> str:
        """The domain in words, for messages."""
        if self.kind == "boolean":
            return "true or false"
        if isinstance(self.values, range):
            return "a whole number from {} to {}".format(*self.bounds())
        return "one of " + ", ".join(map(str, self.values))

    def valid_expr(self, column: pl.Expr) -> pl.Expr:
        """True where ``column`` holds a value of the domain, else false or null."""
        if self.kind == "boolean":
            return column.is_not_null()
        if isinstance(self.values, range):
            return column.is_between(*self.bounds())
        return column.is_in(list(self.values))


@attrs.frozen(kw_only=True)
class Condition:
    """A test on one input in a row: any value, one of ``values``, or ``low`` to ``high``.

    ``Condition()`` matches any value; ends of a range are inclusive and either may be None.

    Example:
        >>> Condition.parse({"min": 3, "max": 5}).describe("areas_of_need")
        'areas_of_need from 3 to 5'
        >>> Condition.parse(["vcm", "other"]).describe("route")
        'route is one of vcm, other'
        >>> Condition.parse(True).matches(True), Condition.parse("-") == Condition()
        (True, True)
    """

    values: tuple[Scalar, ...] | None = None
    low: int | None = None
    high: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.values is not None and (self.low, self.high) != (None, None):
            msg = "a condition is either a set of values or a range, not both"
            raise ValueError(msg)

    @property
    def is_any(self) -> bool:
        """Whether every value matches (``"-"``)."""
        return self == Condition()

    @staticmethod
    def parse(data: object) -> Condition:
        """Read ``"-"`` (any), a scalar (equals), a list (one of) or ``{min, max}`` (a range).

        Raises:
            ValueError: the data has none of those shapes.
        """
        if data == "-":
            return Condition()
        if _is_scalar(data):
            return Condition(values=(data,))
        if isinstance(data, list | tuple) and data and all(map(_is_scalar, data)):
            unique = dict.fromkeys((type(value), value) for value in data)  # keeps 1 and True
            return Condition(values=tuple(value for _, value in unique))
        if isinstance(data, Mapping) and data and set(data) <= {"min", "max"}:
            low, high = data.get("min"), data.get("max")
            if all(end is None or _is_int(end) for end in (low, high)):
                return Condition(low=low, high=high)
        msg = 'expected "-", a value, a list of values, or a range {min, max} of whole numbers'
        raise ValueError(msg)

    def matches(self, value: object) -> bool:
        """Whether an in-domain ``value`` passes."""
        if self.values is not None:
            return any(_kind(value) == _kind(v) and value == v for v in self.values)
        return self.is_any or (
            _is_int(value)
            and (self.low is None or value >= self.low)
            and (self.high is None or value <= self.high)
        )

    def expr(self, column: pl.Expr) -> pl.Expr:
        """The test as a polars expression over ``column`` (of in-domain values)."""
        if self.values is not None:
            return column.is_in(list(self.values))
        tests = [] if self.low is None else [column >= self.low]
        tests += [] if self.high is None else [column <= self.high]
        return pl.all_horizontal(tests) if tests else pl.lit(True)

    def describe(self, name: str) -> str:
        """The test in words, e.g. ``"acute_risk is true"`` or ``"route is one of vcm, other"``."""
        if self.values is not None:
            words = ", ".join(map(_word, self.values))
            return f"{name} is {words}" if len(self.values) == 1 else f"{name} is one of {words}"
        if self.low is not None:
            high = "" if self.high is None else f" to {self.high}"
            return f"{name} at least {self.low}" if not high else f"{name} from {self.low}{high}"
        return f"{name} is any value" if self.high is None else f"{name} at most {self.high}"

    def problem(self, domain: Domain) -> str | None:
        """What is wrong with this condition on an input of ``domain``, or None."""
        if self.values is not None:
            ok = self.values and all(map(domain.contains, self.values))
            return None if ok else f"expected {domain.describe()}"
        if self.is_any:
            return None
        if domain.kind != "integer":
            return f"expected {domain.describe()}, not a range"
        low, high = domain.bounds()
        ends = [end for end in (self.low, self.high) if end is not None]
        if all(low <= end <= high for end in ends) and ends == sorted(ends):
            return None
        return f"expected a range with min at most max, both from {low} to {high}"


@attrs.frozen(kw_only=True)
class Input:
    """A named input of a table and its domain."""

    name: str
    domain: Domain


@attrs.frozen(kw_only=True)
class Row:
    """Row ``number`` (from 1): when every condition holds, the output is ``then``.

    Inputs missing from ``when`` match any value. ``priority`` is needed under PRIORITY.
    """

    number: int
    when: Mapping[str, Condition] = attrs.field(factory=dict)
    then: Scalar
    priority: int | None = None
    annotation: str = ""

    def matches(self, values: Mapping[str, object]) -> bool:
        """Whether every condition holds for ``values`` (in-domain values by input name)."""
        return all(condition.matches(values[name]) for name, condition in self.when.items())


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
        >>> table = DecisionTable.from_dict({
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
            if self.hit_policy is HitPolicy.PRIORITY and not _is_int(row.priority):
                problems.append(f"{where}: needs a whole-number priority under PRIORITY")
            kinds.setdefault(_kind(row.then), row.number)
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

    def evaluate(self, values: Mapping[str, object]) -> TableResult:
        """Evaluate one record, given ``values`` by input name (other keys are ignored).

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
        outcome = f"{self.output} is {_word(row.then)}"
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

    def _bulk(self, values: list[pl.Expr]) -> pl.Expr:
        tests = [
            pl.all_horizontal([pl.lit(True), *(c.expr(pl.col(n)) for n, c in row.when.items())])
            for row in self.rows
        ]
        picks = [pl.when(test).then(value) for test, value in zip(tests, values, strict=True)]
        if self.hit_policy is HitPolicy.COLLECT:
            inner = pl.concat_list(picks).list.drop_nulls()
        else:  # the first row to match, in priority order under PRIORITY (the sort is stable)
            order = list(range(len(picks)))
            if self.hit_policy is HitPolicy.PRIORITY:
                order.sort(key=lambda k: -(self.rows[k].priority or 0))
            inner = pl.coalesce([picks[k] for k in order])
        valid = [inp.domain.valid_expr(pl.col(inp.name)) for inp in self.inputs]
        return pl.when(pl.all_horizontal(valid)).then(inner)

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, source: str = "<table>", key: str = ""
    ) -> DecisionTable:
        """Read a table from profile data (parsed TOML or YAML).

        Args:
            data: keys ``id``, ``title``, ``hit_policy``, ``output``, ``inputs``, ``rows``, and
                optionally ``complete``; an input has ``name`` and ``domain`` (``"boolean"``, a
                list of codes, or ``{min, max}``); a row has ``then``, and optionally ``when``,
                ``priority`` and ``annotation``.
            source: the file the data came from, named in every message.
            key: where the table sits in that file, e.g. ``"tables.threshold"``. Key paths in
                messages count list items from 1, so ``rows[3]`` is row 3.

        Raises:
            TableError: every problem found, each with its key path and what was expected.

        Example:
            >>> DecisionTable.from_dict({"id": "X", "rows": []}, source="a.toml", key="tables.x")
            Traceback (most recent call last):
            ...
            earlyhelp._rules._table.TableError: a.toml: tables.x: missing key 'hit_policy'; ...
        """
        from earlyhelp._rules._table_data import table_from_dict  # noqa: PLC0415 - a cycle

        return table_from_dict(data, source=source, key=key)
