"""Framework measures from the instruments: spider graphs and How Was It For You surveys.

Surveys are attributed to the ``team_id`` on the form. Spider graphs are
attributed to the team of the case they belong to, through ``episode_id``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Final

import polars as pl

from earlyhelp.instruments._spider_bulk import flag_spider_graphs
from earlyhelp.instruments._surveys import SurveyQuestion, flag_survey_answers
from earlyhelp.measures._catalogue import Basis, Element, Measure, Part, Unit
from earlyhelp.measures._context import MeasureContext
from earlyhelp.measures._members import counted, span
from earlyhelp.measures._polarity import Polarity
from earlyhelp.profiles._dating import Effective

__all__: list[str] = []

_SINCE_2013: Final = Effective(start=dt.date(2013, 4, 1))

_COMPLETED: Final = Part(
    definition=(
        "{spider_graphs} completed in the period: a start reading, and an end reading "
        "dated in the period"
    ),
    table="spider_readings",
    basis=Basis.FLOW,
    date="reading_date (end reading)",
)
_FORMS: Final = Part(
    definition="{survey} forms received in the period",
    table="surveys",
    basis=Basis.FLOW,
    date="received",
)

MEASURES: list[Measure] = []
"""The measures this module declares, in order; the shipped catalogue collects them."""


def _graphs(ctx: MeasureContext) -> pl.LazyFrame:
    """Every graph completed within the periods asked for, with its direction.

    The graphs are worked out once per compute, for both spider measures.
    """

    def directions() -> pl.DataFrame:
        # Only the graphs completed in the periods are kept, after each graph's readings
        # are aggregated: at 1M cases as fast (0.61 s, median of seven, polars 2.1) as
        # first picking out the readings of the graphs ended in the periods' span, which
        # copied 5.8M of the 6.7M readings. A graph completed outside them needs no rule
        # in force.
        readings = ctx.data["spider_readings"]
        graphs = flag_spider_graphs(
            ctx.lazy("spider_scales"), readings, profile=ctx.profile, period=ctx.periods
        )
        # Kept for the whole compute: only the columns the two measures count, with
        # the case's team looked up once for both (a join of every graph to the cases).
        needed = graphs.lazy().select("graph_id", "episode_id", "completed", "direction")
        return ctx.with_team(needed, via="episode_id").collect()

    return ctx.flow(ctx.once("flag_spider_graphs", directions).lazy(), "completed")


def _spider_graphs_completed(ctx: MeasureContext) -> pl.LazyFrame:
    return counted(_graphs(ctx), "graph_id")


def _spider_improving_rate(ctx: MeasureContext) -> pl.LazyFrame:
    directed = _graphs(ctx).filter(pl.col("direction").is_not_null())
    return counted(
        directed, "graph_id", numerator=pl.col("direction") == "improving", denominator=1
    )


def _surveys_received(ctx: MeasureContext) -> pl.LazyFrame:
    return counted(ctx.flow(ctx.lazy("surveys"), "received"), "response_id", locality=None)


def _survey_rate(question: SurveyQuestion) -> Callable[[MeasureContext], pl.LazyFrame]:
    def calculate(ctx: MeasureContext) -> pl.LazyFrame:
        first, last = span(ctx)
        forms = ctx.lazy("surveys").filter(pl.col("received").is_between(first, last))
        flags = flag_survey_answers(forms, question, profile=ctx.profile)
        placed = ctx.flow(flags.lazy(), "received")
        return counted(
            placed,
            "response_id",
            numerator=pl.col("numerator"),
            denominator=pl.col("denominator"),
            locality=None,
        )

    return calculate


def _declare(
    measure_id: str,
    title: str,
    element: Element,
    *,
    description: str,
    numerator: Part,
    denominator: Part | None,
    source: str,
    calculator: Callable[[MeasureContext], pl.LazyFrame],
    polarity: Polarity = Polarity.HIGHER_IS_BETTER,
    reads: tuple[str, ...] = (),
) -> None:
    MEASURES.append(
        Measure(
            measure_id=measure_id,
            title=title,
            element=element,
            description=description,
            unit=Unit.COUNT if denominator is None else Unit.PERCENTAGE,
            numerator=numerator,
            denominator=denominator,
            polarity=polarity,
            source=source,
            effective=_SINCE_2013,
            reads=reads,
            calculator=calculator,
        )
    )


_SPIDER_SOURCE: Final = "case management system: spider_scales and spider_readings"
_SURVEY_SOURCE: Final = "How Was It For You client evaluation forms: surveys"

_declare(
    "spider_graphs_completed",
    "{Spider_graphs} completed",
    Element.HOW_MUCH,
    description=(
        "{Spider_graphs} whose end reading falls in the period (and that have a start "
        "reading), by the team of the case."
    ),
    numerator=_COMPLETED,
    denominator=None,
    source=_SPIDER_SOURCE,
    calculator=_spider_graphs_completed,
    polarity=Polarity.NEUTRAL,
    reads=("spider_scales",),
)
_declare(
    "spider_improving_rate",
    "{Spider_graphs} with an improving direction of travel",
    Element.IMPACT,
    description=(
        "Of the {spider_graphs} completed in the period that have a direction of travel, "
        "the percentage whose direction is improving under the profile's spider rule "
        "(start against latest reading; a tie is no change, not improving)."
    ),
    numerator=Part(
        definition="completed {spider_graphs} whose direction of travel is improving",
        table="spider_readings",
        basis=Basis.FLOW,
        date="reading_date (end reading)",
    ),
    denominator=Part(
        definition=(
            "completed {spider_graphs} with a direction of travel (at least one scale "
            "scored at both the start and the latest reading)"
        ),
        table="spider_readings",
        basis=Basis.FLOW,
        date="reading_date (end reading)",
    ),
    source=_SPIDER_SOURCE,
    calculator=_spider_improving_rate,
    reads=("spider_scales",),
)
_declare(
    "surveys_received",
    "{survey} surveys received",
    Element.HOW_MUCH,
    description="{survey} forms received in the period, by the team on the form.",
    numerator=_FORMS,
    denominator=None,
    source=_SURVEY_SOURCE,
    calculator=_surveys_received,
    polarity=Polarity.NEUTRAL,
)

_QUESTIONS: Final = (
    (
        "survey_respected_rate",
        SurveyQuestion.RESPECTED,
        "People reporting that they were treated with respect",
        Element.HOW_WELL,
    ),
    (
        "survey_listened_to_rate",
        SurveyQuestion.LISTENED_TO,
        "People reporting that workers listened to them",
        Element.HOW_WELL,
    ),
    (
        "survey_helped_rate",
        SurveyQuestion.HELPED,
        "People reporting that they were helped with identified issues",
        Element.IMPACT,
    ),
)

for _id, _question, _title, _element in _QUESTIONS:
    _declare(
        _id,
        _title,
        _element,
        description=(
            f"Of the {{survey}} forms received in the period, the percentage "
            f"answering yes to '{_question.value}'. Whether forms that left the question "
            "unanswered are in the denominator is the profile's survey rule."
        ),
        numerator=Part(
            definition=f"forms received in the period answering yes to '{_question.value}'",
            table="surveys",
            basis=Basis.FLOW,
            date="received",
        ),
        denominator=Part(
            definition=(
                "forms received in the period answering yes or no; and those not "
                "answering, where the profile's survey rule counts them"
            ),
            table="surveys",
            basis=Basis.FLOW,
            date="received",
        ),
        source=_SURVEY_SOURCE,
        calculator=_survey_rate(_question),
    )
