"""Parsing XML safely: no DTD, so no entity expansion and nothing fetched from a network."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Final

from earlyhelp.errors import LoadError
from earlyhelp.io._readers import clean_name

__all__ = ["local_name", "parse_xml"]

_DECLARATION: Final = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def parse_xml(path: Path) -> ET.Element:
    """The root element of an XML file, refusing any DTD or entity declaration.

    A return never needs a DTD; refusing one rules out entity-expansion attacks
    ("billion laughs") and external entities, which the standard library's
    expat parser would otherwise process.

    Raises:
        LoadError: the file declares a DTD or an entity, or is not well-formed XML.

    Example:
        >>> import tempfile, pathlib
        >>> bad = pathlib.Path(tempfile.mkdtemp()) / "bomb.xml"
        >>> _ = bad.write_bytes(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aa">]><x>&a;</x>')
        >>> parse_xml(bad)
        Traceback (most recent call last):
        ...
        earlyhelp.errors.LoadError: bomb.xml: declares a DTD or entity (<!DOCTYPE or <!ENTITY); returns never need one, so it is refused
    """
    data = path.read_bytes()
    # Zero bytes removed, so that a declaration in UTF-16 or UTF-32 text is seen too.
    if _DECLARATION.search(data.replace(b"\x00", b"")):
        msg = (
            f"{clean_name(path.name)}: declares a DTD or entity (<!DOCTYPE or <!ENTITY); "
            "returns never need one, so it is refused"
        )
        raise LoadError(msg)
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        msg = f"{clean_name(path.name)}: not well-formed XML ({exc})"
        raise LoadError(msg) from None


def local_name(tag: str) -> str:
    """An element's name without its namespace (``{ns}Child`` -> ``Child``)."""
    return tag.rsplit("}", 1)[-1]
