"""The Ofsted Annex A workbook: Lists 1 to 11, lettered answers, dates as Excel writes them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import xlsxwriter

import earlyhelp as eh

D = dt.date
_PERSON = ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)"]
_WORK = ["Allocated Team", "Allocated Worker"]
# Each list's columns, as Ofsted's Annex A template heads them.
LISTS: dict[int, list[str]] = {
    1: [*_PERSON, "Date of Contact", "Contact Source"],
    2: [*_PERSON, "Assessment start date", "Assessment completion date",
        "Organisation completing assessment"],
    3: [*_PERSON, "Date of referral", "Referral Source", "Referral NFA?",
        "Number of Referrals in Last 12 Months", *_WORK],
    4: [*_PERSON, "Does the Child have a Disability", "Continuous Assessment Start Date",
        "Child Seen During Continuous Assessment", "Continuous Assessment Date of Authorisation",
        "Was the child assessed as requiring LA children's social care support?", *_WORK],
    5: [*_PERSON, "Does the Child have a Disability",
        "Strategy discussion initiating Section 47 Enquiry Start Date",
        "Was an Initial Child Protection Conference deemed unnecessary?",
        "Date of Initial Child Protection Conference",
        "Did the Initial Child Protection Conference Result in a Child Protection Plan",
        "Number of Section 47 Enquiries in the last 12 months",
        "Number of ICPCs in the last 12 months", *_WORK],
    6: [*_PERSON, "Does the Child have a Disability", "CIN Start Date", "Primary Need Code",
        "Date Child Was Last Seen", "CIN Closure Date", "Reason for Closure", "Case Status", *_WORK],
    7: [*_PERSON, "Does the Child have a Disability", "Child Protection Plan Start Date",
        "Initial Category of Abuse", "Latest Category of Abuse", "Date of the Last Statutory Visit",
        "Was the Child Seen Alone?", "Date of latest review conference",
        "Child Protection Plan End Date",
        "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six "
        "Months (Y/N)", "Number of Previous Child Protection Plans", *_WORK],
    8: [*_PERSON, "Does the Child have a Disability", "Date Started to be Looked After",
        "Child's Category of Need",
        "Is this a second or subsequent period of being a Looked After Child within the last 12 "
        "months (Y/N)", "Start date of current legal status", "Child's Legal Status",
        "Date of Latest Statutory Review", "Date of Last Social Work Visit",
        "What is the permanence plan for this child?",
        "Date of Last IRO Visit / Contact to the Child", "Date of Last Health Assessment",
        "Date of Last Dental Check", "Number of Placements in the Last 12 months",
        "Date Ceased to be Looked After", "Reason Ceased to be Looked After",
        "Start Date of Most Recent Placement", "Placement Type", "Placement Provider",
        "Placement postcode", "URN of Placement", "Placement Location", "LA of Placement", *_WORK],
    9: [*_PERSON, "Does the Child have a Disability", *_WORK, "Eligibility Category",
        "LA in Touch", "Type of Accommodation", "Suitability of Accommodation", "Activity Status"],
    10: ["Child Unique ID", "Family identifier", "Gender", "Ethnicity", "Date of Birth",
         "Age of Child (Years)", "Does the Child have a Disability", "Date the Child Entered Care",
         "Date of Decision that Child Should be Placed for Adoption", "Date of Placement Order"],
    11: ["Individual adopter identifier", "Family identifier", "Gender", "Ethnicity",
         "Disability", "Date enquiry received"],
}  # fmt: skip

_CHILD = {
    "Child Unique ID": "C1",
    "Gender": "a) Male",
    "Ethnicity": "a) WBRI",
    "Date of Birth": D(2012, 5, 1),
    "Age of Child (Years)": 12,
}
ROWS: dict[int, list[dict[str, object]]] = {
    1: [{**_CHILD, "Date of Contact": D(2024, 4, 2), "Contact Source": "e) 2A: Schools"}],
    2: [
        {
            **_CHILD,
            "Assessment start date": D(2024, 4, 3),
            "Assessment completion date": D(2024, 5, 1),
            "Organisation completing assessment": "School",
        }
    ],
    3: [
        {
            **_CHILD,
            "Date of referral": D(2024, 4, 10),
            "Referral Source": "e) 2A: Schools",
            "Referral NFA?": "b) No",
            "Allocated Team": "T1",
        },
        {
            **_CHILD,
            "Date of referral": D(2024, 9, 1),
            "Referral Source": "u) 10: Unknown",
            "Referral NFA?": "c) Unknown",
        },
    ],
    4: [
        {
            **_CHILD,
            "Continuous Assessment Start Date": D(2024, 4, 11),
            "Continuous Assessment Date of Authorisation": D(2024, 5, 20),
            "Child Seen During Continuous Assessment": "a) Yes",
        },
    ],
    6: [
        {
            **_CHILD,
            "CIN Start Date": D(2024, 4, 10),
            "Primary Need Code": "a) Abuse or neglect",
            "CIN Closure Date": D(2024, 8, 1),
            "Reason for Closure": "i) Case closed after assessment, referred to early help",
            "Case Status": "e) Closed episode",
        },
    ],
    7: [
        {
            **_CHILD,
            "Child Protection Plan Start Date": D(2024, 5, 1),
            "Initial Category of Abuse": "a) Neglect",
            "Latest Category of Abuse": "d) Emotional abuse",
            "Was the Child Seen Alone?": "a) Yes",
        },
    ],
    8: [
        {
            **_CHILD,
            "Date Started to be Looked After": D(2024, 6, 1),
            "Child's Category of Need": "N1",
            "Child's Legal Status": "C2",
            "Placement Type": "a) U1: Foster placement - relatives - long term",
            "Date Ceased to be Looked After": D(2024, 9, 1),
            "Reason Ceased to be Looked After": "e) E4A: Returned home to live with parents or "
            "relatives - part of planning",
        },
    ],
}


def write_annex_a(path: Path) -> Path:
    """An Annex A workbook: a cover sheet and every list, with Ofsted's headers."""
    book = xlsxwriter.Workbook(str(path))
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    book.add_worksheet("Cover").write(0, 0, "Annex A")
    for number, columns in LISTS.items():
        sheet = book.add_worksheet(f"List {number}")
        for col, name in enumerate(columns):
            sheet.write(0, col, name)
        for row, record in enumerate(ROWS.get(number, []), start=1):
            for col, name in enumerate(columns):
                value = record.get(name)
                if isinstance(value, dt.date):
                    sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), dates)
                elif value is not None:
                    sheet.write(row, col, value)
    book.close()
    return path


