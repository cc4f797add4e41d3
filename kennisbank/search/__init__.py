"""The search layer: one Dutch analysis, two front ends (the terminal and the site).

The package, by part:

- ``analysis``: Dutch words: folding, Snowball stems, compounds split against a Dutch lexicon,
  the thesaurus of the social domain, question words. The site's Pagefind is fed the same
  analysis (``expansion_terms``), so both front ends find the same precedents.
- ``documents``: entries as search documents, checked as ``check`` checks them.
- ``query``: a typed question as the words that rank it, each with the ways it can be found.
- ``scoring``: BM25F over those words, from live statistics only (engine-free).
- ``facets``: counts per status, theme, place, outcome and stop reason.
- ``snippets``: the sentence shown under a hit.
- ``store``: the index (the only part that uses Whoosh): ``SearchIndex`` and the ranking source,
  ``indexing`` (the index on disk, kept fresh by content hash), ``schema``, ``syntax`` (query
  syntax and section fields) and ``internals`` (the few private Whoosh names, each with a fallback).

This module is what the CLI calls, one function per command: ``search``, ``find_similar``
(the one measure of "similar" is related.py's), ``find_similar_text`` for ``new``. It checks
the user's filters and shapes the answer; it never parses entries itself: when the index is
fresh, a search costs a ``scandir`` and the query. The engine is imported only when a search
runs, so the site build can use ``analysis`` without loading Whoosh.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping, TypeVar

from ..config import Settings
from ..errors import KennisbankError, UsageError
from ..i18n import _, ngettext
from . import analysis
from .snippets import make_snippet

if TYPE_CHECKING:
    from ..vocabulary import Vocabulary
    from .store import SearchIndex

# Filter option → vocabulary name (gemeente is checked against the index).
FILTER_VOCABULARIES = {"status": "status", "thema": "themas", "uitkomst": "uitkomst", "stopreden": "stopredenen"}
# Facet field in the index → facet name in the output (the filter option it feeds).
FACET_NAMES = {"status": "status", "themas": "thema", "plaats": "gemeente", "uitkomst": "uitkomst", "stopredenen": "stopreden"}
# Below this cosine similarity a proposal is not "like" an existing entry.
DEJA_VU_THRESHOLD = 0.12
T = TypeVar("T")


class UnknownEntry(UsageError):
    """``similar`` was given an id that is not in the archive."""


@dataclass
class Hit:
    """One found entry with what a reader needs to judge it at a glance."""

    id: str
    titel: str
    score: float
    status: str
    gemeente: str
    themas: list[str]
    uitkomst: str
    stopredenen: list[str]
    start: str
    eind: str | None
    snippet: str = ""
    marks: list[tuple[int, int]] = field(default_factory=list)
    niveau: str = "geen"
    # The date of the stop record (beeindiging.datum), when it has one.
    gestopt_op: str | None = None
    # The date of the source that reported the status (status_volgens), when the entry gives one.
    status_volgens: str | None = None

    @property
    def periode(self) -> str:
        # Spaced when a date is written in words ("ca. 1989 – 1995 of 1996").
        dash = "–" if f"{self.start}{self.eind or ''}".replace("-", "").isdigit() else " – "
        return f"{self.start}{dash}{self.eind}" if self.eind else f"{self.start}{dash}".rstrip()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "titel": self.titel, "score": round(self.score, 4), "status": self.status,
            "gemeente": self.gemeente, "themas": self.themas, "periode": {"start": self.start, "eind": self.eind},
            "snippet": self.snippet,
        }


@dataclass
class SearchResults:
    """Ranked hits, how many entries matched in all, and facet counts over those matches."""

    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    skipped: int = 0

    def __bool__(self) -> bool:
        return bool(self.hits)

    def __len__(self) -> int:
        return len(self.hits)

    def to_json(self) -> dict[str, Any]:
        return {"query": self.query, "total": self.total, "results": [h.to_json() for h in self.hits], "facets": self.facets}


def search(
    settings: Settings,
    text: str,
    filters: dict[str, list[str]] | None = None,
    start: int | None = None,
    end: int | None = None,
    limit: int = 10,
) -> SearchResults:
    """Ranked entries for what a user typed, narrowed by filters; only filters lists the matches."""
    if limit < 1:
        raise _limit_too_small(limit)
    if start is not None and end is not None and end < start:
        raise UsageError(_("--tot {end} is before --van {start}").format(end=end, start=start))

    def work(index: SearchIndex) -> SearchResults:
        checked = _check_filters(settings, index, filters or {})
        synonyms = _synonyms(settings)
        query = index.text_query(text, synonyms) if text.strip() else None
        filter_query = index.filter_query(checked, start, end)
        if query is None and text.strip():
            return SearchResults(text, 0, [], {}, index.report.skipped)
        hits, total, facets = index.run(query, filter_query, limit)
        keys = _query_keys(index, text, synonyms) if query is not None else set()
        results = [_hit(entry_id, score, shown, keys, index.lexicon) for entry_id, score, shown in hits]
        named = {FACET_NAMES[name]: counts for name, counts in facets.items() if name in FACET_NAMES}
        return SearchResults(text, total, results, named, index.report.skipped)

    return _with_index(settings, work)


def find_similar(
    settings: Settings, entry_id: str | None = None, text: str | None = None, limit: int = 5,
    threshold: float = 0.0,
) -> SearchResults:
    """Entries most like an existing entry (by id) or a free-text proposal, best first.

    By the one measure of related.py: for an entry, exactly its "zie ook" on the site (with
    ``limit`` 5); only entries that ``check`` accepts take part.
    """
    from ..related import Item, related_items, similar_to_text, text_words

    if limit < 1:
        raise _limit_too_small(limit)

    def words_of(item: Item) -> dict[str, int]:
        return _entry_words(settings, item.id)

    def work(index: SearchIndex) -> SearchResults:
        nonlocal text
        items = [Item(*record) for record in index.entries()]
        if entry_id is not None:
            shown = index.stored(entry_id) if entry_id in {item.id for item in items} else None
            if shown is None:
                raise _unknown_entry(entry_id, [item.id for item in items])
            found = related_items(settings.cache_dir, items, words_of, limit=max(limit, 5))[entry_id][:limit]
            text = " ".join([shown["titel"], shown["samenvatting"], *(body for _, body in shown["tekst"])])
        else:
            found = similar_to_text(settings.cache_dir, items, words_of, text or "", limit)
        keys = set(text_words([(text or "", 1)]))
        hits = []
        for other, score in found:
            shown = index.stored(other)
            if score >= threshold and shown is not None:
                hits.append(_hit(other, score, shown, keys, index.lexicon))
        return SearchResults(entry_id or (text or "")[:60], len(hits), hits, {}, index.report.skipped)

    return _with_index(settings, work)


def _entry_words(settings: Settings, entry_id: str) -> dict[str, int]:
    """The words relatedness counts of one entry, read from its file (when not cached)."""
    from ..related import entry_words

    entry = read_entry(settings, entry_id)
    return entry_words(entry) if entry is not None else {}


def read_entry(settings: Settings, entry_id: str) -> Any:
    """One entry (an ``Entry``) read and checked from its file, or None when it has errors."""
    import datetime as dt

    from ..checker import check_source
    from ..entry import Entry
    from ..reader import read_entry_file

    path = settings.entries_dir / f"{entry_id}.md"
    source = read_entry_file(path, settings.max_entry_bytes)
    meta, _problems = check_source(source, path.name, settings.vocabularies, settings.review_interval_days, dt.date.today())
    return Entry(entry_id, meta, source) if meta is not None else None


def find_precedent_ids(settings: Settings, text: str, parts: list[str], limit: int,
                       ignore: Callable[[str], bool] | None = None) -> tuple[list[list[tuple[str, float]]], int]:
    """Entries most like a plan (``text``) and like each of its ``parts``, by the one measure of
    related.py: one list of [(id, score)] per text, the whole plan's first; and how many entries
    were left out for their errors. ``ignore``: index terms left out of the plan's words."""
    from ..related import Item, similar_to_texts

    def work(index: SearchIndex) -> tuple[list[list[tuple[str, float]]], int]:
        items = [Item(*record) for record in index.entries()]
        found = similar_to_texts(settings.cache_dir, items, lambda item: _entry_words(settings, item.id), text, parts,
                                 limit, ignore)
        return found, index.report.skipped

    return _with_index(settings, work)


