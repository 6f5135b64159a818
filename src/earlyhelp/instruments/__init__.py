"""The instruments: spider graphs, surveys, case file audits, NEET and children's centres."""

from earlyhelp.instruments._audit import (
    AuditCompletion,
    audit_completion,
    audit_completion_of,
    good_or_better,
    grade_counts_of,
    grade_distribution,
    grade_threshold,
)
from earlyhelp.instruments._audit_ranking import (
    Ranked,
    RankKind,
    RoundChange,
    compare_rounds,
    rank_measures,
)
from earlyhelp.instruments._audit_rebuild import audit_rounds, audit_tables, audits_from_tables
from earlyhelp.instruments._centres import judgement_counts, judgement_counts_of
from earlyhelp.instruments._heatmap import audit_heatmap
from earlyhelp.instruments._neet import (
    NeetFigures,
    NeetProgress,
    neet_cohort_members,
    neet_figures,
    neet_figures_of,
    neet_progress,
)
from earlyhelp.instruments._neet_codes import (
    CODE_LIST_SOURCE,
    ActivityCategory,
    activity_category,
    activity_codes,
    with_category,
)
from earlyhelp.instruments._neet_cohort import (
    NEET_COHORT_DEFINITIONS,
    NeetCohortDefinition,
    NeetDenominator,
    NeetTargets,
    academic_age,
    academic_age_expr,
    academic_year_start,
    neet_cohort_definition,
)
from earlyhelp.instruments._neet_groups import VulnerableGroup, neet_by_group
from earlyhelp.instruments._radar import cohort_averages, cohort_radar, spider_radar
from earlyhelp.instruments._spider import (
    DistanceTravelled,
    ScaleChange,
    distance_travelled,
    improving_rate,
)
from earlyhelp.instruments._spider_bulk import spider_directions
from earlyhelp.instruments._spider_rule import DirectionRule, SpiderRule
from earlyhelp.instruments._survey_rule import SurveyRule
from earlyhelp.instruments._surveys import (
    SurveyQuestion,
    SurveyTally,
    flag_survey_answers,
    tally_survey,
)
from earlyhelp.instruments._themes import (
    CodedComment,
    ThemeCoding,
    code_comments,
    code_survey_comments,
    count_themes,
    theme_shares,
    untagged_comments,
)
from earlyhelp.instruments._themes_rule import Theme, ThemeDictionary, ThemeKind

__all__ = [
    "CODE_LIST_SOURCE",
    "NEET_COHORT_DEFINITIONS",
    "ActivityCategory",
    "AuditCompletion",
    "CodedComment",
    "DirectionRule",
    "DistanceTravelled",
    "NeetCohortDefinition",
    "NeetDenominator",
    "NeetFigures",
    "NeetProgress",
    "NeetTargets",
    "RankKind",
    "Ranked",
    "RoundChange",
    "ScaleChange",
    "SpiderRule",
    "SurveyQuestion",
    "SurveyRule",
    "SurveyTally",
    "Theme",
    "ThemeCoding",
    "ThemeDictionary",
    "ThemeKind",
    "VulnerableGroup",
    "academic_age",
    "academic_age_expr",
    "academic_year_start",
    "activity_category",
    "activity_codes",
    "audit_completion",
    "audit_completion_of",
    "audit_heatmap",
    "audit_rounds",
    "audit_tables",
    "audits_from_tables",
    "code_comments",
    "code_survey_comments",
    "cohort_averages",
    "cohort_radar",
    "compare_rounds",
    "count_themes",
    "distance_travelled",
    "flag_survey_answers",
    "good_or_better",
    "grade_counts_of",
    "grade_distribution",
    "grade_threshold",
    "improving_rate",
    "judgement_counts",
    "judgement_counts_of",
    "neet_by_group",
    "neet_cohort_definition",
    "neet_cohort_members",
    "neet_figures",
    "neet_figures_of",
    "neet_progress",
    "rank_measures",
    "spider_directions",
    "spider_radar",
    "tally_survey",
    "theme_shares",
    "untagged_comments",
    "with_category",
]
