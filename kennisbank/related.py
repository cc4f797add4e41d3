"""Related entries for the whole archive in one pass (the site's "zie ook").

One more-like-this query per entry costs about a minute per thousand entries.
Here every entry becomes a TF-IDF vector over its analysed words (dutch.py:
folded, without stopwords, stemmed; the title and summary count extra), and
one sparse dot product through an inverted index scores every pair that
shares a distinctive word. Shared themes and the same municipality add a small
bonus to pairs the text already links. Top ``limit`` per entry, best first.

Two caches in the archive's cache folder keep repeated builds cheap: the
analysed words of each entry by content hash (a changed entry is analysed
again, the others are not), and the whole answer by the hashes of all entries
(an unchanged archive costs one file read).
"""

from __future__ import annotations

import hashlib
import heapq
import json
import marshal
import math
from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from . import dutch

if TYPE_CHECKING:
    from .archive import Archive
    from .entry import Entry

VERSION = 1
# Only the most distinctive words of an entry take part (keeps the pass sparse).
TERMS_PER_ENTRY = 25
# A word in more than this share of the entries says little about relatedness.
MAX_SHARE = 0.1
# Each word consults at most this many entries where it weighs most.
POSTINGS_PER_TERM = 300
THEME_BONUS = 0.03
PLACE_BONUS = 0.05
TITLE_WEIGHT = 3
SUMMARY_WEIGHT = 2


def related_entries(archive: Archive, entries: list[Entry], limit: int = 5) -> dict[str, list[tuple[str, float]]]:
    """id → [(other id, score)], best first, never the entry itself; cached by content hash."""
    if not entries:
        return {}
    cache = archive.settings.cache_dir / "related"
    key = _answer_key(entries, limit)
    cached = _read_answer(cache / "answer.json", key)
    if cached is not None:
        return cached
    counts = _analysed(cache / "words.marshal", entries)
    answer = compute_related(
        [e.id for e in entries], [counts[e.digest] for e in entries],
        [(set(e.meta.themas), dutch.fold(e.meta.gemeente)) for e in entries], limit,
    )
    _write(cache / "answer.json", json.dumps({"key": key, "related": answer}, ensure_ascii=False).encode("utf-8"))
    return {k: [(other, score) for other, score in v] for k, v in answer.items()}


def entry_words(entry: Entry) -> dict[str, int]:
    """Stem counts of an entry: title and summary weigh extra."""
    counts: Counter = Counter()
    for text, weight in ((entry.meta.titel, TITLE_WEIGHT), (entry.meta.samenvatting, SUMMARY_WEIGHT)):
        for word in dutch.content_words(text):
            counts[dutch.stem(word)] += weight
    for section in entry.sections:
        counts.update(dutch.stem(word) for word in dutch.content_words(section.text))
    return dict(counts)


def compute_related(
    ids: list[str], counts: list[dict[str, int]], facets: list[tuple[set[str], str]], limit: int,
) -> dict[str, list[tuple[str, float]]]:
    """The one pass: TF-IDF vectors, an inverted index of their top terms, a sparse dot product per entry."""
    total = len(ids)
    df: Counter = Counter()
    for words in counts:
        df.update(words.keys())
    max_df = max(int(total * MAX_SHARE), 50)
    vectors: list[list[tuple[str, float]]] = []
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for number, words in enumerate(counts):
        weighted = [
            (term, (1 + math.log(n)) * math.log(1 + total / df[term]))
            for term, n in words.items() if df[term] <= max_df and df[term] > 1
        ]
        top = heapq.nlargest(TERMS_PER_ENTRY, weighted, key=lambda item: item[1])
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        vector = [(term, w / norm) for term, w in top]
        vectors.append(vector)
        for term, w in vector:
            postings[term].append((number, w))
    for term, docs in postings.items():
        if len(docs) > POSTINGS_PER_TERM:
            docs.sort(key=lambda item: -item[1])
            del docs[POSTINGS_PER_TERM:]
    related: dict[str, list[tuple[str, float]]] = {}
    for number, vector in enumerate(vectors):
        scores: dict[int, float] = defaultdict(float)
        for term, weight in vector:
            for other, other_weight in postings[term]:
                scores[other] += weight * other_weight
        scores.pop(number, None)
        themes, place = facets[number]
        for other in scores:
            other_themes, other_place = facets[other]
            scores[other] += THEME_BONUS * len(themes & other_themes) + (PLACE_BONUS if place == other_place else 0.0)
        best = heapq.nlargest(limit, scores.items(), key=lambda item: (item[1], -item[0]))
        related[ids[number]] = [(ids[other], round(score, 4)) for other, score in best]
    return related


def _answer_key(entries: Iterable[Entry], limit: int) -> str:
    digest = hashlib.sha256(f"{VERSION}:{limit}".encode())
    for entry in sorted(entries, key=lambda e: e.id):
        digest.update(f"\n{entry.id}:{entry.digest}".encode())
    return digest.hexdigest()


def _read_answer(path: Path, key: str) -> dict[str, list[tuple[str, float]]] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    return {k: [(other, score) for other, score in v] for k, v in data["related"].items()}


def _analysed(path: Path, entries: list[Entry]) -> dict[str, dict[str, int]]:
    """Stem counts per content hash: from the cache, analysing only entries it does not hold."""
    try:
        stored: Any = marshal.loads(path.read_bytes())
        cached = stored["words"] if isinstance(stored, dict) and stored.get("version") == VERSION else {}
    except (OSError, ValueError, EOFError, TypeError, KeyError):
        cached = {}
    counts = {}
    missing = False
    for entry in entries:
        words = cached.get(entry.digest)
        if words is None:
            words = entry_words(entry)
            missing = True
        counts[entry.digest] = words
    if missing or len(cached) != len(counts):
        _write(path, marshal.dumps({"version": VERSION, "words": counts}))
    return counts


def _write(path: Path, data: bytes) -> None:
    """Atomic replace: two builds at once each leave a whole, valid cache file."""
    from .archive import atomic_write

    try:
        atomic_write(path, data)
    except OSError:
        pass  # a read-only cache folder only costs speed
