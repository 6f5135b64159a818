"""The shipped catalogue: every measure of the framework, collected from the modules declaring them."""

from __future__ import annotations

from typing import Final

from earlyhelp.measures import (
    _audit_neet_measures,
    _casework_measures,
    _census_measures,
    _cohort_measures,
    _instrument_measures,
    _statutory_measures,
)
from earlyhelp.measures._catalogue import Catalogue, Measure

__all__ = ["CATALOGUE", "measure"]

CATALOGUE: Final = Catalogue(
    (
        *_audit_neet_measures.MEASURES,
        *_casework_measures.MEASURES,
        *_census_measures.MEASURES,
        *_cohort_measures.MEASURES,
        *_instrument_measures.MEASURES,
        *_statutory_measures.MEASURES,
    )
)
"""Every measure of the framework, complete at import: ``"escalation_rate" in CATALOGUE``."""


def measure(measure_id: str) -> Measure:
    """The shipped catalogue's measure with this id.

    Raises:
        MeasureError: the catalogue has no such measure (the message lists those it has).

    Example:
        >>> m = measure("escalation_rate")
        >>> m.unit.value, m.polarity.value, m.numerator.basis.value
        ('percentage', 'lower_is_better', 'flow')
    """
    return CATALOGUE[measure_id]
