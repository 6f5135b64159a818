"""Format readers take files as delivered (issue 12): any Unicode encoding, ragged rows.

NCCIS and SSDA903 files are recognised by their header row, so a UTF-16 or
UTF-32 file (with or without a byte order mark) must be recognised as its UTF-8
twin is, and load to the same rows. A row of a format file with more or fewer
fields than the header is rejected on its own, counted in the load report, and
the other rows load: accepted + rejected = read.
"""

from __future__ import annotations

import codecs
import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import earlyhelp as eh
from demo_data import demo_dataset
from nccis_extract import sample_rows, write_nccis
from ssd_extract import sql_date, write_extract
from ssda903_files import EPISODES, write_episodes, write_header

ENCODINGS = {
    "utf-16 with BOM": ("utf-16-le", codecs.BOM_UTF16_LE),
    "utf-16-be with BOM": ("utf-16-be", codecs.BOM_UTF16_BE),
    "utf-16-le without BOM": ("utf-16-le", b""),
    "utf-16-be without BOM": ("utf-16-be", b""),
    "utf-32 with BOM": ("utf-32-le", codecs.BOM_UTF32_LE),
    "utf-32-be with BOM": ("utf-32-be", codecs.BOM_UTF32_BE),
    "utf-32-le without BOM": ("utf-32-le", b""),
    "utf-32-be without BOM": ("utf-32-be", b""),
}


def _reencode(path: Path, encoding: str, bom: bytes) -> Path:
    path.write_bytes(bom + path.read_text(encoding="utf-8").encode(encoding))
    return path


def _frames_equal(left: pl.DataFrame, right: pl.DataFrame) -> bool:
    return left.sort(left.columns).equals(right.sort(right.columns))


@pytest.mark.parametrize("name", ENCODINGS)
def test_a_wide_nccis_file_is_recognised_and_loads_as_utf8(name: str, tmp_path: Path) -> None:
    encoding, bom = ENCODINGS[name]
    plain = eh.load(write_nccis(tmp_path / "nccis_utf8.csv", sample_rows()))
    wide_path = _reencode(write_nccis(tmp_path / "nccis.csv", sample_rows()), encoding, bom)
    wide = eh.load(wide_path)
    assert wide.report.ok, str(wide.report)
    assert "format: nccis" in wide.report.notes
    assert wide["neet"].height == len(sample_rows())
    assert _frames_equal(wide["neet"], plain["neet"])


@pytest.mark.parametrize("name", ENCODINGS)
def test_wide_ssda903_files_are_recognised_and_load_as_utf8(name: str, tmp_path: Path) -> None:
    encoding, bom = ENCODINGS[name]
    loaded = []
    for folder, wide in ((tmp_path / "utf8", False), (tmp_path / "wide", True)):
        folder.mkdir()
        files = [
            write_episodes(folder / "episodes_2024.csv", EPISODES),
            write_header(folder / "header_2024.csv"),
        ]
        if wide:
            for file in files:
                _reencode(file, encoding, bom)
        loaded.append(eh.load(folder))
    plain, wide_data = loaded
    assert wide_data.report.ok, str(wide_data.report)
    assert "format: ssda903" in wide_data.report.notes
    for table in ("social_care_episodes", "children"):
        assert wide_data[table].height > 0
        assert _frames_equal(wide_data[table], plain[table])


# Stray quotes ------------------------------------------------------------------

TEAM_ROWS = [(f"T{i}", f"Team {i}", f"L{i % 3}") for i in range(1, 9)]


