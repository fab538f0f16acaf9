"""Copied text: published study notes are recognised by fingerprints; paraphrase is not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, note

from evidencegen.api import analyse
from evidencegen.cli import cli
from evidencegen.fingerprints import shipped

SEEDS = REPO.parent / "shared" / "seeds"
HANDBOOK = """\
Our centre expects every learner to keep a dated record of each mentoring session with a
named pseudonym for the mentee. The record should explain what the mentor did, why she did
it and how the mentee responded, because assessors look for the reasons behind each action.
"""


def rule(folder: Path, ac: str, **kw):
    cov = analyse(folder, **kw).coverage[ac]
    return next(r for r in cov.rules if r.rule == "own_words")


def test_a_centre_source_is_fingerprinted_and_pasted_text_is_flagged(learner_dir, tmp_path):
    source = tmp_path / "handbook.txt"
    source.write_text(HANDBOOK)
    prints = tmp_path / "centre.json"
    result = CliRunner().invoke(cli, ["fingerprint", str(source), "--title", "Centre handbook",
                                      "-o", str(prints)])
    assert result.exit_code == 0, result.output
    stored = prints.read_text()
    assert "mentoring session" not in stored  # hashes only, never the text
    assert json.loads(stored)["sources"][0]["title"] == "Centre handbook"

    pasted = ("The record should explain what the mentor did, why she did it and how the "
              "mentee responded.")
    paraphrase = ("I wrote down what I did and my reasons, and what my mentee said back, so "
                  "my assessor can see why I acted.")
    session = {"type": "session", "date": "2026-04-01", "mentee": "Mentee A"}
    folder = learner_dir({"s/a.md": note(session, f"I listened. {pasted}")})
    flagged = rule(folder, "5.2", extra_fingerprints=(prints,))
    assert (flagged.found, flagged.met) == (1, False)
    assert "s/a.md line 6" in flagged.reason and "Centre handbook" in flagged.reason

    folder = learner_dir({"s/a.md": note(session, f"I listened. {paraphrase}")})
    assert rule(folder, "5.2", extra_fingerprints=(prints,)).met


def test_shipped_fingerprints_hold_hashes_for_both_study_pages() -> None:
    titles = [s.title for s in shipped()]
    assert any("1.1" in t for t in titles) and any("5.2" in t for t in titles)
    assert all(len(s.hashes) > 300 for s in shipped())


@pytest.mark.skipif(not SEEDS.is_dir(),
                    reason="the published study pages are not in this repository; they sit "
                           "in shared/seeds beside it on the project's machines")
def test_pasting_from_the_published_study_page_is_flagged(learner_dir) -> None:
    page = next(p for p in SEEDS.glob("*.txt") if "Compare models" in p.read_text())
    lines = [ln.strip(" •\t") for ln in page.read_text().splitlines()]
    pasted = next(ln for ln in lines if len(ln.split()) >= 10 and "model" not in ln.lower())
    meta = {"type": "knowledge", "references": ["A (2024) B."]}
    folder = learner_dir({"r.md": note(meta, f"## Peer mentoring\n{pasted}\n")})
    result = rule(folder, "1.1")
    assert not result.met
    assert "criterion 1.1" in result.reason
