"""The earlier events a re-referral is judged against, grouped once per child and family.

Judging referrals one by one (an app, or 50,000 explained decisions a second)
needs each child's earlier closures and referrals at hand; a
:class:`RereferralHistory` groups them once, newest first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import Final

import attrs
import polars as pl

from earlyhelp.model._casework import EarlyHelpCase, Referral
from earlyhelp.rules._rereferral_rule import Anchor, MatchOn, RereferralRule

__all__ = [
    "NO_EVENTS",
    "AnchorEvent",
    "RereferralHistory",
    "candidate_events",
    "latest_in_window",
]

AnchorEvent = tuple[dt.date, str, str | None]
"""An earlier event: its date, its id, and the referral it belongs to (if known)."""

NO_EVENTS: Final[tuple[()]] = ()
_COLUMNS: Final = ("_person", "_family", "_day", "_id", "_link")


def _ordered(events: list[AnchorEvent]) -> tuple[AnchorEvent, ...]:
    events.sort(key=itemgetter(1))
    events.sort(key=itemgetter(0), reverse=True)  # stable: ties keep the smallest id first
    return tuple(events)


def _canonical(frame: pl.DataFrame | None, day: str, ident: str, link: str) -> pl.DataFrame:
    """The events of a table as ``_person, _family, _day, _id, _link`` columns."""
    if frame is None:
        return pl.DataFrame(schema=dict.fromkeys(_COLUMNS, pl.String) | {"_day": pl.Date})

    def text(name: str) -> pl.Expr:
        return pl.col(name).cast(pl.String) if name in frame.columns else pl.lit(None, pl.String)

    columns = (text("person_id"), text("family_id"), pl.col(day), pl.col(ident), text(link))
    return frame.select(
        column.alias(name) for column, name in zip(columns, _COLUMNS, strict=True)
    ).filter(pl.col("_day").is_not_null())


def _group(events: pl.DataFrame, key: str) -> dict[str, tuple[AnchorEvent, ...]]:
    """Events by child or family, latest first, ties by smallest id (byte = code point order)."""
    ordered = events.filter(pl.col(key).is_not_null()).sort(
        [key, "_day", "_id"], descending=[False, True, False]
    )
    runs = ordered.select(pl.col(key).rle()).unnest(key)
    columns = (ordered[name].to_list() for name in ("_day", "_id", "_link"))
    flat = list(zip(*columns, strict=True))
    groups: dict[str, tuple[AnchorEvent, ...]] = {}
    first = 0
    for length, value in runs.iter_rows():
        groups[value] = tuple(flat[first : first + length])
        first += length
    return groups


@attrs.frozen(eq=False)
class RereferralHistory:
    """Earlier case closures and referrals, to group by child or family once.

    To judge many referrals one by one, build a history once and pass it to
    :func:`is_rereferral` as ``history=``: each decision then looks up only its
    own child's (or family's) events instead of scanning every record. The
    events are grouped with polars the first time a rule asks for a grouping
    (by anchor and match key), and kept. Each group holds ``(date, id,
    referral id)`` events latest first, ties by the smallest id: the order the
    search meets them in. Open cases are left out (only closures are anchors).

    Attributes:
        closures: closed cases as ``_person, _family, _day, _id, _link`` columns
            (``_link`` the referral that opened the case).
        referrals: referrals in the same columns (``_link`` the referral's own id).

    Example:
        >>> import datetime as dt
        >>> case = EarlyHelpCase(
        ...     episode_id="C-1", person_id="P-1", family_id="F-1", team_id="T1U",
        ...     locality_id="L1", opened=dt.date(2014, 6, 2), closed=dt.date(2014, 11, 30),
        ...     closure_reason="outcomes_met",
        ... )
        >>> history = RereferralHistory.of(cases=[case])
        >>> history.events(Anchor.PREVIOUS_CLOSURE, MatchOn.FAMILY, "F-1")
        ((datetime.date(2014, 11, 30), 'C-1', None),)
    """

    closures: pl.DataFrame
    referrals: pl.DataFrame
    _groups: dict[tuple[Anchor, MatchOn], dict[str, tuple[AnchorEvent, ...]]] = attrs.field(
        factory=dict, init=False, repr=False
    )

    @classmethod
    def of(
        cls, *, cases: Iterable[EarlyHelpCase] = (), referrals: Iterable[Referral] = ()
    ) -> RereferralHistory:
        """Gather case and referral records."""
        closures = [
            (case.person_id, case.family_id, case.closed, case.episode_id, case.referral_id)
            for case in cases
            if case.closed is not None
        ]
        earlier = [
            (ref.person_id, ref.family_id, ref.referral_date, ref.referral_id, ref.referral_id)
            for ref in referrals
        ]
        empty = _canonical(None, "", "", "")
        return cls(
            pl.DataFrame(closures, schema=empty.schema, orient="row"),
            pl.DataFrame(earlier, schema=empty.schema, orient="row"),
        )

    @classmethod
    def from_frames(
        cls, *, cases: pl.DataFrame | None = None, referrals: pl.DataFrame | None = None
    ) -> RereferralHistory:
        """Gather the rows of a ``cases`` and a ``referrals`` table (no records built).

        Example:
            >>> import datetime as dt
            >>> referrals = pl.DataFrame({
            ...     "referral_id": ["R-1", "R-2"], "person_id": ["P-1", "P-1"],
            ...     "referral_date": [dt.date(2014, 3, 1), dt.date(2014, 9, 1)],
            ... })
            >>> history = RereferralHistory.from_frames(referrals=referrals)
            >>> [ident for _, ident, _ in
            ...  history.events(Anchor.PREVIOUS_REFERRAL, MatchOn.CHILD, "P-1")]
            ['R-2', 'R-1']
        """
        return cls(
            _canonical(cases, "closed", "episode_id", "referral_id"),
            _canonical(referrals, "referral_date", "referral_id", "referral_id"),
        )

    def events(self, anchor: Anchor, match_on: MatchOn, key: str) -> tuple[AnchorEvent, ...]:
        """The events of one child or family, latest first (ties: smallest id first)."""
        groups = self._groups.get((anchor, match_on))
        if groups is None:
            frame = self.closures if anchor is Anchor.PREVIOUS_CLOSURE else self.referrals
            groups = _group(frame, "_person" if match_on is MatchOn.CHILD else "_family")
            self._groups[(anchor, match_on)] = groups
        return groups.get(key, ())


def candidate_events(
    rule: RereferralRule,
    key: str,
    cases: Iterable[EarlyHelpCase],
    referrals: Iterable[Referral],
) -> tuple[AnchorEvent, ...]:
    """One child's or family's events from records, ordered as the search meets them."""
    by_child = rule.match_on is MatchOn.CHILD
    if rule.anchor is Anchor.PREVIOUS_CLOSURE:
        return _ordered(
            [
                (case.closed, case.episode_id, case.referral_id)
                for case in cases
                if case.closed is not None
                and (case.person_id if by_child else case.family_id) == key
            ]
        )
    return _ordered(
        [
            (ref.referral_date, ref.referral_id, ref.referral_id)
            for ref in referrals
            if (ref.person_id if by_child else ref.family_id) == key
        ]
    )


def latest_in_window(
    rule: RereferralRule, referral: Referral, events: Sequence[AnchorEvent]
) -> tuple[AnchorEvent | None, list[str]]:
    """The first event in ``events`` (latest first) that qualifies, and those excluded."""
    day = referral.referral_date
    own = referral.referral_id
    window = rule.window
    forward = window.months > 0
    exclude = rule.anchor is Anchor.PREVIOUS_REFERRAL or rule.exclude_same_case
    excluded: list[str] = []
    for event in events:
        anchor_day, ident, link = event
        if exclude and link == own:
            excluded.append(ident)
            continue
        if forward and anchor_day > day:
            continue  # a forward window never reaches back before its anchor
        if window.contains(anchor_day, day):
            return event, excluded
        if forward and anchor_day < day:
            # day is past this window's far end; every earlier anchor's far end is
            # no later (month addition is monotonic), so nothing earlier qualifies
            return None, excluded
    return None, excluded