def unknown_entry(entry_id: str, ids: list[str]) -> UnknownEntry:
    """The error for an id not in the archive, with a did-you-mean."""
    return _unknown_entry(entry_id, ids)


def find_similar_text(archive: Any, text: str, limit: int = 5) -> SearchResults:
    """The déjà-vu check of ``new``: existing entries clearly like a proposal, or nothing."""
    return find_similar(archive.settings, text=text, limit=limit, threshold=DEJA_VU_THRESHOLD)


# --- helpers ------------------------------------------------------------------------------------


def _with_index(settings: Settings, work: Callable[[SearchIndex], T]) -> T:
    """Run ``work`` on the up-to-date index; damage that only shows while reading means one rebuild."""
    from .store import SearchIndex

    index = SearchIndex.open(settings)
    try:
        return work(index)
    except KennisbankError:
        raise
    except Exception:  # a truncated or overwritten segment: the index is a cache, so rebuild it
        index.close()
        index = SearchIndex.rebuild(settings)
        return work(index)
    finally:
        index.close()


def _limit_too_small(limit: int) -> UsageError:
    return UsageError(_("--limit must be at least 1, not {limit}").format(limit=limit))


def _synonyms(settings: Settings) -> analysis.Synonyms:
    return analysis.archive_synonyms(settings.synonyms)


