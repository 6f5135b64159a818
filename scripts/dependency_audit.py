"""Audit the installed dependencies for known vulnerabilities with pip-audit, for CI.

Exit 0 when no known vulnerability was found, or when the vulnerability database
could not be reached (then a notice says the audit was skipped: CI must never fail
for network reasons); exit 1 when a vulnerability was found. The audit is given
a short timeout.

Usage: ``python scripts/dependency_audit.py [--timeout SECONDS]``
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path


def _notice(text: str) -> int:
    print(f"dependency audit skipped: {text}")
    return 0


def main() -> int:
    """Run the audit; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "audit.json"
        command = [
            sys.executable, "-m", "pip_audit", "--skip-editable", "--progress-spinner", "off",
            "-f", "json", "-o", str(report),
        ]  # fmt: skip
        try:
            run = subprocess.run(
                command, check=False, capture_output=True, text=True, timeout=args.timeout
            )
        except subprocess.TimeoutExpired:
            return _notice(f"pip-audit did not finish within {args.timeout:.0f}s")
        except OSError as exc:
            return _notice(f"pip-audit could not start ({exc.strerror})")
        if not report.is_file():
            last = (run.stderr.strip().splitlines() or ["no output"])[-1]
            return _notice(f"pip-audit could not reach its database ({last})")
        dependencies = json.loads(report.read_text(encoding="utf-8")).get("dependencies", [])
    audited = [d for d in dependencies if "skip_reason" not in d]
    if not audited:
        return _notice("the vulnerability database was not reachable for any package")
    found = [(d["name"], d["version"], v["id"]) for d in audited for v in d.get("vulns", [])]
    for name, version, ident in found:
        print(f"vulnerable: {name} {version}: {ident}")
    skipped = len(dependencies) - len(audited)
    print(
        f"dependency audit: {len(audited)} packages audited ({skipped} not found), "
        f"{len(found)} known vulnerabilities"
    )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
