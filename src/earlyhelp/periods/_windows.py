"""Calendar-month windows anchored on an event, with declared inclusive ends.

A re-referral window such as "within 3 months of case closure" is a
:class:`MonthWindow` of ``months=3`` looking forward from the anchor (the
closure). A look-back such as "early help in the 24 months before a plan started"
is ``months=-24``. Each window states whether its near end (the anchor day) and
its far end (the anchor moved by ``months``, clamped at month end) are inclusive.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pendulum
import polars as pl

from earlyhelp.periods._dates import add_months, as_date

__all__ = ["MonthWindow"]


def _nonzero(_inst: object, _attr: object, value: int) -> None:
    if value == 0:
        msg = "a window must span at least one calendar month (months != 0)"
        raise ValueError(msg)


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
        return add_months(anchor, self.months)

    def bounds(self, anchor: dt.date) -> tuple[pendulum.Date, pendulum.Date]:
        """The window's earlier and later dates, whatever its direction."""
        near, far = as_date(anchor), self.far_end(anchor)
        return (near, far) if self.months > 0 else (far, near)

    def contains(self, anchor: dt.date, day: dt.date) -> bool:
        """Whether ``day`` falls in the window anchored on ``anchor``."""
        near, far = as_date(anchor), self.far_end(anchor)
        target = as_date(day)
        if target == near:
            return self.anchor_inclusive
        if target == far:
            return self.far_inclusive
        low, high = (near, far) if self.months > 0 else (far, near)
        return low < target < high

    def describe(self) -> str:
        """Plain English, e.g. ``"within 3 months after (anchor day excluded)"``."""
        direction = "after" if self.months > 0 else "before"
        ends = (
            f"anchor day {'included' if self.anchor_inclusive else 'excluded'}, "
            f"last day {'included' if self.far_inclusive else 'excluded'}"
        )
        return f"within {abs(self.months)} calendar months {direction} ({ends})"

    def expr(self, anchor: str | pl.Expr, day: str | pl.Expr) -> pl.Expr:
        """The columnar twin of :meth:`contains` over two date columns.

        Uses polars' ``dt.offset_by("Nmo")``, which clamps at month end exactly as
        :func:`~earlyhelp.periods.add_months` does.
        """
        near = pl.col(anchor) if isinstance(anchor, str) else anchor
        target = pl.col(day) if isinstance(day, str) else day
        far = near.dt.offset_by(f"{self.months}mo")
        low, high = (near, far) if self.months > 0 else (far, near)
        inside = (target > low) & (target < high)
        return (
            pl.when(target == near)
            .then(pl.lit(self.anchor_inclusive))
            .when(target == far)
            .then(pl.lit(self.far_inclusive))
            .otherwise(inside)
        )
