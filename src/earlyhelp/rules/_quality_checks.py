"""The data-quality rules, declared as data, each with a bulk check over a :class:`Dataset`.

Loading already rejects rows that break a single table's rules, so most of these
rules look across tables (a case against its referral, team or child) or against
the extract date. Each rule has a code, a severity (an error, or a query for a
data manager to confirm), a message and the fields it affects. Its check is a
polars query that returns the offending records' ids, one per row, with the
values its message names. Messages name ids, dates of casework and codes, never
a date of birth or free text: a rule whose message asks for a personal column is
refused when it is declared.
"""

from __future__ import annotations

import datetime as dt
import enum
import string
from collections.abc import Callable
from typing import Final

import attrs
import polars as pl

from earlyhelp.errors import FieldError, ProfileError
from earlyhelp.io._dataset import Dataset
from earlyhelp.io._schema import Kind
from earlyhelp.io._tables import SCHEMAS
from earlyhelp.model._audit import (
    GRADE_ON_SCALE,
    GRADED_NOT_COMPLETED,
    GRADING_SCALES,
    RATING_ON_SCALE,
)
from earlyhelp.model._casework import CASE_RULES
from earlyhelp.periods._periods import open_at_expr
from earlyhelp.profiles._dating import OnMissing
from earlyhelp.profiles._profile import Profile
from earlyhelp.rules._cin_in_early_help import flag_cin_allowed_in_early_help
from earlyhelp.rules._quality_settings import QualitySettings

__all__ = [
    "PERSONAL_COLUMNS",
    "Check",
    "CheckInputs",
    "QualityRule",
    "Severity",
    "adult_at_opening",
    "after_extract",
    "audit_grades_off_scale",
    "cin_without_assessment",
    "closed_before_opened",
    "open_without_eha",
    "opened_before_referral",
    "other_child",
    "overlapping",
    "team_mismatch",
    "unknown_case",
    "unknown_referral",
]

PERSONAL_COLUMNS: Final = frozenset(
    column.name
    for schema in SCHEMAS.values()
    for column in schema.columns
    if column.personal or column.kind is Kind.FREE_TEXT
)
"""Columns whose values are personal data; no message may name their values."""


class Severity(enum.StrEnum):
    """How sure a data-quality rule is that a record is wrong."""

    ERROR = "error"
    """The record cannot be right; it must be corrected."""
    QUERY = "query"
    """The record is unusual; a data manager should confirm or correct it."""


@attrs.frozen(kw_only=True)
class CheckInputs:
    """What a check reads: the dataset, the profile, the extract date and the settings in force."""

    data: Dataset
    profile: Profile
    extract_date: dt.date
    settings: QualitySettings | None


Check = Callable[[CheckInputs], pl.LazyFrame]


def _placeholders(message: str) -> tuple[str, ...]:
    return tuple(name for _, name, _, _ in string.Formatter().parse(message) if name)


def _check_message(rule: QualityRule, _attr: object, message: str) -> None:
    personal = sorted(set(_placeholders(message)) & PERSONAL_COLUMNS)
    if personal:
        msg = f"rule {rule.code}: a message may not name personal values: {', '.join(personal)}"
        raise FieldError("message", msg)


@attrs.frozen(kw_only=True)
class QualityRule:
    """One data-quality rule.

    Attributes:
        code: the stable code, e.g. ``"DQ01"``.
        severity: error or query.
        title: what it finds, in a few words.
        message: the text for each offending record; ``{name}`` fills in a value
            the check returns (dates as ``dd/mm/yyyy``), never a personal one.
        table: the table whose records it reports, by ``record_id``.
        fields: the fields it affects (``table.field`` for another table's).
        needs: tables that must have been supplied for the rule to run.
        uses_settings: whether it needs the profile's quality settings.
        check: returns the offending rows: ``record_id`` and the message's values.

    Example:
        >>> QualityRule(
        ...     code="DQ99", severity=Severity.QUERY, title="a child's date of birth",
        ...     message="born {date_of_birth}", table="children", fields=("date_of_birth",),
        ...     check=lambda inputs: inputs.data["children"].lazy(),
        ... )
        Traceback (most recent call last):
        ...
        earlyhelp.errors.FieldError: message: rule DQ99: a message may not name personal values: date_of_birth
    """

    code: str
    severity: Severity
    title: str
    message: str = attrs.field(validator=_check_message)
    table: str
    fields: tuple[str, ...]
    needs: tuple[str, ...] = ()
    uses_settings: bool = False
    check: Check = attrs.field(eq=False, repr=False)


