"""Small datasets for the cohort analyses' tests, built without loading files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from hypothesis import strategies as st

import earlyhelp as eh
from earlyhelp.io import SCHEMAS, LoadReport, records_to_frame
from earlyhelp.profiles import Citation, Effective, Profile, load_profile
from earlyhelp.rules import PriorEarlyHelpRule

D = dt.date
DERBY = load_profile("derby-2014-15")


def dataset(**tables: Iterable[Any]) -> eh.Dataset:
    """A dataset straight from records (they validate themselves on construction)."""
    frames = {name: records_to_frame(records, SCHEMAS[name]) for name, records in tables.items()}
    return eh.Dataset(frames, LoadReport(()))


def case(
    episode_id: str,
    opened: dt.date,
    closed: dt.date | None = None,
    *,
    person_id: str = "P-1",
    reason: str = "outcomes_met",
    locality_id: str = "L1",
    team_id: str = "T1",
) -> eh.model.EarlyHelpCase:
    return eh.model.EarlyHelpCase(
        episode_id=episode_id,
        person_id=person_id,
        team_id=team_id,
        locality_id=locality_id,
        opened=opened,
        closed=closed,
        closure_reason=None if closed is None else reason,
    )


def episode(
    episode_id: str,
    started: dt.date,
    ended: dt.date | None = None,
    *,
    person_id: str = "P-1",
    kind: str = "cp",
    locality_id: str | None = "L1",
) -> eh.model.SocialCareEpisode:
    return eh.model.SocialCareEpisode(
        episode_id=episode_id,
        person_id=person_id,
        kind=kind,
        started=started,
        ended=ended,
        locality_id=locality_id,
        end_reason=None if ended is None else "needs_met",
    )


def lookback_profile(months: int, *, anchor_inclusive: bool, far_inclusive: bool) -> Profile:
    """The Derby profile with one look-back version of the given shape."""
    rule = PriorEarlyHelpRule(
        rule_id="PEH-T",
        effective=Effective(start=D(2000, 1, 1)),
        citation=Citation(document="Test"),
        window=eh.periods.MonthWindow(
            -months, anchor_inclusive=anchor_inclusive, far_inclusive=far_inclusive
        ),
    )
    return DERBY.with_rules("prior_early_help", (rule,))


def days(low: dt.date, high: dt.date) -> st.SearchStrategy[dt.date]:
    """Dates in ``[low, high]``, half of them month starts or ends (29 Feb included).

    Unlike ``strategies.dates`` it never filters, so narrow ranges stay cheap.
    """
    edges = []
    year, month = low.year, low.month
    while (year, month) <= (high.year, high.month):
        first = dt.date(year, month, 1)
        last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        edges += [d for d in (first, last) if low <= d <= high]
        year, month = year + month // 12, month % 12 + 1
    return st.one_of(st.dates(low, high), st.sampled_from(edges)) if edges else st.dates(low, high)
