"""Section 2 and 3 of the source report: the quarterly table and what the text derives from it."""

from __future__ import annotations

import importlib.resources
import itertools
from collections.abc import Callable, Sequence
from fractions import Fraction

import polars as pl

from earlyhelp.errors import InternalError
from earlyhelp.measures._results import CITY, Results
from earlyhelp.measures._returns import roll_up_returns
from earlyhelp.measures._rounding import RoundingPolicy
from earlyhelp.reproduction._figure import Figure

__all__ = ["quarterly_figures", "source_report_returns"]

S2 = "2. Early help performance framework"
S3 = "3. Children's services performance data"
Y1 = [f"2013-14 Q{n}" for n in range(1, 5)]
Y2 = [f"2014-15 Q{n}" for n in range(1, 5)]


def source_report_returns() -> pl.DataFrame:
    """The report's quarterly performance table, entered as the city's aggregate returns.

    Example:
        >>> returns = source_report_returns()
        >>> returns.filter(pl.col("measure_id") == "escalation_rate").row(4)
        ('city', '2014-15 Q1', 'escalation_rate', 51, 273, False)
    """
    source = importlib.resources.files("earlyhelp") / "data" / "derby-2014-15"
    with importlib.resources.as_file(source / "quarterly_returns.csv") as path:
        return pl.read_csv(
            path,
            comment_prefix="#",
            schema_overrides={"numerator": pl.Int64, "denominator": pl.Int64},
        )


def _series(results: Results, measure_id: str, periods: Sequence[str]) -> list[int]:
    values = [results[measure_id, p, CITY].numerator for p in periods]
    if any(v is None for v in values):  # pragma: no cover - the table is complete
        msg = f"{measure_id}: the table has gaps"
        raise InternalError(msg)
    return [v for v in values if v is not None]


def _claim(
    figure: str,
    published: str,
    values: Sequence[int],
    labels: Sequence[str],
    holds: Callable[[Sequence[int]], bool],
    *,
    note: str = "",
) -> Figure:
    """A statement of the narrative about a run of quarter-end figures, checked."""
    shown = ", ".join(f"{label} {value}" for label, value in zip(labels, values, strict=True))
    ok = holds(values)
    return Figure(
        figure=figure,
        section=S3,
        published=published,
        computed=("holds: " if ok else "does not hold: ") + shown,
        match=ok,
        note="" if ok else note,
        derivation="quarter-end figures of the quarterly performance table",
    )


def _rising(values: Sequence[int]) -> bool:
    return all(b > a for a, b in itertools.pairwise(values))


def _falling(values: Sequence[int]) -> bool:
    return all(b < a for a, b in itertools.pairwise(values))


def quarterly_figures(rounding: RoundingPolicy) -> list[Figure]:
    """Every figure sections 2 and 3 derive from the quarterly table, recomputed.

    Args:
        rounding: the profile's rounding policy for percentages.
    """
    results = roll_up_returns(source_report_returns(), by="city")
    figures = []
    published = ["11.3%", "13.2%", "12.3%", "20.8%", "18.6%", "14.3%", "8.7%", "Awaiting data"]
    for label, shown in zip(Y1 + Y2, published, strict=True):
        result = results["escalation_rate", label, CITY]
        value = result.value
        computed = "Awaiting data" if value is None else f"{rounding.format(value)}%"
        figures.append(
            Figure.compare(
                f"Escalation % {label}",
                S3,
                shown,
                computed,
                derivation=(
                    "awaited"
                    if value is None
                    else f"{result.numerator} escalated / {result.denominator} closed x 100"
                ),
            )
        )
    caseload = _series(results, "early_help_level_2_cases", Y1 + Y2)
    rereferrals = results["rereferrals", "2014-15", CITY].numerator or 0
    worked = sum(caseload[4:])
    figures.append(
        Figure.compare(
            "Re-referrals within 3 months as % of cases worked with, 2014-15",
            S2,
            "12.4%",
            f"{rounding.format(Fraction(100 * rereferrals, worked))}%",
            note="The report does not print its denominator. 'The total number of cases "
            "the early help teams worked with across the year' is reproduced only as the "
            "sum of the four quarter-end caseloads (683 + 726 + 698 + 740 = 2,847).",
            derivation=f"{rereferrals} / {worked} x 100",
        )
    )
    figures.append(
        Figure.compare(
            "Rise in case load over 2014-15",
            S3,
            "57",
            str(caseload[7] - caseload[4]),
            derivation=f"31/03/2015 {caseload[7]} - 30/06/2014 {caseload[4]} (Q4 - Q1)",
        )
    )
    figures.append(
        Figure.compare(
            "Additional cases worked in 2014-15 over 2013-14",
            S3,
            "21",
            str(sum(caseload[4:]) - sum(caseload[:4])),
            derivation=f"sum of 2014-15 quarter-end caseloads {sum(caseload[4:])} - "
            f"sum of 2013-14's {sum(caseload[:4])}",
        )
    )
    ehas = _series(results, "ehas_completed", Y1 + Y2)
    rise = ehas[7] - ehas[3]
    figures.append(
        Figure(
            figure="Increase in EHAs completed over 2014-15",
            section=S3,
            published="increased by over 100",
            computed=f"+{rise} (2013-14 Q4 {ehas[3]} to 2014-15 Q4 {ehas[7]})",
            match=rise > 100,
            note="Holds measured from the last quarter of 2013-14; from the first to the "
            f"last quarter of 2014-15 the rise is {ehas[7] - ehas[4]}, not over 100.",
            derivation="quarterly EHAs completed",
        )
    )
    figures += _narrative(results, caseload, ehas, rounding)
    return figures