def _check_filters(settings: Settings, index: SearchIndex, filters: dict[str, list[str]]) -> dict[str, list[str]]:
    """Filter values as the index knows them, or a did-you-mean UsageError (exit 2)."""
    checked: dict[str, list[str]] = {}
    for option, values in filters.items():
        if not values:
            continue
        if option == "gemeente":
            places = index.places()
            by_key = {analysis.fold(" ".join(p.split())): p for p in places}
            found = []
            for value in values:
                place = by_key.get(analysis.fold(" ".join(value.split())))
                if place is None:
                    close = difflib.get_close_matches(analysis.fold(value), list(by_key), n=1, cutoff=0.6)
                    if close:
                        hint = _("did you mean {suggestion}?").format(suggestion=repr(by_key[close[0]]))
                    else:
                        hint = _("see the gemeente counts in `kennisbank search ''`")
                    raise UsageError(_("--gemeente: no entries in {place}").format(place=repr(value)), hint=hint)
                found.append(place)
            checked[option] = found
            continue
        vocabulary = settings.vocabularies[FILTER_VOCABULARIES[option]]
        codes = []
        for value in values:
            code = value.strip().lower()
            if code not in vocabulary:
                suggestion = vocabulary.suggest(value)
                if suggestion:
                    hint = _("did you mean {suggestion}?").format(suggestion=repr(suggestion))
                else:
                    hint = _("known values: {codes}").format(codes=", ".join(vocabulary.codes))
                raise UsageError(_("{option}: {value} is not a known {label}").format(
                    option=f"--{option}", value=repr(value), label=vocabulary.label.lower()), hint=hint)
            codes.append(code)
        checked[option] = codes
    return checked


def _query_keys(index: SearchIndex, text: str, synonyms: analysis.Synonyms) -> set[str]:
    """Stems a snippet should mark: every alternative of every query word."""
    keys: set[str] = set()
    for word in analysis.content_words(re.sub(r"\b\w+:", " ", text)):
        for option in analysis.query_alternatives(word, index.lexicon, synonyms):
            keys.update(option)
    return keys


