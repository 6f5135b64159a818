"""The ``[[targets]]`` profile family: targets and baselines, by measure, dated and cited."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Final

import attrs

from earlyhelp.errors import ArgumentError, ProfileError
from earlyhelp.periods._periods import Period, parse_period
from earlyhelp.profiles._dating import Citation, Effective, in_force, overlapping_by_measure
from earlyhelp.profiles._header import read_header
from earlyhelp.profiles._reading import MAX_PLACES, Reader
from earlyhelp.profiles._registry import rule_family

__all__ = ["EVERY_MEASURE", "Comparison", "Target", "check_targets", "target_for"]

EVERY_MEASURE: Final = "*"
_MAX_TARGET: Final = Decimal(10**9)  # far beyond any count, rate or percentage
"""The measure id of an entry that applies to every measure without one of its own."""


class Comparison(enum.StrEnum):
    """How a value is compared with a target value to say whether the target is met."""

    BELOW = "below"
    AT_MOST = "at_most"
    AT_LEAST = "at_least"
    ABOVE = "above"

    def met(self, value: Fraction, target: Fraction) -> bool:
        """Whether ``value`` meets ``target`` under this comparison.

        Example:
            >>> Comparison.BELOW.met(Fraction(55, 10), Fraction(55, 10))
            False
            >>> Comparison.AT_MOST.met(Fraction(55, 10), Fraction(55, 10))
            True
        """
        if self is Comparison.BELOW:
            return value < target
        if self is Comparison.AT_MOST:
            return value <= target
        if self is Comparison.AT_LEAST:
            return value >= target
        return value > target

    @property
    def lower_is_better(self) -> bool:
        """Whether the comparison asks for a low value (``BELOW``, ``AT_MOST``)."""
        return self in (Comparison.BELOW, Comparison.AT_MOST)


_WORDS: Final = {
    Comparison.BELOW: "below",
    Comparison.AT_MOST: "at most",
    Comparison.AT_LEAST: "at least",
    Comparison.ABOVE: "above",
}


def _optional_decimal(value: Decimal | int | str | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def check_targets(targets: Sequence[Target]) -> list[str]:
    """Problems with a profile's targets: two entries for one measure in force on a day."""
    return overlapping_by_measure(targets)


