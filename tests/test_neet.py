"""NEET: academic age, cohort definitions, activity codes, figures, targets, the deep dive."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pendulum
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import earlyhelp as eh
from demo_data import demo_dataset
from earlyhelp.reproduction import report_neet, reproduce_neet, smallest_cohort

DERBY_2016 = eh.instruments.NeetTargets.from_profile("derby-2014-15", dt.date(2016, 4, 30))

MARCH = dt.date(2015, 3, 1)
DEF_2014 = eh.instruments.neet_cohort_definition(2014)
CODES = eh.instruments.activity_codes(MARCH)
CATEGORIES = {c: eh.instruments.ActivityCategory(k) for c, k, _ in CODES.rows()}
# Born by 31 August 2004, so every child is born before the academic years of 2005 on.
BIRTHS = st.dates(dt.date(1990, 1, 1), dt.date(2004, 8, 31))
MONTHS = st.builds(dt.date, st.integers(2014, 2020), st.integers(1, 12), st.just(1))


def reference_age(born: dt.date, day: dt.date) -> int:
    """Age on the 31 August before day's academic year, by pendulum's calendar arithmetic."""
    year = day.year if day.month >= 9 else day.year - 1
    return (
        pendulum.date(year, 8, 31).diff(pendulum.date(born.year, born.month, born.day)).in_years()
    )


# --------------------------------------------------------------------------- academic age


@given(BIRTHS, st.dates(dt.date(2005, 1, 1), dt.date(2025, 12, 31)))
def test_academic_age_is_age_on_31_august(born: dt.date, day: dt.date) -> None:
    assert eh.instruments.academic_age(born, day) == reference_age(born, day)


@given(st.lists(st.tuples(BIRTHS, MONTHS), max_size=30))
def test_bulk_academic_age_agrees(pairs: list[tuple[dt.date, dt.date]]) -> None:
    frame = pl.DataFrame(pairs, schema={"dob": pl.Date, "month": pl.Date}, orient="row")
    bulk = frame.select(eh.instruments.academic_age_expr("dob", "month")).to_series().to_list()
    assert bulk == [eh.instruments.academic_age(b, m) for b, m in pairs]


@given(st.integers(1994, 2002), MONTHS)
def test_cohort_membership_changes_exactly_at_the_31_august_birthday(
    year: int, month: dt.date
) -> None:
    """Born 31 August: a year group older than born the next day, and the same as born 1 September of the year before."""
    last = eh.instruments.academic_age(dt.date(year, 8, 31), month)
    first_of_next = eh.instruments.academic_age(dt.date(year, 9, 1), month)
    assert last == first_of_next + 1
    assert eh.instruments.academic_age(dt.date(year - 1, 9, 1), month) == last
    ages = set(DEF_2014.ages)
    for born in (dt.date(year, 8, 31), dt.date(year, 9, 1)):
        frame = pl.DataFrame({"person_id": ["Y1"], "date_of_birth": [born],
                              "record_month": [month], "activity_code": ["130"]})  # fmt: skip
        members = eh.instruments.neet_cohort_members(frame, [month], DEF_2014)
        assert members.height == (eh.instruments.academic_age(born, month) in ages)


def test_29_february_birthdays() -> None:
    born = dt.date(2000, 2, 29)
    assert eh.instruments.academic_age(born, dt.date(2016, 8, 31)) == 15
    assert eh.instruments.academic_age(born, dt.date(2016, 9, 1)) == 16
    assert eh.instruments.academic_age(born, dt.date(2017, 3, 1)) == 16  # 2017 has no 29 February
    assert eh.instruments.academic_age_expr  # bulk agrees on leap days too:
    frame = pl.DataFrame({"dob": [born], "month": [dt.date(2017, 3, 1)]})
    assert frame.select(eh.instruments.academic_age_expr("dob", "month")).item() == 16


# --------------------------------------------------------------------------- definitions, codes


def test_definitions_are_chosen_by_the_academic_year() -> None:
    assert eh.instruments.neet_cohort_definition(2015).rule_id == "NEET-16-18-NDJ"
    current = eh.instruments.neet_cohort_definition(2016)
    assert (current.ages, current.months, current.participation_month) == ((16, 17), (12, 1, 2), 3)
    assert current.snapshot_months(2016) == (
        dt.date(2016, 12, 1),
        dt.date(2017, 1, 1),
        dt.date(2017, 2, 1),
    )
    with pytest.raises(LookupError, match="academic year 2010"):
        eh.instruments.neet_cohort_definition(2010)


def test_activity_codes_cover_every_category_by_group() -> None:
    seen = {eh.instruments.ActivityCategory(k) for k in CODES.get_column("category")}
    assert seen == set(eh.instruments.ActivityCategory)
    # The groups of the NCCIS management information requirement's code list.
    groups = {
        eh.instruments.ActivityCategory.EDUCATION: ("110", "120", "2"),
        eh.instruments.ActivityCategory.EMPLOYMENT: ("3",),
        eh.instruments.ActivityCategory.TRAINING: ("4",),
        eh.instruments.ActivityCategory.NEET: ("54", "55", "6", "51", "52"),
        eh.instruments.ActivityCategory.CUSTODY: ("130", "710"),
        eh.instruments.ActivityCategory.OTHER: ("140", "530", "720"),
        eh.instruments.ActivityCategory.NOT_KNOWN: ("150", "8"),
    }
    for code, category in CATEGORIES.items():
        assert category == eh.instruments.activity_category(code, MARCH)
        owners = {c for c, prefixes in groups.items() if code.startswith(prefixes)}
        exact = {c for c, prefixes in groups.items() if code in prefixes}
        assert category in (exact or owners), code
    assert (
        eh.instruments.activity_category("530", MARCH) is eh.instruments.ActivityCategory.OTHER
    )  # re-engagement
    assert (
        eh.instruments.activity_category("150", MARCH) is eh.instruments.ActivityCategory.NOT_KNOWN
    )
    for code in ("250", "260", "270", "280", "290", "381", "460", "615", "616", "619", "720"):
        eh.instruments.activity_category(code, MARCH)  # each in the published list
    with pytest.raises(ValueError, match="'999' is not an NCCIS activity code"):
        eh.instruments.activity_category("999", MARCH)


def test_labels_are_versioned_by_year() -> None:
    before, after = dt.date(2020, 3, 1), dt.date(2020, 4, 1)
    label = {
        day: eh.instruments.activity_codes(day)
        .filter(pl.col("code") == "440")
        .get_column("label")
        .item()
        for day in (before, after)
    }
    assert label[before] == "DWP training through the Work Programme"
    assert label[after] == "DWP training and support programme"


def test_a_code_takes_the_version_in_force_in_its_month() -> None:
    """A code re-classified from 1 March 2015 counts under its old category in February."""
    codes = pl.DataFrame(
        {
            "code": ["410", "410"],
            "category": ["other", "neet"],
            "label": ["old", "new"],
            "effective_from": [dt.date(2013, 4, 1), dt.date(2015, 3, 1)],
            "effective_to": [dt.date(2015, 2, 28), None],
        }
    )
    months = [dt.date(2015, 2, 1), MARCH]
    frame = pl.DataFrame({"person_id": ["Y1", "Y1"], "date_of_birth": [dt.date(1998, 1, 2)] * 2,
                          "record_month": months, "activity_code": ["410", "410"]})  # fmt: skip
    february = eh.instruments.neet_figures(frame, DEF_2014, months=months[:1], codes=codes)
    march = eh.instruments.neet_figures(frame, DEF_2014, months=months[1:], codes=codes)
    assert (february.neet, march.neet) == (0, 1)


def test_unknown_codes_are_named_without_personal_data() -> None:
    frame = pl.DataFrame({"person_id": ["SECRET-ID"], "date_of_birth": [dt.date(1998, 1, 2)],
                          "record_month": [MARCH], "activity_code": ["999"]})  # fmt: skip
    with pytest.raises(ValueError, match="999") as info:
        eh.instruments.neet_figures(frame, DEF_2014, months=[MARCH])
    assert "person SECRET-ID" in str(info.value)  # a pseudonymous id names the record
    assert "1998" not in str(info.value)  # the date of birth never appears


# --------------------------------------------------------------------------- figures


@st.composite
def neet_batches(draw: st.DrawFn) -> list[eh.model.NeetRecord]:
    n = draw(st.integers(0, 25))
    return [
        eh.model.NeetRecord(
            person_id=f"Y{i}",
            date_of_birth=draw(st.dates(dt.date(1994, 6, 1), dt.date(1999, 12, 31))),
            record_month=draw(st.sampled_from(DEF_2014.snapshot_months(2014))),
            activity_code=draw(st.sampled_from(sorted(CATEGORIES))),
        )
        for i in range(n)
    ]


def to_frame(records: list[eh.model.NeetRecord]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "person_id": [r.person_id for r in records],
            "date_of_birth": [r.date_of_birth for r in records],
            "record_month": [r.record_month for r in records],
            "activity_code": [r.activity_code for r in records],
        },
        schema={
            "person_id": pl.String,
            "date_of_birth": pl.Date,
            "record_month": pl.Date,
            "activity_code": pl.String,
        },
    )


@given(neet_batches(), st.sampled_from(eh.instruments.NEET_COHORT_DEFINITIONS))
def test_figures_agree_with_counting_records_one_by_one(
    records: list[eh.model.NeetRecord], definition: eh.instruments.NeetCohortDefinition
) -> None:
    """An independent oracle: membership by pendulum's age arithmetic, record by record."""
    months = DEF_2014.snapshot_months(2014)
    bulk = eh.instruments.neet_figures(to_frame(records), definition, months=months)
    members = [
        r
        for r in records
        if r.record_month in months
        and reference_age(r.date_of_birth, r.record_month) in definition.ages
    ]
    kinds = [CATEGORIES[r.activity_code] for r in members]
    assert (bulk.cohort, bulk.neet, bulk.not_known) == (
        len(members),
        kinds.count(eh.instruments.ActivityCategory.NEET),
        kinds.count(eh.instruments.ActivityCategory.NOT_KNOWN),
    )


