"""Write a profile for another council, load it and see what its rules change.

Run it with ``python examples/write_a_profile.py``. A profile is a TOML (or
YAML) file of dated, cited rule versions. This example copies the source city's
profile, turns it into "Northshire" (a fictional council) whose re-referral
window narrows from 3 calendar months to 1 on 1 October 2014, loads it, checks it
validates, and counts the demo data's re-referrals under both profiles, then
explains, under each, one referral that only the source city counts. It writes nothing
outside a temporary folder.
"""

from __future__ import annotations

import re
import tempfile
from importlib.resources import files
from pathlib import Path

import polars as pl

import earlyhelp as eh
from earlyhelp.rules import RereferralRule

SOURCE = "derby-2014-15"


def northshire(text: str) -> str:
    """Edit the source city's profile text into Northshire's."""
    text = text.replace('id = "derby-2014-15"', 'id = "northshire-2014-15"', 1)
    text = re.sub(
        r'title = "Derby [^"]*"', 'title = "Northshire early help framework"', text, count=1
    )
    text = text.replace('council = "Derby City Council"', 'council = "Northshire County Council"')
    old = '[[rereferral]]\nid = "RR-3M"\neffective_from = 2013-04-01\n'
    assert old in text, "the source profile's re-referral rule moved"
    # Close the 3-month version the day before the new one starts: versions never overlap.
    closed = old + "effective_to = 2014-09-30\n"
    one_month = (
        '[[rereferral]]\nid = "RR-1M"\neffective_from = 2014-10-01\n'
        'citation = { document = "Northshire early help strategy 2014", '
        'section = "re-referrals within one month" }\n'
        'anchor = "previous_closure"\nmonths = 1\nanchor_inclusive = false\n'
        'far_inclusive = true\nmatch_on = "child"\nexclude_same_case = true\n\n'
    )
    return text.replace(old, one_month + closed, 1)


def main() -> None:
    source = files("earlyhelp").joinpath("profiles", f"{SOURCE}.toml").read_text("utf-8")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "northshire-2014-15.toml"
        path.write_text(northshire(source), encoding="utf-8")
        profile = eh.load_profile(path)  # raises ProfileError, naming each bad key, if invalid
    print(f"Loaded {profile.profile_id}: {profile.title}")
    for rule in profile.versions(RereferralRule):
        print(f"  {rule.rule_id}: {rule.window.describe()} closure, in force {rule.effective}")

    data = eh.load(eh.demo_path())
    referrals, cases = data["referrals"], data["cases"]
    counts = {}
    flags = {}
    for name in (SOURCE, profile):
        found = eh.flag_rereferrals(referrals, cases, profile=name, period="2014-15")
        key = name if isinstance(name, str) else name.profile_id
        flags[key] = found
        counts[key] = int(found["rereferral"].sum())
    print("\nRe-referrals among the demo data's 2014-15 referrals:")
    for key, count in counts.items():
        print(f"  {key}: {count}")
    assert counts[profile.profile_id] <= counts[SOURCE], "a narrower window never flags more"

    dropped = (
        flags[profile.profile_id]
        .join(flags[SOURCE], on="referral_id", suffix="_source")
        .filter(~pl.col("rereferral") & pl.col("rereferral_source"))
    )
    print(f"\n{dropped.height} referrals are re-referrals only under the source city's rule")
    if dropped.height:
        ident = dropped["referral_id"][-1]
        referral = next(r for r in data.records("referrals") if r.referral_id == ident)
        for name in (SOURCE, profile):
            decision = eh.is_rereferral(referral, cases=list(data.records("cases")), profile=name)
            print(f"\n{decision}")


if __name__ == "__main__":
    main()
