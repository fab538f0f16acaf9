"""Mapping a learner's words to 1.1 and 5.2, and the coverage rules at their thresholds."""

from __future__ import annotations

from pathlib import Path

from conftest import note

from evidencegen.api import analyse, countersign
from evidencegen.signing import new_key

MODELS = """
## Apprentice model
The mentee learns by shadowing me on shift. One benefit is that it is practical.
However, it can limit how far she solves problems alone. In our home it suits new carers.

## Peer mentoring
Colleagues at the same level support each other. It works well because they share experiences.
The drawback is that friends may avoid hard conversations.

## Reverse mentoring
A junior worker mentors a senior one about the new care planning app.
"""
COMPARE = "\n## Comparing\nUnlike the apprentice model, peer mentoring has no senior person.\n"


def session(day: str, body: str, mentee: str = "Mentee A") -> str:
    return note({"type": "session", "date": day, "mentee": mentee}, body)


def status(folder, ac: str) -> str:
    return analyse(folder).coverage[ac].status


# -- 5.2 ---------------------------------------------------------------------------------


def test_synonyms_map_to_techniques_with_file_line_and_sentence(learner_dir) -> None:
    folder = learner_dir({"sessions/s1.md": session("2026-04-01", """
        I paraphrased what she had told me about nights.
        We agreed to meet every other Tuesday.
        """)})
    hits = analyse(folder).maps["5.2"].hits
    got = {(h.element, h.note.rel, h.line, h.quote) for h in hits}
    assert got == {
        ("active_listening", "sessions/s1.md", 6,
         "I paraphrased what she had told me about nights."),
        ("regular_meetings", "sessions/s1.md", 7, "We agreed to meet every other Tuesday."),
    }


def test_negated_technique_is_not_evidence(learner_dir) -> None:
    folder = learner_dir({"sessions/s1.md": session("2026-04-01", """
        I did not give feedback this time. We have not yet met regularly.
        """)})
    assert analyse(folder).maps["5.2"].hits == []
    assert status(folder, "5.2") == "not_started"


def test_5_2_needs_three_techniques_two_sessions_same_mentee(learner_dir) -> None:
    two_techniques = {
        "sessions/a.md": session("2026-04-01", "I listened to her worries."),
        "sessions/b.md": session("2026-04-15", "We agreed to meet every other week."),
    }
    folder = learner_dir(two_techniques)
    cov = analyse(folder).coverage["5.2"]
    assert cov.status == "in_progress"
    rule = next(r for r in cov.rules if r.rule == "techniques_across_sessions")
    assert (rule.needed, rule.found, rule.met) == (3, 2, False)
    assert rule.reason == ("At least 3 different techniques need to show in dated sessions "
                           "with the same mentee; so far 2.")

    folder = learner_dir({**two_techniques,
                          "sessions/c.md": session("2026-04-29", "I praised her work.")})
    cov = analyse(folder).coverage["5.2"]
    assert cov.status == "ready"
    assert {r.rule: r.met for r in cov.rules} == {
        "techniques_across_sessions": True, "sessions_with_same_mentee": True,
        "relationship_over_time": True, "current_sessions": True, "own_words": True,
        "declaration": True,
        "observed_or_witnessed": False}


def test_5_2_one_session_is_not_a_relationship(learner_dir) -> None:
    folder = learner_dir({"sessions/a.md": session(
        "2026-04-01", "I listened. I praised her. We agreed to meet every other week.")})
    cov = analyse(folder).coverage["5.2"]
    assert cov.status == "in_progress"
    sessions_rule = next(r for r in cov.rules if r.rule == "sessions_with_same_mentee")
    assert (sessions_rule.found, sessions_rule.met) == (1, False)
    assert "Only 1 dated session" in sessions_rule.reason


def test_5_2_sessions_with_different_mentees_do_not_add_up(learner_dir) -> None:
    folder = learner_dir({
        "sessions/a.md": session("2026-04-01", "I listened. I praised her.", "Mentee A"),
        "sessions/b.md": session("2026-04-15", "We agreed to meet every other week.", "Mentee B"),
    })
    assert status(folder, "5.2") == "in_progress"


