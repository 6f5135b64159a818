"""The Standard Safeguarding Dataset (SSD) reader.

The SSD (data-to-insight's ``ssd-data-model``; field specs in
``data/objects/ssd_*.yml``) is a set of tables a council builds inside its
reporting database, one per object, with prefixed column names
(``earl_episode_id``, ``cine_referral_date``...). This reader takes the tables
the measures and cohort analyses use and folds them into ``earlyhelp``'s input
tables; :data:`SSD_FIELDS` says where every field read goes (the reference docs
render it).

* ``ssd_department`` -> ``teams``: the parent team is the locality, unless the
  profile's ``[mapping.localities]`` says otherwise;
* ``ssd_person`` and ``ssd_family`` -> ``children`` (with the family id);
* ``ssd_early_help_episodes`` -> ``cases``: team from the episode's organisation
  (or the lead worker's department), locality from the team, local closure
  reasons through a crosswalk; no level of need (the SSD has none) unless the
  profile gives a default;
* ``ssd_cin_episodes`` -> ``cin_referrals`` and child in need
  ``social_care_episodes``; ``ssd_cp_plans`` and ``ssd_cla_episodes`` (grouped
  into periods of care, with legal status from ``ssd_legal_status`` and the
  placement type, provider and postcode from ``ssd_cla_placement``) ->
  ``social_care_episodes``, keeping their codes;
* ``ssd_address`` gives each child's postcode (the current address);
* ``ssd_contacts`` -> ``contacts``; ``ssd_cin_assessments`` -> ``single_assessments``;
* ``ssd_involvements`` and ``ssd_professionals`` give a case's team where the
  episode does not name one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import polars as pl

from earlyhelp.io._formats._care_periods import care_periods_frame
from earlyhelp.io._formats._common import (
    Gathered,
    crosswalk,
    read_source,
    route_rejected,
    source_row,
    text_column,
)
from earlyhelp.io._parsing import clean_id, code_shaped, date_text, read_date
from earlyhelp.profiles._mapping import MappingSpec

__all__ = ["CLOSURE_CROSSWALK", "SSD_FIELDS", "SSD_TABLES", "read_ssd"]

SSD_FIELDS: Final[Mapping[str, Mapping[str, str]]] = {
    "ssd_department": {
        "dept_team_id": "teams.team_id",
        "dept_team_name": "teams.name",
        "dept_team_parent_id": "teams.locality_id (unless the profile maps the team)",
    },
    "ssd_person": {
        "pers_person_id": "children.person_id",
        "pers_dob": "children.date_of_birth",
    },
    "ssd_address": {
        "addr_person_id": "matched to children by person",
        "addr_address_postcode": "children.postcode (the current address's)",
        "addr_address_start_date": "chooses the current address (the latest open one)",
        "addr_address_end_date": "chooses the current address (no end date)",
    },
    "ssd_family": {
        "fami_person_id": "children.person_id, cases.person_id (joined)",
        "fami_family_id": "children.family_id, cases.family_id",
    },
    "ssd_early_help_episodes": {
        "earl_episode_id": "cases.episode_id",
        "earl_person_id": "cases.person_id",
        "earl_episode_start_date": "cases.opened",
        "earl_episode_end_date": "cases.closed",
        "earl_episode_end_reason": "cases.closure_reason (through the closure crosswalk)",
        "earl_episode_organisation": "cases.team_id (and locality_id through teams)",
        "earl_episode_worker_id": "cases.worker_id",
    },
    "ssd_cin_episodes": {
        "cine_referral_id": "cin_referrals.referral_id; social_care_episodes.episode_id (cin-)",
        "cine_person_id": "cin_referrals.person_id; social_care_episodes.person_id",
        "cine_referral_date": "cin_referrals.referral_date; social_care_episodes.started",
        "cine_cin_primary_need_code": "cin_referrals.primary_need; .primary_need",
        "cine_referral_source_code": "cin_referrals.source_code",
        "cine_referral_nfa": "cin_referrals.no_further_action",
        "cine_close_reason": "cin_referrals.close_reason; social_care_episodes.end_reason",
        "cine_close_date": "cin_referrals.closed; social_care_episodes.ended",
        "cine_referral_team": "cin_referrals.team_id",
    },
    "ssd_cp_plans": {
        "cppl_cp_plan_id": "social_care_episodes.episode_id (cp-)",
        "cppl_person_id": "social_care_episodes.person_id",
        "cppl_cp_plan_start_date": "social_care_episodes.started",
        "cppl_cp_plan_end_date": "social_care_episodes.ended",
        "cppl_cp_plan_latest_category": "social_care_episodes.cp_category (else initial)",
        "cppl_cp_plan_initial_category": "social_care_episodes.cp_category",
    },
    "ssd_cla_episodes": {
        "clae_cla_episode_id": "grouped into periods of care (social_care_episodes, cic-)",
        "clae_person_id": "social_care_episodes.person_id",
        "clae_cla_episode_start_date": "social_care_episodes.started (period's first)",
        "clae_cla_episode_start_reason": "social_care_episodes.start_reason (RNE)",
        "clae_cla_primary_need_code": "social_care_episodes.primary_need",
        "clae_cla_episode_ceased_date": "social_care_episodes.ended (period's last)",
        "clae_cla_episode_ceased_reason": "social_care_episodes.end_reason (REC)",
    },
    "ssd_cla_placement": {
        "clap_cla_placement_id": "matched to clae_cla_placement_id",
        "clap_cla_episode_id": "matched to clae_cla_episode_id (when the episode names no placement)",
        "clap_cla_placement_type": "social_care_episodes.placement (the period's first)",
        "clap_cla_placement_provider": "social_care_episodes.placement_provider",
        "clap_cla_placement_postcode": "social_care_episodes.placement_postcode",
    },
    "ssd_legal_status": {
        "lega_person_id": "matched to periods of care by person",
        "lega_legal_status": "social_care_episodes.legal_status (in force at the start)",
        "lega_legal_status_start_date": "chooses the status in force",
    },
    "ssd_contacts": {
        "cont_contact_id": "contacts.contact_id",
        "cont_person_id": "contacts.person_id",
        "cont_contact_date": "contacts.contact_date",
        "cont_contact_source_code": "contacts.source_code",
    },
    "ssd_cin_assessments": {
        "cina_assessment_id": "single_assessments.assessment_id",
        "cina_person_id": "single_assessments.person_id",
        "cina_assessment_start_date": "single_assessments.started",
        "cina_assessment_auth_date": "single_assessments.completed",
    },
    "ssd_involvements": {
        "invo_person_id": "with invo_professional_team: a case's team when the episode has none",
        "invo_professional_team": "cases.team_id (fallback)",
    },
    "ssd_professionals": {
        "prof_professional_id": "matched to earl_episode_worker_id",
        "prof_professional_department": "cases.team_id (fallback, by the lead worker)",
    },
    "ssd_version_log": {
        "version_number": "the load report's SSD version (the current row)",
        "is_current": "chooses the current version",
    },
}
"""Each SSD table read, each field read, and where it goes in ``earlyhelp``'s tables."""

