"""Data-quality rules over a whole :class:`Dataset`, and the exceptions report they give.

:data:`QUALITY_RULES` is the registry, as data: each :class:`QualityRule` has a
code, a severity, a message, the table it reports on, the fields it affects and
a bulk check (in :mod:`earlyhelp.rules._quality_checks`). :func:`check_quality`
runs them with the profile's quality settings in force on the extract date and
gives a :class:`QualityReport`: one row per offending record per rule, naming
the record by id, ready for a data manager as CSV or XLSX.
"""

from __future__ import annotations

import datetime as dt
import os
import string
from pathlib import Path
from typing import Final

import attrs
import polars as pl

from earlyhelp.io._dataset import Dataset
from earlyhelp.io._exports import write_csv
from earlyhelp.periods._dates import uk_date
from earlyhelp.profiles._applying import ProfileLike, no_rule_in_force, resolve_profile
from earlyhelp.profiles._dating import OnMissing
from earlyhelp.rules._quality_checks import (
    CLOSED_BEFORE_OPENED,
    CheckInputs,
    QualityRule,
    Severity,
    adult_at_opening,
    after_extract,
    audit_grades_off_scale,
    cin_without_assessment,
    closed_before_opened,
    open_without_eha,
    opened_before_referral,
    other_child,
    overlapping,
    team_mismatch,
    unknown_case,
    unknown_referral,
)
from earlyhelp.rules._quality_settings import QualitySettings
from earlyhelp.rules.text import UK_DATE

__all__ = ["EXCEPTION_SCHEMA", "QUALITY_RULES", "QualityReport", "check_quality"]

_E, _Q = Severity.ERROR, Severity.QUERY

QUALITY_RULES: Final[tuple[QualityRule, ...]] = (
    QualityRule(
        code="DQ01",
        severity=_E,
        title="case closed before it opened",
        message=CLOSED_BEFORE_OPENED.template,
        table="cases",
        fields=("closed", "opened"),
        check=closed_before_opened,
    ),
    QualityRule(
        code="DQ02",
        severity=_Q,
        title="child in need case held in early help without a completed single assessment",
        message="child in need case (level 3) opened in early help on {opened} with no "
        "single assessment meeting rule {rule_id} completed by then",
        table="cases",
        fields=(
            "level_of_need",
            "opened",
            "single_assessments.completed",
            "single_assessments.by_qualified_social_worker",
        ),
        needs=("single_assessments",),
        check=cin_without_assessment,
    ),
    QualityRule(
        code="DQ03",
        severity=_Q,
        title="open case with no completed Early Help Assessment",
        message="open {days} days at the extract date {extract} with no completed Early Help "
        "Assessment for the child (more than {limit} days)",
        table="cases",
        fields=("opened", "closed", "assessments.completed"),
        needs=("assessments",),
        uses_settings=True,
        check=open_without_eha,
    ),
    QualityRule(
        code="DQ04",
        severity=_E,
        title="audit grade outside its scale, or graded but not completed",
        message="{problems}",
        table="audits",
        fields=("scale", "overall_rating", "completed", "audit_grades.grade"),
        check=audit_grades_off_scale,
    ),
    QualityRule(
        code="DQ05",
        severity=_E,
        title="referral dated after the extract date",
        message="referral dated {referral_date}, after the extract date {extract}",
        table="referrals",
        fields=("referral_date",),
        check=after_extract("referrals", "referral_id", "referral_date"),
    ),
    QualityRule(
        code="DQ06",
        severity=_E,
        title="case opened after the extract date",
        message="opened {opened}, after the extract date {extract}",
        table="cases",
        fields=("opened",),
        check=after_extract("cases", "episode_id", "opened"),
    ),
    QualityRule(
        code="DQ07",
        severity=_E,
        title="case opened before its referral was received",
        message="opened {opened}, before referral {referral_id} was received on {referral_date}",
        table="cases",
        fields=("opened", "referral_id", "referrals.referral_date"),
        check=opened_before_referral,
    ),
    QualityRule(
        code="DQ08",
        severity=_Q,
        title="two early help cases of the same child open at once",
        message="open at the same time as case {other} of the same child",
        table="cases",
        fields=("person_id", "opened", "closed"),
        check=overlapping,
    ),
    QualityRule(
        code="DQ09",
        severity=_Q,
        title="child aged 18 or over when the case opened",
        message="the child was aged 18 or over when the case opened on {opened}",
        table="cases",
        fields=("person_id", "opened", "children.date_of_birth"),
        check=adult_at_opening,
    ),
    QualityRule(
        code="DQ10",
        severity=_E,
        title="case team unknown, or not in the case's locality",
        message="{problem}",
        table="cases",
        fields=("team_id", "locality_id"),
        needs=("teams",),
        check=team_mismatch,
    ),
    QualityRule(
        code="DQ11",
        severity=_Q,
        title="survey response for an unknown case",
        message="case {episode_id} is not in the cases table",
        table="surveys",
        fields=("episode_id",),
        needs=("cases",),
        check=unknown_case("surveys", "response_id"),
    ),
    QualityRule(
        code="DQ12",
        severity=_Q,
        title="case file audit of an unknown case",
        message="case {episode_id} is not in the cases table",
        table="audits",
        fields=("episode_id",),
        needs=("cases",),
        check=unknown_case("audits", "audit_id"),
    ),
    QualityRule(
        code="DQ13",
        severity=_E,
        title="case closed after the extract date",
        message="closed {closed}, after the extract date {extract}",
        table="cases",
        fields=("closed",),
        check=after_extract("cases", "episode_id", "closed"),
    ),
    QualityRule(
        code="DQ14",
        severity=_Q,
        title="case opened from a referral not in the extract",
        message="referral {referral_id} is not in the referrals table",
        table="cases",
        fields=("referral_id",),
        needs=("referrals",),
        check=unknown_referral,
    ),
    QualityRule(
        code="DQ15",
        severity=_E,
        title="case and its referral are about different children",
        message="the child is not the child of referral {referral_id}",
        table="cases",
        fields=("person_id", "referral_id", "referrals.person_id"),
        check=other_child,
    ),
    QualityRule(
        code="DQ16",
        severity=_E,
        title="Early Help Assessment started after the extract date",
        message="started {started}, after the extract date {extract}",
        table="assessments",
        fields=("started",),
        check=after_extract("assessments", "assessment_id", "started"),
    ),
)
"""Every data-quality rule, in code order."""

