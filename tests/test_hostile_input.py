"""Hostile or broken input: clear refusals inside documented limits, never a traceback."""

from __future__ import annotations

import io
import os
import time
import zipfile
from pathlib import Path

import docx
from click.testing import CliRunner
from conftest import note

from evidencegen.cli import cli


def check(path: Path):
    return CliRunner().invoke(cli, ["check", str(path)])


def assert_refused(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    line = result.stderr.strip().splitlines()
    assert len(line) == 1
    for fragment in fragments:
        assert fragment in line[0], line[0]


def test_a_50_mb_note_is_refused_naming_the_limit(learner_dir) -> None:
    folder = learner_dir()
    with (folder / "huge.md").open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    assert_refused(check(folder), "huge.md", "larger than 0.5 MB",
                   "EVIDENCEGEN_MAX_NOTE_MB")


def test_a_note_with_a_50_kb_line_is_refused_with_its_line(learner_dir) -> None:
    folder = learner_dir({"long.md": "Fine first line.\n" + "word " * 10_000 + "\n"})
    assert_refused(check(folder), "long.md:2:", "longer than 20,000 characters")


def test_a_long_but_allowed_note_is_read(learner_dir) -> None:
    body = "\n\n".join(["I listened to her and we agreed to meet every other week. " * 30] * 40)
    folder = learner_dir({"s/2026-04-01.md": note({"type": "session", "mentee": "Mentee A"},
                                                   body)})
    started = time.monotonic()
    assert check(folder).exit_code == 0
    assert time.monotonic() - started < 30


def test_note_linking_outside_the_folder_is_refused(learner_dir, tmp_path) -> None:
    outside = tmp_path / "secret.md"
    outside.write_text("Private.\n")
    folder = learner_dir()
    os.symlink(outside, folder / "link.md")
    assert_refused(check(folder), "link.md", "outside the learner folder")


def test_learner_yaml_linking_outside_is_refused(tmp_path) -> None:
    outside = tmp_path / "other.yaml"
    outside.write_text("name: A\nlearner_id: X\n")
    folder = tmp_path / "learner"
    folder.mkdir()
    os.symlink(outside, folder / "learner.yaml")
    assert_refused(check(folder), "learner.yaml", "outside the learner folder")


def test_a_link_inside_the_folder_is_fine(learner_dir) -> None:
    folder = learner_dir({"real.md": "I listened.\n"})
    os.symlink(folder / "real.md", folder / "alias.md")
    assert check(folder).exit_code == 0


def test_docx_zip_bomb_is_refused(learner_dir) -> None:
    folder = learner_dir()
    buf = io.BytesIO()
    docx.Document().save(buf)
    bomb = folder / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out, \
            zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src:
        for item in src.infolist():
            out.writestr(item, src.read(item))
        out.writestr("word/padding.bin", b"\0" * (250 * 1024 * 1024))
    assert bomb.stat().st_size < 2 * 1024 * 1024
    assert_refused(check(folder), "bomb.docx", "refused")


def test_docx_with_an_external_entity_does_not_read_the_file(learner_dir, tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRETVALUE")
    folder = learner_dir()
    buf = io.BytesIO()
    d = docx.Document()
    d.add_paragraph("PLACEHOLDER")
    d.save(buf)
    path = folder / "xxe.docx"
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                text = data.decode()
                text = text.replace("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>",
                                    "", 1)
                text = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM '
                        f'"file://{secret}">]>' + text.replace("PLACEHOLDER", "&x;"))
                data = text.encode()
            out.writestr(item, data)
    result = CliRunner().invoke(cli, ["check", str(path), "--format", "json"])
    assert "TOPSECRETVALUE" not in result.output
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 2)
