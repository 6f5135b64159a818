"""Fuzzing the loader and the profile reader (issue 12): the fast subset run in CI.

Every input ends in a correct load report or one library error, with no
canary (a planted personal value) in any message, report, repr or problem
row. ``tests/fuzzing.py`` builds each case from one seed; the long run
(100,000 cases or more) is ``python scripts/fuzz.py --cases 100000``, or this
module with ``EARLYHELP_FUZZ_CASES=100000``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import earlyhelp as eh
import fuzzing
from earlyhelp.errors import EarlyHelpError, ProfileError

_LONG = int(os.environ.get("EARLYHELP_FUZZ_CASES", "0"))
_SLOW = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)


def _assert_clean(outcome: fuzzing.Outcome) -> None:
    assert not outcome.failed, outcome
    assert outcome.accepted + outcome.rejected == outcome.read
    assert outcome.seconds < 30, outcome


@_SLOW
@given(st.integers(0, 2**63))
def test_any_mutated_table_loads_cleanly_or_is_one_library_error(seed: int) -> None:
    _assert_clean(fuzzing.run_case(seed))


@_SLOW
@given(st.integers(0, 2**63))
def test_any_mutated_profile_loads_or_is_one_profile_error(seed: int) -> None:
    _assert_clean(fuzzing.run_profile_case(seed))


def test_a_fixed_range_of_seeds_runs_clean() -> None:
    """A fixed, repeatable slice of the long run."""
    counts, failures = fuzzing.run(range(400))
    assert failures == []
    assert counts["rows accepted"] + counts["rows rejected"] == counts["rows read"]
    assert counts["loaded"] > 50  # the fuzzer reaches loading, not only errors
    assert counts["rejected-input"] > 50  # and reaches errors


@_SLOW
@given(st.binary(max_size=400), st.sampled_from(["csv", "json", "ndjson", "parquet", "xlsx"]))
def test_arbitrary_bytes_in_any_format_load_or_are_one_load_error(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("bytes") / f"cases.{suffix}"
    path.write_bytes(data)
    try:
        loaded = eh.load({"cases": path})
    except EarlyHelpError as error:
        message = str(error)
    else:
        report = loaded.report["cases"]
        assert report.accepted + report.rejected == report.read
        message = ""
    assert "\n" not in message


@_SLOW
@given(st.text(max_size=300), st.sampled_from([".toml", ".yaml"]))
def test_arbitrary_text_as_a_profile_is_a_profile_or_one_profile_error(
    tmp_path_factory: pytest.TempPathFactory, text: str, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("profile") / f"p{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    message = ""
    try:
        eh.load_profile(path)
    except ProfileError as error:
        message = str(error)
    assert "\n" not in message


@pytest.mark.skipif(not _LONG, reason="the long run: set EARLYHELP_FUZZ_CASES (e.g. 100000)")
def test_long_run() -> None:  # pragma: no cover - run by hand
    start = time.perf_counter()
    counts, failures = fuzzing.run(range(1_000_000, 1_000_000 + _LONG))
    elapsed = time.perf_counter() - start
    print(f"\n{sum(counts[k] for k in ('tables', 'profiles')):,} cases in {elapsed:.0f}s: {counts}")
    assert failures == [], failures[:20]
    assert counts["rows accepted"] + counts["rows rejected"] == counts["rows read"]


def test_the_fuzzer_finds_what_it_looks_for(tmp_path: Path) -> None:
    """The checks can fail: a leak, a bad count and a foreign exception are all caught."""
    assert fuzzing.leaks("row 3: CANARYNAME1 Smith") == ["CANARY"]
    assert fuzzing.leaks("born 1911-11-12") == ["1911-11-1"]
    assert fuzzing.leaks("row 3, date_of_birth: expected a date") == []
    outcome = fuzzing.Outcome(1, "csv", "non-library", detail="ComputeError")
    assert outcome.failed
    assert not fuzzing.Outcome(1, "csv", "rejected-input").failed
