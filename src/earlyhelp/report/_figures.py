"""How computed figures are written in a report or a terminal table.

The text comes from the presentation layer: the profile's presentation settings
in force (rounding of percentages and rates, once, from the exact value) and,
for anything published, its disclosure control (:func:`publish`: small counts
and the ratios built on them shown ``[c]``). A missing figure is a GSS symbol
(``[x]``), never zero. Profiles without presentation settings get
:data:`DEFAULT_SETTINGS` (half up to one place, no disclosure control).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl

from earlyhelp.errors import NotFoundError
from earlyhelp.measures._disclosure import present, publish
from earlyhelp.measures._presentation_settings import DEFAULT_SETTINGS, PresentationSettings
from earlyhelp.measures._results import Results
from earlyhelp.profiles._profile import Profile

__all__ = [
    "DEFAULT_SETTINGS",
    "FigureTexts",
    "published_breakdown",
    "published_figures",
    "published_shares",
    "settings_for",
]


def settings_for(profile: Profile, day: dt.date) -> tuple[PresentationSettings, bool]:
    """The profile's presentation settings in force on ``day``, and whether it declared any.

    Example:
        >>> from earlyhelp import load_profile
        >>> settings, declared = settings_for(load_profile("derby-2014-15"), dt.date(2015, 3, 31))
        >>> settings.rule_id, declared, settings.published.threshold
        ('PRES-DERBY-2014', True, 5)
        >>> settings_for(load_profile("derby-2014-15"), dt.date(2012, 3, 31))  # none in force
        (PresentationSettings(rule_id='earlyhelp-default', ...), False)
    """
    found: PresentationSettings | None = profile.rule("presentation", day)
    return (DEFAULT_SETTINGS, False) if found is None else (found, True)


class FigureTexts:
    """Every figure of some results as text, looked up by measure, period and unit.

    Args:
        results: the computed results.
        settings: the presentation settings to apply.
        published: apply the published disclosure policy (for anything that
            leaves the council) rather than the internal one.

    Example:
        >>> import earlyhelp as eh
        >>> data = eh.load(eh.demo_path())
        >>> results = eh.compute(data, profile="derby-2014-15", period="2014-15 Q3", by="team",
        ...                      measures=["escalation_rate"])
        >>> settings, _ = settings_for(eh.load_profile("derby-2014-15"), dt.date(2014, 12, 31))
        >>> texts = FigureTexts(results, settings, published=True)
        >>> city = results["escalation_rate", "2014-15 Q3", "city"]
        >>> texts.parts("escalation_rate", "2014-15 Q3", "city") == (
        ...     f"{city.numerator}/{city.denominator}")
        True
        >>> small = [r for r in results if r.level.value == "team" and 0 < r.numerator < 5]
        >>> texts.value("escalation_rate", "2014-15 Q3", small[0].unit_id)  # disclosure control
        '[c]'
    """

    def __init__(
        self, results: Results, settings: PresentationSettings, *, published: bool
    ) -> None:
        frame = results.frame
        shown = (publish if published else present)(frame, settings, hierarchy=results.hierarchy)
        keys = frame.select("measure_id", "period", "unit_id", "breakdown").rows()
        texts = shown.select("numerator_display", "denominator_display", "value_display").rows()
        units = shown.get_column("unit").to_list()
        self._cells: dict[tuple[str, str, str, str | None], tuple[str, str, str, str]] = {
            key: (*text, unit) for key, text, unit in zip(keys, texts, units, strict=True)
        }

    def _cell(
        self, measure_id: str, period: str, unit_id: str, breakdown: str | None
    ) -> tuple[str, str, str, str]:
        try:
            return self._cells[(measure_id, period, unit_id, breakdown)]
        except KeyError:
            msg = f"no figure for {measure_id}, {period}, {unit_id}"
            raise NotFoundError(msg) from None

    def value(
        self, measure_id: str, period: str, unit_id: str, breakdown: str | None = None
    ) -> str:
        """The figure as shown: ``"615"``, ``"18.6%"``, ``"65.1"`` (a rate) or a symbol."""
        _, _, text, unit = self._cell(measure_id, period, unit_id, breakdown)
        if unit == "percentage" and not text.startswith("["):
            return f"{text}%"
        return text

    def parts(
        self, measure_id: str, period: str, unit_id: str, breakdown: str | None = None
    ) -> str:
        """A ratio's numerator over its denominator, ``"31/274"``, as shown (a count alone)."""
        numerator, denominator, _, unit = self._cell(measure_id, period, unit_id, breakdown)
        return numerator if unit == "count" else f"{numerator}/{denominator}"


