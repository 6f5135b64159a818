"""Every CLI command is loud when data is bad and fails in one line (issue 12).

For each command: rows rejected at load (exit 1, the load summary on stderr,
``--allow-rejected`` exits 0), no recognised table (exit 2), a bad output path
(exit 2) and a full disk, simulated (exit 2). Never a traceback.
"""

from __future__ import annotations

import errno
import io
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

import earlyhelp as eh
from earlyhelp.cli import EXIT_ERROR, EXIT_OK, EXIT_REJECTED, main

PROFILE = ["--profile", "derby-2014-15"]


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small generated dataset that loads without a rejected row."""
    folder = tmp_path_factory.mktemp("clean")
    eh.write_demo(folder, cases_per_year=150, neet_cohort=30)
    assert eh.load(folder).report.ok
    return folder


@pytest.fixture(scope="module")
def rejected(tmp_path_factory: pytest.TempPathFactory, clean: Path) -> Path:
    """The same dataset with three cases whose opening date cannot be read."""
    folder = tmp_path_factory.mktemp("rejected")
    for file in clean.iterdir():
        shutil.copy(file, folder / file.name)
    cases = pl.read_csv(folder / "cases.csv", infer_schema=False).with_columns(
        pl.when(pl.int_range(pl.len()) < 3)
        .then(pl.lit("not a date"))
        .otherwise(pl.col("opened"))
        .alias("opened")
    )
    cases.write_csv(folder / "cases.csv")
    return folder


@pytest.fixture
def unrecognised(tmp_path: Path) -> Path:
    folder = tmp_path / "nothing"
    folder.mkdir()
    (folder / "notes.csv").write_text("a,b\n1,2\n")
    (folder / "readme.txt").write_text("hello")
    return folder


def _command(name: str, data: Path, out: Path) -> list[str]:
    """The command ``name`` over ``data``, writing its output into ``out``."""
    return {
        "validate": ["validate", str(data), "--problems", str(out / "problems.csv")],
        "compute": ["compute", str(data), *PROFILE, "--period", "2014-15", "--by", "city",
                    "--measure", "escalation_rate", "--output", str(out / "measures.csv"),
                    "--format", "csv"],
        "rereferrals": ["rereferrals", str(data), *PROFILE, "--period", "2014-15",
                        "--output", str(out / "rereferrals.csv"), "--format", "csv"],
        "report": ["report", str(data), *PROFILE, "--year", "2014-15", "--out", str(out)],
    }[name]  # fmt: skip


COMMANDS = ["validate", "compute", "rereferrals", "report"]


def _one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith("earlyhelp: error:")]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


@pytest.mark.parametrize("name", COMMANDS)
def test_rejected_rows_exit_1_with_the_load_summary_on_stderr(
    name: str, rejected: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_command(name, rejected, tmp_path)) == EXIT_REJECTED
    captured = capsys.readouterr()
    summary = captured.out if name == "validate" else captured.err
    assert "cases (cases.csv): read" in summary
    assert "rejected 3" in summary
    assert "row 1, opened: expected a date" in summary
    assert "Traceback" not in captured.err
    assert list(tmp_path.iterdir())  # the output was still written


@pytest.mark.parametrize("name", ["compute", "rereferrals", "report"])
def test_allow_rejected_exits_0_and_the_output_is_the_same(
    name: str, rejected: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    assert main(_command(name, rejected, first)) == EXIT_REJECTED
    assert main([*_command(name, rejected, second), "--allow-rejected"]) == EXIT_OK
    assert "rows were rejected at load" in capsys.readouterr().err
    for file in first.iterdir():
        if file.is_file() and file.suffix not in (".html", ".xlsx"):  # these hold dates made
            assert (second / file.name).read_bytes() == file.read_bytes()


def test_the_report_counts_the_excluded_rows_by_table_and_reason(
    rejected: Path, tmp_path: Path
) -> None:
    assert main(_command("report", rejected, tmp_path)) == EXIT_REJECTED
    markdown = next(tmp_path.glob("*.md")).read_text(encoding="utf-8")
    assert "## Data excluded" in markdown
    assert "| cases | all reasons | 3 |" in markdown
    assert "| cases | invalid-date | 3 |" in markdown
    html = next(tmp_path.glob("*.html")).read_text(encoding="utf-8")
    assert "Data excluded" in html


def test_a_clean_report_has_no_excluded_section(clean: Path, tmp_path: Path) -> None:
    assert main(_command("report", clean, tmp_path)) == EXIT_OK
    assert "Data excluded" not in next(tmp_path.glob("*.md")).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", COMMANDS)
def test_no_recognised_table_exits_2(
    name: str, unrecognised: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_command(name, unrecognised, tmp_path)) == EXIT_ERROR
    line = _one_line(capsys.readouterr().err)
    assert "no table recognised" in line


@pytest.mark.parametrize("name", COMMANDS)
@pytest.mark.parametrize("where", ["missing folder", "a directory", "under a file"])
def test_a_bad_output_path_exits_2_in_one_line(
    name: str, where: str, clean: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    out = {
        "missing folder": tmp_path / "no" / "such" / "folder",
        "a directory": tmp_path,
        "under a file": blocker / "sub",
    }[where]
    args = _command(name, clean, out)
    if where == "a directory":  # the output file itself is a folder
        target = {"validate": "problems.csv", "compute": "measures.csv"}
        target |= {"rereferrals": "rereferrals.csv"}
        if name in target:
            (out / target[name]).mkdir()
        else:
            args[args.index("--out") + 1] = str(blocker)  # a report folder that is a file
    if name == "report" and where == "missing folder":  # not bad: report makes its folder
        assert main(args) == EXIT_OK
        assert list(out.glob("*.html"))
        return
    assert main(args) == EXIT_ERROR
    line = _one_line(capsys.readouterr().err)
    assert "could not be written" in line or "is not a folder" in line


def _full_disk(*_: object, **__: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


class _FullStream(io.StringIO):
    def write(self, text: str) -> int:
        _full_disk()
        return 0


_OPEN = Path.open


def _open_full(path: Path, mode: str = "r", *args: object, **kwargs: object) -> object:
    """Path.open on a full disk: reading works, every file opened to write is full."""
    if "w" in mode:
        return _FullStream()
    return _OPEN(path, mode, *args, **kwargs)  # type: ignore[call-overload]


FULL_DISK: dict[str, Callable[[pytest.MonkeyPatch], None]] = {
    "validate": lambda mp: mp.setattr(pl.DataFrame, "write_csv", _full_disk),
    "compute": lambda mp: mp.setattr(Path, "open", _open_full),
    "rereferrals": lambda mp: mp.setattr(Path, "open", _open_full),
    "report": lambda mp: mp.setattr(Path, "write_text", _full_disk),
}


@pytest.mark.parametrize("name", COMMANDS)
def test_a_full_disk_exits_2_in_one_line(
    name: str,
    clean: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    eh.load(clean)  # load before the disk fills: only writing fails
    FULL_DISK[name](monkeypatch)
    assert main(_command(name, clean, tmp_path)) == EXIT_ERROR
    line = _one_line(capsys.readouterr().err)
    assert "No space left on device" in line


@pytest.mark.parametrize("name", ["compute", "rereferrals"])
def test_a_full_disk_on_standard_output_exits_2_in_one_line(
    name: str, clean: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    args = _command(name, clean, Path())
    del args[args.index("--output") : args.index("--output") + 2]
    monkeypatch.setattr(sys, "stdout", _FullStream())
    assert main(args) == EXIT_ERROR
    line = _one_line(capsys.readouterr().err)
    assert "standard output: could not be written (No space left on device)" in line


@pytest.mark.parametrize(
    "args",
    [
        ["demo", "--out", "/proc/earlyhelp-cannot-write"],
        ["generate", "/proc/earlyhelp-cannot-write", "--cases-per-year", "10", "--years", "1"],
        ["validate", "{clean}", "--profile", "derby-2014-15", "--exceptions", "/no/such/e.xlsx"],
        ["validate", "{clean}", "--profile", "derby-2014-15", "--exceptions", "/no/such/e.csv"],
        ["validate", "{clean}", "--summary", "--periods", "2014-15:2013-14"],
        ["compute", "{clean}", "--profile", "/no/such/profile.toml", "--period", "2014-15"],
        ["compute", "{clean}", "--profile", "derby-2014-15", "--period", "1066-67"],
    ],
)
def test_other_failures_are_one_line_and_exit_2(
    args: list[str], clean: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([a.format(clean=clean) for a in args]) == EXIT_ERROR
    _one_line(capsys.readouterr().err)


def test_an_unexpected_exception_is_one_line_naming_only_its_kind(
    clean: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def boom(*_: object, **__: object) -> None:
        msg = "CANARY-personal-value"
        raise RuntimeError(msg)

    monkeypatch.setattr(eh.Dataset, "__getitem__", boom)  # the summary reads tables through it
    assert main(["validate", str(clean), "--summary"]) == EXIT_ERROR
    line = _one_line(capsys.readouterr().err)
    assert "RuntimeError" in line
    assert "CANARY" not in line
