"""Charts for reports, drawn offline with matplotlib's Agg renderer into PNG bytes.

No pyplot and no global state: each chart is its own
:class:`matplotlib.figure.Figure`, so drawing is safe in tests and servers. Fonts
are matplotlib's defaults (shipped with it), so no network and no system fonts
are needed; PNGs carry no timestamp, so the same data draws the same bytes.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

import polars as pl

from earlyhelp.errors import ArgumentError
from earlyhelp.report._document import Chart

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["bar_chart", "heatmap_chart", "line_chart", "png_bytes"]

_SIZE = (7.0, 3.2)
_DPI = 100
_WRAP = 28  # characters per line of a wrapped category name


def png_bytes(figure: Figure) -> bytes:
    """The PNG bytes of a matplotlib figure, without a timestamp (reproducible)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=_DPI, metadata={"Software": None})
    return buffer.getvalue()


def _figure(size: tuple[float, float]) -> Figure:
    """A new figure of ``size`` inches.

    Matplotlib is imported on the first chart drawn, not with the package: it is a
    third of ``import earlyhelp``'s time (0.3 of 0.9 s, measured), and loading and
    computing draw nothing.
    """
    from matplotlib.figure import Figure  # noqa: PLC0415 - charts are optional work

    return Figure(figsize=size)


def _numbers(frame: pl.DataFrame, column: str) -> list[float | None]:
    return [None if v is None else float(v) for v in frame.get_column(column).to_list()]


def line_chart(
    frame: pl.DataFrame,
    *,
    x: str,
    series: Sequence[str],
    title: str,
    y_label: str = "",
    note: str | None = None,
) -> Chart:
    """A trend chart: one line per column in ``series`` against ``x`` (in row order).

    Nulls (not yet available) leave a gap in the line.

    Example:
        >>> frame = pl.DataFrame({"quarter": ["2014-15 Q1", "2014-15 Q2"], "cases": [712, 760]})
        >>> chart = line_chart(frame, x="quarter", series=["cases"], title="Cases")
        >>> chart.png[1:4], chart.alt
        (b'PNG', 'Cases: cases by quarter, 2014-15 Q1 to 2014-15 Q2')
    """
    labels = [str(v) for v in frame.get_column(x).to_list()]
    figure = _figure(_SIZE)
    axes = figure.subplots()
    positions = list(range(len(labels)))
    for name in series:
        values = [float("nan") if v is None else v for v in _numbers(frame, name)]
        axes.plot(positions, values, marker="o", label=name.replace("_", " "))
    axes.set_xticks(positions, labels, rotation=30, ha="right", fontsize=8)
    axes.set_title(title, fontsize=11)
    axes.set_ylabel(y_label)
    axes.set_ylim(bottom=0)
    axes.grid(axis="y", alpha=0.3)
    if len(series) > 1:
        axes.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    figure.tight_layout()
    span = f"{labels[0]} to {labels[-1]}" if labels else "no periods"
    alt = f"{title}: {', '.join(s.replace('_', ' ') for s in series)} by {x}, {span}"
    return Chart(title=title, png=png_bytes(figure), alt=alt, note=note)


