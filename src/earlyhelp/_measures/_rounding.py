"""Rounding policies: how an exact value becomes a published figure, once, at the end."""

from __future__ import annotations

import enum
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import attrs

__all__ = ["Rounding", "RoundingPolicy"]


class Rounding(enum.StrEnum):
    """How the digit after the last kept place is treated.

    ``TRUNCATE`` drops it (towards zero: 79.375 becomes 79.3), ``HALF_UP`` rounds a
    half away from zero (79.375 becomes 79.4), ``HALF_EVEN`` rounds a half to the
    even neighbour (banker's rounding: 80.625 becomes 80.62 at two places).
    """

    TRUNCATE = "truncate"
    HALF_UP = "half_up"
    HALF_EVEN = "half_even"


_DECIMAL_MODES = {
    Rounding.TRUNCATE: ROUND_DOWN,
    Rounding.HALF_UP: ROUND_HALF_UP,
    Rounding.HALF_EVEN: ROUND_HALF_EVEN,
}


def _non_negative(_inst: object, _attr: object, value: int) -> None:
    if value < 0:
        msg = f"places: expected 0 or more, got {value}"
        raise ValueError(msg)


@attrs.frozen
class RoundingPolicy:
    """A rounding mode and a number of decimal places, applied to an exact value.

    The value is exact (a :class:`~fractions.Fraction`) until this policy turns it
    into a :class:`~decimal.Decimal` with exactly ``places`` digits after the point;
    the rounding is done on the exact fraction, never on a float or an already
    rounded figure.

    Attributes:
        mode: the :class:`Rounding` mode.
        places: digits kept after the decimal point.

    Example:
        >>> from fractions import Fraction
        >>> survey = Fraction(127, 160) * 100          # 79.375 exactly
        >>> RoundingPolicy(Rounding.TRUNCATE, 1).apply(survey)
        Decimal('79.3')
        >>> RoundingPolicy(Rounding.HALF_UP, 1).apply(survey)
        Decimal('79.4')
        >>> RoundingPolicy(Rounding.HALF_EVEN, 2).apply(Fraction(80625, 1000))
        Decimal('80.62')
        >>> RoundingPolicy(Rounding.TRUNCATE, 1).format(Fraction(-44, 331) * 100)
        '-13.2'
    """

    mode: Rounding = attrs.field(converter=Rounding)
    places: int = attrs.field(default=1, validator=_non_negative)

    def apply(self, value: Fraction | int) -> Decimal:
        """The value rounded to ``places`` digits by ``mode``.

        Args:
            value: an exact value.

        Returns:
            A Decimal with exactly ``places`` digits after the point.
        """
        exact = Fraction(value)
        quantum = Decimal(1).scaleb(-self.places)
        # Scale so the kept digits are an integer part, round that exactly, and
        # scale back: no float and no intermediate rounding ever touches the value.
        scaled = exact * 10**self.places
        whole, remainder = divmod(scaled.numerator, scaled.denominator)
        with localcontext() as context:
            context.prec = max(28, len(str(abs(whole))) + self.places + 2)
            # `remainder / denominator` is in [0, 1); compare it with a half exactly.
            head = Decimal(whole)
            twice = 2 * remainder
            if remainder == 0:
                rounded = head
            elif self.mode is Rounding.TRUNCATE:
                rounded = head if whole >= 0 else head + 1
            elif twice > scaled.denominator:
                rounded = head + 1
            elif twice < scaled.denominator:
                rounded = head
            elif self.mode is Rounding.HALF_UP:
                rounded = head + 1 if whole >= 0 else head
            else:
                rounded = head + 1 if whole % 2 else head
            return (rounded * quantum).quantize(quantum, rounding=_DECIMAL_MODES[self.mode])

    def format(self, value: Fraction | int) -> str:
        """The rounded value as text, with exactly ``places`` digits after the point."""
        return str(self.apply(value))
