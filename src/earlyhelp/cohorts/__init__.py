"""Cohort analyses of early help before statutory services.

Prior early help before statutory starts, time to escalation, statutory flows,
missed-opportunity samples and team around the family.
"""

from earlyhelp.cohorts._escalation_time import EscalationCurves, EscalationPoint, time_to_escalation
from earlyhelp.cohorts._flows import StatutoryFlows, statutory_flows
from earlyhelp.cohorts._prior import (
    PriorEarlyHelp,
    flag_preceded_by_early_help,
    is_preceded_by_early_help,
    prior_early_help,
)
from earlyhelp.cohorts._sample import AuditSample, missed_opportunity_sample
from earlyhelp.cohorts._team_around import lead_professional_overlaps, team_around_family

__all__ = [
    "AuditSample",
    "EscalationCurves",
    "EscalationPoint",
    "PriorEarlyHelp",
    "StatutoryFlows",
    "flag_preceded_by_early_help",
    "is_preceded_by_early_help",
    "lead_professional_overlaps",
    "missed_opportunity_sample",
    "prior_early_help",
    "statutory_flows",
    "team_around_family",
    "time_to_escalation",
]
