"""1.1: models are recognised however she lays her notes out, and compared however she words it.

Labelled bullets, bold pseudo-headings, nesting under a model's name, tables, comparisons by
"the latter", "whereas", "unlike", "both", models outside the criteria file, and links to her
setting through her workplace or mentee. The notes are written for these tests.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from evidencegen.api import analyse
from evidencegen.coverage import coverage_json

LEARNER = """name: Rosa Field
learner_id: T-200
employer: Alder House Care Home
programme_start: 2026-01-05
mentees: [Mentee K]
declaration: {signed: true, date: 2026-11-01}
"""


def _analyse(tmp_path: Path, body: str):
    learner = tmp_path / "learner"
    (learner / "reading").mkdir(parents=True)
    (learner / "learner.yaml").write_text(LEARNER)
    (learner / "reading" / "models.md").write_text(body)
    return analyse(learner, today=dt.date(2026, 12, 1))


def _aspects(analysis) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for hit in analysis.maps["1.1"].hits:
        out.setdefault(hit.element, set()).update(hit.aspects)
    return out


def _pairs(analysis) -> set[frozenset[str]]:
    return {frozenset(c.elements) for c in analysis.maps["1.1"].comparisons}


def test_labelled_bullets_under_a_model_heading_give_its_strengths_and_limitations(tmp_path):
    analysis = _analyse(tmp_path, """# GROW

The mentee sets a goal, looks at where things are now, then at options.

- Pros: quick to learn for new seniors.
- Cons – it assumes she already knows her goal.
""")
    assert {"strength", "limitation"} <= _aspects(analysis)["grow"]


def test_bold_pseudo_headings_carry_the_aspect(tmp_path):
    analysis = _analyse(tmp_path, """## Peer mentoring

Two carers at the same level support each other.

**Weaknesses**

It can turn into a competition between them.

**Plus side**

It costs the home nothing extra.
""")
    assert {"strength", "limitation"} <= _aspects(analysis)["peer"]


def test_nested_list_under_a_model_name_attributes_to_that_model(tmp_path):
    analysis = _analyse(tmp_path, """Models I read about:

- Reverse mentoring
  - Downsides:
    - senior staff can feel undermined
  - Good points:
    - the home keeps up with new apps
- Group mentoring
  - one mentor reaches several people at once
""")
    aspects = _aspects(analysis)
    assert {"strength", "limitation"} <= aspects["reverse"]
    assert "group" in aspects


def test_the_latter_and_whereas_compare_two_models(tmp_path):
    analysis = _analyse(tmp_path, """The apprentice model means learning by working beside
someone experienced. Flash mentoring is one short conversation about a single question.
The latter suits a busy shift, whereas the first needs months together.
""")
    assert frozenset({"apprentice", "flash"}) in _pairs(analysis)


def test_unlike_the_first_compares_with_the_model_under_discussion(tmp_path):
    analysis = _analyse(tmp_path, """## Situational mentoring

A mentor is chosen for one task and the pairing ends when the task does.

## Co-mentoring

Two colleagues teach each other what each knows best.
Unlike the first one, this keeps going for as long as both find it useful.
""")
    assert frozenset({"situational", "co_mentoring"}) in _pairs(analysis)


def test_both_relates_the_last_two_models(tmp_path):
    analysis = _analyse(tmp_path, """E-mentoring happens by video call and messages.
Traditional mentoring pairs a senior with a junior colleague face to face.
Both rely on the mentee being willing to speak up.
""")
    assert frozenset({"e_mentoring", "traditional"}) in _pairs(analysis)


def test_a_comparison_table_compares_its_rows(tmp_path):
    analysis = _analyse(tmp_path, """| Model | Strength | Limitation |
|---|---|---|
| Peer mentoring | cheap and friendly | can become competitive |
| Reflective model | builds self-awareness | needs a motivated mentee |
""")
    assert frozenset({"peer", "reflective"}) in _pairs(analysis)
    aspects = _aspects(analysis)
    assert {"strength", "limitation"} <= aspects["peer"]
    assert {"strength", "limitation"} <= aspects["reflective"]


def test_a_model_in_no_list_is_recognised_and_marked(tmp_path):
    analysis = _analyse(tmp_path, """## The Lantern model

The Lantern model works in three steps: notice, name and next step.
It is easy to remember on a busy floor.
However it gives little help when the mentee is upset.
""")
    cmap = analysis.maps["1.1"]
    unlisted = [e for e in {h.element for h in cmap.hits} if e.startswith("other:")]
    assert unlisted == ["other:lantern model"]
    assert {"strength", "limitation"} <= _aspects(analysis)["other:lantern model"]
    report = coverage_json(analysis.learner, analysis.criteria, analysis.coverage, "2026-12-01")
    item = next(e for c in report["criteria"] if c["id"] == "1.1" for e in c["evidence"]
                if e["element"] == "other:lantern model")
    assert item["listed"] is False and item["element_name"] == "Lantern model"
    json.dumps(report)


def test_a_model_only_named_once_is_not_counted(tmp_path):
    analysis = _analyse(tmp_path, "I have heard of the Beacon approach at a study day.\n")
    assert not [h for h in analysis.maps["1.1"].hits if h.element.startswith("other:")]


def test_setting_link_through_her_mentee_or_workplace(tmp_path):
    analysis = _analyse(tmp_path, """GROW gives a conversation four clear steps.
