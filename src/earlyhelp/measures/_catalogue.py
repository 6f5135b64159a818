"""The measure catalogue: every framework measure declared once, as data.

A :class:`Measure` says what is counted (its numerator and denominator
:class:`Part`), how a record is placed in a period (:class:`Basis`), which way is
better (:class:`Polarity`), where the data comes from and the policy text it
encodes. Its ``calculator`` turns a :class:`MeasureContext` into the *members*
of the measure: one row per record and period counted. The engine
(:func:`compute`) sums members per team and rolls them up; the documentation
renders each declaration as the measure's reference page.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

import attrs
import polars as pl

from earlyhelp.errors import MeasureError
from earlyhelp.measures._polarity import Polarity
from earlyhelp.profiles._dating import Citation, Effective

if TYPE_CHECKING:
    from earlyhelp.measures._context import MeasureContext

__all__ = [
    "CATALOGUE_CITATION",
    "Basis",
    "Calculator",
    "Catalogue",
    "Element",
    "Level",
    "Measure",
    "Part",
    "Unit",
]


class Element(enum.StrEnum):
    """The framework element a measure belongs to."""

    HOW_MUCH = "how_much"
    HOW_WELL = "how_well"
    IMPACT = "impact"
    CONTEXT = "context"

    @property
    def heading(self) -> str:
        """The element's heading, as the framework words it."""
        return _ELEMENT_HEADINGS[self]


_ELEMENT_HEADINGS: Final = {
    Element.HOW_MUCH: "How much",
    Element.HOW_WELL: "How well",
    Element.IMPACT: "Impact",
    Element.CONTEXT: "Context",
}


class Unit(enum.StrEnum):
    """What a measure's value is.

    ``COUNT`` is the numerator itself; ``PERCENTAGE`` is 100 x numerator /
    denominator; ``RATE_PER_10000`` is 10,000 x numerator / denominator.
    """

    COUNT = "count"
    PERCENTAGE = "percentage"
    RATE_PER_10000 = "rate_per_10000"

    @property
    def scale(self) -> int:
        """The factor applied to numerator / denominator (1 for counts)."""
        return {Unit.COUNT: 1, Unit.PERCENTAGE: 100, Unit.RATE_PER_10000: 10_000}[self]


class Basis(enum.StrEnum):
    """How a record is placed in a period.

    ``STOCK``: the record is open at the end of the period's last day (opened on
    or before it and not closed on or before it); a case closed on a quarter's
    last day is not open at its end. ``FLOW``: the record's event is dated within
    the period, both ends inclusive.
    """

    STOCK = "stock"
    FLOW = "flow"


class Level(enum.StrEnum):
    """A level of the organisation: teams roll up to localities, localities to the city."""

    TEAM = "team"
    LOCALITY = "locality"
    CITY = "city"


@attrs.frozen(kw_only=True)
class Part:
    """The numerator or denominator of a measure.

    Attributes:
        definition: which records and events are counted, in plain English.
        table: the input table they come from (a name in ``SCHEMAS``).
        basis: stock (open at period end) or flow (dated within the period).
        date: the date column(s) that place a record in a period.
    """

    definition: str
    table: str
    basis: Basis
    date: str


def _check_id(_inst: object, _attr: object, value: str) -> None:
    if not value or not value.replace("_", "").isalnum() or value != value.lower():
        msg = f"measure_id: expected lower-case letters, digits and underscores, got {value!r}"
        raise MeasureError(msg)


Calculator = Callable[["MeasureContext"], pl.LazyFrame]

CATALOGUE_CITATION: Final = Citation(
    document="earlyhelp measure catalogue",
    section="the measure's numerator, denominator and period basis as declared",
)
"""The generic catalogue's own citation: a council's profile cites its own documents."""


