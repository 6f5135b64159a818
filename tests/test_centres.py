"""Children's centres: inspection judgements counted per period, the report's inspections."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

import earlyhelp as eh
from earlyhelp.reproduction import reproduce_centres

YEAR = (dt.date(2014, 4, 1), dt.date(2015, 3, 31))
DAYS = (
    st.dates(dt.date(2014, 3, 30), dt.date(2014, 4, 2))
    | st.dates(dt.date(2015, 3, 30), dt.date(2015, 4, 2))
    | st.dates(dt.date(2013, 1, 1), dt.date(2016, 12, 31))
)


@st.composite
def inspections(draw: st.DrawFn) -> list[eh.model.CentreInspection]:
    n = draw(st.integers(0, 12))
    return [
        eh.model.CentreInspection(
            inspection_id=f"I{i}",
            cluster_id=f"CL{i % 4}",
            locality_id=f"L{i % 3}",
            inspected=draw(DAYS),
            judgement=draw(st.sampled_from(eh.model.OfstedJudgement)),
        )
        for i in range(n)
    ]


def to_frame(records: list[eh.model.CentreInspection]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "inspection_id": [r.inspection_id for r in records],
            "cluster_id": [r.cluster_id for r in records],
            "locality_id": [r.locality_id for r in records],
            "inspected": [r.inspected for r in records],
            "judgement": [r.judgement.value for r in records],
        },
        schema={
            "inspection_id": pl.String,
            "cluster_id": pl.String,
            "locality_id": pl.String,
            "inspected": pl.Date,
            "judgement": pl.String,
        },
    )


@given(inspections())
def test_bulk_and_per_record_counts_agree(records: list[eh.model.CentreInspection]) -> None:
    bulk = eh.instruments.judgement_counts(to_frame(records), *YEAR)
    # An independent oracle: count the records one by one, best judgement first.
    per_record = dict.fromkeys(eh.model.OfstedJudgement, 0)
    for record in records:
        if YEAR[0] <= record.inspected <= YEAR[1]:
            per_record[record.judgement] += 1
    assert bulk.rows() == [(j.value, n) for j, n in per_record.items()]
    inside = sum(YEAR[0] <= r.inspected <= YEAR[1] for r in records)
    assert bulk.get_column("count").sum() == inside


@given(inspections())
def test_counts_by_locality_add_up(records: list[eh.model.CentreInspection]) -> None:
    frame = to_frame(records)
    by = eh.instruments.judgement_counts(frame, *YEAR, by="locality_id")
    whole = eh.instruments.judgement_counts(frame, *YEAR)
    summed = by.group_by("judgement").agg(pl.col("count").sum())
    assert dict(summed.rows()) | {j: 0 for j, n in whole.rows() if n == 0} == dict(whole.rows())


def test_judgements_run_best_first_as_on_ofsteds_scale() -> None:
    scale = eh.model.GradingScale.ofsted()
    for judgement in eh.model.OfstedJudgement:
        assert scale.label(judgement.grade) == judgement.value.replace("_", " ")


def test_report_inspections_are_reproduced() -> None:
    figures = reproduce_centres()
    assert [(f.published, f.computed, f.match) for f in figures] == [("3", "3", True)] * 2
