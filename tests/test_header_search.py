"""The live search in every page's header, in a real browser (Debian's Chromium via Playwright, on loopback).

The bundled archive is built for real (Pagefind included). Typing in the header box shows the first
results under it; the search loads Pagefind's engine only when the box is used, and never its filter
chunks (those are the catalogue's). Without JavaScript the form still goes to the catalogue.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import REPO
from helpers import (
    FEIJENOORD, FEIJENOORD_TITLE, RESULT_LINK, TIMEOUT_MS, WORD, after_page_timers, header_box, search_results, served,
    type_query,
)

# The fixtures (browser, page, requests, built_site, site_url) are in conftest.py.


@pytest.mark.parametrize("start", ["", f"interventies/{FEIJENOORD}/", "themas/"])
def test_header_search_shows_results_as_you_type(page, site_url: str, start: str) -> None:
    page.goto(site_url + start)
    assert FEIJENOORD_TITLE in type_query(page)
    panel = page.get_by_role("region", name="Zoekresultaten")
    assert panel.is_visible()
    status = panel.get_by_role("status")
    assert re.fullmatch(rf"\d+ resulta(?:at|ten) voor \u2018{WORD}\u2019.*", status.inner_text()), status.inner_text()
    item = panel.locator(".kb-header-results__item", has=page.locator(RESULT_LINK, has_text=FEIJENOORD_TITLE))
    assert item.locator("mark").first.inner_text().lower().startswith(WORD.lower())
    assert item.locator(".kb-header-results__meta").inner_text() == (
        "Rotterdam \u00b7 januari 2008 tot en met december 2011 \u00b7 Gestopt")
    item.locator(RESULT_LINK).click()
    page.wait_for_url(site_url + f"interventies/{FEIJENOORD}/")
    assert page.get_by_role("heading", level=1).inner_text() == FEIJENOORD_TITLE


def test_header_search_shows_the_first_six_of_many(page, site_url: str) -> None:
    page.goto(site_url)
    titles = type_query(page, "gemeente")
    status = page.get_by_role("region", name="Zoekresultaten").get_by_role("status").inner_text()
    total = int(status.split()[0])
    assert total > 6 and len(titles) == 6
    assert status.endswith("de eerste 6 staan hieronder")


def test_header_search_keyboard_escape_and_click_outside(page, site_url: str) -> None:
    page.goto(site_url + f"interventies/{FEIJENOORD}/")
    type_query(page)
    panel = page.locator("#kb-header-results")
    box = header_box(page)
    page.keyboard.press("ArrowDown")
    links = panel.locator("a[href]")
    assert links.first.evaluate("element => element === document.activeElement")
    page.keyboard.press("ArrowDown")
    assert links.nth(1).evaluate("element => element === document.activeElement")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert box.evaluate("element => element === document.activeElement")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    assert box.evaluate("element => element === document.activeElement")
    assert box.input_value() == WORD
    # A click back in the box shows the results again; a click elsewhere closes them.
    box.click()
    expect(panel).to_be_visible()
    page.mouse.click(5, 300)
    expect(panel).to_be_hidden()
    # Emptying the box (results shown) hides the panel, and an empty query is never searched: it stays
    # hidden once the page has acted on the input.
    box.click()
    expect(panel).to_be_visible()
    box.fill("")
    expect(panel).to_be_hidden()
    after_page_timers(page)
    expect(panel).to_be_hidden()


def test_header_search_links_to_the_catalogue_with_the_term(page, site_url: str) -> None:
    page.goto(site_url)
    type_query(page)
    page.get_by_role("link", name="Alle resultaten met filters").click()
    page.wait_for_url(re.compile(rf"/interventies/\?q={WORD}$"))
    assert any(FEIJENOORD_TITLE in title for title in search_results(page))


def test_header_search_enter_still_submits_to_the_catalogue(page, site_url: str) -> None:
    page.goto(site_url + f"interventies/{FEIJENOORD}/")
    type_query(page)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/interventies/\?q={WORD}$"))
    assert any(FEIJENOORD_TITLE in title for title in search_results(page))


def test_header_search_loads_pagefind_lazily_and_no_filter_chunk(page, site_url: str, requests: list[str]) -> None:
    page.goto(site_url + f"interventies/{FEIJENOORD}/")
    page.wait_for_load_state("networkidle")
    assert [url for url in requests if "/pagefind/" in url] == [], "Pagefind loaded before the box was used"
    type_query(page)
    page.wait_for_load_state("networkidle")
    fetched = [url for url in requests if "/pagefind/" in url]
    assert any("/pagefind/index/" in url for url in fetched) and any("/pagefind/fragment/" in url for url in fetched)
    assert [url for url in fetched if "/pagefind/filter/" in url] == [], "the header search loaded filter chunks"
    assert [url for url in fetched if "-ui" in url.rsplit("/", 1)[-1]] == [], "the header search loaded a Pagefind UI"


def test_header_search_on_a_narrow_screen_fits_the_viewport(browser, site_url: str) -> None:
    context = browser.new_context(locale="nl-NL", viewport={"width": 360, "height": 740})
    try:
        tab = context.new_page()
        tab.set_default_timeout(TIMEOUT_MS)
        tab.goto(site_url + f"interventies/{FEIJENOORD}/")
        box = header_box(tab)
        assert box.is_visible()
        type_query(tab)
        panel = tab.locator("#kb-header-results").bounding_box()
        assert panel["x"] >= 0 and panel["x"] + panel["width"] <= 360 and panel["y"] + panel["height"] <= 740, panel
        assert panel["y"] >= box.bounding_box()["y"] + box.bounding_box()["height"]
    finally:
        context.close()


def test_header_search_on_the_catalogue_leaves_the_catalogue_search_alone(page, site_url: str) -> None:
    # On other pages the header search wires its box to its panel once the page has loaded ...
    page.goto(site_url + f"interventies/{FEIJENOORD}/")
    assert header_box(page).get_attribute("aria-controls") == "kb-header-results"
    # ... on the catalogue (which has its own search box) it leaves the box alone.
    page.goto(site_url + "interventies/")
    box = header_box(page)
    assert box.get_attribute("aria-controls") is None
    box.click()
    box.press_sequentially(WORD)
    after_page_timers(page)
    expect(page.locator("#kb-header-results")).to_be_hidden()
    expect(page.locator(".kb-resultaat__item")).to_have_count(0)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/interventies/\?q={WORD}$"))
    assert any(FEIJENOORD_TITLE in title for title in search_results(page))


def test_header_search_under_a_sub_path(browser, built_site: Path, tmp_path: Path) -> None:
    """A site served under /kennisbank/ finds its bundle and links its results below that path."""
    (tmp_path / "kennisbank").symlink_to(built_site, target_is_directory=True)
    context = browser.new_context(locale="nl-NL")
    fetched: list[str] = []
    context.on("request", lambda request: fetched.append(request.url))
    try:
        with served(tmp_path) as origin:
            tab = context.new_page()
            tab.set_default_timeout(TIMEOUT_MS)
            tab.goto(f"{origin}/kennisbank/interventies/{FEIJENOORD}/")
            type_query(tab)
            href = tab.locator(RESULT_LINK, has_text=FEIJENOORD_TITLE).get_attribute("href")
            assert href == f"{origin}/kennisbank/interventies/{FEIJENOORD}/"
            everything = tab.get_by_role("link", name="Alle resultaten met filters").get_attribute("href")
            assert everything == f"{origin}/kennisbank/interventies/?q={WORD}"
            assert [url for url in fetched if "/pagefind/" in url and "/kennisbank/pagefind/" not in url] == []
    finally:
        context.close()


def test_header_search_without_javascript_goes_to_the_catalogue(browser, site_url: str) -> None:
    context = browser.new_context(locale="nl-NL", java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.set_default_timeout(TIMEOUT_MS)
        tab.goto(site_url + f"interventies/{FEIJENOORD}/")
        assert tab.locator("#kb-header-results").is_hidden()
        header_box(tab).fill(WORD)
        tab.keyboard.press("Enter")
        tab.wait_for_url(re.compile(rf"/interventies/\?q={WORD}$"))
        assert tab.get_by_role("link", name=FEIJENOORD_TITLE).count() >= 1
    finally:
        context.close()


# --- A question never needs every word: the box asks Pagefind per content word and merges ---------------

SUMMARY = ".kb-header-results__summary"


def ask(tab, question: str) -> tuple[str, list[str]]:
    """Type ``question`` in the header box; (the status line, the titles shown) once its answer is in."""
    box = header_box(tab)
    box.click()
    box.fill("")
    box.press_sequentially(question)
    tab.wait_for_function(
        "question => !document.getElementById('kb-header-results').hidden"
        " && document.querySelector('.kb-header-results__summary').textContent.includes('\u2018' + question + '\u2019')",
        arg=question,
    )
    return tab.locator(SUMMARY).inner_text(), tab.locator(RESULT_LINK).all_inner_texts()


@pytest.mark.parametrize(("question", "expected"), [
    # No entry holds all of these words ("buurtvaders" is in none); welke, gemeente, ervaring are question words.
    ("welke gemeente heeft ervaring met buurtvaders voor jongeren", "Avondwacht Slotervaart"),
    # A compound typed as one word finds the entry that has its parts (buurt ... vaders) ...
    ("buurtvaders", "Avondwacht Slotervaart"),
    # ... and its parts typed apart find the entry that has only the compound (schuldhulpmaatjes).
    ("schuld hulp maatjes", "Sociale wijkteams Arnhem"),
    # Words from the titles of the cited sources only.
    ("nulmeting", "Gezond Huis Pathmos"),
])
def test_header_search_ranks_by_content_words_not_all_words(page, site_url: str, question: str, expected: str) -> None:
    page.goto(site_url)
    status, titles = ask(page, question)
    assert expected in titles[:3], (status, titles)
    assert not status.startswith("Niets gevonden"), status


def test_header_search_without_archive_words_gives_dutch_advice(page, site_url: str) -> None:
    page.goto(site_url)
    status, titles = ask(page, "xyzzy plonkerig")
    assert titles == []
    assert status.startswith("Niets gevonden voor \u2018xyzzy plonkerig\u2019."), status
    assert "Probeer minder of andere woorden" in status and "algemener begrip" in status
    # The way to the catalogue stays open.
    assert page.get_by_role("link", name="Alle resultaten met filters").is_visible()


def test_added_search_words_are_indexed_but_never_shown_or_read(page, site_url: str) -> None:
    """The words the Dutch analysis adds (compound parts, thesaurus terms) are in Pagefind's index but
    hidden from every reader: not visible, not in the accessibility tree, not in a result's excerpt."""
    page.goto(site_url + "interventies/avondwacht-slotervaart/")
    added = page.locator(".kb-zoekwoorden")
    assert added.count() == 1 and added.is_hidden()
    words = added.text_content().split()
    assert "jeugdwerker" in words  # from "jeugdwerk" and "jongerenwerker" (thesaurus), not in the text itself
    tree = page.locator("body").aria_snapshot()
    article = page.locator("article.kb-entry").inner_text()
    assert "jeugdwerker" not in tree and "jeugdwerker" not in article
    status, titles = ask(page, "jeugdwerker")
    assert "Avondwacht Slotervaart" in titles, (status, titles)
    item = page.locator(".kb-header-results__item", has=page.locator(RESULT_LINK, has_text="Avondwacht Slotervaart"))
    excerpt = item.locator(".kb-header-results__excerpt").inner_text()
    shown = [word for word in re.findall(r"\w+", excerpt.lower())]
    visible = set(re.findall(r"\w+", article.lower()))
    assert shown and set(shown) <= visible, set(shown) - visible


