"""The plan pages without a browser (render/plan_pages.py, plan_data.py): the gap map's cells and its
"tried often, never measured" sentence, the plan model's word forms and counts, the comparison records."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter

import pytest

from kennisbank import related
from kennisbank.archive import Archive
from kennisbank.pages import SiteContext
from kennisbank.precedent import question_texts
from kennisbank.render.plan_data import CARDS_DIR, MODEL_FILE, plan_files, read_forms
from kennisbank.render.plan_pages import gap_cell_pages, gap_map_page
from kennisbank.search import analysis
from conftest import entry_text

TODAY = dt.date(2026, 11, 1)


def _entry(title: str, themes: list[str], design: str, outcome: str, text: str = "") -> str:
    body = "".join(f"\n## {t}\n\n{text or 'Tekst'} over {t.lower()}.\n" for t in ("Context", "Aanpak", "Resultaten", "Lessen"))
    return entry_text(titel=title, themas=themes, bewijs={"niveau": design, "uitkomst": outcome}, body=body)


ENTRIES = {
    # Leefbaarheid: tried three times, never measured (only weak designs).
    "a.md": _entry("Schoon plein", ["leefbaarheid"], "geen", "onbekend"),
    "b.md": _entry("Heel portiek", ["leefbaarheid", "wonen"], "praktijkervaring", "positief"),
    "c.md": _entry("Veilig pad", ["leefbaarheid"], "monitoring", "gemengd"),
    # Wonen: tried twice, once measured with a comparison group.
    "d.md": _entry("Droge woning", ["wonen"], "quasi-experimenteel", "positief"),
    # Werk: three, one measured before and after.
    "e.md": _entry("Werkplaats", ["werk"], "praktijkervaring", "positief"),
    "f.md": _entry("Jobcoach", ["werk"], "praktijkervaring", "geen-effect"),
    "g.md": _entry("Leerbaan", ["werk"], "voor-en-nameting", "gemengd"),
}


@pytest.fixture
def context(archive) -> SiteContext:
    opened = Archive.open(archive(ENTRIES))
    result = opened.check()
    assert not result.errors, [str(p) for p in result.errors]
    return SiteContext(opened.settings, result.entries, today=TODAY)


def test_gap_map_counts_each_theme_and_design(context) -> None:
    html = gap_map_page(context).html
    row = re.search(r"<tr[^>]*><th scope=\"row\">Leefbaarheid.*?</tr>", html, re.S)[0]
    assert re.findall(r'data-aantal="(\d+)"', row) == ["1", "1", "1", "0", "0", "0"]
    wonen = re.search(r"<tr[^>]*><th scope=\"row\">Wonen.*?</tr>", html, re.S)[0]
    assert re.findall(r'data-aantal="(\d+)"', wonen) == ["0", "1", "0", "0", "1", "0"]
    # The outcome split of a cell, and its link to the page that lists exactly its interventions.
    werk = re.search(r"<tr[^>]*><th scope=\"row\">Werk.*?</tr>", html, re.S)[0]
    assert "1 positief, 1 geen effect" in werk
    assert 'href="werk/praktijkervaring/"' in werk
    pages = {page.url: page for page in gap_cell_pages(context)}
    assert set(pages) == {f"bewijskaart/{t}/{d}/" for t, d in [
        ("leefbaarheid", "geen"), ("leefbaarheid", "praktijkervaring"), ("leefbaarheid", "monitoring"),
        ("wonen", "praktijkervaring"), ("wonen", "quasi-experimenteel"), ("werk", "praktijkervaring"),
        ("werk", "voor-en-nameting")]}
    listed = re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', pages["bewijskaart/werk/praktijkervaring/"].html)
    assert listed == ["Jobcoach", "Werkplaats"]


def test_gap_map_names_themes_tried_often_but_never_measured(context) -> None:
    html = gap_map_page(context).html
    sentence = re.search(r"Vaak geprobeerd, nooit gemeten: (.*?)</p>", html, re.S)[1]
    assert "Leefbaarheid" in sentence and "3 interventies" in sentence
    # Werk was measured once; Wonen was tried twice only.
    assert "Werk" not in sentence and "Wonen" not in sentence
    gap_row = re.search(r'<tr class="kb-bewijskaart__gatrij"><th scope="row">(\w+)', html)[1]
    assert gap_row == "Leefbaarheid"
    assert html.count('class="kb-bewijskaart__gat"') == 3  # its three measured designs, empty


def test_gap_map_is_an_accessible_table_with_a_chart(context) -> None:
    html = gap_map_page(context).html
    assert "<caption>" in html and '<th scope="col">Geen onderzoek' in html and '<th scope="row">' in html
    assert 'role="img"' in html and "Bekijk de cijfers" in html
    columns = re.findall(r'<th scope="col" class="kb-bewijskaart__\w+">([^<]+)<', html)
    assert columns[0] == "Geen onderzoek" and columns[-1] == "Experimenteel"


def test_plan_model_holds_the_archive_word_forms_and_counts(context) -> None:
    files = plan_files(context)
    model = json.loads(files[MODEL_FILE])
    assert model["n"] == len(ENTRIES) and model["top"] == related.TERMS_PER_ENTRY
    counts = {entry.id: related.entry_words(entry) for entry in context.entries}
    df = Counter(term for words in counts.values() for term in words)
    forms = read_forms(model["forms"])
    lexicon = analysis.default_lexicon()
    # Term ids are only numbers in the model: name them by the forms that are one stem.
    names: dict[int, str] = {}
    for word, ids in forms.items():
        terms = lexicon.index_terms(word)
        assert len(ids) == len(terms), word  # every term of the bundled words can count (df <= 50)
        names.update(zip(ids, terms))
    assert "plein" in forms and "de" not in forms  # a stopword is never a form
    # Base 36, runs as value*count (written out by hand here: the test's own reading of the format).
    frequencies = []
    for token in model["df"].split(" "):
        value, _star, count = token.partition("*")
        frequencies += [int(value, 36)] * (int(count, 36) if count else 1)
    assert all(frequencies[i] == df[name] for i, name in names.items())
    entry = next(e for e in context.entries if e.meta.titel == "Droge woning")
    ids = sorted(e.id for e in context.entries)
    line = model["docs"][ids.index(entry.id)]
    pairs = [pair.partition(":") for pair in line.split(" ")]  # "id:count", or "id" for a count of 1
    kept = {names[int(i, 36)]: int(n, 36) if n else 1 for i, _colon, n in pairs}
    assert kept == counts[entry.id]  # a small entry keeps every term, in its own order
    assert list(kept) == list(counts[entry.id])
    assert kept[analysis.stem("droge")] == related.TITLE_WEIGHT


def test_plan_model_carries_the_questions_and_the_cards(context) -> None:
    files = plan_files(context)
    model = json.loads(files[MODEL_FILE])
    assert model["vragen"] == question_texts()
    assert "{n}" in model["vragen"]["financiering-afgelopen"]["vraag"]
    ids = sorted(e.id for e in context.entries)
    cards = [json.loads(files[f"{CARDS_DIR}{number}.json"]) for number in range(len(ids))]
    assert [card["id"] for card in cards] == ids  # numbered as the model's entries
    assert cards[0]["titel"] and cards[0]["url"] == f"interventies/{ids[0]}/"
    assert cards[0]["les"] == "Tekst over lessen." and all(card["redenen"] == [] for card in cards)


def test_compare_records_have_every_row(context) -> None:
    files = plan_files(context)
    index = json.loads(files["vergelijk/data/index.json"])
    assert sorted(item["titel"] for item in index) == sorted(
        re.search(r"titel: (.*)", text)[1] for text in ENTRIES.values())
    record = json.loads(files[f"vergelijk/data/{index[0]['id']}.json"])
    assert list(record["rijen"]) == ["plaats", "periode", "thema", "aanpak", "bewijs", "uitkomst", "geld", "stop", "lessen"]
    assert record["rijen"]["aanpak"] == ["Tekst over aanpak."]
