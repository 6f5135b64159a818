"""The declaration of threshold levels and of the child-in-need-in-early-help rule.

What each level of need means as a service is set locally by each safeguarding
partnership's thresholds document, so it is profile data, as is the decision
table that classifies a referral from its recorded indicators.
"""

from __future__ import annotations

import attrs

from earlyhelp.errors import NotFoundError, TableError
from earlyhelp.profiles._dating import Citation, Effective
from earlyhelp.profiles._header import read_header
from earlyhelp.profiles._reading import Reader
from earlyhelp.profiles._registry import rule_family
from earlyhelp.rules._table import DecisionTable
from earlyhelp.rules._table_data import read_decision_table

__all__ = ["CinInEarlyHelpRule", "ThresholdRule"]


@rule_family(
    "threshold",
    summary="Threshold levels of need: a decision table from the needs recorded to a level 1 to 4.",
)
@attrs.frozen(kw_only=True)
class ThresholdRule:
    """One version of the threshold rule: a decision table and the level-to-service map.

    Attributes:
        rule_id: the version's stable id.
        effective: the referral dates it applies to.
        citation: the thresholds document.
        table: classifies recorded indicators into a level of need (its output).
        services: ``(level, service)`` pairs: what each level means locally.
    """

    rule_id: str
    effective: Effective
    citation: Citation
    table: DecisionTable
    services: tuple[tuple[int, str], ...]

    def service(self, level: int) -> str:
        """The local service for a level.

        Raises:
            NotFoundError: the profile names no service for that level.
        """
        for known, service in self.services:
            if known == level:
                return service
        raise NotFoundError(f"level {level}: no service is declared for this level")

    @classmethod
    def from_reader(cls, reader: Reader) -> ThresholdRule | None:
        """Read one version from profile data; ``None`` if it has problems."""
        header = read_header(reader)
        services: list[tuple[int, str]] = []
        mapping = reader.child("services")
        if mapping is not None:
            for key in mapping.data:
                text = mapping.text(str(key))
                if not str(key).isdigit() or not 1 <= int(key) <= 4:
                    mapping.problem(str(key), "expected a level of need from 1 to 4")
                elif text is not None:
                    services.append((int(key), text))
            mapping.finish()
        table = None
        data = reader.raw("table")
        if data is not None:
            try:
                table = read_decision_table(data, source=reader.source, key=f"{reader.path}.table")
            except TableError as exc:
                _record_table_problems(reader, exc)
        reader.finish()
        if header is None or table is None or mapping is None:
            return None
        return cls(**header, table=table, services=tuple(sorted(services)))


def _record_table_problems(reader: Reader, exc: TableError) -> None:
    """Add a table's problems to the profile's, each once with its key path."""
    prefix = f"{reader.source}: "
    where = exc.where.removeprefix(prefix) if exc.where != reader.source else ""
    for problem in exc.problems:
        if where:
            reader.problems.append((where, problem))
        else:  # the problem starts with its own key path
            path, _, message = problem.partition(": ")
            reader.problems.append((path, message))


@rule_family(
    "cin_in_early_help",
    summary="Whether a child in need (level 3) may be held in early help, and on what conditions.",
)
@attrs.frozen(kw_only=True)
class CinInEarlyHelpRule:
    """One version of the rule on holding a child in need case in early help.

    Under Working Together 2015 a child in need case may be held in an early
    help team only once a single assessment is complete; ``requires_qualified_social_worker``
    says whether that assessment must be by a qualified social worker.
    """

    rule_id: str
    effective: Effective
    citation: Citation
    requires_qualified_social_worker: bool = True

    @classmethod
    def from_reader(cls, reader: Reader) -> CinInEarlyHelpRule | None:
        """Read one version from profile data; ``None`` if it has problems."""
        header = read_header(reader)
        qsw = reader.boolean("requires_qualified_social_worker", True)
        reader.finish()
        if header is None or qsw is None:
            return None
        return cls(**header, requires_qualified_social_worker=qsw)
