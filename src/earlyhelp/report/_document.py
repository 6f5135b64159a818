"""The report document: sections of paragraphs, tables and charts, rendered later.

A :class:`Report` knows nothing of HTML or Markdown; :func:`render_html` and
:func:`write_markdown` turn the same document into either. Tables hold polars
frames with plain columns (strings and numbers, already formatted for
publication); charts hold PNG bytes drawn offline.
"""

from __future__ import annotations

import re

import attrs
import polars as pl

from earlyhelp.errors import FieldError

__all__ = ["Block", "Chart", "Paragraph", "Report", "ReportTable", "Section"]

_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """A lower-case, hyphenated name for a title, usable as a file name or anchor.

    Example:
        >>> slug("Escalation % by quarter, 2014-15")
        'escalation-by-quarter-2014-15'
    """
    return _SLUG.sub("-", text.lower()).strip("-") or "item"


def _png(_inst: object, _attr: object, value: bytes) -> None:
    if not value.startswith(b"\x89PNG\r\n\x1a\n"):
        raise FieldError("png", "expected the bytes of a PNG image")


@attrs.frozen(kw_only=True)
class Paragraph:
    """A paragraph of plain text (no markup: it is escaped when rendered).

    Example:
        >>> Paragraph(text="Cases rose by 57 over the year.").text
        'Cases rose by 57 over the year.'
    """

    text: str


@attrs.frozen(kw_only=True)
class ReportTable:
    """A table to publish: a polars frame of plain, already formatted columns.

    Attributes:
        title: the caption.
        frame: the rows; every value is shown as it is (format numbers first).
        note: an optional footnote (a source, a definition, what a blank means).

    Example:
        >>> table = ReportTable(title="Cases", frame=pl.DataFrame({"quarter": ["Q1"], "cases": [712]}))
        >>> table.frame.columns
        ['quarter', 'cases']
    """

    title: str
    frame: pl.DataFrame = attrs.field(eq=False)
    note: str | None = None


@attrs.frozen(kw_only=True)
class Chart:
    """A chart drawn offline: PNG bytes, alternative text and a caption.

    Attributes:
        title: the caption, and the chart's file name when written beside Markdown.
        png: the image (see :func:`line_chart`, :func:`bar_chart`).
        alt: a text description for screen readers and when images are off.
        note: an optional footnote.

    Example:
        >>> import polars as pl
        >>> from earlyhelp.report import line_chart
        >>> chart = line_chart(pl.DataFrame({"quarter": ["Q1", "Q2"], "cases": [3, 5]}),
        ...                    x="quarter", series=["cases"], title="Cases")
        >>> chart.title, chart.png[1:4]
        ('Cases', b'PNG')
    """

    title: str
    png: bytes = attrs.field(eq=False, repr=False, validator=_png)
    alt: str
    note: str | None = None


Block = Paragraph | ReportTable | Chart


@attrs.frozen(kw_only=True)
class Section:
    """A titled section of paragraphs, tables and charts, in order.

    Example:
        >>> section = Section(title="Performance", blocks=(Paragraph(text="..."),))
        >>> len(section.blocks)
        1
    """

    title: str
    blocks: tuple[Block, ...] = ()


@attrs.frozen(kw_only=True)
class Report:
    """A document to publish: a title, a subtitle and sections.

    Attributes:
        title: the report's title.
        subtitle: e.g. the council, the year and the profile applied.
        sections: the sections, in order.
        notes: closing notes (data sources, disclosure control, rounding).

    Example:
        >>> report = Report(title="Early help impact report 2014-15", sections=(
        ...     Section(title="Summary", blocks=(Paragraph(text="A first report."),)),))
        >>> [section.title for section in report.sections]
        ['Summary']
    """

    title: str
    subtitle: str = ""
    sections: tuple[Section, ...] = ()
    notes: tuple[str, ...] = ()

    def charts(self) -> list[Chart]:
        """Every chart in the report, in document order."""
        return [block for s in self.sections for block in s.blocks if isinstance(block, Chart)]
