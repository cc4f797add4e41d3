"""The search index on disk: the module that uses Whoosh (its public API; the few private names
it needs are in whoosh_internals.py).

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

import copy
import fcntl
import hashlib
import heapq
import json
import os
import shutil
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from array import array
from pathlib import Path
from typing import Any, Callable, Iterator

from ..config import Settings
from ..errors import KennisbankError, UsageError
from . import analysis, documents, facets, scoring, whoosh_internals
from .query import WordQuery, uses_syntax, word_query
from .documents import SECTION_FIELDS

# Whoosh 2.7.4 byte-compiles with SyntaxWarnings on Python 3.12+ (invalid escapes); a CLI
# user must never see them. Its modules imported here are compiled quietly; the filters
# cover the ones Whoosh imports later by itself, and only warnings from Whoosh's files.
warnings.filterwarnings("ignore", category=SyntaxWarning, module=r".*whoosh")
warnings.filterwarnings("ignore", category=DeprecationWarning, module=r".*whoosh")


_placed = whoosh_internals.install_stand_ins()
with warnings.catch_warnings():
    warnings.simplefilter("ignore", SyntaxWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    try:
        import whoosh.compat  # noqa: F401
        import whoosh.query  # noqa: F401  (imported with the stand-ins in place)
    finally:
        whoosh_internals.remove_stand_ins(_placed)
    from whoosh import collectors, sorting
    from whoosh import index as whoosh_index
    from whoosh import query as Q
    from whoosh.analysis import Token, Tokenizer
    from whoosh.columns import NumericColumn, VarBytesColumn
    from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema
    from whoosh.matching import NullMatcher as _NullMatcher
    from whoosh.query.spans import SpanWrappingMatcher, WrappingSpan
    from whoosh.filedb.filestore import FileStorage
    from whoosh.util.numeric import byte_to_length, length_to_byte

# Bump when the schema or the analysis changes: every index is then rebuilt.
FORMAT = 17

# Text fields, each searchable with field syntax (``titel:jongeren``). ``tekst``
# holds everything (title, summary, place and neighbourhoods, organisations and
# funders, all sections), so a plain query reads three fields: separate section
# fields made a full build a third slower and a query several times slower.
# Instead each section's span of word positions in ``tekst`` is a column, and
# a section name used as a field (``lessen:draagvlak``, ``gestopt:"geld op"``)
# keeps the matches whose positions fall inside that section.
# ``organisaties`` holds the funders too.
TEXT_FIELDS = ("titel", "samenvatting", "tekst", "gemeente", "organisaties", "bronnen")
# The fields a plain (natural-language) query reads, with their weights.
QUERY_FIELDS: dict[str, float] = {"titel": 3.0, "samenvatting": 1.5, "tekst": 1.0}  # tekst last
# Filterable fields: option name → index field.
FILTER_FIELDS = {"status": "status", "thema": "themas", "gemeente": "plaats", "uitkomst": "uitkomst", "stopreden": "stopredenen", "niveau": "niveau"}

# Memory for each indexing process's posting pool (past it Whoosh sorts runs on disk).
WRITER_MB = 256


class IndexError_(KennisbankError):
    """The index could not be read or rebuilt."""


class QuerySyntaxError(UsageError):
    """The query text cannot be understood."""


class DutchTokenizer(Tokenizer):
    """Whoosh tokenizer over analysis.py: folding, stopwords, variants, compound parts, stems.

    Each word yields every stem it is indexed under at one position, so
    phrases keep working. In query mode with character offsets (how Whoosh
    tokenizes a "phrase") only the word's own stem is given, one per position.
    ``version`` names the analysis the index was made with (analysis.version()).
    """

    def __init__(self, version: str) -> None:
        self.version = version

    def __getstate__(self) -> dict[str, Any]:
        return {"version": self.version}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.version = state.get("version", "")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DutchTokenizer) and other.version == self.version

    def __hash__(self) -> int:
        return hash(self.version)

    @property
    def lexicon(self) -> analysis.Lexicon:
        return analysis.default_lexicon()

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs: Any) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = analysis.fold(value)
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        lexicon = self.lexicon
        phrase = mode == "query" and chars
        position = start_pos
        # Indexing needs no character offsets: fold the whole text once (much faster).
        spans = analysis.word_spans(value) if chars else ((0, 0, w) for w in analysis.words(value))
        stopwords = analysis.STOPWORDS
        # Nothing downstream changes these: set once, not at every token.
        token.boost = 1.0
        token.stopped = False
        for start, end, word in spans:
            if word in stopwords:
                continue
            terms = (analysis.stem(word),) if phrase else lexicon.index_terms(word)
            for term in terms:
                token.text = term
                if keeporiginal:
                    token.original = word
                if positions:
                    token.pos = position
                if chars:
                    token.startchar, token.endchar = start_char + start, start_char + end
                yield token
            position += 1


def make_schema() -> Schema:
    analyzer = DutchTokenizer(analysis.version())
    text = {name: TEXT(analyzer=analyzer, multitoken_query="or") for name in TEXT_FIELDS}
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        plaats=ID(sortable=True),
        status=ID(sortable=True),
        uitkomst=ID(sortable=True),
        niveau=ID(sortable=True),
        themas=KEYWORD(commas=True),
        stopredenen=KEYWORD(commas=True),
        themas_set=COLUMN(VarBytesColumn()),
        stopredenen_set=COLUMN(VarBytesColumn()),
        # Per section (SECTION_FIELDS order): first and past-last word position in ``tekst``.
        secties=COLUMN(VarBytesColumn()),
        # Years are columns, not indexed numbers: a year filter is a pass over the
        # facet table (Whoosh's numeric fields cost 16 postings per entry, and its
        # ranges on unsigned fields match everything).
        start_jaar=COLUMN(NumericColumn("i")),
        eind_jaar=COLUMN(NumericColumn("i")),
        toon=STORED(),
        **text,
    )


# --- the index on disk --------------------------------------------------------------------------


def scan_entries(entries_dir: Path) -> dict[str, tuple[int, int]]:
    """name → (mtime_ns, size) of each entry file, by stat alone (as Archive.entry_files selects them)."""
    found: dict[str, tuple[int, int]] = {}
    try:
        iterator = os.scandir(entries_dir)
    except OSError:
        return found
    inside = None
    with iterator:
        for item in iterator:
            if not item.name.endswith(".md"):
                continue
            try:
                if item.is_symlink():
                    inside = inside or entries_dir.resolve()
                    if inside not in Path(item.path).resolve().parents:
                        continue
                info = item.stat()
            except OSError:
                continue
            if item.is_file():
                found[item.name] = (info.st_mtime_ns, info.st_size)
    return found


def _stat_digest(scan: dict[str, tuple[int, int]], settings_key: str) -> str:
    """Digest of the scan in the folder's own listing order (sorting 10,000 names cost more
    than the rest): a listing that comes back in another order only costs one check of
    the manifest under the lock, which finds nothing to do."""
    import marshal

    listing = marshal.dumps(list(scan.items()), 2)  # version 2: no back-references, so stable bytes
    return hashlib.sha1(f"{FORMAT}\n{settings_key}\n".encode() + listing).hexdigest()


def _write_json(path: Path, data: Any) -> None:
    _write_text(path, json.dumps(data, ensure_ascii=False))


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


@dataclass
class UpdateReport:
    """What bringing the index up to date did; ``skipped`` counts entries with errors."""

    added: int = 0
    removed: int = 0
    rebuilt: bool = False
    skipped: int = 0
    indexed: int = 0
    skipped_files: list[str] = field(default_factory=list)


class SearchIndex:
    """An up-to-date, open Whoosh index of one archive."""

    def __init__(self, settings: Settings, opened: Any, report: UpdateReport) -> None:
        """``opened``: a Whoosh searcher (fresh index, checked) or index (just updated)."""
        self.settings = settings
        self.report = report
        self.lexicon = analysis.default_lexicon()
        self._searcher = opened if hasattr(opened, "reader") and hasattr(opened, "search") else None
        self.ix = whoosh_internals.index_of(opened) if self._searcher is not None else opened

    # Opening and updating ------------------------------------------------------------------------

    @classmethod
    def open(cls, settings: Settings, procs: int = 2) -> "SearchIndex":
        """Open the index, first bringing it up to date with the entries folder."""
        paths = _paths(settings)
        opened, report, scan, digest = _open_if_fresh(settings, paths)
        if opened is not None:
            return cls(settings, opened, report)
        with _locked(paths["lock"]):
            # Another process may have brought it up to date while we waited.
            opened, report, scan, digest = _open_if_fresh(settings, paths)
            if opened is None:
                opened, report = _update(settings, paths, scan, digest, procs)
        return cls(settings, opened, report)

    @classmethod
    def rebuild(cls, settings: Settings, procs: int = 2) -> "SearchIndex":
        """Throw the index away and build it again (after corruption shows up mid-search)."""
        paths = _paths(settings)
        with _locked(paths["lock"]):
            _remove_index(paths)
            scan = scan_entries(settings.entries_dir)
            ix, report = _update(settings, paths, scan, _stat_digest(scan, _settings_key(settings)), procs)
        return cls(settings, ix, report)

    @property
    def searcher(self) -> Any:
        if self._searcher is None:
            self._searcher = self.ix.searcher()
        return self._searcher

    def close(self) -> None:
        self.__dict__.pop("_table", None)
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
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            from whoosh.qparser import MultifieldParser, OrGroup

        # The section names parse as fields of their own (analysed as ``tekst``), then become
        # ``tekst`` queries kept to the section's positions.
        schema = copy.deepcopy(self.searcher.schema)
        for name in SECTION_FIELDS:
            schema.add(name, copy.deepcopy(schema["tekst"]))
        parser = MultifieldParser(list(QUERY_FIELDS), schema, fieldboosts=QUERY_FIELDS,
                                  group=OrGroup.factory(0.9))
        try:
            parsed = _in_sections(parser.parse(text))
        except Exception as exc:  # Whoosh's parser raises assorted errors on odd input
            raise QuerySyntaxError(f"cannot understand the query {text!r}: {exc}",
                                   hint='use words, "a phrase", or field:word (e.g. titel:jongeren)') from None
        error = _first_error(parsed)
        if error:
            raise QuerySyntaxError(f"cannot understand the query {text!r}: {error}",
                                   hint='use words, "a phrase", or field:word (e.g. titel:jongeren)')
        if parsed is Q.NullQuery or isinstance(parsed, type(Q.NullQuery)):
            return None
        return parsed

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
        return allowed

    def _years(self) -> tuple[list[int], list[int]]:
        """Start and end year of every document number (from the facet table, else the columns)."""
        table = self._facet_table()
        if table is not None:
            return table["start"], table["end"]
        return _year_columns(self.searcher.reader())

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
            table = _facet_table_of(searcher.reader())
        scores = scoring.rank(query.words, _LiveSource(searcher, table), allowed)
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
            self._table = _read_facet_table(self.settings, self.searcher)
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
            table = _facet_table_of(self.searcher.reader())
        manifest = _read_json(_paths(self.settings)["manifest"]) or {}
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

    def __init__(self, searcher: Any, table: dict[str, Any]) -> None:
        self.searcher = searcher
        self.table = table
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
                    total -= whoosh_internals.deleted_with(reader, field, btext)
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
            ids, weights = whoosh_internals.postings(reader.postings(field, btext), local)
            for d, w in zip(ids, weights):
                found[d + offset] = int(w)
        return found

    def lengths(self, field: str) -> list[int]:
        # Kept in the table, which lives as long as the open index: one conversion per generation.
        converted = self.table.setdefault("_converted", {})
        lengths = converted.get(field)
        if lengths is None:
            lengths = converted[field] = [_LENGTHS[b] for b in self.table["lengths"].get(field, b"")]
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


def _write_facet_table(paths: dict[str, Path], ix: Any) -> None:
    """Facet values of every document number, for counting without Whoosh's per-match categorizers.

    Valid for one index generation only; written under the writer lock after each commit.
    """
    import marshal

    with ix.reader() as reader:
        table = _facet_table_of(reader)
    _write_bytes(paths["facets"], marshal.dumps(table))


def _facet_table_of(reader: Any) -> dict[str, Any]:
    """Facet values, years and the id of every document number of one index generation."""
    total = reader.doc_count_all()
    values: dict[str, list[str]] = {}
    docs: dict[str, list[tuple[int, ...]]] = {}
    for name, column in facets.FACET_COLUMNS.items():
        index_of: dict[str, int] = {}
        codes_of: dict[Any, tuple[int, ...]] = {}
        rows = []
        for raw in _column_values(reader, column):
            codes = codes_of.get(raw)
            if codes is None:
                codes = codes_of[raw] = tuple(
                    index_of.setdefault(v, len(index_of)) for v in facets.text(raw).split(",") if v
                )
            rows.append(codes)
        values[name] = list(index_of)
        docs[name] = rows
    starts, ends = _year_columns(reader)
    ids = [facets.text(v) for v in _column_values(reader, "id")] if total else []
    # Field lengths (Whoosh's length bytes) and their means over the live documents, for ranking.
    live: list[int] = []
    lengths: dict[str, bytearray] = {f.name: bytearray() for f in scoring.FIELDS}
    for leaf, offset in reader.leaf_readers():
        count = leaf.doc_count_all()
        live += [offset + d for d in (leaf.all_doc_ids() if leaf.has_deletions() else range(count))]
        for name, column in lengths.items():
            raw = whoosh_internals.length_bytes(leaf, name) if name in leaf.schema else None
            if raw is None:
                raw = bytes(length_to_byte(leaf.doc_field_length(d, name, 0)) for d in range(count))
            column += raw
    averages = {name: (sum(_LENGTHS[column[d]] for d in live) / len(live) if live else 0.0)
                for name, column in lengths.items()}
    return {
        "generation": reader.generation(), "count": total, "values": values, "docs": docs,
        "start": starts, "end": ends, "ids": ids, "live": len(live), "live_docs": live,
        "lengths": {name: bytes(column) for name, column in lengths.items()}, "averages": averages,
    }


def _column_values(reader: Any, column: str) -> list[Any]:
    """A column's value for every document number, read segment by segment (ten times faster
    than asking the multi-segment reader document by document)."""
    found: list[Any] = []
    for leaf, _ in reader.leaf_readers():
        count = leaf.doc_count_all()
        if leaf.has_column(column):
            found += list(leaf.column_reader(column))[:count]
        else:
            found += [b""] * count
    return found


def _year_columns(reader: Any) -> tuple[list[int], list[int]]:
    if not reader.doc_count_all():
        return [], []
    return _column_values(reader, "start_jaar"), _column_values(reader, "eind_jaar")


def _read_facet_table(settings: Settings, searcher: Any) -> dict[str, Any] | None:
    import marshal

    try:
        table = marshal.loads(_paths(settings)["facets"].read_bytes())
        reader = searcher.reader()
        if table["generation"] == reader.generation() and table["count"] == reader.doc_count_all() and "live_docs" in table:
            return table
    except (OSError, ValueError, EOFError, TypeError, KeyError):
        pass
    return None


def _first_error(query: Any) -> str | None:
    """Whoosh's parser marks what it could not read with an ``error`` attribute instead of raising."""
    error = getattr(query, "error", None)
    if error:
        return str(error)
    for child in query.children():
        found = _first_error(child)
        if found:
            return found
    return None


