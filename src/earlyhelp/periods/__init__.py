"""Financial years, quarters and calendar-month windows.

Financial years run 1 April to 31 March; quarters are their three-month parts.
Month arithmetic clamps at month end (31 January + 1 month = 28/29 February),
and every window states whether each end is inclusive.
"""

from earlyhelp.periods._dates import add_months, uk_date
from earlyhelp.periods._periods import (
    FinancialYear,
    Period,
    PeriodsLike,
    Quarter,
    as_periods,
    during_expr,
    is_open_at,
    open_at_expr,
    parse_period,
    quarters_between,
)
from earlyhelp.periods._windows import MonthWindow

__all__ = [
    "FinancialYear",
    "MonthWindow",
    "Period",
    "PeriodsLike",
    "Quarter",
    "add_months",
    "as_periods",
    "during_expr",
    "is_open_at",
    "open_at_expr",
    "parse_period",
    "quarters_between",
    "uk_date",
]
