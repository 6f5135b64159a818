"""The typed domain classes, serialised with one strict cattrs converter.

Frozen, validated attrs classes for families, children, referrals, cases,
assessments, spider graphs, surveys, audits, NEET records and the team ->
locality -> city hierarchy.
"""

from earlyhelp.model._assessments import EarlyHelpAssessment, SingleAssessment
from earlyhelp.model._audit import GRADING_SCALES, AuditGrade, CaseFileAudit, Grade, GradingScale
from earlyhelp.model._casework import EarlyHelpCase, OnwardReferral, Referral
from earlyhelp.model._centres import CentreInspection, ChildrensCentre, OfstedJudgement
from earlyhelp.model._characteristics import Characteristic, PersonCharacteristic
from earlyhelp.model._convert import converter, structure, unstructure
from earlyhelp.model._neet import ChildPopulation, NeetRecord
from earlyhelp.model._org import City, Locality, OrgHierarchy, Team
from earlyhelp.model._people import Child, Family
from earlyhelp.model._spider import SpiderGraph, SpiderReading, SpiderScale, SpiderScore
from earlyhelp.model._statutory import SocialCareEpisode, YouthOffendingEpisode
from earlyhelp.model._survey import SurveyResponse
from earlyhelp.model._tac import TacRole, TeamAroundFamilyInvolvement
from earlyhelp.model._vocab import (
    Answer,
    ClosureReason,
    Direction,
    LevelOfNeed,
    ReadingStage,
    ReferralRoute,
    SocialCareKind,
)

__all__ = [
    "GRADING_SCALES",
    "Answer",
    "AuditGrade",
    "CaseFileAudit",
    "CentreInspection",
    "Characteristic",
    "Child",
    "ChildPopulation",
    "ChildrensCentre",
    "City",
    "ClosureReason",
    "Direction",
    "EarlyHelpAssessment",
    "EarlyHelpCase",
    "Family",
    "Grade",
    "GradingScale",
    "LevelOfNeed",
    "Locality",
    "NeetRecord",
    "OfstedJudgement",
    "OnwardReferral",
    "OrgHierarchy",
    "PersonCharacteristic",
    "ReadingStage",
    "Referral",
    "ReferralRoute",
    "SingleAssessment",
    "SocialCareEpisode",
    "SocialCareKind",
    "SpiderGraph",
    "SpiderReading",
    "SpiderScale",
    "SpiderScore",
    "SurveyResponse",
    "TacRole",
    "Team",
    "TeamAroundFamilyInvolvement",
    "YouthOffendingEpisode",
    "converter",
    "structure",
    "unstructure",
]