With Mentee K I tend to use GROW because she likes a plan.
At Alder House the reflective model would fit our night staff.
""")
    setting = {h.element for h in analysis.maps["1.1"].hits if "setting" in h.aspects}
    assert {"grow", "reflective"} <= setting


def test_a_negated_strength_reads_as_a_limitation(tmp_path):
    analysis = _analyse(tmp_path, "Group mentoring does not suit mentees who are shy.\n")
    assert "limitation" in _aspects(analysis)["group"]


def test_a_contrast_with_little_help_is_a_limitation_not_a_strength(tmp_path):
    analysis = _analyse(tmp_path, "Flash mentoring answers one question quickly.\n"
                                  "However it gives little help when the mentee is upset.\n")
    hits = [h for h in analysis.maps["1.1"].hits if "little help" in h.quote]
    assert hits and all("limitation" in h.aspects and "strength" not in h.aspects
                        for h in hits)


def test_setting_link_through_the_mentees_initial(tmp_path):
    analysis = _analyse(tmp_path, "The apprentice model means learning beside someone.\n"
                                  "For K I would use the apprentice model for anything new.\n")
    assert any("setting" in h.aspects for h in analysis.maps["1.1"].hits
               if h.quote.startswith("For K"))


def test_a_short_line_ending_in_a_colon_is_a_heading_for_the_lines_below(tmp_path):
    analysis = _analyse(tmp_path, """Situational mentoring

Where it falls short:

It ends when the task ends, so there is no long-term development.
""")
    assert "limitation" in _aspects(analysis)["situational"]


def test_a_word_note_with_bold_headings_and_a_table_is_read_for_models(tmp_path):
    import docx

    learner = tmp_path / "learner"
    (learner / "reading").mkdir(parents=True)
    (learner / "learner.yaml").write_text(LEARNER)
    d = docx.Document()
    d.add_paragraph().add_run("Peer mentoring").bold = True
    d.add_paragraph("Two carers on the same grade coach each other through new tasks.")
    d.add_paragraph().add_run("Drawbacks").bold = True
    d.add_paragraph("Friends can go easy on each other.")
    table = d.add_table(rows=3, cols=3)
    for r, row in enumerate([("Model", "Strength", "Limitation"),
                             ("Peer mentoring", "no cost", "can turn competitive"),
                             ("Group mentoring", "reaches a whole team", "less individual time")]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    d.save(str(learner / "reading" / "models.docx"))
    analysis = analyse(learner, today=dt.date(2026, 12, 1))
    aspects = _aspects(analysis)
    assert {"strength", "limitation"} <= aspects["peer"]
    assert {"strength", "limitation"} <= aspects["group"]
    assert frozenset({"peer", "group"}) in _pairs(analysis)


def test_solving_problems_is_a_strength_and_both_parties_is_no_comparison(tmp_path):
    analysis = _analyse(tmp_path, """- Reverse mentoring:
  - Junior staff teach senior staff about new apps.
- Flash mentoring:
  - One short conversation about one question.
  - Beneficial for resolving immediate issues.
  - It needs both parties to turn up prepared.
""")
    flash = [h for h in analysis.maps["1.1"].hits if h.element == "flash"]
    solving = next(h for h in flash if "resolving" in h.quote)
    assert "strength" in solving.aspects and "limitation" not in solving.aspects
    assert not analysis.maps["1.1"].comparisons


RENAMED = {"strength": "pros", "limitation": "cons", "setting": "fit", "how": "workings"}


def _renamed_criteria(tmp_path: Path) -> Path:
    """The shipped criteria with every aspect of 1.1 given another id (its role kept)."""
    text = (Path(__file__).resolve().parents[1] / "criteria" / "unit-435.yaml").read_text()
    for old, new in RENAMED.items():
        text = text.replace(f"          {old}:\n            role: {old}",
                            f"          {new}:\n            role: {old}")
    text = text.replace("aspects: [strength, limitation]", "aspects: [pros, cons]")
    text = text.replace("aspects: [setting]", "aspects: [fit]")
    text = text.replace("heading: Strengths", "heading: Good points")
    assert text.count("role: strength") == 1 and "          pros:\n" in text
    path = tmp_path / "renamed.yaml"
    path.write_text(text)
    return path


def test_aspects_come_from_the_criteria_data_not_the_code(tmp_path):
    """Renaming 1.1's aspects in the criteria file changes the ids the evidence carries and
    the document's headings, and nothing else: the code reads each aspect by its role."""
    from evidencegen.render.context import build_context

    body = """# GROW

The mentee sets a goal, looks at where things are now, then at options.

- Pros: quick to learn for new seniors.
- Cons – it assumes she already knows her goal.
- In my setting: Alder House seniors could use it with Mentee K.
"""
    shipped = _analyse(tmp_path / "shipped", body)
    learner = tmp_path / "renamed" / "learner"
    (learner / "reading").mkdir(parents=True)
    (learner / "learner.yaml").write_text(LEARNER + "criteria: renamed.yaml\n")
    (learner / "reading" / "models.md").write_text(body)
    _renamed_criteria(learner)
    renamed = analyse(learner, today=dt.date(2026, 12, 1))

    want = {RENAMED[a] for a in _aspects(shipped)["grow"]}
    assert {"pros", "cons", "fit"} <= want
    assert _aspects(renamed)["grow"] == want
    met = {r.rule: r.met for r in shipped.coverage["1.1"].rules}
    assert {r.rule: r.met for r in renamed.coverage["1.1"].rules} == met

    ctx = build_context(renamed.learner, renamed.criteria, renamed.coverage["1.1"], False,
                        dt.date(2026, 12, 1))
    assert ctx.aspects == (("how", "How it works"), ("strengths", "Good points"),
                           ("limitations", "Limitations"), ("setting", "Fit to my setting"))
    [row] = [r for r in ctx.models if r.element.id == "grow"]
    assert [q.text for q in row.cells["strengths"]] == ["Pros: quick to learn for new seniors."]
    assert [q.text for q in row.cells["limitations"]] == [
        "Cons – it assumes she already knows her goal."]
