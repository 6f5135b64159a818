"""Profiles: one council's bundle of dated rules and parameters, as an editable file.

A profile is a TOML (or YAML) file a council can copy and edit. It is read
strictly: every problem is reported with the file, the key path and what was
expected, and a misspelt key is an error. The rule families a
profile may declare are registered by the layers that use them (see
:mod:`earlyhelp.profiles`' registry); ``earlyhelp`` ships profiles as data files
(:func:`profile_names`).
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import os
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final, TypeVar, overload

import attrs

from earlyhelp.errors import ProfileError
from earlyhelp.profiles._dating import OnMissing, in_force
from earlyhelp.profiles._framework import Names
from earlyhelp.profiles._mapping import MappingSpec
from earlyhelp.profiles._privacy import PrivacySpec
from earlyhelp.profiles._reading import (
    MAX_DEPTH,
    MAX_PROFILE_BYTES,
    Reader,
    check_depth,
    flow_depth,
)
from earlyhelp.profiles._registry import family_of, rule_families

__all__ = ["Profile", "load_profile", "profile_from_data", "profile_names"]

R = TypeVar("R")

_SUFFIXES: Final = (".toml", ".yaml", ".yml")


def _in_family_order(rules: Sequence[Any]) -> tuple[Any, ...]:
    """Rules grouped by family in registry order, each family's versions as declared."""
    rank = {family.key: index for index, family in enumerate(rule_families())}
    return tuple(sorted(rules, key=lambda rule: rank[family_of(type(rule)).key]))


def _group(rules: tuple[Any, ...]) -> dict[str, tuple[Any, ...]]:
    grouped: dict[str, list[Any]] = {}
    for rule in rules:
        grouped.setdefault(family_of(type(rule)).key, []).append(rule)
    return {key: tuple(versions) for key, versions in grouped.items()}


@attrs.frozen(kw_only=True)
class Profile:
    """One council's rules and parameters: every version of every rule family it declares.

    A profile holds dated versions of the registered rule families (see
    :func:`~earlyhelp.profiles.rule_families`); :meth:`versions` gives one family's
    versions and :meth:`rule` the version in force on a record's own date.

    Attributes:
        profile_id: the profile's stable id, e.g. ``"derby-2014-15"``.
        title: its title, as the council words it.
        council: the council it belongs to, if any.
        on_missing: what happens when a record is dated where no version of a
            rule is in force.
        source: where it was read from, for messages.
        rules: every rule version, in the order declared.
        mapping: how the council's own export maps onto the input tables
            (the profile's ``[mapping]`` table: file names, headers, codes, defaults).
        names: what the council calls its area and the levels below it (the
            profile's ``[names]`` table).
        privacy: how much personal data to keep at load (the profile's
            ``[privacy]`` table: ``minimise = true``).

    Example:
        >>> import datetime as dt
        >>> from earlyhelp.rules import RereferralRule
        >>> derby = load_profile("derby-2014-15")
        >>> derby.profile_id, derby.on_missing.value
        ('derby-2014-15', 'strict')
        >>> rule = derby.rule(RereferralRule, dt.date(2014, 12, 1))
        >>> rule.rule_id, rule.window.months
        ('RR-3M', 3)
        >>> derby.rule("rereferral", dt.date(2014, 12, 1)) is rule
        True
    """

    profile_id: str
    title: str
    council: str | None = None
    on_missing: OnMissing = OnMissing.STRICT
    source: str = "<profile>"
    rules: tuple[Any, ...] = attrs.field(default=(), converter=_in_family_order)
    mapping: MappingSpec = attrs.field(factory=MappingSpec)
    names: Names = attrs.field(factory=Names)
    privacy: PrivacySpec = attrs.field(factory=PrivacySpec)
    _families: dict[str, tuple[Any, ...]] = attrs.field(
        init=False, eq=False, repr=False, hash=False
    )

    @_families.default
    def _grouped(self) -> dict[str, tuple[Any, ...]]:
        return _group(self.rules)

    @overload
    def versions(self, family: type[R]) -> tuple[R, ...]: ...
    @overload
    def versions(self, family: str) -> tuple[Any, ...]: ...
    def versions(self, family: type[Any] | str) -> tuple[Any, ...]:
        """Every version of one rule family, in the order declared.

        Args:
            family: the family's version class (e.g. ``RereferralRule``) or its
                profile key (e.g. ``"rereferral"``).

        Raises:
            ProfileError: no such family is registered.
        """
        return self._families.get(family_of(family).key, ())

    @overload
    def rule(self, family: type[R], day: dt.date) -> R | None: ...
    @overload
    def rule(self, family: str, day: dt.date) -> Any: ...
    def rule(self, family: type[Any] | str, day: dt.date) -> Any:
        """The version of a rule family in force on ``day``, or ``None``.

        Args:
            family: the family's version class or profile key (targets are
                chosen per measure: see ``target_for``).
            day: the record's own date.
        """
        return in_force(self.versions(family), day)

    def with_rules(self, family: type[Any] | str, versions: Sequence[Any]) -> Profile:
        """A copy whose versions of one family are ``versions`` (the rest kept).

        Example:
            >>> from earlyhelp.rules import RereferralRule
            >>> derby = load_profile("derby-2014-15")
            >>> derby.with_rules(RereferralRule, []).versions(RereferralRule)
            ()
        """
        key = family_of(family).key
        kept = tuple(rule for rule in self.rules if family_of(type(rule)).key != key)
        return attrs.evolve(self, rules=(*kept, *versions))


