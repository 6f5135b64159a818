"""Academic age and the NEET cohort definitions, versioned by year.

A young person's academic age is their age on the 31 August before the academic
year (1 September to 31 August) that a record falls in: everyone in a school year
group shares it. Who is in the NEET cohort, and which monthly snapshots are
averaged, changed over the years; each definition is a dated version, chosen by
the academic year's first day, never by the clock.

Cohort membership is defined once, in bulk, by :func:`flag_neet_cohort`;
:func:`is_in_neet_cohort` runs it on one record and renders the row, and
:func:`academic_age` evaluates the same expression as :func:`academic_age_expr`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from collections.abc import Sequence
from fractions import Fraction
from typing import Final

import attrs
import polars as pl

from earlyhelp.errors import NotFoundError, ProfileError
from earlyhelp.model._neet import NeetRecord
from earlyhelp.profiles._applying import (
    VERSION_COLUMN,
    ProfileLike,
    pick_by_version,
    resolve_profile,
    version_index,
)
from earlyhelp.profiles._dating import Citation, Effective, in_force
from earlyhelp.profiles._targets import Comparison, Target, target_for
from earlyhelp.rules import text as tx
from earlyhelp.rules._decision import Decision, Fact
from earlyhelp.rules._evidence import EXPLANATION, Rendering, decide
from earlyhelp.rules._evidence import explain as explain_evidence

__all__ = [
    "NEET_COHORT_DEFINITIONS",
    "NEET_DEFINITIONS",
    "NeetCohortDefinition",
    "NeetDenominator",
    "NeetTargets",
    "academic_age",
    "academic_age_expr",
    "academic_year_start",
    "cohort_evidence",
    "flag_neet_cohort",
    "is_in_neet_cohort",
    "neet_cohort_definition",
]


def _as_expr(value: str | pl.Expr) -> pl.Expr:
    return pl.col(value) if isinstance(value, str) else value


def _academic_year(day: pl.Expr) -> pl.Expr:
    """The calendar year in which ``day``'s academic year starts (1 September)."""
    return day.dt.year() - (day.dt.month() < 9).cast(pl.Int32)


def academic_age_expr(date_of_birth: str | pl.Expr, day: str | pl.Expr) -> pl.Expr:
    """Age on the 31 August before ``day``'s academic year, as a polars expression.

    The one definition of academic age. A child born on 31 August is the oldest
    of one year group; one born the next day, 1 September, the youngest of the
    next. A 29 February birthday needs no special rule: 31 August is after it in
    every year.

    Args:
        date_of_birth: a date column's name, or an expression.
        day: a date column's name, or an expression.

    Example:
        >>> frame = pl.DataFrame({"dob": [dt.date(1998, 8, 31), dt.date(1998, 9, 1)],
        ...                       "month": [dt.date(2015, 3, 1)] * 2})
        >>> frame.select(academic_age_expr("dob", "month")).to_series().to_list()
        [16, 15]
    """
    dob, when = _as_expr(date_of_birth), _as_expr(day)
    return (_academic_year(when) - dob.dt.year() - (dob.dt.month() >= 9).cast(pl.Int32)).cast(
        pl.Int64
    )


def academic_year_start(day: dt.date) -> int:
    """The calendar year in which ``day``'s academic year starts (1 September).

    Example:
        >>> academic_year_start(dt.date(2015, 8, 31)), academic_year_start(dt.date(2015, 9, 1))
        (2014, 2015)
    """
    return int(pl.select(_academic_year(pl.lit(day, dtype=pl.Date))).item())


def academic_age(date_of_birth: dt.date, day: dt.date) -> int:
    """:func:`academic_age_expr` for one date of birth and one day.

    Example:
        >>> march = dt.date(2015, 3, 1)
        >>> academic_age(dt.date(1998, 8, 31), march), academic_age(dt.date(1998, 9, 1), march)
        (16, 15)
    """
    expr = academic_age_expr(pl.lit(date_of_birth, dtype=pl.Date), pl.lit(day, dtype=pl.Date))
    return int(pl.select(expr).item())


