"""Results: every measure's figure for every period and organisation unit."""

from __future__ import annotations

import enum
import os
from collections.abc import Callable, Iterator, Mapping
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np
import polars as pl
import xlsxwriter  # type: ignore[import-untyped]

from earlyhelp.errors import ArgumentError, NotFoundError, ReturnsError
from earlyhelp.measures._catalogue import Catalogue, Element, Level, Unit
from earlyhelp.measures._disclosure import present, publish
from earlyhelp.measures._presentation_settings import DEFAULT_SETTINGS, PresentationSettings
from earlyhelp.measures._shipped import CATALOGUE
from earlyhelp.periods._periods import FinancialYear, parse_period

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CITY", "FRAME_COLUMNS", "RESULT_SCHEMA", "Missing", "Result", "Results"]

#: The unit id of the whole city in results.
CITY = "city"


class Missing(enum.StrEnum):
    """Why a figure has no value. A missing figure is never shown as zero."""

    NO_DENOMINATOR = "no_denominator"
    AWAITED = "awaited"
    NOT_RECORDED_AT_LEVEL = "not_recorded_at_level"
    NO_DATA = "no_data"
    NOT_IN_FORCE = "not_in_force"
    NO_COLUMN = "no_column"
    UNATTRIBUTED = "unattributed"
    NO_RULE = "no_rule"

    @property
    def reason(self) -> str:
        """The reason in words."""
        return _REASONS[self]


_REASONS = {
    Missing.NO_DENOMINATOR: "nothing to count out of: the denominator is zero",
    Missing.AWAITED: "data awaited",
    Missing.NOT_RECORDED_AT_LEVEL: "not recorded at this level of the organisation",
    Missing.NO_DATA: "a table this measure needs was not supplied",
    Missing.NOT_IN_FORCE: "the measure was not part of the framework in this period",
    Missing.NO_COLUMN: "a column this measure needs was not supplied",
    Missing.UNATTRIBUTED: "the records carry no team or locality to count them by at this level",
    Missing.NO_RULE: "no rule in force: the profile has no rule this measure needs",
}

#: The columns of a results frame.
RESULT_SCHEMA = {
    "measure_id": pl.String,
    "period": pl.String,
    "level": pl.String,
    "unit_id": pl.String,
    "breakdown": pl.String,
    "numerator": pl.Int64,
    "denominator": pl.Int64,
    "missing": pl.String,
}


#: The columns of ``Results.frame``, in order.
FRAME_COLUMNS: Final = {
    **{name: dtype for name, dtype in RESULT_SCHEMA.items() if name != "missing"},
    "value": pl.String,
    "unit": pl.String,
    "presented": pl.String,
    "missing": pl.String,
    "missing_reason": pl.String,
}

_LEVEL_ORDER: Final = {level.value: order for order, level in enumerate(Level)}


def _period_key(label: str) -> tuple[int, int]:
    """Chronological order, each quarter before its year (as ``expand_periods`` gives them)."""
    try:
        period = parse_period(label)
    except ValueError:
        return (10_000, 0)
    if isinstance(period, FinancialYear):
        return (period.start_year, 5)
    return (period.year.start_year, period.number)


