"""Decision tables: checks when built, errors from data, and per-record versus bulk agreement."""

from __future__ import annotations

import itertools
import tomllib
from collections.abc import Mapping
from typing import Any

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.errors import TableError
from earlyhelp.rules import (
    MAX_COMBINATIONS,
    Condition,
    DecisionTable,
    Domain,
    HitPolicy,
    Input,
    Row,
    read_decision_table,
)

THRESHOLD_TOML = """
id = "TH-1"
title = "Threshold level from recorded indicators"
hit_policy = "priority"
output = "level"
inputs = [
  { name = "acute_risk", domain = "boolean" },
  { name = "complex_needs", domain = "boolean" },
  { name = "emerging_needs", domain = "boolean" },
  { name = "areas_of_need", domain = { min = 0, max = 8 } },
  { name = "route", domain = ["vcm", "other"] },
]
[[rows]]
when = { acute_risk = true }
then = 4
priority = 40
annotation = "acute: child protection or care"
[[rows]]
when = { complex_needs = true }
then = 3
priority = 30
[[rows]]
when = { areas_of_need = { min = 3 }, route = "-" }
then = 3
priority = 25
annotation = "three or more areas of need"
[[rows]]
when = { emerging_needs = true, areas_of_need = { min = 1, max = 2 } }
then = 2
priority = 20
[[rows]]
when = { route = ["vcm", "other"], areas_of_need = { max = 2 } }
then = 1
priority = 10
annotation = "universal services"
"""

FLAGS = ("acute_risk", "complex_needs", "emerging_needs")


def threshold_data(**changes: Any) -> dict[str, Any]:
    data = tomllib.loads(THRESHOLD_TOML)
    data.update(changes)
    return data


def flag_table(policy: HitPolicy, *rows: tuple[dict[str, bool], int, int | None]) -> DecisionTable:
    """A table over the three boolean flags; each row is (when, then, priority)."""
    return DecisionTable(
        table_id="TH-1",
        title="flags",
        inputs=tuple(Input(name=name, domain=Domain.boolean()) for name in FLAGS),
        output="level",
        rows=tuple(
            Row(
                number=n,
                when={k: Condition(values=(v,)) for k, v in when.items()},
                then=then,
                priority=priority,
            )
            for n, (when, then, priority) in enumerate(rows, 1)
        ),
        hit_policy=policy,
    )


# --------------------------------------------------------------------------- checks when built


def test_overlap_under_unique_names_both_rows() -> None:
    with pytest.raises(TableError) as caught:
        flag_table(
            HitPolicy.UNIQUE,
            ({"acute_risk": True}, 4, None),
            ({"acute_risk": False, "complex_needs": True}, 3, None),
            ({"acute_risk": False, "emerging_needs": True}, 2, None),
            ({"acute_risk": False, "complex_needs": False, "emerging_needs": False}, 1, None),
        )
    assert caught.value.problems == (
        "overlap: rows 2 and 3 both match "
        "acute_risk=False, complex_needs=True, emerging_needs=True",
    )
    assert str(caught.value).startswith("table TH-1: overlap: rows 2 and 3 both match")


def test_gap_names_an_uncovered_combination() -> None:
    with pytest.raises(TableError) as caught:
        flag_table(
            HitPolicy.UNIQUE,
            ({"acute_risk": True}, 4, None),
            ({"acute_risk": False, "complex_needs": True}, 3, None),
            ({"acute_risk": False, "complex_needs": False, "emerging_needs": True}, 2, None),
        )
    assert str(caught.value) == (
        "table TH-1: gap: no row matches acute_risk=False, complex_needs=False, emerging_needs=False"
    )


def test_gaps_are_allowed_when_the_table_is_not_complete() -> None:
    table = read_decision_table(threshold_data(complete=False))
    assert table.evaluate(dict.fromkeys(FLAGS, False) | {"areas_of_need": 3, "route": "vcm"})


def test_many_gaps_are_summarised() -> None:
    with pytest.raises(TableError, match=r"gap: 4 combinations that no row matches in all$"):
        flag_table(HitPolicy.FIRST, ({"acute_risk": True}, 4, None))


