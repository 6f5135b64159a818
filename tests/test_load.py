"""Loading tables: formats, header matching, date forms, and nothing lost."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import earlyhelp as eh
from demo_data import demo_dataset

PERSONAL = ("Jane Smith", "2009-07-14", "14/07/2009", "she told me about her dad")


def _valid_cases(n: int) -> pl.DataFrame:
    """``n`` valid case rows as text, from the bundled demo data."""
    cases = pl.read_csv(eh.demo_path() / "cases.csv", infer_schema=False)
    assert cases.height >= n
    return cases.head(n)


def _corrupt(frame: pl.DataFrame, row: int, **values: str | None) -> pl.DataFrame:
    """Set some fields of data row ``row`` (1-based) to ``values``."""
    index = row - 1
    return frame.with_columns(
        pl.when(pl.int_range(pl.len()) == index)
        .then(pl.lit(value))
        .otherwise(pl.col(name))
        .alias(name)
        for name, value in values.items()
    )


@pytest.fixture
def hundred_with_five_bad(tmp_path: Path) -> Path:
    frame = _valid_cases(100)
    # Personal data rides along in columns no schema asks for, and bad values
    # that look like personal data stand in the wrong fields.
    frame = frame.with_columns(
        pl.lit("Jane Smith").alias("child_name"), pl.lit("14/07/2009").alias("dob")
    )
    closed_row = frame.with_row_index("i", 1).filter(pl.col("closed").is_not_null())["i"][0]
    frame = _corrupt(frame, 7, opened="Jane Smith")  # bad date
    frame = _corrupt(frame, closed_row, closed="2000-01-01")  # closed before opened
    frame = _corrupt(frame, 42, closed="2015-03-31", closure_reason="she told me about her dad")
    frame = _corrupt(frame, 64, episode_id=None)  # missing id
    frame = _corrupt(frame, 99, level_of_need="2009-07-14")  # wrong type
    path = tmp_path / "cases.csv"
    frame.write_csv(path)
    return path


def test_hundred_rows_with_five_bad_ones(hundred_with_five_bad: Path) -> None:
    data = eh.load({"cases": hundred_with_five_bad})
    report = data.report["cases"]
    assert (report.read, report.accepted, report.rejected) == (100, 95, 5)
    assert data["cases"].height == 95
    found = {(r.row, r.field) for r in report.rejections()}
    closed_row = next(r.row for r in report.rejections() if r.code == "closed-before-opened")
    assert found == {
        (7, "opened"),
        (closed_row, "closed"),
        (42, "closure_reason"),
        (64, "episode_id"),
        (99, "level_of_need"),
    }
    assert set(report.ignored_columns) == {"child_name", "dob"}
    text = str(data.report) + "\n".join(map(str, report.rejections()))
    for personal in PERSONAL:
        assert personal not in text
    assert "dob" in text  # the ignored column is named, its values are not


def test_rejected_ids_are_not_in_accepted(hundred_with_five_bad: Path) -> None:
    data = eh.load({"cases": hundred_with_five_bad})
    original = _valid_cases(100).with_row_index("row", 1)
    bad_rows = set(data.report["cases"].rejected_rows)
    kept = original.filter(~pl.col("row").is_in(sorted(bad_rows)))
    assert data["cases"]["episode_id"].to_list() == kept["episode_id"].to_list()


def test_survey_comments_never_appear_in_messages() -> None:
    surveys = pl.read_csv(eh.demo_path() / "surveys.csv", infer_schema=False).head(3)
    surveys = _corrupt(surveys, 2, respected="she told me about her dad", received="Jane Smith")
    surveys = _corrupt(surveys, 3, comments="she told me about her dad", helped="maybe")
    report = eh.load({"surveys": surveys}).report
    assert report.rejected == 2
    text = str(report) + "".join(map(str, report["surveys"].rejections()))
    assert "she told me" not in text
    assert "Jane" not in text


FORMATS = ["csv", "xlsx", "parquet", "json", "pandas", "polars"]


def _typed_demo_cases(n: int) -> pl.DataFrame:
    return eh.load({"cases": _valid_cases(n)})["cases"]


@pytest.mark.parametrize("form", FORMATS)
def test_every_format_loads_the_same_rows(tmp_path: Path, form: str) -> None:
    typed = _typed_demo_cases(30)
    source: object
    if form == "csv":
        source = tmp_path / "cases.csv"
        typed.write_csv(source)
    elif form == "xlsx":
        source = tmp_path / "cases.xlsx"
        typed.write_excel(source)
    elif form == "parquet":
        source = tmp_path / "cases.parquet"
        typed.write_parquet(source)
    elif form == "json":
        source = tmp_path / "cases.json"
        typed.write_json(source)
    elif form == "pandas":
        source = typed.to_pandas()
    else:
        source = typed
    data = eh.load({"cases": source})
    assert data.report.ok
    assert data["cases"].equals(typed)


def test_folder_and_workbook_load(tmp_path: Path) -> None:
    typed = _typed_demo_cases(10)
    teams = eh.load({"teams": eh.demo_path() / "teams.csv"})["teams"]
    folder = tmp_path / "export"
    folder.mkdir()
    typed.write_csv(folder / "Cases.csv")
    teams.write_parquet(folder / "teams.parquet")
    (folder / "notes.txt").write_text("not a table")
    data = eh.load(folder)
    assert data.names == ("teams", "cases")
    assert data.report.ignored_sources == ("notes.txt",)
    workbook = tmp_path / "export.xlsx"
    import xlsxwriter

    with xlsxwriter.Workbook(workbook) as book:
        typed.write_excel(book, worksheet="cases")
        teams.write_excel(book, worksheet="Teams")
        pl.DataFrame({"a": [1]}).write_excel(book, worksheet="Cover")
    data = eh.load(workbook)
    assert data["cases"].equals(typed)
    assert data["teams"].equals(teams)
    assert data.report.ignored_sources == ("Cover",)


def test_uk_iso_and_midnight_datetimes_all_load() -> None:
    frame = pl.DataFrame(
        {
            "EARL_EPISODE_ID": ["C1", "C2", "C3", "C4"],
            "Person ID": ["P1"] * 4,
            "Team": ["T1U"] * 4,
            "locality": ["L1"] * 4,
            "Start Date": ["2015-03-31", "31/03/2015", "2015-03-31 00:00:00", " 31/3/2015 "],
            "Level of need": ["2"] * 4,
        }
    )
    data = eh.load({"cases": frame})
    assert data.report.ok
    assert data["cases"]["opened"].to_list() == [dt.date(2015, 3, 31)] * 4


def test_a_date_time_is_read_as_its_calendar_day() -> None:
    stamps = ["2015-03-31 10:15", "2015-03-31T23:59:59.123", "2015-03-31 00:00:00"]
    text = pl.DataFrame({"episode_id": ["C1", "C2", "C3"], "opened": stamps})
    typed = text.with_columns(pl.col("opened").str.to_datetime())
    for stamped in (text, typed):
        frame = stamped.with_columns(
            person_id=pl.lit("P"),
            team_id=pl.lit("T"),
            locality_id=pl.lit("L"),
            level_of_need=pl.lit("2"),
        )
        data = eh.load({"cases": frame})
        assert data.report.ok, str(data.report)
        assert data["cases"]["opened"].to_list() == [dt.date(2015, 3, 31)] * 3


def test_ambiguous_or_impossible_dates_are_rejected() -> None:
    frame = pl.DataFrame(
        {
            "episode_id": ["C1", "C2", "C3", "C4"],
            "person_id": ["P1"] * 4,
            "team_id": ["T"] * 4,
            "locality_id": ["L"] * 4,
            "opened": ["2015-02-29", "31/02/2015", "03/31/2015", "2015-03-31 25:00"],
            "level_of_need": ["2"] * 4,
        }
    )
    report = eh.load({"cases": frame}).report["cases"]
    assert report.rejected_rows == (1, 2, 3, 4)
    assert {r.code for r in report.rejections()} == {"invalid-date"}


def test_codes_match_loosely_and_typed_pandas_columns_load() -> None:
    frame = pd.DataFrame(
        {
            "episode_id": ["C1", "C2"],
            "person_id": ["P1", "P2"],
            "team_id": ["T", "T"],
            "locality_id": ["L", "L"],
            "opened": pd.to_datetime(["2014-04-01", "2014-05-01"]),
            "closed": pd.to_datetime(["2014-06-30", None]),
            "closure_reason": ["Escalated to social care", None],
            "level_of_need": [2.0, 3.0],
        }
    )
    data = eh.load({"cases": frame})
    assert data.report.ok, str(data.report)
    row = data["cases"].row(0, named=True)
    assert row["closure_reason"] == "escalated_to_social_care"
    assert row["level_of_need"] == 2
    assert row["closed"] == dt.date(2014, 6, 30)


def test_missing_required_column_names_file_and_column(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    _valid_cases(3).drop("opened").write_csv(path)
    with pytest.raises(
        eh.errors.LoadError, match=r"cases\.csv: .*missing required column\(s\) opened"
    ):
        eh.load({"cases": path})


def test_two_headers_for_one_column_is_an_error() -> None:
    frame = _valid_cases(2).with_columns(pl.col("opened").alias("Start date"))
    with pytest.raises(eh.errors.LoadError, match=r"both name cases\.opened"):
        eh.load({"cases": frame})


def test_unreadable_and_unknown_sources(tmp_path: Path) -> None:
    with pytest.raises(eh.errors.LoadError, match="no such file"):
        eh.load({"cases": tmp_path / "absent.csv"})
    bad = tmp_path / "cases.docx"
    bad.write_text("x")
    with pytest.raises(eh.errors.LoadError, match="cannot read files ending"):
        eh.load({"cases": bad})
    with pytest.raises(eh.errors.LoadError, match="unknown table 'casez'"):
        eh.load({"casez": _valid_cases(1)})


def test_audit_grades_are_checked_against_their_audits_scale() -> None:
    audits = pl.DataFrame(
        {
            "audit_id": ["A1", "A2", "A3"],
            "episode_id": ["C1", "C2", "C3"],
            "scheduled": ["2015-03-01"] * 3,
            "completed": ["2015-03-20", "2015-03-21", None],
            "scale": ["derby-0-4", "ofsted-1-4", "derby-0-4"],
        }
    )
    grades = pl.DataFrame(
        {
            "audit_id": ["A1", "A1", "A2", "A2", "A9", "A3"],
            "measure": ["Reviews", "Outcomes", "Reviews", "Outcomes", "Reviews", "Reviews"],
            "grade": ["4", "5", "0", "1", "2", "3"],
        }
    )
    report = eh.load({"audits": audits, "audit_grades": grades}).report["audit_grades"]
    assert (report.read, report.accepted, report.rejected) == (6, 2, 4)
    assert {(r.row, r.code) for r in report.rejections()} == {
        (2, "grade-off-scale"),
        (3, "grade-off-scale"),
        (5, "unknown-audit"),
        (6, "audit-not-completed"),
    }


def test_spider_scores_are_checked_against_their_scale() -> None:
    scales = pl.DataFrame(
        {"scale": ["routines"], "minimum": ["1"], "maximum": ["10"], "higher_is_better": ["yes"]}
    )
    readings = pl.DataFrame(
        {
            "graph_id": ["G1"] * 3,
            "episode_id": ["C1"] * 3,
            "stage": ["start", "end", "end"],
            "reading_date": ["2014-05-01", "2014-09-01", "2014-09-01"],
            "scale": ["routines", "routines", "health"],
            "score": ["1", "11", "5"],
        }
    )
    report = eh.load({"spider_scales": scales, "spider_readings": readings}).report
    rejected = {(r.row, r.code, r.message) for r in report["spider_readings"].rejections()}
    assert rejected == {
        (2, "score-off-scale", "expected a score from 1 to 10"),
        (3, "unknown-scale", "no such scale in spider_scales"),
    }


CORRUPTIONS = st.sampled_from(
    [
        ("opened", "not a date"),
        ("opened", "2015-13-01"),
        ("episode_id", None),
        ("episode_id", "   "),
        ("level_of_need", "5"),
        ("level_of_need", "two"),
        ("closure_reason", "won the lottery"),
        ("closed", "2014-02-30"),
        ("team_id", ""),
    ]
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.integers(1, 60), CORRUPTIONS), max_size=12),
)
def test_nothing_is_lost_and_only_corrupted_rows_are_rejected(
    damage: list[tuple[int, tuple[str, str | None]]],
) -> None:
    frame = _valid_cases(60)
    for row, (field, value) in damage:
        frame = _corrupt(frame, row, **{field: value})
    report = eh.load({"cases": frame}).report["cases"]
    assert report.accepted + report.rejected == report.read == 60
    assert set(report.rejected_rows) == {row for row, _ in damage}
    assert report.problems.height >= report.rejected


def test_duplicate_keys_name_the_first_row() -> None:
    frame = _valid_cases(5)
    frame = _corrupt(frame, 4, episode_id=frame["episode_id"][1])
    report = eh.load({"cases": frame}).report["cases"]
    (rejection,) = report.rejections()
    assert (rejection.row, rejection.code) == (4, "duplicate-key")
    assert rejection.message.endswith("first used on row 2")


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.sampled_from(["A", "B", "C", "", "a"]), st.sampled_from(["2013", "2014", ""])),
        max_size=40,
    )
)
def test_a_row_is_a_duplicate_exactly_when_its_whole_key_was_used_before(
    rows: list[tuple[str, str]],
) -> None:
    # population's key is two columns (area_id, year); a blank part is missing, not a repeat.
    frame = pl.DataFrame(
        {
            "area_id": [a for a, _ in rows],
            "year": [y for _, y in rows],
            "children": ["10"] * len(rows),
        },
        schema=dict.fromkeys(("area_id", "year", "children"), pl.String),
    )
    report = eh.load({"population": frame}).report["population"]
    seen: set[tuple[str, str]] = set()
    expected = []
    for number, key in enumerate(rows, start=1):
        if all(key):
            if key in seen:
                expected.append(number)
            seen.add(key)
    duplicated = [r.row for r in report.rejections() if r.code == "duplicate-key"]
    assert duplicated == expected
    missing = {n for n, key in enumerate(rows, start=1) if not all(key)}
    assert set(report.rejected_rows) == missing | set(expected)


@pytest.mark.parametrize(
    ("stage", "day"),
    [("start", "2014-05-01"), ("Start", "2014-05-01"), ("start", "01/05/2014"), (" start", "")],
)
def test_a_key_with_a_date_and_a_code_repeats_however_it_is_written(stage: str, day: str) -> None:
    """Spider reading keys hold a code and a date: written apart, read alike, still duplicates.

    Their raw hashes all differ, so only the check on the key as read finds them.
    """
    readings = pl.DataFrame(
        {
            "graph_id": ["G1", "G1", "G1"],
            "episode_id": ["C1"] * 3,
            "stage": ["start", "end", stage],
            "reading_date": ["2014-05-01", "2014-09-01", day or "2014-05-01"],
            "scale": ["routines"] * 3,
            "score": ["3", "5", "4"],
        }
    )
    scales = pl.DataFrame(
        {"scale": ["routines"], "minimum": ["1"], "maximum": ["10"], "higher_is_better": ["yes"]}
    )
    report = eh.load({"spider_readings": readings, "spider_scales": scales}).report[
        "spider_readings"
    ]
    (rejection,) = report.rejections()
    assert (rejection.row, rejection.code) == (3, "duplicate-key")
    assert rejection.message.endswith("first used on row 1")


def test_blank_and_unreadable_values_in_one_mapped_column() -> None:
    # Regression: an unreadable date beside blanks in the same column once left
    # the blank rows neither accepted nor rejected.
    frame = pl.DataFrame(
        {
            "episode_id": ["C1", "C2", "C3"],
            "person_id": ["P1", "P2", "P3"],
            "team_id": ["T1"] * 3,
            "locality_id": ["L1"] * 3,
            "opened": ["2014-01-01"] * 3,
            "closed": [None, "2014-02-30", "2014-03-01"],
            "closure_reason": [None, "other", "other"],
            "level_of_need": ["2"] * 3,
        }
    )
    report = eh.load({"cases": frame}).report["cases"]
    assert (report.accepted, report.rejected) == (2, 1)
    assert report.rejected_rows == (2,)


def test_a_file_that_is_not_utf8_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "teams.csv"
    path.write_bytes("team_id,name,locality_id\nT1,Caf\xe9 MAT,L1\n".encode("latin-1"))
    data = eh.load({"teams": path})
    assert data.report.ok
    assert data["teams"]["team_id"].to_list() == ["T1"]
    assert data["teams"]["name"][0].startswith("Caf")


@pytest.mark.parametrize("padded", [False, True])
def test_spaces_are_trimmed_whether_or_not_the_file_has_any(tmp_path: Path, padded: bool) -> None:
    path = tmp_path / "teams.csv"
    pad = " " if padded else ""
    path.write_text(f"team_id,name,locality_id\n{pad}T1{pad},MAT-1,{pad}L1\nT2,MAT-2,L1\n")
    data = eh.load({"teams": path})
    assert data.report.ok
    assert data["teams"]["team_id"].to_list() == ["T1", "T2"]
    assert data["teams"]["locality_id"].to_list() == ["L1", "L1"]


def test_codes_and_dates_in_canonical_and_loose_forms_agree() -> None:
    base = _valid_cases(40)
    loose = base.with_columns(
        pl.col("closure_reason").str.replace_all("_", " ").str.to_uppercase(),
        pl.col("opened").str.to_date().dt.strftime("%d/%m/%Y"),
    )
    canonical = eh.load({"cases": base})["cases"]
    assert eh.load({"cases": loose})["cases"].equals(canonical)


def test_lazy_parquet_never_reads_a_column_no_table_uses(tmp_path: Path) -> None:
    # The unused column's pages are overwritten with 0xFF bytes: reading it fails
    # (a plain load of the file is a LoadError), so a lazy load that succeeds with
    # every used value intact has not read it.
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = 400
    marker = "Z" * 997
    children = pa.table(
        {
            "person_id": [f"P{i}" for i in range(rows)],
            "family_id": [f"F{i // 2}" for i in range(rows)],
            "date_of_birth": ["2010-01-02"] * rows,
            "wide_unused": [f"{marker}{i:03d}" for i in range(rows)],
        }
    )
    path = tmp_path / "children.parquet"
    pq.write_table(children, path, compression="NONE", use_dictionary=False, write_statistics=False)
    data = bytearray(path.read_bytes())
    first = data.find(marker.encode())
    last = data.rfind(marker.encode()) + len(marker) + 3
    assert 0 < first < last
    data[first - 4 : last] = b"\xff" * (last - first + 4)
    path.write_bytes(bytes(data))
    with pytest.raises(eh.errors.LoadError, match="could not be read as PARQUET"):
        eh.load(tmp_path)
    loaded = eh.load(tmp_path, lazy=True)
    report = loaded.report["children"]
    assert (report.read, report.accepted, report.rejected) == (rows, rows, 0)
    assert report.ignored_columns == ("wide_unused",)
    assert loaded["children"].get_column("person_id").to_list() == [f"P{i}" for i in range(rows)]
    assert loaded["children"].get_column("family_id").n_unique() == rows // 2


def test_lazy_parquet_loads_like_a_whole_read(tmp_path: Path) -> None:
    # A mapped header is read (the profile's alias makes it used); the rest agrees.
    demo = demo_dataset()
    for name in ("cases", "referrals", "spider_readings"):
        demo[name].with_columns(pl.lit("x").alias("extra")).write_parquet(
            tmp_path / f"{name}.parquet"
        )
    whole, lazy = eh.load(tmp_path), eh.load(tmp_path, lazy=True)
    for name in ("cases", "referrals", "spider_readings"):
        assert lazy[name].equals(whole[name])
        assert lazy.report[name].ignored_columns == whole.report[name].ignored_columns == ("extra",)


_DEMO_TABLES = tuple(sorted(p.stem for p in eh.demo_path().glob("*.csv")))


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(order=st.permutations(_DEMO_TABLES), bad_row=st.integers(1, 40))
def test_the_order_tables_are_given_in_changes_nothing(
    order: list[str], bad_row: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # Tables are read largest first, whatever order they come in; a bad row, a
    # file and a frame among them, every table, report line and problem is the same.
    folder = tmp_path_factory.mktemp("order")
    cases = _corrupt(_valid_cases(60), bad_row, opened="not a date")
    cases.write_csv(folder / "cases.csv")
    teams = pl.read_csv(eh.demo_path() / "teams.csv", infer_schema=False)
    sources: dict[str, object] = {name: eh.demo_path() / f"{name}.csv" for name in _DEMO_TABLES} | {
        "cases": folder / "cases.csv",
        "teams": teams,
    }
    given_order = eh.load({name: sources[name] for name in order})
    sorted_order = eh.load({name: sources[name] for name in _DEMO_TABLES})
    assert str(given_order.report) == str(sorted_order.report)
    for name in _DEMO_TABLES:
        assert given_order[name].equals(sorted_order[name]), name
        assert given_order.report[name].problems.equals(sorted_order.report[name].problems)
    assert given_order.report["cases"].rejected_rows == (bad_row,)


def test_of_two_unreadable_tables_the_larger_is_named(tmp_path: Path) -> None:
    # Tables after the largest are read two at a time; the error is still the one
    # met first in the reading order (largest first), not the first to finish.
    for name in _DEMO_TABLES:
        (tmp_path / f"{name}.csv").write_bytes((eh.demo_path() / f"{name}.csv").read_bytes())
    spider = pl.read_csv(tmp_path / "spider_readings.csv", infer_schema=False)
    assert spider.height > 1000  # the largest table, read alone, first
    big = pl.concat([_valid_cases(100)] * 40).with_columns(
        pl.format("C{}", pl.int_range(pl.len())).alias("episode_id")
    )
    big.drop("opened").write_csv(tmp_path / "cases.csv")
    pl.DataFrame({"team_id": ["T1"]}).write_csv(tmp_path / "teams.csv")
    with pytest.raises(eh.errors.LoadError, match=r"cases\.csv: .*missing required column"):
        eh.load(tmp_path)
    big.write_csv(tmp_path / "cases.csv")
    with pytest.raises(eh.errors.LoadError, match=r"teams\.csv: .*missing required column"):
        eh.load(tmp_path)


_SPACES = st.sampled_from(["", " ", "\t", "\u00a0"])


@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(
        st.tuples(
            _SPACES,
            st.text(st.characters(exclude_categories=("Z", "C")), max_size=6)
            | st.sampled_from(["NULL", "a", "A"]),
            _SPACES,
        ),
        min_size=1,
        max_size=30,
    )
)
def test_a_categorical_column_holds_exactly_the_text_read(
    texts: list[tuple[str, str, str]],
) -> None:
    # Few-valued text (here onward_referrals.intervention) is held as a Categorical:
    # read back as text, each value is the text as written, trimmed, value for value.
    frame = pl.DataFrame(
        {
            "onward_referral_id": [f"O{i}" for i in range(len(texts))],
            "episode_id": ["E1"] * len(texts),
            "referral_date": ["2014-06-01"] * len(texts),
            "intervention": [before + text + after for before, text, after in texts],
        }
    )
    loaded = eh.load({"onward_referrals": frame})["onward_referrals"]
    assert loaded.schema["intervention"] == pl.Categorical()
    expected = {
        f"O{i}": text
        for i, (_, text, _) in enumerate(texts)
        if text and text not in eh.io.NULL_TEXTS  # blank or NULL: missing, so rejected
    }
    assert loaded.get_column("onward_referral_id").to_list() == list(expected)
    assert loaded.get_column("intervention").cast(pl.String).to_list() == list(expected.values())
    for value in set(expected.values()):  # compared with text, as a String column is
        matched = loaded.filter(pl.col("intervention") == value).get_column("onward_referral_id")
        assert matched.to_list() == [key for key, text in expected.items() if text == value]


def test_every_loaded_column_shares_its_tables_chunks() -> None:
    # Polars copies a whole frame into one chunk before any query over columns
    # chunked differently: a loaded table never makes every later query pay that.
    data = eh.load(eh.demo_path())
    chunked = 0
    for name in data.names:
        layouts = {tuple(column.chunk_lengths()) for column in data[name].get_columns()}
        assert len(layouts) == 1, (name, layouts)
        chunked += len(next(iter(layouts))) > 1
    assert chunked >= 3  # the demo's larger tables are read in several chunks


_ANSWERS = st.sampled_from(
    ["yes", "no", "not_answered", "Not answered", " YES ", "", "NULL", "maybe", "NFA", "12"]
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(answers=st.lists(st.tuples(_ANSWERS, _ANSWERS, _ANSWERS), min_size=1, max_size=25))
def test_codes_read_as_categorical_from_a_file_load_as_from_text(
    answers: list[tuple[str, str, str]], tmp_path: Path
) -> None:
    # A plain CSV file's code columns are read as Categorical straight from the
    # file; the same rows handed over as text load to the same table and report.
    frame = pl.DataFrame(
        {
            "response_id": [f"H{i}" for i in range(len(answers))],
            "team_id": ["T1"] * len(answers),
            "received": ["2014-06-01"] * len(answers),
            "respected": [a for a, _, _ in answers],
            "listened_to": [b for _, b, _ in answers],
            "helped": [c for _, _, c in answers],
        }
    )
    path = tmp_path / "surveys.csv"
    frame.write_csv(path, quote_style="never")
    from_file = eh.load({"surveys": path})
    from_text = eh.load({"surveys": frame})
    assert from_file["surveys"].equals(from_text["surveys"])
    mine, theirs = from_file.report["surveys"], from_text.report["surveys"]
    assert (mine.read, mine.accepted, mine.rejected) == (
        theirs.read,
        theirs.accepted,
        theirs.rejected,
    )
    assert mine.problems.equals(theirs.problems)
