"""Report documents, charts and their HTML and Markdown renderings."""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.report import (
    Chart,
    Paragraph,
    Report,
    ReportTable,
    Section,
    bar_chart,
    line_chart,
    measures_section,
    performance_section,
    quarterly_table,
    render_html,
    render_markdown,
    slug,
    write_html,
    write_markdown,
)

QUARTERS = [f"{y} Q{q}" for y in ("2013-14", "2014-15") for q in range(1, 5)]
text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)


def _figures() -> pl.DataFrame:
    escalated = [31, 44, 36, 51, 51, 53, 18, None]
    closed = [274, 331, 292, 245, 273, 369, 206, None]
    shown = [
        f"{e}/{c}" if e is not None else "awaited" for e, c in zip(escalated, closed, strict=True)
    ]
    pct = ["11.3%", "13.2%", "12.3%", "20.8%", "18.6%", "14.3%", "8.7%", "awaited"]
    cases = [615, 762, 739, 710, 683, 726, 698, 740]
    return pl.DataFrame(
        {
            "row": ["cases"] * 8 + ["esc"] * 8 + ["pct"] * 8,
            "quarter": QUARTERS * 3,
            "numerator": [*cases, *escalated, *escalated],
            "denominator": [None] * 8 + closed + closed,
            "display": [f"{c}" for c in cases] + shown + pct,
        },
        schema_overrides={"numerator": pl.Int64, "denominator": pl.Int64},
    )


ROWS = [("cases", "Early help cases"), ("esc", "Escalated to social care"), ("pct", "Escalation %")]


def test_the_quarterly_table_has_the_source_layout() -> None:
    table = quarterly_table(_figures(), ROWS)
    assert table.columns == ["line", *QUARTERS]
    assert table.row(0) == (
        "Early help cases",
        "615",
        "762",
        "739",
        "710",
        "683",
        "726",
        "698",
        "740",
    )
    assert table.row(1)[1] == "31/274"
    assert table.row(2)[-1] == "awaited"


@given(
    st.lists(st.sampled_from(QUARTERS), unique=True, min_size=1),
    st.lists(st.sampled_from(["a", "b", "c"]), unique=True, min_size=1),
    st.data(),
)
def test_every_figure_lands_in_its_cell(
    quarters: list[str], keys: list[str], data: st.DataObject
) -> None:
    cells = {
        (k, q): data.draw(st.text(max_size=5))
        for k in keys
        for q in quarters
        if data.draw(st.booleans())
    }
    figures = pl.DataFrame(
        [(k, q, None, None, d) for (k, q), d in cells.items()],
        schema={
            "row": pl.String,
            "quarter": pl.String,
            "numerator": pl.Int64,
            "denominator": pl.Int64,
            "display": pl.String,
        },
        orient="row",
    )
    rows = [(k, k.upper()) for k in keys]
    table = quarterly_table(figures, rows)
    assert table["line"].to_list() == [k.upper() for k in keys]
    shown = list(dict.fromkeys(q for (_, q) in cells))
    assert table.columns == ["line", *shown]
    for i, (key, _) in enumerate(rows):
        for quarter in shown:
            assert table[quarter][i] == cells.get((key, quarter), "")


def test_the_performance_section_draws_the_trend_and_the_published_rate() -> None:
    section = performance_section(
        _figures(), ROWS, trend=[("cases", "Early help cases")], rate=("pct", "Escalation %")
    )
    table, trend, rate = section.blocks
    assert isinstance(table, ReportTable)
    assert isinstance(trend, Chart)
    assert isinstance(rate, Chart)
    assert "2013-14 Q1 to 2014-15 Q4" in trend.alt
    # The bars carry the published (truncated) figures, so chart and table agree.
    assert "2014-15 Q1 18.6%" in rate.alt
    assert rate.alt.endswith("2014-15 Q4 awaited")


def test_missing_columns_are_named() -> None:
    with pytest.raises(ValueError, match="quarterly figures: missing column\\(s\\) display"):
        quarterly_table(_figures().drop("display"), ROWS)
    partial = pl.DataFrame({"element": ["how_much"], "measure": ["x"], "baseline": [""]})
    with pytest.raises(ValueError, match=r"measure rows: missing column\(s\) value, target, rag"):
        measures_section(partial)