EXCEPTION_SCHEMA: Final = {
    name: pl.String() for name in ("code", "severity", "table", "record_id", "fields", "message")
}
"""The columns of :attr:`QualityReport.exceptions`, all text."""


def _value(name: str, dtype: pl.DataType) -> pl.Expr:
    column = pl.col(name)
    text = column.dt.strftime(UK_DATE) if dtype == pl.Date else column.cast(pl.String)
    return text.fill_null("none")


def _exceptions(rule: QualityRule, found: pl.LazyFrame) -> pl.LazyFrame:
    """A check's rows in the shape of :data:`EXCEPTION_SCHEMA`, one per record."""
    schema = found.collect_schema()
    parts = list(string.Formatter().parse(rule.message))
    template = "".join(text + ("{}" if name else "") for text, name, _, _ in parts)
    values = [_value(name, schema[name]) for _, name, _, _ in parts if name]
    message = pl.format(template, *values) if values else pl.lit(template)
    return found.select(
        pl.lit(rule.code).alias("code"),
        pl.lit(rule.severity.value).alias("severity"),
        pl.lit(rule.table).alias("table"),
        pl.col("record_id").cast(pl.String),
        pl.lit(", ".join(rule.fields)).alias("fields"),
        message.alias("message"),
    ).unique(subset="record_id", keep="first", maintain_order=True)


