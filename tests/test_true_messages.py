"""Messages that are true: honest exits, plurals, rule wording from rule data, "did you
mean", and gaps that describe what is there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import LEARNER_YAML, SAMPLES, note

from evidencegen.cli import cli
from evidencegen.text import one_edit_apart, plural, threshold


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_batch_on_an_empty_folder_exits_2_saying_what_it_expected(tmp_path) -> None:
    (tmp_path / "cohort").mkdir()
    result = run("batch", str(tmp_path / "cohort"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"evidencegen: {tmp_path / 'cohort'}: no learner folders here: batch builds every "
        "folder (at any depth) that holds a learner.yaml, and this folder is empty (run "
        "'evidencegen init FOLDER' to start one)\n")
    assert not (tmp_path / "out").exists()  # nothing written, not even the lock


def test_batch_on_a_folder_with_no_learner_folders_exits_2(tmp_path) -> None:
    (tmp_path / "cohort" / "notes").mkdir(parents=True)
    (tmp_path / "cohort" / "notes" / "a.md").write_text("Hello\n")
    result = run("batch", str(tmp_path / "cohort"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "and none here does" in result.stderr
    assert not (tmp_path / "out").exists()


def test_batch_names_each_file_it_did_not_use_and_why(tmp_path) -> None:
    import shutil

    shutil.copytree(SAMPLES / "just-started", tmp_path / "cohort" / "just-started")
    (tmp_path / "cohort" / "just-started" / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    result = run("batch", str(tmp_path / "cohort"), "-o", str(tmp_path / "out"), "-f",
                 "docx")
    assert result.exit_code == 0, result.output
    assert "warning: just-started/photo.jpg: not read: evidencegen reads .md, .txt, .docx, " \
           ".odt and .rtf; save it as one of those\n" in result.stderr


@pytest.mark.parametrize(("count", "word", "expected"), [
    (0, "sentence", "0 sentences"), (1, "sentence", "1 sentence"),
    (2, "sentence", "2 sentences"), (1, "match", "1 match"), (3, "match", "3 matches"),
    (1200, "learner", "1,200 learners")])
def test_plural_agrees_with_the_count(count, word, expected) -> None:
    assert plural(count, word) == expected


def test_plural_takes_irregular_forms_and_writes_small_numbers_as_words() -> None:
    assert plural(1, "piece of evidence", "pieces of evidence") == "1 piece of evidence"
    assert plural(4, "piece of evidence", "pieces of evidence") == "4 pieces of evidence"
    assert plural(1, "dated session", words=True) == "one dated session"
    assert plural(12, "dated session", words=True) == "12 dated sessions"


def test_threshold_words_follow_the_numbers() -> None:
    assert threshold(1, 0) == "none"
    assert threshold(1, 3) == "at most 3"
    assert threshold(14, None) == "at least 14"


def test_criteria_5_2_describes_each_rule_by_its_own_thresholds() -> None:
    from evidencegen.criteria import resolve_criteria

    out = run("criteria", "5.2").output
    assert "Sentences copied from published study notes: none (needed for 'ready')" in out
    assert "Sessions without a date, or dated outside the programme: none" in out
    for rule in resolve_criteria(None, Path.cwd()).require("5.2").rules:
        assert f"  - {rule.summary}: {threshold(rule.min, rule.max)} (needed for " in out


def test_no_rule_text_hard_codes_a_plural_after_a_count() -> None:
    from evidencegen.criteria import resolve_criteria

    for crit in resolve_criteria(None, Path.cwd()).all_criteria():
        for rule in crit.rules:
            for text in filter(None, (rule.gap, rule.gap_none, rule.met)):
                assert "(s)" not in text, (rule.id, text)
                assert not re.search(r"\{(found|needed)\} \w+s\b", text), (rule.id, text)


@pytest.mark.parametrize(("found", "expected"), [
    (1, "1 sentence compares two or more models."),
    (2, "2 sentences compare two or more models.")])
def test_a_met_rule_says_1_sentence_and_2_sentences(found, expected) -> None:
    from evidencegen.coverage import _fill, _Found
    from evidencegen.criteria import resolve_criteria

    rule = next(r for r in resolve_criteria(None, Path.cwd()).require("1.1").rules
                if r.id == "comparison_statement")
    assert _fill(rule.met, rule, _Found(found)) == expected


@pytest.mark.parametrize(("typed", "meant"), [("nmae", "name"), ("learnerid", "learner_id"),
                                              ("learner-id", "learner_id")])
def test_a_misspelt_required_field_says_did_you_mean(learner_dir, tmp_path, typed,
                                                     meant) -> None:
    folder = learner_dir(learner_yaml=LEARNER_YAML.replace(f"{meant}:", f"{typed}:"))
    line = next(i for i, t in enumerate(LEARNER_YAML.splitlines(), 1) if t.startswith(meant))
    result = run("check", str(folder))
    assert result.exit_code == 2
    assert result.stderr == (f"evidencegen: {folder / 'learner.yaml'}:{line}: unknown field "
                             f"'{typed}' (did you mean '{meant}'?)\n")


def test_an_unknown_field_far_from_every_field_lists_the_allowed_ones(learner_dir) -> None:
    folder = learner_dir(learner_yaml=LEARNER_YAML + "favourite_colour: blue\n")
    result = run("check", str(folder))
    assert "unknown field 'favourite_colour' (is it misspelt? allowed fields: name, " \
           "learner_id," in result.stderr


def test_one_edit_apart_is_one_typing_slip() -> None:
    assert one_edit_apart("nmae", "name")  # swapped
    assert one_edit_apart("nam", "name")  # dropped
    assert one_edit_apart("namme", "name")  # added
    assert one_edit_apart("nane", "name")  # changed
    assert not one_edit_apart("mentor", "mentee")
    assert not one_edit_apart("name", "name")


def _gaps_52(learner_dir, sessions: dict[str, str]) -> list[str]:
    """5.2's gaps for a learner with these sessions (file name: date)."""
    import json

    files = {f"sessions/{name}.md": note({"type": "session", "date": d, "mentee": "Mentee A"},
                                         "I listened to her and asked open questions.")
             for name, d in sessions.items()}
    result = run("check", str(learner_dir(files)), "--format", "json", "-c", "5.2")
    data = json.loads(result.stdout)
    return [r["reason"] for c in data["criteria"] for r in c["rules"] if not r["met"]]


