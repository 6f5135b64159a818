"""How an input table is declared: its columns, their kinds and its row rules.

The declarations themselves are in :mod:`earlyhelp.io._tables`. Header names in a file are matched loosely: case, spaces and punctuation are
ignored, so ``Episode ID``, ``episode-id`` and ``EPISODE_ID`` all name
``episode_id``.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from typing import Final

import attrs
import polars as pl

from earlyhelp.errors import NotFoundError
from earlyhelp.model._row_rules import RowRule
from earlyhelp.model._vocab import LevelOfNeed

__all__ = [
    "Column",
    "Kind",
    "RowRule",
    "TableSchema",
    "code_column",
    "codes_of",
    "date_column",
    "id_column",
    "level_column",
    "normalise_name",
    "text_column",
]


class Kind(enum.StrEnum):
    """How a column's text is read."""

    ID = "id"
    """An identifier; non-blank text, kept as written (trimmed)."""
    TEXT = "text"
    """Short text that is not personal data, e.g. an agency name."""
    FREE_TEXT = "free_text"
    """Free text that may hold personal data; never echoed in a message."""
    DATE = "date"
    """A calendar date, ISO ``2015-03-31`` or UK ``31/03/2015``."""
    INT = "int"
    """A whole number."""
    BOOL = "bool"
    """Yes or no, written ``yes/no``, ``y/n``, ``true/false`` or ``1/0``."""
    CODE = "code"
    """A code from a closed vocabulary, matched loosely (``Outcomes met`` = ``outcomes_met``)."""


_POLARS_TYPE: Final[Mapping[Kind, pl.DataType]] = {
    Kind.ID: pl.String(),
    Kind.TEXT: pl.String(),
    Kind.FREE_TEXT: pl.String(),
    Kind.DATE: pl.Date(),
    Kind.INT: pl.Int64(),
    Kind.BOOL: pl.Boolean(),
    Kind.CODE: pl.String(),
}


@attrs.frozen(kw_only=True)
class Column:
    """One column of an input table.

    Attributes:
        name: the column's name in ``earlyhelp`` (and in the accepted table).
        kind: how its text is read.
        required: whether every row must have a value.
        description: what the column holds, for the reference docs.
        codes: for ``Kind.CODE``, the accepted codes.
        aliases: other header names that mean this column (SSD names first).
        personal: values are personal data (dates of birth, free text) and are
            never echoed in a message.
        minimum: for ``Kind.INT``, the smallest accepted value.
        maximum: for ``Kind.INT``, the largest accepted value.
        needed_by: for an optional column, what loses a row that lacks it (e.g.
            ``"figures by locality"``): the row is kept, and the load report counts
            the rows lacking it with this reason.
        postcode: the column holds UK postcodes (personal data): data
            minimisation keeps only the district (the outward code).
        categorical: the column holds few distinct values (codes, reasons,
            scale names), so an accepted table holds it as a polars
            ``Categorical``: four bytes a row instead of sixteen, compared and
            grouped by number, read and written as the same text. By default,
            codes and short text that is not personal data.
    """

    name: str
    kind: Kind
    required: bool = False
    description: str
    codes: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    personal: bool = False
    minimum: int | None = None
    maximum: int | None = None
    needed_by: str | None = None
    postcode: bool = False
    categorical: bool = attrs.field(
        default=attrs.Factory(
            lambda self: self.kind in (Kind.CODE, Kind.TEXT) and not self.personal,
            takes_self=True,
        )
    )

    @property
    def dtype(self) -> pl.DataType:
        """The polars type of the column in an accepted table.

        Example:
            >>> code_column("stage", "Stage.", ("start", "end")).dtype
            Categorical
            >>> id_column("graph_id", "Graph id.").dtype
            String
        """
        return pl.Categorical() if self.categorical else _POLARS_TYPE[self.kind]


@attrs.frozen(kw_only=True)
class TableSchema:
    """The declared shape of one input table."""

    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    """The columns whose values together identify a row; empty for none."""
    rules: tuple[RowRule, ...] = ()
    record_type: type | None = None

    def column(self, name: str) -> Column:
        """The column called ``name``.

        Raises:
            NotFoundError: the table has no such column.
        """
        for column in self.columns:
            if column.name == name:
                return column
        raise NotFoundError(f"table {self.name}: no column {name!r}")

    @property
    def polars_schema(self) -> dict[str, pl.DataType]:
        """Column name to polars type, in declared order."""
        return {column.name: column.dtype for column in self.columns}


_NON_ALNUM: Final = re.compile(r"[^0-9a-z]+")


def normalise_name(name: str) -> str:
    """Fold a header for loose matching: lower case, letters and digits only.

    Example:
        >>> normalise_name(" Episode-ID "), normalise_name("EARL_EPISODE_ID")
        ('episodeid', 'earlepisodeid')
    """
    return _NON_ALNUM.sub("", name.lower())


# Shorthands for declaring tables (used by the earlyhelp._tables_* modules).


def codes_of(vocabulary: type[enum.Enum]) -> tuple[str, ...]:
    """The codes of a vocabulary enum, in declared order."""
    return tuple(str(member.value) for member in vocabulary)


def id_column(
    name: str,
    description: str,
    *aliases: str,
    required: bool = True,
    needed_by: str | None = None,
    categorical: bool = False,
) -> Column:
    """An identifier column (``categorical``: one of few, such as a scale's name)."""
    return Column(
        name=name,
        kind=Kind.ID,
        required=required,
        description=description,
        aliases=aliases,
        needed_by=needed_by,
        categorical=categorical,
    )


def date_column(
    name: str, description: str, *aliases: str, required: bool = True, personal: bool = False
) -> Column:
    return Column(
        name=name,
        kind=Kind.DATE,
        required=required,
        description=description,
        aliases=aliases,
        personal=personal,
    )


def code_column(
    name: str, description: str, codes: tuple[str, ...], *aliases: str, required: bool = True
) -> Column:
    return Column(
        name=name,
        kind=Kind.CODE,
        required=required,
        description=description,
        codes=codes,
        aliases=aliases,
    )


def text_column(name: str, description: str, *aliases: str) -> Column:
    """An optional short-text column (not personal data)."""
    return Column(name=name, kind=Kind.TEXT, description=description, aliases=aliases)


def postcode_column(name: str, description: str, *aliases: str) -> Column:
    """An optional UK postcode column: personal data, minimised to the district on request."""
    return Column(
        name=name,
        kind=Kind.TEXT,
        description=description,
        aliases=aliases,
        personal=True,
        postcode=True,
    )


def level_column(required: bool, needed_by: str | None = None) -> Column:
    """The threshold level of need, 1 to 4 (``needed_by``: what loses a row without it)."""
    return Column(
        name="level_of_need",
        kind=Kind.INT,
        required=required,
        needed_by=needed_by,
        description="Threshold level of need, 1 to 4.",
        aliases=("level", "threshold"),
        minimum=int(LevelOfNeed.LEVEL_1),
        maximum=int(LevelOfNeed.LEVEL_4),
    )
