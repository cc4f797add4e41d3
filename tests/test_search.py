"""Search, similar and the déjà-vu check: behaviour through the CLI on small archives."""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

from kennisbank.config import load_settings
from kennisbank.search import search

from conftest import REPO as REPO_ROOT, entry_text


def body(context: str, aanpak: str = "Een aanpak.", resultaten: str = "Resultaten.", lessen: str = "Lessen.",
         gestopt: str | None = None) -> str:
    parts = [("Context", context), ("Aanpak", aanpak), ("Resultaten", resultaten)]
    if gestopt is not None:
        parts.append(("Waarom gestopt", gestopt))
    parts.append(("Lessen", lessen))
    return "".join(f"\n## {title}\n\n{text}\n" for title, text in parts)


def stopped(titel: str, context: str, **changes) -> str:
    changes.setdefault("samenvatting", f"Over {titel}.")
    return entry_text(stopped=True, titel=titel, body=body(context, gestopt="Het geld was op."), **changes)


def running(titel: str, context: str, **changes) -> str:
    changes.setdefault("samenvatting", f"Over {titel}.")
    return entry_text(titel=titel, body=body(context), **changes)


ENTRIES = {
    "huiswerkklas-noord.md": stopped(
        "Huiswerkklas Noord", "Veel schooluitval onder tieners in Noord; de klas hielp met huiswerk.",
        gemeente="Rotterdam", themas=["onderwijs", "jeugd"],
    ),
    "mentoren-zuid.md": running(
        "Mentoren Zuid", "Studenten begeleiden leerlingen om uitval op school te voorkomen.",
        gemeente="Utrecht", themas=["onderwijs"], periode={"start": "2019"},
    ),
    "gezinshuis-oost.md": running(
        "Gezinshuis Oost", "Gezinnen met veel problemen kregen jeugdzorg dicht bij huis.",
        gemeente="Arnhem", themas=["jeugd", "zorg"], periode={"start": "2015"},
    ),
    "vrijwilligers-west.md": stopped(
        "Vrijwilligers West", "Bewoners boden uit altruïsme hulp aan buren; zorg voor de jeugd stond centraal.",
        gemeente="Den Haag", themas=["participatie"],
    ),
    "banenplan-centrum.md": stopped(
        "Banenplan Centrum", "De werkeloosheid in het centrum was hoog; het plan bood banen aan.",
        gemeente="Rotterdam", themas=["werk"], beeindiging={"datum": "2016-12", "redenen": ["bezuiniging"]},
    ),
    "buurtkamer-zuidwijk.md": running(
        "Buurtkamer Zuidwijk", "Een plek waar ouderen elkaar ontmoeten tegen eenzaamheid.",
        gemeente="Voorbeeldstad", themas=["participatie"], periode={"start": "2012-03"},
    ),
}


@pytest.fixture
def kb(archive: Callable[..., Path]) -> Path:
    """A small archive whose entries exercise the Dutch analysis."""
    return archive(ENTRIES)


def ids_of(result) -> list[str]:
    assert result.exit_code == 0, result.output
    return [hit["id"] for hit in json.loads(result.stdout)["results"]]


# --- analysis ----------------------------------------------------------------------------------


def test_search_compound_meets_words_written_apart(run, kb):
    found = ids_of(run(["search", "schooluitval", "--json"], kb))
    assert set(found[:2]) == {"huiswerkklas-noord", "mentoren-zuid"}
    found = ids_of(run(["search", "uitval op school", "--json"], kb))
    assert set(found[:2]) == {"huiswerkklas-noord", "mentoren-zuid"}


def test_search_jeugdzorg_meets_zorg_voor_de_jeugd(run, kb):
    found = ids_of(run(["search", "jeugdzorg", "--json"], kb))
    assert set(found[:2]) == {"gezinshuis-oost", "vrijwilligers-west"}


def test_search_accent_folding(run, kb):
    assert ids_of(run(["search", "altruisme", "--json"], kb)) == ["vrijwilligers-west"]


def test_search_spelling_variant(run, kb):
    assert ids_of(run(["search", "werkloosheid", "--json"], kb)) == ["banenplan-centrum"]


def test_search_inflection(run, kb):
    assert ids_of(run(["search", "mentor", "--json"], kb))[0] == "mentoren-zuid"


def test_search_archive_synonyms(run, archive):
    root = archive(ENTRIES, options={"synonyms": [["soosje", "buurtkamer"]]})
    assert ids_of(run(["search", "soosje", "--json"], root)) == ["buurtkamer-zuidwijk"]
    assert ids_of(run(["search", "soosje", "--json"], archive(ENTRIES))) == []


