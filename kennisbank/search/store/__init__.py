"""The search index: the only part of kennisbank that uses Whoosh.

- ``__init__`` (this module): ``SearchIndex``, an up-to-date, open index, and the ranking source
  that gives scoring.py postings, counts and lengths of the live entries only.
- ``indexing``: the index on disk, kept in line with the entries folder; the facet table.
- ``schema``: the fields and the tokenizer over analysis.py.
- ``syntax``: query syntax and the section fields.
- ``internals``: every private Whoosh name used, each with a public fallback.

Whoosh is used through its public API everywhere but ``internals``.

The index is a cache of the entries folder in the archive's cache folder
(``.kennisbank/`` by default, git-ignored)::

    .kennisbank/index/          Whoosh segments
    .kennisbank/manifest.json   per file: mtime_ns, size, sha256, indexed or skipped
    .kennisbank/state.json      digest of every file's (name, mtime, size): the fast freshness check
    .kennisbank/facets.marshal  facet values and years per document number, for one index generation
    .kennisbank/index.lock      serialises writers (fcntl.flock, waiting)

Every use starts with ``SearchIndex.open``: when a ``scandir`` of the entries
folder matches the state, nothing is parsed (and pydantic is not even
imported); otherwise only new and changed files are parsed and re-indexed,
deleted ones are removed. A missing or unreadable index is rebuilt.
"""

from __future__ import annotations

import heapq
import warnings
from typing import Any, Iterator

from ...config import Settings
from .. import analysis, documents, facets, scoring
from ..query import WordQuery, uses_syntax, word_query
from . import internals

# Whoosh 2.7.4 byte-compiles with SyntaxWarnings on Python 3.12+ (invalid escapes); a CLI
# user must never see them. Its modules imported here are compiled quietly; the filters
# cover the ones Whoosh imports later by itself, and only warnings from Whoosh's files.
warnings.filterwarnings("ignore", category=SyntaxWarning, module=r".*whoosh")
warnings.filterwarnings("ignore", category=DeprecationWarning, module=r".*whoosh")

