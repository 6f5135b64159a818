"""Case file audits: completion, distributions, good-or-better shares, rankings, the report's tables."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from fractions import Fraction
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import earlyhelp as eh
from demo_data import demo_dataset
from earlyhelp.reproduction import report_audits, reproduce_audits

DERBY, OFSTED = eh.model.GradingScale.derby(), eh.model.GradingScale.ofsted()
MEASURES = ("Reviews", "Outcomes", "Indirect work", "Missing Episode")
YEAR = (dt.date(2014, 4, 1), dt.date(2015, 3, 31))
# Around the year's ends, so both inclusive boundaries are hit often.
DAYS = (
    st.dates(dt.date(2014, 3, 30), dt.date(2014, 4, 2))
    | st.dates(dt.date(2015, 3, 30), dt.date(2015, 4, 2))
    | st.dates(dt.date(2014, 1, 1), dt.date(2015, 6, 30))
)


@st.composite
def audit_batches(draw: st.DrawFn) -> list[eh.model.CaseFileAudit]:
    """Audits on one scale (Derby's or Ofsted's), unique ids, some not completed."""
    scale = draw(st.sampled_from([DERBY, OFSTED]))
    values = [g.value for g in scale.grades]
    n = draw(st.integers(0, 8))
    audits = []
    for index in range(n):
        completed = draw(st.none() | DAYS)
        grades = ()
        if completed is not None:
            chosen = draw(st.lists(st.sampled_from(MEASURES), unique=True))
            grades = tuple(
                eh.model.AuditGrade(measure=m, grade=draw(st.none() | st.sampled_from(values)))
                for m in chosen
            )
        audits.append(
            eh.model.CaseFileAudit(
                audit_id=f"A{index}",
                episode_id=f"C{index}",
                scheduled=draw(DAYS),
                completed=completed,
                scale=scale,
                grades=grades,
            )
        )
    return audits


def frames(audits: list[eh.model.CaseFileAudit]) -> tuple[pl.DataFrame, pl.DataFrame]:
    audit_frame = pl.DataFrame(
        {
            "audit_id": [a.audit_id for a in audits],
            "scheduled": [a.scheduled for a in audits],
            "completed": [a.completed for a in audits],
            "scale": [a.scale.name for a in audits],
        },
        schema={
            "audit_id": pl.String,
            "scheduled": pl.Date,
            "completed": pl.Date,
            "scale": pl.String,
        },
    )
    grade_frame = pl.DataFrame(
        {
            "audit_id": [a.audit_id for a in audits for _ in a.grades],
            "measure": [g.measure for a in audits for g in a.grades],
            "grade": [g.grade for a in audits for g in a.grades],
        },
        schema={"audit_id": pl.String, "measure": pl.String, "grade": pl.Int64},
    )
    return audit_frame, grade_frame


def scale_of(audits: list[eh.model.CaseFileAudit]) -> eh.model.GradingScale:
    return audits[0].scale if audits else DERBY


# --------------------------------------------------------------------------- properties


@given(audit_batches())
def test_bulk_agrees_with_counting_the_records_one_by_one(
    audits: list[eh.model.CaseFileAudit],
) -> None:
    """An independent oracle: completion and grade counts worked out record by record."""
    audit_frame, grade_frame = frames(audits)
    inside = [a for a in audits if YEAR[0] <= a.scheduled <= YEAR[1]]
    assert eh.instruments.audit_completion(audit_frame, *YEAR) == eh.instruments.AuditCompletion(
        completed=sum(a.completed is not None for a in inside), scheduled=len(inside)
    )
    flags = eh.instruments.flag_audits(audit_frame, *YEAR)
    assert flags.select("audit_id", "is_completed").rows() == [
        (a.audit_id, a.completed is not None) for a in inside
    ]
    # completion is defined once: the record's own answer is the bulk flag
    assert flags.get_column("is_completed").to_list() == [a.is_completed for a in inside]
    dist = eh.instruments.grade_distribution(audit_frame, grade_frame, scale=scale_of(audits))
    bulk = {(m, g): c for m, g, c in dist.select("measure", "grade", "count").rows() if c}
    per_record = Counter(
        (item.measure, item.grade)
        for a in audits
        if a.completed is not None
        for item in a.grades
        if item.grade is not None
    )
    assert bulk == dict(per_record)


@given(audit_batches())
def test_distributions_sum_to_the_graded_count(audits: list[eh.model.CaseFileAudit]) -> None:
    audit_frame, grade_frame = frames(audits)
    scale = scale_of(audits)
    dist = eh.instruments.grade_distribution(audit_frame, grade_frame, scale=scale)
    sums = dict(dist.group_by("measure").agg(pl.col("count").sum()).rows())
    for measure, total in sums.items():
        graded = sum(
            1
            for a in audits
            if a.is_completed
            for g in a.grades
            if g.measure == measure and g.grade is not None
        )
        assert total == graded
    # every grade on the scale appears once per measure, zeros kept
    assert dist.height == len(sums) * len(scale.grades)


@given(audit_batches(), st.sampled_from(["good", "outstanding"]))
def test_percentages_lie_within_0_and_100(audits: list[eh.model.CaseFileAudit], label: str) -> None:
    audit_frame, grade_frame = frames(audits)
    scale = scale_of(audits)
    done = eh.instruments.audit_completion(audit_frame, *YEAR)
    assert done.rate is None or 0 <= done.rate <= 100
    dist = eh.instruments.grade_distribution(audit_frame, grade_frame, scale=scale)
    for _, graded, count in eh.instruments.good_or_better(dist, scale, at_least=label).rows():
        assert 0 <= count <= graded
    for kind in eh.instruments.RankKind:
        threshold = (
            label
            if kind is eh.instruments.RankKind.STRENGTHS
            else scale.label(scale.grades[0 if scale.higher_is_better else -1].value)
        )
        for ranked in eh.instruments.rank_measures(dist, scale, kind, threshold=threshold):
            assert 0 <= ranked.share <= 100
            assert ranked.graded > 0


@given(audit_batches())
def test_good_or_better_follows_the_scale_direction(audits: list[eh.model.CaseFileAudit]) -> None:
    audit_frame, grade_frame = frames(audits)
    scale = scale_of(audits)
    dist = eh.instruments.grade_distribution(audit_frame, grade_frame, scale=scale)
    good = eh.instruments.grade_threshold(scale, "good")
    for measure, _, count in eh.instruments.good_or_better(dist, scale).rows():
        expected = sum(
            1
            for a in audits
            if a.is_completed
            for g in a.grades
            if g.measure == measure
            and g.grade is not None
            and (g.grade == good or scale.is_better(g.grade, good))
        )
        assert count == expected


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(1, 5)), min_size=1, max_size=8))
def test_ranking_is_competition_ranking(cells: list[tuple[int, int]]) -> None:
    """rank = 1 + the number of measures with a strictly higher share; form order breaks ties."""
    measures = [f"M{i}" for i in range(len(cells))]
    dist = pl.DataFrame(
        {
            "measure": [m for m in measures for _ in (2, 3)],
            "grade": [2, 3] * len(cells),
            "count": [c for good, extra in cells for c in (extra, good)],
        }
    )
    ranked = eh.instruments.rank_measures(dist, DERBY)
    shares = {r.measure: r.share for r in ranked}
    for r in ranked:
        assert r.rank == 1 + sum(1 for s in shares.values() if s > r.share)
    order = [r.measure for r in ranked]
    for first, second in itertools.pairwise(ranked):
        if first.share == second.share:
            assert measures.index(first.measure) < measures.index(second.measure)
    assert sorted(order) == sorted(measures)


@given(
    st.dictionaries(
        st.sampled_from(MEASURES),
        st.lists(st.integers(0, 4), min_size=5, max_size=5),
        min_size=1,
    )
)
def test_rebuilt_audits_reproduce_any_table(table: dict[str, list[int]]) -> None:
    cells = pl.DataFrame(
        {
            "round": ["r"] * (5 * len(table)),
            "grade": [g for _ in table for g in range(5)],
            "measure": [m for m in table for _ in range(5)],
            "count": [c for counts in table.values() for c in counts],
        }
    )
    rounds = pl.DataFrame({"round": ["r"], "month": [dt.date(2014, 8, 1)], "scale": ["derby-0-4"]})
    audits, grades = eh.reproduction.audits_from_tables(cells, rounds)
    assert audits.height == max(sum(c) for c in table.values())
    dist = eh.instruments.grade_distribution(audits, grades, scale=DERBY)
    rebuilt = {(m, g): c for m, g, c in dist.select("measure", "grade", "count").rows()}
    for measure, counts in table.items():
        for grade, count in enumerate(counts):
            assert rebuilt.get((measure, grade), 0) == count


# --------------------------------------------------------------------------- edge cases


def test_empty_round() -> None:
    audits, grades = frames([])
    assert eh.instruments.audit_completion(audits, *YEAR).rate is None
    dist = eh.instruments.grade_distribution(audits, grades, scale=DERBY)
    assert dist.height == 0
    assert eh.instruments.rank_measures(dist, DERBY) == []


def test_not_applicable_only_is_never_graded() -> None:
    audit = eh.model.CaseFileAudit(
        audit_id="A1",
        episode_id="C1",
        scheduled=dt.date(2014, 5, 1),
        completed=dt.date(2014, 5, 2),
        scale=DERBY,
        grades=(eh.model.AuditGrade(measure="Missing Episode", grade=None),),
    )
    dist = eh.instruments.grade_distribution(*frames([audit]), scale=DERBY)
    assert dist.get_column("count").sum() == 0
    assert eh.instruments.good_or_better(dist, DERBY).rows() == [("Missing Episode", 0, 0)]
    assert eh.instruments.rank_measures(dist, DERBY) == []


def test_completion_period_ends_are_inclusive() -> None:
    days = [dt.date(2014, 3, 31), dt.date(2014, 4, 1), dt.date(2015, 3, 31), dt.date(2015, 4, 1)]
    audits = pl.DataFrame({"audit_id": ["A", "B", "C", "D"], "scheduled": days,
                           "completed": [None, days[1], None, days[3]]})  # fmt: skip
    assert eh.instruments.audit_completion(audits, *YEAR) == eh.instruments.AuditCompletion(
        completed=1, scheduled=2
    )


def test_mixed_scales_and_off_scale_grades_are_refused() -> None:
    audits = pl.DataFrame({"audit_id": ["A1", "A2"], "scale": ["derby-0-4", "ofsted-1-4"],
                           "completed": [dt.date(2014, 5, 2)] * 2})  # fmt: skip
    grades = pl.DataFrame({"audit_id": ["A1"], "measure": ["Reviews"], "grade": [7]})
    with pytest.raises(ValueError, match=r"one grading scale.*derby-0-4, ofsted-1-4"):
        eh.instruments.grade_distribution(audits, grades)
    with pytest.raises(eh.errors.RecordError, match="audit A1: grade: 7 is not on scale derby-0-4"):
        eh.instruments.grade_distribution(audits.head(1), grades)
    with pytest.raises(ValueError, match="has no grade 'poor'"):
        eh.instruments.grade_threshold(OFSTED, "poor")


def test_compare_rounds_reports_change_in_points() -> None:
    aug = pl.DataFrame({"measure": ["Reviews", "Outcomes"], "grade": [3, 2], "count": [2, 4]})
    mar = pl.DataFrame({"measure": ["Reviews", "Diversity"], "grade": [3, 3], "count": [1, 1]})
    changes = eh.instruments.compare_rounds(aug, mar, DERBY)
    assert [(c.measure, c.before, c.after, c.change) for c in changes] == [
        ("Reviews", Fraction(100), Fraction(100), Fraction(0)),
        ("Outcomes", Fraction(0), None, None),
        ("Diversity", None, Fraction(100), None),
    ]


# --------------------------------------------------------------------------- the report


def test_report_audits_hold_86_scheduled_and_52_completed() -> None:
    audits, grades = report_audits()
    assert eh.instruments.audit_completion(audits, *YEAR) == eh.instruments.AuditCompletion(
        completed=52, scheduled=86
    )
    assert audits.get_column("audit_id").is_unique().all()
    graded = grades.join(audits, on="audit_id").get_column("completed")
    assert graded.is_not_null().all()


def test_every_report_figure_is_reproduced_or_its_inconsistency_noted() -> None:
    figures = reproduce_audits()
    unmatched = {f.figure for f in figures if not f.match}
    # The two statements the printed tables contradict; each says why in its note.
    assert unmatched == {
        "Under 11s audit March 2015: audits returned",
        "Under 11s audit: around a half satisfactory",
    }
    assert all(f.note for f in figures if not f.match)
    tables = [f for f in figures if f.figure.startswith("Audit table:")]
    assert len(tables) == 4
    assert all(f.computed.split(" of ")[0] == f.published.split()[0] for f in tables)
    assert figures[0].computed == "60%"


def test_cse_strengths_are_the_top_three_by_share() -> None:
    audits, grades = report_audits()
    dist = eh.instruments.grade_distribution(
        audits.filter(pl.col("round") == "cse-2014-10"), grades
    )
    top = [r for r in eh.instruments.rank_measures(dist, DERBY) if r.rank <= 3]
    assert [(r.measure, r.count, r.graded) for r in top] == [
        ("Reviews", 6, 9),
        ("Risk analysis and decision making", 6, 10),
        ("Indirect work", 5, 9),
    ]


def test_heatmap_is_written(tmp_path: Path) -> None:
    audits, grades = report_audits()
    dist = eh.instruments.grade_distribution(
        audits.filter(pl.col("round") == "cse-2014-10"), grades
    )
    path = eh.instruments.audit_heatmap(dist, DERBY, tmp_path / "cse.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --------------------------------------------------------------------------- catalogue measures


def test_catalogue_audit_measures_agree_with_the_instrument() -> None:
    data = demo_dataset()
    results = eh.compute(
        data,
        profile="derby-2014-15",
        period="2014-15",
        by="city",
        measures=["audit_completion_rate", "audit_good_or_better_rate"],
    )
    done = eh.instruments.audit_completion(data["audits"], *YEAR)
    completion = results["audit_completion_rate", "2014-15", "city"]
    assert (completion.numerator, completion.denominator) == (done.completed, done.scheduled)
    assert completion.value == done.rate
    in_year = data["audits"].filter(pl.col("completed").is_between(*YEAR))
    counted = eh.instruments.good_or_better(
        eh.instruments.grade_distribution(in_year, data["audit_grades"]), DERBY
    )
    good = results["audit_good_or_better_rate", "2014-15", "city"]
    assert good.numerator == counted.get_column("count").sum()
    assert good.denominator == counted.get_column("graded").sum()


def test_good_or_better_measure_follows_ofsteds_direction() -> None:
    audits = pl.DataFrame(
        {
            "audit_id": ["A1", "A2"],
            "episode_id": ["C1", "C1"],
            "scheduled": [dt.date(2014, 5, 1)] * 2,
            "completed": [dt.date(2014, 5, 2)] * 2,
            "scale": ["ofsted-1-4"] * 2,
        }
    )
    grades = pl.DataFrame(
        {
            "audit_id": ["A1", "A1", "A2", "A2"],
            "measure": ["Reviews", "Outcomes"] * 2,
            "grade": [1, 3, 2, None],
        }
    )
    data = eh.Dataset.load({"audits": audits, "audit_grades": grades})
    result = eh.compute(data, profile="derby-2014-15", period="2014-15", by="city",
                        measures=["audit_good_or_better_rate"])["audit_good_or_better_rate", "2014-15", "city"]  # fmt: skip
    assert (result.numerator, result.denominator) == (2, 3)