def _narrative(
    results: Results, caseload: list[int], ehas: list[int], rounding: RoundingPolicy
) -> list[Figure]:
    cin = _series(results, "cin_cases", Y1 + Y2)
    cp = _series(results, "cp_plans", Y1 + Y2)
    cic = _series(results, "children_in_care", Y1 + Y2)
    yos = _series(results, "open_to_yos", Y1 + Y2)
    esc = [results["escalation_rate", p, CITY].value for p in Y1 + Y2[:3]]
    rates = [v for v in esc if v is not None]
    labels = ["Q4 2013-14", "Q1", "Q2", "Q3", "Q4"]
    return [
        _claim(
            "EHAs completed rose every quarter of 2014-15",
            "increased every quarter",
            ehas[3:],
            labels,
            _rising,
        ),
        _claim(
            "Early help cases, 2014-15 Q1 to Q2", "increase", caseload[4:6], labels[1:3], _rising
        ),
        _claim(
            "Early help cases, 2014-15 Q2 to Q3",
            "slight decrease",
            caseload[5:7],
            labels[2:4],
            _falling,
        ),
        _claim(
            "Early help cases, 2013-14 Q2 to Q3",
            "decrease (also in 2013-14)",
            caseload[1:3],
            ["Q2 2013-14", "Q3 2013-14"],
            _falling,
        ),
        _claim(
            "Early help cases, 2014-15 Q3 to Q4",
            "healthy increase",
            caseload[6:8],
            labels[3:5],
            _rising,
        ),
        _claim(
            "Early help cases, 2013-14 Q3 to Q4",
            "no increase (not mirrored in 2013-14)",
            caseload[2:4],
            ["Q3 2013-14", "Q4 2013-14"],
            lambda v: v[1] <= v[0],
        ),
        _claim(
            "CIN cases over the first 2 quarters of 2014-15",
            "reduced and then increased",
            cin[3:6],
            labels[:3],
            lambda v: v[1] < v[0] < v[2] or (v[1] < v[0] and v[2] > v[1]),
            note="The table shows a fall (943 to 923) and then no change (923 to 923); "
            "the rise came in Q3 (1,019).",
        ),
        _claim(
            "CIN cases in 2014-15 Q2, highest of the two years",
            "spiked to the highest",
            cin,
            [*Y1, *Y2],
            lambda v: v[5] == max(v),
            note="The highest quarter-end figure is 2014-15 Q3 (1,019), not Q2 (923): "
            "the narrative appears to be one quarter out.",
        ),
        _claim(
            "CIN cases in 2014-15 Q3 and Q4 above every 2013-14 quarter",
            "higher than at any other point during 2013-14",
            cin,
            [*Y1, *Y2],
            lambda v: min(v[6:8]) > max(v[:4]),
        ),
        _claim(
            "CP plans over the first 2 quarters of 2014-15",
            "continuing increases, particularly in quarter 1",
            cp[3:6],
            labels[:3],
            lambda v: _rising(v) and v[1] - v[0] > v[2] - v[1],
        ),
        _claim(
            "CP plans over the last 2 quarters of 2014-15",
            "reductions",
            cp[5:8],
            labels[2:5],
            _falling,
            note="Q3 fell (329 to 324) but Q4 is unchanged (324 to 324).",
        ),
        _claim("Children in care over 2013-14", "reduced", cic[:4], Y1, lambda v: v[-1] < v[0]),
        _claim(
            "Children in care over the past 12 months",
            "increased",
            cic[3:8],
            labels,
            lambda v: v[-1] > v[0],
        ),
        _claim(
            "Children in care, spike in 2014-15 Q3",
            "particular spike in quarter 3",
            cic[5:7],
            labels[2:4],
            _rising,
            note="At quarter end, Q3 fell (459 to 448) and the rise came in Q4 (475); "
            "the spike the report means is in admissions during December 2014, a flow "
            "the table does not show.",
        ),
        _claim(
            "YOS numbers throughout 2013-14", "increased quarter on quarter", yos[:4], Y1, _rising
        ),
        _claim(
            "YOS numbers over the last 2 quarters of 2014-15",
            "reduced significantly",
            yos[5:8],
            labels[2:5],
            _falling,
        ),
        Figure(
            figure="Escalation % over the past three quarters",
            section=S3,
            published="reduced quarter on quarter",
            computed="holds: " + ", ".join(f"{rounding.format(v)}%" for v in rates[3:])
            if all(b < a for a, b in itertools.pairwise(rates[3:]))
            else "does not hold",
            match=all(b < a for a, b in itertools.pairwise(rates[3:])),
            derivation="2013-14 Q4 to 2014-15 Q3 escalation %, exact",
        ),
    ]
