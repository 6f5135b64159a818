"""The annual report's case file audits section: every published figure is the computed one."""

from __future__ import annotations

import base64
from fractions import Fraction
from pathlib import Path

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

import earlyhelp as eh
from demo_data import demo_dataset, demo_report
from earlyhelp.measures import DEFAULT_SETTINGS
from earlyhelp.report import (
    Chart,
    Paragraph,
    ReportTable,
    Section,
    audit_section,
    bar_chart,
    build_annual_report,
    published_figures,
    render_html,
    settings_for,
    slug,
    write_markdown,
)

AUDIT_COMPLETION = "audit_completion_rate"

YEAR = eh.FinancialYear(2014)


def _derby() -> eh.measures.PresentationSettings:
    settings, declared = settings_for(eh.load_profile("derby-2014-15"), YEAR.end)
    assert declared
    return settings


def _section(report: eh.report.Report) -> Section:
    (section,) = [s for s in report.sections if s.title == "Case file audits"]
    return section


def _with_audits(audits: pl.DataFrame) -> eh.Dataset:
    data = demo_dataset()
    tables = {name: data[name] for name in data.names}
    tables["audits"] = audits
    return eh.Dataset(tables, data.report)


def _png_height(png: bytes) -> int:
    return int.from_bytes(png[20:24], "big")


def test_audit_completion_is_the_computed_figure_printed_whole() -> None:
    completion = eh.instruments.audit_completion(demo_dataset()["audits"], YEAR.start, YEAR.end)
    assert completion.scheduled >= 5  # the demo has enough audits not to be suppressed
    rate = completion.rate
    assert rate is not None
    paragraph = _section(demo_report()).blocks[0]
    assert isinstance(paragraph, Paragraph)
    shown = _derby().format(AUDIT_COMPLETION, "percentage", rate)
    assert "." not in shown  # Derby prints audit completion with 0 places
    assert Fraction(shown) <= rate < Fraction(shown) + 1  # truncated, not rounded up
    assert (
        f"{completion.completed} of the {completion.scheduled} case file audits scheduled "
        f"in 2014-15 were completed: audit completion {shown}%." in paragraph.text
    )


def test_each_grade_count_is_published_from_the_distribution() -> None:
    audits = demo_dataset()["audits"].filter(
        pl.col("scheduled").is_between(YEAR.start, YEAR.end) & pl.col("completed").is_not_null()
    )
    distribution = eh.instruments.grade_distribution(audits, demo_dataset()["audit_grades"])
    table = next(b for b in _section(demo_report()).blocks if isinstance(b, ReportTable))
    assert table.frame.columns == [
        "measure",
        "missing",
        "poor",
        "satisfactory",
        "good",
        "outstanding",
    ]
    assert (
        table.frame["measure"].to_list()
        == distribution["measure"].unique(maintain_order=True).to_list()
    )
    shown = {row[0]: row[1:] for row in table.frame.iter_rows()}
    small = set(distribution.filter((pl.col("count") > 0) & (pl.col("count") < 5))["measure"])
    suppressed = 0
    for measure, grade, label, count in distribution.iter_rows():
        cell = shown[measure][grade]  # derby grades run 0..4, worst first
        assert label == table.frame.columns[grade + 1]
        if measure in small:  # one small count hides the measure's whole row
            assert cell == "[c]"
            suppressed += 1
        else:
            assert cell == str(count)
    assert suppressed  # the demo's small year exercises disclosure control
    for measure in small:
        assert set(shown[measure]) == {"[c]"}


def test_strengths_and_weaknesses_follow_the_ranking() -> None:
    audits = demo_dataset()["audits"].filter(
        pl.col("scheduled").is_between(YEAR.start, YEAR.end) & pl.col("completed").is_not_null()
    )
    distribution = eh.instruments.grade_distribution(audits, demo_dataset()["audit_grades"])
    tables = [b for b in _section(demo_report()).blocks if isinstance(b, ReportTable)]
    strengths, weaknesses = tables[1], tables[2]
    small = set(distribution.filter((pl.col("count") > 0) & (pl.col("count") < 5))["measure"])
    for table, kind in (
        (strengths, eh.instruments.RankKind.STRENGTHS),
        (weaknesses, eh.instruments.RankKind.WEAKNESSES),
    ):
        ranked = [
            r
            for r in eh.instruments.rank_measures(distribution, eh.model.GradingScale.derby(), kind)
            if r.count and r.measure not in small
        ]
        assert table.frame["measure"].to_list() == [r.measure for r in ranked[:5]]
        assert table.frame["rank"].to_list() == [str(r.rank) for r in ranked[:5]]
        for ranked_row, (_, _, count, graded, share) in zip(
            ranked[:5], table.frame.iter_rows(), strict=True
        ):
            if count != "[c]":
                assert (int(count), int(graded)) == (ranked_row.count, ranked_row.graded)
                value = Fraction(share.rstrip("%"))
                assert value <= ranked_row.share < value + Fraction(1, 10)
            else:
                assert ranked_row.count < 5
                assert share == "[c]"


