"""Reading profile data (from TOML or YAML) strictly, collecting every problem.

A council copies and edits profile files by hand, so a mistake must be named
precisely: the file, the key path and what was expected. Misspelt keys are
errors, not silently ignored.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping
from typing import Any, Final, TypeVar

import attrs

from earlyhelp.errors import ProfileError

__all__ = [
    "MAX_BASE",
    "MAX_DAYS",
    "MAX_DEPTH",
    "MAX_MONTHS",
    "MAX_PLACES",
    "MAX_PROFILE_BYTES",
    "MAX_THRESHOLD",
    "ProfileError",
    "Reader",
    "check_depth",
    "flow_depth",
]

# Declared limits: a profile is read in bounded time and memory, and every number
# in it is one the rules can use. Each is far beyond any real council's setting.
MAX_PROFILE_BYTES: Final = 1 << 20
"""The largest profile file read (1 MiB)."""
MAX_DEPTH: Final = 32
"""The deepest nesting of tables and lists in a profile."""
MAX_MONTHS: Final = 1200
"""The longest window or look-back in months (100 years)."""
MAX_DAYS: Final = 3660
"""The most days in a day-count setting (about 10 years)."""
MAX_PLACES: Final = 10
"""The most decimal places a figure may be rounded to."""
MAX_THRESHOLD: Final = 1000
"""The largest disclosure-control threshold."""
MAX_BASE: Final = 1000
"""The largest rounding base for disclosure control."""


_QUOTED: Final = re.compile(r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\n]|'')*'|#[^\n]*")


def flow_depth(text: str) -> int:
    """The deepest nesting of ``[...]`` and ``{...}`` in TOML or YAML text.

    Quoted strings and comments are skipped. It is checked before parsing,
    because the YAML parser's work grows with the square of the nesting depth.

    Example:
        >>> flow_depth("a = [[1, 2], {b = '[[['}]  # ]]]")
        2
    """
    depth = deepest = 0
    for char in _QUOTED.sub("", text):
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(depth - 1, 0)
    return deepest


def check_depth(data: object, *, source: str) -> None:
    """Raise :class:`ProfileError` if ``data`` nests deeper than :data:`MAX_DEPTH`.

    Iterative, so it cannot overflow the stack itself, and each shared node (a
    YAML alias) is visited once.

    Example:
        >>> check_depth({"a": [[1]]}, source="p.toml")
        >>> nested: list[object] = []
        >>> for _ in range(40):
        ...     nested = [nested]
        >>> check_depth(nested, source="p.toml")
        Traceback (most recent call last):
        ...
        earlyhelp.errors.ProfileError: p.toml: nested more than 32 levels deep
    """
    seen: set[int] = set()
    stack: list[tuple[object, int]] = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if not isinstance(node, Mapping | list) or id(node) in seen:
            continue
        if depth > MAX_DEPTH:
            raise ProfileError(source, [("", f"nested more than {MAX_DEPTH} levels deep")])
        seen.add(id(node))
        children = node.values() if isinstance(node, Mapping) else node
        stack.extend((child, depth + 1) for child in children)


E = TypeVar("E", bound=enum.Enum)
_MISSING: Any = object()


@attrs.define
class Reader:
    """A cursor over one mapping of profile data, tracking its key path.

    Each accessor records a problem instead of raising, so that a whole file's
    problems can be reported at once; call :meth:`finish` after reading a
    mapping to reject keys nobody asked for, then :meth:`raise_problems`.

    Example:
        >>> reader = Reader.top("derby.toml", {"months": "3", "anchr": "closure"})
        >>> reader.integer("months")
        >>> reader.finish()
        >>> reader.raise_problems()
        Traceback (most recent call last):
        ...
        earlyhelp.errors.ProfileError: derby.toml: months: expected a whole number; anchr: unexpected key 'anchr'; expected months
    """

    source: str
    data: Mapping[str, Any]
    path: str
    problems: list[tuple[str, str]]
    asked: set[str] = attrs.Factory(set)

    @classmethod
    def top(cls, source: str, data: object) -> Reader:
        """A reader over a file's top-level mapping."""
        problems: list[tuple[str, str]] = []
        if not isinstance(data, Mapping):
            problems.append(("", "expected a mapping of keys to values at the top level"))
            data = {}
        return cls(source, data, "", problems)

    def _at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def problem(self, key: str | None, message: str) -> None:
        """Record a problem at ``key`` (or at this mapping, if ``None``)."""
        self.problems.append((self.path if key is None else self._at(key), message))

    def has(self, key: str) -> bool:
        """Whether the key is present (and mark it as expected)."""
        self.asked.add(key)
        return key in self.data

    def raw(self, key: str, default: Any = _MISSING) -> Any:
        """The value at ``key``; a missing required key is a problem."""
        self.asked.add(key)
        if key in self.data:
            return self.data[key]
        if default is _MISSING:
            self.problem(key, "required, but missing")
            return None
        return default

    def text(self, key: str, default: Any = _MISSING) -> Any:
        """A string value."""
        value = self.raw(key, default)
        if value is not None and value is not default and not isinstance(value, str):
            self.problem(key, "expected text")
            return None
        return value

    def integer(
        self,
        key: str,
        default: Any = _MISSING,
        *,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> Any:
        """A whole-number value (not a boolean), from ``minimum`` to ``maximum`` if given."""
        value = self.raw(key, default)
        if value is None or value is default:
            return value
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(key, "expected a whole number")
            return None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            if maximum is None:
                wanted = f"{minimum} or more"
            elif minimum is None:
                wanted = f"{maximum} or less"
            else:
                wanted = f"from {minimum} to {maximum}"
            self.problem(key, f"expected a whole number {wanted}")
            return None
        return value

    def boolean(self, key: str, default: Any = _MISSING) -> Any:
        """A true/false value."""
        value = self.raw(key, default)
        if value is not None and value is not default and not isinstance(value, bool):
            self.problem(key, "expected true or false")
            return None
        return value

    def date(self, key: str, default: Any = _MISSING) -> Any:
        """A date: a TOML/YAML date or an ISO ``YYYY-MM-DD`` string."""
        value = self.raw(key, default)
        if value is None or value is default:
            return value
        if isinstance(value, dt.datetime):
            self.problem(key, "expected a date without a time")
            return None
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.problem(key, "expected a date as YYYY-MM-DD")
        return None

    def choice(self, key: str, vocabulary: type[E], default: Any = _MISSING) -> Any:
        """One of an enum's values."""
        value = self.raw(key, default)
        if value is None or value is default:
            return value
        try:
            return vocabulary(value)
        except ValueError:
            codes = ", ".join(str(member.value) for member in vocabulary)
            self.problem(key, f"expected one of {codes}")
            return None

    def texts(self, key: str, default: Any = _MISSING) -> Any:
        """A list of strings, as a tuple."""
        value = self.raw(key, default)
        if value is None or value is default:
            return value
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problem(key, "expected a list of text values")
            return None
        return tuple(value)

    def child(self, key: str, *, required: bool = True) -> Reader | None:
        """A reader over the mapping at ``key``."""
        value = self.raw(key, _MISSING if required else None)
        if value is None:
            if required and key in self.data:
                self.problem(key, "expected a table of keys and values")
            return None
        if not isinstance(value, Mapping):
            self.problem(key, "expected a table of keys and values")
            return None
        return Reader(self.source, value, self._at(key), self.problems)

    def children(self, key: str) -> list[Reader]:
        """Readers over each mapping in the list at ``key`` (missing: none)."""
        value = self.raw(key, [])
        if not isinstance(value, list):
            self.problem(key, "expected a list of tables")
            return []
        readers = []
        for number, item in enumerate(value, start=1):
            where = f"{self._at(key)}[{number}]"
            if isinstance(item, Mapping):
                readers.append(Reader(self.source, item, where, self.problems))
            else:
                self.problems.append((where, "expected a table of keys and values"))
        return readers

    def finish(self) -> None:
        """Record every key of this mapping that no accessor asked for."""
        expected = ", ".join(sorted(self.asked))
        for key in self.data:
            if key not in self.asked:
                self.problem(str(key), f"unexpected key {key!r}; expected {expected}")

    def raise_problems(self) -> None:
        """Raise :class:`ProfileError` if any problem was recorded."""
        if self.problems:
            raise ProfileError(self.source, self.problems)
