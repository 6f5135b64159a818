"""Figures as text, and statistical disclosure control for published output.

:func:`present` turns a frame of exact results into display text for an
internal report; :func:`publish` does the same under the profile's published
disclosure control policy. Both read the exact numerators and denominators and
return a new frame: the exact values are never changed, and the published frame
carries none of them, so nothing hidden can be read back from it.
"""

from __future__ import annotations

from typing import Any, Final

import polars as pl

from earlyhelp.measures._disclosure_policy import Disclosure, DisclosurePolicy, Symbol
from earlyhelp.measures._presentation_settings import PresentationSettings
from earlyhelp.measures._shipped import measure

__all__ = ["from_catalogue", "present", "publish"]

_REQUIRED: Final = ("measure_id", "period", "unit", "numerator", "denominator", "value")
_SCALES: Final = {"percentage": 100, "rate_per_10000": 10_000}
_UNITS: Final = ("count", *_SCALES)
_EXACT: Final = ("numerator", "denominator", "value")
_ZERO_TEXT: Final = r"^0(\.0*)?$"


def present(frame: pl.DataFrame, settings: PresentationSettings) -> pl.DataFrame:
    """Results as display text for an internal report (the profile's internal policy).

    Args:
        frame: results with columns ``measure_id``, ``period``, ``unit``
            (``count``, ``percentage`` or ``rate_per_10000``), ``numerator`` and
            ``denominator`` (whole numbers; ``denominator`` null for counts) and
            ``value`` (null where the figure is missing); any other columns
            (team, locality, breakdown) are kept. the ``frame`` of :class:`earlyhelp.measures.Results`
            will do as it is: ``unit`` is then read from the measure catalogue and
            a figure is missing where its ``missing`` reason is set.
        settings: the profile's presentation settings in force.

    Returns:
        The frame without its exact columns, with ``numerator_display``,
        ``denominator_display`` and ``value_display`` text columns.

    Raises:
        ValueError: a column is missing, or a row has an unknown unit or a
            negative count (the row number, measure and period are named).

    Example:
        >>> import datetime as dt
        >>> from fractions import Fraction
        >>> from earlyhelp.profiles._profile import load_profile
        >>> derby = load_profile("derby-2014-15").rule("presentation", dt.date(2015, 3, 31))
        >>> results = pl.DataFrame({
        ...     "measure_id": ["escalation_rate", "escalation_rate"],
        ...     "period": ["2014-15 Q2", "2014-15 Q4"], "unit": ["percentage"] * 2,
        ...     "numerator": [44, 0], "denominator": [331, 0],
        ...     "value": [Fraction(4400, 331), None]}, schema_overrides={"value": pl.Object})
        >>> present(results, derby).rows()
        [('escalation_rate', '2014-15 Q2', 'percentage', '44', '331', '13.2'), ('escalation_rate', '2014-15 Q4', 'percentage', '0', '0', '[x]')]
    """
    return _display(frame, settings, settings.internal, published=False)


def publish(frame: pl.DataFrame, settings: PresentationSettings) -> pl.DataFrame:
    """Results as display text for publication, under the profile's published policy.

    Under ``suppress``, a count below the threshold is shown ``[c]``, and so is
    every percentage or rate whose numerator or denominator is suppressed (and
    the numerator of a suppressed denominator). Under ``round``, counts are
    rounded to the base and percentages and rates are computed from the rounded
    counts. A percentage or rate that is not zero but rounds to zero is shown
    ``[low]``; a missing figure ``[x]``; a count's denominator ``[z]``.

    Suppression is decided row by row. Where a published table also shows
    totals (a city row beside its localities), a single suppressed cell can be
    recovered by subtraction: publish one level per table, or suppress a second
    cell in each group (secondary suppression) before publishing.

    Args:
        frame: results, as for :func:`present`.
        settings: the profile's presentation settings in force.

    Returns:
        As for :func:`present`: text columns only, no exact values.

    Example:
        >>> import datetime as dt
        >>> from earlyhelp.profiles._profile import load_profile
        >>> derby = load_profile("derby-2014-15").rule("presentation", dt.date(2015, 3, 31))
        >>> results = pl.DataFrame({
        ...     "measure_id": ["escalation_rate", "escalation_rate"],
        ...     "period": ["2014-15 Q3", "2014-15 Q3"], "team_id": ["T1", "T2"],
        ...     "unit": ["percentage"] * 2, "numerator": [3, 15], "denominator": [40, 166],
        ...     "value": [7.5, 9.036]})
        >>> publish(results, derby).select("team_id", "numerator_display", "value_display").rows()
        [('T1', '[c]', '[c]'), ('T2', '15', '9.0')]
    """
    return _display(frame, settings, settings.published, published=True)


def from_catalogue(frame: pl.DataFrame) -> pl.DataFrame:
    """A results frame with ``unit`` and ``value`` columns, filled in where absent.

    the ``frame`` of :class:`earlyhelp.measures.Results` carries each result's ``missing`` reason but
    neither its unit nor its value: the unit comes from the measure catalogue,
    and ``value`` marks which figures exist (null where ``missing`` is set).
    """
    if "unit" not in frame.columns and {"measure_id", "missing"} <= set(frame.columns):
        ids = [i for i in frame["measure_id"].unique().to_list() if i is not None]
        try:
            units = {i: measure(i).unit.value for i in ids}
        except KeyError as exc:
            raise ValueError(f"results frame: {exc.args[0]}") from None
        frame = frame.with_columns(
            unit=pl.col("measure_id").replace_strict(units, return_dtype=pl.Utf8)
        )
    if "value" not in frame.columns and "missing" in frame.columns:
        frame = frame.with_columns(
            value=pl.when(pl.col("missing").is_null()).then(pl.lit(value=True))
        )
    return frame


