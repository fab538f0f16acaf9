"""The HTML report, opened in a real browser (Debian's chromium, headless)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES
from PIL import Image

from evidencegen.cli import cli
from evidencegen.render.tokens import STATES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]
needs_browser = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium; .ci/run does)")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html") / "report.html"
    result = CliRunner().invoke(cli, ["check", str(SAMPLES / "part-way"), "--format", "html",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
                          capture_output=True, text=True, timeout=120, check=True)


def test_report_is_self_contained_and_states_are_words(report: Path) -> None:
    html = report.read_text()
    assert not re.search(r"""(src|href)=["']?(https?:|//|file:)""", html)
    assert "<link" not in html and "@import" not in html and "url(" not in html
    assert "Not started: 20" in html and "In progress: 2" in html
    assert 'id="ac-5-2"' in html and "At least 3 different techniques" in html
    assert "sessions/2026-07-06-first-meeting.md:13" in html


@needs_browser
def test_report_renders_in_chromium_and_is_not_blank(report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    chromium(tmp_path, "--window-size=1100,900", f"--screenshot={shot}", report.as_uri())
    image = Image.open(shot).convert("RGB")
    assert image.size == (1100, 900)
    colours = image.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 50
    # the "not started" grey bar and the "in progress" amber bar are both drawn, no alarm red
    raw = image.tobytes()
    pixels = {raw[i:i + 3] for i in range(0, len(raw), 3)}
    assert bytes.fromhex(STATES["not_started"]["ink"][1:]) in pixels
    assert bytes.fromhex(STATES["in_progress"]["ink"][1:]) in pixels
    assert bytes((0xB4, 0x23, 0x18)) not in pixels


@needs_browser
def test_opening_a_criterion_shows_its_evidence(report: Path, tmp_path: Path) -> None:
    closed = chromium(tmp_path, "--dump-dom", report.as_uri()).stdout
    opened = chromium(tmp_path, "--dump-dom", report.as_uri() + "#ac-5-2").stdout

    def details(dom: str) -> str:
        m = re.search(r'<details[^>]*id="ac-5-2"[^>]*>', dom)
        assert m is not None
        return m.group(0)

    assert "open" not in details(closed)
    assert "open" in details(opened)
    shot_closed, shot_open = tmp_path / "closed.png", tmp_path / "open.png"
    chromium(tmp_path, "--window-size=1100,3000", f"--screenshot={shot_closed}", report.as_uri())
    chromium(tmp_path, "--window-size=1100,3000", f"--screenshot={shot_open}",
             report.as_uri() + "#ac-5-2")
    # expanded, the criterion's rules and evidence quotes take up more of the page
    def inked(path: Path) -> int:
        gray = Image.open(path).convert("L")
        return sum(1 for v in gray.tobytes() if v < 128)

    assert inked(shot_open) > inked(shot_closed) * 1.1


@needs_browser
def test_report_fits_a_phone_screen(report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "phone.png"
    chromium(tmp_path, "--window-size=390,844", f"--screenshot={shot}", report.as_uri())
    image = Image.open(shot).convert("RGB")
    # nothing is cut off at the right edge: the last columns are page background
    right = [image.getpixel((385, y)) for y in range(0, 844, 4)]
    assert all(sum(p) > 700 for p in right)


@needs_browser
def test_report_prints_with_every_criterion_open(report: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    pdf = tmp_path / "report.pdf"
    chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", report.as_uri())
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(str(pdf)).pages).split())
    assert "Tom Brennan (L4-023)" in text
    # the evidence inside closed criteria is printed too
    assert "Mostly I listened while she went through it." in text
    assert "techniques need to show in dated sessions" in text
