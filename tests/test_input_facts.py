"""Facts about the input that the judgement depends on: empty notes, evidencegen's own
documents, identifiers kept as written, one mentee however she is spelt, the untouched
examples from 'init', and .odt/.rtf notes (with every other file named, never skipped)."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import docx
import pypandoc
import pytest
from click.testing import CliRunner
from conftest import LEARNER_YAML, SAMPLES, note

from evidencegen.api import analyse
from evidencegen.cli import cli
from evidencegen.inputs import NO_TEXT, NOT_READ, OWN_DOCUMENT, STARTER, read_learner_file
from evidencegen.readers import read_learner

SESSION = ("I listened to her worries about the night shift and summarised what she said. "
           "We agreed to meet every other week.")


def _session(date: str, mentee: str, body: str = SESSION) -> str:
    return note({"type": "session", "date": date, "mentee": mentee, "criteria": ["5.2"]}, body)


def _rules(folder: Path, ac: str = "5.2") -> dict[str, int]:
    return {r.rule: r.found for r in analyse(folder).coverage[ac].rules}


def _run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output, result.output
    return result


def test_a_note_with_no_text_counts_for_nothing_and_is_named(learner_dir) -> None:
    folder = learner_dir({
        "sessions/2026-04-01-a.md": _session("2026-04-01", "Mentee A"),
        "sessions/2026-04-15-front-matter-only.md": note(
            {"type": "session", "date": "2026-04-15", "mentee": "Mentee A"}, ""),
        "reading/only-headings.md": "# Models of mentoring\n\n## Coaching\n\n**Strengths**\n",
        "reflections/empty.txt": "",
    })
    learner = read_learner(folder)
    assert [n.rel for n in learner.notes] == ["sessions/2026-04-01-a.md"]
    assert [(w.path, w.message) for w in learner.warnings] == [
        ("reading/only-headings.md", NO_TEXT), ("reflections/empty.txt", NO_TEXT),
        ("sessions/2026-04-15-front-matter-only.md", NO_TEXT)]
    # the empty session is not a second dated session with Mentee A
    assert _rules(folder)["sessions_with_same_mentee"] == 1
    result = _run("check", str(folder), "-c", "5.2")
    assert result.exit_code == 0
    assert ("warning: sessions/2026-04-15-front-matter-only.md: this note has no text; it "
            "counts for nothing until you write in it") in result.stderr.splitlines()


def test_an_empty_word_file_counts_for_nothing(learner_dir) -> None:
    folder = learner_dir({"sessions/2026-04-01-a.md": _session("2026-04-01", "Mentee A")})
    d = docx.Document()
    d.add_heading("Session with Mentee A", level=1)
    d.save(str(folder / "sessions" / "2026-04-08-b.docx"))
    learner = read_learner(folder)
    assert len(learner.notes) == 1
    assert [(w.path, w.message) for w in learner.warnings] == [
        ("sessions/2026-04-08-b.docx", NO_TEXT)]


@pytest.fixture
def samples_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SAMPLES / "part-way", tmp_path / "samples-copy")
    return Path("samples-copy")


def _counts(report: Path) -> dict[str, tuple[str, int]]:
    data = json.loads(report.read_text())
    return {c["id"]: (c["status"], len(c["evidence"])) for c in data["criteria"]}


def test_documents_evidencegen_made_are_never_read_back_as_notes(samples_copy: Path) -> None:
    first = _run("build", str(samples_copy), "-o", f"{samples_copy}/my-drafts", "-f", "docx")
    assert first.exit_code == 0, first.output
    made = sorted((samples_copy / "my-drafts").rglob("*.docx"))
    assert made and all(docx.Document(str(p)).core_properties.content_status
                        == "evidencegen-output" for p in made)
    before = _counts(samples_copy / "my-drafts" / "L4-023" / "coverage.json")
    # recognised by what they are, not by the folder's name
    (samples_copy / "my-drafts").rename(samples_copy / "Tom's documents")
    again = _run("build", str(samples_copy), "-o", "out", "-f", "docx")
    assert again.exit_code == 0, again.output
    assert _counts(Path("out/L4-023/coverage.json")) == before
    assert "warning: Tom's documents/L4-023: skipped: a folder of documents evidencegen " \
           "made" in again.stderr
    # a draft moved in among her notes is skipped too, and named
    draft = samples_copy / "sessions" / "draft.docx"
    shutil.copy(next((samples_copy / "Tom's documents").rglob("*_5.2.docx")), draft)
    learner = read_learner(samples_copy)
    assert not any(n.path.name == "draft.docx" for n in learner.notes)
    assert ("sessions/draft.docx", OWN_DOCUMENT) in [(w.path, w.message)
                                                     for w in learner.warnings]
    check = _run("check", str(samples_copy), "--format", "json", "-o", "again.json")
    assert check.exit_code == 0
    assert ("warning: sessions/draft.docx: skipped: a document evidencegen made"
            in check.stderr)
    # ... but checking that one draft reads it: learners edit drafts and check them
    single = analyse(draft)
    read_back = [n for n in single.learner.notes if n.type == "session"]
    assert read_back and all(n.path == draft.resolve() for n in single.learner.notes)
    assert {n.date for n in read_back} <= {n.date for n in learner.notes if n.type == "session"}
    assert single.learner.warnings == ()


def test_learner_id_0052_stays_0052_in_coverage_json_and_file_names(
        learner_dir, tmp_path: Path) -> None:
    folder = learner_dir({"sessions/2026-04-01-a.md": _session("2026-04-01", "Mentee A")},
                         learner_yaml=LEARNER_YAML.replace("L4-001", "0052"))
    result = _run("build", str(folder), "-o", str(tmp_path / "out"), "-f", "docx", "-c", "5.2")
    assert result.exit_code == 0, result.output
    out = tmp_path / "out" / "0052"
    assert (out / "0052_435_5.2.docx").is_file()
    assert json.loads((out / "coverage.json").read_text())["learner"]["id"] == "0052"


@pytest.mark.parametrize("written", ["0052", "1e3", "0o17", "12_000", "1.50", "007", "1:30"])
def test_identifiers_and_names_stay_as_written(learner_dir, written: str) -> None:
    folder = learner_dir(
        {"sessions/2026-04-01-a.md": _session("2026-04-01", written)},
        learner_yaml=f"name: {written}\nlearner_id: {written}\nmentees: [{written}, B]\n")
    info = read_learner_file(folder)
    assert (info.name, info.learner_id, info.mentees) == (written, written, [written, "B"])
    (n,) = read_learner(folder).notes
    assert n.mentee == written


def test_mentee_names_compare_without_case_or_spacing(learner_dir) -> None:
    folder = learner_dir({
        "sessions/2026-04-01-a.md": _session("2026-04-01", "Mentee B"),
        "sessions/2026-04-15-b.md": _session("2026-04-15", "mentee b"),
        "sessions/2026-04-29-c.md": _session("2026-04-29", "MENTEE  B"),
        "sessions/2026-05-06-d.md": _session("2026-05-06", "mentee c"),
        "sessions/2026-05-20-e.md": _session("2026-05-20", "Mentee C"),
    }, learner_yaml=LEARNER_YAML.replace("[Mentee A]", "[Mentee A, Mentee B]"))
    learner = read_learner(folder)
    # learner.yaml's spelling wins; a mentee it does not list keeps her first spelling
    assert [n.mentee for n in learner.notes] == ["Mentee B"] * 3 + ["mentee c"] * 2
    assert _rules(folder)["sessions_with_same_mentee"] == 3


def test_two_sessions_written_mentee_b_and_mentee_b_lower_case_are_one_mentee(
        learner_dir) -> None:
    folder = learner_dir({
        "sessions/2026-04-01-a.md": _session("2026-04-01", "Mentee B"),
        "sessions/2026-04-15-b.md": _session("2026-04-15", "mentee b"),
    }, learner_yaml=LEARNER_YAML.replace("[Mentee A]", "[Mentee B]"))
    assert _rules(folder)["sessions_with_same_mentee"] == 2


def test_the_untouched_examples_from_init_count_for_nothing_until_edited(
        tmp_path: Path) -> None:
    folder = tmp_path / "my-portfolio"
    assert _run("init", str(folder)).exit_code == 0
    result = analyse(folder)
    assert result.coverage["1.1"].status == "not_started"
    assert result.coverage["5.2"].status == "not_started"
    assert {(w.path, w.message) for w in result.learner.warnings} == {
        ("reading/models-of-mentoring.md", STARTER),
        ("sessions/2026-01-13-first-session.md", STARTER)}
    # only the front matter changed: still the example
    session = folder / "sessions" / "2026-01-13-first-session.md"
    session.write_text(session.read_text().replace("45 minutes", "30 minutes"))
    assert analyse(folder).coverage["5.2"].status == "not_started"
    text = session.read_text()
    session.write_text(text[: text.index("Replace this example")] + SESSION + "\n")
    edited = analyse(folder)
    assert edited.coverage["5.2"].status != "not_started"
    assert [n.rel for n in edited.learner.notes] == ["sessions/2026-01-13-first-session.md"]


MODELS = """\
# Models of mentoring

