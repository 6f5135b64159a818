"""The registry of rule families: what a profile may declare, and how each is read.

A *rule family* is one kind of dated rule a profile holds (re-referral windows,
escalation reasons, spider graph direction, targets, ...). Each family's
declaration class lives in the layer that uses it and registers itself here
with :func:`rule_family`, so the profile reader knows every family without
importing upward: ``earlyhelp.profiles`` sits below ``earlyhelp.rules``,
``earlyhelp.instruments`` and ``earlyhelp.measures``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import attrs

from earlyhelp.errors import ProfileError
from earlyhelp.profiles._dating import check_versions
from earlyhelp.profiles._reading import Reader

__all__ = ["RuleFamily", "family_of", "rule_families", "rule_family"]


R = TypeVar("R")
C = TypeVar("C", bound=type[Any])


@attrs.frozen(kw_only=True)
class RuleFamily(Generic[R]):
    """One kind of rule a profile may declare.

    Attributes:
        key: the profile's table name for it, e.g. ``"rereferral"`` for
            ``[[rereferral]]`` entries.
        rule_type: the class of one version.
        read: reads one version from a profile entry (``None`` when the entry
            had problems, which are recorded on the reader).
        check: problems across a family's versions (by default: two versions in
            force on the same day).
        summary: what the family declares, in a sentence, for the docs.
    """

    key: str
    rule_type: type[R]
    read: Callable[[Reader], R | None]
    check: Callable[[Sequence[R]], list[str]]
    summary: str


_FAMILIES: dict[str, RuleFamily[Any]] = {}
_BY_TYPE: dict[type[Any], RuleFamily[Any]] = {}


def rule_family(
    key: str,
    *,
    summary: str,
    check: Callable[[Sequence[Any]], list[str]] = check_versions,
) -> Callable[[C], C]:
    """A class decorator registering a rule family's version class.

    The class must have a ``from_reader(reader)`` class method. Registering the
    same key for a different class is an error.

    Example:
        >>> from earlyhelp.rules import RereferralRule
        >>> family_of(RereferralRule).key
        'rereferral'
    """

    def register(cls: C) -> C:
        family: RuleFamily[Any] = RuleFamily(
            key=key, rule_type=cls, read=cls.from_reader, check=check, summary=summary
        )
        known = _FAMILIES.get(key)
        if known is not None and known.rule_type is not cls:
            msg = "registered twice, by two different classes"
            raise ProfileError("rule family registry", [(key, msg)])
        _FAMILIES[key] = family
        _BY_TYPE[cls] = family
        return cls

    return register


def rule_families() -> tuple[RuleFamily[Any], ...]:
    """Every registered rule family, in registration order."""
    return tuple(_FAMILIES.values())


def family_of(rule: type[R] | str) -> RuleFamily[R]:
    """The family of a version class, or of a profile key.

    Raises:
        ProfileError: nothing is registered under that class or key.
    """
    found = _FAMILIES.get(rule) if isinstance(rule, str) else _BY_TYPE.get(rule)
    if found is None:
        name = rule if isinstance(rule, str) else rule.__name__
        known = ", ".join(_FAMILIES)
        raise ProfileError("<profile>", [("", f"no rule family {name!r}; registered: {known}")])
    return found
