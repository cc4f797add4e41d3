"""Every number every chart on the built site shows, computed again from the site's own open data.

The bundled archive is built for real; the figures come from ``data/interventies.json`` (what a
reader downloads), counted here without the renderer's code, and are compared with each chart's
bars, legend totals, text alternative and table of numbers. A chart this test does not know fails
it, so a new chart needs its figures here too.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from kennisbank.dates import read_date
from kennisbank.pages import gemeente_slug


SVG = "{http://www.w3.org/2000/svg}"


@dataclass
class Chart:
    """One drawing of a chart (each is drawn wide and narrow), with the figure's table and text."""

    page: str
    id: str
    drawing: str
    headers: list[str]
    rows: list[list[str]]
    texts: list[tuple[str, bool]]  # (text, bold) in document order
    titles: list[str]  # the <title> of every bar or segment
    summary: str


@pytest.fixture(scope="module")
def charts(built_site: Path) -> list[Chart]:
    found = []
    for path in sorted(built_site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        folder = path.parent.relative_to(built_site).as_posix()
        for figure in re.findall(r'<figure class="kb-chart".*?</figure>', text, re.S):
            found += _parse("" if folder == "." else folder + "/", figure)
    return found


def _plain(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def _parse(page: str, figure: str) -> list[Chart]:
    body = re.search(r"<tbody>(.*?)</tbody>", figure, re.S).group(1)
    drawings = [ET.fromstring(svg) for svg in re.findall(r"<svg.*?</svg>", figure, re.S)]
    assert [svg.get("class") for svg in drawings] == ["kb-chart__svg kb-chart__svg--breed", "kb-chart__svg kb-chart__svg--smal"]
    return [
        Chart(
            page=page,
            id=re.search(r'<figure class="kb-chart" id="([^"]+)"', figure).group(1),
            drawing=svg.get("class").rsplit("--", 1)[1],
            headers=[_plain(cell) for cell in re.findall(r'<th scope="col">(.*?)</th>', figure)],
            rows=[[_plain(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
                  for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body)],
            texts=[(text.text or "", text.get("font-weight") == "bold") for text in svg.iter(f"{SVG}text")],
            titles=[rect.find(f"{SVG}title").text for rect in svg.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None],
            summary=_plain(re.search(r'<p class="kb-chart__tekst"[^>]*>(.*?)</p>', figure, re.S).group(1)),
        )
        for svg in drawings
    ]


def _number(text: str) -> int:
    """``1.234``, or a year's cell with uncertain dates: ``3 (1 onzeker)``."""
    return int(text.split(" ")[0].replace(".", ""))


def _year(date: object) -> int | None:
    """The year a date names (1989 for "ca. 1989", 1987 for "eind jaren tachtig"); None when unknown."""
    return read_date(str(date)).year


def _places(entry: dict) -> list[str]:
    return entry["gemeente"] if isinstance(entry["gemeente"], list) else [entry["gemeente"]]


def _run_years(entry: dict, this_year: int) -> range:
    """Every year an entry may have run, from the open data: from the earliest its start may mean to the latest
    its end or stop may mean (this year while running); an unknown start counts from the first known year."""
    start = read_date(str(entry["periode"]["start"]))
    end_value = entry["periode"].get("eind") or (entry.get("beeindiging") or {}).get("datum")
    end = read_date(str(end_value)) if end_value else None
    later = [entry["periode"].get("eind"), (entry.get("beeindiging") or {}).get("datum"),
             *(stop["datum"] for stop in entry.get("beeindigd_in") or []), entry.get("status_volgens")]
    known = [y for y in (_year(value) for value in later if value) if y is not None]
    fallback = min(known) if known else int(entry["laatst_beoordeeld"][:4])
    first = start.earliest.year if start.known else fallback
    nominal = start.year if start.known else fallback
    if end is not None and end.known:
        last = end.latest.year
    elif end is not None and entry["status"] != "lopend":
        last = nominal
    elif entry["status"] == "lopend":
        last = max(this_year, nominal)
    else:
        last = nominal
    return range(first, max(first, last) + 1)


def _label_shown(shown: str, label: str) -> bool:
    """A label as drawn: whole, or cut with an ellipsis."""
    return shown == label or (shown.endswith("…") and label.startswith(shown[:-1]) and len(shown) > 1)


# -- the figures each chart should show, from the open data ------------------------------------------------

def expected_bars(chart: Chart, data: list[dict], labels: dict[str, dict[str, str]]) -> dict[str, int]:
    """Label → number for a bar chart, or KeyError for a chart this test does not know."""
    if chart.page == "" and chart.id == "grafiek-stopredenen":
        chosen, vocabulary = data, "stopredenen"
    elif chart.page == "verloren-successen/" and chart.id == "grafiek-verloren-redenen":
        chosen = [e for e in data if e["status"] == "gestopt" and e["bewijs"]["uitkomst"] == "positief"]
        vocabulary = "stopredenen"
    elif chart.page.startswith("briefings/") and chart.id.startswith("grafiek-stopredenen-"):
        kind, slug = chart.page.split("/")[1:3]
        subject = [e for e in data if (slug in e["themas"] if kind == "themas"
                                       else slug in {gemeente_slug(place) for place in _places(e)})]
        chosen, vocabulary = [e for e in subject if e["status"] == "gestopt"], "stopredenen"
    elif chart.id == f"grafiek-{chart.page.rstrip('/')}" and chart.page.rstrip("/") in labels:
        chosen, vocabulary = data, chart.page.rstrip("/")
    else:
        raise KeyError(chart.id)
    counts: Counter = Counter()
    for entry in chosen:
        counts.update(_codes(entry, vocabulary))
    return {labels[vocabulary][code]: n for code, n in counts.items()}


def _codes(entry: dict, vocabulary: str) -> list[str]:
    bewijs = entry["bewijs"]
    value = {
        "themas": entry["themas"],
        "doelgroepen": entry.get("doelgroepen") or [],
        "status": [entry["status"]],
        "stopredenen": (entry.get("beeindiging") or {}).get("redenen", []),
        "uitkomst": [bewijs["uitkomst"]],
        "niveau": [bewijs["niveau"]],
        "erkenning": [bewijs.get("erkenning")],
        "schaal": [bewijs.get("schaal")],
        "financiering": [(entry.get("financiering") or {}).get("soort")],
    }[vocabulary]
    return [code for code in value if code]


# -- the checks -------------------------------------------------------------------------------------------

def check_bar_chart(chart: Chart, expected: dict[str, int]) -> None:
    where = f"{chart.page} #{chart.id} ({chart.drawing})"
    table = {row[0]: _number(row[1]) for row in chart.rows}
    assert {k: v for k, v in table.items() if v} == {k: v for k, v in expected.items() if v}, where
    # Drawn: each label followed by its number.
    texts = [text for text, _ in chart.texts]
    assert len(texts) == 2 * len(chart.rows), where
    for (shown, value), row in zip(zip(texts[::2], texts[1::2]), chart.rows):
        assert _label_shown(shown, row[0]), (where, shown, row[0])
        assert _number(value) == expected.get(row[0], 0), (where, row[0], value)
    for title in chart.titles:
        label, value = title.rsplit(": ", 1)
        assert _number(value) == expected.get(label, 0), (where, title)
    # The text alternative names the first twelve, and how many more the table holds.
    for label, value in list(table.items())[:12]:
        assert f"{label} {value}" in chart.summary, (where, label, chart.summary)
    if len(table) > 12:
        assert f"en {len(table) - 12} andere (zie de tabel)" in chart.summary, where


def check_stacked_chart(chart: Chart, expected: dict[str, Counter], series: list[str]) -> None:
    where = f"{chart.page} #{chart.id} ({chart.drawing})"
    assert chart.headers[1:-1] == series and chart.headers[-1] == "Totaal", where
    table = {row[0]: [_number(cell) for cell in row[1:]] for row in chart.rows}
    assert set(table) == set(expected), where
    for label, cells in table.items():
        assert cells[:-1] == [expected[label][name] for name in series], (where, label)
        assert cells[-1] == sum(expected[label].values()), (where, label)
        split = ", ".join(f"{n} {name.lower()}" for name, n in zip(series, cells[:-1]) if n)
        assert f"{label}: {cells[-1]} ({split})" in chart.summary, (where, label, chart.summary)
    texts = [text for text, _ in chart.texts]
    assert texts[: len(series)] == series, (where, "legend")
    totals = [_number(text) for text, bold in chart.texts if bold]
    assert totals == [cells[-1] for cells in table.values()], (where, "totals after the bars")
    for title in chart.titles:
        head, value = title.rsplit(": ", 1)
        label, name = head.rsplit(", ", 1)
        assert _number(value) == expected[label][name], (where, title)


def check_year_chart(chart: Chart, per_year: dict[str, Counter], totals: dict[str, int], noun: str) -> None:
    where = f"{chart.page} #{chart.id} ({chart.drawing})"
    themes = chart.headers[1:]
    assert set(themes) == {label for label, counter in per_year.items() if sum(counter.values())}, where
    # Drawn: per row its label and its number of interventions, in words that say so.
    drawn = [text for text, _ in chart.texts][: 2 * len(themes)]
    for theme, (shown, total) in zip(themes, zip(drawn[::2], drawn[1::2])):
        assert _label_shown(shown, theme), (where, shown)
        count = totals[theme]
        assert total == f"{count} {'interventie' if count == 1 else 'interventies'}", (where, theme, total)
    years = [int(row[0]) for row in chart.rows[:-1]]
    for row in chart.rows[:-1]:
        for theme, cell in zip(themes, row[1:]):
            assert _number(cell) == per_year[theme][int(row[0])], (where, row[0], theme)
    last = chart.rows[-1]
    assert last[0].startswith("Interventies in totaal"), where
    for theme, cell in zip(themes, last[1:]):
        assert _number(cell) == totals[theme], (where, "table total", theme)
    for title in chart.titles:
        head, value = title.rsplit(": ", 1)
        theme, year = head.rsplit(", ", 1)
        assert _number(value) == per_year[theme][int(year)], (where, title)
    for theme in themes:
        count = totals[theme]
        peak = max(per_year[theme][year] for year in years)
        words = f"{count} {'interventie' if count == 1 else 'interventies'}"
        assert re.search(rf"{re.escape(theme)}: {words}, [^;]*\b{noun}[^;]*\({peak}\)", chart.summary), (where, theme, chart.summary)


# -- the tests --------------------------------------------------------------------------------------------

def test_every_chart_is_checked(charts: list[Chart], data, labels) -> None:
    known = {"grafiek-uitkomst-per-opzet", "grafiek-per-jaar", "grafiek-tijdlijn"}
    unknown = []
    for chart in charts:
        if chart.id in known:
            continue
        try:
            expected_bars(chart, data, labels)
        except KeyError:
            unknown.append(f"{chart.page} #{chart.id} ({chart.drawing})")
    assert unknown == [], "charts whose figures this test does not compute"
    pages = {chart.page for chart in charts}
    assert {"", "tijdlijn/", "themas/", "stopredenen/", "verloren-successen/", "briefings/themas/werk/"} <= pages
    assert len(charts) > 60


def test_bar_charts_agree_with_the_open_data(charts: list[Chart], data, labels) -> None:
    bars = [chart for chart in charts if len(chart.headers) == 2]
    assert len(bars) > 50
    for chart in bars:
        check_bar_chart(chart, expected_bars(chart, data, labels))


def test_outcomes_by_design_agree_with_the_open_data(charts: list[Chart], data, labels) -> None:
    drawings = [chart for chart in charts if chart.id == "grafiek-uitkomst-per-opzet"]
    assert len(drawings) == 2
    expected: dict[str, Counter] = {}
    for entry in data:
        design = labels["niveau"][entry["bewijs"]["niveau"]]
        expected.setdefault(design, Counter())[labels["uitkomst"][entry["bewijs"]["uitkomst"]]] += 1
    for chart in drawings:
        check_stacked_chart(chart, expected, list(labels["uitkomst"].values()))


def test_started_per_year_agrees_with_the_open_data(charts: list[Chart], data, labels) -> None:
    drawings = [chart for chart in charts if chart.id == "grafiek-per-jaar"]
    assert len(drawings) == 2
    per_year: dict[str, Counter] = {}
    for entry in data:
        started = _year(entry["periode"]["start"])
        for theme in entry["themas"]:
            counter = per_year.setdefault(labels["themas"][theme], Counter())
            if started is not None:  # an unknown start is never counted as a start in some year
                counter[started] += 1
    totals = {theme: sum(counter.values()) for theme, counter in per_year.items()}
    for chart in drawings:
        check_year_chart(chart, per_year, totals, "begonnen")


def test_timeline_counts_each_intervention_once_in_its_total(charts: list[Chart], data, labels) -> None:
    drawings = [chart for chart in charts if chart.id == "grafiek-tijdlijn"]
    assert len(drawings) == 2
    this_year = dt.date.today().year
    per_year: dict[str, Counter] = {}
    totals: Counter = Counter()
    for entry in data:
        years = _run_years(entry, this_year)
        for theme in entry["themas"]:
            label = labels["themas"][theme]
            per_year.setdefault(label, Counter()).update(years)
            totals[label] += 1
    for chart in drawings:
        check_year_chart(chart, per_year, totals, "liepen")


def test_timeline_list_agrees_with_its_chart(built_site: Path, charts: list[Chart]) -> None:
    drawings = [chart for chart in charts if chart.id == "grafiek-tijdlijn"]
    assert len(drawings) == 2
    chart = drawings[0]
    text = (built_site / "tijdlijn" / "index.html").read_text(encoding="utf-8").split("<h2>Per thema</h2>")[1]
    items = [_plain(item) for item in re.findall(r"<li>(.*?)</li>", text.split("</ul>")[0], re.S)]
    listed = {theme: int(n) for theme, n in (re.match(r"(.+?): (\d+) interventies?,", item).groups() for item in items)}
    assert listed == {theme: _number(cell) for theme, cell in zip(chart.headers[1:], chart.rows[-1][1:])}
