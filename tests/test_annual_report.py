"""The annual report builder: every published figure is the computed one, in its place."""

from __future__ import annotations

import functools
from fractions import Fraction

import polars as pl
import pytest

import earlyhelp as eh
from earlyhelp._instruments._themes import code_survey_comments, count_themes
from earlyhelp._measures._results import Results
from earlyhelp._publish._annual import QUARTERLY_LINES, build_annual_report, quarterly_figures
from earlyhelp._publish._document import Chart, Paragraph, ReportTable, Section
from earlyhelp._publish._figures import display, parts
from earlyhelp._publish._instruments import spider_section, survey_themes_section


@functools.cache
def _data() -> eh.Dataset:
    return eh.load(eh.demo_path())


@functools.cache
def _results() -> Results:
    return eh.compute(_data(), profile="derby-2014-15", period=["2013-14", "2014-15"], by="city")


def test_every_quarterly_figure_is_the_computed_one() -> None:
    years = (eh.FinancialYear(2013), eh.FinancialYear(2014))
    figures = quarterly_figures(_results(), years)
    assert figures.height == len(QUARTERLY_LINES) * 8
    lines = {key: (measure_id, shown) for key, measure_id, shown, _ in QUARTERLY_LINES}
    for key, quarter, numerator, denominator, text in figures.iter_rows():
        measure_id, shown = lines[key]
        result = _results()[measure_id, quarter, "city"]
        assert (numerator, denominator) == (result.numerator, result.denominator)
        assert text == (parts(result) if shown == "parts" else display(result))


def test_the_report_lays_out_two_years_and_the_framework() -> None:
    report = build_annual_report(_data(), profile="derby-2014-15", year="2014-15")
    performance, measures, spider, themes = report.sections
    assert spider.title == "Spider graphs: distance travelled"
    assert themes.title == "Survey themes"
    table = performance.blocks[1]
    assert isinstance(table, ReportTable)
    assert table.frame.columns == [
        "line",
        *(f"{y} Q{q}" for y in ("2013-14", "2014-15") for q in range(1, 5)),
    ]
    assert table.frame["line"].to_list() == [label for *_, label in QUARTERLY_LINES]
    tables = [b for b in measures.blocks if isinstance(b, ReportTable)]
    shown = pl.concat([t.frame for t in tables])
    elements = ["how_much", "how_well", "impact"]
    framework = [m for e in elements for m in eh.CATALOGUE if m.element.value == e]
    assert shown["measure"].to_list() == [m.title for m in framework]
    for item, value, baseline in zip(framework, shown["value"], shown["baseline"], strict=True):
        assert value == display(_results()[item.measure_id, "2014-15", "city"])
        assert baseline == display(_results()[item.measure_id, "2013-14", "city"])


def test_extra_sections_are_appended() -> None:
    extra = Section(title="Spider graphs", blocks=(Paragraph(text="Distance travelled."),))
    report = build_annual_report(
        _data(), profile="derby-2014-15", year="2014-15", results=_results(), extra=(extra,)
    )
    assert report.sections[-1] is extra


def test_a_quarter_is_not_a_year() -> None:
    with pytest.raises(ValueError, match="expected a financial year like '2014-15'"):
        build_annual_report(_data(), profile="derby-2014-15", year="2014-15 Q2")


def test_the_reproduction_section_is_opt_in() -> None:
    plain = build_annual_report(
        _data(), profile="derby-2014-15", year="2014-15", results=_results()
    )
    assert all("Reproduction" not in s.title for s in plain.sections)
    report = build_annual_report(
        _data(), profile="derby-2014-15", year="2014-15", results=_results(), reproduction=True
    )
    table = report.sections[-1].blocks[1]
    assert isinstance(table, ReportTable)
    expected = eh.reproduce_source_report()
    assert table.frame["figure"].to_list() == expected["figure"].to_list()
    assert table.frame["match"].to_list() == ["yes" if m else "no" for m in expected["match"]]


def test_the_spider_section_counts_every_graph_completed_in_the_year() -> None:
    year = eh.FinancialYear(2014)
    section = spider_section(_data(), profile="derby-2014-15", year=year)
    assert section is not None
    table = section.blocks[1]
    assert isinstance(table, ReportTable)
    directions = eh.spider_directions(
        _data()["spider_scales"], _data()["spider_readings"], profile="derby-2014-15", period=year
    )
    assert int(table.frame["graphs"].sum()) == directions.height > 0
    improving = directions.filter(pl.col("direction") == "improving").height
    row = table.frame.filter(pl.col("direction") == "improving").row(0)
    assert row[1] == improving
    assert isinstance(section.blocks[2], Chart)


def test_the_survey_themes_are_shares_of_positive_feedback() -> None:
    year = eh.FinancialYear(2014)
    section = survey_themes_section(_data(), profile="derby-2014-15", year=year)
    assert section is not None
    table = section.blocks[1]
    assert isinstance(table, ReportTable)
    surveys = _data()["surveys"].filter(eh.during_expr("received", year))
    coded = code_survey_comments(surveys, profile="derby-2014-15")
    positive = int(coded["positive"].sum())
    assert positive > 0
    counts = count_themes(coded)
    assert sorted(table.frame["comments"].to_list()) == sorted(counts["comments"].to_list())
    for comments, share in table.frame.select("comments", "share").iter_rows():
        exact = Fraction(100 * comments, positive)
        shown = Fraction(share.rstrip("%"))
        assert shown <= exact < shown + Fraction(1, 10)  # truncated to one place


def test_no_instrument_data_means_no_instrument_sections() -> None:
    cases_only = eh.Dataset.load({"cases": _data()["cases"], "teams": _data()["teams"]})
    year = eh.FinancialYear(2014)
    assert spider_section(cases_only, profile="derby-2014-15", year=year) is None
    assert survey_themes_section(cases_only, profile="derby-2014-15", year=year) is None
