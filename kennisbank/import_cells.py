"""The cells of a spreadsheet row as entry values: text, dates, knowledge holders, sources, a summary, themes.

Plain functions without state, used by import_values.RowReader (and by the import tests): dates as
people write them (a date cell, 2012, 2012.0, "maart 2012", "1-3-2012", the format's uncertain dates
written as the format writes them), a contact cell read as a role or organisation without a personal
name, the export's one-line forms of knowledge holders and sources read back, and themes guessed from
a row's words when the sheet has no theme column.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .dates import read_date
from .entry import SUMMARY_MAX_LENGTH
from .import_mapping import normalise
from .vocabulary import Vocabulary

_MONTHS = {
    "jan": 1, "januari": 1, "feb": 2, "februari": 2, "mrt": 3, "maart": 3, "apr": 4, "april": 4, "mei": 5,
    "jun": 6, "juni": 6, "jul": 7, "juli": 7, "aug": 8, "augustus": 8, "sep": 9, "sept": 9, "september": 9,
    "okt": 10, "oktober": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
# Where neutralised spreadsheet text starts (export.py's defuse): the apostrophe is taken off again.
_DEFUSED = ("'=", "'+", "'-", "'@", "'\t", "'\r")


def text_of(value: Any) -> str:
    """A cell as text: whole numbers without '.0', dates as YYYY-MM-DD, an export's defusing apostrophe removed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0, 0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    return text[1:] if text.startswith(_DEFUSED) else text


