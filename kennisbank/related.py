"""Related entries for the whole archive in one pass: the one measure of "similar".

The site's "zie ook", ``kennisbank similar ID``, ``similar --text`` and the
déjà-vu check of ``new`` all use it (a free text is one more vector in the
same terms).

One more-like-this query per entry costs about a minute per thousand entries.
Here every entry becomes a TF-IDF vector over its most distinctive analysed
words (analysis.py: folded, without stopwords, stemmed; the title and summary
count extra), and one sparse matrix product (numpy, in blocks of entries)
gives the cosine of every pair that shares a word, exactly, with no cap on
how many entries a word reaches. Shared themes and the same municipality add
a small bonus to pairs the text already links. Top ``limit`` per entry, best
first.

Three caches in the archive's cache folder keep repeated builds cheap: the
analysed words of each entry by content hash (a changed entry is analysed
again, the others are not), the whole answer by the hashes of all entries
(an unchanged archive costs one file read), and for free texts the entries'
words as flat numpy arrays (``flat.npz``), from which the vectors are built
in a few array passes (``similar_to_texts``: a plan and its paragraphs at
10,000 entries in a fraction of a second).
"""

from __future__ import annotations

import hashlib
import io
import json
import marshal
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

import numpy as np

from .search import analysis
from .files import write_cache

if TYPE_CHECKING:
    from .archive import Archive
    from .entry import Entry

VERSION = 2
# Only the most distinctive words of an entry take part (keeps the pass sparse).
TERMS_PER_ENTRY = 40
# A word in more than this share of the entries says little about relatedness.
MAX_SHARE = 0.1
# Score cells held at once (a block of entries against all entries): 4 M cells are 32 MB.
BLOCK_CELLS = 4_000_000
THEME_BONUS = 0.03
PLACE_BONUS = 0.05
TITLE_WEIGHT = 3
SUMMARY_WEIGHT = 2


@dataclass(frozen=True)
class Item:
    """What relatedness needs of an entry: its id, content hash (the key of its cached words),
    themes and municipality. The site makes them from entries, ``similar`` from the search index
    (so that it parses no entry whose words are cached)."""

    id: str
    digest: str
    themes: frozenset[str]
    place: str

    @classmethod
    def of(cls, entry: Entry) -> "Item":
        return cls(entry.id, entry.digest, frozenset(entry.meta.themas), entry.meta.plaatsen[0])


# Words of an item whose words are not cached yet.
WordsOf = Callable[[Item], dict[str, int]]


def related_entries(archive: Archive, entries: list[Entry], limit: int = 5) -> dict[str, list[tuple[str, float]]]:
    """id → [(other id, score)], best first, never the entry itself; cached by content hash."""
    by_id = {entry.id: entry for entry in entries}
    return related_items(archive.settings.cache_dir, [Item.of(e) for e in entries],
                         lambda item: entry_words(by_id[item.id]), limit)


def related_items(cache_dir: Path, items: list[Item], words_of: WordsOf, limit: int = 5) -> dict[str, list[tuple[str, float]]]:
    """As ``related_entries``, for items (see ``Item``)."""
    if not items:
        return {}
    cache = cache_dir / "related"
    key = _answer_key(items, limit)
    cached = _read_answer(cache / "answer.json", key)
    if cached is not None:
        return cached
    counts = _analysed(cache / "words.marshal", items, words_of)
    answer = compute_related(
        [i.id for i in items], [counts[i.digest] for i in items],
        [(set(i.themes), analysis.fold(i.place)) for i in items], limit,
    )
    write_cache(cache / "answer.json", json.dumps({"key": key, "related": answer}, ensure_ascii=False).encode("utf-8"))
    return {k: [(other, score) for other, score in v] for k, v in answer.items()}


def entry_words(entry: Entry) -> dict[str, int]:
    """Index-term counts of an entry (stems and compound parts, as search has them): title and
    summary weigh extra."""
    return text_words([(entry.meta.titel, TITLE_WEIGHT), (entry.meta.samenvatting, SUMMARY_WEIGHT),
                       *((section.text, 1) for section in entry.sections)])


