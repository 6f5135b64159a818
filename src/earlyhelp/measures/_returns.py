"""Aggregate returns: the counts each team enters per quarter, rolled up like records.

The source city collected its framework as counts that each team entered per
quarter. :func:`roll_up_returns` accepts such returns (a team, a period, a measure,
a numerator and a denominator, or a value still awaited) and rolls them up the
same way :func:`compute` rolls up records: by adding numerators and denominators.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from earlyhelp.errors import PeriodError, ReturnsError
from earlyhelp.measures._catalogue import Basis, Level, Unit
from earlyhelp.measures._results import CITY, Results
from earlyhelp.measures._rollup import grid, levels_down_to, roll_up, settle
from earlyhelp.measures._shipped import CATALOGUE
from earlyhelp.periods._periods import FinancialYear, Quarter, parse_period

__all__ = ["ReturnsError", "roll_up_returns"]

_COLUMNS = ("team_id", "period", "measure_id", "numerator", "denominator", "awaited")


def _problems(frame: pl.DataFrame, teams: Mapping[str, str]) -> list[str]:
    problems = []
    for row, values in enumerate(frame.iter_rows(named=True), start=1):
        where = f"row {row}"
        measure_id = values["measure_id"]
        if measure_id not in CATALOGUE.ids():
            problems.append(f"{where}, measure_id: unknown measure {measure_id!r}")
            continue
        unit = CATALOGUE[measure_id].unit
        try:
            parse_period(values["period"])
        except ValueError:
            problems.append(
                f"{where}, period: expected a quarter like '2014-15 Q1' or a year like "
                f"'2014-15', got {values['period']!r}"
            )
        team = values["team_id"]
        if team != CITY and team not in teams and team not in set(teams.values()):
            problems.append(f"{where}, team_id: {team!r} is not a team, a locality or 'city'")
        if values["awaited"]:
            continue
        for part in ("numerator", "denominator"):
            number = values[part]
            if number is not None and number < 0:
                problems.append(f"{where}, {part}: expected 0 or more, got {number}")
        if values["numerator"] is None:
            problems.append(f"{where}, numerator: missing (mark the return awaited instead)")
        if unit is Unit.COUNT and values["denominator"] is not None:
            problems.append(f"{where}, denominator: {measure_id} is a count and has none")
        if unit is not Unit.COUNT and values["denominator"] is None:
            problems.append(f"{where}, denominator: {measure_id} is a ratio and needs one")
    return problems


def _with_years(frame: pl.DataFrame) -> pl.DataFrame:
    """Add each year's figure from its four quarters, where all four were returned.

    A flow adds the quarters; a stock takes the last quarter's figure (the stock at
    the year's end). A year with any quarter awaited is awaited.
    """
    rows = []
    keys = frame.select("team_id", "measure_id").unique().rows()
    given = set(frame.select("team_id", "measure_id", "period").rows())
    by_key: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    for values in frame.iter_rows(named=True):
        by_key.setdefault((values["team_id"], values["measure_id"]), {})[values["period"]] = values
    for team, measure_id in keys:
        quarters = by_key[(team, measure_id)]
        years = {parse_period(label).year for label in quarters if " Q" in label}  # type: ignore[union-attr]
        stock = CATALOGUE[measure_id].numerator.basis is Basis.STOCK
        for year in sorted(years, key=lambda y: y.start_year):
            labels = [q.label for q in year.quarters()]
            if (team, measure_id, year.label) in given or not all(q in quarters for q in labels):
                continue
            parts = [quarters[q] for q in labels]
            awaited = any(p["awaited"] for p in parts)
            if stock:
                numerator, denominator = parts[-1]["numerator"], parts[-1]["denominator"]
            else:
                numerator = None if awaited else sum(p["numerator"] for p in parts)
                dens = [p["denominator"] for p in parts]
                denominator = None if awaited or None in dens else sum(dens)
            rows.append(
                {
                    "team_id": team,
                    "period": year.label,
                    "measure_id": measure_id,
                    "numerator": numerator,
                    "denominator": denominator,
                    "awaited": awaited,
                }
            )
    if not rows:
        return frame
    return pl.concat([frame, pl.DataFrame(rows, schema=frame.schema)])


def roll_up_returns(
    returns: pl.DataFrame,
    *,
    teams: pl.DataFrame | None = None,
    by: str = "team",
) -> Results:
    """Roll teams' aggregate returns up to localities and the city.

    Args:
        returns: one row per team, period and measure: ``team_id``, ``period``
            (``"2014-15 Q1"`` or ``"2014-15"``), ``measure_id``, ``numerator``,
            ``denominator`` (empty for counts) and ``awaited`` (true where the figure
            is still to come; its numbers are then ignored). ``team_id`` may also
            be a locality id or ``"city"`` for figures only returned at that level.
        teams: the ``teams`` table (``team_id``, ``locality_id``); without it every
            return is taken as the city's.
        by: the lowest level to report, as for :func:`compute`.

    Returns:
        :class:`Results` with a year figure added wherever all four quarters of a
        year were returned (flows add up; a stock takes the year-end quarter), and
        no records behind them (returns hold none).

    Raises:
        ReturnsError: every problem of the returns at once, by row and field.

    Example:
        >>> import polars as pl
        >>> returns = pl.DataFrame({
        ...     "team_id": ["city"] * 4,
        ...     "period": ["2014-15 Q1", "2014-15 Q2", "2014-15 Q3", "2014-15 Q4"],
        ...     "measure_id": ["escalation_rate"] * 4,
        ...     "numerator": [51, 53, 18, None], "denominator": [273, 369, 206, None],
        ...     "awaited": [False, False, False, True],
        ... })
        >>> results = roll_up_returns(returns, by="city")
        >>> str(results["escalation_rate", "2014-15 Q3", "city"])
        'escalation_rate, 2014-15 Q3, city: 18 / 206 = 8.738% (exact)'
        >>> str(results["escalation_rate", "2014-15", "city"])
        'escalation_rate, 2014-15, city: missing (data awaited)'
    """
    missing_columns = [c for c in _COLUMNS if c not in returns.columns and c != "awaited"]
    if missing_columns:
        msg = f"returns: missing columns {', '.join(missing_columns)}"
        raise ReturnsError(msg)
    frame = returns.select(
        pl.col("team_id").cast(pl.String),
        pl.col("period").cast(pl.String),
        pl.col("measure_id").cast(pl.String),
        pl.col("numerator").cast(pl.Int64),
        pl.col("denominator").cast(pl.Int64),
        (pl.col("awaited") if "awaited" in returns.columns else pl.lit(value=False))
        .cast(pl.Boolean)
        .fill_null(value=False)
        .alias("awaited"),
    )
    mapping: dict[str, str] = (
        {} if teams is None else dict(teams.select("team_id", "locality_id").iter_rows())
    )
    problems = _problems(frame, mapping)
    duplicates = frame.filter(frame.select("team_id", "period", "measure_id").is_duplicated())
    problems += [
        f"team {t}, {p}, {m}: returned more than once"
        for t, p, m in duplicates.select("team_id", "period", "measure_id").unique().rows()
    ]
    levels_used = (
        frame.with_columns(
            pl.when(pl.col("team_id") == CITY)
            .then(pl.lit("city"))
            .when(pl.col("team_id").is_in(list(mapping)))
            .then(pl.lit("team"))
            .otherwise(pl.lit("locality"))
            .alias("_level")
        )
        .group_by("measure_id", "period")
        .agg(pl.col("_level").n_unique().alias("levels"))
        .filter(pl.col("levels") > 1)
    )
    problems += [
        f"{m}, {p}: returned at more than one level (teams and a locality or the city); "
        "return it at one level and let it roll up"
        for m, p, _ in levels_used.rows()
    ]
    if problems:
        raise ReturnsError("aggregate returns have problems:\n  " + "\n  ".join(problems))
    frame = _with_years(frame)
    localities = set(mapping.values())
    level_of = pl.col("team_id").replace_strict(
        {**dict.fromkeys(mapping, "team"), **dict.fromkeys(localities, "locality")},
        default="city",
        return_dtype=pl.String,
    )
    frame = frame.with_columns(level_of.alias("_level"))
    levels = levels_down_to(by)
    units = [(Level.TEAM, t) for t in mapping]
    units += [(Level.LOCALITY, loc) for loc in dict.fromkeys(mapping.values())]
    units.append((Level.CITY, CITY))
    frames = []
    for measure_id in frame.get_column("measure_id").unique(maintain_order=True).to_list():
        item = CATALOGUE[measure_id]
        mine = frame.filter(pl.col("measure_id") == measure_id)
        periods = _ordered_periods(mine.get_column("period").unique().to_list())
        counts = mine.select(
            "period",
            pl.when(pl.col("_level") == "team").then(pl.col("team_id")).alias("team_id"),
            pl.when(pl.col("_level") == "team")
            .then(pl.col("team_id").replace_strict(mapping, default=None))
            .when(pl.col("_level") == "locality")
            .then(pl.col("team_id"))
            .alias("locality_id"),
            pl.lit(None, dtype=pl.String).alias("breakdown"),
            pl.col("numerator").fill_null(0),
            pl.col("denominator").fill_null(0),
            "awaited",
        )
        rolled = roll_up(counts, levels)
        present = (
            levels if set(mine.get_column("_level")) == {"team"} else _levels_returned(mine, levels)
        )
        due = grid(periods, units, present)
        in_force = {p: item.effective.covers(parse_period(p).end) for p in periods}
        frames.append(
            settle(
                item,
                rolled.join(
                    due.select("period", "level", "unit_id").lazy(),
                    on=["period", "level", "unit_id"],
                    how="semi",
                ),
                due,
                in_force=in_force,
            )
        )
    return Results(pl.concat(frames) if frames else pl.DataFrame(), None, mapping)


def _levels_returned(frame: pl.DataFrame, levels: Sequence[Level]) -> tuple[Level, ...]:
    """The levels that figures returned above team level can be reported at."""
    lowest = {"team": 0, "locality": 1, "city": 2}
    floor = min(lowest[level] for level in frame.get_column("_level").unique().to_list())
    return tuple(level for level in levels if lowest[level.value] >= floor)


def _ordered_periods(labels: Sequence[str]) -> list[str]:
    def key(label: str) -> tuple[int, int]:
        period = parse_period(label)
        if isinstance(period, Quarter):
            return (period.year.start_year, period.number)
        if not isinstance(period, FinancialYear):  # pragma: no cover - a period is one or the other
            raise PeriodError(f"{label!r}: expected a quarter or a financial year")
        return (period.start_year, 5)

    return sorted(labels, key=key)
