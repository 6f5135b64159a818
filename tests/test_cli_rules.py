"""The command line's rule and quality commands: ``rereferrals`` and ``validate --profile``."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

import earlyhelp as eh
from demo_data import demo_dataset
from earlyhelp.cli import EXIT_ERROR, EXIT_OK, EXIT_REJECTED, main

DEMO = str(eh.demo_path())
PERIOD = ("--period", "2014-15")


def _demo_flags(period: str) -> pl.DataFrame:
    data = demo_dataset()
    return eh.flag_rereferrals(
        data["referrals"], data["cases"], profile="derby-2014-15", period=period
    )


def test_rereferrals_lists_the_bulk_flags_with_explanations(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["rereferrals", DEMO, "--profile", "derby-2014-15", "--period", "2014-15"]) == 0
    out = capsys.readouterr().out.splitlines()
    flags = _demo_flags("2014-15").filter(pl.col("rereferral"))
    assert flags.height > 0
    assert out[0].startswith(f"{flags.height:,} re-referrals among the referrals dated in 2014-15")
    assert out[1] == (  # the rule in force, in words generated from its parameters
        "rule RR-3M (from 01/04/2013): within 3 months of closure, matched on child, judged "
        "and counted by the referral date; the rate is a share of the cases open at the end "
        "of each quarter of the period, added together"
    )
    listed = [line.split()[0] for line in out[2:]]
    assert listed == flags["referral_id"].to_list()
    for line, matched in zip(out[2:], flags["matched_id"], strict=True):
        assert "Re-referral: referred" in line
        assert f"case {matched} closing on" in line  # the explanation names the same case


def test_rereferrals_follow_the_county_profile(capsys: pytest.CaptureFixture[str]) -> None:
    """Under the county's profile the command states its rule and judges by the case opened."""
    args = ["rereferrals", DEMO, "--profile", "northmoor", "--period", "2014-15"]
    assert main(args) == 0
    out = capsys.readouterr().out.splitlines()
    data = demo_dataset()
    flags = eh.flag_rereferrals(
        data["referrals"], data["cases"], profile="northmoor", period="2014-15"
    ).filter(pl.col("rereferral"))
    assert flags.height > 0
    assert out[0] == (
        f"{flags.height:,} re-referrals among the referrals judged in 2014-15 (profile northmoor)"
    )
    assert "within 12 months of closure, matched on family" in out[1]
    assert "the date the case opened" in out[1]
    assert [line.split()[0] for line in out[2:]] == flags["referral_id"].to_list()
    assert all("Re-referral: case opened " in line for line in out[2:])
    assert not [line for line in out if "3 months" in line or "Derby" in line]


