"""Export for spreadsheet users: an Excel workbook (``--format xlsx``) and a CSV that Dutch Excel opens (``--excel``).

Dutch column labels and readable values (vocabulary labels, "ja"/"nee", lists
joined with "; ", knowledge holders and sources one per line), so that an
editor can read and sort it; the labels are among the headers ``kennisbank
import`` recognises, so an exported file imports again. Three sheets:
Interventies (one row per entry, with its sections), Studies (one row per
study of ``bewijs.studies``) and Beëindigingen (the stop of the whole entry and
the stops per place). Every text cell that a spreadsheet would run as a
formula is neutralised by export.defuse, the one function for it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any, Callable, Iterable, Mapping

from .entry import SECTION_TITLES, STOP_SECTION, Entry
from .export import LIST_SEPARATOR, defuse
from .vocabulary import Vocabulary

INTERVENTIES = "Interventies"
STUDIES = "Studies"
STOPS = "Beëindigingen"
_SECTION_LABELS = {STOP_SECTION: "Waarom gestopt (toelichting)"}


def _get(data: Any, *path: str) -> Any:
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _holders(holders: list[dict[str, Any]]) -> str:
    lines = []
    for holder in holders or []:
        line = str(holder.get("rol", ""))
        if holder.get("organisatie"):
            line += f" ({holder['organisatie']})"
        if holder.get("naam") and holder.get("toestemming"):
            line += f": {holder['naam']}, toestemming {holder['toestemming']}"
        lines.append(line)
    return "\n".join(lines)


def _sources(sources: list[dict[str, Any]]) -> str:
    lines = []
    for source in sources or []:
        line = str(source.get("titel", ""))
        if source.get("jaar"):
            line += f" ({source['jaar']})"
        if source.get("url"):
            line += f" {source['url']}"
        lines.append(line)
    return "\n".join(lines)


# A study or a stop per place is one line of fields joined by " | "; the free text comes last, so that
# import splits it off whole (a "|" in it survives).
FIELD_SEPARATOR = " | "


def _studies(studies: list[dict[str, Any]] | None, vocab: Mapping[str, Vocabulary]) -> str:
    """One line per study: jaar | ontwerp | uitkomst | meetniveau | url | bron."""
    return "\n".join(FIELD_SEPARATOR.join([
        str(study.get("jaar") or ""), vocab["niveau"].label_of(study.get("ontwerp", "")),
        vocab["uitkomst"].label_of(study.get("uitkomst", "")),
        vocab["schaal"].label_of(study["schaal"]) if study.get("schaal") else "", study.get("url") or "",
        str(study.get("bron", "")),
    ]) for study in studies or [])


def _place_stops(stops: list[dict[str, Any]] | None, vocab: Mapping[str, Vocabulary]) -> str:
    """One line per stop in one place: plaats | datum | redenen | toelichting."""
    return "\n".join(FIELD_SEPARATOR.join([
        str(stop.get("plaats", "")), str(stop.get("datum", "")),
        LIST_SEPARATOR.join(vocab["stopredenen"].label_of(code) for code in stop.get("redenen") or []),
        str(stop.get("toelichting") or ""),
    ]) for stop in stops or [])


def intervention_columns(vocab: Mapping[str, Vocabulary]) -> list[tuple[str, Callable[[dict, Entry], Any]]]:
    """(Dutch label, value of an entry's open data) for every column of the Interventies sheet."""

    def label(name: str, *path: str):
        def value(data: dict, _entry: Entry) -> Any:
            found = _get(data, *path)
            if isinstance(found, list):
                return LIST_SEPARATOR.join(vocab[name].label_of(code) for code in found)
            return vocab[name].label_of(found) if found is not None else None
        return value

    def plain(*path: str):
        def value(data: dict, _entry: Entry) -> Any:
            found = _get(data, *path)
            if isinstance(found, list):
                return LIST_SEPARATOR.join(str(item) for item in found)
            if isinstance(found, bool):
                return "ja" if found else "nee"
            return found
        return value

    def section(title: str):
        return lambda _data, entry: entry.section_text(title) or None

    return [
        ("Kenmerk", plain("id")), ("Titel", plain("titel")), ("Samenvatting", plain("samenvatting")),
        ("Gemeente", plain("gemeente")), ("Wijken", plain("wijken")),
        ("Begindatum", plain("periode", "start")), ("Einddatum", plain("periode", "eind")),
        ("Status", label("status", "status")), ("Status volgens", plain("status_volgens")),
        ("Status bron", plain("status_bron")),
        ("Thema's", label("themas", "themas")), ("Doelgroepen", label("doelgroepen", "doelgroepen")),
        ("Organisaties", plain("organisaties")),
        ("Soort financiering", label("financiering", "financiering", "soort")),
        ("Financiers", plain("financiering", "bronnen")), ("Vervolgplan", plain("financiering", "vervolgplan")),
        ("Onderzoeksopzet", label("niveau", "bewijs", "niveau")), ("Uitkomst", label("uitkomst", "bewijs", "uitkomst")),
        ("Meetniveau", label("schaal", "bewijs", "schaal")), ("Erkenning", label("erkenning", "bewijs", "erkenning")),
        ("Effect na jaren", plain("bewijs", "effect_na_jaren")),
        ("Datum beëindiging", plain("beeindiging", "datum")),
        ("Redenen beëindiging", label("stopredenen", "beeindiging", "redenen")),
        ("Besloten door", plain("beeindiging", "besloten_door")),
        ("Beëindigd in", lambda data, _e: _place_stops(data.get("beeindigd_in"), vocab) or None),
        ("Studies", lambda data, _e: _studies(_get(data, "bewijs", "studies"), vocab) or None),
        ("Voorganger", plain("relaties", "voorganger")), ("Opvolger", plain("relaties", "opvolger")),
        ("Opgegaan in", plain("relaties", "opgegaan_in")), ("Lijkt op", plain("relaties", "lijkt_op")),
        ("Heruitgevonden als", plain("relaties", "heruitgevonden_als")), ("Methode", plain("relaties", "methode")),
        ("Kennisdragers", lambda data, _e: _holders(data.get("kennisdragers")) or None),
        ("Bronnen", lambda data, _e: _sources(data.get("bronnen")) or None),
        ("Laatst beoordeeld", lambda _d, entry: entry.meta.laatst_beoordeeld),
        ("Voorbeeld", lambda data, _e: "ja" if data.get("voorbeeld") else None),
        *((_SECTION_LABELS.get(title, title), section(title)) for title in SECTION_TITLES),
    ]


def tables(entries: Iterable[Entry], vocab: Mapping[str, Vocabulary]) -> dict[str, list[list[Any]]]:
    """Each sheet's rows, the first being the header; cells as Python values (text, numbers, dates)."""
    columns = intervention_columns(vocab)
    sheets: dict[str, list[list[Any]]] = {
        INTERVENTIES: [[name for name, _value in columns]],
        STUDIES: [["Kenmerk", "Titel", "Jaar", "Onderzoeksopzet", "Uitkomst", "Meetniveau", "Bron", "URL"]],
        STOPS: [["Kenmerk", "Titel", "Geldt voor", "Plaats", "Datum", "Redenen", "Besloten door", "Toelichting"]],
    }
    for entry in entries:
        data = entry.to_data(sections=False)
        sheets[INTERVENTIES].append([value(data, entry) for _name, value in columns])
        for study in _get(data, "bewijs", "studies") or []:
            sheets[STUDIES].append([
                entry.id, data["titel"], study.get("jaar"), vocab["niveau"].label_of(study.get("ontwerp", "")),
                vocab["uitkomst"].label_of(study.get("uitkomst", "")),
                vocab["schaal"].label_of(study["schaal"]) if study.get("schaal") else None,
                study.get("bron"), study.get("url"),
            ])
        reasons = lambda codes: LIST_SEPARATOR.join(vocab["stopredenen"].label_of(c) for c in codes or [])  # noqa: E731
        if data.get("beeindiging"):
            stop = data["beeindiging"]
            place = data.get("gemeente")
            sheets[STOPS].append([
                entry.id, data["titel"], "hele interventie",
                LIST_SEPARATOR.join(place) if isinstance(place, list) else place,
                stop.get("datum"), reasons(stop.get("redenen")), stop.get("besloten_door"), None,
            ])
        for stop in data.get("beeindigd_in") or []:
            sheets[STOPS].append([
                entry.id, data["titel"], "één plaats", stop.get("plaats"), stop.get("datum"),
                reasons(stop.get("redenen")), None, stop.get("toelichting"),
            ])
    return {name: [[_cell(value) for value in row] for row in rows] for name, rows in sheets.items()}


def _cell(value: Any) -> Any:
    """A value as a cell: text neutralised, a list joined, nothing as an empty cell."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float, dt.date)) and not isinstance(value, bool):
        return value
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(map(str, value))
    return defuse(str(value))


def export_xlsx(entries: Iterable[Entry], vocab: Mapping[str, Vocabulary]) -> bytes:
    """The workbook: three sheets, a bold frozen header row with a filter, readable column widths."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, rows in tables(entries, vocab).items():
        sheet = workbook.create_sheet(name)
        sheet.freeze_panes = "A2"
        for index, header in enumerate(rows[0], start=1):
            longest = max((_width(row[index - 1]) for row in rows), default=10)
            sheet.column_dimensions[get_column_letter(index)].width = max(10, min(longest + 2, 60))
        header_cells = []
        for header in rows[0]:
            cell = WriteOnlyCell(sheet, value=header)
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        wrap = Alignment(wrap_text=True, vertical="top")
        for row in rows[1:]:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str) and "\n" in value:
                    cell.alignment = wrap
                elif isinstance(value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            sheet.append(cells)
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(rows[0]))}{max(len(rows), 1)}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 10
    return max((len(line) for line in str(value).split("\n")), default=0)


def export_excel_csv(entries: Iterable[Entry], vocab: Mapping[str, Vocabulary]) -> bytes:
    """The Interventies sheet as a CSV for Dutch Excel: UTF-8 with a byte-order mark, semicolons, CRLF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for row in tables(entries, vocab)[INTERVENTIES]:
        writer.writerow(["" if value is None else value.isoformat() if isinstance(value, dt.date) else value
                         for value in row])
    # Line breaks inside a cell stay as CRLF too, as Excel writes them.
    return ("\ufeff" + buffer.getvalue().replace("\r\n", "\n").replace("\n", "\r\n")).encode("utf-8")
