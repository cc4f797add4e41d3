"""Every kind of page at a phone's size (360×740) and a laptop's (1280×800), in a real browser.

The page never scrolls sideways (a wide table scrolls in its own box, with
a cue that there is more), no word in a table is broken inside, the header
shows the whole site name, axe-core finds nothing serious, and a stopped
entry's verdict (outcome and stop reason) is on the first screen. The site,
browser and server are test_browser.py's (Debian's Chromium through
Playwright, the bundled archive built once for this module, on loopback).
Each page is visited once per screen size; the tests assert on what those
visits measured.
"""

from __future__ import annotations

from functools import lru_cache

import shutil
from dataclasses import dataclass, field
from typing import Any

import pytest

from kennisbank.archive import Archive
from kennisbank.entry import Entry

from conftest import REPO
from helpers import TIMEOUT_MS

SCREENS = {"360x740": (360, 740), "1280x800": (1280, 800)}

# The pages of every kind that the navigation does not list; the overviews, briefings index, open data
# and accessibility pages are taken from the navigation itself, so a new overview is covered too.
RUNNING_ENTRY = "energiecoaches-heerlen-noord"
KINDS = {
    "start": "",
    "catalogue": "interventies/",
    "running entry": f"interventies/{RUNNING_ENTRY}/",
    "theme": "themas/werk/",
    "municipality": "gemeenten/dordrecht/",
    "theme briefing": "briefings/themas/werk/",
    "municipality briefing": "briefings/gemeenten/rotterdam/",
    "404": "404.html",
}


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    """The bundled archive (a copy, so that nothing is written into the repository)."""
    root = tmp_path_factory.mktemp("layout-archive")
    shutil.copytree(REPO / "entries", root / "entries")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return Archive.open(root)


@pytest.fixture(scope="module")
def stopped_entry(archive: Archive) -> Entry:
    """The hardest case for the first screen: the stopped entry with the longest title."""
    entries = [entry for entry in archive.entries() if entry.meta.status == "gestopt"]
    return max(entries, key=lambda e: len(e.meta.titel))


# Measured in the page: every table cell (and its links) that lets a word break inside, and every
# word in a table that a line break has split (one word, more than one line box).
MEASURE = """() => {
  const breaking = [];
  const split = [];
  for (const cell of document.querySelectorAll('table th, table td')) {
    for (const el of [cell, ...cell.querySelectorAll('*')]) {
      const s = getComputedStyle(el);
      if (['break-all', 'break-word'].includes(s.wordBreak) || s.overflowWrap === 'anywhere') {
        breaking.push(el.tagName.toLowerCase() + ': word-break ' + s.wordBreak + ', overflow-wrap ' + s.overflowWrap);
      }
    }
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement.getClientRects().length) continue;
      for (const match of node.textContent.matchAll(/[^\\s\\-\\u2013\\u2014\\/]+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) split.push(match[0]);
      }
    }
  }
  const name = document.querySelector('.md-header__topic:first-child .md-ellipsis');
  const boxes = [];
  for (const table of document.querySelectorAll('.md-content table')) {
    let box = table.parentElement;
    while (box && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) box = box.parentElement;
    if (!box || box.scrollWidth <= box.clientWidth) continue;
    boxes.push({
      caption: (table.caption ? table.caption.textContent : '').trim(),
      role: box.getAttribute('role'), tabindex: box.getAttribute('tabindex'),
      name: box.getAttribute('aria-label') || box.getAttribute('aria-labelledby'),
      cue: getComputedStyle(box).backgroundImage !== 'none',
    });
  }
  return {
    width: document.documentElement.scrollWidth, viewport: window.innerWidth,
    breaking: [...new Set(breaking)], split: [...new Set(split)],
    name: name ? {text: name.textContent.trim(), cut: name.scrollWidth > name.clientWidth + 1} : null,
    boxes,
  };
}"""


@dataclass
class Visit:
    url: str
    measured: dict[str, Any]
    serious: list[str] = field(default_factory=list)
    verdict: dict[str, Any] | None = None