def _lit(day: dt.date) -> pl.Expr:
    return pl.lit(dt.date(day.year, day.month, day.day), dtype=pl.Date)


def _cases(i: CheckInputs) -> pl.LazyFrame:
    return i.data["cases"].lazy()


CLOSED_BEFORE_OPENED: Final = CASE_RULES[0]
"""The loader's own closed-before-opened rule, which DQ01 applies to data loaded by other means."""


def closed_before_opened(i: CheckInputs) -> pl.LazyFrame:
    return (
        _cases(i)
        .filter(CLOSED_BEFORE_OPENED.broken())
        .select(pl.col("episode_id").alias("record_id"), "closed", "opened")
    )


def cin_without_assessment(i: CheckInputs) -> pl.LazyFrame:
    cases = i.data["cases"]
    lenient = attrs.evolve(i.profile, on_missing=OnMissing.LENIENT)
    flags = flag_cin_allowed_in_early_help(cases, i.data["single_assessments"], profile=lenient)
    return (
        flags.lazy()
        .with_columns(cases.get_column("opened"))
        .filter(pl.col("allowed").not_())
        .select(pl.col("episode_id").alias("record_id"), "opened", "rule_id")
    )


def open_without_eha(i: CheckInputs) -> pl.LazyFrame:
    if i.settings is None:
        msg = "the open-case check needs the profile's quality settings"
        raise ProfileError(i.profile.profile_id, [("quality", msg)])
    extract = _lit(i.extract_date)
    done = i.data["assessments"].lazy().filter(pl.col("completed") <= extract).select("person_id")
    days = (extract - pl.col("opened")).dt.total_days()
    return (
        _cases(i)
        .filter(open_at_expr("opened", "closed", i.extract_date))
        .with_columns(
            days.alias("days"), pl.lit(i.settings.open_case_without_eha_days).alias("limit")
        )
        .filter(pl.col("days") > pl.col("limit"))
        .join(done.unique(), on="person_id", how="anti")
        .select(pl.col("episode_id").alias("record_id"), "days", "limit", extract.alias("extract"))
    )


def audit_grades_off_scale(i: CheckInputs) -> pl.LazyFrame:
    audits = i.data["audits"].lazy()
    grades = (
        i.data["audit_grades"]
        .lazy()
        .join(audits.select("audit_id", "scale", "completed"), on="audit_id")
    )
    known = pl.col("scale").is_in(pl.Series(list(GRADING_SCALES), dtype=pl.String).implode())
    rating = audits.filter(pl.col("overall_rating").is_not_null())
    graded = grades.filter(pl.col("grade").is_not_null())
    problems = [
        audits.filter(~known).select(
            "audit_id", problem=pl.format("grading scale {} is not known", "scale")
        ),
        rating.filter(known, RATING_ON_SCALE.broken()).select(
            "audit_id", problem=RATING_ON_SCALE.message()
        ),
        graded.filter(known, GRADE_ON_SCALE.broken()).select(
            "audit_id", problem=GRADE_ON_SCALE.message()
        ),
        pl.concat([rating.select("audit_id", "completed"), graded.select("audit_id", "completed")])
        .filter(pl.col("completed").is_null())
        .select("audit_id", problem=pl.lit(GRADED_NOT_COMPLETED)),
    ]
    return (
        pl.concat(problems)
        .unique(maintain_order=True)
        .group_by("audit_id", maintain_order=True)
        .agg(pl.col("problem").str.join("; ").alias("problems"))
        .rename({"audit_id": "record_id"})
    )


