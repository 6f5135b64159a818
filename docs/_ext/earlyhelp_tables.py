"""A Sphinx directive that renders the input table schemas from ``earlyhelp.SCHEMAS``.

The reference for each input table is generated from the declarations in the
code, so the docs can never disagree with what the loader accepts.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

import earlyhelp as eh

_KIND_TEXT = {
    eh.io.Kind.ID: "id",
    eh.io.Kind.TEXT: "text",
    eh.io.Kind.FREE_TEXT: "free text (personal data)",
    eh.io.Kind.DATE: "date",
    eh.io.Kind.INT: "whole number",
    eh.io.Kind.BOOL: "yes/no",
    eh.io.Kind.CODE: "code",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|") or "\\-"


def table_rst(schema: eh.io.TableSchema) -> list[str]:
    """The reStructuredText for one table's reference section."""
    lines = [
        schema.name,
        "-" * len(schema.name),
        "",
        schema.description,
        "",
        f"Key: {', '.join(f'``{k}``' for k in schema.key) or 'none'}.",
        "",
        ".. list-table::",
        "   :header-rows: 1",
        "   :widths: 18 12 8 36 26",
        "",
        "   * - column",
        "     - kind",
        "     - required",
        "     - meaning",
        "     - also read from",
    ]
    for column in schema.columns:
        meaning = column.description
        if column.codes:
            meaning += " Codes: " + ", ".join(f"``{code}``" for code in column.codes) + "."
        if column.minimum is not None or column.maximum is not None:
            low = "" if column.minimum is None else f"from {column.minimum} "
            high = "" if column.maximum is None else f"to {column.maximum}"
            meaning += f" Accepted {low}{high}".rstrip() + "."
        aliases = ", ".join(f"``{alias}``" for alias in column.aliases)
        lines += [
            f"   * - ``{column.name}``",
            f"     - {_KIND_TEXT[column.kind]}{', categorical' if column.categorical else ''}",
            f"     - {'yes' if column.required else 'no'}",
            f"     - {_cell(meaning)}",
            f"     - {_cell(aliases)}",
        ]
    if schema.rules:
        lines += ["", "Row rules:", ""]
        lines += [
            f"* ``{rule.code}`` (reported on ``{rule.fields[0]}``; reads "
            f"{', '.join(f'``{f}``' for f in rule.fields)})"
            for rule in schema.rules
        ]
    lines.append("")
    return lines


class InputTables(SphinxDirective):
    """``.. earlyhelp-tables::`` renders every table in ``earlyhelp.SCHEMAS``."""

    def run(self) -> list[nodes.Node]:
        """Parse the generated reStructuredText into the document."""
        lines: list[str] = []
        for schema in eh.io.SCHEMAS.values():
            lines += table_rst(schema)
        container = nodes.section()
        container.document = self.state.document
        self.state.nested_parse(
            StringList(lines, source="earlyhelp.SCHEMAS"), 0, container, match_titles=True
        )
        return list(container.children)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directive."""
    app.add_directive("earlyhelp-tables", InputTables)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
