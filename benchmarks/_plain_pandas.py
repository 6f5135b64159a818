"""A plain hand-written pandas script computing the framework's figures (see ``_plain.py``).

Dates are ``datetime64`` columns (converted when the tables are read). Each
table is placed in the periods once, and the placed frames are reused by the
measures that share them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
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
    year_label,
)

PERIODS = [(label, pd.Timestamp(end), year) for label, end, year in periods()]
LEVELS = ("team", "locality", "city")
START, STOP = pd.Timestamp(FIRST), pd.Timestamp(LAST)
#: (financial year * 10 + quarter) -> quarter label; financial year -> year label
QUARTER_LABELS = {
    year * 10 + q: f"{year_label(year)} Q{q}" for _, _, year in PERIODS for q in (1, 2, 3, 4)
}
YEAR_LABELS = {year: year_label(year) for _, _, year in PERIODS}


def flow(frame: pd.DataFrame, date: str) -> pd.DataFrame:
    """One row per record and period its date falls in: its quarter and its year."""
    dated = frame[frame[date].between(START, STOP)]
    day = dated[date]
    year = day.dt.year - (day.dt.month < 4)
    quarter = (day.dt.month + 8) % 12 // 3 + 1
    return pd.concat(
        [
            dated.assign(period=(year * 10 + quarter).map(QUARTER_LABELS)),
            dated.assign(period=year.map(YEAR_LABELS)),
        ],
        ignore_index=True,
    )


def stock(frame: pd.DataFrame, opened: str, closed: str) -> pd.DataFrame:
    """One row per record and period at whose last day it is open; ``end`` is that day."""
    parts = []
    for label, end, _ in PERIODS:
        is_open = (frame[opened] <= end) & (frame[closed].isna() | (frame[closed] > end))
        parts.append(frame[is_open].assign(period=label, end=end))
    return pd.concat(parts, ignore_index=True)


def units(teams: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Every (period, unit) each level has a total for."""
    labels = pd.DataFrame({"period": [label for label, _, _ in PERIODS]})
    ids = {
        "team": teams["team_id"].unique(),
        "locality": teams["locality_id"].unique(),
        "city": [CITY],
    }
    return {
        level: labels.merge(pd.DataFrame({"unit_id": values}), how="cross")
        for level, values in ids.items()
    }


def figures(
    measure: str,
    members: pd.DataFrame,
    grid: dict[str, pd.DataFrame],
    breakdown: str | None = None,
) -> pd.DataFrame:
    """Sum members (period, team_id, locality_id, n, d) per unit of each level."""
    levels: Sequence[str] = ("locality", "city") if measure in BY_LOCALITY else LEVELS
    parts = []
    for level in levels:
        column = {"team": "team_id", "locality": "locality_id"}.get(level)
        rows = members if column is None else members[members[column].notna()]
        rows = rows.assign(unit_id=CITY if column is None else rows[column])
        sums = rows.groupby(["period", "unit_id"], as_index=False)[["n", "d"]].sum()
        total = grid[level].merge(sums, on=["period", "unit_id"], how="outer")
        parts.append(total.assign(level=level, breakdown=None))
        if breakdown is not None:
            by = rows.groupby(["period", "unit_id", breakdown], as_index=False, dropna=False)
            parts.append(
                by[["n", "d"]].sum().rename(columns={breakdown: "breakdown"}).assign(level=level)
            )
    frame = pd.concat(parts, ignore_index=True)
    return pd.DataFrame(
        {
            "measure_id": measure,
            "period": frame["period"],
            "level": frame["level"],
            "unit_id": frame["unit_id"],
            "breakdown": frame["breakdown"],
            "numerator": frame["n"].fillna(0).astype("int64"),
            "denominator": (
                pd.Series(pd.NA, index=frame.index, dtype="Int64")
                if measure in COUNTS
                else frame["d"].fillna(0).astype("Int64")
            ),
        }
    )


def members(
    frame: pd.DataFrame, n: pd.Series | int = 1, d: pd.Series | int = 0, *extra: str
) -> pd.DataFrame:
    out = frame[["period", "team_id", "locality_id", *extra]].copy()
    out["n"] = n.astype("int64") if isinstance(n, pd.Series) else n
    out["d"] = d.astype("int64") if isinstance(d, pd.Series) else d
    return out


