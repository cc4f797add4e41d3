"""``kennisbank import``: the rows of a spreadsheet become entries, or cell-precise problems.

Each row is read into front matter and sections (import_values.py), written
as text by the one writer (writer.py) and checked by the checker, exactly as
an entry in the archive would be; every error is traced back to the cell it
came from (``projecten.xlsx:Blad1!C14``). Nothing is written while any row
has errors, unless the bad rows are to be skipped; a row whose id exists,
or that the déjà-vu check of ``new`` finds in the archive, is reported and
skipped; an existing file is never overwritten.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .archive import Archive
from .checker import ERROR, check_source
from .errors import KennisbankError
from .files import atomic_write
from .i18n import _
from .import_mapping import Mapping
from .import_values import RowReader
from .reader import parse_entry_text
from .spreadsheet import Row, Table, read_table
from .writer import render_entry_file


@dataclass
class CellProblem:
    """A problem with one cell (or, without a column, one row): where, which key, what."""

    ref: str
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.ref}: {self.key}: {self.message}" if self.key else f"{self.ref}: {self.message}"


@dataclass
class Planned:
    """A row that passes: the entry it becomes."""

    row: int
    id: str
    path: Path
    text: str
    notes: list[str] = field(default_factory=list)
    place: Any = None  # gemeente as written: one place or a list


@dataclass
class ImportReport:
    table: Table
    columns: list[tuple[str, str, str | None]]  # column letter, header, target
    planned: list[Planned] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)
    bad_rows: set[int] = field(default_factory=set)
    skipped: list[CellProblem] = field(default_factory=list)  # duplicates: reported, not errors
    warnings: list[CellProblem] = field(default_factory=list)  # imported all the same
    written: list[Path] = field(default_factory=list)
    names_dropped: int = 0

    @property
    def failed(self) -> bool:
        return bool(self.bad_rows)


def looks_like_header(mapping: Mapping):
    """Whether a sheet's first row has a column for the title (used to pick the sheet)."""
    return lambda headers: any(mapping.target(str(h)) == "titel" for h in headers)


def plan_import(archive: Archive, path: Path, mapping: Mapping, today: dt.date | None = None,
                similar: bool = True) -> ImportReport:
    """Read ``path`` and turn every row into an entry or problems; nothing is written."""
    today = today or dt.date.today()
    table = read_table(path, mapping.sheet, looks_like_header(mapping))
    columns = [(column, header, mapping.target(header)) for column, header in table.headers.items()]
    report = ImportReport(table, columns)
    if not any(target == "titel" for _c, _h, target in columns) and "titel" not in mapping.fixed:
        raise KennisbankError(
            _("{path}: no column holds the project's name (such as 'Projectnaam' or 'Titel'); found: {headers}")
            .format(path=path.name, headers=", ".join(table.headers.values()) or _("no headers")),
            hint=_("write a mapping file with --write-mapping and point a column at titel"),
        )
    known = {p.stem for p in archive.entry_files()}
    # A duplicate needs a place in common: rows in places the archive does not know skip the déjà-vu search.
    places = set().union(*(_places(entry.meta.gemeente) for entry in archive.check().entries)) if similar else set()
    title_column = next((column for column, _h, target in columns if target == "titel"), None)
    seen: dict[str, int] = {}
    for row in table.rows:
        planned = _plan_row(archive, table, columns, mapping, row, today, report)
        if planned is None:
            continue
        report.names_dropped += any(note.startswith("naam:") for note in planned.notes)
        ref = table.ref(row.number, title_column)
        if planned.id in known or planned.path.exists():
            report.skipped.append(CellProblem(ref, "", _("{path} already exists; row skipped (nothing overwritten)")
                                              .format(path=archive.display_path(planned.path))))
        elif planned.id in seen:
            report.skipped.append(CellProblem(ref, "", _("same id {id} as row {row}; row skipped").format(
                id=planned.id, row=seen[planned.id])))
        elif similar and places & _places(planned.place) and (twin := _deja_vu(archive, planned)):
            report.skipped.append(CellProblem(ref, "", _("looks like the existing entry {id} (the déjà-vu check of "
                                                          "new); row skipped").format(id=twin)))
        else:
            seen[planned.id] = row.number
            report.planned.append(planned)
    return report


def run_import(report: ImportReport, archive: Archive, skip_bad: bool, dry_run: bool) -> ImportReport:
    """Write the planned entries (never overwriting) unless a row is bad and bad rows are not to be skipped."""
    if dry_run or (report.failed and not skip_bad):
        return report
    for planned in report.planned:
        try:
            atomic_write(planned.path, planned.text, exclusive=True)
        except FileExistsError:
            report.skipped.append(CellProblem(report.table.ref(planned.row), "", _(
                "{path} was created by someone else just now; row skipped").format(
                path=archive.display_path(planned.path))))
            continue
        except OSError as exc:
            raise KennisbankError(_("cannot write {path}: {reason}").format(
                path=archive.display_path(planned.path), reason=exc.strerror or exc)) from None
        report.written.append(planned.path)
    return report


