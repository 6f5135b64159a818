"""The declaration of How Was It For You survey percentages: who is in the denominator."""

from __future__ import annotations

import attrs

from earlyhelp.profiles._dating import Citation, Effective
from earlyhelp.profiles._header import read_header
from earlyhelp.profiles._reading import Reader
from earlyhelp.profiles._registry import rule_family

__all__ = ["SurveyRule"]


@rule_family(
    "survey",
    summary="Surveys: whether forms with a question not answered count in its denominator.",
)
@attrs.frozen(kw_only=True)
class SurveyRule:
    """One version of the survey rule.

    Attributes:
        rule_id: the version's stable id.
        effective: the dates of receipt it applies to.
        citation: the definition it encodes.
        not_answered_in_denominator: whether a form that leaves a question
            unanswered counts in that question's denominator (``True``: the
            percentage is of all forms received; ``False``: of forms that
            answered yes or no).
    """

    rule_id: str
    effective: Effective
    citation: Citation
    not_answered_in_denominator: bool

    @classmethod
    def from_reader(cls, reader: Reader) -> SurveyRule | None:
        """Read one version from profile data; ``None`` if it has problems."""
        header = read_header(reader)
        counted = reader.boolean("not_answered_in_denominator")
        reader.finish()
        if header is None or counted is None:
            return None
        return cls(**header, not_answered_in_denominator=counted)
