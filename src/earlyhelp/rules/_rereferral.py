"""Re-referrals: whether a referral came soon after an earlier episode of the same child.

One definition. A profile's :class:`RereferralRule` versions declare the anchor
event (an earlier case's closure, or an earlier referral), the window (calendar
months, each end inclusive or not), the match key (child or family) and whether
the case a referral opened is excluded. The definition is a polars evaluation
over the ``referrals`` and ``cases`` tables (:func:`_evidence`): for each
referral, the version in force on its own date, whether it is a re-referral, and
the facts that decided it (the earlier episode matched and its date, the cases
the referral itself opened). One :class:`Rendering` words that evidence.

:func:`flag_rereferrals` runs the definition on whole tables (with
``explain=True``, each row's explanation too); :func:`is_rereferral` runs it on
the one referral and the history it needs, and renders that row as a
:class:`Decision`: its text is the bulk explanation, by construction.

Which earlier episodes count, and which one is named, is set out in
:func:`is_rereferral`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final

import polars as pl

from earlyhelp.errors import ArgumentError, LoadError, RecordError
from earlyhelp.model._casework import EarlyHelpCase, Referral
from earlyhelp.periods._periods import Period, during_expr, parse_period
from earlyhelp.profiles._applying import (
    VERSION_COLUMN,
    ProfileLike,
    no_rule_in_force,
    pick_by_version,
    resolve_profile,
    rule_ids,
)
from earlyhelp.profiles._dating import OnMissing, version_index
from earlyhelp.profiles._profile import Profile
from earlyhelp.rules import text as tx
from earlyhelp.rules._decision import Decision, Fact
from earlyhelp.rules._evidence import EXPLANATION, Rendering, decisions
from earlyhelp.rules._judging import collect, rendered
from earlyhelp.rules._rereferral_history import (
    CASE_COLUMNS,
    REFERRAL_COLUMNS,
    RereferralHistory,
    as_columns,
    case_row,
    key_column,
    referral_row,
)
from earlyhelp.rules._rereferral_rule import (
    Anchor,
    MatchOn,
    PlacedBy,
    RateDenominator,
    RereferralRule,
)

__all__ = ["flag_rereferrals", "is_rereferral", "matched_id"]

NO_RECORDS: Final[tuple[()]] = ()
_MATCHED: Final = "matched_id"
_ROW: Final = "_row"
_ON: Final = "judged_on"
_FLAGS: Final = ("referral_id", "rereferral", _MATCHED, "rule_id", _ON)
_TABLE_COLUMNS: Final = {_ROW: pl.get_index_type()} | REFERRAL_COLUMNS | {VERSION_COLUMN: pl.UInt32}

# --------------------------------------------------------------------------- the definition


def _versioned(subjects: pl.LazyFrame, versions: Sequence[RereferralRule]) -> pl.DataFrame:
    """The referrals to judge, numbered (``_row``), each with the index of its version in force."""
    return (
        subjects.with_row_index(_ROW)
        .with_columns(version_index(versions, pl.col("referral_date")).alias(VERSION_COLUMN))
        .collect()
    )


def _placed(
    table: pl.DataFrame, versions: Sequence[RereferralRule], cases: pl.LazyFrame | None
) -> pl.DataFrame:
    """``table`` with ``judged_on``: the date each referral's version judges and places it by.

    The referral date, or (``placed_by = "case_opened"``) the date the case the
    referral opened was opened: the earliest ``opened`` of the cases whose
    ``referral_id`` is the referral's (null when it opened none).
    """
    by_case = [
        index for index, rule in enumerate(versions) if rule.placed_by is PlacedBy.CASE_OPENED
    ]
    if not by_case:
        return table.with_columns(pl.col("referral_date").alias(_ON))
    if cases is None:
        msg = "a re-referral rule placed by case_opened reads the cases table: pass it"
        raise LoadError(msg)
    opened = (
        cases.filter(pl.col("referral_id").is_not_null() & pl.col("opened").is_not_null())
        .group_by("referral_id")
        .agg(pl.col("opened").min().alias("_opened"))
    )
    chosen = pl.when(pl.col(VERSION_COLUMN).is_in(by_case)).then(pl.col("_opened"))
    return (
        table.lazy()
        .join(opened, on="referral_id", how="left", maintain_order="left")
        .with_columns(chosen.otherwise(pl.col("referral_date")).alias(_ON))
        .drop("_opened")
        .collect()
    )


def _checked(table: pl.DataFrame, profile: Profile) -> pl.DataFrame:
    """``table``, once no referral lacks a date and (strict profiles) each has a version.

    Raises naming the first offending referral in input order.
    """
    if table["referral_date"].null_count():
        first = table.filter(pl.col("referral_date").is_null())["referral_id"][0]
        raise RecordError("referral", str(first), [("referral_date", "expected a date")])
    stray = table[VERSION_COLUMN].null_count()
    if stray and profile.on_missing is OnMissing.STRICT:
        unruled = table.filter(pl.col(VERSION_COLUMN).is_null())
        ident, day = unruled.select("referral_id", "referral_date").row(0)
        raise no_rule_in_force("re-referral", day, profile, f"referral {ident}", more=stray - 1)
    return table


def _anchors(
    rule: RereferralRule, referrals: pl.LazyFrame, cases: pl.LazyFrame | None
) -> pl.LazyFrame:
    """The earlier events a version measures from: ``_key, _id, _day``.

    Closures under ``exclude_same_case`` also carry ``_link``, the referral that
    opened the case.
    """
    if rule.anchor is Anchor.PREVIOUS_REFERRAL:
        return referrals.select(_anchor_columns(rule))
    if cases is None:
        msg = f"rule {rule.rule_id} measures from case closures: pass the cases table"
        raise LoadError(msg)
    return cases.select(_anchor_columns(rule))


@functools.lru_cache(maxsize=256)
def _anchor_columns(rule: RereferralRule) -> tuple[pl.Expr, ...]:
    """The expressions of :func:`_anchors` (polars expressions are values: built once)."""
    key = pl.col(key_column(rule.match_on)).alias("_key")
    if rule.anchor is Anchor.PREVIOUS_REFERRAL:
        return (key, pl.col("referral_id").alias("_id"), pl.col("referral_date").alias("_day"))
    columns = (key, pl.col("episode_id").alias("_id"), pl.col("closed").alias("_day"))
    return (*columns, pl.col("referral_id").alias("_link")) if rule.exclude_same_case else columns


@functools.lru_cache(maxsize=256)
def _keep(rule: RereferralRule) -> pl.Expr:
    """Whether an anchor counts for a referral: its window holds the referral date.

    And it is not the referral itself (nor, with ``exclude_same_case``, a case the
    referral opened).
    """
    inside = rule.window.contains(pl.col("_day"), pl.col(_ON))
    if rule.anchor is Anchor.PREVIOUS_REFERRAL:
        return inside & pl.col("_id").ne_missing(pl.col("referral_id"))
    if rule.exclude_same_case:
        return inside & pl.col("_link").ne_missing(pl.col("referral_id"))
    return inside


def _matches(
    rule: RereferralRule, part: pl.LazyFrame, anchors: pl.LazyFrame, *, explained: bool
) -> pl.LazyFrame:
    """For each referral of ``part`` with a qualifying anchor, the one it matches, and its date.

    The most recent anchor with the referral's date inside its window (ties go
    to the smallest id); with ``explained``, also that anchor's date.
    """
    matched = pl.col("_id").sort_by(["_day", "_id"], descending=[True, False]).first()
    found = [matched.alias(_MATCHED)]
    if explained:
        found.append(pl.col("_day").max().alias("matched_date"))
    return (
        part.join(anchors.filter(pl.col("_key").is_not_null()), on="_key")
        .filter(_keep(rule))
        .group_by(_ROW)
        .agg(found)
    )


def _excluded(part: pl.LazyFrame, anchors: pl.LazyFrame) -> pl.LazyFrame:
    """For each referral of ``part``, the closed cases it opened itself (latest first), as text."""
    own = anchors.filter(pl.col("_key").is_not_null() & pl.col("_day").is_not_null())
    return (
        part.join(own, left_on=["_key", "referral_id"], right_on=["_key", "_link"])
        .sort(["_day", "_id"], descending=[True, False])  # latest first, ties by smallest id
        .group_by(_ROW)
        .agg(pl.col("_id").str.join(", ").alias("excluded"))  # keeps that order in each group
    )


def _evidence(
    table: pl.DataFrame,
    versions: Sequence[RereferralRule],
    referrals: pl.LazyFrame,
    cases: pl.LazyFrame | None,
    *,
    explained: bool,
) -> pl.LazyFrame:
    """The definition: each referral's version, outcome, and the facts that decided it.

    ``table`` is :func:`_versioned`'s; ``referrals`` and ``cases`` are the history,
    in the columns of :data:`REFERRAL_COLUMNS` and :data:`CASE_COLUMNS`. Adds
    ``rereferral`` (null where no version is in force), ``matched_id`` and
    ``matched_date`` (the earlier episode matched) and ``rule_id`` (a ``pl.Enum``
    of the versions' ids); with ``explained``, also ``excluded`` (the closed cases
    this referral opened, which a version with ``exclude_same_case`` does not
    count).

    Each version is evaluated on the referrals dated in its span
    (:func:`_matches`), with the whole of both tables as history.
    """
    found, excluded = [], []
    split = len(versions) > 1 or table[VERSION_COLUMN].null_count() > 0
    for index, rule in enumerate(versions):
        part = table.lazy()
        if split:
            part = part.filter(pl.col(VERSION_COLUMN) == index)
        key = pl.col(key_column(rule.match_on)).alias("_key")
        part = part.select(_ROW, "referral_id", _ON, key)
        anchors = _anchors(rule, referrals, cases)
        found.append(_matches(rule, part, anchors, explained=explained))
        if explained and rule.anchor is Anchor.PREVIOUS_CLOSURE and rule.exclude_same_case:
            excluded.append(_excluded(part, anchors))
    row = {_ROW: pl.get_index_type()}
    matches = row | {_MATCHED: pl.String} | ({"matched_date": pl.Date} if explained else {})
    evidence = table.lazy().join(
        _stacked(found, matches),
        on=_ROW,
        how="left",
        maintain_order="left",
    )
    if explained:
        evidence = evidence.join(
            _stacked(excluded, row | {"excluded": pl.String}),
            on=_ROW,
            how="left",
            maintain_order="left",
        )
    return evidence.with_columns(_outcomes(tuple(versions)))


@functools.lru_cache(maxsize=64)
def _outcomes(versions: tuple[RereferralRule, ...]) -> tuple[pl.Expr, pl.Expr]:
    """``rereferral`` (null where no version is in force) and ``rule_id``, from the matches."""
    kind_of_id = rule_ids(versions)
    ids = {index: pl.lit(rule.rule_id, dtype=kind_of_id) for index, rule in enumerate(versions)}
    rereferral = (
        pl.when(pl.col(VERSION_COLUMN).is_null())
        .then(pl.lit(None, dtype=pl.Boolean))
        .otherwise(pl.col(_MATCHED).is_not_null())
    )
    return rereferral.alias("rereferral"), pick_by_version(ids, kind_of_id).alias("rule_id")


def _stacked(parts: list[pl.LazyFrame], schema: dict[str, Any]) -> pl.LazyFrame:
    """The versions' results as one frame (none: an empty frame of ``schema``)."""
    if len(parts) == 1:
        return parts[0]
    return pl.concat([*parts, pl.LazyFrame(schema=schema)])


