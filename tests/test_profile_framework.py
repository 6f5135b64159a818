"""A council's framework from its profile: names, measures in force, quarterly lines, wording.

The county profile (``northmoor``) differs from Derby's in every setting a
profile can make; its report, measure pages and command output must read as
the county's throughout.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
from pathlib import Path

import polars as pl
import pytest

import earlyhelp as eh
from demo_data import demo_dataset, demo_report
from earlyhelp.errors import ProfileError
from earlyhelp.measures import CATALOGUE, catalogue_for, measure_page_rst, wording
from earlyhelp.profiles import (
    MeasureEntry,
    Names,
    Profile,
    QuarterlyTable,
    load_profile,
    profile_from_data,
)
from earlyhelp.report import quarterly_lines, render_html, render_markdown
from earlyhelp.rules import PlacedBy, RateDenominator, RereferralRule, flag_rereferrals

D = dt.date
DERBY = load_profile("derby-2014-15")
COUNTY = load_profile("northmoor")

# Words the county's profile replaces: Derby's name, its area and locality words, its window.
NOT_THE_COUNTY = ("Derby", "city", "City", "localit", "Localit", "3 months", "three months")


@functools.cache
def _county_report() -> eh.report.Report:
    return eh.build_annual_report(demo_dataset(), profile=COUNTY, year="2014-15")


def _visible_text(page: str) -> str:
    """The text a reader sees: element text and the alt and title attributes."""
    attributes = " ".join(re.findall(r'(?:alt|title|aria-label)="([^"]*)"', page))
    body = re.sub(r"<style.*?</style>|<script.*?</script>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body) + " " + attributes)


# --------------------------------------------------------------------------- the county profile


def test_the_county_profile_declares_a_different_framework() -> None:
    assert COUNTY.council == "Northmoor County Council"
    assert COUNTY.names == Names(area="county", locality="area", team="team", area_name="Northmoor")
    (rule,) = COUNTY.versions(RereferralRule)
    assert (rule.window.months, rule.window.anchor_inclusive, rule.window.far_inclusive) == (
        12,
        True,
        True,
    )
    assert rule.match_on.value == "family"
    assert rule.placed_by is PlacedBy.CASE_OPENED
    assert rule.denominator is RateDenominator.CASES_OPENED
    county = catalogue_for(COUNTY, CATALOGUE)
    assert county.ids() == CATALOGUE.ids()  # "*": every measure
    for item in county:
        assert item.effective.start == D(2011, 4, 1), item.measure_id
        assert item.citation.document.startswith("Northmoor County Council"), item.measure_id


def test_derby_reports_every_measure_as_before() -> None:
    """Derby's entries give each measure the dates the catalogue declares, and Derby's citation."""
    derby = catalogue_for(DERBY, CATALOGUE)
    assert derby.ids() == CATALOGUE.ids()
    for item in derby:
        assert item.effective == CATALOGUE[item.measure_id].effective, item.measure_id
        assert item.citation != CATALOGUE[item.measure_id].citation  # Derby's, not the catalogue's
    assert derby["audit_completion_rate"].effective.start == D(2014, 4, 1)
    assert derby["rereferrals"].title == "Cases re-referred within 3 months of closure"


def test_the_generic_catalogue_cites_no_council() -> None:
    for item in CATALOGUE:
        assert "Derby" not in str(item.citation), item.measure_id
        assert "Derby" not in item.title + item.description, item.measure_id


def _profile(extra: dict[str, object]) -> Profile:
    return profile_from_data({"profile": {"id": "t", "title": "Test"}, **extra}, source="test.toml")


def test_a_profile_reports_only_the_measures_it_lists() -> None:
    cite = {"document": "Test framework"}
    entries = [
        {"id": "M1", "effective_from": D(2010, 4, 1), "citation": cite, "measure": "open_cases"},
        {
            "id": "M2",
            "effective_from": D(2015, 4, 1),
            "citation": cite,
            "measure": "escalation_rate",
            "title": "Step-ups",
        },
    ]
    prof = _profile({"measures": entries})
    chosen = catalogue_for(prof, CATALOGUE)
    assert chosen.ids() == ("open_cases", "escalation_rate")
    assert chosen["escalation_rate"].title == "Step-ups"
    results = eh.compute(demo_dataset(), profile=prof, period="2014-15", by="city")
    assert results.catalogue.ids() == ("open_cases", "escalation_rate")
    assert results["open_cases", "2014-15", "city"].numerator is not None
    # in force from 2015-04-01 only: 2014-15 is "not in force", never zero
    assert results["escalation_rate", "2014-15", "city"].missing is not None


def test_two_entries_for_one_measure_in_force_together_are_an_error() -> None:
    cite = {"document": "Test framework"}
    entries = [
        {"id": "M1", "effective_from": D(2010, 4, 1), "citation": cite, "measure": "open_cases"},
        {"id": "M2", "effective_from": D(2012, 4, 1), "citation": cite, "measure": "open_cases"},
    ]
    with pytest.raises(ProfileError, match=r"M1 .* and M2 .* for measure 'open_cases'"):
        _profile({"measures": entries})


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("placed_by", "closure", "expected one of referral, case_opened"),
        ("denominator", "caseloads", "expected one of quarter_end_caseloads, cases_opened"),
    ],
)
def test_a_misspelt_rereferral_option_is_named(key: str, value: str, expected: str) -> None:
    rule = {
        "id": "RR",
        "effective_from": D(2013, 4, 1),
        "citation": {"document": "x"},
        "anchor": "previous_closure",
        "months": 3,
        "anchor_inclusive": False,
        "far_inclusive": True,
        key: value,
    }
    with pytest.raises(ProfileError, match=f"rereferral\\[1\\]\\.{key}: {expected}"):
        _profile({"rereferral": [rule]})


def test_names_are_checked() -> None:
    with pytest.raises(ProfileError, match=r"names\.area: expected a word"):
        _profile({"names": {"area": " "}})
    with pytest.raises(ProfileError, match=r"names\.town: unexpected key"):
        _profile({"names": {"town": "Derby"}})


# --------------------------------------------------------------------------- wording


def test_wording_is_generated_from_the_rule_in_force() -> None:
    base = COUNTY.versions(RereferralRule)[0]
    for months, expected in ((1, "within 1 month of closure"), (12, "within 12 months of closure")):
        changed = base.__class__(
            rule_id="X",
            effective=base.effective,
            citation=base.citation,
            anchor=base.anchor,
            window=eh.periods.MonthWindow(months, anchor_inclusive=True),
        )
        prof = COUNTY.with_rules(RereferralRule, [changed])
        assert wording(prof)["rereferral_window"] == expected
        assert (
            catalogue_for(prof, CATALOGUE)["rereferrals"].title == f"Cases re-referred {expected}"
        )


def test_the_county_report_reads_as_the_county_throughout() -> None:
    """#14: every title, label and sentence follows the county's profile."""
    report = _county_report()
    page = render_html(report)
    markdown = render_markdown(report)
    for text in (_visible_text(page), markdown):
        for word in NOT_THE_COUNTY:
            found = [m.start() for m in re.finditer(re.escape(word), text)]
            assert not found, (word, [text[max(0, i - 80) : i + 40] for i in found[:3]])
        assert "within 12 months of closure" in text
        assert "Northmoor" in text
    titles = [section.title for section in report.sections]
    assert all("city" not in title.lower() for title in titles)
    labels = report.sections[0].blocks[1].frame["line"].to_list()
    table, declared = quarterly_lines(COUNTY, catalogue_for(COUNTY, CATALOGUE), D(2015, 3, 31))
    assert declared
    assert labels == [line.label for line in table.lines]
    assert "Families re-referred" in labels


