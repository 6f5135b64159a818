"""Write a :class:`Report` as an XLSX workbook: the same published text, byte for byte reproducible.

The workbook holds what the HTML page holds, in order, on one worksheet: the
title, each section's paragraphs, its tables (one row per table row, every
cell written as text exactly as published, so a ``[c]`` is a ``[c]`` and no
cell can start a formula) and its charts (the same PNG, with its alternative
text), then the notes. The workbook's creation date is fixed, and xlsxwriter
stamps every part of the zip with a fixed time, so the same report gives the
same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path
from typing import Any, Final

import xlsxwriter  # type: ignore[import-untyped]

from earlyhelp.report._document import Chart, Paragraph, Report, ReportTable

__all__ = ["write_xlsx"]

#: The creation date every workbook carries (a fixed date keeps the bytes reproducible).
CREATED: Final = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
_ROW_PIXELS: Final = 20
_PNG_HEIGHT: Final = slice(20, 24)  # the IHDR chunk's height field


def _png_rows(png: bytes) -> int:
    """How many worksheet rows a PNG covers at the default row height."""
    height = int.from_bytes(png[_PNG_HEIGHT], "big")
    return height // _ROW_PIXELS + 2


def _write_table(sheet: Any, row: int, table: ReportTable, formats: dict[str, Any]) -> int:
    sheet.write_string(row, 0, table.title, formats["caption"])
    row += 1
    numeric = [dtype.is_numeric() for dtype in table.frame.dtypes]
    for column, name in enumerate(table.frame.columns):
        sheet.write_string(row, column, name, formats["header"])
    row += 1
    for values in table.frame.iter_rows():
        for column, (value, number) in enumerate(zip(values, numeric, strict=True)):
            if value is None:
                continue
            if number:
                sheet.write_number(row, column, value)
            else:
                sheet.write_string(row, column, str(value))
        row += 1
    if table.note:
        sheet.write_string(row, 0, table.note, formats["note"])
        row += 1
    return row + 1


def _write_chart(sheet: Any, row: int, chart: Chart, formats: dict[str, Any]) -> int:
    sheet.write_string(row, 0, chart.title, formats["caption"])
    row += 1
    sheet.insert_image(
        row,
        0,
        "chart.png",
        {"image_data": io.BytesIO(chart.png), "description": chart.alt, "object_position": 3},
    )
    row += _png_rows(chart.png)
    sheet.write_string(row, 0, chart.alt, formats["note"])
    row += 1
    if chart.note:
        sheet.write_string(row, 0, chart.note, formats["note"])
        row += 1
    return row + 1


def write_xlsx(report: Report, path: str | os.PathLike[str]) -> Path:
    """Write the report as an XLSX workbook at ``path``; returns the path.

    Every table cell is written as the text published in the HTML and
    Markdown (numbers stay numbers only where the table's column is numeric),
    so the workbook shows nothing that the other renderings hide.

    Example:
        >>> import tempfile, pathlib
        >>> import polars as pl
        >>> from earlyhelp.report._document import Section
        >>> table = ReportTable(title="Cases", frame=pl.DataFrame({"quarter": ["Q1"], "n": ["[c]"]}))
        >>> report = Report(title="Impact", sections=(Section(title="Cases", blocks=(table,)),))
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> first = write_xlsx(report, folder / "a.xlsx").read_bytes()
        >>> first == write_xlsx(report, folder / "b.xlsx").read_bytes()  # reproducible
        True
        >>> pl.read_excel(folder / "a.xlsx", has_header=False).row(4)
        ('Q1', '[c]')
    """
    target = Path(path)
    workbook = xlsxwriter.Workbook(
        str(target),
        {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    workbook.set_properties({"title": report.title, "created": CREATED})
    formats = {
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "section": workbook.add_format({"bold": True, "font_size": 12}),
        "caption": workbook.add_format({"bold": True}),
        "header": workbook.add_format({"bold": True, "bottom": 1}),
        "note": workbook.add_format({"italic": True, "font_color": "#555555"}),
    }
    sheet = workbook.add_worksheet("Report")
    sheet.set_column(0, 0, 48)
    sheet.set_column(1, 16, 14)
    sheet.write_string(0, 0, report.title, formats["title"])
    row = 1
    if report.subtitle:
        sheet.write_string(row, 0, report.subtitle)
        row += 1
    for section in report.sections:
        row += 1
        sheet.write_string(row, 0, section.title, formats["section"])
        row += 2
        for block in section.blocks:
            if isinstance(block, Paragraph):
                sheet.write_string(row, 0, block.text)
                row += 2
            elif isinstance(block, ReportTable):
                row = _write_table(sheet, row, block, formats)
            else:
                row = _write_chart(sheet, row, block, formats)
    for note in report.notes:
        row += 1
        sheet.write_string(row, 0, note, formats["note"])
    workbook.close()
    return target
