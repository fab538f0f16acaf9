"""Assessor decisions written as Word comments on a learner's draft, read by `check`."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from evidencegen.api import BuildOptions, analyse, build
from evidencegen.cli import cli


@pytest.fixture(scope="module")
def draft(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("comments")
    return build(SAMPLES / "complete", BuildOptions(out=out, formats=("docx",),
                                                   criteria=("5.2",))).files[0]


def comment(draft: Path, tmp_path: Path, text: str) -> Path:
    d = docx.Document(str(draft))
    para = next(p for p in d.paragraphs if p.text.startswith("Our first proper session"))
    d.add_comment(para.runs, text=text, author="Sam Okoro", initials="SO")
    d.add_comment(para.runs, text="Nice detail here.", author="Sam Okoro")
    path = tmp_path / "commented.docx"
    d.save(str(path))
    return path


def test_met_comment_is_shown_as_an_unverified_claim(draft: Path, tmp_path: Path) -> None:
    cov = analyse(comment(draft, tmp_path, "Met - observed 22 September.")).coverage["5.2"]
    assert cov.status != "signed_off" and cov.decision is None
    [claim] = [s for s in cov.signatures if s.kind == "word comment"]
    assert (claim.verified, claim.decision, claim.assessor) == (False, "met", "Sam Okoro")
    assert "anyone with the file can type" in claim.reason
    result = CliRunner().invoke(cli, ["check", str(comment(draft, tmp_path, "Met.")),
                                      "-c", "5.2"])
    flat = " ".join(result.output.split())
    assert "unverified word comment 'met' on 5.2 by Sam Okoro" in flat
    assert "5.2 signed off" not in flat


def test_not_yet_comment_is_a_claim_that_changes_nothing(draft, tmp_path) -> None:
    path = comment(draft, tmp_path, "Not yet: add a session showing how you resolved conflict.")
    cov = analyse(path).coverage["5.2"]
    assert cov.status == cov.evidenced_status
    assert [(s.kind, s.decision, s.verified) for s in cov.signatures
            if s.kind == "word comment"] == [("word comment", "not_yet", False)]


def test_ordinary_comments_are_not_decisions(draft: Path, tmp_path: Path) -> None:
    cov = analyse(comment(draft, tmp_path, "Metadata looks odd here")).coverage["5.2"]
    assert cov.decision is None
    assert not [s for s in cov.signatures if s.kind == "word comment"]
