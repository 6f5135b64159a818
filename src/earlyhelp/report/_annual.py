"""The annual impact report, in the shape of the source report's performance sections.

:func:`build_annual_report` computes the framework's measures for a year and
the year before (each with its quarters) at city level, and lays out:

1. the quarterly performance table across the two years (early help level 2
   cases, CIN cases, CP plans, children in care, numbers open to YOS,
   escalated / closed, escalation %, EHAs completed), with trend charts and
   the escalation % bars;
2. the framework's measures by element (how much, how well, impact) with the
   year's figure, the previous year's as baseline, and target and RAG status;
3. spider graphs (directions of travel and the cohort's radar chart) and
   survey themes, when the data holds them;
4. case file audits scheduled in the year: completion, grade distributions,
   strengths and weaknesses and the heat map (one sentence when there are none);
5. any further sections given and, for the
   source city's data, the reproduction of the source report's published
   figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import polars as pl

from earlyhelp.errors import PeriodError
from earlyhelp.io._dataset import Dataset
from earlyhelp.measures._catalogue import Element
from earlyhelp.measures._compute import compute
from earlyhelp.measures._disclosure_policy import SYMBOLS, Symbol
from earlyhelp.measures._rag import Rag, rag_for
from earlyhelp.measures._results import CITY, Results
from earlyhelp.measures._shipped import CATALOGUE
from earlyhelp.periods._periods import FinancialYear, parse_period
from earlyhelp.profiles._applying import ProfileLike, resolve_profile
from earlyhelp.profiles._profile import Profile
from earlyhelp.profiles._targets import Target, target_for
from earlyhelp.report._audits import audit_section
from earlyhelp.report._document import Paragraph, Report, ReportTable, Section
from earlyhelp.report._figures import FigureTexts, settings_for
from earlyhelp.report._instruments import spider_section, survey_themes_section
from earlyhelp.report._sections import FIGURE_COLUMNS, measures_section, performance_section
from earlyhelp.reproduction._report import reproduce_source_report

__all__ = [
    "QUARTERLY_LINES",
    "build_annual_report",
    "quarterly_figures",
    "reproduction_section",
]

#: The quarterly performance table's lines: (row key, measure id, how shown, label).
#: ``value`` shows the figure; ``parts`` shows numerator/denominator.
QUARTERLY_LINES: Final = (
    ("early_help", "early_help_level_2_cases", "value", "Early help / level 2 cases"),
    ("cin", "cin_cases", "value", "CiN cases"),
    ("cp", "cp_plans", "value", "Number of CP plans"),
    ("cic", "children_in_care", "value", "Children in care"),
    ("yos", "open_to_yos", "value", "Numbers open to YOS"),
    ("escalated", "escalation_rate", "parts", "Escalated to social care / cases closed"),
    ("escalation_pct", "escalation_rate", "value", "Escalation %"),
    ("ehas", "ehas_completed", "value", "EHAs completed"),
)

_TREND: Final = (
    ("early_help", "Early help cases"),
    ("cin", "CiN cases"),
    ("cp", "CP plans"),
    ("cic", "Children in care"),
    ("yos", "Open to YOS"),
    ("ehas", "EHAs completed"),
)

_FRAMEWORK: Final = (Element.HOW_MUCH, Element.HOW_WELL, Element.IMPACT)


def _years(year: str | FinancialYear) -> tuple[FinancialYear, FinancialYear]:
    period = parse_period(year) if isinstance(year, str) else year
    if not isinstance(period, FinancialYear):
        msg = f"year: expected a financial year like '2014-15', got {period.label!r}"
        raise PeriodError(msg)
    return FinancialYear(period.start_year - 1), period


def quarterly_figures(
    results: Results, years: Sequence[FinancialYear], texts: FigureTexts
) -> pl.DataFrame:
    """The quarterly performance table's figures, city level, as a plain long frame.

    One row per line of :data:`QUARTERLY_LINES` and quarter of ``years``, with
    ``row``, ``quarter``, ``numerator``, ``denominator`` and ``display`` (the
    figure as published by ``texts``, or the symbol for why it is not shown).
    """
    rows: list[tuple[str, str, int | None, int | None, str]] = []
    for key, measure_id, shown, _ in QUARTERLY_LINES:
        for year in years:
            for quarter in year.quarters():
                if measure_id not in CATALOGUE:
                    rows.append((key, quarter.label, None, None, "[x]"))
                    continue
                result = results[measure_id, quarter.label, CITY]
                show = texts.parts if shown == "parts" else texts.value
                text = show(measure_id, quarter.label, CITY)
                rows.append((key, quarter.label, result.numerator, result.denominator, text))
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
    for item in CATALOGUE:
        entry = target_for(profile.versions(Target), item.measure_id, year.end)
        period = None if entry is None else entry.baseline_period
        chosen[item.measure_id] = previous if period is None else period.label
    return chosen


def framework_measures(
    results: Results, profile: Profile, year: FinancialYear, texts: FigureTexts
) -> pl.DataFrame:
    """The framework's measures for the year at city level: baseline, value, target and RAG.

    The baseline is the figure for the baseline period the profile's target
    entry names (see :func:`baseline_periods`); the target and the RAG status
    come from the profile's target in force at the year's end (blank where
    none is set). RAG is judged on the exact value, never the rounded one; a value
    hidden by disclosure control has its status hidden too ([c]).
    """
    baselines = baseline_periods(profile, year)
    rows = []
    for item in CATALOGUE:
        if item.element not in _FRAMEWORK:
            continue
        period = baselines[item.measure_id]
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
    figures = quarterly_figures(results, (before, current), texts)
    performance = performance_section(
        figures,
        [(key, label) for key, _, _, label in QUARTERLY_LINES],
        trend=_TREND,
        rate=("escalation_pct", "Escalation %"),
        intro=(
            f"Performance quarter by quarter over {before.label} and {current.label}. "
            "Cases, plans and children in care are counted open at the end of each "
            "quarter's last day; escalations and assessments are counted in the quarter."
        ),
        note="Escalated: cases closed as a step-up to social care over all cases closed "
        "in the quarter.",
    )
    measures = measures_section(
        framework_measures(results, prof, current, texts),
        intro=(
            f"The framework's measures for the city, {current.label}, beside each one's "
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
