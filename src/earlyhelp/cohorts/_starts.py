"""Statutory starts: the events the cohort analyses look back from, and their periods.

A *statutory start* is the first day of a child in need episode (``cin``), a
child protection plan (``cp``), a period in care (``cic``) or a period open to
the Youth Offending Service (``yos``). Periods are financial years or quarters,
both ends inclusive: a start counts in a period when its date falls in it (flow).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import polars as pl

from earlyhelp.errors import ArgumentError
from earlyhelp.io._dataset import Dataset
from earlyhelp.periods._periods import Period, during_expr

__all__ = ["STATUTORY_KINDS", "in_periods", "statutory_starts"]

STATUTORY_KINDS: Final = ("cin", "cp", "cic", "yos")
"""The kinds of statutory start, in reporting order."""


def in_periods(frame: pl.LazyFrame, column: str, periods: Sequence[Period]) -> pl.LazyFrame:
    """One row per (row, period) whose ``column`` date falls in the period; adds ``period``."""
    parts = [
        frame.filter(during_expr(column, p)).with_columns(
            pl.lit(p.label, dtype=pl.String).alias("period")
        )
        for p in periods
    ]
    return pl.concat(parts, how="vertical")


def statutory_starts(
    data: Dataset | Mapping[str, pl.DataFrame], kinds: Sequence[str] = STATUTORY_KINDS
) -> pl.LazyFrame:
    """Every statutory start of the given kinds, as one frame.

    ``data`` is a dataset, or its ``social_care_episodes`` and ``yos_episodes``
    tables by name.

    Columns: ``record_id``, ``person_id``, ``kind``, ``started``, ``locality_id``.

    Raises:
        ArgumentError: a kind is not one of ``cin``, ``cp``, ``cic``, ``yos``.
    """
    unknown = sorted(set(kinds) - set(STATUTORY_KINDS))
    if unknown:
        msg = f"unknown kinds {', '.join(unknown)}; expected some of {', '.join(STATUTORY_KINDS)}"
        raise ArgumentError(msg)
    social = (
        data["social_care_episodes"]
        .lazy()
        .select(
            pl.col("episode_id").alias("record_id"),
            "person_id",
            pl.col("kind").cast(pl.String),
            "started",
            "locality_id",
        )
    )
    yos = (
        data["yos_episodes"]
        .lazy()
        .select(
            pl.col("episode_id").alias("record_id"),
            "person_id",
            pl.lit("yos", dtype=pl.String).alias("kind"),
            "started",
            "locality_id",
        )
    )
    return pl.concat([social, yos]).filter(pl.col("kind").is_in(list(kinds)))
