"""How a per-record call runs its tiny plan: on polars' own thread pool.

A per-record call runs a family's bulk plan on a handful of rows. There, polars'
fixed costs outweigh the work: planning, and handing each multi-input expression
(``concat_str``, ``when``/``then``, a binary operation of two computed sides) to
its thread pool and waiting for the result. Collected in the background, the
whole plan runs on one of the pool's threads, where those hand-offs run inline:
the caller waits once, not at every expression. The rows are the same; only
where they are computed differs.

A call made on one of polars' own threads (from inside a polars query, say a
user function in ``map_batches``) collects there, as polars would: waiting on
the pool from one of its threads could wait for ever.
"""

from __future__ import annotations

import os
import threading
import warnings
from typing import Final

import polars as pl

__all__ = ["FEW_ROWS", "collect_few"]

FEW_ROWS: Final = pl.QueryOptFlags.none()
"""No query optimisation: on a few rows it costs more than it saves."""

_FOREIGN: Final[type] = getattr(threading, "_DummyThread", type(None))
"""How Python sees a thread it did not start, such as one of polars' own."""


def collect_few(plan: pl.LazyFrame, *, optimizations: pl.QueryOptFlags = FEW_ROWS) -> pl.DataFrame:
    """Collect a plan over a few rows: in memory, on the pool, without optimisation.

    Errors are raised here, as :meth:`polars.LazyFrame.collect` raises them.
    Polars calls a background collect unstable; with its unstable warnings
    turned on (``POLARS_WARN_UNSTABLE``), that warning is not passed on: the
    rows do not depend on it.

    Example:
        >>> plan = pl.LazyFrame({"id": ["R1"]}).select(pl.concat_str(pl.lit("referral "), "id"))
        >>> collect_few(plan).item()
        'referral R1'
    """
    if isinstance(threading.current_thread(), _FOREIGN):  # maybe polars' own: not the pool
        return plan.collect(engine="in-memory", optimizations=optimizations)
    if os.environ.get("POLARS_WARN_UNSTABLE", "0") in ("", "0"):
        return _collect(plan, optimizations)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pl.exceptions.UnstableWarning)
        return _collect(plan, optimizations)


def _collect(plan: pl.LazyFrame, optimizations: pl.QueryOptFlags) -> pl.DataFrame:
    query = plan.collect(engine="in-memory", optimizations=optimizations, background=True)
    return query.fetch_blocking()
