"""Input tables of casework: teams, children, referrals, cases, assessments, episodes."""

from __future__ import annotations

from earlyhelp.io._schema import (
    Column,
    Kind,
    TableSchema,
    code_column,
    codes_of,
    date_column,
    id_column,
    level_column,
    postcode_column,
    text_column,
)
from earlyhelp.model._assessments import ASSESSMENT_RULES, EarlyHelpAssessment, SingleAssessment
from earlyhelp.model._casework import CASE_RULES, EarlyHelpCase, OnwardReferral, Referral
from earlyhelp.model._org import Team
from earlyhelp.model._people import Child
from earlyhelp.model._statutory import (
    SOCIAL_CARE_RULES,
    YOS_RULES,
    SocialCareEpisode,
    YouthOffendingEpisode,
)
from earlyhelp.model._vocab import ClosureReason, ReferralRoute, SocialCareKind

__all__ = [
    "ASSESSMENTS",
    "CASES",
    "CHILDREN",
    "ONWARD_REFERRALS",
    "REFERRALS",
    "SINGLE_ASSESSMENTS",
    "SOCIAL_CARE_EPISODES",
    "TEAMS",
    "YOS_EPISODES",
]

# An episode's locality: optional, but figures by locality need it.
_EPISODE_LOCALITY = id_column(
    "locality_id",
    "The locality.",
    "locality",
    required=False,
    needed_by="figures by locality (counted for the city only)",
)

TEAMS = TableSchema(
    name="teams",
    description="The organisation hierarchy: each team (MAT) and the locality it belongs to.",
    key=("team_id",),
    record_type=Team,
    columns=(
        id_column("team_id", "The team's id.", "team", "mat_id"),
        Column(
            name="name",
            kind=Kind.TEXT,
            required=True,
            description="The team's name.",
            aliases=("team_name",),
        ),
        id_column("locality_id", "The locality's id.", "locality"),
    ),
)

CHILDREN = TableSchema(
    name="children",
    description="Children and young people, by pseudonymous id (no names).",
    key=("person_id",),
    record_type=Child,
    columns=(
        id_column("person_id", "Pseudonymous person id.", "pers_person_id", "child_id"),
        id_column("family_id", "The family (household) id.", "fami_family_id", required=False),
        date_column(
            "date_of_birth",
            "Date of birth (personal data, optional).",
            "pers_dob",
            "dob",
            required=False,
            personal=True,
        ),
        postcode_column(
            "postcode",
            "Home postcode (personal data, optional): data minimisation keeps its district "
            "(outward code, e.g. DE1).",
            "home_postcode",
            "home_post",
            "pers_postcode",
            "addr_address_postcode",
        ),
    ),
)

REFERRALS = TableSchema(
    name="referrals",
    description="Referrals of children to early help.",
    key=("referral_id",),
    record_type=Referral,
    columns=(
        id_column("referral_id", "The referral's id.", "refe_referral_id"),
        id_column("person_id", "Pseudonymous person id.", "refe_person_id", "child_id"),
        id_column("family_id", "The family id.", "family", required=False),
        date_column(
            "referral_date", "The date the referral was received.", "refe_referral_date", "date"
        ),
        code_column(
            "route",
            "How it arrived: vcm (Vulnerable Children's Meeting) or other.",
            codes_of(ReferralRoute),
            "referral_route",
        ),
        text_column("referring_agency", "The agency that referred.", "refe_source", "source"),
        level_column(required=False),
        id_column(
            "team_id",
            "The team the referral went to.",
            "team",
            required=False,
            needed_by="figures by team and locality (counted for the city only)",
        ),
    ),
)

_CLOSURE_CODES = codes_of(ClosureReason)

CASES = TableSchema(
    name="cases",
    description="Early help cases (episodes) led by a lead professional in a MAT.",
    key=("episode_id",),
    record_type=EarlyHelpCase,
    columns=(
        id_column("episode_id", "The case's id.", "earl_episode_id", "case_id"),
        id_column("person_id", "Pseudonymous person id.", "earl_person_id", "child_id"),
        id_column("family_id", "The family id.", "family", required=False),
        id_column("referral_id", "The referral that opened the case.", required=False),
        id_column("team_id", "The MAT leading the case.", "earl_episode_organisation", "team"),
        id_column(
            "locality_id",
            "The team's locality (optional: figures take it from the team when it is known; "
            "a case with neither counts for the city only).",
            "locality",
            required=False,
        ),
        id_column(
            "worker_id",
            "The lead professional's id.",
            "earl_episode_worker_id",
            "lead_professional_id",
            required=False,
        ),
        date_column("opened", "The date the case opened.", "earl_episode_start_date", "start_date"),
        date_column(
            "closed",
            "The date the case closed; empty while open.",
            "earl_episode_end_date",
            "end_date",
            required=False,
        ),
        code_column(
            "closure_reason",
            "Why it closed; present exactly when closed.",
            _CLOSURE_CODES,
            "earl_episode_end_reason",
            "end_reason",
            required=False,
        ),
        level_column(
            required=False,
            needed_by="early_help_level_2_cases (cases by level of need)",
        ),
    ),
    rules=CASE_RULES,
)

