"""What a user typed, as the words that rank it: the question's content words, each with the
ways it can be found (its stem, spelling variants, compound parts, thesaurus terms).

Engine-free. Text that uses query syntax (``"a phrase"``, ``titel:jongeren``,
``AND``) is left to the engine's parser (store.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import analysis, scoring

_SYNTAX = ('"', ":", "*", "(", ")", "[", "^", "~")
_OPERATORS = ("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE")


@dataclass
class WordQuery:
    """A typed question as words to rank (scoring.py), not an engine's query."""

    words: list[scoring.QueryWord]


def uses_syntax(text: str) -> bool:
    """True when the text asks for query syntax rather than plain words."""
    return any(mark in text for mark in _SYNTAX) or any(w in _OPERATORS for w in text.split())


def word_query(text: str, lexicon: analysis.Lexicon, synonyms: analysis.Synonyms) -> WordQuery | None:
    """The question's words with their ways; None when it has no word to look for."""
    found = analysis.query_words(text)
    words = []
    for word in found:
        own = lexicon.alternatives(word)
        ways = [scoring.Way(option) for option in own]
        ways += [scoring.Way(option, scoring.SYNONYM_WEIGHT)
                 for option in analysis.query_alternatives(word, lexicon, synonyms) if option not in own]
        words.append(scoring.QueryWord(word, ways))
    # A run of words that a thesaurus term names (wet maatschappelijke ondersteuning → wmo):
    # each of its words can also be found by that term.
    for start, end, others in analysis.query_phrases(found, synonyms):
        extra = [scoring.Way(tuple(analysis.stem(w) for w in term), scoring.SYNONYM_WEIGHT) for term in others]
        for word in words[start:end]:
            word.ways += [way for way in extra if way not in word.ways]
    return WordQuery(words) if words else None