class _LazyOr(Q.Or):
    """An Or that always unions lazily.

    Whoosh preloads and scores every posting of an Or in segments under 5,000
    documents; for the words a prefix or wildcard stands for that scored
    thousands of entries to rank a few hundred.
    """

    matcher_type = Q.Or.DEFAULT_MATCHER


def _in_sections(query: Any) -> Any:
    """``query`` with each word or phrase on a section field made a ``tekst`` query kept to that
    section: ``lessen:(a AND NOT b)`` is a in the lessons and b not in them."""
    if query.is_leaf():
        section = getattr(query, "fieldname", None)
        if section not in SECTION_FIELDS:
            return query
        query = copy.copy(query)
        query.fieldname = "tekst"
        return _InSection(query, section)
    if isinstance(query, Q.BinaryQuery):  # Whoosh's own ``apply`` fails on ANDNOT and kin
        query = copy.copy(query)
        query.a, query.b = _in_sections(query.a), _in_sections(query.b)
        return query
    return query.apply(_in_sections)


class _InSection(WrappingSpan):
    """Matches of ``q`` (on ``tekst``) at word positions inside one section of the entry."""

    def __init__(self, q: Any, section: str) -> None:
        self.q = q
        self.section = section

    def __eq__(self, other: object) -> bool:
        return type(other) is _InSection and self.q == other.q and self.section == other.section

    def __hash__(self) -> int:
        return hash(self.q) ^ hash(self.section)

    def __repr__(self) -> str:
        return f"_InSection({self.q!r}, {self.section!r})"

    def __str__(self) -> str:
        return f"{self.section}:({self.q})"

    def apply(self, fn: Callable[[Any], Any]) -> Any:
        return _InSection(fn(self.q), self.section)

    def children(self) -> list[Any]:
        return [self.q]

    def estimate_size(self, reader: Any) -> int:
        return self.q.estimate_size(reader)

    def estimate_min_size(self, reader: Any) -> int:
        return 0

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        reader = searcher.reader()
        query = self.q
        if isinstance(query, Q.MultiTerm):
            # A prefix or wildcard as the Or of the words it matches, lazily (Whoosh may
            # otherwise preload a small segment's Or into an array without positions).
            query = query.simplify(reader)
            if type(query) is Q.Or:
                query = _LazyOr(query.subqueries, boost=query.boost)
        child = query.matcher(searcher, context)
        if not child.is_active():
            return child
        column = reader.column_reader("secties") if reader.has_column("secties") else None
        if column is None:
            return _NullMatcher()
        return _SectionMatcher(child, column, list(SECTION_FIELDS).index(self.section))


