"""Related entries for the whole archive: one pass, best first, cached by content hash."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from kennisbank import related
from kennisbank.archive import Archive
from kennisbank.related import related_entries

from conftest import entry_text


def make(titel: str, text: str, **changes) -> str:
    body = "".join(f"\n## {t}\n\n{text}\n" for t in ("Context", "Aanpak", "Resultaten", "Lessen"))
    return entry_text(titel=titel, samenvatting=f"Over {titel}.", body=body, **changes)


ENTRIES = {
    "schuldhulp-noord.md": make("Schuldhulp Noord", "Vroegsignalering van schulden en huurachterstand bij gezinnen."),
    "schuldhulp-zuid.md": make("Schuldhulp Zuid", "Huurachterstand en schulden vroeg signaleren bij gezinnen in Zuid."),
    "sportveld-oost.md": make("Sportveld Oost", "Een sportveld voor jongeren met voetbal en basketbal.", themas=["jeugd"]),
    "sportclub-west.md": make("Sportclub West", "Jongeren voetbal en basketbal op het nieuwe sportveld.", themas=["jeugd"]),
    "taalcafe-centrum.md": make("Taalcafé Centrum", "Nederlands oefenen met vrijwilligers in de bibliotheek.", themas=["taal"]),
}


@pytest.fixture
def kb(archive: Callable[..., Path]) -> Archive:
    return Archive.open(archive(ENTRIES))


def test_related_best_first_never_itself(kb):
    answer = related_entries(kb, kb.entries(), limit=2)
    assert set(answer) == {e.id for e in kb.entries()}
    assert answer["schuldhulp-noord"][0][0] == "schuldhulp-zuid"
    assert answer["sportveld-oost"][0][0] == "sportclub-west"
    for entry_id, found in answer.items():
        assert entry_id not in [other for other, _ in found]
        assert len(found) <= 2
        scores = [score for _, score in found]
        assert scores == sorted(scores, reverse=True)


def test_related_unchanged_archive_is_not_analysed_again(kb, monkeypatch):
    first = related_entries(kb, kb.entries())
    monkeypatch.setattr(related, "entry_words", lambda entry: pytest.fail("analysed again"))
    assert related_entries(kb, kb.entries()) == first


def test_related_one_changed_entry_is_the_only_one_analysed(kb, monkeypatch):
    related_entries(kb, kb.entries())
    path = kb.entries_dir / "taalcafe-centrum.md"
    path.write_text(make("Taalcafé Centrum", "Schulden en huurachterstand bespreken in de bibliotheek.", themas=["taal"]),
                    encoding="utf-8")
    fresh = Archive.open(kb.root)
    analysed = []
    original = related.entry_words
    monkeypatch.setattr(related, "entry_words", lambda entry: analysed.append(entry.id) or original(entry))
    answer = related_entries(fresh, fresh.entries())
    assert analysed == ["taalcafe-centrum"]
    assert "taalcafe-centrum" in [other for other, _ in answer["schuldhulp-noord"]]


def test_related_limit_and_empty(kb):
    assert related_entries(kb, [], limit=3) == {}
    assert all(len(v) <= 1 for v in related_entries(kb, kb.entries(), limit=1).values())


def test_related_corrupt_cache_is_ignored(kb):
    first = related_entries(kb, kb.entries())
    cache = kb.settings.cache_dir / "related"
    for path in cache.iterdir():
        path.write_bytes(b"\x00garbage")
    assert related_entries(kb, kb.entries()) == first


@pytest.mark.parametrize("block_rows", [70, 8, 1])
def test_one_pass_equals_pairwise_cosine(block_rows, monkeypatch):
    """The block matrix product gives every entry exactly the pairs a plain pairwise cosine ranks first."""
    monkeypatch.setattr(related, "BLOCK_CELLS", block_rows * 70)
    import math
    import random

    rng = random.Random(3)
    vocabulary = [f"woord{i}" for i in range(120)]
    counts = [{rng.choice(vocabulary): rng.randint(1, 4) for _ in range(rng.randint(0, 40))} for _ in range(70)]
    facets = [({rng.choice("abc")}, rng.choice(["delft", "ede"])) for _ in counts]
    ids = [f"e{i:02d}" for i in range(len(counts))]
    answer = related.compute_related(ids, counts, facets, limit=4)

    df = {}
    for words in counts:
        for term in words:
            df[term] = df.get(term, 0) + 1
    vectors = []
    for words in counts:
        weighted = sorted(((t, (1 + math.log(n)) * math.log((len(counts) + 1) / df[t])) for t, n in words.items()
                           if 1 < df[t] <= max(int(len(counts) * related.MAX_SHARE), 50)), key=lambda item: -item[1])
        top = weighted[:related.TERMS_PER_ENTRY]
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        vectors.append({t: w / norm for t, w in top})
    for i, vector in enumerate(vectors):
        scored = []
        for j, other in enumerate(vectors):
            dot = sum(w * other[t] for t, w in vector.items() if t in other)
            if j != i and dot > 0:
                bonus = related.THEME_BONUS * len(facets[i][0] & facets[j][0]) + (related.PLACE_BONUS if facets[i][1] == facets[j][1] else 0)
                scored.append((-(dot + bonus), j))
        expected = [(ids[j], round(-score, 4)) for score, j in sorted(scored)[:4]]
        assert answer[ids[i]] == expected, ids[i]
    assert sum(len(v) == 4 for v in answer.values()) > 50  # the comparison is not about empty lists


def test_similar_is_the_sites_related_entries(tmp_path):
    """One measure of "similar": `similar ID` lists exactly the entries the site shows as related."""
    import shutil

    from kennisbank.config import load_settings
    from kennisbank.search import find_similar

    from conftest import REPO

    shutil.copytree(REPO / "entries", tmp_path / "entries")
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    archive = Archive.open(tmp_path)
    site = related_entries(archive, archive.entries(), limit=5)
    settings = load_settings(tmp_path)
    for entry in archive.entries():
        hits = find_similar(settings, entry_id=entry.id, limit=5).hits
        assert [(h.id, h.score) for h in hits] == site[entry.id], entry.id


def test_similar_text_is_one_more_entry(tmp_path):
    """A proposal is scored as if it were one more entry: its score with each entry equals the
    related score that entry would get with an entry holding the proposal's text (without bonus)."""
    import shutil

    from conftest import REPO, entry_text

    shutil.copytree(REPO / "entries", tmp_path / "entries")
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    proposal = ("Vrijwilligers gaan bij gezinnen met geldzorgen thuis langs om de administratie op orde te "
                "brengen en schulden te voorkomen, samen met de schuldhulpverlening van de gemeente.")
    archive = Archive.open(tmp_path)
    items = [related.Item.of(e) for e in archive.entries()]
    by_id = {e.id: e for e in archive.entries()}
    by_text = related.similar_to_text(archive.settings.cache_dir, items, lambda item: related.entry_words(by_id[item.id]),
                                      proposal, limit=5)
    assert by_text and by_text[0][0] == "budgetcoaches-schiedam-oost"
    entries = archive.entries()
    counts = [related.entry_words(e) for e in entries] + [related.text_words([(proposal, 1)])]
    ids = [e.id for e in entries] + ["voorstel"]
    # Facets that can give no bonus: the proposal shares no theme or place with any entry.
    facets = [(set(), f"plaats-{i}") for i in range(len(ids))]
    expected = related.compute_related(ids, counts, facets, limit=len(ids))["voorstel"][:5]
    assert by_text == expected

    # A text's parts are scored in the same pass: each part as the text would be, with the whole
    # text's IDF; terms left out by ``ignore`` are left out of the texts only.
    words_of = lambda item: related.entry_words(by_id[item.id])  # noqa: E731
    part = "Vrijwilligers helpen gezinnen met geldzorgen bij de administratie."
    whole, of_part = related.similar_to_texts(archive.settings.cache_dir, items, words_of, proposal, [part], limit=5)
    assert whole == by_text
    assert of_part and of_part[0][0] == "budgetcoaches-schiedam-oost" and of_part != whole
    nothing = related.similar_to_texts(archive.settings.cache_dir, items, words_of, proposal, [part], limit=5,
                                       ignore=lambda term: True)
    assert nothing == [[], []]


