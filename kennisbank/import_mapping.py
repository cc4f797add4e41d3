"""How ``kennisbank import`` reads a spreadsheet: which column is which key, and which words mean which code.

Headers are matched after normalising (lowercase, no accents, no punctuation,
single spaces) against the synonyms below; a mapping file (YAML, written with
``--write-mapping`` as a starting point) overrides them::

    kolommen:            # header as written → key, section title, or null (skip)
      Projectnaam: titel
      Omschrijving: Aanpak
      Interne code: null
    waarden:             # per vocabulary: words as written → code
      stopredenen:
        aanbesteding verloren: financiering-afgelopen
    vast:                # values for every row, where the sheet has none
      gemeente: Rotterdam
      themas: [participatie]
    blad: Projecten      # the sheet to read (default: the first with a title column)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .entry import SECTION_TITLES
from .errors import UsageError
from .i18n import _
from .search.analysis import fold

# What a column can hold: a key of the entry (some of them read specially) or a section.
TARGETS = (
    "id", "titel", "samenvatting", "gemeente", "wijken", "periode.start", "periode.eind", "status",
    "status_volgens", "status_bron", "themas", "doelgroepen", "organisaties", "financiering.soort", "financiering.bronnen",
    "financiering.vervolgplan", "budget", "bewijs.niveau", "bewijs.uitkomst", "bewijs.schaal",
    "bewijs.erkenning", "bewijs.effect_na_jaren", "beeindiging.datum", "beeindiging.redenen",
    "beeindiging.besloten_door", "beeindigd_in", "bewijs.studies", "relaties.voorganger", "relaties.opvolger", "relaties.opgegaan_in",
    "relaties.lijkt_op", "relaties.heruitgevonden_als", "relaties.methode", "contactpersoon", "kennisdragers",
    "bronnen", "laatst_beoordeeld", "voorbeeld", *SECTION_TITLES,
)

# Normalised header → target. The export's column labels are among them, so an export imports again.
HEADER_SYNONYMS: dict[str, str] = {}
for _target, _names in {
    "id": ["id", "kenmerk", "code"],
    "titel": ["titel", "projectnaam", "naam project", "naam van het project", "project", "naam", "interventie",
              "projecttitel", "naam interventie", "activiteit"],
    "samenvatting": ["samenvatting", "korte omschrijving", "korte beschrijving", "doel", "doelstelling"],
    "gemeente": ["gemeente", "gemeenten", "plaats", "stad", "plaatsen", "gemeente n"],
    "wijken": ["wijk", "wijken", "buurt", "buurten", "stadsdeel", "wijk en", "locatie", "gebied"],
    "periode.start": ["startjaar", "begindatum", "start", "startdatum", "begin", "begonnen", "jaar start",
                      "vanaf", "gestart", "begonnen in", "start periode"],
    "periode.eind": ["einddatum", "eindjaar", "eind", "einde", "tot", "gestopt in", "stopdatum", "afgerond in",
                     "eind periode"],
    "status": ["status", "stand van zaken", "loopt nog", "huidige status"],
    "status_volgens": ["status volgens", "status per", "peildatum status"],
    "status_bron": ["status bron", "bron status"],
    "themas": ["thema", "themas", "thema s", "beleidsveld", "beleidsterrein", "domein"],
    "doelgroepen": ["doelgroep", "doelgroepen"],
    "organisaties": ["organisatie", "organisaties", "uitvoerder", "uitvoerders", "uitvoerende organisatie",
                     "partners", "trekker", "aanbieder"],
    "financiering.soort": ["soort financiering", "type financiering", "financieringsvorm"],
    "financiering.bronnen": ["financier", "financiers", "financiering", "geldgever", "subsidiegever", "bekostiging"],
    "financiering.vervolgplan": ["vervolgplan"],
    "budget": ["budget", "kosten", "begroting", "bedrag", "budget eur", "budget euro"],
    "bewijs.niveau": ["onderzoek", "onderzoeksopzet", "evaluatie", "onderzoek evaluatie", "type onderzoek",
                      "bewijs"],
    "bewijs.uitkomst": ["uitkomst", "effect", "effectiviteit", "uitkomst onderzoek"],
    "bewijs.schaal": ["meetniveau", "schaal"],
    "bewijs.erkenning": ["erkenning"],
    "bewijs.effect_na_jaren": ["effect na jaren", "effect verwacht na jaren"],
    "beeindiging.datum": ["datum beeindiging", "gestopt op", "beeindigd op"],
    "beeindiging.redenen": ["reden beeindiging", "redenen beeindiging", "reden", "reden stoppen",
                            "reden gestopt", "stopreden", "stopredenen", "waarom gestopt", "reden van beeindiging"],
    "beeindiging.besloten_door": ["besloten door", "besluit door", "gestopt door"],
    "beeindigd_in": ["beeindigd in", "gestopt in plaatsen", "beeindigingen per plaats"],
    "bewijs.studies": ["studies", "onderzoeken"],
    "relaties.voorganger": ["voorganger"],
    "relaties.opvolger": ["opvolger"],
    "relaties.opgegaan_in": ["opgegaan in"],
    "relaties.lijkt_op": ["lijkt op"],
    "relaties.heruitgevonden_als": ["heruitgevonden als"],
    "relaties.methode": ["methode", "uitvoering van de methode"],
    "contactpersoon": ["contactpersoon", "contact", "contactpersonen", "projectleider", "aanspreekpunt"],
    "kennisdragers": ["kennisdragers", "kennisdrager"],
    "bronnen": ["bronnen", "bron", "link", "website", "url", "rapport", "documentatie"],
    "laatst_beoordeeld": ["laatst beoordeeld"],
    "voorbeeld": ["voorbeeld"],
    "Context": ["context", "aanleiding", "probleem", "achtergrond", "probleemstelling"],
    "Aanpak": ["aanpak", "omschrijving", "beschrijving", "werkwijze", "activiteiten", "omschrijving project"],
    "Resultaten": ["resultaten", "resultaat", "effecten", "opbrengst", "bereik", "resultaten en effecten"],
    "Waarom gestopt": ["waarom gestopt toelichting", "toelichting beeindiging", "toelichting stoppen"],
    "Lessen": ["lessen", "opmerkingen", "geleerde lessen", "leerpunten", "opmerking", "toelichting", "notities"],
}.items():
    for _name in _names:
        HEADER_SYNONYMS[_name] = _target

# Per vocabulary: words people write (normalised) → code. Codes and labels of the archive always count too.
VALUE_SYNONYMS: dict[str, dict[str, str]] = {
    "status": {
        "loopt nog": "lopend", "loopt": "lopend", "actief": "lopend", "lopend": "lopend", "ja": "lopend",
        "in uitvoering": "lopend", "nog bezig": "lopend", "bezig": "lopend", "gestart": "lopend",
        "gestopt": "gestopt", "beeindigd": "gestopt", "gestaakt": "gestopt", "stopgezet": "gestopt",
        "afgerond": "gestopt", "afgelopen": "gestopt", "niet meer": "gestopt", "nee": "gestopt", "voorbij": "gestopt",
        "structureel": "verduurzaamd", "geborgd": "verduurzaamd", "regulier": "verduurzaamd",
        "structureel gemaakt": "verduurzaamd", "in regulier werk": "verduurzaamd", "verduurzaamd": "verduurzaamd",
        "uitgebreid": "opgeschaald", "opgeschaald": "opgeschaald", "uitgerold": "opgeschaald",
        "onbekend": "onbekend", "weet niet": "onbekend", "?": "onbekend", "onduidelijk": "onbekend",
    },
    "stopredenen": {
        "subsidie afgelopen": "financiering-afgelopen", "subsidie gestopt": "financiering-afgelopen",
        "subsidie op": "financiering-afgelopen", "geld op": "financiering-afgelopen",
        "financiering afgelopen": "financiering-afgelopen", "financiering gestopt": "financiering-afgelopen",
        "projectgeld op": "financiering-afgelopen", "einde subsidie": "financiering-afgelopen",
        "geen subsidie meer": "financiering-afgelopen", "tijdelijk geld op": "financiering-afgelopen",
        "bezuiniging": "bezuiniging", "bezuinigingen": "bezuiniging", "bezuinigd": "bezuiniging",
        "budget geschrapt": "bezuiniging", "trekker vertrokken": "trekker-vertrokken", "trekker weg": "trekker-vertrokken",
        "projectleider vertrokken": "trekker-vertrokken", "coordinator vertrokken": "trekker-vertrokken",
        "geen effect": "geen-effect", "niet effectief": "geen-effect", "werkte niet": "geen-effect",
        "doel bereikt": "doel-bereikt", "klaar": "doel-bereikt", "nieuw beleid": "beleidswijziging",
        "beleidswijziging": "beleidswijziging", "politieke keuze": "beleidswijziging", "nieuw college": "beleidswijziging",
        "andere prioriteiten": "beleidswijziging", "opgegaan in ander programma": "opgegaan-in-ander",
        "opgegaan in": "opgegaan-in-ander", "overgegaan in": "opgegaan-in-ander", "samengevoegd": "opgegaan-in-ander",
        "opgenomen in": "opgegaan-in-ander", "te veel administratie": "verantwoordingslast",
        "bureaucratie": "verantwoordingslast", "verantwoording": "verantwoordingslast",
        "geen draagvlak": "gebrek-aan-draagvlak", "haakten af": "gebrek-aan-draagvlak", "afgehaakt": "gebrek-aan-draagvlak",
        "papierwerk": "verantwoordingslast", "geen resultaat": "geen-effect", "regeling veranderd": "beleidswijziging",
        "regeling afgeschaft": "beleidswijziging", "andere keuzes": "beleidswijziging", "coalitie": "beleidswijziging", "te weinig deelnemers": "gebrek-aan-draagvlak",
        "weinig animo": "gebrek-aan-draagvlak", "geen animo": "gebrek-aan-draagvlak", "onbekend": "onbekend",
    },
    "niveau": {
        "geen": "geen", "nee": "geen", "niet onderzocht": "geen", "geen onderzoek": "geen", "-": "geen",
        "ervaringen": "praktijkervaring", "praktijk": "praktijkervaring", "interviews": "praktijkervaring",
        "procesevaluatie": "praktijkervaring", "tevredenheidsonderzoek": "praktijkervaring",
        "monitor": "monitoring", "monitoring": "monitoring", "registratie": "monitoring", "cijfers": "monitoring",
        "voor en nameting": "voor-en-nameting", "nulmeting en nameting": "voor-en-nameting",
        "effectevaluatie": "voor-en-nameting", "voor en nameting zonder controlegroep": "voor-en-nameting",
        "vergelijkingsgroep": "quasi-experimenteel", "controlewijk": "quasi-experimenteel",
        "quasi experimenteel": "quasi-experimenteel", "rct": "experimenteel", "gerandomiseerd": "experimenteel",
        "experiment": "experimenteel", "evaluatie": "praktijkervaring", "rekenkamer": "praktijkervaring",
        "metingen": "monitoring", "monitor": "monitoring",
        "vragenlijst voor na": "voor-en-nameting", "voor na": "voor-en-nameting",
    },
    "uitkomst": {
        "positief": "positief", "effectief": "positief", "succesvol": "positief", "goed": "positief",
        "gemengd": "gemengd", "wisselend": "gemengd", "deels": "gemengd", "geen effect": "geen-effect",
        "niet effectief": "geen-effect", "negatief": "negatief", "te vroeg": "te-vroeg", "onbekend": "onbekend",
        "nog niet bekend": "te-vroeg",
    },
    "financiering": {
        "subsidie": "tijdelijk", "projectgeld": "tijdelijk", "incidenteel": "tijdelijk", "tijdelijk": "tijdelijk",
        "structureel": "structureel", "regulier": "structureel", "begroting": "structureel", "gemengd": "gemengd",
    },
    "doelgroepen": {
        "statushouders": "nieuwkomers", "migranten": "nieuwkomers", "jeugd": "jongeren", "senioren": "ouderen",
        "bewoners": "bewoners", "buurtbewoners": "bewoners", "werklozen": "werkzoekenden",
        "uitkeringsgerechtigden": "werkzoekenden", "huurders": "huurders", "gezinnen": "gezinnen",
    },
    "themas": {"jongeren": "jeugd", "schuldhulp": "schulden", "taalles": "taal", "sociale cohesie": "participatie",
               "welzijn": "zorg", "buurt": "leefbaarheid", "arbeidsmarkt": "werk", "inburgering": "integratie"},
}
# The vocabulary of each key that holds codes.
VOCABULARY_OF = {
    "status": "status", "themas": "themas", "doelgroepen": "doelgroepen", "financiering.soort": "financiering",
    "bewijs.niveau": "niveau", "bewijs.uitkomst": "uitkomst", "bewijs.schaal": "schaal",
    "bewijs.erkenning": "erkenning", "beeindiging.redenen": "stopredenen",
}


def normalise(text: str) -> str:
    """A header or value as it is compared: lowercase, no accents, punctuation as spaces, single spaces."""
    return " ".join(re.sub(r"[^a-z0-9?]+", " ", fold(str(text))).split())


@dataclass
class Mapping:
    """Columns to targets, extra value words, fixed values and the sheet: the defaults and a mapping file's."""

    columns: dict[str, str | None] = field(default_factory=dict)  # header as written → target (None: skip)
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # vocabulary → normalised words → code
    fixed: dict[str, Any] = field(default_factory=dict)
    sheet: str | None = None

    def target(self, header: str) -> str | None:
        """The key or section of a column; None when it is not known (or skipped)."""
        if header in self.columns:
            return self.columns[header]
        by_normal = {normalise(h): t for h, t in self.columns.items()}
        key = normalise(header)
        if key in by_normal:
            return by_normal[key]
        return HEADER_SYNONYMS.get(key)

    def word(self, vocabulary: str, value: str) -> str | None:
        """The code that the (normalised) word ``value`` stands for in ``vocabulary``, if the mapping knows it."""
        key = normalise(value)
        return self.values.get(vocabulary, {}).get(key) or VALUE_SYNONYMS.get(vocabulary, {}).get(key)


