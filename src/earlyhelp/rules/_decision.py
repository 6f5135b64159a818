"""Decisions that explain themselves: the outcome and a trace of every rule considered.

A :class:`Decision` names the record it judged by id only, the date that chose
the rules in force, each rule considered with the inputs it read, the parameter
values it used with their effective dates, whether it fired and why, and the
policy text it cites. ``str(decision)`` is plain English a social worker can read;
:meth:`Decision.to_json` is a versioned JSON shape for audit logs.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar, Final

import attrs
import pendulum

from earlyhelp.errors import ConversionError
from earlyhelp.model._base import to_date, to_tuple
from earlyhelp.model._convert import structure, unstructure
from earlyhelp.periods._dates import uk_date
from earlyhelp.profiles._dating import Citation, Effective

__all__ = ["DECISION_FORMAT", "Decision", "Fact", "Step"]

DECISION_FORMAT: Final = "earlyhelp.decision/1"
"""The version of the JSON shape written by :meth:`Decision.to_json`."""

Outcome = str | int | bool | None


@attrs.frozen(kw_only=True)
class Fact:
    """A named value a rule read or used, as text (never personal data)."""

    name: str
    value: str

    def __str__(self) -> str:
        return f"{self.name} = {self.value}"


@attrs.frozen(kw_only=True)
class Step:
    """One rule considered in reaching a decision.

    Attributes:
        rule_id: the rule version's stable id, e.g. ``"RR-3M"``.
        effective: the days that version is in force.
        citation: the policy text it encodes.
        inputs: what it read from the records.
        parameters: the parameter values it used (from the same version).
        fired: whether its condition held.
        reason: why, in words.
    """

    rule_id: str
    effective: Effective
    citation: Citation
    inputs: tuple[Fact, ...] = attrs.field(default=(), converter=to_tuple)
    parameters: tuple[Fact, ...] = attrs.field(default=(), converter=to_tuple)
    fired: bool
    reason: str

    def explain(self) -> str:
        """The step in words, with its citation."""
        verdict = "applies" if self.fired else "does not apply"
        lines = [f"rule {self.rule_id} {verdict}: {self.reason}"]
        if self.inputs:
            lines.append("  read: " + "; ".join(map(str, self.inputs)))
        if self.parameters:
            lines.append(
                "  using: " + "; ".join(map(str, self.parameters)) + f" (in force {self.effective})"
            )
        lines.append(f"  source: {self.citation}")
        return "\n".join(lines)


@attrs.frozen(kw_only=True)
class Decision:
    """The outcome of a question about one record, with the trace that explains it.

    Attributes:
        question: what was asked, e.g. ``"re-referral"``.
        subject: the record judged, by kind and id, e.g. ``"referral R-7"``.
        as_of: the record's own date, which chose the rules in force.
        profile: the profile whose rules were applied.
        outcome: the answer; ``None`` when no rule was in force (lenient profiles).
        summary: the answer in one line of plain English.
        steps: every rule considered, in order.

    Example:
        >>> import datetime as dt
        >>> step = Step(
        ...     rule_id="ESC-1", effective=Effective(start=dt.date(2014, 4, 1)),
        ...     citation=Citation(document="Derby early help performance framework 2014-15"),
        ...     inputs=(Fact(name="closure_reason", value="escalated_to_social_care"),),
        ...     parameters=(Fact(name="step_up_reasons", value="escalated_to_social_care"),),
        ...     fired=True, reason="closed as escalated_to_social_care on 15/12/2014",
        ... )
        >>> decision = Decision(
        ...     question="step-up", subject="case C-1", as_of=dt.date(2014, 12, 15),
        ...     profile="derby-2014-15", outcome=True,
        ...     summary="Step-up: case C-1 closed to social care on 15/12/2014", steps=(step,),
        ... )
        >>> print(decision)
        Step-up: case C-1 closed to social care on 15/12/2014
        Decided on 15/12/2014 under profile derby-2014-15:
        - rule ESC-1 applies: closed as escalated_to_social_care on 15/12/2014
          read: closure_reason = escalated_to_social_care
          using: step_up_reasons = escalated_to_social_care (in force from 01/04/2014)
          source: Derby early help performance framework 2014-15
        >>> Decision.from_json(decision.to_json()) == decision
        True
    """

    FORMAT: ClassVar[str] = DECISION_FORMAT

    question: str
    subject: str
    as_of: pendulum.Date = attrs.field(converter=to_date)
    profile: str
    outcome: Outcome
    summary: str
    steps: tuple[Step, ...] = attrs.field(default=(), converter=to_tuple)

    @property
    def fired_rules(self) -> tuple[str, ...]:
        """The ids of the rules that applied."""
        return tuple(step.rule_id for step in self.steps if step.fired)

    def __str__(self) -> str:
        lines = [self.summary, f"Decided on {uk_date(self.as_of)} under profile {self.profile}:"]
        for step in self.steps:
            body = step.explain().splitlines()
            lines.append(f"- {body[0]}")
            lines.extend(body[1:])
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Plain data in the versioned shape ``earlyhelp.decision/1``."""
        return {"format": DECISION_FORMAT, **unstructure(self)}

    def to_json(self) -> str:
        """The decision as JSON, in the versioned shape ``earlyhelp.decision/1``."""
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Decision:
        """Read a decision written by :meth:`to_json`.

        Raises:
            ConversionError: the JSON is not in a shape this version reads.
        """
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != DECISION_FORMAT:
            msg = f"expected a decision in format {DECISION_FORMAT}"
            raise ConversionError(msg)
        return structure({k: v for k, v in data.items() if k != "format"}, cls)