def test_search_default_synonyms(run, kb):
    assert ids_of(run(["search", "isolement", "--json"], kb)) == ["buurtkamer-zuidwijk"]


def test_search_question_ranks_more_matching_words_first(run, kb):
    found = ids_of(run(["search", "welke projecten hielpen tegen schooluitval in Rotterdam?", "--json"], kb))
    assert found[0] == "huiswerkklas-noord"
    assert "banenplan-centrum" in found  # matches only "Rotterdam": found, ranked lower


def test_search_phrase_and_field_syntax(run, kb):
    assert ids_of(run(["search", '"uitval op school"', "--json"], kb)) == ["mentoren-zuid"]
    assert ids_of(run(["search", "titel:mentoren", "--json"], kb)) == ["mentoren-zuid"]


def test_search_section_fields(run, kb):
    # "schooluitval" is in Huiswerkklas Noord's context, "uitval op school" in Mentoren Zuid's;
    # "geld" only in the stop sections.
    assert set(ids_of(run(["search", "context:schooluitval", "--json"], kb))) == {"huiswerkklas-noord", "mentoren-zuid"}
    assert ids_of(run(["search", "lessen:schooluitval", "--json"], kb)) == []
    assert ids_of(run(["search", "aanpak:schooluitval", "--json"], kb)) == []
    stopped_ids = {"huiswerkklas-noord", "vrijwilligers-west", "banenplan-centrum"}
    assert stopped_ids <= set(ids_of(run(["search", 'gestopt:"het geld was op"', "--limit", "50", "--json"], kb)))
    assert ids_of(run(["search", "context:geld", "--json"], kb)) == []
    assert ids_of(run(["search", "context:schooluitval AND NOT gestopt:geld", "--json"], kb)) == ["mentoren-zuid"]
    assert ids_of(run(["search", 'context:"uitval op school"', "--json"], kb)) == ["mentoren-zuid"]


DEMO_SECTION_WORDS = ["vrijwilligers", "subsidie", "bewoners", "wijkteam", "gemeente", "schulden", "jongeren"]

# Checked by hand in entries/: the entries whose section holds the word (or, for "schulden", the
# compound "schuldhulpverlening"), and no other.
HAND_CHECKED = {
    "resultaten:vrijwilligers": {"huiskamer-krispijn", "programma-taal-dichtbij", "taalcafe-overvecht"},
    "lessen:jongeren": {"avondwacht-slotervaart", "jongerenloket-zuid", "startbaan-escamp", "straatcoaches-de-hoogte"},
    "context:jongeren": {"avondwacht-slotervaart", "buurtconcierges-crabbehof", "jongeren-aan-de-slag-feijenoord",
                         "jongerenloket-zuid", "startbaan-escamp", "straatcoaches-de-hoogte"},
    "aanpak:subsidie": set(),
    "gestopt:schulden": {"budgetcoaches-schiedam-oost"},
}


@pytest.fixture(scope="module")
def demo_settings(tmp_path_factory: pytest.TempPathFactory):
    """The demonstration archive (a copy), indexed."""
    import shutil

    from kennisbank.search.store import SearchIndex

    root = tmp_path_factory.mktemp("demo")
    shutil.copytree(REPO_ROOT / "entries", root / "entries")
    shutil.copy(REPO_ROOT / "mkdocs.yml", root / "mkdocs.yml")
    settings = load_settings(root)
    SearchIndex.open(settings).close()
    return settings


@pytest.mark.parametrize("query", sorted(HAND_CHECKED))
def test_section_field_finds_the_hand_checked_entries(demo_settings, query):
    assert {hit.id for hit in search(demo_settings, query, limit=100).hits} == HAND_CHECKED[query]


@pytest.mark.parametrize("section", ["context", "aanpak", "resultaten", "gestopt", "lessen"])
def test_section_field_finds_every_entry_with_the_word_in_that_section(demo_settings, section):
    """On the demonstration archive: ``section:word`` finds at least every entry whose section holds the
    word itself (found by a plain regular expression, not by the search's analysis), and none whose
    section is empty of text."""
    import re

    from kennisbank.archive import Archive
    from kennisbank.search.documents import SECTION_FIELDS

    entries = Archive.open(demo_settings.root).check().entries
    heading = SECTION_FIELDS[section]
    texts = {e.id: " ".join(s.text for s in e.sections if s.title == heading) for e in entries}
    checked = 0
    for word in DEMO_SECTION_WORDS:
        literally = {entry_id for entry_id, text in texts.items() if re.search(rf"\b{word}\b", text, re.IGNORECASE)}
        found = {hit.id for hit in search(demo_settings, f"{section}:{word}", limit=100).hits}
        assert literally <= found, (section, word, literally - found)
        assert all(texts[entry_id].strip() for entry_id in found), (section, word)
        checked += len(literally)
    assert checked > 0  # the section has words from the list at all


