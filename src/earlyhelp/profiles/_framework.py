"""A council's framework, as profile data: its names, the measures it reports, its quarterly table.

Three parts of a profile say what a council's framework *is*, rather than how a
rule judges a record:

* ``[names]``: what the council calls its area and the levels below it
  (``area = "city"``, ``locality = "locality"``, ``team = "team"``) and the
  area's own name (``area_name = "Derby"``). Reports, generated docs and the
  command line use these words.
* ``[[measures]]``: the measures it reports, each with the dates it is in force
  and the council's citation (an entry for ``measure = "*"`` reports every
  catalogue measure that has no entry of its own). A profile with no entry
  reports every catalogue measure under the catalogue's own dates.
* ``[[quarterly]]``: the lines of its quarterly performance table, dated and
  cited; a profile without one gets a table generated from the measures it
  reports.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Final

import attrs

from earlyhelp.profiles._dating import Citation, Effective, overlapping_by_measure
from earlyhelp.profiles._header import read_header
from earlyhelp.profiles._reading import Reader
from earlyhelp.profiles._registry import rule_family

__all__ = [
    "ALL_MEASURES",
    "Chart",
    "MeasureEntry",
    "Names",
    "QuarterlyLine",
    "QuarterlyTable",
    "Shown",
    "check_measure_entries",
    "measure_entry_for",
]

ALL_MEASURES: Final = "*"
"""The ``measure`` of a ``[[measures]]`` entry for every measure without an entry of its own."""


@attrs.frozen(kw_only=True)
class Names:
    """What a council calls its area and the levels below it.

    Attributes:
        area: the word for the whole area (``"city"``, ``"borough"``, ``"county"``).
        locality: the word for its parts (``"locality"``, ``"area"``, ``"district"``).
        team: the word for a team.
        area_name: the area's own name (``"Derby"``), if given.
        survey: the name of the client survey (``"How Was It For You"``).
        spider: the name of one distance-travelled graph (``"spider graph"``,
            ``"outcome star"``), lower case.

    Example:
        >>> names = Names(area="county", locality="area", area_name="Northmoor")
        >>> names.level("city"), names.level("locality"), names.plural("locality")
        ('county', 'area', 'areas')
        >>> names.the_area
        'Northmoor'
        >>> Names().the_area
        'the city'
    """

    area: str = "city"
    locality: str = "locality"
    team: str = "team"
    area_name: str | None = None
    survey: str = "How Was It For You"
    spider: str = "spider graph"

    def level(self, level: str) -> str:
        """The council's word for an organisation level (``"team"``, ``"locality"``, ``"city"``)."""
        return {"team": self.team, "locality": self.locality, "city": self.area}.get(level, level)

    def plural(self, level: str) -> str:
        """The plural of :meth:`level`, e.g. ``"localities"``, ``"areas"``."""
        return plural(self.level(level))

    @property
    def the_area(self) -> str:
        """The area by name (``"Derby"``), else ``"the city"`` in the council's word."""
        return self.area_name if self.area_name else f"the {self.area}"

    @classmethod
    def from_reader(cls, reader: Reader) -> Names:
        """Read the ``[names]`` table; a key left out keeps its default."""
        default = cls()
        words = {
            key: reader.text(key, getattr(default, key))
            for key in ("area", "locality", "team", "area_name", "survey", "spider")
        }
        reader.finish()
        for key, value in words.items():
            if isinstance(value, str) and not value.strip():
                reader.problem(key, "expected a word, not blank text")
        if any(value is None for key, value in words.items() if key != "area_name"):
            return default
        return cls(**{key: (value.strip() if value else value) for key, value in words.items()})


def plural(word: str) -> str:
    """An English plural of a word or phrase (its last word), e.g. ``"localities"``.

    Example:
        >>> plural("locality"), plural("area"), plural("outcome star"), plural("day")
        ('localities', 'areas', 'outcome stars', 'days')
    """
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + ("es" if word.endswith(("s", "x", "ch", "sh")) else "s")


def check_measure_entries(entries: Sequence[MeasureEntry]) -> list[str]:
    """Problems with a profile's measure entries: two for one measure in force on a day."""
    return overlapping_by_measure(entries)


