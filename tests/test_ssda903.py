"""SSDA903 episodes grouped into periods of care, so care starts and ends are counted once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

import earlyhelp as eh
from ssda903_files import EPISODES, episode, write_episodes, write_header

D = dt.date


def test_episodes_become_periods_of_care(tmp_path: Path) -> None:
    folder = tmp_path / "903"
    folder.mkdir()
    write_episodes(folder / "episodes_2024.csv", EPISODES)
    write_header(folder / "header_2024.csv")
    data = eh.load(folder)
    assert data.report.ok, str(data.report)
    periods = data["social_care_episodes"].sort("person_id", "started")
    assert periods.select("person_id", "started", "ended", "end_reason").rows() == [
        ("A", D(2023, 4, 1), D(2023, 12, 1), "E11"),
        ("A", D(2024, 2, 1), None, None),
        ("B", D(2023, 5, 15), None, None),
        ("C", D(2024, 1, 1), D(2024, 3, 1), "E4A"),
    ]
    assert periods.get_column("kind").unique().to_list() == ["cic"]
    assert periods.get_column("legal_status").to_list()[0] == "V2"  # at the period's start
    assert periods.get_column("start_reason").to_list() == ["S"] * 4
    assert data["children"].height == 3
    assert "7 episode(s) grouped into 4 period(s) of care" in str(data.report)
    results = eh.compute(
        data,
        profile="cin-census",
        period="2023-24",
        by="city",
        measures=["children_in_care", "care_starts_with_prior_early_help_rate"],
    )
    # A 903 return holds no early help cases, so the share of care starts preceded by
    # early help is missing (no data), never 0; the starts themselves are the 4 periods.
    starts = results["care_starts_with_prior_early_help_rate", "2023-24", "city"]
    assert starts.missing is eh.measures.Missing.NO_DATA
    started = periods.filter(pl.col("started").is_between(D(2023, 4, 1), D(2024, 3, 31)))
    assert started.height == 4  # care starts: 4 periods, not 7 episodes
    assert results["children_in_care", "2023-24", "city"].numerator == 2  # A and B open


def test_two_years_of_returns_count_each_episode_once(tmp_path: Path) -> None:
    folder = tmp_path / "903"
    folder.mkdir()
    # Last year's return has B's second episode open; this year's has it closed.
    earlier = [*EPISODES[4:5], episode("B", D(2023, 7, 20), "T")]
    later = [*EPISODES[:4], EPISODES[4], episode("B", D(2023, 7, 20), "T", D(2024, 4, 30), "E8")]
    write_episodes(folder / "ssda903_2023_episodes.csv", earlier)
    write_episodes(folder / "ssda903_2024_episodes.csv", later)
    data = eh.load(folder)
    b = data["social_care_episodes"].filter(pl.col("person_id") == "B")
    assert b.select("started", "ended", "end_reason").rows() == [
        (D(2023, 5, 15), D(2024, 4, 30), "E8")
    ]
    assert "removed (CHILD@DECOM): B@2023-05-15, B@2023-07-20" in str(data.report)


@st.composite
def _children(draw: st.DrawFn) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for child in range(draw(st.integers(1, 4))):
        day = D(2020, 4, 1) + dt.timedelta(days=draw(st.integers(0, 300)))
        for _period in range(draw(st.integers(1, 3))):
            changes = draw(st.integers(0, 3))
            rne = "S"
            for change in range(changes + 1):
                end = day + dt.timedelta(days=draw(st.integers(1, 200)))
                last = change == changes
                rows.append(episode(f"K{child}", day, rne, end, "E11" if last else "X1"))
                rne = draw(st.sampled_from(["P", "L", "T", "U"]))
                day = end
            day += dt.timedelta(days=draw(st.integers(1, 100)))
    return rows


@settings(max_examples=20, deadline=None)
@given(_children())
def test_periods_start_with_s_and_cover_everyepisode(rows: list[dict[str, str]]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        data = eh.load(write_episodes(Path(folder) / "episodes.csv", rows))
    periods = data["social_care_episodes"]
    assert periods.height == sum(row["RNE"] == "S" for row in rows)
    assert data.report.ok
    first = {(r["CHILD"], r["DECOM"]) for r in rows if r["RNE"] == "S"}
    assert {(p, f"{s:%d/%m/%Y}") for p, s in periods.select("person_id", "started").rows()} == first


def test_a_same_day_episode_continues_into_the_next(tmp_path: Path) -> None:
    """An episode that starts and ends on one day (X1) is followed by the next that day."""
    rows = [
        episode("Z", D(2024, 3, 31), "P"),  # listed first: the file's order does not matter
        episode("Z", D(2024, 3, 31), "S", D(2024, 3, 31), "X1"),
    ]
    periods = eh.io.periods_of_care(
        pl.DataFrame(
            {
                "person_id": ["Z", "Z"],
                "started": [D(2024, 3, 31)] * 2,
                "ended": [None, D(2024, 3, 31)],
                "start_reason": [r["RNE"] for r in rows],
                "end_reason": [None, "X1"],
            }
        )
    )
    assert periods.select("started", "ended", "start_reason", "episodes").rows() == [
        (D(2024, 3, 31), None, "S", 2)
    ]
    loaded = eh.load(write_episodes(tmp_path / "episodes.csv", rows))["social_care_episodes"]
    assert loaded.select("started", "ended", "start_reason").rows() == [(D(2024, 3, 31), None, "S")]


def test_an_episode_in_two_returns_is_named_by_id_and_read_date_only(tmp_path: Path) -> None:
    """The note on repeated episodes names the child and a date read, never text as written."""
    folder = tmp_path / "903"
    folder.mkdir()
    unreadable = {**episode("A", D(2023, 4, 1), "S"), "DECOM": "Jane Smith"}
    orphan = {**episode("B", D(2023, 5, 1), "S"), "CHILD": ""}
    for year in (2023, 2024):
        write_episodes(folder / f"ssda903_{year}_episodes.csv", [unreadable, orphan, EPISODES[6]])
    report = str(eh.load(folder).report)
    assert "3 episode(s) in several returns kept once" in report
    assert "A@(no date)" in report
    assert "(no id)@2023-05-01" in report
    assert "C@2024-01-01" in report
    assert "Jane Smith" not in report
