"""The reproduction of every figure the source report publishes."""

from __future__ import annotations

import datetime as dt

import attrs
import polars as pl

from earlyhelp.errors import ProfileError
from earlyhelp.measures._rounding import RoundingPolicy
from earlyhelp.profiles._profile import load_profile
from earlyhelp.reproduction._audits import reproduce_audits
from earlyhelp.reproduction._centres import reproduce_centres
from earlyhelp.reproduction._figure import Figure
from earlyhelp.reproduction._neet import reproduce_neet
from earlyhelp.reproduction._quarterly import quarterly_figures
from earlyhelp.reproduction._surveys import reproduce_surveys

__all__ = ["REPRODUCTION_COLUMNS", "reproduce_source_report"]

#: The columns of the reproduction, in order.
REPRODUCTION_COLUMNS = (
    "figure",
    "section",
    "published",
    "computed",
    "match",
    "note",
    "derivation",
)


def source_rounding() -> RoundingPolicy:
    """The source city's rounding of percentages, from its profile (truncate, one place)."""
    settings = load_profile("derby-2014-15").rule("presentation", dt.date(2015, 3, 31))
    policy: RoundingPolicy | None = (
        None if settings is None else settings.policy("escalation_rate", "percentage")
    )
    if policy is None:  # pragma: no cover - the shipped profile declares it
        msg = "the derby-2014-15 profile declares no rounding for percentages"
        raise ProfileError("derby-2014-15", [("presentation", msg)])
    return policy


def reproduce_source_report(rounding: RoundingPolicy | None = None) -> pl.DataFrame:
    """Recompute every figure the source report publishes from the data it prints.

    The report's tables and counts are entered as data (its quarterly table as the
    city's aggregate returns), run through the library's calculators and rolled up,
    and each derived figure is formatted under the source city's rounding and set
    beside the published one.

    Args:
        rounding: the rounding for percentages; by default the source city's, read
            from the ``derby-2014-15`` profile's presentation settings (truncate
            to one place). Pass another to see which figures it would change.

    Returns:
        One row per published figure: ``figure``, ``section``, ``published``,
        ``computed``, ``match``, ``note`` (where the report is wrong or ambiguous)
        and ``derivation``.

    Example:
        >>> report = reproduce_source_report()
        >>> report.filter(pl.col("figure") == "Escalation % 2014-15 Q1").select(
        ...     "published", "computed", "match").row(0)
        ('18.6%', '18.6%', True)
        >>> import earlyhelp as eh
        >>> half_up = reproduce_source_report(eh.measures.RoundingPolicy(eh.measures.Rounding.HALF_UP, 1))
        >>> half_up.filter(~pl.col("match") & (pl.col("note") == "")).get_column("figure").to_list()
        ['Escalation % 2013-14 Q2', 'Escalation % 2014-15 Q1', 'Escalation % 2014-15 Q2', ...]
    """
    policy = rounding or source_rounding()
    figures: list[Figure] = [
        *quarterly_figures(policy),
        *reproduce_surveys(rounding=policy),
        *reproduce_audits(),
        *reproduce_neet(),
        *reproduce_centres(),
    ]
    rows = [attrs.asdict(figure) for figure in figures]
    return pl.DataFrame(
        rows,
        schema={
            name: pl.Boolean if name == "match" else pl.String for name in REPRODUCTION_COLUMNS
        },
    )
