"""Overview pages, briefings and charts in a real browser: axe-core and keyboard use.

The accessibility statement (render/home.py) says the site was tested with
axe-core and with the keyboard alone; these tests are what makes that true
for the pages of render/overviews.py, briefings.py and home.py (axe-core on every
page: test_layout_browser.py). The site, browser and page fixtures are in
conftest.py (Debian's Chromium, the bundled archive built with Pagefind and
served on loopback).
"""

from __future__ import annotations

import pytest


# Every overview page is checked with axe-core at two screen sizes, its details opened, by
# test_layout_browser.py (which fails when the navigation no longer leads to one of them).


def _tab_to(page, selector: str, limit: int = 300) -> None:  # noqa: F811
    """Press Tab until the focused element matches ``selector``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"{selector} was not reached with Tab in {limit} presses")


def _focus_is_visible(page) -> bool:  # noqa: F811
    return page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'; }"
    )


def test_chart_numbers_open_with_the_keyboard(page, site_url: str) -> None:  # noqa: F811
    page.goto(site_url)
    _tab_to(page, ".kb-chart summary")
    assert _focus_is_visible(page)
    table = page.locator(".kb-chart").first.locator("table")
    assert not table.is_visible()
    page.keyboard.press("Enter")
    assert table.is_visible()
    assert table.locator("th[scope=row]").count() >= 1


def test_every_briefing_link_is_reached_with_the_keyboard(page, site_url: str) -> None:  # noqa: F811
    page.goto(site_url + "briefings/gemeenten/rotterdam/")
    # Links, summaries and scrollable tables, except those inside a closed <details>.
    wanted = page.evaluate(
        "() => [...document.querySelectorAll('.kb-briefing a[href], .kb-briefing summary, .kb-briefing [tabindex=\"0\"]')]"
        ".filter(e => e.getClientRects().length && (e.tagName === 'SUMMARY' || !e.closest('details:not([open])')))"
        ".length"
    )
    reached = 0
    _tab_to(page, ".kb-briefing *")
    while page.evaluate("() => !!document.activeElement.closest('.kb-briefing')"):
        assert _focus_is_visible(page), page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")
        reached += 1
        page.keyboard.press("Tab")
    assert reached == wanted