def test_derby_report_keeps_its_own_words() -> None:
    report = demo_report()
    markdown = render_markdown(report)
    assert "Cases re-referred within 3 months of closure" in markdown
    assert "for Derby" in markdown
    assert "12 months of closure" not in markdown
    labels = report.sections[0].blocks[1].frame["line"].to_list()
    assert labels[:2] == ["Early help / level 2 cases", "CiN cases"]


def test_a_profile_without_quarterly_lines_gets_them_from_its_measures() -> None:
    table, declared = quarterly_lines(
        load_profile("cin-census"),
        catalogue_for(load_profile("cin-census"), CATALOGUE),
        D(2015, 3, 31),
    )
    assert not declared
    measures = [line.measure_id for line in table.lines]
    assert "open_cases" in measures
    assert "escalation_rate" in measures
    assert sum(line.chart.value == "rate" for line in table.lines) == 1
    keys = [line.key for line in table.lines]
    assert len(set(keys)) == len(keys)
    without = DERBY.with_rules(QuarterlyTable, [])  # Derby's rules, no table of its own
    table, declared = quarterly_lines(without, catalogue_for(without, CATALOGUE), D(2015, 3, 31))
    assert not declared
    report = eh.build_annual_report(demo_dataset(), profile=without, year="2014-15")
    assert report.sections[0].blocks[1].frame["line"].to_list() == [
        line.label for line in table.lines
    ]


