"""Accessible inline SVG charts, drawn in Python: no JavaScript, nothing external.

Every chart is a ``<figure>``: a caption, an SVG with ``role="img"`` named
by the caption and described by a visible sentence that says what it shows
(the text alternative), and the numbers behind it in a real ``<table>``
under "Bekijk de cijfers". Bars carry their numbers as text, so no reading
depends on colour alone; fills and text meet WCAG 2.1 AA contrast on the
chart's own white background (also in a dark theme).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup, escape

from . import dutch

WIDTH = 720  # the wide drawing, with the labels before the bars
NARROW_WIDTH = 340  # the drawing for phones, with each label above its bar
FONT_SIZE = 13
MARGIN = 6  # between any text and the chart's frame (the SVG's edge)
GAP = 8  # between a label and what it names
MAX_LABEL_SHARE = 0.45  # of WIDTH, for the labels before the bars
LABEL_LINE = 20  # the line above a bar that holds its label in the narrow drawing
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


@dataclass(frozen=True)
class Frame:
    """One drawing of a chart: wide, with the row labels before the bars, or narrow (for a phone), with
    each label on a line of its own above its bar, so that its text stays readable when scaled to the screen."""

    width: float
    narrow: bool

    @property
    def name(self) -> str:
        return "smal" if self.narrow else "breed"

    def plot_start(self, labels: list[str]) -> float:
        """Where the bars start: after the longest label (at most ``MAX_LABEL_SHARE``), or at the margin."""
        if self.narrow:
            return float(MARGIN)
        longest = max((text_width(label) for label in labels), default=0)
        return min(MARGIN + longest + GAP, self.width * MAX_LABEL_SHARE)

    @property
    def label_line(self) -> float:
        """The height a row's label takes above its bar."""
        return LABEL_LINE if self.narrow else 0

    def row_label(self, plot_start: float, row_top: float, middle: float, label: str, room_after: float = 0) -> str:
        """A row's label: right-aligned before the bar, or above it (leaving ``room_after`` on its right)."""
        if self.narrow:
            return _text(MARGIN, row_top + LABEL_LINE / 2, _short(label, self.width - 2 * MARGIN - room_after))
        return _text(plot_start - GAP, middle, _short(label, plot_start - GAP - MARGIN), "end")


FRAMES = (Frame(WIDTH, narrow=False), Frame(NARROW_WIDTH, narrow=True))


def _text(x: float, y: float, text: str, anchor: str = "start", fill: str = INK, weight: str = "") -> str:
    bold = ' font-weight="bold"' if weight else ""
    return (
        f'<text x="{_fmt(x)}" y="{_fmt(y)}" text-anchor="{anchor}" dominant-baseline="middle" '
        f'fill="{fill}"{bold}>{escape(text)}</text>'
    )


def _svg(chart_id: str, title: str, frame: Frame, drawn: tuple[list[str], float]) -> str:
    """One drawing; the stylesheet shows the wide one, or the narrow one on a phone (the other is not rendered)."""
    body, height = drawn
    return (
        f'<svg class="kb-chart__svg kb-chart__svg--{frame.name}" role="img" aria-labelledby="{chart_id}-titel" '
        f'aria-describedby="{chart_id}-tekst" viewBox="0 0 {_fmt(frame.width)} {_fmt(height)}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" font-size="{FONT_SIZE}" '
        f'font-family="system-ui, -apple-system, \'Segoe UI\', Roboto, Arial, sans-serif" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>"
        f'<rect width="{_fmt(frame.width)}" height="{_fmt(height)}" fill="{BACKGROUND}"/>'
        + "".join(body)
        + "</svg>"
    )


