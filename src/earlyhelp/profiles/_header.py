"""What every rule version declares: a stable id, the dates it is in force, a citation."""

from __future__ import annotations

from typing import Any

from earlyhelp.profiles._dating import Citation, Effective
from earlyhelp.profiles._reading import Reader

__all__ = ["read_header"]


def read_header(reader: Reader) -> dict[str, Any] | None:
    """Read ``id``, ``effective_from``, ``effective_to`` and ``citation``.

    Returns:
        ``rule_id``, ``effective`` and ``citation`` keyword arguments for a rule
        version class, or ``None`` if any of them is unreadable (the problems are
        recorded on the reader).
    """
    rule_id = reader.text("id")
    start = reader.date("effective_from")
    end = reader.date("effective_to", None)
    citation = None
    cited = reader.child("citation")
    if cited is not None:
        document = cited.text("document")
        section = cited.text("section", None)
        cited.finish()
        if document is not None:
            citation = Citation(document=document, section=section)
    if start is not None and end is not None and end < start:
        reader.problem("effective_to", "must not be before effective_from")
        return None
    if rule_id is None or start is None or citation is None:
        return None
    return {"rule_id": rule_id, "effective": Effective(start=start, end=end), "citation": citation}
