"""Applying dated rule versions: to one record, or to every row of a frame at once.

The per-record path picks the version in force with
:func:`~earlyhelp.profiles._dating.in_force`; the bulk path computes the same
choice as a polars expression (:func:`version_index`), so the two agree by
construction.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final

import polars as pl

from earlyhelp.errors import NoRuleInForceError
from earlyhelp.profiles._dating import Effective, OnMissing, Versioned
from earlyhelp.profiles._profile import Profile, load_profile

__all__ = [
    "VERSION_COLUMN",
    "ProfileLike",
    "covers",
    "no_rule_in_force",
    "pick_by_version",
    "raise_if_unruled",
    "resolve_profile",
    "rule_ids",
    "version_index",
    "word",
]

VERSION_COLUMN: Final = "__earlyhelp_version"
"""The column a bulk evaluation keeps each row's version index in."""

ProfileLike = Profile | str | os.PathLike[str]
"""A loaded profile, a shipped profile's name, or a path to a profile file."""

_FILE_SUFFIXES: Final = (".toml", ".yaml", ".yml")


@functools.lru_cache(maxsize=32)
def _named_profile(name: str) -> Profile:
    return load_profile(name)


def resolve_profile(profile: ProfileLike) -> Profile:
    """The :class:`Profile` for a profile argument.

    A shipped profile's name is read once per process and cached (the files
    ship with the package); a path is read on every call, so edits to the file
    are seen. Pass a loaded :class:`Profile` to avoid reading at all.
    """
    if isinstance(profile, Profile):
        return profile
    if isinstance(profile, str) and Path(profile).suffix.lower() not in _FILE_SUFFIXES:
        return _named_profile(profile)
    return load_profile(profile)


def no_rule_in_force(
    rule: str, day: dt.date, profile: Profile, record: str, *, more: int = 0
) -> NoRuleInForceError:
    """The error for a record dated where no version of ``rule`` is in force.

    Args:
        rule: the rule family in words, e.g. ``"re-referral"``.
        day: the record's own date.
        profile: the profile searched.
        record: the record by kind and id, e.g. ``"referral R-9"``.
        more: how many further records of the same table have no rule in force.
    """
    error = NoRuleInForceError(rule, day, profile.profile_id)
    detail = record if not more else f"{record}, and {more:,} more"
    error.args = (f"{error.args[0]} ({detail})",)
    return error


def _plain(day: dt.date) -> dt.date:
    return dt.date(day.year, day.month, day.day)


def covers(effective: Effective, day: pl.Expr) -> pl.Expr:
    """The columnar twin of :meth:`Effective.covers` (both ends inclusive)."""
    inside = day >= pl.lit(_plain(effective.start))
    return inside if effective.end is None else inside & (day <= pl.lit(_plain(effective.end)))


def version_index(versions: Sequence[Versioned], day: pl.Expr) -> pl.Expr:
    """The position in ``versions`` of the version in force on ``day``, or null.

    The columnar twin of :func:`~earlyhelp.profiles._dating.in_force`.
    """
    expr = pl.lit(None, dtype=pl.UInt32)
    for index in reversed(range(len(versions))):
        in_span = covers(versions[index].effective, day)
        expr = pl.when(in_span).then(pl.lit(index, dtype=pl.UInt32)).otherwise(expr)
    return expr


def rule_ids(versions: Sequence[Versioned]) -> pl.Enum:
    """The ``rule_id`` column type of bulk results: an enum of the versions' ids."""
    return pl.Enum(list(dict.fromkeys(version.rule_id for version in versions)))


def word(value: object) -> str:
    """A value as a fact's text: booleans as ``true``/``false``."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def raise_if_unruled(
    frame: pl.LazyFrame, day: str, profile: Profile, family: str, kind: str
) -> None:
    """Under a strict profile, raise for the first dated row with no version in force."""
    if profile.on_missing is not OnMissing.STRICT:
        return
    stray = frame.filter(pl.col(day).is_not_null() & pl.col(VERSION_COLUMN).is_null()).collect()
    if stray.height:
        first = stray.sort(day).row(0, named=True)
        record = f"{kind} {first['__id']}" if "__id" in first else kind
        raise no_rule_in_force(family, first[day], profile, record, more=stray.height - 1)


def pick_by_version(choices: Mapping[int, pl.Expr], dtype: pl.DataType) -> pl.Expr:
    """The choice for each row's version in force (by index in the family), else null."""
    expr = pl.lit(None, dtype=dtype)
    for index, choice in choices.items():
        expr = pl.when(pl.col(VERSION_COLUMN) == index).then(choice).otherwise(expr)
    return expr