#: Record months around the change of definition (1 September 2016) and before the first.
RECORD_MONTHS = st.sampled_from(
    [dt.date(y, m, 1) for y in (2011, 2014, 2015, 2016, 2017) for m in range(1, 13)]
)


@given(
    st.lists(
        st.builds(
            eh.model.NeetRecord,
            person_id=st.text("Y0123", min_size=1, max_size=3),
            date_of_birth=st.dates(dt.date(1993, 1, 1), dt.date(2002, 12, 31)),
            record_month=RECORD_MONTHS,
            activity_code=st.sampled_from(sorted(CATEGORIES)),
        ),
        max_size=12,
    ),
    st.none() | st.lists(RECORD_MONTHS, min_size=1, max_size=3),
)
def test_each_records_decision_is_its_bulk_explanation(
    records: list[eh.model.NeetRecord], months: list[dt.date] | None
) -> None:
    """str(is_in_neet_cohort(record)) is the explanation flag_neet_cohort gives the record."""
    flags = eh.instruments.flag_neet_cohort(to_frame(records), months=months, explain=True)
    assert flags.height == len(records)
    for record, row in zip(records, flags.iter_rows(named=True), strict=True):
        decision = eh.instruments.is_in_neet_cohort(record, months=months)
        assert str(decision) == row["explanation"]
        assert decision.outcome == row["in_cohort"]
        assert row["academic_age"] == reference_age(record.date_of_birth, record.record_month)
        assert str(record.date_of_birth) not in str(decision)  # never the date of birth
        assert eh.Decision.from_json(decision.to_json()) == decision


