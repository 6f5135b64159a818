"""Profiles: one council's bundle of dated rules and parameters, as an editable file.

A profile is a TOML (or YAML) file a council can copy and edit. It is read
strictly: every problem is reported with the file, the key path and what was
expected, and a misspelt key is an error. ``earlyhelp`` ships two profiles:
``derby-2014-15`` (the source city's framework) and ``cin-census`` (the national
children in need census definitions).
"""

from __future__ import annotations

import importlib.resources
import os
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final, TypeVar

import attrs

from earlyhelp._instruments._spider_rule import SpiderRule
from earlyhelp._instruments._survey_rule import SurveyRule
from earlyhelp._instruments._themes_rule import ThemeDictionary
from earlyhelp._measures._presentation_settings import PresentationSettings
from earlyhelp._measures._targets import Target, check_targets
from earlyhelp._rules._dating import OnMissing, check_versions
from earlyhelp._rules._escalation_rule import EscalationRule
from earlyhelp._rules._prior_rule import PriorEarlyHelpRule
from earlyhelp._rules._quality_settings import QualitySettings
from earlyhelp._rules._reading import (
    MAX_DEPTH,
    MAX_PROFILE_BYTES,
    ProfileError,
    Reader,
    check_depth,
    flow_depth,
)
from earlyhelp._rules._rereferral_rule import RereferralRule
from earlyhelp._rules._threshold_rule import CinInEarlyHelpRule, ThresholdRule

__all__ = ["Profile", "load_profile", "profile_names"]

T = TypeVar("T")

_SUFFIXES: Final = (".toml", ".yaml", ".yml")


@attrs.frozen(kw_only=True)
class Profile:
    """One council's rules and parameters, each family a tuple of dated versions.

    Example:
        >>> import datetime as dt
        >>> derby = load_profile("derby-2014-15")
        >>> derby.profile_id, derby.on_missing.value
        ('derby-2014-15', 'strict')
        >>> rule = derby.rule("rereferral", dt.date(2014, 12, 1))
        >>> rule.rule_id, rule.window.months
        ('RR-3M', 3)
    """

    profile_id: str
    title: str
    council: str | None = None
    on_missing: OnMissing = OnMissing.STRICT
    source: str = "<profile>"
    rereferral: tuple[RereferralRule, ...] = ()
    escalation: tuple[EscalationRule, ...] = ()
    threshold: tuple[ThresholdRule, ...] = ()
    cin_in_early_help: tuple[CinInEarlyHelpRule, ...] = ()
    quality: tuple[QualitySettings, ...] = ()
    prior_early_help: tuple[PriorEarlyHelpRule, ...] = ()
    spider: tuple[SpiderRule, ...] = ()
    survey: tuple[SurveyRule, ...] = ()
    themes: tuple[ThemeDictionary, ...] = ()
    presentation: tuple[PresentationSettings, ...] = ()
    targets: tuple[Target, ...] = ()

    def rule(self, family: str, day: Any) -> Any:
        """The version of a rule family in force on ``day``, or ``None``.

        Args:
            family: ``"rereferral"``, ``"escalation"``, ``"threshold"``,
                ``"cin_in_early_help"``, ``"quality"``, ``"spider"``, ``"survey"``,
                ``"themes"``, ``"prior_early_help"`` or ``"presentation"`` (targets
                are chosen per measure: see ``target_for``).
            day: the record's own date.
        """
        from earlyhelp._rules._dating import in_force  # noqa: PLC0415

        versions: Sequence[Any] = getattr(self, family)
        return in_force(versions, day)


_FAMILIES: Final[dict[str, Callable[[Reader], Any]]] = {
    "rereferral": RereferralRule.from_reader,
    "escalation": EscalationRule.from_reader,
    "threshold": ThresholdRule.from_reader,
    "cin_in_early_help": CinInEarlyHelpRule.from_reader,
    "quality": QualitySettings.from_reader,
    "prior_early_help": PriorEarlyHelpRule.from_reader,
    "spider": SpiderRule.from_reader,
    "survey": SurveyRule.from_reader,
    "themes": ThemeDictionary.from_reader,
    "presentation": PresentationSettings.from_reader,
    "targets": Target.from_reader,
}

# Most families allow one version in force a day; targets allow one per measure.
_CHECKS: Final[dict[str, Callable[[Any], list[str]]]] = {"targets": check_targets}


def profile_from_data(data: object, *, source: str) -> Profile:
    """Build a profile from parsed TOML or YAML data.

    Raises:
        ProfileError: listing every problem, each with its key path.
    """
    reader = Reader.top(source, data)
    head = reader.child("profile")
    profile_id = title = council = on_missing = None
    if head is not None:
        profile_id = head.text("id")
        title = head.text("title")
        council = head.text("council", None)
        on_missing = head.choice("on_missing_rule", OnMissing, OnMissing.STRICT)
        head.finish()
    families: dict[str, tuple[Any, ...]] = {}
    for family, read in _FAMILIES.items():
        versions = [read(item) for item in reader.children(family)]
        kept = tuple(v for v in versions if v is not None)
        for problem in _CHECKS.get(family, check_versions)(kept):
            reader.problem(family, problem)
        families[family] = kept
    reader.finish()
    reader.raise_problems()
    if profile_id is None or title is None or on_missing is None:  # pragma: no cover - recorded
        raise ProfileError(source, [("profile", "expected a table with id and title")])
    return Profile(
        profile_id=profile_id,
        title=title,
        council=council,
        on_missing=on_missing,
        source=source,
        **families,
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
        ['cin-census', 'derby-2014-15']
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


def load_profile(profile: str | os.PathLike[str] | Profile) -> Profile:
    """Load a profile by shipped name or from a TOML or YAML file.

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
        return profile_from_data(_parse(path), source=f"{profile} ({path.name})")
    path = Path(profile)
    if path.suffix.lower() not in _SUFFIXES:
        known = ", ".join(sorted(shipped))
        msg = f"unknown profile {str(profile)!r}; expected one of {known}, or a .toml or .yaml file"
        raise ProfileError(str(profile), [("", msg)])
    if not path.is_file():
        raise ProfileError(str(path), [("", "no such file")])
    return profile_from_data(_parse(path), source=str(path))
