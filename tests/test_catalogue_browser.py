"""The catalogue browsed without typing, in a real browser (Debian's Chromium via Playwright, on loopback).

The bundled archive is built for real; what the catalogue shows is compared with the site's own open
data (``data/interventies.json``): the filter counts on arrival, the entries a filter lists, and the
outcome and stop reasons on every result.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from kennisbank.render.verdict import OUTCOME_PHRASES

from helpers import TIMEOUT_MS

RESULT = ".kb-resultaat__item"


def arrive(tab, site_url: str) -> None:
    tab.goto(site_url + "interventies/")
    tab.locator(".kb-filter").first.wait_for(state="attached")


def group_button(tab, name: str):
    return tab.locator(".kb-filtergroep__knop", has_text=re.compile(f"^{name}"))


def open_group(tab, name: str) -> None:
    button = group_button(tab, name)
    if button.get_attribute("aria-expanded") != "true":
        button.click()


def shown_values(tab, key: str) -> list[tuple[str, int]]:
    """(value, count) of one filter group, in the order shown."""
    items = tab.locator(f'.kb-filtergroep[data-filter="{key}"] .kb-filter')
    return [
        (item.locator(".kb-filter__naam").inner_text(), int(re.match(r"\d+", item.locator(".kb-filter__aantal").inner_text())[0]))
        for item in items.all()
    ]


def all_results(tab, expected: int) -> list[str]:
    """The entry ids of all ``expected`` results (announced as such), after "Meer resultaten tonen" until it is gone."""
    tab.wait_for_function("(n) => document.querySelector('.kb-resultaten__aantal').textContent.startsWith(n + ' interventie')",
                          arg=expected)
    more = tab.locator(".kb-resultaten__meer")
    while True:
        tab.wait_for_function(
            "(n) => !document.querySelector('.kb-resultaten__meer').hidden"
            " || document.querySelectorAll('.kb-resultaat__item').length === n", arg=expected)
        if not more.is_visible():
            break
        before = tab.locator(RESULT).count()
        more.click()
        tab.wait_for_function("(n) => document.querySelectorAll('.kb-resultaat__item').length > n", arg=before)
        # The first new result takes the focus.
        assert tab.evaluate("() => document.activeElement.classList.contains('kb-resultaat__link')")
    hrefs = [link.get_attribute("href") for link in tab.locator(".kb-resultaat__link").all()]
    return [re.search(r"/interventies/([^/]+)/$", href)[1] for href in hrefs]


def check_value(tab, key: str, value: str) -> None:
    open_group(tab, {"thema": "Thema", "status": "Status", "gemeente": "Gemeente", "uitkomst": "Uitkomst",
                     "stopreden": "Reden van beëindiging"}[key])
    tab.locator(f'.kb-filtergroep[data-filter="{key}"] .kb-filter__label', has=tab.locator(
        ".kb-filter__naam", has_text=re.compile(f"^{re.escape(value)}$"))).locator("input").check()


def test_filters_show_with_counts_on_arrival_sorted_by_count(page, site_url: str, data, labels) -> None:
    arrive(page, site_url)
    assert page.locator("#kb-zoekterm").input_value() == ""
    expected = {
        "thema": Counter(labels["themas"][code] for entry in data for code in entry["themas"]),
        "status": Counter(labels["status"][entry["status"]] for entry in data),
        "uitkomst": Counter(labels["uitkomst"][entry["bewijs"]["uitkomst"]] for entry in data),
        "stopreden": Counter(labels["stopredenen"][code] for entry in data
                             for code in (entry.get("beeindiging") or {}).get("redenen", [])),
        # National policy (gemeente: landelijk) is shown as "Landelijk", as everywhere on the site; an entry in
        # several places (a list) counts once for each of them.
        "gemeente": Counter("Landelijk" if place == "landelijk" else place for entry in data
                            for place in (entry["gemeente"] if isinstance(entry["gemeente"], list) else [entry["gemeente"]])),
    }
    for key, counts in expected.items():
        shown = shown_values(page, key)
        assert dict(shown) == dict(counts), key
        assert shown == sorted(shown, key=lambda item: (-item[1], item[0].casefold())), key
    # Open on arrival: the themes and the statuses, with their counts visible.
    assert page.locator('.kb-filtergroep[data-filter="thema"] .kb-filter').first.is_visible()
    assert page.locator('.kb-filtergroep[data-filter="status"] .kb-filter__aantal').first.is_visible()
    # Nothing chosen yet: no results list, the plain list below.
    assert page.locator(".kb-resultaten__lijst").is_hidden()
    assert page.locator("#kb-alle").is_visible()


def test_a_filter_group_opens_and_closes_with_its_button(page, site_url: str) -> None:
    arrive(page, site_url)
    for name, key in (("Gemeente", "gemeente"), ("Uitkomst", "uitkomst"), ("Reden van beëindiging", "stopreden")):
        button = group_button(page, name)
        values = page.locator(f"#kb-filter-{key}")
        assert button.get_attribute("aria-expanded") == "false"
        assert button.get_attribute("aria-controls") == f"kb-filter-{key}"
        assert values.is_hidden()
        # The chevron is drawn (a visible cue that the group opens).
        chevron = page.evaluate("(el) => getComputedStyle(el, '::after').borderRightStyle", button.element_handle())
        assert chevron == "solid"
        button.click()
        assert button.get_attribute("aria-expanded") == "true"
        assert values.is_visible() and values.locator(".kb-filter").count() > 0
        button.click()
        assert button.get_attribute("aria-expanded") == "false"
        assert values.is_hidden()


def test_a_group_opens_from_the_keyboard(page, site_url: str) -> None:
    arrive(page, site_url)
    page.locator("#kb-zoekterm").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('kb-filtergroep__knop')"):
            break
    focused = page.evaluate("() => document.activeElement.textContent")
    assert focused.startswith("Thema")
    page.keyboard.press("Enter")
    assert group_button(page, "Thema").get_attribute("aria-expanded") == "false"
    page.keyboard.press("Space")
    assert group_button(page, "Thema").get_attribute("aria-expanded") == "true"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.type") == "checkbox"


@pytest.mark.parametrize("key,code", [("status", "gestopt"), ("stopreden", "financiering-afgelopen"), ("uitkomst", "geen-effect")])
def test_a_filter_without_a_query_lists_exactly_the_entries_with_that_value(page, site_url: str, data, labels,
                                                                            key: str, code: str) -> None:
    vocabulary = {"status": "status", "stopreden": "stopredenen", "uitkomst": "uitkomst"}[key]
    has = {
        "status": lambda entry: entry["status"] == code,
        "stopreden": lambda entry: code in (entry.get("beeindiging") or {}).get("redenen", []),
        "uitkomst": lambda entry: entry["bewijs"]["uitkomst"] == code,
    }[key]
    expected = sorted(entry["id"] for entry in data if has(entry))
    arrive(page, site_url)
    check_value(page, key, labels[vocabulary][code])
    listed = all_results(page, len(expected))
    assert sorted(listed) == expected
    assert page.locator(".kb-resultaten__aantal").get_attribute("role") == "status"
    assert page.locator("#kb-zoekterm").input_value() == ""


def test_values_in_one_group_widen_and_groups_narrow(page, site_url: str, data, labels) -> None:
    arrive(page, site_url)
    check_value(page, "thema", labels["themas"]["werk"])
    check_value(page, "thema", labels["themas"]["schulden"])
    either = sorted(e["id"] for e in data if {"werk", "schulden"} & set(e["themas"]))
    assert sorted(all_results(page, len(either))) == either
    check_value(page, "status", labels["status"]["gestopt"])
    stopped = sorted(e["id"] for e in data if e["id"] in either and e["status"] == "gestopt")
    assert sorted(all_results(page, len(stopped))) == stopped
    # The address keeps the choice: reloading shows the same results.
    assert "thema=" in page.url and "status=" in page.url
    page.reload()
    page.locator(RESULT).first.wait_for()
    assert page.locator('.kb-filtergroep[data-filter="status"] input:checked').count() == 1


def test_the_plain_list_is_hidden_while_filtering_and_back_after_reset(page, site_url: str, labels) -> None:
    arrive(page, site_url)
    plain = page.locator("#kb-alle")
    reset = page.get_by_role("button", name="Wis filters")
    assert plain.is_visible() and reset.is_hidden()
    check_value(page, "uitkomst", labels["uitkomst"]["positief"])
    page.locator(RESULT).first.wait_for()
    assert plain.is_hidden()
    reset.click()
    plain.wait_for(state="visible")
    assert page.locator(".kb-resultaten__lijst").is_hidden()
    assert page.locator('.kb-filtergroep input:checked').count() == 0
    assert page.locator(".kb-resultaten__aantal").inner_text() == ""
    # A search hides the list as well, and emptying the box brings it back.
    page.locator("#kb-zoekterm").fill("voorlezen")
    page.locator(RESULT).first.wait_for()
    assert plain.is_hidden()
    page.locator("#kb-zoekterm").fill("")
    plain.wait_for(state="visible")


# The Pagefind meta of every entry page, from the site's own index: the entry pages may carry the
# verdict in words (meta `oordeel`, and `gestopt` for a stopped entry); a card shows those when they are there.
INDEXED_META = """async () => {
  const pagefind = await import(new URL('../pagefind/pagefind.js', document.baseURI).href);
  const all = await pagefind.search(null, {});
  const pages = await Promise.all(all.results.map((hit) => hit.data()));
  return Object.fromEntries(pages.map((page) => [page.url.split('/').filter(Boolean).pop(), page.meta]));
}"""


def test_every_result_shows_its_outcome_and_why_it_stopped(page, site_url: str, data, labels) -> None:
    arrive(page, site_url)
    check_value(page, "thema", labels["themas"]["jeugd"])
    check_value(page, "thema", labels["themas"]["werk"])
    listed = all_results(page, sum(1 for e in data if {"jeugd", "werk"} & set(e["themas"])))
    indexed = page.evaluate(INDEXED_META)
    by_id = {entry["id"]: entry for entry in data}
    assert len(listed) > 10
    for item, entry_id in zip(page.locator(RESULT).all(), listed):
        entry, meta = by_id[entry_id], indexed[entry_id]
        outcome = item.locator(".kb-resultaat__oordeel").inner_text()
        label = labels["uitkomst"][entry["bewijs"]["uitkomst"]]
        assert outcome == f"Werkte het? {meta.get('oordeel') or label}", entry_id
        assert label.lower().split()[0] in outcome.lower(), (entry_id, outcome)
        stop = item.locator(".kb-resultaat__gestopt")
        if entry["status"] == "gestopt":
            text = stop.inner_text()
            reasons = ", ".join(labels["stopredenen"][code] for code in entry["beeindiging"]["redenen"])
            if meta.get("gestopt"):
                assert text.lower() == meta["gestopt"].lower() and text[0].isupper(), (entry_id, text)
            else:
                assert sorted(text.removeprefix("Gestopt: ").split(", ")) == sorted(reasons.split(", ")), (entry_id, text)
            assert text.lower().startswith("gestopt"), entry_id
            for reason in reasons.split(", "):
                assert reason.lower() in text.lower(), (entry_id, reason, text)
        else:
            assert stop.count() == 0, entry_id


def test_the_plain_list_shows_outcome_and_stop_reasons_without_javascript(built_site: Path, data, labels) -> None:
    html = (built_site / "interventies" / "index.html").read_text(encoding="utf-8")
    body = html[html.index('id="kb-alle"'):]
    rows = re.findall(r"<tr>(.*?)</tr>", body[body.index("<tbody>"):body.index("</tbody>")], re.S)
    assert len(rows) == len(data)
    by_id = {entry["id"]: entry for entry in data}
    for row in rows:
        entry = by_id[re.search(r'href="\.\./interventies/([^/]+)/"', row)[1]]
        cells = [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        # The outcome in the verdict's words (render/verdict.py), as on the entry page.
        outcome = entry["bewijs"]["uitkomst"]
        assert OUTCOME_PHRASES.get(outcome, labels["uitkomst"][outcome]) in cells[4], entry["id"]
        for code in (entry.get("beeindiging") or {}).get("redenen", []):
            assert labels["stopredenen"][code] in cells[5], entry["id"]


def test_catalogue_fits_a_phone(browser, site_url: str, labels) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="nl-NL")
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    try:
        arrive(tab, site_url)
        # On a phone only the themes start open (with their counts), so the list is not pushed far down.
        opened = tab.locator('.kb-filtergroep__knop[aria-expanded="true"]')
        assert opened.count() == 1 and opened.inner_text().startswith("Thema")
        assert tab.locator('.kb-filtergroep[data-filter="thema"] .kb-filter__aantal').first.is_visible()
        check_value(tab, "stopreden", labels["stopredenen"]["financiering-afgelopen"])
        tab.locator(RESULT).first.wait_for()
        wide = tab.evaluate("""() => Array.from(document.querySelectorAll('.kb-zoeken, .kb-zoeken *'))
            .filter((el) => el.getClientRects().length && el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
            .map((el) => el.className || el.tagName)""")
        assert wide == []
    finally:
        context.close()
