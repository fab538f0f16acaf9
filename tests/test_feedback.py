"""The assessor's decisions in feedback.yaml: signed off, or not yet with comments as gaps."""

from __future__ import annotations

import docx
from click.testing import CliRunner
from conftest import note

from evidencegen.api import BuildOptions, analyse, build
from evidencegen.cli import cli

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
NOT_YET = """\
"5.2":
  decision: not yet
  date: 2026-10-02
  assessor: Sam Okoro
  comments: Add how you resolved the rota disagreement.
"""


def test_met_decision_signs_the_criterion_off(learner_dir) -> None:
    folder = learner_dir({**SESSIONS, "feedback.yaml": MET})
    cov = analyse(folder).coverage["5.2"]
    assert cov.evidenced_status == "ready"
    assert cov.status == "signed_off"
    assert cov.decision is not None and cov.decision.assessor == "Sam Okoro"


def test_not_yet_keeps_it_open_and_comments_become_gaps(learner_dir) -> None:
    folder = learner_dir({**SESSIONS, "feedback.yaml": NOT_YET})
    cov = analyse(folder).coverage["5.2"]
    assert cov.evidenced_status == "ready"
    assert cov.status == "in_progress"
    assert cov.gaps[0] == ("Assessor's decision by Sam Okoro on 2 October 2026: not yet met: "
                           "Add how you resolved the rota disagreement.")


def test_decision_appears_in_the_assessor_block_of_the_document(learner_dir, tmp_path) -> None:
    folder = learner_dir({**SESSIONS, "feedback.yaml": MET})
    result = build(folder, BuildOptions(out=tmp_path / "out", formats=("docx",),
                                        criteria=("5.2",)))
    d = docx.Document(str(result.files[0]))
    block = d.tables[-1]
    assert block.rows[0].cells[1].text == "Met"
    assert block.rows[1].cells[1].text == "Observed on 22 September; techniques used well."
    assert block.rows[2].cells[3].text == "2 October 2026"
    assert any("Signed off by assessor" in c.text for c in d.tables[0].columns[1].cells)


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
