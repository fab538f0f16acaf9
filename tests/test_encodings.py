"""Notes saved by Notepad, Word and older editors are read, whatever their encoding; a file
in no encoding evidencegen recognises gets one line saying how to save it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import LEARNER_YAML, note

from evidencegen.cli import cli
from evidencegen.limits import NOTE

SESSION = note({"type": "session", "date": "2026-04-01", "mentee": "Mentee A"},
               "I listened to Mentee A. We paid £5 for the café and she felt at ease.")
UTF8_TEXT = "We paid £5 for the café and she felt at ease."


def check_json(folder: Path) -> tuple[dict, str]:
    result = CliRunner().invoke(cli, ["check", str(folder), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), result.stderr


def quoted_text(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False)


def make(tmp_path: Path, raw: bytes, name: str = "sessions/2026-04-01.md") -> Path:
    folder = tmp_path / "learner"
    (folder / "sessions").mkdir(parents=True)
    (folder / "learner.yaml").write_text(LEARNER_YAML, encoding="utf-8")
    (folder / name).write_bytes(raw)
    return folder


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom",
                                      "utf-16-be-bom"])
def test_unicode_notes_from_notepad_are_read_without_a_warning(tmp_path, encoding) -> None:
    if encoding.endswith("-bom"):
        codec = encoding.removesuffix("-bom")
        raw = ("\ufeff" + SESSION).encode(codec)
    else:
        raw = SESSION.encode(encoding)
    report, stderr = check_json(make(tmp_path, raw))
    assert stderr == ""
    reference, _ = check_json(make(tmp_path / "ref", SESSION.encode("utf-8")))
    assert report == reference  # the same judgement, word for word


@pytest.mark.parametrize("codec", ["cp1252", "latin-1"])
def test_a_legacy_note_with_a_pound_sign_is_read_and_named_in_the_warnings(tmp_path,
                                                                           codec) -> None:
    report, stderr = check_json(make(tmp_path, SESSION.encode(codec)))
    reference, _ = check_json(make(tmp_path / "ref", SESSION.encode("utf-8")))
    assert report == reference
    assert stderr.strip() == (
        "warning: sessions/2026-04-01.md: read as Windows-1252 (Western European) text, "
        "not UTF-8; to be sure every character is right, save it as UTF-8 in Notepad: "
        "File → Save as → Encoding: UTF-8")


def test_a_legacy_note_keeps_its_pound_sign_and_curly_quotes_in_the_documents(tmp_path
                                                                              ) -> None:
    from evidencegen.readers import read_learner

    text = note({"type": "session", "date": "2026-04-01", "mentee": "Mentee A"},
                "She said \u201cthanks\u201d \u2014 the trip cost £5.")
    learner = read_learner(make(tmp_path, text.encode("cp1252")))
    assert learner.notes[0].blocks[0].text == "She said \u201cthanks\u201d \u2014 the trip cost £5."
    assert learner.notes[0].encoding == "cp1252"


def test_a_russian_note_in_windows_1251_is_read_by_charset_normalizer(tmp_path) -> None:
    from evidencegen.readers import read_learner

    body = "Мы обсудили её цели на следующий месяц и план обучения для новой команды."
    text = note({"type": "session", "date": "2026-04-01", "mentee": "Mentee A"}, body)
    learner = read_learner(make(tmp_path, text.encode("cp1251")))
    assert learner.notes[0].blocks[0].text == body
    assert learner.notes[0].encoding == "cp1251"


def test_learner_yaml_saved_as_utf16_by_notepad_is_read(tmp_path) -> None:
    folder = make(tmp_path, SESSION.encode("utf-8"))
    (folder / "learner.yaml").write_bytes(LEARNER_YAML.replace("Test Learner", "Zoë Brontë")
                                          .encode("utf-16"))
    report, stderr = check_json(folder)
    assert report["learner"]["name"] == "Zoë Brontë"
    assert stderr == ""


def test_an_unreadable_note_gets_one_line_saying_how_to_save_it(tmp_path) -> None:
    raw = b"\xff\xfe" + "Line one\nLine two\n".encode("utf-16-le") + b"\x00\xd8\x41"  # lone half
    folder = make(tmp_path, raw)
    result = CliRunner().invoke(cli, ["build", str(folder), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr == (
        f"evidencegen: {folder / 'sessions' / '2026-04-01.md'}:3: this file's text is not "
        "UTF-8 and its encoding could not be recognised; save it as UTF-8 in Notepad: "
        "File → Save as → Encoding: UTF-8\n")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.docx"))


def test_the_size_limit_still_applies_to_a_utf16_note(tmp_path) -> None:
    words = "She listened. " * (NOTE.bytes() // 28 + 10)  # under the limit in UTF-8 ...
    raw = ("\ufeff" + words).encode("utf-16-le")  # ... twice as many bytes in UTF-16
    assert len(words.encode()) < NOTE.bytes() < len(raw)
    result = CliRunner().invoke(cli, ["check", str(make(tmp_path, raw))])
    assert result.exit_code == 2
    assert "2026-04-01.md: this file is larger than" in result.stderr, result.stderr
