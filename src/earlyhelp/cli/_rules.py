"""Command-line commands over the rule engine: ``rereferrals``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import polars as pl

from earlyhelp.cli._data import add_allow_rejected, load_checked, profile_arg, rejected_exit
from earlyhelp.cli._output import FORMATS, add_output, emit, output, progress
from earlyhelp.io._dataset import Dataset
from earlyhelp.io._records import frame_to_records
from earlyhelp.io._tables import SCHEMAS
from earlyhelp.model._casework import Referral
from earlyhelp.periods._periods import Period, parse_period
from earlyhelp.profiles._profile import Profile
from earlyhelp.rules._rereferral import flag_rereferrals, is_rereferral
from earlyhelp.rules._rereferral_history import RereferralHistory

__all__ = ["add_rule_commands", "rereferral_table"]

EXIT_OK = 0


def rereferral_table(
    data: Dataset, profile: Profile, period: Period | None, *, every: bool = False
) -> pl.DataFrame:
    """Referrals flagged as re-referrals, each with the one-line explanation.

    The flags come from the bulk rule (:func:`flag_rereferrals`); the
    explanation of each flagged referral from the per-record rule
    (:func:`is_rereferral`), which names the same earlier episode. With
    ``every``, referrals that are not re-referrals are listed too.

    Columns: ``referral_id``, ``referral_date``, ``rereferral``, ``matched_id``,
    ``rule_id``, ``explanation``.
    """
    referrals, cases = data["referrals"], data["cases"]
    flags = flag_rereferrals(referrals, cases, profile=profile, period=period)
    shown = flags if every else flags.filter(pl.col("rereferral"))
    subjects = referrals.join(
        shown.select("referral_id"), on="referral_id", how="semi", maintain_order="left"
    )
    history = RereferralHistory.from_frames(cases=cases, referrals=referrals)
    explained = {
        ref.referral_id: is_rereferral(ref, history=history, profile=profile).summary
        for ref in frame_to_records(subjects, SCHEMAS["referrals"])
        if isinstance(ref, Referral)
    }
    return (
        shown.join(
            referrals.select("referral_id", "referral_date"),
            on="referral_id",
            how="left",
            maintain_order="left",
        )
        .with_columns(
            pl.col("referral_id")
            .replace_strict(explained, default=None, return_dtype=pl.String)
            .alias("explanation"),
            pl.col("rule_id").cast(pl.String),
        )
        .select(
            "referral_id", "referral_date", "rereferral", "matched_id", "rule_id", "explanation"
        )
    )


def _rereferrals(args: argparse.Namespace) -> int:
    profile = profile_arg(args.profile)
    period = None if args.period is None else parse_period(args.period)
    data = load_checked(args.data, profile)
    with progress("flagging re-referrals"):
        table = rereferral_table(data, profile, period, every=args.all)
    with output(args.output) as stream:
        if args.format == "table":
            flagged = table.filter(pl.col("rereferral")).height
            where = "" if period is None else f" dated in {period.label}"
            stream.write(
                f"{flagged:,} re-referrals among the referrals{where} "
                f"(profile {profile.profile_id})\n"
            )
            for row in table.iter_rows(named=True):
                stream.write(f"  {row['referral_id']}  {row['explanation']}\n")
        else:
            emit(table, args.format, stream)
    return rejected_exit(data, args)


def add_rule_commands(commands: Any) -> None:
    """Add ``rereferrals`` to the command parser."""
    rereferrals = commands.add_parser(
        "rereferrals",
        help="flag the re-referrals in a dataset and explain each one",
        description="Flag every referral of DATA that is a re-referral under the profile's "
        "rule (e.g. within 3 months of an earlier case's closure), naming the earlier "
        "episode it matched and the rule version applied.",
        epilog="Exit codes: 0 success; 1 rows were rejected at load (the output leaves "
        "them out; --allow-rejected exits 0); 2 the command could not run (bad path, no "
        "recognised table, unknown profile, malformed file, no rule in force).",
    )
    rereferrals.add_argument("data", type=Path, help="folder or workbook to load")
    rereferrals.add_argument(
        "--profile", required=True, help="a shipped profile's name or a profile file"
    )
    rereferrals.add_argument(
        "--period", help="only referrals dated in this year or quarter, e.g. 2014-15"
    )
    rereferrals.add_argument(
        "--all", action="store_true", help="list referrals that are not re-referrals too"
    )
    rereferrals.add_argument("--format", choices=FORMATS, default="table", help="output format")
    add_output(rereferrals)
    add_allow_rejected(rereferrals)
    rereferrals.set_defaults(run=_rereferrals)