def test_the_county_measure_pages_follow_its_profile() -> None:
    county = catalogue_for(COUNTY, CATALOGUE)
    pages = {item.measure_id: measure_page_rst(item, COUNTY.names) for item in county}
    for measure_id, page in pages.items():
        for word in NOT_THE_COUNTY:
            assert word not in page, (measure_id, word)
        assert "{" not in page.replace("``", ""), measure_id  # every placeholder filled
    assert pages["rereferrals"].startswith("Cases re-referred within 12 months of closure")
    assert "cases opened in the period" in pages["rereferral_rate"]
    derby_page = measure_page_rst(catalogue_for(DERBY, CATALOGUE)["rereferrals"], DERBY.names)
    assert "within 3 months of closure" in derby_page
    assert "to localities to the city" in derby_page


# --------------------------------------------------------------------------- placed by case opened


def _frames(
    referrals: list[tuple[str, str, str, dt.date]],
    cases: list[tuple[str, str, str, str | None, dt.date, dt.date | None]],
) -> tuple[pl.DataFrame, pl.DataFrame]:
    refs = pl.DataFrame(
        referrals,
        schema={
            "referral_id": pl.String,
            "person_id": pl.String,
            "family_id": pl.String,
            "referral_date": pl.Date,
        },
        orient="row",
    )
    episodes = pl.DataFrame(
        cases,
        schema={
            "episode_id": pl.String,
            "person_id": pl.String,
            "family_id": pl.String,
            "referral_id": pl.String,
            "opened": pl.Date,
            "closed": pl.Date,
        },
        orient="row",
    )
    return refs, episodes


@pytest.mark.parametrize(
    ("closed", "opened", "expected"),
    [
        # the closure day itself is inside the county's window
        (D(2014, 6, 30), D(2014, 6, 30), True),
        # twelve calendar months on, clamped at month end, is the window's last day
        (D(2014, 2, 28), D(2015, 2, 28), True),
        (D(2014, 2, 28), D(2015, 3, 1), False),
        # leap year: 29/02/2016 + 12 months = 28/02/2017
        (D(2016, 2, 29), D(2017, 2, 28), True),
        (D(2016, 2, 29), D(2017, 3, 1), False),
        # 28/02/2015 + 12 months = 28/02/2016: the leap day after it is outside
        (D(2015, 2, 28), D(2016, 2, 28), True),
        (D(2015, 2, 28), D(2016, 2, 29), False),
        # a case opened before the closure is not after it
        (D(2014, 6, 30), D(2014, 6, 29), False),
    ],
)
def test_the_county_judges_by_the_case_opened_date(
    closed: dt.date, opened: dt.date, expected: bool
) -> None:
    """The referral is dated long before; only the new case's opening date is judged."""
    refs, cases = _frames(
        [("R-OLD", "P-1", "F-1", D(2012, 1, 1)), ("R-NEW", "P-2", "F-1", D(2011, 5, 1))],
        [
            ("C-OLD", "P-1", "F-1", "R-OLD", D(2012, 1, 2), closed),
            ("C-NEW", "P-2", "F-1", "R-NEW", opened, None),
        ],
    )
    flags = flag_rereferrals(refs, cases, profile=COUNTY, explain=True)
    row = flags.filter(pl.col("referral_id") == "R-NEW").row(0, named=True)
    assert row["rereferral"] is expected
    assert row["judged_on"] == opened
    assert row["matched_id"] == ("C-OLD" if expected else None)
    day = f"{opened:%d/%m/%Y}"
    if expected:
        assert row["explanation"].startswith(f"Re-referral: case opened {day}, within 12 months")
    else:
        assert f"{day} (the date the case opened)" in row["explanation"]
    assert "placed_by = case_opened" in row["explanation"]


