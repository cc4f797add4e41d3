"""The verdict on one entry in words: did it work, how sure is that, is it still running.

One place for this wording, so that the entry page, the briefings, the
overviews and the catalogue's result cards (through the Pagefind meta
``oordeel`` and ``gestopt``) say the same thing about the same entry.
Plain text throughout: callers escape it (autoescape or ``markupsafe.escape``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping

from ..dates import read_date

if TYPE_CHECKING:
    from ..entry import Entry
from ..vocabulary import Vocabulary
from . import dutch

# Study designs whose "it worked" is not more than an impression: nothing was measured against a baseline.
WEAK_DESIGNS = frozenset({"geen", "praktijkervaring", "monitoring"})
# Measured before and after, but without a comparison group: the change may have other causes.
MODERATE_DESIGNS = frozenset({"voor-en-nameting"})
# Compared with a group or neighbourhood without the intervention.
STRONG_DESIGNS = frozenset({"quasi-experimenteel", "experimenteel"})

# The outcome as a reader says it; archive-specific codes fall back to their vocabulary label.
OUTCOME_PHRASES = {
    "positief": "Positief effect",
    "gemengd": "Gemengd effect",
    "geen-effect": "Geen effect",
    "negatief": "Negatief effect",
    "onbekend": "Uitkomst onbekend",
    "te-vroeg": "Te vroeg om effect te zien",
}
# Outcomes that claim an effect, and the one that claims its absence; the others claim nothing to weigh.
EFFECT_CLAIMED = frozenset({"positief", "gemengd", "negatief"})
NO_EFFECT = "geen-effect"

CAUTION_EFFECT = "het effect is niet met een meting aangetoond"
CAUTION_NO_EFFECT = "dat er geen effect was, is niet met een meting vastgesteld"


def evidence_strength(design: str) -> str | None:
    """``zwak bewijs``, ``redelijk bewijs`` or ``sterk bewijs`` for a study design (None for a design we cannot rank).

    Not "matig": these words are Pagefind metadata, which Pagefind searches too, and its Dutch stemmer
    makes "matig" and "maatjes" one word ("mat").
    """
    if design in WEAK_DESIGNS:
        return "zwak bewijs"
    if design in MODERATE_DESIGNS:
        return "redelijk bewijs"
    if design in STRONG_DESIGNS:
        return "sterk bewijs"
    return None


def weak_designs_in_words(designs: Vocabulary) -> str:
    """``geen onderzoek, praktijkervaring of monitoring``: what "zwak bewijs" stands for, in the archive's labels."""
    words = [term.label.lower() for term in designs if term.code in WEAK_DESIGNS]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " of " + words[-1]


@dataclass(frozen=True)
class Verdict:
    """Did it work, and how strong is the evidence that says so."""

    outcome: str
    strength: str | None
    caution: str | None
    design: str

    @property
    def phrase(self) -> str:
        """``Positief effect, zwak bewijs``: the outcome with the strength of its evidence."""
        return f"{self.outcome}, {self.strength}" if self.strength else self.outcome

    @property
    def weak(self) -> bool:
        return self.caution is not None


def verdict(entry: Entry, vocabularies: Mapping[str, Vocabulary]) -> Verdict:
    """The outcome of ``entry`` with the strength of its evidence and, where that is weak, the caution."""
    return verdict_of(entry.meta.bewijs.uitkomst, entry.meta.bewijs.niveau, vocabularies)


def verdict_of(outcome_code: str, design: str, vocabularies: Mapping[str, Vocabulary]) -> Verdict:
    """The verdict from an outcome and a study design (codes), for what has no entry at hand (the search index)."""
    outcome = OUTCOME_PHRASES.get(outcome_code) or vocabularies["uitkomst"].label_of(outcome_code)
    weighed = outcome_code in EFFECT_CLAIMED or outcome_code == NO_EFFECT
    strength = evidence_strength(design) if weighed else None
    caution = None
    if design in WEAK_DESIGNS:
        if outcome_code in EFFECT_CLAIMED:
            caution = CAUTION_EFFECT
        elif outcome_code == NO_EFFECT:
            caution = CAUTION_NO_EFFECT
    return Verdict(outcome, strength, caution, vocabularies["niveau"].label_of(design))


def stop_phrase(entry: Entry, vocabularies: Mapping[str, Vocabulary]) -> str | None:
    """``gestopt in juni 2004: beleidswijziging en bezuiniging`` for a stopped entry, else None."""
    meta = entry.meta
    if meta.status != "gestopt":
        return None
    stop = meta.beeindiging
    return stopped_words(stop.datum if stop else meta.periode.eind, stop.redenen if stop else [], vocabularies)


def stopped_words(when: str | None, reasons: list[str], vocabularies: Mapping[str, Vocabulary]) -> str:
    """``gestopt in juni 2004: beleidswijziging en bezuiniging`` from a date and stop reasons (codes)."""
    text = "gestopt"
    if when:
        text += " " + when_words(when)
    words = [vocabularies["stopredenen"].label_of(code).lower() for code in reasons]
    return f"{text}: {dutch.join(words) if words else 'reden onbekend'}"


def when_words(value: str) -> str:
    """``op 30 juni 2004``, ``in juni 2004``, ``rond 1989``, ``in 1995 of 1996``, ``eind jaren tachtig``,
    ``op een onbekende datum``: a date after a verb ("gestopt ...")."""
    date = read_date(value)
    if date.kind == "unknown":
        return "op een onbekende datum"
    if date.kind == "circa":
        return f"rond {date.year}"
    if date.kind == "decade":
        return date.text if date.text.startswith(("begin", "midden", "eind")) else f"in de {date.text}"
    if date.kind == "exact" and len(date.text) == 10:
        return f"op {dutch.partial_date(value)}"
    return f"in {dutch.partial_date(value)}"


def status_as_of(entry: Entry) -> str | None:
    """``volgens een bron uit 2019`` (``uit juni 2019``) when the status is dated by its source."""
    when = entry.meta.status_volgens
    if not when:
        return None
    return f"volgens een bron uit {dutch.partial_date(when)}"


def running_phrase(entry: Entry, vocabularies: Mapping[str, Vocabulary]) -> str:
    """The answer to "is it still running?": ``Nee, gestopt in juni 2004: bezuiniging``, ``Ja, loopt sinds 2015``."""
    meta = entry.meta
    start = dutch.partial_date(meta.periode.start)
    stopped = stop_phrase(entry, vocabularies)
    if stopped:
        return f"Nee, {stopped}"
    as_of = status_as_of(entry)
    return f"{_running_words(entry, start, vocabularies)} ({as_of})" if as_of else _running_words(entry, start, vocabularies)


def _running_words(entry: Entry, start: str, vocabularies: Mapping[str, Vocabulary]) -> str:
    status = entry.meta.status
    if status == "lopend":
        return f"Ja, loopt sinds {start}" if entry.start.known else "Ja, loopt nog; begin onbekend"
    if status == "verduurzaamd":
        return "Ja, verduurzaamd: blijvend onderdeel van het reguliere werk"
    if status == "opgeschaald":
        return "Ja, opgeschaald naar andere wijken, steden of doelgroepen"
    if status == "onbekend":
        return "Onbekend of het nog loopt"
    return vocabularies["status"].label_of(status)
