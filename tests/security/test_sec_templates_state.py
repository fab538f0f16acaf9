"""A template cannot change what the next render sees: not the criteria a batch worker keeps
for its whole life, not the state labels, not another learner's document."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import LEARNER_YAML, note

from evidencegen.api import analyse
from evidencegen.cli import cli
from evidencegen.errors import TemplateError
from evidencegen.models import STATE_LABELS
from evidencegen.render.pipeline import Renderer

SESSION = note({"type": "session", "date": "2026-04-01", "mentee": "Mentee A"},
               "I listened to her and asked open questions about her goals.")
TODAY = dt.date(2026, 6, 1)

# Each tries to change shared data, then renders the document normally.
MUTATIONS = [
    "{{ criterion.elements.append(criterion.elements[0]) }}",
    "{{ criteria.outcomes.__setitem__(0, None) }}",
    "{{ criteria.outcomes[0].criteria.pop() }}",
    "<p>{{ learner.name }}</p>{% set criteria.id = 'hacked' %}",
    "{{ criterion.__setattr__('text', 'HACKED') }}",
    "{{ coverage.gaps.clear() }}",
    "{{ coverage.evidence.unlisted.update({'x': 'HACKED'}) }}",
    "{% set ns = namespace(c=criterion) %}{% set ns.c = 'HACKED' %}{{ ns.c }}",
]


def _folder(root: Path, learner_id: str) -> Path:
    folder = root / learner_id
    (folder / "sessions").mkdir(parents=True)
    (folder / "learner.yaml").write_text(LEARNER_YAML.replace("L4-001", learner_id))
    (folder / "sessions" / "2026-04-01-a.md").write_text(SESSION)
    return folder


@pytest.mark.parametrize("attempt", MUTATIONS)
def test_a_template_cannot_change_criteria_kept_for_the_next_render(tmp_path, attempt) -> None:
    analysis = analyse(_folder(tmp_path, "L4-001"), today=TODAY)
    cov = analysis.coverage["5.2"]
    before = analysis.criteria.model_dump_json()
    clean = Renderer(None)
    first, _ = clean.html(analysis, cov, False, TODAY)
    hostile = tmp_path / "templates"
    hostile.mkdir()
    (hostile / "criterion-5.2.html.j2").write_text(
        '{% extends "builtin/criterion-5.2.html.j2" %}\n{% block evidence %}\n' + attempt
        + "\n{{ super() }}{% endblock %}\n")
    try:
        html, _ = Renderer(hostile).html(analysis, cov, False, TODAY)
    except TemplateError as exc:
        assert exc.line == 3 and exc.path is not None
        assert exc.path.name == "criterion-5.2.html.j2"
    else:  # the namespace case renders: it changed only its own local value
        assert "HACKED" in html
    assert analysis.criteria.model_dump_json() == before
    assert STATE_LABELS["met"] == "Met (observed)"
    again, _ = clean.html(analysis, cov, False, TODAY)
    assert again == first and "HACKED" not in again


def test_in_one_batch_a_template_attack_on_one_learner_leaves_the_next_untouched(
        tmp_path) -> None:
    cohort = tmp_path / "cohort"
    _folder(cohort, "L4-001")
    _folder(cohort, "L4-002")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "criterion-5.2.html.j2").write_text(
        '{% extends "builtin/criterion-5.2.html.j2" %}\n{% block evidence %}\n'
        "{% if learner.learner_id == 'L4-001' %}{{ criterion.elements.append('x') }}"
        "{{ criteria.outcomes.clear() }}{% endif %}\n{{ super() }}{% endblock %}\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["batch", str(cohort), "-o", str(out), "-j", "1",
                                      "-f", "docx", "--templates", str(templates)])
    assert result.exit_code == 1, result.output  # one learner failed, the run finished
    errors = json.loads((out / "errors.json").read_text())
    assert [e["learner_id"] for e in errors] == ["L4-001"]
    assert "criterion-5.2.html.j2:3:" in errors[0]["error"]
    assert not (out / "L4-001").exists() or not list((out / "L4-001").glob("*.docx"))

    alone = tmp_path / "alone"
    single = CliRunner().invoke(cli, ["build", str(cohort / "L4-002"), "-o", str(alone),
                                      "-f", "docx", "--templates", str(templates)])
    assert single.exit_code == 0, single.output
    texts = {}
    for name in ("L4-002_435_5.2.docx", "L4-002_435_1.1.docx"):
        in_batch = [p.text for p in docx.Document(str(out / "L4-002" / name)).paragraphs]
        by_itself = [p.text for p in docx.Document(str(alone / "L4-002" / name)).paragraphs]
        assert in_batch == by_itself
        texts[name] = "\n".join(in_batch)
    assert "with Mentee A" in texts["L4-002_435_5.2.docx"]  # her session, in full