def test_closure_day_outside_the_window_under_derby() -> None:
    """Derby's window leaves the closure day out and judges by the referral date."""
    refs, cases = _frames(
        [("R-NEW", "P-1", "F-1", D(2014, 6, 30))],
        [("C-OLD", "P-1", "F-1", None, D(2014, 1, 2), D(2014, 6, 30))],
    )
    row = flag_rereferrals(refs, cases, profile=DERBY).row(0, named=True)
    assert row["rereferral"] is False
    assert row["judged_on"] == D(2014, 6, 30)


def test_a_referral_that_opened_no_case_is_not_a_rereferral_by_case_opened() -> None:
    refs, cases = _frames(
        [("R-NEW", "P-1", "F-1", D(2014, 7, 1))],
        [("C-OLD", "P-1", "F-1", None, D(2014, 1, 2), D(2014, 6, 30))],
    )
    row = flag_rereferrals(refs, cases, profile=COUNTY, explain=True).row(0, named=True)
    assert row["rereferral"] is False
    assert row["judged_on"] is None
    assert "opened no case" in row["explanation"]


def test_a_period_holds_the_rereferrals_whose_case_opened_in_it() -> None:
    """Referred in March 2014 (2013-14), case opened in April 2014: counted in 2014-15."""
    refs, cases = _frames(
        [("R-NEW", "P-2", "F-1", D(2014, 3, 31))],
        [
            ("C-OLD", "P-1", "F-1", None, D(2013, 1, 2), D(2013, 6, 30)),
            ("C-NEW", "P-2", "F-1", "R-NEW", D(2014, 4, 1), None),
        ],
    )
    assert flag_rereferrals(refs, cases, profile=COUNTY, period="2013-14").height == 0
    (row,) = flag_rereferrals(refs, cases, profile=COUNTY, period="2014-15").rows(named=True)
    assert (row["rereferral"], row["judged_on"]) == (True, D(2014, 4, 1))
    derby = DERBY.with_rules(RereferralRule, DERBY.versions(RereferralRule))
    assert flag_rereferrals(refs, cases, profile=derby, period="2014-15").height == 0


# --------------------------------------------------------------------------- the rate's denominator


def _with(denominator: RateDenominator, placed_by: PlacedBy = PlacedBy.REFERRAL) -> Profile:
    (rule,) = DERBY.versions(RereferralRule)
    changed = rule.__class__(
        rule_id=rule.rule_id,
        effective=rule.effective,
        citation=rule.citation,
        anchor=rule.anchor,
        window=rule.window,
        match_on=rule.match_on,
        exclude_same_case=rule.exclude_same_case,
        placed_by=placed_by,
        denominator=denominator,
    )
    return DERBY.with_rules(RereferralRule, [changed])


