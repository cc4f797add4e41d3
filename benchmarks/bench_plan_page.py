"""The site's "Toets uw plan" page in Chromium: bytes downloaded, and time from paste to precedents.

    python benchmarks/bench_plan_page.py SITE_DIR [--plan FILE] [--runs 7]

SITE_DIR is a built site (``kennisbank build``). The site is served on 127.0.0.1 (no compression, as
Python's http.server sends files). Prints:

- every response the page loads (Chromium's network events: body and header bytes) and their sum;
- the plan model's size, raw and gzip-compressed (what a static host that compresses would send);
- the median time from a paste event to the first precedent on the page, warm (model already loaded,
  the usual case: the page fetches it when it opens) and cold (the paste right after the page starts
  loading, so the model's download counts), and the ratio to the terminal's ``similar_to_texts`` for the
  same text in-process (the plain tool: Python and numpy; the whole plan and its parts when related.py has
  ``similar_to_texts``, else the whole plan only).
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from helpers import CHROMIUM, CHROMIUM_ARGS, served  # noqa: E402

PLAN = """Projectplan Samen sterk in de wijk

Veel jongeren in de wijk verlaten school zonder startkwalificatie. Wij bieden hun een opleiding bij het ROC,
een betaalde stage bij een bedrijf en een kamer via de woningcorporatie, met één vaste begeleider.

Daarnaast willen we huishoudens met een huurachterstand eerder bereiken. De woningcorporatie en de
energieleverancier geven signalen van betalingsachterstanden door, en een schuldhulpverlener gaat binnen
twee weken op huisbezoek om schulden te voorkomen.

Ouderen die alleen wonen voelen zich vaak eenzaam. Vrijwilligers bellen hen wekelijks en nodigen hen uit in
de huiskamer van de wijk, waar ook de wijkverpleegkundige spreekuur houdt.
"""

PASTE = """async (text) => {
  const box = document.getElementById('kb-plan');
  document.getElementById('kb-toets-resultaten').replaceChildren();
  const done = new Promise((resolve) => {
    const seen = () => document.querySelector('.kb-toets__voorbeeld');
    const observer = new MutationObserver(() => { if (seen()) { observer.disconnect(); resolve(); } });
    observer.observe(document.getElementById('kb-toets-resultaten'), { childList: true, subtree: true });
  });
  const start = performance.now();
  box.value = text;
  box.dispatchEvent(new ClipboardEvent('paste', { bubbles: true }));
  await done;
  return performance.now() - start;
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--plan", type=Path)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    plan = args.plan.read_text(encoding="utf-8") if args.plan else PLAN
    model = (args.site / "toets-uw-plan" / "model.json").read_bytes()
    print(f"plan model: {len(model) / 1000:.1f} kB raw, {len(gzip.compress(model)) / 1000:.1f} kB gzip")

    from playwright.sync_api import sync_playwright

    with served(args.site) as origin, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context()
        tab = context.new_page()
        loaded: list[tuple[str, int]] = []

        def finished(request) -> None:
            sizes = request.sizes()
            loaded.append((request.url, sizes["responseBodySize"] + sizes["responseHeadersSize"]))

        tab.on("requestfinished", finished)
        tab.goto(origin + "/toets-uw-plan/")
        tab.wait_for_load_state("networkidle")
        warm = [tab.evaluate(PASTE, plan)]
        shown = tab.locator(".kb-toets__voorbeeld").count()
        while sum("/kaarten/" in url for url, _ in loaded) < shown:  # their events may come after the cards show
            tab.wait_for_timeout(20)
        # The page's bytes: the page opened and one plan pasted (later pastes fetch cards again, from the cache).
        first = list(loaded)
        for _ in range(args.runs - 1):
            warm.append(tab.evaluate(PASTE, plan))
        total = sum(size for _, size in first)
        for url, size in sorted(first, key=lambda item: -item[1]):
            print(f"  {size / 1000:8.1f} kB  {url.removeprefix(origin)}")
        print(f"downloaded for the page and one paste: {total / 1000:.1f} kB in {len(first)} responses (budget 400 kB)")
        compressed = 0
        for url, _ in first:
            path = args.site / url.removeprefix(origin).lstrip("/").split("?")[0]
            path = path / "index.html" if path.is_dir() else path
            compressed += len(gzip.compress(path.read_bytes()))
        print(f"the same files gzip-compressed (as a static host that compresses sends them): {compressed / 1000:.1f} kB")
        cold = []
        for _ in range(args.runs):
            fresh = context.new_page()
            fresh.goto(origin + "/toets-uw-plan/", wait_until="commit")
            fresh.wait_for_selector("#kb-plan", state="attached")
            cold.append(fresh.evaluate(PASTE, plan))
            fresh.close()
        browser.close()

    from kennisbank import related
    from kennisbank.archive import Archive

    archive = Archive.open(args.site.parent)
    entries = archive.check().entries
    by_id = {entry.id: entry for entry in entries}
    items = [related.Item.of(entry) for entry in entries]
    parts = [p for p in plan.split("\n\n") if p.strip()]
    words = lambda item: related.entry_words(by_id[item.id])  # noqa: E731
    terminal = []
    for _ in range(args.runs):
        started = time.perf_counter()
        if hasattr(related, "similar_to_texts"):  # the whole plan and its parts in one pass (kennisbank precedent)
            related.similar_to_texts(archive.settings.cache_dir, items, words, plan, parts, 30)
        else:
            related.similar_to_text(archive.settings.cache_dir, items, words, plan, 30)
        terminal.append((time.perf_counter() - started) * 1000)
    median_warm, median_cold, median_terminal = (statistics.median(v) for v in (warm, cold, terminal))
    print(f"paste to precedents, warm: median {median_warm:.0f} ms (runs: {', '.join(f'{v:.0f}' for v in warm)})")
    print(f"paste to precedents, cold (model fetched after the paste): median {median_cold:.0f} ms (budget 1500 ms)")
    what = f"similar_to_texts, whole plan and {len(parts)} parts" if hasattr(related, "similar_to_texts") else \
        "similar_to_text, whole plan"
    print(f"terminal {what}, in process: median {median_terminal:.0f} ms; "
          f"browser warm / terminal = {median_warm / median_terminal:.2f}")


if __name__ == "__main__":
    main()