# --------------------------------------------------------------------------- its rendering


def _months(count: int, word: str = "months") -> str:
    return f"1 {word[:-1]}" if abs(count) == 1 else f"{abs(count)} {word}"


def _per_version(
    versions: Sequence[RereferralRule], text: Callable[[RereferralRule], tx.Text]
) -> tx.Text:
    """Each row's expression from its own version's declaration.

    (Rows with no version in force are never rendered by these expressions.)
    """
    if len(versions) == 1:
        return text(versions[0])
    chosen = tx.lit(None)
    for rule in reversed(versions):
        chosen = tx.when(tx.col("rule_id") == rule.rule_id).then(text(rule)).otherwise(chosen)
    return chosen


def _judged_words(rule: RereferralRule) -> tuple[str, tx.Text]:
    """How the date a version judges by is named: ``referred`` or ``case opened``, and the date."""
    day = tx.col(_ON).uk_date()
    if rule.placed_by is PlacedBy.CASE_OPENED:
        return "case opened", day
    return "referred", day


def _summary(rule: RereferralRule) -> tx.Text:
    """The one-line answer under one version."""
    who = rule.match_on.value
    key = tx.col(key_column(rule.match_on))
    matched, when = tx.col(_MATCHED), tx.col("matched_date").uk_date()
    verb, day = _judged_words(rule)
    months = _months(rule.window.months)
    span = f" in the {_months(rule.window.months, 'calendar months')} before "
    if rule.anchor is Anchor.PREVIOUS_CLOSURE:
        found = [tx.lit(f", within {months} of case "), matched, tx.lit(" closing on "), when]
        none = [tx.lit(f"Not a re-referral: no case of {who} "), key, tx.lit(f" closed{span}"), day]
    else:
        found = [tx.lit(f", within {months} of referral "), matched, tx.lit(" on "), when]
        none = [tx.lit(f"Not a re-referral: no other referral of {who} "), key, tx.lit(span), day]
    if rule.placed_by is PlacedBy.CASE_OPENED:
        none = [*none, tx.lit(" (the date the case opened)")]
    no_key = f" has no {'person' if rule.match_on is MatchOn.CHILD else 'family'} id, "
    return (
        tx.when(tx.col(_ON).is_null())
        .then(
            tx.concat_str(
                tx.lit("Not a re-referral: referral "),
                tx.col("referral_id"),
                tx.lit(" opened no case, and re-referrals are judged by the date the case opened"),
            )
        )
        .when(tx.col("rereferral"))
        .then(tx.concat_str(tx.lit(f"Re-referral: {verb} "), day, *found))
        .when(key.is_null())
        .then(
            tx.concat_str(
                tx.lit("Not a re-referral: referral "),
                tx.col("referral_id"),
                tx.lit(f"{no_key}so no earlier episode can match on {who}"),
            )
        )
        .otherwise(tx.concat_str(*none))
    )