@rule_family(
    "targets",
    summary="Targets and baselines, by measure.",
    check=check_targets,
)
@attrs.frozen(kw_only=True)
class Target:
    """A measure's target and baseline, as one dated, cited profile entry.

    An entry may carry a target (``comparison`` and ``value``, optionally ``due``),
    a baseline period, or both. Values are exact decimals on the measure's own
    scale (a percentage is 0 to 100).

    Attributes:
        rule_id: the entry's stable id.
        effective: the dates it is in force (chosen by the period's last day).
        citation: the strategy or plan that sets it.
        measure_id: the measure it applies to; ``"*"`` for every measure that
            has no entry of its own.
        comparison: how a value meets the target.
        value: the target value.
        due: the date the target is due by.
        baseline: the label of the baseline period, e.g. ``"2014-15"``.
        amber_within: how far on the wrong side of the target a value may be and
            still be amber rather than red (0: never amber).

    Example:
        >>> neet = Target(rule_id="T-NEET", effective=Effective(start=dt.date(2015, 4, 1)),
        ...               citation=Citation(document="NEET strategy 2015-16"),
        ...               measure_id="neet_rate", comparison=Comparison.BELOW,
        ...               value=Decimal("5.5"), due=dt.date(2016, 4, 30))
        >>> neet.describe()
        'below 5.5 by 30/04/2016'
        >>> neet.met(Fraction(59, 10)), neet.met(Fraction(54, 10))
        (False, True)
    """

    rule_id: str
    effective: Effective
    citation: Citation
    measure_id: str
    comparison: Comparison | None = None
    value: Decimal | None = attrs.field(default=None, converter=_optional_decimal)
    due: dt.date | None = None
    baseline: str | None = None
    amber_within: Decimal = attrs.field(default=Decimal(0), converter=Decimal)

    def __attrs_post_init__(self) -> None:
        if (self.comparison is None) != (self.value is None):
            problem = ("", "comparison and value go together")
            raise ProfileError(f"target {self.rule_id}", [problem])
        if self.comparison is None and self.baseline is None:
            problem = ("", "expected a target value, a baseline, or both")
            raise ProfileError(f"target {self.rule_id}", [problem])
        if self.amber_within < 0:
            problem = ("", "amber_within must be 0 or more")
            raise ProfileError(f"target {self.rule_id}", [problem])

    @property
    def has_target(self) -> bool:
        """Whether the entry sets a target value (not only a baseline)."""
        return self.comparison is not None

    @property
    def baseline_period(self) -> Period | None:
        """The baseline period, parsed."""
        return None if self.baseline is None else parse_period(self.baseline)

    def met(self, value: Fraction | int) -> bool:
        """Whether an exact value meets the target.

        Raises:
            ArgumentError: the entry sets no target value.
        """
        if self.comparison is None or self.value is None:
            msg = f"target {self.rule_id} sets a baseline only, no target value"
            raise ArgumentError(msg)
        return self.comparison.met(Fraction(value), Fraction(self.value))

    def describe(self) -> str:
        """The target in words, e.g. ``"below 5.5 by 30/04/2016"``."""
        if self.comparison is None:
            return f"baseline {self.baseline}"
        text = f"{_WORDS[self.comparison]} {self.value}"
        if self.due is not None:
            text += f" by {self.due.day:02d}/{self.due.month:02d}/{self.due.year}"
        return text

    @classmethod
    def from_reader(cls, reader: Reader) -> Target | None:
        """Read one entry from profile data; ``None`` if it has problems."""
        header = read_header(reader)
        measure_id = reader.text("measure")
        comparison = reader.choice("comparison", Comparison, None)
        value = _decimal(reader, "value", None)
        due = reader.date("due", None)
        baseline = reader.text("baseline", None)
        amber = _decimal(reader, "amber_within", Decimal(0))
        reader.finish()
        given_comparison, given_value = "comparison" in reader.data, "value" in reader.data
        ok = header is not None and measure_id is not None and amber is not None
        ok = ok and (comparison is not None or not given_comparison)
        ok = ok and (value is not None or not given_value)
        ok = ok and (baseline is not None or "baseline" not in reader.data)
        if given_comparison != given_value:
            reader.problem("value", "comparison and value go together: give both or neither")
            ok = False
        if not given_comparison and not given_value and "baseline" not in reader.data:
            reader.problem(None, "expected a target (comparison and value), a baseline, or both")
            ok = False
        if baseline is not None:
            try:
                parse_period(baseline)
            except ValueError as exc:
                reader.problem("baseline", str(exc))
                ok = False
        if amber is not None and amber < 0:
            reader.problem("amber_within", "expected a number of 0 or more")
            ok = False
        if not ok or header is None:
            return None
        return cls(
            **header,
            measure_id=measure_id,
            comparison=comparison,
            value=value,
            due=due,
            baseline=baseline,
            amber_within=amber,
        )


def _decimal(reader: Reader, key: str, default: Any) -> Any:
    """A number given as text (``"5.5"``, exact) or a whole number."""
    value = reader.raw(key, default)
    if value is None or value is default:
        return value
    if isinstance(value, bool) or not isinstance(value, int | str):
        reader.problem(key, 'expected a number in quotes, e.g. "5.5", or a whole number')
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        reader.problem(key, 'expected a number in quotes, e.g. "5.5", or a whole number')
        return None
    if not number.is_finite():
        reader.problem(key, "expected a finite number")
        return None
    if abs(number) > _MAX_TARGET or number.as_tuple().exponent < -MAX_PLACES:  # type: ignore[operator]
        reader.problem(
            key,
            f"expected a number from -{_MAX_TARGET:,} to {_MAX_TARGET:,}, "
            f"with at most {MAX_PLACES} decimal places",
        )
        return None
    return number


def target_for(targets: Sequence[Target], measure_id: str, day: dt.date) -> Target | None:
    """The entry for a measure in force on ``day``: its own, else the ``"*"`` entry.

    Args:
        targets: a profile's ``targets`` family.
        measure_id: the measure.
        day: the last day of the period judged.

    Example:
        >>> from earlyhelp.profiles._profile import load_profile
        >>> derby = load_profile("derby-2014-15")
        >>> target_for(derby.versions("targets"), "neet_rate", dt.date(2016, 3, 31)).describe()
        'below 5.5 by 30/04/2016'
        >>> target_for(derby.versions("targets"), "escalation_rate", dt.date(2015, 3, 31)).baseline
        '2014-15'
    """
    own = in_force([t for t in targets if t.measure_id == measure_id], day)
    if own is not None:
        return own
    return in_force([t for t in targets if t.measure_id == EVERY_MEASURE], day)
