"""Forging an assessor's decision: every route a learner has is held.

Each test is one attempt. The learner's evidence for 5.2 is ready, so only a decision could
sign it off; `check --strict --needs signed_off` is the gate a centre would use.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import docx
import pytest
from forgery_kit import check, flat, held, make_centre, make_learner, run, signatures

from evidencegen.api import BuildOptions, build
from evidencegen.schema import Decision
from evidencegen.signing import decision_payload, load_key, sign


@pytest.fixture(autouse=True)
def _no_key_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EVIDENCEGEN_SIGNING_KEY", raising=False)


@pytest.fixture
def centre(tmp_path: Path) -> Path:
    return make_centre(tmp_path)


@pytest.fixture
def learner(tmp_path: Path) -> Path:
    return make_learner(tmp_path)


def decide(folder: Path, centre: Path, ac: str = "5.2", verdict: str = "met",
           assessor: str = "Sam Okoro", *more: str) -> None:
    result = run("decide", str(folder), ac, verdict, "--assessor", assessor, "--date",
                 "2026-06-01", "--centre", str(centre), *more)
    assert result.exit_code == 0, result.output


def hand_written(folder: Path, entry: str) -> None:
    (folder / "feedback.yaml").write_text('"5.2":\n' + entry)


# --- feedback.yaml written by the learner -------------------------------------------------

def test_feedback_naming_herself_is_held(learner: Path, centre: Path) -> None:
    hand_written(learner, "  decision: met\n  date: 2026-06-01\n  assessor: Tom Brennan\n")
    held(learner, centre, "signed_off", "the assessor named is the learner herself")


def test_feedback_naming_no_assessor_is_held(learner: Path, centre: Path) -> None:
    hand_written(learner, "  decision: met\n  date: 2026-06-01\n")
    held(learner, centre, "signed_off", "no assessor is named")


def test_feedback_naming_the_real_assessor_without_a_signature_is_held(learner, centre):
    hand_written(learner, "  decision: met\n  date: 2026-06-01\n  assessor: Sam Okoro\n")
    held(learner, centre, "signed_off", "not signed")


def test_a_made_up_signature_is_held(learner: Path, centre: Path) -> None:
    key_id = load_key(centre.parent / "signing.key").key_id  # ids are printed; learn one
    hand_written(learner, "  decision: met\n  date: 2026-06-01\n  assessor: Sam Okoro\n"
                 f"  signature: hmac-sha256:{key_id}:{'ab' * 32}\n")
    held(learner, centre, "signed_off", "changed after it was signed")


def test_a_malformed_signature_is_held(learner: Path, centre: Path) -> None:
    hand_written(learner, "  decision: met\n  assessor: Sam Okoro\n  signature: trust me\n")
    held(learner, centre, "signed_off", "not in evidencegen's form")


@pytest.mark.parametrize("me", ["Tom Brennan", "tom  BRENNAN", "Mr Tom Brennan", "T. Brennan",
                                "Tom"])
def test_decide_refuses_the_learner_as_her_own_assessor(learner, centre, me: str) -> None:
    result = run("decide", str(learner), "5.2", "met", "--assessor", me, "--centre",
                 str(centre))
    assert result.exit_code == 2 and "is the learner herself" in result.stderr
    assert not (learner / "feedback.yaml").exists()


def test_a_key_holder_signing_the_learner_as_assessor_is_still_held(learner, centre) -> None:
    key = load_key(centre.parent / "signing.key")
    d = Decision(decision="met", date=dt.date(2026, 6, 1), assessor="Tom Brennan")
    d = d.model_copy(update={"signature": sign(key, decision_payload("L4-900", "5.2", d))})
    hand_written(learner, "  decision: met\n  date: 2026-06-01\n  assessor: Tom Brennan\n"
                 f"  signature: {d.signature}\n")
    held(learner, centre, "signed_off", "the assessor named is the learner herself")


# --- a signed decision, then changed -----------------------------------------------------

def test_not_yet_edited_to_met_after_signing_is_held(learner: Path, centre: Path) -> None:
    decide(learner, centre, "5.2", "not-yet", "Sam Okoro", "--comments", "One more session.")
    path = learner / "feedback.yaml"
    path.write_text(path.read_text().replace("decision: not_yet", "decision: met"))
    held(learner, centre, "signed_off", "changed after it was signed")


def test_comments_edited_after_signing_are_held(learner: Path, centre: Path) -> None:
    decide(learner, centre, "5.2", "met", "Sam Okoro", "--comments", "Good start.")
    path = learner / "feedback.yaml"
    path.write_text(path.read_text().replace("Good start.", "Outstanding throughout."))
    held(learner, centre, "signed_off", "changed after it was signed")


def test_a_session_note_edited_after_the_decision_voids_it(learner: Path, centre: Path) -> None:
    decide(learner, centre)
    assert check(learner, centre, "--strict", "--needs", "signed_off").exit_code == 0
    note = learner / "sessions" / "2026-05-01-second.md"
    note.write_text(note.read_text() + "I also resolved a conflict about the rota.\n")
    held(learner, centre, "signed_off",
         "the evidence it was made on has changed (edited since: sessions/2026-05-01-second.md)")


def test_a_session_note_deleted_after_the_decision_voids_it(learner: Path, centre: Path) -> None:
    decide(learner, centre)
    (learner / "sessions" / "2026-04-01-first.md").unlink()
    held(learner, centre, "signed_off", "no longer in the folder: sessions/2026-04-01-first.md")


def test_a_signature_copied_from_another_learner_is_held(tmp_path: Path, centre: Path) -> None:
    other = make_learner(tmp_path, "other", learner_yaml=(
        "name: Ann Other\nlearner_id: L4-901\nprogramme_start: 2026-03-01\n"
        "mentees: [Mentee A]\ndeclaration:\n  signed: true\n  date: 2026-03-01\n"))
    decide(other, centre)
    mine = make_learner(tmp_path)  # the very same notes, word for word
    shutil.copy(other / "feedback.yaml", mine / "feedback.yaml")
    held(mine, centre, "signed_off", "changed after it was signed")


def test_a_signature_moved_to_another_criterion_is_held(learner: Path, centre: Path) -> None:
    decide(learner, centre, "1.1")
    path = learner / "feedback.yaml"
    path.write_text(re.sub(r"^'1\.1':", "'5.2':", path.read_text(), flags=re.M))
    held(learner, centre, "signed_off", "changed after it was signed")


def test_a_decision_signed_with_her_own_key_is_held(tmp_path: Path, learner, centre) -> None:
    own = make_centre(tmp_path, "her-own-centre")
    decide(learner, own)
    assert check(learner, own, "--strict", "--needs", "signed_off").exit_code == 0  # her key
    held(learner, centre, "signed_off", "signed with a different key")


def test_a_signed_decision_is_a_claim_where_no_key_is_configured(learner, centre) -> None:
    decide(learner, centre)
    held(learner, None, "signed_off", "no signing key is configured")


def test_a_key_inside_the_learner_folder_is_refused(learner: Path, centre: Path,
                                                    monkeypatch) -> None:
    made = run("key", "new", str(learner / "my.key"))
    assert made.exit_code == 0
    monkeypatch.setenv("EVIDENCEGEN_SIGNING_KEY", str(learner / "my.key"))
    result = check(learner, None, "--strict")
    assert result.exit_code == 2 and "signing key is inside" in result.stderr


# --- Word comments ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def draft(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("draft")
    folder = make_learner(root, extra={"sessions/2026-04-01-first.md": "I listened.\n"})
    return build(folder, BuildOptions(out=root / "out", formats=("docx",),
                                      criteria=("5.2",))).files[0]


@pytest.mark.parametrize("author", ["Tom Brennan", "Sam Okoro", ""])
def test_a_met_word_comment_in_her_own_draft_is_held(draft: Path, tmp_path: Path, centre,
                                                    author: str) -> None:
    d = docx.Document(str(draft))
    para = next(p for p in d.paragraphs if p.text.strip() and p.runs)
    d.add_comment(para.runs, text="Met - all techniques shown.", author=author)
    path = tmp_path / "draft.docx"
    d.save(str(path))
    gate = check(path, centre, "--strict")
    assert gate.exit_code == 1, gate.output
    text = flat(gate.stdout)
    assert "unverified word comment 'met' on 5.2" in text
    assert "anyone with the file can type" in text and "signed off" not in text


# --- reports ------------------------------------------------------------------------------

def test_every_report_format_says_unverified(learner: Path, centre: Path, tmp_path) -> None:
    hand_written(learner, "  decision: met\n  date: 2026-06-01\n  assessor: Tom Brennan\n")
    [claim] = signatures(learner, centre)
    assert (claim["verified"], claim["reason"]) == (False,
                                                    "the assessor named is the learner herself")
    out = tmp_path / "report.html"
    assert check(learner, centre, "--format", "html", "-o", str(out)).exit_code == 0
    html = flat(out.read_text())
    assert "Unverified claim</strong>: decision" in html
    assert "the assessor named is the learner herself; not counted" in html
    assert "Signed off by assessor</span>" not in html


# --- the happy path -----------------------------------------------------------------------

def test_a_decision_made_with_decide_is_verified_and_counted(learner: Path, centre: Path,
                                                             tmp_path: Path) -> None:
    decide(learner, centre, "5.2", "met", "Sam Okoro", "--comments", "Well evidenced.")
    gate = check(learner, centre, "--strict", "--needs", "signed_off")
    assert gate.exit_code == 0, gate.output
    text = flat(gate.stdout)
    assert "5.2 signed off" in text
    assert ("verified decision 'met' on 5.2, signed by Sam Okoro on 1 June 2026, over "
            "exactly: sessions/2026-04-01-first.md") in text
    [signed] = signatures(learner, centre)
    assert signed["verified"] and [f["path"] for f in signed["files"]] == [
        "sessions/2026-04-01-first.md", "sessions/2026-05-01-second.md"]
    out = tmp_path / "report.html"
    assert check(learner, centre, "--format", "html", "-o", str(out)).exit_code == 0
    assert "<strong>Verified</strong>: decision" in out.read_text()
