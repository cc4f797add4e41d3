"""Entries as search documents: the text fields, the facets and where each section's words sit.

Engine-free: a document is a dict of field → value that store.py hands to Whoosh.
Parsing runs the same checks as ``check`` (checker.py), so an entry that ``check``
rejects, also for a relation to no entry, never becomes a document.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import Settings
from . import analysis

NO_END = 9999
# Section field names → the section heading whose span they search.
SECTION_FIELDS = {"context": "Context", "aanpak": "Aanpak", "resultaten": "Resultaten", "gestopt": "Waarom gestopt",
                  "lessen": "Lessen"}


def entry_document(entry: Any) -> dict[str, Any]:
    """The search document of a valid entry (kennisbank.entry.Entry)."""
    meta = entry.meta
    sections = {s.title: s.text for s in entry.sections}
    stop = meta.beeindiging.redenen if meta.beeindiging else []
    # A comma separates facet values: a place never holds one.
    places = [place.replace(",", " ") for place in meta.plaatsen]
    first_year, last_year = year_span(entry)
    before_sections = [meta.titel, meta.samenvatting, *meta.plaatsen, *meta.wijken, *meta.organisaties,
                       *(meta.financiering.bronnen if meta.financiering else [])]
    section_parts = [(title, text) for title, text in sections.items() if text.strip()]
    doc: dict[str, Any] = {
        "id": entry.id,
        "titel": meta.titel,
        "samenvatting": meta.samenvatting,
        "gemeente": "\n".join(meta.plaatsen),
        "organisaties": "\n".join([*meta.organisaties, *(meta.financiering.bronnen if meta.financiering else [])]),
        # The titles of cited reports: often the very term a reader types (ranked below the text).
        "bronnen": "\n".join(source.titel for source in meta.bronnen),
        "plaats": ",".join(places),
        "plaats_set": ",".join(places).encode("utf-8"),
        "status": meta.status,
        "uitkomst": meta.bewijs.uitkomst,
        "niveau": meta.bewijs.niveau,
        "themas": ",".join(meta.themas),
        "stopredenen": ",".join(stop),
        "themas_set": ",".join(meta.themas).encode("utf-8"),
        "stopredenen_set": ",".join(stop).encode("utf-8"),
        "tekst": "\n\n".join([*before_sections, *(text for _, text in section_parts)]),
        "secties": _section_spans(before_sections, section_parts),
        "start_jaar": first_year,
        "eind_jaar": last_year,
        "toon": {
            "titel": meta.titel, "samenvatting": meta.samenvatting, "gemeente": ", ".join(meta.plaatsen),
            "status": meta.status, "themas": list(meta.themas), "uitkomst": meta.bewijs.uitkomst,
            "stopredenen": list(stop), "periode": [meta.periode.start, meta.periode.eind],
            "niveau": meta.bewijs.niveau, "gestopt_op": meta.beeindiging.datum if meta.beeindiging else None,
            "status_volgens": meta.status_volgens,
        },
    }
    return doc


# Statuses of an entry that may still run: without an end, its period reaches to now.
OPEN_STATUSES = ("lopend", "onbekend", "opgeschaald", "verduurzaamd")


def year_span(entry: Any) -> tuple[int, int]:
    """The first and last year an entry may have run, for the period filter: an uncertain date by its
    bounds ("ca. 1989" from 1987), an unknown start by the entry's first known year."""
    start, end = entry.start, entry.end
    first = start.earliest.year if start.known else entry.start_year
    if end is not None and end.known:
        return first, end.latest.year
    stop = entry.stop_date
    if stop is not None and stop.known:
        return first, stop.latest.year
    if entry.meta.status in OPEN_STATUSES:
        return first, NO_END
    return first, start.latest.year if start.known else entry.start_year


def _section_spans(before: list[str], sections: list[tuple[str, str]]) -> bytes:
    """Word positions [start, end) of each section in ``tekst``, counted as DutchTokenizer counts
    them (one position per word that is not a stopword; no word spans the blank line between parts)."""
    stopwords = analysis.STOPWORDS
    position = 0
    spans = dict.fromkeys(SECTION_FIELDS.values(), (0, 0))
    for title, text in [*((None, part) for part in before), *sections]:
        found = analysis.words(text)
        length = sum(1 for word in found if word not in stopwords)
        if title in spans:
            spans[title] = (position, position + length)
        position += length
    return array("I", [n for span in spans.values() for n in span]).tobytes()


@dataclass
class ParsedFile:
    """One entry file as the index keeps it: its stat, content hash, document (None when ``check``
    rejects it) and relation targets (their coming and going can change its validity)."""

    name: str
    stat: tuple[int, int]
    sha256: str
    document: dict[str, Any] | None
    targets: list[str] = field(default_factory=list)


def _parse_files(job: tuple[Settings, set[str]], paths: list[Path]) -> list[ParsedFile]:
    """Read and check entry files as ``check`` does (runs in workers).

    Invalid files come back without a document: those with a problem of their own, and those whose
    relations point to no entry file in ``known_ids`` (checker.check_relations, as ``check`` has it).
    """
    import datetime as dt

    from ..checker import check_file_name, check_relations, check_source, relation_targets
    from ..entry import Entry
    from ..reader import ReadError, read_entry_file

    settings, known_ids = job
    today = dt.date.today()
    parsed = []
    for path in paths:
        try:
            info = path.stat()
            source = read_entry_file(path, settings.max_entry_bytes)
        except (ReadError, OSError):
            parsed.append(ParsedFile(path.name, (0, 0), "", None))
            continue
        stat = (info.st_mtime_ns, info.st_size)
        meta, _ = check_source(source, path.name, settings.vocabularies, settings.review_interval_days, today)
        document = None
        relations = source.data.get("relaties") if isinstance(source.data, dict) else None
        targets = sorted({target for _, _, target in relation_targets(relations)})
        if (meta is not None and check_file_name(path, path.name) is None
                and not check_relations([(path.stem, source, path.name)], known_ids)):
            document = entry_document(Entry(path.stem, meta, source))
        parsed.append(ParsedFile(path.name, stat, source.digest, document, targets))
    return parsed


def parse(settings: Settings, paths: list[Path], procs: int, known_ids: set[str]) -> list[ParsedFile]:
    """The files in the order of ``paths``, read and checked; many files on up to ``procs`` processes."""
    from ..parallel import in_slices

    return [item for part in in_slices(_parse_files, (settings, known_ids), paths, limit=procs) for item in part]


def section_texts(path: Path) -> list[tuple[str, str]]:
    """(title, text) of each non-empty section of an entry file; nothing when it cannot be read."""
    from ..sections import split_sections

    try:
        lines = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").split("\n")
    except (OSError, UnicodeDecodeError):
        return []
    if not lines or lines[0].rstrip() != "---":
        return []
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        return []
    return [(s.title, s.text) for s in split_sections(lines[end + 1:], end + 2)[1] if s.text.strip()]
