"""What every rule family's one definition does around its evidence, per record and in bulk.

A family's bulk evaluation yields an evidence frame; these helpers add its
explanation (or only the rendered parts a per-record :class:`Decision` needs) and
refuse, under a strict profile, a record dated where no version is in force.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import polars as pl

from earlyhelp.profiles._applying import no_rule_in_force
from earlyhelp.profiles._dating import OnMissing
from earlyhelp.profiles._profile import Profile
from earlyhelp.rules._evidence import Rendering, explain, judged
from earlyhelp.rules._few_rows import collect_few

__all__ = ["check_ruled", "collect", "rendered"]

V = TypeVar("V")


def rendered(
    evidence: pl.LazyFrame,
    rendering: Rendering[V],
    versions: Sequence[V],
    profile: str,
    *,
    per_record: bool,
) -> pl.LazyFrame:
    """The evidence explained; ``per_record``, only the parts that are not words.

    :func:`~earlyhelp.rules.decisions` builds each row's Decision, and ``str()``
    of it prints the ``explanation`` column. A per-record call leaves the words
    to it: it reads them from the one row in Python, from the same declarations
    polars builds the explanations of a whole table from.
    """
    if per_record:
        return evidence.with_columns(*judged(rendering))
    return explain(evidence, rendering, versions, profile)


def collect(plan: pl.LazyFrame, *, per_record: bool) -> pl.DataFrame:
    """Run a family's plan: in bulk as polars chooses; for one record, as cheaply as can be.

    A per-record call runs the bulk plan on a table of one row (and the few rows
    of history it needs). There, choosing an engine and optimising the plan cost
    more than running it, so it runs on the in-memory engine with projection
    pushdown only (which leaves out the columns nobody reads). Optimisations never
    change a result, so the row is the bulk row.
    """
    if not per_record:
        return plan.collect()
    return collect_few(plan, optimizations=_ONE_RECORD)


_ONE_RECORD = pl.QueryOptFlags.none(projection_pushdown=True)


def check_ruled(
    judged: pl.DataFrame, *, day: str, ident: str, profile: Profile, family: str, record: str
) -> None:
    """Under a strict profile, raise for the earliest dated row with no version in force.

    The one strict check of the families judged on collected evidence (the
    definition is evaluated once). The row named is the earliest by ``day``, then
    by ``ident`` in text order, so the message does not depend on row order.

    Args:
        judged: an evidence frame with a ``rule_id`` column (null where no version
            applied, including rows with no date, which need none).
        day: the date column that chose the version.
        ident: the id column, to name the record.
        profile: the profile applied.
        family: the rule family in words, e.g. ``"re-referral"``.
        record: the kind of record, e.g. ``"referral"``.
    """
    if profile.on_missing is not OnMissing.STRICT:
        return
    stray = judged[day].is_not_null() & judged["rule_id"].is_null()
    if stray.any():
        unruled = judged.filter(stray).sort(day, ident)
        name, when = unruled[ident][0], unruled[day][0]
        more = unruled.height - 1
        raise no_rule_in_force(family, when, profile, f"{record} {name}", more=more)
