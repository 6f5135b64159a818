"""A plain hand-written polars script computing the framework's figures (see ``_plain.py``).

Eager, as an analyst would write it: each table placed in the periods once,
the placed frames reused by the measures that share them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import polars as pl
from _plain import (
    BY_LOCALITY,
    CITY,
    COUNTS,
    FIRST,
    FROM_2014,
    GOOD_GRADE,
    LAST,
    PRIOR,
    PRIOR_MONTHS,
    REREFERRAL_MONTHS,
    STATUTORY,
    STEP_UP,
    SURVEY_QUESTIONS,
    periods,
)

PERIODS = periods()
LEVELS = ("team", "locality", "city")


def flow(frame: pl.DataFrame, date: str) -> pl.DataFrame:
    """One row per record and period its date falls in: its quarter and its year."""
    day = pl.col(date)
    dated = frame.filter(day.is_between(FIRST, LAST)).with_columns(
        (day.dt.year() - (day.dt.month() < 4).cast(pl.Int32)).alias("_fy"),
        (((day.dt.month() + 8) % 12) // 3 + 1).alias("_q"),
    )
    label = pl.format("{}-{}", "_fy", ((pl.col("_fy") + 1) % 100).cast(pl.String).str.zfill(2))
    quarter = dated.with_columns(pl.format("{} Q{}", label, "_q").alias("period"))
    year = dated.with_columns(label.alias("period"))
    return pl.concat([quarter, year]).drop("_fy", "_q")


def stock(frame: pl.DataFrame, opened: str, closed: str) -> pl.DataFrame:
    """One row per record and period at whose last day it is open; ``end`` is that day."""
    return pl.concat(
        [
            frame.filter(
                (pl.col(opened) <= end) & (pl.col(closed).is_null() | (pl.col(closed) > end))
            ).with_columns(pl.lit(label).alias("period"), pl.lit(end).alias("end"))
            for label, end, _ in PERIODS
        ]
    )


def units(teams: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """Every (period, unit) each level has a total for."""
    labels = pl.DataFrame({"period": [label for label, _, _ in PERIODS]})
    ids = {
        "team": teams.get_column("team_id").unique(),
        "locality": teams.get_column("locality_id").unique(),
        "city": pl.Series([CITY]),
    }
    return {
        level: labels.join(pl.DataFrame({"unit_id": values}), how="cross")
        for level, values in ids.items()
    }


def figures(
    measure: str,
    members: pl.DataFrame,
    grid: dict[str, pl.DataFrame],
    breakdown: str | None = None,
) -> pl.DataFrame:
    """Sum members (period, team_id, locality_id, n, d) per unit of each level."""
    levels: Sequence[str] = ("locality", "city") if measure in BY_LOCALITY else LEVELS
    sums = [pl.col("n").sum().alias("numerator"), pl.col("d").sum().alias("denominator")]
    parts: list[tuple[str, pl.DataFrame]] = []
    for level in levels:
        column = {"team": "team_id", "locality": "locality_id"}.get(level)
        rows = members if column is None else members.filter(pl.col(column).is_not_null())
        rows = rows.with_columns(
            (pl.lit(CITY) if column is None else pl.col(column)).alias("unit_id")
        )
        total = grid[level].join(
            rows.group_by("period", "unit_id").agg(sums),
            on=["period", "unit_id"],
            how="full",
            coalesce=True,
        )
        parts.append((level, total.with_columns(pl.lit(None, dtype=pl.String).alias("breakdown"))))
        if breakdown is not None:
            by = rows.group_by("period", "unit_id", pl.col(breakdown).alias("breakdown"))
            parts.append((level, by.agg(sums)))
    denominator = pl.col("denominator").fill_null(0).cast(pl.Int64)
    return pl.concat(
        [
            part.select(
                pl.lit(measure).alias("measure_id"),
                "period",
                pl.lit(level).alias("level"),
                "unit_id",
                "breakdown",
                pl.col("numerator").fill_null(0).cast(pl.Int64),
                (pl.lit(None, dtype=pl.Int64) if measure in COUNTS else denominator).alias(
                    "denominator"
                ),
            )
            for level, part in parts
        ]
    )


def members(
    frame: pl.DataFrame, n: pl.Expr | int = 1, d: pl.Expr | int = 0, *extra: str
) -> pl.DataFrame:
    def part(value: pl.Expr | int) -> pl.Expr:
        return value.cast(pl.Int64) if isinstance(value, pl.Expr) else pl.lit(value, pl.Int64)

    return frame.select("period", "team_id", "locality_id", *extra, n=part(n), d=part(d))


def measures(t: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Every figure: measure_id, period, level, unit_id, breakdown, numerator, denominator."""
    teams = t["teams"].select("team_id", pl.col("locality_id").alias("_team_locality"))
    grid = units(t["teams"])

    def located(frame: pl.DataFrame) -> pl.DataFrame:
        """The team's locality, or the record's own where it has no team."""
        if "locality_id" not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias("locality_id"))
        return (
            frame.join(teams, on="team_id", how="left")
            .with_columns(pl.coalesce("_team_locality", "locality_id").alias("locality_id"))
            .drop("_team_locality")
        )

    cases = located(t["cases"])
    referrals = located(t["referrals"])
    case_teams = cases.select("episode_id", "team_id", "locality_id")
    out = []

    # referrals
    placed = flow(referrals, "referral_date")
    out.append(figures("new_referrals", members(placed, 1, 0, "route"), grid, "route"))
    closures = cases.filter(pl.col("closed").is_not_null()).select(
        "person_id", "closed", pl.col("referral_id").alias("_opened_by")
    )
    asked = referrals.filter(pl.col("referral_date").is_between(FIRST, LAST))
    again = (
        asked.select("referral_id", "person_id", "referral_date")
        .join(closures, on="person_id")
        .filter(
            (pl.col("referral_date") > pl.col("closed"))
            & (pl.col("referral_date") <= pl.col("closed").dt.offset_by(f"{REREFERRAL_MONTHS}mo"))
            & pl.col("_opened_by").ne_missing(pl.col("referral_id"))
        )
        .select("referral_id")
        .unique()
    )
    rereferrals = members(flow(asked.join(again, on="referral_id"), "referral_date"))
    out.append(figures("rereferrals", rereferrals, grid))

    # cases
    open_cases = stock(cases, "opened", "closed")
    out.append(figures("open_cases", members(open_cases), grid))
    level_2 = open_cases.filter(pl.col("level_of_need") == 2)
    out.append(figures("early_help_level_2_cases", members(level_2), grid))
    quarters = open_cases.filter(pl.col("period").str.contains("Q"))
    caseload = pl.concat([quarters, quarters.with_columns(pl.col("period").str.slice(0, 7))])
    out.append(
        figures(
            "rereferral_rate",
            pl.concat([rereferrals, members(caseload, 0, 1)]),
            grid,
        )
    )
    closed = flow(cases, "closed")
    out.append(
        figures("cases_closed", members(closed, 1, 0, "closure_reason"), grid, "closure_reason")
    )
    step_up = members(closed, pl.col("closure_reason").is_in(STEP_UP), 1)
    out.append(figures("escalations", step_up.filter(pl.col("n") > 0), grid))
    out.append(figures("escalation_rate", step_up, grid))

    # assessments and onward referrals, by the team of their case
    assessments = t["assessments"]
    assessed = assessments.join(case_teams, on="episode_id", how="left")
    out.append(figures("ehas_completed", members(flow(assessed, "completed")), grid))
    first = (
        assessments.filter(pl.col("completed").is_not_null() & pl.col("episode_id").is_not_null())
        .group_by("episode_id")
        .agg(pl.col("completed").min().alias("_first"))
    )
    in_place = open_cases.join(first, on="episode_id", how="left")
    out.append(
        figures(
            "assessment_in_place_rate",
            members(in_place, (pl.col("_first") <= pl.col("end")).fill_null(value=False), 1),
            grid,
        )
    )
    onward = t["onward_referrals"].join(case_teams, on="episode_id", how="left")
    out.append(figures("onward_referrals", members(flow(onward, "referral_date")), grid))

    out += statutory(t, grid)
    out += instruments(t, grid, located, case_teams)
    out += prior_early_help(t, grid, cases)
    out += audits(t, grid, case_teams)
    frame = pl.concat(out)
    return frame.filter(
        ~(pl.col("measure_id").is_in(FROM_2014) & pl.col("period").str.starts_with("2013-14"))
    )


