"""The annual report's instrument sections: spider graphs and survey themes.

Both are published at cohort level only: the spider chart averages every graph
completed in the year, and survey themes are shares of all positive feedback.
No child's graph and no comment's text is ever published, and the counts and
shares pass through the profile's disclosure control (``settings``).
"""

from __future__ import annotations

import polars as pl

from earlyhelp.instruments._radar import cohort_radar
from earlyhelp.instruments._spider_bulk import spider_directions
from earlyhelp.instruments._themes import code_survey_comments, count_themes
from earlyhelp.instruments._themes_rule import ThemeDictionary
from earlyhelp.io._dataset import Dataset
from earlyhelp.measures._presentation_settings import PresentationSettings
from earlyhelp.periods._periods import FinancialYear, during_expr
from earlyhelp.profiles._applying import ProfileLike, resolve_profile
from earlyhelp.report._charts import bar_chart, png_bytes
from earlyhelp.report._document import Block, Chart, Paragraph, ReportTable, Section
from earlyhelp.report._figures import (
    DEFAULT_SETTINGS,
    published_breakdown,
    published_figures,
    published_shares,
)
from earlyhelp.report._sections import HIDDEN_NOTE

__all__ = ["spider_section", "survey_themes_section"]


def spider_section(
    data: Dataset,
    *,
    profile: ProfileLike,
    year: FinancialYear,
    settings: PresentationSettings = DEFAULT_SETTINGS,
) -> Section | None:
    """Spider graphs completed in the year: directions of travel and the cohort's radar chart.

    ``None`` when no graph was completed in the year.

    Example:
        >>> import earlyhelp as eh
        >>> section = spider_section(eh.load(eh.demo_path()), profile="derby-2014-15",
        ...                          year=eh.FinancialYear(2014))
        >>> [type(block).__name__ for block in section.blocks]
        ['Paragraph', 'ReportTable', 'Chart']
    """
    prof = resolve_profile(profile)
    scales, readings = data["spider_scales"], data["spider_readings"]
    if readings.is_empty():
        return None
    directions = spider_directions(scales, readings, profile=prof, period=year)
    if directions.is_empty():
        return None
    counts = (
        directions.group_by(pl.col("direction").fill_null("not compared"))
        .agg(pl.len().cast(pl.Int64).alias("graphs"))
        .sort("direction")
    )
    shares, total = published_breakdown(
        [(d.replace("_", " "), n) for d, n in counts.iter_rows()],
        settings,
        year.label,
        measure_id="spider_direction_share",
    )
    table = pl.DataFrame(
        shares,
        schema={"direction": pl.String, "graphs": pl.String, "share": pl.String},
        orient="row",
    )
    counted = (
        f"{total} spider graphs were completed in {year.label}."
        if not total.startswith("[")
        else f"The number of spider graphs completed in {year.label} is suppressed ({total})."
    )
    blocks: list[Block] = [
        Paragraph(
            text=f"{counted} The direction of travel compares each graph's start and latest "
            "readings under the profile's rule."
        ),
        ReportTable(
            title=f"Direction of travel, {year.label}",
            frame=table,
            note=HIDDEN_NOTE if any(t == "[c]" for _, t, _ in shares) else None,
        ),
    ]
    minimum = settings.published.smallest_cohort
    completed = set(directions.get_column("graph_id").to_list())
    graphs = [g for g in data.spider_graphs() if g.graph_id in completed]
    title = f"Spider graphs: cohort average, {year.label}"
    try:
        figure = cohort_radar(
            graphs, title=f"Spider graphs completed in {year.label}", minimum=minimum
        )
    except ValueError:
        figure = None
    if figure is None:
        blocks.append(
            Paragraph(
                text=f"{title}: not drawn. No scale was scored at the start and a later "
                f"reading by at least {minimum} graphs, the fewest an average may be "
                "published for."
            )
        )
    else:
        blocks.append(
            Chart(
                title=title,
                png=png_bytes(figure),
                alt=f"Radar chart of the average start and latest score on each scale over "
                f"the spider graphs completed in {year.label}",
                note=f"Each scale is averaged over the graphs that score it at the start and "
                f"a later reading; a scale scored by fewer than {minimum} graphs is left out."
                if minimum > 1
                else None,
            )
        )
    return Section(title="Spider graphs: distance travelled", blocks=tuple(blocks))


def survey_themes_section(
    data: Dataset,
    *,
    profile: ProfileLike,
    year: FinancialYear,
    settings: PresentationSettings = DEFAULT_SETTINGS,
) -> Section | None:
    """Survey themes: each positive theme's share of the year's positive feedback.

    ``None`` when no form with a comment was received in the year.

    Example:
        >>> import earlyhelp as eh
        >>> section = survey_themes_section(eh.load(eh.demo_path()), profile="derby-2014-15",
        ...                                 year=eh.FinancialYear(2014))
        >>> section.blocks[1].frame.columns
        ['theme', 'comments', 'share']
    """
    prof = resolve_profile(profile)
    surveys = data["surveys"].filter(during_expr("received", year))
    coded = code_survey_comments(surveys, profile=prof)
    if coded.is_empty():
        return None
    counts = count_themes(coded)
    labels = {
        theme.theme_id: theme.label
        for dictionary in prof.versions(ThemeDictionary)
        for theme in dictionary.themes
    }
    positive = int(coded.get_column("positive").sum())
    themes = sorted(
        (labels.get(theme_id, theme_id), comments) for theme_id, comments, _ in counts.iter_rows()
    )
    shown = published_shares(themes, positive, settings, year.label)
    # Most comments first; hidden themes last, by name: their order would rank hidden counts.
    ordered = sorted(
        zip(shown, (comments for _, comments in themes), strict=True),
        key=lambda row: (
            row[0][1].startswith("["),
            -row[1] if not row[0][1].startswith("[") else 0,
            row[0][0],
        ),
    )
    table = pl.DataFrame(
        [row for row, _ in ordered],
        schema={"theme": pl.String, "comments": pl.String, "share": pl.String},
        orient="row",
    )
    (forms, _, _), (praised, _, _) = published_figures(
        [("surveys_with_comment", coded.height, None), ("positive_comments", positive, None)],
        settings,
        year.label,
    )
    blocks: list[Block] = [
        Paragraph(
            text=f"How Was It For You forms received in {year.label} with a comment: {forms}; "
            f"of them positive feedback: {praised}. A comment may fall into several "
            "themes, so shares add up to more than 100%."
        ),
        ReportTable(
            title=f"Themes of positive feedback, {year.label}",
            frame=table,
            note=HIDDEN_NOTE if any(t == "[c]" for _, t, _ in table.rows()) else None,
        ),
    ]
    if table.height:
        chart_frame = table.with_columns(
            pl.col("share").str.strip_suffix("%").cast(pl.Float64, strict=False).alias("value")
        )
        blocks.append(
            bar_chart(
                chart_frame,
                x="theme",
                y="value",
                labels="share",
                title=f"Survey themes, {year.label}",
                y_label="% of positive feedback",
                horizontal=True,
                note=HIDDEN_NOTE if table.get_column("share").str.starts_with("[").any() else None,
            )
        )
    return Section(title="Survey themes", blocks=tuple(blocks))
