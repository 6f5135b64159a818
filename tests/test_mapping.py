"""A council's own export, mapped in the profile: file names, headers, codes, defaults, ids."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

import earlyhelp as eh
from earlyhelp.cli import main
from earlyhelp.errors import LoadError

PROFILE = """
[profile]
id = "council"
title = "A council's own export"

[mapping]
fold_ids = true

[mapping.files]
"Case export" = "cases"
"Referral list" = "referrals"

[mapping.columns.cases]
"Case Ref" = "episode_id"
"Client No" = "person_id"
"Episode Start Date" = "opened"
"Episode End Date" = "closed"
"Why closed" = "closure_reason"
"Area" = "locality_id"

[mapping.columns.referrals]
"Ref No" = "referral_id"
"Client No" = "person_id"
"Date Referral Received" = "referral_date"
"How referred" = "route"

[mapping.codes.cases.closure_reason]
"Step-up" = "escalated_to_social_care"
"NFA" = "other"
"Moved out of area" = "moved_away"

[mapping.codes.referrals.route]
"Vulnerable Children's Meeting" = "vcm"
"Police" = "other"
"School" = "other"

[mapping.defaults.cases]
level_of_need = 2
team_id = "MAT"
"""


def _export(folder: Path) -> Path:
    folder.mkdir()
    pl.DataFrame(
        {
            "Case Ref": ["c-1", "C-2", "c-3 "],
            "Client No": ["0042", "0043", "0044.0"],
            "Episode Start Date": ["01/04/2024 00:00", "13-MAY-24", "2024-06-01"],
            "Episode End Date": ["30/06/2024 09:15", "NULL", "01/09/2024"],
            "Why closed": ["Step-up", "NULL", "moved OUT of area"],
            "Area": ["North", "South", "North"],
            "Worker's notes": ["free text", "more", "text"],
        }
    ).write_csv(folder / "Case export.csv")
    pl.DataFrame(
        {
            "Ref No": ["R1", "R2"],
            "Client No": ["0042", "0043"],
            "Date Referral Received": ["20/03/2024", "10/05/2024"],
            "How referred": ["Vulnerable Children's Meeting", "Police"],
        }
    ).write_csv(folder / "Referral list.csv")
    return folder


def test_own_export_loads_through_the_mapping(tmp_path: Path) -> None:
    profile = tmp_path / "council.toml"
    profile.write_text(PROFILE, encoding="utf-8")
    data = eh.load(_export(tmp_path / "export"), profile=profile)
    assert data.report.ok, str(data.report)
    cases = data["cases"].sort("episode_id")
    assert cases.get_column("episode_id").to_list() == ["c-1", "c-2", "c-3"]  # folded, trimmed
    assert cases.get_column("person_id").to_list() == ["0042", "0043", "0044"]
    assert cases.get_column("closure_reason").to_list() == [
        "escalated_to_social_care",
        None,
        "moved_away",
    ]
    assert cases.get_column("closed").to_list() == [dt.date(2024, 6, 30), None, dt.date(2024, 9, 1)]
    assert cases.get_column("level_of_need").to_list() == [2, 2, 2]
    assert cases.get_column("team_id").to_list() == ["mat", "mat", "mat"]  # folded too
    # C-2 folded, "c-3 " trimmed, "0044.0" lost its .0, MAT x3 and North/South/North folded
    assert data.report["cases"].ids_changed == 9
    assert data.report["cases"].ignored_columns == ("Worker's notes",)
    assert data["referrals"].get_column("route").to_list() == ["vcm", "other"]


def test_without_the_mapping_nothing_is_recognised(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match=r"Not recognised: Case export.csv, Referral list.csv"):
        eh.load(_export(tmp_path / "export"))


def test_mapping_naming_an_unknown_column_is_an_error(tmp_path: Path) -> None:
    profile = tmp_path / "council.toml"
    profile.write_text(PROFILE.replace('= "locality_id"', '= "locality"'), encoding="utf-8")
    with pytest.raises(LoadError, match=r"mapping.columns.cases\] names column\(s\) locality"):
        eh.load(_export(tmp_path / "export"), profile=profile)


def test_cli_exits_non_zero_naming_files_when_nothing_matched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _export(tmp_path / "export")
    for command in (
        ["validate", str(folder)],
        ["compute", str(folder), "--profile", "derby-2014-15", "--period", "2014-15"],
        ["report", str(folder), "--profile", "derby-2014-15", "--year", "2014-15"],
    ):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert "Case export.csv" in err
        assert "expected" in err.lower()