def bar_chart(
    frame: pl.DataFrame,
    *,
    x: str,
    y: str,
    title: str,
    y_label: str = "",
    labels: str | None = None,
    note: str | None = None,
    horizontal: bool = False,
) -> Chart:
    """A bar chart of one column ``y`` against ``x`` (in row order), labelled with values.

    A null value draws no bar and is labelled ``n/a``. With ``labels``, each bar
    is labelled with that column's text instead (e.g. the published ``"12.0%"``).
    With ``horizontal``, bars run left to right, first row at the top, and long
    category names wrap over lines (for themes and other long labels); the
    chart grows with the number of bars so none is squashed.

    Example:
        >>> frame = pl.DataFrame({"quarter": ["Q1", "Q2"], "escalation_pct": [12.5, None]})
        >>> chart = bar_chart(frame, x="quarter", y="escalation_pct", title="Escalation %")
        >>> chart.alt
        'Escalation %: escalation pct by quarter, Q1 12.5, Q2 n/a'
        >>> themes = pl.DataFrame({"theme": ["feeling listened to and respected " * 2], "pct": [40]})
        >>> bar_chart(themes, x="theme", y="pct", title="Themes", horizontal=True).png[1:4]
        b'PNG'
    """
    ticks = [str(v) for v in frame.get_column(x).to_list()]
    values = _numbers(frame, y)
    positions = list(range(len(ticks)))
    heights = [0.0 if v is None else v for v in values]
    if labels is None:
        texts = ["n/a" if v is None else f"{v:g}" for v in values]
    else:
        texts = ["n/a" if t is None else str(t) for t in frame.get_column(labels).to_list()]
    if horizontal:
        wrapped = [textwrap.fill(tick, width=_WRAP) for tick in ticks]
        lines = sum(max(1, w.count("\n") + 1) for w in wrapped)
        figure = _figure((_SIZE[0], max(_SIZE[1], 1.2 + 0.22 * lines + 0.1 * len(ticks))))
        axes = figure.subplots()
        bars = axes.barh(positions, heights, color="#3b6ea5")
        axes.margins(x=0.15)
        axes.set_yticks(positions, wrapped, fontsize=8)
        axes.invert_yaxis()
        axes.set_xlabel(y_label)
        axes.grid(axis="x", alpha=0.3)
    else:
        figure = _figure(_SIZE)
        axes = figure.subplots()
        bars = axes.bar(positions, heights, color="#3b6ea5")
        axes.margins(y=0.15)
        axes.set_xticks(positions, ticks, rotation=30, ha="right", fontsize=8)
        axes.set_ylabel(y_label)
        axes.grid(axis="y", alpha=0.3)
    axes.bar_label(bars, labels=texts, fontsize=8, padding=2)
    axes.set_title(title, fontsize=11)
    figure.tight_layout()
    pairs = ", ".join(f"{tick} {text}" for tick, text in zip(ticks, texts, strict=True))
    alt = f"{title}: {y.replace('_', ' ')} by {x}, {pairs}"
    return Chart(title=title, png=png_bytes(figure), alt=alt, note=note)


def heatmap_chart(
    rows: Sequence[str],
    columns: Sequence[str],
    shares: Sequence[Sequence[float | None]],
    texts: Sequence[Sequence[str]],
    *,
    title: str,
    colour_label: str = "share",
    note: str | None = None,
) -> Chart:
    """A heat map: one row per ``rows`` entry, one column per ``columns`` entry.

    Each cell is shaded by its share (0 to 1) and labelled with its text (e.g. a
    published count). A ``None`` share is not shaded at all (a hidden or
    missing figure), so a suppressed cell cannot be read back from its colour.
    Long row names wrap over lines.

    Example:
        >>> chart = heatmap_chart(["Reviews", "Outcomes"], ["poor", "good"],
        ...                       [[0.25, 0.75], [None, None]], [["[c]", "6"], ["[c]", "[c]"]],
        ...                       title="Audit grades")
        >>> chart.png[1:4], chart.alt
        (b'PNG', 'Audit grades: 2 rows by 2 columns (poor, good); Reviews: poor [c], good 6; Outcomes: poor [c], good [c]')
    """
    if len(shares) != len(rows) or len(texts) != len(rows):
        msg = f"heatmap_chart: expected {len(rows)} rows of shares and texts"
        raise ArgumentError(msg)
    wrapped = [textwrap.fill(row, width=_WRAP + 12) for row in rows]
    lines = sum(w.count("\n") + 1 for w in wrapped)
    figure = _figure((2.8 + 1.1 * len(columns), 1.4 + 0.2 * lines + 0.12 * len(rows)))
    axes = figure.subplots()
    grid = [[math.nan if v is None else float(v) for v in row] for row in shares]
    image = axes.imshow(grid or [[math.nan]], cmap="Blues", vmin=0.0, vmax=1.0, aspect="auto")
    axes.set_xticks(range(len(columns)), list(columns), fontsize=8)
    axes.set_yticks(range(len(rows)), wrapped, fontsize=7)
    for y, row_texts in enumerate(texts):
        for x, text in enumerate(row_texts):
            share = grid[y][x]
            dark = not math.isnan(share) and share > 0.6
            axes.text(
                x, y, text, ha="center", va="center", fontsize=7, color="white" if dark else "black"
            )
    axes.set_title(title, fontsize=11)
    figure.colorbar(image, ax=axes, label=colour_label)
    figure.tight_layout()
    cells = "; ".join(
        f"{row}: " + ", ".join(f"{c} {t}" for c, t in zip(columns, row_texts, strict=True))
        for row, row_texts in zip(rows, texts, strict=True)
    )
    alt = f"{title}: {len(rows)} rows by {len(columns)} columns ({', '.join(columns)}); {cells}"
    return Chart(title=title, png=png_bytes(figure), alt=alt, note=note)
