"""Overview pages, briefings, the start page and the accessibility statement (render/overviews.py,
briefings.py, home.py): which pages exist, what they list, that they are safe and their links resolve."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from html.parser import HTMLParser

import pytest

from kennisbank.archive import Archive
from kennisbank.lineage import chains
from kennisbank.pages import Page, SiteContext, entry_url
from kennisbank.render.briefings import briefing_pages
from kennisbank.render.home import home_pages
from kennisbank.render.overviews import overview_pages
from kennisbank.render.plan_pages import plan_pages
from kennisbank.vocabulary import default_vocabularies
from conftest import REPO, entry_text

TODAY = dt.date(2026, 11, 1)
LESSONS = "## Lessen\n\nBegin **klein** <script>alert('les')</script> en zie [de opvolger](b-midden.md).\n\nTweede alinea.\n"


def _stopped(start: str, end: str, reasons: list[str], **changes) -> str:
    body = "".join(f"\n## {t}\n\nTekst over {t.lower()}.\n" for t in ("Context", "Aanpak", "Resultaten", "Waarom gestopt"))
    return entry_text(
        stopped=True,
        body=body + "\n" + LESSONS,
        periode={"start": start, "eind": end},
        beeindiging={"datum": end, "redenen": reasons},
        **changes,
    )


ENTRIES = {
    # A chain told from one side at each step: a names its successor, c names its predecessor.
    "a-oud.md": _stopped(
        "1998", "2002", ["financiering-afgelopen"], titel="Aanpak Oud", gemeente="Rotterdam", themas=["werk"],
        bewijs={"niveau": "voor-en-nameting", "uitkomst": "positief", "effect_na_jaren": 2},
        relaties={"opvolger": "b-midden"},
    ),
    "b-midden.md": _stopped(
        "2003", "2006", ["bezuiniging", "financiering-afgelopen"], titel="Aanpak Midden", gemeente="Rotterdam",
        themas=["werk", "jeugd"], bewijs={"niveau": "monitoring", "uitkomst": "gemengd", "effect_na_jaren": 5},
    ),
    "c-nieuw.md": entry_text(
        titel="Aanpak Nieuw", gemeente="Den Haag", themas=["werk"], periode={"start": "2010"},
        relaties={"voorganger": "b-midden"},
    ),
    "d-later.md": entry_text(titel="Later bedacht", gemeente="Den Haag", themas=["wonen"], periode={"start": "2019"}),
    "e-script.md": _stopped(
        "2008-03", "2011-06", ["financiering-afgelopen", "trekker-vertrokken"],
        titel="<script>alert(1)</script> & Co", gemeente="Rotterdam", themas=["jeugd"],
        bewijs={"niveau": "praktijkervaring", "uitkomst": "positief"},
        relaties={"heruitgevonden_als": ["d-later"]},
    ),
}


@pytest.fixture
def site(archive) -> dict[str, Page]:
    root = archive(ENTRIES)
    opened = Archive.open(root)
    result = opened.check()
    assert not result.errors, [str(p) for p in result.errors]
    ctx = SiteContext(opened.settings, result.entries, today=TODAY)
    pages = home_pages(ctx) + overview_pages(ctx) + briefing_pages(ctx) + plan_pages(ctx)
    return {page.url: page for page in pages}


def _ids(html: str) -> list[str]:
    return re.findall(r'href="(?:\.\./)*interventies/([a-z0-9-]+)/"', html)


def test_vocabulary_pages_exist_for_every_value_also_without_entries(site):
    for name, vocabulary in default_vocabularies().items():
        assert f"{name}/" in site
        for code in vocabulary.codes:
            assert f"{name}/{code}/" in site, f"{name}/{code}/"
    empty = site["themas/taal/"]
    assert "Taal" in empty.title and "Taalles" in empty.html
    assert "geen interventies" in empty.html


def test_value_page_lists_its_entries_with_label_and_explanation(site):
    page = site["stopredenen/financiering-afgelopen/"]
    assert page.title == "Reden van beëindiging: Tijdelijk geld op"
    assert "De tijdelijke financiering liep af" in page.html
    assert sorted(_ids(page.html)) == ["a-oud", "b-midden", "e-script"]


def test_lost_successes_lists_exactly_the_stopped_positive_entries(site):
    html = site["verloren-successen/"].html
    assert sorted(set(_ids(html))) == ["a-oud", "e-script"]
    assert "Zwak bewijs" in html  # e-script rests on practice experience only


def test_too_early_lists_exactly_the_entries_stopped_before_effects_could_show(site):
    html = site["te-vroeg-gestopt/"].html
    assert _ids(html) == ["b-midden"]
    assert "4 jaar" in html and "5 jaar" in html


def test_carousel_chains_follow_one_sided_links_in_order(site):
    html = site["carrousel/"].html
    first = html.index("a-oud/"), html.index("b-midden/"), html.index("c-nieuw/")
    assert list(first) == sorted(first)
    assert "opgevolgd door" in html and "heruitgevonden als" in html
    assert "(1998–2002, Rotterdam, gestopt: tijdelijk geld op)" in html
    assert "2 ketens" in html


def test_chains_from_one_side_of_each_link(archive):
    root = archive(ENTRIES)
    entries = Archive.open(root).check().entries
    found = chains(entries)
    assert [chain.members for chain in found] == [["a-oud", "b-midden", "c-nieuw"], ["e-script", "d-later"]]
    assert found[0].roots == ["a-oud"] and found[0].is_linear


def test_entry_values_are_escaped_everywhere(site):
    # The site's own scripts (toets.js, vergelijk.js) are files; nothing else is a script.
    own = re.compile(r'<script src="(?:\.\./)*assets/kennisbank/[a-z]+\.js"></script>')
    for page in site.values():
        assert "<script" not in own.sub("", page.html), page.url
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in site["verloren-successen/"].html


def test_briefing_lessons_are_sanitised_markdown_with_working_entry_links(site):
    html = site["briefings/themas/werk/"].html
    assert "<strong>klein</strong>" in html
    assert "alert('les')" not in html
    assert "Tweede alinea" not in html  # only the first paragraph
    assert 'href="../../../interventies/b-midden/"' in html


def test_municipality_briefing_ranks_stop_reasons(site):
    html = site["briefings/gemeenten/rotterdam/"].html
    ranked = re.search(r'<ol class="kb-redenen">(.*?)</ol>', html).group(1)
    items = re.findall(r"<li>.*?>([^<]+)</a>: (\d+) keer</li>", ranked)
    assert items[0] == ("Tijdelijk geld op", "3")
    assert sorted(items[1:]) == [("Bezuiniging", "1"), ("Trekker vertrokken", "1")]
    for section in ("Wat werkte", "Wat stopte en waarom", "Verloren successen", "Wat nog loopt", "De carrousel", "Lessen"):
        assert f"<h2>{section}</h2>" in html
    assert 'class="kb-chart"' in html


def test_briefing_is_honest_about_weak_evidence(site):
    html = site["briefings/themas/jeugd/"].html
    assert "zwak bewijs" in html


NAV_PAGES = {
    "", "toegankelijkheid/", "themas/", "status/", "stopredenen/", "uitkomst/", "niveau/", "erkenning/",
    "financiering/", "doelgroepen/", "schaal/", "gemeenten/", "tijdlijn/", "verloren-successen/",
    "te-vroeg-gestopt/", "carrousel/", "briefings/", "toets-uw-plan/", "bewijskaart/",
}


def test_navigation_holds_only_index_and_overview_pages(site):
    assert {url for url, page in site.items() if page.nav} == NAV_PAGES
    assert {site[url].nav for url in NAV_PAGES} == {"Start", "Overzichten", "Briefings", "Toegankelijkheid", "Toets uw plan"}
    assert not any(page.searchable for page in site.values())


def _targets(page: Page) -> list[str]:
    found = []
    for href in re.findall(r'href="([^"]+)"', page.html):
        if re.match(r"^[a-z]+:", href) or href.startswith("#"):
            continue
        target = posixpath.normpath(posixpath.join("/" + page.url, href.split("#")[0]))
        found.append(target.strip("/") + "/" if target != "/" else "")
    return found


def test_every_internal_link_resolves(site):
    entries = {entry_url(name[:-3]) for name in ENTRIES}
    known = set(site) | entries | {"interventies/"}
    for page in site.values():
        for target in _targets(page):
            assert target in known, f"{page.url} links to missing /{target}"


class _Structure(HTMLParser):
    """Checks that tags are balanced and headings start at h1 without skipping a level."""

    VOID = {"br", "hr", "img", "input", "meta", "link", "rect", "line", "path", "circle", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.headings: list[int] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()


def _check_structure(page: Page) -> None:
    parser = _Structure()
    parser.feed(page.html)
    parser.close()
    assert not parser.errors and not parser.stack, (page.url, parser.errors[:3], parser.stack)
    assert parser.headings and parser.headings[0] == 1 and parser.headings.count(1) == 1, page.url
    for before, after in zip(parser.headings, parser.headings[1:]):
        assert after <= before + 1, f"{page.url}: h{before} followed by h{after}"


def test_pages_are_well_formed_with_headings_in_order(site):
    for page in site.values():
        _check_structure(page)


def test_start_page_has_key_figures_charts_and_links(site):
    page = site[""]
    assert page.title == "Start" and page.nav == "Start"
    assert '<span class="kb-kerncijfer">5</span> interventies vastgelegd' in page.html
    assert '<span class="kb-kerncijfer">2</span> verloren successen' in page.html
    assert page.html.count('<figure class="kb-chart"') == 3
    assert page.html.count('role="img"') == 6  # each chart drawn wide and narrow (the stylesheet shows one)
    for target in ("interventies/", "briefings/", "verloren-successen/", "te-vroeg-gestopt/", "carrousel/", "themas/"):
        assert f'href="{target}"' in page.html


def test_accessibility_statement_uses_the_archive_texts(archive):
    root = archive(ENTRIES, options={"texts": {
        "organisatie": "Gemeente Voorbeeldstad", "toegankelijkheid_contact": "toegankelijk@example.org",
        "toegankelijkheid_reactietermijn": "binnen vijf werkdagen",
    }})
    opened = Archive.open(root)
    ctx = SiteContext(opened.settings, opened.check().entries, today=TODAY)
    page = {p.url: p for p in home_pages(ctx)}["toegankelijkheid/"]
    assert "Gemeente Voorbeeldstad wil dat iedereen" in page.html
    assert 'href="mailto:toegankelijk@example.org"' in page.html
    assert "binnen vijf werkdagen" in page.html
    assert "WCAG 2.1" in page.html and "axe-core" in page.html


def test_accessibility_statement_without_contact_says_so(site):
    html = site["toegankelijkheid/"].html
    assert "nog geen contactgegevens ingevuld" in html
    # Without the accessibility option the statement claims nothing: status E, not known.
    assert "E \u2013 niet bekend" in html and "voldoet volledig" not in html


def test_bundled_archive_renders_every_page():
    opened = Archive.open(REPO)
    entries = opened.check().entries
    assert entries
    ctx = SiteContext(opened.settings, entries, today=TODAY)
    pages = home_pages(ctx) + overview_pages(ctx) + briefing_pages(ctx) + plan_pages(ctx)
    urls = [page.url for page in pages]
    assert len(urls) == len(set(urls))
    for page in pages:
        _check_structure(page)
    known = set(urls) | {entry_url(entry.id) for entry in entries} | {"interventies/"}
    for page in pages:
        for target in _targets(page):
            assert target in known, f"{page.url} links to missing /{target}"


@pytest.mark.parametrize("paragraph", [
    "Begin klein, en betrek bewoners vanaf de eerste dag.",
    "Twee regels\nachter elkaar (met haakjes) en 12,5 procent; 'quotes' – gedachtestreepje.",
    "Zie www.example.org of mail info@example.org.",
    "- een lijst\n- met punten",
    "Een regel  \nmet harde regelafbreking.",
    "1. genummerd",
    "Tekst met *nadruk* en een [link](https://example.org) & <b>html</b>.",
])
def test_plain_paragraph_shortcut_matches_markdown(paragraph):
    from kennisbank.render.common import render_markdown
    from kennisbank.render.listing import _paragraph_html

    assert _paragraph_html(paragraph).replace("\n", " ") == str(render_markdown(paragraph)).replace("\n", " ")


def test_archive_vocabulary_codes_are_escaped_in_links(archive):
    root = archive(ENTRIES, options={"vocabularies": {"themas": {'x"><b>y': {"label": "Raar <b>", "uitleg": "<i>"}}}})
    opened = Archive.open(root)
    ctx = SiteContext(opened.settings, opened.check().entries, today=TODAY)
    pages = {page.url: page for page in overview_pages(ctx)}
    html = pages["themas/"].html
    assert '"><b>' not in html and "Raar <b>" not in html
    assert "x&#34;&gt;&lt;b&gt;y/" in html
