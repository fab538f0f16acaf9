"""PDF through WeasyPrint, with a URL fetcher that can only read the template folders.

Notes are personal data and templates come from many hands, so nothing in a document may
reach the network or a file outside the template folders. Parsed stylesheets and the font
configuration are kept for the life of the process: a batch worker parses them once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from evidencegen.errors import RenderError


class ConfinedFetcher(URLFetcher):
    """Serves file: URLs inside the given folders (and inline data:); refuses all else."""

    def __init__(self, roots: tuple[Path, ...]):
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=False)
        self.roots = tuple(r.resolve() for r in roots)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise ValueError(f"refused to fetch {url!r}: documents may not use the network")
        path = Path(unquote(urlsplit(url).path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise ValueError(f"refused to read {path}: it is outside the template folders")
        return super().fetch(url, headers)


@lru_cache(maxsize=1)
def font_config() -> FontConfiguration:
    return FontConfiguration()


@lru_cache(maxsize=32)
def _stylesheet(path: Path, mtime_ns: int, roots: tuple[Path, ...]) -> CSS:
    return CSS(filename=str(path), url_fetcher=ConfinedFetcher(roots), font_config=font_config())


PDF_VARIANTS = ("pdf/ua-1", "pdf/a-3b", "none")


def render_pdf(html: str, base_dir: Path, stylesheet: Path, roots: tuple[Path, ...],
               variant: str = "pdf/ua-1") -> bytes:
    """Lay out ``html`` as an A4 PDF; relative URLs resolve against ``base_dir``.

    Tagged PDF/UA-1 by default (screen readers follow its structure); PDF/A-3b for
    archiving; "none" for a plain PDF.
    """
    return lay_out_pdf(html, base_dir, stylesheet, roots, variant).data


@dataclass(frozen=True)
class LaidOut:
    """A PDF and where its layout put things: the page of each id (its named destination)."""

    data: bytes
    anchors: dict[str, int]  # id -> page number, from 1
    pages: int


def lay_out_pdf(html: str, base_dir: Path, stylesheet: Path, roots: tuple[Path, ...],
                variant: str = "pdf/ua-1") -> LaidOut:
    """The PDF, and the page every element with an id landed on.

    A link to another file (the location sheet's links to the documents beside it) stays
    relative, as written in the template: WeasyPrint would make it an absolute file URL
    into the template folder, which is no place a reader's copy has.
    """
    css = _stylesheet(stylesheet.resolve(), stylesheet.stat().st_mtime_ns, roots)
    base = base_dir.resolve().as_uri() + "/"
    try:
        document = HTML(
            string=html, base_url=str(base_dir) + "/", url_fetcher=ConfinedFetcher(roots)
        ).render(stylesheets=[css], font_config=font_config())
        for page in document.pages:
            page.links[:] = [(kind, target[len(base):] if kind == "external"
                              and target.startswith(base) else target, rect, box)
                             for kind, target, rect, box in page.links]
        data = document.write_pdf(pdf_variant=None if variant == "none" else variant)
    except Exception as exc:  # WeasyPrint raises many kinds; all mean "could not lay out"
        raise RenderError(f"could not lay out the PDF: {type(exc).__name__}: {exc}") from exc
    anchors: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for name in page.anchors:
            anchors.setdefault(name, number)
    return LaidOut(data, anchors, len(document.pages))