class NeetDenominator(enum.StrEnum):
    """What the NEET percentage is a percentage of."""

    KNOWN = "known"
    """The cohort less those whose activity is not known."""
    COHORT = "cohort"
    """The whole cohort (so NEET % and not known % add up to the combined figure)."""


@attrs.frozen(kw_only=True)
class NeetCohortDefinition:
    """One version of the NEET cohort definition.

    Attributes:
        rule_id: the version's stable id.
        effective: the academic years it applies to (by their 1 September).
        citation: the definition's source.
        ages: the academic ages in the cohort.
        months: the calendar months whose snapshots are averaged, in order.
        neet_denominator: what NEET % is a percentage of (not known % is always
            a percentage of the whole cohort).
        participation_month: the month whose cohort measures participation, if any.
    """

    rule_id: str
    effective: Effective
    citation: Citation
    ages: tuple[int, ...]
    months: tuple[int, ...]
    neet_denominator: NeetDenominator
    participation_month: int | None = None

    def snapshot_months(self, academic_year: int) -> tuple[dt.date, ...]:
        """The first days of the averaged months in the academic year starting ``academic_year``.

        Example:
            >>> NEET_COHORT_DEFINITIONS[0].snapshot_months(2014)
            (datetime.date(2014, 11, 1), datetime.date(2014, 12, 1), datetime.date(2015, 1, 1))
        """
        return tuple(
            dt.date(academic_year if month >= 9 else academic_year + 1, month, 1)
            for month in self.months
        )


NEET_COHORT_DEFINITIONS: Final = (
    NeetCohortDefinition(
        rule_id="NEET-16-18-NDJ",
        effective=Effective(start=dt.date(2011, 9, 1), end=dt.date(2016, 8, 31)),
        citation=Citation(
            document="DfE NEET statistics, local authority figures (2014-15)",
            section="academic age 16 to 18; average of November, December and January",
        ),
        ages=(16, 17, 18),
        months=(11, 12, 1),
        neet_denominator=NeetDenominator.KNOWN,
    ),
    NeetCohortDefinition(
        rule_id="NEET-16-17-DJF",
        effective=Effective(start=dt.date(2016, 9, 1)),
        citation=Citation(
            document="DfE NEET and participation: local authority figures",
            section="academic age 16 and 17; average of December, January and February; "
            "participation from the March cohort",
        ),
        ages=(16, 17),
        months=(12, 1, 2),
        neet_denominator=NeetDenominator.COHORT,
        participation_month=3,
    ),
)
"""The NEET cohort definitions ``earlyhelp`` knows, oldest first."""


def neet_cohort_definition(
    academic_year: int, definitions: tuple[NeetCohortDefinition, ...] = NEET_COHORT_DEFINITIONS
) -> NeetCohortDefinition:
    """The definition in force for the academic year starting in ``academic_year``.

    Raises:
        NotFoundError: no definition covers that year.

    Example:
        >>> neet_cohort_definition(2014).rule_id, neet_cohort_definition(2016).rule_id
        ('NEET-16-18-NDJ', 'NEET-16-17-DJF')
    """
    found = in_force(definitions, dt.date(academic_year, 9, 1))
    if found is None:
        msg = f"no NEET cohort definition is in force for academic year {academic_year}"
        raise NotFoundError(msg)
    return found