@pytest.mark.parametrize(
    ("born", "month", "rule_id", "in_cohort"),
    [
        (dt.date(1998, 8, 31), dt.date(2014, 11, 1), "NEET-16-18-NDJ", True),  # oldest: 16
        (dt.date(1998, 9, 1), dt.date(2014, 11, 1), "NEET-16-18-NDJ", False),  # a day later: 15
        (dt.date(1996, 9, 1), dt.date(2016, 8, 1), "NEET-16-18-NDJ", False),  # August: no snapshot
        (dt.date(1998, 9, 1), dt.date(2016, 12, 1), "NEET-16-17-DJF", True),  # first new month
        (dt.date(1997, 9, 1), dt.date(2016, 12, 1), "NEET-16-17-DJF", False),  # 18: out from 2016
        (dt.date(1999, 8, 31), dt.date(2017, 1, 1), "NEET-16-17-DJF", True),  # 17
        (dt.date(2000, 2, 29), dt.date(2017, 2, 1), "NEET-16-17-DJF", True),  # leap day: 16
        (dt.date(1995, 1, 1), dt.date(2011, 8, 1), None, None),  # before any definition
    ],
)
def test_the_definition_of_the_records_academic_year_decides(
    born: dt.date, month: dt.date, rule_id: str | None, in_cohort: bool | None
) -> None:
    record = eh.model.NeetRecord(
        person_id="Y1", date_of_birth=born, record_month=month, activity_code="540"
    )
    decision = eh.instruments.is_in_neet_cohort(record)
    assert decision.outcome is in_cohort
    assert decision.fired_rules == ((rule_id,) if in_cohort else ())
    row = eh.instruments.flag_neet_cohort(to_frame([record])).row(0, named=True)
    assert (row["rule_id"], row["in_cohort"]) == (rule_id, in_cohort)
    if rule_id is None:
        assert decision.summary == (
            "No decision: no NEET cohort definition is in force for the academic year "
            "starting 01/09/2010"
        )


