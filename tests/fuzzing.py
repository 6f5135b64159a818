"""A mutation fuzzer for every input the library reads: tables in every format, and profiles.

Each case is built from one integer seed, so any failure can be replayed with
``run_case(seed)``. A case takes a small valid dataset whose personal columns
hold *canary* values (names, NHS numbers, addresses, dates of birth, free
text), writes one or more tables in a format (CSV, XLSX, Parquet, JSON, NDJSON,
a pandas or a polars frame), mutates the bytes or the frame, loads it, and
checks the outcome. A quarter of the cases write a file of another format the
loader recognises instead (a Standard Safeguarding Dataset extract, SSDA903
episodes and header files, an NCCIS extract, a CIN census XML return, an Annex
A workbook), mutated the same way, and load its folder. Either way it checks:

* it loads, and every table's ``accepted + rejected == read``; ``records()``,
  ``spider_graphs()`` and ``audits()`` accept every accepted row; or
* it raises one :class:`earlyhelp.errors.EarlyHelpError` whose message is one
  line;

and in neither case does a canary appear in a message, a report, a repr or the
problems frame. Profiles are fuzzed the same way (mutated TOML and YAML text,
and mutated structures). Used by ``tests/test_fuzz.py`` (a fast subset) and
``scripts/fuzz.py`` (the long run).
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import random
import tempfile
import time
import tomllib
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pandas as pd
import polars as pl
import yaml

import earlyhelp as eh
from cin_census_xml import Child, Episode, Plan, census_xml
from earlyhelp.errors import EarlyHelpError
from earlyhelp.io import EPISODE_COLUMNS, HEADER_COLUMNS, LIST_COLUMNS, SCHEMAS

CANARIES = ("CANARY", "1911-11-1", "11/11/1911", "943 476 5919")
"""Substrings that only planted personal values contain."""

FORMATS = ("csv", "xlsx", "parquet", "json", "ndjson", "pandas", "polars")

_WEIRD = (
    "",
    " ",
    "\u00a0",
    "P1\u00a0",
    "\u2003P2",
    "P3\u2028",
    "P4\x1c",
    "P5\x85",
    "\x1f",
    "0000-01-01",
    "1800-01-05",
    "9999-12-31",
    "31/02/2015",
    "2015-02-29",
    "-1",
    "9223372036854775808",
    "1e308",
    "NaN",
    "=1+1",
    "@SUM(A1)",
    '"',
    '""',
    "a,b",
    "\r",
    "\n",
    "\x00",
    "\ufeff",
    "\ufffd",
    "yes",
    "start",
    "end",
    "review",
    "outcomes_met",
    "__row",
    "T1",
    "C1",
)


@attrs.frozen
class Outcome:
    """What one case did: ``kind`` is ``"loaded"``, ``"rejected-input"`` or a failure."""

    seed: int
    target: str
    kind: str
    read: int = 0
    accepted: int = 0
    rejected: int = 0
    seconds: float = 0.0
    detail: str = ""

    @property
    def failed(self) -> bool:
        """Whether the case broke a promise (a non-library exception, a leak, a bad count)."""
        return self.kind not in ("loaded", "rejected-input")


# Seed data -------------------------------------------------------------------


def _dob(rng: random.Random) -> str:
    day = rng.randint(10, 19)
    return f"1911-11-{day}" if rng.random() < 0.7 else f"{day}/11/1911"


def _texts(columns: dict[str, list[Any]]) -> pl.DataFrame:
    return pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))


def seed_tables(rng: random.Random) -> dict[str, pl.DataFrame]:
    """A small, valid dataset with canaries in every personal column (all text)."""
    n = rng.randint(0, 8)
    people = [f"P{i}" for i in range(n)]
    return {
        "children": _texts(
            {
                "person_id": people,
                "family_id": [f"F{i % 3}" for i in range(n)],
                "date_of_birth": [_dob(rng) for _ in range(n)],
                "full_name": [f"CANARYNAME{i} Smith" for i in range(n)],
                "nhs_number": [f"943 476 5919{i}" for i in range(n)],
                "address": [f"{i} CANARY Street, Derby" for i in range(n)],
            }
        ),
        "surveys": _texts(
            {
                "response_id": [f"H{i}" for i in range(n)],
                "episode_id": [f"C{i}" for i in range(n)],
                "team_id": ["T1"] * n,
                "received": [f"2014-05-{i + 1:02d}" for i in range(n)],
                "respected": ["yes"] * n,
                "listened_to": ["no"] * n,
                "helped": ["not_answered"] * n,
                "comments": [f"CANARYTEXT {i}: my worker, Ann, at 1911-11-11" for i in range(n)],
            }
        ),
        "cases": _texts(
            {
                "episode_id": [f"C{i}" for i in range(n)],
                "person_id": people,
                "referral_id": [f"R{i}" for i in range(n)],
                "team_id": ["T1"] * n,
                "locality_id": ["L1"] * n,
                "worker_id": [f"W{i % 2}" for i in range(n)],
                "opened": [f"2014-0{i % 9 + 1}-0{i % 9 + 1}" for i in range(n)],
                "closed": [None if i % 2 else "2015-03-31" for i in range(n)],
                "closure_reason": [None if i % 2 else "outcomes_met" for i in range(n)],
                "level_of_need": [str(2 + i % 2) for i in range(n)],
                "worker_name": [f"CANARYWORKER {i}" for i in range(n)],
            }
        ),
        "spider_scales": _texts(
            {
                "scale": ["routines", "safety"],
                "minimum": ["1", "1"],
                "maximum": ["10", "10"],
                "higher_is_better": ["yes", "no"],
            }
        ),
        "spider_readings": pl.DataFrame(
            {
                "graph_id": [f"G{i // 2}" for i in range(2 * n)],
                "episode_id": [f"C{i // 2}" for i in range(2 * n)],
                "stage": ["start", "end"] * n,
                "reading_date": ["2014-05-01", "2014-09-01"] * n,
                "scale": ["routines"] * (2 * n),
                "score": [str(rng.randint(1, 10)) for _ in range(2 * n)],
            }
        ),
    }


# Mutations -------------------------------------------------------------------


def _insert(rng: random.Random, data: bytes, piece: bytes) -> bytes:
    at = rng.randint(0, len(data))
    return data[:at] + piece + data[at:]


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def mutate_bytes(rng: random.Random, data: bytes) -> bytes:  # noqa: PLR0912 - one branch an edit
    """One to four random edits of a text file's bytes."""
    for _ in range(rng.randint(1, 4)):
        choice = rng.randrange(16)
        lines = _lines(data)
        if choice == 0 and data:  # flip a byte
            at = rng.randrange(len(data))
            data = data[:at] + bytes([rng.randrange(256)]) + data[at + 1 :]
        elif choice == 1:  # insert a structural character
            data = _insert(rng, data, rng.choice([b'"', b",", b"\r", b"\n", b"\x00", b"\r\n"]))
        elif choice == 2 and data:  # delete a range
            at = rng.randrange(len(data))
            data = data[:at] + data[at + rng.randint(1, 20) :]
        elif choice == 3 and len(lines) > 1:  # run two lines together
            at = rng.randrange(len(lines) - 1)
            lines[at : at + 2] = [lines[at] + lines[at + 1]]
            data = b"\n".join(lines)
        elif choice == 4 and lines:  # drop a line (the header too)
            del lines[rng.randrange(len(lines))]
            data = b"\n".join(lines)
        elif choice == 5 and lines:  # duplicate a line
            at = rng.randrange(len(lines))
            lines.insert(at, lines[at])
            data = b"\n".join(lines)
        elif choice == 6:  # change line endings
            data = data.replace(b"\n", rng.choice([b"\r", b"\r\n", b"\n\n"]))
        elif choice == 7:  # truncate
            data = data[: rng.randint(0, len(data))]
        elif choice == 8:  # a weird value in place of a field
            piece = rng.choice(_WEIRD).encode("utf-8", "surrogatepass")
            data = _insert(rng, data, piece)
        elif choice == 9 and lines:  # add or remove a field on a line
            at = rng.randrange(len(lines))
            lines[at] = (
                lines[at] + b",extra" if rng.random() < 0.5 else lines[at].rsplit(b",", 1)[0]
            )
            data = b"\n".join(lines)
        elif choice == 10:  # a byte order mark or random binary
            data = rng.choice([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, b"\xff\xfe\x00\x00"]) + data
        elif choice == 11:  # a header that collides with an internal name
            data = data.replace(
                b"family_id", rng.choice([b"__row", b"__bad", b"c0", b"person_id"]), 1
            )
        elif choice == 12 and data:  # a stray quote inside a field
            at = rng.randrange(len(data))
            data = data[:at] + b'"' + data[at:]
        elif choice == 13:  # swap lines
            if len(lines) > 2:
                i, j = rng.sample(range(len(lines)), 2)
                lines[i], lines[j] = lines[j], lines[i]
                data = b"\n".join(lines)
        elif choice == 14:  # pad a line with whitespace characters
            data = _insert(rng, data, rng.choice(["\u00a0", "\u2003", "\t", " "]).encode())
        else:  # repeat a chunk (bounded)
            data = data + data[: rng.randint(0, 200)]
    return data


