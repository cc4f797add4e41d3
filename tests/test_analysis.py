"""The Dutch analysis: the shipped lexicon, compounds, the stemmer, question words, the thesaurus,
and the private Whoosh names behind their fallbacks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kennisbank.config import load_settings
from kennisbank.search import analysis, search
from kennisbank.search.store import internals as whoosh_internals
from kennisbank.search.store import SearchIndex

from conftest import REPO


def test_shipped_lexicon_is_wordfreqs_dutch_list():
    """data/lexicon-nl.txt.gz is what data/make_lexicon.py writes from the pinned wordfreq."""
    assert analysis.LEXICON_FILE.read_bytes() == analysis.Lexicon.from_wordfreq().shipped_bytes()


@pytest.mark.parametrize("word, parts", [
    ("straatintimidatie", ("straat", "intimidatie")),
    ("jeugdwerkloosheid", ("jeugd", "werkloosheid")),
    ("geldzorgen", ("geld", "zorgen")),
    ("schuldhulpverlening", ("schuld", "hulpverlening")),
    ("keukentafelgesprek", ("keukentafel", "gesprek")),
    ("bijstandsuitkering", ("bijstand", "uitkering")),
    ("huiswerkklas", ("huiswerk", "klas")),
])
def test_compound_splits_into_common_parts(word, parts):
    assert analysis.default_lexicon().split(word) == parts


@pytest.mark.parametrize("word", [
    "ouderen",  # oud + eren: the word is more common than "eren"
    "huiswerk", "kinderopvang", "werkloosheid",  # common words of their own
    "mentoren", "loketten",  # inflections of common words
    "sneuvelen", "generalisten", "verslaving", "begeleiding",  # parts that are no parts
])
def test_words_that_are_not_split(word):
    assert analysis.default_lexicon().split(word) is None


@pytest.mark.parametrize("a, b", [
    ("werkloosheid", "werklozen"), ("laaggeletterde", "laaggeletterdheid"), ("gemeenten", "gemeente"),
    ("gezondheid", "gezond"), ("huizen", "huis"),
])
def test_stems_meet(a, b):
    assert analysis.stem(a) == analysis.stem(b)


@pytest.mark.parametrize("a, b", [("begeleiding", "beleid"), ("gezondheid", "zon"), ("gemeente", "meen")])
def test_stems_keep_apart_what_snowball_3_conflates(a, b):
    """Snowball 3's new Dutch stemmer strips ge- and conflates these; the analysis must not."""
    assert analysis.stem(a) != analysis.stem(b)


def test_loanwords_keep_their_form():
    assert analysis.stem("coaches") == analysis.stem("coach") == "coach"
    assert analysis.stem("casemanagers") == "casemanager"


def test_question_words_are_left_out_unless_nothing_else_is_left():
    assert analysis.query_words("Welke gemeente heeft ooit ervaring gehad met buurtvaders?") == ["buurtvaders"]
    assert analysis.query_words("ervaring") == ["ervaring"]


def test_thesaurus_joins_abbreviations_and_phrases():
    synonyms = analysis.archive_synonyms([])
    assert ("wet", "maatschappelijke", "ondersteuning") in synonyms.of("wmo")
    assert analysis.query_phrases(["wet", "maatschappelijke", "ondersteuning"], synonyms)[0][2] == [("wmo",)]


def test_expansion_terms_add_parts_and_thesaurus_terms_not_in_the_text():
    extra = analysis.expansion_terms("Jeugdwerkloosheid en de Wmo; intimidatie op straat; het buurthuis.")
    assert {"jeugd", "werkloosheid", "maatschappelijke", "ondersteuning", "straatintimidatie"} <= set(extra)
    assert "intimidatie" not in extra and "straat" not in extra  # in the text already
    # Everyday thesaurus words would land on most pages of the site and say little (wet); a
    # compound's parts all count (buurthuis: buurt, huis).
    assert "wet" not in extra and {"buurt", "huis"} <= set(extra)


def test_whoosh_private_names_have_a_public_fallback(tmp_path, monkeypatch):
    """On another Whoosh version the public paths rank exactly as the private ones (also with
    deleted documents in a segment)."""
    root = tmp_path / "kb"
    shutil.copytree(REPO / "entries", root / "entries")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    settings = load_settings(root)
    questions = ["schuldhulp door vrijwilligers", "werkloosheid onder jongeren", "eenzame ouderen", "lessen:draagvlak"]
    search(settings, "buurt")
    edited = root / "entries" / "taalcafe-overvecht.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("## Lessen\n", "## Lessen\n\nSchulden.\n", 1),
                      encoding="utf-8")
    private = [[(h.id, h.score) for h in search(settings, q).hits] for q in questions]
    with SearchIndex.open(settings) as index:
        assert index.searcher.reader().has_deletions()  # the replaced entry is still in a segment
    monkeypatch.setattr(whoosh_internals, "pinned", lambda: False)
    public = [[(h.id, h.score) for h in search(settings, q).hits] for q in questions]
    assert public == private
    assert all(private[:3])
