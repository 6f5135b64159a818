"""The source report's published figures, recomputed: the library's first acceptance test."""

from __future__ import annotations

import polars as pl
import pytest

import earlyhelp as eh

# Statements of the report's narrative that its own table contradicts; each row
# says why in its note rather than being forced to match.
CONTRADICTED = {
    "CIN cases over the first 2 quarters of 2014-15",
    "CIN cases in 2014-15 Q2, highest of the two years",
    "CP plans over the last 2 quarters of 2014-15",
    "Children in care, spike in 2014-15 Q3",
    "Under 11s audit March 2015: audits returned",
    "Under 11s audit: around a half satisfactory",
}


@pytest.fixture(scope="module")
def report() -> pl.DataFrame:
    return eh.reproduce_source_report()


def test_every_published_figure_matches_or_says_why_not(report: pl.DataFrame) -> None:
    assert report.columns[:5] == ["figure", "section", "published", "computed", "match"]
    assert report.get_column("figure").is_unique().all()
    unmatched = report.filter(~pl.col("match"))
    assert set(unmatched.get_column("figure")) == CONTRADICTED
    assert (unmatched.get_column("note").str.len_chars() > 20).all()


@pytest.mark.parametrize(
    ("quarter", "published"),
    [
        ("2013-14 Q1", "11.3%"),
        ("2013-14 Q2", "13.2%"),
        ("2013-14 Q3", "12.3%"),
        ("2013-14 Q4", "20.8%"),
        ("2014-15 Q1", "18.6%"),
        ("2014-15 Q2", "14.3%"),
        ("2014-15 Q3", "8.7%"),
        ("2014-15 Q4", "Awaiting data"),
    ],
)
def test_escalation_percentages(report: pl.DataFrame, quarter: str, published: str) -> None:
    row = report.filter(pl.col("figure") == f"Escalation % {quarter}").row(0, named=True)
    assert (row["published"], row["computed"], row["match"]) == (published, published, True)


def test_case_counts_and_rereferral_rate(report: pl.DataFrame) -> None:
    computed = dict(report.select("figure", "computed").iter_rows())
    assert computed["Rise in case load over 2014-15"] == "57"
    assert computed["Additional cases worked in 2014-15 over 2013-14"] == "21"
    assert computed["Re-referrals within 3 months as % of cases worked with, 2014-15"] == "12.4%"


def test_half_up_rounding_would_not_reproduce_the_report() -> None:
    half_up = eh.reproduce_source_report(
        eh.measures.RoundingPolicy(eh.measures.Rounding.HALF_UP, 1)
    )
    wrong = half_up.filter(~pl.col("match") & pl.col("figure").str.starts_with("Escalation %"))
    assert wrong.get_column("computed").to_list() == ["13.3%", "18.7%", "14.4%"]


def test_the_quarterly_table_rolls_up_a_year_only_when_complete() -> None:
    results = eh.roll_up_returns(eh.reproduction.source_report_returns(), by="city")
    assert results["escalation_rate", "2013-14", "city"].numerator == 31 + 44 + 36 + 51
    assert results["escalation_rate", "2014-15", "city"].missing is eh.Missing.AWAITED
    assert results["early_help_level_2_cases", "2014-15", "city"].numerator == 740
    assert results["ehas_completed", "2014-15", "city"].numerator == 187 + 206 + 254 + 282
    with pytest.raises(ValueError, match="hold no records"):
        results.records("ehas_completed", "2014-15", "city")


def test_bad_returns_name_every_row_and_field() -> None:
    returns = pl.DataFrame(
        {
            "team_id": ["city", "city", "nowhere"],
            "period": ["2014-15 Q1", "2014-15 Q5", "2014-15 Q1"],
            "measure_id": ["escalation_rate", "open_cases", "open_cases"],
            "numerator": [5, -1, 3],
            "denominator": [None, None, None],
        }
    )
    with pytest.raises(eh.errors.ReturnsError) as caught:
        eh.roll_up_returns(returns)
    message = str(caught.value)
    assert "row 1, denominator: escalation_rate is a ratio and needs one" in message
    assert "row 2, period" in message
    assert "row 2, numerator: expected 0 or more, got -1" in message
    assert "row 3, team_id: 'nowhere'" in message