def text_words(parts: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Index-term counts of weighted texts, analysed as search analyses them."""
    lexicon = analysis.default_lexicon()
    counts: Counter = Counter()
    for text, weight in parts:
        for word in analysis.content_words(text):
            for term in lexicon.index_terms(word):
                counts[term] += weight
    return dict(counts)


def similar_to_text(cache_dir: Path, items: list[Item], words_of: WordsOf, text: str, limit: int
                    ) -> list[tuple[str, float]]:
    """Entries most like a free text (a proposal), by the measure of ``compute_related``, as if the
    text were one more entry of the archive (it has no themes or place, so no bonus):
    [(id, score)], best first."""
    return similar_to_texts(cache_dir, items, words_of, text, [], limit)[0]


def similar_to_texts(cache_dir: Path, items: list[Item], words_of: WordsOf, text: str, parts: list[str],
                     limit: int, ignore: Callable[[str], bool] | None = None) -> list[list[tuple[str, float]]]:
    """``similar_to_text`` for ``text`` and for each of its ``parts`` (a plan's paragraphs): one
    list of [(id, score)] per text, best first (``text``'s first).

    ``text`` is the one more entry of the archive (it counts in the words' IDF); its parts are
    weighed with the same IDF, as vectors of their own. ``ignore``: terms left out of the texts'
    words (a plan's administrative prose), not out of the entries'. The archive's words come from a cache of
    flat arrays (``_flat``), so one question costs a few numpy passes, not a Python loop per entry.
    """

    if not items:
        return [[] for _ in range(1 + len(parts))]
    flat = _flat(cache_dir / "related", items, words_of)
    texts = [text_words([(t, 1)]) for t in (text, *parts)]
    if ignore is not None:
        texts = [{term: n for term, n in words.items() if not ignore(term)} for words in texts]
    vocabulary = flat.vocabulary()
    extra: dict[str, int] = {}
    number = len(flat.words)
    text_terms = []
    for words in texts:
        ids = []
        for term in words:
            if term not in vocabulary:
                extra.setdefault(term, number + len(extra))
            ids.append(vocabulary.get(term, extra.get(term)))
        text_terms.append(np.array(ids, dtype=np.int64))
    total = len(items) + 1
    df = np.bincount(flat.terms, minlength=number + len(extra))
    df[text_terms[0]] += 1
    idf = _idf(df, total)
    rows, terms, weights = _unit_vectors(flat.rows, flat.terms, flat.counts, idf, len(items))
    # Only the entries' terms that some text has can score: the rest is left out once, not per text.
    asked = np.zeros(len(df), dtype=bool)
    for ids in text_terms:
        asked[ids] = True
    shared = asked[terms]
    rows, terms, weights = rows[shared], terms[shared], weights[shared]
    answers = []
    for words, ids in zip(texts, text_terms):
        counts = np.array(list(words.values()), dtype=np.float64)
        _, mine, my_weights = _unit_vectors(np.zeros(len(ids), dtype=np.int64), ids, counts, idf, 1)
        lookup = np.zeros(len(df))
        lookup[mine] = my_weights
        scores = np.bincount(rows, weights=weights * lookup[terms], minlength=len(items))
        best = sorted(np.flatnonzero(scores > 0).tolist(), key=lambda i: (-scores[i], i))[:limit]
        answers.append([(items[i].id, round(float(scores[i]), 4)) for i in best])
    return answers


def compute_related(
    ids: list[str], counts: list[dict[str, int]], facets: list[tuple[set[str], str]], limit: int,
) -> dict[str, list[tuple[str, float]]]:
    """The one pass: TF-IDF vectors of each entry's top terms, then every entry's cosine with all others.

    The dot products are a sparse matrix product done by numpy in blocks of
    entries: for each word, the block's entries that have it meet every entry
    that has it (an outer product added into the block's score rows). Its cost
    is the sum over words of (entries with the word)², so no cap on postings is
    needed for the answer to be exact for these vectors.
    """

    total = len(ids)
    if total == 0:
        return {}
    rows, terms, weights = _vectors(counts)
    # Column order: entries grouped by term (each term's postings), and by entry (each entry's terms).
    by_term = np.lexsort((rows, terms))
    term_rows, term_weights = rows[by_term], weights[by_term]
    term_starts = np.searchsorted(terms[by_term], np.arange(int(terms.max(initial=-1)) + 2))
    by_entry_starts = np.searchsorted(rows, np.arange(total + 1))
    themes = _theme_matrix([f[0] for f in facets])
    places = np.unique([f[1] for f in facets], return_inverse=True)[1]
    related: dict[str, list[tuple[str, float]]] = {}
    block = max(1, min(total, BLOCK_CELLS // total))
    for first in range(0, total, block):
        last = min(total, first + block)
        scores = np.zeros((last - first, total))
        lo, hi = by_entry_starts[first], by_entry_starts[last]
        block_terms, block_rows, block_weights = terms[lo:hi], rows[lo:hi] - first, weights[lo:hi]
        order = np.argsort(block_terms, kind="stable")
        block_terms, block_rows, block_weights = block_terms[order], block_rows[order], block_weights[order]
        bounds = np.flatnonzero(np.diff(block_terms)) + 1
        for part_rows, part_weights, term in zip(
            np.split(block_rows, bounds), np.split(block_weights, bounds), block_terms[np.r_[0, bounds]] if len(block_terms) else [],
        ):
            start, stop = term_starts[term], term_starts[term + 1]
            scores[np.ix_(part_rows, term_rows[start:stop])] += np.outer(part_weights, term_weights[start:stop])
        linked = scores > 0
        local = np.arange(last - first)
        linked[local, local + first] = False
        # Shared themes and the same place add a little to pairs the text links.
        bonus = THEME_BONUS * (themes[first:last] @ themes.T) + PLACE_BONUS * (places[first:last, None] == places[None, :])
        scores = np.where(linked, scores + bonus, -1.0)
        for offset in range(last - first):
            row = scores[offset]
            candidates = np.flatnonzero(row >= 0)
            if len(candidates) > limit:
                candidates = candidates[np.argpartition(-row[candidates], limit - 1)[:limit]]
            # Best first; equal scores in archive order.
            best = sorted(candidates.tolist(), key=lambda other: (-row[other], other))
            related[ids[first + offset]] = [(ids[other], round(float(row[other]), 4)) for other in best]
    return related


def _vectors(counts: list[dict[str, int]]) -> tuple[Any, Any, Any]:
    """Each entry's unit TF-IDF vector over its TERMS_PER_ENTRY most distinctive words, as (row, term, weight) arrays sorted by row."""
    flat = Flat.of(counts)
    idf = _idf(np.bincount(flat.terms, minlength=len(flat.words)), len(counts))
    return _unit_vectors(flat.rows, flat.terms, flat.counts, idf, len(counts))


def _idf(df: Any, total: int) -> Any:
    """IDF per term id, 0 for a term that says nothing: in one entry only, or in more than MAX_SHARE of them."""
    max_df = max(int(total * MAX_SHARE), 50)
    # Near zero for a word in every entry ("aanpak", "resultaten"): it says nothing about likeness.
    useful = (df > 1) & (df <= max_df)
    idf = np.zeros(len(df))
    idf[useful] = np.log((total + 1) / df[useful])
    return idf


def _unit_vectors(rows: Any, terms: Any, counts: Any, idf: Any, total: int) -> tuple[Any, Any, Any]:
    """(row, term, weight) of each row's TERMS_PER_ENTRY most distinctive terms, weights of unit length.

    ``rows`` ascending, each row's terms in its words' order: equal weights keep that order (as
    ``heapq.nlargest`` did), so the chosen terms do not depend on the implementation.
    """
    keep = idf[terms] > 0
    rows, terms = rows[keep], terms[keep]
    weights = (1 + np.log(counts[keep])) * idf[terms]
    order = np.lexsort((-weights, rows))
    rows, terms, weights = rows[order], terms[order], weights[order]
    rank = np.arange(len(rows)) - np.searchsorted(rows, np.arange(total))[rows]
    top = rank < TERMS_PER_ENTRY
    rows, terms, weights = rows[top], terms[top], weights[top]
    norm = np.sqrt(np.bincount(rows, weights=weights * weights, minlength=total))
    norm[norm == 0] = 1.0
    return rows, terms, weights / norm[rows]


@dataclass
class Flat:
    """Words of many entries as flat arrays: entry number (ascending), term id, count; ``words`` the terms by id."""

    rows: Any
    terms: Any
    counts: Any
    words: list[str]

    @classmethod
    def of(cls, counts: list[dict[str, int]]) -> "Flat":
        term_ids: dict[str, int] = {}
        rows = np.repeat(np.arange(len(counts), dtype=np.int64), [len(words) for words in counts])
        terms = np.fromiter((term_ids.setdefault(term, len(term_ids)) for words in counts for term in words),
                            dtype=np.int64, count=len(rows))
        values = np.fromiter((n for words in counts for n in words.values()), dtype=np.float64, count=len(rows))
        return cls(rows, terms, values, list(term_ids))

    def vocabulary(self) -> dict[str, int]:
        return {term: number for number, term in enumerate(self.words)}

    def to_bytes(self, key: str) -> bytes:
        buffer = io.BytesIO()
        np.savez(buffer, key=np.array(key), rows=self.rows.astype(np.int32), terms=self.terms.astype(np.int32),
                 counts=self.counts.astype(np.int32), words=np.array("\n".join(self.words)))
        return buffer.getvalue()

    @classmethod
    def from_file(cls, path: Path, key: str) -> "Flat | None":
        try:
            with np.load(path, allow_pickle=False) as data:
                if str(data["key"]) != key:
                    return None
                words = str(data["words"])
                return cls(data["rows"].astype(np.int64), data["terms"].astype(np.int64),
                           data["counts"].astype(np.float64), words.split("\n") if words else [])
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):  # a damaged cache is rebuilt
            return None


def _flat(cache: Path, items: list[Item], words_of: WordsOf) -> Flat:
    """The items' words as a ``Flat``, cached by the items' ids and content hashes (in this order)."""
    digest = hashlib.sha256(_cache_version().encode())
    for item in items:
        digest.update(f"\n{item.id}:{item.digest}".encode())
    key = digest.hexdigest()
    flat = Flat.from_file(cache / "flat.npz", key)
    if flat is None:
        counts = _analysed(cache / "words.marshal", items, words_of)
        flat = Flat.of([counts[item.digest] for item in items])
        write_cache(cache / "flat.npz", flat.to_bytes(key))
    return flat


def _theme_matrix(themes: list[set[str]]) -> Any:

    names = sorted(set().union(*themes)) if themes else []
    column = {name: i for i, name in enumerate(names)}
    matrix = np.zeros((len(themes), max(1, len(names))))
    for number, entry_themes in enumerate(themes):
        for name in entry_themes:
            matrix[number, column[name]] = 1.0
    return matrix


def _cache_version() -> str:
    """What the cached analyses depend on besides the entries: this module and the analysis in use."""
    return f"{VERSION}:{analysis.analysis().key()}:{analysis.LEXICON_VERSION}"


def _answer_key(items: Iterable[Item], limit: int) -> str:
    digest = hashlib.sha256(f"{_cache_version()}:{limit}".encode())
    for item in sorted(items, key=lambda i: i.id):
        digest.update(f"\n{item.id}:{item.digest}".encode())
    return digest.hexdigest()


def _read_answer(path: Path, key: str) -> dict[str, list[tuple[str, float]]] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    return {k: [(other, score) for other, score in v] for k, v in data["related"].items()}


def _analysed(path: Path, items: list[Item], words_of: WordsOf) -> dict[str, dict[str, int]]:
    """Stem counts per content hash: from the cache, analysing only entries it does not hold."""
    try:
        stored: Any = marshal.loads(path.read_bytes())
        cached = stored["words"] if isinstance(stored, dict) and stored.get("version") == _cache_version() else {}
    except (OSError, ValueError, EOFError, TypeError, KeyError):
        cached = {}
    counts = {}
    missing = False
    for item in items:
        words = cached.get(item.digest)
        if words is None:
            words = words_of(item)
            missing = True
        counts[item.digest] = words
    if missing or len(cached) != len(counts):
        write_cache(path, marshal.dumps({"version": _cache_version(), "words": counts}))
    return counts