def test_equal_priorities_that_overlap_fail_under_priority() -> None:
    with pytest.raises(TableError) as caught:
        flag_table(
            HitPolicy.PRIORITY,
            ({"acute_risk": True}, 4, 40),
            ({"complex_needs": True}, 3, 40),
            ({}, 1, 10),
        )
    assert caught.value.problems == (
        "overlap: rows 1 and 2 of priority 40 both match "
        "acute_risk=True, complex_needs=True, emerging_needs=True",
    )
    # Different priorities may overlap; so may equal priorities that never meet.
    flag_table(
        HitPolicy.PRIORITY,
        ({"acute_risk": True}, 4, 40),
        ({"acute_risk": False}, 3, 40),
        ({"complex_needs": True}, 3, 30),
        ({}, 1, 10),
    )


def test_shadowed_row_under_first_fails_naming_it() -> None:
    with pytest.raises(TableError) as caught:
        flag_table(
            HitPolicy.FIRST,
            ({"acute_risk": True}, 4, None),
            ({"acute_risk": False, "complex_needs": True}, 3, None),
            ({}, 1, None),
            ({"complex_needs": True}, 2, None),
        )
    assert caught.value.problems == (
        "row 4 can never match: rows 1, 2, 3 match everything it does",
    )
    with pytest.raises(
        TableError, match=r"row 2 can never match: row 1 matches everything it does"
    ):
        flag_table(HitPolicy.FIRST, ({}, 1, None), ({"acute_risk": True}, 2, None))


def test_overlaps_are_allowed_under_first_and_collect() -> None:
    rows: list[tuple[dict[str, bool], int, int | None]] = [
        ({"acute_risk": True}, 4, None),
        ({"complex_needs": True}, 3, None),
        ({}, 1, None),
    ]
    first = flag_table(HitPolicy.FIRST, *rows)
    collect = flag_table(HitPolicy.COLLECT, *rows)
    values = {"acute_risk": True, "complex_needs": True, "emerging_needs": False}
    assert first.evaluate(values).fired_row == 1
    assert collect.evaluate(values).outcome == (4, 3, 1)
    assert collect.evaluate(values).fired_row is None


def test_all_problems_are_reported_together() -> None:
    with pytest.raises(TableError) as caught:
        flag_table(
            HitPolicy.UNIQUE,
            ({"acute_risk": True}, 4, None),
            ({"acute_risk": True, "complex_needs": True}, 3, None),
        )
    kinds = [problem.split(":")[0] for problem in caught.value.problems]
    assert kinds == ["gap", "gap", "gap", "gap", "overlap"]
    assert "rows 1 and 2 both match acute_risk=True, complex_needs=True" in str(caught.value)


def test_value_outside_its_domain_names_row_and_input() -> None:
    inputs = (Input(name="areas_of_need", domain=Domain.integers(0, 8)),)
    with pytest.raises(TableError) as caught:
        DecisionTable(
            table_id="TH-2",
            title="areas",
            inputs=inputs,
            output="level",
            rows=(
                Row(number=1, when={"areas_of_need": Condition(values=(9,))}, then=2),
                Row(number=2, when={"areas_of_need": Condition(low=5, high=3)}, then=1),
                Row(number=3, when={"areas_of_need": Condition(values=(True,))}, then=1),
            ),
            hit_policy=HitPolicy.FIRST,
        )
    assert caught.value.problems == (
        "row 1: input 'areas_of_need': expected a whole number from 0 to 8",
        "row 2: input 'areas_of_need': expected a range with min at most max, both from 0 to 8",
        "row 3: input 'areas_of_need': expected a whole number from 0 to 8",
    )
    data = threshold_data()
    data["rows"][2]["when"]["acute_risk"] = "yes"
    with pytest.raises(TableError) as caught:
        read_decision_table(data, source="profiles/derby.toml", key="tables.threshold")
    assert str(caught.value) == (
        "profiles/derby.toml: tables.threshold.rows[3].when.acute_risk: expected true or false"
    )