def _encode(rng: random.Random, text: str) -> bytes:
    encoding = rng.choice(["utf-8"] * 6 + ["utf-8-sig", "utf-16", "utf-16-le", "utf-32", "cp1252"])
    return text.encode(encoding, errors="replace")


def mutate_frame(rng: random.Random, frame: pl.DataFrame) -> pl.DataFrame:
    """Random edits of a frame's values and types (for typed formats)."""
    for _ in range(rng.randint(0, 3)):
        if not frame.columns:
            break
        column = rng.choice(frame.columns)
        choice = rng.randrange(8)
        n = frame.height
        if choice == 0:
            values = [rng.choice(_WEIRD) for _ in range(n)]
            frame = frame.with_columns(pl.Series(column, values, dtype=pl.String))
        elif choice == 1:
            frame = frame.with_columns(pl.Series(column, [rng.randint(-5, 3000) for _ in range(n)]))
        elif choice == 2:
            frame = frame.with_columns(
                pl.Series(column, [dt.datetime(2014, 5, 1, 12) for _ in range(n)])
            )
        elif choice == 3:
            frame = frame.with_columns(pl.Series(column, [float(i) + 0.5 for i in range(n)]))
        elif choice == 4:
            frame = frame.with_columns(pl.Series(column, [True] * n))
        elif choice == 5:
            frame = frame.with_columns(pl.lit(None).alias(column))
        elif choice == 6:
            name = rng.choice(["__row", "__bad", "c1", f"{column} "])
            if name not in frame.columns:
                frame = frame.rename({column: name})
        else:
            frame = frame.drop(column)
    return frame