def profile_from_data(data: object, *, source: str) -> Profile:
    """Build a profile from parsed TOML or YAML data.

    Raises:
        ProfileError: listing every problem, each with its key path.
    """
    reader = Reader.top(source, data)
    head = reader.child("profile")
    profile_id = title = council = None
    on_missing = OnMissing.STRICT
    if head is not None:
        profile_id = head.text("id")
        title = head.text("title")
        council = head.text("council", None)
        on_missing = head.choice("on_missing_rule", OnMissing, OnMissing.STRICT)
        head.finish()
    mapping_reader = reader.child("mapping", required=False)
    mapping = MappingSpec() if mapping_reader is None else MappingSpec.from_reader(mapping_reader)
    names_reader = reader.child("names", required=False)
    names = Names() if names_reader is None else Names.from_reader(names_reader)
    privacy_reader = reader.child("privacy", required=False)
    privacy = PrivacySpec() if privacy_reader is None else PrivacySpec.from_reader(privacy_reader)
    rules: list[Any] = []
    # Families in the order the file declares them, so problems read top to bottom.
    order = {key: index for index, key in enumerate(reader.data)}
    for family in sorted(rule_families(), key=lambda f: order.get(f.key, len(order))):
        versions = [family.read(item) for item in reader.children(family.key)]
        kept = [v for v in versions if v is not None]
        for problem in family.check(kept):
            reader.problem(family.key, problem)
        rules.extend(kept)
    reader.finish()
    reader.raise_problems()
    if profile_id is None or title is None or on_missing is None:  # problems were raised above
        raise ProfileError(source, [("profile", "expected an id and a title")])
    return Profile(
        profile_id=profile_id,
        title=title,
        council=council,
        on_missing=on_missing,
        source=source,
        rules=tuple(rules),
        mapping=mapping,
        names=names,
        privacy=privacy,
    )


def _shipped() -> dict[str, Path]:
    folder = importlib.resources.files("earlyhelp") / "profiles"
    return {
        Path(str(item)).stem: Path(str(item))
        for item in folder.iterdir()
        if Path(str(item)).suffix in _SUFFIXES
    }


def profile_names() -> list[str]:
    """The names of the profiles shipped with ``earlyhelp``.

    Example:
        >>> profile_names()
        ['cin-census', 'derby-2014-15', 'derby-demo', 'northmoor']
    """
    return sorted(_shipped())


def _yaml_problem(exc: Exception) -> str:
    """What a YAML error says, on one line, with its place but without the file's text."""
    problem = getattr(exc, "problem", None) or type(exc).__name__
    mark = getattr(exc, "problem_mark", None)
    where = "" if mark is None else f" at line {mark.line + 1}, column {mark.column + 1}"
    return " ".join(f"{problem}{where}".split())