SSD_TABLES: Final = tuple(SSD_FIELDS)
"""The SSD tables the reader uses (other ``ssd_*`` files are noted, not read)."""

CLOSURE_CROSSWALK: Final[Mapping[str, str]] = {
    "step up": "escalated_to_social_care",
    "step-up": "escalated_to_social_care",
    "stepped up": "escalated_to_social_care",
    "stepped up to social care": "escalated_to_social_care",
    "escalated": "escalated_to_social_care",
    "escalated to social care": "escalated_to_social_care",
    "referred to social care": "escalated_to_social_care",
    "step down": "stepped_down_to_universal",
    "step-down": "stepped_down_to_universal",
    "stepped down": "stepped_down_to_universal",
    "universal services": "stepped_down_to_universal",
    "outcomes met": "outcomes_met",
    "outcomes achieved": "outcomes_met",
    "needs met": "outcomes_met",
    "moved": "moved_away",
    "moved away": "moved_away",
    "moved out of area": "moved_away",
    "declined": "disengaged_or_declined",
    "disengaged": "disengaged_or_declined",
    "withdrew consent": "disengaged_or_declined",
    "consent withdrawn": "disengaged_or_declined",
    "nfa": "other",
    "no further action": "other",
}
"""Common local early help closure reasons -> ``earlyhelp``'s codes (the profile may add more)."""

