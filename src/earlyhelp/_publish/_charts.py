"""Charts for reports, drawn offline with matplotlib's Agg renderer into PNG bytes.

No pyplot and no global state: each chart is its own
:class:`matplotlib.figure.Figure`, so drawing is safe in tests and servers. Fonts
are matplotlib's defaults (shipped with it), so no network and no system fonts
are needed; PNGs carry no timestamp, so the same data draws the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import polars as pl
from matplotlib.figure import Figure

from earlyhelp._publish._document import Chart

__all__ = ["bar_chart", "line_chart", "png_bytes"]

_SIZE = (7.0, 3.2)
_DPI = 100


def png_bytes(figure: Figure) -> bytes:
    """The PNG bytes of a matplotlib figure, without a timestamp (reproducible)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=_DPI, metadata={"Software": None})
    return buffer.getvalue()


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
    figure = Figure(figsize=_SIZE)
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
) -> Chart:
    """A bar chart of one column ``y`` against ``x`` (in row order), labelled with values.

    A null value draws no bar and is labelled ``n/a``. With ``labels``, each bar
    is labelled with that column's text instead (e.g. the published ``"12.0%"``).

    Example:
        >>> frame = pl.DataFrame({"quarter": ["Q1", "Q2"], "escalation_pct": [12.5, None]})
        >>> chart = bar_chart(frame, x="quarter", y="escalation_pct", title="Escalation %")
        >>> chart.alt
        'Escalation %: escalation pct by quarter, Q1 12.5, Q2 n/a'
    """
    ticks = [str(v) for v in frame.get_column(x).to_list()]
    values = _numbers(frame, y)
    figure = Figure(figsize=_SIZE)
    axes = figure.subplots()
    positions = list(range(len(ticks)))
    heights = [0.0 if v is None else v for v in values]
    bars = axes.bar(positions, heights, color="#3b6ea5")
    axes.margins(y=0.15)
    if labels is None:
        texts = ["n/a" if v is None else f"{v:g}" for v in values]
    else:
        texts = ["n/a" if t is None else str(t) for t in frame.get_column(labels).to_list()]
    axes.bar_label(bars, labels=texts, fontsize=8)
    axes.set_xticks(positions, ticks, rotation=30, ha="right", fontsize=8)
    axes.set_title(title, fontsize=11)
    axes.set_ylabel(y_label)
    axes.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    pairs = ", ".join(f"{tick} {text}" for tick, text in zip(ticks, texts, strict=True))
    alt = f"{title}: {y.replace('_', ' ')} by {x}, {pairs}"
    return Chart(title=title, png=png_bytes(figure), alt=alt, note=note)
