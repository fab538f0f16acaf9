"""The command line: the only module that imports Click.

Each command gathers its options, calls one library function and prints a short summary.
Errors from the core are turned into one line and an exit code here, in ``_Cli.invoke``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from evidencegen import __version__
from evidencegen.errors import EvidencegenError
from evidencegen.text import plural

if TYPE_CHECKING:
    from evidencegen.api import BuildResult
    from evidencegen.models import Analysis

STATE_COLOURS = {"not_started": "red", "in_progress": "yellow", "ready": "cyan", "met": "green",
                 "signed_off": "green"}


PIPE_CLOSED = 141  # 128 + SIGPIPE: what a shell reports for a program the pipe ended


def _reader_gone() -> None:
    """Point stdout and stderr at the null device, so that nothing more (not even the
    flush at exit) writes to a pipe nobody reads: Python's documented way (the signal
    module's note on SIGPIPE)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, OSError, ValueError):
            os.dup2(devnull, stream.fileno())
    os.close(devnull)


class _Cli(click.Group):
    """Turns every evidencegen error into one plain line and exit code 2 (or the error's)."""

    def make_context(self, info_name: str | None, args: list[str],
                     parent: click.Context | None = None, **extra: Any) -> click.Context:
        try:  # --help and --version print here, before any command runs
            return super().make_context(info_name, args, parent, **extra)
        except BrokenPipeError:
            _reader_gone()
            sys.exit(PIPE_CLOSED)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except EvidencegenError as exc:
            if ctx.meta.get("evidencegen.debug"):
                raise
            click.secho(f"evidencegen: {exc}", err=True, fg="red")
            ctx.exit(exc.exit_code)
        except BrokenPipeError:  # the reader went away (| head, | less then q): stop quietly
            _reader_gone()
            ctx.exit(PIPE_CLOSED)
        except KeyboardInterrupt:
            click.echo("evidencegen: stopped.", err=True)
            ctx.exit(130)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            if ctx.meta.get("evidencegen.debug"):
                raise
            click.secho(f"evidencegen: unexpected error: {type(exc).__name__}: {exc} "
                        "(run again with --debug for details, and report it)", err=True, fg="red")
            ctx.exit(1)



def _documents_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """-o/--out, -f/--format and --pdf-variant, shared by the commands that write documents."""
    f = click.option("--centre", type=click.Path(path_type=Path, dir_okay=False, exists=True),
                     help="A centre.yaml with the centre's name, logo, colour, font, "
                          "footer and paper size (A4 or Letter).")(f)
    f = click.option("--pdf-variant", type=click.Choice(["pdf/ua-1", "pdf/a-3b", "none"]),
                     default="pdf/ua-1", show_default=True,
                     help="pdf/ua-1: tagged for screen readers; pdf/a-3b: for archiving.")(f)
    f = click.option("-f", "--format", "fmt", type=click.Choice(["docx", "pdf", "both"]),
                     default="both", show_default=True, help="Which documents to make.")(f)
    return click.option("-o", "--out", type=click.Path(path_type=Path, file_okay=False),
                        default=Path("evidence"), show_default=True,
                        help="Folder the documents go in (a sub-folder per learner is "
                             "made).")(f)


_centre_option = click.option(
    "--centre", type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="The centre's centre.yaml; its signing_key verifies assessor decisions and "
         "records (else $EVIDENCEGEN_SIGNING_KEY).")


def _signing_key(centre: Path | None, *outside: Path) -> Any:
    """The centre's key (or None), with a warning when other users can read it."""
    from evidencegen.signing import resolve_key

    key = resolve_key(centre, *outside)
    if key is not None and key.demo:
        click.secho(f"warning: {key.path}: a DEMO signing key, published with evidencegen; "
                    "never use it for real learners", err=True, fg="yellow")
    elif key is not None and key.loose:
        click.secho(f"warning: {key.path}: other users of this machine can read the "
                    "signing key; make it readable only by you (chmod 600)", err=True,
                    fg="yellow")
    return key


