"""Every input ends cleanly: a correct load report, or one library error (issue 12).

Encodings, line endings, ragged rows, stray quotes, frames of any dtype, headers
that look like internal names, and the promise that whatever ``load`` accepts,
``records()`` accepts too.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from decimal import Decimal
from pathlib import Path

import pandas as pd
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import earlyhelp as eh
from demo_data import demo_dataset
from earlyhelp.errors import EarlyHelpError, LoadError
from earlyhelp.io import NULL_TEXTS, frames_to_spider_graphs

HEADER = "person_id,family_id,date_of_birth,full_name"

# Every character Python's str.isspace() accepts beyond ASCII space: the ones the
# issue found breaking records() (NBSP, U+2003, U+2028, \x1c-\x1f, \x85) and more.
SPACES = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())


def _write(folder: Path, data: bytes, name: str = "children.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return folder


def _children(lines: list[str]) -> str:
    return "\n".join([HEADER, *lines]) + "\n"


ROWS = ["P1,F1,2010-01-02,Ann Example", "P2,,2011-02-03,Bé Ëxample", "P3,F1,,Cy Example"]


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252"]
)
@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_every_encoding_and_line_ending_loads_the_same_rows(
    tmp_path: Path, encoding: str, ending: str
) -> None:
    text = _children(ROWS).replace("\n", ending)
    data = eh.load(_write(tmp_path, text.encode(encoding)))
    report = data.report["children"]
    assert (report.read, report.accepted, report.rejected) == (3, 3, 0)
    assert data["children"].get_column("person_id").to_list() == ["P1", "P2", "P3"]
    assert report.ignored_columns == ("full_name",)


def test_latin1_bytes_that_cp1252_leaves_undefined_are_decoded_exactly(tmp_path: Path) -> None:
    # 0x81 is undefined in cp1252: Latin-1 maps it; nothing becomes U+FFFD.
    data = eh.load(_write(tmp_path, b"person_id,family_id\nP\xe91,F\x811\n"))
    assert data["children"].select("person_id", "family_id", "date_of_birth").rows() == [
        ("P\xe91", "F\x811", None)
    ]


def test_a_declared_encoding_is_used_and_a_wrong_one_is_a_load_error(tmp_path: Path) -> None:
    folder = _write(tmp_path, "person_id\nPé1\n".encode("cp1252"))
    assert eh.load(folder, encoding="cp1252")["children"].item(0, 0) == "Pé1"
    with pytest.raises(LoadError, match="is not valid utf-8"):
        eh.load(folder, encoding="utf-8")


def _written_as_is(text: str) -> bool:
    """An id the id-cleaning rule keeps as written once trimmed: not NULL, not Excel's ``7.0``.

    Those two are rewritten on purpose (see ``clean_id``'s own tests); this test is
    about encodings.
    """
    kept = text.strip(SPACES)
    return kept not in NULL_TEXTS and re.fullmatch(r"[0-9]+\.0+", kept) is None


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    ids=st.lists(
        st.text(
            st.characters(exclude_categories=("Cs",), exclude_characters=',"\r\n'), min_size=1
        ).filter(_written_as_is),
        min_size=1,
        max_size=6,
    ),
    encoding=st.sampled_from(["utf-8", "utf-16", "utf-32", "utf-8-sig"]),
)
def test_any_text_round_trips_in_any_unicode_encoding(
    tmp_path_factory: pytest.TempPathFactory, ids: list[str], encoding: str
) -> None:
    folder = tmp_path_factory.mktemp("enc")
    text = "person_id\n" + "".join(f'"{i}"\n' for i in ids)
    data = eh.load(_write(folder, text.encode(encoding)))
    report = data.report["children"]
    assert report.accepted + report.rejected == report.read == len(ids)
    # What was accepted is each id stripped of Python whitespace, never altered otherwise.
    kept = [i.strip(SPACES) for i in ids if i.strip(SPACES)]
    accepted = data["children"].get_column("person_id").to_list()
    assert sorted(accepted) == sorted(dict.fromkeys(kept))  # duplicates rejected
    assert len(list(data.records("children"))) == len(accepted)


def test_ragged_rows_are_rejected_one_by_one(tmp_path: Path) -> None:
    lines = ["P1,F1,2010-01-02,A", "P2,F1,2010-01-02", "P3,F1,2010-01-02,C,extra", "P4,,,D"]
    data = eh.load(_write(tmp_path, _children(lines).encode()))
    report = data.report["children"]
    assert (report.read, report.accepted, report.rejected) == (4, 2, 2)
    assert report.rejected_rows == (2, 3)
    assert {r.code for r in report.rejections()} == {"ragged-row"}
    assert [str(r).split(": ", 1)[1] for r in report.rejections()] == [
        "has 3 fields; expected 4 as in the header [ragged-row]",
        "has 5 fields; expected 4 as in the header [ragged-row]",
    ]
    # Accepted rows keep their own source row numbers.
    assert data["children"].get_column("person_id").to_list() == ["P1", "P4"]


def test_stray_quotes_load_or_reject_without_quoting_the_rows(tmp_path: Path) -> None:
    text = _children(['P1,F1,2010-01-02,An"n', 'P2,F1,2010-01-02,"Bob', "P3,,,C"])
    data = eh.load(_write(tmp_path, text.encode()))
    report = data.report["children"]
    assert report.accepted + report.rejected == report.read
    assert "Bob" not in str(data.report)
    assert "An" not in str(data.report).replace("ignored", "")


def test_headers_named_like_internal_columns_do_not_collide(tmp_path: Path) -> None:
    text = "__row,person_id,__bad,__text_person_id,c0,__duplicate_key\n1,P1,2,3,4,5\n9,P2,8,7,6,5\n"
    data = eh.load(_write(tmp_path, text.encode()))
    assert data["children"].get_column("person_id").to_list() == ["P1", "P2"]
    assert data.report["children"].ignored_columns == (
        "__row",
        "__bad",
        "__text_person_id",
        "c0",
        "__duplicate_key",
    )


def test_duplicate_and_empty_headers_are_fine_unless_they_name_one_column(tmp_path: Path) -> None:
    data = eh.load(_write(tmp_path, b"person_id,x,x,\nP1,1,2,3\n"))
    assert data["children"].height == 1
    with pytest.raises(LoadError, match=r"both name children\.person_id"):
        eh.load(_write(tmp_path, b"person_id,Person ID\nP1,P2\n"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"\n\n", "is empty"),
        (b"\x00\x01\x02\x03" * 8, "could not be read as CSV|zero bytes"),
        (b"\xff\xfe\x00\xd8", "not valid utf-16-le"),  # a lone surrogate after a UTF-16 BOM
    ],
)
def test_unreadable_csv_files_are_one_load_error(tmp_path: Path, data: bytes, message: str) -> None:
    with pytest.raises(LoadError, match=message) as caught:
        eh.load(_write(tmp_path, data))
    assert "\n" not in str(caught.value)
    assert isinstance(caught.value, EarlyHelpError)
    assert caught.value.code == "load"


def test_ids_with_any_edge_whitespace_are_trimmed_so_records_accept_them(tmp_path: Path) -> None:
    ids = [f"P{n}{c}" for n, c in enumerate(SPACES)] + [f"{c}Q{n}" for n, c in enumerate(SPACES)]
    frame = pl.DataFrame({"person_id": [*ids, "\u00a0", "\x1c\x85"]})
    data = eh.load({"children": frame})
    report = data.report["children"]
    assert report.accepted == len(ids)
    assert report.rejected == 2  # blank once trimmed: missing
    records = list(data.records("children"))
    assert sorted(r.person_id for r in records) == sorted(i.strip(SPACES) for i in ids)


@pytest.mark.parametrize(
    "day", ["0000-01-01", "0001-01-01", "1800-06-30", "1900-03-31", "3000-04-01"]
)
def test_dates_outside_the_financial_years_handled_are_rejected(day: str) -> None:
    data = eh.load({"children": pl.DataFrame({"person_id": ["P1"], "date_of_birth": [day]})})
    assert data.report["children"].rejected == 1
    assert list(data.records("children")) == []


def test_first_and_last_days_handled_load_and_make_records() -> None:
    days = ["1900-04-01", "3000-03-31"]
    frame = pl.DataFrame({"person_id": ["P1", "P2"], "date_of_birth": days})
    records = list(eh.load({"children": frame}).records("children"))
    assert [str(r.date_of_birth) for r in records] == days


def test_a_case_opened_in_1800_does_not_stop_validate_summary(tmp_path: Path) -> None:
    from earlyhelp.cli import EXIT_REJECTED, main

    folder = tmp_path / "data"
    folder.mkdir()
    for name in ("teams", "cases"):
        frame = pl.read_csv(eh.demo_path() / f"{name}.csv", infer_schema=False)
        if name == "cases":
            frame = frame.head(20).with_columns(
                pl.when(pl.int_range(pl.len()) == 0)
                .then(pl.lit("1800-01-05"))
                .otherwise(pl.col("opened"))
                .alias("opened")
            )
        frame.write_csv(folder / f"{name}.csv")
    assert main(["validate", str(folder), "--summary"]) == EXIT_REJECTED


def _spider(readings: list[tuple[str, str, str]]) -> eh.Dataset:
    scales = pl.DataFrame(
        {"scale": ["s"], "minimum": ["1"], "maximum": ["10"], "higher_is_better": ["yes"]}
    )
    rows = pl.DataFrame(
        {
            "graph_id": [g for g, _, _ in readings],
            "episode_id": ["E1"] * len(readings),
            "stage": [s for _, s, _ in readings],
            "reading_date": [d for _, _, d in readings],
            "scale": ["s"] * len(readings),
            "score": ["3"] * len(readings),
        }
    )
    return eh.load({"spider_scales": scales, "spider_readings": rows})


@pytest.mark.parametrize(
    "readings",
    [
        [("G1", "start", "2014-01-01"), ("G1", "start", "2014-02-01")],
        [("G1", "end", "2014-01-01"), ("G1", "end", "2014-02-01")],
        [("G1", "end", "2014-01-01"), ("G1", "start", "2014-02-01")],
        [("G1", "review", "2014-01-01"), ("G1", "start", "2014-02-01")],
    ],
)
def test_spider_graphs_that_cannot_be_records_are_rejected_at_load(
    readings: list[tuple[str, str, str]],
) -> None:
    data = _spider([*readings, ("G2", "start", "2014-01-01"), ("G2", "end", "2014-03-01")])
    report = data.report["spider_readings"]
    assert (report.accepted, report.rejected) == (2, len(readings))
    assert {r.code for r in report.rejections()} == {"graph-out-of-order"}
    assert [g.graph_id for g in data.spider_graphs()] == ["G2"]


_READING = st.tuples(
    st.sampled_from(["G1", "G2", "G3"]),
    st.sampled_from(["start", "review", "end"]),
    st.dates(dt.date(2014, 1, 1), dt.date(2014, 1, 10)).map(str),
)
"""A spider reading: graph, stage and date (one scale, one score)."""


@given(st.lists(_READING, max_size=12))
def test_every_accepted_spider_reading_makes_a_graph(
    readings: list[tuple[str, str, str]],
) -> None:
    data = _spider(readings)
    report = data.report["spider_readings"]
    assert report.accepted + report.rejected == report.read == len(readings)
    graphs = data.spider_graphs()  # never raises
    assert sum(len(s.scores) for g in graphs for s in g.readings) == report.accepted


@given(st.lists(_READING, max_size=12, unique=True))  # a repeated key has its own check
def test_a_graph_is_rejected_exactly_when_the_model_refuses_its_readings(
    readings: list[tuple[str, str, str]],
) -> None:
    # The bulk check at load (first and last days per graph) and the SpiderGraph
    # record agree on every graph: the record is built from the graph's readings alone.
    data = _spider(readings)
    rejected = {r.row for r in data.report["spider_readings"].rejections()}
    scales = data["spider_scales"]
    for graph in sorted({g for g, _, _ in readings}):
        rows = [i for i, (g, _, _) in enumerate(readings, 1) if g == graph]
        try:
            frames_to_spider_graphs(scales, _typed(readings, rows))
        except ValueError:
            refused = True
        else:
            refused = False
        assert set(rows) & rejected == (set(rows) if refused else set()), graph


def _typed(readings: list[tuple[str, str, str]], rows: list[int]) -> pl.DataFrame:
    """The graph's readings, typed as a Dataset holds them, whether or not load accepted them."""
    return pl.DataFrame(
        {
            "graph_id": [readings[i - 1][0] for i in rows],
            "episode_id": ["E1"] * len(rows),
            "stage": [readings[i - 1][1] for i in rows],
            "reading_date": [dt.date.fromisoformat(readings[i - 1][2]) for i in rows],
            "scale": ["s"] * len(rows),
            "score": [3] * len(rows),
        }
    )


PANDAS_COLUMNS = {
    "mixed objects": ["P1", 2, 3.0, None, dt.date(2014, 1, 1), True],
    "floats": [1.0, 2.5, float("nan"), 4.0, 5.0, 6.0],
    "nullable ints": pd.array([1, None, 3, 4, 5, 6], dtype="Int64"),
    "categorical": pd.Categorical(["a", "b", "a", None, "b", "c"]),
    "string ext": pd.array(["a", None, "c", "d", "e", "f"], dtype="string"),
    "datetimes tz": pd.date_range("2014-01-01", periods=6, tz="Europe/London"),
    "durations": pd.to_timedelta([1, 2, 3, 4, 5, 6], unit="D"),
    "periods": pd.period_range("2014-01", periods=6, freq="M"),
    "intervals": pd.arrays.IntervalArray.from_breaks([0, 1, 2, 3, 4, 5, 6]),
    "lists": [[1], [2], [3], [4], [5], [6]],
    "bytes": [b"x"] * 6,
    "decimals": [Decimal("1.5")] * 6,
}


@pytest.mark.parametrize("kind", list(PANDAS_COLUMNS))
def test_pandas_columns_of_any_dtype_are_ignored_when_not_needed(kind: str) -> None:
    frame = pd.DataFrame({"person_id": [f"P{i}" for i in range(6)], kind: PANDAS_COLUMNS[kind]})
    data = eh.load({"children": frame})
    assert data.report["children"].accepted == 6
    assert data.report["children"].ignored_columns == (kind,)


@pytest.mark.parametrize("kind", list(PANDAS_COLUMNS))
def test_pandas_columns_of_any_dtype_load_or_are_one_error_when_needed(kind: str) -> None:
    frame = pd.DataFrame({"person_id": PANDAS_COLUMNS[kind]})
    outcome: str | eh.Dataset
    try:
        outcome = eh.load({"children": frame})
    except LoadError as error:
        outcome = str(error)
    if isinstance(outcome, str):
        assert "children.person_id" in outcome
        assert "\n" not in outcome
    else:
        report = outcome.report["children"]
        assert report.accepted + report.rejected == report.read == 6
        assert len(list(outcome.records("children"))) == report.accepted


def test_a_mixed_object_column_is_read_value_by_value() -> None:
    frame = pd.DataFrame(
        {
            "person_id": ["P1", 2, 3.0, None],
            "date_of_birth": [dt.date(2010, 1, 2), "2011-02-03", 3, None],
        }
    )
    data = eh.load({"children": frame})
    assert data["children"].select("person_id", "family_id", "date_of_birth").rows() == [
        ("P1", None, dt.date(2010, 1, 2)),
        ("2", None, dt.date(2011, 2, 3)),
    ]
    assert data.report["children"].rejected_rows == (3, 4)


def test_pandas_duplicate_and_non_text_column_names_load() -> None:
    frame = pd.DataFrame([["P1", 1, 2, 3]], columns=["person_id", "x", "x", 7])
    data = eh.load({"children": frame})
    assert data.report["children"].ignored_columns == ("x", "x", "7")


def test_polars_frames_of_any_dtype_load_column_by_column() -> None:
    frame = pl.DataFrame(
        {
            "person_id": pl.Series(["P1", "P2"], dtype=pl.Categorical),
            "date_of_birth": [dt.datetime(2010, 1, 2, 23, 59), None],
            "family_id": pl.Series([1, 2], dtype=pl.UInt8),
            "d": [dt.timedelta(1), None],
            "l": [[1], [2]],
            "s": [{"a": 1}, {"a": 2}],
            "b": [b"x", b"y"],
            "n": [None, None],
        }
    )
    data = eh.load({"children": frame.lazy()})
    children = data["children"].select("person_id", "family_id", "date_of_birth")
    assert children.rows() == [("P1", "1", dt.date(2010, 1, 2)), ("P2", "2", None)]
    assert data.report["children"].ignored_columns == ("d", "l", "s", "b", "n")


def test_things_that_are_not_tables_are_one_load_error(tmp_path: Path) -> None:
    for source in ({"children": 42}, {"children": [1, 2]}, {7: pl.DataFrame()}, 3.5):
        with pytest.raises(LoadError):
            eh.load(source)  # type: ignore[arg-type]
    for suffix in (".xlsx", ".parquet", ".json", ".ndjson"):
        (tmp_path / f"children{suffix}").write_bytes(b"\x00garbage,\n\xff")
        with pytest.raises(LoadError, match="could not be read as"):
            eh.load({"children": tmp_path / f"children{suffix}"})


def test_a_cr_only_file_loads_about_as_fast_as_lf(tmp_path: Path) -> None:
    rows = "".join(f"P{i},F{i % 97},2010-01-02,Name {i}\n" for i in range(200_000))
    lf = _write(tmp_path / "lf", (HEADER + "\n" + rows).encode())
    cr = _write(tmp_path / "cr", (HEADER + "\n" + rows).replace("\n", "\r").encode())

    def best(folder: Path) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            assert eh.load(folder).report.accepted == 200_000
            times.append(time.perf_counter() - start)
        return min(times)

    assert best(cr) < 3 * best(lf) + 0.2


def test_minimise_reduces_dates_of_birth_to_the_month() -> None:
    frame = pl.DataFrame(
        {"person_id": ["P1", "P2", "P3"], "date_of_birth": ["2010-01-31", "2012-02-29", None]}
    )
    full = eh.load({"children": frame})
    least = eh.load({"children": frame}, minimise=True)
    assert least["children"].get_column("date_of_birth").to_list() == [
        dt.date(2010, 1, 1),
        dt.date(2012, 2, 1),
        None,
    ]
    assert full["children"].get_column("date_of_birth").to_list()[0] == dt.date(2010, 1, 31)
    assert least.report == full.report


def test_minimised_data_still_computes_the_age_based_measures() -> None:
    full = demo_dataset()
    least = eh.load(eh.demo_path(), minimise=True)
    days = least["neet"].get_column("date_of_birth").dt.day().unique().to_list()
    assert days == [1]
    kwargs = {"profile": "derby-2014-15", "period": "2014-15", "by": "city"}
    neet = [m.measure_id for m in eh.CATALOGUE if "neet" in m.measure_id]
    assert neet
    exact = {(r.measure_id, r.period): r for r in eh.compute(full, measures=neet, **kwargs)}
    month = {(r.measure_id, r.period): r for r in eh.compute(least, measures=neet, **kwargs)}
    assert exact.keys() == month.keys()
    for key, result in month.items():
        assert (result.missing is None) == (exact[key].missing is None)
        if result.denominator:
            # Ages move by at most one year for children born later in their month.
            assert abs(result.denominator - exact[key].denominator) <= exact[key].denominator // 10


@pytest.mark.parametrize(
    "header",
    [
        "person_id,family_id,full_nameP1,F1,Ann Example",  # a row run into the header
        "person_id,family_id,2014-05-01,Ann Example",
        "person_id,family_id,943 476 5919,Ann Example",
        'person_id,family_id,"full_name\nP1",Ann Example',
    ],
)
def test_ignored_headers_that_look_like_data_are_counted_not_named(
    tmp_path: Path, header: str
) -> None:
    data = eh.load(_write(tmp_path, (header + "\nP2,F2,x,y\nP3,F3,x,y\n").encode()))
    report = data.report["children"]
    assert report.ignored_columns == ()
    assert report.withheld_columns >= 1
    assert "Ann" not in str(data.report)
    assert "2014" not in str(data.report)
    assert "943" not in str(data.report)


def test_ordinary_headers_with_digits_are_still_named(tmp_path: Path) -> None:
    text = "person_id,address line 1,Q3 2014 note,phase_2\nP1,a,b,c\n"
    report = eh.load(_write(tmp_path, text.encode())).report["children"]
    assert report.ignored_columns == ("address line 1", "Q3 2014 note", "phase_2")


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["A1", "A2", "A3"]),
            st.sampled_from(["derby-0-4", "ofsted-1-4", "other"]),
            st.sampled_from(["", "2014-06-01"]),
            st.sampled_from(["", "0", "1", "4", "5"]),
        ),
        max_size=5,
    ),
    st.lists(
        st.tuples(
            st.sampled_from(["A1", "A2", "A4"]),
            st.sampled_from(["plan", "voice"]),
            st.sampled_from(["", "0", "1", "3", "4", "5", "-1"]),
        ),
        max_size=8,
    ),
)
def test_every_accepted_audit_makes_a_record(
    audits: list[tuple[str, str, str, str]], grades: list[tuple[str, str, str]]
) -> None:
    audit_frame = pl.DataFrame(
        {
            "audit_id": [a for a, *_ in audits],
            "episode_id": ["C1"] * len(audits),
            "scheduled": ["2014-05-01"] * len(audits),
            "completed": [c for _, _, c, _ in audits],
            "scale": [s for _, s, _, _ in audits],
            "overall_rating": [r for *_, r in audits],
        },
        schema=dict.fromkeys(
            ("audit_id", "episode_id", "scheduled", "completed", "scale", "overall_rating"),
            pl.String,
        ),
    )
    grade_frame = pl.DataFrame(
        {
            "audit_id": [a for a, _, _ in grades],
            "measure": [m for _, m, _ in grades],
            "grade": [g for _, _, g in grades],
        },
        schema=dict.fromkeys(("audit_id", "measure", "grade"), pl.String),
    )
    data = eh.load({"audits": audit_frame, "audit_grades": grade_frame})
    for table in data.report.tables:
        assert table.accepted + table.rejected == table.read
    records = data.audits()  # never raises
    assert len(records) == data["audits"].height