class _SectionMatcher(SpanWrappingMatcher):
    def __init__(self, child: Any, column: Any, number: int) -> None:
        self.column = column
        self.number = number
        super().__init__(child)

    def copy(self) -> Any:
        return _SectionMatcher(self.child.copy(), self.column, self.number)

    def _replacement(self, newchild: Any) -> Any:
        return _SectionMatcher(newchild, self.column, self.number)

    def _get_spans(self) -> list[Any]:
        spans = array("I")
        spans.frombytes(self.column[self.child.id()] or b"")
        if len(spans) <= 2 * self.number + 1:
            return []
        start, end = spans[2 * self.number], spans[2 * self.number + 1]
        try:
            found = self.child.spans()
        except Exception:  # a query shape whose matcher knows no positions
            raise QuerySyntaxError("this part of the query cannot be limited to a section",
                                   hint='in a section use words, "a phrase", word* or (a OR b)') from None
        return [span for span in found if start <= span.start and span.end < end]


# The field length each length byte stands for (Whoosh keeps lengths as one byte).
_LENGTHS = [byte_to_length(b) for b in range(256)]


def _paths(settings: Settings) -> dict[str, Path]:
    cache = settings.cache_dir
    return {
        "cache": cache, "index": cache / "index", "manifest": cache / "manifest.json", "state": cache / "state.json",
        "lock": cache / "index.lock", "facets": cache / "facets.marshal",
    }


