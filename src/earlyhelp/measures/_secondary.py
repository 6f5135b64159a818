"""Secondary suppression: the hypercube method for linked hierarchical tables.

A published table's cells are tied together by its totals: a year is the sum
of its quarters, a locality the sum of its teams and the city the sum of its
localities, a total the sum of its breakdown. A cell suppressed for being small
(a *primary* cell) can then be worked out from the published cells of any one
of those sums, or from a longer chain of them. :func:`protect` chooses further
cells to suppress (*secondary* cells) so that no suppressed cell can be worked
out by adding and subtracting published cells.

The method is the hypercube method of Repsilber (1994) and Giessing and
Repsilber (2002), as in tau-Argus's GHMITER engine, in its exact form for
cross-classified hierarchies:

* A table has dimensions (period, area, breakdown), each a tree of codes (a
  year above its quarters, the city above its localities above their teams,
  the total above its breakdown). Its equations are, for every dimension and
  every choice of the other dimensions' codes, "parent = sum of children".
* In one dimension, a *route* through a code ``c`` is a signed set of codes
  whose vector satisfies every equation of that dimension: ``c`` and a
  sibling ``s`` (``+c - s``), or ``c`` and every ancestor up to the root
  (``+c + parent + ...``); a code that has children continues down one chain
  of first children to a leaf (``+c + child + grandchild ...``), so that its
  own equation balances too.
* The *hypercube* of one route per dimension is their product: its cells are
  every combination of the routes' codes, signed by the product of the signs.
  The product satisfies every equation of the table, because each equation
  runs along one dimension, where the route balances, with the other
  dimensions' signs as a constant factor.
* If every cell of a hypercube is suppressed, any
  solution of the published equations can be moved along it, so none of its
  cells is determined by the published cells: no linear combination of
  published cells gives any of them. :func:`protect` suppresses, for each
  primary cell in turn, the hypercube through it that suppresses the fewest
  new cells. Every suppressed cell then lies on a hypercube of suppressed
  cells, primary and secondary cells alike.

Choices are deterministic and never read the value of a primary cell, so two
tables that differ only in their primary cells' values get the same secondary
cells. Ties are broken by, in order: the fewest new zero cells (a suppressed
zero beside a primary cell of 1 would bound it), the fewest new cells, the
smallest sum of new values, then the first route in code order.

References:
    Repsilber, D. (1994). Preservation of confidentiality in aggregated data.
    Second international seminar on statistical confidentiality, Luxembourg.

    Giessing, S. and Repsilber, D. (2002). Tools and strategies to protect
    multiple tables with the GHQUAR cell suppression engine. In
    Domingo-Ferrer (ed.), *Inference Control in Statistical Databases*,
    LNCS 2316, 181-192.

    Hundepool, A. et al. (2012). *Statistical Disclosure Control*, Wiley,
    section 4.4 (the hypercube method) and the tau-Argus manual.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Final

import attrs
import polars as pl

from earlyhelp.errors import DisclosureError
from earlyhelp.periods._periods import Quarter, parse_period

__all__ = ["DimensionTree", "SuppressionCell", "protect", "secondary_cells"]

Code = Hashable
Coordinates = tuple[Code, ...]

#: At most this many routes are tried per dimension for one cell (the cheapest
#: come first in code order, so a cap only makes the choice less economical).
_MAX_ROUTES: Final = 400


@attrs.frozen(kw_only=True)
class SuppressionCell:
    """One cell of a table, as :func:`protect` sees it.

    Attributes:
        value: the exact count (read only for cells that are not primary).
        primary: suppressed for itself (small).
        eligible: may be suppressed as a secondary cell (a cell whose absence
            would itself be told by another symbol is not).
    """

    value: int
    primary: bool
    eligible: bool = True


@attrs.frozen
class DimensionTree:
    """One dimension's hierarchy: each code's parent (``None`` for a root).

    Codes that appear in a table but not here are roots without children.

    Example:
        >>> tree = DimensionTree({"Q1": "Y", "Q2": "Y", "Y": None})
        >>> tree.routes("Q1")
        [('Q1', 'Q2'), ('Q1', 'Y')]
        >>> tree.routes("Y")
        [('Y', 'Q1'), ('Y', 'Q2')]
    """

    parents: Mapping[Code, Code | None]
    _children: dict[Code, list[Code]] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        children: dict[Code, list[Code]] = {}
        for code, parent in self.parents.items():
            if parent is not None:
                children.setdefault(parent, []).append(code)
        for codes in children.values():
            codes.sort(key=_order)
        object.__setattr__(self, "_children", children)

    def _descents(self, code: Code) -> list[tuple[Code, ...]]:
        below = self._children.get(code)
        if not below:
            return [(code,)]
        chains: list[tuple[Code, ...]] = []
        for child in below:
            chains.extend((code, *rest) for rest in self._descents(child))
            if len(chains) >= _MAX_ROUTES:
                break
        return chains

    def routes(self, code: Code) -> list[tuple[Code, ...]]:
        """Every route through ``code`` (its codes, ``code`` first), siblings first."""
        parent = self.parents.get(code)
        own = self._descents(code)
        if parent is None:
            return own
        found: list[tuple[Code, ...]] = []
        for sibling in self._children[parent]:
            if sibling == code:
                continue
            for mine, theirs in itertools.product(own, self._descents(sibling)):
                found.append((*mine, *theirs))
        ancestors: list[Code] = []
        while parent is not None:
            ancestors.append(parent)
            parent = self.parents.get(parent)
        found.extend((*mine, *ancestors) for mine in own)
        return found[:_MAX_ROUTES]


def _order(code: Code) -> tuple[bool, str]:
    """Codes in a fixed order that never depends on a value: ``None`` first, then by text."""
    return (code is not None, str(code))


def _cost(
    corners: Iterable[Coordinates],
    cells: Mapping[Coordinates, SuppressionCell],
    hidden: set[Coordinates],
    best: tuple[int, int, int] | None,
) -> tuple[int, int, int] | None:
    """The cost of suppressing ``corners``: new zeros, new cells, new value; ``None``: refused."""
    zeros = count = total = 0
    for corner in corners:
        if corner in hidden:
            continue
        cell = cells.get(corner)
        if cell is None or not cell.eligible:  # a row left out reads as zero: refused
            return None
        zeros += cell.value == 0
        count += 1
        total += cell.value
        if best is not None and (zeros, count, total) >= best:
            return None
    return zeros, count, total


def _axis(coords: Coordinates, dimension: int, route: tuple[Code, ...]) -> list[Coordinates]:
    """The cells along one dimension's route, the other codes held at ``coords``."""
    return [(*coords[:dimension], code, *coords[dimension + 1 :]) for code in route]