def test_structural_problems() -> None:
    with pytest.raises(TableError) as caught:
        DecisionTable(
            table_id="T",
            title="",
            inputs=(Input(name="a", domain=Domain.boolean()),) * 2,
            output="out",
            rows=(
                Row(number=1, when={"b": Condition(values=(True,))}, then=1),
                Row(number=3, then="x"),
            ),
            hit_policy=HitPolicy.PRIORITY,
        )
    assert caught.value.problems == (
        "duplicate input name 'a'",
        "row 1: unknown input 'b'; expected one of a",
        "row 1: needs a whole-number priority under PRIORITY",
        "row 3: is row 2 in order; number rows from 1",
        "row 3: needs a whole-number priority under PRIORITY",
        "outcomes mix types: integer in row 1, code in row 3",
    )


def test_domain_too_large_to_check() -> None:
    side = Domain.integers(1, 1000)
    with pytest.raises(TableError, match=r"domain too large to check: 1,000,000 combinations"):
        DecisionTable(
            table_id="BIG",
            title="",
            inputs=(Input(name="a", domain=side), Input(name="b", domain=side)),
            output="out",
            rows=(Row(number=1, then=1),),
            hit_policy=HitPolicy.FIRST,
        )
    assert MAX_COMBINATIONS == 100_000


def test_domains_and_conditions_reject_bad_values() -> None:
    for bad in [(), ("a", 1), ("a", "a"), (True, False)]:
        with pytest.raises(ValueError, match="expected one or more distinct values"):
            Domain.of(*bad)
    with pytest.raises(ValueError, match="min at most max"):
        Domain.integers(3, 2)
    for data in [[], {}, {"min": 1.5}, {"low": 1}, 2.5, None, [[1]]]:
        with pytest.raises(ValueError, match="expected"):
            Condition.parse(data)
    with pytest.raises(ValueError, match="not both"):
        Condition(values=(1,), low=0)
    assert Condition.parse([1, True, 1]).values == (1, True)


# --------------------------------------------------------------------------- from_dict


def test_misspelt_key_is_named_with_the_source() -> None:
    data = threshold_data()
    data["hit_polcy"] = data.pop("hit_policy")
    with pytest.raises(TableError) as caught:
        read_decision_table(data, source="profiles/derby.toml", key="tables.threshold")
    assert caught.value.where == "profiles/derby.toml"
    assert caught.value.problems == (
        "tables.threshold: unexpected key 'hit_polcy'; "
        "expected one of hit_policy, id, inputs, output, rows, title, complete",
        "tables.threshold: missing key 'hit_policy'",
    )


def test_from_dict_reports_every_problem_with_its_key_path() -> None:
    data = threshold_data(hit_policy="highest", complete="yes")
    data["inputs"].append({"name": "acute_risk", "domian": "boolean"})
    data["inputs"][3]["domain"] = {"min": 8, "max": 0}
    data["rows"][0]["when"]["acute_rsk"] = True
    data["rows"][1]["priority"] = "high"
    data["rows"][2]["when"]["areas_of_need"] = {"least": 3}
    del data["rows"][3]["then"]
    with pytest.raises(TableError) as caught:
        read_decision_table(data, source="derby.toml")
    assert caught.value.problems == (
        "inputs[4].domain: expected whole numbers min and max, min at most max",
        "inputs[6]: unexpected key 'domian'; expected one of domain, name",
        "inputs[6]: missing key 'domain'",
        "inputs[6].name: duplicate input name 'acute_risk'",
        "rows[1].when: unknown input 'acute_rsk'; expected one of acute_risk, complex_needs, "
        "emerging_needs, areas_of_need, route",
        "rows[2].priority: expected a whole number",
        'rows[3].when.areas_of_need: expected "-", a value, a list of values, '
        "or a range {min, max} of whole numbers",
        "rows[4]: missing key 'then'",
        "hit_policy: expected one of unique, first, priority, collect",
        "complete: expected true or false",
    )
    with pytest.raises(TableError, match=r"^<table>: expected a table of keys$"):
        read_decision_table([])  # type: ignore[arg-type]