## Coaching

- Strengths:
    - It is quick to arrange.
- Weaknesses:
    - It can feel one-sided.

| Model | Strength |
|---|---|
| Peer mentoring | Colleagues understand each other's pressures. |

## References

- Clutterbuck, D. (2014) Everyone needs a mentor.
"""


@pytest.mark.parametrize(("suffix", "extra"), [(".odt", []), (".rtf", ["--standalone"])])
def test_odt_and_rtf_notes_are_read_through_markdown(
        learner_dir, suffix: str, extra: list[str]) -> None:
    folder = learner_dir()
    path = folder / "reading" / f"models{suffix}"
    path.parent.mkdir()
    pypandoc.convert_text(MODELS, suffix[1:], format="gfm", outputfile=str(path),
                          extra_args=extra)
    (n,) = read_learner(folder).notes
    assert (n.type, n.title) == ("knowledge", "Models of mentoring")
    texts = {b.text: b for b in n.blocks}
    assert texts["Coaching"].kind == "heading"
    weakness = texts["It can feel one-sided."]
    assert weakness.kind == "list_item"
    if suffix == ".odt":  # pandoc writes an RTF list flat, each item a bullet paragraph
        assert weakness.context == ("Models of mentoring", "Coaching", "Weaknesses")
    cell = texts["Colleagues understand each other's pressures."]
    assert (cell.kind, cell.header, cell.context[-1]) == ("table_cell", "Strength",
                                                          "Peer mentoring")
    assert n.references == ("Clutterbuck, D. (2014) Everyone needs a mentor.",)
    assert all(s.line >= 1 for s in n.sentences)


@pytest.mark.parametrize(("name", "content", "says"), [
    ("notes.odt", b"PK\x03\x04 this is not really a zip file", "notes.odt: cannot open this "
     ".odt (OpenDocument text) file"),
    ("notes.rtf", b"Plain words saved with the wrong name.", "notes.rtf: this file is not in "
     "Rich Text format"),
    ("truncated.rtf", b"{\\rtf1\\ansi {\\b unfinished", "truncated.rtf: cannot read this "
     ".rtf (Rich Text) file (Error at \"truncated.rtf\""),  # pandoc's words, on one line
])
def test_a_broken_odt_or_rtf_is_one_line_naming_the_file(
        learner_dir, name: str, content: bytes, says: str) -> None:
    folder = learner_dir({"sessions/2026-04-01-a.md": _session("2026-04-01", "Mentee A")})
    (folder / name).write_bytes(content)
    result = _run("check", str(folder))
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert says in line


def test_a_spreadsheet_named_odt_is_refused(learner_dir) -> None:
    folder = learner_dir()
    with zipfile.ZipFile(folder / "scores.odt", "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<x/>")
    result = _run("check", str(folder))
    assert result.exit_code == 2
    assert "scores.odt: this is not an OpenDocument text document" in result.stderr


def test_every_file_that_is_not_read_is_named(learner_dir) -> None:
    folder = learner_dir({"sessions/2026-04-01-a.md": _session("2026-04-01", "Mentee A")})
    for name in ("old-notes.doc", "handbook.pdf", "session.pages", "photo of notes.jpg",
                 "scan.png", "scores.ods", "template.ott", "reading/list.csv"):
        path = folder / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"x")
    (folder / ".DS_Store").write_bytes(b"x")
    (folder / "feedback.yaml").write_text("# none yet\n")
    learner = read_learner(folder)
    assert [(w.path, w.message) for w in learner.warnings] == [
        (name, NOT_READ) for name in sorted(
            ["old-notes.doc", "handbook.pdf", "session.pages", "photo of notes.jpg",
             "scan.png", "scores.ods", "template.ott", "reading/list.csv"])]
    result = _run("build", str(folder), "-o", str(folder.parent / "out"), "-f", "docx",
                  "-c", "5.2")
    assert result.exit_code == 0, result.output
    assert ("warning: handbook.pdf: not read: evidencegen reads .md, .txt, .docx, .odt and "
            ".rtf; save it as one of those") in result.stderr.splitlines()
