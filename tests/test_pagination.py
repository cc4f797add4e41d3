"""Long lists over several pages (render/listing.py's ``paged``, the catalogue's plain list):
a real build of a small archive with ``list_page_size: 2``, its links, its navigation, axe-core."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Callable
from urllib.parse import urljoin

import pytest

from kennisbank.archive import Archive
from kennisbank.build import build_site
from kennisbank.config import Settings
from kennisbank.errors import ConfigError
from kennisbank.pages import SiteContext
from kennisbank.render import site_pages
from kennisbank.render.listing import page_numbers, split

from conftest import entry_text
from helpers import broken_links, parse, served, write_archive

SIZE = 2


def _stopped(titel: str, start: str, end: str, **changes) -> str:
    return entry_text(
        stopped=True, titel=titel, gemeente="Rotterdam", periode={"start": start, "eind": end},
        beeindiging={"datum": end, "redenen": ["financiering-afgelopen"]}, **changes,
    )


POSITIVE_TOO_EARLY = {"niveau": "voor-en-nameting", "uitkomst": "positief", "effect_na_jaren": 10}
ENTRIES = {
    # Two chains: a1 → a2 → a3 (three entries: a page of its own at size 2) and b1 → b2.
    "a1.md": _stopped("Project A1", "2000", "2002", bewijs=POSITIVE_TOO_EARLY, relaties={"opvolger": "a2"}),
    "a2.md": _stopped("Project A2", "2003", "2005", bewijs=POSITIVE_TOO_EARLY, relaties={"opvolger": "a3"}),
    "a3.md": _stopped("Project A3", "2006", "2008", bewijs=POSITIVE_TOO_EARLY),
    "b1.md": _stopped("Project B1", "2009", "2010", relaties={"heruitgevonden_als": ["b2"]}),
    "b2.md": _stopped("Project B2", "2011", "2012", themas=["wonen"]),
    "c1.md": entry_text(titel="Project C1", gemeente="Rotterdam", periode={"start": "2015"}),
    "c2.md": entry_text(titel="Project C2", gemeente="Delft", periode={"start": "2016"}),
}
IDS = {name[:-3] for name in ENTRIES}


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The archive built by `kennisbank build`'s library function, with Pagefind, two entries to a list page."""
    root = write_archive(tmp_path_factory.mktemp("paginering"), ENTRIES, list_page_size=SIZE)
    return build_site(Archive.open(root)).site_dir


