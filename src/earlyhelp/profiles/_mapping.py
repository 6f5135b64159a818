"""The profile's ``[mapping]`` table: how a council's own export maps onto ``earlyhelp``'s tables.

A council's case-management export has its own file names, headers and codes.
The mapping says, once, in the profile:

* ``files``: a file stem or sheet name -> the table it holds;
* ``columns``: per table, a source header -> the column it is;
* ``codes``: per table and column, a local code -> the canonical code
  (closure reasons, routes, episode kinds, answers...);
* ``defaults``: per table, a value for a column the export does not have;
* ``localities``: a team id -> its locality, where no team table says so;
* ``fold_ids``: identifiers are case-insensitive (``c-1`` and ``C-1`` are one id).

Example:
    >>> from earlyhelp.profiles._reading import Reader
    >>> reader = Reader.top("council.toml", {
    ...     "files": {"Case export": "cases"},
    ...     "columns": {"cases": {"Case Ref": "episode_id"}},
    ...     "codes": {"cases": {"closure_reason": {"Step-up": "escalated_to_social_care"}}},
    ...     "defaults": {"cases": {"level_of_need": 2}},
    ... })
    >>> mapping = MappingSpec.from_reader(reader)
    >>> reader.raise_problems()
    >>> mapping.files, mapping.defaults
    ({'case export': 'cases'}, {'cases': {'level_of_need': '2'}})
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from earlyhelp.profiles._reading import Reader

__all__ = ["MappingSpec", "fold_key"]


def fold_key(text: str) -> str:
    """How mapping keys and source values are compared: trimmed, case-folded, spaces single.

    Example:
        >>> fold_key("  Step-Up  "), fold_key("MOVED  out of area")
        ('step-up', 'moved out of area')
    """
    return " ".join(text.split()).casefold()


def _scalar(value: object) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    return None


def _text_map(reader: Reader, key: str, *, fold: bool) -> dict[str, str]:
    """A mapping of text to text at ``key`` (missing: empty)."""
    value = reader.raw(key, {})
    if not isinstance(value, Mapping):
        reader.problem(key, "expected a table of text keys and values")
        return {}
    out: dict[str, str] = {}
    for name, item in value.items():
        text = _scalar(item)
        if text is None:
            reader.problem(f"{key}.{name}", "expected a text, number or true/false value")
            continue
        out[fold_key(str(name)) if fold else str(name)] = text
    return out


def _nested(reader: Reader, key: str, depth: int, *, fold: bool) -> dict[str, Any]:
    """A table of tables (``depth`` levels) ending in text maps."""
    child = reader.child(key, required=False)
    if child is None:
        return {}
    out: dict[str, Any] = {}
    for name in list(child.data):
        if depth == 1:
            out[str(name)] = _text_map(child, str(name), fold=fold)
        else:
            out[str(name)] = _nested(child, str(name), depth - 1, fold=fold)
    return out


@attrs.frozen(kw_only=True)
class MappingSpec:
    """A council's mapping of its export onto ``earlyhelp``'s tables (see the module)."""

    files: dict[str, str] = attrs.field(factory=dict)
    """Folded file stem or sheet name -> table."""
    columns: dict[str, dict[str, str]] = attrs.field(factory=dict)
    """Table -> folded source header -> column."""
    codes: dict[str, dict[str, dict[str, str]]] = attrs.field(factory=dict)
    """Table -> column -> folded local code -> canonical code."""
    written_codes: dict[str, dict[str, dict[str, str]]] = attrs.field(factory=dict)
    """Table -> column -> local code as the profile writes it -> canonical code.

    The same crosswalk as :attr:`codes`, keeping each local code's spelling
    (``"NM01 Needs met"``), e.g. to write data as the council's system does."""
    defaults: dict[str, dict[str, str]] = attrs.field(factory=dict)
    """Table -> column -> value used where the source has no such column."""
    localities: dict[str, str] = attrs.field(factory=dict)
    """Team id -> locality id."""
    fold_ids: bool = False

    @classmethod
    def from_reader(cls, reader: Reader) -> MappingSpec:
        """Read a ``[mapping]`` table (problems are recorded on ``reader``)."""
        written = _nested(reader, "codes", 2, fold=False)
        mapping = cls(
            files=_text_map(reader, "files", fold=True),
            columns=_nested(reader, "columns", 1, fold=True),
            codes={
                table: {
                    column: {fold_key(code): canonical for code, canonical in crosswalk.items()}
                    for column, crosswalk in columns.items()
                }
                for table, columns in written.items()
            },
            written_codes=written,
            defaults=_nested(reader, "defaults", 1, fold=False),
            localities=_text_map(reader, "localities", fold=False),
            fold_ids=bool(reader.boolean("fold_ids", False)),
        )
        reader.finish()
        return mapping
