"""The engine: every measure of the catalogue, computed in bulk and rolled up."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

import polars as pl

from earlyhelp.errors import MeasureError, NoRuleInForceError, PeriodError
from earlyhelp.io._dataset import Dataset
from earlyhelp.io._tables import SCHEMAS
from earlyhelp.measures._catalogue import Catalogue, Level, Measure
from earlyhelp.measures._context import MEMBER_COLUMNS, FigureUnavailableError, MeasureContext
from earlyhelp.measures._framework import catalogue_for
from earlyhelp.measures._presentation_settings import DEFAULT_SETTINGS
from earlyhelp.measures._results import CITY, Missing, Results
from earlyhelp.measures._rollup import grid, levels_down_to, roll_up, settle, with_breakdowns
from earlyhelp.measures._shipped import CATALOGUE
from earlyhelp.periods._periods import (
    FinancialYear,
    Period,
    Quarter,
    parse_period,
    quarters_between,
)
from earlyhelp.profiles._applying import ProfileLike, resolve_profile

__all__ = ["compute", "expand_periods", "members"]


def _parsed(text: str) -> list[Period]:
    """One period label, or a range ``FIRST:LAST`` of years or quarters, in order."""
    first_text, colon, last_text = text.partition(":")
    try:
        first = parse_period(first_text)
        last = parse_period(last_text) if colon else first
    except ValueError as exc:
        msg = f"period {text!r}: {exc}"
        raise PeriodError(msg) from None
    if not colon:
        return [first]
    if isinstance(first, FinancialYear) and isinstance(last, FinancialYear):
        if last < first:
            msg = f"period {text!r}: the first year must not be after the last"
            raise PeriodError(msg)
        years = [FinancialYear(y) for y in range(first.start_year, last.start_year + 1)]
        return list(years)
    start = first.quarters()[0] if isinstance(first, FinancialYear) else first
    end = last.quarters()[-1] if isinstance(last, FinancialYear) else last
    if end < start:
        msg = f"period {text!r}: the first quarter must not be after the last"
        raise PeriodError(msg)
    return list(quarters_between(start, end))


def expand_periods(period: str | Period | Iterable[str | Period]) -> tuple[Period, ...]:
    """The periods a request covers, in order: each financial year after its four quarters.

    A label may be a financial year (``"2014-15"``, with its quarters), a
    quarter (``"2014-15 Q3"``) or a range, as the command line takes them: a
    range of years (``"2013-14:2014-15"``: each year with its quarters) or of
    quarters (``"2014-15 Q2:2015-16 Q1"``: those quarters only; a year at
    either end of a quarter range stands for its first or last quarter).

    Raises:
        PeriodError: a label that is not a year, a quarter or a range of them, or
            a range that runs backwards.

    Example:
        >>> [p.label for p in expand_periods("2014-15")]
        ['2014-15 Q1', '2014-15 Q2', '2014-15 Q3', '2014-15 Q4', '2014-15']
        >>> [p.label for p in expand_periods(["2014-15 Q3"])]
        ['2014-15 Q3']
        >>> [p.label for p in expand_periods("2013-14:2014-15")][3:6]
        ['2013-14 Q4', '2013-14', '2014-15 Q1']
        >>> [p.label for p in expand_periods("2014-15 Q4:2015-16 Q1")]
        ['2014-15 Q4', '2015-16 Q1']
        >>> expand_periods("2015-16:2014-15")
        Traceback (most recent call last):
        ...
        earlyhelp.errors.PeriodError: period '2015-16:2014-15': the first year must not be after the last
    """
    items: Iterable[str | Period] = (
        [period] if isinstance(period, str | FinancialYear | Quarter) else period
    )
    found: list[Period] = []
    for item in items:
        for parsed in _parsed(item) if isinstance(item, str) else [item]:
            if isinstance(parsed, FinancialYear):
                found.extend(parsed.quarters())
            found.append(parsed)
    return tuple(dict.fromkeys(found))


def _complete(frame: pl.LazyFrame, measure_id: str) -> pl.LazyFrame:
    """A calculator's members frame, checked to have every column (``breakdown`` added)."""
    names = frame.collect_schema().names()
    absent = [name for name in MEMBER_COLUMNS if name not in names]
    if absent:
        msg = f"{measure_id}: its calculator's members lack {', '.join(absent)}"
        raise MeasureError(msg)
    if "breakdown" not in names:
        frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias("breakdown"))
    return frame.with_columns(
        pl.col("team_id").cast(pl.String),
        pl.col("locality_id").cast(pl.String),
        pl.col("breakdown").cast(pl.String),
    )