@pytest.mark.parametrize("query", ['"open', "titel:", "(((", "AND OR", "*", "gemeente:[a TO", "^2", "lessen:", "lessen:(a ANDNOT",
                                   "lessen:[a TO", "gestopt:*", "context:(a ANDMAYBE b) OR lessen:x~"])
def test_search_odd_syntax_never_a_traceback(run, kb, query):
    result = run(["search", query], kb)
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


# --- output, filters, facets -------------------------------------------------------------------


def test_search_json_shape(run, kb):
    result = run(["search", "schooluitval", "--json"], kb)
    data = json.loads(result.stdout)
    assert list(data) == ["query", "total", "results", "facets"]
    assert data["query"] == "schooluitval"
    assert data["total"] == len(data["results"]) == 2
    for hit in data["results"]:
        assert list(hit) == ["id", "titel", "score", "status", "gemeente", "themas", "periode", "snippet"]
    assert set(data["facets"]) == {"status", "thema", "gemeente", "uitkomst", "stopreden"}
    assert data["facets"]["gemeente"] == {"Rotterdam": 1, "Utrecht": 1}


def test_search_text_output_has_snippet_status_place_period_and_reasons(run, kb):
    result = run(["search", "schooluitval"], kb)
    assert result.exit_code == 0
    assert "2 interventies gevonden voor 'schooluitval'." in result.stdout
    assert "Huiswerkklas Noord  [huiswerkklas-noord]" in result.stdout
    # Where and when, then the verdict in the entry page's words: outcome with its evidence, when and why it stopped.
    assert "    Rotterdam · 2012-03–2016-12 · Gestopt\n" in result.stdout
    assert "    Gemengd effect, zwak bewijs · gestopt in december 2016: tijdelijk geld op\n" in result.stdout
    assert "Veel schooluitval onder tieners in Noord" in result.stdout
    assert "\x1b[" not in result.stdout  # no bold when not a terminal
    assert "status: gestopt 1, lopend 1" in result.stdout


def test_search_filters(run, kb):
    assert ids_of(run(["search", "--status", "gestopt", "--json"], kb)) == [
        "banenplan-centrum", "huiswerkklas-noord", "vrijwilligers-west"]
    assert ids_of(run(["search", "--gemeente", "rotterdam", "--thema", "werk", "--json"], kb)) == ["banenplan-centrum"]
    assert ids_of(run(["search", "--stopreden", "bezuiniging", "--json"], kb)) == ["banenplan-centrum"]
    assert ids_of(run(["search", "--uitkomst", "gemengd", "--thema", "zorg", "--json"], kb)) == ["gezinshuis-oost"]
    # periods: stopped ones ran 2012-2016, running ones from their start year on
    assert ids_of(run(["search", "--van", "2018", "--json"], kb)) == ["buurtkamer-zuidwijk", "gezinshuis-oost", "mentoren-zuid"]
    assert ids_of(run(["search", "--tot", "2013", "--json"], kb)) == [
        "banenplan-centrum", "buurtkamer-zuidwijk", "huiswerkklas-noord", "vrijwilligers-west"]
    assert ids_of(run(["search", "school", "--status", "lopend", "--json"], kb)) == ["mentoren-zuid"]


def test_search_only_filters_lists_all_matches_with_facets(run, kb):
    data = json.loads(run(["search", "--thema", "participatie", "--json"], kb).stdout)
    assert data["total"] == 2
    assert data["facets"]["status"] == {"gestopt": 1, "lopend": 1}


@pytest.mark.parametrize("option, value, suggestion", [
    ("--status", "gestop", "gestopt"), ("--thema", "onderwjis", "onderwijs"),
    ("--stopreden", "bezuinigingen", "bezuiniging"), ("--gemeente", "Roterdam", "Rotterdam"),
    ("--uitkomst", "positif", "positief"),
])
def test_search_unknown_filter_value_suggests(run, kb, option, value, suggestion):
    result = run(["search", option, value], kb)
    assert result.exit_code == 2
    assert f"bedoelt u '{suggestion}'?" in result.output


