"""Team around the family: early help work beside the lead-professional caseload.

The source report's caseload "relates to Lead Professional (LP) cases only and
does not account for cases where early help staff are involved with a family as
part of a Team around the Family approach". This counts both, separately, per
period and team (or locality, or the city):

* ``lead_professional_cases``: early help cases open at the end of the period's
  last day (stock), as the caseload is counted;
* ``tac_involvements``: team around the family involvements open at the end of
  the period's last day (stock);
* ``tac_started``: involvements that started on a day of the period (flow);
* ``tac_families``: the distinct families (or, where no family is recorded, the
  cases) those open involvements are with.

An involvement whose worker is the lead professional of the case it names is
lead-professional casework, not team around the family work: it is left out of
the ``tac_`` counts (and listed by :func:`lead_professional_overlaps`), so no
piece of work is counted twice.
"""

from __future__ import annotations

from typing import Literal

import polars as pl

from earlyhelp.cohorts._starts import in_periods
from earlyhelp.errors import ArgumentError
from earlyhelp.io._dataset import Dataset
from earlyhelp.periods._periods import PeriodsLike, as_periods, open_at_expr

__all__ = ["lead_professional_overlaps", "tac_members", "team_around_family"]

By = Literal["team", "locality", "city"]


def _involvements(data: Dataset) -> pl.LazyFrame:
    cases = (
        data["cases"]
        .lazy()
        .select(
            "episode_id",
            pl.col("worker_id").alias("lead_worker_id"),
            pl.col("family_id").alias("case_family_id"),
        )
    )
    teams = data["teams"].lazy().select("team_id", "locality_id")
    return (
        data["tac_involvements"]
        .lazy()
        .join(cases, on="episode_id", how="left", maintain_order="left")
        .join(teams, on="team_id", how="left", maintain_order="left")
        .with_columns(
            (pl.col("worker_id") == pl.col("lead_worker_id"))
            .fill_null(value=False)
            .alias("is_lead"),
            pl.coalesce("family_id", "case_family_id", "episode_id").alias("family_key"),
        )
    )


def lead_professional_overlaps(data: Dataset) -> pl.DataFrame:
    """Involvement ids whose worker is the lead professional of the case they name.

    Example:
        >>> import earlyhelp as eh
        >>> lead_professional_overlaps(eh.load(eh.demo_path())).columns
        ['involvement_id', 'episode_id', 'worker_id']
    """
    return (
        _involvements(data)
        .filter(pl.col("is_lead"))
        .select("involvement_id", "episode_id", "worker_id")
        .collect(engine="in-memory")
    )


def tac_members(data: Dataset, periods: PeriodsLike) -> pl.LazyFrame:
    """Team around the family involvements open at each period's end (stock).

    One row per (involvement, period): ``period``, ``involvement_id``,
    ``team_id``, ``locality_id``, ``family_key``. Lead-professional work is left out.
    """
    work = _involvements(data).filter(~pl.col("is_lead"))
    parts = [
        work.filter(open_at_expr("started", "ended", p.end)).with_columns(
            pl.lit(p.label, dtype=pl.String).alias("period")
        )
        for p in as_periods(periods)
    ]
    return pl.concat(parts).select(
        "period", "involvement_id", "team_id", "locality_id", "family_key"
    )


def team_around_family(data: Dataset, *, period: PeriodsLike, by: By = "team") -> pl.DataFrame:
    """Team around the family involvements, counted apart from the lead-professional caseload.

    Args:
        data: the dataset (``tac_involvements``, ``cases`` and ``teams`` are read).
        period: a financial year or quarter, or several.
        by: ``"team"``, ``"locality"`` or ``"city"``.

    Returns:
        One row per period and team (locality, or the city): ``period``, the
        ``by`` column (none for the city), ``lead_professional_cases``,
        ``tac_involvements``, ``tac_started``, ``tac_families`` (exact counts).

    Example:
        >>> import earlyhelp as eh
        >>> data = eh.load(eh.demo_path())
        >>> city = eh.cohorts.team_around_family(data, period="2014-15 Q4", by="city")
        >>> city.columns
        ['period', 'lead_professional_cases', 'tac_involvements', 'tac_started', 'tac_families']
        >>> row = city.row(0, named=True)
        >>> row["tac_involvements"] >= row["tac_families"] > 0
        True
    """
    if by not in ("team", "locality", "city"):
        msg = (
            f"cannot count team around the family by {by!r}; expected 'team', 'locality' or 'city'"
        )
        raise ArgumentError(msg)
    periods = as_periods(period)
    labels = list(dict.fromkeys(p.label for p in periods))
    keys = ["period"] + ([] if by == "city" else [f"{by}_id"])
    caseload = (
        pl.concat(
            [
                data["cases"]
                .lazy()
                .filter(open_at_expr("opened", "closed", p.end))
                .with_columns(pl.lit(p.label, dtype=pl.String).alias("period"))
                for p in periods
            ]
        )
        .group_by(keys)
        .agg(pl.len().alias("lead_professional_cases"))
    )
    open_work = (
        tac_members(data, periods)
        .group_by(keys)
        .agg(
            pl.len().alias("tac_involvements"),
            pl.col("family_key").n_unique().alias("tac_families"),
        )
    )
    work = _involvements(data).filter(~pl.col("is_lead"))
    started = in_periods(work, "started", periods).group_by(keys).agg(pl.len().alias("tac_started"))
    counts = ("lead_professional_cases", "tac_involvements", "tac_started", "tac_families")
    everything = pl.concat([frame.select(keys) for frame in (caseload, open_work, started)]).unique(
        maintain_order=True
    )
    return (
        everything.join(caseload, on=keys, how="left", nulls_equal=True)
        .join(open_work, on=keys, how="left", nulls_equal=True)
        .join(started, on=keys, how="left", nulls_equal=True)
        .with_columns(pl.col(c).fill_null(0).cast(pl.Int64) for c in counts)
        .sort(pl.col("period").cast(pl.Enum(labels)), *keys[1:], nulls_last=True)
        .select(*keys, *counts)
        .collect(engine="in-memory")
    )
