"""Toets uw plan, the evidence gap map and the comparison in Chromium, on the bundled archive built with real
MkDocs and Pagefind and served with the site's Content-Security-Policy header (test_csp_browser's fixtures).

The oracles are independent of the pages' own code: the terminal's ``related.similar_to_text`` for the
precedents, the entries' front matter read here with PyYAML for the gap map's counts and the questions.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

import kennisbank
from kennisbank import related
from kennisbank.archive import Archive

from conftest import REPO
from helpers import FEIJENOORD, violations

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ONE_PARAGRAPH = ("Wij willen jongeren zonder startkwalificatie in onze wijk helpen met een opleiding, een betaalde "
                 "stage en een kamer om te wonen, met één begeleider voor alles.")
TWO_PARAGRAPHS = (
    "Plan van aanpak wijkprogramma\n\n"
    "Veel jongeren in de wijk verlaten school zonder startkwalificatie. Wij bieden hun een opleiding bij het ROC, "
    "een betaalde stage bij een bedrijf en een kamer via de woningcorporatie, met één vaste begeleider.\n\n"
    "Daarnaast willen we huishoudens met een huurachterstand eerder bereiken. De woningcorporatie en de "
    "energieleverancier geven signalen van betalingsachterstanden door, en een schuldhulpverlener gaat binnen "
    "twee weken op huisbezoek om schulden te voorkomen."
)


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---", 2)[1])


@pytest.fixture(scope="module")
def entries() -> dict[str, dict]:
    return {path.stem: front_matter(path) for path in sorted((REPO / "entries").glob("*.md"))}


def terminal(text: str, limit: int) -> list[tuple[str, float]]:
    """The terminal's measure for a text, on the bundled archive: related.similar_to_text, leaving out the
    words of administrative prose as ``kennisbank precedent`` does where that command is present."""
    archive = Archive.open(REPO)
    found = archive.check().entries
    by_id = {entry.id: entry for entry in found}
    items = [related.Item.of(entry) for entry in found]
    words = lambda item: related.entry_words(by_id[item.id])  # noqa: E731
    try:
        from kennisbank.precedent import ignored_terms
    except ImportError:
        return related.similar_to_text(archive.settings.cache_dir, items, words, text, limit)
    return related.similar_to_texts(archive.settings.cache_dir, items, words, text, [], limit, ignore=ignored_terms())[0]


def check_plan(tab, csp_url: str, text: str) -> list[tuple[str, float]]:  # noqa: F811
    tab.goto(csp_url + "toets-uw-plan/")
    box = tab.get_by_role("textbox", name="Tekst van uw plan")
    box.fill(text)
    tab.get_by_role("button", name="Zoek vergelijkbare projecten").click()
    expect(tab.get_by_role("status").first).to_contain_text("gevonden")
    cards = tab.locator(".kb-toets__voorbeeld")
    return [(card.get_attribute("data-id"), float(card.get_attribute("data-score"))) for card in cards.all()]


def test_plan_precedents_are_the_terminals(tab, csp_url: str) -> None:  # noqa: F811
    shown = check_plan(tab, csp_url, ONE_PARAGRAPH)
    expected = terminal(ONE_PARAGRAPH, 5)
    assert [entry_id for entry_id, _ in shown] == [entry_id for entry_id, _ in expected]
    # A plan of one paragraph: whole-plan score plus half the paragraph's (the same text, times its
    # fullness), so every score is the terminal's times one factor.
    factors = [score / theirs for (_, score), (_, theirs) in zip(shown, expected)]
    assert 1 < factors[0] <= 1.5
    # The page gives its scores to 4 decimals: each is the terminal's times the first factor, to that rounding.
    assert [score for _, score in shown] == pytest.approx([theirs * factors[0] for _, theirs in expected], abs=2e-4)
    assert shown[0][0] == FEIJENOORD
    assert tab.locator(".kb-toets__voorbeeld").first.get_by_text("Lijkt op uw plan als geheel.").is_visible()
    assert violations(tab) == []


def test_each_paragraph_finds_its_own_precedent(tab, csp_url: str, entries) -> None:  # noqa: F811
    shown = dict(check_plan(tab, csp_url, TWO_PARAGRAPHS))
    assert FEIJENOORD in shown and "vroegsignalering-huurachterstand-zaanstad" in shown
    debts = tab.locator('.kb-toets__voorbeeld[data-id="vroegsignalering-huurachterstand-zaanstad"] .kb-toets__alinea')
    expect(debts).to_contain_text("Lijkt vooral op uw alinea 2")
    expect(debts).to_contain_text("huurachterstand")
    # The questions: per stop reason of the precedents shown, how many of them stopped for it.
    reasons = Counter(reason for entry_id in shown
                      for reason in dict.fromkeys((entries[entry_id].get("beeindiging") or {}).get("redenen", [])))
    questions = tab.locator(".kb-toets__vragen li")
    expect(questions).to_have_count(len(reasons))
    for code, count in reasons.items():
        # The file itself is the oracle; one precedent takes the singular verb.
        texts = yaml.safe_load((Path(kennisbank.__file__).parent / "data" / "vragen.yaml").read_text("utf-8"))["vragen"][code]
        question = texts["vraag_een" if count == 1 else "vraag"].format(n=count, totaal=len(shown))
        expect(tab.locator(f'.kb-toets__vragen li[data-reden="{code}"] strong')).to_have_text(question)
    assert violations(tab) == []


def test_plan_check_works_with_the_keyboard_and_announces_its_results(tab, csp_url: str) -> None:  # noqa: F811
    tab.goto(csp_url + "toets-uw-plan/")
    box = tab.get_by_role("textbox", name="Tekst van uw plan")
    box.focus()
    tab.keyboard.insert_text(ONE_PARAGRAPH)
    tab.keyboard.press("Tab")
    assert tab.evaluate("() => document.activeElement.textContent") == "Zoek vergelijkbare projecten"
    tab.keyboard.press("Enter")
    status = tab.locator("#kb-toets-status")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    expect(status).to_contain_text("Jongeren aan de slag in Feijenoord")
    # An empty box is answered, not ignored.
    box.fill("")
    tab.keyboard.press("Tab")
    tab.keyboard.press("Enter")
    expect(status).to_contain_text("Plak eerst de tekst")


def test_a_plan_that_matches_nothing_says_so(tab, csp_url: str) -> None:  # noqa: F811
    tab.goto(csp_url + "toets-uw-plan/")
    tab.get_by_role("textbox", name="Tekst van uw plan").fill("Qwxyz blorf zzyzx.")
    tab.get_by_role("button", name="Zoek vergelijkbare projecten").click()
    expect(tab.locator("#kb-toets-status")).to_contain_text("Geen vergelijkbare interventies gevonden")
    expect(tab.locator(".kb-toets__voorbeeld")).to_have_count(0)


DESIGNS = ["geen", "praktijkervaring", "monitoring", "voor-en-nameting", "quasi-experimenteel", "experimenteel"]


def design_of(bewijs: dict) -> str:
    """The stated design, or (issue 11) the strongest design among the entry's studies."""
    return bewijs.get("niveau") or max((study["ontwerp"] for study in bewijs["studies"]), key=DESIGNS.index)


