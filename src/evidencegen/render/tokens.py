"""The design tokens: every colour, font and size of the outputs, defined once.

The PDF's stylesheet, the HTML check report and the cohort tracker read these as CSS custom
properties (``css_variables``); the Word writer reads the same values from ``tokens``. A
centre's branding (centre.yaml) replaces the brand colour, the font and the footer text.

States are never shown by colour alone: each has a text label and a symbol as well, and the
colours are calm (grey for a criterion nobody has judged yet, never alarm red).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from evidencegen.models import STATE_LABELS
from evidencegen.render.states import STATE_ORDER, STATES

if TYPE_CHECKING:
    from evidencegen.branding import Centre

BASE: dict[str, str] = {
    "brand": "#123B5C",  # headings, table heads; a centre's colour replaces it
    "ink": "#1D242B",  # body text
    "muted": "#4A5560",  # running header, footer, citations
    "rule": "#B8C6D1",  # table borders
    "rule-light": "#C9D6E0",  # heading underline
    "shade": "#EEF3F7",  # row headers
    "learner": "#2F8F83",  # the bar beside the learner's own words
    "witness": "#8A6D3B",  # the bar beside an observer's words
    "guidance-bg": "#EEF2F6",
    "guidance-ink": "#3C4A57",
    "write-line": "#8795A1",  # ruled lines on forms
    "page-bg": "#F6F8FA",  # HTML pages' background
}

FONT = '"Liberation Sans", "DejaVu Sans", Arial, sans-serif'
SIZES: dict[str, str] = {
    "body": "10pt", "small": "8.5pt", "tiny": "7.5pt", "running": "8pt",
    "h1": "19pt", "h2": "13.5pt", "h3": "11pt",
}
SPACING: dict[str, str] = {"block": "2mm", "section": "7mm", "write-line": "8mm"}
PAGE = {"size": "A4", "margin": "26mm 18mm 22mm 18mm"}  # size: the centre's paper, else A4


def tokens(centre: Centre | None = None) -> dict[str, Any]:
    """Every design value, with the centre's branding applied.

    Keys (all values are plain strings, dicts or tuples; colours are ``#RRGGBB``):

    - ``colours``: ``brand`` (the centre's colour, made AA-readable on white, else navy),
      ``ink``, ``muted``, ``rule``, ``rule-light``, ``shade``, ``learner``, ``witness``,
      ``guidance-bg``, ``guidance-ink``, ``write-line``, ``page-bg``.
    - ``states``: for each of ``state_order``, a dict with ``label``, ``symbol`` (one
      character), ``ink`` (text colour) and ``bg`` (fill colour).
    - ``state_order``: the states from not started to signed off.
    - ``font``: the body font's family name (the centre's font, else "Liberation Sans");
      ``font_stack``: the CSS list with fallbacks.
    - ``sizes``: ``body``, ``small``, ``tiny``, ``running``, ``h1``, ``h2``, ``h3`` in pt.
    - ``spacing``: ``block``, ``section``, ``write-line`` (height of one ruled line) in mm.
    - ``page``: ``size`` ("A4", or "Letter" when centre.yaml says ``paper: Letter``) and
      ``margin`` (CSS shorthand, top right bottom left).
    - ``centre``: ``name``, ``footer`` and ``logo`` (file name) or None without a centre.
    """
    colours = dict(BASE)
    font, stack = "Liberation Sans", FONT
    about = None
    page = dict(PAGE)
    if centre is not None:
        page["size"] = centre.paper
        colours["brand"] = centre.colour
        if centre.font:
            font, stack = centre.font, f'"{centre.font}", {FONT}'
        about = {"name": centre.name, "footer": centre.footer,
                 "logo": centre.logo.name if centre.logo else None}
    return {
        "colours": colours,
        "states": {s: {"label": STATE_LABELS[s], **STATES[s]} for s in STATE_ORDER},
        "state_order": STATE_ORDER,
        "font": font,
        "font_stack": stack,
        "sizes": dict(SIZES),
        "spacing": dict(SPACING),
        "page": page,
        "centre": about,
    }


def css_variables(values: dict[str, Any]) -> str:
    """The tokens as one ``:root { ... }`` rule of CSS custom properties.

    ``--brand``, ``--ink`` ... for colours, ``--state-NAME`` and ``--state-NAME-bg`` for each
    state, ``--font``, ``--size-NAME`` and ``--space-NAME``.
    """
    props = [f"--{k}: {v};" for k, v in values["colours"].items()]
    for name, s in values["states"].items():
        props += [f"--state-{name}: {s['ink']};", f"--state-{name}-bg: {s['bg']};"]
    props.append(f"--font: {values['font_stack']};")
    props += [f"--size-{k}: {v};" for k, v in values["sizes"].items()]
    props += [f"--space-{k}: {v};" for k, v in values["spacing"].items()]
    return ":root { " + " ".join(props) + " }"


def page_css(values: dict[str, Any]) -> str:
    """The paper size as an ``@page`` rule (the margins and running text are in style.css)."""
    return f"@page {{ size: {values['page']['size']}; }}"


def state_badge_css(values: dict[str, Any]) -> str:
    """Rules for ``[data-state=NAME]`` badges: the state's ink on its fill."""
    rules = []
    for name in values["state_order"]:
        rules.append(f'[data-state="{name}"] {{ color: var(--state-{name}); '
                     f"background: var(--state-{name}-bg); border-color: var(--state-{name}); }}")
    return "\n".join(rules)
