"""``python -m earlyhelp``: the command line."""

import sys

from earlyhelp._cli import main

sys.exit(main())