def statutory(t: dict[str, pl.DataFrame], grid: dict[str, pl.DataFrame]) -> list[pl.DataFrame]:
    """Statutory services, by locality: each child once, in its latest episode's locality."""
    out = []

    def children(frame: pl.DataFrame) -> pl.DataFrame:
        placed = stock(frame, "started", "ended")
        latest = placed.sort("started", descending=True).unique(
            ["period", "person_id"], keep="first"
        )
        return members(latest.with_columns(pl.lit(None, dtype=pl.String).alias("team_id")))

    localities = t["teams"].get_column("locality_id").unique()
    population = t["population"].filter(pl.col("area_id").is_in(localities.implode()))
    people = pl.DataFrame(
        {"period": [label for label, _, _ in PERIODS], "year": [y for _, _, y in PERIODS]}
    ).join(population, on="year")
    denominators = people.select(
        "period",
        pl.lit(None, dtype=pl.String).alias("team_id"),
        pl.col("area_id").alias("locality_id"),
        n=pl.lit(0, pl.Int64),
        d=pl.col("children").cast(pl.Int64),
    )
    episodes = t["social_care_episodes"]
    for kind, (count, rate) in STATUTORY.items():
        open_children = children(episodes.filter(pl.col("kind") == kind))
        out.append(figures(count, open_children, grid))
        out.append(figures(rate, pl.concat([open_children, denominators]), grid))
    out.append(figures("open_to_yos", children(t["yos_episodes"]), grid))
    return out


