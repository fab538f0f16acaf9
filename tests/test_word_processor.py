"""A real word processor opens the Word drafts: LibreOffice converts each one to PDF."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import SAMPLES
from pypdf import PdfReader

from evidencegen.api import BuildOptions, build

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui; .ci/run does)",
)


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, str, str]]:
    """Every sample's DOCX converted to PDF by LibreOffice: (docx, converted text, learner)."""
    root = tmp_path_factory.mktemp("lo")
    docs: list[Path] = []
    for sample in sorted(p for p in SAMPLES.iterdir() if (p / "learner.yaml").exists()):
        result = build(sample, BuildOptions(out=root / "out", formats=("docx",)))
        docs.extend(p for p in result.files if p.suffix == ".docx"
                    and "evidence-location" not in p.name)
    pdf_dir = root / "pdf"
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{root}/profile",
         "--convert-to", "pdf", "--outdir", str(pdf_dir), *map(str, docs)],
        check=True, capture_output=True, timeout=300,
    )
    out = []
    for doc in docs:
        pdf = pdf_dir / f"{doc.stem}.pdf"
        text = "\n".join(p.extract_text() for p in PdfReader(str(pdf)).pages)
        out.append((doc, " ".join(text.split()), doc.parent.name))
    return out


def test_every_sample_docx_converts_with_its_criterion_and_learner_text(converted) -> None:
    assert len(converted) == 6  # three samples, 1.1 and 5.2 each
    for doc, text, learner_id in converted:
        criterion = doc.stem.rsplit("_", 1)[1]
        assert f"{criterion} " in text, doc.name
        assert learner_id in text, doc.name
        assert "Authenticity declaration" in text, doc.name
        assert "Page 1 of" in text, doc.name
        assert "Reference source not found" not in text, doc.name  # every PAGEREF resolves


def test_converted_complete_sample_shows_her_session_text(converted) -> None:
    session = next((SAMPLES / "complete" / "sessions").glob("*.md")).read_text()
    body = session.split("---", 2)[2]
    first_sentence = " ".join(body.strip().split(".")[0].replace("**", "").split())
    text = next(t for d, t, _ in converted if d.name.endswith("_5.2.docx") and "L4-017" in d.name)
    assert first_sentence in text
