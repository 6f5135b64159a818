"""Every module that declares measures; importing this fills the catalogue.

Add a module here when it declares measures with ``register``.
"""

from earlyhelp._instruments import _measures as _instrument_measures
from earlyhelp._measures import (
    _audit_neet_measures,
    _casework_measures,
    _census_measures,
    _cohort_measures,
    _statutory_measures,
)

__all__ = [
    "_audit_neet_measures",
    "_casework_measures",
    "_census_measures",
    "_cohort_measures",
    "_instrument_measures",
    "_statutory_measures",
]
