"""NCCIS activity codes as versioned reference data.

Local authorities record each young person's current activity with a three-digit
code from DfE's NCCIS management information requirement (:data:`CODE_LIST_SOURCE`;
Appendix A, "Current activity"). Its groups: 1xx young people below compulsory
school leaving age (110 registered at a school, 120 educated at home: education;
130 custodial sentence: custody; 140 not registered at a school: other; 150
current situation not known: not known); 2xx education; 3xx employment; 4xx
training; 530 re-engagement provision (other: neither NEET nor EET); 540, 550
and 6xx NEET; 710 custody; 720 refugees and asylum seekers (other); 8xx not
known. The codes ship as data (``earlyhelp/data/nccis_activity_codes.csv``:
code, category, label, the dates each version applies from and to, and its
source); labels that changed (410 with the ESFA from April 2017, 440 from April
2020) are separate versions. A council whose year's requirement differs edits
the file or passes its own frame.
"""

from __future__ import annotations

import datetime as dt
import enum
import importlib.resources
import io

import polars as pl

from earlyhelp.errors import ArgumentError

__all__ = [
    "CODE_LIST_SOURCE",
    "ActivityCategory",
    "activity_category",
    "activity_codes",
    "with_category",
]

CODE_LIST_SOURCE = (
    "Department for Education, NCCIS management information requirement 2017 to 2018 "
    "(December 2016), Appendix A: current activity codes; codes 420, 510 and 520 are kept "
    "from earlier lists for older returns (source 'legacy')"
)
"""The document the shipped activity-code list follows, with its version."""


class ActivityCategory(enum.StrEnum):
    """What an NCCIS activity code counts as."""

    EDUCATION = "education"
    TRAINING = "training"
    EMPLOYMENT = "employment"
    OTHER = "other"
    """Re-engagement or personal development; in the cohort, neither NEET nor not known."""
    NEET = "neet"
    """Not in education, employment or training."""
    CUSTODY = "custody"
    """In custody; in the cohort, not NEET."""
    NOT_KNOWN = "not_known"
    """The young person's activity is not known to the authority."""


def _shipped() -> pl.DataFrame:
    path = importlib.resources.files("earlyhelp") / "data" / "nccis_activity_codes.csv"
    return pl.read_csv(
        io.BytesIO(path.read_bytes()),
        schema_overrides={
            "code": pl.String(),
            "effective_from": pl.Date(),
            "effective_to": pl.Date(),
        },
    )


def activity_codes(day: dt.date, codes: pl.DataFrame | None = None) -> pl.DataFrame:
    """The activity codes in force on ``day``: columns ``code, category, label``.

    Args:
        day: the record's own date (a record month's first day).
        codes: a code list shaped like the shipped file; the shipped one by default.

    Example:
        >>> import datetime as dt
        >>> activity_codes(dt.date(2015, 3, 1)).filter(pl.col("code") == "810").rows()
        [('810', 'not_known', 'Not known: current situation not known')]
        >>> activity_codes(dt.date(2012, 1, 1)).height
        0
    """
    frame = _shipped() if codes is None else codes
    return frame.filter(
        (pl.col("effective_from") <= day)
        & (pl.col("effective_to").is_null() | (pl.col("effective_to") >= day))
    ).select("code", "category", "label")


def activity_category(code: str, day: dt.date) -> ActivityCategory:
    """The category of one activity code on ``day``.

    Raises:
        ArgumentError: the code is not in force on ``day``.

    Example:
        >>> import datetime as dt
        >>> activity_category("540", dt.date(2015, 3, 1))
        <ActivityCategory.NEET: 'neet'>
    """
    found = activity_codes(day).filter(pl.col("code") == code)
    if found.height == 0:
        msg = f"activity_code: {code!r} is not an NCCIS activity code in force on {day.isoformat()}"
        raise ArgumentError(msg)
    return ActivityCategory(found.item(0, "category"))


def with_category(
    records: pl.LazyFrame, codes: pl.DataFrame | None = None, *, month: str = "record_month"
) -> pl.LazyFrame:
    """Add each record's activity ``category``, from the code version in force in its month.

    Records whose code is not in force in their month get a null category.

    Args:
        records: rows with ``activity_code`` and a month column.
        codes: a code list shaped like the shipped file (with ``effective_from`` and
            ``effective_to``); the shipped one by default.
        month: the column dating each record.

    Example:
        >>> import datetime as dt
        >>> rows = pl.LazyFrame({"activity_code": ["540", "540"],
        ...                      "record_month": [dt.date(2015, 3, 1), dt.date(2012, 3, 1)]})
        >>> with_category(rows).collect().get_column("category").to_list()
        ['neet', None]
    """
    frame = _shipped() if codes is None else codes
    versions = frame.lazy().select(
        pl.col("code").alias("activity_code"), "category", "effective_from", "effective_to"
    )
    keyed = records.with_row_index("_row")
    matched = (
        keyed.join(versions, on="activity_code", how="inner")
        .filter(
            (pl.col("effective_from") <= pl.col(month))
            & (pl.col("effective_to").is_null() | (pl.col("effective_to") >= pl.col(month)))
        )
        .select("_row", "category")
    )
    return keyed.join(matched, on="_row", how="left").sort("_row").drop("_row")
