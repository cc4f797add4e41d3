"""Static data for the site's plan check (``toets-uw-plan/``) and side-by-side comparison (``vergelijk/``).

**The plan model** (``toets-uw-plan/model.json``) lets the browser compute
``related.similar_to_text`` (the terminal's one measure of "similar") for a
pasted plan without a Dutch stemmer or the entries' text:

- ``forms``: every folded word that occurs in the archive with its index terms
  (``analysis`` through ``related.text_words``: stems and compound parts), one
  word a line, front-coded (``_forms``; ids in base 36). A word the archive
  never has is not in it: an inflection or compound of an archive word that
  the archive itself never uses is missed (the terminal finds its stem or
  parts); any other word could not match anyway.
- ``df``: each term's document frequency (base 36, space-separated, a run of one value as ``value*count``); ``n``, ``share``, ``floor``, ``top``:
  the archive size and related.py's ``MAX_SHARE``, its floor of 50 and
  ``TERMS_PER_ENTRY``. related.py counts the plan as one more document, so
  the IDF (and with it each entry's top terms) depends on the plan's words:
  the browser recomputes them as related.py does.
- ``docs``: per entry (in the order of their ids) its term counts, ``id:count``
  in base 36 (``id`` alone for a count of 1), in the entry's own order (which decides ties as related.py
  does). Terms too common to ever count are left out; beyond ``MODEL_SHARED``
  terms (by the archive's TF-IDF) and ``MODEL_RARE`` terms found only in this
  entry, an entry's rest is dropped: its 40 terms are among them, unless a
  plan changes the IDF more than a plan can (tests compare the browser's
  scores with related.py's). A large archive keeps fewer (``_terms_per_entry``).
- ``vragen``: the questions of ``data/vragen.yaml``; ``regels`` and ``ignore``:
  how ``kennisbank precedent`` cuts a plan into paragraphs and merges their
  scores, and the terms of administrative prose it leaves out of a plan
  (``_precedent_rules``); ``stop``: the stopwords (space-separated).

What a result card shows (title, place, period, verdict, stop record and
reasons, first lesson, who knows more) is fetched for the precedents shown
only, from ``toets-uw-plan/kaarten/<number>.json``, numbered as ``docs``.

**The comparison** reads ``vergelijk/data/<id>.json`` per entry (so that the
page fetches only the 2–4 entries it shows) and ``vergelijk/data/index.json``
(ids and titles, for the picker and for naming unknown ids).
"""

from __future__ import annotations

import heapq
import itertools
import json
import math
import re
from collections import Counter
from typing import Any, Iterable


from .. import precedent, related
from ..entry import Entry
from ..pages import SiteContext, entry_url
from ..search import analysis
from . import dutch
from .listing import labels, place_name, stop_reasons
from .verdict import running_phrase, verdict

MODEL_FILE = "toets-uw-plan/model.json"
CARDS_DIR = "toets-uw-plan/kaarten/"
COMPARE_DIR = "vergelijk/data/"
COMPARE_INDEX = COMPARE_DIR + "index.json"
# Per entry at most this many terms shared with other entries (by the archive's TF-IDF) and this many
# found in this entry alone; related.py uses TERMS_PER_ENTRY (40) of them.
MODEL_SHARED = 50
MODEL_RARE = 20
# A large archive keeps fewer terms per entry, so that the model stays near this size (one term and its
# count take about PAIR_BYTES); never fewer than MIN_TERMS.
MODEL_BYTES = 1_000_000
PAIR_BYTES = 6
MIN_TERMS = 10
LESSON_CHARS = 320
# `kennisbank precedent`'s rules (kennisbank/precedent.py) go into the model, so page and terminal agree.


def plan_files(ctx: SiteContext) -> dict[str, str]:
    """The plan model and the comparison's data files, path → content."""
    files = {MODEL_FILE: _json(plan_model(ctx))}
    for number, entry in enumerate(by_id(ctx.entries)):
        files[f"{CARDS_DIR}{number}.json"] = _json(_card(entry, ctx))
    files.update(compare_files(ctx))
    return files


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def by_id(entries: list[Entry]) -> list[Entry]:
    """The model's order of the entries: by id (so that equal scores rank by id, as in the terminal)."""
    return sorted(entries, key=lambda entry: entry.id)


def _counts(ctx: SiteContext) -> list[dict[str, int]]:
    """Each entry's index-term counts (in ``by_id`` order), from related.py's cache (the build has just filled it)."""
    entries = {entry.id: entry for entry in ctx.entries}
    items = [related.Item.of(entry) for entry in by_id(ctx.entries)]
    analysed = related._analysed(ctx.settings.cache_dir / "related" / "words.marshal", items,
                                 lambda item: related.entry_words(entries[item.id]))
    return [analysed[item.digest] for item in items]


