"""The annual report's sections, each built from a plain polars frame.

The frames are the seam between measuring and publishing: the annual report
builder fills them from computed results; these functions only lay them out.

*Quarterly figures* are long: one row per (``row``, ``quarter``) with
``numerator`` and ``denominator`` (Int64, null where not available) and
``display``, the figure as published (``"615"``, ``"31/274"``, ``"11.3%"``,
``"awaited"``), already rounded and disclosure-controlled.

*Measure rows* are one row per measure: ``element``, ``measure``, ``baseline``,
``value``, ``target`` and ``rag``, all strings (empty where not set).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from earlyhelp.errors import ArgumentError
from earlyhelp.report._charts import bar_chart, line_chart
from earlyhelp.report._document import Block, Paragraph, ReportTable, Section

__all__ = [
    "FIGURE_COLUMNS",
    "HIDDEN_NOTE",
    "MEASURE_COLUMNS",
    "measures_section",
    "performance_section",
]

FIGURE_COLUMNS = ("row", "quarter", "numerator", "denominator", "display")
MEASURE_COLUMNS = ("element", "measure", "baseline", "value", "target", "rag")

_ELEMENTS = {
    "how_much": "How much did we do?",
    "how_well": "How well did we do it?",
    "impact": "Is anyone better off? (impact)",
    "context": "Context",
}


def _require(frame: pl.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        msg = f"{what}: missing column(s) {', '.join(missing)}; expected {', '.join(columns)}"
        raise ArgumentError(msg)


def quarterly_table(figures: pl.DataFrame, rows: Sequence[tuple[str, str]]) -> pl.DataFrame:
    """Pivot quarterly figures to the source report's layout: one row per line, quarters across.

    Args:
        figures: quarterly figures (see the module's description).
        rows: ``(row key, label)`` pairs, in the order to show them.

    Example:
        >>> figures = pl.DataFrame({
        ...     "row": ["cases", "cases", "esc", "esc"],
        ...     "quarter": ["2014-15 Q1", "2014-15 Q2"] * 2,
        ...     "numerator": [683, 726, 51, None], "denominator": [None, None, 273, None],
        ...     "display": ["683", "726", "51/273", "awaited"],
        ... })
        >>> quarterly_table(figures, [("cases", "Early help cases"), ("esc", "Escalated")]).rows()
        [('Early help cases', '683', '726'), ('Escalated', '51/273', 'awaited')]
    """
    _require(figures, FIGURE_COLUMNS, "quarterly figures")
    quarters = list(dict.fromkeys(figures.get_column("quarter").to_list()))
    cells = {(r, q): d for r, q, d in figures.select("row", "quarter", "display").iter_rows()}
    table = [[label, *(cells.get((key, q), "") for q in quarters)] for key, label in rows]
    return pl.DataFrame(
        table, schema=["line", *quarters], orient="row", schema_overrides={"line": pl.String}
    )


def _series(figures: pl.DataFrame, keys: Sequence[str]) -> pl.DataFrame:
    """Each row's published figures as numbers: a figure not shown as a number is null.

    Only the published text is read, never the exact numerator, so a point
    hidden in the table ([c]) is absent from the chart too.
    """
    quarters = list(dict.fromkeys(figures.get_column("quarter").to_list()))
    frame = pl.DataFrame({"quarter": quarters})
    for key in keys:
        part = figures.filter(pl.col("row") == key).select(
            "quarter", _published_number(pl.col("display")).alias(key)
        )
        frame = frame.join(part, on="quarter", how="left", maintain_order="left")
    return frame


def _published_number(display: pl.Expr) -> pl.Expr:
    """A published figure's text as a number (``"1,234"`` -> 1234.0, ``"18.6%"`` -> 18.6)."""
    return (
        display.str.strip_chars()
        .str.replace_all(",", "")
        .str.strip_suffix("%")
        .cast(pl.Float64, strict=False)
    )


#: The note beside a table or chart with hidden figures.
HIDDEN_NOTE = (
    "[c]: hidden to protect confidentiality (a small count, or a figure that would give one "
    "away); a hidden figure is not drawn in any chart."
)


def performance_section(
    figures: pl.DataFrame,
    rows: Sequence[tuple[str, str]],
    *,
    trend: Sequence[tuple[str, str]] = (),
    rate: tuple[str, str] | None = None,
    title: str = "Quarterly performance",
    intro: str = "",
    note: str | None = None,
) -> Section:
    """The quarterly performance table across two years, a trend chart and a rate chart.

    Args:
        figures: quarterly figures (see the module's description).
        rows: ``(row key, label)`` pairs for the table, in order.
        trend: ``(row key, label)`` pairs drawn as lines: their published
            figures (``display``), so a figure hidden in the table ([c]) leaves
            a gap in the line, with a note.
        rate: ``(row key, label)`` of a percentage row drawn as bars, labelled
            with its published figures (``display``), so chart and table agree;
            a quarter whose figure is not a number (``"awaited"``) has no bar
            and is labelled with that reason.
        title: the section's title.
        intro: a paragraph before the table.
        note: a footnote under the table.

    Example:
        >>> figures = pl.DataFrame({
        ...     "row": ["esc", "esc", "pct", "pct"], "quarter": ["2014-15 Q1", "2014-15 Q2"] * 2,
        ...     "numerator": [51, 53, 51, None], "denominator": [273, 369, 273, None],
        ...     "display": ["51/273", "53/369", "18.6%", "awaited"],
        ... })
        >>> section = performance_section(
        ...     figures, [("esc", "Escalated"), ("pct", "Escalation %")],
        ...     trend=[("esc", "Escalated")], rate=("pct", "Escalation %"))
        >>> [type(block).__name__ for block in section.blocks]
        ['ReportTable', 'Chart', 'Chart']
        >>> section.blocks[2].alt
        'Escalation %: Escalation % by quarter, 2014-15 Q1 18.6%, 2014-15 Q2 awaited'
    """
    blocks: list[Block] = []
    if intro:
        blocks.append(Paragraph(text=intro))
    table = quarterly_table(figures, rows)
    blocks.append(ReportTable(title=title, frame=table, note=note))
    if trend:
        series = _series(figures, [key for key, _ in trend])
        series = series.rename(dict(trend))
        gaps = series.select(pl.exclude("quarter").is_null().any()).row(0)
        blocks.append(
            line_chart(
                series,
                x="quarter",
                series=[label for _, label in trend],
                title=f"{title}: trends",
                y_label="number",
                note=HIDDEN_NOTE if any(gaps) else None,
            )
        )
    if rate is not None:
        key, label = rate
        part = figures.filter(pl.col("row") == key)
        quarters = pl.DataFrame({"quarter": list(dict.fromkeys(figures["quarter"].to_list()))})
        shares = quarters.join(
            part.select(
                "quarter",
                _published_number(pl.col("display")).alias(label),
                pl.col("display").alias("_shown"),
            ),
            on="quarter",
            how="left",
            maintain_order="left",
        )
        blocks.append(
            bar_chart(
                shares,
                x="quarter",
                y=label,
                title=label,
                y_label="%",
                labels="_shown",
                note=HIDDEN_NOTE if shares.get_column(label).is_null().any() else None,
            )
        )
    return Section(title=title, blocks=tuple(blocks))


def measures_section(
    measures: pl.DataFrame,
    *,
    title: str = "The framework's measures",
    intro: str = "",
    note: str | None = None,
) -> Section:
    """One table per element of the framework (how much, how well, impact), in that order.

    Example:
        >>> rows = pl.DataFrame({
        ...     "element": ["how_well", "how_much"], "measure": ["Re-referrals", "Referrals"],
        ...     "baseline": ["", "1,204"], "value": ["20.3%", "1,310"], "target": ["15%", ""],
        ...     "rag": ["red", ""],
        ... })
        >>> [block.title for block in measures_section(rows).blocks]
        ['How much did we do?', 'How well did we do it?']
    """
    _require(measures, MEASURE_COLUMNS, "measure rows")
    blocks: list[Block] = []
    if intro:
        blocks.append(Paragraph(text=intro))
    present = set(measures.get_column("element").to_list())
    order = [e for e in _ELEMENTS if e in present] + sorted(present - set(_ELEMENTS))
    for element in order:
        part = measures.filter(pl.col("element") == element).select(*MEASURE_COLUMNS[1:])
        blocks.append(
            ReportTable(title=_ELEMENTS.get(element) or str(element), frame=part, note=None),
        )
    if note:
        blocks.append(Paragraph(text=note))
    return Section(title=title, blocks=tuple(blocks))
