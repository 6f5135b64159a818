"""The source city's 2014-15 report, reproduced figure by figure.

Everything specific to that one report (its printed figures, its quarterly
returns, its audit tables) lives here, never in the generic layers.
"""

from earlyhelp.reproduction._figure import Figure
from earlyhelp.reproduction._quarterly import source_report_returns
from earlyhelp.reproduction._report import reproduce_source_report

__all__ = ["Figure", "reproduce_source_report", "source_report_returns"]