def instruments(
    t: dict[str, pl.DataFrame],
    grid: dict[str, pl.DataFrame],
    located: Callable[[pl.DataFrame], pl.DataFrame],
    case_teams: pl.DataFrame,
) -> list[pl.DataFrame]:
    """Spider graphs (by the team of their case) and surveys (by the team on the form)."""
    out = []
    readings = t["spider_readings"]
    ended = readings.filter(
        (pl.col("stage") == "end") & pl.col("reading_date").is_between(FIRST, LAST)
    )
    readings = readings.join(ended.select("graph_id").unique(), on="graph_id", how="semi")
    start = readings.filter(pl.col("stage") == "start")
    later = readings.filter(pl.col("stage") != "start").join(start, on="graph_id", how="semi")
    rank = pl.col("reading_date").cast(pl.Int64) * 4 + (pl.col("stage") == "end").cast(pl.Int64)
    latest = later.filter(rank == rank.max().over("graph_id"))
    sign = t["spider_scales"].select(
        "scale", sign=pl.when(pl.col("higher_is_better")).then(1).otherwise(-1)
    )
    totals = (
        start.select("graph_id", "scale", before=pl.col("score"))
        .join(latest.select("graph_id", "scale", "score"), on=["graph_id", "scale"])
        .join(sign, on="scale")
        .group_by("graph_id")
        .agg(total=((pl.col("score") - pl.col("before")) * pl.col("sign")).sum())
    )
    graphs = (
        later.filter(pl.col("stage") == "end")
        .group_by("graph_id")
        .agg(pl.col("reading_date").min().alias("completed"), pl.col("episode_id").first())
        .join(totals, on="graph_id", how="left")
        .join(case_teams, on="episode_id", how="left")
    )
    placed = flow(graphs, "completed")
    out.append(figures("spider_graphs_completed", members(placed), grid))
    directed = placed.filter(pl.col("total").is_not_null())
    out.append(figures("spider_improving_rate", members(directed, pl.col("total") > 0, 1), grid))

    forms = flow(located(t["surveys"].drop("episode_id")), "received")
    out.append(figures("surveys_received", members(forms), grid))
    for measure, question in SURVEY_QUESTIONS.items():
        answered = members(forms, (pl.col(question) == "yes").fill_null(value=False), 1)
        out.append(figures(measure, answered, grid))
    return out


def prior_early_help(
    t: dict[str, pl.DataFrame], grid: dict[str, pl.DataFrame], cases: pl.DataFrame
) -> list[pl.DataFrame]:
    """Plans and care started in the period, and whether early help came before."""
    out = []
    episodes = t["social_care_episodes"]
    for kind, measure in PRIOR.items():
        starts = flow(episodes.filter(pl.col("kind") == kind), "started").select(
            "period", "episode_id", "person_id", "started", "locality_id"
        )
        window = starts.select(
            "episode_id",
            "person_id",
            first=pl.col("started").dt.offset_by(f"-{PRIOR_MONTHS}mo"),
            last=pl.col("started") - pl.duration(days=1),
        ).unique()
        helped = (
            window.join(cases.select("person_id", "opened", "closed"), on="person_id")
            .filter(
                (pl.col("opened") <= pl.col("last"))
                & (pl.col("closed").is_null() | (pl.col("closed") >= pl.col("first")))
            )
            .select("episode_id")
            .unique()
        )
        accessed = pl.col("episode_id").is_in(helped.get_column("episode_id").implode())
        rows = starts.with_columns(pl.lit(None, dtype=pl.String).alias("team_id"))
        out.append(figures(measure, members(rows, accessed, 1), grid))
    return out


def audits(
    t: dict[str, pl.DataFrame], grid: dict[str, pl.DataFrame], case_teams: pl.DataFrame
) -> list[pl.DataFrame]:
    """Case file audits, by the team of the case audited."""
    audited = t["audits"].join(case_teams, on="episode_id", how="left")
    scheduled = flow(audited, "scheduled")
    done = members(scheduled, pl.col("completed").is_not_null(), 1)
    good = pl.DataFrame(
        [(scale, grade, higher) for scale, (grade, higher) in GOOD_GRADE.items()],
        schema={"scale": pl.String, "good": pl.Int64, "higher": pl.Boolean},
        orient="row",
    )
    graded = (
        t["audit_grades"]
        .filter(pl.col("grade").is_not_null())
        .join(audited.filter(pl.col("completed").is_not_null()), on="audit_id")
        .join(good, on="scale")
    )
    is_good = (
        pl.when(pl.col("higher"))
        .then(pl.col("grade") >= pl.col("good"))
        .otherwise(pl.col("grade") <= pl.col("good"))
    )
    placed = members(flow(graded, "completed"), is_good, 1, "measure")
    return [
        figures("audit_completion_rate", done, grid),
        figures("audit_good_or_better_rate", placed, grid, "measure"),
    ]