def test_search_limit_and_bad_years(run, kb):
    assert len(ids_of(run(["search", "--limit", "2", "--json"], kb))) == 2
    assert run(["search", "--limit", "0"], kb).exit_code == 2
    assert run(["search", "--van", "2015", "--tot", "2010"], kb).exit_code == 2


def test_search_nothing_found(run, kb):
    result = run(["search", "zeppelinhaven"], kb)
    assert result.exit_code == 0
    assert "Geen interventies gevonden voor 'zeppelinhaven'." in result.stdout


def test_search_skips_invalid_entries_and_says_so(run, archive):
    root = archive({**ENTRIES, "kapot.md": "---\ntitel: [\n---\n"})
    result = run(["search", "schooluitval", "--json"], root)
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["results"]) == 2
    assert "let op: 1 interventie heeft fouten en is niet doorzoekbaar; gebruik `kennisbank check`" in result.stderr


# --- the index as a cache ----------------------------------------------------------------------


def test_index_follows_edits_and_deletions(run, kb):
    assert ids_of(run(["search", "zeppelinhaven", "--json"], kb)) == []
    path = kb / "entries" / "mentoren-zuid.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Studenten", "Zeppelinhaven studenten"), encoding="utf-8")
    assert ids_of(run(["search", "zeppelinhaven", "--json"], kb)) == ["mentoren-zuid"]
    (kb / "entries" / "nieuw-project.md").write_text(running("Nieuw project", "Een zeppelinhaven."), encoding="utf-8")
    assert sorted(ids_of(run(["search", "zeppelinhaven", "--json"], kb))) == ["mentoren-zuid", "nieuw-project"]
    path.unlink()
    assert ids_of(run(["search", "zeppelinhaven", "--json"], kb)) == ["nieuw-project"]
    assert "mentoren-zuid" not in ids_of(run(["search", "--json"], kb))


def test_index_entry_becoming_invalid_leaves_results(run, kb):
    run(["search", "mentoren"], kb)
    (kb / "entries" / "mentoren-zuid.md").write_text("---\nstatus: [\n---\n", encoding="utf-8")
    result = run(["search", "mentoren", "--json"], kb)
    assert ids_of(result) == []
    assert "1 interventie heeft fouten" in result.stderr


@pytest.mark.parametrize("damage", ["garbage", "empty", "deleted", "state"])
def test_index_damaged_is_rebuilt(run, kb, damage):
    assert ids_of(run(["search", "altruisme", "--json"], kb)) == ["vrijwilligers-west"]
    cache = kb / ".kennisbank"
    for path in (cache / "index").iterdir():
        if damage == "garbage":
            path.write_bytes(b"\x00garbage" * 100)
        elif damage == "empty":
            path.write_bytes(b"")
        elif damage == "deleted":
            path.unlink()
    if damage == "state":
        (cache / "state.json").write_text("{not json", encoding="utf-8")
        (cache / "manifest.json").write_text("[]", encoding="utf-8")
    assert ids_of(run(["search", "altruisme", "--json"], kb)) == ["vrijwilligers-west"]


def _search_ids(root: str) -> list[str]:
    return [hit.id for hit in search(load_settings(Path(root)), "schooluitval").hits]


def test_index_two_processes_at_once_both_succeed(kb):
    (kb / "entries" / "extra.md").write_text(running("Extra", "Nog meer schooluitval."), encoding="utf-8")
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        first, second = pool.map(_search_ids, [str(kb), str(kb)])
    assert sorted(first) == sorted(second) == ["extra", "huiswerkklas-noord", "mentoren-zuid"]
    # and again after an edit, concurrently updating
    (kb / "entries" / "extra.md").unlink()
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        first, second = pool.map(_search_ids, [str(kb), str(kb)])
    assert sorted(first) == sorted(second) == ["huiswerkklas-noord", "mentoren-zuid"]