def _allowed(
    corner: Coordinates, cells: Mapping[Coordinates, SuppressionCell], hidden: set[Coordinates]
) -> bool:
    """Whether a hypercube may have this corner: hidden already, or a cell that may be hidden."""
    if corner in hidden:
        return True
    cell = cells.get(corner)
    return cell is not None and cell.eligible


def protect(
    cells: Mapping[Coordinates, SuppressionCell], trees: Sequence[DimensionTree]
) -> set[Coordinates]:
    """The secondary cells that protect every primary cell of one table.

    Args:
        cells: the table's published cells by coordinates (one code per
            dimension, in the order of ``trees``). A combination of codes not
            in ``cells`` is taken as known (a reader reads a row left out as
            zero), so no hypercube passes through it.
        trees: each dimension's hierarchy.

    Returns:
        The coordinates to suppress besides the primary cells. After it, every
        suppressed cell lies on a hypercube of suppressed cells, so no linear
        combination of published cells gives it. When no hypercube through a
        primary cell avoids the cells that cannot be hidden, every cell of the
        table that can be hidden is.

    Example:
        A year and its quarters: one small quarter would be the year less the
        other three, so the smallest other quarter is suppressed with it.

        >>> year = DimensionTree({"Q1": "Y", "Q2": "Y", "Q3": "Y", "Q4": "Y", "Y": None})
        >>> values = {"Q1": 10, "Q2": 3, "Q3": 12, "Q4": 9, "Y": 34}
        >>> cells = {(q,): SuppressionCell(value=v, primary=v < 5) for q, v in values.items()}
        >>> protect(cells, [year])
        {('Q4',)}
    """
    hidden = {coords for coords, cell in cells.items() if cell.primary}
    secondary: set[Coordinates] = set()
    routes = [functools.cache(tree.routes) for tree in trees]
    for coords in sorted(hidden, key=lambda c: tuple(_order(code) for code in c)):
        options = [route(code) for route, code in zip(routes, coords, strict=True)]
        # A hypercube holds every corner along each of its axes through ``coords``:
        # routes whose axis already fails are dropped before trying their products.
        hidden_routes = [
            [r for r in found if all(c in hidden for c in _axis(coords, d, r))]
            for d, found in enumerate(options)
        ]
        if all(hidden_routes) and any(
            all(corner in hidden for corner in itertools.product(*choice))
            for choice in itertools.product(*hidden_routes)
        ):
            continue  # already on a hypercube of hidden cells
        options = [
            [r for r in found if all(_allowed(c, cells, hidden) for c in _axis(coords, d, r))]
            for d, found in enumerate(options)
        ]
        best: tuple[int, int, int] | None = None
        chosen: list[Coordinates] = []
        for choice in itertools.product(*options):
            cost = _cost(itertools.product(*choice), cells, hidden, best)
            if cost is not None:
                best, chosen = cost, list(itertools.product(*choice))
        if best is None:  # no hypercube avoids a cell that cannot be hidden
            chosen = [corner for corner, cell in cells.items() if cell.eligible]
        for corner in chosen:
            if corner not in hidden:
                hidden.add(corner)
                secondary.add(corner)
    return secondary


