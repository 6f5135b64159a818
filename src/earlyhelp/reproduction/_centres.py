"""Reproduction of section 8 of the source report: children's centre inspections.

"During 2014-15, 3 sets of locality centres were inspected, with all 3 having an
outcome of 'requires improvement'." The report names neither the localities nor
the dates, so the records carry made-up cluster ids and dates inside 2014-15.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import polars as pl

from earlyhelp.instruments._centres import judgement_counts
from earlyhelp.reproduction._figure import Figure

__all__ = ["report_centre_inspections", "reproduce_centres"]

_SECTION: Final = "8"
_YEAR: Final = (dt.date(2014, 4, 1), dt.date(2015, 3, 31))


def report_centre_inspections() -> pl.DataFrame:
    """The three 2014-15 inspections as ``centre_inspections`` records.

    Example:
        >>> report_centre_inspections().get_column("judgement").to_list()
        ['requires_improvement', 'requires_improvement', 'requires_improvement']
    """
    return pl.DataFrame(
        {
            "inspection_id": ["OI-A", "OI-B", "OI-C"],
            "cluster_id": ["cluster-a", "cluster-b", "cluster-c"],
            "locality_id": ["locality-a", "locality-b", "locality-c"],
            "inspected": [dt.date(2014, 6, 1), dt.date(2014, 10, 1), dt.date(2015, 2, 1)],
            "judgement": ["requires_improvement"] * 3,
        }
    )


def reproduce_centres() -> list[Figure]:
    """Recompute section 8's inspection counts from inspection records.

    Example:
        >>> [(f.published, f.computed, f.match) for f in reproduce_centres()]
        [('3', '3', True), ('3', '3', True)]
    """
    counts = judgement_counts(report_centre_inspections(), *_YEAR)
    total = int(counts.get_column("count").sum())
    improve = int(
        counts.filter(pl.col("judgement") == "requires_improvement").get_column("count").sum()
    )
    note = "The report names no localities or dates: the records' ids and dates are made up."
    return [
        Figure.compare(
            "Children's centre clusters inspected 2014-15",
            _SECTION,
            "3",
            str(total),
            note=note,
            derivation="inspections dated 01/04/2014 to 31/03/2015",
        ),
        Figure.compare(
            "Children's centre clusters judged requires improvement 2014-15",
            _SECTION,
            "3",
            str(improve),
            note=note + " 'All 3': every inspection counted is requires improvement.",
            derivation="inspections dated in the year with judgement requires_improvement",
        ),
    ]
