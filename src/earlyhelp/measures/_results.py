"""Results: every measure's figure for every period and organisation unit."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator, Mapping
from fractions import Fraction

import attrs
import polars as pl

from earlyhelp.measures._catalogue import Catalogue, Level, Unit
from earlyhelp.measures._shipped import CATALOGUE

__all__ = ["CITY", "RESULT_SCHEMA", "Missing", "Result", "Results"]

#: The unit id of the whole city in results.
CITY = "city"


class Missing(enum.StrEnum):
    """Why a figure has no value. A missing figure is never shown as zero."""

    NO_DENOMINATOR = "no_denominator"
    AWAITED = "awaited"
    NOT_RECORDED_AT_LEVEL = "not_recorded_at_level"
    NO_DATA = "no_data"
    NOT_IN_FORCE = "not_in_force"

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
        frame: the long results frame: one row per measure, period, unit and
            breakdown (``RESULT_SCHEMA``).
        hierarchy: each team's locality (empty when not known), so that
            :func:`earlyhelp.publish` can protect a team's suppressed figure
            from its locality's total.
        catalogue: the catalogue the measures were declared in.
    """

    def __init__(
        self,
        frame: pl.DataFrame,
        members: Members | None = None,
        hierarchy: Mapping[str, str] | None = None,
        *,
        catalogue: Catalogue = CATALOGUE,
    ) -> None:
        self.catalogue = catalogue
        self.frame = frame.select(
            [pl.col(name).cast(dtype) for name, dtype in RESULT_SCHEMA.items()]
        )
        self.hierarchy: Mapping[str, str] = dict(hierarchy or {})
        self._members = members
        self._index: dict[tuple[str, str, str, str | None], int] | None = None

    def _lookup(self) -> dict[tuple[str, str, str, str | None], int]:
        if self._index is None:
            keys = self.frame.select("measure_id", "period", "unit_id", "breakdown").rows()
            self._index = {key: row for row, key in enumerate(keys)}
        return self._index

    def __getitem__(self, key: tuple[str, ...] | tuple[str, str, str, str | None]) -> Result:
        if len(key) not in (3, 4):
            msg = "index results with (measure_id, period, unit_id[, breakdown])"
            raise KeyError(msg)
        full = (key[0], key[1], key[2], key[3] if len(key) == 4 else None)
        row = self._lookup().get(full)
        if row is None:
            msg = f"no result for {', '.join(str(k) for k in key if k is not None)}"
            raise KeyError(msg)
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
            KeyError: no such figure.
            ValueError: the results came from aggregate returns, which hold no
                records.
        """
        if part not in ("numerator", "denominator"):
            msg = f"part: expected 'numerator' or 'denominator', got {part!r}"
            raise ValueError(msg)
        figure = self[(measure_id, period, unit_id, breakdown)]
        if self._members is None:
            msg = "these results were rolled up from aggregate returns: they hold no records"
            raise ValueError(msg)
        members = self._members(measure_id, period, figure.level, unit_id, breakdown)
        return sorted(members.filter(pl.col(part) > 0).get_column("record_id").to_list())
