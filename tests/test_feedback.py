"""The assessor's decisions in feedback.yaml: made with `decide` and the centre's key, they
sign a criterion off or keep it open with the comments as gaps; written by hand, they are
shown as unverified claims and count for nothing."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import note

from evidencegen.api import BuildOptions, analyse, build, decide
from evidencegen.cli import cli
from evidencegen.signing import SigningKey, new_key

SESSIONS = {
    "s/a.md": note({"type": "session", "date": "2026-04-01", "mentee": "Mentee A"},
                   "I listened. I praised her. We agreed to meet every week."),
    "s/b.md": note({"type": "session", "date": "2026-05-01", "mentee": "Mentee A"},
                   "I listened again."),
}
MET = """\
"5.2":
  decision: met
  date: 2026-10-02
  assessor: Sam Okoro
  comments: Observed on 22 September; techniques used well.
"""
DAY = dt.date(2026, 10, 2)


@pytest.fixture
def key(tmp_path: Path) -> SigningKey:
    (tmp_path / "centre").mkdir()
    return new_key(tmp_path / "centre" / "signing.key")


def test_met_decision_made_with_decide_signs_the_criterion_off(learner_dir, key) -> None:
    folder = learner_dir(SESSIONS)
    done = decide(folder, "5.2", "met", "Sam Okoro", key,
                  "Observed on 22 September; techniques used well.", DAY)
    assert done.files == ("s/a.md", "s/b.md")
    cov = analyse(folder, key=key).coverage["5.2"]
    assert cov.evidenced_status == "ready"
    assert cov.status == "signed_off"
    assert cov.decision is not None and cov.decision.assessor == "Sam Okoro"
    [signed] = cov.signatures
    assert (signed.verified, signed.date, [f for f, _ in signed.files]) == (
        True, DAY, ["s/a.md", "s/b.md"])


def test_not_yet_keeps_it_open_and_comments_become_gaps(learner_dir, key) -> None:
    folder = learner_dir(SESSIONS)
    decide(folder, "5.2", "not-yet", "Sam Okoro", key,
           "Add how you resolved the rota disagreement.", DAY)
    cov = analyse(folder, key=key).coverage["5.2"]
    assert cov.evidenced_status == "ready"
    assert cov.status == "in_progress"
    assert cov.gaps[0] == ("Assessor's decision by Sam Okoro on 2 October 2026: not yet met: "
                           "Add how you resolved the rota disagreement.")


def test_a_hand_written_decision_is_an_unverified_claim(learner_dir, key) -> None:
    folder = learner_dir({**SESSIONS, "feedback.yaml": MET})
    for with_key in (None, key):
        cov = analyse(folder, key=with_key).coverage["5.2"]
        assert (cov.status, cov.decision) == ("ready", None)
        [claim] = cov.signatures
        assert not claim.verified and claim.reason.startswith("not signed")


def test_decision_appears_in_the_assessor_block_of_the_document(learner_dir, key,
                                                                tmp_path) -> None:
    folder = learner_dir(SESSIONS)
    decide(folder, "5.2", "met", "Sam Okoro", key,
           "Observed on 22 September; techniques used well.", DAY)
    result = build(folder, BuildOptions(out=tmp_path / "out", formats=("docx",),
                                        criteria=("5.2",), signing_key=key.path))
    d = docx.Document(str(result.files[0]))
    block = d.tables[-1]
    assert block.rows[0].cells[1].text == "Met"
    assert block.rows[1].cells[1].text == "Observed on 22 September; techniques used well."
    assert block.rows[2].cells[3].text == "2 October 2026"
    assert any("Signed off by assessor" in c.text for c in d.tables[0].columns[1].cells)


def test_an_unverified_decision_never_reaches_the_document(learner_dir, tmp_path) -> None:
    folder = learner_dir({**SESSIONS, "feedback.yaml": MET})
    result = build(folder, BuildOptions(out=tmp_path / "out", formats=("docx",),
                                        criteria=("5.2",)))
    d = docx.Document(str(result.files[0]))
    assert d.tables[-1].rows[0].cells[1].text != "Met"
    assert not any("Signed off" in c.text for c in d.tables[0].columns[1].cells)


def test_decide_keeps_other_entries_and_a_readable_file(learner_dir, key) -> None:
    folder = learner_dir(SESSIONS)
    decide(folder, "5.2", "not-yet", "Sam Okoro", key, "More sessions please.", DAY)
    decide(folder, "1.1", "met", "Sam Okoro", key, None, DAY)
    text = (folder / "feedback.yaml").read_text()
    assert "decision: not_yet" in text and "comments: More sessions please." in text
    assert "s/a.md: sha256:" in text and text.count("signature: hmac-sha256:") == 2
    checks = {s.subject: s.verified for s in analyse(folder, key=key).learner.signatures}
    assert checks == {"5.2": True, "1.1": True}


def test_decide_on_the_command_line_with_the_centre_key(learner_dir, key, tmp_path) -> None:
    folder = learner_dir(SESSIONS)
    centre = tmp_path / "centre" / "centre.yaml"
    centre.write_text("name: Test Centre\nsigning_key: signing.key\n")
    result = CliRunner().invoke(cli, ["decide", str(folder), "5.2", "met", "--assessor",
                                      "Sam Okoro", "--comments", "Well done.", "--date",
                                      "2026-10-02", "--centre", str(centre)])
    assert result.exit_code == 0, result.output
    assert "signed over 2 files:" in result.output and "  s/a.md" in result.output
    checked = CliRunner().invoke(cli, ["check", str(folder), "-c", "5.2", "--centre",
                                       str(centre)])
    flat = " ".join(checked.output.split())
    assert "5.2 signed off" in flat
    assert "verified decision 'met' on 5.2, signed by Sam Okoro on 2 October 2026" in flat


def test_decide_without_a_key_is_refused(learner_dir, monkeypatch) -> None:
    monkeypatch.delenv("EVIDENCEGEN_SIGNING_KEY", raising=False)
    folder = learner_dir(SESSIONS)
    result = CliRunner().invoke(cli, ["decide", str(folder), "5.2", "met", "--assessor",
                                      "Sam Okoro"])
    assert result.exit_code == 2 and "no signing key" in result.stderr
    assert not (folder / "feedback.yaml").exists()


def test_key_new_is_private_and_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "centre.key"
    made = CliRunner().invoke(cli, ["key", "new", str(path)])
    assert made.exit_code == 0, made.output
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    first = path.read_text()
    again = CliRunner().invoke(cli, ["key", "new", str(path)])
    assert again.exit_code == 2 and "never overwritten" in again.stderr
    assert path.read_text() == first
    other = tmp_path / "other.key"
    CliRunner().invoke(cli, ["key", "new", str(other)])
    assert other.read_text() != first  # random, not derived from anything


def test_feedback_for_an_unknown_criterion_names_the_line(learner_dir, tmp_path) -> None:
    folder = learner_dir({**SESSIONS, "feedback.yaml": MET + '"7.1":\n  decision: met\n'})
    result = CliRunner().invoke(cli, ["build", str(folder), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "feedback.yaml:6:" in result.stderr and "'7.1'" in result.stderr


def test_feedback_with_a_bad_decision_names_the_line(learner_dir, tmp_path) -> None:
    folder = learner_dir({**SESSIONS, "feedback.yaml": MET.replace("decision: met",
                                                                   "decision: maybe")})
    result = CliRunner().invoke(cli, ["build", str(folder), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "feedback.yaml:2:" in result.stderr and "'decision' cannot be 'maybe'" in result.stderr
