"""What the commands that publish share: the ``--year`` argument and writing the annual report."""

from __future__ import annotations

from pathlib import Path

from earlyhelp.cli._output import CliError, progress, writing
from earlyhelp.io._dataset import Dataset
from earlyhelp.periods._periods import FinancialYear, parse_period
from earlyhelp.profiles._profile import Profile
from earlyhelp.report._annual import build_annual_report
from earlyhelp.report._excluded import excluded_section
from earlyhelp.report._render import write_html, write_markdown
from earlyhelp.report._workbook import write_xlsx

__all__ = ["financial_year", "write_annual_report"]


def financial_year(text: str) -> FinancialYear:
    """Parse ``--year``: a financial year such as ``2014-15`` (errors are one line)."""
    period = parse_period(text)
    if not isinstance(period, FinancialYear):
        msg = f"--year: expected a financial year like '2014-15', got {text!r}"
        raise CliError(msg)
    return period


def write_annual_report(
    data: Dataset, profile: Profile, year: FinancialYear, out: Path, *, reproduction: bool = False
) -> tuple[Path, Path, Path]:
    """Build the annual report and write it as HTML, Markdown and XLSX into ``out``."""
    if out.exists() and not out.is_dir():
        msg = f"{out}: exists and is not a folder"
        raise CliError(msg)
    # Rows rejected at load are counted in the report itself, by table and reason.
    extra = () if data.report.ok else (excluded_section(data.report),)
    with progress(f"building the {year.label} report"):
        report = build_annual_report(
            data, profile=profile, year=year, extra=extra, reproduction=reproduction
        )
    stem = f"early-help-impact-report-{year.label}"
    with writing(out):
        out.mkdir(parents=True, exist_ok=True)
        html = write_html(report, out / f"{stem}.html")
        markdown = write_markdown(report, out / f"{stem}.md")
        workbook = write_xlsx(report, out / f"{stem}.xlsx")
    return html, markdown, workbook
