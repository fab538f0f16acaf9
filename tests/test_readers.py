"""Reading a learner folder: front matter, types from folders, dates from file names, lines."""

from __future__ import annotations

import datetime as dt

from conftest import note

from evidencegen.readers import read_learner


def test_front_matter_fields_are_read_and_lines_point_into_the_file(learner_dir) -> None:
    folder = learner_dir({
        "notes/one.md": note(
            {"type": "session", "date": "2026-04-01", "mentee": "Mentee A", "duration": 45,
             "mode": "Face to face", "criteria": ["5.2", "5.10"]},
            """
            First paragraph here.

            Second paragraph. It has two sentences.
            """,
        )
    })
    learner = read_learner(folder)
    (n,) = learner.notes
    assert (n.type, n.date, n.mentee, n.duration, n.mode) == (
        "session", dt.date(2026, 4, 1), "Mentee A", "45 minutes", "face-to-face")
    assert n.criteria == ("5.2", "5.10")  # 5.10 stays 5.10, not the number 5.1
    assert n.criteria_line == 7
    assert [(s.text, s.line) for s in n.sentences] == [
        ("First paragraph here.", 9),
        ("Second paragraph.", 11),
        ("It has two sentences.", 11),
    ]


def test_note_without_front_matter_takes_type_from_folder_and_date_from_name(learner_dir) -> None:
    folder = learner_dir({
        "sessions/2026-09-03-catch-up.md": "We caught up.\n",
        "observations/seen.md": "Observed.\n",
        "misc/thoughts.txt": "Some thoughts.\n",
    })
    notes = {n.rel: n for n in read_learner(folder).notes}
    assert notes["sessions/2026-09-03-catch-up.md"].type == "session"
    assert notes["sessions/2026-09-03-catch-up.md"].date == dt.date(2026, 9, 3)
    assert notes["observations/seen.md"].type == "observation"
    assert notes["misc/thoughts.txt"].type == "reflection"
    assert notes["misc/thoughts.txt"].date is None


def test_text_notes_split_into_paragraphs_with_their_lines(learner_dir) -> None:
    folder = learner_dir({"reading/a.txt": "Line one\ncontinues here.\n\n\nThird para.\n"})
    (n,) = read_learner(folder).notes
    assert [(b.text, b.line) for b in n.blocks] == [
        ("Line one continues here.", 1), ("Third para.", 5)]


def test_markdown_is_kept_but_raw_html_becomes_text(learner_dir) -> None:
    folder = learner_dir({"a.md": "I **listened** and *waited*.\n\n<b>bold?</b>\n"})
    (n,) = read_learner(folder).notes
    assert "<strong>listened</strong>" in n.html
    assert "<em>waited</em>" in n.html
    assert "&lt;b&gt;bold?&lt;/b&gt;" in n.html
    assert n.sentences[0].text == "I listened and waited."


def test_hidden_files_learner_yaml_and_other_suffixes_are_not_notes(learner_dir) -> None:
    folder = learner_dir({
        ".git/notes.md": "x\n", "~$draft.md": "x\n", "feedback.yaml": "# no decisions yet\n",
        "photo.png": "x", "keep.markdown": "Kept.\n",
    })
    assert [n.rel for n in read_learner(folder).notes] == ["keep.markdown"]


def test_learner_fields_and_declaration(learner_dir) -> None:
    folder = learner_dir(learner_yaml=(
        "name: A B\nlearner_id: 17\ncentre: C\ndeclaration:\n  signed: true\n  date: 2026-05-01\n"
    ))
    learner = read_learner(folder)
    assert learner.learner_id == "17"
    assert learner.declaration is not None and learner.declaration.signed
    assert learner.declaration.date == dt.date(2026, 5, 1)
