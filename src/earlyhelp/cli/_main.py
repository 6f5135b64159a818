"""The ``earlyhelp`` command line.

One module per command group: ``_cli_data`` (demo, generate, validate),
``_cli_rules`` (rereferrals), ``_cli_measures`` (measures, compute) and
``_cli_report`` (report). This module builds the parser and turns every
expected failure into one line on standard error and an exit code.

Exit codes: 0 success; 1 the command ran and found problems in the data
(rejected rows or data-quality errors, ``validate``); 2 the command could not
run (bad arguments, a path that does not exist, an unknown profile, a malformed
file or profile, no rule in force).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from earlyhelp.cli._data import EXIT_OK, EXIT_REJECTED, add_data_commands
from earlyhelp.cli._measures import add_measure_commands
from earlyhelp.cli._output import CliError
from earlyhelp.cli._report import add_report_commands
from earlyhelp.cli._rules import add_rule_commands
from earlyhelp.errors import EarlyHelpError, NoRuleInForceError

__all__ = ["EXIT_ERROR", "EXIT_OK", "EXIT_REJECTED", "main"]

EXIT_ERROR = 2

EXIT_CODES = (
    "Exit codes: 0 success; 1 the data has problems (rows rejected or data-quality "
    "errors found); 2 the command could not run (bad arguments, missing path, "
    "no recognised table, unknown profile, malformed file, an output that cannot be "
    "written)."
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="earlyhelp",
        description="Load, validate, measure and report on early help data.",
        epilog=EXIT_CODES,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_data_commands(commands)
    add_rule_commands(commands)
    add_measure_commands(commands)
    add_report_commands(commands)
    return parser


def _fail(message: str) -> int:
    print(f"earlyhelp: error: {' '.join(message.split())}", file=sys.stderr)
    return EXIT_ERROR


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    Every failure is one line on standard error and exit code 2, never a
    traceback: the library's own errors (:class:`~earlyhelp.errors.EarlyHelpError`)
    and bad arguments with their message, a file that cannot be read or written
    with its name and the system's reason (a missing folder, a directory, a full
    disk), and anything unexpected by its kind alone, as its message might hold
    a value from the data.
    """
    args = _parser().parse_args(argv)
    try:
        code: int = args.run(args)
    except BrokenPipeError:  # pragma: no cover - e.g. `earlyhelp ... | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename is not None else ""
        return _fail(f"{where}{exc.strerror or type(exc).__name__}")
    except (EarlyHelpError, CliError, NoRuleInForceError) as exc:
        # The library's errors (argument errors such as periods included) are one
        # line that names no value from the data.
        return _fail(str(exc))
    except ValueError as exc:
        # A plain ValueError comes from outside the library's own checks: its text
        # may quote a value from the data, so only its kind is printed.
        return _fail(f"could not run: an invalid value ({type(exc).__name__}); please report it")
    except KeyboardInterrupt:
        return _fail("interrupted")
    except Exception as exc:
        return _fail(f"could not run: an unexpected {type(exc).__name__}; please report it")
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
