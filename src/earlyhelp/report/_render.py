"""Render a :class:`Report` as self-contained HTML or as Markdown with PNG files beside it.

The HTML needs nothing from the network: the stylesheet is inline and each
chart is a ``data:image/png;base64`` URI. Every text is escaped, so a title or a
cell can never inject markup.
"""

from __future__ import annotations

import base64
import html
import os
import re
from pathlib import Path
from typing import Final

import polars as pl

from earlyhelp.report._document import Chart, Paragraph, Report, ReportTable, Section, slug

__all__ = ["render_html", "render_markdown", "write_html", "write_markdown"]

_CSS: Final = """
body { font-family: sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       color: #1b1b1b; line-height: 1.45; }
h1 { margin-bottom: 0.2rem; } .subtitle { color: #555; margin-top: 0; }
h2 { border-bottom: 2px solid #3b6ea5; padding-bottom: 0.2rem; margin-top: 2.2rem; }
table { border-collapse: collapse; margin: 0.6rem 0 0.3rem; font-size: 0.85rem; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.3rem; }
th, td { border: 1px solid #c8c8c8; padding: 0.25rem 0.5rem; }
th { background: #eef3f9; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto; }
figcaption, .note { font-size: 0.8rem; color: #555; }
.rag-red { background: #f4c7c3; } .rag-amber { background: #fce8b2; }
.rag-green { background: #b7e1cd; }
footer { margin-top: 2.5rem; font-size: 0.8rem; color: #555; border-top: 1px solid #ccc; }
"""

_RAG: Final = {"red": "rag-red", "amber": "rag-amber", "green": "rag-green"}


def _cell(value: object) -> str:
    return "" if value is None else str(value)


_FIGURE = re.compile(r"[-+]?[\d,]+(\.\d+)?%?(/[\d,]+)?")


def _numeric(frame: pl.DataFrame) -> list[bool]:
    return [dtype.is_numeric() for dtype in frame.dtypes]


def _is_figure(text: str) -> bool:
    """Whether a cell reads as a figure (``1,234``, ``18.6%``, ``31/274``): right-aligned."""
    return _FIGURE.fullmatch(text) is not None


def _html_table(table: ReportTable) -> str:
    frame = table.frame
    numeric = _numeric(frame)
    head = "".join(f"<th>{html.escape(name)}</th>" for name in frame.columns)
    rows = []
    for row in frame.iter_rows():
        cells = []
        for value, num in zip(row, numeric, strict=True):
            text = _cell(value)
            classes = ["num"] if num or _is_figure(text) else []
            if text.lower() in _RAG:
                classes.append(_RAG[text.lower()])
            attr = f' class="{" ".join(classes)}"' if classes else ""
            cells.append(f"<td{attr}>{html.escape(text)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    note = f'<p class="note">{html.escape(table.note)}</p>' if table.note else ""
    return (
        f"<table><caption>{html.escape(table.title)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{note}"
    )


def _html_chart(chart: Chart) -> str:
    data = base64.b64encode(chart.png).decode("ascii")
    note = f" {html.escape(chart.note)}" if chart.note else ""
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(chart.alt)}">'
        f"<figcaption>{html.escape(chart.title)}.{note}</figcaption></figure>"
    )


