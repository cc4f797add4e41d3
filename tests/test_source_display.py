"""Issue 11: what readers see of the new fields: the entry page, places as facet values, the timeline,
the verdict's words, the terminal's hits and the CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest

from kennisbank.archive import Archive
from kennisbank.export import export_csv
from kennisbank.pages import SiteContext
from kennisbank.render.entry_page import entry_pages
from kennisbank.render.overviews import overview_pages

from conftest import entry_text

TODAY = dt.date(2026, 11, 1)
STOPPED_BODY = "".join(f"\n## {t}\n\nTekst over {t.lower()}.\n"
                       for t in ("Context", "Aanpak", "Resultaten", "Waarom gestopt", "Lessen"))
STUDIES = [
    {"jaar": 1993, "ontwerp": "experimenteel", "uitkomst": "gemengd", "bron": "Proef Maastricht, 1993"},
    {"jaar": 2011, "ontwerp": "experimenteel", "uitkomst": "geen-effect", "bron": "Van Hout e.a.",
     "url": "https://example.org/van-hout"},
    {"jaar": 2004, "ontwerp": "monitoring", "uitkomst": "positief", "bron": "Monitor 2004"},
]
ENTRIES = {
    "methode.md": entry_text(
        titel="Landelijke methode", gemeente="landelijk", periode={"start": "1995/1996"}, themas=["veiligheid"],
        status_volgens="2019", status_bron="Jaarverslag 2019",
        beeindigd_in=[{"plaats": "Feijenoord", "datum": "2018", "redenen": ["bezuiniging"],
                       "toelichting": "Het contract ging naar een ander."}],
    ),
    "lokaal-a.md": entry_text(
        titel="Lokaal A", gemeente=["Rotterdam", "Den Haag"], periode={"start": "ca. 1989", "eind": "1995 of 1996"},
        status="onbekend", themas=["veiligheid"], relaties={"methode": "methode"},
        bewijs={"studies": STUDIES},
    ),
    "lokaal-b.md": entry_text(
        titel="Lokaal B", gemeente="Utrecht", periode={"start": "onbekend", "eind": "2004"}, status="gestopt",
        themas=["veiligheid"], relaties={"methode": "methode"}, body=STOPPED_BODY,
        beeindiging={"datum": "eind jaren negentig", "redenen": ["bezuiniging"]},
        bewijs={"niveau": "monitoring", "uitkomst": "positief", "studies": STUDIES[:2]},
    ),
}


@pytest.fixture
def built(archive):
    root = archive(ENTRIES)
    opened = Archive.open(root)
    result = opened.check()
    assert not result.errors, [str(p) for p in result.errors]
    ctx = SiteContext(opened.settings, result.entries, today=TODAY)
    pages = {page.url: page for page in entry_pages(ctx) + overview_pages(ctx)}
    return root, result.entries, pages


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(" ,", ",").strip()


def test_entry_page_shows_uncertain_period_places_and_method(built):
    _, _, pages = built
    page = text(pages["interventies/lokaal-a/"].html)
    assert "Periode ca. 1989 – 1995 of 1996" in page
    assert "Plaatsen Rotterdam" in page and "Den Haag" in page
    assert "Uitvoering van de methode Landelijke methode" in page
    method = text(pages["interventies/methode/"].html)
    assert re.search(r"Lokale uitvoeringen Lokaal A .*Lokaal B", method)


def test_several_places_are_each_a_filter_value_and_one_meta(built):
    _, _, pages = built
    html = pages["interventies/lokaal-a/"].html
    filters = re.findall(r'data-pagefind-filter="gemeente">([^<]+)<', html)
    assert filters == ["Rotterdam", "Den Haag"]
    assert 'data-pagefind-meta="gemeente:Rotterdam, Den Haag"' in html
    # The entry is listed on both municipality pages.
    assert "Lokaal A" in pages["gemeenten/rotterdam/"].html
    assert "Lokaal A" in pages["gemeenten/den-haag/"].html


def test_unknown_start_is_shown_as_such_never_as_a_year(built):
    _, _, pages = built
    page = text(pages["interventies/lokaal-b/"].html)
    assert "Periode onbekend – 2004" in page
    assert "gestopt in de jaren negentig" not in page  # a decade with a part reads as written
    assert "Gestopt eind jaren negentig" in page


def test_derived_verdict_and_disagreement_are_visible(built):
    _, _, pages = built
    page = text(pages["interventies/lokaal-a/"].html)
    assert "Werkte het? Gemengd effect, sterk bewijs" in page
    assert "(afgeleid uit 3 studies)" in page
    assert "De studies spreken elkaar tegen." in page
    rows = re.findall(r"<tr><th scope=\"row\">(\w+)</th><td>([^<]+)</td><td>([^<]+)</td>",
                      pages["interventies/lokaal-a/"].html)
    assert rows == [("1993", "Experimenteel", "Gemengd"), ("2004", "Monitoring", "Positief"),
                    ("2011", "Experimenteel", "Geen effect")]


def test_stated_verdict_shows_the_studies_beside_it_when_they_differ(built):
    _, _, pages = built
    page = text(pages["interventies/lokaal-b/"].html)
    assert "Werkte het? Positief effect, zwak bewijs" in page
    assert "de studies zelf: gemengd effect, sterk bewijs, experimenteel" in page
    assert "door de redactie vastgesteld" in page


def test_stop_per_place_and_status_as_of_a_source(built):
    _, _, pages = built
    page = text(pages["interventies/methode/"].html)
    assert "Gestopt in Feijenoord (2018): bezuiniging. Het contract ging naar een ander." in page
    assert "Status Lopend (volgens een bron uit 2019: Jaarverslag 2019)" in page
    assert "Periode sinds 1995 of 1996, liep nog in 2019" in page
    assert "Loopt het nog? Ja, loopt sinds 1995 of 1996 (volgens een bron uit 2019)" in page


def test_timeline_draws_uncertain_years_apart(built):
    _, _, pages = built
    html = pages["tijdlijn/"].html
    assert "kb-chart__onzeker" in html
    # ca. 1989 may mean 1987: that year counts once, as uncertain; 1992 lies inside every bound: certain.
    cells = dict(re.findall(r'<tr><th scope="row">(\d{4})</th><td>([^<]+)</td>', html))
    assert cells["1987"] == "1 (1 onzeker)"
    assert cells["1992"] == "1"
    for pattern_id in re.findall(r'<pattern id="([^"]+)"', html):
        assert html.count(f'id="{pattern_id}"') == 1


def test_search_counts_each_place_and_filters_by_one(built, run):
    root, _, _ = built
    data = json.loads(run(["search", "", "--json"], root).stdout)
    assert data["facets"]["gemeente"]["Rotterdam"] == 1
    assert data["facets"]["gemeente"]["Den Haag"] == 1
    found = json.loads(run(["search", "", "--gemeente", "Den Haag", "--json"], root).stdout)
    assert [hit["id"] for hit in found["results"]] == ["lokaal-a"]
    assert found["results"][0]["gemeente"] == "Rotterdam, Den Haag"
    shown = run(["search", "lokaal"], root).stdout
    assert "Rotterdam, Den Haag · ca. 1989 – 1995 of 1996" in shown


def test_period_filter_uses_the_bounds_of_uncertain_dates(built, run):
    root, _, _ = built
    # ca. 1989 may mean 1987: an entry that ran in 1987 must not be left out.
    found = json.loads(run(["search", "", "--van", "1987", "--tot", "1987", "--json"], root).stdout)
    assert "lokaal-a" in [hit["id"] for hit in found["results"]]
    found = json.loads(run(["search", "", "--van", "1980", "--tot", "1985", "--json"], root).stdout)
    assert "lokaal-a" not in [hit["id"] for hit in found["results"]]


def test_csv_export_has_readable_cells_for_the_new_fields(built):
    _, entries, _ = built
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(export_csv(entries)))}
    assert rows["lokaal-a"]["gemeente"] == "Rotterdam; Den Haag"
    assert rows["lokaal-a"]["periode.start"] == "ca. 1989"
    assert rows["lokaal-a"]["relaties.methode"] == "methode"
    assert rows["lokaal-a"]["bewijs.studies"].startswith("1993, experimenteel, gemengd, Proef Maastricht, 1993; ")
    assert rows["methode"]["beeindigd_in"] == "Feijenoord, 2018, bezuiniging, Het contract ging naar een ander."
    assert rows["methode"]["status_volgens"] == "2019"


def test_terminal_hit_says_when_its_status_was_reported(built, run):
    root, _, _ = built
    shown = run(["search", "landelijke methode"], root).stdout
    assert "landelijk · 1995 of 1996 – · Lopend (volgens een bron uit 2019)" in shown
