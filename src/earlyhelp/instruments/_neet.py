"""NEET figures: NEET %, not known % and the two combined, over a cohort's snapshots.

A snapshot is one month's records of the young people in the cohort (their
academic age in the definition's ages). Over several snapshots the counts are
averaged, so each percentage is the sum of the numerators over the sum of the
denominators: the average count over the average cohort, exactly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from fractions import Fraction

import attrs
import polars as pl

from earlyhelp.errors import ArgumentError, RecordError
from earlyhelp.instruments._neet_codes import ActivityCategory, with_category
from earlyhelp.instruments._neet_cohort import (
    NeetCohortDefinition,
    NeetDenominator,
    NeetTargets,
    cohort_evidence,
)

__all__ = [
    "NeetFigures",
    "NeetProgress",
    "neet_cohort_members",
    "neet_figures",
    "neet_progress",
    "with_checked_category",
]


def _pct(numerator: int, denominator: int) -> Fraction | None:
    return None if denominator == 0 else Fraction(100 * numerator, denominator)


@attrs.frozen(kw_only=True)
class NeetFigures:
    """Counts summed over the snapshots, and the percentages they give.

    Attributes:
        snapshots: how many monthly snapshots were summed.
        cohort: cohort members, summed over the snapshots.
        neet: of them, NEET.
        not_known: of them, activity not known.
        neet_denominator: what NEET % is a percentage of.

    Example:
        >>> f = NeetFigures(snapshots=1, cohort=1000, neet=57, not_known=34,
        ...                 neet_denominator=NeetDenominator.KNOWN)
        >>> float(f.neet_rate), float(f.not_known_rate), float(f.combined_rate)
        (5.900621118012422, 3.4, 9.1)
    """

    snapshots: int
    cohort: int
    neet: int
    not_known: int
    neet_denominator: NeetDenominator

    @property
    def known(self) -> int:
        """Cohort members whose activity is known."""
        return self.cohort - self.not_known

    @property
    def neet_rate(self) -> Fraction | None:
        """NEET as a percentage of the known cohort or the whole cohort (per definition)."""
        base = self.known if self.neet_denominator is NeetDenominator.KNOWN else self.cohort
        return _pct(self.neet, base)

    @property
    def not_known_rate(self) -> Fraction | None:
        """Not known as a percentage of the whole cohort."""
        return _pct(self.not_known, self.cohort)

    @property
    def combined_rate(self) -> Fraction | None:
        """NEET or not known, as a percentage of the whole cohort."""
        return _pct(self.neet + self.not_known, self.cohort)


def with_checked_category(
    members: pl.DataFrame | pl.LazyFrame, codes: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Cohort records with their activity ``category``; every code must be in force.

    Args:
        members: cohort records (``person_id``, ``record_month``, ``activity_code``).
        codes: activity code versions; the shipped ones by default.

    Raises:
        RecordError: a record's code is not an activity code in force in its
            month (the message lists the codes and names the first record by
            its pseudonymous id and month, never a date of birth).
    """
    joined = with_category(members.lazy(), codes).collect(engine="in-memory")
    unknown = joined.filter(pl.col("category").is_null())
    if unknown.height:
        first = unknown.row(0, named=True)
        listed = ", ".join(sorted(unknown.get_column("activity_code").unique().to_list()))
        msg = (
            f"not an NCCIS activity code in force: {listed} "
            f"({unknown.height} records, first: person {first['person_id']}, "
            f"month {first['record_month']})"
        )
        raise RecordError("neet", str(first["person_id"]), [("activity_code", msg)])
    return joined