@pytest.mark.parametrize("placed_by", list(PlacedBy))
@pytest.mark.parametrize("denominator", list(RateDenominator))
def test_the_rate_denominator_follows_the_rule(
    denominator: RateDenominator, placed_by: PlacedBy
) -> None:
    data = demo_dataset()
    prof = _with(denominator, placed_by)
    results = eh.compute(
        data, profile=prof, period="2014-15", by="city", measures=["rereferral_rate"]
    )
    year = eh.FinancialYear(2014)
    cases, referrals = data["cases"], data["referrals"]
    expected_denominator = {
        RateDenominator.CASES_OPENED: cases.filter(
            pl.col("opened").is_between(year.start, year.end)
        ).height,
        RateDenominator.REFERRALS: referrals.filter(
            pl.col("referral_date").is_between(year.start, year.end)
        ).height,
        RateDenominator.QUARTER_END_CASELOADS: sum(
            cases.filter(
                (pl.col("opened") <= q.end)
                & (pl.col("closed").is_null() | (pl.col("closed") > q.end))
            ).height
            for q in year.quarters()
        ),
    }[denominator]
    flags = flag_rereferrals(referrals, cases, profile=prof, period="2014-15")
    result = results["rereferral_rate", "2014-15", "city"]
    assert result.denominator == expected_denominator
    assert result.numerator == flags.filter(pl.col("rereferral")).height
    for quarter in year.quarters():
        part = results["rereferral_rate", quarter.label, "city"]
        in_quarter = flags.filter(
            pl.col("rereferral") & pl.col("judged_on").is_between(quarter.start, quarter.end)
        )
        assert part.numerator == in_quarter.height
    item = results.catalogue["rereferral_rate"]
    assert item.denominator is not None
    assert item.denominator.table == (
        "referrals" if denominator is RateDenominator.REFERRALS else "cases"
    )


def test_quarterly_table_entries_are_read_strictly() -> None:
    table = {
        "id": "Q",
        "effective_from": D(2013, 4, 1),
        "citation": {"document": "x"},
        "lines": [
            {"key": "a", "measure": "open_cases", "label": "Open", "chart": "rate"},
            {"key": "a", "measure": "escalation_rate", "label": "Esc", "chart": "rate"},
        ],
    }
    with pytest.raises(ProfileError) as caught:
        _profile({"quarterly": [table]})
    message = str(caught.value)
    assert "quarterly[1].lines: expected each line's key once" in message
    assert "at most one line drawn as the rate chart" in message
    assert isinstance(COUNTY.versions(QuarterlyTable)[0], QuarterlyTable)
    assert MeasureEntry in {type(entry) for entry in COUNTY.versions(MeasureEntry)}


# --------------------------------------------------------------------------- the county's own codes


def test_the_county_closure_codes_map_onto_the_canonical_ones(tmp_path: Path) -> None:
    """The county's own closure-reason codes, as its export writes them, load as canonical."""
    local = {
        "outcomes_met": "NM01 Needs met",
        "escalated_to_social_care": "NM02 Stepped up to children's social care",
        "stepped_down_to_universal": "NM03 Stepped down to universal services",
        "disengaged_or_declined": "NM04 Family declined or disengaged",
        "moved_away": "NM05 Moved out of county",
        "other": "NM07 Transferred to another provider",
    }
    profile = Path(eh.profiles.__file__).parent / "northmoor.toml"
    demo = demo_dataset()
    folder = tmp_path / "export"
    folder.mkdir()
    demo["teams"].write_csv(folder / "teams.csv")
    demo["referrals"].write_csv(folder / "referrals.csv")
    demo["cases"].with_columns(pl.col("closure_reason").replace(local)).write_csv(
        folder / "cases.csv"
    )
    mapped = eh.load(folder, profile=profile)
    assert mapped.report.ok, str(mapped.report)
    assert mapped["cases"]["closure_reason"].to_list() == demo["cases"]["closure_reason"].to_list()
    asked = {"period": "2014-15", "by": "city", "measures": ["escalation_rate"]}
    ours = eh.compute(mapped, profile=profile, **asked)["escalation_rate", "2014-15", "city"]
    canonical = eh.compute(demo, profile=COUNTY, **asked)["escalation_rate", "2014-15", "city"]
    assert ours.numerator == canonical.numerator
    assert ours.numerator is not None
    assert ours.numerator > 0
