"""Time to escalation: how soon early help cases step up to social care.

For the early help cases opened in a period, grouped by *cohort* (the financial
quarter of opening) and by locality, team or the whole city, this estimates the
share stepped up to social care within ``h`` calendar months of opening (3, 6
and 12 by default), as a cumulative incidence that allows for cases still open.

Definitions:

* **Month of an event.** A case closed on day ``d`` closed in month ``k``, the
  smallest ``k >= 1`` with ``d <= opened + k months`` (calendar months, clamped
  at month end, as :func:`~earlyhelp.periods.add_months`). "Within 3 months" therefore
  means closed on or before ``opened + 3 months``.
* **Censoring.** The analysis date ``censor_at`` is a parameter, never the clock.
  What happened after it is not known: a case closed after ``censor_at`` is
  treated as still open on it. Each case is followed for the whole months it
  has had by ``censor_at`` (the largest ``f`` with ``opened + f months <=
  censor_at``). A case still open is censored after month ``f``; so is a case
  that closed in month ``f + 1``, which is not yet whole (counting that closure
  while leaving out the cases still open in the same part-month would bias the
  estimate upwards). A case still open is never counted as escalated.
* **Step-up.** Whether a closure is a step-up is the profile's escalation rule
  (:func:`~earlyhelp.rules.flag_step_ups`), not re-encoded here.
* **Other closures are competing events**, not censored: a case closed because
  its outcomes were met can no longer step up, so it leaves the risk set *and*
  lowers the chance of a later step-up. Treating it as censored would assume it
  might still step up, and overstate escalation. The estimate is the
  Aalen-Johansen cumulative incidence over months ``k = 1, 2, ...``::

      F(k) = F(k-1) + S(k-1) * up(k) / n(k)
      S(k) = S(k-1) * (1 - (up(k) + other(k)) / n(k))

  where ``n(k)`` is the cases still open and observed at month ``k``. With no
  case censored before ``h`` months, ``F(h)`` is exactly the share of cases
  stepped up within ``h`` months. Every value is an exact :class:`Fraction`;
  ``None`` when no case is left at risk before the curve is settled.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import attrs
import polars as pl

from earlyhelp.errors import ArgumentError, NotFoundError
from earlyhelp.io._dataset import Dataset
from earlyhelp.periods._periods import PeriodsLike, as_periods, during_expr
from earlyhelp.profiles._applying import ProfileLike, resolve_profile
from earlyhelp.rules._escalation import flag_step_ups

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["EscalationCurves", "EscalationPoint", "month_of_expr", "time_to_escalation"]

By = Literal["locality", "team", "city"]


def month_of_expr(opened: pl.Expr, day: pl.Expr) -> pl.Expr:
    """The smallest ``k >= 1`` with ``day <= opened + k months`` (``day >= opened``)."""
    diff = (day.dt.year() - opened.dt.year()) * 12 + (day.dt.month() - opened.dt.month())
    reached = opened.dt.offset_by(pl.format("{}mo", diff))
    k = pl.when(day <= reached).then(diff).otherwise(diff + 1)
    return pl.max_horizontal(k, pl.lit(1))


def _followed_months(opened: pl.Expr, censor_at: dt.date) -> pl.Expr:
    """The largest ``k`` with ``opened + k months <= censor_at`` (negative before opening)."""
    at = pl.lit(censor_at)
    diff = (at.dt.year() - opened.dt.year()) * 12 + (at.dt.month() - opened.dt.month())
    reached = opened.dt.offset_by(pl.format("{}mo", diff))
    return pl.when(reached <= at).then(diff).otherwise(diff - 1)


def _quarter_label(day: pl.Expr) -> pl.Expr:
    start = pl.when(day.dt.month() >= 4).then(day.dt.year()).otherwise(day.dt.year() - 1)
    number = ((day.dt.month() + 8) % 12) // 3 + 1
    return pl.format("{}-{} Q{}", start, ((start + 1) % 100).cast(pl.String).str.zfill(2), number)


@attrs.frozen
class EscalationPoint:
    """The cumulative incidence of step-up ``months`` after opening, for one group.

    Attributes:
        cohort: the quarter of opening, e.g. ``"2014-15 Q1"``.
        group: the locality or team id; ``None`` for the city.
        months: months since opening.
        cases: cases in the group.
        at_risk: cases still open and observed in month ``months``.
        stepped_up: cases stepped up within ``months`` (observed).
        other_closures: cases closed otherwise within ``months`` (competing).
        censored: cases open at ``censor_at`` and followed for fewer months.
        incidence: the cumulative incidence (Aalen-Johansen), or ``None``.
    """

    cohort: str
    group: str | None
    months: int
    cases: int
    at_risk: int
    stepped_up: int
    other_closures: int
    censored: int
    incidence: Fraction | None


def _curve(
    cohort: str, group: str | None, counts: dict[tuple[int, str], int], cases: int, last: int
) -> list[EscalationPoint]:
    """One group's points for months ``1..last`` from its (month, status) counts."""
    points = []
    survival, incidence = Fraction(1), Fraction(0)
    settled = True
    up_total = other_total = censored = 0
    for k in range(1, last + 1):
        censored += counts.get((k - 1, "censored"), 0)  # followed for fewer than k months
        at_risk = cases - up_total - other_total - censored
        up, other = counts.get((k, "up"), 0), counts.get((k, "other"), 0)
        if at_risk == 0:
            settled = settled and survival == 0
        elif settled:
            incidence += survival * Fraction(up, at_risk)
            survival *= 1 - Fraction(up + other, at_risk)
        up_total += up
        other_total += other
        points.append(
            EscalationPoint(
                cohort=cohort,
                group=group,
                months=k,
                cases=cases,
                at_risk=at_risk,
                stepped_up=up_total,
                other_closures=other_total,
                censored=censored,
                incidence=incidence if settled else None,
            )
        )
    return points


