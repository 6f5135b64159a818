"""Roll-up: team figures summed to localities and the city, by ratio of sums."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import polars as pl

from earlyhelp.errors import ArgumentError
from earlyhelp.measures._catalogue import Level, Measure, Unit
from earlyhelp.measures._results import CITY, RESULT_SCHEMA, Missing

__all__ = ["grid", "levels_down_to", "roll_up", "settle", "with_breakdowns"]

_DOWN_TO = {
    "team": (Level.TEAM, Level.LOCALITY, Level.CITY),
    "locality": (Level.LOCALITY, Level.CITY),
    "city": (Level.CITY,),
}


def levels_down_to(by: str) -> tuple[Level, ...]:
    """The levels reported when ``by`` is the lowest: ``"team"``, ``"locality"`` or ``"city"``.

    Raises:
        ArgumentError: any other ``by``.

    Example:
        >>> [level.value for level in levels_down_to("locality")]
        ['locality', 'city']
    """
    if by not in _DOWN_TO:
        msg = f"by: expected one of team, locality, city; got {by!r}"
        raise ArgumentError(msg)
    return _DOWN_TO[by]


_SUMS = [pl.col("numerator").sum(), pl.col("denominator").sum(), pl.col("awaited").any()]


def roll_up(counts: pl.DataFrame | pl.LazyFrame, levels: Sequence[Level]) -> pl.LazyFrame:
    """Sum a measure's per-team counts to every level asked for, as a plan.

    ``counts`` has ``period``, ``team_id``, ``locality_id``, ``breakdown``,
    ``numerator``, ``denominator`` and ``awaited``. Numerators and denominators
    are added; a percentage is never averaged. Counts with no team (recorded by
    locality) reach the locality and the city; counts with neither reach the city.
    Totals (``breakdown`` null) are summed over every count, with a breakdown value
    or without one; counts with a value are also summed by it.

    A plan, so that :func:`settle` collects the roll-up and the figures due in one
    go: on a measure's few hundred counts, polars' fixed cost per eager step was
    most of the time (a third of it collected at once, in memory; polars 2.1).

    Example:
        >>> counts = pl.DataFrame({"period": ["Q1"] * 2, "team_id": ["T1", None],
        ...     "locality_id": ["L1", "L1"], "breakdown": ["vcm", None], "numerator": [1, 1],
        ...     "denominator": [0, 0], "awaited": [False, False]})
        >>> roll_up(counts, [Level.LOCALITY, Level.CITY]).sort("level", "breakdown").select(
        ...     "level", "unit_id", "breakdown", "numerator").collect().rows()
        [('city', 'city', None, 2), ('city', 'city', 'vcm', 1), ('locality', 'L1', None, 2), ('locality', 'L1', 'vcm', 1)]
    """
    frame = counts.lazy().with_columns(pl.col("period").cast(pl.String))
    breakdown = pl.col("breakdown")
    total = frame.with_columns(pl.lit(None, dtype=pl.String).alias("breakdown"))
    with_total = pl.concat([frame.filter(breakdown.is_not_null()), total])
    parts = []
    for level, column in ((Level.TEAM, "team_id"), (Level.LOCALITY, "locality_id")):
        if level in levels:
            parts.append(
                with_total.filter(pl.col(column).is_not_null())
                .group_by("period", column, "breakdown")
                .agg(_SUMS)
                .select(
                    "period",
                    pl.lit(level.value).alias("level"),
                    pl.col(column).alias("unit_id"),
                    "breakdown",
                    "numerator",
                    "denominator",
                    "awaited",
                )
            )
    if Level.CITY in levels:
        parts.append(
            with_total.group_by("period", "breakdown")
            .agg(_SUMS)
            .select(
                "period",
                pl.lit(Level.CITY.value).alias("level"),
                pl.lit(CITY).alias("unit_id"),
                "breakdown",
                "numerator",
                "denominator",
                "awaited",
            )
        )
    return pl.concat(parts, how="vertical") if parts else _empty().lazy()


def _empty() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "period": pl.String,
            "level": pl.String,
            "unit_id": pl.String,
            "breakdown": pl.String,
            "numerator": pl.Int64,
            "denominator": pl.Int64,
            "awaited": pl.Boolean,
        }
    )


def grid(
    periods: Sequence[str], units: Sequence[tuple[Level, str]], levels: Sequence[Level]
) -> pl.DataFrame:
    """Every (period, level, unit) a result is due for, with no breakdown."""
    wanted = [(level, unit) for level, unit in units if level in levels]
    return pl.DataFrame(
        {
            "period": [p for p in periods for _ in wanted],
            "level": [level.value for _ in periods for level, _ in wanted],
            "unit_id": [unit for _ in periods for _, unit in wanted],
        },
        schema={"period": pl.String, "level": pl.String, "unit_id": pl.String},
    ).with_columns(pl.lit(None, dtype=pl.String).alias("breakdown"))


def with_breakdowns(due: pl.DataFrame, values: Sequence[str]) -> pl.DataFrame:
    """The grid of figures due, with a row for every breakdown value beside each total.

    A breakdown value with no members then has a figure (zero, or missing for
    want of a denominator), not no row at all.
    """
    if not values:
        return due
    kinds = pl.DataFrame({"breakdown": [None, *values]}, schema={"breakdown": pl.String})
    return due.drop("breakdown").join(kinds, how="cross")


def settle(
    measure: Measure,
    rolled: pl.LazyFrame,
    due: pl.DataFrame,
    *,
    in_force: dict[str, bool],
    absent: Missing | None = None,
    unattributed: Collection[Level] = (),
) -> pl.DataFrame:
    """Join rolled-up counts onto the grid of figures due, and say what is missing.

    A figure is missing, with its reason, when the measure is not in force in the
    period, an input it needs was not supplied or no rule is in force
    (``absent``: the reason), it is not recorded at the figure's level, its
    records carry no unit of the figure's level (``unattributed``), a return is
    awaited, or a ratio's denominator is zero. Otherwise every unit due has a
    figure, zero where nothing was counted. ``rolled`` is :func:`roll_up`'s plan
    (its periods already text), or a part of it.
    """
    keys = ["period", "level", "unit_id", "breakdown"]
    joined = due.lazy().join(rolled, on=keys, how="full", coalesce=True, nulls_equal=True)
    numerator = pl.col("numerator").fill_null(0)
    denominator = pl.col("denominator").fill_null(0)
    forced = pl.col("period").replace_strict(in_force, default=True, return_dtype=pl.Boolean)
    recorded = pl.col("level").is_in([level.value for level in measure.levels])
    missing = (
        pl.when(~forced)
        .then(pl.lit(Missing.NOT_IN_FORCE.value))
        .when(pl.lit(absent is not None))
        .then(pl.lit(None if absent is None else absent.value, dtype=pl.String))
        .when(~recorded)
        .then(pl.lit(Missing.NOT_RECORDED_AT_LEVEL.value))
        .when(pl.col("level").is_in([level.value for level in unattributed]))
        .then(pl.lit(Missing.UNATTRIBUTED.value))
        .when(pl.col("awaited").fill_null(value=False))
        .then(pl.lit(Missing.AWAITED.value))
        .when(pl.lit(measure.unit is not Unit.COUNT) & (denominator == 0))
        .then(pl.lit(Missing.NO_DENOMINATOR.value))
    )
    blank = missing.is_in(
        [reason.value for reason in Missing if reason is not Missing.NO_DENOMINATOR]
    )
    is_count = measure.unit is Unit.COUNT
    return (
        joined.with_columns(
            pl.lit(measure.measure_id).alias("measure_id"),
            pl.when(blank.fill_null(value=False))
            .then(None)
            .otherwise(numerator)
            .alias("numerator"),
            pl.when(blank.fill_null(value=False) | pl.lit(is_count))
            .then(None)
            .otherwise(denominator)
            .alias("denominator"),
            missing.alias("missing"),
        )
        .select(list(RESULT_SCHEMA))
        .collect(engine="in-memory")
    )