@attrs.frozen(kw_only=True)
class NeetTargets:
    """A council's NEET targets: each figure should be below its target (percentages).

    The targets are the profile's ``[[targets]]`` entries for ``neet_rate`` and
    ``not_known_rate``; read them with :meth:`from_profile`.

    Example:
        >>> import datetime as dt
        >>> derby = NeetTargets.from_profile("derby-2014-15", dt.date(2016, 4, 30))
        >>> derby.neet_below, derby.not_known_below, str(derby.by)
        (Fraction(11, 2), Fraction(5, 1), '2016-04-30')
    """

    neet_below: Fraction
    not_known_below: Fraction
    by: dt.date
    citation: Citation

    @classmethod
    def from_profile(cls, profile: ProfileLike, day: dt.date) -> NeetTargets:
        """The NEET and not-known targets a profile sets in force on ``day``.

        Raises:
            ProfileError: the profile sets no "below" target for one of them then.
        """
        targets = resolve_profile(profile).versions(Target)
        found = {m: target_for(targets, m, day) for m in ("neet_rate", "not_known_rate")}
        values = {}
        for measure_id, target in found.items():
            if target is None or target.comparison is not Comparison.BELOW or target.value is None:
                msg = f"no 'below' target for {measure_id} is in force on {day}"
                raise ProfileError(resolve_profile(profile).profile_id, [("targets", msg)])
            values[measure_id] = Fraction(target.value)
        neet = found["neet_rate"]
        return cls(
            neet_below=values["neet_rate"],
            not_known_below=values["not_known_rate"],
            by=(neet.due if neet is not None and neet.due else day),
            citation=neet.citation if neet is not None else Citation(document="(none)"),
        )


NEET_DEFINITIONS: Final = "national-neet"
"""The name cohort decisions give as their profile: the national NEET definitions."""

_MONTHS: Final = {number: calendar.month_name[number] for number in range(1, 13)}


def _listed(values: Sequence[int]) -> str:
    return ", ".join(map(str, values))


def _parameters(definition: NeetCohortDefinition) -> tuple[Fact, ...]:
    return (
        Fact(name="ages", value=_listed(definition.ages)),
        Fact(name="months", value=", ".join(_MONTHS[m] for m in definition.months)),
        Fact(name="neet_denominator", value=definition.neet_denominator.value),
    )


def _rendering() -> Rendering[NeetCohortDefinition]:
    """How the cohort evidence reads in words."""
    month = tx.col("record_month").strftime("%B %Y")
    who = tx.concat_str(tx.lit("person "), tx.col("person_id"))
    age = tx.col("academic_age").cast(pl.String)
    summary = tx.concat_str(
        tx.when(tx.col("in_cohort"))
        .then(tx.lit("In the NEET cohort: "))
        .otherwise(tx.lit("Not in the NEET cohort: ")),
        who,
        tx.lit(", academic age "),
        age,
        tx.lit(" in "),
        month,
    )
    reason = tx.concat_str(
        tx.lit("academic age "),
        age,
        tx.when(tx.col("age_in")).then(tx.lit(" is")).otherwise(tx.lit(" is not")),
        tx.lit(" one of "),
        tx.col("ages"),
        tx.lit("; "),
        month,
        tx.when(tx.col("month_in")).then(tx.lit(" is")).otherwise(tx.lit(" is not")),
        tx.lit(" a snapshot month ("),
        tx.col("snapshots"),
        tx.lit(")"),
    )
    unruled = tx.concat_str(
        tx.lit("No decision: no NEET cohort definition is in force for the academic year "),
        tx.lit("starting 01/09/"),
        tx.col("academic_year"),
    )
    return Rendering(
        question="NEET cohort",
        subject=tx.concat_str(who, tx.lit(", "), month),
        as_of=pl.col("record_month"),
        outcome=pl.col("in_cohort"),
        summary=summary,
        reason=reason,
        unruled=unruled,
        inputs=(
            ("person_id", tx.col("person_id")),
            ("record_month", month),
            ("academic_age", age),
        ),
        parameters=_parameters,
    )


_RENDERING: Final = _rendering()

_OUTPUT: Final = (
    "person_id",
    "record_month",
    "activity_code",
    "academic_age",
    "in_cohort",
    "neet_denominator",
    "rule_id",
)


