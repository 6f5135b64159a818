"""Every code block of the README and the docs runs as written, and any output shown is checked.

The ``.rst`` pages' ``>>>`` examples run as doctests through pytest's
``--doctest-glob``. This module runs the rest, in a working folder where
``exports/2014-15/`` (the placeholder folder the examples load) is the bundled
demo data and each input a how-to page loads (``ssd_extract/``,
``Annex_A.xlsx``, ``cin_returns/``, ...) is built by the tests' format writers
(``tests/docs_inputs.py``):

- the README's Python blocks, as doctests sharing one namespace, in order;
- every ``earlyhelp ...`` command of a shell block (README and docs), through the
  command line's ``main()``, which must exit 0;
- ``python -c`` one-liners of a shell block, in a subprocess;
- every ``.. code-block:: python`` of the docs, in a fresh namespace;
- every TOML block of the docs, appended to a profile header and loaded.

A block that connects to a council's database server cannot run here: it is
its own block, marked by the reST comment ``.. docs-run: needs a council's
database server`` directly above it, and is only compiled (Python) or parsed
(shell). The marker is allowed only on blocks that connect to a remote database.

Install and build commands (``pip install``, ``sphinx-build``, ``pytest``) are
run by ``.ci/run`` on a clean clone, so here they are only checked to be those
commands, installing from a clone (the package is not on PyPI).
"""

from __future__ import annotations

import ast
import doctest
import os
import re
import shlex
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

import docs_inputs
import earlyhelp as eh
from demo_data import demo_dataset
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


NEEDS_SERVER = ".. docs-run: needs a council's database server"
# A connection to a database on another machine: a server URL whose host is not
# this one, or an ODBC connection (SQL Server).
REMOTE_DATABASE = re.compile(
    r"(postgresql|mysql|mssql)(\+\w+)?://[^\s\"']*@(?!localhost\b|127\.0\.0\.1\b)[\w.-]+"
    r"|pyodbc\.connect\("
)


def marked_needs_server(lines: list[str], number: int) -> bool:
    """Whether the line before code block ``number`` (blank lines aside) is the marker."""
    above = [line.strip() for line in lines[:number] if line.strip()]
    return bool(above) and above[-1] == NEEDS_SERVER


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
NEEDS_SERVER_BLOCKS = {
    (page.relative_to(ROOT).as_posix(), number + 1)
    for page in RST_PAGES
    for lines in [page.read_text(encoding="utf-8").splitlines()]
    for number, line in enumerate(lines)
    if re.match(r"^\s*\.\. code-block:: ", line) and marked_needs_server(lines, number)
}
OWN_EXPORT = DOCS / "how-to" / "formats" / "own-export.rst"
README_BLOCKS = list(fenced_blocks(README.read_text(encoding="utf-8")))


def own_export_toml() -> str:
    """The own-export page's TOML blocks: its ``[mapping]``, the profile it loads with."""
    text = OWN_EXPORT.read_text(encoding="utf-8")
    blocks = [body for language, _, body in rst_blocks(text) if language == "toml"]
    assert blocks, f"{OWN_EXPORT.name} has no TOML block"
    return "\n".join(blocks)


@pytest.fixture(scope="session")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every input the docs load, built once: see ``tests/docs_inputs.py``."""
    return docs_inputs.build(tmp_path_factory.mktemp("docs-inputs"), own_export_toml())


@pytest.fixture
def exports(inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder holding the docs' inputs; ``exports/2014-15/`` is the demo data."""
    for entry in inputs.iterdir():
        if entry.name == "exports":  # a folder of its own, so nothing run writes into inputs
            (tmp_path / "exports").mkdir()
            for member in entry.iterdir():
                os.symlink(member.resolve(), tmp_path / "exports" / member.name)
        else:
            os.symlink(entry, tmp_path / entry.name)
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
    if (page, line) in NEEDS_SERVER_BLOCKS:
        if language == "python":
            compile(text, f"{page}:{line}", "exec")
        else:
            assert language == "sh", f"{page}:{line}: a {language} block needs no server"
            assert all(c.startswith("earlyhelp ") for c in shell_commands(text))
        pytest.skip("connects to a council's database server (only compiled here)")
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
    tables = len(demo_dataset().names)
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