def after_extract(table: str, key: str, column: str) -> Check:
    def check(i: CheckInputs) -> pl.LazyFrame:
        extract = _lit(i.extract_date)
        return (
            i.data[table]
            .lazy()
            .filter(pl.col(column) > extract)
            .select(pl.col(key).alias("record_id"), column, extract.alias("extract"))
        )

    return check


def _with_referrals(i: CheckInputs) -> pl.LazyFrame:
    referrals = (
        i.data["referrals"]
        .lazy()
        .select("referral_id", pl.col("person_id").alias("referral_person"), "referral_date")
    )
    return _cases(i).join(referrals, on="referral_id", how="inner")


def opened_before_referral(i: CheckInputs) -> pl.LazyFrame:
    return (
        _with_referrals(i)
        .filter(pl.col("opened") < pl.col("referral_date"))
        .select(pl.col("episode_id").alias("record_id"), "opened", "referral_id", "referral_date")
    )


def overlapping(i: CheckInputs) -> pl.LazyFrame:
    """Cases of one child held on a common day (to the day before closing; same opening day)."""
    ends = pl.col("closed").fill_null(dt.date.max)
    cases = _cases(i).select("episode_id", "person_id", "opened", ends.alias("end"))
    return (
        cases.join(cases, on="person_id", suffix="_other")
        .filter(
            pl.col("episode_id") != pl.col("episode_id_other"),
            ((pl.col("opened") < pl.col("end_other")) & (pl.col("opened_other") < pl.col("end")))
            | (pl.col("opened") == pl.col("opened_other")),
        )
        .sort("episode_id", "opened_other", "episode_id_other")
        .select(pl.col("episode_id").alias("record_id"), pl.col("episode_id_other").alias("other"))
    )


def adult_at_opening(i: CheckInputs) -> pl.LazyFrame:
    born = pl.col("date_of_birth")
    opened = pl.col("opened")
    birthday_to_come = (opened.dt.month() * 100 + opened.dt.day()) < (
        born.dt.month() * 100 + born.dt.day()
    )
    age = opened.dt.year() - born.dt.year() - birthday_to_come.cast(pl.Int32)
    children = i.data["children"].lazy().select("person_id", "date_of_birth")
    return (
        _cases(i)
        .join(children, on="person_id")
        .filter(age >= 18)
        .select(pl.col("episode_id").alias("record_id"), "opened")
    )


def team_mismatch(i: CheckInputs) -> pl.LazyFrame:
    teams = i.data["teams"].lazy().select("team_id", pl.col("locality_id").alias("team_locality"))
    joined = _cases(i).join(teams, on="team_id", how="left")
    unknown = pl.col("team_locality").is_null()
    problem = (
        pl.when(unknown)
        .then(pl.format("team {} is not in the teams table", "team_id"))
        .otherwise(
            pl.format(
                "locality {} is not team {}'s locality {}",
                "locality_id",
                "team_id",
                "team_locality",
            )
        )
    )
    return joined.filter(unknown | (pl.col("locality_id") != pl.col("team_locality"))).select(
        pl.col("episode_id").alias("record_id"), problem.alias("problem")
    )


def unknown_case(table: str, key: str) -> Check:
    def check(i: CheckInputs) -> pl.LazyFrame:
        known = _cases(i).select("episode_id")
        return (
            i.data[table]
            .lazy()
            .filter(pl.col("episode_id").is_not_null())
            .join(known, on="episode_id", how="anti")
            .select(pl.col(key).alias("record_id"), "episode_id")
        )

    return check


def unknown_referral(i: CheckInputs) -> pl.LazyFrame:
    known = i.data["referrals"].lazy().select("referral_id")
    return (
        _cases(i)
        .filter(pl.col("referral_id").is_not_null())
        .join(known, on="referral_id", how="anti")
        .select(pl.col("episode_id").alias("record_id"), "referral_id")
    )


def other_child(i: CheckInputs) -> pl.LazyFrame:
    return (
        _with_referrals(i)
        .filter(pl.col("person_id") != pl.col("referral_person"))
        .select(pl.col("episode_id").alias("record_id"), "referral_id")
    )
