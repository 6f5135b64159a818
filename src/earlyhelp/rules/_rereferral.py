"""Re-referrals: whether a referral came soon after an earlier episode of the same child.

One declaration, two evaluations. A profile's :class:`RereferralRule` versions
declare the anchor event (an earlier case's closure, or an earlier referral),
the window (calendar months, each end inclusive or not), the match key (child or
family) and whether the case a referral opened is excluded.
:func:`is_rereferral` judges one referral and explains itself;
:func:`flag_rereferrals` flags every referral of a table with polars joins and
:meth:`MonthWindow.expr`, built from the same versions. Both choose the version
by the referral's own date, never the clock, and name the same earlier episode.

Which earlier episodes count, and which one is named, is defined in
:func:`is_rereferral`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import attrs
import polars as pl

from earlyhelp.model._casework import EarlyHelpCase, Referral
from earlyhelp.periods._dates import uk_date
from earlyhelp.periods._periods import Period, during_expr, parse_period
from earlyhelp.profiles._applying import (
    ProfileLike,
    no_rule_in_force,
    resolve_profile,
    rule_ids,
    version_index,
)
from earlyhelp.profiles._dating import OnMissing, in_force
from earlyhelp.profiles._profile import Profile
from earlyhelp.rules._decision import Decision, Fact, Step
from earlyhelp.rules._rereferral_history import (
    NO_EVENTS,
    AnchorEvent,
    RereferralHistory,
    candidate_events,
    latest_in_window,
)
from earlyhelp.rules._rereferral_rule import Anchor, MatchOn, RereferralRule

__all__ = ["flag_rereferrals", "is_rereferral", "matched_id"]

_MATCHED: Final = {
    Anchor.PREVIOUS_CLOSURE: "matched_episode",
    Anchor.PREVIOUS_REFERRAL: "matched_referral",
}


@attrs.frozen
class _Terms:
    """What a rule version's explanations repeat, worked out once per version."""

    rule: RereferralRule
    parameters: tuple[Fact, ...]
    window: str
    months: str
    key: str
    who: str


_TERMS: dict[int, _Terms] = {}


def _terms(rule: RereferralRule) -> _Terms:
    cached = _TERMS.get(id(rule))
    if cached is not None and cached.rule is rule:
        return cached
    window = rule.window
    flags = {
        "anchor_inclusive": window.anchor_inclusive,
        "far_inclusive": window.far_inclusive,
        "exclude_same_case": rule.exclude_same_case,
    }
    parameters = (
        Fact(name="anchor", value=rule.anchor.value),
        Fact(name="months", value=str(window.months)),
        *(Fact(name=name, value=str(flag).lower()) for name, flag in flags.items()),
        Fact(name="match_on", value=rule.match_on.value),
    )
    child = rule.match_on is MatchOn.CHILD
    months = abs(window.months)
    terms = _Terms(
        rule=rule,
        parameters=parameters,
        window=window.describe(),
        months="1 month" if months == 1 else f"{months} months",
        key="person_id" if child else "family_id",
        who="child" if child else "family",
    )
    if len(_TERMS) > 256:
        _TERMS.clear()
    _TERMS[id(rule)] = terms
    return terms


def _explain(
    rule: RereferralRule,
    referral: Referral,
    profile: Profile,
    *,
    key: str | None,
    match: AnchorEvent | None,
    excluded: list[str],
) -> Decision:
    terms = _terms(rule)
    day = uk_date(referral.referral_date)
    closure = rule.anchor is Anchor.PREVIOUS_CLOSURE
    who = f"{terms.who} {key}"
    inputs = [
        Fact(name="referral_id", value=referral.referral_id),
        Fact(name="referral_date", value=day),
        Fact(name=terms.key, value=key or "(none)"),
    ]
    if match is not None:
        anchor_day, ident, _ = match
        when = uk_date(anchor_day)
        inputs.append(Fact(name=_MATCHED[rule.anchor], value=ident))
        inputs.append(Fact(name="matched_date", value=when))
        if closure:
            summary = f"case {ident} closing on {when}"
            reason = f"case {ident} closed on {when}; {day} is {terms.window} that closure"
        else:
            summary = f"referral {ident} on {when}"
            reason = f"referral {ident} was made on {when}; {day} is {terms.window} it"
        summary = f"Re-referral: referred {day}, within {terms.months} of {summary}"
    elif key is None:
        summary = (
            f"Not a re-referral: referral {referral.referral_id} has no family id, "
            "so no earlier episode can match on family"
        )
        reason = "matching on family, and the referral has no family id"
    else:
        span = f"in the {terms.months.replace('month', 'calendar month')} before {day}"
        if closure:
            summary = f"Not a re-referral: no case of {who} closed {span}"
            reason = f"no closed case of {who} has {day} {terms.window} its closure"
        else:
            summary = f"Not a re-referral: no other referral of {who} {span}"
            reason = f"no other referral of {who} has {day} {terms.window} it"
    if excluded and closure:
        reason += f" (case {', '.join(excluded)}, opened by this referral, is not counted)"
    step = Step(
        rule_id=rule.rule_id,
        effective=rule.effective,
        citation=rule.citation,
        inputs=tuple(inputs),
        parameters=terms.parameters,
        fired=match is not None,
        reason=reason,
    )
    return Decision(
        question="re-referral",
        subject=f"referral {referral.referral_id}",
        as_of=referral.referral_date,
        profile=profile.profile_id,
        outcome=match is not None,
        summary=summary,
        steps=(step,),
    )


