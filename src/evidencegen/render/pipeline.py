"""From a judged criterion to document bytes: template, then PDF and DOCX."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from evidencegen.coverage import CriterionCoverage
from evidencegen.render.context import build_context
from evidencegen.render.environment import (
    find_file,
    make_environment,
    render_template,
    search_path,
)

if TYPE_CHECKING:
    from evidencegen.api import Analysis


class Renderer:
    """Holds the template environment so a batch worker compiles each template once."""

    def __init__(self, templates: Path | None):
        self.templates = templates.resolve() if templates else None
        self.env = make_environment(self.templates)
        self.roots = tuple(search_path(self.templates))

    def html(self, analysis: Analysis, cov: CriterionCoverage, final: bool,
             today: dt.date) -> tuple[str, Path]:
        ctx = build_context(analysis.learner, analysis.criteria, cov, final, today)
        names = [f"criterion-{cov.criterion.id}.html.j2", "criterion.html.j2"]
        return render_template(self.env, names, ctx.as_template_vars())

    def render(self, analysis: Analysis, cov: CriterionCoverage, final: bool, today: dt.date,
               formats: tuple[str, ...]) -> dict[str, bytes]:
        html, template = self.html(analysis, cov, final, today)
        out: dict[str, bytes] = {}
        if "docx" in formats:
            from evidencegen.render.docx import render_docx

            out["docx"] = render_docx(html, dt.datetime.combine(today, dt.time(12, 0)))
        if "pdf" in formats:
            from evidencegen.render.pdf import render_pdf

            stylesheet = find_file("style.css", self.templates)
            out["pdf"] = render_pdf(html, template.parent, stylesheet, self.roots)
        return out
