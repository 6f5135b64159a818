"""Context measures over statutory services: children in need, on plans, in care, open to YOS."""

from __future__ import annotations

import polars as pl

from earlyhelp.measures._casework_measures import SINCE_2013
from earlyhelp.measures._catalogue import Basis, Element, Level, Measure, Part, Unit
from earlyhelp.measures._context import MeasureContext
from earlyhelp.measures._members import counted
from earlyhelp.measures._polarity import Polarity
from earlyhelp.periods._periods import Quarter

__all__: list[str] = []

_BY_LOCALITY = (Level.LOCALITY, Level.CITY)
_SOCIAL_CARE = "children's social care system: statutory episodes"
_KINDS = {
    "cin": ("cin_cases", "CiN cases", "children in need (level 3)", "Child in need"),
    "cp": (
        "cp_plans",
        "Number of CP Plans",
        "children subject to a child protection plan",
        "Child protection plan",
    ),
    "cic": (
        "children_in_care",
        "Children in Care",
        "children in care (looked after)",
        "Looked after child",
    ),
}

MEASURES: list[Measure] = []
"""The measures this module declares, in order; the shipped catalogue collects them."""


def _children_open(ctx: MeasureContext, table: str, kind: str | None) -> pl.LazyFrame:
    """Children with an episode open at the end of each period, once per child.

    A child with two overlapping episodes counts once, in the locality of the
    episode that started last; of episodes that started the same day, the one
    with the greatest episode id (compared as text), so the figure never
    depends on the order of the rows in the file.
    """

    def make() -> pl.DataFrame:
        episodes = ctx.lazy(table)
        if kind is not None:
            episodes = episodes.filter(pl.col("kind") == kind)
        episodes = episodes.select("episode_id", "person_id", "locality_id", "started", "ended")
        # an episode open at no period's end plays no part: not sorted
        episodes = episodes.filter(ctx.may_be_open("started", "ended"))
        # Sorted once, by child and then latest first, before each period's copy is
        # taken (the copies keep the order): a child's first row in a copy is the one
        # to keep, and it starts the child's run, found with no hashing. At 1M cases
        # 0.25 s for the three kinds, against 0.38 for each copy's first of each child
        # by hash (is_first_distinct) and 0.70 for unique rows over all the copies.
        # Choosing the latest within each child's group (sort_by, first) instead held
        # every group's rows: 2.2 GB against 0.47 at 10M cases (polars 2.1, measured).
        child = pl.col("person_id")
        by_child = episodes.sort(
            ["person_id", "started", "episode_id"], descending=[False, True, True]
        ).collect()
        first = ctx.stock(
            by_child.lazy(), "started", "ended", keep=child.ne_missing(child.shift(1))
        )
        # Kept for the whole compute: only the columns the count and the rate read.
        return first.select("period", "person_id", "locality_id").collect()

    # Made once per compute: the count and the rate per 10,000 count the same children.
    return ctx.once(("children_open", table, kind), make).lazy()


def _stock_of(table: str, kind: str | None):  # type: ignore[no-untyped-def]
    def calculate(ctx: MeasureContext) -> pl.LazyFrame:
        return counted(_children_open(ctx, table, kind), "person_id", team=None)

    return calculate


def _population(ctx: MeasureContext) -> pl.LazyFrame:
    """The child population of each locality, for the year each period falls in.

    Rows for a locality of the ``teams`` table are that locality's; the city's
    population is their sum. A row for any other area (a whole-city figure) is
    used, for the city only, in a year that has no locality rows: never both, so
    the city's denominator is not counted twice.
    """
    years = pl.DataFrame(
        {
            "period": pl.Series([p.label for p in ctx.periods], dtype=ctx.labels),
            "year": [(p.year if isinstance(p, Quarter) else p).start_year for p in ctx.periods],
        },
        schema={"period": ctx.labels, "year": pl.Int64},
    ).lazy()
    localities = ctx.lazy("teams").select(pl.col("locality_id").alias("area_id")).unique()
    people = (
        ctx.lazy("population")
        .with_columns(pl.col("year").cast(pl.Int64))
        .join(localities.with_columns(pl.lit(value=True).alias("_local")), on="area_id", how="left")
        .with_columns(pl.col("_local").fill_null(value=False))
        .filter(pl.col("_local") | ~pl.col("_local").any().over("year"))
    )
    joined = years.join(people, on="year", how="inner").with_columns(
        pl.format("population {} {}", "area_id", "year").alias("_row"),
        pl.when(pl.col("_local")).then(pl.col("area_id")).alias("_locality"),
    )
    return counted(
        joined,
        "_row",
        numerator=0,
        denominator=pl.col("children"),
        team=None,
        locality="_locality",
    )


def _rate_of(kind: str):  # type: ignore[no-untyped-def]
    def calculate(ctx: MeasureContext) -> pl.LazyFrame:
        children = counted(
            _children_open(ctx, "social_care_episodes", kind), "person_id", team=None
        )
        return pl.concat([children, _population(ctx)])

    return calculate


def _stock_part(what: str, table: str) -> Part:
    return Part(
        definition=f"{what}, each child once, with an episode open at the end of the "
        "period's last day; a child with several open episodes is placed where the one "
        "that started last is held (of those that started the same day, the greatest "
        "episode id, compared as text)",
        table=table,
        basis=Basis.STOCK,
        date="started, ended",
    )


_POPULATION = Part(
    definition="children aged 0 to 17 living in the area (mid-year estimate for the "
    "calendar year the financial year starts in)",
    table="population",
    basis=Basis.STOCK,
    date="year",
)

for _kind, (_id, _title, _what, _rate_title) in _KINDS.items():
    MEASURES.append(
        Measure(
            measure_id=_id,
            title=_title,
            element=Element.CONTEXT,
            description=f"The number of {_what} at the end of the period.",
            unit=Unit.COUNT,
            numerator=_stock_part(_what, "social_care_episodes"),
            denominator=None,
            polarity=Polarity.NEUTRAL,
            source=_SOCIAL_CARE,
            effective=SINCE_2013,
            levels=_BY_LOCALITY,
            reads=("social_care_episodes.ended",),
            calculator=_stock_of("social_care_episodes", _kind),
        )
    )
    MEASURES.append(
        Measure(
            measure_id=f"{_kind}_rate",
            title=f"{_rate_title} rate per 10,000 children",
            element=Element.IMPACT,
            description=f"The number of {_what} at the end of the period per 10,000 "
            "children living in the area.",
            unit=Unit.RATE_PER_10000,
            numerator=_stock_part(_what, "social_care_episodes"),
            denominator=_POPULATION,
            polarity=Polarity.LOWER_IS_BETTER,
            source=f"{_SOCIAL_CARE}; population estimates",
            effective=SINCE_2013,
            levels=_BY_LOCALITY,
            reads=("social_care_episodes.ended", "teams"),
            calculator=_rate_of(_kind),
        )
    )

MEASURES.append(
    Measure(
        measure_id="open_to_yos",
        title="Numbers open to YOS",
        element=Element.CONTEXT,
        description="Young people open to the Youth Offending Service at the end of the "
        "period: the report's measure of youth crime.",
        unit=Unit.COUNT,
        numerator=_stock_part("young people open to the Youth Offending Service", "yos_episodes"),
        denominator=None,
        polarity=Polarity.LOWER_IS_BETTER,
        source="Youth Offending Service case management system",
        effective=SINCE_2013,
        levels=_BY_LOCALITY,
        reads=("yos_episodes.ended",),
        calculator=_stock_of("yos_episodes", None),
    )
)
