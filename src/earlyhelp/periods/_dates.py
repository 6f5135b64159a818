"""Calendar arithmetic with an explicit month-end policy.

Every calendar-month step in ``earlyhelp`` goes through :func:`add_months`, which
*clamps* at month end: 31 January plus one month is 28 February (29 February in a
leap year), and 30 November plus three months is 28 or 29 February. This is the
same rule as pendulum's ``Date.add(months=...)`` and polars' ``dt.offset_by("Nmo")``,
so the per-record and columnar paths agree.
"""

from __future__ import annotations

import datetime as dt

import pendulum

from earlyhelp.errors import ConversionError

__all__ = ["add_months", "as_date", "uk_date"]


def as_date(value: dt.date) -> pendulum.Date:
    """Return ``value`` as a :class:`pendulum.Date`, refusing datetimes.

    Args:
        value: a calendar date. A ``datetime`` is refused because a time of day
            on a date field usually means a column was exported wrongly.

    Returns:
        The same calendar day as a ``pendulum.Date``.

    Raises:
        ConversionError: ``value`` is not a date, or is a datetime.

    Example:
        >>> as_date(dt.date(2015, 3, 31))
        Date(2015, 3, 31)
    """
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        msg = f"expected a calendar date, got {type(value).__name__}"
        raise ConversionError(msg)
    if isinstance(value, pendulum.Date):
        return value
    return pendulum.Date(value.year, value.month, value.day)


def add_months(value: dt.date, months: int) -> pendulum.Date:
    """Add whole calendar months, clamping to the last day of a shorter month.

    Args:
        value: the anchor date.
        months: how many calendar months to add; negative steps back.

    Returns:
        The date ``months`` calendar months from ``value``.

    Example:
        >>> add_months(dt.date(2015, 1, 31), 1)
        Date(2015, 2, 28)
        >>> add_months(dt.date(2015, 11, 30), 3)
        Date(2016, 2, 29)
        >>> add_months(dt.date(2016, 2, 29), -12)
        Date(2015, 2, 28)
    """
    return as_date(value).add(months=months)


def uk_date(day: dt.date) -> str:
    """A date as the source city writes it: ``30/11/2014``.

    The year has four digits, as polars' ``%Y`` writes it, so a decision's
    text and its bulk explanation agree on every date.

    Example:
        >>> uk_date(dt.date(2014, 11, 30)), uk_date(dt.date(812, 2, 1))
        ('30/11/2014', '01/02/0812')
    """
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"