def published_shares(
    parts: list[tuple[str, int]], whole: int, settings: PresentationSettings, period: str
) -> list[tuple[str, str, str]]:
    """Counts and their shares of a whole, as published (disclosure control applied).

    Args:
        parts: ``(label, count)`` pairs.
        whole: the denominator of every share.
        settings: the presentation settings (its published policy applies).
        period: the period label the counts are for.

    Returns:
        ``(label, count, share)`` text triples, in the order given.

    Example:
        >>> from earlyhelp import load_profile
        >>> settings, _ = settings_for(load_profile("derby-2014-15"), dt.date(2015, 3, 31))
        >>> published_shares([("improving", 101), ("worsening", 3)], 104, settings, "2014-15")
        [('improving', '101', '97.1%'), ('worsening', '[c]', '[c]')]
    """
    frame = pl.DataFrame(
        {
            "measure_id": [label for label, _ in parts],
            "period": [period] * len(parts),
            "unit": ["percentage"] * len(parts),
            "numerator": [count for _, count in parts],
            "denominator": [whole] * len(parts),
            "value": [1] * len(parts),
        },
        schema_overrides={"numerator": pl.Int64, "denominator": pl.Int64, "value": pl.Int64},
    )
    shown = publish(frame, settings).select("numerator_display", "value_display").rows()
    return [
        (label, count, share if share.startswith("[") else f"{share}%")
        for (label, _), (count, share) in zip(parts, shown, strict=True)
    ]


def published_figures(
    figures: Sequence[tuple[str, int, int | None]], settings: PresentationSettings, period: str
) -> list[tuple[str, str, str]]:
    """Counts and percentages as published: ``(measure id, numerator, denominator)`` in.

    A ``None`` denominator makes the figure a count. Returns ``(numerator,
    denominator, value)`` texts under the published disclosure control, a
    percentage with its ``%`` sign; the measure id picks any places override.

    Example:
        >>> import datetime as dt
        >>> from earlyhelp import load_profile
        >>> derby, _ = settings_for(load_profile("derby-2014-15"), dt.date(2015, 3, 31))
        >>> published_figures([("audit_completion_rate", 52, 86), ("x", 3, None)], derby, "2014-15")
        [('52', '86', '60%'), ('[c]', '[z]', '[c]')]
    """
    frame = pl.DataFrame(
        {
            "measure_id": [m for m, _, _ in figures],
            "period": [period] * len(figures),
            "unit": ["count" if d is None else "percentage" for _, _, d in figures],
            "numerator": [n for _, n, _ in figures],
            "denominator": [d for _, _, d in figures],
            "value": [1] * len(figures),
        },
        schema={
            "measure_id": pl.String,
            "period": pl.String,
            "unit": pl.String,
            "numerator": pl.Int64,
            "denominator": pl.Int64,
            "value": pl.Int64,
        },
    )
    shown = publish(frame, settings).select(
        "numerator_display", "denominator_display", "value_display"
    )
    return [
        (n, d, v if v.startswith("[") or denominator is None else f"{v}%")
        for (n, d, v), (_, _, denominator) in zip(shown.rows(), figures, strict=True)
    ]


def published_breakdown(
    parts: Sequence[tuple[str, int]],
    settings: PresentationSettings,
    period: str,
    *,
    measure_id: str = "breakdown_share",
) -> tuple[list[tuple[str, str, str]], str]:
    """A breakdown and its total, as published: the parts add up to the total.

    Each part is shown with its count and its share of the total. Small counts
    are suppressed, and so are further parts, or the total, so that no hidden
    part is the total less the shown ones (secondary suppression, as in
    :func:`earlyhelp.publish`). When the total is hidden, so is every share
    (a share beside its count gives the total).

    Returns:
        ``(label, count, share)`` text triples in the order given, and the
        total's text.

    Example:
        >>> from earlyhelp import load_profile
        >>> settings, _ = settings_for(load_profile("derby-2014-15"), dt.date(2015, 3, 31))
        >>> published_breakdown([("improving", 101), ("same", 9), ("worsening", 3)], settings,
        ...                     "2014-15")
        ([('improving', '101', '89.3%'), ('same', '[c]', '[c]'), ('worsening', '[c]', '[c]')], '113')
    """
    whole = sum(count for _, count in parts)
    frame = pl.DataFrame(
        {
            "measure_id": [measure_id] * (len(parts) + 1),
            "period": [period] * (len(parts) + 1),
            "breakdown": [*(label for label, _ in parts), None],
            "unit": ["percentage"] * len(parts) + ["count"],
            "numerator": [*(count for _, count in parts), whole],
            "denominator": [whole] * len(parts) + [None],
            "value": [1] * (len(parts) + 1),
        },
        schema_overrides={
            "breakdown": pl.String,
            "numerator": pl.Int64,
            "denominator": pl.Int64,
            "value": pl.Int64,
        },
    )
    shown = publish(frame, settings).select("numerator_display", "value_display").rows()
    total = shown[-1][0]
    hidden = total.startswith("[")  # a share beside its count would give the total away
    texts = [
        (label, count, "[c]" if hidden else share if share.startswith("[") else f"{share}%")
        for (label, _), (count, share) in zip(parts, shown[:-1], strict=True)
    ]
    return texts, total
