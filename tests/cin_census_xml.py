"""CIN census XML returns written from DfE's published schema (one XSD per collection year).

Every element of the schema is written, in schema order, so a test loads a return
shaped as a council's system writes it; ``CINPlanDates`` only from 2022, as the
XSDs have it.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class Plan:
    start: dt.date
    end: dt.date | None = None
    category: str = "NEG"


@dataclass
class Episode:
    referral: dt.date
    source: str = "1A"
    need: str = "N1"
    closed: dt.date | None = None
    reason: str | None = None
    nfa: str = "false"
    assessment: dt.date | None = None
    plans: Sequence[Plan] = field(default_factory=list)


@dataclass
class Child:
    child_id: str
    born: dt.date
    episodes: Sequence[Episode]


def _add(parent: ET.Element, name: str, text: object = None) -> ET.Element:
    element = ET.SubElement(parent, name)
    if text is not None:
        element.text = text.isoformat() if isinstance(text, dt.date) else str(text)
    return element


def census_xml(year: int, children: Sequence[Child]) -> bytes:  # noqa: PLR0915 - schema order
    """A CIN census return for collection ``year`` (2024 is the 2023-24 census)."""
    message = ET.Element("Message")
    header = _add(message, "Header")
    details = _add(header, "CollectionDetails")
    _add(details, "Collection", "CIN")
    _add(details, "Year", year)
    _add(details, "ReferenceDate", dt.date(year, 3, 31))
    source = _add(header, "Source")
    _add(source, "SourceLevel", "L")
    _add(source, "LEA", "999")
    _add(source, "SoftwareCode", "Local Authority")
    _add(source, "Release", "ver 3.1.21")
    _add(source, "SerialNo", "001")
    _add(source, "DateTime", f"{year}-05-01T12:00:00")
    kids = _add(message, "Children")
    for child in children:
        node = _add(kids, "Child")
        ids = _add(node, "ChildIdentifiers")
        _add(ids, "LAchildID", child.child_id)
        _add(ids, "UPN", "A123456789012")
        _add(ids, "FormerUPN", "A123456789013")
        _add(ids, "UPNunknown", "UN1")
        _add(ids, "PersonBirthDate", child.born)
        _add(ids, "ExpectedPersonBirthDate", child.born)
        _add(ids, "GenderCurrent", "1")
        _add(ids, "PersonDeathDate")
        traits = _add(node, "ChildCharacteristics")
        _add(traits, "Ethnicity", "WBRI")
        _add(_add(traits, "Disabilities"), "Disability", "NONE")
        for ep in child.episodes:
            cin = _add(node, "CINdetails")
            _add(cin, "CINreferralDate", ep.referral)
            _add(cin, "ReferralSource", ep.source)
            _add(cin, "PrimaryNeedCode", ep.need)
            if ep.closed is not None:
                _add(cin, "CINclosureDate", ep.closed)
                _add(cin, "ReasonForClosure", ep.reason or "RC8")
            _add(cin, "DateOfInitialCPC", ep.plans[0].start if ep.plans else None)
            if ep.assessment is not None:
                assessment = _add(cin, "Assessments")
                _add(assessment, "AssessmentActualStartDate", ep.assessment)
                _add(assessment, "AssessmentInternalReviewDate", ep.assessment)
                _add(
                    assessment, "AssessmentAuthorisationDate", ep.assessment + dt.timedelta(days=30)
                )
                factors = _add(assessment, "FactorsIdentifiedAtAssessment")
                _add(factors, "AssessmentFactors", "1A")
            if year >= 2022:
                plan_dates = _add(cin, "CINPlanDates")
                _add(plan_dates, "CINPlanStartDate", ep.referral)
                _add(plan_dates, "CINPlanEndDate", ep.closed)
            s47 = _add(cin, "Section47")
            _add(s47, "S47ActualStartDate", ep.referral)
            _add(s47, "InitialCPCtarget", ep.referral + dt.timedelta(days=15))
            _add(s47, "DateOfInitialCPC", ep.plans[0].start if ep.plans else None)
            _add(s47, "ICPCnotRequired", "false")
            _add(cin, "ReferralNFA", ep.nfa)
            for number, plan in enumerate(ep.plans):
                cpp = _add(cin, "ChildProtectionPlans")
                _add(cpp, "CPPstartDate", plan.start)
                _add(cpp, "CPPendDate", plan.end)
                _add(cpp, "InitialCategoryOfAbuse", plan.category)
                _add(cpp, "LatestCategoryOfAbuse", plan.category)
                _add(cpp, "NumberOfPreviousCPP", number + 1)
                _add(_add(cpp, "Reviews"), "CPPreviewDate", plan.start + dt.timedelta(days=90))
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(message, encoding="utf-8")
