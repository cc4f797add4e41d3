"""Dutch text analysis for search and relatedness, in plain Python.

Professionals type ``schooluitval`` where an entry says ``uitval op school``,
``werkeloosheid`` where it says ``werkloosheid``, ``altruisme`` without the
diaeresis. One analysis serves the Whoosh index (index.py wraps it in a
tokenizer) and the relatedness pass (related.py), so both agree on what a word
means. Nothing here imports Whoosh.

A word becomes *alternatives*: tuples of stems that each stand for the word.
``schooluitval`` gives ``(schooluitval,)`` and ``(school, uitval)``; the
index stores the union of all alternatives at the word's position, a query
asks for any one alternative (all stems of it).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

# Whoosh's Dutch list plus the words questions are made of ("welke",
# "projecten"-style fillers stay: they carry meaning in this domain).
STOPWORDS = frozenset("""
aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus een eens en er ge
geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is ja je kan kon kunnen maar
me meer men met mij mijn moet na naar niet niets nog nu of om omdat onder ons ook op over reeds te tegen toch
toen tot u uit uw van veel voor want waren was wat werd wezen wie wil worden wordt zal ze zelf zich zij zijn zo
zonder zou welke welk waar wanneer waarom hoeveel er wel geweest werden zullen kunnen zouden word wij we jullie
mogen moeten heb hebt was waren deed doet gaat ging tussen tijdens na sinds
""".split())

MIN_PART = 3
MIN_COMPOUND = 6
MIN_TAIL = 5
MIN_HEAD = 6
MAX_PARTS = 3
LINKS = ("", "s", "e", "en")
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_VOWELS = frozenset("aeiouyè")


def fold(text: str) -> str:
    """Lowercase without accents: ``Altruïsme`` → ``altruisme``, ``één`` → ``een``.

    Only the non-ASCII characters are looked at (each once per process): a
    text with one ``é`` is not decomposed character by character.
    """
    text = text.lower()
    if text.isascii():
        return text
    return _NON_ASCII.sub(_fold_match, text)


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _fold_match(match: re.Match) -> str:
    return _fold_run(match.group())


@lru_cache(maxsize=4096)
def _fold_run(run: str) -> str:
    """A run of non-ASCII characters without its combining marks (NFKD, as compatibility folding does)."""
    return "".join(c for c in unicodedata.normalize("NFKD", run) if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """Folded words in order; hyphenated words (``re-integratie``) stay one word."""
    return _WORD.findall(fold(text))


def word_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, folded word) of each word, for marking matches in a snippet."""
    for match in _WORD.finditer(text):
        yield match.start(), match.end(), fold(match.group())


# --- stemming -------------------------------------------------------------------------------------
# The Snowball Dutch algorithm (snowballstem.org/algorithms/dutch/stemmer.html),
# here so that relatedness needs no search engine.


def _undouble(word: str) -> str:
    return word[:-1] if word.endswith(("kk", "dd", "tt")) else word


