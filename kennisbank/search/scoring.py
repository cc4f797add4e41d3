"""Ranking a typed question: BM25F over the words of the question, with no search engine in sight.

A question is a list of *query words*; each word can be found in several ways
(its own stem, its spelling variants, its compound parts, its thesaurus terms:
see analysis.py). An entry matches a word when any way finds it in the entry's
text; the word then counts once, however many of its ways matched.

The score is BM25F (Robertson and Zaragoza, "The Probabilistic Relevance
Framework: BM25 and Beyond", 2009): per word, the term frequencies of the
fields are weighted and length-normalised *before* one saturation, so a word
in the title adds to the evidence of the same word in the text instead of
scoring a second time. One inverse document frequency per word, counted over
the whole entries (never per field: a common word is rare among titles, and a
per-field idf let a title's common word outrank a rare word in a long text).
Rare words decide; a long, rich entry is normalised gently (low ``b`` for the
text), so the evaluations and essays an archive is for are not buried.

Every statistic is taken from the live entries only (``PostingSource``), so the
ranking is a function of the entries, whatever the edit history of the index.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable, Protocol, Sequence

K1 = 1.2


@dataclass(frozen=True)
class Field:
    name: str
    weight: float
    b: float


# ``tekst`` holds everything (title and summary too): it decides whether an entry matches; the
# title and summary add weight. Source titles live in ``bronnen`` and count less than the text.
FIELDS: tuple[Field, ...] = (
    Field("tekst", 1.0, 0.35),
    Field("titel", 1.5, 0.5),
    Field("samenvatting", 1.0, 0.5),
    Field("bronnen", 0.5, 0.5),
)
MATCH_FIELDS = ("tekst", "bronnen")
# A word found only through the thesaurus is a little weaker evidence than the word itself.
SYNONYM_WEIGHT = 0.8
# A word in more than this share of the entries (in archives of at least COMMON_FROM entries)
# only ranks what the other words find: alone it would make most of the archive a match.
COMMON_SHARE = 0.3
COMMON_FROM = 200


@dataclass(frozen=True)
class Way:
    """One way of finding a word: stems that must all occur (one stem, or a compound's parts)."""

    stems: tuple[str, ...]
    weight: float = 1.0


@dataclass
class QueryWord:
    text: str
    ways: list[Way] = field(default_factory=list)


class PostingSource(Protocol):
    """What ranking needs from an index, over live entries only."""

    def postings(self, field: str, stem: str, within: set[int] | None = None) -> dict[int, int]:
        """Entry number → frequency of ``stem`` in ``field`` (only numbers in ``within``, when given)."""

    def frequency(self, field: str, stem: str) -> int:
        """In how many live entries ``stem`` occurs in ``field``."""

    def lengths(self, field: str) -> Sequence[float]:
        """The length of ``field`` in each entry, by entry number."""

    def average_length(self, field: str) -> float:
        """The mean length of ``field`` over the live entries."""

    def count(self) -> int:
        """How many live entries there are."""


def idf(count: int, found: int) -> float:
    """BM25's inverse document frequency (never negative: a count over several fields may pass
    the number of entries)."""
    found = min(found, count)
    return math.log(1 + (count - found + 0.5) / (found + 0.5))


def rank(words: Iterable[QueryWord], source: PostingSource, allowed: set[int] | None = None) -> dict[int, float]:
    """Entry number → score of every entry that matches at least one (not too common) word.

    A word's document frequency is that of its most frequent way (as Lucene's SynonymQuery has
    it), a compound's parts counting as their rarest part: counts, exact over the live entries,
    that read no postings. Only the rare words' postings are read
    whole; a common word is read only for the entries the rare words found.
    """
    total = source.count()
    words = [QueryWord(w.text, [way for way in w.ways if _worth_reading(way, source, total)]) for w in words]
    words = [w for w in words if w.ways]
    if not words or not total:
        return {}
    spreads = [max(_spread(way, source) for way in word.ways) for word in words]
    common = [total >= COMMON_FROM and spread > COMMON_SHARE * total for spread in spreads]
    if all(common):
        common = [False] * len(words)
    matches: list[set[int]] = [set() for _ in words]
    candidates: set[int] = set()
    for number, word in enumerate(words):
        if not common[number]:
            matches[number] = _matches(word, source, allowed)
            candidates |= matches[number]
    for number, word in enumerate(words):
        if common[number] and candidates:
            matches[number] = _matches(word, source, candidates)
    scores: dict[int, float] = {}
    averages = {f.name: source.average_length(f.name) or 1.0 for f in FIELDS}
    for word, found, spread in zip(words, matches, spreads):
        if not found:
            continue
        weight = idf(total, spread)
        for number, tf in _pseudo_frequencies(word, found, source, averages).items():
            scores[number] = scores.get(number, 0.0) + weight * tf / (K1 + tf)
    # Equal scores stay equal however they were summed (the caller breaks ties by id).
    return {number: round(score, 9) for number, score in scores.items()}


def _worth_reading(way: Way, source: PostingSource, total: int) -> bool:
    """A compound's parts that are all everywhere ("buurt" and "huis" for "buurthuis") would match
    most of a large archive, far from the compound: then the word is looked for whole."""
    if len(way.stems) == 1 or total < COMMON_FROM:
        return True
    return min(source.frequency("tekst", stem) for stem in way.stems) <= COMMON_SHARE * total


def _spread(way: Way, source: PostingSource) -> int:
    """In how many entries a way can find its word: one stem's count; for a compound's parts, the
    count of the rarest part (no postings are read to count)."""
    return sum(min(source.frequency(name, stem) for stem in way.stems) for name in MATCH_FIELDS)


def _all_stems(way: Way, field: str, source: PostingSource, within: set[int] | None) -> set[int]:
    """The entries (within ``within``) whose ``field`` holds every stem of the way, rarest first."""
    docs = within
    for stem in sorted(way.stems, key=lambda stem: source.frequency(field, stem)):
        posted = source.postings(field, stem, docs)
        docs = set(posted) if docs is None else docs & posted.keys()
        if not docs:
            return set()
    return docs or set()


def _matches(word: QueryWord, source: PostingSource, within: set[int] | None) -> set[int]:
    """The entries (within ``within``) where any way finds the word."""
    found: set[int] = set()
    for way in word.ways:
        for name in MATCH_FIELDS:
            found |= _all_stems(way, name, source, within)
    return found


def _pseudo_frequencies(word: QueryWord, hits: set[int], source: PostingSource, averages: dict[str, float]
                        ) -> dict[int, float]:
    """BM25F's weighted, length-normalised frequency of the word in each entry of ``hits``."""
    pseudo: dict[int, float] = dict.fromkeys(hits, 0.0)
    for f in FIELDS:
        best: dict[int, float] = {}
        for way in word.ways:
            frequency: dict[int, float] | None = None
            for stem in way.stems:
                posted = source.postings(f.name, stem, hits if frequency is None else set(frequency))
                if frequency is None:
                    frequency = {d: float(n) for d, n in posted.items()}
                else:
                    # A compound's parts: as often as its rarest part.
                    frequency = {d: min(n, posted[d]) for d, n in frequency.items() if d in posted}
                if not frequency:
                    break
            weight = way.weight
            for number, n in (frequency or {}).items():
                n *= weight
                if n > best.get(number, 0.0):
                    best[number] = n
        if not best:
            continue
        average, b, field_weight = averages[f.name], f.b, f.weight
        lengths = source.lengths(f.name)
        keep, scale = 1 - b, b / average
        for number, n in best.items():
            pseudo[number] += field_weight * n / (keep + scale * lengths[number])
    return pseudo
