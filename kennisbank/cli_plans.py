"""The commands that test a plan against the archive: ``precedent`` and ``compare`` (issue 12).

Registered on the ``cli`` group by cli.py; like the others a thin skin: parse,
call the library (precedent.py, compare.py), print or write.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import click

from .errors import KennisbankError, UsageError
from .i18n import _

FORMATS = ("text", "markdown", "html", "json")
SUFFIX_FORMATS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".json": "json",
                  ".txt": "text"}


def _settings(ctx: click.Context):
    from .config import load_settings

    return load_settings(ctx.obj.get("directory") if ctx.obj else None)


def _terminal() -> tuple[int, bool]:
    """The output's width and whether it is a terminal (bold and the real width only then)."""
    if sys.stdout.isatty():
        return shutil.get_terminal_size((80, 24)).columns, True
    return 80, False


@click.command(help=_(
    "Test a plan against the archive: the past interventions it resembles, as a whole and paragraph by "
    "paragraph, with their outcome, why they stopped, their lessons and who knows more; then the questions "
    "to ask before you start.\n\n"
    "FILE is a plan in .md, .txt, .docx, .pdf or .odt (- reads standard input); or give --text."))
@click.argument("path", metavar=_("FILE"), required=False, type=click.Path(dir_okay=True, path_type=Path, allow_dash=True))
@click.option("--text", help=_("The plan's text instead of a file."))
@click.option("--limit", type=click.IntRange(min=1), default=5, show_default=True, help=_("Number of precedents."))
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help=_("Output format (default: from the -o file's extension, else text)."))
@click.option("--json", "as_json", is_flag=True, help=_("Same as --format json."))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help=_("Write to FILE instead of stdout."))
@click.option("--force", is_flag=True, help=_("Overwrite the -o file when it exists."))
@click.pass_context
def precedent(ctx: click.Context, path: Path | None, text: str | None, limit: int, fmt: str | None, as_json: bool,
              output: Path | None, force: bool) -> None:
    from .plans import read_plan
    from .precedent import find_precedents
    from .render import precedent as render

    if (path is None) == (text is None):
        raise UsageError(_("give exactly one of FILE or --text"))
    if as_json:
        if fmt not in (None, "json"):
            raise UsageError(_("--json and --format {format} contradict each other").format(format=fmt))
        fmt = "json"
    fmt = fmt or (SUFFIX_FORMATS.get(output.suffix.lower(), "text") if output else "text")
    if output is not None and output.exists() and not force:
        raise UsageError(_("{path} exists; choose another name or add --force to overwrite it").format(path=output))
    settings = _settings(ctx)
    if path is not None:
        text = read_plan(path, settings.max_plan_bytes)
        source = _("standard input") if str(path) == "-" else path.name
    else:
        source = _("the given text")
    from .prompts import report_skipped

    briefing = find_precedents(settings, text or "", source, limit)
    data = briefing.to_json()
    width, tty = _terminal()
    if fmt == "json":
        out = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "markdown":
        out = render.render_markdown(data)
    elif fmt == "html":
        out = render.render_html(data)
    else:
        styled = tty and output is None
        out = render.render_text(data, width if styled else 80, (lambda t: click.style(t, bold=True)) if styled else str)
    _write(out, output, force)
    report_skipped(briefing.skipped)


def _write(text: str, output: Path | None, force: bool) -> None:
    from .files import atomic_write

    if output is None:
        click.echo(text, nl=False)
        return
    try:
        atomic_write(output, text, exclusive=not force)
    except FileExistsError:
        raise UsageError(_("{path} exists; choose another name or add --force to overwrite it").format(path=output)) from None
    except OSError as exc:
        raise KennisbankError(_("cannot write {path}: {reason}").format(path=output, reason=exc.strerror or exc)) from None
    click.echo(_("Written: {path}").format(path=output), err=True)


@click.command(help=_(
    "Two to four entries side by side: place, period, approach, evidence, outcome, costs and financing, "
    "stop record and lessons. In columns when the terminal is wide enough, else one after the other."))
@click.argument("ids", metavar="ID ID [ID ...]", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help=_("Print the entries' facts as JSON."))
@click.option("--width", type=click.IntRange(min=20), help=_("Layout width (default: the terminal's, 80 when not a terminal)."))
@click.pass_context
def compare(ctx: click.Context, ids: tuple[str, ...], as_json: bool, width: int | None) -> None:
    from .compare import compared, render_text

    items = compared(_settings(ctx), list(ids))
    if as_json:
        click.echo(json.dumps({"interventies": items}, ensure_ascii=False, indent=2))
        return
    columns, tty = _terminal()
    bold = (lambda t: click.style(t, bold=True)) if tty else str
    click.echo(render_text(items, width or columns, bold), nl=False)