def _pandas(rng: random.Random, frame: pl.DataFrame) -> pd.DataFrame:
    out = frame.to_pandas()
    for _ in range(rng.randint(0, 3)):
        if out.shape[1] == 0:
            break
        column = rng.choice(list(out.columns))
        n = len(out)
        out[column] = rng.choice(
            [  # each binds n now: the list is used at once
                lambda n=n: [
                    rng.choice(["P1", 2, 3.5, None, dt.date(2014, 1, 1), True]) for _ in range(n)
                ],
                lambda n=n: pd.to_timedelta(range(n), unit="D"),
                lambda n=n: pd.Categorical([rng.choice(["a", "b", None]) for _ in range(n)]),
                lambda n=n: pd.array([rng.choice([1, None]) for _ in range(n)], dtype="Int64"),
                lambda n=n: pd.period_range("2014-01", periods=n, freq="M"),
                lambda n=n: [[1]] * n,
                lambda n=n: pd.date_range("2014-01-01", periods=n, tz="Europe/London"),
            ]
        )()
    if rng.random() < 0.1 and out.shape[1] > 1:
        out.columns = [out.columns[0], *([out.columns[0]] * (out.shape[1] - 1))]
    return out


def _write_typed(rng: random.Random, frame: pl.DataFrame, fmt: str, path: Path) -> None:
    if fmt == "xlsx":
        frame.write_excel(path)
    elif fmt == "parquet":
        frame.write_parquet(path)
    elif fmt == "json":
        text = json.dumps(frame.to_dicts(), default=str)
        path.write_bytes(mutate_bytes(rng, text.encode()) if rng.random() < 0.5 else text.encode())
        return
    else:
        text = "".join(json.dumps(row, default=str) + "\n" for row in frame.to_dicts())
        path.write_bytes(mutate_bytes(rng, text.encode()) if rng.random() < 0.5 else text.encode())
        return
    if rng.random() < 0.2:  # corrupt the binary file itself
        data = path.read_bytes()
        path.write_bytes(mutate_bytes(rng, data))


