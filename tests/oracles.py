"""Independent plain-Python answers to rule questions, to test the library's one definitions.

Each rule family is defined once in ``earlyhelp``, as a polars evaluation. These
oracles restate a few families in plain Python, record by record, straight from
their specification (the docstrings and the design notes), without calling the
library's rule code: month arithmetic uses :mod:`calendar`, windows compare
dates, the version in force is a loop. Tests check the library against them on
generated data; they are never used by the library.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole calendar months, clamped to the last day of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def in_window(
    months: int, anchor_inclusive: bool, far_inclusive: bool, anchor: dt.date, day: dt.date
) -> bool:
    """Whether ``day`` is inside the window of ``months`` from ``anchor`` with the declared ends."""
    far = add_months(anchor, months)
    if day == anchor:
        return anchor_inclusive
    if day == far:
        return far_inclusive
    low, high = (anchor, far) if months > 0 else (far, anchor)
    return low < day < high


def version_in_force(versions: Sequence[Any], day: dt.date) -> Any | None:
    """The first version whose effective span (both ends inclusive) holds ``day``."""
    for version in versions:
        start, end = version.effective.start, version.effective.end
        if dt.date(start.year, start.month, start.day) <= day and (
            end is None or day <= dt.date(end.year, end.month, end.day)
        ):
            return version
    return None


def rereferral(
    rules: Sequence[Any], referral: Any, cases: Iterable[Any], referrals: Iterable[Any]
) -> tuple[bool | None, str | None, str | None, dt.date | None]:
    """``(re-referral?, matched id, rule id, judged on)`` for one referral, by the documented definition.

    The version in force on the referral date decides; no version: ``(None, None,
    None, referral date)``. The date judged on is the referral date, or with
    ``placed_by = "case_opened"`` the earliest ``opened`` of the cases whose
    ``referral_id`` is the referral's (none: not a re-referral). Anchors are the
    closed cases (``previous_closure``) or the other referrals
    (``previous_referral``) of the same child or family; a case the referral
    opened does not count with ``exclude_same_case``. Of the anchors with the
    date judged on inside the window, the latest wins, ties to the smallest id.
    """
    cases = list(cases)
    referred = dt.date(
        referral.referral_date.year, referral.referral_date.month, referral.referral_date.day
    )
    rule = version_in_force(rules, referral.referral_date)
    if rule is None:
        return None, None, None, referred
    on: dt.date | None = referred
    if rule.placed_by.value == "case_opened":
        opened = [
            dt.date(case.opened.year, case.opened.month, case.opened.day)
            for case in cases
            if case.referral_id == referral.referral_id and case.opened is not None
        ]
        on = min(opened) if opened else None
    if on is None:
        return False, None, rule.rule_id, None
    by_child = rule.match_on.value == "child"
    key = referral.person_id if by_child else referral.family_id
    if key is None:
        return False, None, rule.rule_id, on
    if rule.anchor.value == "previous_closure":
        anchors = [
            (case.closed, case.episode_id, case.referral_id if rule.exclude_same_case else None)
            for case in cases
            if case.closed is not None and (case.person_id if by_child else case.family_id) == key
        ]
    else:
        anchors = [
            (ref.referral_date, ref.referral_id, ref.referral_id)
            for ref in referrals
            if (ref.person_id if by_child else ref.family_id) == key
        ]
    window = rule.window
    inside = [
        (day, ident)
        for day, ident, link in anchors
        if link != referral.referral_id
        and in_window(
            window.months,
            window.anchor_inclusive,
            window.far_inclusive,
            dt.date(day.year, day.month, day.day),
            on,
        )
    ]
    if not inside:
        return False, None, rule.rule_id, on
    latest = max(day for day, _ in inside)
    return True, min(ident for day, ident in inside if day == latest), rule.rule_id, on


def escalation(
    rules: Sequence[Any], ended: dt.date | None, reason: str | None, *, up: bool
) -> tuple[bool | None, str | None]:
    """``(step-up or step-down?, rule id)`` for one record closed on ``ended`` for ``reason``."""
    if ended is None:
        return False, None
    rule = version_in_force(rules, ended)
    if rule is None:
        return None, None
    counted = rule.step_up if up else rule.step_down
    return reason is not None and reason in counted, rule.rule_id
