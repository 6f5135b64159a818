"""The declaration of a spider graph's direction of travel: which rule decides it."""

from __future__ import annotations

import enum

import attrs

from earlyhelp.profiles._dating import Citation, Effective
from earlyhelp.profiles._header import read_header
from earlyhelp.profiles._reading import Reader
from earlyhelp.profiles._registry import rule_family

__all__ = ["DirectionRule", "SpiderRule"]


class DirectionRule(enum.StrEnum):
    """How the change from the start reading to the latest decides the direction.

    Each scale's change is oriented so that a positive change is better: latest
    minus start where a higher score is better, start minus latest where lower is.
    """

    TOTAL_SCORE = "total_score"
    """Improving when the oriented changes add up to more than 0, worsening below 0."""
    SCALES_IMPROVED = "scales_improved"
    """Improving when more scales improved than worsened, worsening when fewer."""


@rule_family(
    "spider",
    summary="Spider graphs: which reading is compared with the start, and which direction is better.",
)
@attrs.frozen(kw_only=True)
class SpiderRule:
    """One version of the spider graph rule.

    A tie (a total change of 0, or as many scales improved as worsened) is
    always *no change*: neither improving nor worsening.

    Attributes:
        rule_id: the version's stable id.
        effective: the dates of the latest reading it applies to.
        citation: the definition it encodes.
        direction: the :class:`DirectionRule`.
    """

    rule_id: str
    effective: Effective
    citation: Citation
    direction: DirectionRule

    @classmethod
    def from_reader(cls, reader: Reader) -> SpiderRule | None:
        """Read one version from profile data; ``None`` if it has problems."""
        header = read_header(reader)
        direction = reader.choice("direction", DirectionRule)
        reader.finish()
        if header is None or direction is None:
            return None
        return cls(**header, direction=direction)