def _exact(frame: pl.DataFrame, catalogue: Catalogue) -> pl.DataFrame:
    """Add ``unit`` and the exact ``value`` as text: a whole number, or ``p/q`` in lowest terms."""
    units = {m: catalogue[m].unit for m in frame.get_column("measure_id").unique().to_list()}
    unit = frame.get_column("measure_id").replace_strict(
        {m: u.value for m, u in units.items()}, return_dtype=pl.String
    )
    scale = frame.get_column("measure_id").replace_strict(
        {m: u.scale for m, u in units.items()}, return_dtype=pl.Int64
    )
    is_count = (unit == Unit.COUNT.value).to_numpy()
    top = (frame.get_column("numerator").fill_null(0) * scale).to_numpy()
    bottom = np.where(is_count, 1, frame.get_column("denominator").fill_null(0).to_numpy())
    divisor = np.gcd(top, bottom)
    divisor = np.where(divisor == 0, 1, divisor)
    top, bottom = top // divisor, bottom // divisor
    parts = pl.DataFrame({"top": top, "bottom": bottom})
    text = parts.select(
        pl.when(pl.col("bottom") == 1)
        .then(pl.col("top").cast(pl.String))
        .otherwise(pl.format("{}/{}", "top", "bottom"))
    ).to_series()
    shown = (
        frame.get_column("missing").is_null()
        & frame.get_column("numerator").is_not_null()
        & pl.Series(bottom != 0)
    )
    return frame.with_columns(
        pl.when(shown).then(text).otherwise(None).alias("value"), unit.alias("unit")
    )


_SHOWN: Final = (*RESULT_SCHEMA, "value", "unit")


def _texts(
    frame: pl.DataFrame,
    settings: Callable[[str], PresentationSettings],
    hierarchy: Mapping[str, str],
    *,
    published: bool,
) -> pl.DataFrame:
    """The display columns of every row, each under the settings in force for its period.

    Secondary suppression (when the policy suppresses) works within each
    group of periods under one version of the settings.
    """
    frame = frame.select(_SHOWN)

    def show(part: pl.DataFrame, chosen: PresentationSettings) -> pl.DataFrame:
        shown = publish if published else present
        return shown(part, chosen, hierarchy=hierarchy)

    by_settings: dict[int, tuple[PresentationSettings, list[str]]] = {}
    for label in frame.get_column("period").unique(maintain_order=True).to_list():
        chosen = settings(label)
        by_settings.setdefault(id(chosen), (chosen, []))[1].append(label)
    if len(by_settings) <= 1:
        chosen = next(iter(by_settings.values()))[0] if by_settings else DEFAULT_SETTINGS
        return show(frame, chosen)
    rows = pl.Series("_row", range(frame.height))
    parts, order = [], []
    for chosen, labels in by_settings.values():
        mask = frame.get_column("period").is_in(labels)
        parts.append(show(frame.filter(mask), chosen))
        order.append(rows.filter(mask))
    return pl.concat(parts).with_columns(pl.concat(order)).sort("_row").drop("_row")


@attrs.frozen(kw_only=True)
class Result:
    """One figure: a measure for one period and one team, locality or the city.

    Attributes:
        measure_id: the measure.
        period: the period label (``"2014-15 Q3"``, ``"2014-15"``).
        level: team, locality or city.
        unit_id: the team or locality id, or ``"city"``.
        breakdown: the breakdown value (e.g. ``"vcm"``), or ``None`` for the total.
        numerator: what was counted (``None`` when missing for want of data).
        denominator: what it was counted out of (``None`` for counts).
        unit: the measure's unit.
        missing: why there is no value, or ``None``.
    """

    measure_id: str
    period: str
    level: Level
    unit_id: str
    breakdown: str | None
    numerator: int | None
    denominator: int | None
    unit: Unit
    missing: Missing | None

    @property
    def value(self) -> Fraction | None:
        """The exact value (the count, or scale x numerator / denominator)."""
        if self.missing is not None or self.numerator is None:
            return None
        if self.unit is Unit.COUNT:
            return Fraction(self.numerator)
        if not self.denominator:
            return None
        return Fraction(self.unit.scale * self.numerator, self.denominator)

    def __str__(self) -> str:
        where = f"{self.measure_id}, {self.period}, {self.unit_id}"
        if self.breakdown is not None:
            where += f" ({self.breakdown})"
        if self.missing is not None:
            return f"{where}: missing ({self.missing.reason})"
        if self.unit is Unit.COUNT:
            return f"{where}: {self.numerator}"
        value = self.value
        shown = "?" if value is None else f"{float(value):.4g}"
        suffix = "%" if self.unit is Unit.PERCENTAGE else " per 10,000"
        return f"{where}: {self.numerator} / {self.denominator} = {shown}{suffix} (exact)"