def _reason(rule: RereferralRule) -> tx.Text:
    """Why, under one version: the episode matched and the window, or what was searched."""
    who = rule.match_on.value
    key = tx.col(key_column(rule.match_on))
    matched, when = tx.col(_MATCHED), tx.col("matched_date").uk_date()
    day = tx.col(_ON).uk_date()
    if rule.placed_by is PlacedBy.CASE_OPENED:
        day = tx.concat_str(day, tx.lit(" (the date the case opened)"))
    window = rule.window.describe()
    if rule.anchor is Anchor.PREVIOUS_CLOSURE:
        anchor, made, that, searched, its = (
            "case",
            "closed",
            "that closure",
            "closed case",
            "its closure",
        )
    else:
        anchor, made, that, searched, its = "referral", "was made", "it", "other referral", "it"
    found = [tx.lit(f"{anchor} "), matched, tx.lit(f" {made} on "), when, tx.lit("; "), day]
    found.append(tx.lit(f" is {window} {that}"))
    none = [
        tx.lit(f"no {searched} of {who} "),
        key,
        tx.lit(" has "),
        day,
        tx.lit(f" {window} {its}"),
    ]
    reason = (
        tx.when(tx.col(_ON).is_null())
        .then(
            tx.lit(
                "the rule judges by the date the case the referral opened was opened, "
                "and no case names this referral"
            )
        )
        .when(tx.col("rereferral"))
        .then(tx.concat_str(*found))
        .when(key.is_null())
        .then(
            tx.lit(
                f"matching on {who}, and the referral has no {'person' if rule.match_on is MatchOn.CHILD else 'family'} id"
            )
        )
        .otherwise(tx.concat_str(*none))
    )
    if rule.anchor is not Anchor.PREVIOUS_CLOSURE or not rule.exclude_same_case:
        return reason
    not_counted = tx.concat_str(
        tx.lit(" (case "), tx.col("excluded"), tx.lit(", opened by this referral, is not counted)")
    )
    return tx.concat_str(reason, not_counted.fill_null(""))