def test_5_2_undated_sessions_do_not_count(learner_dir) -> None:
    folder = learner_dir({
        "sessions/a.md": note({"type": "session", "mentee": "Mentee A"},
                              "I listened. I praised her."),
        "sessions/b.md": session("2026-04-15", "We agreed to meet every other week."),
    })
    cov = analyse(folder).coverage["5.2"]
    assert cov.status == "in_progress"
    assert any("; 1 session note has no date" in g for g in cov.gaps), cov.gaps


def test_5_2_is_met_only_with_an_observation(learner_dir) -> None:
    files = {
        "sessions/a.md": session("2026-04-01", "I listened. I praised her."),
        "sessions/b.md": session("2026-04-15", "We agreed to meet every other week."),
    }
    assert status(learner_dir(files), "5.2") == "ready"
    files["observations/o.md"] = note(
        {"type": "observation", "date": "2026-05-01", "criteria": ["5.2"],
         "author": "A Assessor, Assessor"},
        "Grace listened well and agreed the next date.")
    folder = learner_dir(files)
    key = new_key(folder.parent / "centre.key")
    assert analyse(folder, key=key).coverage["5.2"].status == "ready"  # not countersigned
    countersign(folder, Path("observations/o.md"), "A Assessor", key)
    cov = analyse(folder, key=key).coverage["5.2"]
    assert cov.status == "met"
    assert cov.gaps == []


# -- 1.1 ---------------------------------------------------------------------------------


def knowledge(body: str, references: bool = True) -> dict[str, str]:
    meta: dict[str, object] = {"type": "knowledge", "criteria": ["1.1"]}
    if references:
        meta["references"] = ["Example, A. (2024) Mentoring in care. Leeds."]
    return {"reading/models.md": note(meta, body)}


def test_models_are_attributed_by_heading_with_aspects(learner_dir) -> None:
    cmap = analyse(learner_dir(knowledge(MODELS))).maps["1.1"]
    aspects: dict[str, set[str]] = {}
    for hit in cmap.hits:
        aspects.setdefault(hit.element, set()).update(hit.aspects)
    assert aspects["apprentice"] >= {"strength", "limitation"}
    assert aspects["peer"] >= {"strength", "limitation"}
    assert aspects["reverse"] == {"how"}  # described, with no strength or limitation yet


def test_1_1_needs_two_models_with_both_sides_and_a_comparison(learner_dir) -> None:
    # two complete models, no comparison: in progress
    cov = analyse(learner_dir(knowledge(MODELS))).coverage["1.1"]
    assert cov.status == "in_progress"
    assert [(r.rule, r.found, r.met) for r in cov.rules] == [
        ("models_with_strength_and_limitation", 2, True), ("comparison_statement", 0, False),
        ("own_words", 0, True), ("own_setting", 1, True), ("references", 1, True)]
    # add one comparison sentence: ready
    cov = analyse(learner_dir(knowledge(MODELS + COMPARE))).coverage["1.1"]
    assert cov.status == "ready"
    comparison = cov.evidence.comparisons[0]
    assert set(comparison.elements) == {"apprentice", "peer"}
    assert comparison.quote.startswith("Unlike the apprentice model")


def test_1_1_one_complete_model_is_not_enough(learner_dir) -> None:
    body = MODELS.replace("The drawback is that friends may avoid hard conversations.", "")
    cov = analyse(learner_dir(knowledge(body + COMPARE))).coverage["1.1"]
    assert cov.status == "in_progress"
    rule = cov.rules[0]
    assert (rule.found, rule.met) == (1, False)
    assert rule.reason == ("At least 2 models each need a strength and a limitation in your "
                           "own words; so far 1 (Peer mentoring has no limitation yet; "
                           "Reverse mentoring has no strength or limitation yet).")


def test_listing_two_models_is_not_a_comparison(learner_dir) -> None:
    body = MODELS + "\nI read about the peer mentoring and the apprentice model.\n"
    assert analyse(learner_dir(knowledge(body))).maps["1.1"].comparisons == []


def test_explicit_criteria_map_a_note_to_any_criterion(learner_dir) -> None:
    folder = learner_dir({"a.md": note({"criteria": ["4.1", "6.3"]}, "We signed the agreement.")})
    result = analyse(folder)
    assert result.coverage["4.1"].status == "in_progress"
    assert result.coverage["4.1"].judged is False
    assert result.coverage["6.3"].status == "in_progress"
    assert result.coverage["4.2"].status == "not_started"
