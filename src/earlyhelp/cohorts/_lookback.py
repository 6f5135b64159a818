"""A look-back window as the inclusive range of days it covers, per record and in bulk.

A :class:`~earlyhelp.periods.MonthWindow` with negative ``months`` looks back from an
anchor (a statutory start) and declares whether each end is inclusive. An early
help *case* is an interval, not a day, so the analyses ask whether the case was
open on any day of the window; that needs the window's first and last days,
inclusive. :func:`window_days` gives them for one anchor, :func:`window_days_expr`
for a date column; both agree with :meth:`MonthWindow.contains` by construction
(and by a property test).
"""

from __future__ import annotations

import datetime as dt

import pendulum
import polars as pl

from earlyhelp.periods._dates import as_date
from earlyhelp.periods._windows import MonthWindow

__all__ = ["window_days", "window_days_expr"]


def window_days(window: MonthWindow, anchor: dt.date) -> tuple[pendulum.Date, pendulum.Date]:
    """The first and last days (both inclusive) of a look-back window.

    Example:
        >>> window = MonthWindow(-24, anchor_inclusive=False, far_inclusive=True)
        >>> window_days(window, dt.date(2015, 2, 28))
        (Date(2013, 2, 28), Date(2015, 2, 27))
    """
    if window.months > 0:
        msg = "expected a look-back window (months < 0)"
        raise ValueError(msg)
    anchor_day = as_date(anchor)
    far = window.far_end(anchor_day)
    first = far if window.far_inclusive else far.add(days=1)
    last = anchor_day if window.anchor_inclusive else anchor_day.subtract(days=1)
    return first, last


def window_days_expr(window: MonthWindow, anchor: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """The columnar twin of :func:`window_days` over a date expression."""
    if window.months > 0:
        msg = "expected a look-back window (months < 0)"
        raise ValueError(msg)
    far = anchor.dt.offset_by(f"{window.months}mo")
    one_day = pl.duration(days=1)
    first = far if window.far_inclusive else far + one_day
    last = anchor if window.anchor_inclusive else anchor - one_day
    return first, last
