"""Record-level audits rebuilt from published grade tables (counts per measure and grade).

A published table gives, per quality measure, how many audits gave each grade;
measures graded by fewer audits than the round had were not applicable to the
rest. :func:`audits_from_tables` builds the smallest set of audit records whose
grade counts equal the table exactly: a round has as many audits as its largest
measure total, and within each measure the audits take the grades in ascending
order (any assignment gives the same counts; this one is deterministic).
"""

from __future__ import annotations

import importlib.resources
import io
from typing import Final

import polars as pl

__all__ = ["OVERALL_RATING", "audit_rounds", "audit_tables", "audits_from_tables"]

OVERALL_RATING: Final = "Overall rating"
"""The table column that is the audit's overall rating rather than a quality measure."""


def _package_csv(name: str, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    path = importlib.resources.files("earlyhelp") / "data" / "derby-2014-15" / name
    return pl.read_csv(io.BytesIO(path.read_bytes()), schema_overrides=schema)


def audit_tables() -> pl.DataFrame:
    """The source report's four audit tables: ``round, grade, measure, count``.

    Example:
        >>> tables = audit_tables()
        >>> tables.filter(pl.col("round") == "cse-2014-10").get_column("count").sum()
        171
    """
    return _package_csv("audit_tables.csv", {"grade": pl.Int64(), "count": pl.Int64()})


def audit_rounds() -> pl.DataFrame:
    """The report's four audit rounds: title as printed, month, scale and narrative counts.

    Example:
        >>> audit_rounds().get_column("round").to_list()
        ['over-11s-2014-05', 'under-11s-2014-08', 'cse-2014-10', 'under-11s-2015-03']
    """
    return _package_csv(
        "audit_rounds.csv",
        {
            "month": pl.Date(),
            "audited_per_narrative": pl.Int64(),
            "scheduled_per_narrative": pl.Int64(),
        },
    )


def audits_from_tables(
    tables: pl.DataFrame, rounds: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Audit records whose grade counts per measure equal published tables.

    Args:
        tables: ``round, grade, measure, count`` rows (see :func:`audit_tables`).
        rounds: ``round, month, scale`` rows (see :func:`audit_rounds`); each audit
            is scheduled on the round month's first day and completed on its 28th.

    Returns:
        ``(audits, audit_grades)`` frames shaped like the input tables of the same
        names, plus a ``round`` column on ``audits``. Audit ids are
        ``<round>-<n>``; the audited case ids are made up (``<round>-case-<n>``).

    Example:
        >>> import datetime as dt
        >>> tables = pl.DataFrame({"round": ["r1"] * 3, "grade": [2, 3, 3],
        ...     "measure": ["Reviews", "Reviews", "Outcomes"], "count": [1, 2, 1]})
        >>> rounds = pl.DataFrame({"round": ["r1"], "month": [dt.date(2014, 5, 1)],
        ...                        "scale": ["derby-0-4"]})
        >>> audits, grades = audits_from_tables(tables, rounds)
        >>> audits.height, grades.filter(pl.col("grade").is_null()).rows()
        (3, [('r1-2', 'Outcomes', None), ('r1-3', 'Outcomes', None)])
    """
    cells = (
        tables.lazy()
        .filter(pl.col("count") > 0)
        .sort("round", "measure", "grade")
        .with_columns(pl.int_ranges(0, pl.col("count")).alias("_copy"))
        .explode("_copy")
        .with_columns(
            (pl.int_range(pl.len()).over("round", "measure") + 1).cast(pl.Int64).alias("slot")
        )
        .select("round", "measure", "slot", "grade")
        .collect(engine="in-memory")
    )
    sizes = cells.group_by("round").agg(pl.col("slot").max().alias("size"))
    slots = (
        sizes.with_columns(pl.int_ranges(1, pl.col("size") + 1).alias("slot"))
        .explode("slot")
        .with_columns(pl.col("slot").cast(pl.Int64))
        .join(rounds.select("round", "month", "scale"), on="round", how="left")
        .sort("month", "round", "slot")
    )
    audit_id = pl.format("{}-{}", "round", "slot")
    overall = cells.filter(pl.col("measure") == OVERALL_RATING).select(
        "round", "slot", pl.col("grade").alias("overall_rating")
    )
    audits = (
        slots.join(overall, on=["round", "slot"], how="left")
        .with_columns(
            audit_id.alias("audit_id"),
            pl.format("{}-case-{}", "round", "slot").alias("episode_id"),
            pl.col("month").alias("scheduled"),
            (pl.col("month") + pl.duration(days=27)).alias("completed"),
            pl.lit("senior manager").alias("auditor_role"),
        )
        .select(
            "audit_id",
            "episode_id",
            "scheduled",
            "completed",
            "auditor_role",
            "scale",
            "overall_rating",
            "round",
        )
    )
    measures = (
        tables.filter(pl.col("measure") != OVERALL_RATING)
        .select("round", "measure")
        .unique(maintain_order=True)
        .with_row_index("_m")
    )
    grades = (
        measures.join(slots.select("round", "slot", "month"), on="round", how="inner")
        .join(cells, on=["round", "measure", "slot"], how="left")
        .sort("month", "round", "slot", "_m")
        .select(audit_id.alias("audit_id"), "measure", "grade")
    )
    return audits, grades
