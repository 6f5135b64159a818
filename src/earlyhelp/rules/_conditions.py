"""The parts of a decision table: input domains, conditions on one input, rows.

Domains are finite (true/false, a list of codes, or a range of whole numbers),
so that a table can be checked exactly for gaps and overlaps.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal, TypeAlias, TypeGuard

import attrs
import polars as pl

from earlyhelp.errors import ArgumentError

__all__ = [
    "Condition",
    "Domain",
    "Input",
    "Kind",
    "Row",
    "Scalar",
    "is_int",
    "is_scalar",
    "is_text",
    "kind_of",
    "word",
]

Scalar: TypeAlias = str | int | bool
Kind: TypeAlias = Literal["boolean", "integer", "code"]


def kind_of(value: object) -> Kind | None:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return "code" if isinstance(value, str) else None


def is_scalar(value: object) -> TypeGuard[Scalar]:
    return kind_of(value) is not None


def is_int(value: object) -> TypeGuard[int]:
    return kind_of(value) == "integer"


def is_text(value: object) -> TypeGuard[str]:
    return isinstance(value, str)


def word(value: object) -> str:
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
        kinds = {kind_of(value) for value in values}
        if kinds not in ({"code"}, {"integer"}) or len(set(values)) != len(values):
            msg = "expected one or more distinct values, all text or all whole numbers"
            raise ArgumentError(msg)
        return cls(kind="code" if kinds == {"code"} else "integer", values=tuple(values))

    @classmethod
    def integers(cls, low: int, high: int) -> Domain:
        """The whole numbers from ``low`` to ``high``, both inclusive."""
        if not (is_int(low) and is_int(high) and low <= high):
            msg = "expected whole numbers min and max, min at most max"
            raise ArgumentError(msg)
        return cls(kind="integer", values=range(low, high + 1))

    def contains(self, value: object) -> bool:
        """Whether ``value`` is in the domain (``1`` is not a boolean, nor ``True`` a number)."""
        return kind_of(value) == self.kind and value in self.values

    def bounds(self) -> tuple[int, int]:
        """The least and greatest values of a whole-number domain."""
        ints = [value for value in self.values if is_int(value)]
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
            raise ArgumentError(msg)

    @property
    def is_any(self) -> bool:
        """Whether every value matches (``"-"``)."""
        return self == Condition()

    @staticmethod
    def parse(data: object) -> Condition:
        """Read ``"-"`` (any), a scalar (equals), a list (one of) or ``{min, max}`` (a range).

        Raises:
            ArgumentError: the data has none of those shapes.
        """
        if data == "-":
            return Condition()
        if is_scalar(data):
            return Condition(values=(data,))
        if isinstance(data, list | tuple) and data and all(map(is_scalar, data)):
            unique = dict.fromkeys((type(value), value) for value in data)  # keeps 1 and True
            return Condition(values=tuple(value for _, value in unique))
        if isinstance(data, Mapping) and data and set(data) <= {"min", "max"}:
            low, high = data.get("min"), data.get("max")
            if all(end is None or is_int(end) for end in (low, high)):
                return Condition(low=low, high=high)
        msg = 'expected "-", a value, a list of values, or a range {min, max} of whole numbers'
        raise ArgumentError(msg)

    def matches(self, value: object) -> bool:
        """Whether an in-domain ``value`` passes."""
        if self.values is not None:
            return any(kind_of(value) == kind_of(v) and value == v for v in self.values)
        return self.is_any or (
            is_int(value)
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
            words = ", ".join(map(word, self.values))
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