def build_source(rng: random.Random, folder: Path) -> tuple[str, dict[str, Any]]:
    """The format and the mapping of table name to source for one case."""
    tables = seed_tables(rng)
    names = rng.sample(list(tables), rng.randint(1, 3))
    if "spider_readings" in names and "spider_scales" not in names and rng.random() < 0.8:
        names.append("spider_scales")
    fmt = rng.choice(FORMATS)
    sources: dict[str, Any] = {}
    for name in names:
        frame = tables[name]
        if fmt == "csv":
            text = frame.write_csv()
            data = _encode(rng, text)
            if rng.random() < 0.9:
                data = mutate_bytes(rng, data)
            path = folder / f"{name}.csv"
            path.write_bytes(data)
            sources[name] = path
        elif fmt == "pandas":
            sources[name] = _pandas(rng, mutate_frame(rng, frame))
        elif fmt == "polars":
            mutated = mutate_frame(rng, frame)
            sources[name] = mutated.lazy() if rng.random() < 0.3 else mutated
        else:
            path = folder / f"{name}.{fmt}"
            _write_typed(rng, mutate_frame(rng, frame), fmt, path)
            sources[name] = path
    return fmt, sources


# Other formats the loader recognises --------------------------------------------

FILE_FORMATS = ("ssd", "ssda903", "nccis", "cin-census", "annex-a")


def _day(rng: random.Random) -> str:
    return f"2014-{rng.randint(4, 12):02d}-{rng.randint(1, 28):02d}"


def _csv(rng: random.Random, frame: pl.DataFrame, path: Path) -> None:
    data = _encode(rng, frame.write_csv())
    path.write_bytes(mutate_bytes(rng, data) if rng.random() < 0.9 else data)


def _ssd(rng: random.Random, folder: Path, n: int) -> None:
    people = [f"P{i}" for i in range(n)]
    _csv(
        rng,
        _texts(
            {
                "pers_person_id": people,
                "pers_forename": [f"CANARYNAME{i}" for i in range(n)],
                "pers_surname": ["Smith"] * n,
                "pers_sex": [rng.choice(["M", "F", "U"]) for _ in range(n)],
                "pers_dob": [_dob(rng) for _ in range(n)],
            }
        ),
        folder / "ssd_person.csv",
    )
    _csv(
        rng,
        _texts(
            {
                "earl_episode_id": [f"E{i}" for i in range(n)],
                "earl_person_id": people,
                "earl_episode_start_date": [_day(rng) for _ in range(n)],
                "earl_episode_end_date": [rng.choice(["", "NULL", _day(rng)]) for _ in range(n)],
                "earl_episode_reason": ["CANARY free text"] * n,
                "earl_episode_end_reason": [rng.choice(["Step-up", "NFA", ""]) for _ in range(n)],
                "earl_episode_organisation": [f"T{i % 2}" for i in range(n)],
            }
        ),
        folder / "ssd_early_help_episodes.csv",
    )


def _ssda903(rng: random.Random, folder: Path, n: int) -> None:
    episodes = {name: [""] * n for name in EPISODE_COLUMNS}
    episodes |= {
        "CHILD": [f"C{i % 4}" for i in range(n)],
        "DECOM": [f"{rng.randint(1, 28):02d}/0{rng.randint(4, 9)}/2014" for _ in range(n)],
        "RNE": [rng.choice(["S", "P", "L"]) for _ in range(n)],
        "LS": ["C2"] * n,
        "HOME_POST": ["DE1 CANARY"] * n,
    }
    _csv(rng, _texts(episodes), folder / "episodes_2015.csv")
    header = {name: [""] * n for name in HEADER_COLUMNS}
    header |= {
        "CHILD": [f"C{i}" for i in range(n)],
        "SEX": ["1"] * n,
        "DOB": [f"{rng.randint(10, 19)}/11/1911" for _ in range(n)],
    }
    _csv(rng, _texts(header), folder / "header_2015.csv")