ASSESSMENTS = TableSchema(
    name="assessments",
    description="Early Help Assessments (EHA, formerly CAF).",
    key=("assessment_id",),
    record_type=EarlyHelpAssessment,
    columns=(
        id_column("assessment_id", "The assessment's id.", "eha_id", "caf_id"),
        id_column("person_id", "Pseudonymous person id.", "child_id"),
        id_column("episode_id", "The early help case it belongs to.", "case_id", required=False),
        date_column("started", "The date it started.", "start_date"),
        date_column(
            "completed",
            "The date it was completed; empty if not yet.",
            "completed_date",
            required=False,
        ),
        text_column("organisation", "The completing organisation.", "completing_organisation"),
    ),
    rules=ASSESSMENT_RULES,
)

SINGLE_ASSESSMENTS = TableSchema(
    name="single_assessments",
    description="Statutory single assessments (social care).",
    key=("assessment_id",),
    record_type=SingleAssessment,
    columns=(
        id_column("assessment_id", "The assessment's id.", "cina_assessment_id"),
        id_column("person_id", "Pseudonymous person id.", "cina_person_id", "child_id"),
        date_column("started", "The date it started.", "cina_assessment_start_date", "start_date"),
        date_column(
            "completed",
            "The date it was authorised as complete.",
            "cina_assessment_auth_date",
            "completed_date",
            required=False,
        ),
        Column(
            name="by_qualified_social_worker",
            kind=Kind.BOOL,
            required=True,
            description="Completed by a qualified social worker.",
            aliases=("qsw",),
        ),
    ),
    rules=ASSESSMENT_RULES,
)

SOCIAL_CARE_EPISODES = TableSchema(
    name="social_care_episodes",
    description="Child in need episodes, child protection plans and periods in care.",
    key=("episode_id",),
    record_type=SocialCareEpisode,
    columns=(
        id_column("episode_id", "The episode's id."),
        id_column("person_id", "Pseudonymous person id.", "child_id"),
        code_column(
            "kind",
            "cin (child in need), cp (child protection plan) or cic (child in care).",
            codes_of(SocialCareKind),
            "episode_type",
        ),
        date_column("started", "The date it started.", "start_date"),
        date_column("ended", "The date it ended; empty while open.", "end_date", required=False),
        _EPISODE_LOCALITY,
        id_column(
            "end_reason",
            "Why it ended, as the council's code (e.g. stepped_down_to_early_help); "
            "empty while open.",
            "reason_for_closure",
            required=False,
            categorical=True,
        ),
        text_column(
            "start_reason",
            "Why it started, as the source's code (SSDA903 RNE, e.g. S, L, P).",
            "rne",
            "clae_cla_episode_start_reason",
        ),
        text_column(
            "primary_need",
            "Primary need code (N0...N9), for child in need and in care.",
            "cine_cin_primary_need_code",
            "clae_cla_primary_need_code",
        ),
        text_column(
            "cp_category",
            "Child protection plan category (neglect, physical, emotional, sexual, multiple).",
            "cppl_cp_plan_latest_category",
            "category_of_abuse",
        ),
        text_column("legal_status", "Legal status code at the start of care (SSDA903 LS).", "ls"),
        text_column("placement", "Placement type code (SSDA903 PLACE).", "place"),
        text_column(
            "placement_provider",
            "Placement provider code (SSDA903 PLACE_PROVIDER, e.g. PR1).",
            "place_provider",
            "clap_cla_placement_provider",
        ),
        postcode_column(
            "placement_postcode",
            "Placement postcode (SSDA903 PL_POST; personal data): data minimisation keeps "
            "its district.",
            "pl_post",
            "clap_cla_placement_postcode",
        ),
    ),
    rules=SOCIAL_CARE_RULES,
)

YOS_EPISODES = TableSchema(
    name="yos_episodes",
    description="Periods open to the Youth Offending Service.",
    key=("episode_id",),
    record_type=YouthOffendingEpisode,
    columns=(
        id_column("episode_id", "The episode's id."),
        id_column("person_id", "Pseudonymous person id.", "child_id"),
        date_column("started", "The date it started.", "start_date"),
        date_column("ended", "The date it ended; empty while open.", "end_date", required=False),
        _EPISODE_LOCALITY,
    ),
    rules=YOS_RULES,
)

ONWARD_REFERRALS = TableSchema(
    name="onward_referrals",
    description="Referrals from an early help case to another intervention.",
    key=("onward_referral_id",),
    record_type=OnwardReferral,
    columns=(
        id_column("onward_referral_id", "The onward referral's id."),
        id_column("episode_id", "The early help case.", "case_id"),
        date_column("referral_date", "The date of the onward referral.", "date"),
        Column(
            name="intervention",
            kind=Kind.TEXT,
            required=True,
            description="The intervention referred to.",
            aliases=("intervention_type",),
        ),
    ),
)
