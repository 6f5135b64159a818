"""Identical reports: data that differ only in counts below the threshold publish the same bytes.

Two datasets are built from the demo data cut down to sixty cases, so that
small counts abound. The second differs from the first only in records whose
every figure is below the disclosure threshold in both: a young person's
Youth Offending Service episode moves from one quarter to the next (the
quarter-end counts go from 3 and 1 to 2 and 2), and a spider graph's end
reading moves from one quarter to the next (2 and 2 graphs become 1 and 3).
The test first checks that claim against the exact results, then that the
published HTML, Markdown, every PNG and the XLSX workbook are byte for byte
the same, and that the internal (unsuppressed) figures do differ.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import polars as pl
import pytest

import earlyhelp as eh
from demo_data import demo_dataset
from earlyhelp.report import write_xlsx

_PROFILE = "derby-2014-15"
_YEAR = "2014-15"
_THRESHOLD = 5
_MOVED_GRAPH = "G0001280"  # completed in 2014-15 Q3 (30/10/2014); moved to Q4


def _yos(moved: bool) -> pl.DataFrame:
    """Four YOS episodes in 2014-15: Y1 is open at the end of Q1, or (moved) of Q2."""
    people = _base_tables()["children"].get_column("person_id").sort().to_list()[:4]
    y1 = (
        (dt.date(2014, 8, 1), dt.date(2014, 11, 15))
        if moved
        else (dt.date(2014, 5, 1), dt.date(2014, 8, 15))
    )
    spans = [
        y1,
        (dt.date(2014, 5, 1), dt.date(2014, 7, 31)),
        (dt.date(2014, 5, 2), dt.date(2014, 7, 30)),
        (dt.date(2014, 7, 1), dt.date(2014, 10, 31)),
    ]
    return pl.DataFrame(
        {
            "episode_id": ["Y1", "Y2", "Y3", "Y4"],
            "person_id": people,
            "started": [s for s, _ in spans],
            "ended": [e for _, e in spans],
            "locality_id": ["L1"] * 4,
        }
    )


@functools.cache
def _base_tables() -> dict[str, pl.DataFrame]:
    data = demo_dataset()
    cases = (
        data["cases"]
        .filter(pl.col("opened") >= dt.date(2013, 1, 1))
        .sample(n=60, seed=7)
        .sort("episode_id")
    )
    episodes = cases.get_column("episode_id")
    return {
        "teams": data["teams"],
        "children": data["children"].filter(pl.col("person_id").is_in(cases["person_id"])),
        "referrals": data["referrals"].filter(pl.col("referral_id").is_in(cases["referral_id"])),
        "cases": cases,
        "assessments": data["assessments"].filter(pl.col("episode_id").is_in(episodes)),
        "spider_scales": data["spider_scales"],
        "spider_readings": data["spider_readings"].filter(pl.col("episode_id").is_in(episodes)),
        "surveys": data["surveys"].filter(pl.col("episode_id").is_in(episodes)),
        "population": data["population"],
    }


@functools.cache
def _dataset(moved: bool) -> eh.Dataset:
    tables = dict(_base_tables())
    tables["yos_episodes"] = _yos(moved)
    if moved:
        readings = tables["spider_readings"]
        end = (pl.col("graph_id") == _MOVED_GRAPH) & (pl.col("stage") == "end")
        tables["spider_readings"] = readings.with_columns(
            pl.when(end)
            .then(pl.col("reading_date") + dt.timedelta(days=92))
            .otherwise(pl.col("reading_date"))
            .alias("reading_date")
        )
    return eh.Dataset.load(tables)


def _exact(moved: bool) -> pl.DataFrame:
    results = eh.compute(_dataset(moved), profile=_PROFILE, period=["2013-14", _YEAR], by="city")
    return results.frame.sort("measure_id", "period", "breakdown", nulls_last=False)


def test_the_two_datasets_differ_only_below_the_threshold() -> None:
    first, second = _exact(moved=False), _exact(moved=True)
    keys = ["measure_id", "period", "breakdown"]
    assert first.select(keys).equals(second.select(keys))
    differences = 0
    for part in ("numerator", "denominator"):
        changed = first[part].ne_missing(second[part])
        differences += int(changed.sum())
        for table in (first, second):
            values = table[part].filter(changed)
            assert values.is_between(1, _THRESHOLD - 1).all(), values
    assert differences >= 4  # Q1 and Q2 of open_to_yos, Q3 and Q4 of spider graphs completed
    moved = first.filter(first["numerator"].ne_missing(second["numerator"]))
    assert {"open_to_yos", "spider_graphs_completed"} <= set(moved["measure_id"])


def _publish_all(moved: bool, folder: Path) -> dict[str, bytes]:
    report = eh.build_annual_report(_dataset(moved), profile=_PROFILE, year=_YEAR)
    eh.write_html(report, folder / "report.html")
    eh.write_markdown(report, folder / "report.md")
    write_xlsx(report, folder / "report.xlsx")
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_published_html_markdown_png_and_xlsx_are_byte_identical(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = _publish_all(moved=False, folder=tmp_path / "a")
    second = _publish_all(moved=True, folder=tmp_path / "b")
    assert sorted(first) == sorted(second)
    assert {"report.html", "report.md", "report.xlsx"} <= set(first)
    pngs = [name for name in first if name.endswith(".png")]
    assert len(pngs) >= 3
    for name in first:
        assert first[name] == second[name], f"{name} differs"


def test_the_internal_report_does_show_the_difference(tmp_path: Path) -> None:
    # The same datasets without disclosure control do differ: the test above is not vacuous.
    settings = eh.load_profile(_PROFILE).rule("presentation", dt.date(2015, 3, 31))
    texts = []
    for moved in (False, True):
        shown = eh.present(_exact(moved), settings)
        texts.append(shown.filter(pl.col("measure_id") == "open_to_yos")["value_display"].to_list())
    assert texts[0] != texts[1]


@pytest.mark.parametrize("moved", [False, True])
def test_a_report_is_reproducible(tmp_path: Path, moved: bool) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert _publish_all(moved, tmp_path / "a") == _publish_all(moved, tmp_path / "b")
