"""Profiles: one council's dated, cited rules and parameters, as data.

A profile is a TOML or YAML file holding versions of *rule families*. Each
family's version class registers itself with :func:`rule_family`, so a council
can add a family of its own; :class:`Reader` and :func:`read_header` read one
version strictly. The shipped profiles are listed by :func:`profile_names`.
"""

from earlyhelp.profiles._applying import ProfileLike, resolve_profile
from earlyhelp.profiles._dating import (
    Citation,
    Effective,
    OnMissing,
    Versioned,
    check_versions,
    in_force,
    version_index,
)
from earlyhelp.profiles._framework import (
    ALL_MEASURES,
    Chart,
    MeasureEntry,
    Names,
    QuarterlyLine,
    QuarterlyTable,
    Shown,
    measure_entry_for,
)
from earlyhelp.profiles._header import read_header
from earlyhelp.profiles._mapping import MappingSpec
from earlyhelp.profiles._privacy import PrivacySpec
from earlyhelp.profiles._profile import Profile, load_profile, profile_from_data, profile_names
from earlyhelp.profiles._reading import Reader
from earlyhelp.profiles._registry import RuleFamily, family_of, rule_families, rule_family
from earlyhelp.profiles._targets import EVERY_MEASURE, Comparison, Target, check_targets, target_for

__all__ = [
    "ALL_MEASURES",
    "EVERY_MEASURE",
    "Chart",
    "Citation",
    "Comparison",
    "Effective",
    "MappingSpec",
    "MeasureEntry",
    "Names",
    "OnMissing",
    "PrivacySpec",
    "Profile",
    "ProfileLike",
    "QuarterlyLine",
    "QuarterlyTable",
    "Reader",
    "RuleFamily",
    "Shown",
    "Target",
    "Versioned",
    "check_targets",
    "check_versions",
    "family_of",
    "in_force",
    "load_profile",
    "measure_entry_for",
    "profile_from_data",
    "profile_names",
    "read_header",
    "resolve_profile",
    "rule_families",
    "rule_family",
    "target_for",
    "version_index",
]
