"""The demo's shape for a profile's council: its areas, teams, codes and re-referral window.

:func:`demo_shape` reads, from a profile:

* its re-referral rule (the latest version): the window in calendar months and
  whether it matches on family, which the casework is calibrated to;
* its ``[mapping]`` crosswalk of closure reasons (``codes.cases.closure_reason``):
  the first local code the profile lists for each canonical reason is what the
  demo writes, as the council's system would;
* its areas (the ``[mapping.localities]`` team -> area table): each area gets
  an under-11s, an over-11s and an early years team.

A profile that names no areas keeps the source city's areas, teams and size
(:data:`~earlyhelp.demo._shape.DERBY`); without a profile the shape is the
source city's.
"""

from __future__ import annotations

import re
from typing import Any, Final

import attrs

from earlyhelp.demo._shape import (
    CLOSURES,
    DERBY,
    EARLY_YEARS,
    OVER_11,
    UNDER_11,
    DemoShape,
    DemoTeam,
)
from earlyhelp.errors import ProfileError
from earlyhelp.measures._presentation_settings import PresentationSettings
from earlyhelp.profiles._applying import ProfileLike, resolve_profile
from earlyhelp.profiles._profile import Profile
from earlyhelp.rules._rereferral_rule import MatchOn, RereferralRule

__all__ = ["demo_shape"]

_OTHER_CASES: Final = 2400
"""Another council's new cases a year: a county somewhat larger than the source city."""
_BANDS: Final = (
    ("U11", "under 11s", UNDER_11),
    ("O11", "over 11s", OVER_11),
    ("EY", "early years (under 5s)", EARLY_YEARS),
)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "area"


def _closure_codes(profile: Profile) -> tuple[str, ...]:
    crosswalk = profile.mapping.written_codes.get("cases", {}).get("closure_reason", {})
    first: dict[str, str] = {}
    for local, canonical in crosswalk.items():
        first.setdefault(canonical, local)
    missing = [reason for reason in CLOSURES if reason not in first]
    if crosswalk and missing:
        raise ProfileError(
            profile.source,
            [
                (
                    "mapping.codes.cases.closure_reason",
                    "the demo writes a local code for every closure reason; none maps to "
                    + ", ".join(missing),
                )
            ],
        )
    return tuple(first.get(reason, reason) for reason in CLOSURES)


def _areas(profile: Profile) -> tuple[str, ...]:
    return tuple(dict.fromkeys(profile.mapping.localities.values()))


def _teams(areas: tuple[str, ...]) -> tuple[DemoTeam, ...]:
    return tuple(
        DemoTeam(
            team_id=f"{_slug(area)[:3].upper()}-{code}",
            name=f"{area} early help team, {label}",
            locality_id=area,
            band=band,
        )
        for area in areas
        for code, label, band in _BANDS
    )


def demo_shape(profile: ProfileLike | None = None) -> DemoShape:
    """The demo data's shape for a profile's council (see the module).

    Args:
        profile: a shipped profile's name, a file or a loaded profile; ``None``
            (or the source city's profile) for the source city.

    Raises:
        ProfileError: the profile cannot be loaded, or its closure-reason
            crosswalk leaves a canonical reason without a local code.

    Example:
        >>> shape = demo_shape()
        >>> shape.area_id, shape.localities, shape.rereferral_months
        ('derby', ('L1', 'L2', 'L3', 'L4', 'L5', 'L6'), 3)
    """
    if profile is None:
        return DERBY
    prof = resolve_profile(profile)
    versions = prof.versions(RereferralRule)
    rule = versions[-1] if versions else None
    months = DERBY.rereferral_months if rule is None else rule.window.months
    presentations = prof.versions(PresentationSettings)
    settings = presentations[-1] if presentations else None  # the latest
    calibration: dict[str, Any] = {
        "published_threshold": DERBY.published_threshold
        if settings is None
        else settings.published.threshold,
        "closure_codes": _closure_codes(prof),
        "rereferral_months": months,
        "rereferral_share": 0.12 if months <= 3 else 0.15,
        "match_family": rule is not None and rule.match_on is MatchOn.FAMILY,
    }
    areas = _areas(prof)
    if not areas:  # the source city's areas and size
        return attrs.evolve(DERBY, **calibration)
    return DemoShape(
        area_id=_slug(prof.names.area_name or prof.council or prof.profile_id),
        localities=areas,
        locality_p=(1.0,) * len(areas),
        teams=_teams(areas),
        cases_per_year=_OTHER_CASES,
        **calibration,
    )