def _check(frame: pl.DataFrame) -> None:
    absent = [column for column in _REQUIRED if column not in frame.columns]
    if absent:
        msg = (
            f"results frame: missing column(s) {', '.join(absent)}; expected {', '.join(_REQUIRED)}"
        )
        raise ValueError(msg)
    for column in ("numerator", "denominator"):
        dtype = frame.schema[column]
        if not (dtype.is_integer() or dtype == pl.Null):
            msg = f"results frame: column {column}: expected whole numbers, got {dtype}"
            raise ValueError(msg)
    bad = (
        frame.with_row_index("row", offset=1)
        .filter(
            ~pl.col("unit").is_in(_UNITS)
            | pl.col("unit").is_null()
            | (pl.col("numerator") < 0)
            | (pl.col("denominator") < 0)
        )
        .head(3)
    )
    if bad.height:
        where = "; ".join(
            f"row {row['row']} (measure {row['measure_id']}, period {row['period']}): "
            + (
                f"unit: expected one of {', '.join(_UNITS)}, got {row['unit']!r}"
                if row["unit"] not in _UNITS
                else "numerator and denominator: expected 0 or more"
            )
            for row in bad.iter_rows(named=True)
        )
        raise ValueError(f"results frame: {where}")


def _to_base(count: pl.Expr, policy: DisclosurePolicy) -> pl.Expr:
    if policy.method is not Disclosure.ROUND:
        return count
    base = policy.base
    return (2 * count + base) // (2 * base) * base


def _hidden(count: pl.Expr, policy: DisclosurePolicy) -> pl.Expr:
    if policy.method is not Disclosure.SUPPRESS:
        return pl.lit(value=False)
    small = count < policy.threshold
    if not policy.suppress_zero:
        small = small & (count != 0)
    return small.fill_null(value=False)


def _ratio_text(
    settings: PresentationSettings, numerator: pl.Expr, denominator: pl.Expr
) -> pl.Expr:
    """Rounded ratio text, by unit and by each measure's places."""
    measure, unit = pl.col("measure_id"), pl.col("unit")
    overridden = list(settings.places)
    chain: Any = pl.when(pl.lit(value=False)).then(pl.lit(None, dtype=pl.Utf8))
    for name, scale in _SCALES.items():
        for measure_id in overridden:
            policy = settings.policy(measure_id, name)
            assert policy is not None
            chain = chain.when((unit == name) & (measure == measure_id)).then(
                policy.ratio_expr(numerator, denominator, scale=scale)
            )
        default = settings.policy("", name)
        assert default is not None
        chain = chain.when((unit == name) & ~measure.is_in(overridden)).then(
            default.ratio_expr(numerator, denominator, scale=scale)
        )
    result: pl.Expr = chain.otherwise(pl.lit(None, dtype=pl.Utf8))
    return result


def _display(
    frame: pl.DataFrame,
    settings: PresentationSettings,
    policy: DisclosurePolicy,
    *,
    published: bool,
) -> pl.DataFrame:
    frame = from_catalogue(frame)
    _check(frame)
    count = pl.col("unit") == "count"
    numerator = _to_base(pl.col("numerator"), policy)
    denominator = _to_base(pl.col("denominator"), policy)
    hide_denominator = ~count & _hidden(pl.col("denominator"), policy)
    hide_numerator = _hidden(pl.col("numerator"), policy) | hide_denominator
    ratio = _ratio_text(settings, numerator, denominator)
    confidential = pl.lit(Symbol.CONFIDENTIAL.value)
    not_available = pl.lit(Symbol.NOT_AVAILABLE.value)
    ratio_shown = (
        pl.when(denominator == 0)
        .then(confidential)  # only rounding to a base makes a real denominator 0
        .when(pl.lit(value=published) & (numerator != 0) & ratio.str.contains(_ZERO_TEXT))
        .then(pl.lit(Symbol.LOW.value))
        .otherwise(ratio)
    )
    value_text = (
        pl.when(pl.col("value").is_null() | pl.col("numerator").is_null())
        .then(not_available)
        .when(hide_numerator)
        .then(confidential)
        .when(count)
        .then(numerator.cast(pl.Utf8))
        .when(pl.col("denominator").is_null())
        .then(not_available)
        .otherwise(ratio_shown)
    )
    numerator_text = (
        pl.when(pl.col("numerator").is_null())
        .then(not_available)
        .when(hide_numerator)
        .then(confidential)
        .otherwise(numerator.cast(pl.Utf8))
    )
    denominator_text = (
        pl.when(count)
        .then(pl.lit(Symbol.NOT_APPLICABLE.value))
        .when(pl.col("denominator").is_null())
        .then(not_available)
        .when(hide_denominator)
        .then(confidential)
        .otherwise(denominator.cast(pl.Utf8))
    )
    return (
        frame.lazy()
        .with_columns(
            numerator_display=numerator_text,
            denominator_display=denominator_text,
            value_display=value_text,
        )
        .drop(_EXACT)
        .collect(engine="in-memory")
    )