def _teams_csv(rows: list[tuple[str, str, str]], ending: str = "\n") -> str:
    lines = ["team_id,name,locality_id", *(",".join(row) for row in rows)]
    return ending.join(lines) + ending


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("at", [0, 3, 7])
@pytest.mark.parametrize("where", ["start", "middle"])
def test_a_stray_quote_spoils_only_its_own_row(
    ending: str, at: int, where: str, tmp_path: Path
) -> None:
    rows = list(TEAM_ROWS)
    team, name, locality = rows[at]
    rows[at] = (team, f'"{name}' if where == "start" else f'{name[:2]}"{name[2:]}', locality)
    (tmp_path / "teams.csv").write_text(_teams_csv(rows, ending), newline="")
    data = eh.load(tmp_path)
    report = data.report["teams"]
    assert report.read == len(rows)  # one row per line: nothing swallowed
    assert report.accepted + report.rejected == report.read
    loaded = {row[0]: row for row in data["teams"].rows()}
    for other, row in enumerate(TEAM_ROWS):
        if other != at:
            assert loaded[row[0]] == row  # every other row reads as written
    # The row with the stray quote is read literally (its quote is a character).
    assert loaded[team] == rows[at]


def test_a_stray_quote_in_the_last_row_before_other_quotes_is_contained(tmp_path: Path) -> None:
    text = 'team_id,name,locality_id\nT1,"Alpha,L1\nT2,Beta,L1\nT3,"Gamma",L2\nT4,Delta,L2\n'
    (tmp_path / "teams.csv").write_text(text)
    data = eh.load(tmp_path)
    assert data.report["teams"].read == 4
    assert dict(data["teams"].select("team_id", "name").rows()) == {
        "T1": '"Alpha',
        "T2": "Beta",
        "T3": "Gamma",
        "T4": "Delta",
    }


def test_a_quoted_value_over_several_lines_is_kept(tmp_path: Path) -> None:
    text = 'team_id,name,locality_id\nT1,"North\nEast, ""A""",L1\nT2,Beta,L1\n'
    (tmp_path / "teams.csv").write_text(text)
    data = eh.load(tmp_path)
    assert data.report.ok
    assert data["teams"].get_column("name").to_list() == ['North\nEast, "A"', "Beta"]


def test_a_stray_quote_in_an_ssd_file_spoils_only_its_own_row(tmp_path: Path) -> None:
    lines = ["dept_team_id,dept_team_name,dept_team_parent_id"]
    lines += [f"T{i},Team {i},L{i % 2}" for i in range(1, 6)]
    lines[2] = 'T2,"Team 2,L0'
    (tmp_path / "ssd_department.csv").write_text("\n".join(lines) + "\n")
    data = eh.load(tmp_path)
    report = data.report["teams"]
    assert report.read == 5
    assert report.accepted + report.rejected == report.read
    assert {"T1", "T3", "T4", "T5"} <= set(data["teams"].get_column("team_id").to_list())


# Ragged rows in format files ----------------------------------------------------


def _spoil_line(path: Path, line: int, extra: str = ",surplus") -> None:
    """Give data line ``line`` (1 after the header) one field too many."""
    lines = path.read_text().splitlines()
    lines[line] += extra
    path.write_text("\n".join(lines) + "\n")


def _consistent(report: eh.io.LoadReport) -> None:
    for table in report.tables:
        assert table.accepted + table.rejected == table.read


def test_ragged_nccis_rows_are_rejected_row_by_row(tmp_path: Path) -> None:
    path = write_nccis(tmp_path / "nccis.csv", sample_rows())
    _spoil_line(path, 2)
    _spoil_line(path, 5, extra="")  # a row may have too few fields as well
    lines = path.read_text().splitlines()
    lines[5] = lines[5].rsplit(",", 1)[0]
    path.write_text("\n".join(lines) + "\n")
    data = eh.load(path)
    report = data.report["neet"]
    assert report.read == len(sample_rows())
    assert (report.accepted, report.rejected) == (len(sample_rows()) - 2, 2)
    assert report.rejected_rows == (2, 5)  # numbered as in the file
    assert {r.code for r in report.rejections()} == {"ragged-row"}
    assert "expected 5 as in the header" in str(report)
    _consistent(data.report)


def test_ragged_ssda903_rows_are_rejected_and_the_rest_grouped(tmp_path: Path) -> None:
    folder = tmp_path / "903"
    folder.mkdir()
    episodes = write_episodes(folder / "episodes_2024.csv", EPISODES)
    write_header(folder / "header_2024.csv")
    _spoil_line(episodes, len(EPISODES))  # the last episode (child C's only one)
    data = eh.load(folder)
    report = data.report["social_care_episodes"]
    assert report.rejected == 1
    assert [r.code for r in report.rejections()] == ["ragged-row"]
    assert "episodes_2024.csv" in next(report.rejections()).message
    assert set(data["social_care_episodes"].get_column("person_id")) == {"A", "B"}
    _consistent(data.report)


