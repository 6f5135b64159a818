"""The demo reports read as a head of service would want: nothing entirely suppressed or empty.

Both demo reports are checked: the source city's (the bundled data under the
``derby-demo`` profile, as ``earlyhelp demo`` writes it) and a county's (data
generated for a profile with areas, codes and a re-referral rule of its own).
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import polars as pl
import pytest

import earlyhelp as eh
from demo_data import demo_dataset
from earlyhelp.demo import demo_shape, generate_demo, write_demo
from earlyhelp.measures import catalogue_for
from earlyhelp.profiles import Target
from earlyhelp.report import Chart, Report, ReportTable, build_annual_report

HIDDEN = {"[c]", "[x]", "[z]", ""}

COUNTY_TOML = """
[profile]
id = "testshire"
extends = "derby-2014-15"
title = "Testshire early help framework"
council = "Testshire County Council"

[names]
area = "county"
locality = "area"
area_name = "Testshire"

[[rereferral]]
id = "RR-12M-FAMILY"
effective_from = 2011-04-01
citation = { document = "Testshire framework", section = "re-referrals" }
anchor = "previous_closure"
months = 12
anchor_inclusive = true
far_inclusive = true
match_on = "family"
exclude_same_case = true

[mapping.codes.cases.closure_reason]
"TS1 Needs met" = "outcomes_met"
"TS2 Universal services" = "stepped_down_to_universal"
"TS3 Declined" = "disengaged_or_declined"
"TS4 Moved" = "moved_away"
"TS5 Other" = "other"
"TS6 Social care" = "escalated_to_social_care"

[mapping.localities]
"NOR-U11" = "North"
"SOU-U11" = "South"
"EAS-U11" = "East"
"""


def suppressed_tables(report: Report) -> list[str]:
    """Tables with no rows, or whose figures (every column but the label) are all hidden."""
    found = []
    for section in report.sections:
        for block in section.blocks:
            if not isinstance(block, ReportTable):
                continue
            cells = [str(v) for row in block.frame.rows() for v in row[1:]]
            if block.frame.height == 0 or all(cell in HIDDEN for cell in cells):
                found.append(f"{section.title}: {block.title}")
    return found


@functools.cache
def derby_report() -> Report:
    return build_annual_report(demo_dataset(), profile="derby-demo", year="2014-15")


def test_derby_demo_report_has_no_section_entirely_suppressed_or_empty() -> None:
    report = derby_report()
    assert [s.title for s in report.sections] == [
        "Quarterly performance",
        "The framework's measures",
        "Spider graphs: distance travelled",
        "Survey themes",
        "Case file audits",
    ]
    assert suppressed_tables(report) == []
    for section in report.sections:
        assert any(isinstance(b, ReportTable | Chart) for b in section.blocks), section.title


def test_derby_demo_audit_section_publishes_grades_and_rankings() -> None:
    (audits,) = (s for s in derby_report().sections if s.title == "Case file audits")
    assert audits.blocks[0].text.startswith(  # type: ignore[union-attr]
        "52 of the 86 case file audits scheduled in 2014-15 were completed"
    )
    tables = {b.title: b.frame for b in audits.blocks if isinstance(b, ReportTable)}
    grades = tables["Grades given to each quality measure, 2014-15"]
    shown = grades.filter(pl.col("poor") != "[c]")
    assert shown.height >= 15  # at most a few rarely applicable measures hidden
    assert tables["Strengths, 2014-15"].height == 5
    assert tables["Weaknesses, 2014-15"].height == 5
    (heatmap,) = (b for b in audits.blocks if isinstance(b, Chart))
    assert heatmap.alt.count("[c]") == 5 * (grades.height - shown.height)  # shaded but those


def test_derby_demo_measures_have_last_years_baseline_and_rag_where_targets_are_set() -> None:
    (measures,) = (s for s in derby_report().sections if s.title == "The framework's measures")
    rows = pl.concat([b.frame for b in measures.blocks if isinstance(b, ReportTable)])
    shown = rows.filter(~pl.col("value").is_in(list(HIDDEN)))
    assert shown.height > 10
    # the baseline is the year before, a figure of its own
    assert shown["baseline"].str.ends_with("(2013-14)").all()
    assert (shown["baseline"].str.replace(r" \(2013-14\)$", "") != shown["value"]).any()
    # every framework measure the demo profile targets has a RAG status
    profile = eh.load_profile("derby-demo")
    targets = profile.versions(Target)
    titles = {m.measure_id: m.title for m in catalogue_for(profile, eh.CATALOGUE)}
    targeted = {titles[t.measure_id] for t in targets if t.has_target}
    statuses = dict(
        rows.filter(pl.col("measure").is_in(list(targeted))).select("measure", "rag").iter_rows()
    )
    assert set(statuses) == targeted
    assert set(statuses.values()) <= {"red", "amber", "green"}
    assert len(set(statuses.values())) == 3  # the demo shows all three


@pytest.fixture(scope="module")
def county_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("county") / "testshire.toml"
    path.write_text(COUNTY_TOML, encoding="utf-8")
    return path


def test_county_demo_data_is_shaped_by_its_profile(county_profile: Path) -> None:
    shape = demo_shape(county_profile)
    assert shape.localities == ("North", "South", "East")
    assert (shape.rereferral_months, shape.match_family) == (12, True)
    demo = generate_demo(profile=county_profile, cases_per_year=600, neet_cohort=300)
    teams = demo["teams"]
    assert set(teams["locality_id"]) == {"North", "South", "East"}
    assert teams.group_by("locality_id").len()["len"].to_list() == [3, 3, 3]
    written = set(demo["cases"]["closure_reason"].drop_nulls())
    assert written == {"TS1 Needs met", "TS2 Universal services", "TS3 Declined",
                       "TS4 Moved", "TS5 Other", "TS6 Social care"}  # fmt: skip
    population = demo["population"].filter(pl.col("year") == 2014)
    assert set(population["area_id"]) == {"North", "South", "East", "testshire"}
    # re-referrals come back within 12 months, some of them as a sibling
    cases = demo["cases"].select("episode_id", "person_id", "family_id", "opened", "closed")
    earlier = cases.select(
        pl.col("family_id"), pl.col("person_id").alias("before_person"), pl.col("closed")
    ).drop_nulls()
    again = (
        cases.filter(pl.col("opened") >= dt.date(2014, 4, 1))
        .join(earlier.rename({"closed": "before"}), on="family_id")
        .filter(
            (pl.col("before") < pl.col("opened"))
            & (pl.col("opened") <= pl.col("before").dt.offset_by("12mo"))
        )
    )
    assert (
        again["episode_id"].n_unique()
        > 0.1 * cases.filter(pl.col("opened") >= dt.date(2014, 4, 1)).height
    )
    assert (again["person_id"] != again["before_person"]).any()


def test_county_demo_loads_through_its_mapping(county_profile: Path, tmp_path: Path) -> None:
    write_demo(tmp_path, profile=county_profile, cases_per_year=600, neet_cohort=300)
    assert "TS6 Social care" in (tmp_path / "cases.csv").read_text(encoding="utf-8")
    data = eh.load(tmp_path, profile=county_profile)
    assert data.report.ok
    reasons = set(data["cases"]["closure_reason"].drop_nulls())
    assert reasons == {"outcomes_met", "stepped_down_to_universal", "disengaged_or_declined",
                       "moved_away", "other", "escalated_to_social_care"}  # fmt: skip


def test_the_same_seed_and_profile_give_the_same_county_data(county_profile: Path) -> None:
    first = generate_demo(profile=county_profile, cases_per_year=300, neet_cohort=60)
    again = generate_demo(profile=county_profile, cases_per_year=300, neet_cohort=60)
    assert all(first[name].equals(again[name]) for name in first)


@pytest.fixture(scope="module")
def northmoor_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The county's demo data, written as its system would export it."""
    folder = tmp_path_factory.mktemp("northmoor")
    write_demo(folder, profile="northmoor")
    return folder