_CANONICAL_CLOSURES: Final = (
    "outcomes_met",
    "escalated_to_social_care",
    "stepped_down_to_universal",
    "moved_away",
    "disengaged_or_declined",
    "other",
)
_VARIANTS: Final = {
    "mosaic": "Mosaic",
    "systemc": "SystemC (Liquidlogic)",
    "liquid": "SystemC (Liquidlogic)",
    "eclipse": "Eclipse",
    "caredirector": "CareDirector",
    "azeus": "Azeus",
}


# Names some councils' builds give the placement table (the spec's is ssd_cla_placement).
_SYNONYMS: Final = {
    "ssd_placements": "ssd_cla_placement",
    "ssd_placement": "ssd_cla_placement",
    "ssd_cla_placements": "ssd_cla_placement",
}


def ssd_table_of(stem: str) -> str | None:
    """The SSD table a file stem names (``SSD_Person``, ``ssd_person_2024`` -> ``ssd_person``).

    Example:
        >>> ssd_table_of("SSD_Person_2024"), ssd_table_of("ssd_placements"), ssd_table_of("x")
        ('ssd_person', 'ssd_cla_placement', None)
    """
    folded = stem.strip().lower().replace("-", "_").replace(" ", "_")
    if not folded.startswith("ssd_"):
        return None
    if folded in _SYNONYMS:
        return _SYNONYMS[folded]
    for table in sorted(SSD_TABLES, key=len, reverse=True):
        if folded == table or re.fullmatch(re.escape(table) + r"[_.]?\d[\d_-]*", folded):
            return table
    return folded


# The table each SSD table's rows go into: a row rejected on reading is counted there.
_DESTINATION: Final = {
    "ssd_department": "teams",
    "ssd_person": "children",
    "ssd_family": "children",
    "ssd_address": "children",
    "ssd_cla_placement": "social_care_episodes",
    "ssd_early_help_episodes": "cases",
    "ssd_professionals": "cases",
    "ssd_involvements": "cases",
    "ssd_cin_episodes": "cin_referrals",
    "ssd_cp_plans": "social_care_episodes",
    "ssd_cla_episodes": "social_care_episodes",
    "ssd_legal_status": "social_care_episodes",
    "ssd_contacts": "contacts",
    "ssd_cin_assessments": "single_assessments",
}


def _frames(
    files: Mapping[str, Any],
) -> tuple[dict[str, pl.DataFrame], dict[str, pl.DataFrame]]:
    """Each SSD table's frame (headers lower-cased), and its rows rejected on reading."""
    out: dict[str, pl.DataFrame] = {}
    rejected: dict[str, pl.DataFrame] = {}
    for table, source in files.items():
        origin, sheet = source if isinstance(source, tuple) else (source, None)
        read = read_source(origin, sheet=sheet)
        frame = read.frame
        out[table] = frame.rename({c: c.strip().lower() for c in frame.columns})
        rejected[table] = read.rejected
    return out, rejected


def _id(frame: pl.DataFrame, name: str, fold: bool) -> pl.Expr:
    return clean_id(text_column(frame, name), fold=fold)


_iso = date_text


def _teams(frames: dict[str, pl.DataFrame], mapping: MappingSpec) -> pl.DataFrame | None:
    dept = frames.get("ssd_department")
    if dept is None:
        return None
    fold = mapping.fold_ids
    team = _id(dept, "dept_team_id", fold)
    mapped = team.replace_strict(
        list(mapping.localities), list(mapping.localities.values()), default=None
    )
    locality = pl.coalesce(mapped, _id(dept, "dept_team_parent_id", fold), team)
    return dept.select(
        *source_row(dept),
        team.alias("team_id"),
        pl.coalesce(text_column(dept, "dept_team_name"), team).alias("name"),
        locality.alias("locality_id"),
    )