def test_ragged_ssd_rows_are_rejected_row_by_row(tmp_path: Path) -> None:
    episodes = [
        {
            "earl_episode_id": f"E{i}",
            "earl_person_id": f"P{i}",
            "earl_episode_start_date": sql_date(dt.date(2024, 4, i)),
            "earl_episode_organisation": "T1",
        }
        for i in range(1, 6)
    ]
    folder = write_extract(
        tmp_path / "ssd",
        {
            "ssd_early_help_episodes": episodes,
            "ssd_family": [
                {"fami_table_id": str(i), "fami_family_id": "F1", "fami_person_id": f"P{i}"}
                for i in range(1, 4)
            ],
            "ssd_person": [{"pers_person_id": f"P{i}"} for i in range(1, 6)],
            "ssd_department": [{"dept_team_id": "T1", "dept_team_parent_id": "L1"}],
        },
    )
    _spoil_line(folder / "ssd_early_help_episodes.csv", 3)
    _spoil_line(folder / "ssd_family.csv", 1)
    data = eh.load(folder)
    cases = data.report["cases"]
    assert cases.read == 5
    assert cases.rejected_rows == (3,)
    assert sorted(data["cases"].get_column("episode_id")) == ["E1", "E2", "E4", "E5"]
    children = data.report["children"]
    # ssd_family feeds children: its ragged row counts there, naming its file.
    assert [r.code for r in children.rejections()] == ["ragged-row"]
    assert "ssd_family.csv" in next(children.rejections()).message
    assert children.read == 5 + 1
    _consistent(data.report)


# Optional fields (issue 13) -------------------------------------------------------


def test_an_ssd_extract_without_level_or_locality_keeps_every_case(tmp_path: Path) -> None:
    # Episodes of team T1 (whose department has no parent: no locality) and of a team
    # the department table does not list; the SSD has no level of need at all.
    episodes = [
        {
            "earl_episode_id": f"E{i}",
            "earl_person_id": f"P{i}",
            "earl_episode_start_date": sql_date(dt.date(2014, 5, i)),
            "earl_episode_organisation": "T1" if i <= 3 else "T9",
        }
        for i in range(1, 6)
    ]
    folder = write_extract(
        tmp_path / "ssd",
        {
            "ssd_early_help_episodes": episodes,
            "ssd_department": [{"dept_team_id": "T1", "dept_team_name": "MAT"}],
        },
    )
    data = eh.load(folder)
    report = data.report["cases"]
    assert (report.read, report.accepted, report.rejected) == (5, 5, 0)
    assert "level_of_need" in report.absent_columns
    lacking = {field: rows for field, rows, _ in report.lacking}
    assert lacking == {"level_of_need": 5}
    assert "5 row(s) kept without level_of_need: left out of early_help_level_2_cases" in str(
        report
    )
    # T9 is in no department: its two cases have no locality and count for the city only.
    assert data["cases"].get_column("locality_id").null_count() == 2
    results = eh.compute(
        data,
        profile="derby-2014-15",
        period="2014-15",
        by="city",
        measures=["open_cases", "early_help_level_2_cases"],
    )
    # Counting open cases needs neither field: every case counts.
    assert results["open_cases", "2014-15", "city"].numerator == 5
    # Counting by level needs the level: missing, with its reason, never 0.
    level = results["early_help_level_2_cases", "2014-15", "city"]
    assert level.missing is eh.measures.Missing.NO_COLUMN


