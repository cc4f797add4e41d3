"""``kennisbank precedent``: the past interventions a plan resembles, and the questions they raise.

A plan is matched as a whole and by its paragraphs (a plan's paragraphs often
point at different precedents: one on school drop-out, another on debt
counselling), all by the one measure of related.py in a single pass
(``similar_to_texts``), leaving out the words of administrative prose
(``data/plan-stopwords-nl.txt``). A precedent's score is its whole-plan score
plus half its best paragraph score (see ``rank``); it carries the paragraphs it
matched best.

The briefing says of each precedent what it was, where and when, its verdict in
the site's words (render/verdict.py), why it stopped, its lessons and who knows
more (names only with recorded consent); then "Vragen voordat u begint", one
per stop reason of the precedents, from ``data/vragen.yaml`` (the site's "Toets
uw plan" page reads the same file). ``Briefing.to_json`` is the one content;
render/precedent.py writes it as text, Markdown or HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from .config import Settings
    from .entry import Entry

VRAGEN = Path(__file__).parent / "data" / "vragen.yaml"
PLAN_STOPWORDS = Path(__file__).parent / "data" / "plan-stopwords-nl.txt"
# Index terms this short (the "s" of "'s avonds", a "par." cut off) say nothing about a plan's subject.
MIN_TERM_LENGTH = 3
# Paragraphs shorter than this are joined to the next (a heading, a one-line list item).
MIN_WORDS = 20
# Longer blocks (a PDF page without blank lines) are cut into pieces of about this many words, at sentences.
MAX_WORDS = 180
PIECE_WORDS = 120
# How much a precedent's best paragraph adds to its whole-plan score (see ``rank``).
PARAGRAPH_WEIGHT = 0.5
# Candidates asked of the measure per text: enough for the merge to find a precedent one paragraph points at.
CANDIDATES = 30
# The plan's paragraphs quoted per precedent, and how much of each.
QUOTED_PARAGRAPHS = 2
SECOND_QUOTE_SHARE = 0.5
QUOTE_CHARACTERS = 120
LESSON_CHARACTERS = 320
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


@dataclass
class Paragraph:
    number: int  # 1-based, in the plan's order
    text: str  # with the headings above it: they say what it is about
    body: str = ""  # without them
    terms: int = 0  # distinct index terms that count (set by find_precedents)

    @property
    def start(self) -> str:
        """The paragraph's first words, for quoting."""
        return quote(self.body or self.text)


@dataclass
class Match:
    paragraph: Paragraph
    score: float


@dataclass
class Precedent:
    entry: Entry
    score: float
    whole: float
    matches: list[Match] = field(default_factory=list)


@dataclass
class Briefing:
    """A plan's precedents and questions; ``source`` names the plan (a file, or the given text)."""

    source: str
    words: int
    paragraphs: list[Paragraph]
    precedents: list[Precedent]
    vocabularies: Any
    skipped: int = 0  # entries left out for their errors

    def to_json(self) -> dict[str, Any]:
        return {
            "plan": {"bron": self.source, "woorden": self.words, "alineas": len(self.paragraphs)},
            "precedenten": [_precedent_json(p, self.vocabularies) for p in self.precedents],
            "vragen": questions(self.precedents),
        }


def split_paragraphs(text: str) -> list[Paragraph]:
    """The plan's paragraphs: blocks between blank lines, headings and short lines joined to what
    follows, long blocks cut at sentences."""
    merged: list[tuple[str, str]] = []  # (headings and body, body)
    headings: list[str] = []
    body: list[str] = []
    for lines in _blocks(text):
        if len(lines) == 1 and _is_heading(lines[0]):
            if body:  # a heading ends what came before it
                merged.extend(_emit(headings, body, merged))
                headings, body = [], []
            headings.append(lines[0].lstrip("#").strip())
            continue
        body.append(" ".join(line.lstrip("#").strip() for line in lines))
        if len(" ".join(body).split()) >= MIN_WORDS:
            merged.extend(_emit(headings, body, merged))
            headings, body = [], []
    if body or headings:
        merged.extend(_emit(headings, body, merged))
    return [Paragraph(number, whole, own) for number, (whole, own) in enumerate(merged, start=1)]


def _blocks(text: str) -> list[list[str]]:
    """The text's blocks of lines: between blank lines, and within a block without them (a PDF's
    page) around heading lines and after a short last line of a paragraph."""
    found = []
    for block in re.split(r"\n\s*\n", re.sub(r"\*\*|__", "", text)):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        widths = sorted(len(line) for line in lines)
        typical = widths[int(len(widths) * 0.8)] if len(lines) >= 4 else 0
        current: list[str] = []
        for number, line in enumerate(lines):
            if len(lines) > 1 and _is_heading(line) and not line.startswith(("-", "*", "•")):
                if current:
                    found.append(current)
                found.append([line])
                current = []
                continue
            current.append(line)
            if typical and line.endswith((".", "!", "?", ":")) and len(line) < 0.75 * typical and number < len(lines) - 1:
                found.append(current)
                current = []
        if current:
            found.append(current)
    return found


