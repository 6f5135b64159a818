"""Roll teams' quarterly returns up to localities and the city, by ratio of sums.

Each team enters its counts per quarter (numerator and, for a percentage, its
denominator). earlyhelp adds numerators and denominators up the hierarchy, derives
each year's figure from its quarters, and keeps an awaited return missing instead
of counting it as zero.
"""

import polars as pl

import earlyhelp as eh

teams = pl.DataFrame({"team_id": ["T1", "T2", "T3"], "locality_id": ["L1", "L1", "L2"]})
returns = pl.DataFrame(
    {
        "team_id": ["T1", "T2", "T3"] * 2,
        "period": ["2014-15 Q1"] * 3 + ["2014-15 Q2"] * 3,
        "measure_id": ["escalation_rate"] * 6,
        "numerator": [10, 30, 11, 20, 25, None],
        "denominator": [40, 150, 83, 110, 140, None],
        "awaited": [False, False, False, False, False, True],
    }
)
results = eh.roll_up_returns(returns, teams=teams)
policy = eh.measures.RoundingPolicy(eh.measures.Rounding.TRUNCATE, 1)
for unit in ("T1", "T2", "L1", "T3", "L2", "city"):
    for period in ("2014-15 Q1", "2014-15 Q2"):
        figure = results["escalation_rate", period, unit]
        shown = "awaited" if figure.value is None else f"{policy.format(figure.value)}%"
        print(f"{unit:5} {period}: {figure.numerator}/{figure.denominator} -> {shown}")

# The average of the teams' percentages is not the locality's figure:
q1 = [results["escalation_rate", "2014-15 Q1", t].value for t in ("T1", "T2")]
print(
    "L1 Q1 as ratio of sums:", policy.format(results["escalation_rate", "2014-15 Q1", "L1"].value)
)
print("L1 Q1 as a (wrong) average of percentages:", policy.format(sum(q1) / 2))
