"""Calendar-month windows anchored on an event, with declared inclusive ends.

A re-referral window such as "within 3 months of case closure" is a
:class:`MonthWindow` of ``months=3`` looking forward from the anchor (the
closure). A look-back such as "early help in the 24 months before a plan started"
is ``months=-24``. Each window states whether its near end (the anchor day) and
its far end (the anchor moved by ``months``, clamped at month end) are inclusive.

The window's boundaries are declared once, in :meth:`MonthWindow.days`: its first
and last days, both inclusive. That one function works on a Python date and on a
polars date expression alike, so :meth:`MonthWindow.contains` answers for one
record and for a whole column from the same definition.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar, overload

import attrs
import pendulum
import polars as pl

from earlyhelp.errors import FieldError
from earlyhelp.periods._dates import add_months, as_date

__all__ = ["MonthWindow"]

Day = TypeVar("Day", pendulum.Date, pl.Expr)


def _nonzero(_inst: object, _attr: object, value: int) -> None:
    if value == 0:
        msg = "a window must span at least one calendar month (months != 0)"
        raise FieldError("months", msg)


@overload
def _shift(value: pl.Expr, *, months: int = 0, days: int = 0) -> pl.Expr: ...
@overload
def _shift(value: dt.date, *, months: int = 0, days: int = 0) -> pendulum.Date: ...
def _shift(value: dt.date | pl.Expr, *, months: int = 0, days: int = 0) -> dt.date | pl.Expr:
    """Move a date (or a date expression) by calendar months, then by days.

    Months clamp at month end: :func:`~earlyhelp.periods.add_months` for a date,
    polars' ``dt.offset_by("Nmo")`` for an expression (the same rule; a property
    test holds them equal).
    """
    if isinstance(value, pl.Expr):
        moved = value.dt.offset_by(f"{months}mo") if months else value
        return moved.dt.offset_by(f"{days}d") if days else moved
    day = add_months(value, months) if months else as_date(value)
    return day.add(days=days) if days else day


def _move_expr(value: pl.Expr, days: int) -> pl.Expr:
    return _shift(value, days=days)


def _move_date(value: pendulum.Date, days: int) -> pendulum.Date:
    return _shift(value, days=days)


def _between(ends: tuple[tuple[Any, bool], tuple[Any, bool]], target: Any) -> Any:
    """Whether ``target`` lies between the two ends, each inside or not (a date or an expression)."""
    (low, low_inside), (high, high_inside) = ends
    above = target >= low if low_inside else target > low
    return above & (target <= high if high_inside else target < high)


def _as_expr(value: str | pl.Expr) -> pl.Expr:
    return pl.col(value) if isinstance(value, str) else value


@attrs.frozen
class MonthWindow:
    """A window of whole calendar months from an anchor date.

    Args:
        months: the window length; positive looks forward from the anchor,
            negative looks back.
        anchor_inclusive: whether a date on the anchor day itself is inside.
        far_inclusive: whether a date on the far end is inside.

    Example:
        >>> window = MonthWindow(3, anchor_inclusive=False, far_inclusive=True)
        >>> window.bounds(dt.date(2014, 11, 30))
        (Date(2014, 11, 30), Date(2015, 2, 28))
        >>> window.days(dt.date(2014, 11, 30))
        (Date(2014, 12, 1), Date(2015, 2, 28))
        >>> window.contains(dt.date(2014, 11, 30), dt.date(2015, 2, 28))
        True
        >>> window.contains(dt.date(2014, 11, 30), dt.date(2015, 3, 1))
        False
        >>> window.contains(dt.date(2014, 11, 30), dt.date(2014, 11, 30))
        False
        >>> MonthWindow(-24).bounds(dt.date(2016, 2, 29))
        (Date(2014, 2, 28), Date(2016, 2, 29))
    """

    months: int = attrs.field(validator=_nonzero)
    anchor_inclusive: bool = attrs.field(default=True, kw_only=True)
    far_inclusive: bool = attrs.field(default=True, kw_only=True)

    def far_end(self, anchor: dt.date) -> pendulum.Date:
        """The anchor moved by ``months`` calendar months, clamped at month end."""
        return _shift(anchor, months=self.months)

    def bounds(self, anchor: dt.date) -> tuple[pendulum.Date, pendulum.Date]:
        """The window's earlier and later ends, whatever its direction and inclusiveness."""
        near, far = as_date(anchor), self.far_end(anchor)
        return (near, far) if self.months > 0 else (far, near)

    @overload
    def days(self, anchor: pl.Expr) -> tuple[pl.Expr, pl.Expr]: ...
    @overload
    def days(self, anchor: dt.date) -> tuple[pendulum.Date, pendulum.Date]: ...
    def days(
        self, anchor: dt.date | pl.Expr
    ) -> tuple[pendulum.Date, pendulum.Date] | tuple[pl.Expr, pl.Expr]:
        """The first and last days inside the window, both inclusive.

        The window's boundaries are declared once: the far end is the anchor
        moved by ``months`` (clamped at month end), and each end is inside or not
        as declared. The first and last days keep an end that is inside and move
        one that is not a day inwards; :meth:`contains` compares with the same
        ends. Both work on a date and on a polars date expression alike.

        Example:
            >>> window = MonthWindow(-24, anchor_inclusive=False, far_inclusive=True)
            >>> window.days(dt.date(2015, 2, 28))
            (Date(2013, 2, 28), Date(2015, 2, 27))
            >>> frame = pl.DataFrame({"started": [dt.date(2016, 2, 29)]})
            >>> first, last = window.days(pl.col("started"))
            >>> frame.select(first, last.alias("last")).row(0)
            (datetime.date(2014, 2, 28), datetime.date(2016, 2, 28))
        """
        if isinstance(anchor, pl.Expr):
            return self._days(anchor, _shift(anchor, months=self.months), _move_expr)
        near = as_date(anchor)
        return self._days(near, _shift(near, months=self.months), _move_date)

    def _ends(self, near: Day, far: Day) -> tuple[tuple[Day, bool], tuple[Day, bool]]:
        """The earlier and the later end, each with whether it is inside: the declaration."""
        anchor_end, far_end = (near, self.anchor_inclusive), (far, self.far_inclusive)
        return (anchor_end, far_end) if self.months > 0 else (far_end, anchor_end)

    def _days(self, near: Day, far: Day, move: Callable[[Day, int], Day]) -> tuple[Day, Day]:
        (low, low_inside), (high, high_inside) = self._ends(near, far)
        return (low if low_inside else move(low, 1)), (high if high_inside else move(high, -1))

    @overload
    def contains(self, anchor: dt.date, day: dt.date) -> bool: ...
    @overload
    def contains(self, anchor: pl.Expr, day: dt.date | pl.Expr) -> pl.Expr: ...
    @overload
    def contains(self, anchor: dt.date | pl.Expr, day: pl.Expr) -> pl.Expr: ...
    def contains(self, anchor: dt.date | pl.Expr, day: dt.date | pl.Expr) -> bool | pl.Expr:
        """Whether ``day`` falls in the window anchored on ``anchor``.

        Either argument may be a polars date expression, and then so is the
        answer (null where a date is null): the same boundaries, from
        :meth:`days`, answer one record and a whole column.

        Example:
            >>> window = MonthWindow(3, anchor_inclusive=False)
            >>> frame = pl.DataFrame({"closed": [dt.date(2014, 11, 30)] * 2,
            ...                       "referred": [dt.date(2015, 2, 28), dt.date(2015, 3, 1)]})
            >>> inside = window.contains(pl.col("closed"), pl.col("referred"))
            >>> frame.select(inside.alias("inside"))["inside"].to_list()
            [True, False]
        """
        if isinstance(anchor, pl.Expr) or isinstance(day, pl.Expr):
            near = anchor if isinstance(anchor, pl.Expr) else pl.lit(as_date(anchor), dtype=pl.Date)
            target = day if isinstance(day, pl.Expr) else pl.lit(as_date(day), dtype=pl.Date)
            inside: pl.Expr = _between(self._ends(near, _shift(near, months=self.months)), target)
            return inside
        start = as_date(anchor)
        return bool(_between(self._ends(start, _shift(start, months=self.months)), as_date(day)))

    def expr(self, anchor: str | pl.Expr, day: str | pl.Expr) -> pl.Expr:
        """:meth:`contains` over two date columns, given by name or expression.

        Example:
            >>> window = MonthWindow(3, anchor_inclusive=False)
            >>> frame = pl.DataFrame({"closed": [dt.date(2014, 11, 30)],
            ...                       "referred": [dt.date(2014, 11, 30)]})
            >>> frame.select(window.expr("closed", "referred")).item()
            False
        """
        return self.contains(_as_expr(anchor), _as_expr(day))

    def describe(self) -> str:
        """Plain English, e.g. ``"within 3 months after (anchor day excluded)"``."""
        direction = "after" if self.months > 0 else "before"
        ends = (
            f"anchor day {'included' if self.anchor_inclusive else 'excluded'}, "
            f"last day {'included' if self.far_inclusive else 'excluded'}"
        )
        return f"within {abs(self.months)} calendar months {direction} ({ends})"