def test_measures_are_grouped_by_element_in_framework_order() -> None:
    rows = pl.DataFrame(
        {
            "element": ["impact", "how_well", "how_much", "how_well"],
            "measure": ["Improved", "Re-referrals", "Referrals", "Respect"],
            "baseline": ["", "", "1,204", ""],
            "value": ["61%", "20.3%", "1,310", "95%"],
            "target": ["", "15%", "", "90%"],
            "rag": ["", "red", "", "green"],
        }
    )
    section = measures_section(rows)
    titles = [b.title for b in section.blocks if isinstance(b, ReportTable)]
    assert titles == [
        "How much did we do?",
        "How well did we do it?",
        "Is anyone better off? (impact)",
    ]
    how_well = section.blocks[1]
    assert isinstance(how_well, ReportTable)
    assert how_well.frame["measure"].to_list() == ["Re-referrals", "Respect"]
    page = render_html(Report(title="t", sections=(section,)))
    assert '<td class="rag-red">red</td>' in page
    assert '<td class="rag-green">green</td>' in page


def test_charts_are_reproducible_png() -> None:
    frame = pl.DataFrame({"quarter": QUARTERS, "cases": list(range(8))})
    first = line_chart(frame, x="quarter", series=["cases"], title="Cases")
    again = line_chart(frame, x="quarter", series=["cases"], title="Cases")
    assert first.png == again.png
    other = bar_chart(frame, x="quarter", y="cases", title="Cases")
    assert other.png != first.png
    with pytest.raises(ValueError, match="expected the bytes of a PNG image"):
        Chart(title="x", png=b"GIF89a", alt="x")


def _report() -> Report:
    frame = pl.DataFrame({"quarter": QUARTERS[:2], "cases": [1, 2]})
    return Report(
        title="Impact 2014-15",
        subtitle="Demo",
        sections=(
            Section(
                title="Performance",
                blocks=(
                    Paragraph(text="Intro."),
                    ReportTable(title="Cases", frame=frame, note="Open at quarter end."),
                    line_chart(frame, x="quarter", series=["cases"], title="Open cases"),
                    bar_chart(frame, x="quarter", y="cases", title="Opened"),
                ),
            ),
        ),
        notes=("Figures under 5 are suppressed.",),
    )


def test_html_is_self_contained_with_every_chart_inline(tmp_path: Path) -> None:
    report = _report()
    page = write_html(report, tmp_path / "r.html").read_text(encoding="utf-8")
    sources = re.findall(r'<img src="([^"]+)"', page)
    assert len(sources) == 2
    for source, chart in zip(sources, report.charts(), strict=True):
        assert source.startswith("data:image/png;base64,")
        assert base64.b64decode(source.split(",", 1)[1]) == chart.png
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    assert "<script" not in page
    assert "<link" not in page
    assert "Figures under 5 are suppressed." in page


def test_markdown_writes_each_chart_beside_it(tmp_path: Path) -> None:
    report = _report()
    target = write_markdown(report, tmp_path / "annual.md")
    text = target.read_text(encoding="utf-8")
    for chart in report.charts():
        image = tmp_path / "annual_files" / f"{slug(chart.title)}.png"
        assert image.read_bytes() == chart.png
        assert f"(annual_files/{slug(chart.title)}.png)" in text
    assert "| quarter | cases |" in text
    assert "|---|---:|" in text
    assert text.startswith("# Impact 2014-15\n")


@given(text, text, text)
def test_text_is_always_escaped(title: str, cell: str, paragraph: str) -> None:
    report = Report(
        title=title,
        sections=(
            Section(
                title="s",
                blocks=(
                    Paragraph(text=paragraph),
                    ReportTable(title="t", frame=pl.DataFrame({"c": [cell]})),
                ),
            ),
        ),
    )
    page = render_html(report)
    for value in (title, cell, paragraph):
        assert html.escape(value) in page
    body = page.split("<body>", 1)[1]
    tags = set(re.findall(r"<(/?[a-z0-9]+)", body))
    assert tags <= {
        "h1",
        "/h1",
        "section",
        "/section",
        "h2",
        "/h2",
        "p",
        "/p",
        "table",
        "/table",
        "caption",
        "/caption",
        "thead",
        "/thead",
        "tbody",
        "/tbody",
        "tr",
        "/tr",
        "th",
        "/th",
        "td",
        "/td",
        "/body",
        "/html",
    }
    markdown = render_markdown(report)
    assert "| " + cell.replace("|", "\\|").replace("\n", " ") + " |" in markdown


@given(text)
def test_slugs_are_safe_file_names(title: str) -> None:
    name = slug(title)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*|item", name)
