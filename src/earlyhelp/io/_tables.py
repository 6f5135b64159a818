"""The input tables ``earlyhelp`` reads, declared once, by name.

Column names follow the Standard Safeguarding Dataset (SSD) where it has the
field, and each column lists the SSD and common export names it is also known by.
The declarations are in :mod:`earlyhelp.io._tables_casework` and
:mod:`earlyhelp.io._tables_instruments`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from earlyhelp.io._schema import TableSchema
from earlyhelp.io._tables_casework import (
    ASSESSMENTS,
    CASES,
    CHILDREN,
    ONWARD_REFERRALS,
    REFERRALS,
    SINGLE_ASSESSMENTS,
    SOCIAL_CARE_EPISODES,
    TEAMS,
    YOS_EPISODES,
)
from earlyhelp.io._tables_instruments import (
    AUDIT_GRADES,
    AUDITS,
    CENTRE_INSPECTIONS,
    CHARACTERISTICS,
    CHILDRENS_CENTRES,
    NEET,
    POPULATION,
    SPIDER_READINGS,
    SPIDER_SCALES,
    SURVEYS,
)
from earlyhelp.io._tables_statutory import CIN_REFERRALS, CONTACTS
from earlyhelp.io._tables_tac import TAC_INVOLVEMENTS

__all__ = ["SCHEMAS"]

SCHEMAS: Final[Mapping[str, TableSchema]] = {
    schema.name: schema
    for schema in (
        TEAMS,
        CHILDREN,
        REFERRALS,
        CASES,
        ASSESSMENTS,
        SINGLE_ASSESSMENTS,
        SOCIAL_CARE_EPISODES,
        CONTACTS,
        CIN_REFERRALS,
        YOS_EPISODES,
        ONWARD_REFERRALS,
        SPIDER_SCALES,
        SPIDER_READINGS,
        SURVEYS,
        AUDITS,
        AUDIT_GRADES,
        NEET,
        POPULATION,
        CHARACTERISTICS,
        CHILDRENS_CENTRES,
        CENTRE_INSPECTIONS,
        TAC_INVOLVEMENTS,
    )
}
"""Every input table ``earlyhelp`` reads, by name."""
