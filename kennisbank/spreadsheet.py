"""Reading the spreadsheets people bring (``.xlsx``, ``.csv``): bounded, never evaluated, every cell with its place.

A file from outside is untrusted. Before anything parses it:

- its size is limited (``MAX_FILE_BYTES``);
- an ``.xlsx`` (a zip) is inspected from its central directory: the number of
  members, their total uncompressed size and the compression ratio are
  limited, so a zip bomb is refused in milliseconds with a Dutch message, and
  an XML member that declares a DOCTYPE or entities (the "billion laughs") is
  refused as well;
- openpyxl opens it read-only with ``data_only=True``: a formula is read as
  the value Excel cached, never computed; dates come as dates.

A ``.csv`` is decoded as UTF-8 (with or without a byte-order mark) or, failing
that, as Windows-1252 (Dutch Excel's "CSV"), and its dialect (semicolons,
commas, tabs) is sniffed. Every cell keeps its reference: ``Blad1!C14`` for a
sheet, ``14:C`` (row 14, column C, the header being row 1) for a CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import KennisbankError
from .i18n import _

MAX_FILE_BYTES = 20 * 1024 * 1024
# An .xlsx: at most this many zip members, this much unpacked, and this ratio of unpacked to packed bytes.
MAX_MEMBERS = 1000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200
MAX_ROWS = 20_000
MAX_COLUMNS = 200
# Member prefixes where a DOCTYPE would be read by the XML parser.
_XML_SNIFF_BYTES = 4096


@dataclass
class Cell:
    """One cell's value (text, number, date or None) and its column letter."""

    value: Any
    column: str


@dataclass
class Row:
    """A data row: its number as the spreadsheet shows it, and its cells by column letter."""

    number: int
    cells: dict[str, Any]


@dataclass
class Table:
    """The header and rows of one sheet (or CSV file)."""

    file: str
    sheet: str | None
    headers: dict[str, str]  # column letter → header text
    header_row: int
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def ref(self, row: int | None, column: str | None = None) -> str:
        """Where a cell is: ``projecten.xlsx:Blad1!C14`` or ``projecten.csv:14:C`` (no column: the whole row)."""
        if self.sheet is not None:
            return f"{self.file}:{self.sheet}!{column or ''}{row if row is not None else ''}"
        if row is None:
            return f"{self.file}"
        return f"{self.file}:{row}" + (f":{column}" if column else "")


class SpreadsheetError(KennisbankError):
    """The file cannot be read as a spreadsheet (too large, a zip bomb, not a spreadsheet at all)."""


