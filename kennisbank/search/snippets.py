"""The snippet under a hit: the sentence that holds most of the question's words, trimmed, with
the spans of the matching words (the terminal marks them in bold)."""

from __future__ import annotations

import re
import unicodedata

from . import analysis

SNIPPET_LENGTH = 220
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def make_snippet(shown: dict, keys: set[str], lexicon: analysis.Lexicon) -> tuple[str, list[tuple[int, int]]]:
    """The sentence that matches most query words, trimmed, with the spans of the matching words."""
    sentences = []
    for text in [shown["samenvatting"], *(body for _, body in shown["tekst"])]:
        flat = " ".join(unicodedata.normalize("NFC", text).split())
        sentences += [s for s in _SENTENCE.split(flat) if s]
    if not sentences:
        return "", []
    best, best_score = sentences[0], 0
    # The query keys each word stands for, worked out once per distinct word. Every index term
    # of a word of letters begins with two letters found in the word (a stem keeps the first two
    # letters of what it stems: the word, a spelling variant of it, or a part of it), so a word
    # without any key's first two letters is not analysed at all.
    found: dict[str, frozenset[str]] = {}
    openings = {key[:2] for key in keys}

    def keys_of(word: str) -> frozenset[str]:
        matched = found.get(word)
        if matched is None:
            if word.isalpha() and not any(opening in word for opening in openings):
                matched = found[word] = frozenset()
            else:
                matched = found[word] = frozenset(keys.intersection(lexicon.index_terms(word)))
        return matched

    if keys:
        split = [analysis.words(sentence) for sentence in sentences]
        matching = {w: keys_of(w) for w in set().union(*split)}
        matching = {w: matched for w, matched in matching.items() if matched}
        for sentence, sentence_words in zip(sentences, split):
            seen: set[str] = set()
            for word in matching.keys() & set(sentence_words):
                seen |= matching[word]
            if len(seen) > best_score:
                best, best_score = sentence, len(seen)
    marks = [
        (start, end) for start, end, word in analysis.word_spans(best)
        if best_score and word not in analysis.STOPWORDS and keys_of(word)
    ]
    return _trim(best, marks)


def _trim(sentence: str, marks: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """At most SNIPPET_LENGTH characters around the first match, cut at spaces, marks shifted along."""
    if len(sentence) <= SNIPPET_LENGTH:
        return sentence, marks
    first = marks[0][0] if marks else 0
    begin = max(0, min(first - 60, len(sentence) - SNIPPET_LENGTH))
    if begin:
        begin = sentence.find(" ", begin) + 1 or begin
    stop = min(len(sentence), begin + SNIPPET_LENGTH)
    space = sentence.rfind(" ", begin, stop)
    if stop < len(sentence) and space > begin:
        stop = space
    prefix = "…" if begin else ""
    suffix = "…" if stop < len(sentence) else ""
    text = prefix + sentence[begin:stop] + suffix
    shift = len(prefix) - begin
    kept = [(s + shift, e + shift) for s, e in marks if s >= begin and e <= stop]
    return text, kept
