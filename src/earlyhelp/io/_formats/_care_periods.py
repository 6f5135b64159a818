"""Periods of care from looked-after episodes (SSDA903 and the SSD's ``ssd_cla_episodes``).

An SSDA903 episode changes whenever a child's legal status or placement changes,
so one period in care is usually several episodes. A period starts with an
episode whose reason for new episode (RNE) is ``S`` (started to be looked after),
and continues while each episode ends with reason ``X1`` (episode ceases and a new
one begins the same day) and the next starts on that day. Counting episodes as
care starts overcounts; counting periods is right.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from earlyhelp.io._parsing import read_date

__all__ = ["CONTINUES", "STARTS_CARE", "care_periods_frame", "periods_of_care"]

STARTS_CARE: Final = "S"
"""RNE code: started to be looked after."""
CONTINUES: Final = "X1"
"""REC code: episode ceases, and a new episode begins on the same day, for any reason."""


# What a period keeps of its first episode, where the episodes have it.
_FIRST: Final = (
    "legal_status",
    "placement",
    "placement_provider",
    "placement_postcode",
    "primary_need",
)


def periods_of_care(episodes: pl.DataFrame) -> pl.DataFrame:
    """Group episodes into periods of care, one row per period.

    Args:
        episodes: columns ``person_id``, ``started``, ``ended`` (dates, ended null
            while open), ``start_reason`` (RNE), ``end_reason`` (REC), and
            optionally ``legal_status``, ``placement``, ``placement_provider``,
            ``placement_postcode``, ``primary_need``.

    Returns:
        One row per period: ``person_id``, ``period`` (its number for the
        person, from 1), ``started`` (the first episode's start), ``ended`` (the
        last episode's end, null while open), ``start_reason`` and the first
        episode's legal status, placement (type, provider, postcode) and
        need, ``end_reason`` (the last
        episode's REC), and ``episodes`` (how many it groups).

    Example:
        >>> import datetime as dt
        >>> d = dt.date
        >>> eps = pl.DataFrame({
        ...     "person_id": ["A", "A", "A", "B"],
        ...     "started": [d(2024, 1, 1), d(2024, 2, 1), d(2024, 6, 1), d(2024, 3, 1)],
        ...     "ended": [d(2024, 2, 1), d(2024, 3, 1), None, None],
        ...     "start_reason": ["S", "P", "S", "S"],
        ...     "end_reason": ["X1", "E11", None, None],
        ... })
        >>> periods_of_care(eps).select("person_id", "started", "ended", "episodes").rows()
        [('A', datetime.date(2024, 1, 1), datetime.date(2024, 3, 1), 2), ('A', datetime.date(2024, 6, 1), None, 1), ('B', datetime.date(2024, 3, 1), None, 1)]
    """
    optional = [c for c in _FIRST if c in episodes.columns]
    ordered = episodes.sort("person_id", "started", "ended", nulls_last=True, maintain_order=True)
    same_person = pl.col("person_id") == pl.col("person_id").shift(1)
    continues = (
        same_person
        & (pl.col("end_reason").shift(1) == CONTINUES)
        & (pl.col("ended").shift(1) == pl.col("started"))
        & (pl.col("start_reason") != STARTS_CARE)
    ).fill_null(False)
    numbered = ordered.with_columns(
        (~continues).cast(pl.Int64).cum_sum().over("person_id").alias("period")
    )
    return (
        numbered.group_by("person_id", "period", maintain_order=True)
        .agg(
            pl.col("started").first(),
            pl.col("ended").last(),
            pl.col("start_reason").first(),
            pl.col("end_reason").last(),
            *(pl.col(c).first() for c in optional),
            pl.len().alias("episodes"),
        )
        .sort("person_id", "period")
    )


def care_periods_frame(episodes: pl.DataFrame, legal: pl.DataFrame | None) -> pl.DataFrame:
    """Text episodes (person_id, started, ended, start_reason, end_reason, ...) -> periods.

    Episodes whose dates cannot be read are passed through alone, so validation
    rejects them by row rather than losing them.
    """
    typed = episodes.with_columns(
        read_date(pl.col("started")).alias("__started"), read_date(pl.col("ended")).alias("__ended")
    )
    readable = (
        pl.col("__started").is_not_null()
        & (pl.col("ended").is_null() | pl.col("__ended").is_not_null())
        & pl.col("person_id").is_not_null()
    )
    good = (
        typed.filter(readable)
        .drop("started", "ended")
        .rename({"__started": "started", "__ended": "ended"})
    )
    bad = typed.filter(~readable).drop("__started", "__ended")
    periods = periods_of_care(good)
    if legal is not None and "legal_status" not in periods.columns:
        status = (
            legal.with_columns(read_date(pl.col("from")).alias("from"))
            .drop_nulls(["person_id", "from"])
            .sort("from")
        )
        periods = (
            periods.sort("started")
            .join_asof(
                status,
                left_on="started",
                right_on="from",
                by="person_id",
                strategy="backward",
                check_sortedness=False,
            )
            .drop("from")
        )
    periods = periods.with_columns(
        pl.format("cic-{}-{}", "person_id", "period").alias("episode_id"),
        pl.lit("cic").alias("kind"),
        pl.col("started").cast(pl.String),
        pl.col("ended").cast(pl.String),
    ).drop("period", "episodes")
    bad = bad.with_columns(
        (
            "cic-"
            + pl.col("person_id").fill_null("?")
            + "-row"
            + pl.int_range(pl.len()).cast(pl.String)
        ).alias("episode_id"),
        pl.lit("cic").alias("kind"),
    )
    return pl.concat([periods.sort("person_id", "started"), bad], how="diagonal_relaxed")
