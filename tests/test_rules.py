"""Each deepened rule at its threshold: N-1 fails, N passes; dates and the declaration."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import note

from evidencegen.api import analyse

TODAY = dt.date(2026, 11, 22)
DECLARED = "declaration:\n  signed: true\n  date: 2026-03-01\n"
LEARNER = "name: A\nlearner_id: L4-001\nprogramme_start: 2026-03-01\nmentees: [Mentee A]\n"


def session(day: str, body: str = "I listened. I praised her. We agreed to meet every week.",
            ) -> str:
    return note({"type": "session", "date": day, "mentee": "Mentee A"}, body)


def rule(folder, ac: str, rule_id: str):
    cov = analyse(folder, today=TODAY).coverage[ac]
    return cov, next(r for r in cov.rules if r.rule == rule_id)


@pytest.mark.parametrize(("second", "met"), [("2026-04-14", False), ("2026-04-15", True)])
def test_sessions_must_span_fourteen_days(learner_dir, second: str, met: bool) -> None:
    folder = learner_dir({"s/a.md": session("2026-04-01"), "s/b.md": session(second)},
                         learner_yaml=LEARNER + DECLARED)
    cov, result = rule(folder, "5.2", "relationship_over_time")
    assert (result.found, result.met) == ((13, False) if not met else (14, True))
    assert cov.status == "ready" if met else cov.status == "in_progress"
    if not met:
        assert result.reason.startswith("The sessions with one mentee span 13 days (Mentee A:")


@pytest.mark.parametrize(("day", "problem"), [
    ("2026-02-27", "before the programme started"),
    ("2026-12-01", "in the future"),
])
def test_sessions_must_be_dated_within_the_programme(learner_dir, day: str, problem: str) -> None:
    folder = learner_dir({"s/a.md": session("2026-04-01"), "s/b.md": session("2026-05-01"),
                          "s/c.md": session(day)}, learner_yaml=LEARNER + DECLARED)
    cov, result = rule(folder, "5.2", "current_sessions")
    assert (result.found, result.met) == (1, False)
    assert "s/c.md" in result.reason and problem in result.reason
    assert cov.status == "in_progress"


def test_session_without_a_date_is_not_current(learner_dir) -> None:
    folder = learner_dir({"s/a.md": session("2026-04-01"), "s/b.md": session("2026-05-01"),
                          "s/c.md": note({"type": "session", "mentee": "Mentee A"}, "Hi.")},
                         learner_yaml=LEARNER + DECLARED)
    _, result = rule(folder, "5.2", "current_sessions")
    assert not result.met and "s/c.md has no date" in result.reason


def test_sessions_dated_within_the_programme_pass(learner_dir) -> None:
    folder = learner_dir({"s/a.md": session("2026-03-01"), "s/b.md": session("2026-11-22")},
                         learner_yaml=LEARNER + DECLARED)
    cov, result = rule(folder, "5.2", "current_sessions")
    assert (result.found, result.met) == (0, True)
    assert cov.status == "ready"


def test_declaration_is_needed_for_ready(learner_dir) -> None:
    files = {"s/a.md": session("2026-04-01"), "s/b.md": session("2026-05-01")}
    cov, result = rule(learner_dir(files, learner_yaml=LEARNER), "5.2", "declaration")
    assert not result.met and cov.status == "in_progress"
    unsigned = LEARNER + "declaration:\n  signed: false\n"
    assert not rule(learner_dir(files, learner_yaml=unsigned), "5.2", "declaration")[1].met
    cov, result = rule(learner_dir(files, learner_yaml=LEARNER + DECLARED), "5.2", "declaration")
    assert result.met and cov.status == "ready"


MODELS = """
## Apprentice model
One benefit is that it is practical. However, it can limit independent thinking.

## Peer mentoring
It works well because peers share experiences. The drawback is that friends avoid conflict.

Unlike the apprentice model, peer mentoring has no senior person.
"""


@pytest.mark.parametrize(("setting", "met"), [("", False), ("In our home it suits nights.", True)])
def test_1_1_needs_a_link_to_her_setting(learner_dir, setting: str, met: bool) -> None:
    folder = learner_dir({"r.md": note({"type": "knowledge", "references": ["A (2024) B."]},
                                       MODELS + setting)})
    cov, result = rule(folder, "1.1", "own_setting")
    assert result.met is met
    assert cov.status == ("ready" if met else "in_progress")


@pytest.mark.parametrize(("refs", "met"), [(None, False), (["A (2024) B."], True)])
def test_1_1_needs_references(learner_dir, refs, met: bool) -> None:
    meta: dict[str, object] = {"type": "knowledge"}
    if refs:
        meta["references"] = refs
    folder = learner_dir({"r.md": note(meta, MODELS + "In our home it suits nights.")})
    cov, result = rule(folder, "1.1", "references")
    assert (result.found, result.met) == (len(refs or []), met)
    assert cov.status == ("ready" if met else "in_progress")
