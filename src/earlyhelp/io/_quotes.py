r"""Stray quotes in CSV files: a quote that opens a value and never closes it.

A CSV value may hold line breaks when it is quoted, so a quote that opens a
value by mistake (``1,"abc,2014-01-01``) makes a parser read every following
line into that one value, until some later quote closes it: one bad cell
swallows the rest of the file. :func:`mend_stray_quotes` finds such quotes
before the file is parsed and makes each line that holds one read literally
(its quotes are then part of its values), so only that row can be wrong: it is
read as written, or rejected as ragged, and the following rows read normally.

A quoted value that really spans lines is kept: a line with an odd number of
quotes starts a multi-line value only if, joined with the lines up to the next
line with an odd number of quotes, it parses strictly as one record with as
many fields as the header. Each line is looked at a bounded number of times,
so the work stays linear in the file's size.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Final

__all__ = ["mend_stray_quotes"]

# Every byte but quotes and line breaks, deleted to find a line with an odd number of
# quotes: what is left of it is a run of quotes of odd length.
_NOT_QUOTE_OR_BREAK: Final = bytes(b for b in range(256) if b not in b'"\r\n')
_ODD_RUN: Final = re.compile(rb'(?<!")"(?:"")*(?!")')
_LINE: Final = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_ENDING: Final = re.compile(r"(?:\r\n|\r|\n)\Z")


def _records(text: str) -> list[list[str]] | None:
    """The records of ``text`` read strictly, or ``None`` if it is not well-formed CSV."""
    try:
        return list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error:  # a quote not at a value's edge, a value too long, a NUL
        return None


def _literal(line: str) -> str:
    """``line`` rewritten so that a CSV parser reads its quotes as characters."""
    ending = _ENDING.search(line)
    body, end = (line[: ending.start()], ending.group()) if ending else (line, "")
    return ",".join('"' + value.replace('"', '""') + '"' for value in body.split(",")) + end


def mend_stray_quotes(data: bytes) -> bytes:
    r"""UTF-8 CSV bytes with each line that holds a stray quote made literal.

    Bytes with no line holding an odd number of quotes are returned as they are
    (the usual case, found by one regular-expression scan).

    Example:
        >>> def rows(data: bytes) -> list[list[str]]:
        ...     return list(csv.reader(io.StringIO(data.decode(), newline="")))
        >>> rows(mend_stray_quotes(b'id,name\n1,"ab\n2,cd\n'))
        [['id', 'name'], ['1', '"ab'], ['2', 'cd']]
        >>> mend_stray_quotes(b'id,address\n1,"12 High St\nDerby"\n2,x\n')
        b'id,address\n1,"12 High St\nDerby"\n2,x\n'
    """
    if b'"' not in data or _ODD_RUN.search(data.translate(None, _NOT_QUOTE_OR_BREAK)) is None:
        return data
    lines = _LINE.findall(data.decode("utf-8"))
    width: int | None = None
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.count('"') % 2 == 0:
            if width is None:
                first = _records(line)
                width = len(first[0]) if first else None
            out.append(line)
            i += 1
            continue
        end = i + 1
        while end < len(lines) and lines[end].count('"') % 2 == 0:
            end += 1
        if end < len(lines):  # lines[end] closes what lines[i] opened, if it is one record
            chunk = "".join(lines[i : end + 1])
            records = _records(chunk)
            if records is not None and len(records) == 1 and width in (None, len(records[0])):
                width = len(records[0])
                out.append(chunk)
                i = end + 1
                continue
        out.append(_literal(line))
        i += 1
    return "".join(out).encode("utf-8")
