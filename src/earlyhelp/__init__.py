"""earlyhelp: measure what English councils' early help services achieve.

The public API is everything in ``__all__``; modules whose names start with an
underscore are private and may change without notice.
"""

from earlyhelp._cohorts._escalation_time import (
    EscalationCurves,
    EscalationPoint,
    time_to_escalation,
)
from earlyhelp._cohorts._flows import StatutoryFlows, statutory_flows
from earlyhelp._cohorts._prior import PriorEarlyHelp, prior_early_help
from earlyhelp._cohorts._prior_explain import explain_prior_early_help
from earlyhelp._cohorts._sample import AuditSample, missed_opportunity_sample
from earlyhelp._cohorts._team_around import team_around_family
from earlyhelp._convert import StructureError, converter, structure, unstructure
from earlyhelp._dataset import Dataset, load
from earlyhelp._dates import add_months
from earlyhelp._demo import demo_path, generate_demo, write_demo
from earlyhelp._instruments._audit import (
    AuditCompletion,
    audit_completion,
    audit_completion_of,
    good_or_better,
    grade_counts_of,
    grade_distribution,
    grade_threshold,
)
from earlyhelp._instruments._audit_ranking import (
    Ranked,
    RankKind,
    RoundChange,
    compare_rounds,
    rank_measures,
)
from earlyhelp._instruments._audit_rebuild import audit_rounds, audit_tables, audits_from_tables
from earlyhelp._instruments._centres import judgement_counts, judgement_counts_of
from earlyhelp._instruments._heatmap import audit_heatmap
from earlyhelp._instruments._neet import (
    NeetFigures,
    NeetProgress,
    neet_cohort_members,
    neet_figures,
    neet_figures_of,
    neet_progress,
)
from earlyhelp._instruments._neet_codes import (
    ActivityCategory,
    activity_category,
    activity_codes,
    with_category,
)
from earlyhelp._instruments._neet_cohort import (
    NEET_COHORT_DEFINITIONS,
    NeetCohortDefinition,
    NeetDenominator,
    NeetTargets,
    academic_age,
    academic_age_expr,
    academic_year_start,
    neet_cohort_definition,
)
from earlyhelp._instruments._neet_groups import VulnerableGroup, neet_by_group
from earlyhelp._instruments._radar import cohort_averages, cohort_radar, spider_radar
from earlyhelp._instruments._spider import (
    DistanceTravelled,
    ScaleChange,
    distance_travelled,
    improving_rate,
)
from earlyhelp._instruments._spider_bulk import spider_directions
from earlyhelp._instruments._spider_rule import DirectionRule, SpiderRule
from earlyhelp._instruments._survey_rule import SurveyRule
from earlyhelp._instruments._surveys import (
    SurveyQuestion,
    SurveyTally,
    flag_survey_answers,
    tally_survey,
)
from earlyhelp._instruments._themes import (
    CodedComment,
    ThemeCoding,
    code_comments,
    code_survey_comments,
    count_themes,
    theme_shares,
    untagged_comments,
)
from earlyhelp._instruments._themes_rule import Theme, ThemeDictionary, ThemeKind
from earlyhelp._measures._catalogue import (
    CATALOGUE,
    Basis,
    Element,
    Level,
    Measure,
    Part,
    Unit,
    measure,
    register,
)
from earlyhelp._measures._compute import compute, expand_periods
from earlyhelp._measures._context import MeasureContext
from earlyhelp._measures._disclosure import present, publish
from earlyhelp._measures._disclosure_policy import SYMBOLS, Disclosure, DisclosurePolicy, Symbol
from earlyhelp._measures._polarity import Polarity
from earlyhelp._measures._presentation_settings import PresentationSettings
from earlyhelp._measures._rag import Rag, rag, rag_for
from earlyhelp._measures._results import CITY, Missing, Result, Results
from earlyhelp._measures._returns import ReturnsError, roll_up_returns
from earlyhelp._measures._rounding import Rounding, RoundingPolicy
from earlyhelp._measures._targets import Comparison, Target, target_for
from earlyhelp._measures._trend import (
    Change,
    Direction,
    change,
    direction,
    over_year,
    quarter_on_quarter,
    within_year,
    year_on_year,
    year_total_change,
)
from earlyhelp._measures._trend_frame import changes
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
from earlyhelp._model._centres import CentreInspection, ChildrensCentre, OfstedJudgement
from earlyhelp._model._characteristics import Characteristic, PersonCharacteristic
from earlyhelp._model._neet import ChildPopulation, NeetRecord
from earlyhelp._model._org import City, Locality, OrgHierarchy, Team
from earlyhelp._model._people import Child, Family
from earlyhelp._model._spider import SpiderGraph, SpiderReading, SpiderScale, SpiderScore
from earlyhelp._model._statutory import SocialCareEpisode, YouthOffendingEpisode
from earlyhelp._model._survey import SurveyResponse
from earlyhelp._model._tac import TacRole, TeamAroundFamilyInvolvement
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
from earlyhelp._publish._annual import build_annual_report
from earlyhelp._publish._charts import bar_chart, heatmap_chart, line_chart
from earlyhelp._publish._document import Chart, Paragraph, Report, ReportTable, Section
from earlyhelp._publish._render import render_html, render_markdown, write_html, write_markdown
from earlyhelp._publish._workbook import write_xlsx
from earlyhelp._readers import LoadError
from earlyhelp._report import LoadReport, Rejection, TableReport
from earlyhelp._reproduction._figure import Figure
from earlyhelp._reproduction._quarterly import source_report_returns
from earlyhelp._reproduction._report import reproduce_source_report
from earlyhelp._rules._cin_in_early_help import (
    flag_cin_in_early_help,
    may_hold_cin_in_early_help,
)
from earlyhelp._rules._conditions import Condition, Domain, Input, Row
from earlyhelp._rules._dating import Citation, Effective, NoRuleInForceError, OnMissing
from earlyhelp._rules._decision import Decision, Fact, Step
from earlyhelp._rules._escalation import (
    flag_step_downs,
    flag_step_ups,
    is_step_down,
    is_step_up,
)
from earlyhelp._rules._escalation_rule import EscalationRule
from earlyhelp._rules._profile import Profile, load_profile, profile_names
from earlyhelp._rules._quality import QUALITY_RULES, QualityReport, check_quality
from earlyhelp._rules._quality_checks import QualityRule, Severity
from earlyhelp._rules._quality_settings import QualitySettings
from earlyhelp._rules._reading import ProfileError
from earlyhelp._rules._rereferral import flag_rereferrals, is_rereferral, matched_id
from earlyhelp._rules._rereferral_history import RereferralHistory
from earlyhelp._rules._rereferral_rule import Anchor, MatchOn, RereferralRule
from earlyhelp._rules._table import DecisionTable, HitPolicy, TableError, TableResult
from earlyhelp._rules._threshold_rule import CinInEarlyHelpRule, ThresholdRule
from earlyhelp._rules._thresholds import classify, classify_frame
from earlyhelp._schema import Column, Kind, RowRule, TableSchema
from earlyhelp._summary import caseload_summary
from earlyhelp._tables import SCHEMAS
from earlyhelp._windows import MonthWindow

