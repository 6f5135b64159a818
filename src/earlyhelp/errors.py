"""The library's error base: every error user input can reach derives from it.

Catch :class:`EarlyHelpError` to handle any problem ``earlyhelp`` reports about
its input (a file, a frame, a profile, a record). Each subclass has a stable
``code`` that a program can switch on; the message is one line, may name ids,
rows, fields and files, and never contains a value read from the input.

Example:
    >>> import earlyhelp as eh
    >>> try:
    ...     eh.load("no-such-folder")
    ... except EarlyHelpError as error:
    ...     print(error.code, "|", error)
    load | no-such-folder: no such file or folder
"""

from __future__ import annotations

from typing import ClassVar

__all__ = ["EarlyHelpError"]


class EarlyHelpError(Exception):
    """Base of every error ``earlyhelp`` raises about its input.

    Attributes:
        code: a stable identifier of the kind of error, e.g. ``"load"`` or
            ``"profile"``; subclasses set their own.
    """

    code: ClassVar[str] = "earlyhelp"