def _figure(chart_id: str, title: str, summary: str, svgs: list[str], table: str, open_table: bool) -> Markup:
    opened = " open" if open_table else ""
    return Markup(
        f'<figure class="kb-chart" id="{chart_id}">'
        f'<figcaption class="kb-chart__titel" id="{chart_id}-titel">{escape(title)}</figcaption>'
        + "".join(svgs) +
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
    svgs = [_svg(chart_id, title, frame, _bars(bars, frame)) for frame in FRAMES]
    summary = f"{intro} {_listing([(bar.label, bar.value) for bar in bars])}." if bars else f"{intro} Er zijn geen gegevens."
    rows = "".join(
        f'<tr><th scope="row">{_cell_label(bar.label, bar.href)}</th><td>{dutch.number(bar.value)}</td></tr>'
        for bar in bars
    )
    table = _table(title, [label_header, value_header], rows)
    return _figure(chart_id, title, summary, svgs, table, open_table)


def _bars(bars: list[Bar], frame: Frame) -> tuple[list[str], float]:
    """The drawing of a bar chart in one frame, and its height."""
    label_w = frame.plot_start([bar.label for bar in bars])
    value_w = GAP + max((text_width(dutch.number(bar.value)) for bar in bars), default=0) + MARGIN
    plot_w = frame.width - label_w - value_w
    row_h, bar_h, top = 26 + frame.label_line, 18, 6
    peak = max((bar.value for bar in bars), default=0) or 1
    body = [f'<line x1="{_fmt(label_w)}" y1="{top}" x2="{_fmt(label_w)}" y2="{top + row_h * len(bars)}" stroke="{GRID}"/>']
    for index, bar in enumerate(bars):
        row_top = top + index * row_h
        middle = row_top + frame.label_line + (row_h - frame.label_line) / 2
        width = plot_w * bar.value / peak
        if bar.value and width < 2:
            width = 2
        body.append(frame.row_label(label_w, row_top, middle, bar.label))
        body.append(
            f'<rect x="{_fmt(label_w)}" y="{_fmt(middle - bar_h / 2)}" width="{_fmt(width)}" '
            f'height="{bar_h}" fill="{BAR}"><title>{escape(bar.label)}: {dutch.number(bar.value)}</title></rect>'
        )
        body.append(_text(label_w + width + GAP, middle, dutch.number(bar.value)))
    return body, top * 2 + row_h * max(len(bars), 1)


def _legend(series: list[str], width: float) -> tuple[list[str], float]:
    """The legend of a stacked chart, wrapped over as many lines as it needs; the SVG and its height."""
    swatch, spacing, line = 14, 24, 24
    body: list[str] = []
    x, y = float(MARGIN), MARGIN + line / 2
    for index, name in enumerate(series):
        fill, _ = PALETTE[index % len(PALETTE)]
        item_w = swatch + 6 + text_width(name)
        if x > MARGIN and x + item_w > width - MARGIN:
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
    svgs = [_svg(chart_id, title, frame, _stacked_bars(rows, series, totals, frame)) for frame in FRAMES]

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
    return _figure(chart_id, title, summary, svgs, table, open_table)


def _stacked_bars(rows: list[tuple[str, list[int]]], series: list[str], totals: list[int],
                  frame: Frame) -> tuple[list[str], float]:
    """The drawing of a stacked bar chart in one frame, and its height."""
    label_w = frame.plot_start([label for label, _ in rows])
    total_w = GAP + max((text_width(dutch.number(total), bold=True) for total in totals), default=0) + MARGIN
    plot_w = frame.width - label_w - total_w
    body, top = _legend(series, frame.width)
    top += 4
    row_h, bar_h = 30 + frame.label_line, 22
    peak = max(totals, default=0) or 1
    for row_index, (label, values) in enumerate(rows):
        row_top = top + row_index * row_h
        middle = row_top + frame.label_line + (row_h - frame.label_line) / 2
        body.append(frame.row_label(label_w, row_top, middle, label))
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
    return body, top + row_h * max(len(rows), 1) + 8


@dataclass(frozen=True)
class YearRow:
    """One row of a year chart: a number per year, and how many different interventions the row holds.

    The numbers per year need not add up to ``total``: an intervention that
    ran for five years counts in each of them, but once in the total.
    """

    label: str
    values: list[int]
    total: int
    # Of each year's number, how many perhaps did not run then (an uncertain start or end): drawn hatched.
    uncertain: list[int] = field(default_factory=list)

    def unsure(self, index: int) -> int:
        return self.uncertain[index] if index < len(self.uncertain) else 0


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
    svgs = [
        _svg(chart_id, title, frame, _year_columns(years, rows, totals, frame, f"{chart_id}-arcering-{frame.name}"))
        for frame in FRAMES
    ]

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
        f'<tr><th scope="row">{year}</th>' + "".join(f"<td>{_year_cell(row, i)}</td>" for row in rows) + "</tr>"
        for i, year in enumerate(years)
    )
    body_rows += (
        '<tr class="kb-chart__totaal"><th scope="row">Interventies in totaal (elk één keer geteld)</th>'
        + "".join(f"<td>{dutch.number(row.total)}</td>" for row in rows) + "</tr>"
    )
    table = _table(title, ["Jaar", *(row.label for row in rows)], body_rows)
    return _figure(chart_id, title, summary, svgs, table, open_table)


