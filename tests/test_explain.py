"""An assessor asks why: explain shows each sentence, what counted and why the rest did not.

The same reasons reach coverage.json (validated against its schema elsewhere) and the HTML
report, so the judgement can be checked wherever it is read.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from click.testing import CliRunner

from evidencegen.api import analyse
from evidencegen.cli import cli
from evidencegen.coverage import coverage_json
from evidencegen.report import html_report, text_report

LEARNER = """name: Ama Boateng
learner_id: "0052"
programme_start: 2026-01-05
mentees: [Mentee T]
declaration: {signed: true, date: 2026-11-01}
"""
SESSION = """---
type: session
date: 2026-03-02
mentee: Mentee T
---
I asked her what she thought had gone well on the round.
I did not give her any feedback that day.
It is important to listen to residents.
"""


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "ama"
    (folder / "sessions").mkdir(parents=True)
    (folder / "learner.yaml").write_text(LEARNER)
    (folder / "sessions" / "2026-03-02-round.md").write_text(SESSION)
    return folder


def test_explain_shows_what_counted_and_why_the_rest_did_not(tmp_path):
    note = _folder(tmp_path) / "sessions" / "2026-03-02-round.md"
    result = CliRunner().invoke(cli, ["explain", str(note), "-c", "5.2"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    at = {line.split()[0]: i for i, line in enumerate(lines) if line[:6].strip().isdigit()}
    assert "I asked her" in lines[at["6"]]
    counted = lines[at["6"] + 1]
    assert counted.strip().startswith("+ 5.2 Active listening")
    assert "[active_listening/asked_view]" in counted
    negated = next(line for line in lines if "Constructive feedback" in line)
    assert negated.strip().startswith("- 5.2") and "negated" in negated
    generic = next(line for line in lines if line.strip().startswith("- 5.2 Active listening"))
    assert "general statement" in generic


def test_explain_on_a_missing_note_is_one_line_and_exit_2(tmp_path):
    result = CliRunner().invoke(cli, ["explain", str(tmp_path / "nope.md")])
    assert result.exit_code == 2
    assert "does not exist" in result.output
    assert "Traceback" not in result.output


def test_explain_on_a_broken_note_names_the_file_and_line(tmp_path):
    folder = _folder(tmp_path)
    bad = folder / "sessions" / "2026-03-09-bad.md"
    bad.write_text("---\ndate: 2026-02-31\n---\nI listened.\n")
    result = CliRunner().invoke(cli, ["explain", str(bad)])
    assert result.exit_code == 2
    assert "2026-03-09-bad.md:2" in result.output and "not a real date" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_reasons_reach_coverage_json_and_both_reports(tmp_path):
    analysis = analyse(_folder(tmp_path), today=dt.date(2026, 12, 1))
    report = coverage_json(analysis.learner, analysis.criteria, analysis.coverage, "2026-12-01")
    c52 = next(c for c in report["criteria"] if c["id"] == "5.2")
    assert {r["reason"] for r in c52["rejected"]} >= {"negated", "generic"}
    hit = next(e for e in c52["evidence"] if e["element"] == "active_listening")
    assert hit["rule"] == "active_listening/asked_view" and hit["actor"] == "learner"
    assert report["learner"]["id"] == "0052"
    json.dumps(report)
    html = html_report(analysis, ["5.2"], dt.date(2026, 12, 1))
    assert 'data-reason="negated"' in html and 'data-reason="generic"' in html
    text = text_report(analysis, ["5.2"])
    assert "not counted: " in text and "1 negated" in text


def test_a_draft_says_what_each_example_was_counted_by_and_the_final_does_not(tmp_path):
    import docx

    from evidencegen.api import BuildOptions, build

    samples = Path(__file__).resolve().parents[1] / "samples"
    words = {}
    for final in (False, True):
        out = tmp_path / ("final" if final else "draft")
        result = build(samples / "complete", BuildOptions(out=out, formats=("docx",),
                                                         criteria=("5.2",), final=final))
        path = next(p for p in result.files if p.name.endswith("_5.2.docx"))
        d = docx.Document(str(path))
        words[final] = "\n".join(c.text for t in d.tables for row in t.rows for c in row.cells)
    assert "Counted by active_listening/" in words[False]
    assert "Counted by" not in words[True]
