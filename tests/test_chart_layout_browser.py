"""Chart labels and legends laid out apart, in a real browser (Debian's Chromium via Playwright).

Every page of the built bundled archive that holds a chart is loaded at 1280×800 and 360×740. In
each chart's SVG, every text and every legend item (swatch and name) is measured with getBBox()
(in the chart's own units) and getBoundingClientRect() (on the screen): no two may overlap or touch,
none may touch or cross the chart's frame (the SVG's edge), and no text may run into a bar or
swatch unless it sits wholly inside it (the number on a segment).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import TIMEOUT_MS

VIEWPORTS = [(1280, 800), (360, 740)]
MIN_GAP = 4  # chart units between two texts, a text and a shape, or a text and the frame

MEASURE = """(gap) => {
  const problems = [];
  const apart = (a, b) => a.x + a.width + gap <= b.x || b.x + b.width + gap <= a.x
    || a.y + a.height + gap / 2 <= b.y || b.y + b.height + gap / 2 <= a.y;
  const inside = (a, b) => a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height;
  const box = (el) => { const b = el.getBBox(); return { x: b.x, y: b.y, width: b.width, height: b.height }; };
  // The drawing the screen shows (wide, or narrow on a phone); the other one is not rendered.
  const drawn = Array.from(document.querySelectorAll('svg.kb-chart__svg')).filter((svg) => svg.getClientRects().length);
  if (drawn.length !== document.querySelectorAll('figure.kb-chart').length) {
    problems.push('not exactly one drawing of every chart is shown');
  }
  for (const svg of drawn) {
    const chart = svg.closest('figure').id;
    const view = svg.viewBox.baseVal;
    const legend = Array.from(svg.querySelectorAll('.kb-chart__legenda-item'));
    const items = [
      ...legend.map((el) => ({ name: 'legenda "' + el.textContent + '"', el })),
      ...Array.from(svg.querySelectorAll('text')).filter((el) => !el.closest('.kb-chart__legenda-item'))
        .map((el) => ({ name: '"' + el.textContent + '"', el })),
    ].map((item) => ({ ...item, box: box(item.el) }));
    // Shapes a text must keep clear of: bars, segments and (on an old chart) loose swatches; not the background.
    const shapes = Array.from(svg.querySelectorAll('rect')).filter((el) => !el.closest('.kb-chart__legenda-item'))
      .filter((el) => !(el.width.baseVal.value >= view.width && el.height.baseVal.value >= view.height))
      .map((el) => ({ name: el.querySelector('title') ? el.querySelector('title').textContent : 'vlak', box: box(el) }));
    const frame = svg.getBoundingClientRect();
    for (const item of items) {
      const b = item.box;
      if (b.x < view.x + gap / 2 || b.y < view.y + 1 || b.x + b.width > view.x + view.width - gap / 2
          || b.y + b.height > view.y + view.height - 1) {
        problems.push(chart + ': ' + item.name + ' touches or crosses the frame');
      }
      const r = item.el.getBoundingClientRect();
      if (r.left < frame.left || r.right > frame.right || r.top < frame.top || r.bottom > frame.bottom) {
        problems.push(chart + ': ' + item.name + ' is drawn outside the chart on the screen');
      }
    }
    for (let i = 0; i < items.length; i += 1) {
      for (let j = i + 1; j < items.length; j += 1) {
        if (!apart(items[i].box, items[j].box)) {
          problems.push(chart + ': ' + items[i].name + ' and ' + items[j].name + ' overlap or touch');
        }
      }
      if (items[i].el.tagName !== 'text') {
        continue;
      }
      for (const shape of shapes) {
        if (!apart(items[i].box, shape.box) && !inside(items[i].box, shape.box)) {
          problems.push(chart + ': ' + items[i].name + ' runs into ' + shape.name);
        }
      }
    }
    if (frame.right > document.documentElement.clientWidth + 0.5) {
      problems.push(chart + ': the chart is wider than the screen');
    }
  }
  return problems;
}"""


def chart_pages(site: Path) -> list[str]:
    pages = []
    for path in sorted(site.rglob("index.html")):
        if '<figure class="kb-chart"' in path.read_text(encoding="utf-8"):
            folder = path.parent.relative_to(site).as_posix()
            pages.append("" if folder == "." else folder + "/")
    return pages


SMALLEST_TEXT = """() => Math.min(...Array.from(document.querySelectorAll('svg.kb-chart__svg text'))
  .filter((text) => text.getClientRects().length).map((text) => text.getBoundingClientRect().height))"""


@pytest.mark.parametrize("width,height", VIEWPORTS, ids=[f"{w}x{h}" for w, h in VIEWPORTS])
def test_chart_texts_and_legends_keep_apart_and_inside_the_frame(browser, built_site: Path, site_url: str,
                                                                  width: int, height: int) -> None:
    pages = chart_pages(built_site)
    assert {"", "tijdlijn/", "stopredenen/", "verloren-successen/", "briefings/themas/werk/"} <= set(pages)
    context = browser.new_context(viewport={"width": width, "height": height}, locale="nl-NL")
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    problems: list[str] = []
    measured = 0
    try:
        for url in pages:
            tab.goto(site_url + url)
            measured += tab.locator("figure.kb-chart").count()
            # Its letters are drawn at least 10 pixels high, on a phone as well.
            smallest = tab.evaluate(SMALLEST_TEXT)
            assert smallest >= 10, (url, smallest)
            problems += [f"/{url} {problem}" for problem in tab.evaluate(MEASURE, MIN_GAP)]
    finally:
        context.close()
    assert measured > 30
    assert not problems, "\n".join(problems)
