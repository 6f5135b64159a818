"""Parsing rules every reader shares: UK date-times, NULL as text, sentinel dates, ids."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import earlyhelp as eh


def _cases(**columns: list[str | None]) -> pl.DataFrame:
    n = len(next(iter(columns.values())))
    base: dict[str, list[str | None]] = {
        "episode_id": [f"E{i}" for i in range(n)],
        "person_id": [f"P{i}" for i in range(n)],
        "team_id": ["T1"] * n,
        "locality_id": ["L1"] * n,
        "opened": ["2024-04-01"] * n,
        "level_of_need": ["2"] * n,
    }
    base.update(columns)
    return pl.DataFrame(base, schema=dict.fromkeys(base, pl.String))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13/05/2024 00:00", dt.date(2024, 5, 13)),
        ("13/05/2024 23:59:59", dt.date(2024, 5, 13)),
        ("13-MAY-24", dt.date(2024, 5, 13)),
        ("13-May-2024", dt.date(2024, 5, 13)),
        ("29-FEB-24 00:00:00", dt.date(2024, 2, 29)),
        ("2024-05-13T00:00:00", dt.date(2024, 5, 13)),
        ("31/03/2015", dt.date(2015, 3, 31)),
    ],
)
def test_uk_and_oracle_date_times_load(text: str, expected: dt.date) -> None:
    data = eh.load({"cases": _cases(opened=[text])})
    assert data.report.ok
    assert data["cases"].get_column("opened").to_list() == [expected]


@pytest.mark.parametrize(
    "text", ["30-FEB-24", "31/04/2024", "13/13/2024 00:00", "2024-05-13 25:00"]
)
def test_impossible_dates_are_rejected_not_guessed(text: str) -> None:
    data = eh.load({"cases": _cases(opened=[text])})
    [rejection] = list(data.report["cases"].rejections())
    assert (rejection.field, rejection.code) == ("opened", "invalid-date")
    assert text not in rejection.message  # dates may be personal: never echoed


@pytest.mark.parametrize("missing", ["NULL", "null", " NULL ", "1900-01-01", "01/01/1900 00:00"])
def test_null_text_and_sentinel_date_are_missing(missing: str) -> None:
    data = eh.load({"cases": _cases(closed=[missing], closure_reason=["NULL"])})
    assert data.report.ok, str(data.report)
    assert data["cases"].get_column("closed").to_list() == [None]
    assert data["cases"].get_column("closure_reason").to_list() == [None]


def test_sentinel_in_a_required_date_is_missing_not_a_date() -> None:
    data = eh.load({"cases": _cases(opened=["1900-01-01 00:00:00.000"])})
    [rejection] = list(data.report["cases"].rejections())
    assert (rejection.field, rejection.code) == ("opened", "missing")


def test_ids_cleaned_one_way_and_counted() -> None:
    frame = _cases(
        episode_id=["E1", " E2", "3.0", "007", "NULL"],
        person_id=["P1", "P2", "P3", "P4", "P5"],
    )
    data = eh.load({"cases": frame})
    report = data.report["cases"]
    assert data["cases"].get_column("episode_id").to_list() == ["E1", "E2", "3", "007"]
    assert report.ids_changed == 3  # " E2", "3.0" and "NULL"; "007" keeps its zeros
    assert report.rejected == 1
    assert "ids cleaned: 3" in str(report)


def test_excel_float_ids_match_their_text_twins_as_duplicates() -> None:
    data = eh.load({"cases": _cases(episode_id=["1042", "1042.0"])})
    assert data.report["cases"].rejected == 1
    assert next(data.report["cases"].rejections()).code == "duplicate-key"


@given(st.from_regex(r"[0-9]{1,6}", fullmatch=True), st.sampled_from(["", ".0", ".00"]))
def test_clean_id_keeps_leading_zeros_and_drops_excel_decimals(digits: str, tail: str) -> None:
    data = eh.load({"cases": _cases(episode_id=[f" {digits}{tail} "])})
    assert data["cases"].get_column("episode_id").to_list() == [digits]


_ID_TEXTS = st.one_of(
    st.tuples(
        st.from_regex(r"[1-9][0-9]{0,4}", fullmatch=True),
        st.sampled_from(["", ".0", ".00", ".000"]),
        st.sampled_from(["", " "]),
    ).map(lambda parts: f"{parts[2]}{parts[0]}{parts[1]}{parts[2]}"),
    st.sampled_from(["", "NULL", "C-7", "c-7"]),
)


@given(st.lists(_ID_TEXTS, min_size=1, max_size=6))
def test_each_id_is_read_and_counted_as_if_alone(texts: list[str]) -> None:
    """An id's reading and whether it counts as cleaned never depend on the other rows."""
    persons = [f"P{i}" for i in range(len(texts))]
    together = eh.load({"cases": _cases(episode_id=texts, person_id=persons)})
    alone = [
        eh.load({"cases": _cases(episode_id=[text], person_id=[person])})
        for text, person in zip(texts, persons, strict=True)
    ]
    read = dict(together["cases"].select("person_id", "episode_id").iter_rows())
    for single, person in zip(alone, persons, strict=True):
        if single["cases"].height and person in read:  # not a duplicate of another row
            assert read[person] == single["cases"].get_column("episode_id")[0]
    changed = sum(single.report["cases"].ids_changed for single in alone)
    assert together.report["cases"].ids_changed == changed


def test_an_unknown_code_is_named_only_when_shaped_like_a_code() -> None:
    frame = _cases(
        closed=["2024-05-01"] * 3,
        closure_reason=["NFA", "Step-up", "told us her dad left"],
    )
    data = eh.load({"cases": frame})
    messages = [r.message for r in data.report["cases"].rejections()]
    assert messages[0].startswith("'NFA' is not a closure_reason code; expected one of")
    assert messages[1].startswith("not a closure_reason code")  # not shaped like a code
    assert all("dad" not in m and "Step" not in m for m in messages)
    problems = data.report.problems()
    assert problems.get_column("code").to_list() == ["invalid-code"] * 3


def test_rows_lacking_an_optional_field_are_kept_and_counted_as_a_reason() -> None:
    episodes = pl.DataFrame(
        {
            "episode_id": ["S1", "S2", "S3"],
            "person_id": ["P1", "P2", "P3"],
            "kind": ["cp", "cp", "cp"],
            "started": ["2014-05-01"] * 3,
            "ended": [None, None, None],  # supplied and empty: the plans are open
            "locality_id": ["L1", None, "NULL"],
        },
        schema_overrides={"ended": pl.String},
    )
    teams = pl.DataFrame({"team_id": ["T1"], "name": ["MAT 1"], "locality_id": ["L1"]})
    data = eh.load({"social_care_episodes": episodes, "teams": teams})
    report = data.report["social_care_episodes"]
    assert report.accepted == 3
    assert report.lacking == (
        ("locality_id", 2, "figures by locality (counted for the city only)"),
    )
    assert "2 row(s) kept without locality_id" in str(report)
    results = eh.compute(
        data, profile="derby-2014-15", period="2014-15", by="locality", measures=["cp_plans"]
    )
    assert results["cp_plans", "2014-15", "city"].numerator == 3
    assert results["cp_plans", "2014-15", "L1"].numerator == 1
