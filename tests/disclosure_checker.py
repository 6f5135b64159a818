"""An independent disclosure checker: can a suppressed cell be worked out from published ones?

Written from the definition, not from the library's method: a reader knows
every published cell and every total relation of the table ("a year is the sum
of its quarters", "a locality the sum of its teams", "the city the sum of its
localities", "a total the sum of its breakdown"), and only those relations
that hold exactly in the data. A suppressed cell is recovered by a linear
combination of published cells exactly when its unit vector lies in the row
space of the relations restricted to the suppressed cells. That is decided
here by exact Gaussian elimination over fractions (no floating point).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from fractions import Fraction

Cell = tuple[Hashable, ...]
Relation = tuple[Cell, Sequence[Cell]]  # (parent, children)

_QUARTER = re.compile(r"^(\d{4}-\d{2}) Q[1-4]$")


def recoverable(
    relations: Iterable[Relation], values: Mapping[Cell, int], suppressed: set[Cell]
) -> set[Cell]:
    """The suppressed cells that a linear combination of the published cells gives exactly.

    Relations that do not hold in ``values`` are ignored (a reader cannot rely
    on them); cells not in ``values`` are unknown to a reader.
    """
    unknown = suppressed | {
        cell for parent, children in relations for cell in (parent, *children)
    } - set(values)
    columns: dict[Cell, int] = {}
    pivots: dict[int, dict[int, Fraction]] = {}  # pivot column -> reduced row
    for parent, children in relations:
        if any(c not in values for c in (parent, *children)):
            continue  # a cell the table does not have: the relation is not published
        if values[parent] != sum(values[c] for c in children):
            continue
        row: dict[int, Fraction] = {}
        for cell, sign in ((parent, 1), *((c, -1) for c in children)):
            if cell in unknown:
                index = columns.setdefault(cell, len(columns))
                row[index] = row.get(index, Fraction(0)) + sign
        row = {k: v for k, v in row.items() if v}
        _add_row(pivots, row)
    determined = {column for column, row in pivots.items() if len(row) == 1}
    return {cell for cell, index in columns.items() if index in determined and cell in suppressed}


def _add_row(pivots: dict[int, dict[int, Fraction]], row: dict[int, Fraction]) -> None:
    """Add ``row`` to the reduced row echelon form kept in ``pivots``."""
    for column in [c for c in row if c in pivots]:
        factor = row.get(column)
        if not factor:
            continue
        for k, v in pivots[column].items():
            row[k] = row.get(k, Fraction(0)) - factor * v
        row = {k: v for k, v in row.items() if v}
    if not row:
        return
    pivot = min(row)
    scale = row[pivot]
    row = {k: v / scale for k, v in row.items()}
    for other in pivots.values():
        factor = other.get(pivot)
        if factor:
            for k, v in row.items():
                other[k] = other.get(k, Fraction(0)) - factor * v
            for k in [k for k, v in other.items() if not v]:
                del other[k]
    pivots[pivot] = row


def table_relations(
    cells: Iterable[tuple[str, str, str, str | None]], hierarchy: Mapping[str, str]
) -> list[Relation]:
    """Every total relation among cells keyed ``(period, level, unit_id, breakdown)``.

    Quarters add up to their year (by label), teams to their locality
    (``hierarchy``), localities to the city, and breakdown values to the total
    (``None``), each with the other coordinates held.
    """
    keys = list(cells)
    relations: list[Relation] = []

    def period_parent(key: tuple[str, str, str, str | None]) -> str | None:
        match = _QUARTER.match(key[0])
        return None if match is None else match.group(1)

    def area_parent(key: tuple[str, str, str, str | None]) -> tuple[str, str] | None:
        if key[1] == "team":
            return ("locality", hierarchy[key[2]]) if key[2] in hierarchy else None
        if key[1] == "locality":
            return ("city", "city")
        return None

    groups: dict[Cell, list[Cell]] = {}
    for key in keys:
        period, level, unit, breakdown = key
        parent_period = period_parent(key)
        if parent_period is not None:
            groups.setdefault((parent_period, level, unit, breakdown), []).append(key)
        parent_area = area_parent(key)
        if parent_area is not None:
            groups.setdefault((period, *parent_area, breakdown), []).append(key)
        if breakdown is not None:
            groups.setdefault((period, level, unit, "\0total"), []).append(key)
    for parent, children in groups.items():
        real_parent = (*parent[:3], None) if parent[3] == "\0total" else parent
        # split the children by which relation put them there: one relation each
        by_kind: dict[str, list[Cell]] = {}
        for child in children:
            if parent[3] == "\0total":
                kind = "breakdown"
            elif child[0] != real_parent[0]:
                kind = "period"
            else:
                kind = "area"
            by_kind.setdefault(kind, []).append(child)
        for members in by_kind.values():
            relations.append((real_parent, members))
    return relations