def _evidence(
    neet: pl.LazyFrame,
    versions: Sequence[NeetCohortDefinition],
    months: Sequence[dt.date] | None,
    *,
    fixed: bool,
    texts: bool = True,
) -> pl.LazyFrame:
    """The definition: each record's academic age, the version applied and its membership.

    With ``texts``, also the ages and snapshot months in words and the academic
    year (for explanations).
    """
    month = pl.col("record_month")
    if fixed:  # one definition given: it applies to every record
        index = pl.lit(0, dtype=pl.UInt32)
    else:
        first_day = pl.date(_academic_year(month), 9, 1)
        index = version_index(versions, first_day)
    frame = neet.with_columns(
        academic_age_expr("date_of_birth", "record_month").alias("academic_age"),
        index.alias(VERSION_COLUMN),
    )

    age = pl.col("academic_age")
    age_in = pick_by_version(
        {i: age.is_in(list(v.ages)) for i, v in enumerate(versions)}, pl.Boolean()
    )
    if months is None:
        number = month.dt.month().cast(pl.Int64)
        month_in = pick_by_version(
            {i: number.is_in(list(v.months)) for i, v in enumerate(versions)}, pl.Boolean()
        )
        snapshots = pick_by_version(
            {i: pl.lit(", ".join(_MONTHS[m] for m in v.months)) for i, v in enumerate(versions)},
            pl.String(),
        )
    else:
        given = sorted(set(months))
        month_in = month.is_in(given)
        snapshots = pl.lit("given: " + ", ".join(f"{_MONTHS[d.month]} {d.year}" for d in given))
    ruled = pl.col(VERSION_COLUMN).is_not_null()
    if texts:
        frame = frame.with_columns(
            pick_by_version(
                {i: pl.lit(_listed(v.ages)) for i, v in enumerate(versions)}, pl.String()
            ).alias("ages"),
            pl.when(ruled).then(snapshots).alias("snapshots"),
            _academic_year(month).alias("academic_year"),
        )
    frame = frame.with_columns(
        age_in.alias("age_in"),
        pl.when(ruled).then(month_in).alias("month_in"),
        pick_by_version({i: pl.lit(v.rule_id) for i, v in enumerate(versions)}, pl.String())
        .cast(pl.Enum([v.rule_id for v in versions]))
        .alias("rule_id"),
        pick_by_version(
            {i: pl.lit(v.neet_denominator.value) for i, v in enumerate(versions)}, pl.String()
        ).alias("neet_denominator"),
    )
    return frame.with_columns((pl.col("age_in") & pl.col("month_in")).alias("in_cohort")).drop(
        VERSION_COLUMN
    )


def cohort_evidence(
    neet: pl.DataFrame | pl.LazyFrame,
    *,
    definition: NeetCohortDefinition | None = None,
    months: Sequence[dt.date] | None = None,
    texts: bool = False,
) -> pl.LazyFrame:
    """:func:`flag_neet_cohort`'s evaluation, lazily, with every evidence column."""
    versions = NEET_COHORT_DEFINITIONS if definition is None else (definition,)
    return _evidence(neet.lazy(), versions, months, fixed=definition is not None, texts=texts)


