"""Reports: the annual impact report as HTML, Markdown and XLSX, its sections and charts."""

from earlyhelp.report._annual import build_annual_report, quarterly_lines
from earlyhelp.report._charts import bar_chart, heatmap_chart, line_chart
from earlyhelp.report._document import Chart, Paragraph, Report, ReportTable, Section
from earlyhelp.report._render import render_html, render_markdown, write_html, write_markdown
from earlyhelp.report._workbook import write_xlsx

__all__ = [
    "Chart",
    "Paragraph",
    "Report",
    "ReportTable",
    "Section",
    "bar_chart",
    "build_annual_report",
    "heatmap_chart",
    "line_chart",
    "quarterly_lines",
    "render_html",
    "render_markdown",
    "write_html",
    "write_markdown",
    "write_xlsx",
]
