"""The annual report's case file audits section: completion, grades, strengths and weaknesses.

The section covers the audits *scheduled* in the report's year (as
:func:`~earlyhelp.instruments.flag_audits` does), and grades those of them that were
completed. Every count and share passes through the profile's published
disclosure control (``settings``): a small count is shown ``[c]`` and its heat
map cell is left unshaded, so a hidden count cannot be read back from a colour.
No audit's id, case or auditor is ever published.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from earlyhelp.instruments._audit import flag_audits, grade_distribution
from earlyhelp.instruments._audit_ranking import Ranked, RankKind, rank_measures
from earlyhelp.io._dataset import Dataset
from earlyhelp.measures._presentation_settings import PresentationSettings
from earlyhelp.model._audit import GRADING_SCALES, GradingScale
from earlyhelp.periods._periods import FinancialYear
from earlyhelp.report._charts import heatmap_chart
from earlyhelp.report._document import Block, Paragraph, ReportTable, Section
from earlyhelp.report._figures import DEFAULT_SETTINGS, published_figures

__all__ = ["AUDIT_COMPLETION", "audit_section", "hidden_measures", "published_figures"]

_HIDDEN = "[c]"

#: The measure id audit completion is published under (a profile's presentation
#: settings may set its places, e.g. Derby prints it whole).
AUDIT_COMPLETION: Final = "audit_completion_rate"
_SHARE: Final = "audit_grade_share"
_TOP: Final = 5
TITLE: Final = "Case file audits"


def _weakness_threshold(scale: GradingScale) -> str:
    if any(grade.label == "poor" for grade in scale.grades):
        return "poor"
    ordered = list(scale.grades) if scale.higher_is_better else list(reversed(scale.grades))
    good = next(i for i, grade in enumerate(ordered) if grade.label == "good")
    return ordered[max(good - 1, 0)].label


def _worst_first(scale: GradingScale) -> list[tuple[int, str]]:
    grades = [(grade.value, grade.label) for grade in scale.grades]
    return grades if scale.higher_is_better else grades[::-1]


def _distribution_blocks(
    distribution: pl.DataFrame,
    scale: GradingScale,
    settings: PresentationSettings,
    year: str,
    suffix: str,
) -> tuple[list[Block], set[str]]:
    grades = _worst_first(scale)
    measures = distribution.get_column("measure").unique(maintain_order=True).to_list()
    counts = {
        (measure, grade): int(count)
        for measure, grade, count in distribution.select("measure", "grade", "count").iter_rows()
    }
    graded = {m: sum(counts.get((m, g), 0) for g, _ in grades) for m in measures}
    cells = [(m, g) for m in measures for g, _ in grades]
    shown = published_figures([(_SHARE, counts.get(c, 0), None) for c in cells], settings, year)
    text = {cell: figure[0] for cell, figure in zip(cells, shown, strict=True)}
    # A row with one suppressed cell could be recovered from the others and the
    # measure's graded total (published with the rankings) or its shares: hide it all.
    hidden = hidden_measures(text)
    for measure in hidden:
        for grade, _ in grades:
            text[measure, grade] = _HIDDEN
    table = pl.DataFrame(
        [[m, *(text[m, g] for g, _ in grades)] for m in measures],
        schema=["measure", *(label for _, label in grades)],
        orient="row",
    )
    shares = [
        [
            None
            if text[m, g].startswith("[") or graded[m] == 0
            else counts.get((m, g), 0) / graded[m]
            for g, _ in grades
        ]
        for m in measures
    ]
    return [
        ReportTable(
            title=f"Grades given to each quality measure, {year}{suffix}",
            frame=table,
            note="Audits completed that graded the measure; not-applicable grades are left "
            "out. A measure with any small count is hidden whole ([c]), so no hidden count "
            "can be worked out from the rest of its row.",
        ),
        heatmap_chart(
            measures,
            [label for _, label in grades],
            shares,
            [[text[m, g] for g, _ in grades] for m in measures],
            title=f"Case file audit grades, {year}{suffix}",
            colour_label="share of graded audits",
            note="Shaded by each grade's share of the audits that graded the measure; "
            "cells shown [c] are suppressed and left unshaded.",
        ),
    ], hidden


def hidden_measures(text: dict[tuple[str, int], str]) -> set[str]:
    """The measures with a suppressed cell: published neither in part nor ranked.

    Example:
        >>> sorted(hidden_measures({("Plan", 1): "[c]", ("Plan", 2): "7", ("Reviews", 1): "6"}))
        ['Plan']
    """
    return {measure for (measure, _), shown in text.items() if shown.startswith("[c")}


def _ranking_table(
    ranked: list[Ranked],
    settings: PresentationSettings,
    year: str,
    band: str,
    title: str,
    *,
    hidden: set[str],
) -> ReportTable:
    listed = [r for r in ranked if r.count > 0 and r.measure not in hidden]
    # Ranked among the listed measures only: a gap in the ranks would place a hidden one.
    ranks: list[int] = []
    for position, item in enumerate(listed, 1):
        tied = bool(ranks) and listed[position - 2].share == item.share
        ranks.append(ranks[-1] if tied else position)
    top = listed[:_TOP]
    shown = published_figures([(_SHARE, r.count, r.graded) for r in top], settings, year)
    frame = pl.DataFrame(
        [
            (str(rank), r.measure, count, graded, share)
            for rank, r, (count, graded, share) in zip(ranks, top, shown, strict=False)
        ],
        schema=["rank", "measure", band, "graded", "share"],
        orient="row",
    )
    return ReportTable(
        title=title,
        frame=frame,
        note=f"Ranked by the exact share graded {band}; ties share a rank. "
        f"At most {_TOP} measures, and only those graded {band} at least once; measures "
        "hidden in the grade table for small counts are not ranked (their place would "
        "hint at the hidden counts).",
    )


def _scale_blocks(
    audits: pl.DataFrame,
    grades: pl.DataFrame,
    settings: PresentationSettings,
    year: str,
    suffix: str,
) -> list[Block]:
    distribution = grade_distribution(audits, grades)
    scale = GRADING_SCALES[audits.get_column("scale").drop_nulls().unique().item()]
    if distribution.is_empty():
        return [Paragraph(text=f"No quality measure was graded in the audits completed{suffix}.")]
    weak = _weakness_threshold(scale)
    strengths = rank_measures(distribution, scale, RankKind.STRENGTHS)
    weaknesses = rank_measures(distribution, scale, RankKind.WEAKNESSES, threshold=weak)
    blocks, hidden = _distribution_blocks(distribution, scale, settings, year, suffix)
    return [
        *blocks,
        _ranking_table(
            strengths, settings, year, "good or better", f"Strengths, {year}{suffix}", hidden=hidden
        ),
        _ranking_table(
            weaknesses,
            settings,
            year,
            f"{weak} or worse",
            f"Weaknesses, {year}{suffix}",
            hidden=hidden,
        ),
    ]


def audit_section(
    data: Dataset,
    *,
    year: FinancialYear,
    settings: PresentationSettings = DEFAULT_SETTINGS,
) -> Section:
    """Case file audits scheduled in the year: completion, grades, strengths and weaknesses.

    Always a section: when no audit was scheduled in the year, or none was
    completed, it says so in one sentence.

    Args:
        data: the loaded :class:`Dataset` (its ``audits`` and ``audit_grades``).
        year: the report's financial year.
        settings: the presentation settings; the published disclosure control
            and the ``audit_completion_rate`` places apply.

    Raises:
        ArgumentError: an audit names an unknown grading scale or an off-scale grade.

    Example:
        >>> import earlyhelp as eh
        >>> section = audit_section(eh.load(eh.demo_path()), year=eh.FinancialYear(2014))
        >>> [type(block).__name__ for block in section.blocks]
        ['Paragraph', 'ReportTable', 'Chart', 'ReportTable', 'ReportTable']
        >>> audit_section(eh.load(eh.demo_path()), year=eh.FinancialYear(2020)).blocks
        (Paragraph(text='No case file audit was scheduled in 2020-21.'),)
    """
    audits, grades = data["audits"], data["audit_grades"]
    flags = flag_audits(audits, year.start, year.end)
    if flags.is_empty():
        text = f"No case file audit was scheduled in {year.label}."
        return Section(title=TITLE, blocks=(Paragraph(text=text),))
    ((completed, scheduled, rate),) = published_figures(
        [(AUDIT_COMPLETION, int(flags["is_completed"].sum()), flags.height)], settings, year.label
    )
    blocks: list[Block] = [
        Paragraph(
            text=f"{completed} of the {scheduled} case file audits scheduled in {year.label} "
            f"were completed: audit completion {rate}. Grades below are from the completed "
            "audits."
        )
    ]
    done = flags.filter(pl.col("is_completed")).drop("is_completed")
    if done.is_empty():
        blocks[0] = Paragraph(
            text=f"None of the {scheduled} case file audits scheduled in {year.label} "
            "was completed, so there are no grades to show."
        )
        return Section(title=TITLE, blocks=tuple(blocks))
    scales = done.get_column("scale").drop_nulls().unique().sort().to_list()
    for name in scales or [None]:
        subset = done if name is None else done.filter(pl.col("scale") == name)
        suffix = f" ({name} scale)" if len(scales) > 1 else ""
        blocks.extend(_scale_blocks(subset, grades, settings, year.label, suffix))
    return Section(title=TITLE, blocks=tuple(blocks))
