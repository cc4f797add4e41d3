"""Every page type of the built demo site under its Content-Security-Policy, in Chromium: no violation.

The policy is the one the pages carry in their ``<meta>``; the test server
also sends the site's ``_headers`` policy as a real header (with
``frame-ancestors``), as Netlify or Cloudflare Pages would. A violation is
caught by a ``securitypolicyviolation`` listener installed before any page
script runs, and by the console message Chromium writes for it. The header
box and the catalogue must still find entries: Pagefind's WebAssembly runs
under ``'wasm-unsafe-eval'``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from helpers import FEIJENOORD, FEIJENOORD_TITLE, header_policy, violations

def first_briefing(site: Path) -> str:
    return next(path.parent.relative_to(site).as_posix() + "/"
                for path in sorted((site / "briefings" / "themas").glob("*/index.html")))


def test_every_page_has_the_policy_before_any_script(csp_site: Path) -> None:
    pages = sorted(csp_site.rglob("*.html"))
    assert len(pages) > 100
    for path in pages:
        html = path.read_text(encoding="utf-8")
        meta = html.find('<meta http-equiv="Content-Security-Policy"')
        assert meta != -1, path
        assert meta < html.find("<script"), path
        assert "'unsafe-inline'" not in html[meta:html.find(">", meta)], path


@pytest.mark.parametrize("url", [
    "", f"interventies/{FEIJENOORD}/", "verloren-successen/", "te-vroeg-gestopt/", "carrousel/", "tijdlijn/",
    "stopredenen/", "themas/", "themas/werk/", "gemeenten/", "gemeenten/rotterdam/", "briefings/", "BRIEFING",
    "open-data/", "toegankelijkheid/", "404.html",
])
def test_page_runs_without_policy_violation(tab, csp_url: str, csp_site: Path, url: str) -> None:
    if url == "BRIEFING":
        url = first_briefing(csp_site)
    tab.goto(csp_url + url)
    tab.wait_for_load_state("load")
    assert tab.evaluate("() => typeof __md_get") == "function", "Material's inline script did not run"
    assert violations(tab) == []


def test_header_search_works_under_the_policy(tab, csp_url: str) -> None:
    tab.goto(csp_url + f"interventies/{FEIJENOORD}/")
    box = tab.get_by_role("searchbox", name="Zoek een interventie")
    box.click()
    box.press_sequentially("startkwalificatie")
    tab.wait_for_selector(".kb-header-results__link")
    assert any(FEIJENOORD_TITLE in title for title in tab.locator(".kb-header-results__link").all_inner_texts())
    assert violations(tab) == []


def test_catalogue_search_and_filter_work_under_the_policy(tab, csp_url: str) -> None:
    tab.goto(csp_url + "interventies/")
    tab.locator(".kb-filter").first.wait_for(state="attached")
    tab.locator("#kb-zoekterm").fill("startkwalificatie")
    tab.wait_for_selector(".kb-resultaat__link")
    assert any(FEIJENOORD_TITLE in t for t in tab.locator(".kb-resultaat__link").all_inner_texts())
    tab.locator("#kb-zoekterm").fill("")
    button = tab.locator(".kb-filtergroep__knop", has_text=re.compile("^Status"))
    if button.get_attribute("aria-expanded") != "true":
        button.click()
    tab.locator('.kb-filtergroep[data-filter="status"] .kb-filter__label', has=tab.locator(
        ".kb-filter__naam", has_text=re.compile("^gestopt$", re.I))).locator("input").check()
    # The list is redrawn after the filter is set: wait for the count of the filter's results (written
    # as the list is emptied for them) and then a non-empty list, not for the first result link (the
    # earlier search's results may still be on the page).
    expect(tab).to_have_url(re.compile(r"status="))
    expect(tab.locator(".kb-resultaten__aantal")).to_have_text(re.compile(r"^\d+ interventies? met de gekozen filters$"))
    expect(tab.locator(".kb-resultaat__link")).not_to_have_count(0)
    assert violations(tab) == []


def test_a_page_breaking_the_policy_is_caught(tab, csp_url: str) -> None:
    """The listener works: an inline script the policy does not know is blocked and reported."""
    tab.goto(csp_url + "toegankelijkheid/")
    tab.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';
                          document.body.append(s); }""")
    assert tab.evaluate("() => window.ran") is None
    assert any("script-src" in v for v in violations(tab))


def test_headers_file_has_the_policy_and_security_headers(csp_site: Path) -> None:
    headers = header_policy(csp_site)
    policy = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "'unsafe-inline'" not in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    # Every inline-script hash a page allows is in the site-wide header policy too.
    for path in csp_site.rglob("*.html"):
        meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', path.read_text("utf-8"))[1]
        for source in re.findall(r"'sha256-[^']+'", meta):
            assert source in policy, path
        assert "frame-ancestors" not in meta  # not allowed in a <meta> policy


def test_only_scripts_that_run_inline_are_hashed() -> None:
    from kennisbank.security import inline_script_hashes

    page = ('<script src="a.js"></script><script data-src="x">run()</script>'
            '<script id="__config" type="application/json">{"a": 1}</script><script type="module">go()</script>'
            '<script data-src="x">run()</script>')
    # sha256 of "run()" and "go()"; a script with src and a JSON data block are not run inline; no repeats.
    assert inline_script_hashes(page) == ["'sha256-AvyuiL0SD1mVY3NNxR+V2uo+lhk6RMFrytWmRt6CrJQ='",
                                          "'sha256-5KYv+PUboo5h+0+YAtGRPbwv5d/QxzHslP4YGnUaxRw='"]
