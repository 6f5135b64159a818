"""The "Data excluded" section: how many rows were rejected at load, and why.

A report computed from data with rejected rows says so in the report itself,
counting the excluded rows by table and reason (the check's code). Counts of
rejected rows say nothing about a person: no value, row number or id is shown.
"""

from __future__ import annotations

import polars as pl

from earlyhelp.io._report import LoadReport
from earlyhelp.report._document import Paragraph, ReportTable, Section

__all__ = ["excluded_frame", "excluded_section"]


def excluded_frame(report: LoadReport) -> pl.DataFrame:
    """Rejected rows by table and reason: ``table``, ``reason``, ``rows``.

    A row rejected for two reasons is counted under each, so the reasons of a
    table may add up to more than its rejected rows; the ``all reasons`` line
    of each table counts each row once.

    Example:
        >>> import earlyhelp as eh
        >>> teams = pl.DataFrame({"team_id": ["T1", "T1", ""], "name": ["A", "B", "C"],
        ...                       "locality_id": ["L1", "L1", "L1"]})
        >>> excluded_frame(eh.load({"teams": teams}).report).rows()
        [('teams', 'all reasons', 2), ('teams', 'duplicate-key', 1), ('teams', 'missing', 1)]
    """
    rows: list[tuple[str, str, int]] = []
    for table in report.tables:
        if table.rejected == 0:
            continue
        rows.append((table.table, "all reasons", table.rejected))
        reasons = (
            table.problems.group_by("code").agg(pl.col("row").n_unique().alias("rows")).sort("code")
        )
        rows.extend((table.table, code, count) for code, count in reasons.rows())
    return pl.DataFrame(
        rows, schema={"table": pl.String, "reason": pl.String, "rows": pl.Int64}, orient="row"
    )


def excluded_section(report: LoadReport) -> Section:
    """A report section that counts the rows excluded at load, by table and reason.

    Example:
        >>> import earlyhelp as eh
        >>> excluded_section(eh.load(eh.demo_path()).report).blocks[0].text
        'Every row of the data loaded: none was excluded.'
    """
    frame = excluded_frame(report)
    if frame.is_empty():
        return Section(
            title="Data excluded",
            blocks=(Paragraph(text="Every row of the data loaded: none was excluded."),),
        )
    text = (
        f"{report.rejected:,} of the {report.read:,} rows read were rejected at load and are "
        "not counted in any figure of this report. The table counts them by table and reason."
    )
    table = ReportTable(
        title="Rows excluded at load, by table and reason",
        frame=frame.with_columns(pl.Series("rows", [f"{n:,}" for n in frame["rows"]])),
        note="A row rejected for two reasons is counted under each; 'all reasons' counts it once.",
    )
    return Section(title="Data excluded", blocks=(Paragraph(text=text), table))
