"""Personal data planted on every route in: none of it reaches any output file or message.

One cohort is planted with real-looking names and identifiers, each written the way that
used to slip past the guard (split by a line break, joined by a non-breaking space, as
"Mrs Surname", in a file name, a Word heading, the mentees list, a decision comment...).
Then ``build`` (DOCX and PDF), ``check`` (text, JSON, HTML, and a draft checked on its
own) and ``batch`` (trackers and errors.json) run, and every file they write is searched:
each DOCX and XLSX part unzipped, each PDF's text extracted, and the console output too.
Each planted item is one attempt.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from evidencegen.cli import cli

LEARNER_YAML = """\
name: Test Learner
learner_id: L4-901
centre: Northfield Care Training
assessor: Sam Okoro
employer: Larch House, phone 0161 496 0000
programme_start: 2026-03-01
mentees: [Mentee A, Winifred Oddington]
private_names:
  Margaret Hughes: Mrs H
  Winifred Oddington: Mentee W
  Rose Thackeray: Mrs T
  Bartholomew Quenby: Mr Q
  Perpetua Vandersloot: Ms V
  Agatha Brackenbury: Mrs B
  Cressida Fothergill: Ms F
  Eulalia Pennywhistle: Mrs P
  Dorcas Ravenscroft: Mrs R
  Gwendolen Thistlewood: Mrs G
  Percival Otterburn: Mr O
  Lavinia Scarborough: Mrs S
  Eustace Grimshaw: Mr E
declaration:
  signed: true
  date: 2026-03-01
"""
SESSION = (
    "---\ntype: session\ndate: 2026-04-01\nmentee: Mentee A\ncriteria: [5.2]\n---\n"
    "# Catch-up\n\n"
    "We met in the quiet lounge for 45 minutes. I asked open questions and listened, and "
    "Mentee A set her own goals for the month. Mrs Hughes had been unsettled, so we talked "
    "about how Agatha\nBrackenbury likes her tea and how Cressida\u00a0Fothergill responds "
    "to a calm voice. Eulalia was calmer. D. Ravenscroft rang. Mrs Thistlewood\u2019s son "
    "visited and PERCIVAL OTTERBURN waved. Rose said she would help; Rose Thackeray's "
    "daughter came too. I hope we may meet again in May.\n\n"
    "My colleague Doreen Pilkington joined us. The NHS number is 943.476.5919, the phone "
    "(01632) 960 123 or +44 7700 900123, NI ab123456c, she lives at 12 Acacia Avenue, "
    "B33 8TH, hospital number RX123456, born 3rd April 1941, e-mail jo.bloggs@example.com.\n")
FEEDBACK = """\
5.2:
  decision: not_yet
  date: 2026-10-01
  assessor: Sam Okoro
  comments: Take out Lavinia Scarborough's NHS number 450 557 7104 please.
"""
BROKEN_YAML = "name: Other Learner\nlearner_id: L4-902\nprivate_names:\n  Tobias Wrenfield: Mr W\n"

# what must never be found (searched without case, spaces or punctuation), by route
NEEDLES = {
    "title and surname (Mrs Hughes)": "hughes",
    "name split by a line break": "brackenbury",
    "name joined by a non-breaking space": "fothergill",
    "first name alone": "eulalia",
    "initials and surname": "ravenscroft",
    "possessive with a curly apostrophe": "thistlewood",
    "name in capitals": "otterburn",
    "ordinary-word first name (Rose) with its surname": "thackeray",
    "unlisted person found by the language model": "pilkington",
    "name in a note's file name": "quenby",
    "name in a Word note's heading (its title)": "vandersloot",
    "name in learner.yaml's mentees list": "oddington",
    "name in an assessor's feedback comment": "scarborough",
    "name in the file name of a file that is not read": "grimshaw",
    "Word comment in a note (never read)": "fairweather",
    "hidden file and Office lock file (never read)": "ketteridge",
    "name in a file name that an error message quotes": "wrenfield",
    "name in a Word decision comment on a draft": "blatherwick",
    "unlisted person in a draft checked outside any learner folder": "applethwaite",
    "NHS number with dots": "9434765919",
    "NHS number in a feedback comment": "4505577104",
    "landline in brackets": "01632960123",
    "mobile with +44": "7700900123",
    "lower-case NI number": "ab123456c",
    "street address": "acacia",
    "postcode": "b338th",
    "hospital number": "rx123456",
    "date of birth in words": "3rdapril1941",
    "e-mail address": "bloggs",
    "phone number in learner.yaml's employer": "01614960000",
    "phone number in a draft beside a learner folder": "07911123456",
}


def _squash(text: str) -> str:
    return re.sub(r"[\s\W_]+", "", text).lower()


def _texts(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` as text: zip parts one by one, PDFs by their text."""
    found: dict[str, str] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        key = str(path.relative_to(folder))
        found[f"{key} (file name)"] = path.name
        if path.suffix in (".docx", ".xlsx"):
            with zipfile.ZipFile(path) as z:
                for part in z.namelist():
                    xml = z.read(part).decode("utf-8", "replace")
                    found[f"{key}:{part}"] = xml
                    found[f"{key}:{part} (text)"] = "".join(re.findall(r">([^<]*)<", xml))
        elif path.suffix == ".pdf":
            reader = PdfReader(str(path))
            found[key] = "\n".join(page.extract_text() or "" for page in reader.pages)
            found[f"{key} (metadata)"] = json.dumps({k: str(v) for k, v in
                                                     (reader.metadata or {}).items()})
        else:
            found[key] = path.read_text(encoding="utf-8", errors="replace")
    return found