@attrs.frozen(kw_only=True)
class Measure:
    """One measure of the early help performance framework, declared once.

    Attributes:
        measure_id: stable snake-case id, e.g. ``"escalation_rate"``.
        title: the measure's name as the framework words it.
        element: how much, how well, impact, or context.
        description: what the measure tells a reader, in plain English.
        unit: count, percentage, or rate per 10,000 children.
        numerator: what is counted.
        denominator: what it is counted out of (``None`` for counts).
        polarity: which direction is better.
        source: where the data comes from.
        citation: the text the measure encodes: the neutral
            ``CATALOGUE_CITATION`` in the catalogue; a profile's
            ``[[measures]]`` entry gives the council's own.
        effective: the periods it applies to (judged on the period's last day);
            a profile's ``[[measures]]`` entry gives the council's own.
        breakdowns: what the ``breakdown`` column of its members holds (e.g.
            ``("route",)``), if it is broken down.
        levels: the organisation levels it is recorded at; a team-level figure
            of a measure recorded by locality is missing, not zero.
        reads: other inputs its calculator reads, beyond its parts' tables: a
            table name (``"assessments"``) or an optional column
            (``"assessments.completed"``). A figure whose input table or column
            was not supplied is missing, never zero.
        denominators: the denominator under each setting of a rule, keyed by
            the setting (e.g. the re-referral rule's ``denominator``).
        denominator_key: the word of :func:`wording` that names the setting in
            force (``catalogue_for`` then picks the denominator from ``denominators``).
        calculator: turns a :class:`MeasureContext` into the measure's members.
    """

    measure_id: str = attrs.field(validator=_check_id)
    title: str
    element: Element
    description: str
    unit: Unit
    numerator: Part
    denominator: Part | None
    polarity: Polarity
    source: str
    effective: Effective
    citation: Citation = CATALOGUE_CITATION
    breakdowns: tuple[str, ...] = ()
    levels: tuple[Level, ...] = (Level.TEAM, Level.LOCALITY, Level.CITY)
    reads: tuple[str, ...] = ()
    denominators: tuple[tuple[str, Part], ...] = ()
    denominator_key: str | None = None
    calculator: Calculator = attrs.field(eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if (self.unit is Unit.COUNT) != (self.denominator is None):
            msg = f"{self.measure_id}: a count has no denominator; a ratio needs one"
            raise MeasureError(msg)

    @property
    def tables(self) -> tuple[str, ...]:
        """The input tables the measure reads, numerator first."""
        parts = [self.numerator] + ([self.denominator] if self.denominator else [])
        return tuple(dict.fromkeys(part.table for part in parts))

    @property
    def inputs(self) -> tuple[str, ...]:
        """Every input it needs, its tables first, then what else it ``reads``.

        Example:
            >>> from earlyhelp.measures import CATALOGUE
            >>> CATALOGUE["assessment_in_place_rate"].inputs
            ('cases', 'cases.closed', 'assessments', 'assessments.completed', 'assessments.episode_id')
        """
        return tuple(dict.fromkeys((*self.tables, *self.reads)))


class Catalogue:
    """An explicit, immutable set of measures, in the order they were declared.

    The shipped :data:`CATALOGUE` holds every measure of the framework; a council
    computes with its own by extending or cutting it down, and passes it to
    ``compute(..., catalogue=...)``.

    Example:
        >>> from earlyhelp.measures import CATALOGUE
        >>> "escalation_rate" in CATALOGUE, CATALOGUE["escalation_rate"].unit.value
        (True, 'percentage')
        >>> small = CATALOGUE.only("escalations", "escalation_rate")
        >>> small.ids(), len(CATALOGUE.without("escalations")) == len(CATALOGUE) - 1
        (('escalations', 'escalation_rate'), True)
        >>> CATALOGUE["escalation_rat"]
        Traceback (most recent call last):
        ...
        earlyhelp.errors.MeasureError: unknown measure 'escalation_rat'; the catalogue holds: ...
    """

    __slots__ = ("_measures",)

    def __init__(self, measures: Iterable[Measure] = ()) -> None:
        found: dict[str, Measure] = {}
        for item in measures:
            if item.measure_id in found:
                msg = f"measure {item.measure_id!r} is declared twice"
                raise MeasureError(msg)
            found[item.measure_id] = item
        self._measures: Mapping[str, Measure] = MappingProxyType(found)

    def __getitem__(self, measure_id: str) -> Measure:
        try:
            return self._measures[measure_id]
        except KeyError:
            known = ", ".join(sorted(self._measures))
            msg = f"unknown measure {measure_id!r}; the catalogue holds: {known}"
            raise MeasureError(msg) from None

    def __contains__(self, measure_id: object) -> bool:
        return measure_id in self._measures

    def __iter__(self) -> Iterator[Measure]:
        return iter(tuple(self._measures.values()))

    def __len__(self) -> int:
        return len(self._measures)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Catalogue) and tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(tuple(self._measures))

    def __repr__(self) -> str:
        return f"Catalogue({len(self)} measures)"

    def ids(self) -> tuple[str, ...]:
        """Every measure id, in catalogue order."""
        return tuple(self._measures)

    def extended(self, *measures: Measure) -> Catalogue:
        """This catalogue with more measures added at the end (an id twice is an error)."""
        return Catalogue((*self, *measures))

    def without(self, *measure_ids: str) -> Catalogue:
        """This catalogue without some measures (each id must be in it)."""
        for measure_id in measure_ids:
            self[measure_id]
        return Catalogue(m for m in self if m.measure_id not in measure_ids)

    def only(self, *measure_ids: str) -> Catalogue:
        """Just these measures, in the order given (each id must be in it)."""
        return Catalogue(self[measure_id] for measure_id in measure_ids)

    def replaced(self, *measures: Measure) -> Catalogue:
        """This catalogue with some measures swapped for new declarations of the same id."""
        new = {m.measure_id: m for m in measures}
        for measure_id in new:
            self[measure_id]
        return Catalogue(new.get(m.measure_id, m) for m in self)
