"""coverage.json and `check --format json` follow the documented schema in docs/."""

from __future__ import annotations

import json

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import REPO, SAMPLES

from evidencegen.cli import cli

SCHEMA = json.loads((REPO / "docs" / "coverage.schema.json").read_text())


@pytest.mark.parametrize("sample", ["complete", "part-way", "just-started"])
def test_check_json_validates(sample: str) -> None:
    result = CliRunner().invoke(cli, ["check", str(SAMPLES / sample), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    jsonschema.validate(data, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert len(data["criteria"]) == 22


def test_schema_rejects_a_report_with_an_unknown_state() -> None:
    result = CliRunner().invoke(cli, ["check", str(SAMPLES / "complete"), "--format", "json"])
    data = json.loads(result.output)
    data["criteria"][0]["status"] = "done"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


def test_build_coverage_json_validates(tmp_path) -> None:
    (tmp_path / "out").mkdir()
    result = CliRunner().invoke(cli, ["build", str(SAMPLES / "complete"), "-o",
                                      str(tmp_path / "out"), "-f", "docx"])
    assert result.exit_code == 0
    data = json.loads((tmp_path / "out" / "L4-017" / "coverage.json").read_text())
    jsonschema.validate(data, SCHEMA, format_checker=jsonschema.FormatChecker())