def html_of(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def content(html: str) -> str:
    """The page's own content (after the skip link's anchor), without Material's header, nav and footer."""
    return html.split('<span id="inhoud" tabindex="-1"></span>', 1)[1].split("</article>", 1)[0]


def entries_listed(url: str, html: str) -> list[str]:
    """The entry ids the page's content links to, in order, from relative hrefs resolved against ``url``."""
    found = []
    for href in re.findall(r'href="([^"]+)"', content(html)):
        path = urljoin(f"http://kb.test/{url}", href.replace("&amp;", "&"))
        match = re.fullmatch(r"http://kb\.test/interventies/([a-z0-9-]+)/", path)
        if match and match[1] in IDS:
            found.append(match[1])
    return found


def pagination_nav(html: str) -> str:
    match = re.search(r'<nav class="kb-paginering" aria-label="Paginering">.*?</nav>', html)
    assert match, "no pagination"
    return match[0]


def resolve(url: str, href: str) -> str:
    return urljoin(f"http://kb.test/{url}", href).removeprefix("http://kb.test/")


@pytest.mark.parametrize("url, pages", [
    ("status/gestopt/", 3), ("gemeenten/rotterdam/", 3), ("interventies/", 4), ("verloren-successen/", 2),
    ("te-vroeg-gestopt/", 2), ("themas/participatie/", 3),
])
def test_long_list_every_entry_exactly_once_across_its_pages(paged_site: Path, url: str, pages: int) -> None:
    listed = []
    for number in range(1, pages + 1):
        here = url if number == 1 else f"{url}pagina/{number}/"
        part = entries_listed(here, html_of(paged_site, here))
        if url != "interventies/":
            part = list(dict.fromkeys(part))  # cards link their entry twice at most (title, text)
        assert 1 <= len(part) <= SIZE, (here, part)
        listed += part
    assert not (paged_site / url / "pagina" / str(pages + 1)).exists()
    assert sorted(listed) == sorted(set(listed)), "an entry on two pages"
    assert len(listed) == {"status/gestopt/": 5, "gemeenten/rotterdam/": 6, "interventies/": 7}.get(url, len(listed))


def test_page_two_at_its_url_with_the_next_entries_in_the_same_order(paged_site: Path) -> None:
    # Value pages keep their order (start year): a1 a2 | a3 b1 | b2.
    second = html_of(paged_site, "status/gestopt/pagina/2/")
    assert entries_listed("status/gestopt/pagina/2/", second) == ["a3", "b1"]
    assert entries_listed("status/gestopt/", html_of(paged_site, "status/gestopt/")) == ["a1", "a2"]
    assert "<title>Status: Gestopt (pagina 2 van 3)" in second
    assert "<h1>Status: Gestopt (pagina 2 van 3)</h1>" in second
    assert "Interventies 3–4 van 5 (pagina 2 van 3)." in second
    # The catalogue's plain list keeps its alphabetical order: A1 A2 | A3 B1 | B2 C1 | C2.
    third = html_of(paged_site, "interventies/pagina/3/")
    assert entries_listed("interventies/pagina/3/", third) == ["b2", "c1"]
    assert "<h1>Interventies (pagina 3 van 4)</h1>" in third
    assert 'id="kb-pagefind"' not in third and "pagefind-ui.js" not in third


def test_navigation_has_prev_next_and_marks_the_current_page(paged_site: Path) -> None:
    url = "status/gestopt/pagina/2/"
    nav = pagination_nav(html_of(paged_site, url))
    prev = re.search(r'<a href="([^"]+)" rel="prev">Vorige', nav)[1]
    following = re.search(r'<a href="([^"]+)" rel="next">Volgende', nav)[1]
    assert not prev.startswith("/") and not following.startswith("/")  # relative: the site may live under a sub-path
    assert resolve(url, prev) == "status/gestopt/"
    assert resolve(url, following) == "status/gestopt/pagina/3/"
    current = re.findall(r'<a href="([^"]+)" aria-current="page"><span class="kb-visually-hidden">Pagina </span>(\d+)</a>', nav)
    assert [(resolve(url, href), number) for href, number in current] == [(url, "2")]
    assert nav.count("aria-current") == 1

    first = pagination_nav(html_of(paged_site, "status/gestopt/"))
    assert 'rel="prev"' not in first and 'rel="next"' in first
    last = pagination_nav(html_of(paged_site, "status/gestopt/pagina/3/"))
    assert 'rel="next"' not in last and 'rel="prev"' in last


def test_many_pages_leave_numbers_out_around_the_current_one() -> None:
    assert page_numbers(1, 14) == [1, 2, 3, None, 14]
    assert page_numbers(7, 14) == [1, None, 5, 6, 7, 8, 9, None, 14]
    assert page_numbers(4, 7) == [1, 2, 3, 4, 5, 6, 7]
    assert split([3, 1, 1, 5, 1], 3, weight=lambda n: n) == [[3], [1, 1], [5], [1]]
    assert split([], 3) == [[]]


def test_first_page_keeps_charts_and_summary_further_pages_only_the_list(paged_site: Path) -> None:
    first = html_of(paged_site, "verloren-successen/")
    second = html_of(paged_site, "verloren-successen/pagina/2/")
    assert 'class="kb-chart"' in first and "3 verloren successen." in content(first)
    assert 'class="kb-chart"' not in second and "kb-kaart" in second
    assert "Het vervolg van de lijst op" in second
    rotterdam = content(html_of(paged_site, "gemeenten/rotterdam/"))
    assert "Lees de briefing over Rotterdam" in rotterdam and "Alle gemeenten" in rotterdam
    assert "Lees de briefing" not in content(html_of(paged_site, "gemeenten/rotterdam/pagina/2/"))


def test_carousel_pages_hold_whole_chains(paged_site: Path) -> None:
    first = html_of(paged_site, "carrousel/")
    second = html_of(paged_site, "carrousel/pagina/2/")
    assert entries_listed("carrousel/", first) == ["a1", "a2", "a3"]  # longer than a page, never cut
    assert entries_listed("carrousel/pagina/2/", second) == ["b1", "b2"]


def test_short_lists_have_no_pagination_markup(paged_site: Path) -> None:
    for url in ("status/lopend/", "gemeenten/delft/", "themas/wonen/", "status/"):
        html = html_of(paged_site, url)
        assert "kb-paginering" not in html, url
        assert not (paged_site / url / "pagina").exists(), url


def test_list_pages_are_neither_in_the_navigation_nor_searchable(paged_site: Path, tmp_path: Path) -> None:
    for url in ("", "status/gestopt/", "interventies/pagina/2/"):
        assert not [link for link in parse(paged_site / url / "index.html").nav_links if "pagina/" in link], url
    # Pagefind indexed the seven entry pages, nothing else.
    entry = json.loads((paged_site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert sum(language["page_count"] for language in entry["languages"].values()) == len(ENTRIES)
    root = write_archive(tmp_path / "archief", ENTRIES, list_page_size=SIZE)
    archive = Archive.open(root)
    pages = site_pages(SiteContext(archive.settings, archive.check().entries))
    listed = [page for page in pages if "/pagina/" in page.url]
    assert len(listed) > 10
    assert not any(page.searchable or page.nav for page in listed)


def test_every_internal_link_resolves_with_pagination_on(paged_site: Path) -> None:
    pages = list(paged_site.rglob("*.html"))
    assert any("pagina" in path.parts for path in pages)
    assert broken_links(paged_site, pages) == []


@pytest.mark.parametrize("value, expected", [
    (0, "list_page_size: verwacht ten minste 1, gevonden: 0"),
    ("veel", "list_page_size: verwacht int, gevonden: str 'veel'"),
])
def test_list_page_size_is_validated(tmp_path: Path, run: Callable, value: object, expected: str) -> None:
    root = write_archive(tmp_path / "archief", {"a.md": entry_text()}, list_page_size=value)
    result = run(["build", "--no-pagefind"], root)
    assert result.exit_code == 2, result.output
    assert expected in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_list_page_size_is_checked_also_when_mkdocs_read_it(tmp_path: Path) -> None:
    # MkDocs' own schema knows the type, not the minimum (plain `mkdocs build`).
    options = {"entries": "entries", "cache_dir": ".kennisbank", "review_interval_days": 365, "max_entry_bytes": 1000,
               "on_error": "stop", "vocabularies": {}, "synonyms": [], "edit_url": None, "history_url": None,
               "texts": {}, "pagefind": False, "list_page_size": 0}
    with pytest.raises(ConfigError, match="list_page_size: verwacht ten minste 1, gevonden: 0"):
        Settings.from_options(tmp_path, options)


def test_a_paginated_page_has_no_serious_accessibility_violations(browser, paged_site: Path) -> None:  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe

    with served(paged_site) as origin:
        context = browser.new_context(locale="nl-NL")
        try:
            tab = context.new_page()
            tab.goto(f"{origin}/status/gestopt/pagina/2/")
            tab.wait_for_load_state("networkidle")
            results = Axe().run(tab)
            # The pagination is reached with the keyboard, and its focus is visible.
            for _ in range(200):
                tab.keyboard.press("Tab")
                if tab.evaluate("() => !!document.activeElement.closest('.kb-paginering')"):
                    break
            assert tab.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"
        finally:
            context.close()
    serious = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — {violation['nodes'][0]['target']}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == [], "\n".join(serious)