def test_cases_lacking_a_level_are_left_out_of_the_figures_by_level_only(
    tmp_path: Path,
) -> None:
    cases = pl.DataFrame(
        {
            "episode_id": ["C1", "C2", "C3", "C4"],
            "person_id": ["P1", "P2", "P3", "P4"],
            "team_id": ["T1"] * 4,
            "opened": ["2014-05-01"] * 4,
            "closed": [None] * 4,
            "level_of_need": ["2", None, "2", "3"],
        }
    )
    teams = pl.DataFrame({"team_id": ["T1"], "name": ["MAT"], "locality_id": ["L1"]})
    data = eh.load({"cases": cases, "teams": teams})
    report = data.report["cases"]
    assert report.rejected == 0
    assert [(f, n) for f, n, _ in report.lacking] == [("level_of_need", 1)]
    assert "early_help_level_2_cases" in str(report)
    assert [case.level_of_need for case in data.records("cases")][1] is None
    results = eh.compute(
        data,
        profile="derby-2014-15",
        period="2014-15",
        by="city",
        measures=["open_cases", "early_help_level_2_cases"],
    )
    assert results["open_cases", "2014-15", "city"].numerator == 4
    assert results["early_help_level_2_cases", "2014-15", "city"].numerator == 2


# Placements and postcodes; data minimisation in the profile -----------------------

POSTCODE_EXTRACT = {
    "ssd_person": [{"pers_person_id": p, "pers_dob": sql_date(dt.date(2008, 7, 23))} for p in "AB"],
    "ssd_address": [
        # A's old address (ended) and current one; B has none.
        {
            "addr_table_id": "1",
            "addr_person_id": "A",
            "addr_address_postcode": "NG1 1AA",
            "addr_address_start_date": sql_date(dt.date(2015, 1, 1)),
            "addr_address_end_date": sql_date(dt.date(2020, 1, 1)),
        },
        {
            "addr_table_id": "2",
            "addr_person_id": "A",
            "addr_address_postcode": "DE22 1DX",
            "addr_address_start_date": sql_date(dt.date(2020, 1, 1)),
        },
    ],
    "ssd_cla_episodes": [
        {
            "clae_cla_episode_id": "CE1",
            "clae_person_id": "A",
            "clae_cla_episode_start_date": sql_date(dt.date(2024, 5, 1)),
            "clae_cla_episode_start_reason": "S",
            "clae_cla_episode_ceased_date": sql_date(dt.date(2024, 8, 1)),
            "clae_cla_episode_ceased_reason": "X1",
            "clae_cla_placement_id": "PL1",
        },
        {
            "clae_cla_episode_id": "CE2",
            "clae_person_id": "A",
            "clae_cla_episode_start_date": sql_date(dt.date(2024, 8, 1)),
            "clae_cla_episode_start_reason": "P",
        },
        {  # no placement id: matched by its episode id
            "clae_cla_episode_id": "CE3",
            "clae_person_id": "B",
            "clae_cla_episode_start_date": sql_date(dt.date(2024, 6, 1)),
            "clae_cla_episode_start_reason": "S",
        },
    ],
    "ssd_cla_placement": [
        {
            "clap_cla_placement_id": "PL1",
            "clap_cla_episode_id": "CE1",
            "clap_cla_placement_type": "U4",
            "clap_cla_placement_provider": "PR1",
            "clap_cla_placement_postcode": "DE1 2AB",
        },
        {
            "clap_cla_placement_id": "PL2",
            "clap_cla_episode_id": "CE2",
            "clap_cla_placement_type": "K2",
            "clap_cla_placement_provider": "PR4",
            "clap_cla_placement_postcode": "S1 4GH",
        },
        {
            "clap_cla_placement_id": "PL3",
            "clap_cla_episode_id": "CE3",
            "clap_cla_placement_type": "P1",
            "clap_cla_placement_provider": "PR0",
            "clap_cla_placement_postcode": "SW1A 1AA",
        },
    ],
}