def _families(frames: dict[str, pl.DataFrame], fold: bool) -> pl.DataFrame:
    family = frames.get("ssd_family")
    if family is None:
        return pl.DataFrame(schema={"person_id": pl.String, "family_id": pl.String})
    return (
        family.select(
            _id(family, "fami_person_id", fold).alias("person_id"),
            _id(family, "fami_family_id", fold).alias("family_id"),
        )
        .drop_nulls("person_id")
        .unique("person_id", keep="first", maintain_order=True)
    )


def _postcodes(frames: dict[str, pl.DataFrame], fold: bool) -> pl.DataFrame:
    """Each person's current postcode: of the address with no end date, latest started."""
    address = frames.get("ssd_address")
    if address is None:
        return pl.DataFrame(schema={"person_id": pl.String, "postcode": pl.String})
    return (
        address.select(
            _id(address, "addr_person_id", fold).alias("person_id"),
            text_column(address, "addr_address_postcode").alias("postcode"),
            read_date(text_column(address, "addr_address_start_date")).alias("__from"),
            _iso(text_column(address, "addr_address_end_date")).is_null().alias("__open"),
        )
        .drop_nulls(["person_id", "postcode"])
        .sort("__open", "__from", descending=True, nulls_last=True, maintain_order=True)
        .unique("person_id", keep="first", maintain_order=True)
        .select("person_id", "postcode")
    )


def _children(frames: dict[str, pl.DataFrame], families: pl.DataFrame, fold: bool) -> Any:
    person = frames.get("ssd_person")
    if person is None:
        return None
    base = person.select(
        *source_row(person),
        _id(person, "pers_person_id", fold).alias("person_id"),
        _iso(text_column(person, "pers_dob")).alias("date_of_birth"),
    )
    return (
        base.join(families, on="person_id", how="left", nulls_equal=False)
        .join(_postcodes(frames, fold), on="person_id", how="left", nulls_equal=False)
        .select(*source_row(base), "person_id", "family_id", "date_of_birth", "postcode")
    )


def _worker_teams(frames: dict[str, pl.DataFrame], fold: bool) -> pl.DataFrame:
    prof = frames.get("ssd_professionals")
    rows = []
    if prof is not None:
        for key in ("prof_professional_id", "prof_staff_id"):
            rows.append(
                prof.select(
                    _id(prof, key, fold).alias("worker_id"),
                    _id(prof, "prof_professional_department", fold).alias("worker_team"),
                )
            )
    if not rows:
        return pl.DataFrame(schema={"worker_id": pl.String, "worker_team": pl.String})
    return pl.concat(rows).drop_nulls().unique("worker_id", keep="first", maintain_order=True)


