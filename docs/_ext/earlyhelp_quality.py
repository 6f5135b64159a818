"""A Sphinx directive that lists the data-quality rules from ``earlyhelp.QUALITY_RULES``."""

from __future__ import annotations

from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

import earlyhelp as eh


def rules_rst() -> list[str]:
    """A list-table of every data-quality rule."""
    lines = [
        ".. list-table::",
        "   :header-rows: 1",
        "   :widths: 8 8 34 12 18 20",
        "",
        "   * - code",
        "     - severity",
        "     - finds",
        "     - table",
        "     - fields",
        "     - message",
    ]
    for rule in eh.rules.QUALITY_RULES:
        message = rule.message.replace("{", "``{").replace("}", "}``")
        lines += [
            f"   * - {rule.code}",
            f"     - {rule.severity.value}",
            f"     - {rule.title}",
            f"     - ``{rule.table}``",
            "     - " + ", ".join(f"``{field}``" for field in rule.fields),
            f"     - {message}",
        ]
    return [*lines, ""]


class QualityRules(SphinxDirective):
    """``.. earlyhelp-quality-rules::`` renders every data-quality rule."""

    def run(self) -> list[nodes.Node]:
        """Parse the generated reStructuredText into the document."""
        container = nodes.section()
        container.document = self.state.document
        self.state.nested_parse(
            StringList(rules_rst(), source="earlyhelp.QUALITY_RULES"), 0, container
        )
        return list(container.children)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directive."""
    app.add_directive("earlyhelp-quality-rules", QualityRules)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