def test_northmoor_demo_is_the_countys_shape(northmoor_data: Path) -> None:
    teams = pl.read_csv(northmoor_data / "teams.csv")
    assert set(teams["locality_id"]) == {"Fellside", "Lowvale", "Saltcoast", "Moorgate"}
    # the county's own codes in the export, every one of them in its profile's crosswalk
    written = set(pl.read_csv(northmoor_data / "cases.csv")["closure_reason"].drop_nulls())
    crosswalk = eh.load_profile("northmoor").mapping.written_codes["cases"]["closure_reason"]
    assert written <= set(crosswalk)
    assert "NM02 Stepped up to children's social care" in written

    # a county somewhat larger than the city: more cases open at a quarter end
    def open_at(cases: pl.DataFrame, day: dt.date) -> int:
        return cases.filter(
            (pl.col("opened") <= day) & (pl.col("closed").is_null() | (pl.col("closed") > day))
        ).height

    county = pl.read_csv(northmoor_data / "cases.csv", try_parse_dates=True)
    city = pl.read_csv(eh.demo_path() / "cases.csv", try_parse_dates=True)
    assert 1.2 < open_at(county, dt.date(2014, 12, 31)) / open_at(city, dt.date(2014, 12, 31)) < 2.5


def test_northmoor_demo_report_has_no_section_entirely_suppressed(northmoor_data: Path) -> None:
    data = eh.load(northmoor_data, profile="northmoor")
    assert data.report.ok
    report = build_annual_report(data, profile="northmoor", year="2014-15")
    assert suppressed_tables(report) == []
    (audits,) = (s for s in report.sections if s.title == "Case file audits")
    assert any(isinstance(b, Chart) for b in audits.blocks)
    (measures,) = (s for s in report.sections if s.title == "The framework's measures")
    rows = pl.concat([b.frame for b in measures.blocks if isinstance(b, ReportTable)])
    assert set(rows["rag"]) - {""} <= {"red", "amber", "green"}
    assert rows.filter(pl.col("rag") != "").height >= 5  # the county's own targets