def _deja_vu(archive: Archive, planned: Planned) -> str | None:
    """The id of an existing entry this row describes again, if any.

    The candidates are what the déjà-vu check of ``new`` finds for the row's title and summary (the
    same measure and threshold, search.find_similar_text). The check shows look-alikes to a person who
    decides; an import decides alone, so a candidate counts as the same intervention only when the facts
    agree as well: a place in common, and start and end within a year of each other (an unknown or
    open end matches an open one only). A methode done elsewhere, or again later, is not a duplicate.
    """
    if not archive.entry_files():
        return None
    from .search import find_similar_text

    data = parse_entry_text(planned.path, planned.text).data
    results = find_similar_text(archive, f"{data.get('titel', '')}\n{data.get('samenvatting', '')}", limit=5)
    places = _places(data.get("gemeente"))
    periode = data.get("periode") or {}
    for hit in results.hits:
        if places & _places(hit.gemeente) and _near(periode.get("start"), hit.start) and _near(
                periode.get("eind"), hit.eind, open_matches_open=True):
            return hit.id
    return None


def _places(value) -> set[str]:
    from .search.analysis import fold

    items = value if isinstance(value, list) else re.split(r"\s*[,;]\s*", str(value or ""))
    return {fold(str(item)).strip() for item in items if str(item).strip()}


def _near(first, second, open_matches_open: bool = False) -> bool:
    """Whether two dates name years at most one apart (an uncertain date by its own year)."""
    from .dates import date_year

    if first in (None, "") or second in (None, ""):
        return (first in (None, "")) == (second in (None, "")) if open_matches_open else True
    try:
        one, other = date_year(first), date_year(second)
    except ValueError:
        return False
    return one is None or other is None or abs(one - other) <= 1


def _plan_row(archive: Archive, table: Table, columns, mapping: Mapping, row: Row, today: dt.date,
              report: ImportReport) -> Planned | None:
    reader = RowReader(archive.vocabularies, mapping, table, row, today)
    meta, sections, entry_id = reader.read(columns)
    problems = [CellProblem(table.ref(row.number, column), key, message) for column, key, message in reader.problems]
    warnings = [CellProblem(table.ref(row.number, column), key, message) for column, key, message in reader.warnings]
    text = render_entry_file(meta, sections)
    path = archive.entries_dir / f"{entry_id or 'zonder-naam'}.md"
    source = parse_entry_text(path, text)
    _typed, found = check_source(source, path.name, archive.vocabularies, archive.settings.review_interval_days, today)
    given = {problem.key for problem in problems}
    for problem in found:
        if problem.severity != ERROR:
            continue
        key, column = _origin_of(source, problem.line, reader.origin)
        if problem.code == "missing-key" and (named := re.search(r"'([a-z_.]+)'", problem.message)):
            key = named[1]
        if key in given:
            continue  # the value's own problem is reported already
        column = column or reader.column_of.get(key)
        ref = table.ref(row.number, column)
        if column and any(p.ref == ref for p in problems):
            continue  # one message per cell (a stop date taken from the end date repeats its problem)
        message = problem.message.removeprefix(f"{key}: ") if key else problem.message
        problems.append(CellProblem(ref, key or problem.code, message))
    report.warnings.extend(warnings)
    if problems or not entry_id:
        report.problems.extend(problems)
        report.bad_rows.add(row.number)
        return None
    return Planned(row.number, entry_id, path, text, reader.notes, meta.get("gemeente"))


def _origin_of(source, line: int, origin: dict[str, str]) -> tuple[str, str | None]:
    """The key (dotted, at most two levels) written on ``line``, and the column it came from."""
    for section in source.sections:
        if section.line == line:
            return section.title, origin.get(section.title)
    keys = sorted((path for path, at in source.lines.items() if at == line), key=len)
    for path in keys:
        names = [str(part) for part in path if not isinstance(part, int)][:2]
        for depth in (2, 1):
            dotted = ".".join(names[:depth])
            if dotted in origin:
                return dotted, origin[dotted]
    if keys:
        names = [str(part) for part in keys[0] if not isinstance(part, int)][:2]
        return ".".join(names), None
    return "", None


def unmapped(report: ImportReport) -> list[tuple[str, str]]:
    """Columns that no key takes (column letter, header)."""
    return [(column, header) for column, header, target in report.columns if not target]


@dataclass
class RowNotes:
    """The notes of the rows to write, as the command reports them: two kinds counted, the rest by row."""

    summaries: int = 0  # the summary taken from the description
    themes: int = 0  # the themes derived from the row's words
    by_row: list[tuple[str, str]] = field(default_factory=list)  # (cell reference, note)


def row_notes(report: ImportReport, dry_run: bool) -> RowNotes:
    """Sort the planned rows' notes; a dry run shows each row's derived themes instead of counting them,
    and names left out are reported once for all rows (``names_dropped``)."""
    notes = RowNotes()
    for planned in report.planned:
        for note in planned.notes:
            if note.startswith("samenvatting:"):
                notes.summaries += 1
            elif note.startswith("themas:") and not dry_run:
                notes.themes += 1
            elif not note.startswith("naam:"):
                notes.by_row.append((report.table.ref(planned.row), note))
    return notes
