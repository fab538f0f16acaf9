"""Bad input: one plain line naming the file (and line), exit code 2, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import LEARNER_YAML, note

from evidencegen.cli import cli

GOOD_SESSION = note({"type": "session", "date": "2026-04-01", "mentee": "Mentee A"},
                    "I listened to her.")


def run_build(folder: Path, out: Path, *extra: str) -> Result:
    return CliRunner().invoke(cli, ["build", str(folder), "-o", str(out), "-f", "docx", *extra])


def assert_one_line_error(result: Result, *fragments: str) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def assert_nothing_written(out: Path) -> None:
    written = [p for p in out.rglob("*") if p.is_file()] if out.exists() else []
    assert written == []


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "out"


def test_no_learner_yaml(learner_dir, out) -> None:
    folder = learner_dir({"sessions/a.md": GOOD_SESSION}, learner_yaml=None)
    assert_one_line_error(run_build(folder, out), str(folder), "no learner.yaml")
    assert_nothing_written(out)


def test_learner_folder_that_does_not_exist(tmp_path, out) -> None:
    missing = tmp_path / "nobody"
    assert_one_line_error(run_build(missing, out), str(missing), "does not exist")


def test_empty_folder(tmp_path, out) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert_one_line_error(run_build(empty, out), str(empty), "no learner.yaml")
    assert_nothing_written(out)


def test_required_field_missing_names_the_field(learner_dir, out) -> None:
    folder = learner_dir(learner_yaml="name: Test Learner\ncentre: X\n")
    assert_one_line_error(run_build(folder, out), "learner.yaml:1:",
                          "required field 'learner_id' is missing")
    assert_nothing_written(out)


def test_empty_required_field(learner_dir, out) -> None:
    folder = learner_dir(learner_yaml="name: ''\nlearner_id: L4-001\n")
    assert_one_line_error(run_build(folder, out), "learner.yaml:1:", "'name'", "empty")


def test_unknown_key_in_learner_yaml_names_the_key_and_line(learner_dir, out) -> None:
    folder = learner_dir(learner_yaml="name: A\nlearner_id: L4-001\nnmae: typo\n")
    assert_one_line_error(run_build(folder, out), "learner.yaml:3:", "unknown field 'nmae'")
    assert_nothing_written(out)


def test_malformed_learner_yaml_names_the_line(learner_dir, out) -> None:
    folder = learner_dir(learner_yaml="name: A\nlearner_id: L4-001\n  centre: [oops\n")
    line = assert_one_line_error(run_build(folder, out), "learner.yaml:", "YAML")
    assert line.split("learner.yaml:")[1].split(":")[0] in {"3", "4"}
    assert_nothing_written(out)


def test_learner_yaml_that_is_a_list_not_fields(learner_dir, out) -> None:
    folder = learner_dir(learner_yaml="- name\n- id\n")
    assert_one_line_error(run_build(folder, out), "learner.yaml:1:", "field: value")


def test_malformed_front_matter_names_the_note_and_file_line(learner_dir, out) -> None:
    bad = "---\ntype: session\ndate: [2026-04-01\n---\nText.\n"
    folder = learner_dir({"sessions/bad.md": bad})
    assert_one_line_error(run_build(folder, out), "sessions/bad.md:", "YAML")
    assert_nothing_written(out)


def test_front_matter_without_closing_line(learner_dir, out) -> None:
    folder = learner_dir({"sessions/open.md": "---\ntype: session\nText with no end.\n"})
    assert_one_line_error(run_build(folder, out), "sessions/open.md:1:", "no closing ---")


def test_invalid_date_in_front_matter(learner_dir, out) -> None:
    folder = learner_dir({"sessions/a.md": "---\ntype: session\ndate: 2026-02-31\n---\nHi.\n"})
    assert_one_line_error(run_build(folder, out), "sessions/a.md:3:", "2026-02-31",
                          "not a real date")
    assert_nothing_written(out)


def test_date_in_the_wrong_format(learner_dir, out) -> None:
    folder = learner_dir({"sessions/a.md": "---\ndate: 03/09/2026\n---\nHi.\n"})
    assert_one_line_error(run_build(folder, out), "sessions/a.md:2:", "YYYY-MM-DD")


def test_invalid_date_in_learner_yaml(learner_dir, out) -> None:
    folder = learner_dir(learner_yaml="name: A\nlearner_id: L4-001\nprogramme_start: 2026-13-01\n")
    assert_one_line_error(run_build(folder, out), "learner.yaml:3:", "programme_start",
                          "not a real date")


def test_invalid_date_in_a_file_name(learner_dir, out) -> None:
    folder = learner_dir({"sessions/2026-02-30-catch-up.md": "We met.\n"})
    assert_one_line_error(run_build(folder, out), "2026-02-30-catch-up.md", "not a real date")


def test_unknown_criterion_in_front_matter_names_it_and_the_line(learner_dir, out) -> None:
    folder = learner_dir({"a.md": "---\ntype: session\ncriteria: [5.2, 9.9]\n---\nHi.\n"})
    assert_one_line_error(run_build(folder, out), "a.md:3:", "no criterion '9.9'")
    assert_nothing_written(out)


def test_unknown_criterion_on_the_command_line(learner_dir, out) -> None:
    folder = learner_dir({"sessions/a.md": GOOD_SESSION})
    assert_one_line_error(run_build(folder, out, "-c", "9.9"), "no criterion '9.9'")
    assert_nothing_written(out)


def test_unknown_note_type_lists_the_allowed_ones(learner_dir, out) -> None:
    folder = learner_dir({"a.md": "---\ntype: sesion\n---\nHi.\n"})
    assert_one_line_error(run_build(folder, out), "a.md:2:", "'type' cannot be 'sesion'",
                          "'session'")


def test_unknown_front_matter_key(learner_dir, out) -> None:
    folder = learner_dir({"a.md": "---\ntype: session\nmentor: me\n---\nHi.\n"})
    assert_one_line_error(run_build(folder, out), "a.md:3:", "unknown field 'mentor'")


def test_note_in_no_recognisable_encoding_names_file_and_line(learner_dir, out) -> None:
    import random

    folder = learner_dir()
    rng = random.Random(1)
    noise = bytes(rng.randrange(1, 256) for _ in range(300))
    (folder / "notes.txt").write_bytes(b"Line one\nLine two\n" + noise.replace(b"\n", b" "))
    assert_one_line_error(run_build(folder, out), "notes.txt:3:", "not UTF-8",
                          "File → Save as → Encoding")
    assert_nothing_written(out)


def test_binary_file_named_md(learner_dir, out) -> None:
    folder = learner_dir()
    (folder / "photo.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    assert_one_line_error(run_build(folder, out), "photo.md", "not a text file")


def test_output_folder_that_cannot_be_made(learner_dir, tmp_path) -> None:
    folder = learner_dir({"sessions/a.md": GOOD_SESSION})
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    out = blocker / "out"
    assert_one_line_error(run_build(folder, out), str(out), "cannot create the output folder")
    assert blocker.read_text() == "not a folder"


def test_template_with_a_syntax_error_names_template_and_line(learner_dir, tmp_path, out):
    folder = learner_dir({"sessions/a.md": GOOD_SESSION})
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "criterion-5.2.html.j2").write_text(
        '{% extends "base.html.j2" %}\n{% block evidence %}\n{% if %}\n{% endblock %}\n')
    result = run_build(folder, out, "--templates", str(templates), "-c", "5.2")
    assert_one_line_error(result, "criterion-5.2.html.j2:3:", "syntax error")
    assert_nothing_written(out)


def test_template_with_an_undefined_variable_names_template_and_line(learner_dir, tmp_path, out):
    folder = learner_dir({"sessions/a.md": GOOD_SESSION})
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "criterion-5.2.html.j2").write_text(
        '{% extends "base.html.j2" %}\n{% block evidence %}\n<p>ok</p>\n'
        "<p>{{ nonexistent_thing }}</p>\n{% endblock %}\n")
    result = run_build(folder, out, "--templates", str(templates), "-c", "5.2")
    assert_one_line_error(result, "criterion-5.2.html.j2:4:", "nonexistent_thing")
    assert_nothing_written(out)


def test_debug_shows_the_traceback(learner_dir, out) -> None:
    folder = learner_dir(learner_yaml="name: A\nlearner_id: L4-001\nnmae: typo\n")
    result = CliRunner().invoke(cli, ["--debug", "build", str(folder), "-o", str(out)])
    assert result.exit_code != 0
    assert result.exception is not None
    assert "unknown field 'nmae'" in str(result.exception)


def test_bad_note_leaves_an_earlier_build_untouched(learner_dir, out) -> None:
    folder = learner_dir({"sessions/a.md": GOOD_SESSION})
    assert run_build(folder, out).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert len(before) == 4
    (folder / "sessions" / "b.md").write_text("---\ndate: 2026-02-31\n---\nHi.\n")
    assert_one_line_error(run_build(folder, out), "b.md:2:")
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_learner_yaml_field_lines_are_right_after_comments(learner_dir, out) -> None:
    yaml_text = "# my details\n" + LEARNER_YAML + "\n# done\nmentes: [A]\n"
    folder = learner_dir(learner_yaml=yaml_text)
    assert_one_line_error(run_build(folder, out), "learner.yaml:11:", "unknown field 'mentes'")