def test_gap_map_counts_match_the_entries(tab, csp_url: str, entries) -> None:  # noqa: F811
    tab.goto(csp_url + "bewijskaart/")
    table = tab.locator("table.kb-bewijskaart")
    designs = [re.sub(r"\s*(zwak|redelijk|sterk) bewijs$", "", text.strip())
               for text in table.locator("thead th").all_inner_texts()[1:-1]]
    expected: Counter = Counter()
    for meta in entries.values():
        for theme in set(meta["themas"]):
            expected[(theme, design_of(meta["bewijs"]))] += 1
    labels = {"Geen onderzoek": "geen", "Praktijkervaring": "praktijkervaring", "Monitoring": "monitoring",
              "Voor- en nameting": "voor-en-nameting", "Quasi-experimenteel": "quasi-experimenteel",
              "Experimenteel": "experimenteel"}
    assert designs == list(labels)
    rows = table.locator("tbody tr")
    assert rows.count() == 13
    seen = 0
    for row in rows.all():
        theme = row.locator("th").inner_text().split()[0].lower()
        cells = row.locator("td").all()
        for design, cell in zip(labels.values(), cells):
            assert int(cell.get_attribute("data-aantal")) == expected[(theme, design)], (theme, design)
            seen += expected[(theme, design)]
        assert int(cells[-1].inner_text()) == sum(expected[(theme, d)] for d in labels.values())
    assert seen == sum(len(set(meta["themas"])) for meta in entries.values())
    # A cell's link leads to the list of exactly its interventions.
    cell = table.locator("td", has=tab.locator("a.kb-bewijskaart__aantal")).nth(2)
    theme = cell.locator("xpath=..").locator("th").inner_text().split()[0].lower()
    design = cell.locator("a").get_attribute("href").rstrip("/").split("/")[-1]
    cell.locator("a").click()
    expect(tab).to_have_url(re.compile(rf"/bewijskaart/{theme}/{design}/$"))
    listed = {href.rstrip("/").split("/")[-1] for href in
              tab.locator("table.kb-interventies tbody th a").evaluate_all("links => links.map(a => a.getAttribute('href'))")}
    assert listed == {entry_id for entry_id, meta in entries.items()
                      if theme in meta["themas"] and design_of(meta["bewijs"]) == design}
    assert violations(tab) == []


