"""Open data: all entries as JSON or CSV (also published under site/data/)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Iterable

from .entry import Entry

CSV_COLUMNS = (
    "id", "titel", "samenvatting", "gemeente", "wijken", "periode.start", "periode.eind", "status", "themas",
    "doelgroepen", "organisaties", "financiering.soort", "financiering.bronnen", "financiering.vervolgplan",
    "bewijs.niveau", "bewijs.uitkomst", "bewijs.schaal", "bewijs.erkenning", "bewijs.effect_na_jaren",
    "beeindiging.datum", "beeindiging.redenen", "beeindiging.besloten_door", "relaties.voorganger",
    "relaties.opvolger", "relaties.opgegaan_in", "relaties.lijkt_op", "relaties.heruitgevonden_als",
    "laatst_beoordeeld", "voorbeeld",
    # Issue 11: what sources say. Studies and stops per place in one readable cell each.
    "status_volgens", "status_bron", "relaties.methode", "bewijs.studies", "beeindigd_in",
    # Issue 11: an import not yet reviewed (false), and the file and row it came from.
    "beoordeeld", "herkomst.bestand", "herkomst.blad", "herkomst.rij", "herkomst.geimporteerd",
)
LIST_SEPARATOR = "; "


def export_json(entries: Iterable[Entry]) -> str:
    data = [entry.to_data(sections=True) for entry in entries]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _flat(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(_flat(v) for v in value)
    if isinstance(value, dict):
        # A study or a stop: its values in the format's order, lists joined with commas.
        return ", ".join(_flat(v).replace(LIST_SEPARATOR, ", ") for v in value.values() if v not in (None, [], ""))
    return str(value)


def _lookup(data: dict[str, Any], dotted: str) -> Any:
    for key in dotted.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def export_csv(entries: Iterable[Entry]) -> str:
    """One row per entry; lists joined with '; '. Formula-like cells are defused for spreadsheets."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        data = entry.to_data(sections=False)
        writer.writerow([defuse(_flat(_lookup(data, column))) for column in CSV_COLUMNS])
    return buffer.getvalue()


def defuse(cell: str) -> str:
    """Prefix cells a spreadsheet would run as a formula (CSV injection): the one neutralising function.

    Used by the open-data CSV and by export_sheets.py (xlsx, CSV for Excel); ``kennisbank import``
    takes the apostrophe off again (import_values.text_of)."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(cell) else cell


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def export(entries: Iterable[Entry], fmt: str) -> str:
    return export_json(entries) if fmt == "json" else export_csv(entries)
