"""The wheel carries templates/ and criteria/: a non-editable install works from anywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, note


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(dist), str(REPO)],
        check=True, capture_output=True,
    )
    (found,) = dist.glob("evidencegen-*.whl")
    return found


def test_wheel_contains_templates_criteria_and_starter(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "evidencegen/templates/base.html.j2" in names
    assert "evidencegen/templates/criterion-5.2.html.j2" in names
    assert "evidencegen/templates/style.css" in names
    assert "evidencegen/criteria/unit-435.yaml" in names
    assert "evidencegen/starter/learner.yaml" in names
    assert not any(n.startswith(("tests/", "samples/")) for n in names)


def test_installed_wheel_builds_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site),
         str(wheel)],
        check=True, capture_output=True,
    )
    learner = tmp_path / "learner"
    (learner / "sessions").mkdir(parents=True)
    (learner / "learner.yaml").write_text("name: Wheel Test\nlearner_id: W-1\n")
    (learner / "sessions" / "a.md").write_text(
        note({"type": "session", "date": "2026-04-01", "mentee": "M"}, "I listened to her."))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    code = (
        "import evidencegen, sys; print(evidencegen.__file__);"
        "from evidencegen.cli import main; sys.argv=['evidencegen','build','../learner',"
        "'-o','out','-f','docx']; main()"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0].startswith(str(site))  # not the checkout
    data = json.loads((elsewhere / "out" / "W-1" / "coverage.json").read_text())
    assert {c["id"]: c["status"] for c in data["criteria"]}["5.2"] == "in_progress"
    assert (elsewhere / "out" / "W-1" / "W-1_435_5.2.docx").stat().st_size > 10_000
