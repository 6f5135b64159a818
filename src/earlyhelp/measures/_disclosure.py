"""Figures as text, and statistical disclosure control for published output.

:func:`present` turns a frame of exact results into display text for an
internal report; :func:`publish` does the same under the profile's published
disclosure control policy. Both read the exact numerators and denominators and
return a new frame: the exact values are never changed, and the published frame
carries none of them, so nothing hidden can be read back from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import polars as pl

from earlyhelp.errors import DisclosureError, InternalError
from earlyhelp.measures._disclosure_policy import Disclosure, DisclosurePolicy, Symbol
from earlyhelp.measures._presentation_settings import PresentationSettings
from earlyhelp.measures._secondary import secondary_cells
from earlyhelp.measures._shipped import measure

__all__ = ["from_catalogue", "present", "publish"]

_REQUIRED: Final = ("measure_id", "period", "unit", "numerator", "denominator", "value")
_SCALES: Final = {"percentage": 100, "rate_per_10000": 10_000}
_UNITS: Final = ("count", *_SCALES)
_EXACT: Final = ("numerator", "denominator", "value")
_ZERO_TEXT: Final = r"^0(\.0*)?$"


def present(
    frame: pl.DataFrame,
    settings: PresentationSettings,
    *,
    hierarchy: Mapping[str, str] | None = None,
) -> pl.DataFrame:
    """Results as display text for an internal report (the profile's internal policy).

    Where the internal policy suppresses too, the cells are protected as for
    :func:`publish` (secondary suppression included).

    Args:
        frame: results with columns ``measure_id``, ``period``, ``unit``
            (``count``, ``percentage`` or ``rate_per_10000``), ``numerator`` and
            ``denominator`` (whole numbers; ``denominator`` null for counts) and
            ``value`` (null where the figure is missing); any other columns
            (team, locality, breakdown) are kept. the ``frame`` of :class:`earlyhelp.measures.Results`
            will do as it is: ``unit`` is then read from the measure catalogue and
            a figure is missing where its ``missing`` reason is set.
        settings: the profile's presentation settings in force.
        hierarchy: each team's locality (``Results.hierarchy``), used only when
            the internal policy suppresses (see :func:`publish`).

    Returns:
        The frame without its exact columns, with ``numerator_display``,
        ``denominator_display`` and ``value_display`` text columns.

    Raises:
        DisclosureError: a column is missing, or a row has an unknown unit or a
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
    return _display(frame, settings, settings.internal, published=False, hierarchy=hierarchy)


def publish(
    frame: pl.DataFrame,
    settings: PresentationSettings,
    *,
    hierarchy: Mapping[str, str] | None = None,
) -> pl.DataFrame:
    """Results as display text for publication, under the profile's published policy.

    Under ``suppress``, a count below the threshold is shown ``[c]``, and so is
    every percentage or rate whose numerator or denominator is suppressed (and
    the numerator of a suppressed denominator). Under ``round``, counts are
    rounded to the base and percentages and rates are computed from the rounded
    counts. A percentage or rate that is not zero but rounds to zero is shown
    ``[low]``; a missing figure ``[x]``; a count's denominator ``[z]``.

    Under ``suppress``, cells are also suppressed for the others' sake
    (secondary suppression, by the hypercube method): a year is the sum of its
    quarters, a locality of its teams, the city of its localities and a total
    of its breakdown, so a single suppressed cell could be worked out from the
    published rest. Further cells are chosen so that no suppressed count can be
    recovered by adding and subtracting published ones, for numerators and
    denominators alike; the choice never depends on a suppressed value.

    Args:
        frame: results, as for :func:`present`; with ``level`` and
            ``unit_id`` columns (as in the frame of :class:`earlyhelp.Results`)
            teams, localities and the city are linked; with ``breakdown``, the
            breakdown values and their total.
        settings: the profile's presentation settings in force.
        hierarchy: each team's locality (``Results.hierarchy``); needed when
            the frame has both teams and localities.

    Returns:
        As for :func:`present`: text columns only, no exact values.

    Raises:
        DisclosureError: as for :func:`present`; or the frame has teams and
            localities and ``hierarchy`` does not name a team's locality.

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

        With their locality's total beside them, T2 is suppressed too: 18 - 15 = 3.

        >>> with_total = pl.concat([results.with_columns(level=pl.lit("team")), pl.DataFrame({
        ...     "measure_id": ["escalation_rate"], "period": ["2014-15 Q3"], "team_id": ["L1"],
        ...     "unit": ["percentage"], "numerator": [18], "denominator": [206],
        ...     "value": [8.738], "level": ["locality"]})]).rename({"team_id": "unit_id"})
        >>> (publish(with_total, derby, hierarchy={"T1": "L1", "T2": "L1"})
        ...  .select("unit_id", "numerator_display", "denominator_display").rows())
        [('T1', '[c]', '40'), ('T2', '[c]', '166'), ('L1', '18', '206')]
    """
    return _display(frame, settings, settings.published, published=True, hierarchy=hierarchy)


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
            raise DisclosureError(f"results frame: {exc.args[0]}") from None
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
        raise DisclosureError(msg)
    for column in ("numerator", "denominator"):
        dtype = frame.schema[column]
        if not (dtype.is_integer() or dtype == pl.Null):
            msg = f"results frame: column {column}: expected whole numbers, got {dtype}"
            raise DisclosureError(msg)
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
        raise DisclosureError(f"results frame: {where}")


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


def _suppressed(
    frame: pl.DataFrame, policy: DisclosurePolicy, hierarchy: Mapping[str, str] | None
) -> pl.DataFrame:
    """The frame with ``_hide_denominator`` and ``_hide_numerator``: primary and secondary.

    A hidden denominator hides its numerator (and the ratio); a hidden numerator
    hides a zero denominator (which would tell it was zero). The numerators and
    the denominators are each protected by :func:`secondary_cells`, in turn,
    until neither adds a cell: then both rules hold and every hidden cell of
    either is protected.
    """
    count = pl.col("unit") == "count"
    frame = frame.with_columns(
        _hide_denominator=~count & _hidden(pl.col("denominator"), policy),
        _denominator=pl.when(~count).then(pl.col("denominator")),
        _eligible=pl.lit(value=True),
    )
    frame = frame.with_columns(
        _hide_numerator=_hidden(pl.col("numerator"), policy) | pl.col("_hide_denominator")
    )
    if policy.method is not Disclosure.SUPPRESS:
        return frame.drop("_denominator", "_eligible")
    while True:
        before = frame.select("_hide_numerator", "_hide_denominator")
        frame = frame.with_columns(
            _hide_denominator=pl.col("_hide_denominator")
            | (pl.col("_hide_numerator") & (pl.col("_denominator") == 0)).fill_null(value=False)
        )
        frame = frame.with_columns(
            secondary_cells(
                frame.drop("_hide_numerator"),
                count="_denominator",
                primary="_hide_denominator",
                eligible="_eligible",
                hierarchy=hierarchy,
            ).alias("_hide_denominator")
        )
        frame = frame.with_columns(
            _hide_numerator=pl.col("_hide_numerator") | pl.col("_hide_denominator")
        )
        frame = frame.with_columns(
            secondary_cells(
                frame.drop("_hide_denominator", "_denominator"),
                count="numerator",
                primary="_hide_numerator",
                eligible="_eligible",
                hierarchy=hierarchy,
            ).alias("_hide_numerator")
        )
        if frame.select("_hide_numerator", "_hide_denominator").equals(before):
            return frame.drop("_denominator", "_eligible")


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
            if policy is None:  # pragma: no cover - policy() is None for counts only
                raise InternalError(f"no rounding policy for {measure_id} {name}")
            chain = chain.when((unit == name) & (measure == measure_id)).then(
                policy.ratio_expr(numerator, denominator, scale=scale)
            )
        default = settings.policy("", name)
        if default is None:  # pragma: no cover - policy() is None for counts only
            raise InternalError(f"no default rounding policy for {name}")
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
    hierarchy: Mapping[str, str] | None = None,
) -> pl.DataFrame:
    frame = from_catalogue(frame)
    _check(frame)
    frame = _suppressed(frame, policy, hierarchy)
    count = pl.col("unit") == "count"
    numerator = _to_base(pl.col("numerator"), policy)
    denominator = _to_base(pl.col("denominator"), policy)
    hide_denominator = pl.col("_hide_denominator")
    hide_numerator = pl.col("_hide_numerator")
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
        pl.when(pl.col("numerator").is_null())
        .then(not_available)
        .when(hide_numerator)
        .then(confidential)
        .when(pl.col("value").is_null())
        .then(not_available)
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
        .drop(*_EXACT, "_hide_numerator", "_hide_denominator")
        .collect(engine="in-memory")
    )
