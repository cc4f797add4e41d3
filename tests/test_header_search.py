"""The live search in every page's header, in a real browser (Debian's Chromium via Playwright, on loopback).

The bundled archive is built for real (Pagefind included). Typing in the header box shows the first
results under it; the search loads Pagefind's engine only when the box is used, and never its filter
chunks (those are the catalogue's). Without JavaScript the form still goes to the catalogue.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Iterator

import pytest

from kennisbank.archive import Archive
from kennisbank.build import build_site

from conftest import REPO
from test_browser import FEIJENOORD, FEIJENOORD_TITLE, TIMEOUT_MS, browser, page, requests, search_results, served  # noqa: F401

WORD = "Hillesluis"
RESULT_LINK = ".kb-header-results__link"


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled archive, built with Pagefind."""
    root = tmp_path_factory.mktemp("header-search")
    shutil.copytree(REPO / "entries", root / "entries")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return build_site(Archive.open(root)).site_dir


@pytest.fixture(scope="module")
def site_url(built_site: Path) -> Iterator[str]:
    with served(built_site) as origin:
        yield f"{origin}/"


def header_box(tab):
    return tab.get_by_role("searchbox", name="Zoek een interventie")


def type_query(tab, term: str = WORD) -> list[str]:
    """Type ``term`` in the header box as a reader does; the titles of the results shown under it."""
    box = header_box(tab)
    box.click()
    box.press_sequentially(term)
    tab.wait_for_selector(RESULT_LINK)
    return tab.locator(RESULT_LINK).all_inner_texts()


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
    assert panel.is_hidden()
    assert box.evaluate("element => element === document.activeElement")
    assert box.input_value() == WORD
    # A click back in the box shows the results again; a click elsewhere closes them.
    box.click()
    assert panel.is_visible()
    page.mouse.click(5, 300)
    assert panel.is_hidden()
    # Emptying the box hides the panel: an empty query is never searched.
    box.fill("")
    page.wait_for_timeout(400)
    assert panel.is_hidden()


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
    page.goto(site_url + "interventies/")
    box = header_box(page)
    box.click()
    box.press_sequentially(WORD)
    page.wait_for_timeout(500)
    assert page.locator("#kb-header-results").is_hidden()
    assert page.locator(".pagefind-ui__result").count() == 0
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
