"""Why one statutory start counts (or not) as having early help before it.

The per-record twin of :func:`~earlyhelp.cohorts._prior.prior_starts`: it reads
only the one child's cases and referrals, chooses the same case and referral by
the same rules, and returns a :class:`~earlyhelp.rules.Decision` that names them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from earlyhelp.cohorts._lookback import window_days
from earlyhelp.cohorts._starts import statutory_starts
from earlyhelp.io._dataset import Dataset
from earlyhelp.periods._dates import uk_date
from earlyhelp.profiles._applying import ProfileLike, no_rule_in_force, resolve_profile
from earlyhelp.profiles._dating import OnMissing, in_force
from earlyhelp.rules._decision import Decision, Fact, Step

__all__ = ["explain_prior_early_help"]

_LATEST = dt.date(9999, 12, 31)


def _start(data: Dataset, record_id: str) -> dict[str, Any]:
    found = statutory_starts(data).filter(pl.col("record_id") == record_id).collect()
    if found.height != 1:
        msg = f"no statutory episode {record_id!r} in social_care_episodes or yos_episodes"
        raise KeyError(msg)
    return found.row(0, named=True)


def _case_key(case: dict[str, Any]) -> tuple[int, int, str]:
    closed = case["closed"] or _LATEST
    # latest closure first, then latest opening, then the smallest id
    return (-closed.toordinal(), -case["opened"].toordinal(), case["episode_id"])


def explain_prior_early_help(data: Dataset, record_id: str, *, profile: ProfileLike) -> Decision:
    """Whether the child of one statutory start had early help before it, and which.

    The outcome is ``True`` when the child *accessed* early help in the
    look-back window (a case open on a day of it), as :func:`prior_early_help`
    counts; the trace names the case, its dates, how it closed and how many
    days before the start, and the latest referral in the window.

    Args:
        data: the dataset.
        record_id: a ``social_care_episodes`` or ``yos_episodes`` episode id.
        profile: its ``prior_early_help`` rule gives the look-back window.

    Raises:
        KeyError: no statutory episode has that id.
        NoRuleInForceError: no version is in force on the start date (strict).

    Example:
        >>> import datetime as dt
        >>> import earlyhelp as eh
        >>> data = eh.Dataset.from_records(
        ...     cases=[eh.model.EarlyHelpCase(
        ...         episode_id="C-1", person_id="P-1", team_id="T1", locality_id="L1",
        ...         opened=dt.date(2014, 3, 3), closed=dt.date(2014, 11, 30),
        ...         closure_reason="escalated_to_social_care")],
        ...     social_care_episodes=[eh.model.SocialCareEpisode(
        ...         episode_id="S-1", person_id="P-1", kind="cp", started=dt.date(2014, 12, 1))],
        ... )
        >>> print(eh.explain_prior_early_help(data, "S-1", profile="derby-2014-15"))
        Early help before: child protection plan S-1 started 01/12/2014; case C-1 closed 30/11/2014, 1 day before, as escalated_to_social_care
        Decided on 01/12/2014 under profile derby-2014-15:
        - rule PEH-24M applies: case C-1 was open 03/03/2014 to 30/11/2014, within the look-back 01/12/2012 to 30/11/2014
          read: record_id = S-1; started = 01/12/2014; case = C-1; referral = -
          using: window = within 24 calendar months before (anchor day excluded, last day included) (in force from 01/04/2013)
          source: Derby City Council: the impact of early help services, 2014-15, children subject to child protection plans and in care who have been offered and accessed early help services in the past
    """
    rules = resolve_profile(profile)
    start = _start(data, record_id)
    started, kind = start["started"], start["kind"]
    names = {"cin": "child in need episode", "cp": "child protection plan", "cic": "period in care"}
    subject = f"{names.get(kind, 'youth offending episode')} {record_id}"
    decided = {"question": "early help before", "subject": subject, "profile": rules.profile_id}
    rule = in_force(rules.versions("prior_early_help"), started)
    if rule is None:
        if rules.on_missing is OnMissing.STRICT:
            raise no_rule_in_force(
                "prior early help", started, rules, f"statutory episode {record_id}"
            )
        summary = f"No decision: no prior early help rule is in force on {uk_date(started)}"
        return Decision(**decided, as_of=started, outcome=None, summary=summary)
    first, last = window_days(rule.window, started)
    person = start["person_id"]
    cases = [
        case
        for case in data["cases"].filter(pl.col("person_id") == person).iter_rows(named=True)
        if case["opened"] <= last and (case["closed"] is None or case["closed"] >= first)
    ]
    referrals = sorted(
        (
            ref
            for ref in data["referrals"].filter(pl.col("person_id") == person).iter_rows(named=True)
            if first <= ref["referral_date"] <= last
        ),
        key=lambda ref: (-ref["referral_date"].toordinal(), ref["referral_id"]),
    )
    referral = referrals[0]["referral_id"] if referrals else "-"
    span = f"the look-back {uk_date(first)} to {uk_date(last)}"
    head = f"{subject} started {uk_date(started)}"
    if cases:
        case = min(cases, key=_case_key)
        closed = case["closed"]
        ended = uk_date(closed) if closed is not None else "still open"
        why = f"case {case['episode_id']} was open {uk_date(case['opened'])} to {ended}, within {span}"
        if closed is not None and closed <= started:
            days = (started - closed).days
            plural = "" if days == 1 else "s"
            how = (
                f"closed {uk_date(closed)}, {days} day{plural} before, as {case['closure_reason']}"
            )
        else:
            how = "open when it started"
        summary = f"Early help before: {head}; case {case['episode_id']} {how}"
        found = case["episode_id"]
    else:
        offered = f"; referral {referral} in the window" if referrals else ""
        why = f"no early help case of the child was open within {span}{offered}"
        summary = f"No early help before: {head}{offered}"
        found = "-"
    step = Step(
        rule_id=rule.rule_id,
        effective=rule.effective,
        citation=rule.citation,
        inputs=(
            Fact(name="record_id", value=record_id),
            Fact(name="started", value=uk_date(started)),
            Fact(name="case", value=found),
            Fact(name="referral", value=referral),
        ),
        parameters=(Fact(name="window", value=rule.window.describe()),),
        fired=bool(cases),
        reason=why,
    )
    return Decision(**decided, as_of=started, outcome=bool(cases), summary=summary, steps=(step,))
