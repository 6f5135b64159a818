"""Flows in and out: monthly starts and ends of plans and care, and the stocks they move.

For each kind of statutory episode (``cp`` child protection plans and ``cic``
periods in care by default) and each calendar month from ``start`` to ``end``:

* ``opening``: episodes open at the end of the day before the month began
  (stock semantics, as :func:`~earlyhelp.periods.is_open_at`);
* ``starts``: episodes that started on a day of the month (flow, both ends
  inclusive); ``ends``: episodes that ended on a day of the month;
* ``net``: ``starts - ends``;
* ``closing``: episodes open at the end of the month's last day.

``opening`` and ``closing`` are counted from the episodes directly, not derived
from the flows, so ``opening + starts - ends == closing`` is a check on the data
(an episode cannot end before it starts), and :attr:`StatutoryFlows.reconciles`
says whether it holds.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import polars as pl

from earlyhelp.errors import ArgumentError, NotFoundError, PeriodError
from earlyhelp.io._dataset import Dataset
from earlyhelp.periods._periods import open_at_expr

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["StatutoryFlows", "months_between", "statutory_flows"]

_TITLES = {"cin": "child in need", "cp": "child protection plans", "cic": "children in care"}


def _month(value: dt.date | str) -> dt.date:
    if isinstance(value, str):
        try:
            year, month = (int(part) for part in value.split("-"))
            return dt.date(year, month, 1)
        except ValueError:
            msg = f"expected a month like '2014-12', got {value!r}"
            raise PeriodError(msg) from None
    return dt.date(value.year, value.month, 1)


def months_between(start: dt.date | str, end: dt.date | str) -> list[dt.date]:
    """The first days of every month from ``start``'s to ``end``'s, both included.

    Example:
        >>> [m.isoformat() for m in months_between("2014-11", dt.date(2015, 1, 31))]
        ['2014-11-01', '2014-12-01', '2015-01-01']
    """
    first, last = _month(start), _month(end)
    if last < first:
        msg = f"end {last:%Y-%m} is before start {first:%Y-%m}"
        raise PeriodError(msg)
    months = []
    current = first
    while current <= last:
        months.append(current)
        current = dt.date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


@attrs.frozen
class StatutoryFlows:
    """Monthly starts, ends, net change and stocks per kind of episode.

    Attributes:
        frame: ``kind``, ``month`` (its first day), ``opening``, ``starts``,
            ``ends``, ``net``, ``closing`` (exact counts).
        kinds: the kinds counted, in order.
    """

    frame: pl.DataFrame
    kinds: tuple[str, ...]

    @property
    def reconciles(self) -> bool:
        """Whether the stocks and flows agree in every month.

        ``opening + starts - ends == closing``, and each month's opening is the
        previous month's closing.
        """
        frame = self.frame
        moved = frame["opening"] + frame["starts"] - frame["ends"] == frame["closing"]
        chained = frame.select(
            (pl.col("opening") == pl.col("closing").shift(1)).over("kind").fill_null(value=True)
        ).to_series()
        return bool(moved.all() and chained.all())

    def month(self, kind: str, month: str) -> dict[str, int]:
        """One month's counts, e.g. ``flows.month("cic", "2014-12")``.

        Raises:
            NotFoundError: no such kind or month in the frame.
        """
        rows = self.frame.filter(pl.col("kind") == kind, pl.col("month") == _month(month))
        if rows.height != 1:
            msg = f"no {kind} row for {month}"
            raise NotFoundError(msg)
        row = rows.row(0, named=True)
        return {key: row[key] for key in ("opening", "starts", "ends", "net", "closing")}

    def chart(self, path: str | os.PathLike[str] | None = None) -> Figure:
        """Bars of starts and ends and a line of net change, one panel per kind.

        Uses matplotlib's object API (no pyplot state), so it draws headless.
        """
        from matplotlib.figure import Figure  # noqa: PLC0415 - charts are optional work
        from matplotlib.ticker import MaxNLocator  # noqa: PLC0415

        figure = Figure(figsize=(9, 3.2 * len(self.kinds)))
        axes_list = figure.subplots(len(self.kinds), 1, squeeze=False)[:, 0]
        for axes, kind in zip(axes_list, self.kinds, strict=True):
            rows = self.frame.filter(pl.col("kind") == kind)
            x = list(range(rows.height))
            axes.bar([i - 0.2 for i in x], rows["starts"].to_list(), width=0.4, label="starts")
            axes.bar([i + 0.2 for i in x], rows["ends"].to_list(), width=0.4, label="ends")
            axes.plot(x, rows["net"].to_list(), color="black", marker=".", label="net change")
            axes.axhline(0, color="grey", linewidth=0.5)
            axes.yaxis.set_major_locator(MaxNLocator(integer=True))
            labels = [f"{m:%b %y}" for m in rows["month"]]
            axes.set_xticks(x, labels, rotation=90, fontsize="x-small")
            axes.set_title(f"Starts and ends each month: {_TITLES.get(kind, kind)}")
            axes.legend(fontsize="small", loc="upper left")
        figure.tight_layout()
        if path is not None:
            figure.savefig(Path(path), format="png", dpi=100)
        return figure


def statutory_flows(
    data: Dataset,
    *,
    start: dt.date | str,
    end: dt.date | str,
    kinds: Sequence[str] = ("cp", "cic"),
) -> StatutoryFlows:
    """Monthly starts and ends of child protection plans and care, and net change.

    Args:
        data: the dataset (its ``social_care_episodes`` are read).
        start: the first month (a date in it, or ``"2014-04"``).
        end: the last month (a date in it, or ``"2015-03"``).
        kinds: which episodes: some of ``cin``, ``cp``, ``cic``.

    Example:
        >>> import earlyhelp as eh
        >>> data = eh.load(eh.demo_path())
        >>> flows = eh.cohorts.statutory_flows(data, start="2014-04", end="2015-03")
        >>> flows.reconciles
        True
        >>> december = flows.month("cic", "2014-12")
        >>> december["starts"] > december["ends"]
        True
    """
    unknown = sorted(set(kinds) - set(_TITLES))
    if unknown:
        msg = f"unknown kinds {', '.join(unknown)}; expected some of cin, cp, cic"
        raise ArgumentError(msg)
    months = months_between(start, end)
    after = [
        *months[1:],
        _month(dt.date(months[-1].year + months[-1].month // 12, months[-1].month % 12 + 1, 1)),
    ]
    episodes = data["social_care_episodes"].filter(pl.col("kind").is_in(list(kinds)))
    columns = []
    for index, first in enumerate(months):
        last = after[index] - dt.timedelta(days=1)
        columns += [
            open_at_expr("started", "ended", first - dt.timedelta(days=1))
            .sum()
            .alias(f"opening{index}"),
            pl.col("started").is_between(first, last).sum().alias(f"starts{index}"),
            pl.col("ended").is_between(first, last).sum().alias(f"ends{index}"),
            open_at_expr("started", "ended", last).sum().alias(f"closing{index}"),
        ]
    wide = episodes.group_by(pl.col("kind").cast(pl.String)).agg(columns)
    stocks = [
        wide.select(
            "kind",
            pl.lit(first).alias("month"),
            *(
                pl.col(f"{name}{index}").alias(name)
                for name in ("opening", "starts", "ends", "closing")
            ),
        )
        for index, first in enumerate(months)
    ]
    grid = pl.DataFrame(
        {"kind": [k for k in kinds for _ in months], "month": [m for _ in kinds for m in months]},
        schema={"kind": pl.String, "month": pl.Date},
    )
    counts = ("opening", "starts", "ends", "closing")
    frame = (
        grid.join(pl.concat(stocks), on=["kind", "month"], how="left", maintain_order="left")
        .with_columns(pl.col(c).fill_null(0).cast(pl.Int64) for c in counts)
        .with_columns((pl.col("starts") - pl.col("ends")).alias("net"))
        .select("kind", "month", "opening", "starts", "ends", "net", "closing")
    )
    return StatutoryFlows(frame=frame, kinds=tuple(kinds))
