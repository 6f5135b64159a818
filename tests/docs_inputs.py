"""The inputs the how-to pages load, built by the tests' format writers under the pages' names.

``tests/test_docs_run.py`` runs every code block of the docs in a working
folder holding these, so a page's ``eh.load("ssd_extract/")`` loads a real SSD
extract, its ``eh.load("Annex_A.xlsx")`` a real Annex A workbook, and so on:

- ``ssd_extract/``: the demo's teams, children, families and early help cases
  as the SSD's ``ssd_*`` tables (every spec column, SQL Server's date format,
  local closure reasons);
- ``Annex_A.xlsx``, ``cin_returns/cin_2023.xml`` and ``cin_2024.xml``,
  ``nccis_2014-15.csv``, ``ssda903/``, ``reporting.sqlite``: the formats'
  own test writers' samples;
- ``exports/`` and ``our-council.toml``: the demo written as a council's own
  export, its file names, headers and codes the inverse of the own-export
  page's ``[mapping]``, and the council's profile (a copy of the shipped
  ``derby-2014-15``, as the profile how-to starts one) with that page's TOML
  added, so loading the one with the other reads the demo back.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Final

import polars as pl

import earlyhelp as eh
from annex_a_workbook import write_annex_a
from cin_census_xml import census_xml, sample_children
from demo_data import demo_dataset
from nccis_extract import sample_rows, write_nccis
from ssd_database import typed_frames, write_sqlite
from ssd_extract import LOCAL_CLOSURE, sql_date, write_extract
from ssda903_files import EPISODES, write_episodes, write_header

# A council's profile starts as a copy of a shipped one (docs/how-to/write-a-profile.rst).
SHIPPED_PROFILE: Final = Path(eh.__path__[0]) / "profiles" / "derby-2014-15.toml"


def _sql_dates(column: str) -> pl.Expr:
    """A date column as SQL Server writes it to CSV; none is the 1900-01-01 placeholder."""
    return pl.col(column).dt.strftime("%d/%m/%Y 00:00").fill_null(sql_date(None))


def write_ssd_from_demo(folder: Path) -> Path:
    """The demo's teams, children, families and cases as an SSD extract."""
    demo = demo_dataset()
    departments = demo["teams"].select(
        dept_team_id="team_id", dept_team_name="name", dept_team_parent_id="locality_id"
    )
    people = demo["children"].select(
        pers_person_id="person_id", pers_dob=_sql_dates("date_of_birth")
    )
    families = (
        demo["children"]
        .filter(pl.col("family_id").is_not_null())
        .select(fami_family_id="family_id", fami_person_id="person_id")
        .with_row_index("fami_table_id", offset=1)
    )
    episodes = demo["cases"].select(
        earl_episode_id="episode_id",
        earl_person_id="person_id",
        earl_episode_start_date=_sql_dates("opened"),
        earl_episode_end_date=_sql_dates("closed"),
        earl_episode_end_reason=pl.col("closure_reason").replace_strict(
            LOCAL_CLOSURE, default=None
        ),
        earl_episode_organisation="team_id",
        earl_episode_worker_id="worker_id",
    )
    version = [{"version_number": "1.3.9", "is_current": "1", "description": "Mosaic deployment"}]
    tables: dict[str, Any] = {
        "ssd_version_log": version,
        "ssd_department": departments.to_dicts(),
        "ssd_person": people.to_dicts(),
        "ssd_family": families.to_dicts(),
        "ssd_early_help_episodes": episodes.to_dicts(),
    }
    return write_extract(folder, tables)


def _inverse(pairs: dict[str, str]) -> dict[str, str]:
    """Each value's first key: the local name a council's export writes for it."""
    inverse: dict[str, str] = {}
    for local, ours in pairs.items():
        inverse.setdefault(ours, local)
    return inverse


def own_export_from_demo(folder: Path, mapping: dict[str, Any]) -> Path:
    """The demo as a council's own export, written with ``mapping``'s local names.

    Each table's file is named, headed and coded as ``mapping`` maps it, dates
    in the UK form; columns ``mapping.defaults`` supplies are left out.
    """
    folder.mkdir(parents=True, exist_ok=True)
    demo = demo_dataset()
    file_names = _inverse(mapping.get("files", {}))
    for table in demo.names:
        frame = demo[table]
        for column, codes in mapping.get("codes", {}).get(table, {}).items():
            frame = frame.with_columns(
                pl.col(column).replace(_inverse(codes))  # code -> the local code
            )
        frame = frame.drop(*mapping.get("defaults", {}).get(table, {}))
        frame = frame.with_columns(
            pl.col(c).dt.strftime("%d/%m/%Y") for c, kind in frame.schema.items() if kind == pl.Date
        )
        headers = _inverse(mapping.get("columns", {}).get(table, {}))
        frame = frame.rename({c: headers[c] for c in frame.columns if c in headers})
        frame.write_csv(folder / f"{file_names.get(table, table)}.csv")
    return folder


def build(folder: Path, own_export_toml: str) -> Path:
    """Every input the how-to pages load, under the names they load it by, in ``folder``."""
    write_ssd_from_demo(folder / "ssd_extract")
    write_annex_a(folder / "Annex_A.xlsx")
    returns = folder / "cin_returns"
    returns.mkdir()
    for year in (2023, 2024):
        (returns / f"cin_{year}.xml").write_bytes(census_xml(year, sample_children(year)))
    write_nccis(folder / "nccis_2014-15.csv", sample_rows())
    ssda903 = folder / "ssda903"
    ssda903.mkdir()
    write_episodes(ssda903 / "episodes_2024.csv", EPISODES)
    write_header(ssda903 / "header_2024.csv")
    write_sqlite(folder / "reporting.sqlite", typed_frames())
    shipped = SHIPPED_PROFILE.read_text(encoding="utf-8")
    assert 'id = "derby-2014-15"' in shipped
    profile = shipped.replace('id = "derby-2014-15"', 'id = "our-council"', 1)
    profile += "\n" + own_export_toml
    (folder / "our-council.toml").write_text(profile, encoding="utf-8")
    own_export_from_demo(folder / "exports", tomllib.loads(profile)["mapping"])
    (folder / "exports" / "2014-15").symlink_to(eh.demo_path(), target_is_directory=True)
    return folder