def measures(t: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every figure: measure_id, period, level, unit_id, breakdown, numerator, denominator."""
    teams = t["teams"][["team_id", "locality_id"]].rename(columns={"locality_id": "_team_locality"})
    grid = units(t["teams"])

    def located(frame: pd.DataFrame) -> pd.DataFrame:
        """The team's locality, or the record's own where it has no team."""
        out = frame.merge(teams, on="team_id", how="left")
        own = out.get("locality_id")
        out["locality_id"] = (
            out["_team_locality"] if own is None else out["_team_locality"].fillna(own)
        )
        return out.drop(columns="_team_locality")

    cases = located(t["cases"])
    referrals = located(t["referrals"])
    case_teams = cases[["episode_id", "team_id", "locality_id"]]
    out = []

    # referrals
    placed = flow(referrals, "referral_date")
    out.append(figures("new_referrals", members(placed, 1, 0, "route"), grid, "route"))
    closures = cases.loc[cases["closed"].notna(), ["person_id", "closed", "referral_id"]]
    closures = closures.rename(columns={"referral_id": "_opened_by"})
    asked = referrals[referrals["referral_date"].between(START, STOP)]
    pairs = asked[["referral_id", "person_id", "referral_date"]].merge(closures, on="person_id")
    window_end = pairs["closed"] + pd.DateOffset(months=REREFERRAL_MONTHS)
    again = pairs.loc[
        (pairs["referral_date"] > pairs["closed"])
        & (pairs["referral_date"] <= window_end)
        & (pairs["_opened_by"].isna() | (pairs["_opened_by"] != pairs["referral_id"])),
        "referral_id",
    ].unique()
    rereferrals = members(flow(asked[asked["referral_id"].isin(again)], "referral_date"))
    out.append(figures("rereferrals", rereferrals, grid))

    # cases
    open_cases = stock(cases, "opened", "closed")
    out.append(figures("open_cases", members(open_cases), grid))
    level_2 = open_cases[open_cases["level_of_need"] == 2]
    out.append(figures("early_help_level_2_cases", members(level_2), grid))
    quarters = open_cases[open_cases["period"].str.contains("Q")]
    caseload = pd.concat([quarters, quarters.assign(period=quarters["period"].str[:7])])
    out.append(figures("rereferral_rate", pd.concat([rereferrals, members(caseload, 0, 1)]), grid))
    closed = flow(cases, "closed")
    out.append(
        figures("cases_closed", members(closed, 1, 0, "closure_reason"), grid, "closure_reason")
    )
    step_up = members(closed, closed["closure_reason"].isin(STEP_UP), 1)
    out.append(figures("escalations", step_up[step_up["n"] > 0], grid))
    out.append(figures("escalation_rate", step_up, grid))

    # assessments and onward referrals, by the team of their case
    assessments = t["assessments"]
    assessed = assessments.merge(case_teams, on="episode_id", how="left")
    out.append(figures("ehas_completed", members(flow(assessed, "completed")), grid))
    done = assessments[assessments["completed"].notna() & assessments["episode_id"].notna()]
    first = done.groupby("episode_id")["completed"].min().rename("_first")
    in_place = open_cases.merge(first, left_on="episode_id", right_index=True, how="left")
    out.append(
        figures(
            "assessment_in_place_rate",
            members(in_place, in_place["_first"] <= in_place["end"], 1),
            grid,
        )
    )
    onward = t["onward_referrals"].merge(case_teams, on="episode_id", how="left")
    out.append(figures("onward_referrals", members(flow(onward, "referral_date")), grid))

    out += statutory(t, grid)
    out += instruments(t, grid, located, case_teams)
    out += prior_early_help(t, grid, cases)
    out += audits(t, grid, case_teams)
    frame = pd.concat(out, ignore_index=True)
    early = frame["measure_id"].isin(FROM_2014) & frame["period"].str.startswith("2013-14")
    return frame[~early]


def statutory(t: dict[str, pd.DataFrame], grid: dict[str, pd.DataFrame]) -> list[pd.DataFrame]:
    """Statutory services, by locality: each child once, in its latest episode's locality."""
    out = []

    def children(frame: pd.DataFrame) -> pd.DataFrame:
        placed = stock(frame, "started", "ended")
        latest = placed.sort_values("started", ascending=False).drop_duplicates(
            ["period", "person_id"], keep="first"
        )
        return members(latest.assign(team_id=None))

    localities = t["teams"]["locality_id"].unique()
    population = t["population"][t["population"]["area_id"].isin(localities)]
    people = pd.DataFrame(
        {"period": [label for label, _, _ in PERIODS], "year": [y for _, _, y in PERIODS]}
    ).merge(population, on="year")
    denominators = pd.DataFrame(
        {
            "period": people["period"],
            "team_id": None,
            "locality_id": people["area_id"],
            "n": 0,
            "d": people["children"].astype("int64"),
        }
    )
    episodes = t["social_care_episodes"]
    for kind, (count, rate) in STATUTORY.items():
        open_children = children(episodes[episodes["kind"] == kind])
        out.append(figures(count, open_children, grid))
        out.append(figures(rate, pd.concat([open_children, denominators]), grid))
    out.append(figures("open_to_yos", children(t["yos_episodes"]), grid))
    return out


def instruments(
    t: dict[str, pd.DataFrame],
    grid: dict[str, pd.DataFrame],
    located: Callable[[pd.DataFrame], pd.DataFrame],
    case_teams: pd.DataFrame,
) -> list[pd.DataFrame]:
    """Spider graphs (by the team of their case) and surveys (by the team on the form)."""
    out = []
    readings = t["spider_readings"]
    is_end = readings["stage"] == "end"
    ended = readings.loc[is_end & readings["reading_date"].between(START, STOP), "graph_id"]
    readings = readings[readings["graph_id"].isin(ended.unique())]
    start = readings[readings["stage"] == "start"]
    later = readings[(readings["stage"] != "start") & readings["graph_id"].isin(start["graph_id"])]
    rank = later["reading_date"].astype("int64") * 4 + (later["stage"] == "end").astype("int64")
    latest = later[rank == rank.groupby(later["graph_id"]).transform("max")]
    sign = t["spider_scales"].assign(
        sign=t["spider_scales"]["higher_is_better"].map({True: 1, False: -1})
    )
    changes = (
        start[["graph_id", "scale", "score"]]
        .rename(columns={"score": "before"})
        .merge(latest[["graph_id", "scale", "score"]], on=["graph_id", "scale"])
        .merge(sign[["scale", "sign"]], on="scale")
    )
    changes["change"] = (changes["score"] - changes["before"]) * changes["sign"]
    totals = changes.groupby("graph_id")["change"].sum().rename("total")
    ends = later[later["stage"] == "end"]
    graphs = (
        ends.groupby("graph_id")
        .agg(completed=("reading_date", "min"), episode_id=("episode_id", "first"))
        .join(totals)
        .reset_index()
        .merge(case_teams, on="episode_id", how="left")
    )
    placed = flow(graphs, "completed")
    out.append(figures("spider_graphs_completed", members(placed), grid))
    directed = placed[placed["total"].notna()]
    out.append(figures("spider_improving_rate", members(directed, directed["total"] > 0, 1), grid))

    forms = flow(located(t["surveys"].drop(columns="episode_id")), "received")
    out.append(figures("surveys_received", members(forms), grid))
    for measure, question in SURVEY_QUESTIONS.items():
        out.append(figures(measure, members(forms, forms[question] == "yes", 1), grid))
    return out


def prior_early_help(
    t: dict[str, pd.DataFrame], grid: dict[str, pd.DataFrame], cases: pd.DataFrame
) -> list[pd.DataFrame]:
    """Plans and care started in the period, and whether early help came before."""
    out = []
    episodes = t["social_care_episodes"]
    for kind, measure in PRIOR.items():
        starts = flow(episodes[episodes["kind"] == kind], "started")
        window = starts[["episode_id", "person_id", "started"]].drop_duplicates("episode_id")
        window = window.assign(
            first=window["started"] - pd.DateOffset(months=PRIOR_MONTHS),
            last=window["started"] - pd.Timedelta(days=1),
        )
        pairs = window.merge(cases[["person_id", "opened", "closed"]], on="person_id")
        hit = (pairs["opened"] <= pairs["last"]) & (
            pairs["closed"].isna() | (pairs["closed"] >= pairs["first"])
        )
        helped = pairs.loc[hit, "episode_id"].unique()
        rows = starts.assign(team_id=None)
        out.append(figures(measure, members(rows, rows["episode_id"].isin(helped), 1), grid))
    return out


def audits(
    t: dict[str, pd.DataFrame], grid: dict[str, pd.DataFrame], case_teams: pd.DataFrame
) -> list[pd.DataFrame]:
    """Case file audits, by the team of the case audited."""
    audited = t["audits"].merge(case_teams, on="episode_id", how="left")
    scheduled = flow(audited, "scheduled")
    done = members(scheduled, scheduled["completed"].notna(), 1)
    good = pd.DataFrame(
        [(scale, grade, higher) for scale, (grade, higher) in GOOD_GRADE.items()],
        columns=["scale", "good", "higher"],
    )
    grades = t["audit_grades"]
    graded = (
        grades[grades["grade"].notna()]
        .merge(audited[audited["completed"].notna()], on="audit_id")
        .merge(good, on="scale")
    )
    is_good = graded["grade"].where(graded["higher"], -graded["grade"]) >= graded["good"].where(
        graded["higher"], -graded["good"]
    )
    placed = flow(graded.assign(is_good=is_good), "completed")
    rows = members(placed, placed["is_good"], 1, "measure")
    return [
        figures("audit_completion_rate", done, grid),
        figures("audit_good_or_better_rate", rows, grid, "measure"),
    ]