_placed = internals.install_stand_ins()
with warnings.catch_warnings():
    warnings.simplefilter("ignore", SyntaxWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    try:
        import whoosh.compat  # noqa: F401
        import whoosh.query  # noqa: F401  (imported with the stand-ins in place)
    finally:
        internals.remove_stand_ins(_placed)
    from whoosh import collectors, sorting
    from whoosh import query as Q

    from .indexing import (  # noqa: E402
        LENGTHS, IndexError_, UpdateReport, cache_paths, facet_table_of, locked, open_if_fresh, read_facet_table,
        read_json, remove_index, scan_entries, settings_key, stat_digest, update, year_columns,
    )
    from .schema import make_schema  # noqa: E402
    from .syntax import QuerySyntaxError, parse_syntax  # noqa: E402

__all__ = ["IndexError_", "QuerySyntaxError", "SearchIndex", "UpdateReport", "make_schema"]


# Filterable fields: option name → index field.
FILTER_FIELDS = {"status": "status", "thema": "themas", "gemeente": "plaats", "uitkomst": "uitkomst", "stopreden": "stopredenen", "niveau": "niveau"}


class SearchIndex:
    """An up-to-date, open Whoosh index of one archive."""

    def __init__(self, settings: Settings, opened: Any, report: UpdateReport) -> None:
        """``opened``: a Whoosh searcher (fresh index, checked) or index (just updated)."""
        self.settings = settings
        self.report = report
        self.lexicon = analysis.default_lexicon()
        self._searcher = opened if hasattr(opened, "reader") and hasattr(opened, "search") else None
        self.ix = internals.index_of(opened) if self._searcher is not None else opened
        # Field lengths as numbers, read once from the facet table of this index generation.
        self._lengths: dict[str, list[int]] = {}

    # Opening and updating ------------------------------------------------------------------------

    @classmethod
    def open(cls, settings: Settings, procs: int = 2) -> "SearchIndex":
        """Open the index, first bringing it up to date with the entries folder."""
        paths = cache_paths(settings)
        opened, report, scan, digest = open_if_fresh(settings, paths)
        if opened is not None:
            return cls(settings, opened, report)
        with locked(paths["lock"]):
            # Another process may have brought it up to date while we waited.
            opened, report, scan, digest = open_if_fresh(settings, paths)
            if opened is None:
                opened, report = update(settings, paths, scan, digest, procs)
        return cls(settings, opened, report)

    @classmethod
    def rebuild(cls, settings: Settings, procs: int = 2) -> "SearchIndex":
        """Throw the index away and build it again (after corruption shows up mid-search)."""
        paths = cache_paths(settings)
        with locked(paths["lock"]):
            remove_index(paths)
            scan = scan_entries(settings.entries_dir)
            ix, report = update(settings, paths, scan, stat_digest(scan, settings_key(settings)), procs)
        return cls(settings, ix, report)

    @property
    def searcher(self) -> Any:
        if self._searcher is None:
            self._searcher = self.ix.searcher()
        return self._searcher

    def close(self) -> None:
        self.__dict__.pop("_table", None)
        self._lengths.clear()
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def __enter__(self) -> "SearchIndex":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Queries -------------------------------------------------------------------------------------

    def places(self) -> dict[str, int]:
        """Known municipalities (as written in the entries) with their number of entries."""
        reader = self.searcher.reader()
        return {facets.text(term): reader.doc_frequency("plaats", term) for term in reader.lexicon("plaats")}

    def text_query(self, text: str, synonyms: analysis.Synonyms) -> Any:
        """Query for what a user typed: natural language (a ``WordQuery``, ranked by scoring.py),
        or Whoosh syntax when it uses any."""
        if uses_syntax(text):
            return self._parse_syntax(text)
        return word_query(text, self.lexicon, synonyms)

    def _parse_syntax(self, text: str) -> Any:
        return parse_syntax(self.searcher.schema, text)

    def filter_query(self, filters: dict[str, list[str]], start: int | None, end: int | None) -> Any:
        """What passes every filter (values within one filter are alternatives): a query, a set of
        document numbers (with a period), or None.

        The period filter keeps entries that ran at some time between ``start`` and ``end``.
        """
        parts = []
        for option, values in filters.items():
            if values:
                name = FILTER_FIELDS[option]
                parts.append(Q.Or([Q.Term(name, v) for v in values]))
        query = (Q.And(parts) if len(parts) > 1 else parts[0]) if parts else None
        if start is None and end is None:
            return query
        starts, ends = self._years()
        low = start if start is not None else -(2**31)
        high = end if end is not None else 2**31 - 1
        allowed = {d for d, (s, e) in enumerate(zip(starts, ends)) if s <= high and e >= low}
        if query is not None:
            allowed.intersection_update(self.searcher.docs_for_query(query))
        # Whoosh's FilterCollector reads an empty set as "no filter": say "nothing" with a number no document has.
        return allowed or {-1}

    def _years(self) -> tuple[list[int], list[int]]:
        """Start and end year of every document number (from the facet table, else the columns)."""
        table = self._facet_table()
        if table is not None:
            return table["start"], table["end"]
        return year_columns(self.searcher.reader())

    def run(self, query: Any, filter_query: Any, limit: int) -> tuple[list[tuple[str, float, dict]], int, dict[str, dict[str, int]]]:
        """(hits as (id, score, stored display data), total matches, facet counts)."""
        searcher = self.searcher
        scored = query is not None
        table = self._facet_table()
        if isinstance(query, WordQuery):
            return self._run_words(query, filter_query, limit, table)
        if query is None:
            query = Q.Every()
            ranking = searcher.collector(limit=limit, sortedby="id")
        else:
            # No pruning (replace=0, no block quality): every match must reach the facet counts.
            ranking = collectors.TopCollector(limit=limit, usequality=False, replace=0)
        if table is not None:
            # Record every match while scoring; count facets from the table written with the index.
            collector = recorder = _MatchRecorder(ranking)
        else:
            groups = {name: sorting.FieldFacet(column) for name, column in facets.FACET_COLUMNS.items()}
            collector = collectors.FacetCollector(ranking, groups, maptype=sorting.Count)
        if filter_query is not None:
            # Outermost, so that only what passes the filter is counted.
            collector = collectors.FilterCollector(collector, filter_query)
        searcher.search_with_collector(query, collector)
        results = collector.results()
        if table is not None:
            counts = facets.count_facets(table, recorder.matched)
        else:
            counts = {name: facets.merge_counts(results.groups(name)) for name in facets.FACET_COLUMNS}
        # Every entry has exactly one status, so its counts add up to the number of matches.
        total = sum(counts["status"].values())
        hits = [(hit["id"], float(hit.score) if scored else 0.0, self._shown(hit["id"], hit["toon"]))
                for hit in results[:limit]]
        return hits, total, counts

    def _run_words(self, query: "WordQuery", filter_query: Any, limit: int, table: dict[str, Any] | None
                   ) -> tuple[list[tuple[str, float, dict]], int, dict[str, dict[str, int]]]:
        """Rank a typed question with scoring.py over live statistics; ties go by id, so the
        answer does not depend on where the entries sit in the index."""
        searcher = self.searcher
        allowed = None
        if filter_query is not None:
            allowed = filter_query if isinstance(filter_query, set) else set(searcher.docs_for_query(filter_query))
        if table is None:
            table = facet_table_of(searcher.reader())
        scores = scoring.rank(query.words, _LiveSource(searcher, table, self._lengths), allowed)
        ids = table["ids"]
        top = heapq.nsmallest(limit, scores.items(), key=lambda item: (-item[1], ids[item[0]]))
        hits = []
        for docnum, score in top:
            stored = searcher.stored_fields(docnum)
            hits.append((stored["id"], float(score), self._shown(stored["id"], stored["toon"])))
        return hits, len(scores), facets.count_facets(table, scores)

    def _facet_table(self) -> dict[str, Any] | None:
        """The facet table of this index generation, read once per open index."""
        if not hasattr(self, "_table"):
            self._table = read_facet_table(self.settings, self.searcher)
        return self._table

    def _shown(self, entry_id: str, stored: dict) -> dict:
        """Display data of a hit, with its sections read from the entry file for the snippet.

        The sections are not stored in the index (a tenth of the build time): the
        index was just checked fresh, so the file says what was indexed.
        """
        return {**stored, "tekst": documents.section_texts(self.settings.entries_dir / f"{entry_id}.md")}

    def entries(self) -> list[tuple[str, str, frozenset[str], str]]:
        """(id, content hash, themes, municipality) of every entry in the index, by id: what
        relatedness needs, without parsing a file."""
        table = self._facet_table()
        if table is None:
            table = facet_table_of(self.searcher.reader())
        manifest = read_json(cache_paths(self.settings)["manifest"]) or {}
        digests = {name[:-3]: f[2] for name, f in manifest.get("files", {}).items() if f[3]}
        themes, places = table["values"]["themas"], table["values"]["plaats"]
        found = []
        for docnum in table["live_docs"]:
            entry_id = table["ids"][docnum]
            if entry_id in digests:
                found.append((entry_id, digests[entry_id],
                              frozenset(themes[c] for c in table["docs"]["themas"][docnum]),
                              places[table["docs"]["plaats"][docnum][0]]))
        return sorted(found)

    def stored(self, entry_id: str) -> dict | None:
        fields = self.searcher.document(id=entry_id)
        return self._shown(entry_id, fields["toon"]) if fields else None

    def ids(self) -> list[str]:
        return [facets.text(t) for t in self.searcher.reader().lexicon("id")]


class _LiveSource:
    """scoring.PostingSource over an open Whoosh searcher: postings, counts and lengths of the live
    documents only (a deleted or replaced entry's postings stay in its segment until a merge, and
    Whoosh's own statistics still count them). Lengths and their means come from the facet table,
    written with each index generation."""

    def __init__(self, searcher: Any, table: dict[str, Any], lengths: dict[str, list[int]]) -> None:
        """``lengths``: field lengths already read from ``table``, kept by the open index."""
        self.searcher = searcher
        self.table = table
        self._lengths = lengths
        self.leaves = [(leaf.reader(), offset) for leaf, offset in searcher.leaf_searchers()]
        self._postings: dict[tuple[str, str], dict[int, int]] = {}
        self._frequencies: dict[tuple[str, str], int] = {}

    def postings(self, field: str, stem: str, within: set[int] | None = None) -> dict[int, int]:
        key = (field, stem)
        found = self._postings.get(key)
        if found is None and within is not None and len(within) * 16 < self.frequency(field, stem):
            # A few entries of a long list: read only the blocks that hold them.
            return self._read(field, stem, within)
        if found is None:
            found = self._postings[key] = self._read(field, stem, None)
        if within is None:
            return found
        if len(within) < len(found):
            return {d: found[d] for d in within if d in found}
        return {d: n for d, n in found.items() if d in within}

    def frequency(self, field: str, stem: str) -> int:
        key = (field, stem)
        total = self._frequencies.get(key)
        if total is None:
            total = 0
            for reader, _, btext, found in self._segments_with(field, stem):
                total += found
                if reader.has_deletions():
                    total -= internals.deleted_with(reader, field, btext)
            self._frequencies[key] = total
        return total

    def _segments_with(self, field: str, stem: str) -> Iterator[tuple[Any, int, bytes, int]]:
        """(segment reader, its first document number, the term as bytes, its document count in
        the segment, deleted documents included) of each segment with the term."""
        for reader, offset in self.leaves:
            if field in reader.schema:
                btext = reader.schema[field].to_bytes(stem)
                found = reader.doc_frequency(field, btext)
                if found:
                    yield reader, offset, btext, found

    def _read(self, field: str, stem: str, within: set[int] | None) -> dict[int, int]:
        found: dict[int, int] = {}
        for reader, offset, btext, _ in self._segments_with(field, stem):
            local = None
            if within is not None:
                end = offset + reader.doc_count_all()
                local = {d - offset for d in within if offset <= d < end}
                if not local:
                    continue
            ids, weights = internals.postings(reader.postings(field, btext), local)
            for d, w in zip(ids, weights):
                found[d + offset] = int(w)
        return found

    def lengths(self, field: str) -> list[int]:
        lengths = self._lengths.get(field)
        if lengths is None:
            lengths = self._lengths[field] = [LENGTHS[b] for b in self.table["lengths"].get(field, b"")]
        return lengths

    def average_length(self, field: str) -> float:
        return self.table["averages"].get(field, 0.0)

    def count(self) -> int:
        return self.table["live"]


class _MatchRecorder(collectors.WrappingCollector):
    """Passes every match on to the ranking collector and remembers its document number."""

    def __init__(self, child: Any) -> None:
        super().__init__(child)
        self.matched: list[int] = []

    def collect(self, sub_docnum: int) -> Any:
        self.matched.append(self.offset + sub_docnum)
        return self.child.collect(sub_docnum)