#: Columns of a results frame that are dimensions, or figures, rather than table keys.
_NOT_KEYS: Final = frozenset(
    {
        "period",
        "level",
        "unit_id",
        "breakdown",
        "unit",
        "numerator",
        "denominator",
        "value",
        "missing",
        "presented",
        "missing_reason",
        "numerator_display",
        "denominator_display",
        "value_display",
    }
)
_CITY: Final = ("city", "city")
_TOTAL: Final = ("total",)


def _period_tree(labels: Iterable[str]) -> DimensionTree:
    """Quarters under their year, where the year is in the table too."""
    present = set(labels)
    parents: dict[Code, Code | None] = {}
    for label in present:
        try:
            period = parse_period(label)
        except ValueError:  # not a period label this library reads: no parent
            period = None
        year = period.year.label if isinstance(period, Quarter) else None
        parents[label] = year if year in present else None
    return DimensionTree(parents)


def _area_tree(
    units: Iterable[tuple[str, str]], hierarchy: Mapping[str, str] | None
) -> DimensionTree:
    """Teams under their locality, localities under the city: each under the nearest present."""
    present = set(units)
    has_localities = any(level == "locality" for level, _ in present)
    city = _CITY if _CITY in present else None
    parents: dict[Code, Code | None] = {}
    for level, unit in sorted(present):
        if level == "team":
            locality = None if hierarchy is None else hierarchy.get(unit)
            if locality is None and has_localities:
                msg = (
                    f"team {unit!r}: its locality is not known, so a suppressed team could be "
                    "worked out from its locality's total; give the teams' localities "
                    "(hierarchy=, or publish the Results of compute())"
                )
                raise DisclosureError(msg)
            above = ("locality", locality)
            parents[(level, unit)] = above if above in present else city
        elif level == "locality":
            parents[(level, unit)] = city
        else:
            parents[(level, unit)] = None
    return DimensionTree(parents)


