"""The command line: a thin skin over the library.

Each command parses its options, calls one library function and prints.
Library errors (``KennisbankError``) become a clean message and exit code.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .errors import KennisbankError, UsageError
from .i18n import _, localise_click, ngettext
from .vocabulary import Vocabulary

if TYPE_CHECKING:
    from .archive import Archive
    from .config import Settings

localise_click()

# Set once `build` has put the site in place: the process may then exit without tidying up (__main__).
site_built = False


def _archive(ctx: click.Context) -> Archive:
    # Imported here: the entry model pulls in pydantic, which a fresh-index search never needs.
    from .archive import Archive

    return Archive.open(ctx.obj.get("directory") if ctx.obj else None)


def _settings(ctx: click.Context) -> Settings:
    """The archive's settings alone (mkdocs.yml), for commands that do not read entries themselves."""
    from .config import load_settings

    return load_settings(ctx.obj.get("directory") if ctx.obj else None)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kennisbank")
@click.option(
    "-C", "--directory", type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Run as if started in this archive folder.",
)
@click.pass_context
def cli(ctx: click.Context, directory: Path | None) -> None:
    """kennisbank: remember what was tried, what it did, and why it stopped.

    Run the commands in an archive (the folder with mkdocs.yml).
    """
    ctx.ensure_object(dict)
    ctx.obj["directory"] = directory


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--naam", help="Site name (default: 'Kennisbank <folder>').")
def init(directory: Path, naam: str | None) -> None:
    """Create a new, empty archive in DIRECTORY."""
    from .scaffold import init_archive

    init_archive(directory, naam)
    click.echo(f"Created an empty archive in {directory}")
    click.echo(f"Next: cd {directory} && kennisbank new")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.pass_context
def check(ctx: click.Context, as_json: bool, strict: bool) -> None:
    """Validate every entry; exit 1 when there are errors (or warnings with --strict)."""
    result = _archive(ctx).check()
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        for problem in result.problems:
            click.echo(str(problem))
        errors, warnings = len(result.errors), len(result.warnings)
        summary = (
            f"{result.files} entr{'y' if result.files == 1 else 'ies'} checked: "
            f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
        )
        click.echo(summary, err=bool(result.problems))
    if result.failed(strict):
        ctx.exit(1)


def _vocabulary_option(vocabulary: Vocabulary, value: str) -> str:
    value = value.strip()
    if value in vocabulary:
        return value
    suggestion = vocabulary.suggest(value)
    hint = f"; did you mean {suggestion!r}?" if suggestion else ""
    raise click.BadParameter(
        f"{value!r} is not a known {vocabulary.label.lower()}; expected one of {', '.join(vocabulary.codes)}{hint}"
    )


def _vocabulary_list(vocabulary: Vocabulary, value: str | list[str]) -> list[str]:
    items = value if isinstance(value, list) else [v for v in value.replace(";", ",").split(",")]
    codes = [_vocabulary_option(vocabulary, item) for item in items if item.strip()]
    if not codes:
        raise click.BadParameter(f"give at least one {vocabulary.label.lower()}")
    return list(dict.fromkeys(codes))


def _as_click(function):
    """Wrap a library validator so click re-asks (prompt) or reports (option) on a bad value."""

    def convert(value):
        try:
            return function(value)
        except UsageError as exc:
            raise click.BadParameter(exc.message) from None

    return convert