def _settings_key(settings: Settings) -> str:
    """What, besides the files, decides what gets indexed: the vocabularies (validity) and the folders."""
    vocab = {name: sorted(v.codes) for name, v in settings.vocabularies.items()}
    return hashlib.sha1(json.dumps([str(settings.entries_dir), str(settings.cache_dir), vocab, analysis.analysis().key()],
                                   sort_keys=True).encode()).hexdigest()


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Exclusive lock for writers; a second writer waits rather than failing."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+")
    except OSError as exc:
        raise IndexError_(f"cannot create the search index in {path.parent}: {exc.strerror}",
                          hint="check that the cache folder (plugin option cache_dir) is writable") from None
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        handle.close()


def _open_index(folder: Path) -> Any:
    """The Whoosh index in ``folder``, read without memory maps: over a map Whoosh copies each
    segment's term and posting files whole into memory on opening (about 20 ms of every search
    at 10,000 entries); read from the file it takes only the blocks a query needs."""
    return FileStorage(str(folder), supports_mmap=False).open_index()


def _open_checked(paths: dict[str, Path], state: dict) -> Any:
    """A searcher on the index when it opens, matches the state and uses this analysis; None otherwise."""
    try:
        searcher = _open_index(paths["index"]).searcher()
    except Exception:  # any damage (missing, truncated, unpicklable files) means: rebuild
        return None
    try:
        tokenizer = searcher.schema["titel"].analyzer
        if (
            isinstance(tokenizer, DutchTokenizer) and tokenizer.version == analysis.version()
            and searcher.doc_count() == state.get("indexed")
        ):
            return searcher
    except Exception:  # as above
        pass
    searcher.close()
    return None


