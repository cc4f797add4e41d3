"""The commands that bring material in and keep it fresh: ``import`` (a spreadsheet) and ``review`` (the radar).

Registered on the group of cli.py; like there, each command calls the library and prints.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from .errors import KennisbankError
from .i18n import _, ngettext


@click.command("import", help=_(
    "Turn the rows of a spreadsheet (FILE.xlsx or FILE.csv) into entries, marked as not yet reviewed.\n\n"
    "Columns are recognised by their headers (Projectnaam, Wijk, Startjaar, Status, Reden beëindiging, ...); "
    "a mapping file overrides that. Every problem is shown at its cell: projecten.xlsx:Blad1!C14 for a "
    "workbook, projecten.csv:14:C (row 14, column C) for a CSV. While any row has errors nothing is "
    "written, unless --skip-bad. Existing entries are never overwritten; a row that already is in the "
    "archive (same id, or found by the déjà-vu check of new) is skipped."))
@click.argument("file", metavar=_("FILE"), type=click.Path(dir_okay=False, path_type=Path))
@click.option("--mapping", "mapping_file", type=click.Path(dir_okay=False, path_type=Path),
              help=_("A mapping file (YAML): columns to keys, words to codes, fixed values."))
@click.option("--write-mapping", "write_mapping", type=click.Path(dir_okay=False, path_type=Path),
              help=_("Write the recognised mapping to this file as a starting point, and import nothing."))
@click.option("--dry-run", is_flag=True, help=_("Show what would be written; write nothing."))
@click.option("--skip-bad", is_flag=True, help=_("Write the good rows and skip the rows with errors."))
@click.option("--no-similar", is_flag=True, help=_("Skip the déjà-vu check (only the same id counts as a duplicate)."))
@click.pass_context
def import_(ctx: click.Context, file: Path, mapping_file: Path | None, write_mapping: Path | None, dry_run: bool,
            skip_bad: bool, no_similar: bool) -> None:
    from .files import atomic_write
    from .import_mapping import load_mapping, render_mapping
    from .importer import plan_import, row_notes, run_import, unmapped

    if not file.is_file():
        raise KennisbankError(_("{path} does not exist or is not a file").format(path=file))
    archive = _archive(ctx)
    mapping = load_mapping(mapping_file)
    if write_mapping:
        from .importer import looks_like_header
        from .spreadsheet import read_table

        table = read_table(file, mapping.sheet, looks_like_header(mapping))
        try:
            atomic_write(write_mapping, render_mapping(table.headers, mapping, table.sheet), exclusive=True)
        except FileExistsError:
            raise KennisbankError(_("{path} already exists; it was not changed").format(path=write_mapping)) from None
        click.echo(_("Mapping written to {path}; correct it and import with --mapping {path}").format(path=write_mapping))
        return
    report = plan_import(archive, file, mapping, similar=not no_similar)
    table = report.table
    where = _("sheet {sheet}").format(sheet=table.sheet) if table.sheet else _("CSV")
    click.echo(_("{file} ({where}): {rows}").format(
        file=table.file, where=where, rows=ngettext("{n} row", "{n} rows", len(table.rows)).format(n=len(table.rows))))
    for note in table.notes:
        click.echo(_("note: {note}").format(note=note))
    click.echo(_("Columns:"))
    for column, header, target in report.columns:
        click.echo(f"  {column} {header} → {target or _('(not recognised; skipped)')}")
    for column, header in unmapped(report):
        click.echo(_("note: column {column} ({header}) is not recognised and is skipped; "
                     "map it in a mapping file (--write-mapping)").format(column=column, header=header))
    for problem in report.problems:
        click.echo(str(problem))
    for warning in report.warnings:
        click.echo(_("{where}: warning: {what}").format(where=warning.ref, what=str(warning).removeprefix(warning.ref + ": ")))
    for skipped in report.skipped:
        click.echo(str(skipped))
    notes = row_notes(report, dry_run)
    for where, note in notes.by_row:
        click.echo(_("{where}: note: {note}").format(where=where, note=note))
    themes, summaries = notes.themes, notes.summaries
    if themes:
        click.echo(ngettext(
            "note: in {n} row the themes were derived from the row's words (no theme column); --dry-run shows them",
            "note: in {n} rows the themes were derived from the row's words (no theme column); --dry-run shows them",
            themes).format(n=themes))
    if summaries:
        click.echo(ngettext("note: in {n} row the summary was taken from the description (no summary column)",
                            "note: in {n} rows the summary was taken from the description (no summary column)",
                            summaries).format(n=summaries))
    if report.names_dropped:
        click.echo(ngettext(
            "note: in {n} row the contact person's name was not copied (a personal name needs a consent date); "
            "the entry records the role 'contactpersoon' and the organisation",
            "note: in {n} rows the contact person's name was not copied (a personal name needs a consent date); "
            "the entries record the role 'contactpersoon' and the organisation", report.names_dropped)
            .format(n=report.names_dropped))
    bad = len(report.bad_rows)
    if dry_run:
        for planned in report.planned:
            click.echo(_("would write {path} (row {row})").format(
                path=archive.display_path(planned.path), row=planned.row))
    run_import(report, archive, skip_bad=skip_bad, dry_run=dry_run)
    for path in report.written:
        click.echo(_("written: {path}").format(path=archive.display_path(path)))
    summary = [
        ngettext("{n} row with errors", "{n} rows with errors", bad).format(n=bad),
        ngettext("{n} duplicate skipped", "{n} duplicates skipped", len(report.skipped)).format(n=len(report.skipped)),
    ]
    if dry_run:
        head = ngettext("Dry run: {n} entry would be written", "Dry run: {n} entries would be written",
                        len(report.planned)).format(n=len(report.planned))
        if bad and not skip_bad:
            head = _("Dry run: nothing would be written, because of the rows with errors (or use --skip-bad)")
    elif bad and not skip_bad:
        head = _("Nothing written: fix the rows with errors, or import the good rows with --skip-bad")
    else:
        head = ngettext("{n} entry written (not yet reviewed)", "{n} entries written (not yet reviewed)",
                        len(report.written)).format(n=len(report.written))
    click.echo(head + "; " + ", ".join(summary), err=True)
    if bad and not skip_bad:
        ctx.exit(1)
    if report.written:
        click.echo(_("Next: kennisbank check, then review each entry and set 'beoordeeld: true' "
                     "(kennisbank review lists them)"), err=True)


@click.command(help=_(
    "The review radar: entries due for review, without any knowledge holder, with an old consent, "
    "imported and not yet reviewed, or with relations to entries not in the archive.\n\n"
    "Exit code 1 when anything is due, 0 otherwise."))
@click.option("--json", "as_json", is_flag=True, help=_("Print the findings as JSON."))
@click.pass_context
def review(ctx: click.Context, as_json: bool) -> None:
    from .review import radar, render_text

    archive = _archive(ctx)
    findings = radar(archive)
    if as_json:
        click.echo(json.dumps(findings.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(findings), nl=False)
    if findings.due:
        ctx.exit(1)


def _archive(ctx: click.Context):
    from .archive import Archive

    return Archive.open((ctx.obj or {}).get("directory"))
