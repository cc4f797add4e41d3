"""Dutch text analysis for search, relatedness and the site's search, in plain Python.

Professionals type ``schooluitval`` where an entry says ``uitval op school``,
``werkeloosheid`` where it says ``werkloosheid``, ``Wmo`` where it says ``Wet
maatschappelijke ondersteuning``, ``altruisme`` without the diaeresis. One
analysis serves the index (store/schema.py wraps it in a tokenizer), the
relatedness pass (related.py) and the site's Pagefind index
(``expansion_terms``), so all agree on what a word means. Nothing here imports
a search engine.

A word becomes *alternatives*: tuples of stems that each stand for the word.
``schooluitval`` gives ``(schooluitval,)`` and ``(school, uitval)``; the
index stores the union of all alternatives at the word's position, a query
asks for any one alternative (all stems of it).

In this order: words (folding, ``words``); which parts of the analysis run
(``use_analysis``, for evaluations); stems (``stem``); the lexicon and
compounds (``Lexicon``); the thesaurus (``Synonyms``); the words of a question
(``query_words``, ``query_phrases``); and the words added for the site
(``expansion_terms``).
"""

from __future__ import annotations

import math
import re
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

import Stemmer

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


# --- which parts of the analysis run ------------------------------------------------------------


@dataclass(frozen=True)
class Analysis:
    """The parts of the Dutch analysis in use. All on in normal use; an evaluation switches
    parts off to show what each is worth (the index notices the change and rebuilds)."""

    stemming: bool = True
    compounds: bool = True
    thesaurus: bool = True
    question_words: bool = True

    def key(self) -> str:
        return "".join("1" if on else "0" for on in (self.stemming, self.compounds, self.thesaurus, self.question_words))


FULL = Analysis()
PLAIN = Analysis(stemming=False, compounds=False, thesaurus=False, question_words=False)
_analysis = FULL


def analysis() -> Analysis:
    return _analysis


def version() -> str:
    """Names what an index made with this analysis depends on: the parts in use and the lexicon."""
    return f"{_analysis.key()}-{LEXICON_VERSION}"


@contextmanager
def use_analysis(chosen: Analysis) -> Iterator[Analysis]:
    """Run the block with only the chosen parts of the analysis (for evaluations and tests)."""
    global _analysis
    before = _analysis
    _analysis = chosen
    _forget_analyses()
    try:
        yield chosen
    finally:
        _analysis = before
        _forget_analyses()


def _forget_analyses() -> None:
    """Drop what was worked out under another analysis: stems and the shipped lexicon's splits."""
    stem.cache_clear()
    if default_lexicon.cache_info().currsize:
        default_lexicon().forget()


# --- stemming -------------------------------------------------------------------------------------
# Snowball's Dutch algorithm as Snowball 3 maintains it (PyStemmer): ``dutch_porter``, the
# algorithm Pagefind's stemmer also implements, so the terminal and the site agree on a word.
# Snowball 3's newer ``dutch`` strips the ge- prefix of participles and with it the first syllable
# of words this domain lives on: begeleiding → beleid (policy), gezondheid → zon, gemeente → meen.

