"""Every published surface shows only published values: charts, alt text, running text, cohorts.

Each test reproduces one finding of issue 12 (Derby profile, threshold 5):
the trend chart plotted the exact counts its table showed as [c]; the running
text printed "3 spider graphs were completed" and "3 forms had a comment"; the
radar chart averaged 3 children.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import attrs
import polars as pl

import earlyhelp as eh
from demo_data import demo_dataset
from disclosure_checker import recoverable
from earlyhelp.report import (
    Chart,
    Paragraph,
    ReportTable,
    Section,
    audit_section,
    performance_section,
    published_breakdown,
    settings_for,
    spider_section,
    survey_themes_section,
)

_PROFILE = eh.load_profile("derby-2014-15")
_SETTINGS, _ = settings_for(_PROFILE, dt.date(2015, 3, 31))
_YEAR = eh.FinancialYear(2014)


def _with(**tables: pl.DataFrame) -> eh.Dataset:
    data = demo_dataset()
    names = ("teams", "cases", "spider_scales", "spider_readings", "surveys")
    return eh.Dataset.load({name: data[name] for name in names} | tables)


def _texts(section: Section) -> list[str]:
    return [block.text for block in section.blocks if isinstance(block, Paragraph)]


def _figures(small: int) -> pl.DataFrame:
    quarters = [f"2014-15 Q{q}" for q in range(1, 5)]
    counts = [40, small, 52, 47]
    return pl.DataFrame(
        {
            "row": ["cases"] * 4,
            "quarter": quarters,
            "numerator": counts,
            "denominator": [None] * 4,
            "display": [str(c) if c >= 5 else "[c]" for c in counts],
        },
        schema_overrides={"denominator": pl.Int64},
    )


def test_the_trend_chart_draws_no_suppressed_point() -> None:
    charts = []
    for small in (3, 1):
        section = performance_section(
            _figures(small), [("cases", "Cases")], trend=[("cases", "Cases")]
        )
        (chart,) = [b for b in section.blocks if isinstance(b, Chart)]
        charts.append(chart)
    assert charts[0].png == charts[1].png  # the hidden 3 or 1 is not drawn
    assert charts[0].alt == charts[1].alt
    assert charts[0].note is not None
    assert "[c]" in charts[0].note


def _graphs_completed(count: int) -> pl.DataFrame:
    """Spider readings of the first ``count`` graphs completed in 2014-15."""
    readings = demo_dataset()["spider_readings"]
    ends = (
        readings.filter(pl.col("stage") == "end")
        .filter(pl.col("reading_date").is_between(_YEAR.start, _YEAR.end))
        .get_column("graph_id")
        .unique()
        .sort()
        .head(count)
    )
    return readings.filter(pl.col("graph_id").is_in(ends))


def _spider_section(graphs: int) -> Section:
    data = _with(spider_readings=_graphs_completed(graphs))
    section = spider_section(data, profile=_PROFILE, year=_YEAR, settings=_SETTINGS)
    assert section is not None
    return section


def test_running_text_and_radar_hide_a_small_cohort_of_spider_graphs() -> None:
    section = _spider_section(3)
    text = " ".join(_texts(section))
    assert "3 spider graphs" not in text
    assert "is suppressed ([c])" in text
    assert not [b for b in section.blocks if isinstance(b, Chart)]  # no radar of 3 children
    assert "not drawn" in text
    assert "at least 5 graphs" in text
    (table,) = [b for b in section.blocks if isinstance(b, ReportTable)]
    assert set(table.frame["graphs"]) == {"[c]"}
    assert set(table.frame["share"]) == {"[c]"}


def test_a_cohort_of_the_threshold_is_drawn() -> None:
    section = _spider_section(8)
    assert "8 spider graphs were completed" in _texts(section)[0]
    (chart,) = [b for b in section.blocks if isinstance(b, Chart)]
    assert chart.alt == (  # no count in the alt text
        "Radar chart of the average start and latest score on each scale over the spider "
        "graphs completed in 2014-15"
    )
    (table,) = [b for b in section.blocks if isinstance(b, ReportTable)]
    # the directions add up to the 8 published: never exactly one hidden
    assert list(table.frame["graphs"]).count("[c]") != 1


def test_running_text_hides_a_small_number_of_survey_forms() -> None:
    surveys = demo_dataset()["surveys"]
    chosen = (
        surveys.filter(
            pl.col("received").is_between(_YEAR.start, _YEAR.end) & pl.col("comments").is_not_null()
        )
        .sort("response_id")
        .head(3)
    )
    section = survey_themes_section(
        _with(surveys=chosen), profile=_PROFILE, year=_YEAR, settings=_SETTINGS
    )
    assert section is not None
    (text,) = _texts(section)
    assert "3 How Was It For You" not in text
    assert "with a comment: [c]" in text
    for number in "1234":
        assert f" {number} " not in text
        assert f": {number}" not in text


def test_a_breakdown_with_its_total_hides_a_second_part() -> None:
    parts = [("improving", 101), ("no change", 9), ("worsening", 3), ("not compared", 12)]
    shown, total = published_breakdown(parts, _SETTINGS, "2014-15")
    hidden = {label for label, count, _ in shown if count == "[c]"}
    assert "worsening" in hidden
    assert len(hidden) >= 2
    values = {(label,): count for label, count in parts} | {("total",): 125}
    relation = [(("total",), [(label,) for label, _ in parts])]
    assert total == "125"
    assert not recoverable(relation, values, {(label,) for label in hidden})


def test_a_hidden_total_hides_every_share() -> None:
    shown, total = published_breakdown([("a", 3), ("b", 1)], _SETTINGS, "2014-15")
    assert total == "[c]"
    assert all(share == "[c]" for _, _, share in shown)


def test_hidden_survey_themes_come_last_in_name_order() -> None:
    # the year's first 28 forms: two themes shown and two below the threshold
    surveys = demo_dataset()["surveys"].filter(
        pl.col("received").is_between(_YEAR.start, _YEAR.end)
    )
    fewer = surveys.sort("response_id").head(28)
    section = survey_themes_section(
        _with(surveys=fewer), profile=_PROFILE, year=_YEAR, settings=_SETTINGS
    )
    assert section is not None
    (table,) = [b for b in section.blocks if isinstance(b, ReportTable)]
    hidden = [row[2] == "[c]" for row in table.frame.rows()]
    assert hidden.count(True) >= 2
    assert hidden.count(False) >= 2
    assert hidden == sorted(hidden)  # shown themes first, hidden ones after
    names = [theme for theme, count, _ in table.frame.rows() if count == "[c]"]
    assert names == sorted(names)  # in name order, never ranked by their hidden counts
    shown = [int(count) for _, count, _ in table.frame.rows() if count != "[c]"]
    assert shown == sorted(shown, reverse=True)


def test_ranks_skip_no_place_for_a_hidden_measure() -> None:
    listed = {}
    # The demo's audit grade counts are 0 or at least 5 (publishable under Derby's
    # threshold); at 9 the measures with a count from 5 to 8 are hidden as well.
    for threshold in (1, 9):
        policy = attrs.evolve(_SETTINGS.published, threshold=threshold)
        settings = attrs.evolve(_SETTINGS, published=policy)
        section = audit_section(demo_dataset(), year=_YEAR, settings=settings)
        tables = [
            b for b in section.blocks if isinstance(b, ReportTable) and "rank" in b.frame.columns
        ]
        assert [t.title.split(",")[0] for t in tables] == ["Strengths", "Weaknesses"]
        listed[threshold] = sum(t.frame.height for t in tables)
        for table in tables:
            rows = table.frame.select("rank", "graded", pl.nth(2)).rows()
            for position, (rank, graded, count) in enumerate(rows, 1):
                previous = rows[position - 2] if position > 1 else None
                tied = previous is not None and Fraction(int(count), int(graded)) == Fraction(
                    int(previous[2]), int(previous[1])
                )
                # ranked among the listed measures: a tie shares a rank, no other gap
                assert rank == (previous[0] if tied and previous else str(position))
    assert 0 < listed[9] < listed[1]
