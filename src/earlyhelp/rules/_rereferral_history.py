"""The earlier records a re-referral is judged against, indexed once by child and family.

Judging referrals one by one (an app, or a worker's screen) runs the bulk
re-referral definition on the referral and the history it needs: the earlier
closures and referrals of the same child or family. A :class:`RereferralHistory`
sorts each table once by child and by family, so a referral's history is a
zero-copy slice of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import attrs
import polars as pl

from earlyhelp.model._casework import EarlyHelpCase, Referral
from earlyhelp.rules._rereferral_rule import Anchor, MatchOn

__all__ = [
    "CASE_COLUMNS",
    "REFERRAL_COLUMNS",
    "RereferralHistory",
    "as_columns",
    "case_row",
    "key_column",
    "referral_row",
]

CASE_COLUMNS: Final = {
    "episode_id": pl.String,
    "person_id": pl.String,
    "family_id": pl.String,
    "referral_id": pl.String,
    "closed": pl.Date,
    "opened": pl.Date,
}
"""The columns of the ``cases`` table a re-referral rule reads (closures as anchors; the
date the case a referral opened was opened, for rules placed by case opened)."""

REFERRAL_COLUMNS: Final = {
    "referral_id": pl.String,
    "person_id": pl.String,
    "family_id": pl.String,
    "referral_date": pl.Date,
}
"""The columns of the ``referrals`` table a re-referral rule reads."""


def case_row(case: EarlyHelpCase) -> tuple[object, ...]:
    """A case record as a row of :data:`CASE_COLUMNS`."""
    return (
        case.episode_id,
        case.person_id,
        case.family_id,
        case.referral_id,
        case.closed,
        case.opened,
    )


def referral_row(ref: Referral) -> tuple[object, ...]:
    """A referral record as a row of :data:`REFERRAL_COLUMNS`."""
    return (ref.referral_id, ref.person_id, ref.family_id, ref.referral_date)


def key_column(match_on: MatchOn) -> str:
    """The column an episode is matched on: ``person_id`` or ``family_id``."""
    return "person_id" if match_on is MatchOn.CHILD else "family_id"


def as_columns(frame: pl.DataFrame | None, columns: dict[str, type[pl.DataType]]) -> pl.LazyFrame:
    """The columns a rule reads, as text and dates (a column the table lacks is null)."""
    if frame is None:
        return pl.LazyFrame(schema=columns)
    return frame.lazy().select(
        (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name)
        for name, dtype in columns.items()
    )


@attrs.frozen
class _Index:
    """One table sorted by a key column, and where each key's rows start and how many."""

    rows: pl.DataFrame
    spans: dict[str, tuple[int, int]]

    @classmethod
    def of(cls, table: pl.DataFrame, key: str) -> _Index:
        rows = table.filter(pl.col(key).is_not_null()).sort(key, maintain_order=True)
        runs = rows.select(pl.col(key).rle()).unnest(key)
        spans: dict[str, tuple[int, int]] = {}
        first = 0
        for length, value in runs.iter_rows():
            spans[value] = (first, length)
            first += length
        return cls(rows, spans)

    def slice(self, key: str) -> pl.DataFrame:
        first, length = self.spans.get(key, (0, 0))
        return self.rows.slice(first, length)


@attrs.frozen(eq=False)
class RereferralHistory:
    """Earlier case closures and referrals, indexed by child and by family once.

    To judge many referrals one by one, build a history once and pass it to
    :func:`is_rereferral` as ``history=``: each decision then reads only its own
    child's (or family's) rows, a slice of a table sorted the first time a rule
    asks for that grouping. Open cases are kept too: only closures are anchors,
    but a rule placed by ``case_opened`` reads the date a referral's case opened.

    Attributes:
        closures: cases: ``episode_id``, ``person_id``, ``family_id``,
            ``referral_id`` (the referral that opened the case), ``closed`` (null
            while open) and ``opened``.
        referrals: referrals: ``referral_id``, ``person_id``, ``family_id`` and
            ``referral_date``.

    Example:
        >>> import datetime as dt
        >>> case = EarlyHelpCase(
        ...     episode_id="C-1", person_id="P-1", family_id="F-1", team_id="T1U",
        ...     locality_id="L1", opened=dt.date(2014, 6, 2), closed=dt.date(2014, 11, 30),
        ...     closure_reason="outcomes_met",
        ... )
        >>> history = RereferralHistory.of(cases=[case])
        >>> history.events(Anchor.PREVIOUS_CLOSURE, MatchOn.FAMILY, "F-1")["episode_id"].to_list()
        ['C-1']
    """

    closures: pl.DataFrame
    referrals: pl.DataFrame
    _indexes: dict[tuple[Anchor, MatchOn], _Index] = attrs.field(
        factory=dict, init=False, repr=False
    )
    _openers: list[_Index] = attrs.field(factory=list, init=False, repr=False)

    @classmethod
    def of(
        cls, *, cases: Iterable[EarlyHelpCase] = (), referrals: Iterable[Referral] = ()
    ) -> RereferralHistory:
        """Gather case and referral records."""
        closures = [case_row(case) for case in cases]
        earlier = [referral_row(ref) for ref in referrals]
        return cls(
            pl.DataFrame(closures, schema=CASE_COLUMNS, orient="row"),
            pl.DataFrame(earlier, schema=REFERRAL_COLUMNS, orient="row"),
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
            >>> history.events(Anchor.PREVIOUS_REFERRAL, MatchOn.CHILD, "P-1")["referral_id"].to_list()
            ['R-1', 'R-2']
        """
        closures = as_columns(cases, CASE_COLUMNS)
        return cls(closures.collect(), as_columns(referrals, REFERRAL_COLUMNS).collect())

    def events(self, anchor: Anchor, match_on: MatchOn, key: str) -> pl.DataFrame:
        """The rows of one child or family that can anchor a window, in the order given.

        Closed cases for :attr:`Anchor.PREVIOUS_CLOSURE`, referrals for
        :attr:`Anchor.PREVIOUS_REFERRAL`; ``key`` is a ``person_id`` or
        ``family_id`` as ``match_on`` says.
        """
        index = self._indexes.get((anchor, match_on))
        if index is None:
            table = self.closures if anchor is Anchor.PREVIOUS_CLOSURE else self.referrals
            index = _Index.of(table, key_column(match_on))
            self._indexes[(anchor, match_on)] = index
        return index.slice(key)

    def opened_by(self, referral_id: str) -> pl.DataFrame:
        """The cases a referral opened (``referral_id`` is its id), open or closed.

        Example:
            >>> import datetime as dt
            >>> case = EarlyHelpCase(
            ...     episode_id="C-1", person_id="P-1", referral_id="R-1", team_id="T1U",
            ...     locality_id="L1", opened=dt.date(2014, 6, 2),
            ... )
            >>> RereferralHistory.of(cases=[case]).opened_by("R-1")["episode_id"].to_list()
            ['C-1']
        """
        if not self._openers:
            self._openers.append(_Index.of(self.closures, "referral_id"))
        return self._openers[0].slice(referral_id)
