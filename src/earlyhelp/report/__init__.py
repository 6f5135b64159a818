"""Reports: the annual impact report as HTML, Markdown and XLSX, its sections and charts."""

from earlyhelp.report._annual import build_annual_report
from earlyhelp.report._audits import audit_section
from earlyhelp.report._charts import bar_chart, heatmap_chart, line_chart
from earlyhelp.report._document import Chart, Paragraph, Report, ReportTable, Section, slug
from earlyhelp.report._figures import (
    FigureTexts,
    published_breakdown,
    published_figures,
    settings_for,
)
from earlyhelp.report._instruments import spider_section, survey_themes_section
from earlyhelp.report._render import render_html, render_markdown, write_html, write_markdown
from earlyhelp.report._sections import measures_section, performance_section, quarterly_table
from earlyhelp.report._workbook import write_xlsx

__all__ = [
    "Chart",
    "FigureTexts",
    "Paragraph",
    "Report",
    "ReportTable",
    "Section",
    "audit_section",
    "bar_chart",
    "build_annual_report",
    "heatmap_chart",
    "line_chart",
    "measures_section",
    "performance_section",
    "published_breakdown",
    "published_figures",
    "quarterly_table",
    "render_html",
    "render_markdown",
    "settings_for",
    "slug",
    "spider_section",
    "survey_themes_section",
    "write_html",
    "write_markdown",
    "write_xlsx",
]
