"""The bundled demo data, loaded once per test process, and its annual report, built once.

Loading the demo's 22 tables takes most of a second and building its 2014-15
report under ``derby-2014-15`` a second or two; dozens of tests only read them,
so they share these copies instead of each module (or test) making its own.
Under pytest-xdist each worker process makes its own. Both are read-only: a
``Dataset`` hands out polars frames and has no setter, and a ``Report`` is frozen.
"""

from __future__ import annotations

import functools

import earlyhelp as eh
from earlyhelp.report import Report, build_annual_report


@functools.cache
def demo_dataset() -> eh.Dataset:
    """``eh.load(eh.demo_path())``, shared."""
    return eh.load(eh.demo_path())


@functools.cache
def demo_report() -> Report:
    """The demo's 2014-15 annual report under ``derby-2014-15``, shared."""
    return build_annual_report(demo_dataset(), profile="derby-2014-15", year="2014-15")
