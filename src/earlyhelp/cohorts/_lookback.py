"""A look-back window as the inclusive range of days it covers, per record and in bulk.

A :class:`~earlyhelp.periods.MonthWindow` with negative ``months`` looks back from an
anchor (a statutory start) and declares whether each end is inclusive. An early
help *case* is an interval, not a day, so the analyses ask whether the case was
open on any day of the window; that needs the window's first and last days,
inclusive. :func:`window_days` gives them for one anchor, :func:`window_days_expr`
for a date column; both are :meth:`MonthWindow.days`, the one definition of the
window's boundaries that :meth:`MonthWindow.contains` also uses.
"""

from __future__ import annotations

import datetime as dt

import pendulum
import polars as pl

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
    return window.days(anchor)


def window_days_expr(window: MonthWindow, anchor: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """:func:`window_days` for a date expression (both are :meth:`MonthWindow.days`)."""
    if window.months > 0:
        msg = "expected a look-back window (months < 0)"
        raise ValueError(msg)
    return window.days(anchor)
