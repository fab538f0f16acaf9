"""Centre branding from centre.yaml: name, logo, colour, body font, footer text and paper.

One template source serves both formats, so branding reaches them as template values: the
PDF through CSS custom properties, the Word document through the same values read by the
converter. A colour that would fail WCAG AA contrast on white is darkened until it passes.
A Word reference document is checked (size, zip) and reduced to its look (render/reference.py)
when centre.yaml is read, so a broken one stops the run before anything is written.
Paper is A4 unless the centre says ``paper: Letter``; a reference document's own page size
never changes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict

from evidencegen.errors import LearnerError
from evidencegen.schema import Text, _text, validate
from evidencegen.yamlio import load_yaml

DEFAULT_COLOUR = "#123B5C"
AA_NORMAL = 4.5
_HEX = re.compile(r"^#?([0-9a-fA-F]{6})$")


PAPERS = ("A4", "Letter")


def _paper(value: object) -> str:
    text = _text(value).strip()
    found = next((p for p in PAPERS if p.lower() == text.lower()), None)
    if found is None:
        raise ValueError("should be A4 or Letter")
    return found


def _colour(value: object) -> str:
    m = _HEX.match(_text(value))
    if not m:
        raise ValueError("should be a colour like #1F5073")
    return "#" + m.group(1).upper()


class CentreFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Text
    logo: Text | None = None
    colour: Annotated[str, BeforeValidator(_colour)] = DEFAULT_COLOUR
    font: Text | None = None
    footer: Text | None = None
    word_reference: Text | None = None
    paper: Annotated[str, BeforeValidator(_paper)] = "A4"
    signing_key: Text | None = None  # read by signing.py; never a branding value


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two #RRGGBB colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def accessible(colour: str, background: str = "#FFFFFF") -> str:
    """The colour, darkened step by step until text in it passes WCAG AA on the background."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    current = colour
    while contrast(current, background) < AA_NORMAL:
        r, g, b = (int(v * 0.9) for v in (r, g, b))
        current = f"#{r:02X}{g:02X}{b:02X}"
    return current


@dataclass(frozen=True)
class Centre:
    name: str
    colour: str  # accessible on white; white text on it is accessible too
    asked_colour: str
    font: str | None
    footer: str | None
    logo: Path | None
    folder: Path
    word_reference: Path | None = None
    paper: str = "A4"  # one of PAPERS: the PDF's @page size and the Word section's page

    @property
    def logo_uri(self) -> str:
        return self.logo.as_uri() if self.logo else ""

    @property
    def adjusted(self) -> bool:
        return self.colour != self.asked_colour


def load_centre(path: Path) -> Centre:
    from evidencegen.inputs import read_text

    data, lines = load_yaml(read_text(path, LearnerError), path, LearnerError)
    info = validate(CentreFile, data, lines, path, LearnerError)
    logo = None
    if info.logo:
        logo = (path.parent / info.logo).resolve()
        if not logo.is_relative_to(path.parent.resolve()):
            raise LearnerError("the logo must be in the same folder as centre.yaml (or below it)",
                               path, lines.get(("logo",)))
        if not logo.is_file() or logo.suffix.lower() not in (".png", ".jpg", ".jpeg"):
            raise LearnerError(f"logo '{info.logo}' is not a .png or .jpg file next to "
                               "centre.yaml", path, lines.get(("logo",)))
    font = re.sub(r"[^A-Za-z0-9 -]", "", info.font or "").strip() or None
    reference = None
    if info.word_reference:
        reference = (path.parent / info.word_reference).resolve()
        if not reference.is_relative_to(path.parent.resolve()) or reference.suffix != ".docx" \
                or not reference.is_file():
            raise LearnerError(f"word_reference '{info.word_reference}' is not a .docx file "
                               "next to centre.yaml", path, lines.get(("word_reference",)))
        from evidencegen.render.docx import reference_blank

        reference_blank(reference)  # checked (size, zip) and emptied now, before any output
    return Centre(info.name, accessible(info.colour), info.colour, font, info.footer, logo,
                  path.parent.resolve(), reference, info.paper)
