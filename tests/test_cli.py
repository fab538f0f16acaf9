"""The command line as a care worker meets it: help, version, criteria, init, build."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from evidencegen import __version__
from evidencegen.cli import cli

COMMANDS = ["batch", "build", "check", "criteria", "fingerprint", "forms", "init"]


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(run, command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output
    assert f"evidencegen {command}" in result.output


def test_top_level_help_lists_commands_and_where_to_start(run) -> None:
    result = run("--help")
    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.output
    assert "Start here" in result.output


def test_version(run) -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert __version__ in result.output


def test_criteria_lists_the_unit_and_marks_documented_criteria(run) -> None:
    result = run("criteria")
    assert result.exit_code == 0
    assert "Unit 435 Mentoring in social care" in result.output
    assert " *1.1  Compare models for mentoring" in result.output
    assert " *5.2  Use mentoring techniques" in result.output
    assert "  6.3  Agree ongoing mentoring support" in result.output
    assert "carelearning.org.uk" in result.output


def test_criteria_shows_one_criterion_with_its_elements_and_rules(run) -> None:
    result = run("criteria", "1.1")
    assert result.exit_code == 0
    assert "Models (23: the unit's 11, and 12 more that learners meet, marked +):" in result.output
    assert " +grow" in result.output and "GROW model" in result.output
    for name in ["Apprentice model", "Reverse mentoring", "Flash mentoring", "Peer mentoring"]:
        assert name in result.output
    assert "at least 2 (needed for 'ready')" in result.output
    result = run("criteria", "5.2")
    assert "Techniques (11):" in result.output
    assert "Resolving conflicts" in result.output
    assert "needed for 'met'" in result.output


def test_criteria_of_another_version_from_a_file(run, tmp_path: Path) -> None:
    shipped = (Path(__file__).parents[1] / "criteria" / "unit-435.yaml").read_text()
    other = shipped.replace("id: unit-435-carelearning", "id: unit-435-other").replace(
        "default: true", "default: false").replace("Compare models for mentoring",
                                                   "Compare different models of mentoring")
    path = tmp_path / "other.yaml"
    path.write_text(other)
    result = run("criteria", "--version-of", str(path), "1.1")
    assert result.exit_code == 0
    assert result.output.startswith("1.1 Compare different models of mentoring")


def test_learner_can_name_another_criteria_version(run, tmp_path: Path, learner_dir) -> None:
    shipped = (Path(__file__).parents[1] / "criteria" / "unit-435.yaml").read_text()
    (tmp_path / "centre.yaml").write_text(shipped.replace(
        "id: unit-435-carelearning", "id: unit-435-centre").replace(
        "Compare models for mentoring", "Compare different models of mentoring"))
    folder = learner_dir(learner_yaml="name: A\nlearner_id: X-1\ncriteria: ../centre.yaml\n")
    result = run("build", str(folder), "-o", str(tmp_path / "out"), "-f", "docx", "-c", "1.1")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "out" / "X-1" / "coverage.json").read_text())
    assert data["criteria_version"]["id"] == "unit-435-centre"
    assert data["criteria"][0]["title"] == "Compare different models of mentoring"


def test_unknown_criteria_version_names_learner_yaml(tmp_path: Path, learner_dir) -> None:
    folder = learner_dir(learner_yaml="name: A\nlearner_id: X-1\ncriteria: no-such-version\n")
    result = CliRunner().invoke(cli, ["build", str(folder), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "learner.yaml" in result.stderr and "no-such-version" in result.stderr


def test_build_other_criterion_makes_a_recorded_not_judged_document(run, tmp_path, learner_dir):
    folder = learner_dir({"a.md": "---\ncriteria: [4.1]\n---\nWe signed our agreement.\n"})
    result = run("build", str(folder), "-o", str(tmp_path / "out"), "-c", "4.1", "-f", "docx")
    assert result.exit_code == 0, result.output
    import docx

    d = docx.Document(str(tmp_path / "out" / "L4-001" / "L4-001_435_4.1.docx"))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "We signed our agreement." in text
    assert "does not judge" in text


def test_init_makes_a_folder_that_builds(run, tmp_path: Path) -> None:
    folder = tmp_path / "my-portfolio"
    result = run("init", str(folder))
    assert result.exit_code == 0
    assert (folder / "learner.yaml").is_file()
    assert "evidencegen build" in result.output
    assert "# " in (folder / "learner.yaml").read_text()  # fields explained in comments
    built = run("build", str(folder), "-o", str(tmp_path / "out"), "-f", "docx")
    assert built.exit_code == 0, built.output
    assert list((tmp_path / "out").glob("*/coverage.json"))


def test_init_refuses_a_folder_with_files(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("mine")
    result = CliRunner().invoke(cli, ["init", str(tmp_path)])
    assert result.exit_code == 2
    assert "already has files" in result.stderr
    assert (tmp_path / "x.txt").read_text() == "mine"


def test_build_all_samples_prints_summary(run, tmp_path: Path) -> None:
    samples = sorted(str(p) for p in SAMPLES.iterdir() if (p / "learner.yaml").exists())
    result = run("build", *samples, "-o", str(tmp_path / "out"), "-f", "docx", "--centre",
                 str(SAMPLES / "centres" / "northfield" / "centre.yaml"))  # the demo key
    assert result.exit_code == 0, result.output
    assert result.output.count("Wrote 4 files to") == 3  # 2 documents, the sheet, coverage
    assert "Met (observed)" in result.output


def test_every_command_is_documented_in_readme() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    for name in cli.commands:
        assert f"evidencegen {name}" in readme, name


def test_every_error_class_is_in_the_error_guide() -> None:
    from evidencegen import errors

    guide = (Path(__file__).parents[1] / "docs" / "errors.md").read_text()
    classes = [c for c in vars(errors).values() if isinstance(c, type)
               and issubclass(c, errors.EvidencegenError) and c is not errors.EvidencegenError]
    assert len(classes) == 7
    for cls in classes:
        assert cls.__name__ in guide, cls.__name__


def test_readme_first_command_names_real_learner_folders() -> None:
    import re

    root = Path(__file__).parents[1]
    readme = (root / "README.md").read_text()
    command = next(line for line in readme.splitlines() if "evidencegen build samples" in line)
    folders = re.search(r"evidencegen build (.+?) -o", command).group(1).split()
    assert folders
    for folder in folders:
        assert (root / folder / "learner.yaml").is_file(), folder
