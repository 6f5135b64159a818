"""The HTML report opens in a real browser: no console errors, every chart image loads.

Runs headless Chromium (Debian's ``chromium``; ``.ci/run`` installs it). A
small test-only script is injected into a copy of the page: it records
``window.onerror`` and ``console.error`` calls, then checks every ``<img>`` is
complete with a natural width, and writes the verdict into the DOM, which
``--dump-dom`` prints. A screenshot is saved to ``tests/artifacts/report.png``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from demo_data import demo_report
from earlyhelp.report import Report, render_html

ARTIFACTS = Path(__file__).parent / "artifacts"

_PROBE = """
<script>
window.__errors = [];
window.addEventListener("error", function (e) {
  window.__errors.push("error: " + (e.message || (e.target && e.target.src) || "?"));
}, true);
var __consoleError = console.error;
console.error = function () {
  window.__errors.push("console: " + Array.prototype.join.call(arguments, " "));
  __consoleError.apply(console, arguments);
};
window.addEventListener("load", function () {
  var images = Array.prototype.slice.call(document.images);
  var broken = images.filter(function (i) { return !(i.complete && i.naturalWidth > 0); });
  var out = document.createElement("pre");
  out.id = "probe";
  out.textContent = "PROBE images=" + images.length + " broken=" + broken.length +
    " errors=" + window.__errors.length + " [" + window.__errors.join(" | ") + "] END";
  document.body.appendChild(out);
});
</script>
"""


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI") or os.environ.get("EARLYHELP_REQUIRE_BROWSER"):
        pytest.fail("headless Chromium is required in CI; .ci/run installs Debian's chromium")
    pytest.skip("no chromium on this machine (CI installs it)")


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            _chromium(),
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--no-first-run",
            "--disable-dev-shm-usage",
            f"--user-data-dir={tmp_path / 'profile'}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _probe(page: str, tmp_path: Path) -> tuple[int, int, int, str, str]:
    probed = tmp_path / "probed.html"
    probed.write_text(page.replace("</head>", _PROBE + "</head>", 1), encoding="utf-8")
    done = _run(["--virtual-time-budget=5000", "--dump-dom", probed.as_uri()], tmp_path)
    found = re.search(r"PROBE images=(\d+) broken=(\d+) errors=(\d+) \[(.*?)\] END", done.stdout)
    assert found, f"the probe did not report (exit {done.returncode}): {done.stderr[-2000:]}"
    images, broken, errors, messages = found.groups()
    return int(images), int(broken), int(errors), messages, done.stdout


def test_the_probe_catches_a_broken_image_and_a_script_error(tmp_path: Path) -> None:
    page = render_html(Report(title="Broken")).replace(
        "</body>",
        '<img src="data:image/png;base64,AAAA" alt="x"><script>console.error("boom");'
        "undefinedFunction();</script></body>",
    )
    images, broken, errors, messages, _ = _probe(page, tmp_path)
    assert (images, broken) == (1, 1)
    assert errors == 3  # the image's load error, console.error and the uncaught error
    assert "boom" in messages
    assert "undefinedFunction" in messages


def test_report_opens_in_chromium_with_every_chart_loaded(tmp_path: Path) -> None:
    report = demo_report()
    charts = len(report.charts())
    assert charts >= 2
    images, broken, errors, messages, dom = _probe(render_html(report), tmp_path)
    assert images == charts
    assert broken == 0
    assert errors == 0, messages
    assert report.title in dom


def test_report_screenshot_shows_the_report(tmp_path: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page = tmp_path / "report.html"
    page.write_text(render_html(demo_report()), encoding="utf-8")
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    done = _run(
        ["--window-size=1280,2000", "--hide-scrollbars", f"--screenshot={shot}", page.as_uri()],
        tmp_path,
    )
    assert shot.is_file(), done.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 2000)
    assert len(data) > 20_000  # a blank page compresses to a few kilobytes
    print(f"screenshot: {shot}")


def test_audit_and_survey_sections_screenshot(tmp_path: Path) -> None:
    """The report's lower sections (survey themes, case file audits) render, seen in a browser."""
    ARTIFACTS.mkdir(exist_ok=True)
    wanted = ("Survey themes", "Case file audits")
    sections = tuple(s for s in demo_report().sections if s.title in wanted)
    assert [s.title for s in sections] == list(wanted)
    page = tmp_path / "lower.html"
    page.write_text(render_html(Report(title="Lower sections", sections=sections)), "utf-8")
    images, broken, errors, messages, dom = _probe(page.read_text("utf-8"), tmp_path)
    assert (images, broken, errors) == (2, 0, 0), messages
    assert "Case file audit grades, 2014-15" in dom
    shot = ARTIFACTS / "report_audits.png"
    shot.unlink(missing_ok=True)
    done = _run(
        ["--window-size=1280,3000", "--hide-scrollbars", f"--screenshot={shot}", page.as_uri()],
        tmp_path,
    )
    assert shot.is_file(), done.stderr[-2000:]
    assert len(shot.read_bytes()) > 20_000