def _open_if_fresh(settings: Settings, paths: dict[str, Path]) -> tuple[Any, UpdateReport, dict, str]:
    """(index, report, scan, digest); the index is None when the state does not match the entries folder."""
    scan = scan_entries(settings.entries_dir)
    digest = _stat_digest(scan, _settings_key(settings))
    state = _read_json(paths["state"])
    if isinstance(state, dict) and state.get("digest") == digest:
        searcher = _open_checked(paths, state)
        if searcher is not None:
            return searcher, UpdateReport(skipped=state.get("skipped", 0), indexed=state.get("indexed", 0)), scan, digest
    return None, UpdateReport(), scan, digest


def _remove_index(paths: dict[str, Path]) -> None:
    for name in ("state", "manifest", "facets"):
        paths[name].unlink(missing_ok=True)
    if paths["index"].exists():
        shutil.rmtree(paths["index"], ignore_errors=True)


def _update(settings: Settings, paths: dict[str, Path], scan: dict[str, tuple[int, int]], digest: str,
            procs: int) -> tuple[Any, UpdateReport]:
    """Bring the index in line with ``scan`` (called with the lock held)."""
    manifest = _read_json(paths["manifest"])
    ix = None
    if isinstance(manifest, dict) and manifest.get("format") == FORMAT and manifest.get("settings") == _settings_key(settings):
        searcher = _open_checked(paths, {"indexed": manifest.get("indexed")})
        if searcher is not None:
            ix = searcher._ix
            searcher.close()
    if ix is None:
        return _build(settings, paths, scan, digest, procs)
    files: dict[str, list] = manifest["files"]
    report = UpdateReport()
    changed = [name for name, stat in scan.items() if name not in files or tuple(files[name][:2]) != stat]
    removed = [name for name in files if name not in scan]
    # An entry whose relation target appeared or disappeared may have become valid or invalid.
    came_or_went = {name[:-3] for name in [*removed, *(n for n in changed if n not in files)]}
    if came_or_went:
        changed += [name for name, f in files.items()
                    if name in scan and name not in changed and came_or_went.intersection(f[4])]
    known_ids = {name[:-3] for name in scan}
    parsed = documents.parse(settings, [settings.entries_dir / name for name in changed], procs, known_ids)
    real_changes = [p for p in parsed
                    if not (p.name in files and files[p.name][2] == p.sha256 and p.sha256
                            and files[p.name][3] == (p.document is not None))]
    if real_changes or removed:
        writer = whoosh_internals.writer(ix, WRITER_MB)
        try:
            for name in removed:
                writer.delete_by_term("id", name[:-3])
            for item in real_changes:
                if item.document:
                    writer.update_document(**item.document)
                else:
                    writer.delete_by_term("id", item.name[:-3])
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
    for name in removed:
        del files[name]
    for item in parsed:
        files[item.name] = [*item.stat, item.sha256, item.document is not None, item.targets]
    report.added = sum(1 for p in real_changes if p.document)
    report.removed = len(removed)
    _finish(paths, settings, files, digest, report, ix)
    return _open_index(paths["index"]), report


