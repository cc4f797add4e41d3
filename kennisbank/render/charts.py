"""Accessible inline SVG charts, drawn in Python: no JavaScript, nothing external.

Every chart is a ``<figure>``: a caption, an SVG with ``role="img"`` named
by the caption and described by a visible sentence that says what it shows
(the text alternative), and the numbers behind it in a real ``<table>``
under "Bekijk de cijfers". Bars carry their numbers as text, so no reading
depends on colour alone; fills and text meet WCAG 2.1 AA contrast on the
chart's own white background (also in a dark theme).
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from . import dutch

WIDTH = 720
FONT_SIZE = 13
MARGIN = 6  # between any text and the chart's frame (the SVG's edge)
GAP = 8  # between a label and what it names
MAX_LABEL_SHARE = 0.45  # of WIDTH, for the labels before the bars
INK = "#1a1a1a"
MUTED = "#595959"
BACKGROUND = "#ffffff"
BAR = "#1f5f8b"
GRID = "#767676"

# Fill and the text drawn on it, in stacking order; dark and light fills
# alternate so that neighbouring segments also differ in lightness.
PALETTE = (
    ("#1a6e3a", "#ffffff"),
    ("#a6dba0", INK),
    ("#595959", "#ffffff"),
    ("#f4b6b0", INK),
    ("#d9d9d9", INK),
    ("#6b3fa0", "#ffffff"),
    ("#0b5394", "#ffffff"),
    ("#f2c14e", INK),
)


# Advance widths, in em, of the widest common sans-serif: DejaVu Sans (the Linux default), measured in
# Chromium with Liberation Sans (Arial's metrics); Segoe UI, Roboto and San Francisco are narrower. Layout
# from these never lets a text run into its neighbour or the frame, whichever of them the reader's system picks.
_EM_WIDTHS = {
    0.28: "'ijlïí", 0.29: "I", 0.32: " ,.‘’·", 0.34: "/:;\\|", 0.35: "f", 0.36: "-", 0.39: "()[]t", 0.4: "!",
    0.41: "r", 0.46: '"', 0.5: "*JT`", 0.52: "s“”", 0.53: "z", 0.55: "cç", 0.56: "?L_k–", 0.59: "Yvxy",
    0.61: "FVaeoëéèêöóàáâ", 0.63: "hnuüúñ", 0.64: "$0123456789bdgpq{}", 0.67: "EKPS", 0.68: "A", 0.69: "BXZ",
    0.72: "CR", 0.73: "U", 0.75: "HN", 0.77: "D", 0.78: "&G", 0.79: "OQ", 0.82: "w", 0.84: "#+<=>^~", 0.86: "M",
    0.93: "W", 0.95: "%", 0.97: "m", 1.0: "…—", 1.01: "@",
}
_EM = {char: width for width, chars in _EM_WIDTHS.items() for char in chars}
_EM_UNKNOWN = 1.0
BOLD_FACTOR = 1.12  # DejaVu Sans Bold is about 11% wider


def text_width(text: str, bold: bool = False, size: float = FONT_SIZE) -> float:
    """An upper estimate of the width of ``text`` in the chart's font (user units)."""
    width = sum(_EM.get(char, _EM_UNKNOWN) for char in text) * size
    return width * BOLD_FACTOR if bold else width


@dataclass(frozen=True)
class Bar:
    """One labelled value; ``href`` links the label in the table of numbers."""

    label: str
    value: int
    href: str | None = None