def test_from_dict_checks_the_table_naming_the_source() -> None:
    data = threshold_data()
    del data["rows"][4]
    with pytest.raises(TableError) as caught:
        read_decision_table(data, source="derby.toml", key="tables.threshold")
    message = str(caught.value)
    assert message.startswith("derby.toml: tables.threshold: table TH-1: gap: no row matches ")
    data = threshold_data()
    del data["rows"][1]["priority"]
    with pytest.raises(TableError, match=r"^derby.toml: table TH-1: row 2: needs a whole-number"):
        read_decision_table(data, source="derby.toml")


# --------------------------------------------------------------------------- evaluation


def test_threshold_table_per_record_and_explained() -> None:
    table = read_decision_table(threshold_data())
    base = dict.fromkeys(FLAGS, False) | {"areas_of_need": 0, "route": "vcm"}
    assert table.evaluate(base | {"acute_risk": True, "areas_of_need": 5}).outcome == 4
    result = table.evaluate(base | {"areas_of_need": 4})
    assert (result.outcome, result.matched_rows, result.fired_row) == (3, (3,), 3)
    result = table.evaluate(base | {"emerging_needs": True, "areas_of_need": 2, "extra": "x"})
    assert (result.outcome, result.matched_rows, result.fired_row) == (2, (4, 5), 4)
    assert table.explain_row(1) == (
        "row 1: if acute_risk is true then level is 4 (priority 40): acute: child protection or care"
    )
    assert table.explain_row(4) == (
        "row 4: if emerging_needs is true and areas_of_need from 1 to 2 then level is 2 (priority 20)"
    )
    assert table.explain_row(5) == (
        "row 5: if areas_of_need at most 2 and route is one of vcm, other then level is 1 "
        "(priority 10): universal services"
    )
    with pytest.raises(TableError, match="no row 6; the rows are 1 to 5"):
        table.explain_row(6)


def test_evaluate_rejects_missing_and_out_of_domain_inputs() -> None:
    table = read_decision_table(threshold_data())
    values = {"acute_risk": 1, "complex_needs": None, "areas_of_need": 9, "route": "VCM"}
    with pytest.raises(TableError) as caught:
        table.evaluate(values)
    assert caught.value.problems == (
        "input 'acute_risk': expected true or false",
        "input 'complex_needs': missing",
        "input 'emerging_needs': missing",
        "input 'areas_of_need': expected a whole number from 0 to 8",
        "input 'route': expected one of vcm, other",
    )


def test_threshold_table_in_bulk() -> None:
    table = read_decision_table(threshold_data())
    frame = pl.DataFrame(
        {
            "acute_risk": [True, False, False, False, None, False],
            "complex_needs": [False, True, False, False, False, False],
            "emerging_needs": [False, False, True, False, False, False],
            "areas_of_need": [0, 0, 1, 3, 0, 9],
            "route": ["vcm", "other", "vcm", "other", "vcm", "vcm"],
        }
    )
    assert frame.select(table.expr(), table.row_expr()).to_dict(as_series=False) == {
        "level": [4, 3, 2, 3, None, None],
        "level_row": [1, 2, 4, 3, None, None],
    }


def test_collect_in_bulk_gives_lists() -> None:
    table = read_decision_table(threshold_data(hit_policy="collect", output="levels"))
    frame = pl.DataFrame(
        {"acute_risk": [True, None], "complex_needs": [True, False], "emerging_needs": [False] * 2}
        | {"areas_of_need": [1, 1], "route": ["vcm", "vcm"]}
    )
    assert frame.select(table.expr(), table.row_expr()).rows() == [
        ([4, 3, 1], [1, 2, 5]),
        (None, None),
    ]


# --------------------------------------------------------------------------- properties

