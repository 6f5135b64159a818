"""Early help before statutory services: who had it, when, and how it closed.

For each statutory start (see :mod:`earlyhelp.cohorts._starts`) in a period,
the profile's ``prior_early_help`` rule version in force on the start date gives
a look-back window. The child *accessed* early help before when one of their
early help cases was open on at least one day of the window (opened on or before
its last day, and still open or closed on or after its first day); they were
*offered* it when they accessed it or a referral of theirs to early help is
dated in the window. The case reported is the most recent: the latest closure
(a case still open counts as latest), then the latest opening, then the
smallest id.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Final, Literal

import attrs
import polars as pl

from earlyhelp.cohorts._lookback import window_days_expr
from earlyhelp.cohorts._starts import (
    STATUTORY_KINDS,
    PeriodsLike,
    as_periods,
    in_periods,
    statutory_starts,
)
from earlyhelp.io._dataset import Dataset
from earlyhelp.profiles._applying import (
    VERSION_COLUMN,
    ProfileLike,
    pick_by_version,
    raise_if_unruled,
    resolve_profile,
    version_index,
)
from earlyhelp.profiles._profile import Profile
from earlyhelp.rules._prior_rule import PriorEarlyHelpRule

__all__ = ["PriorEarlyHelp", "prior_early_help", "prior_starts"]

By = Literal["locality", "city"]
_LATEST: Final = dt.date(9999, 12, 31)


def _windows(starts: pl.LazyFrame, profile: Profile) -> pl.LazyFrame:
    versions = profile.versions(PriorEarlyHelpRule)
    started = pl.col("started")
    firsts, lasts, ids = {}, {}, {}
    for index, version in enumerate(versions):
        firsts[index], lasts[index] = window_days_expr(version.window, started)
        ids[index] = pl.lit(version.rule_id, dtype=pl.String)
    frame = starts.with_columns(version_index(versions, started).alias(VERSION_COLUMN))
    frame = frame.with_columns(
        pick_by_version(ids, pl.String()).alias("rule_id"),
        pick_by_version(firsts, pl.Date()).alias("window_first"),
        pick_by_version(lasts, pl.Date()).alias("window_last"),
    )
    raise_if_unruled(
        frame.with_columns(pl.col("record_id").alias("__id")),
        "started",
        profile,
        "prior early help",
        "statutory episode",
    )
    return frame.drop(VERSION_COLUMN)


def _latest_case(frame: pl.LazyFrame, data: Dataset) -> pl.LazyFrame:
    cases = (
        data["cases"]
        .lazy()
        .select(
            "person_id",
            pl.col("episode_id").alias("prior_episode_id"),
            pl.col("opened").alias("prior_opened"),
            pl.col("closed").alias("prior_closed"),
            pl.col("closure_reason").alias("prior_closure_reason"),
        )
    )
    keys = frame.select("period", "record_id", "person_id", "window_first", "window_last")
    hits = keys.join(cases, on="person_id").filter(
        (pl.col("prior_opened") <= pl.col("window_last"))
        & (pl.col("prior_closed").is_null() | (pl.col("prior_closed") >= pl.col("window_first")))
    )
    ordered = hits.sort(
        "period",
        "record_id",
        pl.col("prior_closed").fill_null(_LATEST),
        "prior_opened",
        "prior_episode_id",
        descending=[False, False, True, True, False],
    )
    best = ordered.unique(["period", "record_id"], keep="first", maintain_order=True)
    return best.drop("person_id", "window_first", "window_last")


def _latest_referral(frame: pl.LazyFrame, data: Dataset) -> pl.LazyFrame:
    referrals = (
        data["referrals"]
        .lazy()
        .select(
            "person_id",
            pl.col("referral_id").alias("prior_referral_id"),
            pl.col("referral_date").alias("prior_referral_date"),
        )
    )
    keys = frame.select("period", "record_id", "person_id", "window_first", "window_last")
    hits = keys.join(referrals, on="person_id").filter(
        pl.col("prior_referral_date").is_between(
            pl.col("window_first"), pl.col("window_last"), closed="both"
        )
    )
    ordered = hits.sort(
        "period",
        "record_id",
        "prior_referral_date",
        "prior_referral_id",
        descending=[False, False, True, False],
    )
    best = ordered.unique(["period", "record_id"], keep="first", maintain_order=True)
    return best.drop("person_id", "window_first", "window_last")


def prior_starts(
    data: Dataset,
    *,
    profile: ProfileLike,
    period: PeriodsLike,
    kinds: tuple[str, ...] = STATUTORY_KINDS,
) -> pl.DataFrame:
    """One row per statutory start in each period, with its prior early help.

    Columns: ``period``, ``record_id`` (the statutory episode), ``person_id``,
    ``kind``, ``started``, ``locality_id``, ``rule_id``, ``window_first`` and
    ``window_last`` (the look-back's days, inclusive), ``accessed``, ``offered``,
    ``prior_episode_id``, ``prior_opened``, ``prior_closed``,
    ``prior_closure_reason``, ``days_before`` (from the case's closure to the
    start; null while the case was open at the start), ``open_at_start``,
    ``prior_referral_id`` and ``prior_referral_date`` (the latest referral in
    the window). ``accessed`` and ``offered`` are null where no rule version is
    in force under a lenient profile.

    Raises:
        NoRuleInForceError: a start is dated where no ``prior_early_help``
            version is in force, under a strict profile.
    """
    rules = resolve_profile(profile)
    periods = as_periods(period)
    starts = in_periods(statutory_starts(data, kinds), "started", periods)
    frame = _windows(starts, rules)
    joined = frame.join(
        _latest_case(frame, data), on=["period", "record_id"], how="left", maintain_order="left"
    ).join(
        _latest_referral(frame, data),
        on=["period", "record_id"],
        how="left",
        maintain_order="left",
    )
    ruled = pl.col("rule_id").is_not_null()
    accessed = pl.col("prior_episode_id").is_not_null()
    offered = accessed | pl.col("prior_referral_id").is_not_null()
    closed_by_start = pl.col("prior_closed") <= pl.col("started")
    out = joined.with_columns(
        pl.when(ruled).then(accessed).alias("accessed"),
        pl.when(ruled).then(offered).alias("offered"),
        pl.when(closed_by_start)
        .then((pl.col("started") - pl.col("prior_closed")).dt.total_days())
        .alias("days_before"),
        (accessed & ~closed_by_start.fill_null(value=False)).alias("open_at_start"),
    )
    labels = list(dict.fromkeys(p.label for p in periods))
    order = (
        pl.col("period").cast(pl.Enum(labels)),
        pl.col("kind").cast(pl.Enum(list(STATUTORY_KINDS))),
    )
    return (
        out.sort(*order, "started", "record_id")
        .select(
            "period",
            "record_id",
            "person_id",
            "kind",
            "started",
            "locality_id",
            "rule_id",
            "window_first",
            "window_last",
            "accessed",
            "offered",
            "prior_episode_id",
            "prior_opened",
            "prior_closed",
            "prior_closure_reason",
            "days_before",
            "open_at_start",
            "prior_referral_id",
            "prior_referral_date",
        )
        .collect(engine="in-memory")
    )


def _share(part: int, whole: int) -> Fraction | None:
    return None if whole == 0 else Fraction(part, whole)


@attrs.frozen
class PriorEarlyHelp:
    """Statutory starts and the early help the children had before them.

    Attributes:
        starts: one row per start (see ``prior_starts``): the provenance.
        table: one row per period, kind (and locality when ``by="locality"``):
            ``starts``, ``offered`` and ``accessed`` (exact counts).
        by: ``"locality"`` or ``"city"``.
    """

    starts: pl.DataFrame
    table: pl.DataFrame
    by: By

    def counts(
        self, period: str, kind: str, locality_id: str | None = None
    ) -> tuple[int, int, int]:
        """``(starts, offered, accessed)`` for one row of the table (zeros if absent)."""
        rows = self.table.filter(pl.col("period") == period, pl.col("kind") == kind)
        if self.by == "locality":
            rows = rows.filter(pl.col("locality_id").eq_missing(locality_id))
        if rows.height == 0:
            return (0, 0, 0)
        starts, offered, accessed = rows.select("starts", "offered", "accessed").row(0)
        return int(starts), int(offered), int(accessed)

    def accessed_share(
        self, period: str, kind: str, locality_id: str | None = None
    ) -> Fraction | None:
        """Starts whose child accessed early help before ÷ starts; ``None`` if no starts."""
        starts, _, accessed = self.counts(period, kind, locality_id)
        return _share(accessed, starts)

    def offered_share(
        self, period: str, kind: str, locality_id: str | None = None
    ) -> Fraction | None:
        """Starts whose child was offered early help before ÷ starts; ``None`` if no starts."""
        starts, offered, _ = self.counts(period, kind, locality_id)
        return _share(offered, starts)

    def ids(self, period: str, kind: str, *, accessed: bool = True) -> list[str]:
        """The statutory episode ids behind a count: with (or without) prior early help."""
        rows = self.starts.filter(
            pl.col("period") == period,
            pl.col("kind") == kind,
            pl.col("accessed") == accessed,
        )
        return rows.get_column("record_id").to_list()

    def __str__(self) -> str:
        shown = self.table.with_columns(
            (100 * pl.col("offered") / pl.col("starts")).round(1).alias("offered_%"),
            (100 * pl.col("accessed") / pl.col("starts")).round(1).alias("accessed_%"),
        )
        with pl.Config(tbl_rows=-1, tbl_hide_dataframe_shape=True, tbl_hide_column_data_types=True):
            return str(shown)


def prior_early_help(
    data: Dataset,
    *,
    profile: ProfileLike,
    period: PeriodsLike,
    by: By = "locality",
    kinds: tuple[str, ...] = STATUTORY_KINDS,
) -> PriorEarlyHelp:
    """Early help offered and accessed before child protection, care, CIN and YOS starts.

    Args:
        data: the dataset (``social_care_episodes``, ``yos_episodes``,
            ``cases`` and ``referrals`` are read).
        profile: its ``prior_early_help`` rule gives the look-back window.
        period: a financial year or quarter (or several); a start counts in a
            period when its date falls in it, both ends inclusive.
        by: ``"locality"`` (the statutory episode's locality) or ``"city"``.
        kinds: which starts: some of ``cin``, ``cp``, ``cic``, ``yos``.

    Returns:
        The starts with their prior early help, and the counts table.

    Example:
        >>> import earlyhelp as eh
        >>> data = eh.load(eh.demo_path())
        >>> result = eh.prior_early_help(data, profile="derby-2014-15", period="2014-15", by="city")
        >>> starts, offered, accessed = result.counts("2014-15", "cp")
        >>> starts == result.starts.filter(pl.col("kind") == "cp").height
        True
        >>> 0 < accessed <= offered <= starts
        True
    """
    if by not in ("locality", "city"):
        msg = f"cannot break prior early help down by {by!r}; expected 'locality' or 'city'"
        raise ValueError(msg)
    starts = prior_starts(data, profile=profile, period=period, kinds=kinds)
    keys = ["period", "kind"] + (["locality_id"] if by == "locality" else [])
    table = (
        starts.group_by(keys, maintain_order=True)
        .agg(
            pl.len().cast(pl.Int64).alias("starts"),
            pl.col("offered").sum().cast(pl.Int64),
            pl.col("accessed").sum().cast(pl.Int64),
        )
        .sort(
            pl.col("period").cast(pl.Enum(list(dict.fromkeys(starts["period"])))),
            pl.col("kind").cast(pl.Enum(list(STATUTORY_KINDS))),
            *keys[2:],
            nulls_last=True,
        )
    )
    return PriorEarlyHelp(starts=starts, table=table, by=by)