def _breakdown_tree(codes: Iterable[Code]) -> DimensionTree:
    """Breakdown values under the total, where the total is in the table too."""
    present = set(codes)
    total = _TOTAL if _TOTAL in present else None
    return DimensionTree({code: None if code == _TOTAL else total for code in present})


def secondary_cells(
    frame: pl.DataFrame,
    *,
    count: str,
    primary: str,
    eligible: str,
    hierarchy: Mapping[str, str] | None = None,
) -> pl.Series:
    """Which rows of a results frame to suppress, primary and secondary (:func:`protect`).

    Each table is one measure (and any columns besides the results' own, such
    as ``team_id``); its dimensions are ``period`` (quarters under their
    year), the area (``level`` and ``unit_id``: teams under their locality,
    localities under the city) and ``breakdown`` (values under the total).

    Args:
        frame: the rows, with the columns named below.
        count: the column of exact counts (null: not published).
        primary: a boolean column, true for primary cells.
        eligible: a boolean column, false for a cell that may not be hidden.
        hierarchy: each team's locality; needed when teams and localities are
            both in ``frame``.

    Returns:
        A boolean series: true for every cell to suppress.

    Raises:
        DisclosureError: ``frame`` has teams and localities but a team's locality
            is not in ``hierarchy``.

    Example:
        >>> quarters = pl.DataFrame({
        ...     "measure_id": ["ehas"] * 5,
        ...     "period": ["2014-15 Q1", "2014-15 Q2", "2014-15 Q3", "2014-15 Q4", "2014-15"],
        ...     "n": [10, 3, 12, 9, 34]}).with_columns(small=pl.col("n") < 5, ok=True)
        >>> secondary_cells(quarters, count="n", primary="small", eligible="ok").to_list()
        [False, True, False, True, False]
    """
    columns = frame.columns
    area = "level" in columns and "unit_id" in columns
    keys = [c for c in columns if c not in _NOT_KEYS and c not in (count, primary, eligible)]
    dims = [
        "period",
        *(["level", "unit_id"] if area else []),
        *(["breakdown"] if "breakdown" in columns else []),
    ]
    indexed = frame.select(*keys, *dims, count, primary, eligible).with_row_index("_row")
    # rows that share every coordinate are separate figures, in no relation to each other
    indexed = indexed.with_columns(
        _alone=pl.when(pl.len().over(*keys, *dims) > 1).then(pl.col("_row"))
    )
    keys = [*keys, "_alone"]
    flagged = indexed.filter(pl.col(primary).fill_null(value=False).any().over(keys))
    hidden = indexed.get_column(primary).fill_null(value=False).to_list()
    if flagged.is_empty():
        return pl.Series(primary, hidden, dtype=pl.Boolean)
    for _, table in flagged.group_by(keys, maintain_order=True):
        periods = table.get_column("period").to_list()
        coords: list[Sequence[Code]] = [periods]
        trees = [_period_tree(set(periods))]
        if area:
            units: list[tuple[str, str]] = list(
                zip(table["level"].to_list(), table["unit_id"].to_list(), strict=True)
            )
            coords.append(units)
            trees.append(_area_tree(units, hierarchy))
        if "breakdown" in columns:
            breakdowns: list[Code] = [
                _TOTAL if b is None else ("part", b) for b in table["breakdown"].to_list()
            ]
            coords.append(breakdowns)
            trees.append(_breakdown_tree(breakdowns))
        rows = table.get_column("_row").to_list()
        cells: dict[Coordinates, SuppressionCell] = {}
        where: dict[Coordinates, int] = {}
        for row, key, value, small, ok in zip(
            rows,
            zip(*coords, strict=True),
            table[count].to_list(),
            table[primary].to_list(),
            table[eligible].to_list(),
            strict=True,
        ):
            if value is None:
                continue
            cells[key] = SuppressionCell(value=value, primary=bool(small), eligible=bool(ok))
            where[key] = row
        for key in protect(cells, trees):
            hidden[where[key]] = True
    return pl.Series(primary, hidden, dtype=pl.Boolean)
