"""Changes and directions of travel for a whole frame of results at once (bulk).

The columnar twin of :func:`~earlyhelp.measures.quarter_on_quarter`,
:func:`~earlyhelp.measures.year_on_year` and :func:`~earlyhelp.measures.direction`: every row is
compared with the same measure, unit and breakdown (team, locality, ...) in the
earlier period, exactly, from the whole-number numerators and denominators.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import polars as pl

from earlyhelp.errors import ArgumentError, InternalError
from earlyhelp.measures._disclosure import from_catalogue
from earlyhelp.measures._polarity import Polarity
from earlyhelp.measures._presentation_settings import PresentationSettings
from earlyhelp.measures._shipped import measure as declared
from earlyhelp.model._vocab import Direction
from earlyhelp.periods._periods import Quarter, parse_period

__all__ = ["changes"]

# A figure's own values, which differ from period to period (every other column names it).
_EXACT: Final = ("numerator", "denominator", "value", "missing", "presented", "missing_reason")
_SCALES: Final = {"count": 1, "percentage": 100, "rate_per_10000": 10_000}
_COMPARE: Final = ("quarter_on_quarter", "year_on_year")


def _earlier(label: str, compare: str) -> str | None:
    period = parse_period(label)
    if compare == "year_on_year":
        if isinstance(period, Quarter):
            return Quarter(period.year.previous(), period.number).label
        return period.previous().label
    return period.previous().label if isinstance(period, Quarter) else None


def changes(
    frame: pl.DataFrame,
    *,
    compare: str,
    settings: PresentationSettings,
    polarity: Mapping[str, Polarity | str] | None = None,
) -> pl.DataFrame:
    """Each result's change from the earlier period, as text, with its direction of travel.

    Args:
        frame: results with ``measure_id``, ``period``, ``unit``, ``numerator``,
            ``denominator`` and ``value`` columns; every other column (team,
            locality, breakdown) identifies the series a row belongs to.
        compare: ``"quarter_on_quarter"`` (a year's row has no earlier quarter)
            or ``"year_on_year"`` (the same quarter, or year, a year earlier).
        settings: the presentation settings whose rounding prints the change
            (a percentage's change in percentage points is rounded like the
            percentage itself).
        polarity: each measure's :class:`~earlyhelp.measures.Polarity`, by measure id;
            by default, the measure catalogue's.

    Returns:
        The frame's identifying columns and ``period``, with ``earlier_period``,
        ``change_display`` (``[x]`` when either value is missing) and
        ``direction`` (a :class:`~earlyhelp.model.Direction` value).

    Raises:
        ArgumentError: an unknown comparison, or a measure without a polarity.

    Example:
        >>> import datetime as dt
        >>> from earlyhelp.profiles._profile import load_profile
        >>> derby = load_profile("derby-2014-15").rule("presentation", dt.date(2015, 3, 31))
        >>> results = pl.DataFrame({
        ...     "measure_id": ["escalation_rate"] * 3, "unit": ["percentage"] * 3,
        ...     "period": ["2014-15 Q2", "2014-15 Q3", "2014-15 Q4"],
        ...     "numerator": [53, 18, None], "denominator": [369, 206, None],
        ...     "value": [14.36, 8.74, None]})
        >>> changes(results, compare="quarter_on_quarter", settings=derby,
        ...         polarity={"escalation_rate": "lower_is_better"}).select(
        ...     "period", "change_display", "direction").rows()
        [('2014-15 Q2', '[x]', 'not_applicable'), ('2014-15 Q3', '-5.6', 'improving'), ('2014-15 Q4', '[x]', 'not_applicable')]
    """
    if compare not in _COMPARE:
        msg = f"compare: expected one of {', '.join(_COMPARE)}, got {compare!r}"
        raise ArgumentError(msg)
    frame = from_catalogue(frame)
    if polarity is None:
        ids = [i for i in frame["measure_id"].unique().to_list() if i is not None]
        try:
            polarity = {i: declared(i).polarity for i in ids}
        except KeyError as exc:
            raise ArgumentError(f"results frame: {exc.args[0]}") from None
    unknown = sorted(set(frame["measure_id"].unique().to_list()) - set(polarity))
    if unknown:
        msg = f"polarity: no polarity given for measure(s) {', '.join(map(str, unknown))}"
        raise ArgumentError(msg)
    keys = [c for c in frame.columns if c not in (*_EXACT, "period")]
    periods = frame["period"].unique().to_list()
    earlier = {label: _earlier(label, compare) for label in periods}
    rules = {measure: Polarity(rule).value for measure, rule in polarity.items()}
    previous = frame.select(
        *keys,
        pl.col("period").alias("earlier_period"),
        pl.col("numerator").alias("_n0"),
        pl.col("denominator").alias("_d0"),
        pl.col("value").is_null().alias("_missing0"),
    )
    joined = frame.with_columns(
        earlier_period=pl.col("period").replace_strict(earlier, return_dtype=pl.Utf8)
    ).join(previous, on=[*keys, "earlier_period"], how="left", nulls_equal=True)

    n1, d1 = pl.col("numerator").cast(pl.Int128), pl.col("denominator").cast(pl.Int128)
    n0, d0 = pl.col("_n0").cast(pl.Int128), pl.col("_d0").cast(pl.Int128)
    count = pl.col("unit") == "count"
    top = pl.when(count).then(n1 - n0).otherwise(n1 * d0 - n0 * d1)
    bottom = pl.when(count).then(pl.lit(1, dtype=pl.Int128)).otherwise(d1 * d0)
    missing = (
        pl.col("value").is_null()
        | pl.col("_missing0").fill_null(value=True)
        | top.is_null()
        | (bottom == 0)
    )
    text: Any = pl.when(count).then(top.cast(pl.Utf8))
    for unit in ("percentage", "rate_per_10000"):
        for measure in {*settings.places, ""}:
            rounding = settings.policy(measure, unit)
            if rounding is None:  # pragma: no cover - policy() is None for counts only
                raise InternalError(f"no rounding policy for {measure or 'the default'} {unit}")
            chosen = (
                pl.col("measure_id") == measure
                if measure
                else ~pl.col("measure_id").is_in(list(settings.places))
            )
            text = text.when((pl.col("unit") == unit) & chosen).then(
                rounding.ratio_expr(top, bottom, scale=_SCALES[unit])
            )
    rule = pl.col("measure_id").replace_strict(rules, return_dtype=pl.Utf8)
    sign = pl.when(top > 0).then(1).when(top < 0).then(-1).otherwise(0)
    good = pl.when(rule == Polarity.HIGHER_IS_BETTER.value).then(sign).otherwise(-sign)
    direction = (
        pl.when(missing | (rule == Polarity.NEUTRAL.value))
        .then(pl.lit(Direction.NOT_APPLICABLE.value))
        .when(good > 0)
        .then(pl.lit(Direction.IMPROVING.value))
        .when(good < 0)
        .then(pl.lit(Direction.WORSENING.value))
        .otherwise(pl.lit(Direction.NO_CHANGE.value))
    )
    return (
        joined.lazy()
        .with_columns(
            change_display=pl.when(missing).then(pl.lit("[x]")).otherwise(text.otherwise(None)),
            direction=direction,
        )
        .select(*keys, "period", "earlier_period", "change_display", "direction")
        .collect(engine="in-memory")
    )
