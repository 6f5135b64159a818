"""The ``earlyhelp`` command line: load, validate, measure and publish.

Exit codes: 0 ok, 1 problems found in the data, 2 could not run.
"""

from earlyhelp.cli._main import EXIT_ERROR, EXIT_OK, EXIT_REJECTED, main

__all__ = ["EXIT_ERROR", "EXIT_OK", "EXIT_REJECTED", "main"]