def _nccis(rng: random.Random, folder: Path, n: int) -> None:
    frame = _texts(
        {
            "YPID": [f"Y{i}" for i in range(n)],
            "DOB": [_dob(rng) for _ in range(n)],
            "ACADYR": [rng.choice(["2014/15", "2014/2015", "x"]) for _ in range(n)],
            "MonthNo": [str(rng.randint(0, 13)) for _ in range(n)],
            "Current_Activity_Code": [
                rng.choice(["540", "530", "150", "CANARY"]) for _ in range(n)
            ],
        }
    )
    _csv(rng, frame, folder / "nccis.csv")


def _cin_census(rng: random.Random, folder: Path, n: int) -> None:
    children = [
        Child(
            f"C{i}",
            dt.date(2012, 1, 1 + i % 28),
            [
                Episode(
                    dt.date(2014, 5, 1 + i % 28),
                    plans=[Plan(dt.date(2014, 6, 1))] if rng.random() < 0.5 else [],
                )
            ],
        )
        for i in range(n)
    ]
    data = census_xml(rng.randint(2017, 2024), children)
    (folder / "cin.xml").write_bytes(mutate_bytes(rng, data) if rng.random() < 0.9 else data)


def _annex_a(rng: random.Random, folder: Path, n: int) -> None:
    import xlsxwriter

    with xlsxwriter.Workbook(folder / "annex_a.xlsx") as book:
        for number in rng.sample(sorted(LIST_COLUMNS), rng.randint(1, 3)):
            headers = list(LIST_COLUMNS[number])
            # Canaries only where personal data would be; ids and codes may be named.
            values = {
                header: [
                    _dob(rng)
                    if "birth" in header.lower()
                    else rng.choice([f"C{i}", "", "01/05/2014", "1A", "=1+1", " C1\u00a0"])
                    for i in range(n)
                ]
                for header in headers
            }
            frame = mutate_frame(rng, _texts(values)) if rng.random() < 0.5 else _texts(values)
            frame.write_excel(book, worksheet=f"List {number}")


_FILE_WRITERS: dict[str, Callable[[random.Random, Path, int], None]] = {
    "ssd": _ssd,
    "ssda903": _ssda903,
    "nccis": _nccis,
    "cin-census": _cin_census,
    "annex-a": _annex_a,
}


def build_format_files(rng: random.Random, folder: Path) -> str:
    """Write one source of another recognised format into ``folder``; its format."""
    fmt = rng.choice(FILE_FORMATS)
    _FILE_WRITERS[fmt](rng, folder, rng.randint(0, 8))
    return fmt


# Checks ------------------------------------------------------------------------


def leaks(text: str) -> list[str]:
    """The canaries in ``text``."""
    return [canary for canary in CANARIES if canary in text]


def _check_loaded(data: eh.Dataset) -> str:
    """The first broken promise of a loaded dataset, or ``""``."""
    report = data.report
    for table in report.tables:
        if table.accepted + table.rejected != table.read:
            return f"count: {table.table}"
        if table.accepted != data[table.table].height:
            return f"accepted rows: {table.table}"
    texts = [str(report), repr(data), *(t.summary(limit=10_000) for t in report.tables)]
    texts.append(report.problems().write_csv())
    texts += [" ".join(t.ignored_columns) for t in report.tables]
    for name in data.names:
        schema = SCHEMAS[name]
        if schema.record_type is not None:
            texts += [repr(record) for record in data.records(name)]
    texts += [repr(graph) for graph in data.spider_graphs()]
    if "cases" in data and data["cases"].height:
        texts.append(str(eh.caseload_summary(data)))
    texts += [repr(audit) for audit in data.audits()]
    found = [canary for text in texts for canary in leaks(text)]
    return f"canary in output: {found[0]}" if found else ""