@given(neet_batches(), st.sampled_from(eh.instruments.NEET_COHORT_DEFINITIONS))
def test_percentages_lie_within_0_and_100(
    records: list[eh.model.NeetRecord], definition: eh.instruments.NeetCohortDefinition
) -> None:
    figures = eh.instruments.neet_figures(to_frame(records), definition, academic_year=2014)
    assert figures.neet + figures.not_known <= figures.cohort
    for rate in (figures.neet_rate, figures.not_known_rate, figures.combined_rate):
        assert rate is None or 0 <= rate <= 100
    if definition.neet_denominator is eh.instruments.NeetDenominator.COHORT and figures.cohort:
        assert figures.neet_rate + figures.not_known_rate == figures.combined_rate  # type: ignore[operator]


def test_empty_cohort_has_no_percentages() -> None:
    figures = eh.instruments.neet_figures(to_frame([]), DEF_2014, academic_year=2014)
    assert (figures.cohort, figures.neet_rate, figures.not_known_rate) == (0, None, None)
    progress = eh.instruments.neet_progress(figures, DERBY_2016)
    assert (progress.neet_met, progress.not_known_met) == (None, None)


def test_targets_are_strictly_below() -> None:
    at = eh.instruments.NeetFigures(snapshots=1, cohort=200, neet=11, not_known=10,
                        neet_denominator=eh.instruments.NeetDenominator.COHORT)  # fmt: skip
    progress = eh.instruments.neet_progress(
        at, DERBY_2016
    )  # 5.5% and 5%: on the targets, so not below them
    assert (progress.neet_met, progress.not_known_met) == (False, False)
    assert (progress.neet_gap, progress.not_known_gap) == (Fraction(0), Fraction(0))
    under = eh.instruments.neet_progress(
        eh.instruments.NeetFigures(
            snapshots=1,
            cohort=200,
            neet=10,
            not_known=9,
            neet_denominator=eh.instruments.NeetDenominator.COHORT,
        ),
        DERBY_2016,
    )
    assert (under.neet_met, under.not_known_met) == (True, True)


# --------------------------------------------------------------------------- deep dive


def test_deep_dive_groups() -> None:
    people = ["Y1", "Y2", "Y3", "Y4", "Y5"]
    neet = pl.DataFrame({"person_id": people, "date_of_birth": [dt.date(1997, 3, 1)] * 5,
                         "record_month": [MARCH] * 5,
                         "activity_code": ["540", "810", "130", "540", "620"]})  # fmt: skip
    tables = {
        "neet": neet,
        "social_care_episodes": pl.DataFrame(
            {
                "person_id": ["Y1", "Y2"],
                "kind": ["cic", "cic"],
                "started": [dt.date(2010, 1, 1)] * 2,
                "ended": [dt.date(2015, 3, 31), dt.date(2015, 4, 1)],
            }
        ),  # Y2 leaves care after March
        "characteristics": pl.DataFrame(
            {
                "person_id": ["Y3", "Y5"],
                "characteristic": ["sen", "teenage_parent"],
                "start": [dt.date(2010, 1, 1), dt.date(2015, 3, 31)],
                "end": [dt.date(2015, 3, 1), None],
            }
        ),  # Y3's SEN ends on the month's first day
        "yos_episodes": pl.DataFrame({"person_id": ["Y4"], "started": [dt.date(2015, 4, 1)]}),
        "cases": pl.DataFrame({"person_id": ["Y4"], "opened": [dt.date(2015, 3, 31)]}),
    }
    found = eh.instruments.neet_by_group(tables, DEF_2014, [MARCH])
    counts = {g.value: (f.cohort, f.neet, f.not_known) for g, f in found.items()}
    assert counts == {
        "all": (5, 3, 1),
        "care_leaver": (1, 1, 0),
        "teenage_parent": (1, 1, 0),
        "sen": (1, 0, 0),
        "youth_offending": (0, 0, 0),
        "early_help": (1, 1, 0),
    }


