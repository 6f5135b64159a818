"""The engine: every measure of the catalogue, computed in bulk and rolled up."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import polars as pl

from earlyhelp.io._dataset import Dataset
from earlyhelp.measures._catalogue import Catalogue, Level, Measure
from earlyhelp.measures._context import MEMBER_COLUMNS, MeasureContext
from earlyhelp.measures._results import CITY, Results
from earlyhelp.measures._rollup import grid, levels_down_to, roll_up, settle
from earlyhelp.measures._shipped import CATALOGUE
from earlyhelp.periods._periods import FinancialYear, Period, Quarter, parse_period
from earlyhelp.profiles._applying import ProfileLike, resolve_profile

__all__ = ["compute", "expand_periods", "members"]


def expand_periods(period: str | Period | Iterable[str | Period]) -> tuple[Period, ...]:
    """The periods a request covers: each financial year with its four quarters.

    Example:
        >>> [p.label for p in expand_periods("2014-15")]
        ['2014-15 Q1', '2014-15 Q2', '2014-15 Q3', '2014-15 Q4', '2014-15']
        >>> [p.label for p in expand_periods(["2014-15 Q3"])]
        ['2014-15 Q3']
    """
    items: Iterable[str | Period] = (
        [period] if isinstance(period, str | FinancialYear | Quarter) else period
    )
    found: list[Period] = []
    for item in items:
        parsed = parse_period(item) if isinstance(item, str) else item
        if isinstance(parsed, FinancialYear):
            found.extend(parsed.quarters())
        found.append(parsed)
    return tuple(dict.fromkeys(found))


def _normalised(ctx: MeasureContext, frame: pl.LazyFrame, measure_id: str) -> pl.LazyFrame:
    """A members frame with every column, its locality taken from its team."""
    names = frame.collect_schema().names()
    absent = [name for name in MEMBER_COLUMNS if name not in names]
    if absent:
        msg = f"{measure_id}: its calculator's members lack {', '.join(absent)}"
        raise ValueError(msg)
    if "breakdown" not in names:
        frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias("breakdown"))
    teams = ctx.lazy("teams").select("team_id", pl.col("locality_id").alias("_team_locality"))
    return (
        frame.with_columns(
            pl.col("team_id").cast(pl.String),
            pl.col("locality_id").cast(pl.String),
            pl.col("breakdown").cast(pl.String),
        )
        .join(teams, on="team_id", how="left")
        .with_columns(pl.coalesce("_team_locality", "locality_id").alias("locality_id"))
        .drop("_team_locality")
    )


def _in_force(ctx: MeasureContext, item: Measure) -> MeasureContext | None:
    """The context narrowed to the periods the measure is in force in (``None``: none)."""
    periods = [p for p in ctx.periods if item.effective.covers(p.end)]
    if len(periods) == len(ctx.periods):
        return ctx
    return MeasureContext(ctx.data, ctx.profile, periods) if periods else None


def _counts(ctx: MeasureContext, item: Measure) -> pl.LazyFrame:
    narrowed = _in_force(ctx, item)
    if narrowed is None:
        return pl.LazyFrame(
            schema={
                "period": pl.String,
                "team_id": pl.String,
                "locality_id": pl.String,
                "breakdown": pl.String,
                "numerator": pl.Int64,
                "denominator": pl.Int64,
                "awaited": pl.Boolean,
            }
        )
    return (
        _normalised(narrowed, item.calculator(narrowed), item.measure_id)
        .group_by("period", "team_id", "locality_id", "breakdown")
        .agg(
            pl.col("numerator").cast(pl.Int64).sum(),
            pl.col("denominator").cast(pl.Int64).sum(),
        )
        .with_columns(pl.lit(value=False).alias("awaited"))
    )


def _units(ctx: MeasureContext) -> list[tuple[Level, str]]:
    teams = ctx.data["teams"].select("team_id", "locality_id")
    units = [(Level.TEAM, team) for team in teams.get_column("team_id").to_list()]
    localities = teams.get_column("locality_id").unique(maintain_order=True).to_list()
    units += [(Level.LOCALITY, loc) for loc in localities]
    return [*units, (Level.CITY, CITY)]


def _selected(catalogue: Catalogue, measures: Sequence[str] | None) -> list[Measure]:
    return list(catalogue) if measures is None else [catalogue[m] for m in measures]


def compute(
    data: Dataset,
    *,
    profile: ProfileLike,
    period: str | Period | Iterable[str | Period],
    by: str = "team",
    measures: Sequence[str] | None = None,
    catalogue: Catalogue = CATALOGUE,
) -> Results:
    """Compute measures of the catalogue for every period and organisation unit.

    Every measure is evaluated in bulk (polars) over the whole dataset, counted
    per team and rolled up to localities and the city by adding numerators and
    denominators. Figures that cannot be computed are missing with a reason,
    never zero.

    Args:
        data: the :class:`Dataset`.
        profile: the profile whose rules the measures apply (a name, a file or a
            :class:`Profile`).
        period: a financial year (computed with its four quarters), a quarter, or
            several of either.
        by: the lowest level to report: ``"team"`` (teams, localities and the
            city), ``"locality"`` or ``"city"``.
        measures: measure ids to compute; all of the catalogue by default.
        catalogue: the measures to choose from: the shipped :data:`CATALOGUE` by
            default, or a council's own (e.g. ``CATALOGUE.extended(my_measure)``).

    Returns:
        The :class:`Results`.

    Raises:
        ValueError: ``by`` is not team, locality or city.
        MeasureError: an unknown measure id.

    Example:
        >>> import earlyhelp as eh
        >>> data = eh.load(eh.demo_path())
        >>> results = eh.compute(data, profile="derby-2014-15", period="2014-15", by="city")
        >>> figure = results["escalation_rate", "2014-15 Q3", "city"]
        >>> figure.numerator <= figure.denominator
        True
        >>> len(results.records("escalation_rate", "2014-15 Q3", "city")) == figure.numerator
        True
    """
    levels = levels_down_to(by)
    prof = resolve_profile(profile)
    ctx = MeasureContext(data, prof, expand_periods(period))
    chosen = _selected(catalogue, measures)
    counted = pl.collect_all([_counts(ctx, item) for item in chosen])
    units = _units(ctx)
    labels = [p.label for p in ctx.periods]
    due = grid(labels, units, levels)
    supplied = {report.table for report in data.report.tables}
    frames = []
    for item, counts in zip(chosen, counted, strict=True):
        in_force = {p.label: item.effective.covers(p.end) for p in ctx.periods}
        has_data = all(table in supplied or data[table].height > 0 for table in item.tables)
        rolled = roll_up(counts.with_columns(pl.col("period").cast(pl.String)), levels)
        frames.append(settle(item, rolled, due, in_force=in_force, has_data=has_data))
    frame = pl.concat(frames, how="vertical") if frames else pl.DataFrame()

    def member_rows(
        measure_id: str, period_label: str, level: Level, unit_id: str, breakdown: str | None
    ) -> pl.DataFrame:
        return members(
            ctx,
            catalogue[measure_id],
            period_label=period_label,
            level=level,
            unit_id=unit_id,
            breakdown=breakdown,
        )

    teams = data["teams"].select("team_id", "locality_id").drop_nulls()
    return Results(frame, member_rows, dict(teams.iter_rows()), catalogue=catalogue)


def members(
    ctx: MeasureContext,
    item: Measure,
    *,
    period_label: str,
    level: Level,
    unit_id: str,
    breakdown: str | None = None,
) -> pl.DataFrame:
    """The member rows of one figure: the records behind it."""
    narrowed = _in_force(ctx, item) or ctx
    frame = _normalised(narrowed, item.calculator(narrowed), item.measure_id).filter(
        pl.col("period").cast(pl.String) == period_label
    )
    if level is not Level.CITY:
        column = "team_id" if level is Level.TEAM else "locality_id"
        frame = frame.filter(pl.col(column) == unit_id)
    if breakdown is not None:
        frame = frame.filter(pl.col("breakdown") == breakdown)
    return frame.collect(engine="in-memory")
