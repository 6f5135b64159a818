"""Strict profiles: a judged row dated where no rule version is in force is an error."""

from __future__ import annotations

from typing import Final

import polars as pl

from earlyhelp.profiles._applying import no_rule_in_force
from earlyhelp.profiles._dating import OnMissing
from earlyhelp.profiles._profile import Profile

__all__ = ["ONE_RECORD", "check_ruled"]

ONE_RECORD: Final = pl.QueryOptFlags.none()
"""How a per-record call collects its tiny plan: planning costs more than it saves there."""


def check_ruled(
    evidence: pl.DataFrame, day: str, ident: str, profile: Profile, *, family: str, kind: str
) -> None:
    """Under a strict profile, raise for the earliest dated row with a null ``rule_id``.

    Checked on the collected evidence, so the definition runs once.

    Raises:
        NoRuleInForceError: naming the row's record (``kind`` and its ``ident``)
            and how many more there are.
    """
    if profile.on_missing is not OnMissing.STRICT:
        return
    stray = evidence.filter(pl.col("rule_id").is_null() & pl.col(day).is_not_null())
    if stray.height:
        first = stray.sort(day).row(0, named=True)
        raise no_rule_in_force(
            family, first[day], profile, f"{kind} {first[ident]}", more=stray.height - 1
        )