def is_rereferral(
    referral: Referral,
    *,
    cases: Iterable[EarlyHelpCase] = NO_EVENTS,
    referrals: Iterable[Referral] = NO_EVENTS,
    history: RereferralHistory | None = None,
    profile: ProfileLike,
) -> Decision:
    """Whether a referral is a re-referral, and against which earlier episode.

    The rule version is chosen by ``referral.referral_date``, never the clock.

    Which earlier episodes count, for a referral dated ``D`` with id ``R``:

    * ``previous_closure``: every **closed** early help case of the same child
      (``person_id``) or family (``family_id``) whose closure date ``C`` is an anchor
      with ``D`` inside ``window`` measured forward from ``C``
      (:meth:`MonthWindow.contains`). A case closed after ``D`` never counts. With
      ``exclude_same_case``, a case whose ``referral_id`` is ``R`` (the case this
      referral opened) does not count; a case with no ``referral_id`` always may.
    * ``previous_referral``: every **other** referral (``referral_id`` not ``R``) of
      the same child or family dated ``A`` with ``D`` inside ``window`` measured
      forward from ``A``. ``exclude_same_case`` has no further effect: a referral is
      never its own anchor.
    * Matching on family, a referral with no ``family_id`` matches nothing, and
      episodes with no ``family_id`` are never matched.

    When several episodes count, the match is the **most recent** anchor (latest
    closure or latest earlier referral), ties broken by the smallest id (string
    order).

    Args:
        referral: the referral to judge.
        cases: the early help cases to search (for ``previous_closure`` rules).
        referrals: the referrals to search (for ``previous_referral`` rules);
            ``referral`` itself may be among them and is never its own anchor.
        history: instead of ``cases`` and ``referrals``, a
            :class:`RereferralHistory` grouped once, for judging many referrals.
        profile: a :class:`Profile`, a shipped profile's name or a profile file.

    Returns:
        A :class:`Decision` with outcome ``True`` or ``False`` (``None`` when no
        rule is in force under a lenient profile). When ``True``, its step's
        inputs name the earlier episode (see :func:`matched_id`).

    Raises:
        NoRuleInForceError: no version is in force on the referral date, under a
            strict profile.
        ValueError: both ``history`` and ``cases`` or ``referrals`` were given.

    Example:
        >>> import datetime as dt
        >>> case = EarlyHelpCase(
        ...     episode_id="C-1042", person_id="P-1", team_id="T1U", locality_id="L1",
        ...     opened=dt.date(2014, 6, 2), closed=dt.date(2014, 11, 30),
        ...     closure_reason="outcomes_met",
        ... )
        >>> referral = Referral(referral_id="R-7", person_id="P-1",
        ...                     referral_date=dt.date(2015, 2, 28), route="vcm")
        >>> decision = is_rereferral(referral, cases=[case], profile="derby-2014-15")
        >>> print(decision.summary)
        Re-referral: referred 28/02/2015, within 3 months of case C-1042 closing on 30/11/2014
        >>> matched_id(decision)
        'C-1042'
        >>> later = attrs.evolve(referral, referral_date=dt.date(2015, 3, 1))
        >>> print(is_rereferral(later, cases=[case], profile="derby-2014-15").summary)
        Not a re-referral: no case of child P-1 closed in the 3 calendar months before 01/03/2015
    """
    if history is not None and (cases is not NO_EVENTS or referrals is not NO_EVENTS):
        msg = "give either history or cases and referrals, not both"
        raise ValueError(msg)
    prof = resolve_profile(profile)
    rule = in_force(prof.versions(RereferralRule), referral.referral_date)
    if rule is None:
        subject = f"referral {referral.referral_id}"
        if prof.on_missing is OnMissing.STRICT:
            raise no_rule_in_force("re-referral", referral.referral_date, prof, subject)
        return Decision(
            question="re-referral",
            subject=subject,
            as_of=referral.referral_date,
            profile=prof.profile_id,
            outcome=None,
            summary=(
                f"No decision: no re-referral rule is in force on "
                f"{uk_date(referral.referral_date)} in profile {prof.profile_id}"
            ),
        )
    key = referral.person_id if rule.match_on is MatchOn.CHILD else referral.family_id
    if key is None:
        return _explain(rule, referral, prof, key=None, match=None, excluded=[])
    if history is None:
        events = candidate_events(rule, key, cases, referrals)
    else:
        events = history.events(rule.anchor, rule.match_on, key)
    match, excluded = latest_in_window(rule, referral, events)
    return _explain(rule, referral, prof, key=key, match=match, excluded=excluded)


