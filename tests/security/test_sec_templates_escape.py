"""A hostile --templates folder: every known route out of the sandbox fails cleanly.

Each attempt is a criterion template a centre might have downloaded. It must end the build
with one line naming the template file and the line of the attempt, exit code 2, no
traceback, and no file written. Templates receive plain, frozen data (render/data.py), so
the old routes through live objects (pydantic's parse methods, a path's read_text) find
nothing to call.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import note

from evidencegen.cli import cli

SESSION = note({"type": "session", "date": "2026-04-01", "mentee": "Mentee A"},
               "I listened to her and asked open questions about her goals.")
LINE = 3  # the line of the attempt in the template below


def template(attempt: str) -> str:
    return ('{% extends "base.html.j2" %}\n{% block evidence %}\n' + attempt
            + "\n{% endblock %}\n")


def build_with(learner_dir: Callable[..., Path], tmp_path: Path, attempt: str,
               extra: dict[str, str] | None = None) -> tuple[int, list[str], str, Path]:
    folder = learner_dir({"sessions/2026-04-01-a.md": SESSION})
    templates = tmp_path / "templates"
    templates.mkdir(exist_ok=True)
    (templates / "criterion-5.2.html.j2").write_text(template(attempt))
    for name, text in (extra or {}).items():
        (templates / name).write_text(text)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(folder), "-o", str(out), "--templates",
                                      str(templates), "-c", "5.2", "-f", "docx"])
    return result.exit_code, result.stderr.strip().splitlines(), result.output, out


def assert_refused(code: int, lines: list[str], output: str, out: Path,
                   where: str = f"criterion-5.2.html.j2:{LINE}:") -> None:
    assert code == 2, output
    assert len(lines) == 1, lines
    assert where in lines[0], lines[0]
    assert "Traceback" not in output and "unexpected error" not in output
    for leak in ("<class", "builtins", "root:x:0", "__globals__':", "<function", "pydantic"):
        assert leak not in output, output
    assert not out.exists() or not any(p.is_file() for p in out.rglob("*"))


ATTRIBUTE_WALKS = [
    "{{ learner.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ criteria.__class__.__init__.__globals__ }}",
    "{{ criterion.__init__.__globals__['__builtins__'] }}",
    "{{ doc.__class__.__base__.__subclasses__() }}",
    "{{ coverage['__class__'] }}",
    "{{ sessions[0].html.__class__.__mro__ }}",
    "{{ (learner|attr('__class__')).__mro__ }}",
    "{{ learner|attr('__dict__') }}",
    "{{ learner|attr('folder') }}",
    "{{ sessions[0].path.read_text() }}",
    "{{ generated.fromisoformat('2020-01-01') }}",
    "{{ timestamp.strptime('1', '%d') }}",
    "{{ word_count.to_bytes(1000000, 'big') }}",
]


@pytest.mark.parametrize("attempt", ATTRIBUTE_WALKS)
def test_attribute_walks_to_python_internals_are_refused(learner_dir, tmp_path,
                                                         attempt) -> None:
    assert_refused(*build_with(learner_dir, tmp_path, attempt))


PYDANTIC_ROUTES = [
    "{{ criteria.parse_raw('{}') }}",
    "{{ criteria.parse_file('/etc/passwd') }}",
    "{{ criteria.model_validate_json('{}') }}",
    "{{ criterion.model_validate({'id': 'x'}) }}",
    "{{ learner.declaration.parse_obj({'signed': true}) }}",
    "{{ criteria.copy(update={'id': 'x'}) }}",
    "{{ criteria.construct(id='x') }}",
    "{{ criterion.model_copy() }}",
    "{{ criteria.unit.model_dump_json() }}",
]


@pytest.mark.parametrize("attempt", PYDANTIC_ROUTES)
def test_model_parse_validate_and_copy_methods_are_not_there(learner_dir, tmp_path,
                                                             attempt) -> None:
    assert_refused(*build_with(learner_dir, tmp_path, attempt))


FORMAT_STRINGS = [
    "{{ '{0.__class__.__mro__}'.format(learner) }}",
    "{{ '{x.__init__.__globals__}'.format_map({'x': criteria}) }}",
    "{{ '{0:>1000000000}'.format('x') }}",
    "{{ '{0:{1}}'.format('x', 1000000000) }}",
    "{{ '%1000000000s' % 'x' }}",
    "{{ '%*s'|format(1000000000, 'x') }}",
]


@pytest.mark.parametrize("attempt", FORMAT_STRINGS)
def test_format_strings_reach_no_attributes_and_no_huge_widths(learner_dir, tmp_path,
                                                               attempt) -> None:
    assert_refused(*build_with(learner_dir, tmp_path, attempt))


GLOBALS = [
    "{{ self.__class__.__mro__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ joiner() }}",
    "{{ lipsum(100000, false, 1000, 10000) }}",
    "{{ namespace.__init__.__globals__ }}",
    "{% set ns = namespace(x=criteria) %}{{ ns.x.__class__ }}",
    "{{ range.__globals__ }}",
]


@pytest.mark.parametrize("attempt", GLOBALS)
def test_template_globals_give_no_way_out(learner_dir, tmp_path, attempt) -> None:
    assert_refused(*build_with(learner_dir, tmp_path, attempt))


ALLOCATIONS = [
    "{{ range(1000000000)|list|length }}",
    "{{ 'x' * 1000000000 }}",
    "{{ ([0] * 100000) * 100000 }}",
    "{{ 9 ** 999999 }}",
    "{{ 'x'|center(1000000000) }}",
    "{{ 'x'.ljust(1000000000) }}",
    "{{ [1]|batch(1000000000, 0)|list|length }}",
    "{{ range(2)|join('x' * 999999) ~ range(100000)|join('x' * 999999) }}",
    "{{ 'ab'|replace('', 'x' * 900000) }}",
    "{{ 'line'|indent(1000000000) }}",
]


@pytest.mark.parametrize("attempt", ALLOCATIONS)
def test_huge_allocations_are_refused_before_they_are_made(learner_dir, tmp_path,
                                                           attempt) -> None:
    assert_refused(*build_with(learner_dir, tmp_path, attempt))


INCLUDES = [
    '{% include "../../etc/passwd" %}',
    '{% include "/etc/passwd" %}',
    '{% import "../../../../etc/passwd" as x %}',
    '{% from "/etc/passwd" import root %}',
    '{% include "builtin/../../../etc/passwd" %}',
    '{% include "..\\\\..\\\\etc\\\\passwd" %}',
]


@pytest.mark.parametrize("attempt", INCLUDES)
def test_include_and_import_cannot_leave_the_template_folders(learner_dir, tmp_path,
                                                              attempt) -> None:
    assert_refused(*build_with(learner_dir, tmp_path, attempt))


def test_a_template_linked_to_a_file_outside_the_folders_is_refused(learner_dir,
                                                                    tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("PRIVATE-NOTES-OF-ANOTHER-LEARNER")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "evil.html.j2").symlink_to(secret)
    code, lines, output, out = build_with(learner_dir, tmp_path,
                                          '{% include "evil.html.j2" %}')
    assert_refused(code, lines, output, out)
    assert "PRIVATE-NOTES" not in output and "outside the template folders" in lines[0]


def test_a_criterion_template_that_is_itself_a_link_out_is_refused(learner_dir,
                                                                   tmp_path) -> None:
    elsewhere = tmp_path / "elsewhere.j2"
    elsewhere.write_text("{{ learner.name }}")
    folder = learner_dir({"sessions/2026-04-01-a.md": SESSION})
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "criterion-5.2.html.j2").symlink_to(elsewhere)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(folder), "-o", str(out), "--templates",
                                      str(templates), "-c", "5.2", "-f", "docx"])
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 1
    assert "criterion-5.2.html.j2" in lines[0] and "outside the template folders" in lines[0]
    assert not out.exists() or not any(p.is_file() for p in out.rglob("*"))


MUTATIONS = [
    "{{ criterion.elements.append('x') }}",
    "{% set xs = [1] %}{{ xs.append(2) }}",
    "{% set d = {} %}{{ d.update({'a': 1}) }}",
    "<p>{{ learner.name }}</p>{% set criteria.id = 'x' %}",
    "{{ criteria.outcomes.__setitem__(0, 1) }}",
]


@pytest.mark.parametrize("attempt", MUTATIONS)
def test_mutating_the_context_or_any_list_is_refused(learner_dir, tmp_path, attempt) -> None:
    assert_refused(*build_with(learner_dir, tmp_path, attempt))


def test_a_macro_that_calls_itself_ends_in_one_line(learner_dir, tmp_path) -> None:
    code, lines, output, out = build_with(
        learner_dir, tmp_path, "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}")
    assert_refused(code, lines, output, out, where="criterion-5.2.html.j2")
    assert "calls itself" in lines[0]


def test_printing_a_whole_object_shows_data_not_paths_or_internals(learner_dir,
                                                                   tmp_path) -> None:
    """What a template can print at most: the fields it was given, never a path or a model."""
    code, _, output, out = build_with(
        learner_dir, tmp_path,
        "<p>{{ '%r' % learner }}</p><p>{{ learner }}</p><p>{{ '%s' % sessions[0] }}</p>")
    assert code == 0, output
    import docx

    document = docx.Document(str(next(out.rglob("*_5.2.docx"))))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Learner(name='Test Learner'" in text  # a frozen record of plain values
    assert str(tmp_path) not in text and "PosixPath" not in text
    assert "blocks=" not in text and "findings=" not in text and "path=" not in text
