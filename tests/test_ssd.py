"""The Standard Safeguarding Dataset reader: an extract as delivered, and the same figures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import earlyhelp as eh
from earlyhelp.errors import LoadError
from ssd_extract import LOCAL_CLOSURE, sql_date, write_extract

D = dt.date


def _extract(folder: Path) -> Path:
    return write_extract(
        folder,
        {
            "ssd_version_log": [
                {"version_number": "1.2.0", "is_current": "0", "description": "old"},
                {"version_number": "1.3.9", "is_current": "1", "description": "Mosaic deployment"},
            ],
            "ssd_department": [
                {"dept_team_id": "T1", "dept_team_name": "MAT North", "dept_team_parent_id": "L1"},
                {"dept_team_id": "T2", "dept_team_name": "MAT South", "dept_team_parent_id": "L2"},
            ],
            "ssd_person": [
                {"pers_person_id": p, "pers_dob": sql_date(D(2012, 1, 1)), "pers_sex": "M"}
                for p in ("P1", "P2", "P3")
            ],
            "ssd_family": [
                {"fami_table_id": "1", "fami_family_id": "F1", "fami_person_id": "P1"},
                {"fami_table_id": "2", "fami_family_id": "F1", "fami_person_id": "P2"},
            ],
            "ssd_professionals": [
                {"prof_professional_id": "W9", "prof_professional_department": "T2"},
            ],
            "ssd_early_help_episodes": [
                {
                    "earl_episode_id": "E1",
                    "earl_person_id": "P1",
                    "earl_episode_start_date": sql_date(D(2024, 4, 2)),
                    "earl_episode_end_date": sql_date(D(2024, 6, 30)),
                    "earl_episode_end_reason": "Step-up",
                    "earl_episode_organisation": "T1",
                },
                {
                    "earl_episode_id": "E2",
                    "earl_person_id": "P2",
                    "earl_episode_start_date": "13-MAY-24",
                    "earl_episode_end_date": sql_date(None),
                    "earl_episode_worker_id": "W9",
                },
                {
                    "earl_episode_id": "3.0",
                    "earl_person_id": "P3",
                    "earl_episode_start_date": sql_date(D(2024, 5, 1)),
                    "earl_episode_end_date": sql_date(D(2024, 7, 1)),
                    "earl_episode_end_reason": "Transferred to school nurse",
                    "earl_episode_organisation": "T1",
                },
            ],
            "ssd_cin_episodes": [
                {
                    "cine_referral_id": "R1",
                    "cine_person_id": "P1",
                    "cine_referral_date": sql_date(D(2024, 7, 1)),
                    "cine_cin_primary_need_code": "N1",
                    "cine_referral_source_code": "1A",
                    "cine_referral_nfa": "N",
                    "cine_close_reason": "RC9",
                    "cine_close_date": sql_date(D(2024, 9, 1)),
                },
            ],
            "ssd_cp_plans": [
                {
                    "cppl_cp_plan_id": "CP1",
                    "cppl_person_id": "P1",
                    "cppl_cp_plan_start_date": sql_date(D(2024, 7, 20)),
                    "cppl_cp_plan_end_date": sql_date(None),
                    "cppl_cp_plan_initial_category": "NEG",
                    "cppl_cp_plan_latest_category": "MUL",
                },
            ],
            "ssd_cla_episodes": [
                {
                    "clae_cla_episode_id": "C1",
                    "clae_person_id": "P3",
                    "clae_cla_episode_start_date": sql_date(D(2024, 8, 1)),
                    "clae_cla_episode_start_reason": "S",
                    "clae_cla_episode_ceased_date": sql_date(D(2024, 9, 1)),
                    "clae_cla_episode_ceased_reason": "X1",
                    "clae_cla_primary_need_code": "N2",
                },
                {
                    "clae_cla_episode_id": "C2",
                    "clae_person_id": "P3",
                    "clae_cla_episode_start_date": sql_date(D(2024, 9, 1)),
                    "clae_cla_episode_start_reason": "P",
                    "clae_cla_episode_ceased_date": sql_date(None),
                },
            ],
            "ssd_legal_status": [
                {
                    "lega_legal_status_id": "LS1",
                    "lega_person_id": "P3",
                    "lega_legal_status": "V2",
                    "lega_legal_status_start_date": sql_date(D(2024, 8, 1)),
                },
            ],
            "ssd_contacts": [
                {
                    "cont_contact_id": "K1",
                    "cont_person_id": "P1",
                    "cont_contact_date": sql_date(D(2024, 6, 1)),
                    "cont_contact_source_code": "5A",
                },
            ],
            "ssd_cin_assessments": [
                {
                    "cina_assessment_id": "A1",
                    "cina_person_id": "P1",
                    "cina_assessment_start_date": sql_date(D(2024, 7, 2)),
                    "cina_assessment_auth_date": sql_date(D(2024, 7, 30)),
                },
            ],
        },
    )


def test_an_extract_loads_as_delivered(tmp_path: Path) -> None:
    folder = _extract(tmp_path / "ssd")
    # An SSD table earlyhelp does not use is recognised and noted, not an error.
    pl.DataFrame(
        {
            "addr_table_id": ["1"], "addr_address_json": ["{}"], "addr_person_id": ["P1"],
            "addr_address_type": ["HOME"], "addr_address_start_date": ["01/01/2020 00:00"],
            "addr_address_end_date": ["NULL"], "addr_address_postcode": ["DE1 1AA"],
        }
    ).write_csv(folder / "ssd_address.csv")  # fmt: skip
    pl.DataFrame(
        {"miss_table_id": ["1"], "miss_person_id": ["P1"], "miss_missing_episode_start_date": ["NULL"]}
    ).write_csv(folder / "ssd_missing.csv")  # fmt: skip
    data = eh.load(folder)
    assert data.report.ok, str(data.report)
    assert data.report.ignored_sources == ()
    cases = data["cases"].sort("episode_id")
    assert cases.get_column("episode_id").to_list() == ["3", "E1", "E2"]  # Excel's .0 gone
    assert cases.get_column("team_id").to_list() == ["T1", "T1", "T2"]  # E2: worker's department
    assert cases.get_column("locality_id").to_list() == ["L1", "L1", "L2"]
    assert cases.get_column("family_id").to_list() == [None, "F1", "F1"]
    assert cases.get_column("closure_reason").to_list() == [
        "other",
        "escalated_to_social_care",
        None,
    ]
    assert cases.get_column("opened").to_list()[2] == D(2024, 5, 13)
    social = data["social_care_episodes"].sort("episode_id")
    assert social.get_column("kind").to_list() == ["cic", "cin", "cp"]
    cic = social.row(0, named=True)
    assert (cic["started"], cic["ended"], cic["legal_status"]) == (D(2024, 8, 1), None, "V2")
    assert social.get_column("cp_category").to_list()[2] == "MUL"
    assert social.get_column("end_reason").to_list()[1] == "RC9"
    assert data["cin_referrals"].get_column("source_code").to_list() == ["1A"]
    assert data["contacts"].height == 1
    assert data["single_assessments"].height == 1
    text = str(data.report)
    assert "SSD version: 1.3.9" in text
    assert "case-management system: Mosaic" in text
    assert "1 other value(s) in 1 row(s), not shown" in text
    assert (
        "SSD tables present but not used by earlyhelp: ssd_missing" in text
    )  # free text is never echoed
    # ssd_address gives the child's postcode (personal data: kept, never in the report).
    postcodes = dict(data["children"].select("person_id", "postcode").rows())
    assert postcodes == {"P1": "DE1 1AA", "P2": None, "P3": None}
    assert "DE1 1AA" not in text
    assert "school nurse" not in text


def test_profile_mapping_overrides_locality_and_closure(tmp_path: Path) -> None:
    profile = tmp_path / "council.toml"
    profile.write_text(
        '[profile]\nid = "council"\ntitle = "A council"\n'
        '[mapping.localities]\nT1 = "North"\n'
        '[mapping.codes.cases.closure_reason]\n"Transferred to school nurse" = "stepped_down_to_universal"\n',
        encoding="utf-8",
    )
    data = eh.load(_extract(tmp_path / "ssd"), profile=profile)
    cases = data["cases"].sort("episode_id")
    assert cases.get_column("locality_id").to_list() == ["North", "North", "L2"]
    assert cases.get_column("closure_reason").to_list()[0] == "stepped_down_to_universal"
    assert "school nurse" not in str(data.report)


def test_nothing_recognised_is_loud(tmp_path: Path) -> None:
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "export1.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (folder / "notes.txt").write_text("hello\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        eh.load(folder)
    message = str(caught.value)
    assert "export1.csv" in message
    assert "notes.txt" in message
    assert "ssd_early_help_episodes" in message
    assert "cases" in message


def test_format_override(tmp_path: Path) -> None:
    folder = _extract(tmp_path / "ssd")
    with pytest.raises(LoadError, match="unknown format 'sdd'"):
        eh.load(folder, format="sdd")
    assert eh.load(folder, format="ssd")["cases"].height == 3


# The same records, as SSD and as native tables, give the same figures.

_DAYS = st.dates(D(2013, 4, 1), D(2015, 3, 31))


@st.composite
def _episodes(draw: st.DrawFn) -> list[dict[str, object]]:
    n = draw(st.integers(1, 12))
    out = []
    for i in range(n):
        opened = draw(_DAYS)
        closed = draw(st.one_of(st.none(), st.dates(opened, D(2015, 6, 30))))
        reason = None if closed is None else draw(st.sampled_from(sorted(LOCAL_CLOSURE)))
        out.append(
            {
                "episode_id": f"E{i}",
                "person_id": f"P{draw(st.integers(0, 5))}",
                "team_id": draw(st.sampled_from(["T1", "T2", "T3"])),
                "opened": opened,
                "closed": closed,
                "closure_reason": reason,
            }
        )
    return out


_TEAMS = {"T1": "L1", "T2": "L1", "T3": "L2"}


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(_episodes())
def test_ssd_and_native_give_the_same_figures(
    tmp_path: Path, episodes: list[dict[str, object]]
) -> None:
    folder = write_extract(
        tmp_path / "ssd",
        {
            "ssd_department": [
                {"dept_team_id": t, "dept_team_name": t, "dept_team_parent_id": loc}
                for t, loc in _TEAMS.items()
            ],
            "ssd_early_help_episodes": [
                {
                    "earl_episode_id": e["episode_id"],
                    "earl_person_id": e["person_id"],
                    "earl_episode_start_date": sql_date(e["opened"]),  # type: ignore[arg-type]
                    "earl_episode_end_date": sql_date(e["closed"]),  # type: ignore[arg-type]
                    "earl_episode_end_reason": LOCAL_CLOSURE.get(str(e["closure_reason"])),
                    "earl_episode_organisation": e["team_id"],
                }
                for e in episodes
            ],
        },
    )
    # The SSD has no level of need: the council's profile says its episodes are level 2.
    profile = tmp_path / "level.toml"
    profile.write_text(
        '[profile]\nid = "council"\ntitle = "A council"\n'
        "[mapping.defaults.cases]\nlevel_of_need = 2\n",
        encoding="utf-8",
    )
    via_ssd = eh.load(folder, profile=profile)
    native = eh.load(
        {
            "teams": pl.DataFrame(
                {
                    "team_id": list(_TEAMS),
                    "name": list(_TEAMS),
                    "locality_id": list(_TEAMS.values()),
                }
            ),
            "cases": pl.DataFrame(
                [
                    {**e, "locality_id": _TEAMS[str(e["team_id"])], "level_of_need": 2}
                    for e in episodes
                ]
            ),
        }
    )
    assert via_ssd.report.ok
    assert native.report.ok
    ids = [
        "open_cases",
        "cases_closed",
        "escalations",
        "escalation_rate",
        "early_help_level_2_cases",
    ]
    figures = [
        eh.compute(d, profile="derby-2014-15", period="2014-15", measures=ids).frame.sort(
            "measure_id", "period", "unit_id", "breakdown", nulls_last=True
        )
        for d in (via_ssd, native)
    ]
    assert figures[0].height > 0
    assert figures[0].equals(figures[1])


def test_report_from_an_ssd_extract(tmp_path: Path) -> None:
    from earlyhelp.cli import main

    folder = _extract(tmp_path / "ssd")
    out = tmp_path / "report"
    assert main(["validate", str(folder)]) == 0
    code = main(
        ["report", str(folder), "--profile", "cin-census", "--year", "2024-25", "--out", str(out)]
    )
    assert code == 0
    html = (out / "early-help-impact-report-2024-25.html").read_text(encoding="utf-8")
    assert "Escalation" in html