@attrs.frozen
class EscalationCurves:
    """Cumulative incidence of step-up by months since opening, per cohort and group.

    Attributes:
        points: every month from 1 to the longest horizon, for every cohort and
            group, and for the city (``group=None``).
        horizons: the months reported in :attr:`table`.
        by: ``"locality"``, ``"team"`` or ``"city"``.
        censor_at: the analysis date.
    """

    points: tuple[EscalationPoint, ...]
    horizons: tuple[int, ...]
    by: By
    censor_at: dt.date

    def incidence(self, cohort: str, months: int, group: str | None = None) -> Fraction | None:
        """The cumulative incidence for one cohort and group at ``months``.

        Raises:
            NotFoundError: no such cohort, group or month.
        """
        for point in self.points:
            if (point.cohort, point.group, point.months) == (cohort, group, months):
                return point.incidence
        msg = f"no estimate for cohort {cohort!r}, group {group!r} at {months} months"
        raise NotFoundError(msg)

    @property
    def table(self) -> pl.DataFrame:
        """The horizons as a frame; ``incidence`` holds exact :class:`Fraction` objects."""
        rows = [attrs.asdict(p) for p in self.points if p.months in self.horizons]
        schema = {
            "cohort": pl.String,
            "group": pl.String,
            "months": pl.Int64,
            "cases": pl.Int64,
            "at_risk": pl.Int64,
            "stepped_up": pl.Int64,
            "other_closures": pl.Int64,
            "censored": pl.Int64,
            "incidence": pl.Object,
        }
        return pl.DataFrame(rows, schema=schema, orient="row")

    def __str__(self) -> str:
        lines = [f"Step-up within h months of opening (censored at {self.censor_at})"]
        lines.append(
            f"{'cohort':<12}{'group':<8}{'cases':>6}" + "".join(f"{h:>8}m" for h in self.horizons)
        )
        keys = dict.fromkeys((p.cohort, p.group, p.cases) for p in self.points)
        for cohort, group, cases in keys:
            cells = []
            for h in self.horizons:
                value = self.incidence(cohort, h, group)
                cells.append(f"{'-' if value is None else f'{float(value) * 100:.1f}%':>9}")
            lines.append(f"{cohort:<12}{group or 'city':<8}{cases:>6}" + "".join(cells))
        return "\n".join(lines)

    def chart(
        self, path: str | os.PathLike[str] | None = None, *, group: str | None = None
    ) -> Figure:
        """Step curves of cumulative incidence by cohort (matplotlib, Agg backend).

        Args:
            path: write a PNG there as well.
            group: the locality or team to draw; ``None`` for the city.
        """
        from matplotlib.figure import Figure  # noqa: PLC0415 - charts are optional work
        from matplotlib.ticker import MaxNLocator  # noqa: PLC0415

        figure = Figure(figsize=(7, 4))
        axes = figure.add_subplot()
        for cohort in dict.fromkeys(p.cohort for p in self.points):
            curve = [p for p in self.points if p.cohort == cohort and p.group == group]
            months = [0] + [p.months for p in curve if p.incidence is not None]
            values = [0.0] + [100 * float(p.incidence) for p in curve if p.incidence is not None]
            axes.step(months, values, where="post", label=cohort)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_xlabel("months since the case opened")
        axes.set_ylabel("stepped up to social care (%)")
        axes.set_title(f"Time to escalation, {group or 'city'} (censored at {self.censor_at})")
        axes.legend(fontsize="small")
        if path is not None:
            figure.savefig(Path(path), format="png", dpi=100)
        return figure