def test_compare_shows_the_entries_in_columns(tab, csp_url: str, entries) -> None:  # noqa: F811
    ids = [FEIJENOORD, "startbaan-escamp", "jongerenloket-zuid"]
    tab.goto(csp_url + "vergelijk/?ids=" + ",".join(ids))
    columns = tab.locator(".kb-vergelijk__kolom")
    expect(columns).to_have_count(3)
    assert [c.get_attribute("data-id") for c in columns.all()] == ids
    assert columns.locator("h2").all_inner_texts() == [entries[i]["titel"] for i in ids]
    rows = columns.first.locator("dt").all_inner_texts()
    assert rows == ["Plaats", "Periode en status", "Thema's", "Aanpak", "Bewijs", "Uitkomst",
                    "Kosten en financiering", "Stopverslag", "Lessen"]
    place = columns.nth(1).locator('[data-rij="plaats"] dd')
    expect(place).to_contain_text(entries["startbaan-escamp"]["gemeente"])
    # Side by side on a wide screen, one under the other on a phone.
    boxes = [c.bounding_box() for c in columns.all()]
    assert boxes[0]["y"] == boxes[1]["y"] and boxes[0]["x"] < boxes[1]["x"]
    tab.set_viewport_size({"width": 360, "height": 800})
    boxes = [c.bounding_box() for c in columns.all()]
    assert boxes[1]["y"] > boxes[0]["y"] + boxes[0]["height"] - 1 and boxes[0]["x"] == boxes[1]["x"]
    assert tab.evaluate("() => document.documentElement.scrollWidth") <= 360
    assert violations(tab) == []


def test_compare_names_unknown_ids_and_asks_for_two(tab, csp_url: str) -> None:  # noqa: F811
    tab.goto(csp_url + "vergelijk/?ids=bestaat-niet,startbaan-escamp")
    message = tab.locator("#kb-vergelijk-melding")
    expect(message).to_contain_text("Onbekende interventie: \u201cbestaat-niet\u201d")
    expect(message).to_contain_text("Kies ten minste nog één interventie")
    expect(tab.locator(".kb-vergelijk__kolom")).to_have_count(0)
    # The picker, filled in with the one known entry: choose a second one and compare.
    expect(tab.locator("#kb-kies-1")).to_have_value("startbaan-escamp")
    tab.locator("#kb-kies-2").select_option(FEIJENOORD)
    tab.get_by_role("button", name="Vergelijk", exact=True).click()
    expect(tab.locator(".kb-vergelijk__kolom")).to_have_count(2)
    tab.goto(csp_url + "vergelijk/")
    expect(message).to_contain_text("Kies ten minste twee interventies")
    assert violations(tab) == []


def test_compare_is_reachable_from_an_entry_page_and_the_catalogue(tab, csp_url: str, entries) -> None:  # noqa: F811
    tab.goto(csp_url + f"interventies/{FEIJENOORD}/")
    links = tab.locator("a.kb-vergelijk-link")
    assert links.count() >= 1
    for link in links.all():
        other = link.get_attribute("href").split(",")[1]
        assert link.get_attribute("href").endswith(f"?ids={FEIJENOORD},{other}")
        name = f"vergelijk {entries[other]['titel']} met {entries[FEIJENOORD]['titel']}"
        expect(tab.get_by_role("link", name=name, exact=True)).to_have_count(1)
    tab.locator(".kb-vergelijk-alle a").click()
    columns = tab.locator(".kb-vergelijk__kolom")
    expect(columns.first).to_be_visible()
    assert columns.first.get_attribute("data-id") == FEIJENOORD and columns.count() >= 2
    tab.goto(csp_url + "interventies/")
    tab.get_by_role("checkbox", name="Vergelijk Startbaan Escamp").check()
    tab.get_by_role("checkbox", name="Vergelijk Jongerenloket Zuid").check()
    tab.get_by_role("button", name="Vergelijk de aangevinkte interventies").click()
    expect(columns).to_have_count(2)
    assert sorted(c.get_attribute("data-id") for c in columns.all()) == ["jongerenloket-zuid", "startbaan-escamp"]


@pytest.mark.parametrize("url", ["toets-uw-plan/", "bewijskaart/", "vergelijk/?ids=jongeren-aan-de-slag-feijenoord,startbaan-escamp"])
def test_plan_pages_meet_wcag_aa(tab, csp_url: str, url: str) -> None:  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe

    if url == "toets-uw-plan/":
        check_plan(tab, csp_url, TWO_PARAGRAPHS)
    else:
        tab.goto(csp_url + url)
    if url.startswith("vergelijk/"):
        expect(tab.locator(".kb-vergelijk__kolom")).to_have_count(2)
    tab.wait_for_load_state("networkidle")
    results = Axe().run(tab, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    found = [f"{v['id']} ({v['impact']}): {v['help']} — {v['nodes'][0]['target']}" for v in results.response["violations"]]
    assert found == [], "\n".join(found)
    assert violations(tab) == []
