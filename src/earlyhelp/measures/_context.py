"""What a measure's calculator works from: the data, the profile and the periods."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from typing import Final, TypeVar, cast

import polars as pl

from earlyhelp.errors import MeasureError
from earlyhelp.io._dataset import Dataset
from earlyhelp.periods._periods import (
    FinancialYear,
    Period,
    PeriodsLike,
    Quarter,
    as_periods,
    open_at_expr,
)
from earlyhelp.profiles._profile import Profile

__all__ = ["MEMBER_COLUMNS", "FigureUnavailableError", "MeasureContext", "span"]

T = TypeVar("T")

#: The columns of a members frame, in order (``breakdown`` is optional).
MEMBER_COLUMNS = ("period", "team_id", "locality_id", "record_id", "numerator", "denominator")


class FigureUnavailableError(MeasureError):
    """A calculator cannot compute its measure under this profile, for a stated reason.

    :func:`~earlyhelp.measures.compute` catches it: the measure's figures are
    missing with the reason, and the other measures are computed all the same.

    Attributes:
        missing: the reason, as a :class:`~earlyhelp.measures.Missing` value
            (e.g. ``"not_referral_anchored"``).
    """

    def __init__(self, missing: str, message: str) -> None:
        self.missing = missing
        super().__init__(message)


_EPOCH: Final = dt.date(1970, 1, 1).toordinal()
"""A polars date's day 0: a date is stored as its days since."""


