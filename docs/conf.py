"""Sphinx configuration for earlyhelp's documentation."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "earlyhelp"
author = "earlyhelp developers"
copyright = "2026, earlyhelp developers"

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "earlyhelp_tables",
    "earlyhelp_profiles",
    "earlyhelp_quality",
    "earlyhelp_measures",
    "earlyhelp_formats",
    "earlyhelp_names",
]

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {
    "members": True,
    "undoc-members": False,
    # Rule classes' from_reader constructors are the profile reader's internals.
    "exclude-members": "from_reader",
}
# Type aliases are documented as py:type entries in reference/api.rst.
autodoc_type_aliases = {
    "Calculator": "earlyhelp.measures.Calculator",
    "Members": "earlyhelp.measures._results.Members",
}
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False
napoleon_use_ivar = True  # attrs already documents each attribute once

# Nitpicky (sphinx-build -n in CI): every cross-reference must resolve. The docs
# build offline (no intersphinx), so types of the standard library and of
# third-party packages cannot resolve: ignore those, and only those. Our own
# names must all be documented.
nitpicky = True
_EXTERNAL = (
    r"(polars|pl|pandas|pd|pendulum|datetime|dt|os|pathlib|collections\.abc|typing|numpy|np|cattrs"
    r"|fractions|decimal|enum|matplotlib|attrs|io|random|collections)(\..+)?|Fraction|Decimal"
)
# Type variables (T, R, V, ...) are placeholders, not documented objects.
_TYPEVARS = r"(earlyhelp\.[a-z_.]+\.)?[A-Z]"
nitpick_ignore_regex = [(r"py:.*", _EXTERNAL), (r"py:.*", _TYPEVARS)]

html_theme = "furo"
html_title = "earlyhelp"
exclude_patterns = ["_build", "**/*.rst.inc"]