def _build(settings: Settings, paths: dict[str, Path], scan: dict[str, tuple[int, int]], digest: str,
           procs: int) -> tuple[Any, UpdateReport]:
    """Index every entry from scratch, parsing and indexing on ``procs`` processes."""
    _remove_index(paths)
    paths["index"].mkdir(parents=True, exist_ok=True)
    parsed = documents.parse(settings, [settings.entries_dir / name for name in sorted(scan)], procs,
                             {name[:-3] for name in scan})
    found = [p.document for p in parsed if p.document]
    storage = FileStorage(str(paths["index"]))
    ix = storage.create_index(make_schema())
    if procs > 1 and len(found) >= 500 and whoosh_internals.pinned():
        segments = _index_in_parallel(str(paths["index"]), found, procs)
        writer = ix.writer()
        writer.commit(mergetype=lambda _writer, existing: [*existing, *segments])
    else:
        writer = whoosh_internals.writer(ix, WRITER_MB)
        try:
            for document in found:
                writer.add_document(**document)
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
    files = {p.name: [*p.stat, p.sha256, p.document is not None, p.targets] for p in parsed}
    report = UpdateReport(added=len(found), rebuilt=True)
    _finish(paths, settings, files, digest, report, ix)
    return _open_index(paths["index"]), report


