"""The declaration of escalation: which closure reasons count as step-up and step-down."""

from __future__ import annotations

import attrs

from earlyhelp.model._vocab import ClosureReason
from earlyhelp.profiles._dating import Citation, Effective
from earlyhelp.profiles._header import read_header
from earlyhelp.profiles._reading import Reader
from earlyhelp.profiles._registry import rule_family

__all__ = ["EscalationRule"]


@rule_family(
    "escalation",
    summary="Escalation: the closure reasons that count as a step-up to social care and a step-down to early help.",
)
@attrs.frozen(kw_only=True)
class EscalationRule:
    """One version of the escalation rule.

    Attributes:
        rule_id: the version's stable id.
        effective: the closure dates it applies to.
        citation: the definition it encodes.
        step_up: early help closure reasons that mean the case moved up to
            social care (counted as escalations).
        step_down: social-care episode end reasons that mean the case was closed
            to early help.
    """

    rule_id: str
    effective: Effective
    citation: Citation
    step_up: tuple[str, ...]
    step_down: tuple[str, ...] = ()

    @classmethod
    def from_reader(cls, reader: Reader) -> EscalationRule | None:
        """Read one version from profile data; ``None`` if it has problems."""
        header = read_header(reader)
        step_up = reader.texts("step_up")
        step_down = reader.texts("step_down", ())
        reader.finish()
        known = {reason.value for reason in ClosureReason}
        for reason in step_up or ():
            if reason not in known:
                reader.problem(
                    "step_up",
                    f"unknown closure reason {reason!r}; expected "
                    f"some of {', '.join(sorted(known))}",
                )
                return None
        if header is None or step_up is None or step_down is None:
            return None
        return cls(**header, step_up=step_up, step_down=step_down)
