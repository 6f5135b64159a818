"""Academic age and the NEET cohort definitions, versioned by year.

A young person's academic age is their age on the 31 August before the academic
year (1 September to 31 August) that a record falls in: everyone in a school year
group shares it. Who is in the NEET cohort, and which monthly snapshots are
averaged, changed over the years; each definition is a dated version, chosen by
the academic year's first day, never by the clock.
"""

from __future__ import annotations

import datetime as dt
import enum
from fractions import Fraction
from typing import Final

import attrs
import polars as pl

from earlyhelp.errors import ProfileError
from earlyhelp.profiles._applying import ProfileLike, resolve_profile
from earlyhelp.profiles._dating import Citation, Effective, in_force
from earlyhelp.profiles._targets import Comparison, Target, target_for

__all__ = [
    "NEET_COHORT_DEFINITIONS",
    "NeetCohortDefinition",
    "NeetDenominator",
    "NeetTargets",
    "academic_age",
    "academic_age_expr",
    "academic_year_start",
    "neet_cohort_definition",
]


def academic_year_start(day: dt.date) -> int:
    """The calendar year in which ``day``'s academic year starts (1 September).

    Example:
        >>> academic_year_start(dt.date(2015, 8, 31)), academic_year_start(dt.date(2015, 9, 1))
        (2014, 2015)
    """
    return day.year if day.month >= 9 else day.year - 1


def academic_age(date_of_birth: dt.date, day: dt.date) -> int:
    """Age on the 31 August before ``day``'s academic year.

    A child born on 31 August is the oldest of one year group; one born the next
    day, 1 September, the youngest of the next. A 29 February birthday needs no
    special rule: 31 August is after it in every year.

    Example:
        >>> march = dt.date(2015, 3, 1)
        >>> academic_age(dt.date(1998, 8, 31), march), academic_age(dt.date(1998, 9, 1), march)
        (16, 15)
    """
    year = academic_year_start(day)
    return year - date_of_birth.year - (1 if date_of_birth.month >= 9 else 0)


def academic_age_expr(date_of_birth: str, day: str) -> pl.Expr:
    """:func:`academic_age` as a polars expression over two date columns.

    Example:
        >>> frame = pl.DataFrame({"dob": [dt.date(1998, 8, 31), dt.date(1998, 9, 1)],
        ...                       "month": [dt.date(2015, 3, 1)] * 2})
        >>> frame.select(academic_age_expr("dob", "month")).to_series().to_list()
        [16, 15]
    """
    dob, when = pl.col(date_of_birth), pl.col(day)
    start = when.dt.year() - (when.dt.month() < 9).cast(pl.Int32)
    return (start - dob.dt.year() - (dob.dt.month() >= 9).cast(pl.Int32)).cast(pl.Int64)


class NeetDenominator(enum.StrEnum):
    """What the NEET percentage is a percentage of."""

    KNOWN = "known"
    """The cohort less those whose activity is not known."""
    COHORT = "cohort"
    """The whole cohort (so NEET % and not known % add up to the combined figure)."""


@attrs.frozen(kw_only=True)
class NeetCohortDefinition:
    """One version of the NEET cohort definition.

    Attributes:
        rule_id: the version's stable id.
        effective: the academic years it applies to (by their 1 September).
        citation: the definition's source.
        ages: the academic ages in the cohort.
        months: the calendar months whose snapshots are averaged, in order.
        neet_denominator: what NEET % is a percentage of (not known % is always
            a percentage of the whole cohort).
        participation_month: the month whose cohort measures participation, if any.
    """

    rule_id: str
    effective: Effective
    citation: Citation
    ages: tuple[int, ...]
    months: tuple[int, ...]
    neet_denominator: NeetDenominator
    participation_month: int | None = None

    def snapshot_months(self, academic_year: int) -> tuple[dt.date, ...]:
        """The first days of the averaged months in the academic year starting ``academic_year``.

        Example:
            >>> NEET_COHORT_DEFINITIONS[0].snapshot_months(2014)
            (datetime.date(2014, 11, 1), datetime.date(2014, 12, 1), datetime.date(2015, 1, 1))
        """
        return tuple(
            dt.date(academic_year if month >= 9 else academic_year + 1, month, 1)
            for month in self.months
        )


