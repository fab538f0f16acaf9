"""Visual regression: page 1 of each sample's PDFs against checked-in reference images.

After an intended change of look, regenerate the references and review them:
    EVIDENCEGEN_UPDATE_VISUAL=1 python -m pytest tests/test_visual.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from evidencegen.api import BuildOptions, build

HERE = Path(__file__).parent
REFERENCES = HERE / "visual"
SAMPLES = HERE.parent / "samples"
PDFTOPPM = shutil.which("pdftoppm")
CASES = [(s, ac) for s in ("complete", "part-way", "just-started") for ac in ("1.1", "5.2")]
MAX_DIFFERENT = 0.005  # share of pixels allowed to differ by more than a shade


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    if PDFTOPPM is None:
        pytest.skip("pdftoppm is not installed (apt-get install poppler-utils; .ci/run does)")
    root = tmp_path_factory.mktemp("visual")
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "1795000000"  # a fixed "generated" date on page 1
    try:
        out: dict[tuple[str, str], Path] = {}
        for sample in ("complete", "part-way", "just-started"):
            result = build(SAMPLES / sample, BuildOptions(out=root, formats=("pdf",)))
            for ac in ("1.1", "5.2"):
                pdf = next(p for p in result.files if p.name.endswith(f"_{ac}.pdf"))
                png = root / f"{sample}_{ac.replace('.', '-')}"
                subprocess.run([PDFTOPPM, "-png", "-r", "60", "-f", "1", "-l", "1",
                                "-singlefile", str(pdf), str(png)], check=True)
                out[(sample, ac)] = root / f"{png.name}.png"
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    return out


@pytest.mark.parametrize(("sample", "ac"), CASES)
def test_first_page_looks_as_before(pages, sample: str, ac: str) -> None:
    reference = REFERENCES / f"{sample}_{ac.replace('.', '-')}.png"
    if os.environ.get("EVIDENCEGEN_UPDATE_VISUAL"):
        shutil.copy(pages[(sample, ac)], reference)
    new = Image.open(pages[(sample, ac)]).convert("L")
    old = Image.open(reference).convert("L")
    assert new.size == old.size
    diff = ImageChops.difference(new, old).point(lambda v: 255 if v > 32 else 0)
    changed = sum(1 for v in diff.tobytes() if v) / (new.size[0] * new.size[1])
    assert changed <= MAX_DIFFERENT, f"{changed:.2%} of page 1 changed; see {pages[(sample, ac)]}"
