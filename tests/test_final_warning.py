"""build --final leaves 'still missing' out of the documents: stderr then says what it
left out, unless --force says the learner means it."""

from __future__ import annotations

from click.testing import CliRunner
from conftest import SAMPLES

from evidencegen.cli import cli

NORTHFIELD = SAMPLES / "centres" / "northfield" / "centre.yaml"


def build(tmp_path, folder, *extra: str):
    return CliRunner().invoke(cli, ["build", str(folder), "-o", str(tmp_path / "out"),
                                    "-f", "docx", *extra])


def test_final_with_gaps_warns_on_stderr_and_lists_each_gap(tmp_path) -> None:
    result = build(tmp_path, SAMPLES / "part-way", "--final", "-c", "5.2")
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert lines[0] == "warning: L4-023: --final leaves out 'still missing', but 5.2 still " \
                       "has 3 gaps:"
    assert lines[1].startswith("  5.2: At least 3 different techniques need to show")
    assert sum(line.startswith("  5.2: ") for line in lines) == 3
    assert lines[-1] == "  (hand it in anyway with --final --force, which leaves out this " \
                        "warning)"
    assert (tmp_path / "out" / "L4-023" / "L4-023_435_5.2.docx").is_file()


def test_final_names_every_criterion_with_a_gap(tmp_path) -> None:
    result = build(tmp_path, SAMPLES / "part-way", "--final")
    assert "but 1.1, 5.2 still have " in result.stderr
    assert "  1.1: " in result.stderr and "  5.2: " in result.stderr


def test_final_force_makes_the_documents_without_the_warning(tmp_path) -> None:
    result = build(tmp_path, SAMPLES / "part-way", "--final", "--force", "-c", "5.2")
    assert result.exit_code == 0
    assert "--final" not in result.stderr
    assert (tmp_path / "out" / "L4-023" / "L4-023_435_5.2.docx").is_file()


def test_final_without_gaps_says_nothing(tmp_path) -> None:
    result = build(tmp_path, SAMPLES / "complete", "--final", "-c", "5.2", "--centre",
                   str(NORTHFIELD))
    assert result.exit_code == 0
    assert "gap" not in result.stderr
    assert "--final" not in result.stderr


def test_without_final_there_is_no_warning(tmp_path) -> None:
    result = build(tmp_path, SAMPLES / "part-way", "-c", "5.2")
    assert "--final" not in result.stderr
