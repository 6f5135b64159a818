"""The layout holds: a small top level, public subpackages, public imports in docs and examples."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import earlyhelp
import earlyhelp as eh

ROOT = Path(__file__).resolve().parents[1]
SUBPACKAGES = tuple(
    info.name
    for info in pkgutil.iter_modules(earlyhelp.__path__)
    if not info.name.startswith("_") and info.name != "data"  # data: package data, not code
)
PRIVATE_IMPORT = re.compile(r"(from|import)\s+earlyhelp(\.[a-z]\w*)*\._")


def test_the_top_level_holds_at_most_forty_everyday_names() -> None:
    assert len(eh.__all__) <= 40
    assert {"load", "Dataset", "load_profile", "classify", "flag_rereferrals", "compute"} <= set(
        eh.__all__
    )


@pytest.mark.parametrize("name", SUBPACKAGES)
def test_each_subpackage_is_public_with_an_all_that_resolves(name: str) -> None:
    module = importlib.import_module(f"earlyhelp.{name}")
    assert module.__all__, name
    for item in module.__all__:
        assert hasattr(module, item), f"earlyhelp.{name}.{item}"
    assert len([s for s in SUBPACKAGES if s != "errors"]) >= 8


def test_every_top_level_name_is_also_public_in_its_layer() -> None:
    layered = {
        id(getattr(m, n))
        for m in (importlib.import_module(f"earlyhelp.{s}") for s in SUBPACKAGES)
        for n in m.__all__
    }
    for name in eh.__all__:
        if name != "__version__":
            assert id(getattr(eh, name)) in layered, name


def _sources() -> list[Path]:
    docs = [p for p in (ROOT / "docs").rglob("*") if p.suffix in {".rst", ".py"}]
    docs = [p for p in docs if "_build" not in p.parts]
    return [*docs, *(ROOT / "examples").glob("*.py"), ROOT / "README.md"]


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_docs_and_examples_import_public_paths_only(path: Path) -> None:
    found = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if PRIVATE_IMPORT.search(line)
    ]
    assert not found, f"{path.name} imports private modules: {found}"


def test_the_private_import_check_can_fail() -> None:
    assert PRIVATE_IMPORT.search("from earlyhelp.rules._rereferral import is_rereferral")
    assert PRIVATE_IMPORT.search(">>> import earlyhelp._dataset")
    assert not PRIVATE_IMPORT.search("from earlyhelp.rules import is_rereferral")


def test_the_catalogue_and_profiles_are_complete_right_after_import() -> None:
    code = (
        "import earlyhelp.measures as m, earlyhelp.profiles as p; "
        "print('escalation_rate' in m.CATALOGUE, len(p.rule_families()) >= 11)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True"]


def test_importing_the_package_draws_nothing_in() -> None:
    # Matplotlib was a third of ``import earlyhelp``'s time; only drawing a chart loads it.
    code = (
        "import sys, earlyhelp; print('matplotlib' in sys.modules); "
        "from earlyhelp.report import line_chart; import polars as pl; "
        "line_chart(pl.DataFrame({'q': ['Q1'], 'n': [1]}), x='q', series=['n'], title='t'); "
        "print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


# --------------------------------------------------------------------------- errors (#11 §4)

BUILTIN_ERRORS = frozenset(
    {
        "ValueError",
        "KeyError",
        "TypeError",
        "RuntimeError",
        "AssertionError",
        "IndexError",
        "LookupError",
        "Exception",
    }
)


def bare_raises(source: str) -> list[str]:
    """``line: what`` for each ``raise`` of a built-in exception class and each ``assert``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assert):
            found.append(f"{node.lineno}: assert")
        elif isinstance(node, ast.Raise) and node.exc is not None:
            raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            name = raised.attr if isinstance(raised, ast.Attribute) else getattr(raised, "id", None)
            if name in BUILTIN_ERRORS:
                found.append(f"{node.lineno}: raise {name}")
    return sorted(found, key=lambda item: int(item.split(":")[0]))


SOURCES = sorted((ROOT / "src" / "earlyhelp").rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT / "src")))
def test_the_library_raises_only_its_own_errors(path: Path) -> None:
    """No built-in exception is raised on purpose, and no ``assert`` (``python -O`` drops it)."""
    found = bare_raises(path.read_text(encoding="utf-8"))
    assert not found, f"{path.name}: raise an earlyhelp.errors class instead: {found}"


def test_the_raise_check_can_fail() -> None:
    source = (
        "def f(x):\n"
        "    assert x\n"
        "    if x:\n"
        "        raise ValueError('no')\n"
        "    raise builtins.KeyError\n"
        "    raise LoadError('fine')\n"
    )
    assert bare_raises(source) == ["2: assert", "4: raise ValueError", "5: raise KeyError"]
    assert bare_raises("raise FieldError('grade', 'expected 0 to 4')") == []
    assert bare_raises("try:\n    pass\nexcept ValueError:\n    raise\n") == []


def test_every_error_class_has_its_own_code_and_is_documented() -> None:
    classes = [getattr(eh.errors, name) for name in eh.errors.__all__]
    codes = [cls.code for cls in classes]
    assert len(set(codes)) == len(codes)
    assert all(issubclass(cls, eh.errors.EarlyHelpError) and cls.__doc__ for cls in classes)
    reference = (ROOT / "docs" / "reference" / "api.rst").read_text(encoding="utf-8")
    for name in eh.errors.__all__:
        assert f"autoexception:: earlyhelp.errors.{name}" in reference, name


# --------------------------------------------------------------------------- tests (#11 §7)

PRIVATE_PATH = re.compile(r"^earlyhelp(\.[a-z]\w*)*\._[a-z0-9]")


def private_uses(source: str, *, strings: bool = True) -> list[str]:
    """``line: module`` for each import (or dotted-path string) that reaches a private name."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [f"{node.lineno}: {a.name}" for a in node.names if PRIVATE_PATH.match(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if PRIVATE_PATH.match(node.module):
                found.append(f"{node.lineno}: {node.module}")
            elif node.module.split(".")[0] == "earlyhelp":
                found += [
                    f"{node.lineno}: {node.module}.{a.name}"
                    for a in node.names
                    if a.name.startswith("_") and not a.name.startswith("__")
                ]
        elif (
            strings
            and isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and PRIVATE_PATH.match(node.value)
        ):
            found.append(f"{node.lineno}: {node.value}")
    return sorted(found, key=lambda item: int(item.split(":")[0]))


TESTS = sorted((ROOT / "tests").glob("*.py"))


@pytest.mark.parametrize("path", TESTS, ids=lambda p: p.name)
def test_tests_use_public_paths_only(path: Path) -> None:
    """Tests import ``earlyhelp``'s public paths, or helpers from the tests folder itself."""
    source = path.read_text(encoding="utf-8")
    found = private_uses(source, strings=path.name != "test_architecture.py")
    assert not found, f"{path.name} reaches private modules: {found}"


def test_the_test_import_check_can_fail() -> None:
    source = (
        "import earlyhelp._dataset\n"
        "from earlyhelp.report._audits import audit_section\n"
        "from earlyhelp.report import _ranking_table\n"
        "monkeypatch.setattr('earlyhelp.cli._data.load', boom)\n"
        "from earlyhelp.report import audit_section\n"
        "from oracles import latest_in_window\n"
        "import earlyhelp.__main__\n"
    )
    assert private_uses(source) == [
        "1: earlyhelp._dataset",
        "2: earlyhelp.report._audits",
        "3: earlyhelp.report._ranking_table",
        "4: earlyhelp.cli._data.load",
    ]
