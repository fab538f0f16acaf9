"""PDF through WeasyPrint, with a URL fetcher that can only read the template folders.

Notes are personal data and templates come from many hands, so nothing in a document may
reach the network or a file outside the template folders. Parsed stylesheets and the font
configuration are kept for the life of the process: a batch worker parses them once.
"""

from __future__ import annotations

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
    return render_pdf_sections(html, base_dir, stylesheet, roots, variant)[0]


Sections = dict[str, tuple[int, int]]


def render_pdf_sections(html: str, base_dir: Path, stylesheet: Path, roots: tuple[Path, ...],
                        variant: str = "pdf/ua-1") -> tuple[bytes, Sections]:
    """The PDF, and the pages each top-level section (h2) runs over, from the layout."""
    css = _stylesheet(stylesheet.resolve(), stylesheet.stat().st_mtime_ns, roots)
    try:
        document = HTML(
            string=html, base_url=str(base_dir) + "/", url_fetcher=ConfinedFetcher(roots)
        ).render(stylesheets=[css], font_config=font_config())
        data = document.write_pdf(pdf_variant=None if variant == "none" else variant)
    except Exception as exc:  # WeasyPrint raises many kinds; all mean "could not lay out"
        raise RenderError(f"could not lay out the PDF: {type(exc).__name__}: {exc}") from exc
    tree = document.make_bookmark_tree()
    tops = tree[0][2] if len(tree) == 1 else tree  # under the document's h1, if there is one
    starts = [(label, target[0] + 1) for label, target, _, _ in tops]
    last = len(document.pages)
    sections: Sections = {}
    for i, (label, start) in enumerate(starts):
        end = starts[i + 1][1] if i + 1 < len(starts) else last
        sections[label] = (start, max(start, end))
    return data, sections