def plan_model(ctx: SiteContext) -> dict[str, Any]:
    counts = _counts(ctx)
    total = len(counts)
    df: Counter = Counter()
    for words in counts:
        df.update(words.keys())
    # related.py counts the plan as one more document: a term in more than this many entries never counts.
    max_df = max(int((total + 1) * related.MAX_SHARE), 50)
    idf = {term: math.log((total + 1) / n) for term, n in df.items() if n <= max_df}
    # Every term that can count (the text's vector needs their document frequencies), each entry's best first.
    term_ids = {term: number for number, term in enumerate(sorted(idf, key=lambda t: (df[t], t)))}
    docs = []
    shared, rare = _terms_per_entry(total)
    for words in counts:
        kept = _kept_terms(words, idf, df, shared, rare)
        docs.append(" ".join(_b36(term_ids[term]) + (f":{_b36(count)}" if count != 1 else "")
                             for term, count in words.items() if term in kept))
    return {
        "v": 2, "n": total, "share": related.MAX_SHARE, "floor": 50, "top": related.TERMS_PER_ENTRY,
        "df": _runs(df[term] for term in term_ids),
        "forms": _forms(ctx.entries, term_ids),
        "docs": docs,
        "vragen": precedent.question_texts(),
        **_precedent_rules(term_ids),
        "stop": " ".join(sorted(analysis.STOPWORDS)),
    }


def _precedent_rules(term_ids: dict[str, int]) -> dict[str, Any]:
    """``regels`` and ``ignore`` (the ids of the terms a plan's words leave out), from precedent.py."""
    rules = {"min_words": precedent.MIN_WORDS, "max_words": precedent.MAX_WORDS, "piece_words": precedent.PIECE_WORDS,
             "candidates": precedent.CANDIDATES, "weight": precedent.PARAGRAPH_WEIGHT}
    ignore = precedent.ignored_terms()
    return {"regels": rules, "ignore": [i for term, i in term_ids.items() if ignore(term)]}


def _runs(numbers: Iterable[int]) -> str:
    """Numbers in base 36, a run of one value as ``value*count`` (most terms occur in one entry: 4.9 kB to
    0.1 kB for the bundled archive's document frequencies)."""
    tokens = []
    for value, group in itertools.groupby(numbers):
        count = sum(1 for _ in group)
        tokens.append(_b36(value) if count == 1 else f"{_b36(value)}*{_b36(count)}")
    return " ".join(tokens)


def _b36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if not number:
            return text


