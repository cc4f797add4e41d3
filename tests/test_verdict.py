"""The verdict in words (render/verdict.py): one wording for the entry page, briefings, overviews and the catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from kennisbank.archive import Archive
from kennisbank.entry import Entry
from kennisbank.render.verdict import CAUTION_EFFECT, CAUTION_NO_EFFECT, running_phrase, stop_phrase, verdict

from conftest import entry_text


@pytest.fixture
def judge(archive: Callable[..., Path]) -> Callable[..., tuple[Entry, Archive]]:
    """``judge(stopped=..., **front_matter)``: one entry read from a fresh archive, with that archive."""

    def make(stopped: bool = False, **changes) -> tuple[Entry, Archive]:
        opened = Archive.open(archive({"buurtkamer.md": entry_text(stopped=stopped, **changes)}))
        [entry] = opened.entries()
        return entry, opened

    return make


@pytest.mark.parametrize(("niveau", "uitkomst", "phrase", "caution"), [
    ("praktijkervaring", "positief", "Positief effect, zwak bewijs", CAUTION_EFFECT),
    ("monitoring", "gemengd", "Gemengd effect, zwak bewijs", CAUTION_EFFECT),
    ("geen", "negatief", "Negatief effect, zwak bewijs", CAUTION_EFFECT),
    ("geen", "geen-effect", "Geen effect, zwak bewijs", CAUTION_NO_EFFECT),
    ("voor-en-nameting", "positief", "Positief effect, redelijk bewijs", None),
    ("experimenteel", "geen-effect", "Geen effect, sterk bewijs", None),
    # Nothing claimed, so nothing to weigh.
    ("monitoring", "onbekend", "Uitkomst onbekend", None),
    ("quasi-experimenteel", "te-vroeg", "Te vroeg om effect te zien", None),
])
def test_verdict_weighs_the_outcome_by_its_study_design(judge, niveau: str, uitkomst: str, phrase: str,
                                                        caution: str | None) -> None:
    entry, opened = judge(bewijs={"niveau": niveau, "uitkomst": uitkomst})
    judged = verdict(entry, opened.vocabularies)
    assert judged.phrase == phrase
    assert judged.caution == caution
    assert judged.weak == (caution is not None)


def test_verdict_of_an_archive_outcome_uses_its_label(archive) -> None:
    options = {"vocabularies": {"uitkomst": {"deels": {"label": "Deels gelukt", "uitleg": "Een deel van de doelen."}}}}
    root = archive({"buurtkamer.md": entry_text(bewijs={"niveau": "monitoring", "uitkomst": "deels"})}, options)
    opened = Archive.open(root)
    [entry] = opened.entries()
    assert verdict(entry, opened.vocabularies).phrase == "Deels gelukt"


def test_stop_phrase_says_when_and_every_reason(judge) -> None:
    entry, opened = judge(stopped=True, beeindiging={"datum": "2016-12", "redenen": ["financiering-afgelopen", "bezuiniging"]})
    assert stop_phrase(entry, opened.vocabularies) == "gestopt in december 2016: tijdelijk geld op en bezuiniging"
    assert running_phrase(entry, opened.vocabularies) == "Nee, gestopt in december 2016: tijdelijk geld op en bezuiniging"
    entry, opened = judge(stopped=True, beeindiging={"datum": "2016-12-31", "redenen": ["onbekend"]})
    assert stop_phrase(entry, opened.vocabularies) == "gestopt op 31 december 2016: onbekend"


def test_running_entry_has_no_stop_phrase(judge) -> None:
    entry, opened = judge()
    assert stop_phrase(entry, opened.vocabularies) is None
    assert running_phrase(entry, opened.vocabularies) == "Ja, loopt sinds maart 2012"