def _hit(entry_id: str, score: float, shown: dict, keys: set[str], lexicon: analysis.Lexicon) -> Hit:
    snippet, marks = make_snippet(shown, keys, lexicon)
    start, end = shown["periode"]
    return Hit(
        id=entry_id, titel=shown["titel"], score=score, status=shown["status"], gemeente=shown["gemeente"],
        themas=list(shown["themas"]), uitkomst=shown["uitkomst"], stopredenen=list(shown["stopredenen"]),
        start=str(start), eind=str(end) if end else None, snippet=snippet, marks=marks,
        niveau=shown.get("niveau", "geen"), gestopt_op=shown.get("gestopt_op"), status_volgens=shown.get("status_volgens"),
    )


def _unknown_entry(entry_id: str, ids: list[str]) -> UnknownEntry:
    close = difflib.get_close_matches(entry_id, ids, n=1, cutoff=0.5)
    if close:
        hint = _("did you mean {suggestion}?").format(suggestion=repr(close[0]))
    else:
        hint = _("list the ids with `kennisbank search ''`")
    return UnknownEntry(_("no entry with id {id}").format(id=repr(entry_id)), hint=hint)


# --- terminal output ----------------------------------------------------------------------------


def render_text(results: SearchResults, vocabularies: Mapping[str, Vocabulary], emphasis: Callable[[str], str] = str,
                header: str | None = None) -> str:
    """Results for the terminal: a numbered list with a marked snippet, then the facet counts.

    Each hit says where and when, then its verdict in the entry page's words (render/verdict.py):
    the outcome with the strength of its evidence, and when and why it stopped.
    """
    lines = [header or _summary_line(results)]
    for number, hit in enumerate(results.hits, start=1):
        lines.append("")
        lines.append(f"{number:>2}. {emphasis(hit.titel)}  [{hit.id}]")
        status = vocabularies["status"].label_of(hit.status)
        if hit.status_volgens:
            from ..render.dutch import partial_date

            status += " " + _("(according to a source from {date})").format(date=partial_date(hit.status_volgens))
        lines.append("    " + " · ".join([hit.gemeente, hit.periode, status]))
        lines.append("    " + verdict_words(hit, vocabularies))
        if hit.snippet:
            lines.append("    " + _marked(hit.snippet, hit.marks, emphasis))
    facet_lines = [
        f"  {name}: " + ", ".join(f"{value} {count}" for value, count in counts.items())
        for name, counts in results.facets.items() if counts
    ]
    if facet_lines:
        lines += ["", _("Filters (number of matching entries):"), *facet_lines]
    return "\n".join(lines) + "\n"


def verdict_words(hit: Hit, vocabularies: Mapping[str, Vocabulary]) -> str:
    """``Positief effect, zwak bewijs · gestopt in juni 2013: tijdelijk geld op``: the hit's verdict in
    the entry page's words (render/verdict.py), from what the index holds."""
    from ..render.verdict import stopped_words, verdict_of

    words = verdict_of(hit.uitkomst, hit.niveau, vocabularies).phrase
    if hit.status == "gestopt":
        words += " · " + stopped_words(hit.gestopt_op or hit.eind, hit.stopredenen, vocabularies)
    return words


def _summary_line(results: SearchResults) -> str:
    shown, total, query = len(results.hits), results.total, repr(results.query)
    if not total:
        return _("No entries found for {query}.").format(query=query) if results.query else _(
            "No entries match these filters.")
    if results.query and shown < total:
        line = ngettext("{count} entry found for {query}, showing the first {shown}.",
                        "{count} entries found for {query}, showing the first {shown}.", total)
    elif results.query:
        line = ngettext("{count} entry found for {query}.", "{count} entries found for {query}.", total)
    elif shown < total:
        line = ngettext("{count} entry matches the filters, showing the first {shown}.",
                        "{count} entries match the filters, showing the first {shown}.", total)
    else:
        line = ngettext("{count} entry matches the filters.", "{count} entries match the filters.", total)
    return line.format(count=total, query=query, shown=shown)


def _marked(text: str, marks: list[tuple[int, int]], emphasis: Callable[[str], str]) -> str:
    if emphasis is str or not marks:
        return text
    parts, last = [], 0
    for start, end in marks:
        parts += [text[last:start], emphasis(text[start:end])]
        last = end
    parts.append(text[last:])
    return "".join(parts)