def neet_cohort_members(
    neet: pl.DataFrame,
    months: Sequence[dt.date],
    definition: NeetCohortDefinition,
    codes: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """The records in the cohort in each snapshot month, with their activity category.

    Membership is :func:`~earlyhelp.instruments.flag_neet_cohort`'s, with the
    definition and months given.

    Args:
        neet: the ``neet`` table.
        months: the snapshot months (first days).
        definition: the cohort definition (its ages are used; its months are not).
        codes: activity code versions shaped like the shipped file (code, category,
            effective_from, effective_to); by default the shipped ones. Each record
            takes the version in force in its month.

    Returns:
        ``person_id, record_month, activity_code, academic_age, category``.

    Raises:
        RecordError: a cohort record's code is not an activity code in force (the
            message lists the codes, never a date of birth).
    """
    wanted = list(months)
    # Records of other months are never members: leave them out before flagging.
    in_months = neet.lazy().filter(pl.col("record_month").is_in(wanted))
    flags = cohort_evidence(in_months, definition=definition, months=wanted)
    members = flags.filter(pl.col("in_cohort"))
    joined = with_checked_category(members, codes)
    return joined.select("person_id", "record_month", "activity_code", "academic_age", "category")


def neet_figures(
    neet: pl.DataFrame,
    definition: NeetCohortDefinition,
    *,
    academic_year: int | None = None,
    months: Sequence[dt.date] | None = None,
    codes: pl.DataFrame | None = None,
) -> NeetFigures:
    """NEET and not known figures for a cohort, over the definition's snapshots.

    Args:
        neet: the ``neet`` table.
        definition: the cohort definition (see :func:`~earlyhelp.instruments.neet_cohort_definition`).
        academic_year: average the definition's months of this academic year.
        months: or give the snapshot months yourself (e.g. one month, March 2015).
        codes: activity codes; the shipped ones by default.

    Example:
        >>> import datetime as dt
        >>> from earlyhelp.instruments import neet_cohort_definition
        >>> neet = pl.DataFrame({
        ...     "person_id": ["Y1", "Y2", "Y3"],
        ...     "date_of_birth": [dt.date(1997, 1, 5), dt.date(1998, 8, 31), dt.date(1998, 9, 1)],
        ...     "record_month": [dt.date(2015, 3, 1)] * 3,
        ...     "activity_code": ["540", "130", "810"]})
        >>> f = neet_figures(neet, neet_cohort_definition(2014), months=[dt.date(2015, 3, 1)])
        >>> f.cohort, f.neet, f.not_known, f.neet_rate
        (2, 1, 0, Fraction(50, 1))
    """
    if months is None:
        if academic_year is None:
            msg = "neet_figures: give academic_year or months"
            raise ArgumentError(msg)
        months = definition.snapshot_months(academic_year)
    members = neet_cohort_members(neet, months, definition, codes)
    counts = members.select(
        pl.len().alias("cohort"),
        (pl.col("category") == ActivityCategory.NEET.value).sum().alias("neet"),
        (pl.col("category") == ActivityCategory.NOT_KNOWN.value).sum().alias("not_known"),
    ).row(0, named=True)
    return NeetFigures(
        snapshots=len(months),
        cohort=int(counts["cohort"]),
        neet=int(counts["neet"]),
        not_known=int(counts["not_known"]),
        neet_denominator=definition.neet_denominator,
    )


@attrs.frozen(kw_only=True)
class NeetProgress:
    """NEET figures against targets: met when the figure is below its target.

    ``None`` where the figure cannot be computed (an empty cohort).
    """

    neet_met: bool | None
    not_known_met: bool | None
    neet_gap: Fraction | None
    """Percentage points above (positive) or below the NEET target."""
    not_known_gap: Fraction | None


def neet_progress(figures: NeetFigures, targets: NeetTargets) -> NeetProgress:
    """How NEET figures stand against targets.

    Args:
        figures: the NEET figures.
        targets: the targets, e.g. a profile's with :meth:`NeetTargets.from_profile`.

    Example:
        >>> f = NeetFigures(snapshots=1, cohort=1000, neet=59, not_known=34,
        ...                 neet_denominator=NeetDenominator.COHORT)
        >>> derby = NeetTargets.from_profile("derby-2014-15", dt.date(2016, 4, 30))
        >>> p = neet_progress(f, derby)
        >>> p.neet_met, p.neet_gap, p.not_known_met
        (False, Fraction(2, 5), True)
    """
    neet, unknown = figures.neet_rate, figures.not_known_rate
    return NeetProgress(
        neet_met=None if neet is None else neet < targets.neet_below,
        not_known_met=None if unknown is None else unknown < targets.not_known_below,
        neet_gap=None if neet is None else neet - targets.neet_below,
        not_known_gap=None if unknown is None else unknown - targets.not_known_below,
    )
