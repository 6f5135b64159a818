"""The organisation hierarchy: team (MAT) -> locality -> city."""

from __future__ import annotations

from collections import Counter

import attrs

from earlyhelp.errors import UnknownRecordError
from earlyhelp.model._base import check_problems, id_field, to_tuple

__all__ = ["City", "Locality", "OrgHierarchy", "Team"]


@attrs.frozen(kw_only=True)
class Team:
    """A Multi-Agency Team (MAT) in one locality.

    Example:
        >>> Team(team_id="T1A", name="Locality 1 under 11s", locality_id="L1")
        Team(team_id='T1A', name='Locality 1 under 11s', locality_id='L1')
    """

    team_id: str = id_field()
    name: str
    locality_id: str = id_field()


@attrs.frozen(kw_only=True)
class Locality:
    """A locality of the city, with its own early help teams."""

    locality_id: str = id_field()
    name: str


@attrs.frozen(kw_only=True)
class City:
    """The council area: the top of the hierarchy."""

    city_id: str = id_field()
    name: str


@attrs.frozen(kw_only=True)
class OrgHierarchy:
    """Teams roll up to localities, localities to the city.

    Validated on construction: ids are unique and every team's locality exists.

    Example:
        >>> org = OrgHierarchy(
        ...     city=City(city_id="derby", name="Derby"),
        ...     localities=(Locality(locality_id="L1", name="Locality 1"),),
        ...     teams=(Team(team_id="T1A", name="MAT 1A", locality_id="L1"),),
        ... )
        >>> org.locality_of("T1A").name
        'Locality 1'
        >>> [t.team_id for t in org.teams_in("L1")]
        ['T1A']
    """

    city: City
    localities: tuple[Locality, ...] = attrs.field(converter=to_tuple)
    teams: tuple[Team, ...] = attrs.field(converter=to_tuple)

    def __attrs_post_init__(self) -> None:
        problems: list[tuple[str, str]] = []
        for field, ids in (
            ("localities", [loc.locality_id for loc in self.localities]),
            ("teams", [team.team_id for team in self.teams]),
        ):
            dupes = sorted(k for k, n in Counter(ids).items() if n > 1)
            if dupes:
                problems.append((field, f"duplicate ids {', '.join(dupes)}"))
        known = {loc.locality_id for loc in self.localities}
        for team in self.teams:
            if team.locality_id not in known:
                problems.append(
                    ("teams", f"team {team.team_id} names unknown locality {team.locality_id}")
                )
        check_problems("OrgHierarchy", self.city.city_id, problems)

    def locality_of(self, team_id: str) -> Locality:
        """The locality a team belongs to.

        Raises:
            UnknownRecordError: no team has that id.
        """
        for team in self.teams:
            if team.team_id == team_id:
                return next(x for x in self.localities if x.locality_id == team.locality_id)
        raise UnknownRecordError(team_id, f"team_id: no team has id {team_id}")

    def teams_in(self, locality_id: str) -> tuple[Team, ...]:
        """The teams of one locality, in declared order."""
        return tuple(team for team in self.teams if team.locality_id == locality_id)
