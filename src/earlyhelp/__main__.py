"""``python -m earlyhelp``: the command line."""

import sys

from earlyhelp.cli._main import main

sys.exit(main())
