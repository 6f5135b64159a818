"""The demo dataset's children's centres, their inspections and young people's characteristics.

Drawn from their own random stream (seeded from the demo's seed) so adding these
tables leaves every other demo table unchanged.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import numpy as np
import polars as pl

from earlyhelp.demo._instruments import DemoWindow, dates, table
from earlyhelp.demo._shape import DemoShape

__all__ = ["centre_tables", "characteristics"]

_CENTRES_PER_CLUSTER: Final = 3


def centre_tables(window: DemoWindow, shape: DemoShape) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One cluster of three centres per locality; each cluster inspected once.

    As in the source city, every second locality's cluster (the 2nd, 4th,
    6th...) is inspected in the last financial year and judged
    ``requires_improvement``; the others in the first year, judged ``good``.
    """
    localities = shape.localities
    clusters = [f"CL{index}" for index in range(1, len(localities) + 1)]
    centres = table(
        "childrens_centres",
        {
            "centre_id": [
                f"CC{index}{n}"
                for index in range(1, len(localities) + 1)
                for n in range(1, _CENTRES_PER_CLUSTER + 1)
            ],
            "cluster_id": [c for c in clusters for _ in range(_CENTRES_PER_CLUSTER)],
            "locality_id": [loc for loc in localities for _ in range(_CENTRES_PER_CLUSTER)],
        },
    )
    last = window.first_year + window.years - 1
    days = []
    judgements = []
    for index, _ in enumerate(localities):
        late = index % 2 == 1
        year = last if late else window.first_year
        days.append(dt.date(year, 10 + index % 3, 8 + index))
        judgements.append("requires_improvement" if late else "good")
    inspections = table(
        "centre_inspections",
        {
            "inspection_id": [f"OI{n + 1}" for n in range(len(localities))],
            "cluster_id": clusters,
            "locality_id": list(localities),
            "inspected": days,
            "judgement": judgements,
        },
    )
    return centres, inspections


def characteristics(rng: np.random.Generator, neet: pl.DataFrame) -> pl.DataFrame:
    """About 12% of the NEET cohort with special educational needs, 4% teenage parents."""
    young = neet.select("person_id", "date_of_birth").unique("person_id", maintain_order=True)
    n = young.height
    born = young["date_of_birth"].cast(pl.Int64).to_numpy()
    sen = rng.random(n) < 0.12
    parent = rng.random(n) < 0.04
    sen_start = born + 5 * 365 + rng.integers(0, 8 * 365, n)
    parent_start = born + 15 * 365 + rng.integers(0, 2 * 365, n)
    person = young["person_id"]
    return table(
        "characteristics",
        {
            "person_id": pl.concat(
                [person.filter(pl.Series(sen)), person.filter(pl.Series(parent))]
            ),
            "characteristic": ["sen"] * int(sen.sum()) + ["teenage_parent"] * int(parent.sum()),
            "start": pl.concat([dates(sen_start[sen]), dates(parent_start[parent])]),
            "end": [None] * int(sen.sum() + parent.sum()),
        },
    )