def column_letter(index: int) -> str:
    """A (0-based) column index as spreadsheet letters: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_table(path: Path, sheet: str | None = None, is_header=None) -> Table:
    """The first sheet of ``path`` whose header row ``is_header`` accepts (or ``sheet``), as a Table."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SpreadsheetError(_("cannot read {path}: {reason}").format(path=path, reason=exc.strerror or exc)) from None
    if size > MAX_FILE_BYTES:
        raise SpreadsheetError(_("{path} is {size} MB; at most {limit} MB can be imported").format(
            path=path.name, size=f"{size / 1e6:.1f}", limit=MAX_FILE_BYTES // (1024 * 1024)))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet, is_header or (lambda headers: True))
    if suffix in (".csv", ".txt"):
        return _read_csv(path)
    raise SpreadsheetError(
        _("{path}: cannot import this kind of file; give a .xlsx or .csv file").format(path=path.name),
        hint=_("save the spreadsheet as Excel-werkmap (.xlsx) or CSV"),
    )


def check_zip(path: Path) -> None:
    """Refuse an .xlsx that would unpack to too much, or holds XML with a DOCTYPE, before openpyxl opens it."""
    name = path.name
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise SpreadsheetError(_("{path} is not an Excel workbook (.xlsx): the file is damaged or of another kind")
                               .format(path=name)) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise SpreadsheetError(_("{path} holds {count} parts; a workbook has at most {limit}: not imported")
                                   .format(path=name, count=len(members), limit=MAX_MEMBERS))
        unpacked = sum(member.file_size for member in members)
        packed = sum(member.compress_size for member in members) or 1
        if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_RATIO:
            raise SpreadsheetError(
                _("{path} would unpack to {size} MB ({ratio} times its packed size): this looks like a zip bomb "
                  "and is not imported").format(path=name, size=f"{unpacked / 1e6:.0f}", ratio=f"{unpacked / packed:.0f}"),
                hint=_("open the file in a spreadsheet program and save it again as .xlsx"),
            )
        for member in members:
            if not member.filename.endswith((".xml", ".rels", ".vml")):
                continue
            try:
                with archive.open(member) as handle:
                    head = handle.read(_XML_SNIFF_BYTES)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
                raise SpreadsheetError(_("{path} is damaged: part {member} cannot be read").format(
                    path=name, member=member.filename)) from None
            if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
                raise SpreadsheetError(_("{path}: part {member} declares XML entities, which a workbook never needs; "
                                         "not imported").format(path=name, member=member.filename))


def _read_xlsx(path: Path, wanted: str | None, is_header) -> Table:
    check_zip(path)
    import warnings

    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions (data validation, …)
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file: all mean "cannot read"
        raise SpreadsheetError(_("{path} cannot be read as an Excel workbook: {reason}").format(
            path=path.name, reason=str(exc) or type(exc).__name__)) from None
    try:
        names = workbook.sheetnames
        if wanted is not None and wanted not in names:
            raise SpreadsheetError(_("{path} has no sheet {sheet!r}; its sheets: {names}").format(
                path=path.name, sheet=wanted, names=", ".join(names)))
        first: Table | None = None
        for name in [wanted] if wanted else names:
            table = _sheet_table(path.name, name, workbook[name].iter_rows(values_only=True))
            if is_header(list(table.headers.values())):
                return table
            first = first or table
        assert first is not None
        return first
    finally:
        workbook.close()


def _sheet_table(file: str, sheet: str | None, rows) -> Table:
    """The header (the first row with a value) and the data rows after it, each cell by column letter."""
    table: Table | None = None
    for number, values in enumerate(rows, start=1):
        if number > MAX_ROWS + 1:
            raise SpreadsheetError(_("{path}: more than {limit} rows; split the file").format(path=file, limit=MAX_ROWS))
        values = list(values)
        if len(values) > MAX_COLUMNS:
            values, extra = values[:MAX_COLUMNS], values[MAX_COLUMNS:]
            if any(_present(v) for v in extra):
                raise SpreadsheetError(_("{path}: more than {limit} columns; not imported").format(
                    path=file, limit=MAX_COLUMNS))
        cells = {column_letter(i): _clean(v) for i, v in enumerate(values) if _present(v)}
        if not cells:
            continue
        if table is None:
            headers = {column: str(value).strip() for column, value in cells.items()}
            table = Table(file, sheet, headers, number)
            continue
        table.rows.append(Row(number, cells))
    return table or Table(file, sheet, {}, 1)


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _clean(value: Any) -> Any:
    """A cell's value as the importer reads it: text stripped, a date without its midnight time."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dt.datetime) and value.time() == dt.time(0, 0):
        return value.date()
    return value


def _read_csv(path: Path) -> Table:
    raw = path.read_bytes()
    notes = []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
        notes.append(_("{path} is not UTF-8; read as Windows-1252 (as Excel saves CSV)").format(path=path.name))
    if "\x00" in text:
        raise SpreadsheetError(_("{path} is not a text file (it contains NUL bytes); give a .csv or .xlsx file")
                               .format(path=path.name))
    sample = text[:65536]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=";,\t|")
    except csv.Error:
        dialect = csv.excel
        if sample.count(";") > sample.count(","):
            dialect = _Semicolon
    csv.field_size_limit(1_000_000)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), dialect)
        table = _sheet_table(path.name, None, reader)
    except csv.Error as exc:
        raise SpreadsheetError(_("{path} cannot be read as CSV: {reason}").format(path=path.name, reason=exc)) from None
    table.notes = notes
    return table


class _Semicolon(csv.excel):
    delimiter = ";"
