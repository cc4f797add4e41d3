"""Accessible SVG charts (render/charts.py): a name, a text alternative, the same numbers in a table, contrast."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from kennisbank.render import charts, dutch
from kennisbank.render.charts import Bar, YearRow, bar_chart, stacked_bar_chart, year_chart

SVG = "{http://www.w3.org/2000/svg}"


def _svg(html: str) -> ET.Element:
    return ET.fromstring(re.search(r"<svg.*?</svg>", html, re.S).group(0))


def _table(html: str) -> list[list[str]]:
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    return [
        [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body)
    ]


def _accessible(html: str, chart_id: str) -> str:
    """Assert the naming and description wiring; return the text alternative."""
    svg = _svg(html)
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == f"{chart_id}-titel"
    assert svg.get("aria-describedby") == f"{chart_id}-tekst"
    assert svg.find(f"{SVG}title") is not None
    assert f'<figcaption class="kb-chart__titel" id="{chart_id}-titel">' in html
    text = re.search(rf'<p class="kb-chart__tekst" id="{chart_id}-tekst">(.*?)</p>', html).group(1)
    assert "<summary>Bekijk de cijfers</summary>" in html and "<table" in html and 'scope="col"' in html
    return text


BARS = [Bar("Tijdelijk geld op", 1234, "stopredenen/financiering-afgelopen/"), Bar("Bezuiniging", 7), Bar("Geen effect", 0)]


def test_bar_chart_names_describes_and_tables_the_same_numbers():
    html = bar_chart("g1", "Redenen", BARS, intro="Redenen, van vaak naar weinig:", label_header="Reden")
    text = _accessible(html, "g1")
    assert text == "Redenen, van vaak naar weinig: Tijdelijk geld op 1.234; Bezuiniging 7; Geen effect 0."
    assert _table(html) == [["Tijdelijk geld op", "1.234"], ["Bezuiniging", "7"], ["Geen effect", "0"]]
    assert '<a href="stopredenen/financiering-afgelopen/">Tijdelijk geld op</a>' in html
    # Every bar carries its number as text: nothing depends on colour.
    texts = [t.text for t in _svg(html).iter(f"{SVG}text")]
    assert {"1.234", "7", "0"} <= set(texts)


def test_stacked_chart_labels_segments_and_totals():
    rows = [("Monitoring", [2, 8, 0]), ("Experimenteel", [1, 0, 1])]
    html = stacked_bar_chart("g2", "Uitkomsten", rows, ["Positief", "Gemengd", "Geen effect"],
                             intro="Per opzet:", label_header="Onderzoeksopzet")
    text = _accessible(html, "g2")
    assert "Monitoring: 10 (2 positief, 8 gemengd)" in text
    assert "Experimenteel: 2 (1 positief, 1 geen effect)" in text
    assert _table(html) == [["Monitoring", "2", "8", "0", "10"], ["Experimenteel", "1", "0", "1", "2"]]
    texts = [t.text for t in _svg(html).iter(f"{SVG}text")]
    for legend in ("Positief", "Gemengd", "Geen effect"):
        assert legend in texts
    assert {"8", "10", "2"} <= set(texts)


def test_year_chart_tables_every_year_and_theme():
    html = year_chart("g3", "Per jaar", [2008, 2009, 2010], [YearRow("Werk", [1, 0, 3], 4), YearRow("Wonen", [0, 2, 0], 2)],
                      intro="Gestart per jaar.", peak="de meeste begonnen in {year} ({count})")
    text = _accessible(html, "g3")
    assert "Van 2008 tot en met 2010" in text
    assert "Werk: 4 interventies, de meeste begonnen in 2010 (3)" in text
    assert "Wonen: 2 interventies, de meeste begonnen in 2009 (2)" in text
    assert _table(html) == [["2008", "1", "0"], ["2009", "0", "2"], ["2010", "3", "0"],
                            ["Interventies in totaal (elk één keer geteld)", "4", "2"]]
    assert '<th scope="col">Werk</th>' in html


def test_year_chart_total_is_the_rows_interventions_not_the_sum_of_its_years():
    # Two interventions that each ran three years: six running-years, two interventions.
    html = year_chart("g6", "Lopend", [2008, 2009, 2010], [YearRow("Werk", [2, 2, 2], 2)],
                      intro="Liep per jaar.", peak="in {year} liepen er de meeste tegelijk ({count})")
    texts = [t.text for t in _svg(html).iter(f"{SVG}text")]
    assert "2 interventies" in texts and not any("6" in text for text in texts)
    assert "Werk: 2 interventies, in 2008 liepen er de meeste tegelijk (2)" in _accessible(html, "g6")


def test_text_width_is_an_upper_estimate_that_grows_with_wide_letters():
    assert charts.text_width("Wm") > charts.text_width("il") * 2
    assert charts.text_width("Gemengd", bold=True) > charts.text_width("Gemengd")
    assert charts.text_width("Opgegaan in ander programma") > 27 * 13 * 0.5


def test_charts_escape_labels():
    html = bar_chart("g4", "<b>x</b>", [Bar("<script>alert(1)</script>", 3)], intro="i", label_header="<i>")
    assert "<script" not in html and "<b>x" not in html
    assert "&lt;script&gt;" in html
    _svg(html)  # still well-formed XML


def test_empty_chart_says_there_is_no_data():
    html = bar_chart("g5", "Leeg", [], intro="Redenen:", label_header="Reden")
    assert "Er zijn geen gegevens." in html
    _svg(html)


def wcag_contrast(first: str, second: str) -> float:
    """WCAG 2.x contrast ratio of two ``#rrggbb`` colours, written here apart from render/charts.py."""

    def luminance(colour: str) -> float:
        channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize(("first", "second", "ratio"), [
    # Reference values of WCAG's definition (also what WebAIM's contrast checker shows).
    ("#000000", "#ffffff", 21.0), ("#ffffff", "#ffffff", 1.0), ("#777777", "#ffffff", 4.48), ("#0000ff", "#ffffff", 8.59),
])
def test_the_tests_own_contrast_oracle_and_the_renderers_agree_with_known_values(first, second, ratio):
    assert round(wcag_contrast(first, second), 2) == ratio
    assert round(charts.contrast_ratio(first, second), 2) == ratio


@pytest.mark.parametrize("fill,ink", charts.PALETTE)
def test_palette_text_meets_aa_contrast(fill, ink):
    assert wcag_contrast(fill, ink) >= 4.5


def test_chart_colours_meet_aa_contrast_on_the_background():
    assert wcag_contrast(charts.BAR, charts.BACKGROUND) >= 3  # graphical objects
    assert wcag_contrast(charts.INK, charts.BACKGROUND) >= 4.5
    assert wcag_contrast(charts.MUTED, charts.BACKGROUND) >= 4.5
    assert wcag_contrast(charts.GRID, charts.BACKGROUND) >= 3


def test_dutch_numbers():
    assert dutch.number(1234567) == "1.234.567"
    assert dutch.number(2.5, 1) == "2,5"
    assert dutch.years(4.0) == "4 jaar" and dutch.years(2.46) == "2,5 jaar"
    assert dutch.join(["a", "b", "c"]) == "a, b en c"
