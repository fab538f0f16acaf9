"""The three sample learners judged as an assessor reading their notes would judge them.

The expected states were written down from the notes before the tool was run on them.
The complete sample's observation is countersigned with the demo centre's key: without a
key it is an unverified claim and 5.2 stays ready; with the key it is met.
"""

from __future__ import annotations

import pytest
from conftest import SAMPLES

from evidencegen.api import analyse
from evidencegen.signing import key_path, load_key

DEMO_CENTRE = SAMPLES / "centres" / "northfield" / "centre.yaml"
EXPECTED = {
    "complete": {"1.1": "ready", "5.2": "ready"},
    "part-way": {"1.1": "in_progress", "5.2": "in_progress"},
    "just-started": {"1.1": "in_progress", "5.2": "not_started"},
}


@pytest.mark.parametrize("sample", sorted(EXPECTED))
def test_sample_states(sample: str) -> None:
    coverage = analyse(SAMPLES / sample).coverage
    assert {ac: coverage[ac].status for ac in EXPECTED[sample]} == EXPECTED[sample]


def test_complete_sample_is_met_with_the_demo_centre_key() -> None:
    key = load_key(key_path(DEMO_CENTRE))
    assert key.demo and not key.path.is_relative_to(SAMPLES / "complete")
    cov = analyse(SAMPLES / "complete", key=key).coverage["5.2"]
    assert cov.status == "met"
    [record] = cov.signatures
    assert (record.kind, record.subject, record.verified, record.assessor) == (
        "observation", "observations/2026-09-22-observation.md", True, "Sam Okoro")
    unkeyed = analyse(SAMPLES / "complete").coverage["5.2"].signatures
    assert [s.reason for s in unkeyed] == [
        "no signing key is configured to check it (give --centre with a signing_key, or "
        "set EVIDENCEGEN_SIGNING_KEY)"]


def test_complete_sample_shows_every_technique_and_at_least_four_models() -> None:
    result = analyse(SAMPLES / "complete")
    techniques = {h.element for h in result.maps["5.2"].hits}
    assert len(techniques) == 11, sorted(techniques)
    cov = result.coverage["1.1"]
    complete = cov.rules[0]
    assert complete.found >= 4
    assert len(cov.evidence.comparisons) >= 3


def test_part_way_sample_gaps_say_what_is_missing() -> None:
    result = analyse(SAMPLES / "part-way")
    c52 = result.coverage["5.2"]
    techniques = {h.element for h in c52.evidence.hits}
    assert techniques == {"active_listening", "regular_meetings"}
    assert any("techniques need to show in dated sessions" in g and g.endswith("so far 2.")
               for g in c52.gaps)
    c11 = result.coverage["1.1"]
    assert any("No sentence yet compares two models" in g for g in c11.gaps)
    assert any("each need a strength and a limitation" in g and "so far 1 (" in g
               for g in c11.gaps)
    undated = [n for n in result.learner.notes if n.rel == "sessions/2026-09-10-catch-up.md"]
    assert undated and undated[0].date is not None and undated[0].type == "session"


def test_every_sample_note_is_pseudonymised_and_dated_within_the_programme() -> None:
    for sample in EXPECTED:
        learner = analyse(SAMPLES / sample).learner
        for note in learner.notes:
            if note.date and learner.programme_start:
                assert learner.programme_start <= note.date, note.rel
            if note.mentee:
                assert note.mentee in learner.mentees, note.rel
