"""Bounded work on profiles: every bad profile file is one ProfileError (issue 12)."""

from __future__ import annotations

import importlib.resources
import re
import time
from pathlib import Path

import pytest

import earlyhelp as eh
from earlyhelp.errors import EarlyHelpError, ProfileError

DERBY = (importlib.resources.files("earlyhelp") / "profiles" / "derby-2014-15.toml").read_text(
    encoding="utf-8"
)


def _profile(tmp_path: Path, text: str | bytes, name: str = "p.toml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _error(path: Path) -> ProfileError:
    start = time.perf_counter()
    with pytest.raises(ProfileError) as caught:
        eh.load_profile(path)
    assert time.perf_counter() - start < 5
    error = caught.value
    assert isinstance(error, EarlyHelpError)
    assert error.code == "profile"
    assert "\n" not in str(error)
    return error


@pytest.mark.parametrize("name", ["deep.toml", "deep.yaml"])
@pytest.mark.parametrize("depth", [33, 5_000, 100_000])
def test_deep_nesting_is_a_profile_error(tmp_path: Path, name: str, depth: int) -> None:
    text = "x = " if name.endswith(".toml") else "x: "
    path = _profile(tmp_path, text + "[" * depth + "]" * depth + "\n", name)
    assert "nested more than 32 levels deep" in str(_error(path))


def test_nesting_up_to_the_limit_is_read(tmp_path: Path) -> None:
    # 31 list levels inside the top-level table: 32 levels in all.
    path = _profile(tmp_path, "extra = " + "[" * 31 + "]" * 31 + "\n" + DERBY)
    assert "unexpected key 'extra'" in str(_error(path))


def test_non_utf8_profiles_are_a_profile_error(tmp_path: Path) -> None:
    path = _profile(tmp_path, DERBY.replace("Derby", "D\xe9rby").encode("latin-1"))
    assert "not UTF-8 text" in str(_error(path))


def test_an_empty_profile_table_in_yaml_is_a_profile_error(tmp_path: Path) -> None:
    error = _error(_profile(tmp_path, "profile:\n", "p.yaml"))
    assert "profile: expected a table of keys and values" in str(error)


@pytest.mark.parametrize("name", ["x.TOML", "x.Toml"])
def test_upper_case_toml_is_read_as_toml(tmp_path: Path, name: str) -> None:
    assert eh.load_profile(_profile(tmp_path, DERBY, name)).profile_id == "derby-2014-15"


@pytest.mark.parametrize(
    ("pattern", "value", "message"),
    [
        (
            r"months = 3\b",
            "1000000000",
            "rereferral[1].months: expected a whole number from 1 to 1200",
        ),
        (r"months = 3\b", "0", "rereferral[1].months: expected a whole number from 1 to 1200"),
        (r"places = 1\b", "9223372036854775807", "places: expected a whole number from 0 to 10"),
        (r"places = 1\b", "-1", "places: expected a whole number from 0 to 10"),
        (r"threshold = 5\b", "100000", "threshold: expected a whole number from 1 to 1000"),
        (r"months = 3\b", "9" * 5000, "not valid TOML (a value is too large)"),
    ],
)
def test_numbers_in_profiles_have_declared_limits(
    tmp_path: Path, pattern: str, value: str, message: str
) -> None:
    text, changed = re.subn(
        pattern, lambda _: pattern.split(" =", maxsplit=1)[0] + " = " + value, DERBY, count=1
    )
    assert changed == 1
    assert message in str(_error(_profile(tmp_path, text)))


def test_a_huge_profile_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = _profile(tmp_path, DERBY + "\n# " + "x" * (1 << 20) + "\n")
    assert "larger than 1,048,576 bytes" in str(_error(path))


def test_yaml_errors_are_one_line_without_the_files_text(tmp_path: Path) -> None:
    error = _error(_profile(tmp_path, "profile: {id: SECRET-TEXT\n  title: [\n", "p.yaml"))
    assert "SECRET-TEXT" not in str(error)
    assert "not valid YAML" in str(error)


def test_a_yaml_alias_bomb_is_read_in_bounded_time(tmp_path: Path) -> None:
    lines = ["a: &a [1,2,3,4,5,6,7,8,9]"]
    for level, name in enumerate("bcdefghi"):
        previous = "abcdefghi"[level]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    _error(_profile(tmp_path, "\n".join(lines) + "\n", "bomb.yaml"))


@pytest.mark.parametrize("name", ["wide.yaml", "wide.toml"])
def test_profile_reading_is_not_super_linear_in_nesting(tmp_path: Path, name: str) -> None:
    # The YAML scanner's work grows with the square of the depth: depth is checked first.
    half = (1 << 19) - 8
    path = _profile(tmp_path, "x: " + "[" * half + "]" * half + "\n", name)
    start = time.perf_counter()
    assert "nested more than 32 levels deep" in str(_error(path))
    assert time.perf_counter() - start < 2
