"""Demo statutory services: social care episodes, YOS episodes, single assessments, population.

Each kind of social care episode is a steady stock of its own children, plus
the children that early help escalates; see :func:`statutory`.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import polars as pl

from earlyhelp.demo._instruments import DemoWindow, Ints, dates, draw, ids, pick, serial, table
from earlyhelp.demo._shape import ADULT, CHILD_AGE, ESCALATED, HISTORY, Cases, DemoShape, lengths

__all__ = ["population", "statutory"]

_KINDS: Final = ("cin", "cp", "cic")
# How social care episodes end; a quarter step down to early help.
_END_REASONS: Final = ("needs_met", "stepped_down_to_early_help", "transferred_out", "other")
_END_REASON_P: Final = (0.55, 0.25, 0.1, 0.1)
# (stock near quarter ends, mean length in days) for cin, cp, cic apart from step-ups,
# which add about 90 CIN and 35 CP: the source city had ~900, ~300 and ~460 open
_SOCIAL_CARE: Final = ((820, 240.0), (270, 300.0), (460, 700.0))
_YOS: Final = (150, 200.0)


def _spells(
    rng: np.random.Generator, w: DemoWindow, stock: float, mean: float, youngest: int
) -> tuple[Ints, Ints, Ints]:
    """Starts, ends and dates of birth of episodes whose open count settles near ``stock``."""
    low = w.start - int(4 * mean)
    n = round(stock / mean * (w.end - low + 1))
    started = np.sort(low + rng.integers(0, w.end - low + 1, n))
    dob = started - rng.integers(youngest, CHILD_AGE, n)
    ended = np.minimum(started + lengths(rng, n, mean, 4 * mean), dob + ADULT - 1)
    kept = ended >= w.start - HISTORY
    return started[kept], ended[kept], dob[kept]


def statutory(
    rng: np.random.Generator, w: DemoWindow, c: Cases, cases: pl.DataFrame, shape: DemoShape
) -> dict[str, pl.DataFrame]:
    """Social care episodes, YOS episodes, single assessments, and their children.

    Each kind of social care episode is a steady stock of its own children,
    plus step-ups: each escalated early help case opens a CIN episode (or, for a
    quarter of them, a CP plan) for the same child within days. Single
    assessments precede new CIN episodes and step-ups, and level 3 cases.
    """
    episodes, children, assessed = [], [], []
    taken = 0
    for kind, (stock, mean) in enumerate(_SOCIAL_CARE):
        started, ended, dob = _spells(rng, w, stock * w.scale, mean, 0)
        person = ids("S", np.arange(taken + 1, taken + len(started) + 1))
        taken += len(started)
        locality = rng.choice(len(shape.localities), size=len(started), p=shape.p)
        episodes.append((person, np.full(len(started), kind), started, ended, locality))
        children.append(pl.DataFrame({"person_id": person, "date_of_birth": dates(dob)}))
        if kind == 0:
            new = np.flatnonzero(started >= w.start - HISTORY)
            assessed.append((person.gather(new), started[new] - rng.integers(10, 45, len(new))))
    up = np.flatnonzero(c["reason"] == ESCALATED)
    started = c["closed"][up] + rng.integers(0, 6, len(up))
    child = (started <= w.end) & (started < c["dob"][up] + ADULT - 1)
    up, started = up[child], started[child]
    up_kind = np.where(rng.random(len(up)) < 0.75, 0, 1)
    up_mean = np.array([days for _, days in _SOCIAL_CARE])[up_kind]
    ended = np.minimum(started + lengths(rng, len(up), up_mean, 4 * 700), c["dob"][up] + ADULT - 1)
    person = cases["person_id"].gather(up)
    episodes.append((person, up_kind, started, ended, c["locality"][up]))
    assessed.append((person, started - rng.integers(0, 6, len(up))))
    level3 = np.flatnonzero(c["level"] == 3)
    assessed.append(
        (cases["person_id"].gather(level3), c["opened"][level3] - rng.integers(0, 21, len(level3)))
    )
    social = pl.concat(
        pl.DataFrame(
            {
                "person_id": p,
                "kind": pick(_KINDS, k),
                "started": dates(s),
                "ended": dates(e, e <= w.end),
                "locality_id": pick(shape.localities, loc),
                "end_reason": pick(
                    _END_REASONS, rng.choice(len(_END_REASONS), size=len(e), p=_END_REASON_P)
                ).scatter(np.flatnonzero(e > w.end), None),
            }
        )
        for p, k, s, e, loc in episodes
    ).sort("started", maintain_order=True)
    assessed_person = pl.concat(p for p, _ in assessed)
    begun = np.concatenate([b for _, b in assessed])
    order = np.argsort(begun, kind="stable")
    begun = begun[order]
    done = begun + rng.integers(10, 45, len(begun))
    started, ended, dob = _spells(rng, w, _YOS[0] * w.scale, _YOS[1], 10 * 365)
    yos_person = serial("Y", len(started))
    children.append(pl.DataFrame({"person_id": yos_person, "date_of_birth": dates(dob)}))
    return {
        "social_care_episodes": table(
            "social_care_episodes", {"episode_id": serial("SC", len(social)), **social.to_dict()}
        ),
        "yos_episodes": table(
            "yos_episodes",
            {
                "episode_id": serial("YE", len(started)),
                "person_id": yos_person,
                "started": dates(started),
                "ended": dates(ended, ended <= w.end),
                "locality_id": draw(rng, shape.localities, len(started), shape.p),
            },
        ),
        "single_assessments": table(
            "single_assessments",
            {
                "assessment_id": serial("SA", len(begun)),
                "person_id": assessed_person.gather(order),
                "started": dates(begun),
                "completed": dates(done, done <= w.end),
                "by_qualified_social_worker": pl.Series(rng.random(len(begun)) < 0.95),
            },
        ),
        "children": pl.concat(children),
    }


def population(w: DemoWindow, shape: DemoShape) -> pl.DataFrame:
    """Children (0-17) per locality and the whole area, each calendar year the window touches."""
    years = np.arange(w.first_year, w.first_year + w.years + 1)
    city = np.rint(60_000 * w.scale * (1 + 0.01 * (years - w.first_year))).astype(np.int64)
    shares = np.floor(city[:, None] * shape.p[None, :]).astype(np.int64)
    shares[:, -1] += city - shares.sum(axis=1)
    areas = (*shape.localities, shape.area_id)
    return table(
        "population",
        {
            "area_id": pick(areas, np.tile(np.arange(len(areas)), len(years))),
            "year": pl.Series(np.repeat(years, len(areas))),
            "children": pl.Series(np.concatenate([shares, city[:, None]], axis=1).ravel()),
        },
    )
