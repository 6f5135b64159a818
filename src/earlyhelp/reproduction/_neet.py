"""Reproduction of section 7 of the source report: NEET and not known, March 2015.

The report prints two percentages and no counts: NEET 5.9% and not known 3.4%
"by March 2015". The record-level cohort here is the smallest one consistent with
both figures under the report's rounding (truncation to one place): the fewest
young people, then the fewest not known, then the fewest NEET. It is built from
the printed figures, so reproducing them checks the calculation (cohort by
academic age, activity codes, denominators, rounding), not the city's data.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Final

import polars as pl

from earlyhelp.errors import ArgumentError, InternalError
from earlyhelp.instruments._neet import neet_figures
from earlyhelp.instruments._neet_cohort import neet_cohort_definition
from earlyhelp.measures._rounding import Rounding, RoundingPolicy
from earlyhelp.reproduction._figure import Figure

__all__ = ["report_neet", "reproduce_neet", "smallest_cohort"]

_SECTION: Final = "7"
_MONTH: Final = dt.date(2015, 3, 1)
_NEET: Final = "5.9"
_NOT_KNOWN: Final = "3.4"
_POLICY: Final = RoundingPolicy(Rounding.TRUNCATE, 1)


def smallest_cohort(
    neet: str, not_known: str, policy: RoundingPolicy = _POLICY, *, limit: int = 100_000
) -> tuple[int, int, int]:
    """The smallest ``(cohort, not_known, neet)`` counts that print as the two figures.

    NEET is a percentage of those known (the cohort less the not known), not known
    a percentage of the whole cohort, as the 2014-15 definition has it.

    Raises:
        ArgumentError: no cohort up to ``limit`` young people prints so.

    Example:
        >>> smallest_cohort("5.9", "3.4")
        (87, 3, 5)
    """
    for cohort in range(1, limit + 1):
        for unknown in range(cohort + 1):
            printed = policy.format(Fraction(100 * unknown, cohort))
            if printed != not_known:
                continue
            known = cohort - unknown
            for count in range(known + 1):
                rate = Fraction(100 * count, known) if known else None
                if rate is not None and policy.format(rate) == neet:
                    return cohort, unknown, count
    msg = f"no cohort of up to {limit} prints as NEET {neet}% and not known {not_known}%"
    raise ArgumentError(msg)


def report_neet() -> pl.DataFrame:
    """The March 2015 ``neet`` records of the smallest cohort printing 5.9% and 3.4%.

    Young people of academic age 16, 17 and 18 in turn (born from January to August
    of 1998, 1997 and 1996); the not known have code 810, the NEET 540, the rest 130.

    Example:
        >>> report_neet().get_column("activity_code").value_counts(sort=True).rows()
        [('130', 79), ('540', 5), ('810', 3)]
    """
    cohort, unknown, neet = smallest_cohort(_NEET, _NOT_KNOWN)
    born = [dt.date(1998 - index % 3, 1 + index % 8, 1 + index % 28) for index in range(cohort)]
    codes = ["810"] * unknown + ["540"] * neet + ["130"] * (cohort - unknown - neet)
    return pl.DataFrame(
        {
            "person_id": [f"Y{index + 1:04d}" for index in range(cohort)],
            "date_of_birth": born,
            "record_month": [_MONTH] * cohort,
            "activity_code": codes,
        }
    )


def reproduce_neet() -> list[Figure]:
    """Recompute section 7's NEET and not known figures from record-level data.

    Example:
        >>> [(f.published, f.computed, f.match) for f in reproduce_neet()]
        [('5.9%', '5.9%', True), ('3.4%', '3.4%', True)]
    """
    definition = neet_cohort_definition(2014)
    figures = neet_figures(report_neet(), definition, months=[_MONTH])
    if figures.neet_rate is None or figures.not_known_rate is None:  # pragma: no cover
        raise InternalError("the report's NEET cohort: no young person's activity is known")
    note = (
        "The report prints no counts. The records are the smallest cohort consistent with both "
        f"printed figures under truncation to one place ({figures.cohort} young people, "
        f"{figures.not_known} not known, {figures.neet} NEET), built from the figures "
        "themselves: this checks the method, not the city's data. 'By March 2015' is read as "
        "the March 2015 monthly snapshot of the 2014-15 cohort (academic age 16 to 18), not the "
        "November to January average the year's definition reports."
    )
    return [
        Figure.compare(
            "NEET % March 2015",
            _SECTION,
            f"{_NEET}%",
            f"{_POLICY.format(figures.neet_rate)}%",
            note=note,
            derivation=f"{figures.neet} NEET of {figures.known} known ({definition.rule_id})",
        ),
        Figure.compare(
            "Not known % March 2015",
            _SECTION,
            f"{_NOT_KNOWN}%",
            f"{_POLICY.format(figures.not_known_rate)}%",
            note=note,
            derivation=f"{figures.not_known} not known of {figures.cohort} ({definition.rule_id})",
        ),
    ]
