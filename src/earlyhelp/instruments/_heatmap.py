"""A heat map of audit grade shares: one row per quality measure, one column per grade."""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl

from earlyhelp.model._audit import GradingScale

__all__ = ["audit_heatmap"]


def audit_heatmap(
    distribution: pl.DataFrame,
    scale: GradingScale,
    path: str | os.PathLike[str],
    *,
    title: str = "Case file audit grades",
) -> Path:
    """Draw each measure's grade shares (of the audits that graded it) as a heat map.

    Columns run from the worst grade to the best whatever the scale's direction;
    cells are shaded by share and labelled with the count. Drawn offline with matplotlib's Agg backend.

    Args:
        distribution: a :func:`~earlyhelp.instruments.grade_distribution` frame for one round.
        scale: its grading scale.
        path: where to write the image (the suffix picks the format, e.g. ``.png``).
        title: the chart's title.

    Returns:
        The path written.

    Example:
        >>> import polars as pl, tempfile, pathlib
        >>> dist = pl.DataFrame({"measure": ["Reviews"] * 2, "grade": [2, 3], "count": [1, 3]})
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "audit.png"
        >>> audit_heatmap(dist, GradingScale.derby(), out).stat().st_size > 0
        True
    """
    import matplotlib as mpl  # noqa: PLC0415 - charts are optional work

    mpl.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    grades = list(scale.grades)
    if not scale.higher_is_better:
        grades.reverse()
    measures = distribution.get_column("measure").unique(maintain_order=True).to_list()
    counts = {
        (row["measure"], int(row["grade"])): int(row["count"])
        for row in distribution.iter_rows(named=True)
    }
    table = [[counts.get((m, g.value), 0) for g in grades] for m in measures]
    shares = [[c / sum(row) if sum(row) else 0.0 for c in row] for row in table]
    figure, axes = plt.subplots(figsize=(2 + 1.3 * len(grades), 1 + 0.4 * max(len(measures), 1)))
    try:
        image = axes.imshow(shares, cmap="Blues", vmin=0.0, vmax=1.0, aspect="auto")
        axes.set_xticks(range(len(grades)), [g.label for g in grades])
        axes.set_yticks(range(len(measures)), measures)
        for y, row in enumerate(table):
            for x, count in enumerate(row):
                dark = shares[y][x] > 0.6
                axes.text(
                    x,
                    y,
                    str(count),
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if dark else "black",
                )
        axes.set_title(title)
        figure.colorbar(image, ax=axes, label="share of graded audits")
        figure.tight_layout()
        target = Path(path)
        figure.savefig(target, bbox_inches="tight")
    finally:
        plt.close(figure)
    return target
