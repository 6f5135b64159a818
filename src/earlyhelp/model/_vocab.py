"""Closed vocabularies of the domain model.

Each enum's values are the codes used in input tables and in serialised JSON.
"""

from __future__ import annotations

import enum

__all__ = [
    "Answer",
    "ClosureReason",
    "Direction",
    "LevelOfNeed",
    "ReadingStage",
    "ReferralRoute",
    "SocialCareKind",
]


class ReferralRoute(enum.StrEnum):
    """How a referral arrived at early help."""

    VCM = "vcm"
    """Through a Vulnerable Children's Meeting."""
    OTHER = "other"
    """Through any other route."""


class LevelOfNeed(enum.IntEnum):
    """Threshold level of need, 1 (lowest) to 4 (highest).

    What each level means as a service is set by the local safeguarding
    partnership's thresholds document (profile data), not here. In the source
    city: 1 universal, 2 emerging needs (early help), 3 complex needs (child in
    need), 4 acute (child protection, child in care).
    """

    LEVEL_1 = 1
    LEVEL_2 = 2
    LEVEL_3 = 3
    LEVEL_4 = 4


class ClosureReason(enum.StrEnum):
    """Why an early help case closed."""

    OUTCOMES_MET = "outcomes_met"
    ESCALATED_TO_SOCIAL_CARE = "escalated_to_social_care"
    STEPPED_DOWN_TO_UNIVERSAL = "stepped_down_to_universal"
    MOVED_AWAY = "moved_away"
    DISENGAGED_OR_DECLINED = "disengaged_or_declined"
    OTHER = "other"


class SocialCareKind(enum.StrEnum):
    """The kind of statutory social-care episode."""

    CHILD_IN_NEED = "cin"
    CHILD_PROTECTION_PLAN = "cp"
    CHILD_IN_CARE = "cic"


class Answer(enum.StrEnum):
    """An answer to a yes/no survey question."""

    YES = "yes"
    NO = "no"
    NOT_ANSWERED = "not_answered"


class ReadingStage(enum.StrEnum):
    """When a spider graph reading was taken."""

    START = "start"
    REVIEW = "review"
    END = "end"


class Direction(enum.StrEnum):
    """Whether a change is for the better, read through the measure's polarity."""

    IMPROVING = "improving"
    WORSENING = "worsening"
    NO_CHANGE = "no_change"
    NOT_APPLICABLE = "not_applicable"
    """The measure is neutral, or the change is missing."""