def test_rereferrals_csv_and_json_agree_with_the_bulk_rule(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["rereferrals", DEMO, "--profile", "derby-2014-15", "--period", "2014-15 Q3"]
    assert main([*args, "--format", "csv", "--all"]) == EXIT_OK
    table = pl.read_csv(io.StringIO(capsys.readouterr().out))
    flags = _demo_flags("2014-15 Q3")
    assert table["referral_id"].to_list() == flags["referral_id"].to_list()
    assert table["rereferral"].to_list() == flags["rereferral"].to_list()
    assert table["matched_id"].to_list() == flags["matched_id"].to_list()
    not_flagged = table.filter(~pl.col("rereferral"))["explanation"]
    assert not_flagged.len() > 0
    assert all(text.startswith("Not a re-referral") for text in not_flagged)
    assert main([*args, "--format", "json"]) == EXIT_OK
    records = json.loads(capsys.readouterr().out)
    assert [r["referral_id"] for r in records] == table.filter(pl.col("rereferral"))[
        "referral_id"
    ].to_list()
    assert {r["rule_id"] for r in records} == {"RR-3M"}


def test_rereferrals_explanations_are_the_bulk_explanations(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["rereferrals", DEMO, "--profile", "derby-2014-15", "--period", "2014-15 Q3"]
    assert main([*args, "--format", "json", "--all"]) == EXIT_OK
    records = json.loads(capsys.readouterr().out)
    data = demo_dataset()
    flags = eh.flag_rereferrals(
        data["referrals"], data["cases"], profile="derby-2014-15", period="2014-15 Q3", explain=True
    )
    assert [r["explanation"] for r in records] == flags["explanation"].to_list()
    assert [r["rereferral"] for r in records] == flags["rereferral"].to_list()
    for record in records:  # each explanation agrees with the flag beside it
        assert record["explanation"].startswith(
            "Re-referral:" if record["rereferral"] else "Not a re-referral:"
        )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["rereferrals", "/no/such/folder", "--profile", "derby-2014-15"], "no such file"),
        (["rereferrals", DEMO, "--profile", "nowhere"], "unknown profile 'nowhere'"),
        (["rereferrals", DEMO, "--profile", "derby-2014-15", "--period", "2014"], "2014"),
        (["rereferrals", DEMO, "--profile", "missing.toml"], "missing.toml: no such file"),
    ],
)
def test_rereferrals_bad_input_is_one_clear_line(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == EXIT_ERROR
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("earlyhelp: error: ")
    assert message in captured.err
    assert len(captured.err.strip().splitlines()) == 1


def test_a_malformed_profile_file_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "council.toml"
    bad.write_text("profile_id = [unclosed\n", encoding="utf-8")
    assert main(["rereferrals", DEMO, "--profile", str(bad)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "not valid TOML" in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_validate_with_a_profile_writes_quality_exceptions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for suffix in ("csv", "xlsx"):
        target = tmp_path / f"exceptions.{suffix}"
        args = ["validate", DEMO, "--profile", "derby-2014-15", "--extract-date", "2015-04-30"]
        assert main([*args, "--exceptions", str(target)]) == EXIT_OK  # queries only
        out = capsys.readouterr().out
        expected = eh.check_quality(
            demo_dataset(),
            profile="derby-2014-15",
            extract_date=eh.Quarter.parse("2015-16 Q1").start.add(days=29),
        )
        assert "Data quality at 30/04/2015 under profile derby-2014-15" in out
        written = pl.read_csv(target) if suffix == "csv" else pl.read_excel(target)
        assert written.height == expected.exceptions.height > 0
        assert written["record_id"].to_list() == expected.exceptions["record_id"].to_list()


def test_validate_exits_1_when_quality_errors_are_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A case opened after the extract date is an error (DQ06) under the source city's profile.
    args = ["validate", DEMO, "--profile", "derby-2014-15", "--extract-date", "2014-12-31"]
    assert main(args) == EXIT_REJECTED
    out = capsys.readouterr().out
    assert "DQ06 (error)" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["validate", DEMO, "--exceptions", "x.csv"], "--exceptions needs --profile"),
        (
            ["validate", DEMO, "--profile", "derby-2014-15", "--exceptions", "x.txt"],
            "expected a .csv or .xlsx file name",
        ),
    ],
)
def test_validate_bad_options_are_one_clear_line(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == EXIT_ERROR
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_a_bad_extract_date_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["validate", DEMO, "--profile", "derby-2014-15", "--extract-date", "31/04/2015"])
    assert info.value.code == EXIT_ERROR
    assert "expected a date as YYYY-MM-DD, got '31/04/2015'" in capsys.readouterr().err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_only_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["rereferrals", DEMO, "--profile", "cin-census", *PERIOD]) == EXIT_OK
    shown = terminal.getvalue()
    assert shown.startswith("\r")
    assert " ... done (" in shown
    assert shown.endswith("s)\n")
    assert "done (" not in capsys.readouterr().out  # progress never goes to the output


def test_no_progress_in_piped_output() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "earlyhelp",
            "rereferrals",
            DEMO,
            "--profile",
            "cin-census",
            *PERIOD,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == EXIT_OK, done.stderr
    assert done.stderr == ""
    assert "re-referrals among the referrals dated in 2014-15 (profile cin-census)" in done.stdout
