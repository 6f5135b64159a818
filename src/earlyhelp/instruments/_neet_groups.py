"""The NEET deep dive: NEET and not known figures for the groups most at risk.

The source city plans a six-monthly analysis of the NEET cohort by vulnerable
group. A young person belongs to a group at a snapshot month if, by that month's
last day:

- care leaver: a period in care (``social_care_episodes`` of kind ``cic``) has ended;
- teenage parent, special educational needs: a ``characteristics`` row of that
  code applied on some day of the month;
- known to the youth offending service: a ``yos_episodes`` row has started;
- known to early help: an early help case (``cases``) has opened.

A young person may be in several groups, or none; ``all`` is the whole cohort.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from collections.abc import Mapping, Sequence

import polars as pl

from earlyhelp.instruments._neet import NeetFigures, neet_cohort_members
from earlyhelp.instruments._neet_codes import ActivityCategory
from earlyhelp.instruments._neet_cohort import NeetCohortDefinition

__all__ = ["VulnerableGroup", "neet_by_group"]


class VulnerableGroup(enum.StrEnum):
    """A group the NEET deep dive reports separately."""

    ALL = "all"
    CARE_LEAVER = "care_leaver"
    TEENAGE_PARENT = "teenage_parent"
    SEN = "sen"
    YOUTH_OFFENDING = "youth_offending"
    EARLY_HELP = "early_help"


def _month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _members(tables: Mapping[str, pl.DataFrame], month: dt.date) -> pl.DataFrame:
    """``person_id, group`` for every group membership at ``month``."""
    end = _month_end(month)
    empty = pl.DataFrame(schema={"person_id": pl.String, "group": pl.String})
    parts = [empty]
    if "social_care_episodes" in tables:
        frame = tables["social_care_episodes"]
        parts.append(
            frame.filter(
                (pl.col("kind") == "cic") & pl.col("ended").is_not_null() & (pl.col("ended") <= end)
            ).select("person_id", pl.lit(VulnerableGroup.CARE_LEAVER.value).alias("group"))
        )
    if "characteristics" in tables:
        frame = tables["characteristics"]
        parts.append(
            frame.filter(
                (pl.col("start") <= end) & (pl.col("end").is_null() | (pl.col("end") >= month))
            ).select("person_id", pl.col("characteristic").cast(pl.String).alias("group"))
        )
    for name, column, group in (
        ("yos_episodes", "started", VulnerableGroup.YOUTH_OFFENDING),
        ("cases", "opened", VulnerableGroup.EARLY_HELP),
    ):
        if name in tables:
            parts.append(
                tables[name]
                .filter(pl.col(column) <= end)
                .select("person_id", pl.lit(group.value).alias("group"))
            )
    return pl.concat(parts).unique()


def neet_by_group(
    tables: Mapping[str, pl.DataFrame],
    definition: NeetCohortDefinition,
    months: Sequence[dt.date],
    *,
    codes: pl.DataFrame | None = None,
) -> dict[VulnerableGroup, NeetFigures]:
    """NEET and not known figures per vulnerable group, over the snapshot months.

    Args:
        tables: the dataset's tables by name (a :class:`~earlyhelp.io.Dataset` works);
            ``neet`` is required, the others are used when present.
        definition: the cohort definition.
        months: the snapshot months (first days), e.g. the deep dive's month.
        codes: activity codes; the shipped ones by default.

    Returns:
        Figures for every group, ``all`` first; a group with no members has a
        cohort of 0 (and no percentages).

    Example:
        >>> from earlyhelp.instruments import neet_cohort_definition
        >>> neet = pl.DataFrame({
        ...     "person_id": ["Y1", "Y2"],
        ...     "date_of_birth": [dt.date(1997, 1, 5), dt.date(1997, 2, 6)],
        ...     "record_month": [dt.date(2015, 3, 1)] * 2,
        ...     "activity_code": ["540", "130"]})
        >>> characteristics = pl.DataFrame({"person_id": ["Y1"],
        ...     "characteristic": ["teenage_parent"], "start": [dt.date(2014, 6, 1)],
        ...     "end": [None]}, schema_overrides={"end": pl.Date})
        >>> found = neet_by_group({"neet": neet, "characteristics": characteristics},
        ...                       neet_cohort_definition(2014), [dt.date(2015, 3, 1)])
        >>> found[VulnerableGroup.TEENAGE_PARENT].neet, found[VulnerableGroup.ALL].cohort
        (1, 2)
    """
    members = neet_cohort_members(tables["neet"], months, definition, codes)
    groups = pl.concat(
        [
            _members(tables, month).with_columns(pl.lit(month).alias("record_month"))
            for month in months
        ]
        or [
            pl.DataFrame(
                schema={"person_id": pl.String, "group": pl.String, "record_month": pl.Date}
            )
        ]
    )
    everyone = members.with_columns(pl.lit(VulnerableGroup.ALL.value).alias("group"))
    grouped = pl.concat(
        [everyone, members.join(groups, on=["person_id", "record_month"], how="inner")],
        how="diagonal_relaxed",
    )
    counts = {
        row["group"]: row
        for row in grouped.group_by("group")
        .agg(
            pl.len().alias("cohort"),
            (pl.col("category") == ActivityCategory.NEET.value).sum().alias("neet"),
            (pl.col("category") == ActivityCategory.NOT_KNOWN.value).sum().alias("not_known"),
        )
        .iter_rows(named=True)
    }
    result = {}
    for group in VulnerableGroup:
        row = counts.get(group.value, {"cohort": 0, "neet": 0, "not_known": 0})
        result[group] = NeetFigures(
            snapshots=len(months),
            cohort=int(row["cohort"]),
            neet=int(row["neet"]),
            not_known=int(row["not_known"]),
            neet_denominator=definition.neet_denominator,
        )
    return result
