"""The demo data's shape: the council's areas, teams, codes and calibration every table shares.

A :class:`DemoShape` says what the generated files look like for one council:
its area id, its localities (or areas) and their shares of the caseload, its
teams, the closure-reason codes its system writes, and the re-referral window
the casework is calibrated to. :data:`DERBY` is the source city's;
:func:`~earlyhelp.demo.demo_shape` reads one from a profile.
"""

from __future__ import annotations

from typing import Final

import attrs
import numpy as np

from earlyhelp.demo._instruments import Floats, Ints
from earlyhelp.errors import ArgumentError

__all__ = [
    "ADULT",
    "CHILD_AGE",
    "CITY_ID",
    "CLOSURES",
    "DERBY",
    "ESCALATED",
    "HISTORY",
    "LOCALITIES",
    "LOCALITY_P",
    "Cases",
    "DemoShape",
    "DemoTeam",
    "lengths",
]

CITY_ID: Final = "derby"
LOCALITIES: Final = ("L1", "L2", "L3", "L4", "L5", "L6")
LOCALITY_P: Final = (0.15, 0.17, 0.22, 0.15, 0.14, 0.17)
ADULT: Final = 6574  # days to an 18th birthday, near enough
CHILD_AGE: Final = 17 * 365 + 180  # oldest age at opening, in days
HISTORY: Final = 92  # days of closed cases kept before the first year
CLOSURES: Final = (
    "outcomes_met",
    "stepped_down_to_universal",
    "disengaged_or_declined",
    "moved_away",
    "other",
    "escalated_to_social_care",
)
"""The canonical closure reasons, in the order the generator indexes them."""
ESCALATED: Final = len(CLOSURES) - 1

#: Age bands a team works with, as the generator indexes them.
UNDER_11: Final = 0
OVER_11: Final = 1
EARLY_YEARS: Final = 2


@attrs.frozen(kw_only=True)
class DemoTeam:
    """One team of the demo council: its id, name, locality and the children it works with.

    ``band`` is ``0`` (under 11s), ``1`` (over 11s) or ``2`` (early years: under 5s).
    """

    team_id: str
    name: str
    locality_id: str
    band: int


def _derby_teams() -> tuple[DemoTeam, ...]:
    early_years = (False, False, True, False, False, True)
    teams = []
    for index, locality in enumerate(LOCALITIES):
        kinds = [("U", "under 11s", UNDER_11), ("O", "over 11s", OVER_11)]
        kinds += [("E", "early years (under 5s)", EARLY_YEARS)] if early_years[index] else []
        teams += [
            DemoTeam(
                team_id=f"T{index + 1}{code}",
                name=f"Locality {index + 1} MAT {label}",
                locality_id=locality,
                band=band,
            )
            for code, label, band in kinds
        ]
    return tuple(teams)


@attrs.frozen(kw_only=True)
class DemoShape:
    """What the demo's files look like for one council (see the module).

    Attributes:
        area_id: the whole area's id (the city's or county's), as the population
            table names it.
        localities: the locality (or area) ids, as the files write them.
        locality_p: each locality's share of the children and the caseload.
        teams: the teams; every locality has an under-11s and an over-11s team.
        closure_codes: the code the council's system writes for each canonical
            closure reason, in the order ``outcomes_met``,
            ``stepped_down_to_universal``, ``disengaged_or_declined``,
            ``moved_away``, ``other``, ``escalated_to_social_care``.
        rereferral_months: the re-referral window the casework is calibrated to:
            re-referrals open within this many calendar months after a closure.
        rereferral_share: re-referrals as a share of the cases worked in a year.
        match_family: re-referrals come back as the same family (a sibling, in
            one case of three), rather than always the same child.
        cases_per_year: the council's new early help cases a year, the default size.
        published_threshold: the smallest count the council publishes; audit
            grade counts are drawn 0 or at least this (see ``audits``).
    """

    area_id: str
    localities: tuple[str, ...]
    locality_p: tuple[float, ...]
    teams: tuple[DemoTeam, ...]
    closure_codes: tuple[str, ...] = CLOSURES
    rereferral_months: int = 3
    rereferral_share: float = 0.12
    match_family: bool = False
    cases_per_year: int = 1500
    published_threshold: int = 5

    def __attrs_post_init__(self) -> None:
        """Check the shape is one the generator can draw from."""
        if len(self.localities) != len(self.locality_p) or not self.localities:
            msg = "a demo shape needs one share for each of its localities"
            raise ArgumentError(msg)
        for locality in self.localities:
            bands = {team.band for team in self.teams if team.locality_id == locality}
            if not {UNDER_11, OVER_11} <= bands:
                msg = f"locality {locality!r} needs an under-11s and an over-11s team"
                raise ArgumentError(msg)
        if len(self.closure_codes) != len(CLOSURES):
            msg = f"expected {len(CLOSURES)} closure codes, one for each of {', '.join(CLOSURES)}"
            raise ArgumentError(msg)

    @property
    def p(self) -> Floats:
        """The localities' shares as probabilities (normalised to add up to 1)."""
        shares = np.asarray(self.locality_p, dtype=np.float64)
        normalised: Floats = shares / shares.sum()
        return normalised

    def team_lookup(self) -> Ints:
        """A (locality x age band) index into :attr:`teams`; no early years team: under 11s."""
        lookup = np.zeros((len(self.localities), 3), dtype=np.int64)
        for index, locality in enumerate(self.localities):
            bands = {t.band: i for i, t in enumerate(self.teams) if t.locality_id == locality}
            lookup[index] = [
                bands[UNDER_11],
                bands[OVER_11],
                bands.get(EARLY_YEARS, bands[UNDER_11]),
            ]
        return lookup


DERBY: Final = DemoShape(
    area_id=CITY_ID, localities=LOCALITIES, locality_p=LOCALITY_P, teams=_derby_teams()
)
"""The source city's shape: six localities ``L1``..``L6``, 14 teams, canonical codes."""

Cases = dict[str, Ints]
"""The case columns as numpy arrays, by name."""


def lengths(rng: np.random.Generator, n: int, mean: float | Floats, cap: float) -> Ints:
    """Episode lengths in days: at least 14, gamma-distributed around ``mean``, capped."""
    days = 14 + rng.gamma(1.6, (np.asarray(mean) - 14) / 1.6, n)
    lengths: Ints = np.minimum(days, cap).astype(np.int64)
    return lengths
