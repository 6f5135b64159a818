"""The SSDA903 return (children looked after): episodes and header files.

DfE's SSDA903 collection is delivered as CSV files, one per table, named by
content rather than by a fixed file name. The reader recognises them by their
header row:

* episodes: ``CHILD, DECOM, RNE, LS, CIN, PLACE, PLACE_PROVIDER, DEC, REC,
  REASON_PLACE_CHANGE, HOME_POST, PL_POST, URN``;
* header: ``CHILD, SEX, DOB, ETHNIC, UPN, MOTHER, MC_DOB``.

Episodes are grouped into periods of care (see
:func:`~earlyhelp.io._formats._care_periods.periods_of_care`): a period starts with
RNE ``S`` and continues through each ``X1`` ending, so care starts and ends are
counted once per period, not once per placement or legal status change. Each
period becomes a ``cic`` social care episode with the legal status, placement and
need of its first episode and the reason the last one ended. Several years'
returns load together: an episode in more than one (the same ``CHILD``, ``DECOM``
and ``RNE``) is kept once, preferring the copy that has an end date, then the
later file.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import polars as pl

from earlyhelp.io._formats._care_periods import care_periods_frame
from earlyhelp.io._formats._common import (
    SOURCE_ROW,
    Gathered,
    csv_headers,
    read_source,
    rejected_rows,
    text_column,
)
from earlyhelp.io._parsing import clean_id, date_text
from earlyhelp.profiles._mapping import MappingSpec

__all__ = ["EPISODE_COLUMNS", "HEADER_COLUMNS", "read_ssda903", "ssda903_table"]

EPISODE_COLUMNS: Final = (
    "CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
    "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN",
)  # fmt: skip
"""The episodes file's columns (DfE SSDA903 specification)."""
HEADER_COLUMNS: Final = ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB")
"""The header file's columns."""

# An episode is the child, its start date and its reason for new episode: an episode
# that starts and ends on one day is followed by another starting that day.
_EPISODE_KEY: Final = ["person_id", "started", "start_reason"]

_SIGNATURES: Final = {
    "episodes": {"CHILD", "DECOM", "RNE", "LS"},
    "header": {"CHILD", "SEX", "DOB", "ETHNIC"},
}


def ssda903_table(path: Path) -> str | None:
    """``"episodes"`` or ``"header"`` if a CSV file's header row is an SSDA903 table's."""
    headers = {name.upper() for name in csv_headers(path)}
    for table, needed in _SIGNATURES.items():
        if needed <= headers:
            return table
    return None


def _upper(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.rename({c: c.strip().upper() for c in frame.columns})


def read_ssda903(files: Mapping[str, Any], mapping: MappingSpec) -> Gathered:
    """Read SSDA903 episodes (and header) files into ``earlyhelp``'s input tables.

    Args:
        files: a name -> path for each file; :func:`ssda903_table` says which table each is.
        mapping: the profile's mapping (``fold_ids``).
    """
    fold = mapping.fold_ids
    episodes: list[pl.DataFrame] = []
    headers: list[pl.DataFrame] = []
    rejected: dict[str, list[pl.DataFrame]] = {"social_care_episodes": [], "children": []}
    for order, source in enumerate(files.values()):
        path = Path(source)
        read = read_source(path)
        frame = _upper(read.frame.drop(SOURCE_ROW)).with_columns(pl.lit(order).alias("__file"))
        is_episodes = ssda903_table(path) == "episodes"
        (episodes if is_episodes else headers).append(frame)
        rejected["social_care_episodes" if is_episodes else "children"].append(read.rejected)
    sources: dict[str, Any] = {}
    notes: list[str] = []
    if episodes:
        every = pl.concat(episodes, how="diagonal_relaxed")
        raw = every.select(
            clean_id(pl.col("CHILD"), fold=fold).alias("person_id"),
            date_text(pl.col("DECOM")).alias("started"),
            date_text(text_column(every, "DEC")).alias("ended"),
            text_column(every, "RNE").alias("start_reason"),
            text_column(every, "REC").alias("end_reason"),
            text_column(every, "LS").alias("legal_status"),
            text_column(every, "PLACE").alias("placement"),
            text_column(every, "PLACE_PROVIDER").alias("placement_provider"),
            text_column(every, "PL_POST").alias("placement_postcode"),
            text_column(every, "CIN").alias("primary_need"),
            pl.col("__file"),
        )
        ordered = raw.sort(
            pl.col("ended").is_not_null(), "__file", descending=[True, True], maintain_order=True
        )
        kept = ordered.unique(_EPISODE_KEY, keep="first", maintain_order=True)
        removed = raw.height - kept.height
        if removed:
            repeated = (
                raw.group_by(_EPISODE_KEY)
                .len()
                .filter(pl.col("len") > 1)
                .sort(_EPISODE_KEY)
                .select(
                    # An id may be named; a date only once read, never the text as written.
                    pl.format(
                        "{}@{}",
                        pl.col("person_id").fill_null("(no id)"),
                        pl.when(pl.col("started").str.contains(r"^\d{4}-\d{2}-\d{2}$"))
                        .then(pl.col("started"))
                        .otherwise(pl.lit("(no date)")),
                    )
                )
                .to_series()
                .to_list()
            )
            notes.append(
                f"SSDA903 episodes: {removed} episode(s) in several returns kept once; "
                f"removed (CHILD@DECOM): {', '.join(repeated)}"
            )
        periods = care_periods_frame(kept.drop("__file"), None)
        notes.append(
            f"SSDA903: {kept.height} episode(s) grouped into {periods.height} period(s) of care"
        )
        sources["social_care_episodes"] = periods
    if headers:
        header = pl.concat(headers, how="diagonal_relaxed").sort("__file", descending=True)
        sources["children"] = header.select(
            clean_id(pl.col("CHILD"), fold=fold).alias("person_id"),
            date_text(pl.col("DOB")).alias("date_of_birth"),
        ).unique("person_id", keep="first", maintain_order=True)
    return Gathered(
        sources=sources,
        notes=tuple(notes),
        formats=("ssda903",),
        rejected={table: rejected_rows(*frames) for table, frames in rejected.items() if frames},
    )
