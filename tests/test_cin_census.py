"""The DfE CIN census XML reader: every schema year, safely, several years together."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

import earlyhelp as eh
from cin_census_xml import Child, Episode, census_xml, sample_children
from earlyhelp.errors import LoadError

D = dt.date


@pytest.mark.parametrize("year", range(2017, 2025))
def test_each_schema_year_loads_as_delivered(tmp_path: Path, year: int) -> None:
    path = tmp_path / f"cin_{year}.xml"
    path.write_bytes(census_xml(year, sample_children(year)))
    data = eh.load(path)
    assert data.report.ok, str(data.report)
    assert data["cin_referrals"].height == 3
    assert data["referrals"].height == 0  # CIN referrals are not early help referrals
    social = data["social_care_episodes"]
    assert sorted(social.get_column("kind").to_list()) == ["cin", "cin", "cin", "cp"]
    assert data["single_assessments"].height == 1
    assert f"CIN census {year}" in str(data.report)
    assert "not in that year's schema" not in str(data.report)


def test_a_code_outside_its_year_is_noted(tmp_path: Path) -> None:
    children = sample_children(2023)
    children[1].episodes[0].reason = "RC9"  # RC9 is new in the 2024 schema
    path = tmp_path / "cin.xml"
    path.write_bytes(census_xml(2023, children))
    assert "ReasonForClosure code(s) RC9 not in that year's schema" in str(eh.load(path).report)


def test_several_years_load_without_double_counting(tmp_path: Path) -> None:
    folder = tmp_path / "returns"
    folder.mkdir()
    early, late = sample_children(2023), sample_children(2024)
    # The open 2022-23 CP episode is still open in the 2023-24 return.
    carried = early[0].episodes[1]
    late[0].episodes = [*late[0].episodes, carried]
    (folder / "cin_2023.xml").write_bytes(census_xml(2023, early))
    (folder / "cin_2024.xml").write_bytes(census_xml(2024, late))
    data = eh.load(folder)
    assert data.report.ok, str(data.report)
    referrals = data["cin_referrals"]
    assert referrals.height == 6  # 3 + 4 returned; the carried one kept once
    assert referrals.get_column("referral_id").n_unique() == referrals.height
    carried_id = f"C1:{carried.referral.isoformat()}"
    assert f"removed ids: {carried_id}" in str(data.report)
    # Children and CP plans are kept once too.
    assert data["children"].height == 2
    assert data["social_care_episodes"].filter(pl.col("kind") == "cp").height == 2


def test_rc9_is_a_step_down_to_early_help_under_the_census_profile(tmp_path: Path) -> None:
    path = tmp_path / "cin.xml"
    path.write_bytes(census_xml(2024, sample_children(2024)))
    data = eh.load(path)
    flags = eh.flag_step_downs(data["social_care_episodes"], profile="cin-census")
    stepped = flags.filter(pl.col("step_down")).get_column("episode_id").to_list()
    assert stepped == [f"cin-C2:{D(2023, 4, 11).isoformat()}"]


def test_a_dtd_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cin.xml"
    body = census_xml(2024, sample_children(2024)).replace(
        b"<Message>",
        b'<!DOCTYPE Message [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><Message>',
    )
    path.write_bytes(body)
    with pytest.raises(LoadError, match="declares a DTD or entity"):
        eh.load(path)


def test_report_from_a_cin_census(tmp_path: Path) -> None:
    from earlyhelp.cli import main

    path = tmp_path / "cin.xml"
    path.write_bytes(census_xml(2024, sample_children(2024)))
    out = tmp_path / "report"
    args = ["report", str(path), "--profile", "cin-census", "--year", "2023-24", "--out", str(out)]
    assert main(args) == 0
    assert (out / "early-help-impact-report-2023-24.html").is_file()


def test_dfe_rereferral_rate_under_the_census_profile(tmp_path: Path) -> None:
    # C1 referred 2023-05-01 and again 2024-04-30 (within 12 months: a re-referral),
    # and 2024-05-02 (more than 12 months after the first, but within 12 months of
    # the second: a re-referral); C2 once. DfE's rate for 2024-25: 2 of 3 referrals.
    children = [
        Child(
            "C1",
            D(2012, 5, 1),
            [
                Episode(D(2023, 5, 1), closed=D(2023, 6, 1), reason="RC8"),
                Episode(D(2024, 4, 30), closed=D(2024, 5, 1), reason="RC8"),
                Episode(D(2024, 5, 2)),
            ],
        ),
        Child("C2", D(2015, 1, 31), [Episode(D(2024, 6, 1))]),
    ]
    path = tmp_path / "cin.xml"
    path.write_bytes(census_xml(2025, children))
    data = eh.load(path)
    results = eh.compute(data, profile="cin-census", period="2024-25", by="city")
    result = results["cin_rereferral_rate", "2024-25", "city"]
    assert (result.numerator, result.denominator) == (2, 3)
    q1 = results["cin_rereferral_rate", "2024-25 Q1", "city"]  # all three fall in Q1
    assert (q1.numerator, q1.denominator) == (2, 3)
    assert results["cin_rereferral_rate", "2024-25 Q2", "city"].value is None  # none referred
    # Under a profile whose rule counts from case closure the figure is missing, not 0.
    derby = eh.compute(data, profile="derby-2014-15", period="2024-25", by="city")
    closure = derby["cin_rereferral_rate", "2024-25", "city"]
    assert closure.value is None
    # ... with a reason that says why: DfE's rate needs the referral-anchored rule.
    assert closure.missing is eh.measures.Missing.NOT_REFERRAL_ANCHORED
    assert "previous referral" in closure.missing.reason
    assert "case's closure" in closure.missing.reason
    # The other measures of that profile are computed all the same.
    assert derby["cin_rereferral_rate", "2024-25 Q1", "city"].missing is closure.missing
