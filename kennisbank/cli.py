"""The command line: a thin skin over the library.

Each command parses its options, calls one library function and prints.
Library errors (``KennisbankError``, plain exceptions) become click's clean message and their exit code
here, in ``KennisbankGroup``: the library itself knows nothing of click.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .errors import KennisbankError, UsageError
from .i18n import _, localise_click, ngettext
from .progress import use_bar
from .prompts import (
    as_click, deja_vu, existing_id, report_skipped, say, show_terms, vocabulary_list, vocabulary_option,
)

if TYPE_CHECKING:
    from .archive import Archive
    from .config import Settings

localise_click()
use_bar(click.progressbar)  # the library's progress bars are click's (kennisbank/progress.py)

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


class KennisbankGroup(click.Group):
    """The command group; a library error raised while a command runs ends it as a click error."""

    def invoke(self, ctx: click.Context):  # noqa: ANN201 - click's signature
        try:
            return super().invoke(ctx)
        except KennisbankError as exc:
            error = click.ClickException(exc.message)
            error.exit_code = exc.exit_code
            raise error from None


@click.group(
    cls=KennisbankGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=_("kennisbank: remember what was tried, what it did, and why it stopped.\n\n"
           "Run the commands in an archive (the folder with mkdocs.yml)."),
)
@click.version_option(__version__, prog_name="kennisbank")
@click.option(
    "-C", "--directory", type=click.Path(exists=True, file_okay=False, path_type=Path),
    help=_("Run as if started in this archive folder."),
)
@click.pass_context
def cli(ctx: click.Context, directory: Path | None) -> None:
    ctx.ensure_object(dict)
    ctx.obj["directory"] = directory


@cli.command(help=_("Create a new, empty archive in DIRECTORY."))
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--naam", help=_("Site name (default: 'Kennisbank <folder>')."))
def init(directory: Path, naam: str | None) -> None:
    from .scaffold import init_archive

    init_archive(directory, naam)
    click.echo(_("Created an empty archive in {directory}").format(directory=directory))
    click.echo(_("Next: cd {directory} && kennisbank new").format(directory=directory))


@cli.command(help=_("Validate every entry; exit 1 when there are errors (or warnings with --strict)."))
@click.option("--json", "as_json", is_flag=True, help=_("Print the problems as JSON."))
@click.option("--strict", is_flag=True, help=_("Fail on warnings too."))
@click.pass_context
def check(ctx: click.Context, as_json: bool, strict: bool) -> None:
    result = _archive(ctx).check()
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        for problem in result.problems:
            click.echo(str(problem))
        errors, warnings = len(result.errors), len(result.warnings)
        summary = _("{entries} checked: {errors}, {warnings}").format(
            entries=ngettext("{n} entry", "{n} entries", result.files).format(n=result.files),
            errors=ngettext("{n} error", "{n} errors", errors).format(n=errors),
            warnings=ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings),
        )
        click.echo(summary, err=bool(result.problems))
    if result.failed(strict):
        ctx.exit(1)


@cli.command(help=_("Create a new entry from a few answers (asks for what is not given)."))
@click.option("--titel", help=_("Title of the intervention."))
@click.option("--samenvatting", help=_("One or two sentences, at most 400 characters."))
@click.option("--gemeente", help=_("Municipality, or 'landelijk'."))
@click.option("--start", help=_("Start: YYYY, YYYY-MM or YYYY-MM-DD; uncertain: 'ca. 1989', '1995 of 1996', 'eind jaren tachtig', 'onbekend'."))
@click.option("--status", help=_("lopend, gestopt, verduurzaamd, opgeschaald or onbekend."))
@click.option("--thema", "themas", multiple=True, help=_("Theme (repeatable)."))
@click.option("--eind", help=_("End date; required when the status is gestopt."))
@click.option("--stopreden", "stopredenen", multiple=True, help=_("Stop reason (repeatable); for gestopt."))
@click.option("--niveau", help=_("How the effect was studied (evidence design), e.g. monitoring."))
@click.option("--uitkomst", help=_("What the study found (outcome), e.g. positief."))
@click.option("--lijkt-op", "lijkt_op", multiple=True, metavar="ID",
              help=_("An existing entry this one resembles (repeatable)."))
@click.option("--no-input", is_flag=True, help=_("Never ask; fail when a required answer is missing."))
@click.option("--no-similar", is_flag=True, help=_("Skip the déjà-vu check for similar entries."))
@click.pass_context
def new(ctx: click.Context, titel, samenvatting, gemeente, start, status, themas, eind, stopredenen, niveau, uitkomst,
        lijkt_op, no_input, no_similar) -> None:
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
        raise UsageError(_("missing {flags} (with --no-input every required answer must be given as an option)")
                         .format(flags=", ".join(missing)))
    similar_to = [existing_id(archive, entry_id) for entry_id in lijkt_op]

    def ask(text: str, value, convert, **kwargs):
        if value:
            try:
                return convert(value)
            except click.BadParameter as exc:
                raise UsageError(f"{text}: {exc.message}") from None
        return click.prompt(text, value_proc=convert, err=True, **kwargs)

    def choose(name: str, question: str, value, many: bool = False, default: str | None = None):
        vocabulary = vocab[name]
        if not value and not no_input:
            show_terms(vocabulary, question)
        convert = (lambda v: vocabulary_list(vocabulary, v)) if many else (lambda v: vocabulary_option(vocabulary, v))
        if not value and no_input and default is not None:
            return default
        label = _("Numbers or codes, separated by commas") if many else _("Number or code")
        return ask(label, value, convert, **({"default": default} if default is not None else {}))

    def text_value(value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise click.BadParameter(_("an answer is required"))
        return value

    try:
        titel = ask(_("Title"), titel, text_value)
        refuse_existing(archive, titel)
        samenvatting = ask(_("Summary (at most 400 characters)"), samenvatting, as_click(check_summary))
        if not no_similar:
            for entry_id in deja_vu(archive, f"{titel}\n{samenvatting}", interactive=not no_input):
                if entry_id not in similar_to:
                    similar_to.append(entry_id)
        gemeente = ask(_("Municipality (or 'landelijk')"), gemeente, text_value)
        start = ask(_("Start (YYYY or YYYY-MM; uncertain: ca. 1989, 1995 of 1996, onbekend)"), start, as_click(check_year))
        status = choose("status", _("Status: is it still running?"), status)
        themas = choose("themas", _("Themes:"), list(themas) or None, many=True)
        stop_reasons: list[str] = []
        if status == "gestopt":
            if no_input and (not eind or not stopredenen):
                raise UsageError(_("status gestopt needs --eind and at least one --stopreden"))
            eind = ask(_("Stopped on (YYYY or YYYY-MM)"), eind, as_click(check_end(start)))
            stop_reasons = choose("stopredenen", _("Why did it stop?"), list(stopredenen) or None, many=True)
        elif eind:
            eind = ask(_("End"), eind, as_click(check_end(start)))
        elif stopredenen:
            raise UsageError(_("--stopreden is only for status 'gestopt', not {status!r}").format(status=status))
        niveau = choose("niveau", _("Evidence: how was the effect studied?"), niveau, default="geen")
        uitkomst = choose("uitkomst", _("Outcome: what did that show?"), uitkomst, default="onbekend")
    except click.Abort:
        say()
        say(_("Nothing was written."))
        raise
    answers = NewEntry(titel, samenvatting, gemeente, start, status, themas, eind, stop_reasons,
                       niveau=niveau, uitkomst=uitkomst, lijkt_op=similar_to)
    path = create_entry(archive, answers)
    shown = archive.display_path(path)
    click.echo(shown)
    say(_("Written: {path}").format(path=shown))
    say(_("Next:"))
    say("  " + _("1. open {path} and write the sections (the questions in it help you)").format(path=shown))
    say("  " + _("2. kennisbank check    finds what is missing or wrong, with file and line"))
    say("  " + _("3. kennisbank serve    shows the entry on the site as readers will see it"))


def _emphasis():
    """Bold for matches, only when stdout is a terminal."""
    if sys.stdout.isatty():
        return lambda text: click.style(text, bold=True)
    return str


def _left_out(result, what: str) -> None:
    """The warning of commands that use only the valid entries."""
    left_out = result.files - len(result.entries)
    if left_out:
        message = {
            "export": ngettext("warning: {n} entry with errors was left out; run `kennisbank check`",
                               "warning: {n} entries with errors were left out; run `kennisbank check`", left_out),
            "stats": ngettext("warning: {n} entry with errors is not counted; run `kennisbank check`",
                              "warning: {n} entries with errors are not counted; run `kennisbank check`", left_out),
        }[what]
        click.echo(message.format(n=left_out), err=True)


@cli.command(help=_(
    "Search the entries: words or a question, \"a phrase\", field:word; filters narrow it down.\n\n"
    "Fields: titel, samenvatting, gemeente, organisaties, and the sections context, aanpak, resultaten, "
    "gestopt and lessen (lessen:structureel).\n\n"
    "Without QUERY it lists the entries that match the filters."))
@click.argument("query", nargs=-1)
@click.option("--thema", "themas", multiple=True, help=_("Only entries with this theme (repeatable: any of them)."))
@click.option("--status", "statuses", multiple=True, help=_("Only entries with this status (repeatable)."))
@click.option("--gemeente", "gemeenten", multiple=True, help=_("Only entries in this municipality (repeatable)."))
@click.option("--uitkomst", "uitkomsten", multiple=True, help=_("Only entries with this evidence outcome (repeatable)."))
@click.option("--stopreden", "stopredenen", multiple=True, help=_("Only entries stopped for this reason (repeatable)."))
@click.option("--van", "start", type=click.IntRange(1000, 9999), help=_("Only entries running in or after this year."))
@click.option("--tot", "end", type=click.IntRange(1000, 9999), help=_("Only entries running in or before this year."))
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True, help=_("Number of results."))
@click.option("--json", "as_json", is_flag=True, help=_("Print the results as JSON."))
@click.pass_context
def search(ctx: click.Context, query, themas, statuses, gemeenten, uitkomsten, stopredenen, start, end, limit, as_json) -> None:
    from .search import render_text, search as run_search

    filters = {"thema": list(themas), "status": list(statuses), "gemeente": list(gemeenten),
               "uitkomst": list(uitkomsten), "stopreden": list(stopredenen)}
    settings = _settings(ctx)
    results = run_search(settings, " ".join(query), filters, start, end, limit)
    if as_json:
        click.echo(json.dumps(results.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(results, settings.vocabularies, _emphasis()), nl=False)
    report_skipped(results.skipped)


@cli.command(help=_("Entries most like entry ID, or like a proposal (--text/--file): "
                    "was this tried before, and why did it end?"))
@click.argument("entry_id", metavar="ID", required=False)
@click.option("--text", help=_("Describe a proposal in words instead of naming an entry."))
@click.option("--file", "path", type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
              help=_("Read the proposal from a file (.md, .txt, .docx, .pdf or .odt; - reads standard input)."))
@click.option("--limit", type=click.IntRange(min=1), default=5, show_default=True, help=_("Number of results."))
@click.option("--json", "as_json", is_flag=True, help=_("Print the results as JSON."))
@click.pass_context
def similar(ctx: click.Context, entry_id, text, path, limit, as_json) -> None:
    from .plans import read_plan
    from .search import find_similar, render_text

    given = [name for name, value in (("ID", entry_id), ("--text", text), ("--file", path)) if value]
    if len(given) != 1:
        raise UsageError(
            _("give exactly one of ID, --text or --file (got {given})").format(given=", ".join(given)) if given
            else _("give exactly one of ID, --text or --file"))
    settings = _settings(ctx)
    if path:
        text = read_plan(path, settings.max_plan_bytes)
    results = find_similar(settings, entry_id=entry_id, text=text, limit=limit)
    if as_json:
        click.echo(json.dumps(results.to_json(), ensure_ascii=False, indent=2))
    else:
        if not results.hits:
            header = _("No similar entries found.")
        elif entry_id:
            header = _("Most like {id}:").format(id=entry_id)
        else:
            header = _("Most like this proposal:")
        click.echo(render_text(results, settings.vocabularies, _emphasis(), header=header), nl=False)
    report_skipped(results.skipped)


@cli.command(help=_(
    "Export all valid entries as open data (JSON or CSV), or for spreadsheet users (xlsx, or CSV with --excel).\n\n"
    "xlsx: sheets Interventies, Studies and Beëindigingen with Dutch column labels; it imports again with "
    "kennisbank import. --excel: the Interventies sheet as CSV for Dutch Excel (semicolons, byte-order mark, CRLF)."))
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "xlsx"]), default="json", show_default=True,
              help=_("The file format."))
@click.option("--excel", is_flag=True, help=_("With --format csv: for Dutch Excel, with Dutch column labels."))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help=_("Write to FILE instead of stdout."))
@click.pass_context
def export(ctx: click.Context, fmt: str, excel: bool, output: Path | None) -> None:
    from .files import atomic_write
    from .export import export as render

    if excel and fmt != "csv":
        raise UsageError(_("--excel goes with --format csv"))
    if fmt == "xlsx" and not output:
        raise UsageError(_("--format xlsx writes a file: give it with -o FILE.xlsx"))
    archive = _archive(ctx)
    result = archive.check()
    if fmt == "xlsx" or excel:
        from .export_sheets import export_excel_csv, export_xlsx

        data: str | bytes = (export_xlsx if fmt == "xlsx" else export_excel_csv)(result.entries, archive.vocabularies)
    else:
        data = render(result.entries, fmt)
    if output:
        try:
            atomic_write(output, data)
        except OSError as exc:
            raise KennisbankError(_("cannot write {path}: {reason}").format(path=output, reason=exc.strerror or exc)) from None
        click.echo(ngettext("{n} entry written to {path}", "{n} entries written to {path}", len(result.entries))
                   .format(n=len(result.entries), path=output), err=True)
    elif isinstance(data, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        click.echo(data, nl=False)
    _left_out(result, "export")


@cli.command(help=_("Print the JSON Schema of an entry's front matter."))
@click.pass_context
def schema(ctx: click.Context) -> None:
    from .entry import json_schema

    click.echo(json.dumps(json_schema(_archive(ctx).vocabularies), ensure_ascii=False, indent=2))


@cli.command(help=_("Overview: status, themes, stop reasons, evidence, reviews due, lost successes."))
@click.option("--json", "as_json", is_flag=True, help=_("Print the figures as JSON."))
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    from .stats import overview, render_text

    archive = _archive(ctx)
    result = archive.check()
    figures = overview(result.entries, archive.settings.review_interval_days)
    if as_json:
        click.echo(json.dumps(figures.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(figures, archive.vocabularies), nl=False)
    _left_out(result, "stats")


@cli.command(help=_(
    "Validate the entries and build the site into site/ (with its Pagefind index).\n\n"
    "The site is built in a temporary folder and swapped in at the end, so a failed or interrupted "
    "build leaves the previous site/ as it was."))
@click.option("--strict", is_flag=True, help=_("Fail on warnings too (entries and MkDocs)."))
@click.option("--no-pagefind", is_flag=True, help=_("Skip the Pagefind search index (faster; search will not work)."))
@click.pass_context
def build(ctx: click.Context, strict: bool, no_pagefind: bool) -> None:
    from .build import build_site

    archive = _archive(ctx)
    _show_build_log()
    report = build_site(archive, strict=strict, pagefind=not no_pagefind)
    entries = len(report.check.entries)
    left_out = report.check.files - entries
    message = ngettext("{n} entry built into {path} in {seconds} s", "{n} entries built into {path} in {seconds} s",
                       entries).format(n=entries, path=archive.display_path(report.site_dir),
                                       seconds=f"{report.seconds:.1f}")
    if left_out:
        message += "; " + ngettext("{n} with errors left out", "{n} with errors left out", left_out).format(n=left_out)
    if not report.pagefind:
        message += "; " + _("no search index (--no-pagefind)")
    click.echo(message, err=True)
    global site_built
    site_built = True


@cli.command("archive", help=_(
    "Write the built site (site/) as a WARC file, with a manifest of SHA-256 hashes and the entries' "
    "Markdown, for a web archive.\n\n"
    "Run `kennisbank build` first. The pages get addresses under site_url from mkdocs.yml "
    "(http://localhost/ when it is not set). An existing file is never overwritten."))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help=_("The WARC file (default: kennisbank-<date>.warc.gz in the archive; "
                     "a name ending in .warc is written uncompressed)."))
@click.pass_context
def archive_site(ctx: click.Context, output: Path | None) -> None:
    from .warc import write_warc

    report = write_warc(_archive(ctx), output)
    if not report.base_url_configured:
        click.echo(_("no site_url in mkdocs.yml: the pages are archived under {url}").format(url=report.base_url),
                   err=True)
    files = ngettext("{n} file", "{n} files", report.files).format(n=report.files)
    sources = ngettext("{n} source", "{n} sources", report.sources).format(n=report.sources)
    click.echo(_("{files} and {sources} archived in {path} ({megabytes} MB, {seconds} s)").format(
        files=files, sources=sources, path=report.path, megabytes=f"{report.size / 1e6:.1f}",
        seconds=f"{report.seconds:.1f}"), err=True)


@cli.command(help=_(
    "Preview the site on http://127.0.0.1:PORT/; it rebuilds when an entry changes.\n\n"
    "Entries with errors are left out of the preview, with the checker's messages on the console "
    "and on their page, and appear as soon as they are fixed."))
@click.option("-p", "--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help=_("Port on 127.0.0.1."))
@click.pass_context
def serve(ctx: click.Context, port: int) -> None:
    from .build import serve_site

    archive = _archive(ctx)
    _show_build_log()
    serve_site(archive, port=port)


def _show_build_log() -> None:
    """MkDocs' and the plugin's progress on stderr, as `mkdocs build` shows it."""
    import logging

    # ProperDocs (KENNISBANK_ENGINE=properdocs) logs under its own name.
    for name in ("mkdocs", "properdocs"):
        logger = logging.getLogger(name)
        if not any(getattr(handler, "_kennisbank", False) for handler in logger.handlers):
            handler = logging.StreamHandler()
            handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
            handler._kennisbank = True  # type: ignore[attr-defined]
            logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def _more_commands() -> None:
    """The commands kept in modules of their own (cli_plans.py, cli_import.py)."""
    from .cli_import import import_, review
    from .cli_plans import compare, precedent

    for command in (precedent, compare, import_, review):
        cli.add_command(command)


_more_commands()


def main() -> None:
    cli(prog_name="kennisbank")
