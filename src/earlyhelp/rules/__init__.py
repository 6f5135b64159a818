"""The rule engine: each rule family defined once, answered per record and in bulk.

Threshold levels, re-referrals, escalation, child in need in early help, prior
early help and data quality. Per record, a :class:`Decision` explains itself.
"""

from earlyhelp.rules._cin_in_early_help import (
    flag_cin_allowed_in_early_help,
    is_cin_allowed_in_early_help,
)
from earlyhelp.rules._conditions import Condition, Domain, Input, Row
from earlyhelp.rules._decision import DECISION_FORMAT, Decision, Fact, Step
from earlyhelp.rules._escalation import flag_step_downs, flag_step_ups, is_step_down, is_step_up
from earlyhelp.rules._escalation_rule import EscalationRule
from earlyhelp.rules._evidence import EXPLANATION, Rendering, decide, decisions, explain
from earlyhelp.rules._prior_rule import PriorEarlyHelpRule
from earlyhelp.rules._quality import EXCEPTION_SCHEMA, QUALITY_RULES, QualityReport, check_quality
from earlyhelp.rules._quality_checks import CheckInputs, QualityRule, Severity
from earlyhelp.rules._quality_settings import QualitySettings
from earlyhelp.rules._rereferral import flag_rereferrals, is_rereferral, matched_id
from earlyhelp.rules._rereferral_history import RereferralHistory
from earlyhelp.rules._rereferral_rule import (
    Anchor,
    MatchOn,
    PlacedBy,
    RateDenominator,
    RereferralRule,
)
from earlyhelp.rules._table import MAX_COMBINATIONS, DecisionTable, HitPolicy, TableResult
from earlyhelp.rules._table_data import read_decision_table
from earlyhelp.rules._threshold_rule import CinInEarlyHelpRule, ThresholdRule
from earlyhelp.rules._thresholds import classify, flag_levels

__all__ = [
    "DECISION_FORMAT",
    "EXCEPTION_SCHEMA",
    "EXPLANATION",
    "MAX_COMBINATIONS",
    "QUALITY_RULES",
    "Anchor",
    "CheckInputs",
    "CinInEarlyHelpRule",
    "Condition",
    "Decision",
    "DecisionTable",
    "Domain",
    "EscalationRule",
    "Fact",
    "HitPolicy",
    "Input",
    "MatchOn",
    "PlacedBy",
    "PriorEarlyHelpRule",
    "QualityReport",
    "QualityRule",
    "QualitySettings",
    "RateDenominator",
    "Rendering",
    "RereferralHistory",
    "RereferralRule",
    "Row",
    "Severity",
    "Step",
    "TableResult",
    "ThresholdRule",
    "check_quality",
    "classify",
    "decide",
    "decisions",
    "explain",
    "flag_cin_allowed_in_early_help",
    "flag_levels",
    "flag_rereferrals",
    "flag_step_downs",
    "flag_step_ups",
    "is_cin_allowed_in_early_help",
    "is_rereferral",
    "is_step_down",
    "is_step_up",
    "matched_id",
    "read_decision_table",
]
