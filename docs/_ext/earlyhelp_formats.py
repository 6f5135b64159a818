"""Sphinx directives rendering the format readers' mappings from the code.

``.. earlyhelp-ssd-fields::`` renders :data:`earlyhelp.io.SSD_FIELDS` (each SSD
table and field read, and where it goes); ``.. earlyhelp-formats::`` lists the
formats ``earlyhelp.load`` recognises; ``.. earlyhelp-annex-a::`` the Annex A
lists read. The docs therefore cannot disagree with what the readers do.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

import earlyhelp as eh


def _cell(text: str) -> str:
    return text.replace("|", "\\|") or "\\-"


def ssd_rst() -> list[str]:
    """One table per SSD table: field -> where it goes."""
    lines: list[str] = []
    for table, fields in eh.io.SSD_FIELDS.items():
        lines += [
            f"``{table}``",
            "^" * (len(table) + 4),
            "",
            ".. list-table::",
            "   :header-rows: 1",
            "   :widths: 35 65",
            "",
            "   * - SSD field",
            "     - read into",
        ]
        for field, target in fields.items():
            lines += [f"   * - ``{field}``", f"     - {_cell(target)}"]
        lines.append("")
    closures = ", ".join(
        f"``{local}`` -> ``{code}``" for local, code in eh.io.CLOSURE_CROSSWALK.items()
    )
    lines += [
        "Early help closure reasons are read through this crosswalk (matched without",
        "regard to case or spacing), with the profile's",
        "``[mapping.codes.cases.closure_reason]`` entries taking precedence: " + closures + ".",
        "",
    ]
    return lines


def annex_a_rst() -> list[str]:
    """The Annex A lists read and the headers each column is read from."""
    lines = [".. list-table::", "   :header-rows: 1", "   :widths: 10 50 40", ""]
    lines += ["   * - list", "     - Ofsted header", "     - read into"]
    for number, columns in eh.io.LIST_COLUMNS.items():
        for header, column in columns.items():
            lines += [f"   * - {number}", f"     - {_cell(header)}", f"     - ``{column}``"]
    return [*lines, ""]


class _Generated(SphinxDirective):
    source = ""

    def lines(self) -> list[str]:
        """The generated reStructuredText, one line per item."""
        raise NotImplementedError

    def run(self) -> list[nodes.Node]:
        """Parse the generated reStructuredText into the document."""
        container = nodes.section()
        container.document = self.state.document
        self.state.nested_parse(
            StringList(self.lines(), source=self.source), 0, container, match_titles=True
        )
        return list(container.children)


class SsdFields(_Generated):
    """``.. earlyhelp-ssd-fields::``."""

    source = "earlyhelp.io.SSD_FIELDS"

    def lines(self) -> list[str]:
        """The SSD field mapping's reStructuredText."""
        return ssd_rst()


class AnnexALists(_Generated):
    """``.. earlyhelp-annex-a::``."""

    source = "earlyhelp.io.LIST_COLUMNS"

    def lines(self) -> list[str]:
        """The Annex A lists' reStructuredText."""
        return annex_a_rst()


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directives."""
    app.add_directive("earlyhelp-ssd-fields", SsdFields)
    app.add_directive("earlyhelp-annex-a", AnnexALists)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