def _terms_per_entry(total: int) -> tuple[int, int]:
    """(shared, own) terms kept per entry: MODEL_SHARED and MODEL_RARE while the model stays within
    MODEL_BYTES, else fewer shared terms (at least MIN_TERMS) and no own ones: the scores become an
    approximation of related.py's, the model's size stops growing with the terms of each entry."""
    if total * (MODEL_SHARED + MODEL_RARE) * PAIR_BYTES <= MODEL_BYTES:
        return MODEL_SHARED, MODEL_RARE
    return max(MIN_TERMS, min(MODEL_SHARED, MODEL_BYTES // (total * PAIR_BYTES))), 0


def _kept_terms(words: dict[str, int], idf: dict[str, float], df: Counter, shared_terms: int, rare_terms: int
                ) -> set[str]:
    shared = [(term, (1 + math.log(n)) * idf[term]) for term, n in words.items() if term in idf and df[term] > 1]
    rare = [(term, n) for term, n in words.items() if term in idf and df[term] == 1]
    return ({term for term, _w in heapq.nlargest(shared_terms, shared, key=lambda item: item[1])}
            | {term for term, _n in heapq.nlargest(rare_terms, rare, key=lambda item: item[1])})


def _forms(entries: list[Entry], term_ids: dict[str, int]) -> str:
    """Each folded word of the archive with the index terms of it that can count, a line each, in
    alphabetical order and front-coded: ``<letters shared with the word before, base 36><rest> id id ...``
    (``schuld 1f``, ``6en 1f``: schulden)."""
    lexicon = analysis.default_lexicon()
    seen: set[str] = set()
    for entry in entries:
        for text in (entry.meta.titel, entry.meta.samenvatting, *(section.text for section in entry.sections)):
            seen.update(analysis.content_words(text))
    lines = []
    before = ""
    for word in sorted(seen):
        ids = [_b36(term_ids[term]) for term in lexicon.index_terms(word) if term in term_ids]
        if ids:
            shared = 0
            while shared < min(len(word), len(before), 35) and word[shared] == before[shared]:
                shared += 1
            lines.append(" ".join([_b36(shared) + word[shared:], *ids]))
            before = word
    return "\n".join(lines)


def read_forms(forms: str) -> dict[str, list[int]]:
    """The model's ``forms`` as word → term ids (what toets.js reads; for tests and tools)."""
    found = {}
    before = ""
    for line in forms.split("\n"):
        coded, *ids = line.split(" ")
        word = before[:int(coded[0], 36)] + coded[1:]
        found[word] = [int(i, 36) for i in ids]
        before = word
    return found


def _card(entry: Entry, ctx: SiteContext) -> dict[str, Any]:
    vocab = ctx.vocabularies
    meta = entry.meta
    # A name only with recorded consent (AVG), as the entry page and `kennisbank precedent` show them.
    people = [", ".join(filter(None, [p.naam if p.toestemming else None,
                                      p.rol + (f" bij {p.organisatie}" if p.organisatie else "")]))
              for p in meta.kennisdragers]
    return {
        "id": entry.id, "titel": meta.titel, "url": entry_url(entry.id), "plaats": place_name(meta.gemeente),
        "periode": dutch.period(entry), "oordeel": verdict(entry, vocab).phrase,
        "loopt": running_phrase(entry, vocab), "redenen": stop_reasons(entry),
        "les": _first_paragraph(entry.section_text("Lessen"), LESSON_CHARS), "mensen": people,
    }


_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"[*_`#>]+")


def plain_text(markdown: str) -> str:
    """Markdown as plain text: links as their words, emphasis and heading marks gone, spaces squeezed."""
    return " ".join(_MARKUP.sub("", _LINK.sub(r"\1", markdown)).split())


def paragraphs(markdown: str) -> list[str]:
    return [text for text in (plain_text(part) for part in re.split(r"\n[ \t]*\n", markdown.strip())) if text]


def _first_paragraph(markdown: str, limit: int) -> str:
    found = paragraphs(markdown)
    if not found:
        return ""
    text = found[0]
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def compare_files(ctx: SiteContext) -> dict[str, str]:
    index = [{"id": entry.id, "titel": entry.meta.titel, "plaats": place_name(entry.meta.gemeente)}
             for entry in sorted(ctx.entries, key=lambda e: (e.meta.titel.casefold(), e.id))]
    files = {COMPARE_INDEX: _json(index)}
    for entry in ctx.entries:
        files[f"{COMPARE_DIR}{entry.id}.json"] = _json(compare_record(entry, ctx))
    return files


def compare_record(entry: Entry, ctx: SiteContext) -> dict[str, Any]:
    """One entry's column on the comparison page: every value as display text (Dutch), in row order."""
    vocab = ctx.vocabularies
    meta = entry.meta
    judged = verdict(entry, vocab)
    funding = meta.financiering
    money = []
    if funding and funding.soort:
        money.append(vocab["financiering"].label_of(funding.soort))
    if funding and funding.bronnen:
        money.append("Betaald door " + dutch.join(funding.bronnen))
    if funding and funding.vervolgplan is not None:
        money.append("Met een vervolgplan voor na het projectgeld" if funding.vervolgplan
                     else "Geen vervolgplan voor na het projectgeld")
    stop = [running_phrase(entry, vocab)]
    if meta.beeindiging and meta.beeindiging.besloten_door:
        stop.append(f"Besloten door {meta.beeindiging.besloten_door}")
    stop += paragraphs(entry.section_text("Waarom gestopt"))[:1]
    evidence = [judged.phrase, f"Onderzoeksopzet: {judged.design.lower()}"]
    if judged.caution:
        evidence.append(judged.caution[0].upper() + judged.caution[1:])
    if meta.bewijs.erkenning:
        evidence.append("Erkend als " + vocab["erkenning"].label_of(meta.bewijs.erkenning).lower())
    place = place_name(meta.gemeente) + (f" ({', '.join(meta.wijken)})" if meta.wijken else "")
    return {
        "id": entry.id, "titel": meta.titel, "url": entry_url(entry.id),
        "rijen": {
            "plaats": [place],
            "periode": [dutch.period(entry), vocab["status"].label_of(meta.status)],
            "thema": [labels(vocab["themas"], meta.themas)],
            "aanpak": paragraphs(entry.section_text("Aanpak")),
            "bewijs": evidence,
            "uitkomst": paragraphs(entry.section_text("Resultaten"))[:2],
            "geld": money or ["Niet vastgelegd"],
            "stop": stop + ([f"Redenen: {labels(vocab['stopredenen'], stop_reasons(entry)).lower()}"]
                            if stop_reasons(entry) else []),
            "lessen": paragraphs(entry.section_text("Lessen")),
        },
    }
