"""The Ofsted Annex A workbook: Lists 1 to 11, lettered answers, dates as Excel writes them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

import earlyhelp as eh
from annex_a_workbook import write_annex_a

D = dt.date


def test_annex_a_loads_as_delivered(tmp_path: Path) -> None:
    data = eh.load(write_annex_a(tmp_path / "Annex_A.xlsx"))
    assert data.report.ok, str(data.report)
    assert data.report.ignored_sources == ("Cover",)
    assert data["contacts"].get_column("source_code").to_list() == ["2A"]
    referrals = data["cin_referrals"].sort("referral_date")
    assert referrals.get_column("source_code").to_list() == ["2A", "10"]
    assert referrals.get_column("no_further_action").to_list() == [False, None]
    assert data["assessments"].height == 1
    assert data["single_assessments"].get_column("completed").to_list() == [D(2024, 5, 20)]
    social = data["social_care_episodes"].sort("kind")
    assert social.select(
        "kind", "end_reason", "primary_need", "cp_category", "placement"
    ).rows() == [
        ("cic", "E4A", "N1", None, "U1"),
        ("cin", "RC9", "N1", None, None),
        ("cp", None, None, "EMO", None),
    ]
    assert "Annex A List 5 (List 5@Annex_A.xlsx) recognised, not used" in str(data.report)
    flags = eh.flag_step_downs(data["social_care_episodes"], profile="cin-census")
    assert flags.filter(pl.col("step_down")).height == 1  # RC9, written by name
    results = eh.compute(
        data,
        profile="cin-census",
        period="2024-25",
        by="city",
        measures=["cin_rereferral_rate", "cp_plans", "children_in_care"],
    )
    # C1 referred 10/04/2024 and again 01/09/2024: the second is a re-referral.
    rate = results["cin_rereferral_rate", "2024-25", "city"]
    assert (rate.numerator, rate.denominator) == (1, 2)
    assert results["cp_plans", "2024-25", "city"].numerator == 1  # open at 31/03/2025
    assert results["children_in_care", "2024-25", "city"].numerator == 0  # ceased 01/09/2024


def test_annex_a_in_a_folder_is_opened_into_its_lists(tmp_path: Path) -> None:
    folder = tmp_path / "returns"
    folder.mkdir()
    write_annex_a(folder / "annex a 2024.xlsx")
    data = eh.load(folder)
    assert data["cin_referrals"].height == 2