@pytest.mark.parametrize("placement_file", ["ssd_cla_placement", "ssd_placements"])
def test_ssd_placements_are_kept_with_the_periods_of_care(
    placement_file: str, tmp_path: Path
) -> None:
    folder = write_extract(tmp_path / "ssd", POSTCODE_EXTRACT)
    if placement_file != "ssd_cla_placement":
        (folder / "ssd_cla_placement.csv").rename(folder / f"{placement_file}.csv")
    data = eh.load(folder)
    assert data.report.ok, str(data.report)
    periods = data["social_care_episodes"].sort("person_id")
    # A's two episodes are one period: its placement is the first episode's.
    assert periods.select(
        "person_id", "placement", "placement_provider", "placement_postcode"
    ).rows() == [("A", "U4", "PR1", "DE1 2AB"), ("B", "P1", "PR0", "SW1A 1AA")]
    assert dict(data["children"].select("person_id", "postcode").rows()) == {
        "A": "DE22 1DX",  # the current address, not the ended one
        "B": None,
    }
    assert "DE1 2AB" not in str(data.report)


def test_ssda903_placements_keep_provider_and_postcode(tmp_path: Path) -> None:
    folder = tmp_path / "903"
    folder.mkdir()
    rows = [{**row, "PLACE_PROVIDER": "PR4", "PL_POST": "DE1 2AB"} for row in EPISODES]
    write_episodes(folder / "episodes_2024.csv", rows)
    data = eh.load(folder)
    periods = data["social_care_episodes"]
    assert set(periods.get_column("placement_provider")) == {"PR4"}
    assert set(periods.get_column("placement_postcode")) == {"DE1 2AB"}
    least = eh.load(folder, minimise=True)
    assert set(least["social_care_episodes"].get_column("placement_postcode")) == {"DE1"}


def _privacy_profile(tmp_path: Path) -> Path:
    path = tmp_path / "council.toml"
    path.write_text(
        '[profile]\nid = "council"\ntitle = "A council"\n[privacy]\nminimise = true\n',
        encoding="utf-8",
    )
    return path


def test_minimise_in_the_profile_reduces_postcodes_and_dates_of_birth(tmp_path: Path) -> None:
    folder = write_extract(tmp_path / "ssd", POSTCODE_EXTRACT)
    data = eh.load(folder, profile=_privacy_profile(tmp_path))
    children = dict(data["children"].select("person_id", "postcode").rows())
    assert children == {"A": "DE22", "B": None}  # the district, never the full postcode
    assert set(data["children"].get_column("date_of_birth")) == {dt.date(2008, 7, 1)}
    placements = data["social_care_episodes"].sort("person_id").get_column("placement_postcode")
    assert placements.to_list() == ["DE1", "SW1A"]
    # The argument does the same; without either, nothing is reduced.
    assert eh.load(folder, minimise=True)["children"].equals(data["children"])
    assert eh.load(folder)["children"].get_column("postcode").to_list() == ["DE22 1DX", None]


def test_minimise_in_the_profile_keeps_the_age_based_measures(tmp_path: Path) -> None:
    kwargs = {"profile": "derby-2014-15", "period": "2014-15", "by": "city"}
    neet = [m.measure_id for m in eh.CATALOGUE if "neet" in m.measure_id]
    by_argument = eh.compute(eh.load(eh.demo_path(), minimise=True), measures=neet, **kwargs)
    by_profile = eh.compute(
        eh.load(eh.demo_path(), profile=_privacy_profile(tmp_path)), measures=neet, **kwargs
    )
    full = eh.compute(demo_dataset(), measures=neet, **kwargs)
    assert by_profile.frame.equals(by_argument.frame)
    # Every age-based figure is still computed (none missing that the full data has).
    missing = by_profile.frame.get_column("missing").is_null()
    assert missing.equals(full.frame.get_column("missing").is_null())
    assert missing.any()


@given(
    outward=st.from_regex(r"[A-Z]{1,2}[0-9][A-Z0-9]?", fullmatch=True),
    inward=st.from_regex(r"[0-9][A-Z]{2}", fullmatch=True),
    spaces=st.sampled_from(["", " ", "  "]),
    lower=st.booleans(),
)
def test_a_postcode_is_reduced_to_its_outward_code(
    outward: str, inward: str, spaces: str, lower: bool
) -> None:
    written = f"{outward}{spaces}{inward}"
    written = written.lower() if lower else written
    frame = pl.DataFrame({"p": [written]})
    reduced = frame.select(eh.io.postcode_district(pl.col("p"))).item()
    assert reduced == outward
    assert inward not in reduced  # the inward code never survives
