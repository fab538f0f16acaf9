"""The Jinja2 environment: sandboxed, autoescaping, strict, user templates before shipped ones.

A centre's --templates folder is searched first, then the shipped templates/. The shipped
ones are also reachable as ``builtin/NAME`` so an override can extend the template it
replaces and change one block. Every template is rendered here, by ``render_template``, and
only ever with the plain data ``render.data`` makes (see render/sandbox.py for the rest).
"""

from __future__ import annotations

import os
import traceback
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from evidencegen.errors import TemplateError
from evidencegen.render.data import template_data
from evidencegen.render.sandbox import ConfinedLoader, RefusedTemplate, Sandbox
from evidencegen.resources import packaged_dir


def builtin_templates() -> Path:
    return packaged_dir("templates")


def search_path(user_dir: Path | None) -> list[Path]:
    dirs = [user_dir] if user_dir is not None else []
    return [*dirs, builtin_templates()]


def make_environment(user_dir: Path | None) -> Sandbox:
    dirs = search_path(user_dir)
    loader = jinja2.ChoiceLoader([
        ConfinedLoader([str(d) for d in dirs]),
        jinja2.PrefixLoader({"builtin": ConfinedLoader(str(builtin_templates()))}),
    ])
    env = Sandbox(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["longdate"] = lambda d: f"{d.day} {d:%B %Y}" if d else "no date"
    return env


def fingerprint(user_dir: Path | None) -> tuple[tuple[str, int, int], ...]:
    """Every file of the template folders with its modification time and size."""
    found = []
    for folder in search_path(user_dir):
        for root, dirs, files in os.walk(folder):  # symlinked folders are not followed
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(root, name)
                try:
                    info = os.stat(path)
                except OSError:
                    continue
                found.append((path, info.st_mtime_ns, info.st_size))
    return tuple(found)


@lru_cache(maxsize=8)
def _environment(user_dir: Path | None, stamp: tuple[tuple[str, int, int], ...]) -> Sandbox:
    return make_environment(user_dir)


def environment(user_dir: Path | None) -> Sandbox:
    """The environment for these template folders, made once per process for each state of
    their files: a batch worker compiles each template once for all its learners, and a
    template edited between two builds is compiled again rather than served stale.

    Templates are rendered only with frozen copies of the data (render.data), so nothing a
    render does is seen by the next one through the shared environment.
    """
    folder = user_dir.resolve() if user_dir is not None else None
    return _environment(folder, fingerprint(folder))


def find_file(name: str, user_dir: Path | None) -> Path:
    """A non-template file (style.css) by the same search order as templates."""
    for folder in search_path(user_dir):
        candidate = folder / name
        if candidate.is_file():
            if not candidate.resolve().is_relative_to(folder.resolve()):
                raise TemplateError(f"{name} leads outside the template folders", candidate)
            return candidate
    raise TemplateError(f"no {name} in the template folders", user_dir)


def _template_location(exc: BaseException) -> tuple[str | None, int | None]:
    """The template file and line an error happened at, from Jinja's rewritten traceback."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename and frame.filename.endswith((".j2", ".html", ".jinja")):
            return frame.filename, frame.lineno
    return None, None


def _syntax(exc: jinja2.TemplateSyntaxError) -> TemplateError:
    return TemplateError(f"template syntax error: {exc.message}", exc.filename, exc.lineno)


def render_template(
    env: Sandbox, names: list[str], context: dict[str, Any]
) -> tuple[str, Path]:
    """Render the first template of ``names`` that exists; return HTML and its file.

    The context is copied into plain, frozen data first (render.data): whatever the caller
    holds, the template gets no live object and nothing it could change for the next render.
    """
    try:
        template = env.select_template(names)
    except jinja2.TemplateSyntaxError as exc:
        raise _syntax(exc) from None
    except jinja2.TemplatesNotFound:
        raise TemplateError(f"no template found (looked for {', '.join(names)})") from None
    except RefusedTemplate as exc:
        raise TemplateError(f"template refused: {exc.message}") from None
    path = Path(template.filename or names[0])
    data = template_data(context)
    try:
        return template.render(data), path
    except jinja2.TemplateSyntaxError as exc:
        raise _syntax(exc) from None
    except jinja2.TemplateNotFound as exc:
        where, line = _template_location(exc)
        raise TemplateError(f"'{exc.name}' is not a template in the template folders",
                            where or path, line) from None
    except jinja2.UndefinedError as exc:
        where, line = _template_location(exc)
        raise TemplateError(f"the template uses something that does not exist: {exc.message}",
                            where or path, line) from None
    except jinja2.exceptions.SecurityError as exc:
        where, line = _template_location(exc)
        raise TemplateError(f"the template tried something templates may not do: {exc}",
                            where or path, line) from None
    except jinja2.TemplateError as exc:
        where, line = _template_location(exc)
        raise TemplateError(f"template error: {exc}", where or path, line) from None
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, ZeroDivisionError,
            OverflowError, MemoryError) as exc:
        where, line = _template_location(exc)
        raise TemplateError(f"template error: {exc}", where or path, line) from None
    except RecursionError as exc:
        where, line = _template_location(exc)
        raise TemplateError("the template calls itself without end (a macro or include that "
                            "never stops)", where or path, line) from None
