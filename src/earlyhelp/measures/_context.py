"""What a measure's calculator works from: the data, the profile and the periods."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar, cast

import polars as pl

from earlyhelp.errors import MeasureError
from earlyhelp.io._dataset import Dataset
from earlyhelp.periods._periods import FinancialYear, Period, Quarter, open_at_expr
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


def _fy_start(column: str) -> pl.Expr:
    day = pl.col(column)
    return day.dt.year().cast(pl.Int32) - (day.dt.month() < 4).cast(pl.Int32)


def _quarter(column: str) -> pl.Expr:
    return ((pl.col(column).dt.month().cast(pl.Int32) + 8) % 12) // 3 + 1


def _key(period: Period) -> int:
    if isinstance(period, Quarter):
        return period.year.start_year * 10 + period.number
    return period.start_year * 10


class MeasureContext:
    """The data, profile and periods a calculator turns into members.

    Calculators use :meth:`flow` and :meth:`stock` to place records in the
    requested periods, so every measure places them the same way.

    Attributes:
        data: the :class:`Dataset`.
        profile: the :class:`Profile` in force.
        periods: the periods asked for (quarters and financial years).
    """

    def __init__(self, data: Dataset, profile: Profile, periods: Sequence[Period]) -> None:
        self.data = data
        self.profile = profile
        self.periods: tuple[Period, ...] = tuple(dict.fromkeys(periods))
        self.labels = pl.Enum([p.label for p in self.periods])
        self._keys = pl.DataFrame(
            {
                "_key": [_key(p) for p in self.periods],
                "period": pl.Series([p.label for p in self.periods], dtype=self.labels),
            },
            schema={"_key": pl.Int32, "period": self.labels},
        ).lazy()
        self._made: dict[Hashable, object] = {}
        self._asked: set[Hashable] = set()

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
        if not self.periods:
            return frame.select(pl.lit(None, dtype=self.labels).alias("period")).clear()
        start = _fy_start(date)
        first, last = span(self)
        dated = frame.filter(pl.col(date).is_between(first, last, closed="both"))
        in_quarter = dated.with_columns((start * 10 + _quarter(date)).alias("_key"))
        in_year = dated.with_columns((start * 10).alias("_key"))
        wanted = {type(p) for p in self.periods}
        parts = [
            part
            for kind, part in ((Quarter, in_quarter), (FinancialYear, in_year))
            if kind in wanted
        ]
        if not parts:
            return frame.select(pl.lit(None, dtype=self.labels).alias("period")).clear()
        placed = pl.concat(parts, how="vertical")
        return placed.join(self._keys, on="_key", how="inner").drop("_key")

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
            >>> from earlyhelp.periods import parse_period
            >>> ctx = MeasureContext(eh.load({}), eh.load_profile("derby-2014-15"),
            ...     [parse_period("2014-15 Q1"), parse_period("2014-15 Q2")])
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
            return frame.with_columns(pl.lit(None, dtype=self.labels).alias("period")).clear()
        return pl.concat(parts, how="vertical")

    def with_team(self, frame: pl.LazyFrame, *, via: str = "episode_id") -> pl.LazyFrame:
        """Attribute records to the team and locality of the case they belong to."""
        teams = self.lazy("cases").select(pl.col("episode_id").alias(via), "team_id", "locality_id")
        return frame.drop("team_id", "locality_id", strict=False).join(teams, on=via, how="left")


def span(ctx: MeasureContext) -> tuple[dt.date, dt.date]:
    """The first and last day of all the periods asked for (at least one)."""
    return min(p.start for p in ctx.periods), max(p.end for p in ctx.periods)
