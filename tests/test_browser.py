"""The built site in a real browser: Debian's Chromium driven by Playwright, on loopback.

Needs the `playwright` and `axe-playwright-python` packages (the `test`
extra) and Debian's `chromium` at /usr/bin/chromium (`apt-get install
chromium`; never `playwright install`). A missing piece fails these tests
with a message saying what to install; nothing is skipped. Every test here is marked ``browser``.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from helpers import FEIJENOORD, FEIJENOORD_TITLE, result_count, search_results

# The fixtures (browser, page, requests, site_url: the bundled archive built once and served) are in conftest.py.


def test_search_finds_a_known_entry(page, site_url: str) -> None:
    page.goto(site_url + "interventies/")
    page.locator("#kb-zoekterm").fill("startkwalificatie")
    assert any(FEIJENOORD_TITLE in title for title in search_results(page))


def test_header_search_form_runs_the_query_in_the_catalogue(page, site_url: str) -> None:
    page.goto(site_url + f"interventies/{FEIJENOORD}/")
    page.get_by_role("searchbox", name="Zoek een interventie").fill("Hillesluis")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/interventies/\?q=Hillesluis$"))
    assert any(FEIJENOORD_TITLE in title for title in search_results(page))
    assert page.locator("#kb-zoekterm").input_value() == "Hillesluis"


def test_every_filter_is_offered_when_the_first_search_beats_the_filter_data(page, site_url: str) -> None:
    # Filter data arriving late, one filter's before the others' (a slow connection): a search typed
    # at once must not leave the panel with only the filters loaded so far. The other filters' data is
    # held back until the first filter's has arrived, so the order is certain, not a matter of time.
    routed: list[str] = []
    held: list[object] = []
    released = False

    def late(route) -> None:
        routed.append(route.request.url)
        if len(routed) == 1 or released:
            route.continue_()
        else:
            held.append(route)

    page.route("**/*.pf_filter", late)
    with page.expect_event("requestfinished", lambda request: request.url.endswith(".pf_filter")):
        page.goto(site_url + "interventies/", wait_until="commit")
    released = True
    for route in held:
        route.continue_()
    page.locator("#kb-zoekterm").fill("wijk")
    search_results(page)
    shown = page.locator(".kb-filtergroep:not([hidden]) .kb-filtergroep__naam")
    expect(shown).to_have_count(5)
    names = sorted(name.lower() for name in shown.all_inner_texts())
    assert names == ["gemeente", "reden van beëindiging", "status", "thema", "uitkomst"]
    for group in page.locator(".kb-filtergroep").all():
        expect(group.locator(".kb-filter").first).to_be_attached()
    assert len(routed) > 1, "the filter data came in one request: nothing arrived late"


def test_filter_narrows_the_results(page, site_url: str) -> None:
    page.goto(site_url + "interventies/")
    page.locator("#kb-zoekterm").fill("wijk")
    search_results(page)
    before = result_count(page)
    assert before > 3
    status = page.locator(".kb-filtergroep__knop", has_text=re.compile("^Status"))
    status.wait_for()
    if status.get_attribute("aria-expanded") != "true":
        status.click()
    # check() clicks and then verifies the box is ticked (the panel may re-render under it).
    page.get_by_role("checkbox", name=re.compile("^Verduurzaamd")).check()
    page.wait_for_function(
        "(before) => { const m = document.querySelector('.kb-resultaten__aantal');"
        " const n = m && m.textContent.match(/\\d+/); return n && Number(n[0]) < before; }",
        arg=before,
    )
    after = result_count(page)
    assert 0 < after < before
    for name in ("thema", "status", "gemeente", "uitkomst", "reden van beëindiging"):
        assert page.locator(".kb-filtergroep__naam", has_text=re.compile(f"^{name}$", re.I)).count() == 1, name


def test_entry_page_shows_its_card(page, site_url: str) -> None:
    page.goto(site_url + f"interventies/{FEIJENOORD}/")
    assert page.get_by_role("heading", level=1).inner_text() == FEIJENOORD_TITLE
    card = page.locator(".kb-card")
    assert card.is_visible()
    assert card.get_by_role("heading", level=2).inner_text() == "In het kort"
    status = card.locator(".kb-card__list > div", has=page.locator("dt", has_text=re.compile("^Status$"))).locator("dd")
    assert status.inner_text() == "Gestopt"
    assert "Tijdelijk geld op" in card.inner_text()
    box = card.bounding_box()
    first_section = page.locator("#context").bounding_box()
    assert box["y"] < first_section["y"]


def test_skip_link_leads_to_the_content(page, site_url: str) -> None:
    page.goto(site_url + f"interventies/{FEIJENOORD}/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Naar de inhoud")
    assert skip.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"


def test_start_page_chart_has_a_text_alternative(page, site_url: str) -> None:
    page.goto(site_url)
    charts = page.locator("svg[role=img]")
    assert charts.count() >= 1
    chart = charts.first
    label_id = chart.get_attribute("aria-labelledby")
    description_id = chart.get_attribute("aria-describedby")
    assert label_id and page.locator(f"#{label_id}").inner_text().strip()
    assert description_id and page.locator(f"#{description_id}").text_content().strip()
    name = page.locator(f"#{label_id}").inner_text().strip()
    assert page.get_by_role("img", name=name).count() >= 1


# The pages as they open are checked at two screen sizes by test_layout_browser.py; these are the states
# only a search brings about.
@pytest.mark.parametrize(("url", "header_query"), [
    ("interventies/?q=jongeren", None), ("interventies/?status=Gestopt", None),
    # The header search's results panel open over an entry page.
    (f"interventies/{FEIJENOORD}/", "jongeren"),
])
def test_pages_have_no_serious_accessibility_violations(page, site_url: str, url: str, header_query: str | None) -> None:
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        pytest.fail("axe-core is missing: install the test extra (`pip install -e '.[test]'`), "
                    "which brings `axe-playwright-python` with axe.min.js", pytrace=False)
    page.goto(site_url + url)
    if "?" in url:
        search_results(page)
    if header_query:
        page.get_by_role("searchbox", name="Zoek een interventie").press_sequentially(header_query)
        page.wait_for_selector(".kb-header-results__link")
        assert page.get_by_role("region", name="Zoekresultaten").is_visible()
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    serious = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] if isinstance(node["target"][0], str) else str(node["target"]) for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == [], "\n".join(serious)


def test_no_request_leaves_the_origin(page, site_url: str, requests: list[str]) -> None:
    for url in ("", "interventies/", f"interventies/{FEIJENOORD}/", "open-data/", "toegankelijkheid/"):
        page.goto(site_url + url)
        page.wait_for_load_state("networkidle")
    page.goto(site_url + "interventies/?q=jongeren")
    search_results(page)
    assert len(requests) > 10
    assert all(url.startswith(site_url) for url in requests), [u for u in requests if not u.startswith(site_url)]