@cli.command()
@click.option("--titel", help="Title of the intervention.")
@click.option("--samenvatting", help="One or two sentences, at most 400 characters.")
@click.option("--gemeente", help="Municipality, or 'landelijk'.")
@click.option("--start", help="Start: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--status", help="lopend, gestopt, verduurzaamd, opgeschaald or onbekend.")
@click.option("--thema", "themas", multiple=True, help="Theme (repeatable).")
@click.option("--eind", help="End date; required when the status is gestopt.")
@click.option("--stopreden", "stopredenen", multiple=True, help="Stop reason (repeatable); for gestopt.")
@click.option("--no-input", is_flag=True, help="Never ask; fail when a required answer is missing.")
@click.option("--no-similar", is_flag=True, help="Skip the déjà-vu check for similar entries.")
@click.pass_context
def new(ctx: click.Context, titel, samenvatting, gemeente, start, status, themas, eind, stopredenen, no_input, no_similar) -> None:
    """Create a new entry from a few answers (asks for what is not given)."""
    from .scaffold import NewEntry, check_end, check_summary, check_year, create_entry, refuse_existing

    archive = _archive(ctx)
    vocab = archive.vocabularies
    missing = [
        flag for flag, value in (
            ("--titel", titel), ("--samenvatting", samenvatting), ("--gemeente", gemeente),
            ("--start", start), ("--status", status), ("--thema", themas),
        ) if not value
    ]
    if no_input and missing:
        raise UsageError(f"missing {', '.join(missing)} (with --no-input every required answer must be given as an option)")

    def ask(text: str, value, convert, **kwargs):
        if value:
            try:
                return convert(value)
            except click.BadParameter as exc:
                raise UsageError(f"{text}: {exc.message}") from None
        return click.prompt(text, value_proc=convert, **kwargs)

    def text_value(value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise click.BadParameter("an answer is required")
        return value

    titel = ask("Titel", titel, text_value)
    refuse_existing(archive, titel)
    samenvatting = ask("Samenvatting (max. 400 tekens)", samenvatting, _as_click(check_summary))
    if not no_similar:
        _show_similar(archive, f"{titel}\n{samenvatting}", interactive=not no_input)
    gemeente = ask("Gemeente (of 'landelijk')", gemeente, text_value)
    start = ask("Start (JJJJ of JJJJ-MM)", start, _as_click(check_year))
    status = ask(
        f"Status [{', '.join(vocab['status'].codes)}]", status,
        lambda v: _vocabulary_option(vocab["status"], v),
    )
    themas = ask(
        f"Thema's, met komma's [{', '.join(vocab['themas'].codes)}]", list(themas) or None,
        lambda v: _vocabulary_list(vocab["themas"], v),
    )
    stop_reasons: list[str] = []
    if status == "gestopt":
        if no_input and (not eind or not stopredenen):
            raise UsageError("status gestopt needs --eind and at least one --stopreden")
        eind = ask("Gestopt op (JJJJ of JJJJ-MM)", eind, _as_click(check_end(start)))
        stop_reasons = ask(
            f"Redenen van beëindiging, met komma's [{', '.join(vocab['stopredenen'].codes)}]",
            list(stopredenen) or None, lambda v: _vocabulary_list(vocab["stopredenen"], v),
        )
    elif eind:
        eind = ask("Eind", eind, _as_click(check_end(start)))
    elif stopredenen:
        raise UsageError(f"--stopreden is only for status 'gestopt', not {status!r}")
    answers = NewEntry(titel, samenvatting, gemeente, start, status, themas, eind, stop_reasons)
    path = create_entry(archive, answers)
    click.echo(archive.display_path(path))


def _show_similar(archive: Archive, text: str, interactive: bool) -> None:
    """The déjà-vu check: show what was tried before; interactive mode asks to go on."""
    from .search import find_similar_text

    results = find_similar_text(archive, text, limit=5)
    if not results:
        return
    click.echo("Lijkt op wat al eerder is geprobeerd:", err=True)
    for line in results.describe_lines():
        click.echo(f"  {line}", err=True)
    if interactive and not click.confirm("Toch een nieuwe interventie aanmaken?", default=True, err=True):
        raise click.Abort()


def _emphasis():
    """Bold for matches, only when stdout is a terminal."""
    if sys.stdout.isatty():
        return lambda text: click.style(text, bold=True)
    return str


def _report_skipped(skipped: int) -> None:
    if skipped:
        click.echo(
            f"note: {skipped} entr{'y has' if skipped == 1 else 'ies have'} errors and {'is' if skipped == 1 else 'are'} "
            "not searchable; run `kennisbank check`",
            err=True,
        )


@cli.command()
@click.argument("query", nargs=-1)
@click.option("--thema", "themas", multiple=True, help="Only entries with this theme (repeatable: any of them).")
@click.option("--status", "statuses", multiple=True, help="Only entries with this status (repeatable).")
@click.option("--gemeente", "gemeenten", multiple=True, help="Only entries in this municipality (repeatable).")
@click.option("--uitkomst", "uitkomsten", multiple=True, help="Only entries with this evidence outcome (repeatable).")
@click.option("--stopreden", "stopredenen", multiple=True, help="Only entries stopped for this reason (repeatable).")
@click.option("--van", "start", type=click.IntRange(1000, 9999), help="Only entries running in or after this year.")
@click.option("--tot", "end", type=click.IntRange(1000, 9999), help="Only entries running in or before this year.")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True, help="Number of results.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.pass_context
def search(ctx: click.Context, query, themas, statuses, gemeenten, uitkomsten, stopredenen, start, end, limit, as_json) -> None:
    """Search the entries: words or a question, "a phrase", field:word; filters narrow it down.

    Fields: titel, samenvatting, gemeente, organisaties, and the sections
    context, aanpak, resultaten, gestopt and lessen (lessen:draagvlak).

    Without QUERY it lists the entries that match the filters.
    """
    from .search import render_text, search as run_search

    filters = {"thema": list(themas), "status": list(statuses), "gemeente": list(gemeenten),
               "uitkomst": list(uitkomsten), "stopreden": list(stopredenen)}
    results = run_search(_settings(ctx), " ".join(query), filters, start, end, limit)
    if as_json:
        click.echo(json.dumps(results.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(results, _emphasis()), nl=False)
    _report_skipped(results.skipped)


@cli.command()
@click.argument("entry_id", metavar="ID", required=False)
@click.option("--text", help="Describe a proposal in words instead of naming an entry.")
@click.option("--file", "path", type=click.Path(dir_okay=False, path_type=Path), help="Read the proposal from a file.")
@click.option("--limit", type=click.IntRange(min=1), default=5, show_default=True, help="Number of results.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.pass_context
def similar(ctx: click.Context, entry_id, text, path, limit, as_json) -> None:
    """Entries most like entry ID, or like a proposal (--text/--file): was this tried before, and why did it end?"""
    from .search import find_similar, read_proposal, render_text

    given = [name for name, value in (("ID", entry_id), ("--text", text), ("--file", path)) if value]
    if len(given) != 1:
        raise UsageError("give exactly one of ID, --text or --file" + (f" (got {', '.join(given)})" if given else ""))
    if path:
        text = read_proposal(path)
    results = find_similar(_settings(ctx), entry_id=entry_id, text=text, limit=limit)
    if as_json:
        click.echo(json.dumps(results.to_json(), ensure_ascii=False, indent=2))
    else:
        header = f"Most like {entry_id}:" if entry_id else "Most like this proposal:"
        click.echo(render_text(results, _emphasis(), header=header if results.hits else "No similar entries found."), nl=False)
    _report_skipped(results.skipped)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE instead of stdout.")
@click.pass_context
def export(ctx: click.Context, fmt: str, output: Path | None) -> None:
    """Export all valid entries as open data (JSON or CSV)."""
    from .files import atomic_write
    from .export import export as render

    archive = _archive(ctx)
    result = archive.check()
    text = render(result.entries, fmt)
    if output:
        try:
            atomic_write(output, text)
        except OSError as exc:
            raise KennisbankError(f"cannot write {output}: {exc.strerror or exc}") from None
        click.echo(f"{len(result.entries)} entries written to {output}", err=True)
    else:
        click.echo(text, nl=False)
    if result.errors:
        click.echo(f"warning: {result.files - len(result.entries)} entries with errors were left out; run `kennisbank check`", err=True)


@cli.command()
@click.pass_context
def schema(ctx: click.Context) -> None:
    """Print the JSON Schema of an entry's front matter."""
    from .entry import json_schema

    click.echo(json.dumps(json_schema(_archive(ctx).vocabularies), ensure_ascii=False, indent=2))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Overview: status, themes, stop reasons, evidence, reviews due, lost successes."""
    from .stats import overview, render_text

    archive = _archive(ctx)
    result = archive.check()
    figures = overview(result.entries, archive.settings.review_interval_days)
    if as_json:
        click.echo(json.dumps(figures.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(figures, archive.vocabularies), nl=False)
    if result.errors:
        left_out = result.files - len(result.entries)
        click.echo(f"warning: {left_out} entries with errors are not counted; run `kennisbank check`", err=True)


@cli.command()
@click.option("--strict", is_flag=True, help="Fail on warnings too (entries and MkDocs).")
@click.option("--no-pagefind", is_flag=True, help="Skip the Pagefind search index (faster; search will not work).")
@click.pass_context
def build(ctx: click.Context, strict: bool, no_pagefind: bool) -> None:
    """Validate the entries and build the site into site/ (with its Pagefind index).

    The site is built in a temporary folder and swapped in at the end, so a
    failed or interrupted build leaves the previous site/ as it was.
    """
    from .build import build_site

    archive = _archive(ctx)
    _show_build_log()
    report = build_site(archive, strict=strict, pagefind=not no_pagefind)
    entries = len(report.check.entries)
    left_out = report.check.files - entries
    click.echo(
        f"{entries} entries built into {archive.display_path(report.site_dir)} in {report.seconds:.1f} s"
        + (f"; {left_out} with errors left out" if left_out else "")
        + ("" if report.pagefind else "; no search index (--no-pagefind)"),
        err=True,
    )
    global site_built
    site_built = True


@cli.command()
@click.option("-p", "--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port on 127.0.0.1.")
@click.pass_context
def serve(ctx: click.Context, port: int) -> None:
    """Preview the site on http://127.0.0.1:PORT/; it rebuilds when an entry changes.

    Entries with errors are left out of the preview, with the checker's
    messages on the console, and appear as soon as they are fixed.
    """
    from .build import serve_site

    archive = _archive(ctx)
    _show_build_log()
    serve_site(archive, port=port)


def _show_build_log() -> None:
    """MkDocs' and the plugin's progress on stderr, as `mkdocs build` shows it."""
    import logging

    logger = logging.getLogger("mkdocs")
    if not any(getattr(handler, "_kennisbank", False) for handler in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        handler._kennisbank = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def main() -> None:
    cli(prog_name="kennisbank")
