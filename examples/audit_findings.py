"""Rebuild the source report's case file audits and reproduce its findings.

Run it with ``python examples/audit_findings.py [OUTPUT_DIR]``. It rebuilds
record-level audits from the four audit tables the report prints, prints each
round's table (grade counts per quality measure), the completion rate, the
ranked strengths and weaknesses, the change between the two under 11s rounds,
and writes one heat map per round into OUTPUT_DIR (a new temporary directory
when none is given; nothing is written into the repository).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import polars as pl

import earlyhelp as eh

SCALE = eh.model.GradingScale.derby()


def pct(count: int, total: int) -> str:
    return "-" if total == 0 else f"{100 * count / total:.1f}%"


def main(argv: list[str]) -> None:
    out = Path(argv[1]) if len(argv) > 1 else Path(tempfile.mkdtemp(prefix="audit_findings_"))
    out.mkdir(parents=True, exist_ok=True)
    audits, grades = eh.instruments.audits_from_tables(
        eh.instruments.audit_tables(), eh.instruments.audit_rounds()
    )
    report = eh.reproduce_source_report()
    completion = report.filter(pl.col("figure") == "Case file audit completion 2014-15").row(
        0, named=True
    )
    print(f"Audits completed 2014-15: {completion['derivation']}: {completion['computed']} "
          f"(the report prints {completion['published']})")  # fmt: skip
    rounds = eh.instruments.audit_rounds()
    dists = {}
    for row in rounds.iter_rows(named=True):
        chosen = audits.filter(pl.col("round") == row["round"])
        dist = eh.instruments.grade_distribution(chosen, grades, scale=SCALE)
        dists[row["round"]] = dist
        print(f"\n== {row['title']} ({row['month']:%B %Y}, {chosen.height} audits) ==")
        wide = dist.pivot(on="label", index="measure", values="count", sort_columns=False)
        with pl.Config(tbl_rows=25, tbl_width_chars=120, fmt_str_lengths=50):
            print(wide)
        for kind in eh.instruments.RankKind:
            top = [r for r in eh.instruments.rank_measures(dist, SCALE, kind) if r.rank <= 3]
            print(f"{kind.value}: " + "; ".join(
                f"{r.rank}. {r.measure} ({r.count}/{r.graded}, {pct(r.count, r.graded)})" for r in top
            ))  # fmt: skip
        path = eh.instruments.audit_heatmap(
            dist, SCALE, out / f"{row['round']}.png", title=row["title"]
        )
        print(f"heat map: {path}")
    print("\n== Under 11s, August 2014 to March 2015: good or better, change in points ==")
    changes = eh.instruments.compare_rounds(
        dists["under-11s-2014-08"], dists["under-11s-2015-03"], SCALE
    )
    for change in changes:
        if change.change is not None:
            print(f"{change.measure}: {float(change.before or 0):.1f}% -> "
                  f"{float(change.after or 0):.1f}% ({float(change.change):+.1f})")  # fmt: skip


if __name__ == "__main__":
    main(sys.argv)
