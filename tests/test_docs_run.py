"""Every code block of the README and the docs runs as written, and any output shown is checked.

The ``.rst`` pages' ``>>>`` examples run as doctests through pytest's
``--doctest-glob``. This module runs the rest, against the bundled demo data,
with ``exports/2014-15/`` (the placeholder folder the examples load) standing
for it:

- the README's Python blocks, as doctests sharing one namespace, in order;
- every ``earlyhelp ...`` command of a shell block (README and docs), through the
  command line's ``main()``, which must exit 0;
- ``python -c`` one-liners of a shell block, in a subprocess;
- every ``.. code-block:: python`` of the docs, in a fresh namespace;
- every TOML block of the docs, appended to a profile header and loaded.

Install and build commands (``pip install``, ``sphinx-build``, ``pytest``) are
run by ``.ci/run`` on a clean clone, so here they are only checked to be those
commands, installing from a clone (the package is not on PyPI).
"""

from __future__ import annotations

import doctest
import os
import re
import shlex
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

import earlyhelp as eh
from earlyhelp.cli import EXIT_OK, main

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def fenced_blocks(text: str) -> Iterator[tuple[str, int, str]]:
    """Each fenced block of Markdown: its language, first line number and text."""
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        match = re.match(r"^```(\w*)\s*$", lines[index])
        if match is None:
            index += 1
            continue
        start = index + 1
        end = start
        while not lines[end].startswith("```"):
            end += 1
        yield match.group(1), start + 1, "\n".join(lines[start:end]) + "\n"
        index = end + 1


def rst_blocks(text: str) -> Iterator[tuple[str, int, str]]:
    """Each ``.. code-block:: LANG`` of a reStructuredText page: language, line, text."""
    lines = text.splitlines()
    for number, line in enumerate(lines):
        match = re.match(r"^(\s*)\.\. code-block:: (\w+)\s*$", line)
        if match is None:
            continue
        indent = len(match.group(1))
        body: list[str] = []
        for following in lines[number + 1 :]:
            if following.strip() and len(following) - len(following.lstrip()) <= indent:
                break
            body.append(following)
        yield match.group(2), number + 1, textwrap.dedent("\n".join(body)).strip("\n") + "\n"


def shell_commands(block: str) -> list[str]:
    """The commands of a shell block: continuation lines joined, comments kept out."""
    joined = re.sub(r"\\\n\s*", " ", block)
    commands = []
    for line in joined.splitlines():
        for part in line.split("&&"):
            words = shlex.split(part, comments=True)
            if words:
                commands.append(shlex.join(words))
    return commands


RST_PAGES = sorted(p for p in DOCS.rglob("*.rst") if "_build" not in p.parts)
DOC_BLOCKS = [
    (page.relative_to(ROOT).as_posix(), line, language, text)
    for page in RST_PAGES
    for language, line, text in rst_blocks(page.read_text(encoding="utf-8"))
]
README_BLOCKS = list(fenced_blocks(README.read_text(encoding="utf-8")))


@pytest.fixture
def exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder in which ``exports/2014-15/`` is the demo data."""
    (tmp_path / "exports").mkdir()
    os.symlink(eh.demo_path(), tmp_path / "exports" / "2014-15", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    return tmp_path


def _run_command(command: str) -> None:
    words = shlex.split(command)
    if words[0] == "earlyhelp":
        assert main(words[1:]) == EXIT_OK, command
    elif words[:2] == ["python", "-c"]:
        subprocess.run([sys.executable, *words[1:]], check=True, timeout=120)
    elif words[:4] == ["python", "-m", "pip", "install"]:
        assert words[4] in (".", "-e"), f"install from a clone, not from PyPI: {command}"
    else:
        # CI runs the README's Quickstart (the tests) and the docs build itself.
        script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
        ran_by_ci = {"python -m pytest": "Quickstart", "sphinx-build -W -n": "sphinx-build -W -n"}
        prefix = next((p for p in ran_by_ci if command.startswith(p)), None)
        assert prefix is not None, f"a command the docs cannot run: {command}"
        assert ran_by_ci[prefix] in script, f"CI does not run: {command}"


def test_readme_python_blocks_run_as_written_with_their_output(exports: Path) -> None:
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    namespace: dict[str, object] = {}
    ran = 0
    for language, line, text in README_BLOCKS:
        if language != "python":
            continue
        assert ">>>" in text, f"README line {line}: write Python examples as >>> with output"
        test = parser.get_doctest(text, namespace, f"README.md:{line}", str(README), line)
        runner.run(test, clear_globs=False)
        namespace = test.globs
        ran += len(test.examples)
    assert ran > 10
    assert runner.failures == 0, f"{runner.failures} README example(s) failed; see above"
    assert (exports / "exceptions.xlsx").exists()
    assert (exports / "figures.xlsx").exists()


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(command, id=command[:60])
        for language, _line, text in README_BLOCKS
        if language == "sh"
        for command in shell_commands(text)
    ],
)
def test_readme_shell_commands_run(command: str, exports: Path) -> None:
    _run_command(command)


@pytest.mark.parametrize(
    ("page", "line", "language", "text"),
    [pytest.param(*block, id=f"{block[0]}:{block[1]}") for block in DOC_BLOCKS],
)
def test_docs_code_blocks_run(
    page: str, line: int, language: str, text: str, exports: Path
) -> None:
    if language == "python":
        exec(compile(text, f"{page}:{line}", "exec"), {})
    elif language == "sh":
        for command in shell_commands(text):
            _run_command(command)
    elif language == "toml":
        profile = exports / "fragment.toml"
        header = (
            '[profile]\nid = "fragment"\ntitle = "A fragment of the docs"\ncouncil = "docs"\n\n'
        )
        profile.write_text(header + text, encoding="utf-8")
        loaded = eh.load_profile(profile)
        assert loaded.profile_id == "fragment"
    else:
        pytest.fail(f"{page}:{line}: no way to run a {language} block; add one here")


def test_the_table_count_the_docs_state_is_the_demos() -> None:
    tables = len(eh.load(eh.demo_path()).names)
    pattern = re.compile(r"loads (?:all |the )?(\w+) (?:demo )?tables")
    stated = [
        (path.name, match.group(1))
        for path in [README, *RST_PAGES]
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert len(stated) >= 2
    assert all(count == str(tables) for _, count in stated), stated


def test_no_page_says_to_install_from_pypi() -> None:
    for path in [README, *RST_PAGES]:
        text = path.read_text(encoding="utf-8")
        assert "pip install earlyhelp" not in text, path.name


def test_the_readme_gives_the_docs_build_command() -> None:
    commands = [c for lang, _, text in README_BLOCKS if lang == "sh" for c in shell_commands(text)]
    assert any(c.startswith("sphinx-build -W -n") and "docs" in c for c in commands)