class MeasureContext:
    """The data, profile and periods a calculator turns into members.

    Calculators use :meth:`flow` and :meth:`stock` to place records in the
    requested periods, so every measure places them the same way.

    The periods may be given as labels (``["2014-15 Q3", "2014-15"]``), or none.

    Attributes:
        data: the :class:`Dataset`.
        profile: the :class:`Profile` in force.
        periods: the periods asked for (quarters and financial years), once each.
    """

    def __init__(self, data: Dataset, profile: Profile, periods: PeriodsLike) -> None:
        self.data = data
        self.profile = profile
        asked = as_periods(periods) if isinstance(periods, str | Period) or periods else ()
        self.periods: tuple[Period, ...] = tuple(dict.fromkeys(asked))
        self.labels = pl.Enum([p.label for p in self.periods])
        self._made: dict[Hashable, object] = {}
        self._asked: set[Hashable] = set()
        self._calendars: dict[type[Period], pl.Series | None] = {}

    def once(self, key: Hashable, make: Callable[[], T]) -> T:
        """What ``make()`` returns, made on the first call for ``key`` and then reused.

        Calculators share costly eager work this way (re-referral flags serve
        both the count and the rate), made once per :func:`compute`, which
        keeps it while the measures that share it are computed (see
        :meth:`forget_unasked`).

        Example:
            >>> import earlyhelp as eh
            >>> ctx = MeasureContext(eh.load({}), eh.load_profile("derby-2014-15"), [])
            >>> ctx.once("answer", lambda: 42), ctx.once("answer", lambda: 0)
            (42, 42)
        """
        self._asked.add(key)
        if key not in self._made:
            self._made[key] = make()
        return cast("T", self._made[key])

    def forget_unasked(self) -> None:
        """Drop what :meth:`once` made that nothing has asked for since the last call.

        :func:`compute` calls it after each measure, so shared work is held
        while the measures that share it are computed, then freed: measures
        that share work are neighbours in a catalogue. Work asked for again
        after it was dropped is made again, to the same result.

        Example:
            >>> import earlyhelp as eh
            >>> ctx = MeasureContext(eh.load({}), eh.load_profile("derby-2014-15"), [])
            >>> ctx.once("answer", lambda: 42)
            42
            >>> ctx.forget_unasked()  # asked for since the last call: kept
            >>> ctx.once("answer", lambda: 0)
            42
            >>> ctx.forget_unasked(); ctx.forget_unasked()  # not asked for since: dropped
            >>> ctx.once("answer", lambda: 0)
            0
        """
        for key in [key for key in self._made if key not in self._asked]:
            del self._made[key]
        self._asked.clear()

    def lazy(self, table: str) -> pl.LazyFrame:
        """One input table, lazily."""
        return self.data[table].lazy()

    def flow(self, frame: pl.LazyFrame, date: str) -> pl.LazyFrame:
        """Place each record in every requested period its ``date`` falls in.

        Both ends of a period are inclusive. A record with no date is in no
        period. The record appears once for its quarter and once for its
        financial year, if both were asked for.

        Records dated outside every period asked for are left out first, so
        that work done on ``frame`` before (a look-up of each record's team)
        is done on the rest only: polars takes the filter down to the table.
        """
        found = (self._calendar(kind) for kind in (Quarter, FinancialYear))
        calendars = [calendar for calendar in found if calendar is not None]
        if not calendars:
            return self._nowhere(frame)
        first, last = span(self)
        dated = frame.filter(pl.col(date).is_between(first, last, closed="both"))
        # Each day's period read from a calendar of the span by the day's number: with
        # the count by team and route, 0.015 s against 0.05 for working out its year and
        # quarter (.dt.year(), .dt.month()) and joining their key to the periods (764k
        # referrals in the span at 1M cases, polars 2.1).
        # Clipped, so that a day outside the span (a filter polars might evaluate first)
        # cannot index outside the calendar.
        day = pl.col(date).cast(pl.Date).cast(pl.Int32) - (first.toordinal() - _EPOCH)
        parts = []
        for calendar in calendars:
            period = pl.lit(calendar).gather(day.clip(0, calendar.len() - 1)).alias("period")
            part = dated.with_columns(period)
            parts.append(
                part.filter(pl.col("period").is_not_null()) if calendar.has_nulls() else part
            )
        return pl.concat(parts, how="vertical")

    def _calendar(self, kind: type[Period]) -> pl.Series | None:
        """The span's days, each labelled with its period of ``kind`` asked for (or null).

        ``None`` when no period of ``kind`` is asked for. Made once per context.
        """
        if kind not in self._calendars:
            asked = [p for p in self.periods if isinstance(p, kind)]
            made = None
            if asked:
                first_day, last_day = span(self)
                start = first_day.toordinal()
                labels: list[str | None] = [None] * (last_day.toordinal() - start + 1)
                for period in asked:
                    first, last = period.start.toordinal() - start, period.end.toordinal() - start
                    labels[first : last + 1] = [period.label] * (last - first + 1)
                made = pl.Series("period", labels, dtype=self.labels)
            self._calendars[kind] = made
        return self._calendars[kind]

    def stock(
        self, frame: pl.LazyFrame, opened: str, closed: str, *, keep: pl.Expr | None = None
    ) -> pl.LazyFrame:
        """Place each record in every requested period at whose end it is open.

        Open at the end of a period means opened on or before its last day and not
        closed on or before it: a case closed on a quarter's last day is not open
        at its end.

        With ``keep``, a filter evaluated over each period's records on their own
        (in the frame's order): ``pl.col("person_id").is_first_distinct()`` keeps
        each person's first record in each period. Thinning each period's records
        before they are put together took half the time of unique rows taken
        afterwards over period and person (children in need at 1M cases, polars 2.1).

        Example:
            >>> import datetime as dt
            >>> import earlyhelp as eh
            >>> ctx = MeasureContext(eh.load({}), eh.load_profile("derby-2014-15"),
            ...     ["2014-15 Q1", "2014-15 Q2"])
            >>> episodes = pl.LazyFrame({"child": ["A", "A", "A", "B"],
            ...     "started": [dt.date(2014, 4, d) for d in (1, 2, 3, 1)],
            ...     "ended": [dt.date(2014, 5, 1), None, None, dt.date(2014, 6, 30)]})
            >>> ctx.stock(episodes, "started", "ended").collect().height
            4
            >>> first = pl.col("child").is_first_distinct()  # of those open at the end
            >>> ctx.stock(episodes, "started", "ended", keep=first).collect().rows()
            [('A', datetime.date(2014, 4, 2), None, '2014-15 Q1'), ('A', datetime.date(2014, 4, 2), None, '2014-15 Q2')]
        """

        def at_end(period: Period) -> pl.LazyFrame:
            part = frame.filter(open_at_expr(opened, closed, period.end))
            if keep is not None:
                part = part.filter(keep)
            return part.with_columns(pl.lit(period.label, dtype=self.labels).alias("period"))

        parts = [at_end(period) for period in self.periods]
        if not parts:
            return self._nowhere(frame)
        return pl.concat(parts, how="vertical")

    def _nowhere(self, frame: pl.LazyFrame) -> pl.LazyFrame:
        """No record placed: ``frame``'s columns and ``period``, without rows."""
        return frame.with_columns(pl.lit(None, dtype=self.labels).alias("period")).clear()

    def may_be_open(self, opened: str, closed: str) -> pl.Expr:
        """False for a record open at no period's end: opened after the last, or closed by the first.

        A cheap filter that leaves out records :meth:`stock` would place nowhere,
        before costly work on them (a sort, a join); it keeps some that are open
        only between the ends, and :meth:`stock` still decides.

        Example:
            >>> import datetime as dt
            >>> import earlyhelp as eh
            >>> ctx = MeasureContext(eh.load({}), eh.load_profile("derby-2014-15"),
            ...     ["2014-15 Q1", "2014-15 Q3"])
            >>> cases = pl.DataFrame({
            ...     "opened": [dt.date(2014, 4, 1), dt.date(2014, 7, 1), dt.date(2015, 1, 1)],
            ...     "closed": [dt.date(2014, 6, 30), dt.date(2014, 8, 1), None]})
            >>> cases.select(ctx.may_be_open("opened", "closed"))["opened"].to_list()
            [False, True, False]
        """
        if not self.periods:
            return pl.lit(value=False)
        ends = [period.end for period in self.periods]
        ended = pl.col(closed)
        return (pl.col(opened) <= max(ends)) & (ended.is_null() | (ended > min(ends)))

    def with_team(self, frame: pl.LazyFrame, *, via: str = "episode_id") -> pl.LazyFrame:
        """Attribute records to the team and locality of the case they belong to."""
        teams = self.lazy("cases").select(pl.col("episode_id").alias(via), "team_id", "locality_id")
        return frame.drop("team_id", "locality_id", strict=False).join(teams, on=via, how="left")


def span(ctx: MeasureContext) -> tuple[dt.date, dt.date]:
    """The first and last day of all the periods asked for (at least one)."""
    return min(p.start for p in ctx.periods), max(p.end for p in ctx.periods)
