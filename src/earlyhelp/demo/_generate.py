"""A seeded synthetic dataset shaped like the source city (Derby, 2013-14 and 2014-15).

:func:`generate_demo` builds one polars frame per input table in
:data:`earlyhelp.io.SCHEMAS`, valid against every column kind, code list and row
rule there; :func:`write_demo` writes them as CSV; :func:`demo_path` is the
bundled copy. Nothing in it describes a real person: ids are made up and survey
comments are phrases written for this module.

Shape, at the default size (the source city's): six localities ``L1``..``L6``
with an under-11s and an over-11s team each (``T1U``, ``T1O``) and an early years
team in two of them (``T3E``, ``T6E``), city ``derby``; about 700 early help
cases open at each quarter end and ``cases_per_year`` new cases a year (cases
open from up to two years earlier so the stock is steady from the start, and
history is kept from three months before the first year); about 12% of the
cases worked in a year are re-referrals, opened within three calendar months
after the same child's previous case closed; escalations to social care are
8-20% of each quarter's closures; about 900 CIN, 300 CP and 460 CiC episodes and
150 YOS episodes open at quarter ends, with escalated children stepping up into
CIN or CP (from :mod:`earlyhelp.demo._statutory`); EHAs for most cases; surveys,
spider graphs, audits and NEET records from :mod:`earlyhelp.demo._instruments`;
the shared localities and calibration in :mod:`earlyhelp.demo._shape`. Everything but the NEET cohort scales
with ``cases_per_year / 1500``, including the child population (about 60,000).

The generator is vectorised (numpy and polars, no loop over rows):
``generate_demo(cases_per_year=500_000)`` (a million new cases over two years,
1.35 million case rows with the opening stock and history, 8.7 million spider
readings) took 7 to 12 seconds with a peak resident memory of about 2.0 GB
(``/usr/bin/time -v``) on a two-core machine.

The bundled dataset in ``earlyhelp/data/demo`` was made with::

    write_demo("src/earlyhelp/data/demo", seed=2015, cases_per_year=300, neet_cohort=600)
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path
from typing import Any, Final

import numpy as np
import polars as pl

from earlyhelp.demo._centres import centre_tables, characteristics
from earlyhelp.demo._cohorts import cohort_extras
from earlyhelp.demo._instruments import (
    OPEN,
    DemoWindow,
    Ints,
    audits,
    dates,
    draw,
    ids,
    neet,
    pick,
    serial,
    spider,
    surveys,
    table,
)
from earlyhelp.demo._shape import (
    ADULT,
    CHILD_AGE,
    CITY_ID,
    CLOSURES,
    ESCALATED,
    HISTORY,
    LOCALITIES,
    LOCALITY_P,
    Cases,
    lengths,
)
from earlyhelp.demo._statutory import population, statutory
from earlyhelp.errors import ArgumentError
from earlyhelp.io._exports import write_csv
from earlyhelp.io._tables import SCHEMAS
from earlyhelp.periods import MonthWindow

__all__ = ["CITY_ID", "demo_path", "generate_demo", "write_demo"]

_EARLY_YEARS_TEAM: Final = (False, False, True, False, False, True)
_SOURCE_CASES: Final = 1500  # new cases a year in the source city
_CASE_DAYS: Final = 700 / _SOURCE_CASES * 365.25  # mean case length for ~700 open
_REREFERRAL: Final = 0.12  # re-referrals per case worked in a year
_CLOSURE_P: Final = (0.62, 0.12, 0.15, 0.05, 0.06)
_AGENCIES: Final = (
    "school",
    "health visitor",
    "police",
    "GP",
    "self",
    "housing",
    "children's centre",
    "social care",
)
_ORGANISATIONS: Final = ("MAT", "school", "health", "children's centre", "voluntary sector")
_ORGANISATION_P: Final = (0.55, 0.2, 0.1, 0.1, 0.05)
_INTERVENTIONS: Final = (
    "parenting programme",
    "CAMHS",
    "school nurse",
    "domestic abuse service",
    "substance misuse service",
    "housing support",
    "youth service",
    "children's centre",
    "debt advice",
)


def _teams() -> tuple[pl.DataFrame, Ints]:
    """The teams table, and a (locality x under 11s, over 11s, early years) team index."""
    rows: list[tuple[str, str, str]] = []
    lookup = np.zeros((6, 3), dtype=np.int64)
    for loc in range(6):
        kinds = [("U", "under 11s"), ("O", "over 11s")]
        kinds += [("E", "early years (under 5s)")] if _EARLY_YEARS_TEAM[loc] else []
        lookup[loc] = len(rows) + np.array([0, 1, 2 if _EARLY_YEARS_TEAM[loc] else 0])
        rows += [
            (f"T{loc + 1}{code}", f"Locality {loc + 1} MAT {label}", f"L{loc + 1}")
            for code, label in kinds
        ]
    team_id, name, locality_id = (list(column) for column in zip(*rows, strict=True))
    return table("teams", {"team_id": team_id, "name": name, "locality_id": locality_id}), lookup


_AGAIN: Final = MonthWindow(3, anchor_inclusive=False, far_inclusive=False)
"""Where a demo re-referral falls: strictly between a closure and three calendar months on."""


def _window_days(anchors: Ints, window: MonthWindow) -> tuple[Ints, Ints]:
    """The first and last days inside ``window`` for each anchor day number.

    The window's own bulk definition (:meth:`MonthWindow.days`), run over the day numbers.
    """
    frame = pl.DataFrame({"anchor": pl.Series(anchors, dtype=pl.Int64).cast(pl.Int32)})
    first, last = window.days(pl.col("anchor").cast(pl.Date))
    ends = frame.select(first.cast(pl.Int64).alias("first"), last.cast(pl.Int64).alias("last"))
    return ends.get_column("first").to_numpy(), ends.get_column("last").to_numpy()


def _fy_quarter(days: Ints) -> Ints:
    """A running financial-quarter number (April to June is 0 mod 4)."""
    quarter: Ints = (days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) - 3) // 3
    return quarter


def _between(rng: np.random.Generator, low: Ints, high: Ints) -> Ints:
    """A day drawn uniformly from ``low`` to ``high``, both inclusive."""
    day: Ints = low + (rng.random(len(low)) * (high - low + 1)).astype(np.int64)
    return day


def _casework(rng: np.random.Generator, w: DemoWindow, lookup: Ints) -> Cases:
    """Early help cases as day numbers and indexes, re-referrals included, sorted by opening.

    New children arrive evenly from two years before the first year; about one
    in five closures (enough for 12% of the cases worked in a year) is followed
    by a re-referral of the same child on a day strictly between the closure and
    three calendar months after it. Dates after the extract date are cut off.
    """
    rereferred = _REREFERRAL * (1 + _CASE_DAYS / 365.25)  # as a share of new cases
    low = w.start - 730
    n = round(_SOURCE_CASES * w.scale * (1 - rereferred) / 365.25 * (w.end - low + 1))
    opened = np.sort(low + rng.integers(0, w.end - low + 1, n))
    dob = opened - rng.integers(0, CHILD_AGE, n)
    closed = np.minimum(opened + lengths(rng, n, _CASE_DAYS, 730), dob + ADULT - 1)
    locality = rng.choice(6, size=n, p=LOCALITY_P)
    family = np.cumsum(rng.random(n) > 0.35)
    parent = np.flatnonzero((closed <= w.end) & (rng.random(n) < rereferred / (1 - rereferred)))
    again = _between(rng, *_window_days(closed[parent], _AGAIN))
    keep = (again <= w.end) & (again - dob[parent] < ADULT - 60)
    parent, again = parent[keep], again[keep]
    again_closed = again + lengths(rng, len(again), _CASE_DAYS, 730)
    person = np.concatenate([np.arange(n), parent])
    c: Cases = {
        "person": person,
        "family": family[person],
        "dob": dob[person],
        "locality": locality[person],
        "opened": np.concatenate([opened, again]),
        "closed": np.concatenate([closed, np.minimum(again_closed, dob[parent] + ADULT - 1)]),
        "after": np.concatenate([np.full(n, -OPEN), closed[parent]]),  # a referral comes after
        "parent": np.isin(np.arange(n + len(parent)), parent).astype(np.int64),
    }
    c["closed"] = np.where(c["closed"] > w.end, OPEN, c["closed"])
    c["team"] = lookup[c["locality"], _age_band(c["opened"] - c["dob"])]
    kept = np.flatnonzero(c["closed"] >= w.start - HISTORY)
    kept = kept[np.argsort(c["opened"][kept], kind="stable")]
    c = {key: value[kept] for key, value in c.items()}
    c["level"] = np.where(rng.random(len(kept)) < 0.92, 2, 3)
    c["reason"] = _closure_reasons(rng, c["closed"], c["parent"])
    return c


def _age_band(age_days: Ints) -> Ints:
    band: Ints = np.where(age_days >= 11 * 365.25, 1, np.where(age_days < 5 * 365.25, 2, 0))
    return band


def _closure_reasons(rng: np.random.Generator, closed: Ints, parent: Ints) -> Ints:
    """Closure reason indexes (-1 while open); escalations are a set share of each quarter.

    The share is drawn per quarter between 9% and 19% and met exactly (to the
    nearest case); a case whose child was re-referred is escalated last.
    """
    reason = rng.choice(len(_CLOSURE_P), size=len(closed), p=_CLOSURE_P)
    reason = np.where((parent == 1) & (reason == 3), 0, reason)  # re-referred: not moved away
    shut = np.flatnonzero(closed != OPEN)
    if len(shut) == 0:
        return np.full(len(closed), -1, dtype=np.int64)
    quarter = _fy_quarter(closed[shut])
    share = rng.uniform(0.09, 0.19, int(quarter.max() - quarter.min()) + 1)
    order = np.lexsort((rng.random(len(shut)) + parent[shut], quarter))
    ranked = quarter[order]
    first = np.searchsorted(ranked, ranked, side="left")
    size = np.searchsorted(ranked, ranked, side="right") - first
    escalate = np.arange(len(order)) - first < np.rint(share[ranked - quarter.min()] * size)
    reason[shut[order[escalate]]] = ESCALATED
    reason[closed == OPEN] = -1
    return reason


def _early_help(
    rng: np.random.Generator, w: DemoWindow, c: Cases, team_ids: pl.Series
) -> dict[str, pl.DataFrame]:
    """Cases, their referrals, EHAs and onward referrals, and the children they are about."""
    n = len(c["opened"])
    person, family, team = (
        ids("P", c["person"] + 1),
        ids("F", c["family"] + 1),
        team_ids.gather(c["team"]),
    )
    worker = pl.concat_str(pl.lit("W"), pl.lit(team), pl.lit(pl.Series(rng.integers(1, 9, n))))
    shut = c["closed"] != OPEN
    cases = table(
        "cases",
        {
            "episode_id": serial("C", n),
            "person_id": person,
            "family_id": family,
            "referral_id": serial("R", n),
            "team_id": team,
            "locality_id": pick(LOCALITIES, c["locality"]),
            "worker_id": pl.select(worker).to_series(),
            "opened": dates(c["opened"]),
            "closed": dates(c["closed"], shut),
            "closure_reason": pick(CLOSURES, np.maximum(c["reason"], 0)).scatter(
                np.flatnonzero(~shut), None
            ),
            "level_of_need": pl.Series(c["level"]),
        },
    )
    lag = np.minimum(np.minimum(rng.geometric(0.2, n) - 1, 28), c["opened"] - c["after"] - 1)
    referrals = table(
        "referrals",
        {
            "referral_id": serial("R", n),
            "person_id": person,
            "family_id": family,
            "referral_date": dates(c["opened"] - lag),
            "route": draw(rng, ("vcm", "other"), n, (0.3, 0.7)),
            "referring_agency": draw(rng, _AGENCIES, n),
            "level_of_need": pl.Series(c["level"]),
            "team_id": team,
        },
    )
    eha = np.flatnonzero(rng.random(n) < 0.88)
    begun = np.minimum(c["opened"][eha] - 7 + rng.integers(0, 28, len(eha)), w.end)
    done = begun + 5 + rng.gamma(2.0, 12.0, len(eha)).astype(np.int64)
    assessments = table(
        "assessments",
        {
            "assessment_id": serial("A", len(eha)),
            "person_id": person.gather(eha),
            "episode_id": cases["episode_id"].gather(eha),
            "started": dates(begun),
            "completed": dates(done, (done <= w.end) & (rng.random(len(eha)) < 0.92)),
            "organisation": draw(rng, _ORGANISATIONS, len(eha), _ORGANISATION_P),
        },
    )
    onward = np.flatnonzero(rng.random(n) < 0.35)
    onward = np.sort(np.concatenate([onward, onward[rng.random(len(onward)) < 0.1]]))
    when = _between(rng, c["opened"][onward], np.minimum(c["closed"][onward], w.end))
    onward_referrals = table(
        "onward_referrals",
        {
            "onward_referral_id": serial("O", len(onward)),
            "episode_id": cases["episode_id"].gather(onward),
            "referral_date": dates(when),
            "intervention": draw(rng, _INTERVENTIONS, len(onward)),
        },
    )
    children = pl.DataFrame(
        {"person_id": person, "family_id": family, "date_of_birth": dates(c["dob"])}
    )
    return {
        "cases": cases,
        "referrals": referrals,
        "assessments": assessments,
        "onward_referrals": onward_referrals,
        "children": children.unique("person_id", keep="first", maintain_order=True),
    }


def generate_demo(
    *,
    seed: int = 2015,
    cases_per_year: int = 1500,
    first_year: int = 2013,
    years: int = 2,
    neet_cohort: int = 9000,
) -> dict[str, pl.DataFrame]:
    """Generate a synthetic dataset shaped like the source city.

    Args:
        seed: seed for :func:`numpy.random.default_rng`; the same arguments give
            identical frames.
        cases_per_year: new early help cases a year (the source city's is about
            1,500). Every other volume but the NEET cohort scales with it.
        first_year: the calendar year in which the first financial year starts.
        years: how many financial years to simulate; the extract date is 31 March
            at the end of the last.
        neet_cohort: young people of academic age 16-18 in each year's NEET
            records (the source city's is about 9,000).

    Returns:
        One frame per table of :data:`earlyhelp.io.SCHEMAS`, in its order, each with
        exactly the declared columns and polars types.

    Raises:
        ArgumentError: a size is not positive.

    Example:
        >>> demo = generate_demo(cases_per_year=150, neet_cohort=30)
        >>> list(demo) == list(SCHEMAS), demo["teams"].height
        (True, 14)
        >>> again = generate_demo(cases_per_year=150, neet_cohort=30)
        >>> all(demo[name].equals(again[name]) for name in demo)
        True
    """
    if cases_per_year < 1 or years < 1 or neet_cohort < 1:
        msg = "cases_per_year, years and neet_cohort must be positive"
        raise ArgumentError(msg)
    rng = np.random.default_rng(seed)
    window = DemoWindow(first_year=first_year, years=years, scale=cases_per_year / _SOURCE_CASES)
    teams, lookup = _teams()
    casework = _casework(rng, window, lookup)
    out = _early_help(rng, window, casework, teams["team_id"])
    services = statutory(rng, window, casework, out["cases"])
    out.update({k: v for k, v in services.items() if k != "children"})
    out["teams"] = teams
    extras = cohort_extras(seed, window, out)
    out["social_care_episodes"] = extras["social_care_episodes"]
    out["referrals"] = extras["referrals"]
    out["tac_involvements"] = extras["tac_involvements"]
    out["surveys"] = surveys(rng, out["cases"], window)
    out["spider_scales"], out["spider_readings"] = spider(rng, out["cases"])
    out["audits"], out["audit_grades"] = audits(rng, out["cases"], window)
    out["neet"] = neet(rng, neet_cohort, window)
    out["population"] = population(window)
    out["childrens_centres"], out["centre_inspections"] = centre_tables(window)
    out["characteristics"] = characteristics(np.random.default_rng(seed + 1), out["neet"])
    young = (
        out["neet"].select("person_id", "date_of_birth").unique("person_id", maintain_order=True)
    )
    children = pl.concat(
        [out["children"], services["children"], extras["children"], young], how="diagonal"
    )
    out["children"] = table("children", children.to_dict())
    out["cin_referrals"], out["contacts"] = _front_door(out["social_care_episodes"])
    return {name: out[name] for name in SCHEMAS}


def _front_door(social: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Each child in need episode's referral, and the contact that preceded it (same day)."""
    cin = social.filter(pl.col("kind") == "cin").sort("started", "episode_id")
    referrals = cin.select(
        ("R" + pl.col("episode_id")).alias("referral_id"),
        "person_id",
        pl.col("started").alias("referral_date"),
        pl.lit("1A").alias("source_code"),
        pl.lit("N1").alias("primary_need"),
        pl.lit(False).alias("no_further_action"),
        pl.col("ended").alias("closed"),
        pl.when(pl.col("ended").is_not_null())
        .then(
            pl.when(pl.col("end_reason") == "stepped_down_to_early_help")
            .then(pl.lit("RC9"))
            .otherwise(pl.lit("RC1"))
        )
        .alias("close_reason"),
        pl.lit(None, dtype=pl.String).alias("team_id"),
    )
    contacts = cin.select(
        ("K" + pl.col("episode_id")).alias("contact_id"),
        "person_id",
        pl.col("started").alias("contact_date"),
        pl.lit("1A").alias("source_code"),
    )
    return table("cin_referrals", referrals.to_dict()), table("contacts", contacts.to_dict())


def write_demo(directory: str | Path, *, seed: int = 2015, **kwargs: Any) -> list[Path]:
    """Write the demo dataset as one CSV per table, ``<table>.csv``.

    Dates are ISO (``2015-03-31``), booleans ``true``/``false`` and nulls empty.

    Args:
        directory: where to write; created if missing.
        seed: passed to :func:`generate_demo`.
        **kwargs: other arguments of :func:`generate_demo`.

    Returns:
        The paths written, in :data:`earlyhelp.io.SCHEMAS` order.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     paths = write_demo(tmp, cases_per_year=150, neet_cohort=30)
        ...     [path.name for path in paths][:3]
        ['teams.csv', 'children.csv', 'referrals.csv']
    """
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frame in generate_demo(seed=seed, **kwargs).items():
        path = target / f"{name}.csv"
        write_csv(frame, path)
        paths.append(path)
    return paths


def demo_path() -> Path:
    """The directory of the bundled demo CSVs (a small dataset; see the module docstring).

    Example:
        >>> sorted(p.name for p in demo_path().glob("*.csv"))[:2]
        ['assessments.csv', 'audit_grades.csv']
    """
    return Path(str(importlib.resources.files("earlyhelp.data").joinpath("demo")))
