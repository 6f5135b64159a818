"""Make a larger data set from a generated one: ``k`` disjoint relabelled copies.

``earlyhelp generate`` holds every table in memory while it writes (about 1.7 GB
at 1M cases, so about 17 GB at 10M: more than a shared 24 GB machine can spare).
This writes ``k`` copies of a generated folder's CSV files instead, streaming,
with every record id prefixed by the copy's number (``3:C0000001``), so that no
id, person or family is shared between copies and every reference stays inside
its copy. Reference tables (teams, scales, population, centres) are copied once.
Every count is then exactly ``k`` times the original's, and every rate the same:
a check on the larger run as well as a load.

    python benchmarks/replicate.py /tmp/perf-bench/csv_384616_seed2015 /tmp/perf-bench/x10 10
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import polars as pl

#: Columns that name a team, place or worker: shared by every copy, never prefixed.
SHARED = ("team_id", "locality_id", "worker_id", "area_id", "centre_id")

#: Tables copied once: what every copy refers to.
REFERENCE = (
    "teams",
    "spider_scales",
    "population",
    "childrens_centres",
    "centre_inspections",
    "characteristics",
)


def replicate(source: Path, target: Path, copies: int) -> None:
    """Write ``copies`` relabelled copies of each table in ``source`` into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.glob("*.csv")):
        if path.stem in REFERENCE:
            shutil.copyfile(path, target / path.name)
            continue
        frame = pl.scan_csv(path, infer_schema=False)
        ids = [c for c in frame.collect_schema().names() if c.endswith("_id") and c not in SHARED]
        parts = [
            frame.with_columns(
                pl.when(pl.col(c).is_not_null() & (pl.col(c) != ""))
                .then(pl.concat_str(pl.lit(f"{k}:"), pl.col(c)))
                .otherwise(pl.col(c))
                .alias(c)
                for c in ids
            )
            for k in range(copies)
        ]
        pl.concat(parts).sink_csv(target / path.name)
        print(f"{path.stem}: {copies} copies, ids prefixed: {', '.join(ids)}")


if __name__ == "__main__":
    replicate(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))
