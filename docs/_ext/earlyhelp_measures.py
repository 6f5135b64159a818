"""Generate one reference page per measure at build time, as a profile reports it.

The pages are written into ``reference/measures/`` when the build starts (the
folder is not committed), so a measure's definition in the docs is always the
declaration in the code, worded by the profile named in ``conf.py``
(``earlyhelp_profile``; the source report's framework by default): its dates in
force, citations, rule parameters and the names of its area and levels. A
council builds its own docs by naming its own profile there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

import earlyhelp as eh


def write_pages(app: Sphinx) -> None:
    """Write the measure pages and the catalogue table before the build reads sources."""
    profile = eh.load_profile(app.config.earlyhelp_profile)
    catalogue = eh.measures.catalogue_for(profile, eh.CATALOGUE)
    folder = Path(app.srcdir) / "reference" / "measures"
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {
        f"{item.measure_id}.rst": eh.measures.measure_page_rst(item, profile.names)
        for item in catalogue
    }
    for stale in folder.glob("*.rst"):
        if stale.name not in wanted:
            stale.unlink()
    for name, text in wanted.items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    table = Path(app.srcdir) / "reference" / "_catalogue_table.rst.inc"
    text = eh.measures.catalogue_table_rst(catalogue)
    if not table.exists() or table.read_text(encoding="utf-8") != text:
        table.write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the page generator with Sphinx."""
    app.add_config_value("earlyhelp_profile", "derby-2014-15", "env")
    app.connect("builder-inited", write_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
