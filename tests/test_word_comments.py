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


def test_met_comment_signs_off(draft: Path, tmp_path: Path) -> None:
    cov = analyse(comment(draft, tmp_path, "Met - observed 22 September.")).coverage["5.2"]
    assert cov.status == "signed_off"
    assert cov.decision is not None
    assert (cov.decision.assessor, cov.decision.comments) == ("Sam Okoro",
                                                             "observed 22 September.")


def test_not_yet_comment_keeps_it_open_with_the_comment_as_a_gap(draft, tmp_path) -> None:
    path = comment(draft, tmp_path, "Not yet: add a session showing how you resolved conflict.")
    cov = analyse(path).coverage["5.2"]
    assert cov.evidenced_status == "met" and cov.status == "in_progress"
    assert "add a session showing how you resolved conflict." in cov.gaps[0]
    result = CliRunner().invoke(cli, ["check", str(path), "-c", "5.2"])
    assert "5.2   in progress" in result.output
    assert "Assessor's decision by Sam Okoro" in " ".join(result.output.split())


def test_ordinary_comments_are_not_decisions(draft: Path, tmp_path: Path) -> None:
    cov = analyse(comment(draft, tmp_path, "Metadata looks odd here")).coverage["5.2"]
    assert cov.decision is None and cov.status == "met"