def test_annex_a_loads_as_delivered(tmp_path: Path) -> None:
    data = eh.load(write_annex_a(tmp_path / "Annex_A.xlsx"))
    assert data.report.ok, str(data.report)
    assert data.report.ignored_sources == ("Cover",)
    assert data["contacts"].get_column("source_code").to_list() == ["2A"]
    referrals = data["cin_referrals"].sort("referral_date")
    assert referrals.get_column("source_code").to_list() == ["2A", "10"]
    assert referrals.get_column("no_further_action").to_list() == [False, None]
    assert data["assessments"].height == 1
    assert data["single_assessments"].get_column("completed").to_list() == [D(2024, 5, 20)]
    social = data["social_care_episodes"].sort("kind")
    assert social.select(
        "kind", "end_reason", "primary_need", "cp_category", "placement"
    ).rows() == [
        ("cic", "E4A", "N1", None, "U1"),
        ("cin", "RC9", "N1", None, None),
        ("cp", None, None, "EMO", None),
    ]
    assert "Annex A List 5 (List 5@Annex_A.xlsx) recognised, not used" in str(data.report)
    flags = eh.flag_step_downs(data["social_care_episodes"], profile="cin-census")
    assert flags.filter(pl.col("step_down")).height == 1  # RC9, written by name
    results = eh.compute(
        data,
        profile="cin-census",
        period="2024-25",
        by="city",
        measures=["cin_rereferral_rate", "cp_plans", "children_in_care"],
    )
    # C1 referred 10/04/2024 and again 01/09/2024: the second is a re-referral.
    rate = results["cin_rereferral_rate", "2024-25", "city"]
    assert (rate.numerator, rate.denominator) == (1, 2)
    assert results["cp_plans", "2024-25", "city"].numerator == 1  # open at 31/03/2025
    assert results["children_in_care", "2024-25", "city"].numerator == 0  # ceased 01/09/2024


def test_annex_a_in_a_folder_is_opened_into_its_lists(tmp_path: Path) -> None:
    folder = tmp_path / "returns"
    folder.mkdir()
    write_annex_a(folder / "annex a 2024.xlsx")
    data = eh.load(folder)
    assert data["cin_referrals"].height == 2