def matched_id(decision: Decision) -> str | None:
    """The id of the earlier episode (case or referral) a re-referral decision names.

    ``None`` when the decision is not a re-referral (or has no outcome).

    Example:
        >>> import datetime as dt
        >>> earlier = Referral(referral_id="R-1", person_id="P-1",
        ...                    referral_date=dt.date(2014, 3, 31), route="other")
        >>> now = Referral(referral_id="R-2", person_id="P-1",
        ...                referral_date=dt.date(2015, 3, 31), route="other")
        >>> matched_id(is_rereferral(now, referrals=[earlier, now], profile="cin-census"))
        'R-1'
    """
    for step in decision.steps:
        for fact in step.inputs:
            if fact.name in ("matched_episode", "matched_referral"):
                return fact.value
    return None


def _matches(
    rule: RereferralRule, part: pl.LazyFrame, referrals: pl.DataFrame, cases: pl.DataFrame | None
) -> pl.LazyFrame:
    """For each referral of ``part`` with a qualifying anchor, the one it matches."""
    key = pl.col("person_id" if rule.match_on is MatchOn.CHILD else "family_id").alias("_key")
    link = "_id"  # an earlier referral is excluded by its own id
    if rule.anchor is Anchor.PREVIOUS_REFERRAL:
        columns = [key, pl.col("referral_id").alias("_id"), pl.col("referral_date").alias("_day")]
        anchors = referrals.lazy().select(columns)
    elif cases is None:
        msg = f"rule {rule.rule_id} measures from case closures: pass the cases table"
        raise ValueError(msg)
    else:
        columns = [key, pl.col("episode_id").alias("_id"), pl.col("closed").alias("_day")]
        link = "_link"  # a case is excluded by the referral that opened it
        if rule.exclude_same_case:
            columns.append(pl.col("referral_id").alias(link))
        anchors = cases.lazy().select(columns)
    keep = rule.window.expr("_day", "referral_date")
    if rule.anchor is Anchor.PREVIOUS_REFERRAL or rule.exclude_same_case:
        keep = keep & pl.col(link).ne_missing(pl.col("referral_id"))
    latest_first = pl.col("_id").sort_by(["_day", "_id"], descending=[True, False])
    return (
        part.join(anchors.filter(pl.col("_key").is_not_null()), on="_key")
        .filter(keep)
        .group_by("_row")
        .agg(latest_first.first().alias("matched_id"))
    )


