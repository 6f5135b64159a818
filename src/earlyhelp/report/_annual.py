"""The annual impact report, in the shape of the source report's performance sections.

:func:`build_annual_report` computes the measures a profile reports for a year
and the year before (each with its quarters) for the whole area, and lays out:

1. the quarterly performance table across the two years, with its trend chart
   and rate bars: the lines of the profile's ``[[quarterly]]`` entry (Derby's:
   early help level 2 cases, CIN cases, CP plans, children in care, numbers open
   to YOS, escalated / closed, escalation %, EHAs completed), or lines
   generated from the measures it reports (:func:`quarterly_lines`);
2. the framework's measures by element (how much, how well, impact) with the
   year's figure, the previous year's as baseline, and target and RAG status;
3. spider graphs (directions of travel and the cohort's radar chart) and
   survey themes, when the data holds them;
4. case file audits scheduled in the year: completion, grade distributions,
   strengths and weaknesses and the heat map (one sentence when there are none);
5. any further sections given and, for the source report's data, the
   reproduction of its published figures.

Every title and sentence names the area and its levels in the profile's words
(``[names]``), and measure titles are worded from the rules in force.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

import polars as pl

from earlyhelp.errors import PeriodError
from earlyhelp.io._dataset import Dataset
from earlyhelp.measures._catalogue import Catalogue, Element, Unit
from earlyhelp.measures._compute import compute
from earlyhelp.measures._disclosure_policy import SYMBOLS, Symbol
from earlyhelp.measures._framework import catalogue_for
from earlyhelp.measures._rag import Rag, rag_for
from earlyhelp.measures._results import CITY, Missing, Results
from earlyhelp.measures._shipped import CATALOGUE
from earlyhelp.periods._periods import FinancialYear, parse_period
from earlyhelp.profiles._applying import ProfileLike, resolve_profile
from earlyhelp.profiles._dating import Citation, Effective, in_force
from earlyhelp.profiles._framework import Chart, QuarterlyLine, QuarterlyTable, Shown
from earlyhelp.profiles._profile import Profile
from earlyhelp.profiles._targets import Target, target_for
from earlyhelp.report._audits import audit_section
from earlyhelp.report._document import Paragraph, Report, ReportTable, Section
from earlyhelp.report._figures import FigureTexts, settings_for
from earlyhelp.report._instruments import spider_section, survey_themes_section
from earlyhelp.report._sections import FIGURE_COLUMNS, measures_section, performance_section
from earlyhelp.reproduction._report import reproduce_source_report

__all__ = [
    "build_annual_report",
    "quarterly_figures",
    "quarterly_lines",
    "reproduction_section",
]


def quarterly_lines(
    profile: Profile, catalogue: Catalogue, day: dt.date
) -> tuple[QuarterlyTable, bool]:
    """The quarterly performance table in force on ``day``: the profile's, else one generated.

    A profile without a ``[[quarterly]]`` entry in force gets a table generated
    from the measures it reports: each count of the context and how-much
    elements, then each percentage of the context element, in catalogue order.

    Returns:
        The table, and whether the profile declared it.

    Example:
        >>> import datetime as dt
        >>> from earlyhelp import load_profile
        >>> from earlyhelp.measures import CATALOGUE
        >>> table, declared = quarterly_lines(
        ...     load_profile("derby-2014-15"), CATALOGUE, dt.date(2015, 3, 31))
        >>> declared, [line.label for line in table.lines][:2]
        (True, ['Early help / level 2 cases', 'CiN cases'])
        >>> table, declared = quarterly_lines(
        ...     load_profile("cin-census"), CATALOGUE, dt.date(2015, 3, 31))
        >>> declared, [line.measure_id for line in table.lines][:3]
        (False, ['new_referrals', 'open_cases', 'ehas_completed'])
    """
    declared = in_force(profile.versions(QuarterlyTable), day)
    if declared is not None:
        return declared, True
    lines: list[QuarterlyLine] = []
    rate_drawn = False
    for element in (Element.HOW_MUCH, Element.CONTEXT):
        for item in catalogue:
            if item.element is not element:
                continue
            if item.unit is Unit.COUNT:
                lines.append(
                    QuarterlyLine(
                        key=item.measure_id,
                        measure_id=item.measure_id,
                        label=item.title,
                        chart=Chart.TREND,
                    )
                )
            elif item.unit is Unit.PERCENTAGE and element is Element.CONTEXT:
                lines.append(
                    QuarterlyLine(
                        key=f"{item.measure_id}_parts",
                        measure_id=item.measure_id,
                        label=item.title,
                        shown=Shown.PARTS,
                    )
                )
                lines.append(
                    QuarterlyLine(
                        key=item.measure_id,
                        measure_id=item.measure_id,
                        label=f"{item.title} (%)",
                        chart=Chart.NONE if rate_drawn else Chart.RATE,
                    )
                )
                rate_drawn = True
    generated = QuarterlyTable(
        rule_id="generated",
        effective=Effective(start=dt.date(1900, 4, 1)),
        citation=Citation(document="earlyhelp: generated from the measures the profile reports"),
        lines=tuple(lines),
    )
    return generated, False


_FRAMEWORK: Final = (Element.HOW_MUCH, Element.HOW_WELL, Element.IMPACT)


def _years(year: str | FinancialYear) -> tuple[FinancialYear, FinancialYear]:
    period = parse_period(year) if isinstance(year, str) else year
    if not isinstance(period, FinancialYear):
        msg = f"year: expected a financial year like '2014-15', got {period.label!r}"
        raise PeriodError(msg)
    return FinancialYear(period.start_year - 1), period


def quarterly_figures(
    results: Results,
    years: Sequence[FinancialYear],
    texts: FigureTexts,
    lines: Sequence[QuarterlyLine],
) -> pl.DataFrame:
    """The quarterly performance table's figures, for the whole area, as a plain long frame.

    One row per line of ``lines`` (see :func:`quarterly_lines`) and quarter of
    ``years``, with ``row``, ``quarter``, ``numerator``, ``denominator`` and
    ``display`` (the figure as published by ``texts``, or the symbol for why it
    is not shown: ``[x]`` where the profile does not report the measure).
    """
    rows: list[tuple[str, str, int | None, int | None, str]] = []
    reported = set(results.catalogue.ids())
    for line in lines:
        for year in years:
            for quarter in year.quarters():
                if line.measure_id not in reported:
                    rows.append((line.key, quarter.label, None, None, "[x]"))
                    continue
                result = results[line.measure_id, quarter.label, CITY]
                show = texts.parts if line.shown is Shown.PARTS else texts.value
                text = show(line.measure_id, quarter.label, CITY)
                rows.append((line.key, quarter.label, result.numerator, result.denominator, text))
    return pl.DataFrame(
        rows,
        schema=dict(
            zip(FIGURE_COLUMNS, (pl.String, pl.String, pl.Int64, pl.Int64, pl.String), strict=True)
        ),
        orient="row",
    )


def baseline_periods(profile: Profile, year: FinancialYear) -> dict[str, str]:
    """Each framework measure's baseline period: the profile's target entry's, else last year's.

    Example:
        >>> from earlyhelp import load_profile
        >>> periods = baseline_periods(load_profile("derby-2014-15"), FinancialYear(2014))
        >>> periods["escalation_rate"]  # 2014-15 was the framework's baseline year
        '2014-15'
        >>> baseline_periods(load_profile("cin-census"), FinancialYear(2014))["escalation_rate"]
        '2013-14'
    """
    previous = FinancialYear(year.start_year - 1).label
    chosen = {}
    for item in catalogue_for(profile, CATALOGUE, day=year.end):
        entry = target_for(profile.versions(Target), item.measure_id, year.end)
        period = None if entry is None else entry.baseline_period
        chosen[item.measure_id] = previous if period is None else period.label
    return chosen


#: Why a measure is left out of the framework table: it is not the profile's in the year.
_OUTSIDE_FRAMEWORK: Final = frozenset({Missing.NOT_IN_FORCE, Missing.NOT_REFERRAL_ANCHORED})


def framework_measures(
    results: Results, profile: Profile, year: FinancialYear, texts: FigureTexts
) -> pl.DataFrame:
    """The framework's measures for the year at city level: baseline, value, target and RAG.

    The baseline is the figure for the baseline period the profile's target
    entry names (see :func:`baseline_periods`); the target and the RAG status
    come from the profile's target in force at the year's end (blank where
    none is set). RAG is judged on the exact value, never the rounded one; a value
    hidden by disclosure control has its status hidden too ([c]).

    A measure that is not part of the profile's framework in the year is left
    out, rather than shown as ``[x]``: one not in force in the year,
    and one whose definition the profile's rules cannot give (DfE's re-referral
    rate under a re-referral rule that counts from a case's closure).
    """
    baselines = baseline_periods(profile, year)
    rows = []
    for item in results.catalogue:
        if item.element not in _FRAMEWORK:
            continue
        if results[item.measure_id, year.label, CITY].missing in _OUTSIDE_FRAMEWORK:
            continue
        period = baselines.get(item.measure_id, FinancialYear(year.start_year - 1).label)
        try:
            baseline = f"{texts.value(item.measure_id, period, CITY)} ({period})"
        except KeyError:
            baseline = f"[x] ({period})"
        value = texts.value(item.measure_id, year.label, CITY)
        entry = target_for(profile.versions(Target), item.measure_id, year.end)
        target = entry.describe() if entry is not None and entry.has_target else ""
        status = rag_for(
            results[item.measure_id, year.label, CITY].value,
            item.measure_id,
            item.polarity,
            profile.versions(Target),
            year.end,
        )
        shown = "" if status is Rag.NO_TARGET else status.value
        if value.startswith(Symbol.CONFIDENTIAL.value) and shown:
            shown = Symbol.CONFIDENTIAL.value  # a hidden value's status would say where it lies
        rows.append((item.element.value, item.title, baseline, value, target, shown))
    return pl.DataFrame(
        rows,
        schema=["element", "measure", "baseline", "value", "target", "rag"],
        orient="row",
    )


def reproduction_section() -> Section:
    """The source report's published figures beside the library's, each marked as matching.

    Example:
        >>> table = reproduction_section().blocks[1]
        >>> table.frame.columns
        ['figure', 'published', 'computed', 'match', 'note']
    """
    figures = reproduce_source_report().select(
        "figure",
        "published",
        "computed",
        pl.when(pl.col("match")).then(pl.lit("yes")).otherwise(pl.lit("no")).alias("match"),
        "note",
    )
    matched = figures.filter(pl.col("match") == "yes").height
    return Section(
        title="Reproduction of the source report's published figures",
        blocks=(
            Paragraph(
                text=f"{matched} of {figures.height} figures the source report publishes are "
                "recomputed exactly from the data it prints; the notes say where the report "
                "itself is wrong or ambiguous."
            ),
            ReportTable(title="Published and recomputed figures", frame=figures),
        ),
    )


def build_annual_report(
    data: Dataset,
    *,
    profile: ProfileLike,
    year: str | FinancialYear,
    results: Results | None = None,
    extra: Sequence[Section] = (),
    reproduction: bool = False,
) -> Report:
    """Build the annual impact report for a financial year.

    Args:
        data: the loaded :class:`Dataset`.
        profile: the profile whose rules the measures apply.
        year: the report's financial year, e.g. ``"2014-15"``; the year before is
            shown beside it and is the measures' baseline.
        results: results already computed for both years at city level (they
            are computed when not given).
        extra: further sections to append after the case file audits.
        reproduction: append the reproduction of the source report's published
            figures (:func:`reproduce_source_report`); for the source city's data.

    Returns:
        The :class:`Report`, ready for :func:`render_html` or :func:`write_markdown`.

    Example:
        >>> import earlyhelp as eh
        >>> report = build_annual_report(
        ...     eh.load(eh.demo_path()), profile="derby-2014-15", year="2014-15")
        >>> [section.title for section in report.sections]
        ['Quarterly performance', "The framework's measures", 'Spider graphs: distance travelled', 'Survey themes', 'Case file audits']
        >>> len(report.charts())
        5
    """
    prof = resolve_profile(profile)
    before, current = _years(year)
    if results is None:
        periods = {before.label, current.label, *baseline_periods(prof, current).values()}
        results = compute(data, profile=prof, period=sorted(periods), by="city")
    settings, declared = settings_for(prof, current.end)
    texts = FigureTexts(results, settings, published=True)
    table, declared_table = quarterly_lines(prof, results.catalogue, current.end)
    figures = quarterly_figures(results, (before, current), texts, table.lines)
    the_area = prof.names.the_area
    intro = (
        f"Performance quarter by quarter over {before.label} and {current.label}, for {the_area}."
    )
    if table.intro:
        intro = f"{intro} {table.intro}"
    elif not declared_table:
        intro = (
            f"{intro} Counts of cases, plans and children are taken at the end of each "
            "quarter's last day where the measure counts what is open, and in the quarter "
            "where it counts events."
        )
    rate = next((line for line in table.lines if line.chart is Chart.RATE), None)
    performance = performance_section(
        figures,
        [(line.key, line.label) for line in table.lines],
        trend=[
            (line.key, line.chart_label or line.label)
            for line in table.lines
            if line.chart is Chart.TREND
        ],
        rate=None if rate is None else (rate.key, rate.chart_label or rate.label),
        intro=intro,
        note=table.note,
    )
    measures = measures_section(
        framework_measures(results, prof, current, texts),
        intro=(
            f"The framework's measures for {the_area}, {current.label}, beside each one's "
            "baseline, with the target and RAG status where the profile sets a target. "
            "Percentages roll up by ratio of sums."
        ),
    )
    rounding = settings.percentage
    control = (
        f"Disclosure control: {settings.published.describe()}."
        if declared
        else "No presentation settings are in force in this profile: no disclosure control "
        "was applied. Do not publish this report outside the council."
    )
    notes = (
        f"Profile {prof.profile_id}: {prof.title}.",
        f"Percentages and rates are exact until published, then rounded once "
        f"({rounding.mode.value.replace('_', ' ')}, {rounding.places} decimal place) "
        f"under presentation settings {settings.rule_id}.",
        control,
        "Symbols: " + "; ".join(f"{symbol} {meaning}" for symbol, meaning in SYMBOLS.items()) + ".",
    )
    instruments = (
        spider_section(data, profile=prof, year=current, settings=settings),
        survey_themes_section(data, profile=prof, year=current, settings=settings),
    )
    audits = audit_section(data, year=current, settings=settings)
    sections = (
        performance,
        measures,
        *(s for s in instruments if s is not None),
        audits,
        *extra,
    )
    if reproduction:
        sections = (*sections, reproduction_section())
    return Report(
        title=f"Early help impact report {current.label}",
        subtitle=f"{prof.title} ({prof.profile_id})",
        sections=sections,
        notes=notes,
    )
