"""Personal data never reaches an output (issue 12): a canary test over every output path.

Canary values are planted in every personal column of a generated dataset:
dates of birth (valid and unreadable ones), free-text survey comments, and
columns the library ignores (names, NHS numbers, addresses, a worker's name).
Then every output the library makes is produced, through the API and the
command line, and searched for them: load reports and problems, reprs,
exceptions, data-quality reports (text, CSV, XLSX), measures in every format,
re-referral explanations, the caseload summary, the annual report (HTML and
Markdown) and anything logged.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path

import fastexcel
import polars as pl
import pytest

import earlyhelp as eh
from earlyhelp.cli import main
from earlyhelp.errors import LoadError
from earlyhelp.report import render_html, render_markdown

CANARIES = ("CANARY", "1911-11-1", "11/11/1911", "943 476")


def _leaks(text: str) -> list[str]:
    return [canary for canary in CANARIES if canary in text]


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("canaries")
    eh.write_demo(folder, cases_per_year=150, neet_cohort=30)
    children = pl.read_csv(folder / "children.csv", infer_schema=False)
    n = children.height
    dob = children.get_column("date_of_birth").to_list()
    for i in range(0, n, 7):  # valid canary dates of birth, both forms
        dob[i] = "1911-11-11" if i % 2 else "11/11/1911"
    for i in range(3, n, 29):  # unreadable ones, which are rejected
        dob[i] = f"CANARY-DOB-{i}"
    children.with_columns(
        pl.Series("date_of_birth", dob),
        pl.Series("full_name", [f"CANARYNAME{i} Smith" for i in range(n)]),
        pl.Series("nhs_number", [f"943 476 {i:04d}" for i in range(n)]),
        pl.Series("address", [f"{i} CANARY Road, Derby" for i in range(n)]),
    ).write_csv(folder / "children.csv")
    neet = pl.read_csv(folder / "neet.csv", infer_schema=False)
    neet.with_columns(
        pl.when(pl.int_range(pl.len()) % 11 == 0)
        .then(pl.lit("CANARY-NEET-DOB"))
        .otherwise(pl.col("date_of_birth"))
        .alias("date_of_birth")
    ).write_csv(folder / "neet.csv")
    surveys = pl.read_csv(folder / "surveys.csv", infer_schema=False)
    surveys.with_columns(
        pl.Series(
            "comments", [f"CANARYTEXT {i}: Ann at 943 476 0001" for i in range(surveys.height)]
        )
    ).write_csv(folder / "surveys.csv")
    cases = pl.read_csv(folder / "cases.csv", infer_schema=False)
    cases.with_columns(pl.lit("CANARYWORKER Jones").alias("worker_name")).write_csv(
        folder / "cases.csv"
    )
    return folder


def test_the_planted_data_loads_with_canaries_in_it(planted: Path) -> None:
    data = eh.load(planted)
    assert data.report.rejected > 0  # the unreadable dates of birth
    assert data["surveys"].get_column("comments").str.contains("CANARY").all()
    assert (data["children"].get_column("date_of_birth") == dt.date(1911, 11, 11)).sum() > 0


def test_no_api_output_holds_a_canary(
    planted: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    data = eh.load(planted)
    texts = [str(data.report), repr(data), repr(data.report), data.report.problems().write_csv()]
    texts += [str(r) for t in data.report.tables for r in t.rejections()]
    texts += [
        repr(record) for name in ("children", "neet", "surveys") for record in data.records(name)
    ]
    texts.append(str(eh.caseload_summary(data)))
    quality = eh.check_quality(data, profile="derby-2014-15", extract_date=dt.date(2015, 4, 30))
    texts += [str(quality), repr(quality), quality.exceptions.write_csv()]
    quality.write_xlsx(tmp_path / "q.xlsx")
    sheet = fastexcel.read_excel(str(tmp_path / "q.xlsx")).load_sheet(0).to_polars()
    texts.append(sheet.write_csv())
    results = eh.compute(data, profile="derby-2014-15", period="2014-15", by="team")
    texts += [repr(r) for r in results]
    texts.append(str(eh.flag_rereferrals(data["referrals"], data["cases"], profile="derby-2014-15",
                                         period="2014-15")))  # fmt: skip
    report = eh.build_annual_report(data, profile="derby-2014-15", year="2014-15")
    texts += [render_html(report), render_markdown(report)]
    texts += [record.getMessage() for record in caplog.records]
    found = {canary for text in texts for canary in _leaks(text)}
    assert found == set()


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    main(args)
    captured = capsys.readouterr()
    return captured.out + captured.err


def test_no_cli_output_holds_a_canary(
    planted: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    data, profile = str(planted), ["--profile", "derby-2014-15"]
    texts = [
        _run(["validate", data, "--summary", "--problems", str(tmp_path / "p.csv"), *profile,
              "--extract-date", "2015-04-30", "--exceptions", str(tmp_path / "e.csv")], capsys),
        _run(["validate", data, *profile, "--exceptions", str(tmp_path / "e.xlsx")], capsys),
        _run(["report", data, *profile, "--year", "2014-15", "--out", str(tmp_path / "r")], capsys),
    ]  # fmt: skip
    for fmt in ("table", "csv", "json"):
        texts.append(
            _run(["compute", data, *profile, "--period", "2014-15", "--format", fmt], capsys)
        )
        texts.append(
            _run(
                ["rereferrals", data, *profile, "--period", "2014-15", "--all", "--format", fmt],
                capsys,
            )
        )
    for path in tmp_path.rglob("*"):
        if path.suffix in (".csv", ".md", ".html"):
            texts.append(path.read_text(encoding="utf-8"))
        elif path.suffix == ".xlsx":
            book = fastexcel.read_excel(str(path))
            texts += [book.load_sheet(name).to_polars().write_csv() for name in book.sheet_names]
    texts += [record.getMessage() for record in caplog.records]
    assert sum(len(t) for t in texts) > 10_000  # the commands did write their outputs
    found = {canary for text in texts for canary in _leaks(text)}
    assert found == set()


@pytest.mark.parametrize(
    "source",
    [
        {"children": pl.DataFrame({"person_id": ["CANARY1"], "Person ID": ["CANARY2"]})},
        {"children": pl.DataFrame({"date_of_birth": ["1911-11-11"]})},
        {"children": pl.DataFrame({"person_id": [[1]]})},
        {"CANARY table": pl.DataFrame()},
    ],
)
def test_load_errors_hold_no_canary(source: dict[str, pl.DataFrame]) -> None:
    with pytest.raises(LoadError) as caught:
        eh.load(source)
    # A header is named (it is not a value), cleaned; a value never is.
    assert not _leaks(re.sub(r"'[^']*'", "", str(caught.value)))
    assert "1911" not in str(caught.value)


def test_a_header_run_into_a_data_row_is_not_named(tmp_path: Path) -> None:
    (tmp_path / "children.csv").write_text(
        "person_id,family_id,full_nameP1,F1,CANARYNAME Smith\nP2,F2,CANARYNAME Jones\n"
    )
    report = eh.load(tmp_path).report
    assert not _leaks(str(report))
    assert report["children"].withheld_columns == 3
