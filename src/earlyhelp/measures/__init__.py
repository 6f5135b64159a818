"""The measure catalogue, its calculators, the engine, roll-up and presentation.

Every measure is computed by team, locality and city; trends, targets and
RAG; rounding and disclosure control at presentation.
"""

from earlyhelp.measures._catalogue import (
    Basis,
    Calculator,
    Catalogue,
    Element,
    Level,
    Measure,
    Part,
    Unit,
)
from earlyhelp.measures._compute import compute, expand_periods
from earlyhelp.measures._context import MeasureContext
from earlyhelp.measures._disclosure import present, publish
from earlyhelp.measures._disclosure_policy import SYMBOLS, Disclosure, DisclosurePolicy, Symbol
from earlyhelp.measures._framework import catalogue_for, fill, wording
from earlyhelp.measures._members import counted, period_ends, span, years_asked
from earlyhelp.measures._pages import catalogue_table_rst, describe_measure, measure_page_rst
from earlyhelp.measures._polarity import Polarity
from earlyhelp.measures._presentation_settings import DEFAULT_SETTINGS, PresentationSettings
from earlyhelp.measures._rag import Rag, rag, rag_for
from earlyhelp.measures._results import CITY, FRAME_COLUMNS, Missing, Result, Results
from earlyhelp.measures._returns import roll_up_returns
from earlyhelp.measures._rounding import Rounding, RoundingPolicy
from earlyhelp.measures._secondary import DimensionTree, SuppressionCell, protect
from earlyhelp.measures._shipped import CATALOGUE, measure
from earlyhelp.measures._summary import caseload_summary
from earlyhelp.measures._trend import (
    Change,
    change,
    direction,
    over_year,
    quarter_on_quarter,
    within_year,
    year_on_year,
    year_total_change,
)
from earlyhelp.measures._trend_frame import changes

__all__ = [
    "CATALOGUE",
    "CITY",
    "DEFAULT_SETTINGS",
    "FRAME_COLUMNS",
    "SYMBOLS",
    "Basis",
    "Calculator",
    "Catalogue",
    "Change",
    "DimensionTree",
    "Disclosure",
    "DisclosurePolicy",
    "Element",
    "Level",
    "Measure",
    "MeasureContext",
    "Missing",
    "Part",
    "Polarity",
    "PresentationSettings",
    "Rag",
    "Result",
    "Results",
    "Rounding",
    "RoundingPolicy",
    "SuppressionCell",
    "Symbol",
    "Unit",
    "caseload_summary",
    "catalogue_for",
    "catalogue_table_rst",
    "change",
    "changes",
    "compute",
    "counted",
    "describe_measure",
    "direction",
    "expand_periods",
    "fill",
    "measure",
    "measure_page_rst",
    "over_year",
    "period_ends",
    "present",
    "protect",
    "publish",
    "quarter_on_quarter",
    "rag",
    "rag_for",
    "roll_up_returns",
    "span",
    "within_year",
    "wording",
    "year_on_year",
    "year_total_change",
    "years_asked",
]
