"""The privacy guard on a planted corpus: every identifier found, no false alarm."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import note

from evidencegen.api import BuildOptions, analyse, build
from evidencegen.privacy import Guard, nhs_valid

PLANTED = {
    "email": ["jo.bloggs@example.com", "Family contact: m.hughes+care@mail.example.co.uk"],
    "phone": ["07911 123456", "+44 7911 123456", "07911123456", "020 7946 0018",
              "0161 496 0000", "+44 (0)161 496 0000", "0114 496 0999"],
    "nhs": ["943 476 5919", "9434765919", "943-476-5919"],
    "nino": ["AB 12 34 56 C", "AB123456C"],
    "postcode": ["SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT"],
    "dob": ["DOB 12/03/1941", "date of birth: 4 May 1938", "born on 1 January 1950",
            "D.O.B. 01-02-1940"],
}
CLEAN = """
We met on 2026-04-01 at 14:30 for 45 minutes in the quiet lounge.
This note evidences 5.2 and 5.3, and the unit is 435; see AC 1.1.
Her NHS training is due next month and the NHS app was down.
Room 12, ward 3, bed 4, and the fire exit by door B2.
The ten-digit reference 1234567890 fails the NHS check, and so does 943 476 5918.
The call lasted 20 minutes at 10.15am; we meet again on 3 October 2026.
She finished the Care Certificate in 2025 and starts Level 4 in March.
Medication round at 8pm, 2 x 500mg, fluids 1500 ml.
"""


@pytest.mark.parametrize(("kind", "value"), [(k, v) for k, vs in PLANTED.items() for v in vs])
def test_every_planted_identifier_is_found(kind: str, value: str) -> None:
    text = f"Session notes.\nShe gave me {value} during the visit.\n"
    redacted, found = Guard({}).redact(text, "a.md")
    assert [(f.kind, f.line) for f in found] == [(kind, 2)], value
    assert value not in redacted


def test_no_false_alarm_on_ordinary_care_notes() -> None:
    redacted, found = Guard({}).redact(CLEAN, "a.md")
    assert [str(f) for f in found] == []
    assert redacted == CLEAN


def test_private_names_become_their_pseudonyms() -> None:
    guard = Guard({"Margaret Hughes": "Mrs H", "Jo": "Mentee J"})
    text = "Margaret Hughes asked for Jo. MARGARET HUGHES smiled. Joanne came too."
    redacted, found = guard.redact(text, "a.md")
    assert redacted == "Mrs H asked for Mentee J. Mrs H smiled. Joanne came too."
    assert [f.kind for f in found] == ["name", "name", "name"]


def test_nhs_check_digit() -> None:
    assert nhs_valid("9434765919")
    assert not nhs_valid("9434765918") and not nhs_valid("1111111111")


def _planted_learner(learner_dir):
    body = "I listened. Her son rang from 07911 123456 and wrote to jo.bloggs@example.com."
    return learner_dir({"sessions/a.md": note(
        {"type": "session", "date": "2026-04-01", "mentee": "Mentee A"}, body)},
        learner_yaml="name: A\nlearner_id: L4-001\nprivate_names:\n  Margaret Hughes: Mrs H\n")


def test_documents_show_redactions_and_reports_never_repeat_the_data(learner_dir, tmp_path):
    folder = _planted_learner(learner_dir)
    result = CliRunner().invoke(cli_main(), ["build", str(folder), "-o", str(tmp_path / "o"),
                                             "-f", "docx", "-c", "5.2"])
    assert result.exit_code == 0, result.output
    assert "sessions/a.md:6: a phone number removed from the documents" in result.output
    assert "sessions/a.md:6: an e-mail address" in result.output
    assert "07911" not in result.output and "bloggs" not in result.output
    import docx

    d = docx.Document(str(tmp_path / "o" / "L4-001" / "L4-001_435_5.2.docx"))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "[phone number removed]" in text and "[e-mail removed]" in text
    assert "07911" not in text and "bloggs" not in text
    cov = (tmp_path / "o" / "L4-001" / "coverage.json").read_text()
    assert "07911" not in cov and "bloggs" not in cov


def test_strict_privacy_refuses_to_write(learner_dir, tmp_path) -> None:
    folder = _planted_learner(learner_dir)
    result = CliRunner().invoke(cli_main(), ["build", str(folder), "-o", str(tmp_path / "o"),
                                             "--strict-privacy"])
    assert result.exit_code == 2
    assert "a.md:6: a phone number, and 1 more; nothing was written" in result.stderr
    assert "07911" not in result.output
    assert not (tmp_path / "o").exists()
    with pytest.raises(Exception, match="nothing was written"):
        build(folder, BuildOptions(out=tmp_path / "o", strict_privacy=True))


def test_samples_hold_no_personal_data() -> None:
    from conftest import SAMPLES

    for sample in ("complete", "part-way", "just-started"):
        assert analyse(SAMPLES / sample).learner.privacy == ()


def cli_main():
    from evidencegen.cli import cli

    return cli