DOMAINS = [Domain.boolean(), Domain.of("vcm", "other", "none"), Domain.integers(0, 4)]
DOMAINS += [Domain.of(1, 3, 5)]  # whole-number codes: ranges may fall between them
OUT_OF_DOMAIN: Mapping[str, list[object]] = {
    "boolean": [],
    "code": ["VCM", ""],
    "integer": [-1, 2, 6],
}
DTYPES = {"boolean": pl.Boolean, "code": pl.String, "integer": pl.Int64}
OUTCOMES: dict[str, st.SearchStrategy[Any]] = {
    "boolean": st.booleans(),
    "code": st.sampled_from("abc"),
    "integer": st.integers(-3, 3),
}


@st.composite
def conditions(draw: st.DrawFn, domain: Domain) -> Condition:
    values = list(domain.values)
    kinds = ["any", "one of", "range", "range"] if domain.kind == "integer" else ["any", "one of"]
    choice = draw(st.sampled_from(kinds))
    if choice == "any":
        return Condition()
    if choice == "one of":
        chosen = draw(st.lists(st.sampled_from(values), min_size=1, max_size=3, unique=True))
        return Condition(values=tuple(chosen))
    end = st.none() | st.integers(*domain.bounds())
    low, high = draw(end), draw(end)
    if low is not None and high is not None:
        low, high = min(low, high), max(low, high)
    return Condition(low=low, high=high)


@st.composite
def blocks(draw: st.DrawFn, domain: Domain) -> list[tuple[Any, ...]]:
    """A partition of the domain into two or three blocks: rows on different blocks are apart."""
    values = list(domain.values)
    rest = len(values) - 2
    group = [0, 1, *draw(st.lists(st.integers(0, 2), min_size=rest, max_size=rest))]
    parts = [tuple(v for v, g in zip(values, group, strict=True) if g == k) for k in range(3)]
    return [part for part in parts if part]


@st.composite
def candidate_rows(draw: st.DrawFn) -> tuple[tuple[Input, ...], HitPolicy, list[Row]]:
    """Inputs, a policy and rows; rows mostly pick one cell of the inputs' blocks."""
    domains = draw(st.lists(st.sampled_from(DOMAINS), min_size=1, max_size=3))
    inputs = tuple(Input(name=f"x{k}", domain=domain) for k, domain in enumerate(domains))
    partition = {i.name: draw(blocks(i.domain)) for i in inputs}
    policy = draw(st.sampled_from(HitPolicy))
    outcome = OUTCOMES[draw(st.sampled_from(sorted(OUTCOMES)))]
    cells = list(itertools.product(*(range(len(partition[i.name])) for i in inputs)))
    unique = policy is HitPolicy.UNIQUE
    rows: list[Row] = []
    for number, cell in enumerate(
        draw(st.lists(st.sampled_from(cells), min_size=1, max_size=8, unique=unique)), 1
    ):
        when = {}
        for i, block in zip(inputs, cell, strict=True):
            how = draw(st.sampled_from(["block", "block", "block", "other", "other", "omit"]))
            if how == "block":
                when[i.name] = Condition(values=partition[i.name][block])
            elif how == "other":  # any, one of, or a range
                when[i.name] = draw(conditions(i.domain))
        priority = draw(st.integers(0, 3) if policy is HitPolicy.PRIORITY else st.none())
        rows.append(Row(number=number, when=when, then=draw(outcome), priority=priority))
    return inputs, policy, rows


def build(inputs: tuple[Input, ...], policy: HitPolicy, rows: list[Row]) -> DecisionTable:
    return DecisionTable(
        table_id="P",
        title="",
        inputs=inputs,
        output="out",
        rows=tuple(rows),
        hit_policy=policy,
        complete=False,
    )


@st.composite
def tables(draw: st.DrawFn) -> DecisionTable:
    """A valid incomplete table: candidate rows kept only if the table still loads."""
    inputs, policy, candidates = draw(candidate_rows())
    kept: list[Row] = []
    for row in candidates:
        trial = [
            *kept,
            Row(number=len(kept) + 1, when=row.when, then=row.then, priority=row.priority),
        ]
        try:
            build(inputs, policy, trial)
        except TableError:
            continue
        kept = trial
    if not kept:
        kept = [Row(number=1, then=candidates[0].then, priority=0)]
    return build(inputs, policy, kept)


