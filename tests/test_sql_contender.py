"""The SQL contender (benchmarks/measures.sql) agrees with earlyhelp, figure by figure.

The SQL is an independent implementation of the catalogue, written from the measure
definitions: where the two disagree, one of them is wrong. These tests run both on
small generated data, and on the same data with planted edge cases of the
re-referral window (month-end clamping, the anchor day, the far day), whose expected
flags are worked out here from the definition.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import polars as pl
import pytest

import earlyhelp as eh
from earlyhelp.demo import write_demo

pytest.importorskip("duckdb")

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
import bench_sql  # noqa: E402
from _sql_duckdb import connect, run  # noqa: E402


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 300 cases a year for two years, as the CSV files ``earlyhelp generate`` writes."""
    out = tmp_path_factory.mktemp("sql") / "data"
    write_demo(out, seed=7, cases_per_year=120, years=2)
    return out


def _figures(contender: str, folder: Path, out: Path) -> pl.DataFrame:
    """Read, compute and write one contender's figures as the benchmark does; read them back."""
    result = bench_sql._compute(contender, bench_sql._load(contender, folder))
    path = out / f"{contender}.parquet"
    bench_sql._write_figures(contender, result, path)
    return bench_sql.read_figures(path)


def _assert_agree(folder: Path, out: Path) -> pl.DataFrame:
    ours, theirs = _figures("earlyhelp", folder, out), _figures("sql", folder, out)
    differ = bench_sql.differences(ours, theirs, ("earlyhelp", "sql"))
    with pl.Config(tbl_rows=20, tbl_cols=12, tbl_width_chars=200):
        assert differ.height == 0, f"earlyhelp and SQL differ:\n{differ}"
    # every measure the catalogue computes for these years is compared, at every level
    measures = set(ours.get_column("measure_id").unique())
    assert measures == set(theirs.get_column("measure_id").unique())
    assert len(measures) == 30
    assert set(ours.get_column("level").unique()) == {"team", "locality", "city"}
    return theirs


def test_sql_agrees_with_compute(folder: Path, tmp_path: Path) -> None:
    figures = _assert_agree(folder, tmp_path)
    city = figures.filter(
        (pl.col("level") == "city")
        & pl.col("breakdown").is_null()
        & (pl.col("period") == "2014-15")
    )
    # not a vacuous agreement: the city counts something for most measures
    assert city.filter(pl.col("numerator") > 0).height >= 25


def test_differences_are_found(folder: Path, tmp_path: Path) -> None:
    """The comparison itself: a changed figure, a lost row and an extra row all show."""
    figures = _figures("sql", folder, tmp_path)
    changed = figures.with_columns(
        pl.when(pl.int_range(pl.len()) == 5)
        .then(pl.col("numerator") + 1)
        .otherwise(pl.col("numerator"))
        .alias("numerator")
    )
    assert bench_sql.differences(figures, changed, ("a", "b")).height == 1
    assert bench_sql.differences(figures, figures.slice(1), ("a", "b")).height == 1
    assert bench_sql.differences(figures.slice(1), figures, ("a", "b")).height == 1
    assert bench_sql.differences(figures, figures, ("a", "b")).height == 0


def _append(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open(newline="") as handle:
        columns = next(csv.reader(handle))
    with path.open("a", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in columns})


# (person, closure of the earlier case, the later referral's date, is it a re-referral?)
PLANTED = [
    # 30 November + 3 months is clamped to 28 February (2014 is not a leap year): included
    ("P9900001", "2013-11-30", "2014-02-28", True),
    # the day after the far day
    ("P9900002", "2013-11-30", "2014-03-01", False),
    # the closure day itself is not in the window
    ("P9900003", "2013-06-15", "2013-06-15", False),
    # the day after the closure, across a quarter boundary
    ("P9900004", "2013-06-30", "2013-07-01", True),
    # 31 December + 3 months is clamped to 31 March: the last day of 2013-14, included
    ("P9900005", "2013-12-31", "2014-03-31", True),
    # 31 May + 3 months is 31 August; 1 September is out
    ("P9900006", "2014-05-31", "2014-09-01", False),
]


# Leap years are outside 2013-14 and 2014-15: these are run for 2015-16.
PLANTED_LEAP = [
    # 30 November 2015 + 3 months is clamped to 29 February 2016 (a leap year): included
    ("P9900011", "2015-11-30", "2016-02-29", True),
    # 28 November + 3 months is 28 February: 29 February is the day after the far day
    ("P9900012", "2015-11-28", "2016-02-29", False),
    # 29 February + 3 months is 29 May, the far day, included; 30 May is out
    ("P9900013", "2016-02-29", "2016-05-29", True),
    ("P9900014", "2016-02-29", "2016-05-30", False),
]


def _copy(folder: Path, to: Path) -> Path:
    to.mkdir()
    for path in folder.glob("*.csv"):
        (to / path.name).write_bytes(path.read_bytes())
    return to