def _html_section(section: Section) -> str:
    parts = [f'<section id="{slug(section.title)}"><h2>{html.escape(section.title)}</h2>']
    for block in section.blocks:
        if isinstance(block, Paragraph):
            parts.append(f"<p>{html.escape(block.text)}</p>")
        elif isinstance(block, ReportTable):
            parts.append(_html_table(block))
        else:
            parts.append(_html_chart(block))
    parts.append("</section>")
    return "\n".join(parts)


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page (inline CSS and images, no scripts).

    Example:
        >>> from earlyhelp.report._document import Paragraph, Section
        >>> page = render_html(Report(title="Impact <2014-15>", sections=(
        ...     Section(title="Summary", blocks=(Paragraph(text="Cases & plans."),)),)))
        >>> "<h1>Impact &lt;2014-15&gt;</h1>" in page, "<p>Cases &amp; plans.</p>" in page
        (True, True)
        >>> "http" in page  # nothing is fetched
        False
    """
    title = html.escape(report.title)
    subtitle = f'<p class="subtitle">{html.escape(report.subtitle)}</p>' if report.subtitle else ""
    body = "\n".join(_html_section(section) for section in report.sections)
    notes = "".join(f"<p>{html.escape(note)}</p>" for note in report.notes)
    footer = f"<footer>{notes}</footer>" if notes else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<h1>{title}</h1>\n{subtitle}\n{body}\n{footer}\n</body>\n</html>\n"
    )


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_table(table: ReportTable) -> str:
    frame = table.frame
    numeric = _numeric(frame)
    head = "| " + " | ".join(_md_escape(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---:" if num else "---" for num in numeric) + "|"
    rows = [
        "| " + " | ".join(_md_escape(_cell(v)) for v in row) + " |" for row in frame.iter_rows()
    ]
    note = f"\n\n*{table.note}*" if table.note else ""
    return f"**{table.title}**\n\n" + "\n".join([head, rule, *rows]) + note


def render_markdown(report: Report, images: str = "") -> str:
    """The report as Markdown; each chart links to ``<images>/<slug of its title>.png``.

    Example:
        >>> import polars as pl
        >>> from earlyhelp.report._document import ReportTable, Section
        >>> table = ReportTable(title="Cases", frame=pl.DataFrame({"quarter": ["Q1"], "cases": [712]}))
        >>> print(render_markdown(Report(title="Impact", sections=(
        ...     Section(title="Performance", blocks=(table,)),))))
        # Impact
        <BLANKLINE>
        ## Performance
        <BLANKLINE>
        **Cases**
        <BLANKLINE>
        | quarter | cases |
        |---|---:|
        | Q1 | 712 |
        <BLANKLINE>
    """
    out = [f"# {report.title}", ""]
    if report.subtitle:
        out += [f"*{report.subtitle}*", ""]
    prefix = f"{images}/" if images else ""
    for section in report.sections:
        out += [f"## {section.title}", ""]
        for block in section.blocks:
            if isinstance(block, Paragraph):
                out.append(block.text)
            elif isinstance(block, ReportTable):
                out.append(_md_table(block))
            else:
                note = f" {block.note}" if block.note else ""
                out.append(f"![{_md_escape(block.alt)}]({prefix}{slug(block.title)}.png)")
                out.append("")
                out.append(f"*{block.title}.{note}*")
            out.append("")
    out.extend(f"{note}\n" for note in report.notes)
    return "\n".join(out)


def write_html(report: Report, path: str | os.PathLike[str]) -> Path:
    """Write the self-contained HTML page to ``path`` (UTF-8); returns the path.

    Example:
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> write_html(Report(title="Impact"), folder / "impact.html").name
        'impact.html'
    """
    target = Path(path)
    target.write_text(render_html(report), encoding="utf-8")
    return target


def write_markdown(report: Report, path: str | os.PathLike[str]) -> Path:
    """Write Markdown to ``path`` and each chart as a PNG in ``<stem>_files/`` beside it.

    Example:
        >>> import tempfile, pathlib
        >>> import polars as pl
        >>> from earlyhelp.report import Section, bar_chart
        >>> chart = bar_chart(pl.DataFrame({"q": ["Q1"], "n": [4]}), x="q", y="n", title="Opened")
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> path = write_markdown(Report(title="Impact", sections=(
        ...     Section(title="Cases", blocks=(chart,)),)), folder / "impact.md")
        >>> sorted(p.name for p in (folder / "impact_files").iterdir())
        ['opened.png']
    """
    target = Path(path)
    folder = target.with_name(f"{target.stem}_files")
    charts = report.charts()
    if charts:
        folder.mkdir(exist_ok=True)
    for chart in charts:
        (folder / f"{slug(chart.title)}.png").write_bytes(chart.png)
    target.write_text(render_markdown(report, folder.name), encoding="utf-8")
    return target