def test_with_one_dated_session_the_gap_says_one_so_far(learner_dir) -> None:
    gaps = _gaps_52(learner_dir, {"first": "2026-04-01"})
    assert ("One dated session (with Mentee A, on 1 April 2026) so far; a working "
            "relationship is shown by at least two sessions with the same mentee, some weeks "
            "apart (at least 14 days).") in gaps
    assert "Only 1 dated session with one mentee (Mentee A); maintaining a relationship " \
           "needs at least 2." in gaps
    assert not any("no dated session" in g.lower() for g in gaps)


def test_with_two_sessions_on_one_day_the_gap_says_so(learner_dir) -> None:
    gaps = _gaps_52(learner_dir, {"morning": "2026-04-01", "afternoon": "2026-04-01"})
    assert any(g.startswith("Two dated sessions with Mentee A, all on 1 April 2026, so far")
               for g in gaps), gaps


def test_with_no_session_the_gap_says_none_yet(learner_dir) -> None:
    gaps = _gaps_52(learner_dir, {})
    assert any(g.startswith("No dated session with a mentee so far") for g in gaps), gaps


def _session(date: str | None, body: str) -> str:
    meta: dict[str, object] = {"type": "session", "mentee": "Mentee A"}
    if date:
        meta["date"] = date
    return note(meta, body)


def test_the_build_summary_says_1_piece_and_0_pieces_of_evidence(learner_dir,
                                                                 tmp_path) -> None:
    folder = learner_dir({"sessions/a.md": _session("2026-04-01", "I praised her.")})
    result = run("build", str(folder), "-o", str(tmp_path / "out"), "-f", "docx")
    assert result.exit_code == 0, result.output
    counts = dict(re.findall(r"^  (\d\.\d) .*?(\d+ pieces? of evidence)$", result.stdout,
                             re.M))
    assert counts == {"1.1": "0 pieces of evidence", "5.2": "1 piece of evidence"}, \
        result.stdout


@pytest.mark.parametrize(("undated", "said"), [
    (1, "; 1 session note has no date;"), (2, "; 2 session notes have no date;")])
def test_undated_sessions_are_counted_in_words_that_agree(learner_dir, undated,
                                                          said) -> None:
    import json

    files = {"sessions/dated.md": _session("2026-04-01", "I listened to her.")}
    files |= {f"sessions/undated-{i}.md": _session(None, "I praised her.")
              for i in range(undated)}
    result = run("check", str(learner_dir(files)), "--format", "json", "-c", "5.2")
    reasons = [r["reason"] for c in json.loads(result.stdout)["criteria"]
               for r in c["rules"] if not r["met"]]
    assert any(said in r for r in reasons), reasons
    assert not any("(s)" in r for r in reasons), reasons