def _plant(root: Path) -> Path:
    cohort = root / "cohort"
    learner = cohort / "planted"
    (learner / "sessions").mkdir(parents=True)
    (learner / "reflections").mkdir()
    (learner / "learner.yaml").write_text(LEARNER_YAML, encoding="utf-8")
    (learner / "feedback.yaml").write_text(FEEDBACK, encoding="utf-8")
    (learner / "sessions" / "2026-04-01-bartholomew-quenby.md").write_text(SESSION,
                                                                          encoding="utf-8")
    (learner / "sessions" / "Eustace Grimshaw care plan.pdf").write_bytes(b"%PDF-1.4\n")
    (learner / "sessions" / ".Ambrose Ketteridge.md").write_text(
        "Ambrose Ketteridge, 07911 123456\n", encoding="utf-8")
    (learner / "sessions" / "~$Ketteridge.docx").write_bytes(b"Ambrose Ketteridge")
    d = docx.Document()
    d.add_heading("Visit with Perpetua Vandersloot", 1)
    p = d.add_paragraph("I supported Mentee A on the ward. She asked for feedback about her "
                        "communication and we agreed a plan together for the next month.")
    d.add_comment(p.runs, text="Ignatius Fairweather was there", author="Ignatius Fairweather")
    d.save(str(learner / "reflections" / "visit.docx"))
    broken = cohort / "broken"
    (broken / "sessions").mkdir(parents=True)
    (broken / "learner.yaml").write_text(BROKEN_YAML, encoding="utf-8")
    (broken / "sessions" / "2026-05-01-tobias-wrenfield.md").write_text(
        "---\ntype: [session\n---\nWe met.\n", encoding="utf-8")
    return cohort


def _draft(built: Path, where: Path, text: str, comment: str) -> Path:
    d = docx.Document(str(built))
    p = d.add_paragraph(text)
    d.add_comment(p.runs, text=comment, author="Sam Okoro")
    where.parent.mkdir(parents=True, exist_ok=True)
    d.save(str(where))
    return where


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("planted")
    cohort = _plant(root)
    runner = CliRunner()
    out: dict[str, str] = {}

    def run(name: str, *args: str, code: int | tuple[int, ...] = (0, 1)) -> None:
        result = runner.invoke(cli, list(args))
        assert result.exit_code in ((code,) if isinstance(code, int) else code), result.output
        out[f"console of {name}"] = result.output

    build_dir = root / "build"
    run("build", "build", str(cohort / "planted"), "-o", str(build_dir))
    run("check json", "check", str(cohort / "planted"), "--format", "json",
        "-o", str(root / "check" / "report.json"))
    run("check html", "check", str(cohort / "planted"), "--format", "html",
        "-o", str(root / "check" / "report.html"))
    run("check text", "check", str(cohort / "planted"))
    run("check of the broken learner", "check", str(cohort / "broken"), code=2)
    run("batch", "batch", str(cohort), "-o", str(root / "batch"), "-f", "docx", "-j", "1")
    built = next(build_dir.rglob("*5.2.docx"))
    beside = _draft(built, cohort / "draft-beside.docx",
                    "Margaret Hughes called on 07911 123456.",
                    "Met - Hortensia Blatherwick saw it.")
    alone = root / "elsewhere" / "draft-note.md"
    alone.parent.mkdir()
    alone.write_text(
        "---\ntype: session\ndate: 2026-04-02\nmentee: Mentee A\ncriteria: [5.2]\n---\n"
        "# Catch-up with Cornelius Applethwaite\n\nI asked Cornelius Applethwaite open "
        "questions and listened, and she set her own goals; she rang from 07911 123456.\n",
        encoding="utf-8")
    for name, draft in (("draft beside", beside), ("draft alone", alone)):
        run(f"check of the {name}", "check", str(draft), "--format", "json",
            "-o", str(root / "check" / f"{name}.json"))
        run(f"check html of the {name}", "check", str(draft), "--format", "html",
            "-o", str(root / "check" / f"{name}.html"))
    for folder in ("build", "check", "batch"):
        for key, text in _texts(root / folder).items():
            out[f"{folder}/{key}"] = text
    shutil.rmtree(root / "elsewhere")
    return out


@pytest.mark.parametrize("needle", list(NEEDLES.values()), ids=list(NEEDLES))
def test_planted_data_reaches_no_output(outputs: dict[str, str], needle: str) -> None:
    leaks = [where for where, text in outputs.items() if needle in _squash(text)]
    assert leaks == []


def test_every_output_kind_was_searched(outputs: dict[str, str]) -> None:
    """The search above covered documents, reports, trackers, errors and the console."""
    kinds = {Path(k.split(":")[0].split(" (")[0]).suffix for k in outputs}
    assert {".docx", ".pdf", ".json", ".html", ".csv", ".xlsx"} <= kinds
    assert any(k.endswith("errors.json") and "L4-902" in v for k, v in outputs.items())
    assert any(k.startswith("console") and "privacy:" in v for k, v in outputs.items())


def test_ordinary_words_and_pseudonyms_stay(outputs: dict[str, str]) -> None:
    """Redaction takes people out, not words: "we may meet" and "in May" survive."""
    body = next(v for k, v in outputs.items()
                if k.endswith("5.2.docx:word/document.xml (text)"))
    assert "I hope we may meet again in May." in body
    assert "Mrs H had been unsettled" in body and "Mrs T said she would help" in body
    assert "[name removed] joined us" in body
