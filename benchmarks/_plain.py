"""What the plain scripts share: the periods asked for and the profile's parameters.

Both plain scripts (``_plain_polars.py``, ``_plain_pandas.py``) compute every
casework and statutory measure of the catalogue for two financial years,
2013-14 and 2014-15, each with its four quarters, for every team, locality and
the city, from the definitions (not from earlyhelp's code):

* stock: open at the end of the period's last day: opened (started) on or
  before it and not closed (ended) on or before it;
* flow: an event dated in the period, both ends inclusive;
* every measure of the catalogue as of the merge of the audit and NEET measures,
  except the two NEET rates (cohort definitions by academic age and NCCIS
  activity codes: not re-implemented here; earlyhelp computes them in the timed
  run all the same, and they are left out of the comparison);
* case file audits: completion of the audits scheduled in the period, and the
  grades of audits completed in the period that are good or better on the
  audit's scale (by measure graded), both in force from 2014-15;
* re-referral (profile ``derby-2014-15``, rule RR-3M): a referral dated after
  the closure of a case of the same child and no more than 3 calendar months
  after it (the day 3 months on clamped at month end), other than the case the
  referral opened;
* step-up (rule ESC-1): a case closed with reason ``escalated_to_social_care``;
* spider graphs (SG-TOTAL), surveys (HWIFY-ALL-FORMS) and starts of plans and
  care after early help (PEH-24M): see the constants below;
* team around the family involvements are not computed: the measure is in
  force from 2015-16, so earlyhelp reports it as not in force for these years;
* figures are sums per team, per locality (a team's locality from ``teams``)
  and for the city; a ratio's numerator and denominator are summed separately.
  Every team, locality and the city has a total for every period (zero if
  nothing counted); breakdown rows (route, closure reason) only where counted.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

#: derby-2014-15, rule RR-3M: months after the closure of an earlier case.
REREFERRAL_MONTHS: Final = 3
#: derby-2014-15, rule ESC-1: the closure reasons that are a step-up to social care.
STEP_UP: Final = ("escalated_to_social_care",)
#: derby-2014-15, rule PEH-24M: early help counts when a case of the child was open on
#: a day from 24 calendar months before a statutory start to the day before it.
PRIOR_MONTHS: Final = 24
#: derby-2014-15, rule SG-TOTAL: a spider graph improves when its scales' changes from
#: the start reading to the latest (each oriented so better is positive) add up to > 0.
#: rule HWIFY-ALL-FORMS: a survey percentage is of every form received, answered or not.
SURVEY_QUESTIONS: Final = {
    "survey_respected_rate": "respected",
    "survey_listened_to_rate": "listened_to",
    "survey_helped_rate": "helped",
}
#: Case file audit grading scales: the "good" grade and whether higher is better.
GOOD_GRADE: Final = {"derby-0-4": (3, True), "ofsted-1-4": (2, False)}
#: Measures in force only from 2014-15 (earlyhelp reports 2013-14 as not in force).
FROM_2014: Final = ("audit_completion_rate", "audit_good_or_better_rate")
#: Statutory kinds whose starts are counted by prior early help.
PRIOR: Final = {
    "cp": "cp_starts_with_prior_early_help_rate",
    "cic": "care_starts_with_prior_early_help_rate",
}
CITY: Final = "city"
YEARS: Final = (2013, 2014)
FIRST: Final = dt.date(YEARS[0], 4, 1)
LAST: Final = dt.date(YEARS[-1] + 1, 3, 31)

#: Social care episode kinds and the measures counting them (count, rate per 10,000).
STATUTORY: Final = {
    "cin": ("cin_cases", "cin_rate"),
    "cp": ("cp_plans", "cp_rate"),
    "cic": ("children_in_care", "cic_rate"),
}
#: Measures recorded by locality, not by team.
BY_LOCALITY: Final = (
    *(name for pair in STATUTORY.values() for name in pair),
    "open_to_yos",
    *PRIOR.values(),
)
#: Count measures (no denominator); every other measure is a ratio.
COUNTS: Final = (
    "new_referrals",
    "open_cases",
    "ehas_completed",
    "rereferrals",
    "cases_closed",
    "onward_referrals",
    "early_help_level_2_cases",
    "escalations",
    "cin_cases",
    "cp_plans",
    "children_in_care",
    "open_to_yos",
    "spider_graphs_completed",
    "surveys_received",
)


def year_label(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def periods() -> list[tuple[str, dt.date, int]]:
    """(label, last day, financial year) of every period: quarters, then the year."""
    out = []
    for year in YEARS:
        ends = [
            dt.date(year, 6, 30),
            dt.date(year, 9, 30),
            dt.date(year, 12, 31),
            dt.date(year + 1, 3, 31),
        ]
        out += [(f"{year_label(year)} Q{i + 1}", end, year) for i, end in enumerate(ends)]
        out.append((year_label(year), ends[-1], year))
    return out