_templates_option = click.option(
    "--templates", type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Your own templates folder, searched before the shipped templates.")
_rules_option = click.option(
    "--rules", type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A centre's thresholds, overriding the shipped ones (see README).")


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="evidencegen")
@click.option("--debug", is_flag=True, help="Show the full technical details of any error.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Turn a learner's mentoring notes into portfolio evidence for Unit 435
    (Level 4 Diploma in Adult Care): Word and PDF documents for 1.1 and 5.2,
    and what is still missing.

    \b
    Start here:
      evidencegen init my-portfolio      make a folder to write your notes in
      evidencegen build my-portfolio     make the documents (into ./evidence)
      evidencegen criteria 5.2           what 5.2 asks for and how to show it
    """
    ctx.meta["evidencegen.debug"] = debug


@cli.command()
@click.argument("learner_dirs", nargs=-1, required=True, metavar="LEARNER_DIR...",
                type=click.Path(path_type=Path, file_okay=False))
@_documents_options
@click.option("-c", "--criterion", "criteria", multiple=True, metavar="AC",
              help="Only this criterion, e.g. -c 5.2 (repeat for more). "
                   "Default: every criterion evidencegen writes documents for (1.1, 5.2).")
@_templates_option
@click.option("--final", is_flag=True,
              help="The version to hand in: leaves out the guidance boxes and the "
                   "'still missing' section.")
@click.option("--force", is_flag=True,
              help="With --final: make the documents without warning about criteria that "
                   "still have gaps.")
@_rules_option
@click.option("--strict-privacy", is_flag=True,
              help="Write nothing if the notes hold personal data (phone numbers, e-mail "
                   "addresses, NHS numbers...); by default it is removed from the documents.")
def build(learner_dirs: tuple[Path, ...], out: Path, fmt: str, pdf_variant: str,
          centre: Path | None,
          criteria: tuple[str, ...], templates: Path | None, final: bool, force: bool,
          rules: Path | None, strict_privacy: bool) -> None:
    """Make the evidence documents for a learner folder (or several).

    Writes OUT/<learner id>/ with a Word (.docx) and a PDF document per criterion,
    and coverage.json, then prints what is covered and what is still missing.

    \b
    Examples:
      evidencegen build my-portfolio
      evidencegen build samples/complete -o evidence -c 5.2 -f docx
      evidencegen build samples/complete samples/part-way -o evidence
    """
    from evidencegen.api import FORMATS, BuildOptions
    from evidencegen.api import build as run_build
    from evidencegen.batch import refuse_shared_ids

    formats = FORMATS if fmt == "both" else (fmt,)
    key = _signing_key(centre, *learner_dirs)
    options = BuildOptions(out=out, formats=formats, criteria=criteria, templates=templates,
                           final=final, rules=rules, strict_privacy=strict_privacy,
                           pdf_variant=pdf_variant, centre=centre,
                           signing_key=key.path if key else None)
    refuse_shared_ids(list(learner_dirs))  # one would overwrite the other's documents
    for i, learner_dir in enumerate(learner_dirs):
        result = run_build(learner_dir, options)
        if i:
            click.echo()
        _summary(result)
        _warnings(result.analysis)
        _privacy(result.analysis, "removed from the documents")
        if final and not force:
            _final_gaps(result)


def _final_gaps(result: BuildResult) -> None:
    """--final leaves the 'still missing' section out of the documents: say on stderr what
    it would have listed, so nobody hands in a gap unknowingly."""
    a = result.analysis
    gaps = [(crit.id, gap) for crit in result.documented for gap in a.coverage[crit.id].gaps]
    if not gaps:
        return
    acs = list(dict.fromkeys(ac for ac, _ in gaps))
    click.secho(f"warning: {a.learner.learner_id}: --final leaves out 'still missing', but "
                f"{', '.join(acs)} still {'has' if len(acs) == 1 else 'have'} "
                f"{plural(len(gaps), 'gap')}:", err=True, fg="yellow")
    for ac, gap in gaps:
        click.echo(click.wrap_text(f"{ac}: {gap}", 78, initial_indent="  ",
                                   subsequent_indent="    "), err=True)
    click.echo("  (hand it in anyway with --final --force, which leaves out this warning)",
               err=True)


def _warnings(analysis: Analysis) -> None:
    """What in the folder counts for nothing, and why: one line per file."""
    for warning in analysis.learner.warnings:
        click.secho(f"warning: {warning.path}: {warning.message}", err=True, fg="yellow")


def _privacy(analysis: Analysis, done: str) -> None:
    """Each finding by place and kind, never the data itself."""
    from dataclasses import replace

    for finding in analysis.learner.privacy:
        place = replace(finding, path=str(analysis.learner.folder / finding.path)).place
        click.secho(f"privacy: {place}: {finding.kind_label} {done}; "
                    "please take it out of your note", err=True, fg="yellow")


def _summary(result: BuildResult) -> None:
    a = result.analysis
    click.echo(f"{a.learner.name} ({a.learner.learner_id}): Unit {a.criteria.unit.number} "
               f"{a.criteria.unit.title}")
    for crit in result.documented:
        cov = a.coverage[crit.id]
        count = cov.evidence_count  # the same figure as coverage.json and check's reports
        state = click.style(f"{cov.label:<22}", fg=STATE_COLOURS[cov.status])
        pad = " " * max(0, 3 - len(f"{count:,}"))  # counts right-aligned, as a column
        click.echo(f"  {crit.id:<5} {state} {pad}"
                   f"{plural(count, 'piece of evidence', 'pieces of evidence')}")
        for gap in cov.gaps:
            click.echo(click.wrap_text(f"still missing: {gap}", 78, initial_indent="        ",
                                       subsequent_indent="          "))
    where = result.folder
    with contextlib.suppress(ValueError):
        where = where.relative_to(Path.cwd())
    click.echo(f"Wrote {len(result.files)} files to {where}{os.sep}")


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text",
              show_default=True,
              help="text for the screen; html for a report to open in a browser or print; "
                   "json for a centre's tracker.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the report to this file instead of the screen.")
@click.option("-c", "--criterion", "criteria", multiple=True, metavar="AC",
              help="Only this criterion (repeat for more). Default: every criterion.")
@click.option("--strict", is_flag=True,
              help="Exit with code 1 if a criterion asked about (with -c, else 1.1 and 5.2) "
                   "is not yet ready, so a centre can use check as a gate.")
@click.option("--needs", type=click.Choice(["ready", "met", "signed_off"]), default="ready",
              show_default=True,
              help="With --strict: the state each criterion must reach (met needs a "
                   "countersigned observation; signed_off a signed decision).")
@_rules_option
@click.option("--fingerprints", "prints", multiple=True,
              type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="More published sources to check for copied text (made with "
                   "'evidencegen fingerprint').")
@_centre_option
def check(path: Path, fmt: str, output: Path | None, criteria: tuple[str, ...], strict: bool,
          needs: str, rules: Path | None, prints: tuple[Path, ...],
          centre: Path | None) -> None:
    """Check which criteria a learner's folder (or one note) covers, and what is missing.

    Writes nothing into the learner's folder. Each criterion gets a state
    (not started, in progress, ready, met, signed off) and every gap says why.

    \b
    Examples:
      evidencegen check samples/part-way
      evidencegen check my-portfolio -c 5.2 --strict
      evidencegen check my-portfolio --format html -o report.html
      evidencegen check my-portfolio --format json -o coverage.json
      evidencegen check my-portfolio --centre centre/centre.yaml --strict --needs met
    """
    import datetime as dt
    import json

    from evidencegen.api import analyse, select_criteria
    from evidencegen.models import STATES
    from evidencegen.output import safe_id, write_atomic
    from evidencegen.report import html_report, json_report, text_report

    today = dt.date.today()
    key = _signing_key(centre, *([path] if path.is_dir() else []))
    analysis = analyse(path, today=today, rules=rules, extra_fingerprints=prints, key=key)
    _warnings(analysis)
    _privacy(analysis, "found")
    chosen = select_criteria(analysis.criteria, criteria)
    shown = [c.id for c in chosen] if criteria else [c.id for c in
                                                    analysis.criteria.all_criteria()]
    if fmt == "html":
        from evidencegen.branding import load_centre

        text = html_report(analysis, shown, today,
                           centre=load_centre(centre) if centre is not None else None)
        if output is None:
            output = Path(f"coverage-{safe_id(analysis.learner.learner_id)}.html")
    elif fmt == "json":
        text = json.dumps(json_report(analysis, shown, today), indent=2, ensure_ascii=False) + "\n"
    else:
        colour = output is None and sys.stdout.isatty()
        text = text_report(analysis, shown, (lambda s, state: click.style(
            s, fg=STATE_COLOURS[state])) if colour else (lambda s, state: s))
    if output is not None:
        from evidencegen.output import prepare_dir

        prepare_dir(output.parent if str(output.parent) else Path("."))
        write_atomic(output, text.encode())
        click.echo(f"Wrote {output}", err=True)
    else:
        click.echo(text, nl=False)
    below = [c.id for c in chosen
             if STATES.index(analysis.coverage[c.id].status) < STATES.index(needs)]
    if strict and below:
        word = "ready" if needs == "ready" else needs.replace("_", " ")
        click.echo(f"Not {word} yet: {', '.join(below)}", err=True)
        sys.exit(1)


@cli.command()
@click.argument("cohort_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
@_documents_options
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="How many learners to build at once. Default: the number of CPUs.")
@click.option("-c", "--criterion", "criteria", multiple=True, metavar="AC",
              help="Only this criterion (repeat for more). Default: 1.1 and 5.2.")
@_templates_option
@_rules_option
@click.option("--final", is_flag=True, help="Leave out guidance and 'still missing'.")
@click.option("--force", is_flag=True, help="Rebuild every learner, changed or not.")
@click.option("--strict-privacy", is_flag=True,
              help="A learner whose notes hold personal data fails instead of being built "
                   "with it removed.")
@click.option("--time-limit", "time_limit", type=click.FloatRange(min=0), default=600,
              show_default=True, metavar="SECONDS",
              help="A learner still building after this long is reported failed and the "
                   "others go on (0: no limit).")
@click.option("--wait", is_flag=True,
              help="If another batch is writing to OUT, wait for it to finish instead of "
                   "stopping.")
@click.option("--executor", type=click.Choice(["processes", "dask"]), default="processes",
              show_default=True,
              help="processes: worker processes on this machine; dask: a Dask cluster "
                   "(pip install 'evidencegen[dask]'), local or at --scheduler.")
@click.option("--scheduler", metavar="ADDRESS",
              help="With --executor dask: the scheduler to use, e.g. tcp://10.0.0.5:8786 "
                   "(default: a local cluster of -j workers).")
def batch(cohort_dir: Path, out: Path, fmt: str, pdf_variant: str, centre: Path | None,
          jobs: int | None,
          criteria: tuple[str, ...],
          templates: Path | None, rules: Path | None, final: bool, force: bool,
          strict_privacy: bool, time_limit: float, wait: bool, executor: str,
          scheduler: str | None) -> None:
    """Build every learner folder in a cohort folder, and a tracker of who is where.

    Every folder (at any depth) holding a learner.yaml is a learner. One broken folder
    does not stop the others; a learner whose files have not changed since the last
    run is skipped. Writes OUT/<learner id>/ for each, OUT/cohort.csv and
    OUT/cohort.json (states per criterion) and OUT/errors.json. Exit code 1 if any
    learner failed. OUT is locked while a batch writes to it: a second batch on the
    same OUT stops at once (or waits, with --wait).

    \b
    Example:
      evidencegen batch samples -o cohort-evidence
    """
    from evidencegen.api import FORMATS, BuildOptions

    formats = FORMATS if fmt == "both" else (fmt,)
    if (cohort_dir / "centre.yaml").exists():  # anyone who writes there could set it
        click.secho(f"warning: {cohort_dir / 'centre.yaml'} is not used: centre settings "
                    "come only from --centre (or $EVIDENCEGEN_SIGNING_KEY for the key)",
                    err=True, fg="yellow")
    key = _signing_key(centre)
    if key is not None and key.path.is_relative_to(cohort_dir.resolve()):
        click.secho(f"warning: {key.path}: the signing key is inside the cohort folder; "
                    "anyone who can read that folder can sign decisions", err=True,
                    fg="yellow")
    options = BuildOptions(out=out, formats=formats, criteria=criteria, templates=templates,
                           final=final, rules=rules, strict_privacy=strict_privacy,
                           pdf_variant=pdf_variant, centre=centre,
                           signing_key=key.path if key else None)

    result = _run_batch_with_progress(cohort_dir, options, jobs, force, time_limit, wait,
                                      executor, scheduler)
    click.echo(f"{result.count('built')} built, {result.count('skipped')} skipped, "
               f"{result.count('failed')} failed; tracker in {out / 'cohort.csv'}")
    for o in result.outcomes:  # files not read, or read with a guessed encoding: and why
        for line in o.warnings:
            click.secho(f"warning: {line}", err=True, fg="yellow")
    if result.count("failed"):
        click.echo(f"Errors: {out / 'errors.json'}", err=True)
        sys.exit(1)


def _run_batch_with_progress(cohort_dir: Path, options: Any, jobs: int | None, force: bool,
                             time_limit: float, wait: bool, executor: str,
                             scheduler: str | None) -> Any:
    """run_batch, telling the user what it does: a line at once saying how many learners
    there are and how many will be built, then one line per learner (CI logs, pipes) or a
    progress bar with failures printed above it (a terminal)."""
    from evidencegen.batch import Plan, ProcessPool, default_jobs, run_batch
    from evidencegen.models import Outcome

    if executor == "dask":
        from evidencegen.executors import DaskCluster

        engine: Any = DaskCluster(scheduler, jobs)
    elif scheduler:
        raise click.UsageError("--scheduler needs --executor dask")
    else:
        engine = ProcessPool(jobs or default_jobs())
    tty = sys.stderr.isatty()
    bar: Any = None

    def announce(plan: Plan) -> None:
        nonlocal bar
        click.echo(str(plan), err=True)
        if tty:
            bar = click.progressbar(length=plan.learners, file=sys.stderr, show_pos=True,
                                    show_eta=True, width=30, label="building")
            bar.render_progress()

    def progress(o: Outcome, done: int, total: int) -> None:
        who = " ".join(filter(None, (o.learner_id or o.folder,
                                     f"({o.name})" if o.name and o.result == "failed"
                                     else None)))
        if bar is None:  # CI logs and pipes: one plain line per learner
            line = f"[{done}/{total}] {o.result:<7} {who}"
            click.echo(line if o.result != "failed" else f"{line}: {o.error}", err=True)
            return
        if o.result == "failed":
            click.echo(f"\r\x1b[Kfailed: {who}: {o.error}", err=True)
        bar.update(1)

    try:
        return run_batch(cohort_dir, options, jobs or default_jobs(), force, progress,
                         seconds=time_limit, wait=wait, announce=announce, executor=engine)
    finally:
        if bar is not None:
            bar.render_finish()


@cli.command()
@click.argument("learner_dir", type=click.Path(path_type=Path, file_okay=False))
@_documents_options
@click.option("-c", "--criterion", "criteria", multiple=True, metavar="AC",
              help="Only this competence criterion (repeat for more). Default: 5.2.")
@_templates_option
def forms(learner_dir: Path, out: Path, fmt: str, pdf_variant: str, centre: Path | None,
          criteria: tuple[str, ...],
          templates: Path | None) -> None:
    """Make an observation record and an expert witness form for the assessor.

    Each is pre-filled with the learner, the criterion, the mentee's pseudonym and the
    techniques the learner's notes claim, with space for what was seen, the decision and
    signatures. Saved back into the learner's observations (or witness) folder once completed
    and countersigned by the assessor ('evidencegen sign'), the Word file counts as
    observation (or witness) evidence.

    \b
    Example:
      evidencegen forms samples/part-way -o forms
    """
    from evidencegen.api import FORMATS, BuildOptions
    from evidencegen.api import forms as run_forms

    formats = FORMATS if fmt == "both" else (fmt,)
    key = _signing_key(centre, learner_dir)
    result = run_forms(learner_dir, BuildOptions(out=out, formats=formats, criteria=criteria,
                                                  templates=templates, pdf_variant=pdf_variant,
                                                  centre=centre,
                                                  signing_key=key.path if key else None))
    for path in result.files:
        click.echo(f"Wrote {path}")


@cli.command()
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--title", required=True, help="How reports name this source.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              default=Path("fingerprints.json"), show_default=True,
              help="The fingerprints file to add to (made if missing).")
def fingerprint(source: Path, title: str, output: Path) -> None:
    """Add a published text to a fingerprints file, so 'check' flags text copied from it.

    Only hashes of 8-word runs are kept, never the text itself. evidencegen already
    knows the published study notes for 1.1 and 5.2.

    \b
    Example:
      evidencegen fingerprint handbook.txt --title "Centre handbook 2026" -o centre.json
      evidencegen check my-portfolio --fingerprints centre.json
    """
    from evidencegen.fingerprints import add_to_file
    from evidencegen.inputs import read_text

    count = add_to_file(output, read_text(source), title)
    click.echo(f"Added '{title}' ({plural(count, 'fingerprint')}) to {output}")


@cli.command("criteria")
@click.argument("ac", required=False)
@click.option("--version-of", "choice", metavar="ID|FILE",
              help="Another wording or version: a criteria id or a .yaml file.")
def criteria_cmd(ac: str | None, choice: str | None) -> None:
    """List the unit's criteria, or show one criterion and how to evidence it.

    \b
    Example:
      evidencegen criteria          every criterion of Unit 435
      evidencegen criteria 1.1      the models for mentoring, and how 1.1 is judged
    """
    from evidencegen.criteria import resolve_criteria

    cs = resolve_criteria(choice, Path.cwd())
    if ac is None:
        click.echo(f"{cs.qualification.title}: Unit {cs.unit.number} {cs.unit.title}")
        click.echo(f"Wording: {cs.wording.source}, version {cs.wording.version} [{cs.id}]")
        for outcome in cs.outcomes:
            click.echo(f"\nLO{outcome.id} {outcome.title}")
            for c in outcome.criteria:
                mark = "*" if c.document else " "
                click.echo(f" {mark}{c.id:<4} {c.text}")
        click.echo("\n* evidencegen writes documents and checks rules for these criteria.")
        return
    crit = cs.require(ac)
    outcome = cs.outcome_of(crit.id)
    click.echo(f"{crit.id} {crit.text}")
    click.echo(f"LO{outcome.id} {outcome.title}")
    click.echo(f"Kind: {crit.kind}" + (f" (verb: {crit.verb})" if crit.verb else ""))
    if crit.guidance:
        click.echo("\n" + click.wrap_text(crit.guidance, 78))
    if crit.elements:
        listed = sum(1 for e in crit.elements if e.listed)
        more = len(crit.elements) - listed
        extra = f": the unit's {listed}, and {more} more that learners meet, marked +" if more \
            else ""
        click.echo(f"\n{crit.element_label.capitalize()}s ({len(crit.elements)}{extra}):")
        for e in crit.elements:
            mark = " " if e.listed else "+"
            click.echo(f" {mark}{e.id:<22} {e.name}")
            click.echo(click.wrap_text(e.description, 78, initial_indent="      ",
                                       subsequent_indent="      "))
    if crit.rules:
        from evidencegen.text import threshold

        click.echo("\nJudged by:")
        for r in crit.rules:
            click.echo(f"  - {r.summary}: {threshold(r.min, r.max)} (needed for '{r.level}')")
    else:
        click.echo("\nevidencegen records notes you map to this criterion but does not judge it.")


@cli.command()
@click.argument("note", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("-c", "--criterion", "criteria", multiple=True, metavar="AC",
              help="Only this criterion (repeat for more). Default: every judged criterion.")
def explain(note: Path, criteria: tuple[str, ...]) -> None:
    """Show one note sentence by sentence: what counted as evidence, and why not elsewhere.

    A line starting + counted (with the words it rests on and who did it); a line
    starting - was considered and did not count, with the reason (negated, a plan,
    a general statement, someone else, a source, or a word in another sense).

    \b
    Example:
      evidencegen explain my-portfolio/sessions/2026-09-03-catch-up.md
    """
    from evidencegen.explain import explain_note, explain_text

    analysis, lines = explain_note(note, criteria)
    click.echo(f"{note}: {analysis.learner.name}")
    click.echo(explain_text(lines), nl=False)


def _required_key(centre: Path | None, folder: Path) -> Any:
    key = _signing_key(centre, folder)
    if key is None:
        from evidencegen.signing import KEY_ENV

        raise click.UsageError(f"no signing key: give --centre with a centre.yaml that names "
                               f"signing_key, or set {KEY_ENV} (make a key with "
                               "'evidencegen key new PATH')")
    return key


_date_option = click.option(
    "--date", "when", metavar="YYYY-MM-DD",
    help="The date of the decision or countersignature. Default: today.")


def _date(when: str | None) -> Any:
    from evidencegen.schema import parse_date

    if when is None:
        return None
    try:
        return parse_date(when)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--date") from None


@cli.command()
@click.argument("learner_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.argument("ac")
@click.argument("verdict", type=click.Choice(["met", "not-yet"]))
@click.option("--assessor", required=True, help="The assessor's name.")
@click.option("--comments", help="Feedback for the learner.")
@_date_option
@_centre_option
def decide(learner_dir: Path, ac: str, verdict: str, assessor: str, comments: str | None,
           when: str | None, centre: Path | None) -> None:
    """Record an assessor's decision, signed with the centre's key, in feedback.yaml.

    The signature covers the learner, the criterion, the decision, the assessor, the date,
    the comments and the exact text of every file that gave the criterion evidence: an
    edit to any of them afterwards makes the decision an unverified claim.

    \b
    Example:
      evidencegen decide my-portfolio 5.2 met --assessor "Sam Okoro" --centre centre.yaml
    """
    from evidencegen.api import decide as run_decide

    key = _required_key(centre, learner_dir)
    done = run_decide(learner_dir, ac, verdict, assessor, key, comments, _date(when))
    click.echo(f"Recorded {verdict} on {done.subject} in {done.path}, signed over "
               f"{plural(len(done.files), 'file')}:")
    for rel in done.files:
        click.echo(f"  {rel}")


@cli.command()
@click.argument("learner_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.argument("record", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--assessor", required=True, help="The countersigning assessor's name.")
@_date_option
@_centre_option
def sign(learner_dir: Path, record: Path, assessor: str, when: str | None,
         centre: Path | None) -> None:
    """Countersign an observation or witness record, so that it counts.

    The signature, kept in feedback.yaml, covers the record's exact text: an edit after
    signing makes it an unverified claim again.

    \b
    Example:
      evidencegen sign my-portfolio observations/2026-09-22.md --assessor "Sam Okoro"
    """
    from evidencegen.api import countersign

    key = _required_key(centre, learner_dir)
    done = countersign(learner_dir, record, assessor, key, _date(when))
    click.echo(f"Countersigned {done.subject} in {done.path}")


@cli.group()
def key() -> None:
    """The centre's signing key, for decisions and records a learner cannot forge."""


@key.command("new")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--demo", is_flag=True, help="Mark it as a demo key (for samples only).")
def key_new(path: Path, demo: bool) -> None:
    """Make a new random signing key, readable only by you (mode 0600).

    Keep it outside every learner and cohort folder, and name it in centre.yaml
    (signing_key: PATH) or in $EVIDENCEGEN_SIGNING_KEY.

    \b
    Example:
      evidencegen key new ~/centre/evidencegen.key
    """
    from evidencegen.signing import new_key

    made = new_key(path, demo)
    click.echo(f"Made {path} (key {made.key_id}); keep it outside learner folders.")


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
def init(folder: Path) -> None:
    """Make a new learner folder with an example learner.yaml and example notes.

    Every field is explained in comments: open the files in a text editor, replace the
    examples with your own details and notes, then run 'evidencegen build FOLDER'.

    \b
    Example:
      evidencegen init my-portfolio
    """
    from evidencegen.errors import OutputError
    from evidencegen.resources import packaged_dir

    if folder.exists() and any(folder.iterdir()):
        raise OutputError("this folder already has files in it; choose a new folder name", folder)
    starter = Path(__file__).parent / "starter"
    if not starter.is_dir():
        starter = packaged_dir("starter")
    try:
        shutil.copytree(starter, folder, dirs_exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the folder: {exc.strerror}", folder) from None
    click.echo(f"Made {folder}/ with an example learner.yaml and example notes.")
    click.echo(f"Next: edit {folder}/learner.yaml, write your notes, then run:")
    click.echo(f"  evidencegen build {folder}")


def main() -> None:
    """Console entry point. Output a closed pipe cut short ends the run quietly with exit
    code 141, as the shell reports a program stopped by SIGPIPE: a script with
    ``set -o pipefail`` can tell that not all was read, and nobody sees a traceback."""
    try:
        try:
            cli(prog_name="evidencegen")
        finally:
            if sys.stdout is not None:  # None when started with stdout closed (>&-)
                sys.stdout.flush()  # here, not at exit, where an error cannot be caught
    except BrokenPipeError:
        _reader_gone()
        sys.exit(PIPE_CLOSED)


if __name__ == "__main__":  # pragma: no cover
    main()
