"""The privacy guard on a planted corpus: every identifier found, no false alarm."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import note

from evidencegen.api import BuildOptions, analyse, build
from evidencegen.privacy import Guard, nhs_valid, words_of

PLANTED = {
    "email": ["jo.bloggs@example.com", "Family contact: m.hughes+care@mail.example.co.uk"],
    "phone": ["07911 123456", "+44 7911 123456", "07911123456", "020 7946 0018",
              "0161 496 0000", "+44 (0)161 496 0000", "0114 496 0999", "(01632) 960 123",
              "(0161) 496 0000", "+44 (0) 7700 900123", "0044 7700 900123"],
    "nhs": ["943 476 5919", "9434765919", "943-476-5919", "943.476.5919", "9434 765 919",
            "943\u00a0476\u00a05919"],
    "nino": ["AB 12 34 56 C", "AB123456C", "ab123456c", "Ab 12 34 56 c", "AB-12-34-56-C",
             "AB 123456 C"],
    "postcode": ["SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT"],
    "dob": ["DOB 12/03/1941", "date of birth: 4 May 1938", "born on 1 January 1950",
            "D.O.B. 01-02-1940", "DOB 3/4/1941", "born 3rd April 1941",
            "born on the third of April 1941", "born April 3rd, 1941", "dob: 1941-04-03"],
    "address": ["12 Acacia Avenue", "Flat 3", "Flat 4B, 22 Mill Lane", "7a Church Road",
                "221 Baker St"],
    "hospital": ["hospital number RX123456", "MRN 1234567", "hospital no. K1234567",
                 "patient ID: 00123456"],
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
We may meet again in May; I hope to, and she will. Rose petals were on the table.
Flat shoes are safer. She walked 20 minutes to the shop. Unit 435 has 6 sections.
"""


@pytest.mark.parametrize(("kind", "value"), [(k, v) for k, vs in PLANTED.items() for v in vs])
def test_every_planted_identifier_is_found(kind: str, value: str) -> None:
    text = f"Session notes.\nShe gave me {value} during the visit.\n"
    redacted, found = Guard({}, people=False).redact(text, "a.md")
    assert [(f.kind, f.line) for f in found] == [(kind, 2)], value
    assert value not in redacted


def test_no_false_alarm_on_ordinary_care_notes() -> None:
    guard = Guard(NAMES).discover([CLEAN])
    redacted, found = guard.redact(CLEAN, "a.md")
    assert [str(f) for f in found] == []
    assert redacted == CLEAN


def test_private_names_become_their_pseudonyms() -> None:
    guard = Guard({"Margaret Hughes": "Mrs H", "Jo": "Mentee J"})
    text = "Margaret Hughes asked for Jo. MARGARET HUGHES smiled. Joanne came too."
    redacted, found = guard.redact(text, "a.md")
    assert redacted == "Mrs H asked for Mentee J. Mrs H smiled. Joanne came too."
    assert [f.kind for f in found] == ["name", "name", "name"]


NAMES = {"Margaret Hughes": "Mrs H", "May Clarke": "Resident C", "Rose Thackeray": "Mrs T",
         "Jo": "Mentee J"}
WRITTEN = [
    ("Margaret Hughes came.", "Mrs H came."),
    ("Margaret\nHughes came.", "Mrs H\n came."),
    ("Margaret\u00a0Hughes came.", "Mrs H came."),
    ("Margaret \u2009 Hughes came.", "Mrs H came."),
    ("MARGARET HUGHES came.", "Mrs H came."),
    ("Mrs Hughes came.", "Mrs H came."),
    ("I saw Mrs. Hughes.", "I saw Mrs H."),
    ("Dr Margaret Hughes came.", "Mrs H came."),
    ("I saw Hughes.", "I saw Mrs H."),
    ("I saw Margaret.", "I saw Mrs H."),
    ("M. Hughes signed.", "Mrs H signed."),
    ("M Hughes signed.", "Mrs H signed."),
    ("Hughes, Margaret signed.", "Mrs H signed."),
    ("Hughes's room.", "Mrs H's room."),
    ("Hughes\u2019s room.", "Mrs H\u2019s room."),
    ("Hughes' room.", "Mrs H' room."),
    ("Ｍａｒｇａｒｅｔ Ｈｕｇｈｅｓ came.", "Mrs H came."),
    ("Marga\u00adret Hughes came.", "Mrs H came."),
    ("I asked Jo and Joanne.", "I asked Mentee J and Joanne."),
    ("Then May said no.", "Then Resident C said no."),
    ("Mrs Clarke and May Clarke came.", "Resident C and Resident C came."),
    ("We may meet in May 2026.", "We may meet in May 2026."),
    ("May I ask? In May we met. On 3 May we met.", "May I ask? In May we met. On 3 May we met."),
    ("I hope to see the rose garden.", "I hope to see the rose garden."),
    ("Rose Thackeray's son rang.", "Mrs T's son rang."),
    ("We sat in Rose Cottage.", "We sat in Rose Cottage."),
]


