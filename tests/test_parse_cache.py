"""Parsing is the costly part of judging: a note already parsed is never parsed again.

In one process the parses are kept in memory; batch keeps them on disk in OUT too, so an
incremental run re-parses only the notes that changed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from evidencegen.analysis import nlp
from evidencegen.api import BuildOptions
from evidencegen.batch import PARSE_CACHE, run_batch

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def test_a_note_parsed_once_is_served_from_memory():
    first = nlp.parse(["I listened to her without interrupting."])[0]
    before = dict(nlp.STATS)
    again = nlp.parse(["I listened to her without interrupting."])[0]
    assert again is first
    assert before == nlp.STATS


def test_parses_kept_on_disk_survive_a_new_process(tmp_path, monkeypatch):
    texts = ["We agreed to meet every other Tuesday.", "She led the handover herself."]
    monkeypatch.setattr(nlp, "_DISK", tmp_path)
    nlp._CACHE.clear()
    nlp.parse(texts)
    assert len(list(tmp_path.rglob("*.spacy"))) == 1
    nlp._CACHE.clear()  # as a new worker would start
    before = dict(nlp.STATS)
    docs = nlp.parse(texts)
    assert nlp.STATS["parsed"] == before["parsed"]
    assert nlp.STATS["from_disk"] == before["from_disk"] + 2
    assert [t.lemma_ for t in docs[1]][:2] == ["she", "lead"]


def test_incremental_batch_parses_only_the_changed_note(tmp_path):
    cohort = tmp_path / "cohort"
    shutil.copytree(SAMPLES / "part-way", cohort / "part-way")
    out = tmp_path / "out"
    options = BuildOptions(out=out, formats=("docx",))
    run_batch(cohort, options, jobs=1)
    cached = {p.name for p in (out / PARSE_CACHE).rglob("*.spacy")}
    assert cached
    note = next((cohort / "part-way" / "sessions").glob("*.md"))
    note.write_text(note.read_text() + "\nI thanked her for staying late.\n")
    run_batch(cohort, options, jobs=1)
    now = {p.name for p in (out / PARSE_CACHE).rglob("*.spacy")}
    assert cached < now and len(now - cached) == 1  # the changed note, and only it


def test_a_batch_worker_keeps_only_its_latest_parses_in_memory(tmp_path) -> None:
    from evidencegen import batch
    from evidencegen.analysis import nlp

    size, disk = nlp.CACHE_SIZE, nlp._DISK
    try:
        nlp.parse([f"I met mentee number {i} today." for i in range(12)])
        nlp.limit_cache(5)
        assert len(nlp._CACHE) == 5
        nlp.parse([f"I met mentee number {i} today." for i in range(12, 20)])
        assert len(nlp._CACHE) == 5  # the newest five sentences, whatever came before
        assert nlp._key("I met mentee number 19 today.") in nlp._CACHE
        assert nlp._key("I met mentee number 11 today.") not in nlp._CACHE
        batch.build_one(SAMPLES / "just-started", BuildOptions(out=tmp_path / "out",
                                                               formats=("docx",)), True)
        assert nlp.CACHE_SIZE == batch.WORKER_PARSES == 500
    finally:
        nlp.limit_cache(size)
        nlp.use_disk_cache(disk)