def test_header_search_network_budget(browser, site_url: str) -> None:
    """The first search (engine, word lists, index chunks, shown fragments) stays under 300 kB, a later
    one under 70 kB, counted uncompressed (a host that gzips sends less)."""
    context = browser.new_context(locale="nl-NL")
    sizes: list[tuple[str, int]] = []

    def count(response) -> None:
        if "/pagefind/" in response.url or response.url.endswith("/zoekwoorden.json"):
            try:
                sizes.append((response.url, len(response.body())))
            except Exception:  # a redirect or an aborted request has no body
                pass

    try:
        tab = context.new_page()
        tab.set_default_timeout(TIMEOUT_MS)
        tab.on("response", count)
        tab.goto(site_url + f"interventies/{FEIJENOORD}/")
        tab.wait_for_load_state("networkidle")
        assert sizes == []
        ask(tab, "welke gemeente heeft ervaring met buurtvaders voor jongeren")
        tab.wait_for_load_state("networkidle")
        first = sum(size for _url, size in sizes)
        sizes.clear()
        ask(tab, "wat is er gedaan tegen schulden en eenzaamheid bij ouderen")
        tab.wait_for_load_state("networkidle")
        later = sum(size for _url, size in sizes)
        assert first <= 300_000, first
        assert later <= 70_000, (later, sizes)
    finally:
        context.close()