def _parameters(rule: RereferralRule) -> tuple[Fact, ...]:
    window = rule.window
    flags = {
        "anchor_inclusive": window.anchor_inclusive,
        "far_inclusive": window.far_inclusive,
        "exclude_same_case": rule.exclude_same_case,
    }
    return (
        Fact(name="anchor", value=rule.anchor.value),
        Fact(name="months", value=str(window.months)),
        *(Fact(name=name, value=str(flag).lower()) for name, flag in flags.items()),
        Fact(name="match_on", value=rule.match_on.value),
        *(
            (Fact(name="placed_by", value=rule.placed_by.value),)
            if rule.placed_by is not PlacedBy.REFERRAL
            else ()
        ),
        *(
            (Fact(name="denominator", value=rule.denominator.value),)
            if rule.denominator is not RateDenominator.QUARTER_END_CASELOADS
            else ()
        ),
    )


@functools.lru_cache(maxsize=64)
def _rendering(versions: tuple[RereferralRule, ...], profile_id: str) -> Rendering[RereferralRule]:
    """How re-referral evidence reads under one profile's versions."""
    return Rendering(
        question="re-referral",
        subject=tx.concat_str(tx.lit("referral "), tx.col("referral_id")),
        as_of=pl.col("referral_date"),
        outcome=pl.col("rereferral"),
        summary=_per_version(versions, _summary),
        reason=_per_version(versions, _reason),
        unruled=tx.concat_str(
            tx.lit("No decision: no re-referral rule is in force on "),
            tx.col("referral_date").uk_date(),
            tx.lit(f" in profile {profile_id}"),
        ),
        inputs=(
            ("referral_id", tx.col("referral_id")),
            ("referral_date", tx.col("referral_date").uk_date()),
            ("person_id", tx.col("person_id")),
            ("family_id", tx.col("family_id")),
            (_MATCHED, tx.col(_MATCHED)),
            ("matched_date", tx.col("matched_date").uk_date()),
        ),
        parameters=_parameters,
    )


