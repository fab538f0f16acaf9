"""The structure contract: programs find a document's parts by ids and data-* attributes.

Both formats are made from this HTML, so these attributes are what the Word writer turns into
bookmarks and what read-back and the location sheet rely on, never the visible wording.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import SAMPLES
from lxml import html as lxml_html

from evidencegen.api import analyse
from evidencegen.render.pipeline import Renderer

TODAY = dt.date(2026, 11, 18)
CASES = [(s, ac) for s in ("complete", "part-way", "just-started") for ac in ("1.1", "5.2")]


@pytest.fixture(scope="module")
def documents() -> dict[tuple[str, str], tuple[str, object]]:
    renderer = Renderer(None)
    out = {}
    for sample in ("complete", "part-way", "just-started"):
        analysis = analyse(SAMPLES / sample)
        for ac in ("1.1", "5.2"):
            out[(sample, ac)] = (renderer.html(analysis, analysis.coverage[ac], False,
                                               TODAY)[0], analysis)
    return out


@pytest.mark.parametrize(("sample", "ac"), CASES)
def test_a_document_names_itself_its_sections_and_its_evidence(documents, sample, ac) -> None:
    page, analysis = documents[(sample, ac)]
    tree = lxml_html.fromstring(page)
    [body] = tree.xpath("//body")
    assert body.get("data-document") == "criterion" and body.get("data-criterion") == ac
    assert body.get("data-learner-id") == analysis.learner.learner_id
    sections = [s.get("data-section") for s in tree.xpath("//section[@data-section]")]
    assert {"facts", "gaps", "declaration", "decision"} <= set(sections)
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", s) for s in sections)
    for name in ("declaration", "decision"):
        [block] = tree.xpath(f'//section[@data-section="{name}"]')
        assert block.get("data-keep") == "together"
    quotes = tree.xpath('//*[contains(concat(" ", @class, " "), " quote ")]')
    assert [q.get("id") for q in quotes] == [f"ev-{n}" for n in range(1, len(quotes) + 1)]
    assert all(q.get("data-evidence") == q.get("id") for q in quotes)
    sources = tree.xpath('//ol[@class="sources"]/li')
    assert [s.get("id") for s in sources] == [f"src-{k}" for k in range(1, len(sources) + 1)]
    files = {s.get("id"): s.get("data-file") for s in sources}
    notes = {n.rel: n for n in analysis.learner.notes}
    for q in quotes:  # each quotation is on the line of the file its source names
        note = notes[files[q.get("data-source")]]
        text = note.path.read_text().splitlines()[int(q.get("data-line")) - 1]
        words = q.text.strip().split()
        assert words[0].strip("\u201c\"'") in text, (q.get("id"), text)
    cited = [e.get("data-source") for e in tree.xpath("//body//*[@data-source]")
             if e.tag != "li"]
    assert list(dict.fromkeys(cited)) == list(files)  # numbered in order of first citation


def test_quotes_follow_the_page_in_the_1_1_cards_and_comparisons(documents) -> None:
    tree = lxml_html.fromstring(documents[("complete", "1.1")][0])
    cards = tree.xpath('//section[@data-section="models"]/section[@data-element]')
    assert [c.get("data-element") for c in cards][:2] == ["apprentice", "traditional"]
    for card in cards:
        assert [a.get("data-aspect") for a in card.xpath(".//div[@data-aspect]")] == [
            "how", "strengths", "limitations", "setting"]
    comparisons = tree.xpath('//section[@data-section="comparisons"]//p[@data-evidence]')
    assert comparisons and all(c.get("data-source") == "src-1" for c in comparisons)


def test_her_own_text_is_marked_for_finishing_in_word(documents) -> None:
    tree = lxml_html.fromstring(documents[("complete", "5.2")][0])
    own = tree.xpath("//*[@data-learner-text]")
    sessions = tree.xpath('//section[@data-section="sessions"]//*[@data-learner-text]')
    assert len(sessions) == 6 and len(own) == 7  # six sessions and the reflection
    assert not tree.xpath('//section[@data-section="observations"]//*[@data-learner-text]')
    assert tree.xpath('//div[@class="write-lines"][@data-lines="2"]')