def relative_luminance(colour: str) -> float:
    red, green, blue = (int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _short(label: str, room: float) -> str:
    """``label`` cut with an ellipsis to fit ``room`` (the full label is in the bar's title and the table)."""
    if text_width(label) <= room:
        return label
    while label and text_width(label + "…") > room:
        label = label[:-1]
    return label.rstrip() + "…"


def _label_width(labels: list[str]) -> float:
    """Where the plot starts: the room the row labels need before it, at most ``MAX_LABEL_SHARE``."""
    longest = max((text_width(label) for label in labels), default=0)
    return min(MARGIN + longest + GAP, WIDTH * MAX_LABEL_SHARE)


def _row_label(label_w: float, middle: float, label: str) -> str:
    return _text(label_w - GAP, middle, _short(label, label_w - GAP - MARGIN), "end")


def _text(x: float, y: float, text: str, anchor: str = "start", fill: str = INK, weight: str = "") -> str:
    bold = ' font-weight="bold"' if weight else ""
    return (
        f'<text x="{_fmt(x)}" y="{_fmt(y)}" text-anchor="{anchor}" dominant-baseline="middle" '
        f'fill="{fill}"{bold}>{escape(text)}</text>'
    )


def _svg(chart_id: str, title: str, height: float, body: list[str]) -> str:
    return (
        f'<svg class="kb-chart__svg" role="img" aria-labelledby="{chart_id}-titel" '
        f'aria-describedby="{chart_id}-tekst" viewBox="0 0 {WIDTH} {_fmt(height)}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" font-size="{FONT_SIZE}" '
        f'font-family="system-ui, -apple-system, \'Segoe UI\', Roboto, Arial, sans-serif" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>"
        f'<rect width="{WIDTH}" height="{_fmt(height)}" fill="{BACKGROUND}"/>'
        + "".join(body)
        + "</svg>"
    )


def _figure(chart_id: str, title: str, summary: str, svg: str, table: str, open_table: bool) -> Markup:
    opened = " open" if open_table else ""
    return Markup(
        f'<figure class="kb-chart" id="{chart_id}">'
        f'<figcaption class="kb-chart__titel" id="{chart_id}-titel">{escape(title)}</figcaption>'
        f"{svg}"
        f'<p class="kb-chart__tekst" id="{chart_id}-tekst">{escape(summary)}</p>'
        f'<details class="kb-chart__cijfers"{opened}><summary>Bekijk de cijfers</summary>{table}</details>'
        f"</figure>"
    )


def data_table(caption: str, headers: list[str], body_rows: str, extra_class: str = "") -> str:
    """A table with column headers in a keyboard-scrollable region; ``body_rows`` start with a ``<th scope="row">``.

    The region is focusable and named by the caption, so a table wider than
    the screen can be scrolled with the keyboard (WCAG 2.1.1).
    """
    head = "".join(f'<th scope="col">{escape(header)}</th>' for header in headers)
    css = f"kb-table {extra_class}".strip()
    return (
        f'<div class="kb-tabel-scroll" role="region" tabindex="0" aria-label="{escape(caption)}">'
        f'<table class="{css}"><caption>{escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body_rows}</tbody></table></div>"
    )


def _table(title: str, headers: list[str], body_rows: str) -> str:
    return data_table(title, headers, body_rows, "kb-chart__tabel")


def _cell_label(label: str, href: str | None) -> str:
    return f'<a href="{escape(href)}">{escape(label)}</a>' if href else str(escape(label))


def _listing(pairs: list[tuple[str, int]], limit: int = 12) -> str:
    shown = [f"{label} {dutch.number(value)}" for label, value in pairs[:limit]]
    rest = len(pairs) - limit
    if rest > 0:
        shown.append(f"en {dutch.count(rest, 'andere', 'andere')} (zie de tabel)")
    return "; ".join(shown)


def bar_chart(
    chart_id: str,
    title: str,
    bars: list[Bar],
    *,
    intro: str,
    label_header: str,
    value_header: str = "Aantal",
    open_table: bool = False,
) -> Markup:
    """Horizontal bars, one per label, with the value written after each bar.

    ``intro`` opens the text alternative ("Redenen van beëindiging, van vaak
    naar weinig genoemd."); the values follow it in the same order.
    """
    label_w = _label_width([bar.label for bar in bars])
    value_w = GAP + max((text_width(dutch.number(bar.value)) for bar in bars), default=0) + MARGIN
    plot_w = WIDTH - label_w - value_w
    row_h, bar_h, top = 26, 18, 6
    peak = max((bar.value for bar in bars), default=0) or 1
    body = [f'<line x1="{_fmt(label_w)}" y1="{top}" x2="{_fmt(label_w)}" y2="{top + row_h * len(bars)}" stroke="{GRID}"/>']
    for index, bar in enumerate(bars):
        middle = top + index * row_h + row_h / 2
        width = plot_w * bar.value / peak
        if bar.value and width < 2:
            width = 2
        body.append(_row_label(label_w, middle, bar.label))
        body.append(
            f'<rect x="{_fmt(label_w)}" y="{_fmt(middle - bar_h / 2)}" width="{_fmt(width)}" '
            f'height="{bar_h}" fill="{BAR}"><title>{escape(bar.label)}: {dutch.number(bar.value)}</title></rect>'
        )
        body.append(_text(label_w + width + GAP, middle, dutch.number(bar.value)))
    height = top * 2 + row_h * max(len(bars), 1)
    summary = f"{intro} {_listing([(bar.label, bar.value) for bar in bars])}." if bars else f"{intro} Er zijn geen gegevens."
    rows = "".join(
        f'<tr><th scope="row">{_cell_label(bar.label, bar.href)}</th><td>{dutch.number(bar.value)}</td></tr>'
        for bar in bars
    )
    table = _table(title, [label_header, value_header], rows)
    return _figure(chart_id, title, summary, _svg(chart_id, title, height, body), table, open_table)


def _legend(series: list[str]) -> tuple[list[str], float]:
    """The legend of a stacked chart, wrapped over as many lines as it needs; the SVG and its height."""
    swatch, spacing, line = 14, 24, 24
    body: list[str] = []
    x, y = float(MARGIN), MARGIN + line / 2
    for index, name in enumerate(series):
        fill, _ = PALETTE[index % len(PALETTE)]
        item_w = swatch + 6 + text_width(name)
        if x > MARGIN and x + item_w > WIDTH - MARGIN:
            x, y = float(MARGIN), y + line
        body.append(
            f'<g class="kb-chart__legenda-item"><rect x="{_fmt(x)}" y="{_fmt(y - swatch / 2)}" width="{swatch}" '
            f'height="{swatch}" fill="{fill}" stroke="{INK}"/>{_text(x + swatch + 6, y, name)}</g>'
        )
        x += item_w + spacing
    return body, y + line / 2


def stacked_bar_chart(
    chart_id: str,
    title: str,
    rows: list[tuple[str, list[int]]],
    series: list[str],
    *,
    intro: str,
    label_header: str,
    open_table: bool = False,
) -> Markup:
    """One horizontal bar per row, split into ``series`` segments, with a legend.

    Each segment wide enough carries its number; the legend follows the
    stacking order, and every total is written after its bar.
    """
    totals = [sum(values) for _, values in rows]
    label_w = _label_width([label for label, _ in rows])
    total_w = GAP + max((text_width(dutch.number(total), bold=True) for total in totals), default=0) + MARGIN
    plot_w = WIDTH - label_w - total_w
    body, top = _legend(series)
    top += 4

    row_h, bar_h = 30, 22
    peak = max(totals, default=0) or 1
    for row_index, (label, values) in enumerate(rows):
        middle = top + row_index * row_h + row_h / 2
        body.append(_row_label(label_w, middle, label))
        x = label_w
        for index, value in enumerate(values):
            if not value:
                continue
            fill, ink = PALETTE[index % len(PALETTE)]
            width = plot_w * value / peak
            body.append(
                f'<rect x="{_fmt(x)}" y="{_fmt(middle - bar_h / 2)}" width="{_fmt(width)}" height="{bar_h}" '
                f'fill="{fill}" stroke="{INK}" stroke-width="1"><title>{escape(label)}, '
                f"{escape(series[index])}: {dutch.number(value)}</title></rect>"
            )
            text = dutch.number(value)
            if width >= text_width(text) + 6:
                body.append(_text(x + width / 2, middle, text, "middle", ink))
            x += width
        body.append(_text(x + GAP, middle, dutch.number(totals[row_index]), weight="bold"))
    height = top + row_h * max(len(rows), 1) + 8

    parts = []
    for (label, values), total in zip(rows, totals):
        split = ", ".join(f"{dutch.number(v)} {name.lower()}" for name, v in zip(series, values) if v)
        parts.append(f"{label}: {dutch.number(total)}" + (f" ({split})" if split else ""))
    summary = f"{intro} " + "; ".join(parts) + "." if rows else f"{intro} Er zijn geen gegevens."

    body_rows = "".join(
        f'<tr><th scope="row">{escape(label)}</th>'
        + "".join(f"<td>{dutch.number(v)}</td>" for v in values)
        + f"<td>{dutch.number(total)}</td></tr>"
        for (label, values), total in zip(rows, totals)
    )
    table = _table(title, [label_header, *series, "Totaal"], body_rows)
    return _figure(chart_id, title, summary, _svg(chart_id, title, height, body), table, open_table)


@dataclass(frozen=True)
class YearRow:
    """One row of a year chart: a number per year, and how many different interventions the row holds.

    The numbers per year need not add up to ``total``: an intervention that
    ran for five years counts in each of them, but once in the total.
    """

    label: str
    values: list[int]
    total: int


def year_chart(
    chart_id: str,
    title: str,
    years: list[int],
    rows: list[YearRow],
    *,
    intro: str,
    peak: str,
    open_table: bool = False,
) -> Markup:
    """Small multiples: per row (a theme) a column per year on one shared scale.

    Each row names its number of interventions and its peak year as text
    (``peak`` says what the peak means, with ``{year}`` and ``{count}``);
    the table lists every year (rows) by every theme (columns), and the
    interventions per theme below.
    """
    totals = [dutch.count(row.total, "interventie", "interventies") for row in rows]
    label_w = _label_width([row.label for row in rows])
    total_w = GAP + max((text_width(total) for total in totals), default=0) + MARGIN
    plot_w = WIDTH - label_w - total_w
    row_h, column_h, top = 40, 28, 8
    span = max(len(years), 1)
    column_w = plot_w / span
    highest = max((max(row.values, default=0) for row in rows), default=0) or 1
    body: list[str] = []
    for row_index, (row, total) in enumerate(zip(rows, totals)):
        base = top + row_index * row_h + column_h + 4
        body.append(_row_label(label_w, base - column_h / 2, row.label))
        body.append(f'<line x1="{_fmt(label_w)}" y1="{_fmt(base)}" x2="{_fmt(label_w + plot_w)}" y2="{_fmt(base)}" stroke="{GRID}"/>')
        for index, value in enumerate(row.values):
            if not value:
                continue
            height = max(column_h * value / highest, 2)
            body.append(
                f'<rect x="{_fmt(label_w + index * column_w + column_w * 0.1)}" y="{_fmt(base - height)}" '
                f'width="{_fmt(max(column_w * 0.8, 1))}" height="{_fmt(height)}" fill="{BAR}">'
                f"<title>{escape(row.label)}, {years[index]}: {dutch.number(value)}</title></rect>"
            )
        body.append(_text(label_w + plot_w + GAP, base - column_h / 2, total))
    axis_y = top + row_h * len(rows) + 4
    year_w = text_width("0000") + GAP
    step = next((s for s in (1, 2, 5, 10, 20, 25, 50) if s * column_w >= year_w), 100)
    for index, year in enumerate(years):
        if year % step == 0 or (index == 0 and step == 1):
            x = label_w + index * column_w + column_w / 2
            body.append(f'<line x1="{_fmt(x)}" y1="{_fmt(axis_y - 8)}" x2="{_fmt(x)}" y2="{_fmt(axis_y - 4)}" stroke="{GRID}"/>')
            body.append(_text(x, axis_y + 6, str(year), "middle", MUTED))
    height = axis_y + 20

    parts = []
    for row, total in zip(rows, totals):
        if row.total:
            best = max(range(len(row.values)), key=lambda i: row.values[i]) if row.values else 0
            parts.append(f"{row.label}: {total}, " + peak.format(year=years[best], count=dutch.number(row.values[best])))
    if rows and years:
        summary = f"{intro} Van {years[0]} tot en met {years[-1]}. " + "; ".join(parts) + "."
    else:
        summary = f"{intro} Er zijn geen gegevens."

    body_rows = "".join(
        f'<tr><th scope="row">{year}</th>' + "".join(f"<td>{dutch.number(row.values[i])}</td>" for row in rows) + "</tr>"
        for i, year in enumerate(years)
    )
    body_rows += (
        '<tr class="kb-chart__totaal"><th scope="row">Interventies in totaal (elk één keer geteld)</th>'
        + "".join(f"<td>{dutch.number(row.total)}</td>" for row in rows) + "</tr>"
    )
    table = _table(title, ["Jaar", *(row.label for row in rows)], body_rows)
    return _figure(chart_id, title, summary, _svg(chart_id, title, height, body), table, open_table)