def test_the_needs_server_marker_is_only_on_blocks_that_connect_to_a_remote_database() -> None:
    """The marker cannot spread: each marked block connects to a server, and nothing else does."""
    marked = [block for block in DOC_BLOCKS if (block[0], block[1]) in NEEDS_SERVER_BLOCKS]
    assert marked, "no block is marked; drop the marker's support if none needs it"
    for page, line, language, text in marked:
        # Each statement (command) of a marked block connects to the server, or imports
        # what does: a line that could run here must be in a block of its own.
        if language == "python":
            statements = [
                ast.get_source_segment(text, node) or ""
                for node in ast.parse(text).body
                if not isinstance(node, ast.Import | ast.ImportFrom)
            ]
        else:
            statements = shell_commands(text)
        assert statements, f"{page}:{line} is marked but runs nothing"
        for statement in statements:
            assert REMOTE_DATABASE.search(statement), (
                f"{page}:{line} is marked, but this could run here: {statement}"
            )
    # Every marker stands directly above a code block (not loose on a page).
    markers = sum(p.read_text(encoding="utf-8").count(NEEDS_SERVER) for p in RST_PAGES)
    assert markers == len(marked)
    # And every block that connects to a server is marked (it cannot run here).
    unmarked = [
        f"{page}:{line}"
        for page, line, _language, text in DOC_BLOCKS
        if (page, line) not in NEEDS_SERVER_BLOCKS and REMOTE_DATABASE.search(text)
    ]
    assert not unmarked, f"connect to a server: split out and mark {unmarked}"


def test_the_marker_pattern_tells_remote_from_local_connections() -> None:
    assert REMOTE_DATABASE.search('eh.load("postgresql://analyst@reporting-db/warehouse")')
    assert REMOTE_DATABASE.search("with pyodbc.connect(connection_string) as c:")
    assert not REMOTE_DATABASE.search('eh.load("postgresql://me@localhost/db")')
    assert not REMOTE_DATABASE.search('eh.load("reporting.sqlite")')
    assert not REMOTE_DATABASE.search('eh.load("sqlite:///reporting.sqlite")')


def test_the_own_export_page_mapping_reads_the_demo_back(exports: Path) -> None:
    """The own-export page's mapping, applied to the demo written its way, gives the demo."""
    demo = demo_dataset()
    mapped = eh.load("exports/", profile="our-council.toml")
    assert mapped.report.ok, str(mapped.report)
    assert (exports / "exports" / "Case export.csv").exists()  # the page's file name
    header = (exports / "exports" / "Case export.csv").read_text(encoding="utf-8").splitlines()[0]
    assert {"Case Ref", "Episode Start Date"} <= set(header.split(","))
    assert "level_of_need" not in header  # the mapping's default supplies it
    columns = ["episode_id", "opened", "closed", "closure_reason"]
    expected = demo["cases"].select(columns).with_columns(pl.col("episode_id").str.to_lowercase())
    assert mapped["cases"].select(columns).sort("episode_id").equals(expected.sort("episode_id"))
    assert set(mapped["cases"].get_column("level_of_need")) == {2}
    assert (
        mapped["referrals"]
        .get_column("referral_date")
        .equals(demo["referrals"].get_column("referral_date"))
    )


def test_the_ssd_page_extract_is_the_demo_as_an_ssd(exports: Path) -> None:
    """``ssd_extract/`` holds the demo's cases, so the SSD page's figures are the demo's."""
    measures = ["open_cases", "cases_closed", "escalations", "escalation_rate"]
    ssd = eh.load("ssd_extract/")
    figures = [
        eh.compute(data, profile="derby-2014-15", period="2014-15", measures=measures)
        .frame.sort("measure_id", "period", "unit_id", "breakdown", nulls_last=True)
        .select("measure_id", "period", "unit_id", "numerator", "denominator")
        for data in (ssd, demo_dataset())
    ]
    assert figures[0].height > 0
    assert figures[0].equals(figures[1])
    assert "SSD version: 1.3.9" in str(ssd.report)
