"""Reading a decision table from profile data (parsed TOML or YAML), strictly.

Every problem is collected with its key path and what was expected; list items
in key paths count from 1, as rows are numbered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs

from earlyhelp.errors import ArgumentError, TableError
from earlyhelp.rules._conditions import (
    Condition,
    Domain,
    Input,
    Row,
    is_int,
    is_scalar,
    is_text,
)
from earlyhelp.rules._table import DecisionTable, HitPolicy

__all__ = ["read_decision_table"]


def read_decision_table(
    data: Mapping[str, Any], *, source: str = "<table>", key: str = ""
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
        >>> read_decision_table({"id": "X", "rows": []}, source="a.toml", key="tables.x")
        Traceback (most recent call last):
        ...
        earlyhelp.errors.TableError: a.toml: tables.x: missing key 'hit_policy'; ...
    """
    read = _Reader()
    top = read.keys(data, key, _TABLE_KEYS, ("complete",))
    domains: dict[str, Domain | None] = {}  # None: a domain already reported as wrong
    for n, item in enumerate(read.get(top, key, "inputs", []), 1):
        path = f"{_at(key, 'inputs')}[{n}]"
        spec = read.keys(item, path, ("domain", "name"))
        name = read.get(spec, path, "name", "")
        if name in domains:
            read.fail(_at(path, "name"), f"duplicate input name {name!r}")
        try:
            domains[name] = _domain(spec.get("domain", "boolean"))
        except ValueError as error:
            domains[name] = None
            read.fail(_at(path, "domain"), str(error))
    rows = tuple(
        read.row(item, f"{_at(key, 'rows')}[{n}]", n, domains)
        for n, item in enumerate(read.get(top, key, "rows", []), 1)
    )
    fields = {name: read.get(top, key, name, "") for name in ("id", "title", "output")}
    policy = HitPolicy(read.get(top, key, "hit_policy", "first"))
    complete = read.get(top, key, "complete", True)
    if read.problems:
        raise TableError(source, read.problems)
    inputs = tuple(Input(name=n, domain=d) for n, d in domains.items() if d is not None)
    try:
        return DecisionTable(
            table_id=fields["id"],
            title=fields["title"],
            output=fields["output"],
            inputs=inputs,
            rows=rows,
            hit_policy=policy,
            complete=complete,
        )
    except TableError as error:
        where = f"{source}: {key}: {error.where}" if key else f"{source}: {error.where}"
        raise TableError(where, error.problems) from None


_POLICIES: Final = tuple(policy.value for policy in HitPolicy)
_TABLE_KEYS: Final = ("hit_policy", "id", "inputs", "output", "rows", "title")
_EXPECTED: Final[dict[str, tuple[Callable[[object], bool], str]]] = {
    **dict.fromkeys(("id", "title", "output", "name", "annotation"), (is_text, "text")),
    "complete": (lambda v: isinstance(v, bool), "true or false"),
    "hit_policy": (lambda v: v in _POLICIES, "one of " + ", ".join(_POLICIES)),
    "inputs": (lambda v: isinstance(v, list), "a list of inputs"),
    "rows": (lambda v: isinstance(v, list), "a list of rows"),
    "when": (lambda v: isinstance(v, Mapping), "a table of input names and conditions"),
    "then": (is_scalar, "text, a whole number, true or false"),
    "priority": (is_int, "a whole number"),
}


def _at(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _domain(data: object) -> Domain:
    if data == "boolean":
        return Domain.boolean()
    if isinstance(data, list):
        return Domain.of(*data)
    if isinstance(data, Mapping) and set(data) == {"min", "max"}:
        return Domain.integers(data["min"], data["max"])
    msg = 'expected "boolean", a list of values, or {min, max}'
    raise ArgumentError(msg)


@attrs.define
class _Reader:
    """Collects every problem in table data, each with its key path."""

    problems: list[str] = attrs.Factory(list)

    def fail(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}" if path else message)

    def keys(
        self, data: object, path: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> Mapping[str, Any]:
        """``data`` if it is a mapping (else empty), reporting unexpected and missing keys."""
        if not isinstance(data, Mapping):
            self.fail(path, "expected a table of keys")
            return {}
        expected = ", ".join((*required, *optional))
        for key in data:
            if key not in required and key not in optional:
                self.fail(path, f"unexpected key {key!r}; expected one of {expected}")
        for key in required:
            if key not in data:
                self.fail(path, f"missing key {key!r}")
        return data

    def get(self, data: Mapping[str, Any], path: str, key: str, default: Any) -> Any:
        """``data[key]`` if present and of the expected shape, else ``default``."""
        check, expected = _EXPECTED[key]
        if key in data and not check(data[key]):
            self.fail(_at(path, key), f"expected {expected}")
            return default
        return data.get(key, default)

    def row(
        self, data: object, path: str, number: int, domains: Mapping[str, Domain | None]
    ) -> Row:
        """Row ``number``, with its conditions checked against the inputs' domains."""
        spec = self.keys(data, path, ("then",), ("annotation", "priority", "when"))
        when = {}
        for name, value in self.get(spec, path, "when", {}).items():
            if name not in domains:
                known = ", ".join(domains)
                self.fail(_at(path, "when"), f"unknown input {name!r}; expected one of {known}")
                continue
            try:
                when[name] = condition = Condition.parse(value)
            except ValueError as error:
                self.fail(_at(path, f"when.{name}"), str(error))
                continue
            if (domain := domains[name]) is not None and (problem := condition.problem(domain)):
                self.fail(_at(path, f"when.{name}"), problem)
        return Row(
            number=number,
            when=when,
            then=self.get(spec, path, "then", ""),
            priority=self.get(spec, path, "priority", None),
            annotation=self.get(spec, path, "annotation", ""),
        )