def _cases(
    frames: dict[str, pl.DataFrame],
    teams: pl.DataFrame | None,
    families: pl.DataFrame,
    mapping: MappingSpec,
) -> tuple[pl.DataFrame | None, list[str]]:
    eh = frames.get("ssd_early_help_episodes")
    if eh is None:
        return None, []
    fold = mapping.fold_ids
    closures = {**CLOSURE_CROSSWALK, **mapping.codes.get("cases", {}).get("closure_reason", {})}
    closed = _iso(text_column(eh, "earl_episode_end_date"))
    reason = crosswalk(text_column(eh, "earl_episode_end_reason").str.strip_chars(), closures)
    frame = eh.select(
        *source_row(eh),
        _id(eh, "earl_episode_id", fold).alias("episode_id"),
        _id(eh, "earl_person_id", fold).alias("person_id"),
        _id(eh, "earl_episode_organisation", fold).alias("team_id"),
        _id(eh, "earl_episode_worker_id", fold).alias("worker_id"),
        _iso(text_column(eh, "earl_episode_start_date")).alias("opened"),
        closed.alias("closed"),
        reason.alias("__reason"),
    )
    notes: list[str] = []
    # A local reason with no crosswalk entry is "other"; the report names it when it is
    # shaped like a code, and counts the rest (they may be free text).
    unknown = (
        frame.filter(
            pl.col("closed").is_not_null()
            & pl.col("__reason").is_not_null()
            & ~pl.col("__reason").is_in(_CANONICAL_CLOSURES)
        )
        .group_by("__reason")
        .len()
        .sort("__reason")
        .with_columns(code_shaped(pl.col("__reason")).alias("shown"))
    )
    if unknown.height:
        shown = unknown.filter("shown")
        listed = [f"{code!r} ({n})" for code, n, _ in shown.rows()]
        hidden = unknown.height - shown.height
        if hidden:
            rows = int(unknown.filter(~pl.col("shown")).get_column("len").sum())
            listed.append(f"{hidden} other value(s) in {rows} row(s), not shown")
        notes.append(
            "ssd_early_help_episodes: closure reasons not in the crosswalk read as 'other' "
            "(map them in [mapping.codes.cases.closure_reason]): " + ", ".join(listed)
        )
    known_reason = pl.when(pl.col("__reason").is_in(_CANONICAL_CLOSURES)).then(pl.col("__reason"))
    frame = frame.with_columns(
        pl.when(pl.col("closed").is_not_null())
        .then(
            pl.coalesce(
                known_reason,
                pl.when(pl.col("__reason").is_not_null()).then(pl.lit("other")),
                pl.lit("other"),
            )
        )
        .alias("closure_reason")
    ).drop("__reason")
    # Team: the episode's organisation, else the lead worker's department.
    frame = (
        frame.join(_worker_teams(frames, fold), on="worker_id", how="left", nulls_equal=False)
        .with_columns(pl.coalesce("team_id", "worker_team").alias("team_id"))
        .drop("worker_team")
    )
    localities = dict(mapping.localities)
    if teams is not None:
        localities = {
            **dict(teams.select("team_id", "locality_id").drop_nulls().rows()),
            **localities,
        }
    frame = frame.with_columns(
        pl.col("team_id")
        .replace_strict(list(localities), list(localities.values()), default=None)
        .alias("locality_id"),
    ).join(families, on="person_id", how="left", nulls_equal=False)
    # The SSD records no level of need: the profile's [mapping.defaults.cases]
    # level_of_need gives one (applied at load, as to every table); else the column
    # is absent and the figures by level are missing, never guessed.
    return frame, notes


def _cin(
    frames: dict[str, pl.DataFrame], fold: bool
) -> tuple[pl.DataFrame | None, pl.DataFrame | None]:
    cin = frames.get("ssd_cin_episodes")
    if cin is None:
        return None, None
    referral = _id(cin, "cine_referral_id", fold)
    referrals = cin.select(
        *source_row(cin),
        referral.alias("referral_id"),
        _id(cin, "cine_person_id", fold).alias("person_id"),
        _iso(text_column(cin, "cine_referral_date")).alias("referral_date"),
        text_column(cin, "cine_referral_source_code").str.strip_chars().alias("source_code"),
        text_column(cin, "cine_cin_primary_need_code").str.strip_chars().alias("primary_need"),
        text_column(cin, "cine_referral_nfa").alias("no_further_action"),
        _iso(text_column(cin, "cine_close_date")).alias("closed"),
        text_column(cin, "cine_close_reason").str.strip_chars().alias("close_reason"),
        _id(cin, "cine_referral_team", fold).alias("team_id"),
    )
    episodes = referrals.select(
        ("cin-" + pl.col("referral_id")).alias("episode_id"),
        "person_id",
        pl.lit("cin").alias("kind"),
        pl.col("referral_date").alias("started"),
        pl.col("closed").alias("ended"),
        pl.when(pl.col("closed").is_not_null()).then(pl.col("close_reason")).alias("end_reason"),
        "primary_need",
    )
    return referrals, episodes


