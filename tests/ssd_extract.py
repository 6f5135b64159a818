"""A Standard Safeguarding Dataset extract written from the published field specs.

Column lists follow data-to-insight's ``ssd-data-model`` (``data/objects/ssd_*.yml``):
every field of each table, in spec order, so a test loads an extract shaped
exactly as a council's SQL builds it. Dates are written as SQL Server exports
them (``13/05/2024 00:00``), missing values as ``NULL`` and missing dates as the
``1900-01-01`` placeholder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import polars as pl

SPEC_COLUMNS: Final[Mapping[str, tuple[str, ...]]] = {
    "ssd_person": (
        "pers_person_id",
        "pers_forename",
        "pers_surname",
        "pers_sex",
        "pers_gender",
        "pers_ethnicity",
        "pers_dob",
        "pers_common_child_id",
        "pers_legacy_id",
        "pers_upn_unknown",
        "pers_send_flag",
        "pers_expected_dob",
        "pers_death_date",
        "pers_is_mother",
        "pers_nationality",
    ),
    "ssd_family": ("fami_table_id", "fami_family_id", "fami_person_id"),
    "ssd_early_help_episodes": (
        "earl_episode_id",
        "earl_person_id",
        "earl_episode_start_date",
        "earl_episode_end_date",
        "earl_episode_reason",
        "earl_episode_end_reason",
        "earl_episode_organisation",
        "earl_episode_worker_id",
    ),
    "ssd_cin_episodes": (
        "cine_referral_id",
        "cine_person_id",
        "cine_referral_date",
        "cine_cin_primary_need_code",
        "cine_referral_source_code",
        "cine_referral_source_desc",
        "cine_referral_outcome_json",
        "cine_referral_nfa",
        "cine_close_reason",
        "cine_close_date",
        "cine_referral_team",
        "cine_referral_worker_id",
    ),
    "ssd_cp_plans": (
        "cppl_cp_plan_id",
        "cppl_referral_id",
        "cppl_icpc_id",
        "cppl_person_id",
        "cppl_cp_plan_start_date",
        "cppl_cp_plan_end_date",
        "cppl_cp_plan_initial_category",
        "cppl_cp_plan_ola",
        "cppl_cp_plan_latest_category",
    ),
    "ssd_cla_episodes": (
        "clae_cla_episode_id",
        "clae_person_id",
        "clae_cla_episode_start_date",
        "clae_cla_episode_start_reason",
        "clae_cla_primary_need_code",
        "clae_cla_episode_ceased_date",
        "clae_cla_episode_ceased_reason",
        "clae_cla_id",
        "clae_referral_id",
        "clae_cla_placement_id",
        "clae_entered_care_date",
        "clae_cla_last_iro_contact_date",
    ),
    "ssd_cla_placement": (
        "clap_cla_placement_id",
        "clap_cla_episode_id",
        "clap_cla_placement_start_date",
        "clap_cla_placement_type",
        "clap_cla_placement_urn",
        "clap_cla_placement_distance",
        "clap_cla_placement_la",
        "clap_cla_id",
        "clap_cla_placement_provider",
        "clap_cla_placement_postcode",
        "clap_cla_placement_end_date",
        "clap_cla_placement_change_reason",
    ),
    "ssd_address": (
        "addr_table_id",
        "addr_address_json",
        "addr_person_id",
        "addr_address_type",
        "addr_address_start_date",
        "addr_address_end_date",
        "addr_address_postcode",
    ),
    "ssd_legal_status": (
        "lega_legal_status_id",
        "lega_person_id",
        "lega_legal_status",
        "lega_legal_status_start_date",
        "lega_legal_status_end_date",
    ),
    "ssd_department": (
        "dept_team_id",
        "dept_team_name",
        "dept_team_parent_id",
        "dept_team_parent_name",
    ),
    "ssd_contacts": (
        "cont_contact_id",
        "cont_person_id",
        "cont_contact_date",
        "cont_contact_source_code",
        "cont_contact_source_desc",
        "cont_contact_outcome_json",
    ),
    "ssd_involvements": (
        "invo_involvements_id",
        "invo_professional_id",
        "invo_professional_role_id",
        "invo_professional_team",
        "invo_involvement_start_date",
        "invo_involvement_end_date",
        "invo_worker_change_reason",
        "invo_person_id",
        "invo_referral_id",
    ),
    "ssd_professionals": (
        "prof_professional_id",
        "prof_staff_id",
        "prof_professional_name",
        "prof_social_worker_registration_no",
        "prof_professional_job_title",
        "prof_professional_caseload",
        "prof_professional_department",
        "prof_full_time_equivalency",
        "prof_agency_worker_flag",
    ),
    "ssd_cin_assessments": (
        "cina_assessment_id",
        "cina_person_id",
        "cina_referral_id",
        "cina_assessment_start_date",
        "cina_assessment_child_seen",
        "cina_assessment_auth_date",
        "cina_assessment_outcome_json",
        "cina_assessment_outcome_nfa",
        "cina_assessment_team",
        "cina_assessment_worker_id",
    ),
    "ssd_version_log": (
        "version_number",
        "release_date",
        "description",
        "is_current",
        "created_at",
        "created_by",
        "impact_description",
    ),
}

# earlyhelp closure code -> a local phrasing an SSD extract carries.
LOCAL_CLOSURE: Final = {
    "outcomes_met": "Outcomes met",
    "escalated_to_social_care": "Step-up",
    "stepped_down_to_universal": "Step down",
    "moved_away": "Moved out of area",
    "disengaged_or_declined": "Declined",
    "other": "NFA",
}


def sql_date(day: dt.date | None) -> str:
    """A date as SQL Server writes a datetime to CSV; none is the 1900-01-01 placeholder."""
    return "1900-01-01 00:00:00.000" if day is None else f"{day:%d/%m/%Y} 00:00"


def table(name: str, rows: Sequence[Mapping[str, Any]]) -> pl.DataFrame:
    """An SSD table with every spec column; fields not given are ``NULL``."""
    columns = SPEC_COLUMNS[name]
    data = {c: [("NULL" if row.get(c) is None else str(row[c])) for row in rows] for c in columns}
    return pl.DataFrame(data, schema=dict.fromkeys(columns, pl.String))


def write_extract(folder: Path, tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> Path:
    """Write each SSD table as ``<name>.csv`` with every spec column (empty tables too)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in SPEC_COLUMNS:
        table(name, tables.get(name, ())).write_csv(folder / f"{name}.csv")
    return folder