def _fresh(folder: Path) -> Path:
    case = folder / "case"
    if case.exists():
        for file in case.iterdir():
            file.unlink()
    else:
        case.mkdir()
    return case


def _as_folder(rng: random.Random, fmt: str, sources: dict[str, Any], folder: Path) -> Any:
    """Sometimes load a folder of files, or one workbook of sheets, instead of a mapping."""
    files = all(isinstance(v, Path) for v in sources.values())
    if not files or rng.random() < 0.6:
        return sources
    if fmt == "xlsx" and rng.random() < 0.5:
        import xlsxwriter

        book = folder / "book.xlsx"
        with xlsxwriter.Workbook(book) as workbook:
            for name, path in sources.items():
                frame = pl.read_excel(path) if path.stat().st_size else None
                if frame is not None:
                    frame.write_excel(workbook, worksheet=rng.choice([name, name.upper(), "x"]))
        for path in sources.values():
            path.unlink()
        return book
    return sources[next(iter(sources))].parent


def run_case(seed: int, folder: Path | None = None) -> Outcome:
    """Build, load and check one table case (in ``folder``, else a temporary one)."""
    if folder is None:
        with tempfile.TemporaryDirectory() as tmp:
            return run_case(seed, Path(tmp))
    rng = random.Random(seed)
    start = time.perf_counter()
    case = _fresh(folder)
    try:
        if random.Random(seed ^ 0xF0F0).random() < 0.25:
            fmt = build_format_files(rng, case)
            source: Any = case
            target = fmt
        else:
            fmt, sources = build_source(rng, case)
            source = _as_folder(rng, fmt, sources, case)
            target = f"{fmt}:{'+'.join(sources)}"
    except Exception as error:
        return Outcome(seed, "unbuilt", "rejected-input", detail=type(error).__name__)
    try:
        data = eh.load(source, minimise=rng.random() < 0.1)
    except EarlyHelpError as error:
        message = str(error)
        bad = leaks(message) or leaks(repr(error))
        kind = "leak" if bad else "multi-line" if "\n" in message else "rejected-input"
        return Outcome(seed, target, kind, seconds=time.perf_counter() - start, detail=message)
    except BaseException as error:
        if isinstance(error, KeyboardInterrupt):
            raise
        detail = f"{type(error).__name__}: {str(error)[:200]}"
        return Outcome(
            seed, target, "non-library", seconds=time.perf_counter() - start, detail=detail
        )
    try:
        problem = _check_loaded(data)
    except BaseException as error:
        if isinstance(error, KeyboardInterrupt):
            raise
        problem = f"after load, {type(error).__name__}: {str(error)[:200]}"
    report = data.report
    return Outcome(
        seed,
        target,
        "broken" if problem else "loaded",
        read=report.read,
        accepted=report.accepted,
        rejected=report.rejected,
        seconds=time.perf_counter() - start,
        detail=problem,
    )


# Profiles ----------------------------------------------------------------------

_DERBY_TEXT = (Path(eh.__file__).parent / "profiles" / "derby-2014-15.toml").read_text(
    encoding="utf-8"
)
_DERBY_DATA = tomllib.loads(_DERBY_TEXT)


def _mutate_structure(rng: random.Random, data: Any, depth: int = 0) -> Any:
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            if rng.random() < 0.05:
                continue
            new_key = key if rng.random() > 0.02 else key + "x"
            out[new_key] = _mutate_structure(rng, value, depth + 1)
        return out
    if isinstance(data, list):
        return [_mutate_structure(rng, item, depth + 1) for item in data]
    if rng.random() < 0.05:
        return rng.choice(
            [None, -1, 0, 10**9, 2**63 - 1, 1.5, "", "x", True, [], {}, "2014-13-40",
             dt.date(1, 1, 1), [[[[[]]]]]]
        )  # fmt: skip
    return data


def _nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