@rule_family(
    "measures",
    summary="The measures a council reports: each one's dates in force, citation and title.",
    check=check_measure_entries,
)
@attrs.frozen(kw_only=True)
class MeasureEntry:
    """One measure a profile reports, with the dates it is in force and the council's citation.

    The dates replace the catalogue's own; a figure for a period whose last
    day falls outside them is missing ("not in force"). A profile that has
    entries reports only the measures they name (``"*"``: every measure).

    Attributes:
        rule_id: the entry's stable id.
        effective: the periods the measure is reported for (by the period's last day).
        citation: the council's text that defines the measure.
        measure_id: a catalogue measure id, or ``"*"`` for every measure
            without an entry of its own.
        title: the council's own title for it (else the catalogue's, worded
            from the rules in force).

    Example:
        >>> import datetime as dt
        >>> from earlyhelp.profiles import load_profile
        >>> derby = load_profile("derby-2014-15")
        >>> entry = measure_entry_for(derby.versions(MeasureEntry), "rereferrals")
        >>> entry.rule_id, str(entry.effective)
        ('M-REREFERRALS', 'from 01/04/2013')
        >>> entry.citation.section
        'How well: number of cases re-opened within 3 months'
    """

    rule_id: str
    effective: Effective
    citation: Citation
    measure_id: str
    title: str | None = None

    @classmethod
    def from_reader(cls, reader: Reader) -> MeasureEntry | None:
        """Read one entry from profile data; ``None`` if it has problems."""
        header = read_header(reader)
        measure_id = reader.text("measure")
        title = reader.text("title", None)
        reader.finish()
        if header is None or measure_id is None:
            return None
        return cls(**header, measure_id=measure_id, title=title)


def measure_entry_for(entries: Sequence[MeasureEntry], measure_id: str) -> MeasureEntry | None:
    """A measure's entry among a profile's: its own (the first declared), else the ``"*"`` entry.

    ``None`` when no entry names the measure (with entries, it is not
    reported; with none at all, every catalogue measure is).
    """
    own = [entry for entry in entries if entry.measure_id == measure_id]
    if own:
        return own[0]
    every = [entry for entry in entries if entry.measure_id == ALL_MEASURES]
    return every[0] if every else None


class Shown(enum.StrEnum):
    """How a quarterly table line shows its measure's figure."""

    VALUE = "value"
    """The figure itself (a count, or a percentage)."""
    PARTS = "parts"
    """Numerator / denominator."""


class Chart(enum.StrEnum):
    """Whether a quarterly table line is also drawn, and how."""

    NONE = "none"
    TREND = "trend"
    """A line on the trend chart."""
    RATE = "rate"
    """The bars of the rate chart (one line per table)."""


@attrs.frozen(kw_only=True)
class QuarterlyLine:
    """One line of the quarterly performance table.

    Attributes:
        key: the line's key (unique in its table).
        measure_id: the measure it shows.
        label: the line's label.
        shown: its figure, or numerator / denominator.
        chart: drawn on the trend chart, as the rate chart's bars, or not at all.
        chart_label: its label on the chart (default: ``label``).
    """

    key: str
    measure_id: str
    label: str
    shown: Shown = Shown.VALUE
    chart: Chart = Chart.NONE
    chart_label: str | None = None


@rule_family(
    "quarterly",
    summary="The quarterly performance table: its lines, each a measure, a label and how shown.",
)
@attrs.frozen(kw_only=True)
class QuarterlyTable:
    """The lines of a council's quarterly performance table, as one dated, cited entry.

    Attributes:
        rule_id: the entry's stable id.
        effective: the report years it is used for (by the year's last day).
        citation: the report it follows.
        lines: its lines, in order.
        intro: the paragraph before the table ("" for a generated one).
        note: the footnote under the table, if any.
    """

    rule_id: str
    effective: Effective
    citation: Citation
    lines: tuple[QuarterlyLine, ...]
    intro: str = ""
    note: str | None = None

    @classmethod
    def from_reader(cls, reader: Reader) -> QuarterlyTable | None:
        """Read one entry from profile data; ``None`` if it has problems."""
        header = read_header(reader)
        intro = reader.text("intro", "")
        note = reader.text("note", None)
        lines: list[QuarterlyLine] = []
        ok = True
        for item in reader.children("lines"):
            line = _line(item)
            ok = ok and line is not None
            if line is not None:
                lines.append(line)
        reader.finish()
        keys = [line.key for line in lines]
        if len(set(keys)) != len(keys):
            reader.problem("lines", "expected each line's key once")
            ok = False
        if sum(line.chart is Chart.RATE for line in lines) > 1:
            reader.problem("lines", "expected at most one line drawn as the rate chart")
            ok = False
        if not lines and "lines" in reader.data:
            reader.problem("lines", "expected at least one line")
            ok = False
        if header is None or not ok or intro is None:
            return None
        return cls(**header, lines=tuple(lines), intro=intro, note=note)


def _line(reader: Reader) -> QuarterlyLine | None:
    key = reader.text("key")
    measure_id = reader.text("measure")
    label = reader.text("label")
    shown = reader.choice("shown", Shown, Shown.VALUE)
    chart = reader.choice("chart", Chart, Chart.NONE)
    chart_label = reader.text("chart_label", None)
    reader.finish()
    if None in (key, measure_id, label, shown, chart):
        return None
    return QuarterlyLine(
        key=key,
        measure_id=measure_id,
        label=label,
        shown=shown,
        chart=chart,
        chart_label=chart_label,
    )