def _cp(frames: dict[str, pl.DataFrame], fold: bool) -> pl.DataFrame | None:
    cp = frames.get("ssd_cp_plans")
    if cp is None:
        return None
    return cp.select(
        ("cp-" + _id(cp, "cppl_cp_plan_id", fold)).alias("episode_id"),
        _id(cp, "cppl_person_id", fold).alias("person_id"),
        pl.lit("cp").alias("kind"),
        _iso(text_column(cp, "cppl_cp_plan_start_date")).alias("started"),
        _iso(text_column(cp, "cppl_cp_plan_end_date")).alias("ended"),
        pl.coalesce(
            text_column(cp, "cppl_cp_plan_latest_category"),
            text_column(cp, "cppl_cp_plan_initial_category"),
        ).alias("cp_category"),
    )


_PLACEMENT_COLUMNS: Final = ("placement", "placement_provider", "placement_postcode")


def _placements(frames: dict[str, pl.DataFrame], cla: pl.DataFrame, fold: bool) -> pl.DataFrame:
    """Each CLA episode's placement type, provider and postcode (nulls without ssd_cla_placement).

    An episode is matched to its placement by ``clae_cla_placement_id``, else by
    its episode id (``clap_cla_episode_id``).
    """
    keys = cla.select(
        _id(cla, "clae_cla_placement_id", fold).alias("__placement"),
        _id(cla, "clae_cla_episode_id", fold).alias("__episode"),
    )
    placement = frames.get("ssd_cla_placement")
    if placement is None:
        return pl.DataFrame(
            {name: pl.repeat(None, cla.height, dtype=pl.String, eager=True)
             for name in _PLACEMENT_COLUMNS}
        )  # fmt: skip
    codes = placement.select(
        _id(placement, "clap_cla_placement_id", fold).alias("__placement"),
        _id(placement, "clap_cla_episode_id", fold).alias("__episode"),
        text_column(placement, "clap_cla_placement_type").alias("placement"),
        text_column(placement, "clap_cla_placement_provider").alias("placement_provider"),
        text_column(placement, "clap_cla_placement_postcode").alias("placement_postcode"),
    )
    by_placement = codes.drop("__episode").drop_nulls("__placement").unique("__placement")
    by_episode = codes.drop("__placement").drop_nulls("__episode").unique("__episode")
    matched = keys.join(by_placement, on="__placement", how="left", nulls_equal=False).join(
        by_episode, on="__episode", how="left", nulls_equal=False, suffix="__e"
    )
    return matched.select(
        pl.coalesce(name, f"{name}__e").alias(name) for name in _PLACEMENT_COLUMNS
    )


def _cla(frames: dict[str, pl.DataFrame], fold: bool) -> pl.DataFrame | None:
    cla = frames.get("ssd_cla_episodes")
    if cla is None:
        return None
    episodes = cla.select(
        _id(cla, "clae_person_id", fold).alias("person_id"),
        text_column(cla, "clae_cla_episode_start_date").alias("started"),
        text_column(cla, "clae_cla_episode_ceased_date").alias("ended"),
        text_column(cla, "clae_cla_episode_start_reason").str.strip_chars().alias("start_reason"),
        text_column(cla, "clae_cla_episode_ceased_reason").str.strip_chars().alias("end_reason"),
        text_column(cla, "clae_cla_primary_need_code").str.strip_chars().alias("primary_need"),
    ).with_columns(
        date_text(pl.col("started")).alias("started"), date_text(pl.col("ended")).alias("ended")
    )
    episodes = pl.concat([episodes, _placements(frames, cla, fold)], how="horizontal")
    legal_frame = frames.get("ssd_legal_status")
    legal = None
    if legal_frame is not None:
        legal = legal_frame.select(
            _id(legal_frame, "lega_person_id", fold).alias("person_id"),
            text_column(legal_frame, "lega_legal_status_start_date").alias("from"),
            text_column(legal_frame, "lega_legal_status").str.strip_chars().alias("legal_status"),
        )
    return care_periods_frame(episodes, legal)


