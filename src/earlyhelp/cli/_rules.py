"""Command-line commands over the rule engine: ``rereferrals``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import polars as pl

from earlyhelp.cli._data import add_allow_rejected, load_checked, profile_arg, rejected_exit
from earlyhelp.cli._output import FORMATS, add_output, emit, output, progress
from earlyhelp.io._dataset import Dataset
from earlyhelp.periods._periods import Period, parse_period
from earlyhelp.profiles._profile import Profile
from earlyhelp.rules._rereferral import flag_rereferrals
from earlyhelp.rules._rereferral_rule import PlacedBy, RereferralRule

__all__ = ["add_rule_commands", "rereferral_table"]

EXIT_OK = 0


def rereferral_table(
    data: Dataset, profile: Profile, period: Period | None, *, every: bool = False
) -> pl.DataFrame:
    """Referrals flagged as re-referrals, each with its explanation.

    Flags and explanations come from the one re-referral definition, in bulk
    (:func:`flag_rereferrals` with ``explain=True``), so an explanation can never
    contradict the flag beside it. With ``every``, referrals that are not
    re-referrals are listed too.

    Columns: ``referral_id``, ``referral_date``, ``judged_on`` (the date the rule
    judged and placed it by: the referral date, or the date its case opened),
    ``rereferral``, ``matched_id``, ``rule_id``, ``explanation`` (the decision in
    words, as ``str()`` of :func:`is_rereferral`'s decision prints it).
    """
    referrals, cases = data["referrals"], data["cases"]
    flags = flag_rereferrals(referrals, cases, profile=profile, period=period, explain=True)
    shown = flags if every else flags.filter(pl.col("rereferral"))
    return (
        shown.join(
            referrals.select("referral_id", "referral_date"),
            on="referral_id",
            how="left",
            maintain_order="left",
        )
        .with_columns(pl.col("rule_id").cast(pl.String))
        .select(
            "referral_id",
            "referral_date",
            "judged_on",
            "rereferral",
            "matched_id",
            "rule_id",
            "explanation",
        )
    )


def rule_lines(profile: Profile) -> list[str]:
    """Each re-referral rule version of a profile in words, as the command prints them.

    Example:
        >>> from earlyhelp.profiles import load_profile
        >>> for line in rule_lines(load_profile("northmoor")):
        ...     print(line)
        rule NM-RR-12M (from 01/04/2011): within 12 months of closure, matched on family, judged and counted by the date the case opened; the rate is a share of the cases opened in the period
    """
    return [
        f"rule {rule.rule_id} ({rule.effective}): {rule.describe()}, matched on "
        f"{rule.match_on.value}, judged and counted by {rule.placed_by.words}; the rate is a "
        f"share of {rule.denominator.words}"
        for rule in profile.versions(RereferralRule)
    ]


def _rereferrals(args: argparse.Namespace) -> int:
    profile = profile_arg(args.profile)
    period = None if args.period is None else parse_period(args.period)
    data = load_checked(args.data, profile)
    with progress("flagging re-referrals"):
        table = rereferral_table(data, profile, period, every=args.all)
    with output(args.output) as stream:
        if args.format == "table":
            flagged = table.filter(pl.col("rereferral")).height
            by_referral = all(
                rule.placed_by is PlacedBy.REFERRAL for rule in profile.versions(RereferralRule)
            )
            where = ""
            if period is not None:
                where = f" {'dated' if by_referral else 'judged'} in {period.label}"
            stream.write(
                f"{flagged:,} re-referrals among the referrals{where} "
                f"(profile {profile.profile_id})\n"
            )
            for line in rule_lines(profile):
                stream.write(f"{line}\n")
            for row in table.iter_rows(named=True):
                summary = row["explanation"].split("\n", 1)[0]  # the decision's first line
                stream.write(f"  {row['referral_id']}  {summary}\n")
        else:
            emit(table, args.format, stream)
    return rejected_exit(data, args)


def add_rule_commands(commands: Any) -> None:
    """Add ``rereferrals`` to the command parser."""
    rereferrals = commands.add_parser(
        "rereferrals",
        help="flag the re-referrals in a dataset and explain each one",
        description="Flag every referral of DATA that is a re-referral under the profile's "
        "rule (its window, anchor, matching and the date it judges by: the table output "
        "states the rule in force), naming the earlier episode it matched and the rule "
        "version applied.",
        epilog="Exit codes: 0 success; 1 rows were rejected at load (the output leaves "
        "them out; --allow-rejected exits 0); 2 the command could not run (bad path, no "
        "recognised table, unknown profile, malformed file, no rule in force).",
    )
    rereferrals.add_argument("data", type=Path, help="folder or workbook to load")
    rereferrals.add_argument(
        "--profile", required=True, help="a shipped profile's name or a profile file"
    )
    rereferrals.add_argument(
        "--period",
        help="only referrals judged in this year or quarter, e.g. 2014-15 (by the date "
        "the profile's rule judges by: the referral date, or the date the case opened)",
    )
    rereferrals.add_argument(
        "--all", action="store_true", help="list referrals that are not re-referrals too"
    )
    rereferrals.add_argument("--format", choices=FORMATS, default="table", help="output format")
    add_output(rereferrals)
    add_allow_rejected(rereferrals)
    rereferrals.set_defaults(run=_rereferrals)
