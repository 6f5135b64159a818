"""Statistical disclosure control policies and the GSS symbols for hidden values."""

from __future__ import annotations

import enum
from typing import Final

import attrs

from earlyhelp.errors import FieldError

__all__ = ["SYMBOLS", "Disclosure", "DisclosurePolicy", "Symbol"]


class Symbol(enum.StrEnum):
    """The Government Statistical Service's shorthand for a value not shown.

    The symbols are the GSS "symbols in tables" ones, in square brackets so that
    no symbol can be read as a number or a footnote marker.
    """

    CONFIDENTIAL = "[c]"
    """Hidden to protect confidentiality (suppressed)."""
    NOT_AVAILABLE = "[x]"
    """The figure is not available (no denominator, data awaited)."""
    NOT_APPLICABLE = "[z]"
    """The figure does not apply (a count has no denominator)."""
    LOW = "[low]"
    """Not zero, but rounds to zero at the places shown."""


SYMBOLS: Final[dict[str, str]] = {
    Symbol.CONFIDENTIAL.value: "confidential: hidden to protect confidentiality",
    Symbol.NOT_AVAILABLE.value: "not available",
    Symbol.NOT_APPLICABLE.value: "not applicable",
    Symbol.LOW.value: "low: more than zero, but rounds to zero",
}
"""Each symbol a published table may carry, with its meaning for the table's notes."""


class Disclosure(enum.StrEnum):
    """How small counts are protected in published output."""

    NONE = "none"
    """Publish every count as it is (internal reports)."""
    SUPPRESS = "suppress"
    """Replace small counts, and every figure derived from them, by ``[c]``."""
    ROUND = "round"
    """Round every count to the nearest multiple of a base; derive figures from the rounded counts."""


def _positive(_inst: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 1:
        raise FieldError(attribute.name, f"expected a whole number of 1 or more, got {value}")


def _derived(_inst: object, _attr: object, value: bool) -> None:
    if not value:
        msg = (
            "must be true; a percentage or rate shown beside its "
            "denominator gives away the suppressed count it was derived from"
        )
        raise FieldError("suppress_derived", msg)


@attrs.frozen(kw_only=True)
class DisclosurePolicy:
    """A statistical disclosure control policy for published output.

    Attributes:
        method: the :class:`Disclosure` method.
        threshold: with ``SUPPRESS``, counts below this are suppressed (a
            threshold of 6 suppresses 1 to 5).
        suppress_zero: with ``SUPPRESS``, whether a zero count is suppressed too
            (DfE statistics publish zeros; a zero is suppressed where "none" would
            itself disclose something).
        base: with ``ROUND``, the base counts are rounded to (halves round up).
        suppress_derived: percentages and rates whose numerator or denominator is
            suppressed are suppressed too. Always true: the alternative lets a
            reader recover the suppressed count.
        name: the policy's name, for the published table's notes.

    Example:
        >>> policy = DisclosurePolicy(method=Disclosure.SUPPRESS, threshold=5)
        >>> [policy.hides(count) for count in (0, 4, 5)]
        [False, True, False]
        >>> DisclosurePolicy(method=Disclosure.ROUND, base=5).rounded(12)
        10
        >>> print(DisclosurePolicy(method=Disclosure.SUPPRESS, threshold=6).describe())
        counts from 1 to 5 are suppressed ([c]), with the percentages and rates derived from them, and further figures where a total would give a suppressed one away
    """

    method: Disclosure = attrs.field(converter=Disclosure)
    threshold: int = attrs.field(default=5, validator=_positive)
    suppress_zero: bool = False
    base: int = attrs.field(default=5, validator=_positive)
    suppress_derived: bool = attrs.field(default=True, validator=_derived)
    name: str = ""

    def hides(self, count: int) -> bool:
        """Whether this policy suppresses ``count`` (only ``SUPPRESS`` does)."""
        if self.method is not Disclosure.SUPPRESS:
            return False
        return count < self.threshold and (count != 0 or self.suppress_zero)

    @property
    def smallest_cohort(self) -> int:
        """The fewest members a published average or chart of a cohort may have.

        The threshold under ``SUPPRESS`` and ``ROUND`` (an average of fewer
        would disclose them); 1 with no disclosure control.

        Example:
            >>> DisclosurePolicy(method=Disclosure.SUPPRESS, threshold=5).smallest_cohort
            5
        """
        return 1 if self.method is Disclosure.NONE else self.threshold

    def rounded(self, count: int) -> int:
        """``count`` as published: rounded to ``base`` under ``ROUND``, else as it is."""
        if self.method is not Disclosure.ROUND:
            return count
        whole, remainder = divmod(abs(count), self.base)
        magnitude = (whole + (2 * remainder >= self.base)) * self.base
        return magnitude if count >= 0 else -magnitude

    def describe(self) -> str:
        """The policy in a sentence, for a published table's notes."""
        if self.method is Disclosure.NONE:
            return "no disclosure control: every count is shown"
        if self.method is Disclosure.ROUND:
            return (
                f"counts are rounded to the nearest {self.base}; percentages and rates "
                "are derived from the rounded counts"
            )
        low = 0 if self.suppress_zero else 1
        return (
            f"counts from {low} to {self.threshold - 1} are suppressed ({Symbol.CONFIDENTIAL}), "
            "with the percentages and rates derived from them, and further figures where a "
            "total would give a suppressed one away"
        )