def _team_localities(ctx: MeasureContext, frame: pl.LazyFrame) -> pl.LazyFrame:
    """Each row's locality taken from its team, where the team is known."""
    teams = ctx.lazy("teams").select("team_id", pl.col("locality_id").alias("_team_locality"))
    return (
        frame.join(teams, on="team_id", how="left")
        .with_columns(pl.coalesce("_team_locality", "locality_id").alias("locality_id"))
        .drop("_team_locality")
    )


def _normalised(ctx: MeasureContext, frame: pl.LazyFrame, measure_id: str) -> pl.LazyFrame:
    """A members frame with every column, its locality taken from its team."""
    return _team_localities(ctx, _complete(frame, measure_id))


def _in_force(ctx: MeasureContext, item: Measure) -> MeasureContext | None:
    """The context narrowed to the periods the measure is in force in (``None``: none)."""
    periods = [p for p in ctx.periods if item.effective.covers(p.end)]
    if len(periods) == len(ctx.periods):
        return ctx
    return MeasureContext(ctx.data, ctx.profile, periods) if periods else None


_EMPTY_COUNTS: Final = pl.DataFrame(
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


def _absent(data: Dataset, item: Measure) -> Missing | None:
    """Why a measure cannot be computed from what was supplied, if it cannot.

    An input table neither supplied nor holding rows gives ``NO_DATA``; a
    supplied table without an optional column the measure reads, ``NO_COLUMN``.
    """
    needed = [entry.partition(".") for entry in item.inputs]
    if any(not data.supplied(table) and data[table].is_empty() for table, _, _ in needed):
        return Missing.NO_DATA
    if any(
        column and data.supplied(table) and not data.supplied(table, column)
        for table, _, column in needed
    ):
        return Missing.NO_COLUMN
    return None


def _all_counts(
    ctx: MeasureContext, chosen: Sequence[Measure], unavailable: dict[str, Missing]
) -> dict[str, pl.DataFrame]:
    """Each measure's counts per team, by measure id; none for a measure with no rule in force.

    A calculator that needs a rule the profile does not have for its records
    (:class:`~earlyhelp.errors.NoRuleInForceError`) leaves that measure out,
    and the others are computed all the same; one that cannot be computed under
    the profile for a stated reason (:class:`FigureUnavailableError`) puts the reason
    in ``unavailable``.
    """
    # One measure at a time, planned then collected, not collect_all: at 1M cases
    # measured at 15% fewer CPU seconds and a 10% lower peak, polars 2.1. Work the
    # measures share is freed once its neighbours are done, not held to the end
    # (10M cases: compute's peak from 15.7 GB to below the load's 14.3 GB).
    found: dict[str, pl.DataFrame] = {}
    for item in chosen:
        try:
            found[item.measure_id] = _counts(ctx, item).collect()
        except FigureUnavailableError as exc:
            unavailable[item.measure_id] = Missing(exc.missing)
        except NoRuleInForceError:  # raised while planning or collecting
            pass
        ctx.forget_unasked()
    return found


def _unattributed(counts: pl.DataFrame) -> list[Level]:
    """The levels none of a measure's counted records can be placed at.

    When a part (numerator or denominator) counted records but not one of them
    carries a team (say the optional ``team_id`` of referrals was not supplied),
    every team's figure is missing, not zero; likewise for localities.
    """
    columns = ((Level.TEAM, "team_id"), (Level.LOCALITY, "locality_id"))
    parts = ("numerator", "denominator")
    # One query for the four questions: polars' fixed cost per eager step is most
    # of the time on a measure's few hundred counts.
    answers = (
        counts.lazy()
        .select(
            (
                (pl.col(part) != 0).any() & pl.col(column).filter(pl.col(part) != 0).is_null().all()
            ).alias(f"{column}:{part}")
            for _, column in columns
            for part in parts
        )
        .collect(engine="in-memory")
        .row(0, named=True)
    )
    return [
        level for level, column in columns if any(answers[f"{column}:{part}"] for part in parts)
    ]


def _breakdown_values(item: Measure, counts: pl.DataFrame) -> list[str]:
    """Every value a measure's breakdown can take: its column's codes, then any others counted."""
    if not item.breakdowns:
        return []
    schema = SCHEMAS.get(item.numerator.table)
    codes: tuple[str, ...] = ()
    if schema is not None:
        codes = next((c.codes for c in schema.columns if c.name == item.breakdowns[0]), ())
    seen = counts.get_column("breakdown").drop_nulls().unique().sort().to_list()
    return list(dict.fromkeys([*codes, *seen]))


def _counts(ctx: MeasureContext, item: Measure) -> pl.LazyFrame:
    narrowed = _in_force(ctx, item)
    if narrowed is None:
        return _EMPTY_COUNTS.lazy()
    # Summed before the teams are looked up, so the look-up reads a few hundred sums,
    # not every member (1M cases: a fifth to a third off each measure's collect,
    # polars 2.1). A team's locality may put two sums in one unit: roll_up adds them.
    return _team_localities(
        narrowed, _sums(_complete(item.calculator(narrowed), item.measure_id))
    ).with_columns(pl.lit(value=False).alias("awaited"))


def _sums(frame: pl.LazyFrame) -> pl.LazyFrame:
    """The numerator and denominator summed by period, team, locality and breakdown."""
    return frame.group_by("period", "team_id", "locality_id", "breakdown").agg(
        pl.col("numerator").cast(pl.Int64).sum(), pl.col("denominator").cast(pl.Int64).sum()
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
        period: a financial year (computed with its four quarters), a quarter, a
            range of either (``"2013-14:2014-15"``), or several of these: every
            form :func:`expand_periods` reads, as the command line takes them.
        by: the lowest level to report: ``"team"`` (teams, localities and the
            city), ``"locality"`` or ``"city"``.
        measures: measure ids to compute; by default every measure the profile
            reports (see :func:`catalogue_for`).
        catalogue: the measures to choose from: the shipped :data:`CATALOGUE` by
            default, or a council's own (e.g. ``CATALOGUE.extended(my_measure)``).
            The profile's ``[[measures]]`` entries choose among them and give
            their dates in force and citations; titles are worded from its rules
            in force on the last day computed.

    Returns:
        The :class:`Results`.

    Raises:
        ArgumentError: ``by`` is not team, locality or city.
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
    last = max((p.end for p in ctx.periods), default=None)
    catalogue = catalogue_for(prof, catalogue, day=last)
    chosen = _selected(catalogue, measures)
    absent = {item.measure_id: _absent(data, item) for item in chosen}
    unavailable: dict[str, Missing] = {}
    # Computed in the catalogue's order, whatever order they were asked in, so that
    # measures sharing work are neighbours (see MeasureContext.forget_unasked).
    position = {item.measure_id: index for index, item in enumerate(catalogue)}
    computable = [item for item in chosen if absent[item.measure_id] is None]
    counted = _all_counts(
        ctx, sorted(computable, key=lambda item: position[item.measure_id]), unavailable
    )
    units = _units(ctx)
    labels = [p.label for p in ctx.periods]
    due = grid(labels, units, levels)
    frames = []
    for item in chosen:
        in_force = {p.label: item.effective.covers(p.end) for p in ctx.periods}
        counts = counted.get(item.measure_id)
        reason = (
            absent[item.measure_id]
            or unavailable.get(item.measure_id)
            or (Missing.NO_RULE if counts is None else None)
        )
        counts = _EMPTY_COUNTS if counts is None else counts
        rolled = roll_up(counts, levels)
        frames.append(
            settle(
                item,
                rolled,
                with_breakdowns(due, _breakdown_values(item, counts)),
                in_force=in_force,
                absent=reason,
                unattributed=_unattributed(counts),
            )
        )
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
    settings = {p.label: prof.rule("presentation", p.end) or DEFAULT_SETTINGS for p in ctx.periods}
    return Results(
        frame, member_rows, dict(teams.iter_rows()), catalogue=catalogue, settings=settings
    )


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
