"""Per-record calls: how a tiny plan is collected."""

from __future__ import annotations

from typing import Final

import polars as pl

__all__ = ["ONE_RECORD"]

ONE_RECORD: Final = pl.QueryOptFlags.none()
"""How a per-record call collects its tiny plan: planning costs more than it saves there."""