def combinations(table: DecisionTable) -> list[dict[str, object]]:
    names = [i.name for i in table.inputs]
    product = itertools.product(*(i.domain.values for i in table.inputs))
    return [dict(zip(names, values, strict=True)) for values in product]


@given(candidate_rows())
def test_load_check_agrees_with_brute_force(drawn: tuple[Any, HitPolicy, list[Row]]) -> None:
    inputs, policy, rows = drawn
    names = [i.name for i in inputs]
    combos = [
        dict(zip(names, values, strict=True))
        for values in itertools.product(*(i.domain.values for i in inputs))
    ]
    matches = [{k for k, combo in enumerate(combos) if row.matches(combo)} for row in rows]
    bad = any(not m for m in matches)
    for (i, a), (j, b) in itertools.combinations(enumerate(matches), 2):
        if a & b and policy is HitPolicy.UNIQUE:
            bad = True
        if a & b and policy is HitPolicy.PRIORITY and rows[i].priority == rows[j].priority:
            bad = True
        if policy is HitPolicy.FIRST and b and b <= set().union(*matches[:j]):
            bad = True
    try:
        build(inputs, policy, rows)
    except TableError:
        assert bad
    else:
        assert not bad


@given(tables())
def test_hit_policies_hold_for_every_combination(table: DecisionTable) -> None:
    for combo in combinations(table):
        result = table.evaluate(combo)
        priorities = [table.rows[n - 1].priority for n in result.matched_rows]
        if table.hit_policy is HitPolicy.UNIQUE:
            assert len(result.matched_rows) <= 1
        if table.hit_policy is HitPolicy.COLLECT:
            assert result.fired_row is None
            assert result.outcome == tuple(table.rows[n - 1].then for n in result.matched_rows)
        elif not result.matched_rows:
            assert (result.fired_row, result.outcome) == (None, None)
        else:
            assert result.fired_row is not None
            fired = table.rows[result.fired_row - 1]
            assert result.outcome == fired.then
            if table.hit_policy is HitPolicy.FIRST:
                assert result.fired_row == min(result.matched_rows)
            if table.hit_policy is HitPolicy.PRIORITY:
                assert fired.priority == max(p for p in priorities if p is not None)


def records(table: DecisionTable) -> st.SearchStrategy[dict[str, object]]:
    """Records of in-domain, out-of-domain and missing values."""
    return st.fixed_dictionaries(
        {
            i.name: st.sampled_from([*i.domain.values, *OUT_OF_DOMAIN[i.domain.kind], None])
            for i in table.inputs
        }
    )


@given(tables(), st.data())
def test_per_record_agrees_with_bulk(table: DecisionTable, data: st.DataObject) -> None:
    rows = combinations(table) + data.draw(st.lists(records(table), max_size=30))
    schema = {i.name: DTYPES[i.domain.kind] for i in table.inputs}
    frame = pl.DataFrame(rows, schema=schema)
    bulk = frame.select(
        table.expr(),
        table.row_expr(),
        table.matched_expr().alias("matched"),
        table.valid_expr().alias("valid"),
    ).rows()
    for record, (outcome, fired, matched, valid) in zip(rows, bulk, strict=True):
        if all(i.domain.contains(record[i.name]) for i in table.inputs):
            assert valid is True
            result = table.evaluate(record)
            assert matched == ", ".join(map(str, result.matched_rows))
            if table.hit_policy is HitPolicy.COLLECT:
                assert (tuple(outcome), tuple(fired)) == (result.outcome, result.matched_rows)
            else:
                assert (outcome, fired) == (result.outcome, result.fired_row)
        else:
            assert (outcome, fired, matched) == (None, None, None)
            assert valid is not True  # false, or null where an input is null
            with pytest.raises(TableError):
                table.evaluate(record)
            with pytest.raises(TableError):
                table.check_values(record)