@pytest.mark.parametrize(("text", "expected"), WRITTEN)
def test_listed_names_are_found_however_they_are_written(text: str, expected: str) -> None:
    assert Guard(NAMES, people=False).redact(text, "a.md")[0] == expected


def test_a_sentence_starting_with_an_ordinary_word_name_needs_the_model() -> None:
    """"Rose said" at a sentence start is a name when the model tags her as a person."""
    text = "We talked. Rose said she would help."
    assert Guard(NAMES, people=False).redact(text, "a.md")[0] == text
    assert Guard(NAMES).discover([text]).redact(text, "a.md")[0] == (
        "We talked. Mrs T said she would help.")


def test_file_names_lose_names_and_identifiers() -> None:
    guard = Guard(NAMES)
    assert guard.redact_path("sessions/2026-04-01-margaret-hughes.md")[0] == (
        "sessions/2026-04-01-Mrs H.md")
    assert guard.redact_path("Margaret_Hughes/visit 07911 123456.md")[0] == (
        "Mrs H/visit [phone number removed].md")
    clean, found = guard.redact_path("sessions/2026-05-01-may-meeting.md")
    assert (clean, found) == ("sessions/2026-05-01-may-meeting.md", [])
    assert [str(f) for f in guard.redact_path("mrs-hughes.md")[1]] == [
        "Mrs H.md (the file's name): a real name"]


UNLISTED = [
    ("My colleague Doreen Pilkington helped.", ["Doreen Pilkington"]),
    ("Doreen Pilkington helped, and later Doreen came back.", ["Doreen Pilkington"]),
    ("Egan (2014) and Clutterbuck, D. (2004) describe it; Kolb's cycle too.", []),
    ("As Megginson et al. (2006) say, and (Daloz, 2012) agrees.", []),
    ("Gerard Egan's skilled helper model and Peter Hawkins's CLEAR model.", []),
    ("Grace asked Mentee J about her goals while Sam Okoro watched.", []),
    ("We spoke on Beech ward, then on Rowan, and at Willow Court.", []),
    ("Signed: K. Adebayo, Ward Sister", []),
    ("Mrs K and Mr B's son visited.", []),
]


@pytest.mark.parametrize(("text", "names"), UNLISTED)
def test_unlisted_people_are_found_and_authors_and_the_portfolio_s_own_are_kept(
        text: str, names: list[str]) -> None:
    keep = words_of("Grace Adeyemi", "Sam Okoro", "Mentee J", "Willow Court Care Home")
    guard = Guard({}, keep=keep).discover([text])
    assert list(guard.found) == names
    redacted, found = guard.redact(text, "a.md")
    for name in names:
        assert name.split()[-1] not in redacted
    assert all(f.kind == "person" for f in found)


def test_findings_never_repeat_the_data() -> None:
    guard = Guard(NAMES).discover(["Doreen Pilkington rang 07911 123456 for Margaret."])
    _, found = guard.redact("Doreen Pilkington rang 07911 123456 for Margaret.", "a.md")
    shown = " ".join(str(f) for f in found)
    assert shown == ("a.md:1: a person's name that is not in private_names "
                     "a.md:1: a phone number a.md:1: a real name")


def test_model_authors_and_ordinary_words_in_the_corpus_are_left_alone() -> None:
    """Unlisted people found over every sample and corpus note: at most the one ward name
    the small model takes for a person ("Beech is a 24-bed unit"), never an author."""
    from conftest import REPO

    from evidencegen.api import analyse
    from evidencegen.privacy.names import vocabulary

    folders = sorted(p.parent for p in [*REPO.glob("samples/*/learner.yaml"),
                                         *REPO.glob("benchmarks/corpus/*/*/learner.yaml")])
    assert len(folders) >= 30
    found = [f for folder in folders for f in analyse(folder).learner.privacy]
    assert [f.kind for f in found] == ["person"], [str(f) for f in found]
    assert vocabulary().authors >= {"egan", "clutterbuck", "kolb", "megginson", "knowles",
                                    "gibbs", "daloz"}


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
