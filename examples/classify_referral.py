"""Classify one referral as a council application would, and show the worker why.

Run it with ``python examples/classify_referral.py``. It builds the indicators a
worker recorded on one referral, classifies the referral against the source
city's threshold levels (profile ``derby-2014-15``), prints the explanation and
the JSON an application would store in its audit log, then checks whether a
child in need (level 3) case may be held in early help, with and without a
completed single assessment. Records are named by id only: nothing printed is
personal data.
"""

from __future__ import annotations

import datetime as dt
import json

import earlyhelp as eh
from earlyhelp import classify
from earlyhelp.rules import is_cin_allowed_in_early_help

PROFILE = "derby-2014-15"


def main() -> None:
    # The indicators the worker ticked on referral R-1001 (the table's inputs only).
    indicators = {"acute_risk": False, "complex_needs": True, "emerging_needs": True}
    decision = classify(
        indicators, as_of=dt.date(2015, 2, 10), subject="referral R-1001", profile=PROFILE
    )
    print(decision)
    print()
    print("As stored in the audit log:")
    print(json.dumps(json.loads(decision.to_json()), indent=2))

    # The referral opened a case at level 3: may an early help team hold it?
    case = eh.model.EarlyHelpCase(
        episode_id="C-2001",
        person_id="P-0001",
        referral_id="R-1001",
        team_id="T1U",
        locality_id="L1",
        opened=dt.date(2015, 4, 20),
        level_of_need=decision.outcome,
    )
    assessment = eh.model.SingleAssessment(
        assessment_id="SA-3001",
        person_id="P-0001",
        started=dt.date(2015, 3, 30),
        completed=dt.date(2015, 4, 14),
        by_qualified_social_worker=True,
    )
    for assessments in ([], [assessment]):
        print()
        print(is_cin_allowed_in_early_help(case, single_assessments=assessments, profile=PROFILE))


if __name__ == "__main__":
    main()