def test_header_search_word_lists_come_from_the_dutch_analysis(built_site: Path) -> None:
    """One source for the words a question is made of: the build writes kennisbank.search.analysis's lists."""
    import json

    from kennisbank.search import analysis

    lists = json.loads((built_site / "assets" / "kennisbank" / "zoekwoorden.json").read_text(encoding="utf-8"))
    assert set(lists["stopwords"]) == analysis.STOPWORDS
    assert set(lists["questionWords"]) == analysis.QUESTION_WORDS - analysis.STOPWORDS
    assert lists["pages"] == len(list((REPO / "entries").glob("*.md")))


# --- The catalogue: Pagefind gets the content words, "Beste treffers" never needs them all -----------------

BEST = ".kb-beste"


def catalogue_question(tab, site_url: str, question: str) -> list[str]:
    """Open the catalogue with ``question`` (as the header form sends it); the titles under "Beste treffers"."""
    from urllib.parse import quote

    tab.goto(f"{site_url}interventies/?q={quote(question)}")
    tab.wait_for_selector(f"{BEST}:not([hidden]) .kb-header-results__link")
    return tab.locator(f"{BEST} .kb-header-results__link").all_inner_texts()


def test_catalogue_best_hits_for_a_question_no_entry_fully_holds(page, site_url: str) -> None:
    titles = catalogue_question(page, site_url, "welke gemeente heeft ervaring met buurtvaders voor jongeren")
    assert titles[0] == "Avondwacht Slotervaart"
    assert page.get_by_role("heading", name="Beste treffers voor uw vraag").is_visible()
    # Pagefind's own list stays below, for the content words only (the question words are no condition).
    expect(page.locator(".kb-resultaten__aantal")).to_contain_text(
        "welke gemeente heeft ervaring met buurtvaders voor jongeren")


def test_catalogue_one_word_needs_no_best_hits(page, site_url: str) -> None:
    page.goto(f"{site_url}interventies/?q=voorlezen")
    page.wait_for_selector(".kb-resultaat__link")
    # The results are in, so the search has run and scheduled "Beste treffers"; once that timer has fired
    # too, the block would be shown if it were going to be.
    after_page_timers(page)
    expect(page.locator(BEST)).to_be_hidden()
    assert "Voorleesouders Heechterp-Schieringen" in page.locator(".kb-resultaat__link").all_inner_texts()


def test_catalogue_leaves_question_words_out_of_pagefinds_query(page, site_url: str) -> None:
    """A question finds what its content word finds: question words are no condition (the entry
    holds none of "ooit", "ervaring", "gehad")."""
    page.goto(f"{site_url}interventies/?q=welke%20gemeente%20heeft%20ooit%20ervaring%20gehad%20met%20voorlezen")
    page.wait_for_selector(".kb-resultaat__link")
    assert "Voorleesouders Heechterp-Schieringen" in page.locator(".kb-resultaat__link").all_inner_texts()
