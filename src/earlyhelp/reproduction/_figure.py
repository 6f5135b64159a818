"""One published figure of the source report, beside the figure the library computes."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import attrs

__all__ = ["Figure", "same_figure"]

_NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?")


def _number(text: str) -> Decimal | None:
    found = _NUMBER.search(text)
    if found is None:
        return None
    try:
        return Decimal(found.group().replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern only matches numbers
        return None


def same_figure(published: str, computed: str) -> bool:
    """Whether two printed figures state the same number (``80%`` and ``80.0%`` do).

    Figures with no number at all (``Awaiting data``) match when their words do.

    Example:
        >>> same_figure("80%", "80.0%"), same_figure("79.3%", "79.4%")
        (True, False)
        >>> same_figure("Awaiting data", ""), same_figure("Awaiting data", "awaiting data")
        (False, True)
    """
    left, right = _number(published), _number(computed)
    if left is None and right is None:
        return published.strip().casefold() == computed.strip().casefold() != ""
    return left is not None and right is not None and left == right


@attrs.frozen(kw_only=True)
class Figure:
    """A figure the source report publishes, and the library's recomputation of it.

    Attributes:
        figure: what the figure is, e.g. ``"Escalation % 2014-15 Q1"``.
        section: the report section that prints it.
        published: the figure exactly as printed.
        computed: the library's figure, formatted under the profile's rounding policy
            (empty when the report prints nothing to compute it from).
        match: whether ``published`` and ``computed`` state the same number.
        note: where the report is wrong or ambiguous, what and why.
        derivation: how ``computed`` was derived (numerator, denominator, rule).
    """

    figure: str
    section: str
    published: str
    computed: str
    match: bool
    note: str = ""
    derivation: str = ""

    @classmethod
    def compare(
        cls,
        figure: str,
        section: str,
        published: str,
        computed: str,
        *,
        note: str = "",
        derivation: str = "",
    ) -> Figure:
        """A figure whose ``match`` is worked out with ``same_figure`` (a number matches a number of the same value).

        Example:
            >>> Figure.compare("Treated with respect", "2", "79.3%", "79.3%").match
            True
        """
        return cls(
            figure=figure,
            section=section,
            published=published,
            computed=computed,
            match=same_figure(published, computed),
            note=note,
            derivation=derivation,
        )
