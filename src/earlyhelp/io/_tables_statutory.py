"""Input tables of statutory social care's front door: contacts and children in need referrals.

Children in need referrals (to children's social care, as the CIN census and the
Standard Safeguarding Dataset's ``ssd_cin_episodes`` record them) are kept apart
from referrals to early help (the ``referrals`` table): DfE's re-referral rate is
counted over these.
"""

from __future__ import annotations

from earlyhelp.io._schema import (
    Column,
    Kind,
    TableSchema,
    date_column,
    id_column,
    text_column,
)
from earlyhelp.model._row_rules import before

__all__ = ["CIN_REFERRALS", "CONTACTS"]

CIN_REFERRALS = TableSchema(
    name="cin_referrals",
    description=(
        "Referrals to children's social care (children in need), as in the CIN census "
        "and the SSD's ssd_cin_episodes; kept apart from early help referrals."
    ),
    key=("referral_id",),
    columns=(
        id_column("referral_id", "The referral's id.", "cine_referral_id"),
        id_column("person_id", "Pseudonymous person id.", "cine_person_id", "child_id"),
        date_column("referral_date", "The date the referral was received.", "cine_referral_date"),
        text_column(
            "source_code",
            "Referral source, as the census code (1A...10).",
            "cine_referral_source_code",
            "referral_source",
        ),
        text_column(
            "primary_need",
            "Primary need code (N0...N9).",
            "cine_cin_primary_need_code",
            "primary_need_code",
        ),
        Column(
            name="no_further_action",
            kind=Kind.BOOL,
            description="Referral closed with no further action.",
            aliases=("cine_referral_nfa", "referral_nfa"),
        ),
        date_column(
            "closed",
            "The date the CIN episode closed; empty while open.",
            "cine_close_date",
            "cin_closure_date",
            required=False,
        ),
        text_column(
            "close_reason",
            "Reason for closure, as the census code (RC1...RC9; RC9 = transferred to early help).",
            "cine_close_reason",
            "reason_for_closure",
        ),
        id_column(
            "team_id", "The team the referral went to.", "cine_referral_team", required=False
        ),
    ),
    rules=(before("closed", "referral_date", "closed-before-referral"),),
)

CONTACTS = TableSchema(
    name="contacts",
    description="Contacts to children's social care's front door (SSD ssd_contacts).",
    key=("contact_id",),
    columns=(
        id_column("contact_id", "The contact's id.", "cont_contact_id"),
        id_column("person_id", "Pseudonymous person id.", "cont_person_id", "child_id"),
        date_column("contact_date", "The date of the contact.", "cont_contact_date"),
        text_column(
            "source_code",
            "Contact source, as the census code (1A...10).",
            "cont_contact_source_code",
        ),
    ),
)