def load_mapping(path: Path | None) -> Mapping:
    """The mapping file (safe YAML), checked; an empty Mapping without a file."""
    if path is None:
        return Mapping()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(_("cannot read the mapping file {path}: {reason}").format(path=path, reason=exc)) from None
    except yaml.YAMLError as exc:
        raise UsageError(_("the mapping file {path} is not valid YAML: {reason}").format(path=path, reason=exc)) from None
    if not isinstance(data, dict):
        raise UsageError(_("the mapping file {path} must hold keys kolommen, waarden, vast or blad").format(path=path))
    problems = []
    unknown = sorted(set(map(str, data)) - {"kolommen", "waarden", "vast", "blad"})
    if unknown:
        problems.append(_("unknown keys {keys}; expected kolommen, waarden, vast, blad").format(keys=", ".join(unknown)))
    columns = data.get("kolommen") or {}
    if not isinstance(columns, dict):
        problems.append(_("kolommen: expected a mapping of header → key"))
        columns = {}
    for header, target in columns.items():
        if target is not None and target not in TARGETS:
            problems.append(_("kolommen: {header!r} → {target!r} is not a key or section; expected one of {targets}")
                            .format(header=header, target=target, targets=", ".join(TARGETS)))
    values = data.get("waarden") or {}
    if not isinstance(values, dict) or not all(isinstance(v, dict) for v in values.values()):
        problems.append(_("waarden: expected per vocabulary a mapping of words → code"))
        values = {}
    fixed = data.get("vast") or {}
    if not isinstance(fixed, dict):
        problems.append(_("vast: expected a mapping of key → value"))
        fixed = {}
    for key in fixed:
        if key not in TARGETS:
            problems.append(_("vast: {key!r} is not a key; expected one of {targets}").format(
                key=key, targets=", ".join(TARGETS)))
    if problems:
        raise UsageError(_("the mapping file {path} has problems:").format(path=path) + "\n  " + "\n  ".join(problems))
    return Mapping(
        columns={str(h): (str(t) if t is not None else None) for h, t in columns.items()},
        values={str(v): {normalise(w): str(c) for w, c in words.items()} for v, words in values.items()},
        fixed=dict(fixed), sheet=str(data["blad"]) if data.get("blad") else None,
    )


