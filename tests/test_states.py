"""States read at a glance, from one set of design tokens, in every output.

Grey for not started, amber in progress, blue ready, green met or signed off; each with a
symbol and words (never colour alone), the same in documents, the HTML report and the
cohort tracker. The tokens generate the CSS every output uses and are what the Word side reads.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import SAMPLES
from docx.oxml.ns import qn
from lxml import html as lxml_html

from evidencegen.api import BuildOptions, analyse, build
from evidencegen.branding import contrast, load_centre
from evidencegen.cli import cli
from evidencegen.models import STATE_LABELS
from evidencegen.render.environment import find_file
from evidencegen.render.pipeline import Renderer
from evidencegen.render.tokens import (
    STATE_ORDER,
    STATES,
    css_variables,
    state_badge_css,
    tokens,
)

CENTRE = SAMPLES / "centres" / "northfield" / "centre.yaml"
ALARM_RED = "#B42318"


def hue(colour: str) -> str:
    """A rough name for a colour's hue, enough to tell grey, amber, blue and green apart."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    if max(r, g, b) - min(r, g, b) < 30:
        return "grey"
    if r >= g > b:
        return "amber"
    if b > r and b >= g:
        return "blue"
    if g > r and g > b:
        return "green"
    return "red"


def test_each_state_has_a_calm_colour_a_symbol_and_words() -> None:
    states = tokens()["states"]
    assert list(states) == list(STATE_ORDER) == list(STATE_LABELS)
    fills = {s: v["bg"] if s == "signed_off" else v["ink"] for s, v in states.items()}
    assert {s: hue(c) for s, c in fills.items()} == {
        "not_started": "grey", "in_progress": "amber", "ready": "blue", "met": "green",
        "signed_off": "green"}
    symbols = [v["symbol"] for v in states.values()]
    assert symbols[:4] == ["\u25cb", "\u25d0", "\u25cf", "\u2713"]
    assert len(set(symbols)) == 5
    for name, v in states.items():
        assert v["label"] == STATE_LABELS[name]
        assert contrast(v["ink"], v["bg"]) >= 4.5, name  # readable text on its badge


def test_tokens_generate_the_css_variables_and_a_centre_changes_brand_and_font() -> None:
    plain = css_variables(tokens())
    assert plain.startswith(":root {") and "--brand: #123B5C;" in plain
    for state in STATE_ORDER:
        assert f"--state-{state}: " in plain and f"--state-{state}-bg: " in plain
    assert '--font: "Liberation Sans"' in plain and "--size-h2: 13.5pt;" in plain
    centre = load_centre(CENTRE)
    branded = tokens(centre)
    assert branded["colours"]["brand"] == centre.colour == "#1F5073"
    assert branded["centre"] == {"name": "Northfield Care Training",
                                 "footer": "Centre number 000123 (invented for the samples)",
                                 "logo": "logo.png"}
    assert "--brand: #1F5073;" in css_variables(branded)
    badges = state_badge_css(branded)
    assert '[data-state="ready"] { color: var(--state-ready);' in badges


def test_the_stylesheet_takes_every_colour_and_size_from_the_tokens() -> None:
    css = find_file("style.css", None).read_text()
    used = set(re.findall(r"var\(--([\w-]+)\)", css))
    defined = set(re.findall(r"--([\w-]+):", css_variables(tokens())))
    assert used and used <= defined, used - defined
    assert set(re.findall(r"#[0-9A-Fa-f]{6}\b", css)) <= {"#FFFFFF"}  # white text on brand


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The HTML of part-way's documents, as the PDF and Word files are made from it."""
    analysis = analyse(SAMPLES / "part-way")
    renderer = Renderer(None)
    today = dt.date(2026, 11, 18)
    return {ac: renderer.html(analysis, analysis.coverage[ac], False, today)[0]
            for ac in ("1.1", "5.2")}


def badges(tree: lxml_html.HtmlElement) -> list[tuple[str, str]]:
    return [(b.get("data-state"), " ".join(b.text_content().split()))
            for b in tree.xpath("//*[@data-state]")]


def test_a_document_shows_its_state_with_symbol_and_words(documents) -> None:
    tree = lxml_html.fromstring(documents["5.2"])
    assert badges(tree) == [("in_progress", "\u25d0 In progress")]
    assert "--state-in_progress: #8A5300;" in documents["5.2"]
    assert ALARM_RED not in documents["5.2"].upper()


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cohort")
    for sample in ("complete", "part-way"):
        shutil.copytree(SAMPLES / sample, root / "in" / sample)
    result = CliRunner().invoke(cli, ["batch", str(root / "in"), "-o", str(root / "out"),
                                      "--centre", str(CENTRE), "-f", "pdf"])
    assert result.exit_code == 0, result.output
    return root / "out"


def test_the_check_report_shows_states_as_symbol_and_words_in_calm_colours(cohort) -> None:
    page = (cohort / "L4-023" / "coverage.html").read_text()
    tree = lxml_html.fromstring(page)
    shown = badges(tree)
    assert ("not_started", "\u25cb Not started: 20") in shown  # the legend
    assert ("in_progress", "\u25d0 In progress") in shown  # a criterion's card
    assert {s for s, _ in shown} == set(STATE_ORDER)
    assert ALARM_RED not in page.upper()
    assert "Northfield Care Training" in page and 'src="data:image/png;base64,' in page
    assert "--brand: #1F5073;" in page  # the centre's colour


def test_the_cohort_tracker_shows_states_as_symbol_and_words_in_the_centres_branding(
        cohort) -> None:
    page = (cohort / "cohort.html").read_text()
    tree = lxml_html.fromstring(page)
    cells = tree.xpath("//td[@data-state]")
    assert len(cells) == 2 * 22
    for cell in cells:
        state = cell.get("data-state")
        text = " ".join(cell.text_content().split())
        assert text.startswith(tokens()["states"][state]["symbol"] + " ")
        assert text.endswith(STATE_LABELS[state])  # words too, for screen readers
    ready = tree.xpath('//tr[contains(@data-learner, "L4-017")]/td[@data-state="ready"]')
    assert ready and "Ready for assessment" in ready[0].get("title")
    assert "Northfield Care Training" in page and "--brand: #1F5073;" in page
    assert ALARM_RED not in page.upper()


def test_the_location_sheet_shows_each_criterions_state_with_symbol_and_words(
        tmp_path: Path) -> None:
    result = build(SAMPLES / "complete", BuildOptions(out=tmp_path, formats=("docx",)))
    sheet = next(f for f in result.files if f.stem.endswith("evidence-location"))
    table = next(t for t in docx.Document(str(sheet)).tables if t.rows[0].cells[0].text == "AC")
    states = {r.cells[0].text: r.cells[2].text for r in table.rows[1:]}
    assert states["1.1"] == "\u25cf Ready for assessment"
    assert states["1.2"] == "\u25cb Not started"
    # and in the state's colours: a character style with the tokens' ink and fill
    d = docx.Document(str(sheet))
    runs = {r.cells[0].text: [run for p in r.cells[2].paragraphs for run in p.runs]
            for r in table.rows[1:]}
    assert {run.style.name for run in runs["1.1"]} == {"State Ready"}
    assert {run.style.name for run in runs["1.2"]} == {"State Not Started"}
    for state in STATE_ORDER:
        style = d.styles["State " + state.replace("_", " ").title()]
        fill = style.element.rPr.find(qn("w:shd")).get(qn("w:fill"))
        assert fill == STATES[state]["bg"].lstrip("#").upper()
        assert str(style.font.color.rgb) == STATES[state]["ink"].lstrip("#").upper()
