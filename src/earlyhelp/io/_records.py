"""Conversion both ways between accepted table rows and attrs records.

Flat tables map one row to one record. Spider graphs and case file audits are
nested records kept in two tables each: ``spider_scales`` + ``spider_readings``,
and ``audits`` + ``audit_grades``.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Iterator
from typing import Any

import attrs
import polars as pl

from earlyhelp.errors import ArgumentError
from earlyhelp.io._schema import TableSchema
from earlyhelp.io._tables import SCHEMAS
from earlyhelp.model._audit import GRADING_SCALES, AuditGrade, CaseFileAudit
from earlyhelp.model._spider import SpiderGraph, SpiderReading, SpiderScale, SpiderScore

__all__ = [
    "audits_to_frames",
    "frame_to_records",
    "frames_to_audits",
    "frames_to_spider_graphs",
    "records_to_frame",
    "spider_graphs_to_frames",
]


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    return value


def frame_to_records(frame: pl.DataFrame, schema: TableSchema) -> Iterator[Any]:
    """Build one record per row of a flat table.

    Raises:
        ArgumentError: the table has no flat record type (spider graphs and audits
            have their own functions).
    """
    if schema.record_type is None:
        msg = f"table {schema.name} has no one-row record type"
        raise ArgumentError(msg)
    record_type = schema.record_type
    for row in frame.iter_rows(named=True):
        yield record_type(**row)


def records_to_frame(records: Iterable[Any], schema: TableSchema) -> pl.DataFrame:
    """Build a flat table, typed as the schema declares, from records."""
    rows = [
        {key: _plain(value) for key, value in attrs.asdict(record, recurse=False).items()}
        for record in records
    ]
    return pl.DataFrame(rows, schema=schema.polars_schema, orient="row")


def frames_to_spider_graphs(scales: pl.DataFrame, readings: pl.DataFrame) -> list[SpiderGraph]:
    """Group long-form spider readings into :class:`SpiderGraph` records.

    Each graph carries the scales it was scored on; its readings are ordered by
    date, then stage (start, review, end).
    """
    declared = {
        row["scale"]: SpiderScale(
            name=row["scale"],
            minimum=row["minimum"],
            maximum=row["maximum"],
            higher_is_better=row["higher_is_better"],
        )
        for row in scales.iter_rows(named=True)
    }
    stage_rank = pl.col("stage").replace_strict(
        {"start": 0, "review": 1, "end": 2}, return_dtype=pl.Int8
    )
    ordered = readings.sort("graph_id", "reading_date", stage_rank, "scale")
    graphs: list[SpiderGraph] = []
    for (graph_id,), rows in ordered.group_by("graph_id", maintain_order=True):
        by_reading: dict[tuple[str, dt.date], list[SpiderScore]] = {}
        for row in rows.iter_rows(named=True):
            by_reading.setdefault((row["stage"], row["reading_date"]), []).append(
                SpiderScore(scale=row["scale"], score=row["score"])
            )
        used = sorted({score.scale for scores in by_reading.values() for score in scores})
        graphs.append(
            SpiderGraph(
                graph_id=str(graph_id),
                episode_id=rows.get_column("episode_id")[0],
                scales=tuple(declared[name] for name in used),
                readings=tuple(
                    SpiderReading(stage=stage, reading_date=day, scores=tuple(scores))
                    for (stage, day), scores in by_reading.items()
                ),
            )
        )
    return graphs


def spider_graphs_to_frames(graphs: Iterable[SpiderGraph]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The ``spider_scales`` and ``spider_readings`` tables of some graphs."""
    scales: dict[str, SpiderScale] = {}
    rows: list[dict[str, Any]] = []
    for graph in graphs:
        for scale in graph.scales:
            scales.setdefault(scale.name, scale)
        for reading in graph.readings:
            rows.extend(
                {
                    "graph_id": graph.graph_id,
                    "episode_id": graph.episode_id,
                    "stage": reading.stage.value,
                    "reading_date": _plain(reading.reading_date),
                    "scale": score.scale,
                    "score": score.score,
                }
                for score in reading.scores
            )
    scale_rows = [
        {
            "scale": s.name,
            "minimum": s.minimum,
            "maximum": s.maximum,
            "higher_is_better": s.higher_is_better,
        }
        for s in scales.values()
    ]
    return (
        pl.DataFrame(scale_rows, schema=SCHEMAS["spider_scales"].polars_schema, orient="row"),
        pl.DataFrame(rows, schema=SCHEMAS["spider_readings"].polars_schema, orient="row"),
    )


def frames_to_audits(audits: pl.DataFrame, grades: pl.DataFrame) -> list[CaseFileAudit]:
    """Join ``audits`` and ``audit_grades`` into :class:`CaseFileAudit` records."""
    by_audit: dict[str, list[AuditGrade]] = {}
    for row in grades.iter_rows(named=True):
        by_audit.setdefault(row["audit_id"], []).append(
            AuditGrade(measure=row["measure"], grade=row["grade"])
        )
    return [
        CaseFileAudit(
            audit_id=row["audit_id"],
            episode_id=row["episode_id"],
            scheduled=row["scheduled"],
            completed=row["completed"],
            auditor_role=row["auditor_role"],
            scale=GRADING_SCALES[row["scale"]],
            grades=tuple(by_audit.get(row["audit_id"], ())),
            overall_rating=row["overall_rating"],
        )
        for row in audits.iter_rows(named=True)
    ]


def audits_to_frames(audits: Iterable[CaseFileAudit]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The ``audits`` and ``audit_grades`` tables of some audits."""
    audit_rows: list[dict[str, Any]] = []
    grade_rows: list[dict[str, Any]] = []
    for audit in audits:
        audit_rows.append(
            {
                "audit_id": audit.audit_id,
                "episode_id": audit.episode_id,
                "scheduled": _plain(audit.scheduled),
                "completed": _plain(audit.completed),
                "auditor_role": audit.auditor_role,
                "scale": audit.scale.name,
                "overall_rating": audit.overall_rating,
            }
        )
        grade_rows.extend(
            {"audit_id": audit.audit_id, "measure": g.measure, "grade": g.grade}
            for g in audit.grades
        )
    return (
        pl.DataFrame(audit_rows, schema=SCHEMAS["audits"].polars_schema, orient="row"),
        pl.DataFrame(grade_rows, schema=SCHEMAS["audit_grades"].polars_schema, orient="row"),
    )
