"""The declaration of escalation: which closure reasons count as step-up and step-down."""

from __future__ import annotations

import attrs

from earlyhelp._model._vocab import ClosureReason
from earlyhelp._rules._dating import Citation, Effective
from earlyhelp._rules._header import read_header
from earlyhelp._rules._reading import Reader

__all__ = ["EscalationRule"]


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
