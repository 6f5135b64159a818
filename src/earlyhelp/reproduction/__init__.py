"""The source city's 2014-15 report, reproduced figure by figure.

Everything specific to that one report (its printed figures, its quarterly
returns, its audit tables) lives here, never in the generic layers.
"""

from earlyhelp.reproduction._audit_rebuild import (
    OVERALL_RATING,
    audit_rounds,
    audit_tables,
    audits_from_tables,
)
from earlyhelp.reproduction._audits import report_audits, reproduce_audits
from earlyhelp.reproduction._centres import report_centre_inspections, reproduce_centres
from earlyhelp.reproduction._figure import Figure
from earlyhelp.reproduction._neet import report_neet, reproduce_neet, smallest_cohort
from earlyhelp.reproduction._quarterly import source_report_returns
from earlyhelp.reproduction._report import reproduce_source_report
from earlyhelp.reproduction._surveys import (
    report_spider_tables,
    report_surveys,
    report_theme_comments,
    reproduce_surveys,
)

__all__ = [
    "OVERALL_RATING",
    "Figure",
    "audit_rounds",
    "audit_tables",
    "audits_from_tables",
    "report_audits",
    "report_centre_inspections",
    "report_neet",
    "report_spider_tables",
    "report_surveys",
    "report_theme_comments",
    "reproduce_audits",
    "reproduce_centres",
    "reproduce_neet",
    "reproduce_source_report",
    "reproduce_surveys",
    "smallest_cohort",
    "source_report_returns",
]
