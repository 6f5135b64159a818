"""The one rendering of evidence: bulk explanations and per-record decisions agree."""

from __future__ import annotations

import datetime as dt

import attrs
import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.profiles import Citation, Effective
from earlyhelp.rules import EXPLANATION, Decision, Fact, Rendering, decide, decisions, explain
from earlyhelp.rules import text as tx


@attrs.frozen
class _Version:
    rule_id: str
    effective: Effective
    citation: Citation
    months: int


VERSIONS = (
    _Version(
        "T-1",
        Effective(start=dt.date(2013, 4, 1), end=dt.date(2015, 3, 31)),
        Citation(document="Old"),
        3,
    ),
    _Version(
        "T-2", Effective(start=dt.date(2015, 4, 1)), Citation(document="New", section="s. 2"), 12
    ),
)

RENDERING: Rendering[_Version] = Rendering(
    question="test",
    subject=tx.concat_str("record ", tx.col("id")),
    as_of=pl.col("day"),
    outcome=pl.col("hit"),
    summary=tx.when(tx.col("hit")).then(tx.concat_str("Yes: ", tx.col("id"))).otherwise("No"),
    reason=tx.concat_str("matched ", tx.col("matched").fill_null("nothing")),
    unruled=tx.lit("No decision: no rule in force"),
    inputs=(
        ("record_id", tx.col("id")),
        ("matched_id", tx.col("matched")),
        ("on", tx.col("day")),
        ("hit", tx.col("hit")),
    ),
    parameters=lambda version: (Fact(name="months", value=str(version.months)),),
)

rows = st.lists(
    st.tuples(
        st.text("ABC-123", min_size=1, max_size=6),
        st.dates(dt.date(2012, 1, 1), dt.date(2017, 12, 31)),
        st.sampled_from(["T-1", "T-2", None]),
        st.booleans(),
        st.none() | st.text("XYZ", min_size=1, max_size=3),
    ),
    max_size=20,
)


@given(rows)
def test_str_of_each_decision_is_its_bulk_explanation(items: list[tuple]) -> None:
    evidence = pl.DataFrame(
        [
            {"id": i, "day": d, "rule_id": r, "hit": (h if r else None), "matched": m}
            for i, d, r, h, m in items
        ],
        schema={
            "id": pl.String,
            "day": pl.Date,
            "rule_id": pl.String,
            "hit": pl.Boolean,
            "matched": pl.String,
        },
    )
    explained = explain(evidence.lazy(), RENDERING, VERSIONS, "p").collect()
    found = decisions(explained, RENDERING, VERSIONS, "p")
    assert len(found) == evidence.height
    for decision, text in zip(found, explained[EXPLANATION], strict=True):
        assert str(decision) == text
        assert Decision.from_json(decision.to_json()) == decision
    # the per-record path: polars evaluates the evidence, Python reads the words
    assert decide(evidence.lazy(), RENDERING, VERSIONS, "p") == found


def test_a_decision_names_the_version_its_parameters_and_the_facts_read() -> None:
    evidence = pl.DataFrame(
        {
            "id": ["R-1"],
            "day": [dt.date(2015, 4, 1)],
            "rule_id": ["T-2"],
            "hit": [True],
            "matched": [None],
        },
        schema_overrides={"matched": pl.String},
    )
    (decision,) = decisions(
        explain(evidence.lazy(), RENDERING, VERSIONS, "p").collect(), RENDERING, VERSIONS, "p"
    )
    assert str(decision) == (
        "Yes: R-1\nDecided on 01/04/2015 under profile p:\n"
        "- rule T-2 applies: matched nothing\n"
        "  read: record_id = R-1; matched_id = (none); on = 2015-04-01; hit = true\n"
        "  using: months = 12 (in force from 01/04/2015)\n"
        "  source: New, s. 2"
    )
    unruled = evidence.with_columns(
        rule_id=pl.lit(None, dtype=pl.String), hit=pl.lit(None, dtype=pl.Boolean)
    )
    (none,) = decisions(
        explain(unruled.lazy(), RENDERING, VERSIONS, "p").collect(), RENDERING, VERSIONS, "p"
    )
    assert (none.outcome, none.steps, str(none)) == (
        None,
        (),
        "No decision: no rule in force\nDecided on 01/04/2015 under profile p:",
    )
