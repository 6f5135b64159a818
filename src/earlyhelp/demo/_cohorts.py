"""Demo data for the cohort analyses: children entering care, and team around the family work.

Drawn from their own random stream (seeded from the demo's seed), after every
other table, so that adding them left the rest of the demo unchanged:

* children who had early help and later come into care (about 60 a year at
  the source city's size, fewer once those past the extract date or 18 are
  dropped), starting 1 to 540 days after their early help case closed;
* a spike of admissions to care in the December of the last year simulated
  (December 2014 by default), as the source report saw: half of the children
  had early help before, half had none (and half of those were referred to
  early help in the year before but no case was opened: offered, not accessed);
* team around the family involvements: early help workers supporting a family
  whose case another team leads (two in five) or another agency leads.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import numpy as np
import polars as pl

from earlyhelp.demo._instruments import DemoWindow, Ints, dates, draw, ids, pick, serial, table
from earlyhelp.demo._shape import ADULT, DemoShape, lengths

__all__ = ["cohort_extras"]

_EPOCH: Final = dt.date(1970, 1, 1)
_END_REASONS: Final = ("needs_met", "transferred_out", "other")
_ROLES: Final = ("team_member", "specialist", "consultation", "other")
_ROLE_P: Final = (0.5, 0.25, 0.2, 0.05)


def _day(day: dt.date) -> int:
    return (day - _EPOCH).days


def _care(
    rng: np.random.Generator,
    *,
    person: pl.Series,
    started: Ints,
    dob: Ints,
    locality: pl.Series,
    w: DemoWindow,
) -> pl.DataFrame:
    ended = np.minimum(started + lengths(rng, len(started), 700.0, 2800.0), dob + ADULT - 1)
    open_now = ended > w.end
    return pl.DataFrame(
        {
            "person_id": person,
            "kind": pl.Series(["cic"] * len(started), dtype=pl.String),
            "started": dates(started),
            "ended": dates(ended, ~open_now),
            "locality_id": locality,
            "end_reason": draw(rng, _END_REASONS, len(started)).scatter(
                np.flatnonzero(open_now), None
            ),
        }
    )


def _into_care(
    rng: np.random.Generator,
    w: DemoWindow,
    cases: pl.DataFrame,
    dob: pl.DataFrame,
    shape: DemoShape,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Care episodes for children after early help, and the December spike."""
    closed = cases.filter(pl.col("closed").is_not_null()).join(dob, on="person_id", how="left")
    closed_day = closed["closed"].cast(pl.Int64).to_numpy()
    born = closed["date_of_birth"].cast(pl.Int64).to_numpy()
    n = max(2, round(60 * w.years * w.scale))
    chosen = rng.choice(len(closed_day), size=min(n, len(closed_day)), replace=False)
    started = closed_day[chosen] + rng.integers(1, 541, len(chosen))
    keep = (started >= w.start) & (started <= w.end) & (started < born[chosen] + ADULT - 1)
    chosen, started = chosen[keep], started[keep]
    after_help = _care(
        rng,
        person=closed["person_id"].gather(chosen),
        started=started,
        dob=born[chosen],
        locality=closed["locality_id"].gather(chosen),
        w=w,
    )
    december = dt.date(w.first_year + w.years - 1, 12, 1)
    first, last = _day(december), _day(december.replace(day=31))
    spike = max(4, round(50 * w.scale))
    helped = closed.filter(
        (pl.col("closed") < december) & (pl.col("closed") >= dt.date(december.year - 1, 12, 1))
    ).filter(pl.col("date_of_birth") > december - dt.timedelta(days=ADULT - 40))
    helped = helped.unique("person_id", keep="first", maintain_order=True)
    take = rng.choice(helped.height, size=min(spike // 2, helped.height), replace=False)
    helped = helped[np.sort(take)]
    new = spike - helped.height
    new_dob = first - rng.integers(30, 16 * 365, new)
    new_person = ids("K", np.arange(1, new + 1))
    starts = rng.integers(first, last + 1, spike)
    spike_frame = _care(
        rng,
        person=pl.concat([helped["person_id"], new_person]),
        started=starts,
        dob=np.concatenate([helped["date_of_birth"].cast(pl.Int64).to_numpy(), new_dob]),
        locality=pl.concat([helped["locality_id"], draw(rng, shape.localities, new, shape.p)]),
        w=w,
    )
    children = pl.DataFrame({"person_id": new_person, "date_of_birth": dates(new_dob)})
    return pl.concat([after_help, spike_frame]).sort("started", maintain_order=True), children


def _involvements(
    rng: np.random.Generator, w: DemoWindow, cases: pl.DataFrame, teams: pl.DataFrame
) -> pl.DataFrame:
    n = max(4, round(400 * w.years * w.scale))
    with_case = rng.random(n) < 0.4
    started = rng.integers(w.start - 180, w.end + 1, n)
    case_index = rng.integers(0, cases.height, n)
    opened = cases["opened"].cast(pl.Int64).to_numpy()[case_index]
    closed = cases["closed"].cast(pl.Int64).fill_null(w.end).to_numpy()[case_index]
    # work beside a case starts while the case is open, and ends by its closure
    started = np.where(with_case, np.minimum(opened + rng.integers(0, 60, n), closed), started)
    started = np.minimum(started, w.end)
    ended = started + lengths(rng, n, 120.0, 540.0)
    ended = np.where(with_case & (closed < w.end), np.minimum(ended, closed), ended)
    episode = cases["episode_id"].gather(case_index)
    family = pl.concat_str(
        pl.lit("FT"), pl.Series(np.arange(1, n + 1)).cast(pl.String).str.zfill(6)
    )
    return table(
        "tac_involvements",
        {
            "involvement_id": serial("TAF", n),
            "episode_id": episode.scatter(np.flatnonzero(~with_case), None),
            "family_id": pl.select(
                pl.when(pl.Series(with_case)).then(None).otherwise(family)
            ).to_series(),
            "team_id": pick(teams["team_id"].to_list(), rng.integers(0, teams.height, n)),
            "worker_id": ids("WTAF", rng.integers(1, 40, n)),
            "role": draw(rng, _ROLES, n, _ROLE_P),
            "started": dates(started),
            "ended": dates(ended, ended <= w.end),
        },
    )


def _declined(
    rng: np.random.Generator, care: pl.DataFrame, referrals: pl.DataFrame
) -> pl.DataFrame:
    """Referrals to early help, never opened as cases, for half the new children in care."""
    new = care.filter(pl.col("person_id").str.starts_with("K")).gather_every(2)
    referred = new["started"].cast(pl.Int64).to_numpy() - rng.integers(60, 300, new.height)
    numbers = np.arange(referrals.height + 1, referrals.height + new.height + 1)
    return table(
        "referrals",
        {
            "referral_id": ids("R", numbers),
            "person_id": new["person_id"],
            "family_id": pl.Series([None] * new.height, dtype=pl.String),
            "referral_date": dates(referred),
            "route": draw(rng, ("vcm", "other"), new.height),
            "referring_agency": draw(rng, ("school", "health visitor", "police"), new.height),
            "level_of_need": pl.Series([2] * new.height, dtype=pl.Int64),
            "team_id": pl.Series([None] * new.height, dtype=pl.String),
        },
    )


def cohort_extras(
    seed: int, w: DemoWindow, out: dict[str, pl.DataFrame], shape: DemoShape
) -> dict[str, pl.DataFrame]:
    """Extra care episodes, their new children and the team around the family table.

    Returns:
        ``social_care_episodes`` and ``referrals`` (all of them, the extra ones
        appended with ids numbered on), ``children`` (the new children only)
        and ``tac_involvements``.
    """
    rng = np.random.default_rng([seed, 7])
    cases, social = out["cases"], out["social_care_episodes"]
    dob = out["children"].select("person_id", "date_of_birth").unique("person_id")
    extra, children = _into_care(rng, w, cases, dob, shape)
    numbered = pl.DataFrame(
        {"episode_id": ids("SC", np.arange(social.height + 1, social.height + extra.height + 1))}
    )
    social = pl.concat(
        [social, table("social_care_episodes", {**numbered.to_dict(), **extra.to_dict()})]
    )
    return {
        "social_care_episodes": social,
        "referrals": pl.concat([out["referrals"], _declined(rng, extra, out["referrals"])]),
        "children": children,
        "tac_involvements": _involvements(rng, w, cases, out["teams"]),
    }
