"""Safe exports: no CSV the library writes holds a cell a spreadsheet would run (issue 12).

Values from the input that start with = + - @, a tab or a carriage return are
planted in ids and names; every CSV writer must write them with a single quote
before them (OWASP's CSV-injection guidance), and XLSX must hold them as text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path

import fastexcel
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import earlyhelp as eh
from earlyhelp.cli import main
from earlyhelp.cohorts import AuditSample
from earlyhelp.io import write_csv

FORMULA = re.compile(r"^[=+\-@\t\r]")

# Planted in ids (which reach every output) and in a team's name.
PLANTED = {
    "T1U": "=1+T1U",
    "T2O": "@SUM(T2O)",
    "P0000014": "-P0000014",
    "R0000001": "+R0000001",
    "C0000018": "\tC0000018",
    "R0000255": "=R0000255",  # a referral of 2014-15 (the demo is seeded)
}


def _cells(text: str) -> Iterator[str]:
    for row in csv.reader(io.StringIO(text, newline="")):
        yield from row


def _assert_safe(text: str) -> None:
    dangerous = [cell for cell in _cells(text) if FORMULA.match(cell)]
    assert dangerous == []


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("planted")
    eh.write_demo(folder, cases_per_year=150, neet_cohort=30)
    for file in folder.glob("*.csv"):
        text = file.read_text(encoding="utf-8")
        for old, new in PLANTED.items():
            quoted = '"' + new.replace('"', '""') + '"'
            text = re.sub(rf"(?<=[,\n]){old}(?=[,\n])", quoted.replace("\\", r"\\"), text)
        file.write_text(text, encoding="utf-8")
    data = eh.load(folder)
    assert data.report.ok
    assert "=1+T1U" in data["teams"].get_column("team_id").to_list()
    return folder


def test_dataset_write_neutralises_every_formula_cell(planted: Path, tmp_path: Path) -> None:
    data = eh.load(planted)
    for path in data.write(tmp_path):
        _assert_safe(path.read_text(encoding="utf-8"))
    teams = pl.read_csv(tmp_path / "teams.csv", infer_schema=False)
    assert "'=1+T1U" in teams.get_column("team_id").to_list()
    assert "'@SUM(T2O)" in teams.get_column("team_id").to_list()


def test_quality_exceptions_csv_and_xlsx(planted: Path, tmp_path: Path) -> None:
    report = eh.check_quality(
        eh.load(planted), profile="derby-2014-15", extract_date=dt.date(2015, 4, 30)
    )
    assert report.exceptions.height > 0
    assert report.exceptions.select(pl.col(pl.String).str.contains(FORMULA.pattern).any()).row(0)
    report.write_csv(tmp_path / "exceptions.csv")
    _assert_safe((tmp_path / "exceptions.csv").read_text(encoding="utf-8"))
    report.write_xlsx(tmp_path / "exceptions.xlsx")
    sheet = fastexcel.read_excel(str(tmp_path / "exceptions.xlsx")).load_sheet(0).to_polars()
    # XLSX keeps strings as strings: the planted text comes back exactly, not a formula's value.
    text = [c for c, t in report.exceptions.schema.items() if t == pl.String]
    assert sheet.select(text).equals(report.exceptions.select(text), null_equal=True)


def test_xlsx_writes_formula_like_strings_as_strings(tmp_path: Path) -> None:
    frame = pl.DataFrame({"id": ["=1+2", "@SUM(A1)", "-3", "+4", "\tx", "plain"]})
    target = tmp_path / "out.xlsx"
    frame.write_excel(target)
    back = fastexcel.read_excel(str(target)).load_sheet(0).to_polars()
    assert back.get_column("id").to_list() == frame.get_column("id").to_list()


@pytest.mark.parametrize(
    "args",
    [
        ["compute", "{data}", "--profile", "derby-2014-15", "--period", "2014-15",
         "--by", "team", "--format", "csv"],
        ["rereferrals", "{data}", "--profile", "derby-2014-15", "--period", "2014-15", "--all",
         "--format", "csv"],
    ],
)  # fmt: skip
def test_cli_csv_output_is_neutralised(
    args: list[str], planted: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([a.format(data=planted) for a in args]) == 0
    out = capsys.readouterr().out
    _assert_safe(out)
    assert "'=1+T1U" in out or "'=R0000255" in out


def test_cli_problems_and_exceptions_files_are_neutralised(planted: Path, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    for file in planted.iterdir():
        (folder / file.name).write_bytes(file.read_bytes())
    # A rejected row whose message names the planted team id.
    cases = pl.read_csv(folder / "cases.csv", infer_schema=False)
    cases.vstack(cases.head(1)).write_csv(folder / "cases.csv")
    problems, exceptions = tmp_path / "problems.csv", tmp_path / "exceptions.csv"
    main(["validate", str(folder), "--problems", str(problems), "--profile", "derby-2014-15",
          "--extract-date", "2015-04-30", "--exceptions", str(exceptions)])  # fmt: skip
    for path in (problems, exceptions):
        _assert_safe(path.read_text(encoding="utf-8"))


def test_the_audit_sample_csv_is_neutralised(tmp_path: Path) -> None:
    sample = AuditSample(person_ids=("=cmd|' /C calc'!A0", "P1"), eligible=2, strata={}, seed=1)
    text = sample.write_csv(tmp_path / "sample.csv").read_text(encoding="utf-8")
    _assert_safe(text)
    assert list(_cells(text)) == ["person_id", "'=cmd|' /C calc'!A0", "P1"]


@given(
    st.lists(st.text(max_size=8), min_size=1, max_size=8),
    st.lists(st.integers(-(2**63), 2**63 - 1), min_size=1),
)
def test_written_csv_never_starts_a_text_cell_with_a_formula_character(
    texts: list[str], numbers: list[int]
) -> None:
    frame = pl.DataFrame({"text": texts})
    out = write_csv(frame)
    cells = list(_cells(out))[1:]
    for cell, text in zip(cells, texts, strict=True):
        assert not FORMULA.match(cell)
        assert cell in (text, "'" + text)  # only ever one quote added, nothing else changed
        assert (cell != text) == bool(FORMULA.match(text))
    numeric = write_csv(pl.DataFrame({"n": numbers}))
    assert list(_cells(numeric))[1:] == [str(n) for n in numbers]  # numbers untouched
