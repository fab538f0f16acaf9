"""5.2: a technique counts only where the clause says she used it with her mentee.

Each decoy kind an assessor rejects (generic, planned, negated, someone else, literature,
another word sense) has a scenario here, and so does plain wording that does count. The
sentences are written for these tests, not taken from the development corpus.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from evidencegen.api import analyse

LEARNER = """name: Rosa Field
learner_id: T-100
employer: Alder House
programme_start: 2026-01-05
mentees: [Mentee K]
declaration: {signed: true, date: 2026-11-01}
"""


OBSERVED = ("type: observation\ndate: 2026-03-02\nmentee: Mentee K\n"
            "author: {name: Sam Lee, role: Assessor}\n")


def _judge(tmp_path: Path, body: str, folder: str = "sessions",
           front: str = "type: session\ndate: 2026-03-02\nmentee: Mentee K\n"):
    learner = tmp_path / "learner"
    (learner / folder).mkdir(parents=True)
    (learner / "learner.yaml").write_text(LEARNER)
    (learner / folder / "2026-03-02-note.md").write_text(f"---\n{front}---\n{body}\n")
    analysis = analyse(learner, today=dt.date(2026, 12, 1))
    return analysis.maps["5.2"]


def _counted(cmap) -> set[str]:
    return {h.element for h in cmap.hits}


def _reasons(cmap) -> set[str]:
    return {r.reason for r in cmap.rejected}


@pytest.mark.parametrize(("sentence", "reason"), [
    ("It is important to listen to residents.", "generic"),
    ("Good feedback is vital in care.", "generic"),
    ("This essay discusses trust between mentor and mentee.", "generic"),
    ("I will use open questions with her next time.", "hypothetical"),
    ("Explain how you would give feedback to a mentee.", "hypothetical"),
    ("If she struggles again I would praise her effort.", "hypothetical"),
    ("I did not give her any feedback that day.", "negated"),
    ("I never praised her work in that session.", "negated"),
    ("The home received good feedback from the inspectors.", "someone_else"),
    ("The deputy manager praised her for the audit.", "someone_else"),
    ("We were encouraged to attend the training day.", "wrong_sense"),
    ("Smith (2015) argues that mentors should listen carefully.", "literature"),
    ("According to the handbook, a mentor gives praise often.", "literature"),
    ("We had to talk through the rota for June.", "wrong_sense"),
    ("The local NHS trust sent a new policy.", "wrong_sense"),
])
def test_a_decoy_is_not_evidence_and_says_why(tmp_path, sentence, reason):
    cmap = _judge(tmp_path, sentence)
    assert _counted(cmap) == set(), [(h.element, h.rule, h.clause) for h in cmap.hits]
    assert reason in _reasons(cmap), [(r.element, r.reason, r.rule) for r in cmap.rejected]


@pytest.mark.parametrize(("sentence", "technique"), [
    ("I asked her what she thought had gone well.", "active_listening"),
    ("We drew up together what she hoped to learn.", "goal_oriented"),
    ("She led the handover and I only stepped in at the end.", "independence"),
    ("We will meet on the first Monday of each month.", "regular_meetings"),
    ("We'll review her targets at the next session.", "goal_oriented"),
    ("I let her finish before I said anything.", "active_listening"),
    ("I told her that what she says stays between us.", "mutual_trust"),
    ("I could see she was upset, so I said it was normal to feel that way.",
     "respect_empathy"),
    ("I did not interrupt her while she talked it over.", "active_listening"),
    ("I praised the way she handled the family's questions.", "positive_reinforcement"),
    ("We moved our session to Thursday to fit around her night shifts.", "flexibility"),
    ("Our next catch-up is booked for the second Tuesday in May.", "regular_meetings"),
    ("I started by asking him to walk me through the night in his own way.",
     "active_listening"),
    ("He talked me through how he had planned the outing.", "active_listening"),
    ("I told him he had set out the care plan exactly as the family wanted.",
     "positive_reinforcement"),
])
def test_plain_wording_of_practice_counts(tmp_path, sentence, technique):
    cmap = _judge(tmp_path, sentence)
    assert technique in _counted(cmap), [(r.element, r.reason, r.rule) for r in cmap.rejected]


def test_something_done_to_her_by_others_is_not_her_doing(tmp_path):
    cmap = _judge(tmp_path, "We were given good feedback by the inspectors last week.")
    assert "constructive_feedback" not in _counted(cmap)


def test_next_time_i_will_shows_nothing(tmp_path):
    cmap = _judge(tmp_path, "Next time I will listen more and talk less.")
    assert _counted(cmap) == set()
    assert "hypothetical" in _reasons(cmap)


def test_an_honest_admission_counts_although_negated(tmp_path):
    cmap = _judge(tmp_path, "I forgot the handbook I had promised her and told her so "
                            "straight away.")
    assert "mutual_trust" in _counted(cmap)


def test_in_an_observation_she_is_the_learner(tmp_path):
    cmap = _judge(tmp_path, "I watched the session. Rosa listened without interrupting and "
                            "she praised K for the care plan.", "observations", OBSERVED)
    assert {"active_listening", "positive_reinforcement"} <= _counted(cmap)


def test_in_an_observation_the_observers_own_actions_are_not_hers(tmp_path):
    cmap = _judge(tmp_path, "Afterwards I gave Rosa feedback on the session.",
                  "observations", OBSERVED)
    assert "constructive_feedback" not in _counted(cmap)


def test_every_judgement_keeps_its_rule_and_clause(tmp_path):
    cmap = _judge(tmp_path, "I asked her what she thought had gone well. "
                            "It is important to listen to residents.")
    hit = next(h for h in cmap.hits if h.element == "active_listening")
    assert hit.rule.startswith("active_listening/")
    assert "asked" in hit.clause and hit.actor == "learner"
    rejected = next(r for r in cmap.rejected if r.reason == "generic")
    assert rejected.rule and rejected.line == 6 and "important" in rejected.quote


def test_plans_under_an_actions_heading_are_not_practice(tmp_path):
    cmap = _judge(tmp_path, "**Actions**\n\n- Give her feedback on the care plan.\n"
                            "- Praise her for the audit.")
    assert _counted(cmap) == set()


def test_the_mentee_using_a_technique_herself_shows_nothing_of_her_mentoring(tmp_path):
    cmap = _judge(tmp_path, "K ran the huddle and praised the new carer.")
    assert _counted(cmap) == set()
    assert "someone_else" in _reasons(cmap)


def test_the_mentee_on_her_own_with_no_part_by_the_learner_shows_nothing(tmp_path):
    cmap = _judge(tmp_path, "K ran the handover on her own last Thursday.")
    assert _counted(cmap) == set()
    assert "someone_else" in _reasons(cmap)


def test_the_mentee_leading_while_she_steps_back_counts(tmp_path):
    cmap = _judge(tmp_path, "K ran the handover on her own while I stayed in the office.")
    assert "independence" in _counted(cmap)


def test_every_pattern_in_the_shipped_criteria_compiles():
    from evidencegen.analysis.patterns import PatternSet
    from evidencegen.criteria import resolve_criteria

    crit = resolve_criteria(None)
    for ac in ("1.1", "5.2"):
        c = crit.get(ac)
        PatternSet((e.id, e.patterns) for e in c.elements)
        PatternSet((n, a.patterns) for n, a in c.aspects.items())


def test_a_centres_criteria_file_with_a_malformed_pattern_is_one_line_naming_it(tmp_path):
    import shutil

    from click.testing import CliRunner

    from evidencegen.cli import cli

    root = Path(__file__).resolve().parents[1]
    learner = tmp_path / "learner"
    shutil.copytree(root / "samples" / "part-way", learner)
    text = (root / "criteria" / "unit-435.yaml").read_text()
    bad = text.replace('match: "listen", not_near', 'match: "calm@VERB|console", not_near')
    (learner / "our-criteria.yaml").write_text(bad)
    line = bad[: bad.index("calm@VERB|console")].count("\n") + 1
    with (learner / "learner.yaml").open("a") as fh:
        fh.write("criteria: our-criteria.yaml\n")
    result = CliRunner().invoke(cli, ["check", str(learner)])
    assert result.exit_code == 2
    assert f"our-criteria.yaml:{line}:" in result.output
    assert "part of speech (@VERB) goes once at the end" in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_talking_it_over_counts_for_conflict_only_where_a_disagreement_is_told(tmp_path):
    cmap = _judge(tmp_path, "She was annoyed that I had moved her shift without asking. "
                            "We talked about it and agreed she would swap with Sam.")
    assert "resolving_conflict" in _counted(cmap)


def test_talking_without_a_disagreement_is_not_conflict_resolution(tmp_path):
    cmap = _judge(tmp_path, "We talked about the new menu and agreed it looked good.")
    assert "resolving_conflict" not in _counted(cmap)


def test_helping_her_do_it_is_doing_it_together(tmp_path):
    cmap = _judge(tmp_path, "K and another senior disagree about the handover sheet. "
                            "I helped her talk it through: what does each of them want?")
    assert "resolving_conflict" in _counted(cmap)


def test_in_an_observation_she_is_whoever_was_named_last(tmp_path):
    cmap = _judge(tmp_path, "K described a hard shift with a resident's family. "
                            "She listened to the daughter's complaint without interrupting.",
                  "observations", OBSERVED)
    assert "active_listening" not in _counted(cmap)
    cmap = _judge(tmp_path / "b", "K described a hard shift with a resident's family. "
                                  "Rosa asked what she thought had gone well. "
                                  "She listened without interrupting.", "observations", OBSERVED)
    assert "active_listening" in _counted(cmap)
