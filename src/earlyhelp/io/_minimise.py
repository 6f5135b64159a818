"""Data minimisation at load: keep only as much personal data as the measures need.

With ``load(..., minimise=True)`` every personal date column (dates of birth)
is reduced to the first day of its month as soon as it is validated, so the
day of birth never reaches a measure, a report or an export. Measures that
need only an age in whole years keep working: an age from a month-start date
of birth is exact except in the month of a birthday, where it may be one year
more than the true age.
"""

from __future__ import annotations

import attrs
import polars as pl

from earlyhelp.io._schema import Kind, TableSchema
from earlyhelp.io._validate import ValidatedTable

__all__ = ["minimise_frame", "minimised"]


def minimise_frame(frame: pl.DataFrame, schema: TableSchema) -> pl.DataFrame:
    """``frame`` with each personal date reduced to the first day of its month.

    Example:
        >>> import datetime as dt
        >>> from earlyhelp.io import SCHEMAS
        >>> frame = pl.DataFrame({"person_id": ["P1"], "family_id": [None],
        ...     "date_of_birth": [dt.date(2009, 7, 23)]},
        ...     schema=SCHEMAS["children"].polars_schema)
        >>> minimise_frame(frame, SCHEMAS["children"]).item(0, "date_of_birth")
        datetime.date(2009, 7, 1)
    """
    dates = [
        c.name
        for c in schema.columns
        if c.personal and c.kind is Kind.DATE and c.name in frame.columns
    ]
    if not dates:
        return frame
    return frame.with_columns(pl.col(name).dt.month_start() for name in dates)


def minimised(table: ValidatedTable, schema: TableSchema) -> ValidatedTable:
    """A validated table with its personal data minimised (see :func:`minimise_frame`)."""
    return attrs.evolve(table, accepted=minimise_frame(table.accepted, schema))