@attrs.frozen(kw_only=True)
class QualityReport:
    """The exceptions the data-quality rules found in a dataset.

    Attributes:
        extract_date: the date the data were extracted, which chose the settings.
        profile: the profile's id.
        settings: the quality settings version applied (``None`` if none in force).
        rules: the rules that ran.
        skipped: ``(code, why)`` for each rule that did not run.
        exceptions: one row per offending record per rule: ``code``, ``severity``,
            ``table``, ``record_id``, ``fields`` (comma-separated) and ``message``,
            ordered by code and record id.
    """

    extract_date: dt.date
    profile: str
    settings: str | None
    rules: tuple[QualityRule, ...]
    skipped: tuple[tuple[str, str], ...] = ()
    exceptions: pl.DataFrame = attrs.field(eq=False, repr=False)

    def summary(self) -> pl.DataFrame:
        """Offending records per rule that ran: ``code``, ``severity``, ``title``, ``records``."""
        counts = self.exceptions.group_by("code").agg(pl.len().cast(pl.Int64).alias("records"))
        rules = pl.DataFrame(
            [(r.code, r.severity.value, r.title) for r in self.rules],
            schema={"code": pl.String, "severity": pl.String, "title": pl.String},
            orient="row",
        )
        return rules.join(counts, on="code", how="left", maintain_order="left").with_columns(
            pl.col("records").fill_null(0)
        )

    def write_csv(self, path: str | os.PathLike[str]) -> None:
        """Write the exceptions to a CSV file (UTF-8, with a header row).

        Text cells that a spreadsheet would run as a formula are neutralised
        (see :func:`earlyhelp.io._exports.write_csv`).
        """
        write_csv(self.exceptions, path)

    def write_xlsx(self, path: str | os.PathLike[str]) -> None:
        """Write the exceptions to an XLSX workbook, on a sheet named ``exceptions``."""
        self.exceptions.write_excel(Path(path), worksheet="exceptions", autofit=True)

    def __str__(self) -> str:
        errors = self.exceptions.filter(pl.col("severity") == Severity.ERROR.value).height
        lines = [
            f"Data quality at {uk_date(self.extract_date)} under profile {self.profile}: "
            f"{self.exceptions.height:,} exceptions ({errors:,} errors, "
            f"{self.exceptions.height - errors:,} queries) from {len(self.rules)} rules"
        ]
        for code, severity, title, records in self.summary().iter_rows():
            if records:
                lines.append(f"  {code} ({severity}) {title}: {records:,}")
        lines.extend(f"  {code} not run: {why}" for code, why in self.skipped)
        return "\n".join(lines)


def check_quality(
    data: Dataset,
    *,
    profile: ProfileLike,
    extract_date: dt.date,
    rules: tuple[QualityRule, ...] = QUALITY_RULES,
) -> QualityReport:
    """Run the data-quality rules over a dataset.

    The profile's quality settings in force on ``extract_date`` give the rules'
    parameters and the codes this council does not apply. A rule is skipped,
    with the reason recorded, when disabled, when a table it needs was not
    supplied, or when it needs settings and none are in force (lenient profiles).

    Args:
        data: the loaded dataset.
        profile: a :class:`Profile`, a shipped profile's name or a profile file.
        extract_date: the day the data were extracted.
        rules: the rules to run; by default every rule in :data:`QUALITY_RULES`.

    Raises:
        NoRuleInForceError: no quality settings are in force on ``extract_date``,
            under a strict profile.

    Example:
        >>> cases = pl.DataFrame({
        ...     "episode_id": ["C-1", "C-2"], "person_id": ["P-1", "P-2"],
        ...     "team_id": ["T1U", "T1U"], "locality_id": ["L1", "L1"],
        ...     "opened": ["2015-03-02", "2015-04-02"], "level_of_need": ["2", "2"],
        ... })
        >>> report = check_quality(
        ...     Dataset.load({"cases": cases}), profile="derby-2014-15",
        ...     extract_date=dt.date(2015, 3, 31))
        >>> report.exceptions.select("code", "record_id", "message").rows()
        [('DQ06', 'C-2', 'opened 02/04/2015, after the extract date 31/03/2015')]
        >>> report.skipped[0]
        ('DQ02', 'table single_assessments was not supplied')
    """
    prof = resolve_profile(profile)
    settings: QualitySettings | None = prof.rule("quality", extract_date)
    if settings is None and prof.on_missing is OnMissing.STRICT:
        raise no_rule_in_force("data quality", extract_date, prof, "extract")
    inputs = CheckInputs(data=data, profile=prof, extract_date=extract_date, settings=settings)
    ran: list[QualityRule] = []
    skipped: list[tuple[str, str]] = []
    found: list[pl.LazyFrame] = []
    for rule in rules:
        missing = [table for table in rule.needs if table not in data]
        if settings is not None and rule.code in settings.disabled:
            skipped.append((rule.code, f"disabled by quality settings {settings.rule_id}"))
        elif missing:
            skipped.append((rule.code, f"table {', '.join(missing)} was not supplied"))
        elif rule.uses_settings and settings is None:
            skipped.append((rule.code, f"no quality settings in force on {uk_date(extract_date)}"))
        else:
            ran.append(rule)
            found.append(_exceptions(rule, rule.check(inputs)))
    exceptions = (
        pl.concat(found).sort("code", "record_id").collect(engine="in-memory")
        if found
        else pl.DataFrame(schema=EXCEPTION_SCHEMA)
    )
    return QualityReport(
        extract_date=extract_date,
        profile=prof.profile_id,
        settings=None if settings is None else settings.rule_id,
        rules=tuple(ran),
        skipped=tuple(skipped),
        exceptions=exceptions,
    )
