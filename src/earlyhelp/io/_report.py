"""Load reports: what was read, accepted and rejected, row by row.

A report never contains personal data: rejections name the row number, the
field and what was expected, never the offending value of a personal field.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

import attrs
import polars as pl

from earlyhelp.errors import FieldError, LoadError, NotFoundError
from earlyhelp.model._base import to_tuple

__all__ = ["PROBLEM_SCHEMA", "LoadReport", "Rejection", "TableReport"]

PROBLEM_SCHEMA: Final = {
    "row": pl.Int64(),
    "field": pl.String(),
    "code": pl.String(),
    "message": pl.String(),
}
"""The columns of a table report's problems frame."""


@attrs.frozen(kw_only=True)
class Rejection:
    """One reason one row was rejected.

    Attributes:
        table: the table's name.
        row: the data row number in the source, counting from 1 after the header.
        field: the column at fault.
        code: a stable id for the check, e.g. ``"invalid-date"``.
        message: what was expected, in words a person can act on.
    """

    table: str
    row: int
    field: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.table} row {self.row}, {self.field}: {self.message} [{self.code}]"


def _check_problems_frame(_inst: object, _attr: object, value: pl.DataFrame) -> None:
    if dict(value.schema) != PROBLEM_SCHEMA:
        msg = f"problems frame must have columns {list(PROBLEM_SCHEMA)}"
        raise FieldError("problems", msg)


@attrs.frozen(kw_only=True)
class TableReport:
    """How one table loaded.

    The invariant ``accepted + rejected == read`` is checked on construction.

    Attributes:
        table: the table's name.
        source: where it came from (a file name or ``"<frame>"``), never a value.
        read: data rows read.
        accepted: rows that passed every check.
        rejected: rows that failed at least one check.
        problems: one row per problem: ``row``, ``field``, ``code``, ``message``
            (a row may have several).
        ignored_columns: columns in the source that no schema column matched,
            by header (cleaned and cut short).
        withheld_columns: columns ignored but not named, because the header row
            of a CSV file looks like it holds data (see
            :attr:`earlyhelp.io.TextTable.suspect_header`).
        absent_columns: optional columns of the schema the source did not have
            (a measure that needs one is missing, never zero).
        ids_changed: identifier values changed by cleaning (trimmed, ``NULL``
            read as missing, Excel's trailing ``.0`` removed, case-folded).
        lacking: for each optional field some figures need, ``(field, accepted
            rows without it, what leaves those rows out)``; the rows are kept.
    """

    table: str
    source: str
    read: int
    accepted: int
    rejected: int
    problems: pl.DataFrame = attrs.field(eq=False, validator=_check_problems_frame)
    ignored_columns: tuple[str, ...] = ()
    withheld_columns: int = 0
    absent_columns: tuple[str, ...] = ()
    ids_changed: int = 0
    lacking: tuple[tuple[str, int, str], ...] = ()

    def __attrs_post_init__(self) -> None:
        if self.accepted + self.rejected != self.read:
            msg = (
                f"{self.table}: accepted {self.accepted} + rejected {self.rejected} "
                f"!= read {self.read}"
            )
            raise LoadError(msg)

    def rejections(self) -> Iterator[Rejection]:
        """Every problem, in row order."""
        for row, field, code, message in self.problems.sort("row", maintain_order=True).rows():
            yield Rejection(table=self.table, row=row, field=field, code=code, message=message)

    @property
    def rejected_rows(self) -> tuple[int, ...]:
        """The numbers of the rejected rows, ascending."""
        return tuple(self.problems.get_column("row").unique().sort().to_list())

    def summary(self, limit: int = 5) -> str:
        """One paragraph: the counts and the first ``limit`` problems."""
        text = (
            f"{self.table} ({self.source}): read {self.read:,}, "
            f"accepted {self.accepted:,}, rejected {self.rejected:,}"
        )
        lines = [text]
        for number, rejection in enumerate(self.rejections()):
            if number == limit:
                more = self.problems.height - limit
                lines.append(f"  ... and {more:,} more problem{'s' if more != 1 else ''}")
                break
            lines.append(f"  row {rejection.row}, {rejection.field}: {rejection.message}")
        if self.ignored_columns:
            lines.append(f"  ignored columns: {', '.join(self.ignored_columns)}")
        if self.withheld_columns:
            lines.append(
                f"  ignored {self.withheld_columns:,} columns, not named: the header row "
                "looks like it holds data (a missing line break or an unmatched quote?)"
            )
        for field, rows, needed_by in self.lacking:
            lines.append(f"  {rows:,} row(s) kept without {field}: left out of {needed_by}")
        if self.ids_changed:
            lines.append(f"  ids cleaned: {self.ids_changed:,} (trimmed, NULL, Excel .0, case)")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


@attrs.frozen
class LoadReport:
    """The reports of every table in a :class:`~earlyhelp.io.Dataset`, in load order."""

    tables: tuple[TableReport, ...] = attrs.field(converter=to_tuple)
    ignored_sources: tuple[str, ...] = attrs.field(default=(), kw_only=True)
    """Files or sheets that named no table and were not read."""
    notes: tuple[str, ...] = attrs.field(default=(), kw_only=True)
    """What was recognised (the format, the SSD version and system) and what was noted on the way."""

    def __getitem__(self, table: str) -> TableReport:
        for report in self.tables:
            if report.table == table:
                return report
        raise NotFoundError(f"no load report for table {table!r}")

    @property
    def read(self) -> int:
        """Rows read over all tables."""
        return sum(report.read for report in self.tables)

    @property
    def accepted(self) -> int:
        """Rows accepted over all tables."""
        return sum(report.accepted for report in self.tables)

    @property
    def rejected(self) -> int:
        """Rows rejected over all tables."""
        return sum(report.rejected for report in self.tables)

    @property
    def ok(self) -> bool:
        """Whether every row of every table was accepted."""
        return self.rejected == 0

    def problems(self) -> pl.DataFrame:
        """Every problem of every table, with a leading ``table`` column."""
        frames = [
            report.problems.select(pl.lit(report.table).alias("table"), pl.all())
            for report in self.tables
        ]
        if not frames:
            return pl.DataFrame(schema={"table": pl.String(), **PROBLEM_SCHEMA})
        return pl.concat(frames)

    def __str__(self) -> str:
        lines = [report.summary() for report in self.tables]
        lines += [note for note in self.notes if not note.startswith("format: native")]
        if self.ignored_sources:
            lines.append(f"not read (no such table): {', '.join(self.ignored_sources)}")
        return "\n".join(lines)
