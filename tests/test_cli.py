"""The ``earlyhelp`` command line: every command, and bad input with a clear message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

import earlyhelp as eh
from demo_data import demo_dataset
from earlyhelp.cli import EXIT_ERROR, EXIT_OK, EXIT_REJECTED, main


def test_demo_prints_the_load_report_and_the_caseload(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--report-dir", str(tmp_path)]) == EXIT_OK
    out = capsys.readouterr().out
    cases = demo_dataset().report["cases"]
    assert f"cases (cases.csv): read {cases.read:,}, accepted {cases.accepted:,}" in out
    assert "2013-14 Q1" in out
    assert "2014-15 Q4" in out
    assert "2012-13 Q4" not in out  # the default periods are the demo's two years
    summary = eh.caseload_summary(
        demo_dataset(),
        first=eh.Quarter.parse("2014-15 Q4"),
        last=eh.Quarter.parse("2014-15 Q4"),
    ).filter(pl.col("locality_id") == "city")
    open_at_end = summary["open_at_end"][0]
    assert any(
        line.startswith("2014-15 Q4") and line.split()[-1] == f"{open_at_end:,}"
        for line in out.splitlines()
    )


def test_demo_by_locality_lists_every_locality(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["demo", "--by-locality", "--periods", "2014-15 Q3", "--report-dir", str(tmp_path)]
    assert main(args) == EXIT_OK
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("2014-15")]
    localities = sorted(demo_dataset()["teams"]["locality_id"].unique())
    assert sorted(line.split()[2] for line in rows) == sorted([*localities, "city"])


def test_demo_for_the_county_generates_its_data_and_its_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "report"
    assert main(["demo", "--profile", "northmoor", "--report-dir", str(report)]) == EXIT_OK
    out = capsys.readouterr().out
    data = report / "data"  # no --out: the county's data goes beside its report
    assert f"profile northmoor) to {data}" in out
    teams = pl.read_csv(data / "teams.csv")
    assert sorted(teams["locality_id"].unique()) == ["Fellside", "Lowvale", "Moorgate", "Saltcoast"]
    assert "NM01 Needs met" in (data / "cases.csv").read_text(encoding="utf-8")
    html = (report / "early-help-impact-report-2014-15.html").read_text(encoding="utf-8")
    assert "Northmoor" in html
    # generate takes the profile too, with its size by default
    made = tmp_path / "made"
    assert main(["generate", str(made), "--profile", "northmoor", "--years", "1"]) == EXIT_OK
    assert set(pl.read_csv(made / "teams.csv")["locality_id"]) == set(teams["locality_id"])


def test_generate_then_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "made"
    assert main(["generate", str(out), "--cases-per-year", "200", "--seed", "7"]) == EXIT_OK
    assert sorted(p.stem for p in out.glob("*.csv")) == sorted(eh.io.SCHEMAS)
    assert main(["validate", str(out)]) == EXIT_OK
    assert "rejected 0" in capsys.readouterr().out


def test_validate_reports_rejections_and_writes_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    cases = pl.read_csv(eh.demo_path() / "cases.csv", infer_schema=False).head(10)
    cases = cases.with_columns(
        pl.when(pl.int_range(pl.len()) == 2)
        .then(pl.lit("31/02/2015"))
        .otherwise("opened")
        .alias("opened")
    )
    cases.write_csv(folder / "cases.csv")
    problems = tmp_path / "problems.csv"
    assert main(["validate", str(folder), "--problems", str(problems)]) == EXIT_REJECTED
    assert "row 3, opened: expected a date" in capsys.readouterr().out
    written = pl.read_csv(problems)
    assert written.to_dicts() == [
        {
            "table": "cases",
            "row": 3,
            "field": "opened",
            "code": "invalid-date",
            "message": (
                "expected a date as YYYY-MM-DD, DD/MM/YYYY or DD-MON-YY (a time may follow), "
                "from 1900-04-01 to 3000-03-31"
            ),
        }
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["validate", "/no/such/folder"], "no such file or folder"),
        (["demo", "--periods", "2014-16"], "'2014-16' does not span consecutive years"),
        (["demo", "--periods", "Q3"], "expected a quarter like '2014-15 Q3'"),
    ],
)
def test_bad_input_is_one_clear_line(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == EXIT_ERROR
    err = capsys.readouterr().err
    assert err.startswith("earlyhelp: error: ")
    assert message in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_missing_required_column_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    pl.DataFrame({"team_id": ["T1"], "name": ["MAT"]}).write_csv(folder / "teams.csv")
    assert main(["validate", str(folder)]) == EXIT_ERROR
    assert "teams.csv: table teams is missing required column(s) locality_id" in (
        capsys.readouterr().err
    )


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    assert info.value.code == EXIT_ERROR
    assert "invalid choice" in capsys.readouterr().err


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["demo"],
        ["generate"],
        ["validate"],
        ["rereferrals"],
        ["measures"],
        ["measures", "list"],
        ["measures", "show"],
        ["compute"],
        ["report"],
    ],
)
def test_every_command_has_help(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([*command, "--help"])
    assert info.value.code == 0
    assert "usage: earlyhelp" in capsys.readouterr().out


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "earlyhelp", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert "Exit codes" in done.stdout