def test_search_with_fresh_index_does_not_load_pydantic_or_warn(run, kb):
    run(["search", "school"], kb)
    code = (
        "import sys; from kennisbank.cli import cli; "
        f"cli(['-C', {str(kb)!r}, 'search', 'school'], standalone_mode=False); "
        "print('pydantic' in sys.modules, 'mkdocs' in sys.modules, 'yaml' in sys.modules)"
    )
    # The search above made the cache folder; this one keeps the parse of mkdocs.yml there.
    run(["search", "school"], kb)
    result = subprocess.run([sys.executable, "-W", "default", "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("False False False")
    assert result.stderr == ""


# --- similar -----------------------------------------------------------------------------------


def test_similar_by_id(run, kb):
    result = run(["similar", "huiswerkklas-noord", "--json"], kb)
    found = ids_of(result)
    assert found[0] == "mentoren-zuid"
    assert "huiswerkklas-noord" not in found
    assert list(json.loads(result.stdout)["results"][0]) == [
        "id", "titel", "score", "status", "gemeente", "themas", "periode", "snippet"]


def test_similar_text_output_shows_status_outcome_and_stop_reasons(run, kb):
    result = run(["similar", "mentoren-zuid"], kb)
    assert result.exit_code == 0
    assert "Lijkt het meest op mentoren-zuid:" in result.stdout
    assert "    Rotterdam · 2012-03–2016-12 · Gestopt\n" in result.stdout
    assert "    Gemengd effect, zwak bewijs · gestopt in december 2016: tijdelijk geld op\n" in result.stdout


def test_similar_text_and_file(run, kb, tmp_path):
    assert ids_of(run(["similar", "--text", "banen tegen werkloosheid", "--json"], kb))[0] == "banenplan-centrum"
    proposal = tmp_path / "voorstel.md"
    proposal.write_text("Een klas tegen schooluitval met hulp bij huiswerk", encoding="utf-8")
    assert ids_of(run(["similar", "--file", str(proposal), "--json"], kb))[0] == "huiswerkklas-noord"


def test_similar_unknown_id_suggests(run, kb):
    result = run(["similar", "huiswerkklas-nord"], kb)
    assert result.exit_code == 2
    assert "bedoelt u 'huiswerkklas-noord'?" in result.output


@pytest.mark.parametrize("args", [[], ["huiswerkklas-noord", "--text", "x"], ["--file", "missing.txt"]])
def test_similar_needs_exactly_one_source(run, kb, args):
    result = run(["similar", *args], kb)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


# --- the déjà-vu check in `new` ----------------------------------------------------------------

NEW = ["new", "--titel", "Huiswerkhulp tegen schooluitval", "--samenvatting",
       "Huiswerkbegeleiding voor tieners om schooluitval te voorkomen.", "--gemeente", "Rotterdam",
       "--start", "2025", "--status", "lopend", "--thema", "onderwijs"]


def test_new_no_similar_skips_the_check(run, kb):
    result = run([*NEW, "--no-input", "--no-similar"], kb)
    assert result.exit_code == 0
    assert "Dit lijkt op" not in result.stderr and "Niets vergelijkbaars" not in result.stderr


def test_new_shows_nothing_when_nothing_is_alike(run, kb):
    result = run(["new", "--titel", "Kunstroute langs ateliers", "--samenvatting", "Een fietsroute langs kunstenaars.",
                  "--gemeente", "Zwolle", "--start", "2025", "--status", "lopend", "--thema", "leefbaarheid",
                  "--no-input"], kb)
    assert result.exit_code == 0, result.output
    assert "Dit lijkt op" not in result.stderr
    assert "Niets vergelijkbaars gevonden in het archief" in result.stderr


def test_new_in_empty_archive(run, archive):
    root = archive()
    result = run([*NEW, "--no-input"], root)
    assert result.exit_code == 0, result.output
    assert "Dit lijkt op" not in result.stderr
    assert "Nog niets om mee te vergelijken" in result.stderr


def test_facets_same_without_the_facet_table(run, kb):
    first = json.loads(run(["search", "school", "--status", "gestopt", "--json"], kb).stdout)
    (kb / ".kennisbank" / "facets.marshal").unlink()
    again = json.loads(run(["search", "school", "--status", "gestopt", "--json"], kb).stdout)
    assert first == again
    assert first["facets"]["status"] == {"gestopt": 1}


def test_every_index_term_begins_with_two_letters_of_its_word():
    """What make_snippet's shortcut relies on, over the demonstration archive's whole vocabulary:
    each index term of a word of letters starts with two letters that occur together in the word."""
    from kennisbank.search import analysis

    text = " ".join(p.read_text(encoding="utf-8") for p in (Path(__file__).resolve().parents[1] / "entries").glob("*.md"))
    vocabulary = {w for w in analysis.words(text) if w.isalpha()}
    lexicon = analysis.default_lexicon()
    checked = 0
    for word in vocabulary:
        for term in lexicon.index_terms(word):
            assert term[:2] in word, (word, term)
            checked += 1
    assert checked > len(vocabulary)  # compounds and variants give more terms than words