Members = Callable[[str, str, Level, str, str | None], pl.DataFrame]


class Results:
    """Every figure computed, with the records behind each.

    Index with ``results[measure_id, period, unit_id]`` (``unit_id`` is a team
    or locality id, or ``"city"``) or with a fourth item, the breakdown value.
    :meth:`records` returns the ids of the records counted.

    Attributes:
        frame: the long results frame, one row per measure, period, unit and
            breakdown, sorted by measure (catalogue order), period (in time,
            each quarter before its year), level (team, locality, city), unit
            id and breakdown (the total first). Its columns
            (:data:`~earlyhelp.measures.FRAME_COLUMNS`): ``measure_id``, ``period``, ``level``,
            ``unit_id``, ``breakdown`` (null for the total), ``numerator`` and
            ``denominator`` (whole numbers, ``Int64``; null where missing, and
            the denominator of a count), ``value`` (the exact value as text: a
            whole number, or a fraction ``p/q`` in lowest terms, scaled by the
            unit: ``Fraction(value)`` reads it back exactly), ``unit``
            (``count``, ``percentage``, ``rate_per_10000``), ``presented`` (the
            value as the profile's presentation settings in force for the period
            show it internally: ``"13.2"``, or ``[x]`` when missing),
            ``missing`` (why there is no value, a :class:`Missing` code) and
            ``missing_reason`` (the reason in words).
        hierarchy: each team's locality (empty when not known), so that
            :func:`earlyhelp.publish` can protect a team's suppressed figure
            from its locality's total.
        catalogue: the catalogue the measures were declared in.

    Example:
        >>> import earlyhelp as eh
        >>> from fractions import Fraction
        >>> data = eh.load(eh.demo_path())
        >>> results = eh.compute(data, profile="derby-2014-15", period="2014-15", by="city",
        ...                      measures=["escalation_rate"])
        >>> results.frame.get_column("period").to_list()
        ['2014-15 Q1', '2014-15 Q2', '2014-15 Q3', '2014-15 Q4', '2014-15']
        >>> row = results.frame.row(4, named=True)
        >>> Fraction(row["value"]) == Fraction(100 * row["numerator"], row["denominator"])
        True
        >>> settings = results.settings(row["period"])  # the source city truncates
        >>> row["presented"] == settings.format("escalation_rate", "percentage", Fraction(row["value"]))
        True
    """

    def __init__(
        self,
        frame: pl.DataFrame,
        members: Members | None = None,
        hierarchy: Mapping[str, str] | None = None,
        *,
        catalogue: Catalogue = CATALOGUE,
        settings: Mapping[str, PresentationSettings] | None = None,
    ) -> None:
        self.catalogue = catalogue
        self._settings = dict(settings or {})
        self.hierarchy: Mapping[str, str] = dict(hierarchy or {})
        base = frame.select([pl.col(name).cast(dtype) for name, dtype in RESULT_SCHEMA.items()])
        self.frame = self._derived(self._sorted(base))
        self._members = members
        self._index: dict[tuple[str, str, str, str | None], int] | None = None

    def settings(self, period: str) -> PresentationSettings:
        """The presentation settings in force for a period (the defaults when none)."""
        return self._settings.get(period, DEFAULT_SETTINGS)

    def _sorted(self, frame: pl.DataFrame) -> pl.DataFrame:
        order = {measure_id: i for i, measure_id in enumerate(self.catalogue.ids())}
        labels = frame.get_column("period").unique().to_list()
        periods = {label: i for i, label in enumerate(sorted(labels, key=_period_key))}
        return (
            frame.with_columns(
                pl.col("measure_id")
                .replace_strict(order, default=len(order), return_dtype=pl.Int64)
                .alias("_measure"),
                pl.col("period").replace_strict(periods, return_dtype=pl.Int64).alias("_period"),
                pl.col("level")
                .replace_strict(_LEVEL_ORDER, default=len(_LEVEL_ORDER), return_dtype=pl.Int64)
                .alias("_level"),
            )
            .sort(
                ["_measure", "_period", "_level", "unit_id", "breakdown"],
                nulls_last=[False, False, False, False, False],
            )
            .drop("_measure", "_period", "_level")
        )

    def _derived(self, frame: pl.DataFrame) -> pl.DataFrame:
        exact = _exact(frame, self.catalogue)
        shown = _texts(exact, self.settings, self.hierarchy, published=False)
        reasons = {reason.value: reason.reason for reason in Missing}
        return exact.with_columns(
            shown.get_column("value_display").alias("presented"),
            pl.col("missing")
            .replace_strict(reasons, default=None, return_dtype=pl.String)
            .alias("missing_reason"),
        ).select([pl.col(name).cast(dtype) for name, dtype in FRAME_COLUMNS.items()])

    def to_pandas(self) -> pd.DataFrame:
        """The ``frame`` as a pandas frame: counts as nullable ``Int64``, never float.

        Needs pandas and pyarrow (``pip install 'earlyhelp[pandas]'``).

        Example:
            >>> import earlyhelp as eh
            >>> data = eh.load(eh.demo_path())
            >>> results = eh.compute(data, profile="derby-2014-15", period="2014-15 Q3",
            ...                      by="city", measures=["open_cases", "escalation_rate"])
            >>> table = results.to_pandas()
            >>> str(table["numerator"].dtype), str(table["denominator"].dtype)
            ('Int64', 'Int64')
            >>> bool(table["denominator"].isna().iloc[0])  # a count has no denominator
            True
        """
        import pandas as pd  # noqa: PLC0415 - pandas is an optional extra
        import pyarrow as pa  # noqa: PLC0415

        types = {
            pa.int64(): pd.Int64Dtype(),
            pa.large_string(): pd.StringDtype(),
            pa.string(): pd.StringDtype(),
        }
        table: pd.DataFrame = self.frame.to_arrow().to_pandas(types_mapper=types.get)
        return table

    def sheets(self, *, published: bool = True) -> dict[str, pl.DataFrame]:
        """The figures as one table per framework element, keyed by its heading.

        Args:
            published: show the figures under the profile's published disclosure
                control (small counts and the ratios built on them ``[c]``), as
                text only; ``False`` gives the raw figures: whole-number
                numerators and denominators, the exact value and the presented
                value (internal policy).
        """
        titles = {m.measure_id: m.title for m in self.catalogue}
        elements = {m.measure_id: m.element.value for m in self.catalogue}
        frame = self.frame.with_columns(
            pl.col("measure_id").replace_strict(titles, default=None).alias("title"),
            pl.col("measure_id").replace_strict(elements, default=None).alias("_element"),
        )
        if published:
            shown = _texts(frame, self.settings, self.hierarchy, published=True)
            frame = frame.with_columns(
                shown.get_column("numerator_display").alias("numerator"),
                shown.get_column("denominator_display").alias("denominator"),
                shown.get_column("value_display").alias("presented"),
            ).drop("value")
        columns = [c for c in frame.columns if c not in ("_element", "missing")]
        columns.insert(1, columns.pop(columns.index("title")))
        return {
            element.heading: frame.filter(pl.col("_element") == element.value).select(columns)
            for element in Element
            if element.value in set(frame.get_column("_element").to_list())
        }

    def write_xlsx(self, path: str | os.PathLike[str], *, published: bool = True) -> Path:
        """Write the figures as an XLSX workbook: one sheet per framework element.

        The sheets are How much, How well, Impact and Context (those with a
        measure). By default the figures are under the profile's published
        disclosure control and every cell is text, as :meth:`sheets` gives
        them; ``published=False`` writes the raw figures (numerators and
        denominators as numbers). Text is always written as text: no cell is
        read as a formula, a number or a link.

        Returns:
            The path written.

        Example:
            >>> import tempfile, pathlib
            >>> import earlyhelp as eh
            >>> data = eh.load(eh.demo_path())
            >>> results = eh.compute(data, profile="derby-2014-15", period="2014-15", by="city")
            >>> target = results.write_xlsx(pathlib.Path(tempfile.mkdtemp()) / "figures.xlsx")
            >>> import fastexcel
            >>> fastexcel.read_excel(str(target)).sheet_names
            ['How much', 'How well', 'Impact', 'Context']
        """
        target = Path(path)
        workbook = xlsxwriter.Workbook(
            str(target),
            {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
        )
        header = workbook.add_format({"bold": True, "bottom": 1})
        for heading, table in self.sheets(published=published).items():
            sheet = workbook.add_worksheet(heading)
            for column, name in enumerate(table.columns):
                sheet.write_string(0, column, name, header)
            for row, values in enumerate(table.iter_rows(), start=1):
                for column, value in enumerate(values):
                    _write_cell(sheet, row, column, value)
            sheet.freeze_panes(1, 0)
        workbook.close()
        return target

    def _lookup(self) -> dict[tuple[str, str, str, str | None], int]:
        if self._index is None:
            keys = self.frame.select("measure_id", "period", "unit_id", "breakdown").rows()
            self._index = {key: row for row, key in enumerate(keys)}
        return self._index

    def __getitem__(self, key: tuple[str, ...] | tuple[str, str, str, str | None]) -> Result:
        if len(key) not in (3, 4):
            msg = "index results with (measure_id, period, unit_id[, breakdown])"
            raise NotFoundError(msg)
        full = (key[0], key[1], key[2], key[3] if len(key) == 4 else None)
        row = self._lookup().get(full)
        if row is None:
            msg = f"no result for {', '.join(str(k) for k in key if k is not None)}"
            raise NotFoundError(msg)
        return self._result(row)

    def _result(self, row: int) -> Result:
        values = self.frame.row(row, named=True)
        missing = values["missing"]
        return Result(
            measure_id=values["measure_id"],
            period=values["period"],
            level=Level(values["level"]),
            unit_id=values["unit_id"],
            breakdown=values["breakdown"],
            numerator=values["numerator"],
            denominator=values["denominator"],
            unit=self.catalogue[values["measure_id"]].unit,
            missing=None if missing is None else Missing(missing),
        )

    def __iter__(self) -> Iterator[Result]:
        return (self._result(row) for row in range(self.frame.height))

    def __len__(self) -> int:
        return self.frame.height

    def records(
        self,
        measure_id: str,
        period: str,
        unit_id: str,
        breakdown: str | None = None,
        *,
        part: str = "numerator",
    ) -> list[str]:
        """The ids of the records behind a figure, sorted.

        Args:
            measure_id: the measure.
            period: the period label.
            unit_id: a team or locality id, or ``"city"``.
            breakdown: a breakdown value, or ``None`` for the total.
            part: ``"numerator"`` or ``"denominator"``.

        Raises:
            NotFoundError: no such figure.
            ReturnsError: the results came from aggregate returns, which hold no
                records.
        """
        if part not in ("numerator", "denominator"):
            msg = f"part: expected 'numerator' or 'denominator', got {part!r}"
            raise ArgumentError(msg)
        figure = self[(measure_id, period, unit_id, breakdown)]
        if self._members is None:
            msg = "these results were rolled up from aggregate returns: they hold no records"
            raise ReturnsError(msg)
        members = self._members(measure_id, period, figure.level, unit_id, breakdown)
        return sorted(members.filter(pl.col(part) > 0).get_column("record_id").to_list())


def _write_cell(sheet: Any, row: int, column: int, value: object) -> None:
    """One cell: numbers as numbers, text always as text (never a formula), nothing for null."""
    if value is None:
        return
    if isinstance(value, int):
        sheet.write_number(row, column, value)
    else:
        sheet.write_string(row, column, str(value))
