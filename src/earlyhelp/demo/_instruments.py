"""The demo dataset's instruments: surveys, spider graphs, case file audits and NEET.

Each builder draws from a shared :class:`numpy.random.Generator` and reads only
the finished ``cases`` table, so the instruments never reach into how the
casework was simulated. The small column helpers (:func:`dates`, :func:`ids`,
:func:`pick`, :func:`table`) are shared with :mod:`earlyhelp.demo._generate`.

All survey comments are synthetic phrases written for this module: they are not
any real person's words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt
import polars as pl

from earlyhelp.io._tables import SCHEMAS

__all__ = [
    "OPEN",
    "DemoWindow",
    "Floats",
    "Ints",
    "audits",
    "dates",
    "draw",
    "ids",
    "neet",
    "pick",
    "serial",
    "spider",
    "surveys",
    "table",
]

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]

OPEN: Final = 2**31 - 1
"""The day number standing for "not closed yet", so ``closed > day`` means open at ``day``."""

_EPOCH: Final = dt.date(1970, 1, 1)


@attrs.frozen(kw_only=True)
class DemoWindow:
    """The financial years simulated, as day numbers since 1970-01-01, and the size."""

    first_year: int
    years: int
    scale: float
    """Size relative to the source city (``cases_per_year / 1500``)."""

    @property
    def start(self) -> int:
        """1 April of the first financial year."""
        return (dt.date(self.first_year, 4, 1) - _EPOCH).days

    @property
    def end(self) -> int:
        """31 March of the last financial year: the extract date."""
        return (dt.date(self.first_year + self.years, 3, 31) - _EPOCH).days


def dates(days: Ints, valid: npt.NDArray[np.bool_] | None = None) -> pl.Series:
    """Day numbers as a polars Date series, null where ``valid`` is false."""
    series = pl.Series(days.astype(np.int32)).cast(pl.Date)
    if valid is not None and not valid.all():
        series = series.scatter(np.flatnonzero(~valid), None)
    return series


def ids(prefix: str, numbers: Ints) -> pl.Series:
    """Ids such as ``C0000042``: a prefix and a zero-padded number."""
    digits = pl.lit(pl.Series(numbers)).cast(pl.String).str.zfill(7)
    return pl.select(pl.concat_str(pl.lit(prefix), digits)).to_series()


def pick(options: Sequence[str], index: Ints) -> pl.Series:
    """The strings ``options[index]``, gathered in polars (no numpy string arrays)."""
    return pl.Series(list(options), dtype=pl.String).gather(index)


def serial(prefix: str, n: int) -> pl.Series:
    """``n`` ids numbered from 1: ``C0000001``, ``C0000002``..."""
    return ids(prefix, np.arange(1, n + 1))


def draw(
    rng: np.random.Generator,
    options: Sequence[str],
    n: int,
    p: Sequence[float] | Floats | None = None,
) -> pl.Series:
    """``n`` strings drawn from ``options``, uniformly or with probabilities ``p``."""
    return pick(options, rng.choice(len(options), size=n, p=p))


def table(name: str, columns: Mapping[str, pl.Series | Sequence[object]]) -> pl.DataFrame:
    """A frame with exactly the declared columns of ``name``, in order, with their types.

    Optional columns not given are empty.
    """
    schema = SCHEMAS[name].polars_schema
    given = pl.DataFrame({col: columns[col] for col in schema if col in columns})
    return given.select(
        (pl.col(col) if col in columns else pl.lit(None)).cast(dtype).alias(col)
        for col, dtype in schema.items()
    )


def _open_days(cases: pl.DataFrame) -> tuple[Ints, Ints]:
    opened = cases["opened"].cast(pl.Int64).to_numpy()
    closed = cases["closed"].cast(pl.Int64).fill_null(OPEN).to_numpy()
    return opened, closed


_ANSWERS: Final = ("yes", "no", "not_answered")
_ANSWER_P: Final = (0.80, 0.13, 0.07)
_COMMENTS: Final = (
    "Helped us get proper routines in place at bedtime and in the morning.",
    "The parenting strategies really worked for us.",
    "I feel much more confident as a parent now.",
    "My worker helped my son's confidence at school.",
    "For the first time someone actually listened to me.",
    "She listened and never judged us.",
    "Helped me sort out the housing problem.",
    "Got help with debts and budgeting.",
    "Came with me to appointments when I was struggling.",
    "We got on well with our worker and could be honest.",
    "It would have helped to meet more often.",
    "It took too long to get started; quicker contact would be better.",
)


def surveys(rng: np.random.Generator, cases: pl.DataFrame, window: DemoWindow) -> pl.DataFrame:
    """About 160 How Was It For You responses a year, each about a case closed in the window."""
    closed = _open_days(cases)[1]
    pool = np.flatnonzero((closed >= window.start) & (closed <= window.end))
    n = min(len(pool), round(160 * window.scale * window.years))
    chosen = np.sort(rng.choice(pool, size=n, replace=False))
    received = np.minimum(closed[chosen] + rng.integers(0, 42, n), window.end)
    order = np.argsort(received, kind="stable")
    chosen, received = chosen[order], received[order]
    episode = cases["episode_id"].gather(chosen)
    anonymous = rng.random(n) < 0.1
    answers = {
        question: draw(rng, _ANSWERS, n, _ANSWER_P)
        for question in ("respected", "listened_to", "helped")
    }
    comments = draw(rng, _COMMENTS, n)
    return table(
        "surveys",
        {
            "response_id": serial("H", n),
            "episode_id": episode.scatter(np.flatnonzero(anonymous), None),
            "team_id": cases["team_id"].gather(chosen),
            "received": dates(received),
            **answers,
            "comments": comments.scatter(np.flatnonzero(rng.random(n) < 0.25), None),
        },
    )


SPIDER_SCALES: Final = ("routines", "health", "school", "home", "relationships", "safety")
"""Generic spider graph scales (the council's own scales are licensed texts)."""


def spider(rng: np.random.Generator, cases: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Scales, and readings for about half the closed cases: 66% improve, 8% do not change.

    Each graph has a start and an end reading and, for about 60% of graphs, one
    review between them; dates lie within the case and never go backwards.
    """
    k = len(SPIDER_SCALES)
    scales = table(
        "spider_scales",
        {"scale": list(SPIDER_SCALES), "minimum": [1] * k, "maximum": [10] * k,
         "higher_is_better": [True] * k},
    )  # fmt: skip
    opened, closed = _open_days(cases)
    graph = np.flatnonzero(
        (closed != OPEN) & (closed - opened >= 14) & (rng.random(len(cases)) < 0.5)
    )
    n = len(graph)
    span = closed[graph] - opened[graph]
    first = opened[graph] + rng.integers(0, span // 4 + 1)
    last = closed[graph] - rng.integers(0, span // 4 + 1)
    middle = first + (rng.uniform(0.3, 0.7, n) * (last - first)).astype(np.int64)
    start = rng.integers(3, 8, (n, k))
    improving = rng.random(n) < 0.66
    change = np.where(improving[:, None], rng.integers(0, 3, (n, k)), rng.integers(-2, 1, (n, k)))
    flat = improving & (change.sum(axis=1) == 0)
    change[flat, rng.integers(0, k, int(flat.sum()))] += 1
    # of the rest, about a quarter show no change at all, and the others get worse
    steady = ~improving & (rng.random(n) < 0.25)
    change[steady] = 0
    level = ~improving & ~steady & (change.sum(axis=1) == 0)
    change[level, rng.integers(0, k, int(level.sum()))] -= 1
    review = start + np.rint(change * rng.random((n, k))).astype(np.int64)
    has_review = rng.random(n) < 0.6
    per_graph = 2 + has_review.astype(np.int64)
    graph_of = np.repeat(np.arange(n), per_graph)
    offset = np.cumsum(per_graph) - per_graph
    position = np.arange(len(graph_of)) - offset[graph_of]
    stage = np.where(position == 0, 0, np.where(position == per_graph[graph_of] - 1, 2, 1))
    when = np.choose(stage, (first[graph_of], middle[graph_of], last[graph_of]))
    scores = np.choose(
        stage[:, None], (start[graph_of], review[graph_of], (start + change)[graph_of])
    )
    rows = np.repeat(np.arange(len(graph_of)), k)
    readings = table(
        "spider_readings",
        {
            "graph_id": ids("G", graph_of[rows] + 1),
            "episode_id": cases["episode_id"].gather(graph[graph_of[rows]]),
            "stage": pick(("start", "review", "end"), stage[rows]),
            "reading_date": dates(when[rows]),
            "scale": pick(SPIDER_SCALES, np.tile(np.arange(k), len(graph_of))),
            "score": pl.Series(scores.ravel()),
        },
    )
    return scales, readings


AUDIT_MEASURES: Final = (
    "Response to initial contact",
    "Appropriateness of decision on contact",
    "Assessment quality - CAF",
    "Engagement & participation - BOTH parents",
    "Engagement & participation - Child",
    "Engagement & participation - Multi agency network",
    "Diversity issues addressed",
    "Care plan - Early Help",
    "Direct intervention focus and level",
    "Indirect work",
    "Risk analysis and decision making",
    "Escalating Concerns or Need for S47",
    "Missing Episode",
    "Care leavers and Young people away from home",
    "Reviews",
    "User feedback obtained",
    "Management oversight and Supervision",
    "Case file and recording",
    "Outcomes",
)
"""The 19 quality measures of the source city's case file audit."""

_RARELY_APPLICABLE: Final = ("Missing Episode", "Care leavers and Young people away from home")
# Each measure's grade shares (missing, poor, satisfactory, good, outstanding), in the
# spirit of the source report's findings: engagement and direct work are strengths;
# assessments, plans, reviews and user feedback are where the weaknesses lie.
_STRONG: Final = (0.0, 0.10, 0.40, 0.40, 0.10)
_MIDDLING: Final = (0.0, 0.16, 0.50, 0.34, 0.0)
_WEAK: Final = (0.10, 0.24, 0.46, 0.20, 0.0)
_GRADE_SHARES: Final = {
    "Response to initial contact": _STRONG,
    "Appropriateness of decision on contact": _STRONG,
    "Assessment quality - CAF": _WEAK,
    "Engagement & participation - BOTH parents": _STRONG,
    "Engagement & participation - Child": _STRONG,
    "Engagement & participation - Multi agency network": _STRONG,
    "Care plan - Early Help": _WEAK,
    "Direct intervention focus and level": _STRONG,
    "Reviews": _WEAK,
    "User feedback obtained": _WEAK,
}
_AUDITS_A_YEAR: Final = 86  # scheduled in the source city's year (its 2014-15: 86)
_COMPLETED: Final = 0.6  # completed share (its 2014-15: 52 of 86)
_RARELY_GRADED: Final = 0.06  # share of audits grading a rarely applicable measure: few, hidden
_AUDITORS: Final = ("senior manager", "service manager", "head of service")


def _publishable(counts: Ints, threshold: int) -> Ints:
    """Grade counts (one row per measure) with no count from 1 to ``threshold - 1``.

    A small count at an end of the scale moves one grade inwards, until it
    reaches satisfactory (the middle grade): so a row of counts that is large
    enough is published whole and its heat map row is shaded.
    """
    counts = counts.copy()
    middle = counts.shape[1] // 2
    for grade in (0, counts.shape[1] - 1, 1, counts.shape[1] - 2):
        if grade == middle:
            continue
        inward = grade + 1 if grade < middle else grade - 1
        small = (counts[:, grade] > 0) & (counts[:, grade] < threshold)
        counts[small, inward] += counts[small, grade]
        counts[small, grade] = 0
    return counts


def _grade_counts(rng: np.random.Generator, graded: Ints, threshold: int) -> Ints:
    """How many of each measure's ``graded`` audits get each grade (a measures x 5 array)."""
    shares = np.array([_GRADE_SHARES.get(m, _MIDDLING) for m in AUDIT_MEASURES])
    jittered = shares * rng.uniform(0.8, 1.2, shares.shape)
    jittered /= jittered.sum(axis=1, keepdims=True)
    exact = jittered * graded[:, None]
    counts = np.floor(exact).astype(np.int64)
    short = graded - counts.sum(axis=1)
    # largest remainders first, so every row adds up to its graded audits
    order = np.argsort(-(exact - counts), axis=1, kind="stable")
    rank = np.argsort(order, axis=1, kind="stable")
    counts += (rank < short[:, None]).astype(np.int64)
    return _publishable(counts, threshold)


def _grades_for(rng: np.random.Generator, n: int, threshold: int) -> npt.NDArray[np.float64]:
    """Grades of ``n`` completed audits (audits x measures; NaN where not applicable)."""
    m = len(AUDIT_MEASURES)
    rare = np.isin(np.array(AUDIT_MEASURES), _RARELY_APPLICABLE)
    applies = np.ones((n, m), dtype=bool)
    for rare_column in np.flatnonzero(rare).tolist():
        applies[:, rare_column] = rng.permutation(n) < round(_RARELY_GRADED * n)
    counts = _grade_counts(rng, applies.sum(axis=0).astype(np.int64), threshold)
    grades = np.full((n, m), np.nan)
    for column in range(m):
        values = rng.permutation(np.repeat(np.arange(5), counts[column]))
        grades[applies[:, column], column] = values
    return grades


def audits(
    rng: np.random.Generator, cases: pl.DataFrame, window: DemoWindow, threshold: int = 5
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """86 audits scheduled a year at the source city's size, 60% of them completed.

    Each financial year, ``86 x scale`` audits are scheduled on cases open on
    the day, and 60% of them are completed, graded on derby-0-4: every quality
    measure but the two rarely applicable ones is graded in every completed
    audit, each with its own spread of grades (strengths and weaknesses); the
    two are graded in so few (6%) that the report hides them ([c]); and
    no grade count of a year is below the council's published ``threshold``
    unless it is 0 (see :func:`_publishable`), so the published heat map is shaded.
    """
    opened, closed = _open_days(cases)
    chosen_parts, scheduled_parts, done_parts, grade_parts = [], [], [], []
    for offset in range(window.years):
        start = (dt.date(window.first_year + offset, 4, 1) - _EPOCH).days
        end = (dt.date(window.first_year + offset + 1, 3, 31) - _EPOCH).days
        pool = np.flatnonzero((opened <= end) & (closed >= start))
        n = min(len(pool), round(_AUDITS_A_YEAR * window.scale))
        chosen = rng.choice(pool, size=n, replace=False)
        low, high = np.maximum(opened[chosen], start), np.minimum(closed[chosen], end)
        scheduled_parts.append(low + (rng.random(n) * (high - low + 1)).astype(np.int64))
        chosen_parts.append(chosen)
        done = rng.permutation(n) < round(_COMPLETED * n)
        done_parts.append(done)
        grade_parts.append(_grades_for(rng, int(done.sum()), threshold))
    scheduled, drawn = np.concatenate(scheduled_parts), np.concatenate(done_parts)
    order = np.argsort(scheduled, kind="stable")
    chosen, scheduled = np.concatenate(chosen_parts)[order], scheduled[order]
    done = drawn[order]
    n = len(chosen)
    # each completed audit's row of grades: its place among the completed, as drawn
    grades = np.concatenate(grade_parts)[(np.cumsum(drawn) - 1)[order[done]]]
    completed = np.minimum(scheduled + rng.integers(0, 28, n), window.end)
    m = len(AUDIT_MEASURES)
    missing = np.isnan(grades)
    valid = ~missing
    mean = np.where(valid, grades, 0).sum(axis=1) / np.maximum(valid.sum(axis=1), 1)
    overall = np.full(n, -1, dtype=np.int64)
    overall[done] = np.rint(mean).astype(np.int64)
    audit_id = serial("AU", n)
    audit_table = table(
        "audits",
        {
            "audit_id": audit_id,
            "episode_id": cases["episode_id"].gather(chosen),
            "scheduled": dates(scheduled),
            "completed": dates(completed, done),
            "auditor_role": draw(rng, _AUDITORS, n),
            "scale": ["derby-0-4"] * n,
            "overall_rating": pl.Series(overall).scatter(np.flatnonzero(~done), None),
        },
    )
    grade_table = table(
        "audit_grades",
        {
            "audit_id": audit_id.filter(pl.Series(done)).gather(
                np.repeat(np.arange(int(done.sum())), m)
            ),
            "measure": pick(AUDIT_MEASURES, np.tile(np.arange(m), int(done.sum()))),
            "grade": pl.Series(np.where(missing, 0, grades).astype(np.int64).ravel()).scatter(
                np.flatnonzero(missing.ravel()), None
            ),
        },
    )
    return audit_table, grade_table


_PARTICIPATING: Final = ("110", "120", "130", "140", "240", "210", "220", "230", "310", "320", "330", "340", "380")  # fmt: skip
_CUSTODY_ETC: Final = ("410", "430", "450")
_NEET_CODES: Final = ("540", "550", "610", "620", "630", "640", "650", "660", "670", "680")
_NOT_KNOWN: Final = ("810", "820")
_GROUP_P: Final = (0.899, 0.005, 0.06, 0.036)


def _activity(rng: np.random.Generator, n: int) -> Ints:
    groups = (_PARTICIPATING, _CUSTODY_ETC, _NEET_CODES, _NOT_KNOWN)
    group = rng.choice(len(groups), size=n, p=_GROUP_P)
    sizes = np.array([len(g) for g in groups])
    offsets = np.cumsum(sizes) - sizes
    index: Ints = offsets[group] + (rng.random(n) * sizes[group]).astype(np.int64)
    return index


def neet(rng: np.random.Generator, cohort: int, window: DemoWindow) -> pl.DataFrame:
    """NCCIS records for November, December and January of each year's 16-18 cohort.

    A young person of academic age 16 to 18 (age on 31 August) is in the cohort;
    about ``cohort`` young people a year, about 6% NEET and 3-4% not known. Most
    keep their activity from month to month.
    """
    per_year = max(cohort // 3, 1)
    first = window.first_year - 19  # academic birth year of the oldest cohort
    born_years = window.years + 2
    born = np.repeat(np.arange(first, first + born_years), per_year)
    september = ((born - 1970).astype("datetime64[Y]") + np.timedelta64(8, "M")).astype(
        "datetime64[D]"
    )
    dob = september.astype(np.int64) + rng.integers(0, 365, len(born))
    codes = list(_PARTICIPATING + _CUSTODY_ETC + _NEET_CODES + _NOT_KNOWN)
    frames = []
    for offset in range(window.years):
        year = window.first_year + offset
        members = np.flatnonzero((born >= year - 19) & (born <= year - 17))
        base = _activity(rng, len(members))
        for month in (dt.date(year, 11, 1), dt.date(year, 12, 1), dt.date(year + 1, 1, 1)):
            code = np.where(rng.random(len(members)) < 0.12, _activity(rng, len(members)), base)
            frames.append(
                pl.DataFrame(
                    {
                        "person": members,
                        "record_month": pl.select(pl.repeat(month, len(members))).to_series(),
                        "activity_code": pick(codes, code),
                    }
                )
            )
    records = pl.concat(frames)
    person = records["person"].to_numpy()
    return table(
        "neet",
        {
            "person_id": ids("N", person + 1),
            "date_of_birth": dates(dob[person]),
            "record_month": records["record_month"],
            "activity_code": records["activity_code"],
        },
    )
