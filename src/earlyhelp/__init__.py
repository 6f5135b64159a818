"""earlyhelp: measure what English councils' early help services achieve.

The public API is everything in ``__all__``; modules whose names start with an
underscore are private and may change without notice.
"""

from earlyhelp._convert import StructureError, converter, structure, unstructure
from earlyhelp._dataset import Dataset, load
from earlyhelp._dates import add_months
from earlyhelp._demo import demo_path, generate_demo, write_demo
from earlyhelp._model._assessments import EarlyHelpAssessment, SingleAssessment
from earlyhelp._model._audit import (
    GRADING_SCALES,
    AuditGrade,
    CaseFileAudit,
    Grade,
    GradingScale,
)
from earlyhelp._model._base import RecordError
from earlyhelp._model._casework import EarlyHelpCase, OnwardReferral, Referral
from earlyhelp._model._neet import ChildPopulation, NeetRecord
from earlyhelp._model._org import City, Locality, OrgHierarchy, Team
from earlyhelp._model._people import Child, Family
from earlyhelp._model._spider import SpiderGraph, SpiderReading, SpiderScale, SpiderScore
from earlyhelp._model._statutory import SocialCareEpisode, YouthOffendingEpisode
from earlyhelp._model._survey import SurveyResponse
from earlyhelp._model._vocab import (
    Answer,
    ClosureReason,
    LevelOfNeed,
    ReadingStage,
    ReferralRoute,
    SocialCareKind,
)
from earlyhelp._periods import (
    FinancialYear,
    Period,
    Quarter,
    during_expr,
    is_open_at,
    open_at_expr,
    parse_period,
    quarters_between,
)
from earlyhelp._readers import LoadError
from earlyhelp._report import LoadReport, Rejection, TableReport
from earlyhelp._schema import Column, Kind, RowRule, TableSchema
from earlyhelp._summary import caseload_summary
from earlyhelp._tables import SCHEMAS
from earlyhelp._windows import MonthWindow

__version__ = "0.1.0.dev0"

__all__ = [
    "GRADING_SCALES",
    "SCHEMAS",
    "Answer",
    "AuditGrade",
    "CaseFileAudit",
    "Child",
    "ChildPopulation",
    "City",
    "ClosureReason",
    "Column",
    "Dataset",
    "EarlyHelpAssessment",
    "EarlyHelpCase",
    "Family",
    "FinancialYear",
    "Grade",
    "GradingScale",
    "Kind",
    "LevelOfNeed",
    "LoadError",
    "LoadReport",
    "Locality",
    "MonthWindow",
    "NeetRecord",
    "OnwardReferral",
    "OrgHierarchy",
    "Period",
    "Quarter",
    "ReadingStage",
    "RecordError",
    "Referral",
    "ReferralRoute",
    "Rejection",
    "RowRule",
    "SingleAssessment",
    "SocialCareEpisode",
    "SocialCareKind",
    "SpiderGraph",
    "SpiderReading",
    "SpiderScale",
    "SpiderScore",
    "StructureError",
    "SurveyResponse",
    "TableReport",
    "TableSchema",
    "Team",
    "YouthOffendingEpisode",
    "__version__",
    "add_months",
    "caseload_summary",
    "converter",
    "demo_path",
    "during_expr",
    "generate_demo",
    "is_open_at",
    "load",
    "open_at_expr",
    "parse_period",
    "quarters_between",
    "structure",
    "unstructure",
    "write_demo",
]
