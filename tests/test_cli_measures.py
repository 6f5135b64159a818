"""The command line's measure and report commands: ``measures``, ``compute``, ``report``, ``demo``."""

from __future__ import annotations

import io
import json
import re
from fractions import Fraction
from pathlib import Path

import polars as pl
import pytest

import earlyhelp as eh
from demo_data import demo_dataset
from earlyhelp.cli import EXIT_ERROR, EXIT_OK, main
from earlyhelp.measures import CATALOGUE

DEMO = str(eh.demo_path())
PROFILE = ("--profile", "derby-2014-15")


def _one_line_error(capsys: pytest.CaptureFixture[str], message: str) -> None:
    captured = capsys.readouterr()
    assert captured.err.startswith("earlyhelp: error: ")
    assert message in captured.err
    assert "Traceback" not in captured.err
    assert len(captured.err.strip().splitlines()) == 1


def test_measures_list_is_the_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["measures", "list", "--format", "json"]) == EXIT_OK
    listed = json.loads(capsys.readouterr().out)
    assert [m["measure_id"] for m in listed] == list(CATALOGUE.ids())
    assert {m["measure_id"]: m["unit"] for m in listed} == {
        m.measure_id: m.unit.value for m in CATALOGUE
    }
    assert main(["measures", "list"]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["measure_id", "element", "unit", "title"]
    assert len(lines) == 2 + len(CATALOGUE)


def test_measures_show_prints_the_definition(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["measures", "show", "escalation_rate"]) == EXIT_OK
    out = capsys.readouterr().out
    derby = eh.load_profile("derby-2014-15")
    item = eh.measures.catalogue_for(derby, CATALOGUE)["escalation_rate"]
    assert "Derby" in str(item.citation)  # the default profile's citation
    assert out.startswith(f"escalation_rate: {item.title}\n")
    assert item.numerator.definition in out
    assert item.denominator is not None
    assert item.denominator.definition in out
    assert str(item.citation) in out
    assert "in force:" in out


def test_measures_show_follows_the_profile(capsys: pytest.CaptureFixture[str]) -> None:
    """Under the county's profile: its window, its date placed by, its citation, its names."""
    assert main(["measures", "show", "rereferrals", "--profile", "northmoor"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("rereferrals: Cases re-referred within 12 months of closure\n")
    assert (
        "a case opened within 12 months of the closure of an earlier case of the same family" in out
    )
    assert "levels:      team, area, county" in out
    assert "Northmoor County Council" in out
    assert "in force:    from 01/04/2011" in out
    for word in ("3 months", "Derby", "city", "locality"):
        assert word not in out
    assert main(["measures", "show", "rereferral_rate", "--profile", "northmoor"]) == EXIT_OK
    out = capsys.readouterr().out
    assert (
        "denominator: lead professional cases opened in the period (cases, flow on opened)" in out
    )
    assert main(["measures", "list", "--profile", "northmoor", "--format", "json"]) == EXIT_OK
    titles = {m["measure_id"]: m["title"] for m in json.loads(capsys.readouterr().out)}
    assert titles["rereferrals"] == "Cases re-referred within 12 months of closure"
    assert not [title for title in titles.values() if "{" in title or "3 months" in title]


def test_measures_show_an_unknown_id_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["measures", "show", "escalation_rat"]) == EXIT_ERROR
    _one_line_error(capsys, "unknown measure 'escalation_rat'")


def test_compute_csv_matches_the_library(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["compute", DEMO, *PROFILE, "--period", "2014-15", "--by", "locality"]
    assert main([*args, "--format", "csv", "--measure", "escalation_rate"]) == EXIT_OK
    table = pl.read_csv(io.StringIO(capsys.readouterr().out), infer_schema=False)
    results = eh.compute(
        demo_dataset(),
        profile="derby-2014-15",
        period="2014-15",
        by="locality",
        measures=["escalation_rate"],
    )
    expected = results.frame.filter(pl.col("breakdown").is_null())
    assert table.height == expected.height
    assert set(table["level"]) == {"locality", "city"}
    for row in table.iter_rows(named=True):
        result = results["escalation_rate", row["period"], row["unit_id"]]
        assert int(row["numerator"]) == result.numerator
        assert int(row["denominator"]) == result.denominator
        # Published: truncated to one place, never rounded up past the exact value.
        shown = Fraction(row["value"].rstrip("%"))
        assert result.value is not None
        assert shown <= result.value < shown + Fraction(1, 10)


def test_compute_table_is_readable_and_ordered(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["compute", DEMO, *PROFILE, "--period", "2014-15 Q3", "--by", "city"]
    assert main(args) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == [
        "measure_id",
        "period",
        "unit_id",
        "numerator",
        "denominator",
        "value",
        "missing",
    ]
    ids = [line.split()[0] for line in lines[2:]]
    assert ids == list(CATALOGUE.ids())  # one city row each, in catalogue order
    assert "None" not in "\n".join(lines)


def test_compute_json_keeps_exact_parts(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["compute", DEMO, *PROFILE, "--period", "2014-15 Q1", "--by", "team"]
    assert main([*args, "--format", "json", "--measure", "cin_cases"]) == EXIT_OK
    records = json.loads(capsys.readouterr().out)
    teams = [r for r in records if r["level"] == "team"]
    assert teams
    assert all(r["missing"] == "not recorded at this level of the organisation" for r in teams)
    assert all(r["value"] == "[x]" for r in teams)  # the GSS symbol: not available


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["compute", "/no/such", *PROFILE, "--period", "2014-15"], "no such file"),
        (["compute", DEMO, "--profile", "nope", "--period", "2014-15"], "unknown profile 'nope'"),
        (["compute", DEMO, *PROFILE, "--period", "2014-16"], "does not span consecutive years"),
        (
            ["compute", DEMO, *PROFILE, "--period", "2014-15", "--measure", "x"],
            "unknown measure 'x'",
        ),
        (["report", DEMO, *PROFILE, "--year", "2014-15 Q1"], "expected a financial year"),
        (["report", "/no/such", *PROFILE, "--year", "2014-15"], "no such file"),
        (["report", DEMO, "--profile", "nope.yaml", "--year", "2014-15"], "no such file"),
    ],
)
def test_bad_input_is_one_clear_line(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == EXIT_ERROR
    _one_line_error(capsys, message)


def test_a_malformed_data_file_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "cases.xlsx").write_bytes(b"this is not a workbook")
    assert main(["compute", str(tmp_path), *PROFILE, "--period", "2014-15"]) == EXIT_ERROR
    _one_line_error(capsys, "cases.xlsx")


def test_report_writes_html_and_markdown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "published"
    assert main(["report", DEMO, *PROFILE, "--year", "2014-15", "--out", str(out)]) == EXIT_OK
    html = out / "early-help-impact-report-2014-15.html"
    markdown = out / "early-help-impact-report-2014-15.md"
    assert f"wrote {html}" in capsys.readouterr().out
    page = html.read_text(encoding="utf-8")
    assert "<h1>Early help impact report 2014-15</h1>" in page
    assert (
        len(re.findall(r'<img src="data:image/png;base64,', page)) == 5
    )  # trend, %, radar, themes, audit heat map
    text = markdown.read_text(encoding="utf-8")
    images = re.findall(r"\]\(([^)]+\.png)\)", text)
    assert len(images) == 5
    assert all((out / image).is_file() for image in images)
    assert any(image.endswith("case-file-audit-grades-2014-15.png") for image in images)
    results = eh.compute(demo_dataset(), profile="derby-2014-15", period="2014-15", by="city")
    escalated = results["escalation_rate", "2014-15 Q3", "city"]
    assert f"| {escalated.numerator}/{escalated.denominator} |" in text


def test_report_can_reproduce_the_source_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["report", DEMO, *PROFILE, "--year", "2014-15", "--out", str(tmp_path)]
    assert main([*args, "--reproduce-source"]) == EXIT_OK
    capsys.readouterr()
    page = (tmp_path / "early-help-impact-report-2014-15.html").read_text(encoding="utf-8")
    assert "Reproduction of the source report&#x27;s published figures" in page
    assert "<td>Escalation % 2014-15 Q1</td>" in page


def test_report_into_a_file_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    taken = tmp_path / "taken"
    taken.write_text("x", encoding="utf-8")
    assert main(["report", DEMO, *PROFILE, "--year", "2014-15", "--out", str(taken)]) == 2
    _one_line_error(capsys, "exists and is not a folder")


def test_demo_writes_the_html_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--report-dir", str(tmp_path / "demo")]) == EXIT_OK
    html = tmp_path / "demo" / "early-help-impact-report-2014-15.html"
    assert f"wrote the 2014-15 annual report: {html}" in capsys.readouterr().out
    assert "Quarterly performance" in html.read_text(encoding="utf-8")


def test_demo_checks_its_options_before_working(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--year", "2014", "--report-dir", str(tmp_path)]) == EXIT_ERROR
    _one_line_error(capsys, "2014")
    assert not any(tmp_path.iterdir())