def test_the_heat_map_is_inline_in_html_and_a_file_beside_markdown(tmp_path: Path) -> None:
    charts = [b for b in _section(demo_report()).blocks if isinstance(b, Chart)]
    (heat,) = charts
    assert heat.title == "Case file audit grades, 2014-15"
    page = render_html(demo_report())
    assert f'src="data:image/png;base64,{base64.b64encode(heat.png).decode()}"' in page
    assert "Case file audit grades, 2014-15" in page
    write_markdown(demo_report(), tmp_path / "report.md")
    written = tmp_path / "report_files" / f"{slug(heat.title)}.png"
    assert written.read_bytes() == heat.png
    assert f"report_files/{slug(heat.title)}.png" in (tmp_path / "report.md").read_text()


def test_no_audits_in_the_year_is_said_in_one_sentence() -> None:
    empty = _with_audits(demo_dataset()["audits"].clear())
    report = build_annual_report(empty, profile="derby-2014-15", year="2014-15")
    assert _section(report).blocks == (
        Paragraph(text="No case file audit was scheduled in 2014-15."),
    )
    assert len(report.charts()) == len(demo_report().charts()) - 1
    # a year before any audit in the demo data
    assert audit_section(demo_dataset(), year=eh.FinancialYear(2012)).blocks == (
        Paragraph(text="No case file audit was scheduled in 2012-13."),
    )


def test_a_dataset_without_an_audits_table_still_reports() -> None:
    cases_only = eh.Dataset.load(
        {"cases": demo_dataset()["cases"], "teams": demo_dataset()["teams"]}
    )
    assert audit_section(cases_only, year=YEAR).blocks == (
        Paragraph(text="No case file audit was scheduled in 2014-15."),
    )


def test_audits_scheduled_but_none_completed() -> None:
    pending = _with_audits(demo_dataset()["audits"].with_columns(completed=pl.lit(None, pl.Date)))
    scheduled = eh.instruments.audit_completion(pending["audits"], YEAR.start, YEAR.end).scheduled
    (paragraph,) = audit_section(pending, year=YEAR, settings=_derby()).blocks
    assert paragraph == Paragraph(
        text=f"None of the {scheduled} case file audits scheduled in 2014-15 was completed, "
        "so there are no grades to show."
    )


@given(
    numerator=st.integers(0, 40),
    extra=st.integers(0, 40),
    count=st.integers(0, 40),
)
def test_published_figures_apply_disclosure_control(numerator: int, extra: int, count: int) -> None:
    denominator = numerator + extra
    settings = _derby()
    figures = [(AUDIT_COMPLETION, numerator, denominator), ("audit_grade_share", count, None)]
    (ratio, counted) = published_figures(figures, settings, "2014-15")
    hidden = 0 < numerator < 5 or 0 < denominator < 5
    if hidden:
        assert ratio[2] == "[c]"
        assert ratio[0] == "[c]"
    elif denominator:
        exact = Fraction(100 * numerator, denominator)
        assert ratio[2] == settings.format(AUDIT_COMPLETION, "percentage", exact) + "%"
        assert ratio[:2] == (str(numerator), str(denominator))
    assert counted[0] == ("[c]" if 0 < count < 5 else str(count))
    # without disclosure control nothing is hidden
    plain = published_figures(figures, DEFAULT_SETTINGS, "2014-15")
    assert plain[1][0] == str(count)


def test_survey_theme_bars_run_horizontally_and_grow_with_long_names() -> None:
    (themes,) = [s for s in demo_report().sections if s.title == "Survey themes"]
    (chart,) = [b for b in themes.blocks if isinstance(b, Chart)]
    short = pl.DataFrame({"theme": ["a", "b"], "pct": [1.0, 2.0]})
    long = pl.DataFrame(
        {
            "theme": [f"feedback theme number {i} with a long name" for i in range(12)],
            "pct": [1.0] * 12,
        }
    )
    low = bar_chart(short, x="theme", y="pct", title="t", horizontal=True)
    tall = bar_chart(long, x="theme", y="pct", title="t", horizontal=True)
    assert _png_height(tall.png) > _png_height(low.png)
    assert _png_height(low.png) == _png_height(bar_chart(short, x="theme", y="pct", title="t").png)
    assert chart.png.startswith(b"\x89PNG")
    vertical = bar_chart(
        pl.DataFrame({"theme": ["x"], "value": [1.0]}), x="theme", y="value", title="t"
    )
    assert _png_height(chart.png) >= _png_height(vertical.png)