def _version(frames: dict[str, pl.DataFrame]) -> list[str]:
    log = frames.get("ssd_version_log")
    if log is None or "version_number" not in log.columns:
        return ["SSD version: not stated (no ssd_version_log)"]
    current = log
    if "is_current" in log.columns:
        flagged = log.filter(
            pl.col("is_current")
            .str.strip_chars()
            .str.to_lowercase()
            .is_in(["1", "true", "y", "yes"])
        )
        current = flagged if flagged.height else log
    version = current.get_column("version_number").drop_nulls().tail(1).to_list()
    notes = [f"SSD version: {version[0] if version else 'not stated'}"]
    words = " ".join(
        str(v)
        for c in ("description", "created_by", "impact_description")
        if c in log.columns
        for v in log.get_column(c).drop_nulls().to_list()
    ).lower()
    variants = sorted({name for key, name in _VARIANTS.items() if key in words})
    notes.append(f"case-management system: {', '.join(variants) if variants else 'not stated'}")
    return notes


def read_ssd(files: Mapping[str, Any], mapping: MappingSpec) -> Gathered:
    """Read SSD tables (``ssd_table`` -> source) into ``earlyhelp``'s input tables.

    Args:
        files: each SSD table's source (a path, ``(path, sheet)`` or a frame).
        mapping: the profile's mapping (localities, crosswalks, defaults, fold_ids).

    Returns:
        The input tables as all-text frames, and notes for the load report.
    """
    unused = sorted(set(files) - set(SSD_TABLES))
    frames, rejected = _frames({t: s for t, s in files.items() if t in SSD_TABLES})
    fold = mapping.fold_ids
    sources: dict[str, Any] = {}
    notes = _version(frames)
    teams = _teams(frames, mapping)
    if teams is not None:
        sources["teams"] = teams
    families = _families(frames, fold)
    children = _children(frames, families, fold)
    if children is not None:
        sources["children"] = children
    cases, case_notes = _cases(frames, teams, families, mapping)
    notes += case_notes
    if cases is not None:
        sources["cases"] = cases
    referrals, cin_episodes = _cin(frames, fold)
    if referrals is not None:
        sources["cin_referrals"] = referrals
    social = [f for f in (cin_episodes, _cp(frames, fold), _cla(frames, fold)) if f is not None]
    if social:
        sources["social_care_episodes"] = pl.concat(social, how="diagonal_relaxed")
    contacts = frames.get("ssd_contacts")
    if contacts is not None:
        sources["contacts"] = contacts.select(
            *source_row(contacts),
            _id(contacts, "cont_contact_id", fold).alias("contact_id"),
            _id(contacts, "cont_person_id", fold).alias("person_id"),
            _iso(text_column(contacts, "cont_contact_date")).alias("contact_date"),
            text_column(contacts, "cont_contact_source_code").alias("source_code"),
        )
    assessments = frames.get("ssd_cin_assessments")
    if assessments is not None:
        qsw = mapping.defaults.get("single_assessments", {}).get(
            "by_qualified_social_worker", "yes"
        )
        sources["single_assessments"] = assessments.select(
            *source_row(assessments),
            _id(assessments, "cina_assessment_id", fold).alias("assessment_id"),
            _id(assessments, "cina_person_id", fold).alias("person_id"),
            _iso(text_column(assessments, "cina_assessment_start_date")).alias("started"),
            _iso(text_column(assessments, "cina_assessment_auth_date")).alias("completed"),
            pl.lit(qsw).alias("by_qualified_social_worker"),
        )
    if unused:
        notes.append(f"SSD tables present but not used by earlyhelp: {', '.join(unused)}")
    by_table, rejected_notes = route_rejected(rejected, _DESTINATION, sources)
    return Gathered(
        sources=sources,
        notes=tuple(notes + rejected_notes),
        formats=("ssd",),
        ignored=(),
        rejected=by_table,
    )


def ssd_files(paths: list[Path]) -> dict[str, Path]:
    """The SSD table each file holds, for files named ``ssd_*``."""
    out: dict[str, Path] = {}
    for path in paths:
        table = ssd_table_of(path.stem)
        if table is not None:
            out[table] = path
    return out