@lru_cache(maxsize=1)
def _axe():
    """axe-core, read from disk once for every page."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def _serious_violations(page) -> list[str]:
    results = _axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — {violation['nodes'][0]['target']}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def _nav_urls(page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all(".md-nav--primary a.md-nav__link[href]", "links => links.map(a => a.href)")
    urls = []
    for href in hrefs:
        url = href.split("#", 1)[0]
        if url.startswith(origin) and url[len(origin):] not in urls:
            urls.append(url[len(origin):])
    return urls


@pytest.fixture(scope="module")
def visits(browser, site_url: str, stopped_entry: Entry) -> dict[str, dict[str, Visit]]:  # noqa: F811
    """Every kind of page visited once per screen size, with all details (tables of figures) opened."""
    try:
        import axe_playwright_python  # noqa: F401
    except ImportError:
        pytest.fail("axe-core is missing: install the test extra (`pip install -e '.[test]'`)", pytrace=False)
    results: dict[str, dict[str, Visit]] = {}
    for screen, (width, height) in SCREENS.items():
        context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": height})
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(site_url)
        urls = {**KINDS, "stopped entry": f"interventies/{stopped_entry.id}/"}
        for url in _nav_urls(page, site_url):
            if url not in urls.values():
                urls[url or "start"] = url
        results[screen] = {}
        for kind, url in urls.items():
            page.goto(site_url + url)  # returns once the page has loaded, its scripts run
            if kind == "catalogue":
                # The catalogue draws its filters (and shows its search) once Pagefind has loaded them.
                page.locator(".kb-filter").first.wait_for(state="attached")
            verdict = None
            if kind == "stopped entry":
                # Measured as the page opens, before anything is unfolded.
                verdict = {
                    key: page.evaluate(
                        "s => { const el = document.querySelector(s); if (!el) return null;"
                        " const r = el.getBoundingClientRect(); return {text: el.textContent, top: r.top, bottom: r.bottom}; }",
                        selector,
                    )
                    for key, selector in (("oordeel", '[data-pagefind-meta="oordeel"]'),
                                          ("gestopt", '[data-pagefind-meta="gestopt"]'))
                }
            page.evaluate("() => document.querySelectorAll('.md-content details').forEach(d => { d.open = true; })")
            visit = Visit(url, page.evaluate(MEASURE), _serious_violations(page), verdict)
            results[screen][kind] = visit
        context.close()
    return results


@pytest.mark.parametrize("screen", SCREENS)
def test_layout_no_page_scrolls_sideways(visits, screen: str) -> None:
    urls = {visit.url for visit in visits[screen].values()}
    overviews = {"tijdlijn/", "verloren-successen/", "te-vroeg-gestopt/", "carrousel/", "themas/", "gemeenten/",
                 "briefings/", "open-data/", "toegankelijkheid/"}
    assert overviews <= urls, "the navigation no longer leads to every kind of page"
    wide = {
        visit.url or "/": visit.measured["width"]
        for visit in visits[screen].values()
        if visit.measured["width"] > visit.measured["viewport"]
    }
    assert wide == {}, f"pages wider than the {screen} screen (their width in px)"


@pytest.mark.parametrize("screen", SCREENS)
def test_layout_tables_never_break_a_word(visits, screen: str) -> None:
    styles = {visit.url or "/": visit.measured["breaking"] for visit in visits[screen].values() if visit.measured["breaking"]}
    assert styles == {}, "table cells whose style lets a word break inside"
    split = {visit.url or "/": visit.measured["split"] for visit in visits[screen].values() if visit.measured["split"]}
    assert split == {}, "words in tables broken over two lines"


@pytest.mark.parametrize("screen", SCREENS)
def test_layout_wide_tables_scroll_in_a_named_keyboard_region_with_a_cue(visits, screen: str) -> None:
    wrong = {
        visit.url or "/": [box for box in visit.measured["boxes"]
                           if not (box["role"] == "region" and box["tabindex"] == "0" and box["name"] and box["cue"])]
        for visit in visits[screen].values()
    }
    assert {url: boxes for url, boxes in wrong.items() if boxes} == {}


@pytest.mark.parametrize("screen", SCREENS)
def test_layout_header_shows_the_whole_site_name(visits, screen: str) -> None:
    cut = {visit.url or "/": visit.measured["name"] for visit in visits[screen].values()
           if visit.measured["name"] is None or visit.measured["name"]["cut"]}
    assert cut == {}


@pytest.mark.parametrize("screen", SCREENS)
def test_layout_pages_have_no_serious_accessibility_violations(visits, screen: str) -> None:
    serious = {visit.url or "/": visit.serious for visit in visits[screen].values() if visit.serious}
    assert serious == {}


@pytest.mark.parametrize("screen", SCREENS)
def test_layout_stopped_entry_verdict_is_on_the_first_screen(visits, archive: Archive, stopped_entry: Entry,
                                                           screen: str) -> None:
    entry = stopped_entry
    height = SCREENS[screen][1]
    verdict = visits[screen]["stopped entry"].verdict
    assert verdict["oordeel"] is not None and verdict["gestopt"] is not None, "no verdict on the entry page"
    # The verdict says the outcome and every stop reason in words.
    outcome = entry.meta.bewijs.uitkomst.replace("-", " ")
    assert outcome in verdict["oordeel"]["text"].lower()
    for reason in entry.meta.beeindiging.redenen:
        assert archive.vocabularies["stopredenen"].label_of(reason).lower() in verdict["gestopt"]["text"].lower()
    for key in ("oordeel", "gestopt"):
        assert 0 <= verdict[key]["top"] and verdict[key]["bottom"] <= height, f"{key} below the first screen: {verdict[key]}"
