"""Spider graphs: the share of graphs improving.

The direction of travel itself is defined once, in
:mod:`earlyhelp.instruments._spider_bulk` (:func:`flag_spider_graphs`, and
:func:`judge_direction` for one graph).
"""

from __future__ import annotations

from fractions import Fraction

import polars as pl

from earlyhelp.model._vocab import Direction

__all__ = ["Direction", "improving_rate"]


def improving_rate(graphs: pl.DataFrame) -> Fraction | None:
    """The percentage (0..100, exact) of graphs with a direction that are improving.

    Args:
        graphs: a :func:`~earlyhelp.instruments.flag_spider_graphs` frame (its
            ``direction`` column). Graphs with no direction are left out of
            both counts.

    Returns:
        The exact percentage; ``None`` when no graph has a direction.

    Example:
        >>> graphs = pl.DataFrame({"direction": ["improving", "no_change", "worsening", None]})
        >>> improving_rate(graphs)
        Fraction(100, 3)
        >>> improving_rate(graphs.tail(1)) is None
        True
    """
    directions = graphs.get_column("direction").cast(pl.String).drop_nulls()
    if directions.is_empty():
        return None
    improving = int((directions == Direction.IMPROVING.value).sum())
    return Fraction(100 * improving, directions.len())
