"""earlyhelp: measure what English councils' early help services achieve.

The top level holds the everyday entry points: load a council's export, read
its profile, judge a record or a whole table, compute the framework's measures
and publish the annual report. Everything else is public in the layer it
belongs to, each a subpackage with its own ``__all__``:

* :mod:`earlyhelp.periods`, :mod:`earlyhelp.model`, :mod:`earlyhelp.errors`:
  financial periods and windows; the typed domain classes; every error.
* :mod:`earlyhelp.io`: schemas, readers, validation and :class:`Dataset`.
* :mod:`earlyhelp.profiles`: profiles and the registry of rule families.
* :mod:`earlyhelp.rules`: threshold levels, re-referrals, escalation, data quality.
* :mod:`earlyhelp.instruments`, :mod:`earlyhelp.cohorts`: spider graphs,
  surveys, audits, NEET and centres; cohort analyses.
* :mod:`earlyhelp.measures`: the catalogue, the engine, roll-up and presentation.
* :mod:`earlyhelp.report`, :mod:`earlyhelp.reproduction`, :mod:`earlyhelp.demo`,
  :mod:`earlyhelp.cli`: reports, the source report reproduced, demo data and
  the command line.

Modules whose names start with an underscore are private and may change
without notice.
"""

from earlyhelp.cohorts import is_preceded_by_early_help, prior_early_help
from earlyhelp.demo import demo_path, generate_demo, write_demo
from earlyhelp.errors import EarlyHelpError
from earlyhelp.io import Dataset, LoadReport, load
from earlyhelp.measures import (
    Missing,
    Result,
    Results,
    caseload_summary,
    compute,
    present,
    publish,
    roll_up_returns,
)
from earlyhelp.measures._shipped import CATALOGUE, measure
from earlyhelp.periods import FinancialYear, Quarter, parse_period
from earlyhelp.profiles import Profile, load_profile, profile_names
from earlyhelp.report import build_annual_report, write_html, write_markdown
from earlyhelp.reproduction import reproduce_source_report
from earlyhelp.rules import (
    Decision,
    check_quality,
    classify,
    flag_levels,
    flag_rereferrals,
    flag_step_downs,
    flag_step_ups,
    is_rereferral,
    is_step_down,
    is_step_up,
)

__version__ = "0.1.0.dev0"

__all__ = [
    "CATALOGUE",
    "Dataset",
    "Decision",
    "EarlyHelpError",
    "FinancialYear",
    "LoadReport",
    "Missing",
    "Profile",
    "Quarter",
    "Result",
    "Results",
    "__version__",
    "build_annual_report",
    "caseload_summary",
    "check_quality",
    "classify",
    "compute",
    "demo_path",
    "flag_levels",
    "flag_rereferrals",
    "flag_step_downs",
    "flag_step_ups",
    "generate_demo",
    "is_preceded_by_early_help",
    "is_rereferral",
    "is_step_down",
    "is_step_up",
    "load",
    "load_profile",
    "measure",
    "parse_period",
    "present",
    "prior_early_help",
    "profile_names",
    "publish",
    "reproduce_source_report",
    "roll_up_returns",
    "write_demo",
    "write_html",
    "write_markdown",
]
