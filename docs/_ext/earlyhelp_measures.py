"""Generate one reference page per measure of ``earlyhelp.CATALOGUE`` at build time.

The pages are written into ``reference/measures/`` when the build starts (the
folder is not committed), so a measure's definition in the docs is always the
declaration in the code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

import earlyhelp as eh

_BASIS = {
    eh.measures.Basis.STOCK: "stock: open at the end of the period's last day "
    "(a record closed on that day is not open at its end)",
    eh.measures.Basis.FLOW: "flow: dated within the period, both ends inclusive",
}
_UNIT = {
    eh.measures.Unit.COUNT: "count",
    eh.measures.Unit.PERCENTAGE: "percentage: 100 x numerator / denominator",
    eh.measures.Unit.RATE_PER_10000: "rate per 10,000 children: 10,000 x numerator / denominator",
}
_POLARITY = {
    eh.measures.Polarity.HIGHER_IS_BETTER: "higher is better",
    eh.measures.Polarity.LOWER_IS_BETTER: "lower is better",
    eh.measures.Polarity.NEUTRAL: "neither: context for the other measures",
}


def _part(label: str, part: eh.measures.Part) -> list[str]:
    return [
        f"   * - {label}",
        f"     - {part.definition}. Table ``{part.table}``, placed in a period by "
        f"``{part.date}`` ({_BASIS[part.basis]}).",
    ]


def measure_rst(item: eh.measures.Measure) -> str:
    """The reStructuredText page of one measure."""
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
        f"     - {', '.join(level.value for level in item.levels)}",
        "   * - roll-up",
        "     - numerators and denominators are added from teams to localities to the "
        "city; percentages are never averaged",
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


def _index_rst() -> str:
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
    for item in eh.CATALOGUE:
        lines += [
            f"   * - :doc:`{item.measure_id} <measures/{item.measure_id}>`",
            f"     - {item.title}",
            f"     - {item.element.heading}",
            f"     - {item.unit.value}",
            f"     - {item.polarity.value.replace('_', ' ')}",
        ]
    return "\n".join(lines) + "\n"


def write_pages(app: Sphinx) -> None:
    """Write the measure pages and the catalogue table before the build reads sources."""
    folder = Path(app.srcdir) / "reference" / "measures"
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {f"{item.measure_id}.rst": measure_rst(item) for item in eh.CATALOGUE}
    for stale in folder.glob("*.rst"):
        if stale.name not in wanted:
            stale.unlink()
    for name, text in wanted.items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    table = Path(app.srcdir) / "reference" / "_catalogue_table.rst.inc"
    text = _index_rst()
    if not table.exists() or table.read_text(encoding="utf-8") != text:
        table.write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the page generator with Sphinx."""
    app.connect("builder-inited", write_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
