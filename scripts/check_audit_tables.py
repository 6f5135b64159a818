"""Check the package's audit-table transcription against the source report's text.

Not part of the test suite (CI has no copy of the report). Run by hand:

    python scripts/check_audit_tables.py /work/shared/seed/000_eda55ee74cda2bc2.txt
    python scripts/check_audit_tables.py SEED --write   # (re)write the CSV from the seed

The report's four audit tables are flattened: each block reads
``<grade>=<LABEL> <19 or 20 measure names> <counts...>``, the counts in the order
of the names, and each table's title precedes its first block.
"""

from __future__ import annotations

import csv
import itertools
import re
import sys
from pathlib import Path

CSV = Path(__file__).parents[1] / "src/earlyhelp/data/derby-2014-15/audit_tables.csv"
# The titles as printed, in the order the report prints the tables, with our round ids.
TITLES = (
    ("Quality measures over a sample of CSE cases", "cse-2014-10"),
    ("MAT under 11s (March) - 2014/15", "under-11s-2015-03"),
    ("Early help cases for all over 11s teams", "over-11s-2014-05"),
    ("Quality measures over a sample of children within MAT under 11s", "under-11s-2014-08"),
)
BLOCK = re.compile(r"([0-4])=(MISSING|POOR|SATISFACTORY|GOOD|OUTSTANDING)")


def _clean(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip()


def parse(text: str) -> list[tuple[str, int, str, int]]:
    """(round, grade, measure, count) rows parsed from the report's text."""
    start = text.index("Case File Audit: Quality measures over a sample of CSE cases")
    body = text[start:]
    positions = []
    for title, round_id in TITLES:
        positions.append((body.index(title), round_id))
    positions.append((len(body), ""))
    rows: list[tuple[str, int, str, int]] = []
    for (begin, round_id), (end, _) in itertools.pairwise(positions):
        chunk = body[begin:end]
        marks = list(BLOCK.finditer(chunk))
        for index, mark in enumerate(marks):
            stop = marks[index + 1].start() if index + 1 < len(marks) else len(chunk)
            cells = [_clean(c) for c in chunk[mark.end() : stop].split("\t")]
            cells = [c for c in cells if c]
            # Names span "Engagement", "&", "participation - ..." cells: rejoin them.
            names: list[str] = []
            counts: list[int] = []
            pending = ""
            for cell in cells:
                if cell.isdigit() and not pending:
                    counts.append(int(cell))
                elif counts:
                    break  # the next table's title
                elif cell in ("Engagement", "&"):
                    pending = f"{pending} {cell}".strip()
                else:
                    names.append(_clean(f"{pending} {cell}"))
                    pending = ""
            if len(names) != len(counts):
                msg = f"{round_id} grade {mark.group(1)}: {len(names)} names, {len(counts)} counts"
                raise SystemExit(msg)
            rows.extend(
                (round_id, int(mark.group(1)), name, count)
                for name, count in zip(names, counts, strict=True)
            )
    return rows


def main(argv: list[str]) -> int:
    """Check (or with --write, rewrite) the CSV; 0 when it matches the report."""
    rows = parse(Path(argv[1]).read_text(encoding="utf-8"))
    if "--write" in argv:
        CSV.parent.mkdir(parents=True, exist_ok=True)
        with CSV.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(("round", "grade", "measure", "count"))
            writer.writerows(rows)
    with CSV.open(encoding="utf-8") as handle:
        stored = [
            (r["round"], int(r["grade"]), r["measure"], int(r["count"]))
            for r in csv.DictReader(handle)
        ]
    if stored != rows:
        for left, right in zip(stored, rows, strict=False):
            if left != right:
                print(f"differs: package {left} report {right}")
        print(f"package rows {len(stored)}, report rows {len(rows)}")
        return 1
    print(f"{len(rows)} cells match the report's four audit tables")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
