"""One set of figures: build's summary, coverage.json and check's text, JSON and HTML reports
give the same evidence count for every criterion of every sample, because they all take it
from coverage.evidence_count."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from evidencegen.cli import cli

LEARNERS = ["complete", "part-way", "just-started"]


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("sample", LEARNERS)
def test_build_check_and_reports_count_the_same_evidence(sample: str, tmp_path: Path) -> None:
    folder = SAMPLES / sample
    printed = run("build", str(folder), "-o", str(tmp_path / "out"), "-f", "docx")
    built = {ac: int(n) for ac, n in re.findall(
        r"^\s+(\d+\.\d+)\s.*?\s(\d+) pieces? of evidence$", printed, re.M)}
    assert set(built) == {"1.1", "5.2"}, printed

    [stored] = (tmp_path / "out").glob("*/coverage.json")
    in_coverage = {c["id"]: len(c["evidence"]) for c in json.loads(stored.read_text())["criteria"]}

    checked = json.loads(run("check", str(folder), "--format", "json"))
    in_check_json = {c["id"]: len(c["evidence"]) for c in checked["criteria"]}

    text = run("check", str(folder))
    in_text = {ac: int(n) for ac, n in re.findall(
        r"^(\d+\.\d+)\s+(?:not started|in progress|ready|met|signed off)\s+(\d+)\s", text,
        re.M)}

    run("check", str(folder), "--format", "html", "-o", str(tmp_path / "report.html"))
    html = (tmp_path / "report.html").read_text()
    in_html = {ac: int(n) for ac, n in re.findall(
        r'<span class="ac">([\d.]+)</span>.*?<span class="count">(\d+) pieces? of evidence'
        r'</span>', html)}
    assert "1 pieces" not in html and not re.search(r"\b([02-9]|\d\d+) piece\b", html)

    assert in_coverage == in_check_json == in_html == in_text
    assert len(in_coverage) == 22
    assert built == {ac: in_coverage[ac] for ac in built}


def test_a_criterion_with_comparisons_and_mapped_notes_counts_them_all() -> None:
    """The sample that compares models: its 1.1 count includes the comparisons, which
    build's summary once left out."""
    checked = json.loads(run("check", str(SAMPLES / "complete"), "--format", "json", "-c",
                             "1.1"))
    [c] = checked["criteria"]
    kinds = {e.get("kind", "element") for e in c["evidence"]}
    assert "comparison" in kinds
    printed = run("check", str(SAMPLES / "complete"), "-c", "1.1")
    count = int(re.search(r"^1\.1\s+\S+\s+(\d+)\s", printed, re.M).group(1))
    assert count == len(c["evidence"]) > sum(1 for e in c["evidence"] if e["element"])