def flag_neet_cohort(
    neet: pl.DataFrame | pl.LazyFrame,
    *,
    definition: NeetCohortDefinition | None = None,
    months: Sequence[dt.date] | None = None,
    explain: bool = False,
) -> pl.DataFrame:
    """Flag each NEET record as in the cohort or not: the one definition of membership.

    A record is in the cohort when the young person's academic age in the
    record's month is one of the definition's ages, and the month is one of the
    snapshot months. The definition applied is the one in force for the
    record's academic year (by its 1 September), unless one is given; the
    snapshot months are the definition's months of the year, unless given.

    Args:
        neet: the ``neet`` table (at least ``person_id``, ``date_of_birth``,
            ``record_month`` and ``activity_code``).
        definition: apply this definition to every record, whatever its dates.
        months: the snapshot months (first days) instead of the definition's.
        explain: add an ``explanation`` column: each record's decision in words,
            exactly as ``str(is_in_neet_cohort(...))`` prints it. It never shows
            the date of birth, only the academic age.

    Returns:
        One row per record, in input order: ``person_id``, ``record_month``,
        ``activity_code``, ``academic_age``, ``in_cohort`` (null where no
        definition is in force), ``neet_denominator`` and ``rule_id``.

    Example:
        >>> neet = pl.DataFrame({
        ...     "person_id": ["Y1", "Y2", "Y3"],
        ...     "date_of_birth": [dt.date(1998, 8, 31), dt.date(1998, 9, 1), dt.date(1998, 8, 31)],
        ...     "record_month": [dt.date(2014, 12, 1)] * 2 + [dt.date(2015, 3, 1)],
        ...     "activity_code": ["540", "130", "810"]})
        >>> flag_neet_cohort(neet).select("person_id", "academic_age", "in_cohort").rows()
        [('Y1', 16, True), ('Y2', 15, False), ('Y3', 16, False)]
        >>> print(flag_neet_cohort(neet, explain=True)["explanation"][2])
        Not in the NEET cohort: person Y3, academic age 16 in March 2015
        Decided on 01/03/2015 under profile national-neet:
        - rule NEET-16-18-NDJ does not apply: academic age 16 is one of 16, 17, 18; March 2015 is not a snapshot month (November, December, January)
          read: person_id = Y3; record_month = March 2015; academic_age = 16
          using: ages = 16, 17, 18; months = November, December, January; neet_denominator = known (in force 01/09/2011 to 31/08/2016)
          source: DfE NEET statistics, local authority figures (2014-15), academic age 16 to 18; average of November, December and January
    """
    versions = NEET_COHORT_DEFINITIONS if definition is None else (definition,)
    evidence = cohort_evidence(neet, definition=definition, months=months, texts=explain)
    if explain:
        evidence = explain_evidence(evidence, _RENDERING, versions, NEET_DEFINITIONS).select(
            *_OUTPUT, EXPLANATION
        )
    else:
        evidence = evidence.select(_OUTPUT)
    return evidence.collect(engine="in-memory")


def is_in_neet_cohort(
    record: NeetRecord,
    *,
    definition: NeetCohortDefinition | None = None,
    months: Sequence[dt.date] | None = None,
) -> Decision:
    """Whether one NEET record is in the cohort, and why.

    Runs :func:`flag_neet_cohort` on the one record and renders its row: the
    decision's ``str()`` is that row's ``explanation``. The outcome is ``None``
    when no definition is in force for the record's academic year.

    Args:
        record: the record.
        definition: apply this definition, whatever its dates.
        months: the snapshot months (first days) instead of the definition's.

    Example:
        >>> from earlyhelp.model import NeetRecord
        >>> record = NeetRecord(person_id="Y1", date_of_birth=dt.date(1998, 8, 31),
        ...                     record_month=dt.date(2014, 12, 1), activity_code="540")
        >>> decision = is_in_neet_cohort(record)
        >>> decision.outcome, decision.summary
        (True, 'In the NEET cohort: person Y1, academic age 16 in December 2014')
        >>> is_in_neet_cohort(record, months=[dt.date(2015, 3, 1)]).outcome
        False
    """
    versions = NEET_COHORT_DEFINITIONS if definition is None else (definition,)
    frame = pl.DataFrame(
        {
            "person_id": [record.person_id],
            "date_of_birth": [record.date_of_birth],
            "record_month": [record.record_month],
            "activity_code": [record.activity_code],
        },
        schema={
            "person_id": pl.String,
            "date_of_birth": pl.Date,
            "record_month": pl.Date,
            "activity_code": pl.String,
        },
    )
    evidence = _evidence(frame.lazy(), versions, months, fixed=definition is not None)
    (decision,) = decide(evidence, _RENDERING, versions, NEET_DEFINITIONS)
    return decision