# Documents of a parallel build, inherited by the forked workers instead of pickled to them.
_PENDING: list[dict[str, Any]] = []


def _index_in_parallel(index_dir: str, documents: list[dict[str, Any]], procs: int) -> list[Any]:
    """Index ``documents`` on ``procs`` forked workers, each writing one segment; the caller commits them.

    Whoosh's own MpWriter pickles every document to its workers and drops a
    segment when a worker answers late; this writes segments in the workers
    and hands them to one commit (``mergetype``, a public hook of commit).
    """
    import multiprocessing

    global _PENDING
    _PENDING = documents
    try:
        with multiprocessing.get_context("fork").Pool(procs) as pool:
            return pool.map(_index_slice, [(index_dir, part, procs) for part in range(procs)])
    finally:
        _PENDING = []


def _index_slice(job: tuple[str, int, int]) -> Any:
    index_dir, part, procs = job
    ix = whoosh_index.open_dir(index_dir)
    writer = whoosh_internals.writer(ix, WRITER_MB, _lk=False)
    for document in _PENDING[part::procs]:
        writer.add_document(**document)
    return whoosh_internals.finish_segment(writer)


def _finish(paths: dict[str, Path], settings: Settings, files: dict[str, list], digest: str, report: UpdateReport,
            ix: Any) -> None:
    _write_facet_table(paths, ix)
    report.indexed = sum(1 for f in files.values() if f[3])
    report.skipped_files = sorted(name for name, f in files.items() if not f[3])
    report.skipped = len(report.skipped_files)
    _write_json(paths["manifest"], {"format": FORMAT, "settings": _settings_key(settings), "indexed": report.indexed, "files": files})
    _write_json(paths["state"], {"digest": digest, "indexed": report.indexed, "skipped": report.skipped})


def _write_text(path: Path, text: str) -> None:
    _write_bytes(path, text.encode("utf-8"))


def _write_bytes(path: Path, data: bytes) -> None:
    from ..files import atomic_write

    atomic_write(path, data)