def build_profile(rng: random.Random, folder: Path) -> Path:
    """A mutated profile file (TOML or YAML, text or structure)."""
    suffix = rng.choice([".toml", ".TOML", ".yaml", ".yml"])
    path = folder / f"fuzz{suffix}"
    choice = rng.randrange(5)
    if choice == 0:  # byte mutations of the TOML text
        path = path.with_suffix(".toml")
        path.write_bytes(mutate_bytes(rng, _DERBY_TEXT.encode()))
    elif choice == 1:  # structure mutations, written as YAML
        data = _mutate_structure(rng, _DERBY_DATA)
        path = path.with_suffix(".yaml")
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    elif choice == 2:  # deep nesting somewhere
        data = dict(_DERBY_DATA)
        data["profile"] = rng.choice([None, _nested(rng.randint(1, 3000)), {"id": _nested(50)}])
        path = path.with_suffix(".yaml")
        try:
            text = yaml.safe_dump(data)
        except RecursionError:
            text = "profile: " + "[" * 3000 + "]" * 3000
        path.write_text(text, encoding="utf-8")
    elif choice == 3:  # numbers at and beyond the limits
        text = _DERBY_TEXT
        for key in ("months", "places", "threshold", "base"):
            value = rng.choice(["0", "-1", "1200", "1201", "10", "11", "1000", "1001",
                                "1000000000", "9223372036854775807", "9" * 5000])  # fmt: skip
            text = text.replace(f"{key} = ", f"{key} = {value} # ", 1)
        path = path.with_suffix(".toml")
        path.write_text(text, encoding="utf-8")
    else:  # a non-UTF-8 or re-encoded file
        path.write_bytes(_encode(rng, _DERBY_TEXT))
    return path


def run_profile_case(seed: int, folder: Path | None = None) -> Outcome:
    """Build, load and check one profile case (in ``folder``, else a temporary one)."""
    if folder is None:
        with tempfile.TemporaryDirectory() as tmp:
            return run_profile_case(seed, Path(tmp))
    rng = random.Random(seed)
    start = time.perf_counter()
    path = build_profile(rng, _fresh(folder))
    try:
        profile = eh.load_profile(path)
    except EarlyHelpError as error:
        message = str(error)
        kind = "multi-line" if "\n" in message else "rejected-input"
        return Outcome(
            seed, "profile", kind, seconds=time.perf_counter() - start, detail=message[:200]
        )
    except BaseException as error:
        if isinstance(error, KeyboardInterrupt):
            raise
        detail = f"{type(error).__name__}: {str(error)[:200]}"
        return Outcome(
            seed, "profile", "non-library", seconds=time.perf_counter() - start, detail=detail
        )
    kind = "loaded" if profile.profile_id else "broken"
    return Outcome(seed, "profile", kind, seconds=time.perf_counter() - start)


def run(
    seeds: range,
    *,
    profile_share: float = 0.15,
    hang_seconds: float = 10.0,
    progress: Callable[[int, Counter[str]], None] | None = None,
) -> tuple[Counter[str], list[Outcome]]:
    """Run many cases; returns counts by kind (and hangs) and the failing outcomes."""
    counts: Counter[str] = Counter()
    failures: list[Outcome] = []
    shm = Path("/dev/shm")  # a memory file system, where there is one: files come and go fast
    with tempfile.TemporaryDirectory(dir=shm if shm.is_dir() else None) as tmp:
        folder = Path(tmp)
        for number, seed in enumerate(seeds, start=1):
            is_profile = random.Random(seed ^ 0x5EED).random() < profile_share
            runner = run_profile_case if is_profile else run_case
            outcome = runner(seed, folder)
            _count(counts, failures, outcome, is_profile, hang_seconds)
            if progress is not None and number % 1000 == 0:
                progress(number, counts)
    return counts, failures


def _count(
    counts: Counter[str],
    failures: list[Outcome],
    outcome: Outcome,
    is_profile: bool,
    hang_seconds: float,
) -> None:
    counts[outcome.kind] += 1
    counts["profiles" if is_profile else "tables"] += 1
    counts["rows read"] += outcome.read
    counts["rows accepted"] += outcome.accepted
    counts["rows rejected"] += outcome.rejected
    if outcome.seconds > hang_seconds:
        counts["hangs"] += 1
        failures.append(attrs.evolve(outcome, kind="hang"))
    elif outcome.failed:
        failures.append(outcome)
