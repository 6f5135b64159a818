"""The long fuzz run of issue 12: 100,000 or more mutated inputs to the loader and profile reader.

Each case is built from one seed by ``tests/fuzzing.py`` (see its docstring for
what is mutated and checked). The run prints, at the end, the figures the issue
asks for: cases run, non-library exceptions, hangs (cases over ``--hang``
seconds), whether accepted + rejected = read held, and canaries found in any
output; and the seed of every failing case, to replay with
``fuzzing.run_case(seed)``.

Usage::

    python scripts/fuzz.py --cases 100000 --workers 2 --minutes 20

Exit code 0 when every case held, 1 otherwise.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
if Path("/dev/shm").is_dir():  # temporary files (xlsxwriter's too) on a memory file system
    os.environ["TMPDIR"] = tempfile.tempdir = "/dev/shm"

import fuzzing

_FIRST_SEED = 1_000_000


def _chunk(bounds: tuple[int, int, float, float]) -> tuple[Counter[str], list[fuzzing.Outcome]]:
    first, last, hang, deadline = bounds
    counts: Counter[str] = Counter()
    failures: list[fuzzing.Outcome] = []
    for start in range(first, last, 500):
        if time.time() > deadline:
            counts["not run (time)"] += last - start
            break
        found, failed = fuzzing.run(range(start, min(start + 500, last)), hang_seconds=hang)
        counts.update(found)
        failures += failed
    return counts, failures


def main() -> int:
    """Run the fuzz cases across worker processes and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--minutes", type=float, default=20.0, help="stop starting cases after")
    parser.add_argument("--hang", type=float, default=10.0, help="seconds that make a hang")
    parser.add_argument("--first-seed", type=int, default=_FIRST_SEED)
    args = parser.parse_args()
    began = time.time()
    deadline = began + args.minutes * 60
    size = -(-args.cases // (args.workers * 8))
    chunks = [
        (first, min(first + size, args.first_seed + args.cases), args.hang, deadline)
        for first in range(args.first_seed, args.first_seed + args.cases, size)
    ]
    counts: Counter[str] = Counter()
    failures: list[fuzzing.Outcome] = []
    with multiprocessing.get_context("spawn").Pool(args.workers) as pool:
        for found, failed in pool.imap_unordered(_chunk, chunks):
            counts.update(found)
            failures += failed
            done = counts["tables"] + counts["profiles"]
            print(
                f"  {done:,} cases, {len(failures)} failing, {time.time() - began:.0f}s", flush=True
            )
    run = counts["tables"] + counts["profiles"]
    kinds = Counter(f.kind for f in failures)
    read, accepted, rejected = (counts[k] for k in ("rows read", "rows accepted", "rows rejected"))
    print(
        f"cases run: {run:,} ({counts['tables']:,} table inputs, {counts['profiles']:,} profiles)"
    )
    print(f"  loaded: {counts['loaded']:,}; one library error: {counts['rejected-input']:,}")
    print(f"  not run before the time limit: {counts['not run (time)']:,}")
    print(f"non-library exceptions: {kinds['non-library']}")
    print(f"hangs (over {args.hang:.0f}s): {kinds['hang']}")
    print(
        f"accepted + rejected = read: {accepted:,} + {rejected:,} = {read:,}: {accepted + rejected == read}"
    )
    print(f"canaries in any output: {kinds['leak'] + sum('canary' in f.detail for f in failures)}")
    print(f"multi-line error messages: {kinds['multi-line']}; broken promises: {kinds['broken']}")
    print(f"time: {time.time() - began:.0f}s with {args.workers} workers")
    for failure in failures[:50]:
        print(f"  seed {failure.seed} {failure.target} {failure.kind}: {failure.detail[:160]}")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