@given(neet_batches())
def test_every_group_is_within_the_cohort(records: list[eh.model.NeetRecord]) -> None:
    frame = to_frame(records)
    tables = {"neet": frame, "cases": frame.select("person_id", opened=pl.lit(dt.date(2014, 1, 1)))}
    months = list(DEF_2014.snapshot_months(2014))
    found = eh.instruments.neet_by_group(tables, DEF_2014, months)
    whole = found[eh.instruments.VulnerableGroup.ALL]
    assert whole == eh.instruments.neet_figures(frame, DEF_2014, months=months)
    for figures in found.values():
        assert figures.cohort <= whole.cohort
        assert figures.neet <= whole.neet
    assert found[eh.instruments.VulnerableGroup.EARLY_HELP] == whole


# --------------------------------------------------------------------------- the report


def test_report_figures_are_reproduced() -> None:
    figures = reproduce_neet()
    assert [(f.published, f.computed, f.match) for f in figures] == [
        ("5.9%", "5.9%", True),
        ("3.4%", "3.4%", True),
    ]
    assert all("smallest cohort" in f.note for f in figures)


def test_the_report_cohort_is_the_smallest() -> None:
    """No smaller cohort prints both figures under truncation (checked by integer floors)."""
    cohort, unknown, neet = smallest_cohort("5.9", "3.4")

    def prints(n: int, k: int, m: int) -> bool:
        return 1000 * k // n == 34 and n > k and 1000 * m // (n - k) == 59

    assert prints(cohort, unknown, neet)
    assert not any(
        prints(n, k, m) for n in range(1, cohort) for k in range(n + 1) for m in range(n - k + 1)
    )
    assert report_neet().height == cohort


# --------------------------------------------------------------------------- catalogue measures


def test_catalogue_neet_measures_agree_with_the_instrument() -> None:
    data = demo_dataset()
    results = eh.compute(data, profile="derby-2014-15", period="2014-15", by="city",
                         measures=["neet_rate", "not_known_rate"])  # fmt: skip
    figures = eh.instruments.neet_figures(data["neet"], DEF_2014, academic_year=2014)
    neet = results["neet_rate", "2014-15", "city"]
    unknown = results["not_known_rate", "2014-15", "city"]
    assert (neet.numerator, neet.denominator) == (figures.neet, figures.known)
    assert (unknown.numerator, unknown.denominator) == (figures.not_known, figures.cohort)
    assert neet.value == figures.neet_rate
    assert len(results.records("neet_rate", "2014-15", "city")) == figures.neet


@settings(max_examples=25)
@given(st.lists(st.tuples(st.dates(dt.date(1996, 1, 1), dt.date(2001, 12, 31)),
                          st.sampled_from([dt.date(y, m, 1) for y in (2015, 2016, 2017)
                                           for m in range(1, 13)]),
                          st.sampled_from(sorted(CATEGORIES))), max_size=20),
       st.sampled_from(["2015-16", "2016-17"]))  # fmt: skip
def test_catalogue_neet_measure_uses_the_definition_in_force(
    rows: list[tuple[dt.date, dt.date, str]], year: str
) -> None:
    """Each financial year averages its own academic year's definition: ages, months, base."""
    frame = pl.DataFrame(
        {
            "person_id": [f"Y{i}" for i in range(len(rows))],
            "date_of_birth": [r[0] for r in rows],
            "record_month": [r[1] for r in rows],
            "activity_code": [r[2] for r in rows],
        },
        schema={
            "person_id": pl.String,
            "date_of_birth": pl.Date,
            "record_month": pl.Date,
            "activity_code": pl.String,
        },
    )
    data = eh.Dataset.load({"neet": frame})
    results = eh.compute(data, profile="derby-2014-15", period=year, by="city",
                         measures=["neet_rate", "not_known_rate"])  # fmt: skip
    start = int(year[:4])
    definition = eh.instruments.neet_cohort_definition(start)
    figures = eh.instruments.neet_figures(frame, definition, academic_year=start)
    neet = results["neet_rate", year, "city"]
    unknown = results["not_known_rate", year, "city"]
    base = (
        figures.known
        if definition.neet_denominator is eh.instruments.NeetDenominator.KNOWN
        else figures.cohort
    )
    assert (neet.numerator or 0, neet.denominator or 0) == (figures.neet, base)
    assert (unknown.numerator or 0, unknown.denominator or 0) == (figures.not_known, figures.cohort)