def date_value(value: Any) -> Any:
    """A date cell as the entry format writes it: 2012 (a number), '2012-03', '2012-03-01', or the text as written."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return int(value)
    text = " ".join(text_of(value).split())
    if re.fullmatch(r"\d{4}", text):
        return int(text)
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
    if match:
        return f"{match[1]}-{int(match[2]):02d}"
    match = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text)
    if match:  # Dutch order: day-month-year
        return f"{match[3]}-{int(match[2]):02d}-{int(match[1]):02d}"
    match = re.fullmatch(r"([a-z]+)\.?\s+(\d{4})", text.lower())
    if match and match[1] in _MONTHS:
        return f"{match[2]}-{_MONTHS[match[1]]:02d}"
    match = re.fullmatch(r"(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})", text.lower())
    if match and match[2] in _MONTHS:
        return f"{match[3]}-{_MONTHS[match[2]]:02d}-{int(match[1]):02d}"
    try:  # an uncertain date in the format's own words, written as the format writes it ("1995/1996" → "1995 of 1996")
        return read_date(text).text
    except ValueError:
        return text


def holder(line: str) -> dict[str, Any] | None:
    """A knowledge holder as the export writes one: 'rol (organisatie)', optionally ': naam, toestemming YYYY-MM-DD'.

    The organisation is the last bracketed part, brackets inside it included ('ministerie (voormalig …)')."""
    if not line:
        return None
    holder: dict[str, Any] = {}
    consent = re.search(r":\s*(?P<naam>[^:]+?),\s*toestemming\s+(?P<date>\d{4}-\d{2}-\d{2})$", line)
    if consent:
        line = line[: consent.start()].strip()
    organisation = None
    if line.endswith(")"):
        depth = 0
        for at in range(len(line) - 1, -1, -1):
            depth += {")": 1, "(": -1}.get(line[at], 0)
            if depth == 0:
                if at > 0:
                    organisation, line = line[at + 1: -1].strip(), line[:at].strip()
                break
    holder["rol"] = line
    if organisation:
        holder["organisatie"] = organisation
    if consent:
        holder["naam"] = consent["naam"].strip()
        holder["toestemming"] = consent["date"]
    return holder


_PERSON = re.compile(r"^(?:(?:mw|mevr|mevrouw|dhr|de heer|drs|dr|ir|mr)\.?\s|(?:[A-Z]\.\s?)+\s*[A-Z])")
NOBODY = {"onbekend", "niet bekend", "nvt", "n v t", "geen", "?", "-"}


def contact(text: str) -> dict[str, Any] | None:
    """A contact cell as a knowledge holder without a personal name.

    'mw. A. Koster (Minters)': a person (title or initials) with an organisation in brackets: role
    'contactpersoon' at Minters, the name left out ('_name' marks that). 'wijkregisseur' (lower case): a role.
    'Bibliotheek Schiedam': an organisation. 'onbekend': nobody."""
    text = " ".join(text.split())
    if not text or normalise(text) in NOBODY:
        return None
    bracket = re.search(r"\(([^)]+)\)\s*$", text)
    organisation = bracket[1].strip() if bracket else None
    bare = text[: bracket.start()].strip() if bracket else text
    if _PERSON.match(bare) or "@" in bare:
        holder: dict[str, Any] = {"rol": "contactpersoon", "_name": True}
        if organisation:
            holder["organisatie"] = organisation
        return holder
    if bare[:1].islower():
        return {"rol": bare, **({"organisatie": organisation} if organisation else {})}
    return {"rol": "contactpersoon", "organisatie": text}


def source(line: str) -> dict[str, Any] | None:
    """A source as the export writes one: 'titel (jaar) https://…', year and address optional."""
    if not line:
        return None
    source: dict[str, Any] = {}
    url = re.search(r"\s*(https?://\S+)$", line)
    if url:
        source["url"] = url[1]
        line = line[: url.start()].strip()
    year = re.search(r"\s*\((\d{4})\)$", line)
    if year:
        line = line[: year.start()].strip()
    source["titel"] = line or source.get("url", "")
    if year:
        source["jaar"] = int(year[1])
    if "url" in source:
        source["url"] = source.pop("url")
    return source


def summary_from(sections: dict[str, list[str]]) -> str:
    """A summary from the first description: whole sentences up to the limit."""
    for title in ("Aanpak", "Context", "Resultaten"):
        text = " ".join(" ".join(part for part in sections[title] if not part.startswith("Budget:")).split())
        if not text:
            continue
        if len(text) <= SUMMARY_MAX_LENGTH:
            return text
        sentences = re.split(r"(?<=[.!?])\s+", text)
        summary = ""
        for sentence in sentences:
            if len(summary) + len(sentence) + 1 > SUMMARY_MAX_LENGTH:
                break
            summary = f"{summary} {sentence}".strip()
        return summary or text[: SUMMARY_MAX_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return ""


# The order of the entry format (docs/entry-format.md).
_ORDER = ("titel", "voorbeeld", "samenvatting", "gemeente", "wijken", "periode", "status", "status_volgens",
          "status_bron", "themas", "doelgroepen", "organisaties", "financiering", "bewijs", "beeindiging",
          "beeindigd_in", "relaties", "kennisdragers",
          "bronnen", "laatst_beoordeeld", "beoordeeld", "herkomst")


def ordered(meta: dict[str, Any]) -> dict[str, Any]:
    ordered = {key: meta[key] for key in _ORDER if key in meta}
    if "periode" in ordered:
        ordered["periode"] = {k: ordered["periode"][k] for k in ("start", "eind") if k in ordered["periode"]}
    return ordered


# Words that suggest a theme (normalised stems, matched at the start of a word), for a sheet without a theme column.
THEME_WORDS = {
    "schulden": ("schuld", "geldzorg", "budgetcoach", "huurachterstand", "administratie", "thuisadministratie"),
    "armoede": ("armoede", "energiearmoede", "energierekening", "minima", "voedselbank"),
    "taal": ("taal", "voorlees", "lezen", "laaggeletterd", "nederlands"),
    "onderwijs": ("school", "huiswerk", "brugklas", "leerling", "onderwijs", "zomerschool", "diploma", "les "),
    "jeugd": ("jongere", "jeugd", "kinderen", "kind", "opvoed", "speeltuin", "gezin", "brugklasser", "moeders"),
    "werk": ("werk", "baan", "banen", "uitkering", "werkzoekend", "werkloos", "stage", "leerwerk", "banenmarkt"),
    "gezondheid": ("gezond", "huisarts", "beweg", "sport", "overgewicht", "voeding", "ggd", "fruit"),
    "veiligheid": ("veilig", "overlast", "buurtpreventie", "straatcoach", "toezicht", "bemiddel", "burenruzie", "schouw"),
    "wonen": ("woon", "huur", "corporatie", "portiek", "flat", "klus", "tochtstrip"),
    "zorg": ("ouderen", "zorg", "welzijn", "huisbezoek", "wijkteam", "hulpverlen", "mantelzorg", "75 plus", "chauffeur"),
    "leefbaarheid": ("schoon", "leefbaar", "straatfeest", "groen", "wijkpot", "burendag", "moestuin", "opzoomer"),
    "participatie": ("vrijwillig", "bewoners", "maatje", "buurtgenot", "ontmoet", "huiskamer", "eenza", "inloop"),
    "integratie": ("nieuwkomer", "statushouder", "inburger", "vluchteling", "eigen taal"),
}


def guess_themes(vocabulary: Vocabulary, text: str, limit: int = 3) -> list[str]:
    """Themes the words of ``text`` point at (labels of the archive's own themes count too), most hits first."""
    words = " " + normalise(text) + " "
    hits: dict[str, int] = {}
    for term in vocabulary:
        stems = set(THEME_WORDS.get(term.code, ())) | {normalise(term.label)}
        count = sum(words.count(" " + stem) for stem in stems if stem)
        if count:
            hits[term.code] = count
    return sorted(hits, key=lambda code: (-hits[code], vocabulary.codes.index(code)))[:limit]