def time_to_escalation(
    data: Dataset,
    *,
    profile: ProfileLike,
    period: PeriodsLike,
    censor_at: dt.date,
    by: By = "locality",
    horizons: Sequence[int] = (3, 6, 12),
) -> EscalationCurves:
    """Cumulative incidence of step-up to social care by months since opening.

    Args:
        data: the dataset (its ``cases`` are read).
        profile: its escalation rule says which closures are step-ups.
        period: the period(s) whose openings make the cases analysed; each case's
            cohort is the quarter it opened in.
        censor_at: the analysis date: closures after it are not known yet.
        by: ``"locality"``, ``"team"`` or ``"city"``; the city is always included.
        horizons: the months to report (whole numbers of 1 or more).

    Raises:
        ArgumentError: a horizon is below 1, ``by`` is not known, or ``censor_at``
            is before the period begins. (Cases opened within a month of
            ``censor_at``, or after it, are counted in ``cases`` but are never
            at risk: they have no whole month of follow-up.)

    Example:
        >>> import datetime as dt
        >>> import earlyhelp as eh
        >>> data = eh.load(eh.demo_path())
        >>> curves = eh.cohorts.time_to_escalation(data, profile="derby-2014-15", period="2013-14",
        ...                                censor_at=dt.date(2015, 3, 31), by="city")
        >>> q1 = [curves.incidence("2013-14 Q1", h) for h in (3, 6, 12)]
        >>> 0 < q1[0] <= q1[1] <= q1[2] < 1
        True
    """
    if by not in ("locality", "team", "city"):
        msg = f"cannot break escalation down by {by!r}; expected 'locality', 'team' or 'city'"
        raise ArgumentError(msg)
    if not horizons or min(horizons) < 1:
        msg = "horizons must be whole numbers of months, 1 or more"
        raise ArgumentError(msg)
    periods = as_periods(period)
    first_day = min(p.start for p in periods)
    if censor_at < first_day:
        msg = f"censor_at {censor_at} is before the first day of the period ({first_day})"
        raise ArgumentError(msg)
    opened_in = pl.any_horizontal([during_expr("opened", p) for p in periods])
    cases = data["cases"].filter(opened_in)
    known = pl.col("closed") <= censor_at
    seen = cases.select(
        "episode_id",
        pl.when(known).then(pl.col("closed")).alias("closed"),
        pl.when(known).then(pl.col("closure_reason")).alias("closure_reason"),
    )
    flags = flag_step_ups(seen, profile=resolve_profile(profile))
    opened = pl.col("opened")
    followed = _followed_months(opened, censor_at)
    closure = month_of_expr(opened, pl.col("seen_closed"))
    observed = pl.col("seen_closed").is_not_null() & (closure <= followed)
    status = (
        cases.lazy()
        .with_columns(seen.get_column("closed").alias("seen_closed"), flags.get_column("step_up"))
        .select(
            _quarter_label(opened).alias("cohort"),
            pl.col("locality_id" if by == "locality" else "team_id").alias("group"),
            pl.when(observed).then(closure).otherwise(followed).alias("month"),
            pl.when(~observed)
            .then(pl.lit("censored"))
            .when(pl.col("step_up"))
            .then(pl.lit("up"))
            .otherwise(pl.lit("other"))
            .alias("status"),
        )
        .collect(engine="in-memory")
    )
    last = max(horizons)
    levels = [status.with_columns(pl.lit(None, dtype=pl.String).alias("group"))]
    if by != "city":
        levels.append(status)
    points: list[EscalationPoint] = []
    for level in levels:
        counted = (
            level.with_columns(pl.col("month").clip(lower_bound=0))
            .group_by("cohort", "group", "month", "status")
            .len()
        )
        table: dict[tuple[str, str | None], dict[tuple[int, str], int]] = {}
        for cohort, group, month, state, n in counted.iter_rows():
            table.setdefault((cohort, group), {})[(month, state)] = n
        sizes = level.group_by("cohort", "group").len().sort("cohort", "group", nulls_last=True)
        for cohort, group, n in sizes.iter_rows():
            points += _curve(cohort, group, table[(cohort, group)], n, last)
    return EscalationCurves(tuple(points), tuple(sorted(set(horizons))), by, censor_at)