NEET_COHORT_DEFINITIONS: Final = (
    NeetCohortDefinition(
        rule_id="NEET-16-18-NDJ",
        effective=Effective(start=dt.date(2011, 9, 1), end=dt.date(2016, 8, 31)),
        citation=Citation(
            document="DfE NEET statistics, local authority figures (2014-15)",
            section="academic age 16 to 18; average of November, December and January",
        ),
        ages=(16, 17, 18),
        months=(11, 12, 1),
        neet_denominator=NeetDenominator.KNOWN,
    ),
    NeetCohortDefinition(
        rule_id="NEET-16-17-DJF",
        effective=Effective(start=dt.date(2016, 9, 1)),
        citation=Citation(
            document="DfE NEET and participation: local authority figures",
            section="academic age 16 and 17; average of December, January and February; "
            "participation from the March cohort",
        ),
        ages=(16, 17),
        months=(12, 1, 2),
        neet_denominator=NeetDenominator.COHORT,
        participation_month=3,
    ),
)
"""The NEET cohort definitions ``earlyhelp`` knows, oldest first."""


def neet_cohort_definition(
    academic_year: int, definitions: tuple[NeetCohortDefinition, ...] = NEET_COHORT_DEFINITIONS
) -> NeetCohortDefinition:
    """The definition in force for the academic year starting in ``academic_year``.

    Raises:
        LookupError: no definition covers that year.

    Example:
        >>> neet_cohort_definition(2014).rule_id, neet_cohort_definition(2016).rule_id
        ('NEET-16-18-NDJ', 'NEET-16-17-DJF')
    """
    found = in_force(definitions, dt.date(academic_year, 9, 1))
    if found is None:
        msg = f"no NEET cohort definition is in force for academic year {academic_year}"
        raise LookupError(msg)
    return found


@attrs.frozen(kw_only=True)
class NeetTargets:
    """A council's NEET targets: each figure should be below its target (percentages).

    The targets are the profile's ``[[targets]]`` entries for ``neet_rate`` and
    ``not_known_rate``; read them with :meth:`from_profile`.

    Example:
        >>> import datetime as dt
        >>> derby = NeetTargets.from_profile("derby-2014-15", dt.date(2016, 4, 30))
        >>> derby.neet_below, derby.not_known_below, str(derby.by)
        (Fraction(11, 2), Fraction(5, 1), '2016-04-30')
    """

    neet_below: Fraction
    not_known_below: Fraction
    by: dt.date
    citation: Citation

    @classmethod
    def from_profile(cls, profile: ProfileLike, day: dt.date) -> NeetTargets:
        """The NEET and not-known targets a profile sets in force on ``day``.

        Raises:
            ProfileError: the profile sets no "below" target for one of them then.
        """
        targets = resolve_profile(profile).versions(Target)
        found = {m: target_for(targets, m, day) for m in ("neet_rate", "not_known_rate")}
        values = {}
        for measure_id, target in found.items():
            if target is None or target.comparison is not Comparison.BELOW or target.value is None:
                msg = f"no 'below' target for {measure_id} is in force on {day}"
                raise ProfileError(resolve_profile(profile).profile_id, [("targets", msg)])
            values[measure_id] = Fraction(target.value)
        neet = found["neet_rate"]
        return cls(
            neet_below=values["neet_rate"],
            not_known_below=values["not_known_rate"],
            by=(neet.due if neet is not None and neet.due else day),
            citation=neet.citation if neet is not None else Citation(document="(none)"),
        )