def _judged(
    table: pl.DataFrame,
    referrals: pl.LazyFrame,
    cases: pl.LazyFrame | None,
    profile: Profile,
    *,
    explained: bool,
    per_record: bool = False,
    keep: Sequence[str] = (),
) -> pl.DataFrame:
    """Run the definition on referrals against their history, and with ``explained``, render it.

    Both :func:`flag_rereferrals` and :func:`is_rereferral` come through here; a
    per-record call asks for the rendered parts only, run as :func:`collect` runs one record.
    ``keep``: only these columns (so polars carries no others through the joins).
    """
    versions = profile.versions(RereferralRule)
    table = _checked(table, profile)
    if _ON not in table.columns:
        table = _placed(table, versions, cases)
    evidence = _evidence(table, versions, referrals, cases, explained=explained)
    if explained:
        rendering = _rendering(versions, profile.profile_id)
        evidence = rendered(
            evidence, rendering, versions, profile.profile_id, per_record=per_record
        )
    return collect(evidence.select(keep) if keep else evidence, per_record=per_record)


# --------------------------------------------------------------------------- per record


def _history(
    referral: Referral,
    versions: Sequence[RereferralRule],
    cases: Iterable[EarlyHelpCase],
    referrals: Iterable[Referral],
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The records a referral can match, as tables: those of its child or family."""
    person, family = referral.person_id, referral.family_id

    def related(record: EarlyHelpCase | Referral) -> bool:
        return (
            record.person_id == person
            or (family is not None and record.family_id == family)
            or record.referral_id == referral.referral_id  # its own case: when it opened
        )

    anchors = {rule.anchor for rule in versions}
    opened_by = any(rule.placed_by is PlacedBy.CASE_OPENED for rule in versions)
    closures = [
        case_row(case)
        for case in (cases if Anchor.PREVIOUS_CLOSURE in anchors or opened_by else ())
        if related(case)
    ]
    earlier = [
        referral_row(ref)
        for ref in (referrals if Anchor.PREVIOUS_REFERRAL in anchors else ())
        if related(ref)
    ]
    return (
        pl.DataFrame(earlier, schema=REFERRAL_COLUMNS, orient="row"),
        pl.DataFrame(closures, schema=CASE_COLUMNS, orient="row"),
    )


def _indexed(
    referral: Referral, versions: Sequence[RereferralRule], history: RereferralHistory
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A referral's history from a :class:`RereferralHistory`: slices by child or family."""
    keys = {MatchOn.CHILD: referral.person_id, MatchOn.FAMILY: referral.family_id}
    tables: dict[Anchor, list[pl.DataFrame]] = {
        Anchor.PREVIOUS_REFERRAL: [],
        Anchor.PREVIOUS_CLOSURE: [],
    }
    for anchor, match_on in dict.fromkeys((rule.anchor, rule.match_on) for rule in versions):
        key = keys[match_on]
        if key is not None:
            tables[anchor].append(history.events(anchor, match_on, key))
    if any(rule.placed_by is PlacedBy.CASE_OPENED for rule in versions):
        tables[Anchor.PREVIOUS_CLOSURE].append(history.opened_by(referral.referral_id))

    def joined(parts: list[pl.DataFrame], columns: dict[str, type[pl.DataType]]) -> pl.DataFrame:
        if not parts:
            return pl.DataFrame(schema=columns)
        return parts[0] if len(parts) == 1 else pl.concat(parts).unique(maintain_order=True)

    return (
        joined(tables[Anchor.PREVIOUS_REFERRAL], REFERRAL_COLUMNS),
        joined(tables[Anchor.PREVIOUS_CLOSURE], CASE_COLUMNS),
    )


def is_rereferral(
    referral: Referral,
    *,
    cases: Iterable[EarlyHelpCase] = NO_RECORDS,
    referrals: Iterable[Referral] = NO_RECORDS,
    history: RereferralHistory | None = None,
    profile: ProfileLike,
) -> Decision:
    """Whether a referral is a re-referral, and against which earlier episode.

    The rule version is chosen by ``referral.referral_date``, never the clock.
    The decision is :func:`flag_rereferrals` run on this one referral with the
    history of its child (or family): ``str(decision)`` is the explanation the
    bulk flags give for it.

    Which earlier episodes count, for a referral dated ``D`` with id ``R``, under
    the version in force on ``D``:

    * ``previous_closure``: every **closed** early help case of the same child
      (``person_id``) or family (``family_id``) whose closure date ``C`` is an anchor
      with ``D`` inside ``window`` measured forward from ``C``
      (:meth:`MonthWindow.contains`). With ``exclude_same_case``, a case whose
      ``referral_id`` is ``R`` (the case this referral opened) does not count; a case
      with no ``referral_id`` always may.
    * ``previous_referral``: every **other** referral (``referral_id`` not ``R``) of
      the same child or family dated ``A`` with ``D`` inside ``window`` measured
      forward from ``A``.
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
            :class:`RereferralHistory` indexed once, for judging many referrals.
        profile: a :class:`Profile`, a shipped profile's name or a profile file.

    Returns:
        A :class:`Decision` with outcome ``True`` or ``False`` (``None`` when no
        rule is in force under a lenient profile). When ``True``, its step's
        inputs name the earlier episode (see :func:`matched_id`).

    Raises:
        NoRuleInForceError: no version is in force on the referral date, under a
            strict profile.
        ArgumentError: both ``history`` and ``cases`` or ``referrals`` were given.

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
        >>> print(decision)
        Re-referral: referred 28/02/2015, within 3 months of case C-1042 closing on 30/11/2014
        Decided on 28/02/2015 under profile derby-2014-15:
        - rule RR-3M applies: case C-1042 closed on 30/11/2014; 28/02/2015 is within 3 calendar months after (anchor day excluded, last day included) that closure
          read: referral_id = R-7; referral_date = 28/02/2015; person_id = P-1; family_id = (none); matched_id = C-1042; matched_date = 30/11/2014
          using: anchor = previous_closure; months = 3; anchor_inclusive = false; far_inclusive = true; exclude_same_case = true; match_on = child (in force from 01/04/2013)
          source: Derby early help performance framework 2014-15, How well: number of cases re-opened within 3 months
        >>> matched_id(decision)
        'C-1042'
        >>> later = Referral(referral_id="R-8", person_id="P-1",
        ...                  referral_date=dt.date(2015, 3, 1), route="vcm")
        >>> print(is_rereferral(later, cases=[case], profile="derby-2014-15").summary)
        Not a re-referral: no case of child P-1 closed in the 3 calendar months before 01/03/2015
    """
    if history is not None and (cases is not NO_RECORDS or referrals is not NO_RECORDS):
        msg = "give either history or cases and referrals, not both"
        raise ArgumentError(msg)
    prof = resolve_profile(profile)
    versions = prof.versions(RereferralRule)
    if history is None:
        earlier, closures = _history(referral, versions, cases, referrals)
    else:
        earlier, closures = _indexed(referral, versions, history)
    # the table _versioned gives, for one referral (version_index on a date is the same choice)
    day = referral.referral_date
    subject = (0, referral.referral_id, referral.person_id, referral.family_id, day)
    table = pl.DataFrame(
        [(*subject, version_index(versions, day))], schema=_TABLE_COLUMNS, orient="row"
    )
    explained = _judged(
        table, earlier.lazy(), closures.lazy(), prof, explained=True, per_record=True
    )
    (decision,) = decisions(
        explained, _rendering(versions, prof.profile_id), versions, prof.profile_id
    )
    return decision


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
    if decision.outcome is not True:
        return None
    for step in decision.steps:
        for fact in step.inputs:
            if fact.name == _MATCHED:
                return fact.value
    return None


# --------------------------------------------------------------------------- in bulk


def flag_rereferrals(
    referrals: pl.DataFrame,
    cases: pl.DataFrame | None = None,
    *,
    profile: ProfileLike,
    period: Period | str | None = None,
    explain: bool = False,
) -> pl.DataFrame:
    """Flag every referral of a table that is a re-referral, and what it matched.

    The one definition of re-referrals: each version is applied, with polars
    joins and :meth:`MonthWindow.contains`, to the referrals dated in its
    effective span, with the whole of both tables as history. Which episodes
    count, and which is named, is as set out for :func:`is_rereferral`, which runs
    this on one referral.

    Args:
        referrals: a ``referrals`` table with at least ``referral_id``,
            ``person_id``, ``referral_date`` (date) and, to match on family,
            ``family_id``. It is also the history of earlier referrals.
        cases: a ``cases`` table with at least ``episode_id``, ``person_id``
            (or ``family_id``), ``referral_id`` and ``closed``; needed only by
            versions that measure from case closures.
        profile: a :class:`Profile`, a shipped profile's name or a profile file.
        period: flag only the referrals judged in this financial year or quarter
            (``judged_on`` in it, e.g. ``"2014-15"``; both ends inclusive), while every referral and
            case of the tables still counts as history. Without it, every
            referral is flagged, so under a strict profile each must be dated
            where a rule version is in force.
        explain: add an ``explanation`` column: each referral's decision in
            words, exactly as ``str(is_rereferral(...))`` prints it.

    Returns:
        One row per referral flagged, in input order: ``referral_id``, ``rereferral``
        (null where no rule is in force under a lenient profile),
        ``matched_id`` (the case or referral it matched), ``rule_id`` (the
        version applied, as a ``pl.Enum`` of the profile's re-referral rule ids)
        and ``judged_on`` (the date the window was measured to and that places
        it in a period: the referral date, or under ``placed_by = "case_opened"``
        the date its case opened, null when it opened none); with ``explain``,
        ``explanation``.

    Raises:
        NoRuleInForceError: a referral is dated where no version is in force,
            under a strict profile; the message names the first such referral.
        RecordError: a referral has no date.
        LoadError: a version measures from case closures and ``cases`` is not given.

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
        >>> flags = flag_rereferrals(referrals, cases, profile="derby-2014-15")
        >>> flags.drop("judged_on").rows()
        [('R-1', False, None, 'RR-3M'), ('R-2', True, 'C-1', 'RR-3M'), ('R-3', False, None, 'RR-3M')]
        >>> flags["judged_on"].equals(referrals["referral_date"], check_names=False)  # by referral
        True
        >>> q4 = flag_rereferrals(referrals, cases, profile="derby-2014-15", period="2014-15 Q4")
        >>> q4.drop("judged_on").rows()
        [('R-2', True, 'C-1', 'RR-3M'), ('R-3', False, None, 'RR-3M')]
        >>> explained = flag_rereferrals(referrals, cases, profile="derby-2014-15", explain=True)
        >>> print(explained["explanation"][0].splitlines()[2])
        - rule RR-3M does not apply: no closed case of child P-1 has 02/06/2014 within 3 calendar months after (anchor day excluded, last day included) its closure (case C-1, opened by this referral, is not counted)
    """
    prof = resolve_profile(profile)
    versions = prof.versions(RereferralRule)
    earlier = as_columns(referrals, REFERRAL_COLUMNS)
    subjects = earlier
    window = None
    if period is not None:
        window = parse_period(period) if isinstance(period, str) else period
    closures = None if cases is None else as_columns(cases, CASE_COLUMNS)
    by_referral = all(rule.placed_by is PlacedBy.REFERRAL for rule in versions)
    if window is not None and by_referral:  # the date placed by is the referral date
        subjects = subjects.filter(during_expr("referral_date", window))
        window = None
    table = _versioned(subjects, versions)
    if window is not None:  # placed by another date: unruled referrals are not yet errors
        table = _placed(table, versions, closures)
        table = table.filter(during_expr(_ON, window))
    keep = (*_FLAGS, *([EXPLANATION] if explain else []))
    return _judged(table, earlier, closures, prof, explained=explain, keep=keep)
