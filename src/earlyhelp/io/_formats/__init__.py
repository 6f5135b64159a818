"""Format readers: each turns a delivered export into ``earlyhelp``'s input tables.

Private until the package's ``earlyhelp.io`` subpackage exists; see
:func:`earlyhelp.io._formats._gather.gather` for how a path is recognised.
"""