def _parse(path: Path) -> object:
    """The parsed data of a profile file, in bounded time and memory.

    Raises:
        ProfileError: the file is too large, not UTF-8, not valid TOML or YAML,
            or nested deeper than :data:`MAX_DEPTH`.
    """
    source = str(path)
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_PROFILE_BYTES + 1)
    except OSError as exc:
        raise ProfileError(source, [("", f"cannot be read ({exc.strerror})")]) from None
    if len(raw) > MAX_PROFILE_BYTES:
        raise ProfileError(source, [("", f"larger than {MAX_PROFILE_BYTES:,} bytes")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProfileError(source, [("", f"not UTF-8 text (at byte {exc.start:,})")]) from None
    if flow_depth(text) > MAX_DEPTH:
        raise ProfileError(source, [("", f"nested more than {MAX_DEPTH} levels deep")])
    is_toml = path.suffix.lower() == ".toml"
    kind = "TOML" if is_toml else "YAML"
    import yaml  # noqa: PLC0415 - only profiles need it

    try:
        data: object = tomllib.loads(text) if is_toml else yaml.safe_load(text)
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        problem = str(exc) if is_toml else _yaml_problem(exc)
        raise ProfileError(source, [("", f"not valid {kind} ({problem})")]) from None
    except RecursionError:
        raise ProfileError(source, [("", f"nested more than {MAX_DEPTH} levels deep")]) from None
    except ValueError:  # e.g. an integer of more than 4,300 digits
        raise ProfileError(source, [("", f"not valid {kind} (a value is too large)")]) from None
    check_depth(data, source=source)
    return data


_MAX_EXTENDS: Final = 4


def _extended(data: object, *, source: str, folder: Path | None, depth: int = 0) -> object:
    """A profile's data with its ``[profile] extends`` parent's folded in beneath it.

    The parent (a shipped profile's name, or a file relative to the child's
    folder) gives every top-level table the child does not: a family the child
    declares replaces the parent's versions of that family whole, and the
    child's ``[profile]`` keys replace the parent's one by one.
    """
    if not isinstance(data, dict):
        return data
    head = data.get("profile")
    if not isinstance(head, dict) or "extends" not in head:
        return data
    parent_name = head["extends"]
    if not isinstance(parent_name, str) or not parent_name.strip():
        raise ProfileError(source, [("profile.extends", "expected a profile's name or file")])
    if depth >= _MAX_EXTENDS:
        msg = f"extends profiles more than {_MAX_EXTENDS} deep (or in a loop)"
        raise ProfileError(source, [("profile.extends", msg)])
    shipped = _shipped()
    if parent_name in shipped:
        path = shipped[parent_name]
    else:
        path = Path(parent_name) if folder is None else folder / parent_name
        if path.suffix.lower() not in _SUFFIXES or not path.is_file():
            known = ", ".join(sorted(shipped))
            msg = f"{parent_name!r} is neither a shipped profile ({known}) nor a profile file"
            raise ProfileError(source, [("profile.extends", msg)])
    parent = _extended(_parse(path), source=str(path), folder=path.parent, depth=depth + 1)
    parent = parent if isinstance(parent, dict) else {}
    parent_head = parent.get("profile")
    own_head = {key: value for key, value in head.items() if key != "extends"}
    return {
        **parent,
        **{key: value for key, value in data.items() if key != "profile"},
        "profile": {**(parent_head if isinstance(parent_head, dict) else {}), **own_head},
    }


def load_profile(profile: str | os.PathLike[str] | Profile) -> Profile:
    """Load a profile by shipped name or from a TOML or YAML file.

    A profile may build on another: ``extends = "derby-2014-15"`` in its
    ``[profile]`` table (a shipped name, or a file beside it) takes every
    family and ``[mapping]`` it does not declare itself from that profile; a
    family it declares replaces the other's versions of that family whole.

    Args:
        profile: a shipped profile's name (see :func:`profile_names`), a path to
            a ``.toml``, ``.yaml`` or ``.yml`` file, or a loaded profile.

    Raises:
        ProfileError: the file is not valid; every problem is listed with its key path.

    Example:
        >>> load_profile("cin-census").title
        'Children in need census: re-referrals within 12 months of a previous referral'
    """
    if isinstance(profile, Profile):
        return profile
    shipped = _shipped()
    if isinstance(profile, str) and profile in shipped:
        path = shipped[profile]
        source = f"{profile} ({path.name})"
        data = _extended(_parse(path), source=source, folder=path.parent)
        return profile_from_data(data, source=source)
    path = Path(profile)
    if path.suffix.lower() not in _SUFFIXES:
        known = ", ".join(sorted(shipped))
        msg = f"unknown profile {str(profile)!r}; expected one of {known}, or a .toml or .yaml file"
        raise ProfileError(str(profile), [("", msg)])
    if not path.is_file():
        raise ProfileError(str(path), [("", "no such file")])
    data = _extended(_parse(path), source=str(path), folder=path.parent)
    return profile_from_data(data, source=str(path))
