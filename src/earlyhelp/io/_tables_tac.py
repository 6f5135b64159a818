"""Input table of team around the family involvements (not lead-professional casework)."""

from __future__ import annotations

from earlyhelp.io._schema import (
    TableSchema,
    code_column,
    codes_of,
    date_column,
    id_column,
)
from earlyhelp.model._tac import TAC_RULES, TacRole, TeamAroundFamilyInvolvement

__all__ = ["TAC_INVOLVEMENTS"]

TAC_INVOLVEMENTS = TableSchema(
    name="tac_involvements",
    description=(
        "Early help staff involvement with a family as part of a team around the family, "
        "where they are not the lead professional."
    ),
    key=("involvement_id",),
    record_type=TeamAroundFamilyInvolvement,
    columns=(
        id_column("involvement_id", "The involvement's id.", "tac_id", "taf_id"),
        id_column(
            "episode_id",
            "The early help case it supports, when an early help team leads.",
            "case_id",
            required=False,
        ),
        id_column("family_id", "The family, when another agency leads.", "family", required=False),
        id_column("team_id", "The early help team of the worker involved.", "team"),
        id_column("worker_id", "The worker involved (not the lead professional).", required=False),
        code_column(
            "role",
            "team_member, specialist, consultation or other.",
            codes_of(TacRole),
            "tac_role",
        ),
        date_column("started", "The date the involvement started.", "start_date"),
        date_column("ended", "The date it ended; empty while ongoing.", "end_date", required=False),
    ),
    rules=TAC_RULES,
)