def test_similar_does_not_remember_another_analysis(tmp_path):
    """The cached analyses belong to the analysis in use: switching it off gives the same answer
    whether or not the full analysis ran before."""
    import shutil

    from kennisbank.search import analysis
    from kennisbank.config import load_settings
    from kennisbank.search import find_similar

    from conftest import REPO

    shutil.copytree(REPO / "entries", tmp_path / "entries")
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    settings = load_settings(tmp_path)
    text = "Vrijwilligers helpen gezinnen met schulden en geldzorgen thuis met hun administratie."

    def plain() -> list[tuple[str, float]]:
        with analysis.use_analysis(analysis.PLAIN):
            return [(h.id, h.score) for h in find_similar(settings, text=text).hits]

    cold = plain()
    shutil.rmtree(tmp_path / ".kennisbank")
    full = [(h.id, h.score) for h in find_similar(settings, text=text).hits]
    assert plain() == cold != full


def test_similar_reads_only_entries_whose_words_are_not_cached(tmp_path, monkeypatch):
    """similar takes the entries from the search index and their words from the cache: once warm,
    it parses no entry file, and a new entry is the only one read."""
    import shutil

    import kennisbank.search as search_module
    from kennisbank.config import load_settings
    from kennisbank.search import find_similar

    from conftest import REPO

    shutil.copytree(REPO / "entries", tmp_path / "entries")
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    settings = load_settings(tmp_path)
    text = "Een taalcafé waar nieuwkomers met vrijwilligers Nederlands oefenen."
    first = find_similar(settings, text=text).hits
    read: list[str] = []
    real = search_module._entry_words
    monkeypatch.setattr(search_module, "_entry_words", lambda s, entry_id: read.append(entry_id) or real(s, entry_id))
    assert find_similar(settings, text=text).hits == first and read == []
    (tmp_path / "entries" / "taalcafe-zuid.md").write_text(entry_text(titel="Taalcafé Zuid"), encoding="utf-8")
    find_similar(settings, text=text)
    assert read == ["taalcafe-zuid"]


@pytest.mark.parametrize("damage", [b"", b"PK\x03\x04 kapot", b"\x93NUMPY kapot"])
def test_a_damaged_flat_cache_is_rebuilt(kb, damage):
    items = [related.Item.of(e) for e in kb.entries()]
    by_id = {e.id: e for e in kb.entries()}
    words_of = lambda item: related.entry_words(by_id[item.id])  # noqa: E731
    text = "Huurachterstand en schulden bij gezinnen vroeg signaleren."
    first = related.similar_to_text(kb.settings.cache_dir, items, words_of, text, limit=3)
    (kb.settings.cache_dir / "related" / "flat.npz").write_bytes(damage)
    assert related.similar_to_text(kb.settings.cache_dir, items, words_of, text, limit=3) == first
    assert first[0][0] in {"schuldhulp-noord", "schuldhulp-zuid"}
