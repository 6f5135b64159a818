"""The ``[[presentation]]`` profile family: how figures are rounded and published."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

import attrs

from earlyhelp.errors import ArgumentError
from earlyhelp.measures._disclosure_policy import Disclosure, DisclosurePolicy
from earlyhelp.measures._rounding import Rounding, RoundingPolicy
from earlyhelp.profiles._dating import Citation, Effective
from earlyhelp.profiles._header import read_header
from earlyhelp.profiles._reading import MAX_BASE, MAX_PLACES, MAX_THRESHOLD, Reader
from earlyhelp.profiles._registry import rule_family

__all__ = ["DEFAULT_SETTINGS", "PresentationSettings"]

_UNITS = ("percentage", "rate_per_10000")
_NO_CONTROL = DisclosurePolicy(method=Disclosure.NONE, name="internal")


def _sorted_places(places: Mapping[str, int]) -> dict[str, int]:
    return dict(sorted(places.items()))


@rule_family(
    "presentation",
    summary="Presentation: rounding of percentages and rates, and disclosure control for published output.",
)
@attrs.frozen(kw_only=True)
class PresentationSettings:
    """One version of a profile's presentation settings.

    Counts are always shown whole. Percentages and rates are rounded once, from
    the exact value, by the policy for their unit; a measure may override the
    number of places (never the mode).

    Attributes:
        rule_id: the version's stable id.
        effective: the dates it applies to (by the period's last day).
        citation: where the convention comes from.
        percentage: the rounding policy for percentages.
        rate: the rounding policy for rates per 10,000.
        places: per-measure overrides of the number of places, by measure id.
        internal: the disclosure policy for internal reports (usually none).
        published: the disclosure policy for published output.

    Example:
        >>> from fractions import Fraction
        >>> import datetime as dt
        >>> from earlyhelp.profiles._profile import load_profile
        >>> derby = load_profile("derby-2014-15").rule("presentation", dt.date(2015, 3, 31))
        >>> derby.format("survey_respect_rate", "percentage", Fraction(127, 160) * 100)
        '79.3'
        >>> derby.format("audit_completion_rate", "percentage", Fraction(52, 86) * 100)
        '60'
        >>> derby.published.method.value, derby.published.threshold
        ('suppress', 5)
    """

    rule_id: str
    effective: Effective
    citation: Citation
    percentage: RoundingPolicy = RoundingPolicy(Rounding.HALF_UP, 1)
    rate: RoundingPolicy = RoundingPolicy(Rounding.HALF_UP, 1)
    places: Mapping[str, int] = attrs.field(factory=dict, converter=_sorted_places)
    internal: DisclosurePolicy = _NO_CONTROL
    published: DisclosurePolicy = _NO_CONTROL

    def policy(self, measure_id: str, unit: str) -> RoundingPolicy | None:
        """The rounding policy for one measure's values; ``None`` for counts.

        Args:
            measure_id: the measure's id (looked up in :attr:`places`).
            unit: ``"count"``, ``"percentage"`` or ``"rate_per_10000"``.

        Raises:
            ArgumentError: an unknown unit.
        """
        if unit == "count":
            return None
        if unit not in _UNITS:
            msg = f"unit: expected count, percentage or rate_per_10000, got {unit!r}"
            raise ArgumentError(msg)
        base = self.percentage if unit == "percentage" else self.rate
        places = self.places.get(measure_id)
        return base if places is None else RoundingPolicy(base.mode, places)

    def format(self, measure_id: str, unit: str, value: Any) -> str:
        """One exact value as text under this version (a count is shown whole)."""
        policy = self.policy(measure_id, unit)
        return str(int(value)) if policy is None else policy.format(value)

    @classmethod
    def from_reader(cls, reader: Reader) -> PresentationSettings | None:
        """Read one version from profile data; ``None`` if it has problems."""
        header = read_header(reader)
        percentage = _rounding(reader, "percentage")
        rate = _rounding(reader, "rate")
        places = _places(reader)
        internal = _disclosure(reader, "internal")
        published = _disclosure(reader, "published")
        reader.finish()
        if header is None or places is None or percentage is None or rate is None:
            return None
        if internal is None or published is None:
            return None
        return cls(
            **header,
            percentage=percentage,
            rate=rate,
            places=places,
            internal=internal,
            published=published,
        )


def _rounding(reader: Reader, key: str) -> RoundingPolicy | None:
    table = reader.child(key, required=False)
    if table is None:
        return RoundingPolicy(Rounding.HALF_UP, 1) if not reader.has(key) else None
    mode = table.choice("rounding", Rounding)
    places = table.integer("places", 1, minimum=0, maximum=MAX_PLACES)
    table.finish()
    if mode is None or places is None:
        return None
    return RoundingPolicy(mode, places)


def _places(reader: Reader) -> dict[str, int] | None:
    table = reader.child("places", required=False)
    if table is None:
        return {} if not reader.has("places") else None
    found: dict[str, int] = {}
    for key in list(table.data):
        places = table.integer(str(key), minimum=0, maximum=MAX_PLACES)
        if places is None:
            continue
        found[str(key)] = places
    table.finish()
    return found if len(found) == len(table.data) else None


def _disclosure(reader: Reader, key: str) -> DisclosurePolicy | None:
    table = reader.child(key, required=False)
    if table is None:
        return _NO_CONTROL if not reader.has(key) else None
    method = table.choice("method", Disclosure)
    name = table.text("name", key)
    threshold = table.integer("threshold", 5, minimum=1, maximum=MAX_THRESHOLD)
    zero = table.boolean("suppress_zero", False)
    base = table.integer("base", 5, minimum=1, maximum=MAX_BASE)
    derived = table.boolean("suppress_derived", True)
    table.finish()
    if derived is False:
        table.problem(
            "suppress_derived",
            "must be true: a percentage shown beside its denominator gives away the "
            "suppressed count",
        )
        return None
    if None in (method, name, threshold, zero, base):
        return None
    return DisclosurePolicy(
        method=method, threshold=threshold, suppress_zero=zero, base=base, name=name
    )


#: The settings used when a profile declares none: half up to one place, no disclosure control.
DEFAULT_SETTINGS: Final = PresentationSettings(
    rule_id="earlyhelp-default",
    effective=Effective(start=dt.date(1900, 1, 1)),
    citation=Citation(document="earlyhelp defaults: half up to one place, no disclosure control"),
)
"""The settings used where a profile declares none: half up to one place, no disclosure control."""