def _year_cell(row: YearRow, index: int) -> str:
    """``3`` or, with uncertain dates, ``3 (1 onzeker)``."""
    unsure = row.unsure(index)
    value = dutch.number(row.values[index])
    return f"{value} ({dutch.number(unsure)} onzeker)" if unsure else value


def _year_columns(years: list[int], rows: list[YearRow], totals: list[str], frame: Frame,
                  hatch: str = "kb-arcering") -> tuple[list[str], float]:
    """The drawing of a year chart in one frame, and its height.

    Wide, each row's total follows its columns; narrow, it ends the label line above them. Uncertain
    years are filled with the pattern ``hatch`` (an id unique on the page).
    """
    label_w = frame.plot_start([row.label for row in rows])
    totals_w = max((text_width(total) for total in totals), default=0)
    plot_w = frame.width - label_w - (MARGIN if frame.narrow else GAP + totals_w + MARGIN)
    row_h, column_h, top = 40 + frame.label_line, 28, 8
    span = max(len(years), 1)
    column_w = plot_w / span
    highest = max((max(row.values, default=0) for row in rows), default=0) or 1
    body: list[str] = []
    if any(row.uncertain and any(row.uncertain) for row in rows):
        body.append(
            f'<defs><pattern id="{hatch}" width="4" height="4" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="4" height="4" fill="{BACKGROUND}"/>'
            f'<line x1="0" y1="0" x2="0" y2="4" stroke="{BAR}" stroke-width="1.5"/></pattern></defs>'
        )
    for row_index, (row, total) in enumerate(zip(rows, totals)):
        row_top = top + row_index * row_h
        base = row_top + frame.label_line + column_h + 4
        middle = base - column_h / 2
        body.append(frame.row_label(label_w, row_top, middle, row.label, room_after=text_width(total) + GAP))
        body.append(f'<line x1="{_fmt(label_w)}" y1="{_fmt(base)}" x2="{_fmt(label_w + plot_w)}" y2="{_fmt(base)}" stroke="{GRID}"/>')
        for index, value in enumerate(row.values):
            if not value:
                continue
            height = max(column_h * value / highest, 2)
            unsure = row.unsure(index)
            sure_h = height * (value - unsure) / value
            x, w = _fmt(label_w + index * column_w + column_w * 0.1), _fmt(max(column_w * 0.8, 1))
            tip = f"<title>{escape(row.label)}, {years[index]}: {escape(_year_cell(row, index))}</title>"
            if sure_h:
                body.append(f'<rect x="{x}" y="{_fmt(base - sure_h)}" width="{w}" height="{_fmt(sure_h)}" fill="{BAR}">{tip}</rect>')
            if unsure:
                # Uncertain years: hatched and outlined, so they read as "perhaps" also without colour.
                body.append(
                    f'<rect class="kb-chart__onzeker" x="{x}" y="{_fmt(base - height)}" width="{w}" '
                    f'height="{_fmt(height - sure_h)}" fill="url(#{hatch})" stroke="{BAR}" stroke-width="0.75">{tip}</rect>'
                )
        if frame.narrow:
            body.append(_text(frame.width - MARGIN, row_top + LABEL_LINE / 2, total, "end"))
        else:
            body.append(_text(label_w + plot_w + GAP, middle, total))
    axis_y = top + row_h * len(rows) + 4
    year_w = text_width("0000")
    step = next((s for s in (1, 2, 5, 10, 20, 25, 50) if s * column_w >= year_w + GAP), 100)
    for index, year in enumerate(years):
        x = label_w + index * column_w + column_w / 2
        fits = MARGIN <= x - year_w / 2 and x + year_w / 2 <= frame.width - MARGIN
        if (year % step == 0 or (index == 0 and step == 1)) and fits:
            body.append(f'<line x1="{_fmt(x)}" y1="{_fmt(axis_y - 8)}" x2="{_fmt(x)}" y2="{_fmt(axis_y - 4)}" stroke="{GRID}"/>')
            body.append(_text(x, axis_y + 6, str(year), "middle", MUTED))
    return body, axis_y + 20
