"""Data minimisation at load: keep only as much personal data as the measures need.

With ``load(..., minimise=True)`` (or ``minimise = true`` in the profile's
``[privacy]`` table) every personal date column (dates of birth) is reduced to
the first day of its month as soon as it is validated, so the day of birth
never reaches a measure, a report or an export; every postcode column (a
child's home, a placement) is reduced to its district, the outward code
(``DE1 2AB`` -> ``DE1``), and a value that is not a UK postcode is dropped.
Measures that need only an age in whole years keep working: an age from a
month-start date of birth is exact except in the month of a birthday, where it
may be one year more than the true age.
"""

from __future__ import annotations

from typing import Final

import attrs
import polars as pl

from earlyhelp.io._schema import Kind, TableSchema
from earlyhelp.io._validate import ValidatedTable

__all__ = ["minimise_frame", "minimised", "postcode_district"]

# A full UK postcode (outward and inward code), or an outward code alone; spaces ignored.
_POSTCODE: Final = r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})?$"


def postcode_district(column: pl.Expr) -> pl.Expr:
    """A postcode's district (outward code), or null if the value is not a UK postcode.

    Example:
        >>> frame = pl.DataFrame({"p": ["DE1 2AB", "de221dx", "SW1A 1AA", "DE1", "none", None]})
        >>> frame.select(postcode_district(pl.col("p"))).to_series().to_list()
        ['DE1', 'DE22', 'SW1A', 'DE1', None, None]
    """
    folded = column.str.to_uppercase().str.replace_all(r"\s+", "")
    return folded.str.extract(_POSTCODE, 1)


def minimise_frame(frame: pl.DataFrame, schema: TableSchema) -> pl.DataFrame:
    """``frame`` with each personal date reduced to its month, each postcode to its district.

    Example:
        >>> import datetime as dt
        >>> from earlyhelp.io import SCHEMAS
        >>> frame = pl.DataFrame({"person_id": ["P1"], "family_id": [None],
        ...     "date_of_birth": [dt.date(2009, 7, 23)], "postcode": ["DE1 2AB"]},
        ...     schema=SCHEMAS["children"].polars_schema)
        >>> minimise_frame(frame, SCHEMAS["children"]).select("date_of_birth", "postcode").row(0)
        (datetime.date(2009, 7, 1), 'DE1')
    """
    dates = [
        c.name
        for c in schema.columns
        if c.personal and c.kind is Kind.DATE and c.name in frame.columns
    ]
    postcodes = [c.name for c in schema.columns if c.postcode and c.name in frame.columns]
    if not (dates or postcodes):
        return frame
    return frame.with_columns(
        *(pl.col(name).dt.month_start() for name in dates),
        *(postcode_district(pl.col(name)).alias(name) for name in postcodes),
    )


def minimised(table: ValidatedTable, schema: TableSchema) -> ValidatedTable:
    """A validated table with its personal data minimised (see :func:`minimise_frame`)."""
    return attrs.evolve(table, accepted=minimise_frame(table.accepted, schema))