_STEMMER = Stemmer.Stemmer("dutch_porter")
# Dutch devoices a final consonant: werklozen/werkloos, brieven/brief, huizen/huis. The stemmer
# leaves werkloz and werklos apart; a final z or v of a stem is read as s or f.
_DEVOICE = {"z": "s", "v": "f"}
# English loanwords Dutch practice uses as they are; the Dutch algorithm would mangle them
# (casemanagers → casemanager is fine, coaches → coache is not). Only a plural -s is taken off.
LOANWORDS = frozenset("""
buddy buddies casemanager coach coaches coaching community communities empowerment outreach housing
homeless first jobcoach jobcoaches jobcoaching meeting meetings mentor mentors peer peers support
workshop workshops hub hubs challenge pilot pilots training trainingen care
""".split())


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball Dutch stem of a folded word (``werkloosheid`` and ``werklozen`` → ``werklos``)."""
    if len(word) < 3 or not word.isalpha() or not _analysis.stemming:
        return word
    if word in LOANWORDS:
        if word.endswith("ies"):
            return word[:-3] + "y"
        return word[:-2] if word.endswith("ches") else word[:-1] if word.endswith("s") else word
    stemmed = _STEMMER.stemWord(word)
    last = stemmed[-1:]
    if last in _DEVOICE and len(stemmed) > 3:
        stemmed = stemmed[:-1] + _DEVOICE[last]
    return stemmed


# --- the Dutch lexicon: compounds -----------------------------------------------------------------

MIN_PART = 3
MIN_TAIL = 4
MIN_COMPOUND = 7
MAX_PARTS = 3
# Linking sounds between the parts of a compound: arbeid-s-markt, bessen-sap, kind-er-opvang.
LINKS = ("", "s", "e", "en", "er")
# A part must be a word at least this common (Zipf scale: 3 is once per million words), so that
# an unknown word is not chopped into rare fragments.
PART_ZIPF = 2.5
# A word splits only when each part is more common than the word itself, and at least this common
# (Zipf 3: once per million words): ``ouderen`` (4.45) stays whole beside ``oud`` (5.3) and
# ``eren`` (3.7); ``sneuvelen`` beside ``sneu`` and ``velen``; ``straatintimidatie`` (2.4) splits.
SPLIT_ZIPF = 3.0
# Thesaurus words added for the site's search at least this common are left out (Zipf 5: once in
# every 100,000 words: wet, wijk, proef).
EXPANSION_MAX_ZIPF = 5.0
# A word this common is a word of its own, whatever its parts (huiswerk, kinderopvang, huisarts).
WHOLE_ZIPF = 3.6
# Plural and inflection endings: a word is as common as the word it inflects.
INFLECTIONS = ("en", "s", "e", "n", "'s")
# Endings and prefixes that are words too (heid, ing, ver) but here only affixes: never a part of their own.
SUFFIXES = frozenset("""
heid heden ing ingen schap schappen lijk lijke lijkheid baar bare isch ische isme ist isten tje tjes
ster sters erij erijen atie aties iteit iteiten achtig achtige loos loze eren
ver ont her mis
""".split())
# The word list: wordfreq's Dutch list (wordfreq 3.1.1; its data CC BY-SA 4.0), folded, with Zipf
# frequencies times ten, shipped as data/lexicon-nl.txt.gz (data/make_lexicon.py writes it).
LEXICON_FILE = Path(__file__).parent.parent / "data" / "lexicon-nl.txt.gz"
LEXICON_VERSION = 3
# Rarer words are left out: they can be no part, and the list loads in a tenth of the time.
LEXICON_MIN_ZIPF = PART_ZIPF


class Lexicon:
    """Dutch words with their frequencies, to split compounds into parts.

    ``straatintimidatie`` splits into ``straat`` and ``intimidatie``: both are
    common Dutch words and, on average, more common than the compound (the
    frequency rule of Koehn and Knight). ``ouderen`` stays whole although
    ``oud`` and ``eren`` are words: the compound is more common than its
    parts. The list is fixed (it does not learn from the archive), so an
    entry is analysed the same way whatever else the archive holds.
    """

    def __init__(self, zipf: dict[str, int]) -> None:
        self.zipf = zipf
        self._alternatives: dict[str, tuple[tuple[str, ...], ...]] = {}
        self._terms: dict[str, tuple[str, ...]] = {}
        self._splits: dict[str, tuple[str, ...] | None] = {}

    def forget(self) -> None:
        """Drop cached analyses (the analysis in use changed)."""
        self._alternatives.clear()
        self._terms.clear()
        self._splits.clear()

    @classmethod
    def from_wordfreq(cls) -> "Lexicon":
        """The lexicon from wordfreq's Dutch list (what ``data/make_lexicon.py`` ships)."""
        import wordfreq

        zipf: dict[str, int] = {}
        for word, frequency in wordfreq.get_frequency_dict("nl", wordlist="large").items():
            score = round(10 * (math.log10(frequency) + 9))
            if score < 10 * LEXICON_MIN_ZIPF:
                continue
            folded = fold(word)
            if folded.isalpha() and len(folded) >= MIN_PART and zipf.get(folded, 0) < score:
                zipf[folded] = score
        return cls(zipf)

    @classmethod
    def shipped(cls) -> "Lexicon":
        """The lexicon shipped with kennisbank (``data/lexicon-nl.txt.gz``): a line per frequency,
        ``<Zipf × 10> <word> <word> ...``."""
        import gzip

        zipf: dict[str, int] = {}
        for line in gzip.decompress(LEXICON_FILE.read_bytes()).decode("utf-8").splitlines():
            score, *found = line.split(" ")
            zipf.update(dict.fromkeys(found, int(score)))
        return cls(zipf)

    def shipped_bytes(self) -> bytes:
        """This lexicon as the shipped file holds it (byte for byte the same for the same words)."""
        import gzip

        by_score: dict[int, list[str]] = {}
        for word, score in self.zipf.items():
            by_score.setdefault(score, []).append(word)
        lines = [" ".join([str(score), *sorted(found)]) for score, found in sorted(by_score.items(), reverse=True)]
        return gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0)

    def __contains__(self, word: str) -> bool:
        return word in self.zipf

    def __len__(self) -> int:
        return len(self.zipf)

    def _part(self, word: str) -> int:
        """The word's frequency (Zipf × 10) when it can be a part of a compound, else 0."""
        if word in STOPWORDS or word in SUFFIXES:
            return 0
        score = self.zipf.get(word, 0)
        return score if score >= 10 * PART_ZIPF else 0

    def split(self, word: str) -> tuple[str, ...] | None:
        """The parts of a compound (``schooluitval`` → school, uitval), or None."""
        if word in self._splits:
            return self._splits[word]
        found = None
        if len(word) >= MIN_COMPOUND and word.isalpha() and _analysis.compounds:
            known = self._known(word)
            if known < 10 * WHOLE_ZIPF:
                best = self._best(word, MAX_PARTS)
                if best is not None and best[0] > known and best[0] >= 10 * SPLIT_ZIPF:
                    found = best[1]
        self._splits[word] = found
        return found

    def _known(self, word: str) -> int:
        """How common the word is, or the word it inflects (``mentoren``: ``mentor``; ``loketten``:
        ``loket``)."""
        score = self.zipf.get(word, 0)
        for ending in INFLECTIONS:
            if word.endswith(ending) and len(word) - len(ending) >= MIN_COMPOUND - 1:
                base = word[:-len(ending)]
                score = max(score, self.zipf.get(base, 0))
                if len(base) > 2 and base[-1] == base[-2]:  # a doubled consonant: lokett(en) → loket
                    score = max(score, self.zipf.get(base[:-1], 0))
        return score

    def _best(self, word: str, budget: int) -> tuple[float, tuple[str, ...]] | None:
        """(frequency of the rarest part, parts) of the best split of ``word``: the fewest parts (at
        most ``budget``), and among those the one whose rarest part is most common."""
        best: tuple[float, tuple[str, ...]] | None = None
        longer: list[tuple[float, tuple[str, ...]]] = []
        for cut in range(MIN_PART, len(word) - MIN_TAIL + 1):
            head = word[:cut]
            head_score = self._part(head)
            if not head_score:
                continue
            for link in LINKS:
                if not word.startswith(link, cut):
                    continue
                rest = word[cut + len(link):]
                if len(rest) < MIN_TAIL:
                    continue
                rest_score = self._part(rest)
                if rest_score:
                    option = (min(head_score, rest_score), (head, rest))
                    if best is None or option[0] > best[0]:
                        best = option
                elif best is None and budget > 2 and len(rest) >= MIN_PART + MIN_TAIL:
                    sub = self._best(rest, budget - 1)
                    if sub is not None:
                        longer.append((min(head_score, sub[0]), (head, *sub[1])))
        if best is None and longer:
            best = max(longer, key=lambda option: (-len(option[1]), option[0]))
        return best

    def variants(self, word: str) -> list[str]:
        """Spelling variants with or without a linking -e-/-s- (``werkeloosheid`` ↔ ``werkloosheid``)
        that are Dutch words themselves."""
        found: list[str] = []
        if not _analysis.compounds:
            return found
        for cut in range(MIN_PART, len(word) - MIN_PART):
            head = word[:cut]
            if not self._part(head):
                continue
            rest = word[cut:]
            if rest[0] in "es" and len(rest) > MIN_PART:
                shorter = head + rest[1:]
                if self._part(shorter):
                    found.append(shorter)
            for link in "es":
                longer = head + link + rest
                if self._part(longer):
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


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The shipped Dutch lexicon, read once per process."""
    return Lexicon.shipped()


# --- the thesaurus -----------------------------------------------------------------------------------

THESAURUS_FILE = Path(__file__).parent.parent / "data" / "thesaurus-nl.txt"


@lru_cache(maxsize=1)
def default_thesaurus() -> tuple[tuple[str, ...], ...]:
    """The shipped thesaurus of the social domain (``data/thesaurus-nl.txt``): groups of terms."""
    groups = []
    for line in THESAURUS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            groups.append(tuple(t.strip() for t in line.split("|") if t.strip()))
    return tuple(groups)


def archive_synonyms(archive_groups: Iterable[Iterable[str]]) -> "Synonyms":
    """The thesaurus of an archive: the shipped one and the archive's own groups (plugin option
    ``synonyms``); none while the thesaurus is switched off. Search and the site use this one."""
    if not _analysis.thesaurus:
        return Synonyms([])
    return Synonyms([*default_thesaurus(), *archive_groups])


class Synonyms:
    """Word or phrase → the other terms of its groups (``wmo`` ↔ ``wet maatschappelijke ondersteuning``)."""

    def __init__(self, groups: Iterable[Iterable[str]]) -> None:
        self._by_key: dict[str, list[tuple[str, ...]]] = {}
        for group in groups:
            terms = [tuple(w for w in words(term) if w not in STOPWORDS) for term in group]
            terms = [t for t in terms if t]
            for term in terms:
                key = " ".join(stem(w) for w in term)
                others = self._by_key.setdefault(key, [])
                others += [t for t in terms if t != term and t not in others]
        self.longest = max((k.count(" ") + 1 for k in self._by_key), default=1)
        # The first stem of every term of several words: a run of words can only name a term from one.
        self.phrase_starts = frozenset(k.split(" ", 1)[0] for k in self._by_key if " " in k)

    def of(self, word: str) -> list[tuple[str, ...]]:
        """Other terms (as folded word tuples) meaning the same as a folded word."""
        return self._by_key.get(stem(word), [])

    def of_phrase(self, phrase: tuple[str, ...]) -> list[tuple[str, ...]]:
        """Other terms meaning the same as a run of folded words (``wet maatschappelijke ondersteuning``)."""
        return self._by_key.get(" ".join(stem(w) for w in phrase), [])


def query_alternatives(word: str, lexicon: Lexicon, synonyms: Synonyms) -> list[tuple[str, ...]]:
    """Alternatives of one query word, including its synonyms (each analysed the same way)."""
    options = list(lexicon.alternatives(word))
    for term in synonyms.of(word):
        if len(term) == 1:
            options += lexicon.alternatives(term[0])
        else:
            options.append(tuple(stem(w) for w in term))
    return list(dict.fromkeys(options))


# Words a question is made of that say nothing about its subject ("Welke gemeente heeft ooit
# ervaring gehad met ...", "wat werkt tegen ..."). Left out of a query that has other words.
QUESTION_WORDS = frozenset("""
welke welk wie wat waar waarmee waarin wanneer waarom hoe hoeveel ooit gehad ervaring ervaringen eerder
geprobeerd gedaan bekend iemand iets projecten project interventie interventies gemeente gemeenten
gemeentes werkt werkte werkten werken helpt hielp hielpen geholpen lukt lukte lukten zoek zoeken zoekt
gezocht voorbeeld voorbeelden vergelijkbaar vergelijkbare soortgelijk soortgelijke zoals gebeurd
kun kunt jij informatie aanpakken effect effecten resultaat resultaten opgeleverd leverde succes
succesvol succesvolle goed goede elders andere ergens al eens iets
""".split())


def content_words(text: str) -> list[str]:
    """Folded words without stopwords and bare numbers: what a query or text is about."""
    return [w for w in words(text) if w not in STOPWORDS and not w.isdigit()]


def query_words(text: str) -> list[str]:
    """The words of a typed question that decide its ranking: content words without question
    words, unless nothing else is left (``ervaring`` alone is still searched)."""
    found = list(dict.fromkeys(content_words(text)))
    if not _analysis.question_words:
        return found
    kept = [w for w in found if w not in QUESTION_WORDS]
    return kept or found


def query_phrases(found: list[str], synonyms: Synonyms) -> list[tuple[int, int, list[tuple[str, ...]]]]:
    """Runs of query words that a thesaurus term names (``wet maatschappelijke ondersteuning``):
    (first word, past-last word, the other terms), longest first."""
    runs = []
    starts = [at for at, word in enumerate(found) if stem(word) in synonyms.phrase_starts]
    for size in range(min(synonyms.longest, len(found)), 1, -1):
        for start in starts:
            if start + size <= len(found):
                others = synonyms.of_phrase(tuple(found[start:start + size]))
                if others:
                    runs.append((start, start + size, others))
    return runs


def expansion_terms(text: str, lexicon: Lexicon | None = None, synonyms: Synonyms | None = None) -> list[str]:
    """Words to index beside a text for an engine without this analysis (the site's Pagefind):
    the parts of its compounds and the thesaurus terms of its words and phrases, each once, and
    none the text already has. ``jeugdwerkloosheid`` adds ``jeugd werkloosheid``; ``Wmo`` adds
    ``wet maatschappelijke ondersteuning``; ``intimidatie op straat`` adds ``straatintimidatie``."""
    lexicon = lexicon or default_lexicon()
    synonyms = synonyms or archive_synonyms([])
    found = content_words(text)
    have = set(found)
    extra: dict[str, None] = {}
    parts: dict[str, None] = {}
    for word in dict.fromkeys(found):
        parts.update(dict.fromkeys(lexicon.split(word) or ()))
        for term in synonyms.of(word):
            extra.update(dict.fromkeys(term))
    for _, _, others in query_phrases(found, synonyms):
        for term in others:
            extra.update(dict.fromkeys(term))
    # Thesaurus words of everyday Dutch (wet, wijk, proef) would be added to most pages: they say little
    # about a page and make every search of the site download more. A compound's parts all count.
    common = 10 * EXPANSION_MAX_ZIPF
    words = [*parts, *(w for w in extra if w not in parts and lexicon.zipf.get(w, 0) < common)]
    return [w for w in words if w not in have]
