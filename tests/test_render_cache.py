"""Rendering keeps no state between learners: a batch worker compiles each template once,
and what it makes for a learner is byte for byte what a fresh process makes for her."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO, SAMPLES

from evidencegen.api import BuildOptions, analyse, build
from evidencegen.render import environment as envmod
from evidencegen.render.pipeline import Renderer

EPOCH = "1790000000"  # 2026-09-21
LEARNERS = ("complete", "part-way")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_two_learners_in_one_process_compile_each_template_once(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    envmod._environment.cache_clear()
    first = build(SAMPLES / LEARNERS[0], BuildOptions(out=tmp_path / "same"))
    env = envmod.environment(None)
    compiled = {name: id(t) for name, t in env.cache.items()}
    assert len(compiled) >= 5  # criterion templates, base, parts, branding, the sheet
    second = build(SAMPLES / LEARNERS[1], BuildOptions(out=tmp_path / "same"))
    assert envmod._environment.cache_info().misses == 1  # one environment for both
    assert envmod.environment(None) is env
    again = {name: id(t) for name, t in env.cache.items()}
    assert {k: again[k] for k in compiled} == compiled  # the same compiled templates
    assert first.folder != second.folder


def test_learners_rendered_together_match_each_rendered_in_a_fresh_process(
        tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    together = {}
    for name in LEARNERS:
        result = build(SAMPLES / name, BuildOptions(out=tmp_path / "together"))
        together[name] = _files(result.folder)
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONPATH=str(REPO / "src"))
    for name in LEARNERS:
        out = tmp_path / f"fresh-{name}"
        subprocess.run([sys.executable, "-m", "evidencegen", "build", str(SAMPLES / name),
                        "-o", str(out)], env=env, check=True, capture_output=True, timeout=300)
        [folder] = [p for p in out.iterdir() if p.is_dir()]
        fresh = _files(folder)
        assert fresh.keys() == together[name].keys()
        assert len(fresh) == 7  # two documents and the sheet in both formats, coverage.json
        for file, data in fresh.items():
            assert data == together[name][file], (name, file)


def test_an_edited_template_is_compiled_again_not_served_stale(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    override = folder / "criterion-5.2.html.j2"
    override.write_text('{% extends "builtin/criterion-5.2.html.j2" %}\n'
                        "{% block evidence %}FIRST {{ super() }}{% endblock %}\n")
    analysis = analyse(SAMPLES / "part-way")
    cov, today = analysis.coverage["5.2"], dt.date(2026, 11, 18)
    html, _ = Renderer(folder).html(analysis, cov, False, today)
    assert "FIRST" in html
    override.write_text('{% extends "builtin/criterion-5.2.html.j2" %}\n'
                        "{% block evidence %}SECOND EDIT {{ super() }}{% endblock %}\n")
    os.utime(override, ns=(override.stat().st_atime_ns, override.stat().st_mtime_ns + 10**9))
    html, _ = Renderer(folder).html(analysis, cov, False, today)
    assert "SECOND EDIT" in html and "FIRST" not in html