def _valid_en_ending(base: str) -> bool:
    return bool(base) and base[-1] not in _VOWELS and not base.endswith("gem")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball Dutch stem of a folded word (``werkloosheid`` → ``werkloos``)."""
    if len(word) < 3 or not word.isalpha():
        return word
    chars = list(word)
    if chars[0] == "y":
        chars[0] = "Y"
    for i in range(1, len(chars)):
        if chars[i] == "y" and chars[i - 1] in _VOWELS:
            chars[i] = "Y"
        elif chars[i] == "i" and chars[i - 1] in _VOWELS and i + 1 < len(chars) and chars[i + 1] in _VOWELS:
            chars[i] = "I"
    w = "".join(chars)
    r1 = r2 = len(w)
    for i in range(1, len(w)):
        if w[i] not in _VOWELS and w[i - 1] in _VOWELS:
            r1 = i + 1
            break
    for i in range(r1 + 1, len(w)):
        if w[i] not in _VOWELS and w[i - 1] in _VOWELS:
            r2 = i + 1
            break
    r1 = max(r1, 3)

    # Step 1: plural and inflection endings.
    if w.endswith("heden"):
        if len(w) - 5 >= r1:
            w = w[:-5] + "heid"
    elif w.endswith(("ene", "en")):
        cut = 3 if w.endswith("ene") else 2
        if len(w) - cut >= r1 and _valid_en_ending(w[:-cut]):
            w = _undouble(w[:-cut])
    elif w.endswith(("se", "s")):
        cut = 2 if w.endswith("se") else 1
        base = w[:-cut]
        if len(w) - cut >= r1 and base and base[-1] not in _VOWELS and base[-1] != "j":
            w = base
    # Step 2: a final -e.
    e_found = False
    if w.endswith("e") and len(w) - 1 >= r1 and len(w) > 1 and w[-2] not in _VOWELS:
        w = _undouble(w[:-1])
        e_found = True
    # Step 3a: -heid.
    if w.endswith("heid") and len(w) - 4 >= r2 and not w[:-4].endswith("c"):
        w = w[:-4]
        if w.endswith("en") and len(w) - 2 >= r1 and _valid_en_ending(w[:-2]):
            w = _undouble(w[:-2])
    # Step 3b: derivational endings.
    if w.endswith(("end", "ing")):
        if len(w) - 3 >= r2:
            w = w[:-3]
            if w.endswith("ig") and len(w) - 2 >= r2 and not w[:-2].endswith("e"):
                w = w[:-2]
            else:
                w = _undouble(w)
    elif w.endswith("ig"):
        if len(w) - 2 >= r2 and not w[:-2].endswith("e"):
            w = w[:-2]
    elif w.endswith("lijk"):
        if len(w) - 4 >= r2:
            w = w[:-4]
            if w.endswith("e") and len(w) - 1 >= r1 and len(w) > 1 and w[-2] not in _VOWELS:
                w = _undouble(w[:-1])
    elif w.endswith("baar"):
        if len(w) - 4 >= r2:
            w = w[:-4]
    elif w.endswith("bar"):
        if len(w) - 3 >= r2 and e_found:
            w = w[:-3]
    # Step 4: undouble a vowel before a final consonant (maan → man).
    if (
        len(w) >= 4 and w[-4] not in _VOWELS and w[-1] not in _VOWELS and w[-1] != "I"
        and w[-3] == w[-2] and w[-2] in "aeou"
    ):
        w = w[:-2] + w[-1]
    return w.replace("I", "i").replace("Y", "y")


# --- the archive's own vocabulary -----------------------------------------------------------------


# Common parts of compounds in this domain, so that a compound splits even when
# the archive never writes its parts apart. The archive's own words add the rest.
BASE_WORDS = """
school uitval jeugd zorg werk loos wijk buurt taal les schuld hulp verlening huis bezoek team gezin coach
straat jongeren jongere ouder ouderen kind kinderen opvoeding ondersteuning welzijn gezondheid armoede
bewoner bewoners initiatief budget geld project plaats stage leer opleiding onderwijs kwalificatie start
woning wonen corporatie renovatie veiligheid overlast sport centrum dienst sociaal sociale vrijwilliger
vrijwilligers mantel inburgering lezen voorlezen bemiddeling markt arbeid traject begeleiding beleid
preventie signalering vroeg meld punt spreekuur concierge wacht avond zomer week dag vakantie
""".split()


class Lexicon:
    """The words an archive uses, to split compounds into parts it knows.

    Built from the entries themselves (every word of three or more letters)
    plus a small shipped list of common parts, so a compound in one entry
    meets its parts written apart in another.
    """

    def __init__(self, known: Iterable[str] = ()) -> None:
        self.known: set[str] = {w for w in known if len(w) >= MIN_PART and w not in STOPWORDS}
        self._alternatives: dict[str, tuple[tuple[str, ...], ...]] = {}
        self._terms: dict[str, tuple[str, ...]] = {}

    @classmethod
    def with_base(cls, known: Iterable[str] = ()) -> "Lexicon":
        lexicon = cls(BASE_WORDS)
        lexicon.add(known)
        lexicon.learn_heads()
        return lexicon

    def add(self, new: Iterable[str]) -> bool:
        """Learn words; True when any was new (cached analyses are then dropped)."""
        before = len(self.known)
        self.known.update(w for w in new if len(w) >= MIN_PART and w not in STOPWORDS and w.isalpha())
        if len(self.known) != before:
            self._forget()
            return True
        return False

    def _forget(self) -> None:
        """Drop cached analyses (the known words changed)."""
        self._alternatives.clear()
        self._terms.clear()

    def __contains__(self, word: str) -> bool:
        return word in self.known

    def __len__(self) -> int:
        return len(self.known)

    @classmethod
    def load(cls, path: Path) -> "Lexicon":
        return cls(path.read_text(encoding="utf-8").split())

    def save_text(self) -> str:
        return "\n".join(sorted(self.known)) + "\n"

    def split(self, word: str) -> tuple[str, ...] | None:
        """Known parts of a compound (``schooluitval`` → school, uitval), or None.

        Parts may be joined by a linking morpheme (s, e, en: ``arbeidsmarkt``,
        ``bessensap``); the split with the fewest parts wins, then the one
        with the longest first part.
        """
        if len(word) < MIN_COMPOUND or not word.isalpha():
            return None
        best = self._split(word, MAX_PARTS)
        return best if best and len(best) > 1 else None

    def learn_heads(self) -> None:
        """Learn first parts the archive only writes inside compounds.

        ``reintegratie`` appears only in ``reintegratiebudget`` and
        ``reintegratietrajecten``: a head seen before two different known
        words is taken as a word, so those compounds split and it finds them.
        """
        tails: dict[str, set[str]] = {}
        for word in self.known:
            for cut in range(MIN_HEAD, len(word) - MIN_TAIL + 1):
                if word[cut:] in self.known:
                    tails.setdefault(word[:cut], set()).add(stem(word[cut:]))
        heads = {h for h, found in tails.items() if len(found) >= 2 and h not in STOPWORDS and h not in self.known}
        if heads:
            self.known |= heads
            self._forget()

    def _split(self, word: str, budget: int) -> tuple[str, ...] | None:
        if word in self.known and budget < MAX_PARTS:
            return (word,)
        if budget == 1:
            return None
        best: tuple[str, ...] | None = None
        for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
            head = word[:cut]
            if head not in self.known:
                continue
            for link in LINKS:
                if not word.startswith(link, cut):
                    continue
                rest = word[cut + len(link):]
                if len(rest) < MIN_PART:
                    continue
                tail = self._split(rest, budget - 1)
                if tail and (best is None or len(tail) + 1 < len(best)):
                    best = (head, *tail)
            if best and len(best) == 2:
                break
        return best

    def variants(self, word: str) -> list[str]:
        """Spelling variants with or without a linking -e-/-s- that the archive uses.

        ``werkeloosheid`` and ``werkloosheid`` both exist in Dutch; when the
        archive knows one, the other finds it.
        """
        found = []
        for cut in range(MIN_PART, len(word) - MIN_PART):
            head = word[:cut]
            if head not in self.known:
                continue
            rest = word[cut:]
            if rest[0] in "es" and len(rest) > MIN_PART:
                shorter = head + rest[1:]
                if shorter in self.known:
                    found.append(shorter)
            for link in "es":
                longer = head + link + rest
                if longer in self.known:
                    found.append(longer)
        return [v for v in dict.fromkeys(found) if v != word]

    def alternatives(self, word: str) -> tuple[tuple[str, ...], ...]:
        """The ways a folded word can be found, as tuples of stems (see module docstring)."""
        cached = self._alternatives.get(word)
        if cached is not None:
            return cached
        options: list[tuple[str, ...]] = [(stem(word),)]
        if "-" in word or "'" in word or "’" in word:
            pieces = [p for p in re.split(r"[-'’]", word) if p and p not in STOPWORDS]
            joined = "".join(re.split(r"[-'’]", word))
            options = [(stem(joined),)]
            if len(pieces) > 1:
                options.append(tuple(stem(p) for p in pieces))
            elif pieces:
                options.append((stem(pieces[-1]),))
        else:
            for variant in self.variants(word):
                options.append((stem(variant),))
            parts = self.split(word)
            if parts:
                options.append(tuple(stem(p) for p in parts))
        result = tuple(dict.fromkeys(options))
        self._alternatives[word] = result
        return result

    def index_terms(self, word: str) -> tuple[str, ...]:
        """Every stem a word is indexed under: the union of its alternatives."""
        terms = self._terms.get(word)
        if terms is None:
            terms = self._terms[word] = tuple(dict.fromkeys(s for option in self.alternatives(word) for s in option))
        return terms


# --- synonyms ----------------------------------------------------------------------------------------


# Terms professionals use interchangeably; an archive adds its own in mkdocs.yml
# (plugin option ``synonyms``).
DEFAULT_SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("werkloosheid", "werkeloosheid"),
    ("werklozen", "werkzoekenden", "werkelozen"),
    ("schooluitval", "voortijdig schoolverlaten", "vsv", "schoolverlaters"),
    ("buurt", "wijk"),
    ("buurtbewoners", "wijkbewoners", "bewoners"),
    ("eenzaamheid", "isolement"),
    ("laaggeletterdheid", "analfabetisme", "laaggeletterden"),
    ("statushouders", "vergunninghouders", "vluchtelingen", "nieuwkomers"),
    ("jeugdzorg", "jeugdhulp"),
    ("jongerenwerk", "jeugdwerk"),
    ("schuldhulpverlening", "schuldhulp", "schuldsanering"),
    ("taalles", "taalcursus", "taalonderwijs"),
    ("bijstand", "uitkering"),
    ("overlast", "hinder"),
    ("wijkteam", "buurtteam"),
    ("mantelzorg", "mantelzorgers"),
    ("reintegratie", "re-integratie", "toeleiding naar werk"),
    ("subsidie", "financiering"),
    ("vroegsignalering", "vroeg signaleren"),
    ("trekker", "kartrekker", "aanjager"),
)


def default_synonyms() -> list[list[str]]:
    return [list(group) for group in DEFAULT_SYNONYMS]


class Synonyms:
    """Word → the other terms of its groups; a term may be several words (``voortijdig schoolverlaten``)."""

    def __init__(self, groups: Iterable[Iterable[str]]) -> None:
        self._by_key: dict[str, list[tuple[str, ...]]] = {}
        for group in groups:
            terms = [tuple(w for w in words(term) if w not in STOPWORDS) for term in group]
            terms = [t for t in terms if t]
            for term in terms:
                key = " ".join(stem(w) for w in term)
                others = self._by_key.setdefault(key, [])
                others += [t for t in terms if t != term and t not in others]

    def of(self, word: str) -> list[tuple[str, ...]]:
        """Other terms (as folded word tuples) meaning the same as a folded word."""
        return self._by_key.get(stem(word), [])


def query_alternatives(word: str, lexicon: Lexicon, synonyms: Synonyms) -> list[tuple[str, ...]]:
    """Alternatives of one query word, including its synonyms (each analysed the same way)."""
    options = list(lexicon.alternatives(word))
    for term in synonyms.of(word):
        if len(term) == 1:
            options += lexicon.alternatives(term[0])
        else:
            options.append(tuple(stem(w) for w in term))
    return list(dict.fromkeys(options))


def content_words(text: str) -> list[str]:
    """Folded words without stopwords and bare numbers: what a query or text is about."""
    return [w for w in words(text) if w not in STOPWORDS and not w.isdigit()]