_CELL = st.text(
    alphabet=st.sampled_from(["P", "F", "1", "2", "-", "0", " ", "\t", "é", "\u00a0", "x"]),
    max_size=12,
)


@given(
    rows=st.lists(st.tuples(_CELL, _CELL, _CELL, _CELL), max_size=12),
    ending=st.sampled_from(["\n", "\r\n"]),
    last=st.booleans(),
    ragged=st.booleans(),
)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_a_plain_csv_file_loads_as_the_same_file_with_every_field_quoted(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[tuple[str, str, str, str]],
    ending: str,
    last: bool,
    ragged: bool,
) -> None:
    # A file with no quote and whole rows is read by polars' own reader; the same
    # values with every field quoted go the careful way. Both must agree exactly:
    # rows, rejections (by row and code), headers and values.
    lines = [",".join(row) for row in rows]
    if ragged and lines:
        lines[len(lines) // 2] += ",extra"
    quoted = [",".join(f'"{cell}"' for cell in row) for row in rows]
    if ragged and quoted:
        quoted[len(quoted) // 2] += ',"extra"'
    loaded = []
    for name, body in (("plain", lines), ("quoted", quoted)):
        text = ending.join([HEADER, *body]) + (ending if last or not body else "")
        folder = _write(tmp_path_factory.mktemp(name), text.encode("utf-8"))
        loaded.append(eh.load(folder))
    plain, careful = loaded
    ours, theirs = plain.report["children"], careful.report["children"]
    assert (ours.read, ours.accepted, ours.rejected) == (
        theirs.read,
        theirs.accepted,
        theirs.rejected,
    )
    assert ours.read == len(rows)
    assert ours.problems.equals(theirs.problems)
    assert plain["children"].equals(careful["children"])