def flag_rereferrals(
    referrals: pl.DataFrame,
    cases: pl.DataFrame | None = None,
    *,
    profile: ProfileLike,
    period: Period | str | None = None,
) -> pl.DataFrame:
    """Flag every referral of a table that is a re-referral, and what it matched.

    The bulk twin of :func:`is_rereferral`: the same rule versions, evaluated
    with polars joins and :meth:`MonthWindow.expr`. Each version is applied to
    the referrals dated in its effective span, with the whole of both tables as
    history. Which episodes count, and which is named, is as defined for
    :func:`is_rereferral`.

    Args:
        referrals: a ``referrals`` table with at least ``referral_id``,
            ``person_id``, ``referral_date`` (date) and, to match on family,
            ``family_id``. It is also the history of earlier referrals.
        cases: a ``cases`` table with at least ``episode_id``, ``person_id``
            (or ``family_id``), ``referral_id`` and ``closed``; needed only by
            versions that measure from case closures.
        profile: a :class:`Profile`, a shipped profile's name or a profile file.
        period: flag only the referrals dated in this financial year or quarter
            (e.g. ``"2014-15"``; both ends inclusive), while every referral and
            case of the tables still counts as history. Without it, every
            referral is flagged, so under a strict profile each must be dated
            where a rule version is in force.

    Returns:
        One row per referral flagged, in input order: ``referral_id``, ``rereferral``
        (null where no rule is in force under a lenient profile),
        ``matched_id`` (the case or referral it matched) and ``rule_id`` (the
        version applied, as a ``pl.Enum`` of the profile's re-referral rule ids).

    Raises:
        NoRuleInForceError: a referral is dated where no version is in force,
            under a strict profile; the message names the first such referral.
        ValueError: a referral has no date, or a version needs ``cases``.

    Example:
        >>> import datetime as dt
        >>> referrals = pl.DataFrame({
        ...     "referral_id": ["R-1", "R-2", "R-3"], "person_id": ["P-1", "P-1", "P-2"],
        ...     "referral_date": [dt.date(2014, 6, 2), dt.date(2015, 2, 28), dt.date(2015, 2, 28)],
        ... })
        >>> cases = pl.DataFrame({
        ...     "episode_id": ["C-1"], "person_id": ["P-1"], "referral_id": ["R-1"],
        ...     "closed": [dt.date(2014, 11, 30)],
        ... })
        >>> flag_rereferrals(referrals, cases, profile="derby-2014-15").rows()
        [('R-1', False, None, 'RR-3M'), ('R-2', True, 'C-1', 'RR-3M'), ('R-3', False, None, 'RR-3M')]
        >>> flag_rereferrals(referrals, cases, profile="derby-2014-15", period="2014-15 Q4").rows()
        [('R-2', True, 'C-1', 'RR-3M'), ('R-3', False, None, 'RR-3M')]
    """
    prof = resolve_profile(profile)
    versions = prof.versions(RereferralRule)
    keys = [name for name in ("person_id", "family_id") if name in referrals.columns]
    subjects = referrals.lazy().select("referral_id", "referral_date", *keys)
    if period is not None:
        window = parse_period(period) if isinstance(period, str) else period
        subjects = subjects.filter(during_expr("referral_date", window))
    table = (
        subjects.with_row_index("_row")
        .with_columns(_v=version_index(versions, pl.col("referral_date")))
        .collect()
    )
    if table["referral_date"].null_count():
        first = table.filter(pl.col("referral_date").is_null())["referral_id"][0]
        msg = f"referral {first} has no referral_date"
        raise ValueError(msg)
    stray = table["_v"].null_count()
    if stray and prof.on_missing is OnMissing.STRICT:
        ident, day = (
            table.filter(pl.col("_v").is_null()).select("referral_id", "referral_date").row(0)
        )
        raise no_rule_in_force("re-referral", day, prof, f"referral {ident}", more=stray - 1)
    found = [pl.LazyFrame(schema={"_row": pl.get_index_type(), "matched_id": pl.String})]
    kind_of_id = rule_ids(versions)
    ids = pl.lit(None, dtype=kind_of_id)
    for index, rule in enumerate(versions):
        key = "person_id" if rule.match_on is MatchOn.CHILD else "family_id"
        part = table.lazy()
        if len(versions) > 1 or stray:
            part = part.filter(pl.col("_v") == index)
        part = part.select("_row", "referral_id", "referral_date", pl.col(key).alias("_key"))
        found.append(_matches(rule, part, referrals, cases))
        in_span = pl.col("_v") == index
        ids = pl.when(in_span).then(pl.lit(rule.rule_id, dtype=kind_of_id)).otherwise(ids)
    return (
        table.lazy()
        .join(pl.concat(found), on="_row", how="left", maintain_order="left")
        .select(
            "referral_id",
            pl.when(pl.col("_v").is_null())
            .then(pl.lit(None, dtype=pl.Boolean))
            .otherwise(pl.col("matched_id").is_not_null())
            .alias("rereferral"),
            "matched_id",
            ids.alias("rule_id"),
        )
        .collect()
    )
