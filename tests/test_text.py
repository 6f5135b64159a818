"""A rendering's words: the polars and the Python evaluator of one declaration agree."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.errors import ArgumentError, InternalError
from earlyhelp.periods import uk_date
from earlyhelp.rules import text as tx

SCHEMA = {
    "s": pl.String,
    "t": pl.String,
    "i": pl.Int64,
    "j": pl.Int64,
    "d": pl.Date,
    "b": pl.Boolean,
    "e": pl.Enum(["cin", "cp", "lac"]),
}

words = st.text(alphabet="ab ,/-+", max_size=4)
codes = st.sampled_from(["cin", "cp", "lac", "other", ""])
dates = st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31))
rows = st.fixed_dictionaries(
    {
        "s": st.none() | words,
        "t": st.none() | codes,
        "i": st.none() | st.integers(-3, 3),
        "j": st.none() | st.integers(-3, 3),
        "d": st.none() | dates,
        "b": st.none() | st.booleans(),
        "e": st.none() | st.sampled_from(["cin", "cp", "lac"]),
    }
)

numbers = st.sampled_from([tx.col("i"), tx.col("j")]) | st.integers(-3, 3).map(tx.lit)
days = st.just(tx.col("d")) | dates.map(tx.lit)
plain_texts = (
    st.sampled_from([tx.col("s"), tx.col("t"), tx.lit(None)])
    | words.map(tx.lit)
    | numbers.map(lambda n: n.cast(pl.String))
    | days.map(lambda d: d.cast(pl.String))
    | st.just(tx.col("b").cast(pl.String))
    | st.builds(tx.Text.strftime, days, st.sampled_from(["%d/%m/%Y", "%B %Y", "%Y-%m", "%d%%"]))
    | numbers.map(tx.signed)
    | st.builds(
        tx.spelled,
        st.sampled_from([tx.col("t"), tx.col("e")]),
        st.just({"cin": "child in need", "cp": "protection"}),
        st.none() | words,
    )
)


def _conditions(texts: st.SearchStrategy[tx.Text]) -> st.SearchStrategy[tx.Text]:
    compared = st.builds(
        lambda op, a, b: {
            "==": a == b,
            "!=": a != b,
            "<": a < b,
            "<=": a <= b,
            ">": a > b,
            ">=": a >= b,
        }[op],
        st.sampled_from(["==", "!=", "<", "<=", ">", ">="]),
        numbers,
        numbers | st.integers(-3, 3),
    )
    simple = (
        st.just(tx.col("b"))
        | compared
        | st.builds(lambda a, b: a == b, texts, st.sampled_from(["a", "cin", ""]))
        | st.builds(lambda code: tx.col("e") == code, st.sampled_from(["cin", "lac"]))
        | st.builds(lambda a, b: a < b, days, days)
        | texts.map(tx.Text.is_null)
        | texts.map(tx.Text.is_not_null)
        | st.builds(tx.Text.contains, texts, st.sampled_from(["a", ",", "b "]))
    )
    return st.recursive(
        simple,
        lambda inner: (
            st.builds(lambda a, b: a & b, inner, inner)
            | st.builds(lambda a, b: a | b, inner, inner)
            | inner.map(lambda a: ~a)
        ),
        max_leaves=4,
    )


def _choice(cases: list[tuple[tx.Text, tx.Text]], last: tx.Text | None) -> tx.Text:
    (condition, value), *rest = cases
    chain = tx.when(condition).then(value)
    for condition, value in rest:
        chain = chain.when(condition).then(value)
    return chain if last is None else chain.otherwise(last)


texts = st.deferred(
    lambda: st.recursive(
        plain_texts,
        lambda inner: (
            st.lists(inner | words, min_size=1, max_size=4).map(lambda parts: tx.concat_str(*parts))
            | st.builds(tx.Text.fill_null, inner, words)
            | st.lists(inner, min_size=1, max_size=3).map(lambda parts: tx.coalesce(*parts))
            | st.builds(
                _choice,
                st.lists(st.tuples(_conditions(plain_texts), inner), min_size=1, max_size=3),
                st.none() | inner,
            )
        ),
        max_leaves=8,
    )
)


def _both(part: tx.Text, given_rows: list[dict[str, object]]) -> tuple[list[object], list[object]]:
    frame = pl.DataFrame(given_rows, schema=SCHEMA)
    bulk = frame.select(part.expr().alias("value")).to_series().to_list()
    if len(bulk) == 1 and frame.height != 1:  # a constant: polars gives one value
        bulk = bulk * frame.height
    one_by_one = [part.value(row) for row in frame.iter_rows(named=True)]
    return bulk, one_by_one


@given(texts, st.lists(rows, min_size=1, max_size=6))
def test_each_text_reads_the_same_in_polars_and_per_row(
    part: tx.Text, given_rows: list[dict[str, object]]
) -> None:
    bulk, one_by_one = _both(part, given_rows)
    assert one_by_one == bulk
    assert all(value is None or isinstance(value, str) for value in one_by_one)


@given(_conditions(texts), st.lists(rows, min_size=1, max_size=6))
def test_each_condition_reads_the_same_in_polars_and_per_row(
    part: tx.Text, given_rows: list[dict[str, object]]
) -> None:
    bulk, one_by_one = _both(part, given_rows)
    assert one_by_one == bulk


def test_a_choice_falls_through_a_null_condition_and_is_null_without_otherwise() -> None:
    choice = tx.when(tx.col("b")).then(tx.lit("yes")).when(tx.col("i") > 0).then(tx.lit("more"))
    assert choice.value({"b": None, "i": 1}) == "more"
    assert choice.value({"b": None, "i": None}) is None
    assert choice.otherwise("no").value({"b": False, "i": 0}) == "no"


def test_a_join_with_a_null_part_is_null_and_casts_as_polars_does() -> None:
    joined = tx.concat_str("on ", tx.col("d"), " it was ", tx.col("b"), ", ", tx.col("i"))
    row = {"d": dt.date(2016, 2, 29), "b": True, "i": -2}
    assert joined.value(row) == "on 2016-02-29 it was true, -2"
    assert joined.value({**row, "i": None}) is None
    assert tx.signed(tx.col("i")).value(row) == "-2"
    assert tx.signed(tx.lit(0)).value({}) == "0"
    assert tx.signed(tx.lit(3)).value({}) == "+3"


def test_month_names_do_not_depend_on_the_locale() -> None:
    month = tx.col("d").strftime("%B %Y")
    assert month.value({"d": dt.date(2014, 11, 30)}) == "November 2014"
    assert month.value({"d": dt.date(812, 2, 1)}) == "February 0812"


def test_a_text_refuses_what_it_cannot_evaluate_alike() -> None:
    with pytest.raises(InternalError, match="only %d, %m, %Y and %B"):
        tx.col("d").strftime("%A")
    with pytest.raises(InternalError, match=r"casts to pl\.String only"):
        tx.col("i").cast(pl.Int32)
    with pytest.raises(InternalError, match="declaration"):
        bool(tx.col("b"))
    with pytest.raises(InternalError, match="cannot hold a float"):
        tx.concat_str(tx.col("s"), 1.5)  # type: ignore[arg-type]
    with pytest.raises(InternalError, match="only through polars"):
        tx.col("x").cast(pl.String).value({"x": 1.5})


def test_a_column_the_evidence_lacks_is_named() -> None:
    with pytest.raises(ArgumentError, match="'episode_id'"):
        tx.concat_str("case ", tx.col("episode_id")).value({"case_id": "C1"})


@given(dates)
def test_a_uk_date_reads_as_the_periods_helper_writes_it(day: dt.date) -> None:
    part = tx.col("d").uk_date()
    assert part.value({"d": day}) == uk_date(day)
    assert pl.DataFrame({"d": [day]}).select(part.expr()).item() == uk_date(day)
