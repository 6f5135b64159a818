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
]

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "undoc-members": False}
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False
napoleon_use_ivar = True  # attrs already documents each attribute once

html_theme = "furo"
html_title = "earlyhelp"
exclude_patterns = ["_build", "**/*.rst.inc"]
