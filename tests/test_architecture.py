"""The layout holds: a small top level, public subpackages, public imports in docs and examples."""

from __future__ import annotations

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
