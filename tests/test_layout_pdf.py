"""Print layout rules, checked page by page on the samples' PDFs (text and bookmarks).

Each rule of the print layout has a check here: A4 pages, headings never at the foot of a
page, declaration and decision blocks never split, technique rows never split, citations in
words with file names only in the sources list, header and footer one line each.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import SAMPLES
from pypdf import PdfReader

from evidencegen.api import BuildOptions, analyse, build

A4 = (595.28, 841.89)  # points
CENTRE = SAMPLES / "centres" / "northfield" / "centre.yaml"


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    root = tmp_path_factory.mktemp("layout")
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "1795000000"
    try:
        out = {}
        for sample in ("complete", "part-way", "just-started"):
            result = build(SAMPLES / sample, BuildOptions(out=root, formats=("pdf",),
                                                          centre=CENTRE))
            for f in result.files:
                if f.suffix == ".pdf":
                    kind = "sheet" if f.stem.endswith("evidence-location") else \
                        f.stem.rsplit("_", 1)[-1]
                    out[(sample, kind)] = f
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    return out


def pages(pdf: Path) -> list[str]:
    return [p.extract_text() for p in PdfReader(str(pdf)).pages]


def body_lines(text: str) -> list[str]:
    """A page's lines without the running header and footer (the last two lines)."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert "Page " in lines[-1], lines[-2:]  # the footer with its page number ends the page
    return lines[:-2]


def headings(pdf: Path) -> list[tuple[str, int]]:
    """Every bookmark (h1-h4) with its page index."""
    reader = PdfReader(str(pdf))
    found: list[tuple[str, int]] = []

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append((item.title, reader.get_destination_page_number(item)))

    walk(reader.outline)
    return found


DOCS = [(s, k) for s in ("complete", "part-way", "just-started") for k in ("1.1", "5.2")]


@pytest.mark.parametrize(("sample", "kind"), [*DOCS, ("complete", "sheet")])
def test_pages_are_a4(pdfs, sample: str, kind: str) -> None:
    for page in PdfReader(str(pdfs[(sample, kind)])).pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == \
            pytest.approx(A4, abs=0.5)


@pytest.mark.parametrize(("sample", "kind"), DOCS)
def test_no_heading_is_left_at_the_foot_of_a_page(pdfs, sample: str, kind: str) -> None:
    texts = pages(pdfs[(sample, kind)])
    for title, index in headings(pdfs[(sample, kind)])[1:]:  # the h1 opens page 1
        lines = [ln.lower() for ln in body_lines(texts[index])]  # card labels are capitals
        title = title.lower()
        assert " ".join(title.split()) in " ".join(" ".join(lines).split()), (title, index)
        last = next(i for i in range(len(lines) - 1, -1, -1)
                    if lines[i].strip() and lines[i].strip() in title)
        after = [ln for ln in lines[last + 1:] if ln.strip() and not re.fullmatch(
            r"(\d+\. |• ?)*", ln.strip()) and not re.search(r"source: [^,]*$", ln)]
        assert after, f"'{title}' is the last thing on page {index + 1}"


@pytest.mark.parametrize(("sample", "kind"), DOCS)
def test_declaration_and_decision_blocks_are_never_split(pdfs, sample: str, kind: str) -> None:
    texts = pages(pdfs[(sample, kind)])
    for heading, last_words in (("Authenticity declaration", "Learner signature"),
                                ("Assessor decision", "Assessor signature")):
        [page] = [t for t in texts if heading in t]
        assert last_words in page.split(heading, 1)[1], f"{heading} runs onto the next page"


def test_technique_rows_are_never_split_across_pages(pdfs) -> None:
    texts = [" ".join(t.split()) for t in pages(pdfs[("complete", "5.2")])]
    cov = analyse(SAMPLES / "complete").coverage["5.2"]
    names = [e.name for e in cov.criterion.elements
             if cov.evidence and any(h.element == e.id for h in cov.evidence.hits)]
    assert len(names) >= 5
    for name in names:
        page = next(t for t in texts if name in t.split(" Session records ")[0])
        row = page.split(name, 1)[1].split("Counted by", 1)
        assert len(row) == 2, f"the row for {name} splits across pages"
        assert re.search(r"\((Session|Observation|Reflection) \d+ \w{3} 2026, line \d+\)",
                         row[0]), f"the row for {name} splits from its example"


@pytest.mark.parametrize(("sample", "kind"), [("complete", "1.1"), ("complete", "5.2"),
                                               ("part-way", "5.2")])
def test_citations_are_words_and_files_are_named_only_in_the_sources_list(
        pdfs, sample: str, kind: str) -> None:
    texts = pages(pdfs[(sample, kind)])
    whole = "\n".join(texts)
    body, sources = whole.rsplit("\nSources\n", 1)
    assert not re.search(r"\.md\b", body), "a file name in the body"
    assert re.search(r"\((Session \d+ \w{3} 2026|Reading note \d+), line \d+\)", body)
    files = re.findall(r"\(([\w/.-]+\.md)\)", " ".join(sources.split()))
    assert files and all("/" in f for f in files)


def test_sources_are_listed_in_order_of_first_citation(pdfs) -> None:
    whole = " ".join("\n".join(pages(pdfs[("complete", "5.2")])).split())
    body, sources = whole.rsplit(" Sources ", 1)
    listed = re.findall(r"(Session \d+ \w{3} 2026|Observation \d+ \w{3} 2026|"
                        r"Reflection \d+ \w{3} 2026): ", sources)
    assert listed[0] == "Session 14 Apr 2026" and len(listed) == len(set(listed)) == 8
    first = {label: body.index(label) for label in listed}
    assert sorted(listed, key=first.__getitem__) == listed


@pytest.mark.parametrize(("sample", "kind"), [*DOCS, ("complete", "sheet")])
def test_running_header_and_footer_are_one_line_each(pdfs, sample: str, kind: str) -> None:
    for text in pages(pdfs[(sample, kind)]):
        lines = [ln for ln in text.splitlines() if ln.strip()]
        assert re.search(r"Page \d+ of \d+$", lines[-1])
        assert lines[-1].startswith("Centre number 000123 (invented for the samples) \u00b7 Unit")
        assert lines[-2].startswith("Northfield Care Training \u00b7 ")


def test_the_1_1_document_gives_each_model_a_card_and_quotes_each_sentence_once(pdfs) -> None:
    whole = " ".join("\n".join(pages(pdfs[("complete", "1.1")])).split())
    body = whole.rsplit(" Sources ", 1)[0]
    quoted = re.findall(r"([A-Z][^()]*?[.!?]) \(Reading note 1, line (\d+)\)", body)
    assert len(quoted) > 15 and len(quoted) == len(set(quoted))  # each sentence once
    cards = body.split(" How the models compare ")[0]
    for model in ("Apprentice model", "Traditional (classic) model", "Peer mentoring",
                  "Group mentoring", "Reverse mentoring"):
        assert f"{model} HOW IT WORKS" in cards
    assert cards.count("STRENGTHS") == cards.count("LIMITATIONS") == 5