def _plant(folder: Path, planted: list[tuple[str, str, str, bool]]) -> tuple[set[str], set[str]]:
    """Add a closed case and a later referral (opening a case) per planted person.

    Returns the ids of the later referrals, and of those that are re-referrals.
    """
    cases, referrals, later, expected = [], [], set(), set()
    for person, closed, again, is_rereferral in planted:
        number = person[-5:]
        first, second, family = f"R99{number}", f"R98{number}", f"F99{number}"
        later.add(second)
        if is_rereferral:
            expected.add(second)
        referrals += [
            {"referral_id": first, "person_id": person, "family_id": family,
             "referral_date": "2013-04-02", "route": "other", "referring_agency": "school",
             "level_of_need": "2", "team_id": "T1U"},
            {"referral_id": second, "person_id": person, "family_id": family,
             "referral_date": again, "route": "other", "referring_agency": "school",
             "level_of_need": "2", "team_id": "T1U"},
        ]  # fmt: skip
        cases += [
            {"episode_id": f"C99{number}", "person_id": person, "family_id": family,
             "referral_id": first, "team_id": "T1U", "locality_id": "L1", "worker_id": "W1",
             "opened": "2013-04-02", "closed": closed, "closure_reason": "outcomes_met",
             "level_of_need": "2"},
            {"episode_id": f"C98{number}", "person_id": person, "family_id": family,
             "referral_id": second, "team_id": "T1U", "locality_id": "L1", "worker_id": "W1",
             "opened": again, "closed": "", "closure_reason": "", "level_of_need": "2"},
        ]  # fmt: skip
    _append(folder / "cases.csv", cases)
    _append(folder / "referrals.csv", referrals)
    return later, expected


def _assert_flags(
    folder: Path, years: tuple[str, ...], later: set[str], expected: set[str]
) -> None:
    """The SQL's and earlyhelp's flags on the planted referrals are the definition's."""
    con = connect(folder)
    run(con, years)
    flagged = {row[0] for row in con.execute("SELECT referral_id FROM rereferred").fetchall()}
    assert flagged & later == expected
    data = eh.load(folder)
    flags = pl.concat(
        eh.flag_rereferrals(data["referrals"], data["cases"], profile="derby-2014-15", period=year)
        for year in years
    ).filter(pl.col("referral_id").is_in(sorted(later)))
    assert flags.height == len(later)
    assert set(flags.filter("rereferral").get_column("referral_id")) == expected


def test_rereferral_edges_agree(folder: Path, tmp_path: Path) -> None:
    planted = _copy(folder, tmp_path / "planted")
    later, expected = _plant(planted, PLANTED)
    _assert_agree(planted, tmp_path)
    _assert_flags(planted, bench_sql.YEARS, later, expected)


def test_rereferral_leap_year(folder: Path, tmp_path: Path) -> None:
    planted = _copy(folder, tmp_path / "leap")
    later, expected = _plant(planted, PLANTED_LEAP)
    _assert_flags(planted, ("2015-16", "2016-17"), later, expected)


def test_city_population_row_alone(folder: Path, tmp_path: Path) -> None:
    """A year with only a whole-city population row: it is the city's denominator."""
    changed = _copy(folder, tmp_path / "city-only")
    population = pl.read_csv(folder / "population.csv")
    localities = set(pl.read_csv(folder / "teams.csv").get_column("locality_id"))
    kept = population.filter(~((pl.col("year") == 2014) & pl.col("area_id").is_in(localities)))
    kept.write_csv(changed / "population.csv")
    city_row = kept.filter((pl.col("year") == 2014) & ~pl.col("area_id").is_in(localities))
    assert city_row.height == 1

    figures = _assert_agree(changed, tmp_path)
    rates = figures.filter((pl.col("measure_id") == "cin_rate") & (pl.col("period") == "2014-15"))
    city = rates.filter(pl.col("level") == "city")
    assert city.get_column("denominator").to_list() == [city_row.item(0, "children")]
    assert set(rates.filter(pl.col("level") == "locality").get_column("denominator")) == {0}


def _city(figures: pl.DataFrame, measure: str) -> dict[str, int]:
    rows = figures.filter(
        (pl.col("measure_id") == measure)
        & (pl.col("level") == "city")
        & pl.col("breakdown").is_null()
    )
    return dict(zip(rows.get_column("period"), rows.get_column("numerator"), strict=True))


def test_stock_and_flow_at_quarter_ends(folder: Path, tmp_path: Path) -> None:
    """Opened on a quarter's last day: open at its end; closed on it: not; flows inclusive."""
    before = _figures("sql", folder, tmp_path)
    planted = _copy(folder, tmp_path / "quarter-ends")
    # (person, opened and referred, closed)
    spans = [("P9900021", "2013-06-30", "2013-09-30"), ("P9900022", "2013-07-01", "2013-07-01")]
    _append(
        planted / "referrals.csv",
        [
            {"referral_id": f"R97{p[-5:]}", "person_id": p, "family_id": f"F97{p[-5:]}",
             "referral_date": opened, "route": "other", "referring_agency": "school",
             "level_of_need": "2", "team_id": "T2U"}
            for p, opened, _ in spans
        ],
    )  # fmt: skip
    _append(
        planted / "cases.csv",
        [
            {"episode_id": f"C97{p[-5:]}", "person_id": p, "family_id": f"F97{p[-5:]}",
             "referral_id": f"R97{p[-5:]}", "team_id": "T2U", "locality_id": "L2",
             "worker_id": "W1", "opened": opened, "closed": closed,
             "closure_reason": "outcomes_met", "level_of_need": "2"}
            for p, opened, closed in spans
        ],
    )  # fmt: skip
    after = _assert_agree(planted, tmp_path)

    def added(measure: str) -> dict[str, int]:
        old, new = _city(before, measure), _city(after, measure)
        return {period: new[period] - old[period] for period in new if new[period] != old[period]}

    assert added("open_cases") == {"2013-14 Q1": 1}
    assert added("cases_closed") == {"2013-14 Q2": 2, "2013-14": 2}
    assert added("new_referrals") == {"2013-14 Q1": 1, "2013-14 Q2": 1, "2013-14": 2}
