"""A measure's reference page, as a profile words it: the docs and the command line share it.

The documentation's measure pages and ``earlyhelp measures show`` are generated
from the catalogue as a profile reports it (:func:`catalogue_for`): the rule
parameters, the dates in force, the citation and the names of the area and its
levels are the profile's, never fixed text.
"""

from __future__ import annotations

from typing import Final

from earlyhelp.measures._catalogue import Basis, Catalogue, Measure, Part, Unit
from earlyhelp.measures._polarity import Polarity
from earlyhelp.profiles._framework import Names

__all__ = ["catalogue_table_rst", "describe_measure", "measure_page_rst"]

_BASIS: Final = {
    Basis.STOCK: "stock: open at the end of the period's last day "
    "(a record closed on that day is not open at its end)",
    Basis.FLOW: "flow: dated within the period, both ends inclusive",
}
_UNIT: Final = {
    Unit.COUNT: "count",
    Unit.PERCENTAGE: "percentage: 100 x numerator / denominator",
    Unit.RATE_PER_10000: "rate per 10,000 children: 10,000 x numerator / denominator",
}
_POLARITY: Final = {
    Polarity.HIGHER_IS_BETTER: "higher is better",
    Polarity.LOWER_IS_BETTER: "lower is better",
    Polarity.NEUTRAL: "neither: context for the other measures",
}


def _part(label: str, part: Part) -> list[str]:
    return [
        f"   * - {label}",
        f"     - {part.definition}. Table ``{part.table}``, placed in a period by "
        f"``{part.date}`` ({_BASIS[part.basis]}).",
    ]


def _levels(item: Measure, names: Names) -> str:
    return ", ".join(names.level(level.value) for level in item.levels)


def measure_page_rst(item: Measure, names: Names) -> str:
    """The reStructuredText reference page of one measure, in a profile's words.

    Args:
        item: the measure as the profile reports it (from :func:`catalogue_for`).
        names: the profile's names for its area and levels.

    Example:
        >>> from earlyhelp.measures import CATALOGUE, catalogue_for
        >>> from earlyhelp.profiles import load_profile
        >>> county = load_profile("northmoor")
        >>> item = catalogue_for(county, CATALOGUE)["rereferrals"]
        >>> page = measure_page_rst(item, county.names)
        >>> page.splitlines()[0]
        'Cases re-referred within 12 months of closure (``rereferrals``)'
        >>> "from teams to areas to the county" in page
        True
    """
    title = f"{item.title} (``{item.measure_id}``)"
    lines = [
        title,
        "=" * len(title),
        "",
        item.description,
        "",
        ".. list-table::",
        "   :widths: 22 78",
        "",
        "   * - element",
        f"     - {item.element.heading}",
        "   * - unit",
        f"     - {_UNIT[item.unit]}",
        *_part("numerator", item.numerator),
        *(_part("denominator", item.denominator) if item.denominator else []),
        "   * - polarity",
        f"     - {_POLARITY[item.polarity]}",
        "   * - breakdowns",
        f"     - {', '.join(item.breakdowns) or 'none'}",
        "   * - recorded at",
        f"     - {_levels(item, names)}",
        "   * - roll-up",
        f"     - numerators and denominators are added from {names.plural('team')} to "
        f"{names.plural('locality')} to the {names.area}; percentages are never averaged",
        "   * - data source",
        f"     - {item.source}",
        "   * - citation",
        f"     - {item.citation}",
        "   * - in force",
        f"     - {item.effective} (judged on each period's last day)",
        "",
        "A figure that cannot be computed is missing with its reason (no denominator, "
        "data awaited, not recorded at this level, table not supplied, not in force), "
        "never zero. Rounding is applied once, for presentation, by the profile's policy.",
        "",
    ]
    return "\n".join(lines)


def catalogue_table_rst(catalogue: Catalogue, *, folder: str = "measures") -> str:
    """The reStructuredText table of a catalogue's measures, each linking to its page.

    Example:
        >>> from earlyhelp.measures import CATALOGUE, catalogue_for
        >>> from earlyhelp.profiles import load_profile
        >>> table = catalogue_table_rst(catalogue_for(load_profile("derby-2014-15"), CATALOGUE))
        >>> "Cases re-referred within 3 months of closure" in table
        True
    """
    lines = [
        ".. list-table::",
        "   :header-rows: 1",
        "   :widths: 28 34 12 14 12",
        "",
        "   * - id",
        "     - measure",
        "     - element",
        "     - unit",
        "     - polarity",
    ]
    for item in catalogue:
        lines += [
            f"   * - :doc:`{item.measure_id} <{folder}/{item.measure_id}>`",
            f"     - {item.title}",
            f"     - {item.element.heading}",
            f"     - {item.unit.value}",
            f"     - {item.polarity.value.replace('_', ' ')}",
        ]
    return "\n".join(lines) + "\n"


def describe_measure(item: Measure, names: Names) -> str:
    """A measure's definition as lines of text, as ``earlyhelp measures show`` prints it.

    Example:
        >>> from earlyhelp.measures import CATALOGUE, catalogue_for
        >>> from earlyhelp.profiles import load_profile
        >>> county = load_profile("northmoor")
        >>> text = describe_measure(catalogue_for(county, CATALOGUE)["rereferral_rate"], county.names)
        >>> print(text.splitlines()[0])
        rereferral_rate: Re-referral rate (share of cases opened)
        >>> print([line for line in text.splitlines() if "levels" in line][0])
          levels:      team, area, county
    """
    lines = [
        f"{item.measure_id}: {item.title}",
        f"  element:     {item.element.heading}",
        f"  unit:        {item.unit.value.replace('_', ' ')}",
        f"  polarity:    {item.polarity.value.replace('_', ' ')}",
        f"  description: {item.description}",
        f"  numerator:   {item.numerator.definition} "
        f"({item.numerator.table}, {item.numerator.basis.value} on {item.numerator.date})",
    ]
    if item.denominator is not None:
        part = item.denominator
        lines.append(
            f"  denominator: {part.definition} ({part.table}, {part.basis.value} on {part.date})"
        )
    lines += [
        f"  levels:      {_levels(item, names)}",
        f"  breakdowns:  {', '.join(item.breakdowns) or '(none)'}",
        f"  source:      {item.source}",
        f"  citation:    {item.citation}",
        f"  in force:    {item.effective}",
    ]
    return "\n".join(lines)
