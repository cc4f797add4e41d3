"""The published site: real MkDocs builds of the bundled archive and of small fixture archives."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

import pytest

from kennisbank.archive import Archive
from kennisbank.build import build_site
from kennisbank.export import export_csv, export_json
from kennisbank.render.verdict import CAUTION_EFFECT, WEAK_DESIGNS

from conftest import REPO, entry_text
from helpers import broken_links, parse, write_archive

FEIJENOORD = "jongeren-aan-de-slag-feijenoord"


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def bundled_site(built_site: Path) -> Path:
    """The repository's own archive (entries/ + mkdocs.yml), built with Pagefind (once per run: conftest)."""
    return built_site


HOSTILE = """
## Context

Gewone tekst <script>alert('script')</script> en <img src="x" onerror="alert('img')">.
<iframe src="https://evil.example/"></iframe>
<p style="color:red" onclick="alert('click')">Opgemaakt</p>
[klik hier](javascript:alert('link')) en [data](data:text/html;base64,PHNjcmlwdD4=)
<a href="https://veilig.example/" onmouseover="alert('hover')">veilig</a>

## Aanpak

Zie ook [de voorganger](oud-project.md).

## Resultaten

| meting | waarde |
|---|---|
| deelnemers | 40 |

## Lessen

**Vet** en *schuin*.
"""


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three entries: a lineage pair, a hostile one, a demo entry overdue for review; no Pagefind (fast)."""
    root = tmp_path_factory.mktemp("fixture")
    write_archive(root, {
        "oud-project.md": entry_text(
            stopped=True, titel="Oud project", gemeente="Utrecht", voorbeeld=True,
            laatst_beoordeeld="2015-01-01",
            kennisdragers=[
                {"rol": "projectleider", "organisatie": "Welzijn Utrecht", "naam": None, "toestemming": None},
                {"rol": "onderzoeker", "organisatie": "Hogeschool", "naam": "Openbare Naam", "toestemming": "2024-05-01"},
            ],
            bronnen=[{"titel": "Evaluatie <b>oud</b>", "url": "https://example.org/evaluatie.pdf", "jaar": 2014}],
        ),
        "nieuw-project.md": entry_text(
            titel="Nieuw project", gemeente="Utrecht", relaties={"voorganger": "oud-project"},
        ),
        "vijandig.md": entry_text(
            titel="<script>alert('titel')</script> Vijandig", gemeente="Den <i>Haag</i>", body=HOSTILE,
            relaties={"lijkt_op": ["nieuw-project"]},
        ),
    }, edit_url="https://git.example.org/archief/edit/main/entries/{id}.md")
    return build_site(Archive.open(root), pagefind=False).site_dir


def test_bundled_site_has_pages_at_their_urls(bundled_site: Path) -> None:
    ids = [path.stem for path in (REPO / "entries").glob("*.md")]
    assert len(ids) >= 20
    for entry_id in ids:
        assert (bundled_site / "interventies" / entry_id / "index.html").is_file(), entry_id
    for url in ("", "interventies/", "open-data/", "toegankelijkheid/", "themas/werk/", "gemeenten/rotterdam/",
                "stopredenen/financiering-afgelopen/"):
        assert (bundled_site / url / "index.html").is_file(), url
    for name in ("interventies.json", "interventies.csv", "schema.json"):
        assert (bundled_site / "data" / name).is_file()
    assert not list((REPO / "entries").glob("*.html"))
    assert not (bundled_site / f"{FEIJENOORD}").exists(), "raw entry files must not become pages"


def test_entry_page_card_comes_first_with_every_fact(bundled_site: Path) -> None:
    html = page(bundled_site, f"interventies/{FEIJENOORD}")
    card = html[html.index('class="kb-card"'):html.index("</section>", html.index('class="kb-card"'))]
    assert html.index('class="kb-card"') < html.index('id="context"') < html.index('id="lessen"')
    for text in ("Status", "Gestopt", "januari 2008 tot en met december 2011", "Rotterdam", "Feijenoord, Hillesluis",
                 "Werk", "Onderwijs", "Voor- en nameting", "Positief", "Individu", "Goed beschreven", "Tijdelijk",
                 "vervolgplan: nee", "december 2011", "Tijdelijk geld op", "1 oktober 2026", "3 jaar"):
        assert text in card, text
    assert '<dl class="kb-card__list">' in card
    assert 'href="../../themas/werk/"' in card
    assert 'href="../../gemeenten/rotterdam/"' in card
    assert 'title="Het onderzoek liet een gunstig effect zien."' in card
    assert 'aria-describedby="uitleg-uitkomst-positief"' in card
    assert 'id="uitleg-uitkomst-positief"' in card
    for name in ("thema", "status", "gemeente", "uitkomst", "stopreden"):
        assert f'data-pagefind-filter="{name}"' in card, name
    assert 'data-pagefind-sort="periode:2008-01-01"' in card
    assert html.count("data-pagefind-body") == 1
    assert 'class="kb-banner kb-banner--voorbeeld"' in html


def _entry_links(html: str) -> list[str]:
    """The entries an entry page links to in its lineage and related sections, in order, repeats kept."""
    start = html.find('aria-labelledby="samenhang"')
    end = html.find('aria-labelledby="kennisdragers"')
    part = html[start if start >= 0 else html.find('aria-labelledby="verwant"'):end if end >= 0 else None]
    return re.findall(r'<li><a href="\.\./([a-z0-9-]+)/"', part)


def test_entry_page_verdict_comes_first(bundled_site: Path) -> None:
    archive = Archive.open(bundled_site.parent)
    too_early = page(bundled_site, "te-vroeg-gestopt")
    lost = page(bundled_site, "verloren-successen")
    for entry in archive.entries():
        html = page(bundled_site, f"interventies/{entry.id}")
        verdict = html[html.index('class="kb-oordeel"'):html.index("</section>", html.index('class="kb-oordeel"'))]
        assert html.index("</h1>") < html.index('class="kb-oordeel"') < html.index('class="kb-samenvatting"') \
            < html.index('class="kb-card"'), entry.id
        assert verdict.count('data-pagefind-meta="oordeel"') == 1, entry.id
        stopped = entry.meta.status == "gestopt"
        assert verdict.count('data-pagefind-meta="gestopt"') == (1 if stopped else 0), entry.id
        # The flags agree with the overview pages that list the same entries.
        listed_lost = f'href="../interventies/{entry.id}/"' in lost
        assert ("Verloren succes</a>" in verdict) == listed_lost, entry.id
        assert ("Te vroeg gestopt</a>" in verdict) == (f'href="../interventies/{entry.id}/"' in too_early), entry.id
        if stopped:
            reasons = [archive.vocabularies["stopredenen"].label_of(code).lower() for code in entry.meta.beeindiging.redenen]
            assert all(reason in verdict for reason in reasons), entry.id


def test_outcome_caution_is_worded_alike_on_entry_page_and_overviews(bundled_site: Path) -> None:
    """A weak "it worked" carries the same caution on its entry page, in the overviews' tables, among the lost
    successes and in briefings."""
    archive = Archive.open(bundled_site.parent)
    lost = page(bundled_site, "verloren-successen")
    weak = [entry for entry in archive.entries()
            if entry.meta.bewijs.niveau in WEAK_DESIGNS and entry.meta.bewijs.uitkomst == "positief"]
    assert weak
    for entry in weak:
        html = page(bundled_site, f"interventies/{entry.id}")
        assert f'data-pagefind-meta="oordeel">Positief effect, zwak bewijs</strong>: {CAUTION_EFFECT}' in html, entry.id
        theme = page(bundled_site, f"themas/{entry.meta.themas[0]}")
        row = theme[theme.index(f'href="../../interventies/{entry.id}/"'):]
        assert "<td>Positief effect, zwak bewijs</td>" in row[:row.index("</tr>")], entry.id
        briefing = page(bundled_site, f"briefings/themas/{entry.meta.themas[0]}")
        row = briefing[briefing.index(f'href="../../../interventies/{entry.id}/"'):]
        assert row[:row.index("</tr>")].count(f"Zwak bewijs:</strong> {CAUTION_EFFECT}") == 1, entry.id
        if entry.meta.status == "gestopt":
            card = lost[lost.index(f'href="../interventies/{entry.id}/"'):]
            assert f"Zwak bewijs:</strong> {CAUTION_EFFECT}" in card[:card.index("</article>")], entry.id


def test_entry_page_lists_each_linked_entry_once(bundled_site: Path) -> None:
    """An entry under a lineage label ("Opvolger") is not listed again as a look-alike or related entry."""
    for entry_id in (path.stem for path in (REPO / "entries").glob("*.md")):
        links = _entry_links(page(bundled_site, f"interventies/{entry_id}"))
        assert len(links) == len(set(links)), (entry_id, links)


def test_entry_page_shows_lineage_from_both_sides(bundled_site: Path, fixture_site: Path) -> None:
    predecessor = page(bundled_site, "interventies/jongerenloket-zuid")
    lineage = predecessor[predecessor.index('id="samenhang"'):]
    assert "Opvolger" in lineage and f'href="../{FEIJENOORD}/"' in lineage
    reinvented = page(bundled_site, "interventies/startbaan-escamp")
    assert "Eerder bedacht als" in reinvented and f'href="../{FEIJENOORD}/"' in reinvented

    old = page(fixture_site, "interventies/oud-project")
    assert "<dt>Opvolger</dt>" in old and 'href="../nieuw-project/"' in old
    new = page(fixture_site, "interventies/nieuw-project")
    assert "<dt>Voorganger</dt>" in new and 'href="../oud-project/"' in new
    assert "<dt>Lijkt op</dt>" in new and 'href="../vijandig/"' in new


def test_entry_page_sanitises_hostile_markdown_and_escapes_front_matter(fixture_site: Path) -> None:
    html = page(fixture_site, "interventies/vijandig")
    body = html[html.index('<article class="kb-entry"'):html.index("</article>")]
    lowered = body.lower()
    for forbidden in ("<script", "onerror", "onclick", "onmouseover", "javascript:", "data:text", "<iframe",
                      "style=", "<img"):
        assert forbidden not in lowered, forbidden
    assert "&lt;script&gt;alert(&#39;titel&#39;)&lt;/script&gt; Vijandig" in body
    assert "Den &lt;i&gt;Haag&lt;/i&gt;" in body
    assert 'href="https://veilig.example/"' in body
    assert 'href="../oud-project/"' in body
    assert "<table>" in body and "<strong>Vet</strong>" in body
    assert "<script>alert(" not in html


def test_entry_page_banners_people_sources_and_edit_link(fixture_site: Path) -> None:
    html = page(fixture_site, "interventies/oud-project")
    assert "kb-banner--voorbeeld" in html
    assert "Aan herziening toe." in html
    assert "Openbare Naam, onderzoeker bij Hogeschool" in html
    assert "projectleider bij Welzijn Utrecht" in html
    assert '<a href="https://example.org/evaluatie.pdf" rel="noopener noreferrer">Evaluatie &lt;b&gt;oud&lt;/b&gt;</a> (2014)' in html
    assert 'href="https://git.example.org/archief/edit/main/entries/oud-project.md"' in html
    assert "Aan herziening toe." not in page(fixture_site, "interventies/nieuw-project")


def test_navigation_holds_no_entry(bundled_site: Path) -> None:
    for url in ("", "interventies/", f"interventies/{FEIJENOORD}/"):
        links = parse(bundled_site / url / "index.html")
        assert links.nav_links, url
        entry_links = [href for href in links.nav_links if "interventies/" in href and href.rstrip("/").count("/") >= 1
                       and not href.rstrip("/").endswith("interventies")]
        assert entry_links == [], url


def test_lunr_search_is_off_and_pagefind_indexes_entries(bundled_site: Path) -> None:
    assert not (bundled_site / "search").exists()
    assert not list(bundled_site.rglob("search_index.json"))
    entry = json.loads((bundled_site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    entries = len(list((REPO / "entries").glob("*.md")))
    assert entry["languages"]["nl"]["page_count"] == entries
    assert (bundled_site / "pagefind" / "pagefind-ui.js").is_file()


def test_catalogue_lists_every_entry_without_javascript(bundled_site: Path) -> None:
    html = page(bundled_site, "interventies")
    assert 'id="kb-pagefind"' in html and "catalogus.js" in html and "pagefind-ui.js" not in html
    rows = html[html.index("<tbody>"):html.index("</tbody>")]
    for path in (REPO / "entries").glob("*.md"):
        assert f'href="../interventies/{path.stem}/"' in rows, path.stem
    assert "<th scope=\"col\">Gemeente</th>" in html


def test_every_page_has_the_search_form(bundled_site: Path) -> None:
    for path in bundled_site.rglob("index.html"):
        if "pagefind" in path.parts:
            continue
        html = path.read_text(encoding="utf-8")
        assert 'class="kb-header-search"' in html and 'name="q"' in html, path


def test_data_files_match_export(bundled_site: Path) -> None:
    entries = Archive.open(bundled_site.parent).check().entries
    assert (bundled_site / "data" / "interventies.json").read_text(encoding="utf-8") == export_json(entries)
    assert (bundled_site / "data" / "interventies.csv").read_text(encoding="utf-8") == export_csv(entries)
    schema = json.loads((bundled_site / "data" / "schema.json").read_text(encoding="utf-8"))
    assert schema["title"] == "Kennisbank entry front matter"
    open_data = page(bundled_site, "open-data")
    for name in ("interventies.json", "interventies.csv", "schema.json"):
        assert f'href="../data/{name}"' in open_data


def test_every_internal_link_resolves(bundled_site: Path) -> None:
    pages = [p for p in bundled_site.rglob("*.html")]
    assert len(pages) > 50
    assert broken_links(bundled_site, pages) == []


def test_no_page_refers_to_another_origin_for_its_resources(bundled_site: Path) -> None:
    for path in bundled_site.rglob("*.html"):
        for tag, values in parse(path).tags:
            # A canonical link (from site_url) names the page's public address; nothing is loaded from it.
            resource = values.get("src") if tag in ("script", "img", "iframe", "source") else (
                values.get("href") if tag == "link" and values.get("rel") != "canonical" else None)
            if resource:
                assert not urlsplit(resource).scheme and not resource.startswith("//"), f"{path}: {resource}"


def test_build_with_entry_errors_stops_and_keeps_previous_site(tmp_path: Path, run: Callable) -> None:
    root = write_archive(tmp_path / "archief", {"goed.md": entry_text(titel="Goed")})
    assert run(["build", "--no-pagefind"], root).exit_code == 0
    before = page(root / "site", "interventies/goed")
    (root / "entries" / "kapot.md").write_text(entry_text(status="gestop"), encoding="utf-8")
    result = run(["build", "--no-pagefind"], root)
    assert result.exit_code == 1
    assert "entries/kapot.md:" in result.output and "gestop" in result.output
    assert "Traceback" not in result.output
    assert page(root / "site", "interventies/goed") == before
    assert not (root / "site" / "interventies" / "kapot").exists()
    assert not [p for p in root.iterdir() if p.name.startswith(".site.")]


def test_build_with_on_error_skip_leaves_broken_entries_out(tmp_path: Path, run: Callable) -> None:
    root = write_archive(tmp_path / "archief", {
        "goed.md": entry_text(titel="Goed"), "kapot.md": entry_text(status="gestop"),
    }, on_error="skip")
    result = run(["build", "--no-pagefind"], root)
    assert result.exit_code == 0, result.output
    assert "1 met fouten weggelaten" in result.output
    assert (root / "site" / "interventies" / "goed" / "index.html").is_file()
    assert not (root / "site" / "interventies" / "kapot").exists()
    assert run(["build", "--no-pagefind", "--strict"], root).exit_code == 1


def test_build_with_on_error_skip_publishes_no_stray_file(tmp_path: Path, run: Callable) -> None:
    secret = tmp_path / "geheim.txt"
    secret.write_text("GEHEIM-7731", encoding="utf-8")
    root = write_archive(tmp_path / "archief", {"goed.md": entry_text(titel="Goed")}, on_error="skip")
    (root / "entries" / "evil.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    (root / "entries" / "leak.txt").symlink_to(secret)
    result = run(["build", "--no-pagefind"], root)
    assert result.exit_code == 0, result.output
    site = root / "site"
    assert (site / "interventies" / "goed" / "index.html").is_file()
    assert not (site / "evil.html").exists() and not (site / "leak.txt").exists()
    published = [p for p in site.rglob("*") if p.is_file() and "GEHEIM-7731" in p.read_text(errors="ignore")]
    assert published == []


def test_plain_mkdocs_build_with_the_plugin(tmp_path: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = write_archive(tmp_path / "archief", {"goed.md": entry_text(titel="Goed")})
    build(load_config(str(root / "mkdocs.yml")))
    site = root / "site"
    assert (site / "interventies" / "goed" / "index.html").is_file()
    assert (site / "pagefind" / "pagefind-entry.json").is_file()
    assert not (site / "goed").exists()


def test_theme_chrome_is_dutch(bundled_site: Path) -> None:
    # Material writes its footer credit in English whatever the language; ours is Dutch.
    home = (bundled_site / "index.html").read_text(encoding="utf-8")
    assert "Gemaakt met" in home and "Made with" not in home


def test_new_archive_from_init_builds(tmp_path: Path, run: Callable) -> None:
    root = tmp_path / "nieuw"
    assert run(["init", str(root), "--naam", "Kennisbank Test"], tmp_path).exit_code == 0
    (root / "entries").mkdir(exist_ok=True)
    (root / "entries" / "eerste.md").write_text(entry_text(titel="Eerste"), encoding="utf-8")
    result = run(["build", "--no-pagefind"], root)
    assert result.exit_code == 0, result.output
    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert "Kennisbank Test" in home and 'lang="nl"' in home
    assert (root / "site" / "interventies" / "eerste" / "index.html").is_file()
    assert not list((root / "site").rglob("search_index.json"))


def test_build_killed_between_the_renames_gets_the_old_site_back(tmp_path: Path, run: Callable) -> None:
    root = write_archive(tmp_path / "archief", {"goed.md": entry_text(titel="Goed")})
    assert run(["build", "--no-pagefind"], root).exit_code == 0
    before = page(root / "site", "interventies/goed")
    # What a kill right after `_swap`'s first rename leaves: the old site under a dead build's name.
    (root / "site").rename(root / ".site.old-999999999")
    (root / "entries" / "kapot.md").write_text(entry_text(status="gestop"), encoding="utf-8")
    assert run(["build", "--no-pagefind"], root).exit_code == 1
    assert page(root / "site", "interventies/goed") == before
    assert not [p for p in root.iterdir() if p.name.startswith(".site.")]


def test_not_found_page_is_dutch_and_leads_to_the_search(bundled_site: Path) -> None:
    html = (bundled_site / "404.html").read_text(encoding="utf-8")
    assert "404 - Not found" not in html
    assert "<h1>Deze pagina bestaat niet</h1>" in html
    form = re.search(r'<form class="kb-niet-gevonden__zoek"[^>]*action="([^"]+)"', html)
    assert form and form.group(1).rstrip("/").endswith("interventies")
    assert re.search(r'<input id="kb-404-q" type="search" name="q"', html)