def render_mapping(headers: dict[str, str], mapping: Mapping, sheet: str | None) -> str:
    """A mapping file for these headers, as detected: a starting point to correct by hand."""
    lines = [
        "# Koppelbestand voor kennisbank import: pas het aan en geef het mee met --mapping.",
        "# kolommen: kop zoals in het bestand -> sleutel of sectie; null = kolom overslaan.",
        "# Mogelijke sleutels: " + ", ".join(TARGETS[:20]),
        "#   " + ", ".join(TARGETS[20:]),
    ]
    if sheet:
        lines.append(f"blad: {_yaml_scalar(sheet)}")
    lines.append("kolommen:")
    for column, header in headers.items():
        target = mapping.target(header)
        note = "" if target else "  # niet herkend"
        lines.append(f"  {_yaml_scalar(header)}: {_yaml_scalar(target) if target else 'null'}{note}  # kolom {column}")
    lines += [
        "# waarden: woorden zoals in het bestand -> code, per woordenlijst (status, stopredenen, themas, ...).",
        "waarden: {}",
        "#  stopredenen:",
        "#    aanbesteding verloren: financiering-afgelopen",
        "# vast: waarden voor elke rij waar het bestand er geen heeft.",
        "vast: {}",
        "#  gemeente: Rotterdam",
        "#  themas: [participatie]",
    ]
    return "\n".join(lines) + "\n"


def _yaml_scalar(value: str) -> str:
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000).removesuffix("\n...\n").strip()