__version__ = "0.1.0.dev0"

__all__ = [
    "CATALOGUE",
    "CITY",
    "GRADING_SCALES",
    "NEET_COHORT_DEFINITIONS",
    "QUALITY_RULES",
    "SCHEMAS",
    "SYMBOLS",
    "ActivityCategory",
    "Anchor",
    "Answer",
    "AuditCompletion",
    "AuditGrade",
    "AuditSample",
    "Basis",
    "CaseFileAudit",
    "CentreInspection",
    "Change",
    "Characteristic",
    "Chart",
    "Child",
    "ChildPopulation",
    "ChildrensCentre",
    "CinInEarlyHelpRule",
    "Citation",
    "City",
    "ClosureReason",
    "CodedComment",
    "Column",
    "Comparison",
    "Condition",
    "Dataset",
    "Decision",
    "DecisionTable",
    "Direction",
    "DirectionRule",
    "Disclosure",
    "DisclosurePolicy",
    "DistanceTravelled",
    "Domain",
    "EarlyHelpAssessment",
    "EarlyHelpCase",
    "Effective",
    "Element",
    "EscalationCurves",
    "EscalationPoint",
    "EscalationRule",
    "Fact",
    "Family",
    "Figure",
    "FinancialYear",
    "Grade",
    "GradingScale",
    "HitPolicy",
    "Input",
    "Kind",
    "Level",
    "LevelOfNeed",
    "LoadError",
    "LoadReport",
    "Locality",
    "MatchOn",
    "Measure",
    "MeasureContext",
    "Missing",
    "MonthWindow",
    "NeetCohortDefinition",
    "NeetDenominator",
    "NeetFigures",
    "NeetProgress",
    "NeetRecord",
    "NeetTargets",
    "NoRuleInForceError",
    "OfstedJudgement",
    "OnMissing",
    "OnwardReferral",
    "OrgHierarchy",
    "Paragraph",
    "Part",
    "Period",
    "PersonCharacteristic",
    "Polarity",
    "PresentationSettings",
    "PriorEarlyHelp",
    "Profile",
    "ProfileError",
    "QualityReport",
    "QualityRule",
    "QualitySettings",
    "Quarter",
    "Rag",
    "RankKind",
    "Ranked",
    "ReadingStage",
    "RecordError",
    "Referral",
    "ReferralRoute",
    "Rejection",
    "Report",
    "ReportTable",
    "RereferralHistory",
    "RereferralRule",
    "Result",
    "Results",
    "ReturnsError",
    "RoundChange",
    "Rounding",
    "RoundingPolicy",
    "Row",
    "RowRule",
    "ScaleChange",
    "Section",
    "Severity",
    "SingleAssessment",
    "SocialCareEpisode",
    "SocialCareKind",
    "SpiderGraph",
    "SpiderReading",
    "SpiderRule",
    "SpiderScale",
    "SpiderScore",
    "StatutoryFlows",
    "Step",
    "StructureError",
    "SurveyQuestion",
    "SurveyResponse",
    "SurveyRule",
    "SurveyTally",
    "Symbol",
    "TableError",
    "TableReport",
    "TableResult",
    "TableSchema",
    "TacRole",
    "Target",
    "Team",
    "TeamAroundFamilyInvolvement",
    "Theme",
    "ThemeCoding",
    "ThemeDictionary",
    "ThemeKind",
    "ThresholdRule",
    "Unit",
    "VulnerableGroup",
    "YouthOffendingEpisode",
    "__version__",
    "academic_age",
    "academic_age_expr",
    "academic_year_start",
    "activity_category",
    "activity_codes",
    "add_months",
    "audit_completion",
    "audit_completion_of",
    "audit_heatmap",
    "audit_rounds",
    "audit_tables",
    "audits_from_tables",
    "bar_chart",
    "build_annual_report",
    "caseload_summary",
    "change",
    "changes",
    "check_quality",
    "classify",
    "classify_frame",
    "code_comments",
    "code_survey_comments",
    "cohort_averages",
    "cohort_radar",
    "compare_rounds",
    "compute",
    "converter",
    "count_themes",
    "demo_path",
    "direction",
    "distance_travelled",
    "during_expr",
    "expand_periods",
    "explain_prior_early_help",
    "flag_cin_in_early_help",
    "flag_rereferrals",
    "flag_step_downs",
    "flag_step_ups",
    "flag_survey_answers",
    "generate_demo",
    "good_or_better",
    "grade_counts_of",
    "grade_distribution",
    "grade_threshold",
    "heatmap_chart",
    "improving_rate",
    "is_open_at",
    "is_rereferral",
    "is_step_down",
    "is_step_up",
    "judgement_counts",
    "judgement_counts_of",
    "line_chart",
    "load",
    "load_profile",
    "matched_id",
    "may_hold_cin_in_early_help",
    "measure",
    "missed_opportunity_sample",
    "neet_by_group",
    "neet_cohort_definition",
    "neet_cohort_members",
    "neet_figures",
    "neet_figures_of",
    "neet_progress",
    "open_at_expr",
    "over_year",
    "parse_period",
    "present",
    "prior_early_help",
    "profile_names",
    "publish",
    "quarter_on_quarter",
    "quarters_between",
    "rag",
    "rag_for",
    "rank_measures",
    "register",
    "render_html",
    "render_markdown",
    "reproduce_source_report",
    "roll_up_returns",
    "source_report_returns",
    "spider_directions",
    "spider_radar",
    "statutory_flows",
    "structure",
    "tally_survey",
    "target_for",
    "team_around_family",
    "theme_shares",
    "time_to_escalation",
    "unstructure",
    "untagged_comments",
    "with_category",
    "within_year",
    "write_demo",
    "write_html",
    "write_markdown",
    "write_xlsx",
    "year_on_year",
    "year_total_change",
]
