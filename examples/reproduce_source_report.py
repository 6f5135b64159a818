"""Reproduce every figure the source report publishes, and write reproduction.csv.

The report's quarterly table, survey counts, audit counts and case counts are
entered as data, run through earlyhelp's calculators under the source city's
profile, and each derived figure is set beside the published one.

Usage: python examples/reproduce_source_report.py [OUT.csv]   (default: reproduction.csv
in a temporary folder, so running it never writes into your checkout).
"""

import sys
import tempfile
from pathlib import Path

import polars as pl

import earlyhelp as eh

out = (
    Path(sys.argv[1])
    if len(sys.argv) > 1
    else Path(tempfile.mkdtemp(prefix="earlyhelp-")) / "reproduction.csv"
)
report = eh.reproduce_source_report()
report.select("figure", "published", "computed", "match", "note").write_csv(out)

matched = report.filter(pl.col("match")).height
print(f"{matched} of {report.height} published figures reproduced exactly; wrote {out}")
for row in report.filter(~pl.col("match")).iter_rows(named=True):
    print(f"  does not match: {row['figure']}: published {row['published']!r}")
    print(f"    {row['note']}")

half_up = eh.reproduce_source_report(eh.measures.RoundingPolicy(eh.measures.Rounding.HALF_UP, 1))
changed = report.join(half_up, on="figure").filter(pl.col("match") & ~pl.col("match_right"))
print("Under half-up rounding these figures would differ from the published ones:")
for row in changed.iter_rows(named=True):
    print(f"  {row['figure']}: published {row['published']}, half-up {row['computed_right']}")
