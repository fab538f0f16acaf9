"""Each state's symbol and colours, apart from the rest of the design tokens so that the Word
writer's styles (render/layout.py) can use them without importing a centre's branding."""

from __future__ import annotations

STATE_ORDER = ("not_started", "in_progress", "ready", "met", "signed_off")

# symbol, ink (text and border: AA contrast on bg and on white), bg (badge fill)
STATES: dict[str, dict[str, str]] = {
    "not_started": {"symbol": "\u25cb",  # ○
                    "ink": "#4B5563", "bg": "#EEF0F2"},
    "in_progress": {"symbol": "\u25d0",  # ◐
                    "ink": "#8A5300", "bg": "#FDF0D5"},
    "ready": {"symbol": "\u25cf",  # ●
              "ink": "#1B5E96", "bg": "#E2EEF9"},
    "met": {"symbol": "\u2713",  # ✓
            "ink": "#1E6B3A", "bg": "#E4F4E8"},
    "signed_off": {"symbol": "\u2714",  # ✔
                   "ink": "#FFFFFF", "bg": "#1E6B3A"},
}
