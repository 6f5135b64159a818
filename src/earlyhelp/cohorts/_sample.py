"""A reproducible random sample of children for a missed-opportunity case file audit.

The source report asks for a cohort of children on child protection plans or in
care "who have not received a prior early help intervention" to be audited "to
look at whether opportunities were missed". A child is *eligible* when they
started a plan or a period in care (by default) in the period and, for at least
one such start, were neither offered nor accessed early help in the look-back
window (see :func:`~earlyhelp.cohorts.prior_early_help`).

The sample is drawn with :class:`random.Random` seeded by ``seed`` from the
eligible ids in sorted order, so the same data, period, seed and size always
give the same children. A stratified sample splits ``size`` across strata in
proportion to their eligible counts (largest remainders, ties to the stratum
that sorts first), then draws within each stratum with the same seed.
"""

from __future__ import annotations

import csv
import os
import random
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import attrs
import polars as pl

from earlyhelp.cohorts._prior import flag_preceded_by_early_help
from earlyhelp.errors import ArgumentError
from earlyhelp.io._dataset import Dataset
from earlyhelp.io._exports import neutralise_cell
from earlyhelp.periods._periods import PeriodsLike
from earlyhelp.profiles._applying import ProfileLike

__all__ = ["AuditSample", "allocate", "missed_opportunity_sample"]


def allocate(counts: Mapping[str, int], size: int) -> dict[str, int]:
    """Split ``size`` across strata in proportion to ``counts`` (largest remainders).

    Example:
        >>> allocate({"L1": 10, "L2": 5, "L3": 5}, 5)
        {'L1': 3, 'L2': 1, 'L3': 1}
    """
    total = sum(counts.values())
    size = min(size, total)
    if total == 0:
        return dict.fromkeys(counts, 0)
    shares = {key: size * n // total for key, n in counts.items()}
    remainders = sorted(counts, key=lambda key: (-(size * counts[key] % total), key))
    for key in remainders[: size - sum(shares.values())]:
        shares[key] += 1
    return shares


@attrs.frozen
class AuditSample:
    """Children drawn for a missed-opportunity audit, by id only.

    Attributes:
        person_ids: the children drawn, sorted.
        eligible: how many children were eligible.
        strata: for a stratified sample, ``{stratum: (eligible, drawn)}``.
        seed: the seed used.
    """

    person_ids: tuple[str, ...]
    eligible: int
    strata: Mapping[str, tuple[int, int]]
    seed: int

    def write_csv(self, path: str | os.PathLike[str]) -> Path:
        """Write the ids, one per line under a ``person_id`` header (nothing else)."""
        target = Path(path)
        with target.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["person_id"])
            writer.writerows([neutralise_cell(person)] for person in self.person_ids)
        return target


def _draw(ids: list[str], size: int, seed: int) -> list[str]:
    return random.Random(seed).sample(sorted(ids), size)  # reproducible, not secret


def missed_opportunity_sample(
    data: Dataset,
    *,
    profile: ProfileLike,
    period: PeriodsLike,
    size: int,
    seed: int,
    stratify_by: Literal["locality"] | None = None,
    kinds: tuple[str, ...] = ("cp", "cic"),
) -> AuditSample:
    """Draw a seeded random sample of children who started a plan or care without early help.

    Args:
        data: the dataset.
        profile: its ``prior_early_help`` rule gives the look-back window.
        period: the period(s) whose starts make the cohort.
        size: how many children to draw; all eligible children if fewer.
        seed: the random seed; the same seed gives the same sample.
        stratify_by: ``"locality"`` to split the sample across the localities
            of the children's starts in proportion to their eligible children
            (a child eligible in two localities belongs to the first by start
            date, then episode id); ``None`` for a simple random sample.
        kinds: which starts make a child eligible (default plans and care).

    Raises:
        ArgumentError: ``size`` is negative, or ``stratify_by`` is not known.

    Example:
        >>> import earlyhelp as eh
        >>> data = eh.load(eh.demo_path())
        >>> sample = eh.cohorts.missed_opportunity_sample(
        ...     data, profile="derby-2014-15", period="2014-15", size=10, seed=7,
        ...     stratify_by="locality")
        >>> len(sample.person_ids), sum(drawn for _, drawn in sample.strata.values())
        (10, 10)
        >>> again = eh.cohorts.missed_opportunity_sample(
        ...     data, profile="derby-2014-15", period="2014-15", size=10, seed=7,
        ...     stratify_by="locality")
        >>> again == sample
        True
    """
    if size < 0:
        msg = f"size must be zero or more, got {size}"
        raise ArgumentError(msg)
    if stratify_by not in (None, "locality"):
        msg = f"cannot stratify by {stratify_by!r}; expected 'locality' or None"
        raise ArgumentError(msg)
    starts = flag_preceded_by_early_help(data, profile=profile, period=period, kinds=kinds)
    eligible = (
        starts.filter(pl.col("offered").not_())
        .sort("started", "record_id")
        .unique("person_id", keep="first", maintain_order=True)
        .with_columns(pl.col("locality_id").fill_null("(none)"))
    )
    if stratify_by is None:
        ids = eligible.get_column("person_id").to_list()
        drawn = _draw(ids, min(size, len(ids)), seed)
        return AuditSample(tuple(sorted(drawn)), len(ids), {}, seed)
    groups = {
        str(key[0]): frame.get_column("person_id").to_list()
        for key, frame in eligible.partition_by("locality_id", as_dict=True).items()
    }
    counts = {key: len(groups[key]) for key in sorted(groups)}
    shares = allocate(counts, size)
    picked: list[str] = []
    for key in counts:
        picked += _draw(groups[key], shares[key], seed)
    strata = {key: (counts[key], shares[key]) for key in counts}
    return AuditSample(tuple(sorted(picked)), eligible.height, strata, seed)
