"""Where the shipped templates and criteria live, installed or in a source checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def packaged_dir(name: str) -> Path:
    """The folder ``name`` shipped inside the wheel, or the top-level one in a checkout.

    The wheel force-includes the repository's top-level templates/ and criteria/ into the
    package; an editable install has them only at the top of the checkout.
    """
    inside = Path(str(resources.files("evidencegen"))) / name
    if inside.is_dir():
        return inside
    checkout = Path(__file__).resolve().parents[2] / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"evidencegen is installed without its {name}/ folder")
