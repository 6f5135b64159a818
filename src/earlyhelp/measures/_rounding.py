"""Rounding policies: how an exact value becomes a published figure, once, at the end."""

from __future__ import annotations

import enum
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import attrs
import polars as pl

from earlyhelp.errors import FieldError

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
        raise FieldError("places", f"expected 0 or more, got {value}")


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

    def ratio_expr(self, numerator: pl.Expr, denominator: pl.Expr, *, scale: int = 1) -> pl.Expr:
        """The columnar twin of :meth:`format` for ``numerator * scale / denominator``.

        Whole-number columns are divided exactly in 128-bit integers and rounded
        by the same rule as :meth:`apply`, so the text is identical to
        ``format(Fraction(numerator * scale, denominator))`` row by row; a null
        or zero denominator gives null.

        Args:
            numerator: an integer expression.
            denominator: an integer expression.
            scale: 100 for a percentage, 10,000 for a rate per 10,000.

        Example:
            >>> frame = pl.DataFrame({"n": [127, 44, 52], "d": [160, 331, 0]})
            >>> policy = RoundingPolicy(Rounding.TRUNCATE, 1)
            >>> frame.select(policy.ratio_expr(pl.col("n"), pl.col("d"), scale=100)).to_series().to_list()
            ['79.3', '13.2', None]
        """
        unit = 10**self.places
        top = numerator.cast(pl.Int128) * (scale * unit)
        divisor: pl.Expr = pl.when(denominator != 0).then(denominator.cast(pl.Int128))
        negative = (top < 0) != (divisor < 0)
        top, bottom = top.abs(), divisor.abs()
        whole, remainder = top // bottom, top % bottom
        twice = 2 * remainder
        magnitude: pl.Expr
        if self.mode is Rounding.TRUNCATE:
            magnitude = whole
        elif self.mode is Rounding.HALF_UP:
            magnitude = whole + (twice >= bottom).cast(pl.Int128)
        else:
            up = (twice > bottom) | ((twice == bottom) & (whole % 2 == 1))
            magnitude = whole + up.cast(pl.Int128)
        sign: pl.Expr = pl.when(negative & (magnitude != 0)).then(pl.lit("-")).otherwise(pl.lit(""))
        head = (magnitude // unit).cast(pl.Utf8)
        if self.places == 0:
            return pl.concat_str(sign, head)
        tail = (magnitude % unit).cast(pl.Utf8).str.zfill(self.places)
        return pl.concat_str(sign, head, pl.lit("."), tail)