def _is_heading(line: str) -> bool:
    """A Markdown heading, or a short line without a sentence's end (a heading in a .txt or .pdf)."""
    return line.startswith("#") or (len(line.split()) <= 8 and not line.rstrip().endswith((".", "!", "?", ",", ";")))


def _emit(headings: list[str], body: list[str], merged: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The paragraph(s) of a body under its headings; a short one is joined to the one before it."""
    own = " ".join(body)
    if merged and len(own.split()) < MIN_WORDS // 2:
        whole, before = merged.pop()
        return [(" ".join([whole, *headings, own]).strip(), f"{before} {own}".strip())]
    title = " ".join(headings)
    return [(f"{title} {piece}".strip() if number == 0 else piece, piece)
            for number, piece in enumerate(_pieces(own) if own else [title])]


def _pieces(block: str) -> list[str]:
    """A long block in pieces of about PIECE_WORDS words, cut between sentences."""
    if len(block.split()) <= MAX_WORDS:
        return [block]
    pieces, current, count = [], [], 0
    for sentence in _SENTENCE_END.split(block):
        current.append(sentence)
        count += len(sentence.split())
        if count >= PIECE_WORDS:
            pieces.append(" ".join(current))
            current, count = [], 0
    if current:
        if pieces and count < MIN_WORDS:
            pieces[-1] += " " + " ".join(current)
        else:
            pieces.append(" ".join(current))
    return pieces


def quote(text: str, limit: int = QUOTE_CHARACTERS) -> str:
    """The start of a text, cut at a word, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"


def find_precedents(settings: Settings, text: str, source: str, limit: int = 5) -> Briefing:
    """The briefing for a plan: its ``limit`` best precedents, best first."""
    from .errors import UsageError
    from .i18n import _
    from .search import find_precedent_ids, read_entry

    if limit < 1:
        raise UsageError(_("--limit must be at least 1, not {limit}").format(limit=limit))
    if not text.strip():
        raise UsageError(_("the plan has no text"))
    from .related import text_words

    ignore = ignored_terms()
    paragraphs = split_paragraphs(text)
    for paragraph in paragraphs:
        paragraph.terms = sum(not ignore(term) for term in text_words([(paragraph.text, 1)]))
    found, skipped = find_precedent_ids(settings, text, [p.text for p in paragraphs], max(CANDIDATES, limit),
                               ignore=ignore)
    ranked = rank(found, paragraphs)
    precedents = []
    for entry_id, score, whole, matches in ranked:
        entry = read_entry(settings, entry_id)
        if entry is not None:
            precedents.append(Precedent(entry, score, whole, matches))
        if len(precedents) == limit:
            break
    return Briefing(source, len(text.split()), paragraphs, precedents, settings.vocabularies, skipped)


def rank(found: list[list[tuple[str, float]]], paragraphs: list[Paragraph]
         ) -> list[tuple[str, float, float, list[Match]]]:
    """Merge the whole plan's list and the paragraphs' lists: (id, score, whole-plan score, best
    paragraph matches), best first; equal scores by id.

    score = whole-plan score + PARAGRAPH_WEIGHT × the best paragraph score, where a paragraph's
    score counts in proportion to how full its vector is (its distinct terms out of the
    TERMS_PER_ENTRY an entry has): a thin paragraph (a budget table, a line of planning) matches
    strongly on one word and would otherwise push out the precedents of the plan's subject.
    """
    from .related import TERMS_PER_ENTRY

    whole = dict(found[0])
    by_entry: dict[str, list[Match]] = {}
    for paragraph, hits in zip(paragraphs, found[1:]):
        fullness = min(1.0, paragraph.terms / TERMS_PER_ENTRY)
        for entry_id, score in hits:
            by_entry.setdefault(entry_id, []).append(Match(paragraph, round(score * fullness, 4)))
    merged = []
    for entry_id in set(whole) | set(by_entry):
        matches = sorted(by_entry.get(entry_id, []), key=lambda m: (-m.score, m.paragraph.number))
        best_part = matches[0].score if matches else 0.0
        score = whole.get(entry_id, 0.0) + PARAGRAPH_WEIGHT * best_part
        # A second paragraph is quoted only when it matches nearly as well as the first.
        quoted = [m for m in matches[:QUOTED_PARAGRAPHS] if m.score >= SECOND_QUOTE_SHARE * best_part]
        merged.append((entry_id, round(score, 4), whole.get(entry_id, 0.0), quoted))
    merged.sort(key=lambda item: (-item[1], item[0]))
    return merged


@lru_cache(maxsize=1)
def ignored_terms() -> Callable[[str], bool]:
    """Whether an index term of a plan says nothing about its subject: a word of administrative
    prose (``data/plan-stopwords-nl.txt``, analysed as search analyses text) or a very short term."""
    from .related import text_words

    lines = [line for line in PLAN_STOPWORDS.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    words = frozenset(text_words([(" ".join(lines), 1)]))
    return lambda term: term in words or len(term) < MIN_TERM_LENGTH


@lru_cache(maxsize=1)
def question_texts() -> dict[str, dict[str, str]]:
    """The questions of ``data/vragen.yaml`` by stop reason (``overig`` for the others)."""
    import yaml

    data = yaml.safe_load(VRAGEN.read_text(encoding="utf-8"))
    return {code: {"vraag": str(value["vraag"]), "vraag_een": str(value.get("vraag_een", value["vraag"])),
                   "waarom": str(value["waarom"])} for code, value in data["vragen"].items()}


def question_text(texts: dict[str, str], n: int, total: int) -> str:
    """The question for ``n`` of ``total`` precedents (the singular form when ``n`` is 1)."""
    return texts["vraag_een" if n == 1 else "vraag"].format(n=n, totaal=total)


def questions(precedents: list[Precedent]) -> list[dict[str, Any]]:
    """"Vragen voordat u begint": one per stop reason of the precedents (most frequent first), with
    how many of the precedents shown stopped for it, and which (``interventies``: their ids)."""
    texts = question_texts()
    order = list(texts)
    which: dict[str, list[str]] = {}
    for precedent in precedents:
        stop = precedent.entry.meta.beeindiging
        if precedent.entry.meta.status != "gestopt":
            continue
        codes = stop.redenen if stop else ["onbekend"]
        for code in dict.fromkeys(code if code in texts else "overig" for code in codes):
            which.setdefault(code, []).append(precedent.entry.id)
    total = len(precedents)
    asked = sorted(which, key=lambda code: (-len(which[code]), order.index(code)))
    return [{"reden": code, "n": len(which[code]), "totaal": total, "interventies": which[code],
             "vraag": question_text(texts[code], len(which[code]), total), "waarom": texts[code]["waarom"]}
            for code in asked]


def lessons(entry: Entry, limit: int = LESSON_CHARACTERS) -> str:
    """The first lines of the entry's ``## Lessen``: its first paragraph, cut at a sentence near ``limit``."""
    text = entry.section_text("Lessen").strip()
    if not text:
        return ""
    first = " ".join(re.split(r"\n\s*\n", text)[0].split())
    if len(first) <= limit:
        return first
    kept = ""
    for sentence in _SENTENCE_END.split(first):
        if kept and len(kept) + len(sentence) > limit:
            break
        kept = f"{kept} {sentence}".strip()
    return quote(kept, limit)


def holders(entry: Entry) -> list[str]:
    """Who knows more: role and organisation, with a name only when consent is recorded (AVG)."""
    found = []
    for person in entry.meta.kennisdragers:
        name = person.naam if person.naam and person.toestemming else None
        words = ", ".join(part for part in (person.rol, person.organisatie) if part)
        found.append(f"{name} ({words})" if name else words)
    return found


def entry_facts(entry: Entry, vocabularies: Any) -> dict[str, Any]:
    """What a reader needs to know of a precedent or a compared entry, in the site's words."""
    from .render import dutch
    from .render.verdict import running_phrase, stop_phrase, verdict

    meta = entry.meta
    judged = verdict(entry, vocabularies)
    stop = meta.beeindiging
    return {
        "id": entry.id,
        "titel": meta.titel,
        "samenvatting": " ".join(meta.samenvatting.split()),
        "gemeente": meta.gemeente,
        "wijken": list(meta.wijken),
        "periode": dutch.period(entry),
        "status": meta.status,
        "loopt": running_phrase(entry, vocabularies),
        "oordeel": judged.phrase,
        "voorzichtig": judged.caution,
        "bewijs": judged.design,
        "gestopt": stop_phrase(entry, vocabularies),
        "stopredenen": [{"code": code, "label": vocabularies["stopredenen"].label_of(code)}
                        for code in (stop.redenen if stop else [])],
        "lessen": lessons(entry),
        "kennisdragers": holders(entry),
    }


def _precedent_json(precedent: Precedent, vocabularies: Any) -> dict[str, Any]:
    data = entry_facts(precedent.entry, vocabularies)
    data["score"] = precedent.score
    data["alineas"] = [{"nummer": m.paragraph.number, "begin": m.paragraph.start, "score": m.score}
                       for m in precedent.matches]
    return data
