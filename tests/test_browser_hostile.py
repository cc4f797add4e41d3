"""Hostile input in a real browser, and builds that are killed: nothing hurts the site or its readers.

1. An archive whose entry bodies and every front-matter value shown on a
   page carry XSS, tracking and template-injection payloads is built for
   real (``kennisbank build``, Pagefind included) and loaded in Debian's
   Chromium (Playwright, on loopback). On the start page, the catalogue and
   its Pagefind results, the entry pages and the overviews and briefings
   that list them: no dialog fires, no request leaves the origin, the
   console stays clean, the DOM holds no event handler and no
   ``javascript:``/``data:`` URL, and ``{{ 7*7 }}`` stays literal.
2. ``kennisbank build`` killed (SIGKILL to its process group, Pagefind
   included) at several moments, and stopped with Ctrl-C (SIGINT), leaves
   ``site/`` either exactly the previous site or a complete new one, never
   a mixture; the next build is not disturbed and cleans up.

Needs Playwright for Python and Debian's ``chromium`` at /usr/bin/chromium
(never ``playwright install``); a missing piece fails with a clear message.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest

from kennisbank.pages import gemeente_url

from conftest import REPO, entry_text, interruptible
from helpers import after_page_timers, served, write_archive

TIMEOUT_MS = 15_000
KENNISBANK = [sys.executable, "-m", "kennisbank"]

# ---------------------------------------------------------------------------------------------------------------
# 1. The hostile archive
# ---------------------------------------------------------------------------------------------------------------

# Every payload of the brief, and a few classic sanitiser bypasses besides.
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">js-link</a>',
    "[x](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    '<iframe src="https://evil.example/"></iframe>',
    '<div style="background:url(https://evil.example/x.png)">styled</div>',
    '<img src="https://evil.example/pixel.png">',
    "<link rel=stylesheet href=https://evil.example/x.css>",
    '<meta http-equiv=refresh content="0;url=https://evil.example">',
    "<form action=https://evil.example><button>Verstuur</button></form>",
    "{{ 7*7 }}",
    # Beyond the brief: case, entities, whitespace and protocol-relative tricks, mXSS, other loaders.
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    '<a href="  javascript:alert(1)">spaced</a>',
    '<a href="jav&#x09;ascript:alert(1)">tabbed</a>',
    "[x](//evil.example/proto-relative)",
    "![x](https://evil.example/md-image.png)",
    "<base href=https://evil.example/>",
    '<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/x.swf">',
    '<video src="https://evil.example/v.mp4" autoplay></video><audio src="https://evil.example/a.mp3" autoplay>',
    "<input autofocus onfocus=alert(1)><details open ontoggle=alert(1)>d</details>",
    "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'none'\">",
    '<p onmouseover="alert(1)" style="position:fixed;inset:0">cover</p>',
    "${7*7} {% raw %}x{% endraw %}",
    # Last: nh3 drops these elements with their content, and an unclosed one swallows the rest of its section.
    "<style>@import url(https://evil.example/x.css); body{background:url(https://evil.example/b.png)}</style>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]
SWALLOWING = 1  # the <math>…<style> payload is never closed
TEMPLATE = "{{ 7*7 }}"
# Short payloads for front-matter values (samenvatting has a length limit).
SHORT = [PAYLOADS[0], PAYLOADS[1], PAYLOADS[2], PAYLOADS[3], PAYLOADS[9], TEMPLATE]
SHORT_LINE = " ".join(SHORT)
# The unique word the search looks for (and that marks the hostile entries).
WORD = "kwaadaardig"
HOSTILE_GEMEENTE = f"Kwaadstad <script>alert(1)</script> <img src=x onerror=alert(1)> {TEMPLATE}"
ENTITY_GEMEENTE = "Entiteitstad &lt;img src=x onerror=alert(2)&gt; &amp;lt;b&amp;gt; & Co"
THEME = "participatie"


def _paragraphs() -> str:
    """Every payload: each on its own paragraph, then all of them inline in one paragraph."""
    own = "\n\n".join(f"{WORD} {payload} tekst" for payload in PAYLOADS)
    return f"{own}\n\n{WORD} " + " ".join(PAYLOADS) + "\n"


def hostile_body(stopped: bool) -> str:
    sections = ["Context", "Aanpak", "Resultaten", *(["Waarom gestopt"] if stopped else []), "Lessen"]
    body = "".join(f"\n## {title}\n\n{_paragraphs()}" for title in sections)
    # Briefings quote the first paragraph of the lessons: there, every payload that closes (and <svg> last).
    lead = [payload for payload in PAYLOADS[:-3] if not payload.startswith("<svg")] + [PAYLOADS[2]]
    body = body.replace("\n## Lessen\n\n", f"\n## Lessen\n\n{WORD} {' '.join(lead)}\n\n")
    # Unknown sections (a warning only) whose headings are payloads.
    body += f"\n## <script>alert(1)</script>\n\n{WORD} onbekende sectie.\n"
    body += f"\n## <img src=x onerror=alert(1)> {TEMPLATE}\n\n{WORD} nog een.\n"
    # A Markdown reference image and a raw-HTML block.
    body += "\n![beeld][ref]\n\n[ref]: https://evil.example/ref.png\n"
    body += '\n<div onclick="alert(1)"><img src="https://evil.example/block.png"></div>\n'
    return body


def hostile_archive(root: Path) -> Path:
    first = entry_text(
        stopped=True,
        body=hostile_body(stopped=True),
        titel=f"</title><script>alert(1)</script> {WORD} eerste {TEMPLATE}",
        samenvatting=f"{WORD} {SHORT_LINE}",
        gemeente=HOSTILE_GEMEENTE,
        themas=[THEME],
        wijken=SHORT,
        organisaties=PAYLOADS[:14],
        financiering={"soort": "tijdelijk", "bronnen": PAYLOADS[:14], "vervolgplan": False},
        bewijs={"niveau": "experimenteel", "uitkomst": "positief", "effect_na_jaren": 10},
        beeindiging={"datum": "2016-12", "redenen": ["financiering-afgelopen"], "besloten_door": SHORT_LINE},
        kennisdragers=[
            {"rol": SHORT_LINE, "organisatie": SHORT_LINE, "naam": None, "toestemming": None},
            {"rol": PAYLOADS[7], "organisatie": PAYLOADS[12], "naam": SHORT_LINE, "toestemming": "2024-05-01"},
        ],
        bronnen=[
            {"titel": f"{SHORT_LINE} {PAYLOADS[10]}", "url": "https://example.org/evaluatie.pdf", "jaar": 2014},
            {"titel": PAYLOADS[11], "jaar": 2015},
        ],
        relaties={"opvolger": "vijandig-tweede"},
    )
    second = entry_text(
        body=hostile_body(stopped=False),
        titel=f"<img src=x onerror=alert(1)> {WORD} tweede {TEMPLATE} <svg onload=alert(1)>",
        samenvatting=f"{WORD} " + " ".join(PAYLOADS[4:9]),
        gemeente=HOSTILE_GEMEENTE,
        themas=[THEME],
        bewijs={"niveau": "monitoring", "uitkomst": "gemengd"},
        relaties={"voorganger": "vijandig-eerste", "lijkt_op": ["gewoon"]},
        bronnen=[{"titel": PAYLOADS[6], "url": "https://example.org/x", "jaar": 2016}],
    )
    # Already-escaped markup: Pagefind decodes entities in what it indexes, so this must stay text too.
    # It names the first as look-alike: its page shows that hostile title (whatever relatedness finds).
    third = entry_text(titel=f"{WORD} derde", gemeente=ENTITY_GEMEENTE, themas=[THEME],
                       relaties={"lijkt_op": ["vijandig-eerste"]},
                       body="".join(f"\n## {title}\n\n{WORD} &lt;img src=x onerror=alert(2)&gt; &amp;lt;b&amp;gt;\n"
                                    for title in ("Context", "Aanpak", "Resultaten", "Lessen")))
    plain = entry_text(titel="Gewone buurtkamer", gemeente="Utrecht", themas=[THEME])
    return write_archive(root, {"vijandig-eerste.md": first, "vijandig-tweede.md": second,
                                "vijandig-derde.md": third, "gewoon.md": plain})


def kennisbank(args: list[str], cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    """The real command line (``python -m kennisbank``), as an editor runs it."""
    return subprocess.run([*KENNISBANK, "-C", str(cwd), *args], capture_output=True, text=True, **kwargs)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = hostile_archive(tmp_path_factory.mktemp("hostile") / "archief")
    built = kennisbank(["build"], root, timeout=120)
    assert built.returncode == 0, built.stdout + built.stderr
    # The payloads really reached the build: the hostile headings are reported, nothing was skipped.
    assert "section-unknown" in built.stderr and "4 interventies gebouwd" in built.stdout + built.stderr
    site = root / "site"
    assert (site / "pagefind" / "pagefind-entry.json").is_file()
    return site


@pytest.fixture(scope="module")
def origin(hostile_site: Path) -> Iterator[str]:
    """The hostile site served on 127.0.0.1 by a thread: ``http://127.0.0.1:<port>``."""
    with served(hostile_site) as served_origin:
        yield served_origin


class Watch:
    """What one browser context did: dialogs, requests (all, and those outside the origin), console errors."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.outside: list[str] = []
        self.console: list[str] = []

    def on_request(self, request) -> None:
        self.requests.append(request.url)
        if not self.on_origin(request.url):
            self.outside.append(request.url)

    def on_route(self, route) -> None:
        if self.on_origin(route.request.url):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def on_dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def on_console(self, message) -> None:
        if message.type in ("error", "warning") or "Content Security Policy" in message.text:
            self.console.append(f"{message.type}: {message.text}")

    def on_origin(self, url: str) -> bool:
        return url == self.origin or url.startswith(self.origin + "/")


@pytest.fixture
def visit(browser, origin: str) -> Iterator[tuple[object, Watch]]:
    """A fresh context and page that record everything; route ``**/*`` aborts whatever is not on the origin."""
    watch = Watch(origin)
    context = browser.new_context(locale="nl-NL")
    context.on("request", watch.on_request)
    context.route("**/*", watch.on_route)
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    tab.on("dialog", watch.on_dialog)
    tab.on("console", watch.on_console)
    tab.on("pageerror", lambda error: watch.console.append(f"pageerror: {error}"))
    try:
        yield tab, watch
    finally:
        context.close()


# Everything on a page that would run script, load from elsewhere or carry a dangerous URL.
DOM_FINDINGS = """() => {
  const found = [];
  const here = location.origin;
  const show = (el, what) => found.push(`<${el.tagName.toLowerCase()}> ${what}`.slice(0, 300));
  const urlAttributes = ['href', 'src', 'action', 'formaction', 'data', 'poster', 'srcset', 'background',
                         'xlink:href', 'cite', 'ping', 'manifest', 'codebase', 'lowsrc', 'dynsrc'];
  const loaders = ['SCRIPT', 'LINK', 'IMG', 'IFRAME', 'FRAME', 'SOURCE', 'VIDEO', 'AUDIO', 'TRACK', 'OBJECT',
                   'EMBED', 'FORM', 'INPUT', 'BUTTON', 'IMAGE', 'USE'];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value;
      const squeezed = value.replace(/[\\u0000-\\u0020\\u007f]/g, '').toLowerCase();
      if (name.startsWith('on')) show(el, `event handler ${name}="${value}"`);
      if (urlAttributes.includes(name) && /^(javascript|data|vbscript):/.test(squeezed))
        show(el, `${name}="${value}"`);
      if (urlAttributes.includes(name) && loaders.includes(el.tagName.toUpperCase())) {
        let target;
        try { target = new URL(value, location.href); } catch (e) { target = null; }
        if (target && target.origin !== here) show(el, `loads from another origin: ${name}="${value}"`);
      }
      if (name === 'style' && /url\\s*\\(|expression\\s*\\(|@import/i.test(value)) show(el, `style="${value}"`);
      // Text may mention the payloads (escaped, in a title or a description); a URL or a style may not.
      if (value.includes('evil.example') && (urlAttributes.includes(name) || name === 'style')
          && !(el.tagName === 'A' && name === 'href' && /^https?:/.test(squeezed))) show(el, `${name}="${value}"`);
    }
    const tag = el.tagName.toUpperCase();
    if (['IFRAME', 'FRAME', 'OBJECT', 'EMBED', 'BASE', 'APPLET', 'VIDEO', 'AUDIO'].includes(tag)) show(el, 'element');
    // The one http-equiv allowed: the site's own Content-Security-Policy, the first such <meta> in <head>.
    const ownPolicy = el.parentElement === document.head && el === document.head.querySelector('meta[http-equiv]')
      && el.httpEquiv === 'Content-Security-Policy' && el.content.startsWith("default-src 'self';");
    if (tag === 'META' && el.httpEquiv && !ownPolicy) show(el, `http-equiv="${el.httpEquiv}"`);
    if (tag === 'SCRIPT' && /alert|evil/.test(el.textContent)) show(el, `script text ${el.textContent}`);
    if (tag === 'STYLE' && /evil|@import/.test(el.textContent)) show(el, `style text ${el.textContent}`);
    if (tag === 'FORM' && new URL(el.action, location.href).origin !== here) show(el, `action ${el.action}`);
  }
  if (document.baseURI !== location.href.split('#')[0]) found.push(`document base changed: ${document.baseURI}`);
  return found;
}"""

FIRST = "vijandig-eerste"
SECOND = "vijandig-tweede"
FIRST_TITLE = f"</title><script>alert(1)</script> {WORD} eerste {TEMPLATE}"
SECOND_TITLE = f"<img src=x onerror=alert(1)> {WORD} tweede {TEMPLATE} <svg onload=alert(1)>"
PLACE = gemeente_url(HOSTILE_GEMEENTE)
# Each page, and the hostile titles it must show as literal text.
PAGES = {
    "": [],
    "interventies/": [FIRST_TITLE, SECOND_TITLE],
    f"interventies/{FIRST}/": [FIRST_TITLE, SECOND_TITLE, HOSTILE_GEMEENTE, SHORT_LINE],
    f"interventies/{SECOND}/": [SECOND_TITLE, FIRST_TITLE, HOSTILE_GEMEENTE],
    f"themas/{THEME}/": [FIRST_TITLE, SECOND_TITLE],
    PLACE: [FIRST_TITLE, SECOND_TITLE],
    f"briefings/themas/{THEME}/": [FIRST_TITLE, SECOND_TITLE],
    f"briefings/{PLACE}": [FIRST_TITLE, SECOND_TITLE],
    "verloren-successen/": [FIRST_TITLE],
    "te-vroeg-gestopt/": [FIRST_TITLE],
    "carrousel/": [FIRST_TITLE, SECOND_TITLE],
    "gemeenten/": [HOSTILE_GEMEENTE],
    "interventies/vijandig-derde/": [ENTITY_GEMEENTE],
}


def settle(tab) -> None:
    """Let the page do whatever it would do: load, run its scripts, follow a refresh, be hovered and focused."""
    tab.wait_for_load_state("networkidle")
    size = tab.viewport_size or {"width": 1280, "height": 720}
    for x, y in ((10, 10), (size["width"] // 2, size["height"] // 2), (size["width"] - 10, size["height"] - 10)):
        tab.mouse.move(x, y)
    for _ in range(5):
        tab.keyboard.press("Tab")
    after_page_timers(tab, 200)


def assert_inert(tab, watch: Watch, url: str, titles: list[str]) -> None:
    findings = tab.evaluate(DOM_FINDINGS)
    text = tab.inner_text("body")
    assert watch.dialogs == [], f"{url}: a dialog fired"
    assert watch.outside == [], f"{url}: requests left the origin"
    assert watch.console == [], f"{url}: console errors"
    assert findings == [], f"{url}: dangerous DOM\n" + "\n".join(findings)
    assert tab.url.startswith(watch.origin + "/"), f"{url}: the page navigated away to {tab.url}"
    assert len(watch.requests) > 3 and all(watch.on_origin(u) for u in watch.requests)
    for title in titles:
        assert title in text, f"{url}: {title!r} is not shown as literal text"
    if titles:
        assert TEMPLATE in text and not re.search(r"(eerste|tweede|Kwaadstad)[^\n]{0,80}\b49\b", text), url


@pytest.mark.parametrize("url", list(PAGES))
def test_hostile_pages_stay_inert_in_chromium(visit, origin: str, url: str) -> None:
    tab, watch = visit
    tab.goto(f"{origin}/{url}")
    settle(tab)
    assert_inert(tab, watch, url, PAGES[url])
    if url == "interventies/vijandig-derde/":
        # Entities in the body are shown as the characters they stand for, and stay text.
        assert "kwaadaardig <img src=x onerror=alert(2)> &lt;b&gt;" in tab.locator("article.kb-entry").inner_text()
    elif url.startswith("interventies/vijandig"):
        body = tab.locator("article.kb-entry")
        text = body.inner_text()
        # The body's payloads were rendered (not the whole entry dropped): plain words survive, markup does not.
        sections = 4 if SECOND in url else 5
        assert text.count(WORD) >= sections * (len(PAYLOADS) - SWALLOWING) and "js-link" in text
        assert tab.locator("article.kb-entry h2", has_text="<script>alert(1)</script>").count() == 1
        assert tab.title().startswith(FIRST_TITLE if FIRST in url else SECOND_TITLE)


def test_hostile_search_results_stay_inert_in_chromium(visit, origin: str) -> None:
    tab, watch = visit
    tab.goto(f"{origin}/interventies/")
    tab.locator("#kb-zoekterm").fill(WORD)
    tab.wait_for_selector(".kb-resultaat__excerpt")
    tab.wait_for_function("() => document.querySelectorAll('.kb-resultaat__link').length >= 2")
    settle(tab)
    links = tab.locator(".kb-resultaat__link").all_inner_texts()
    assert FIRST_TITLE in links and SECOND_TITLE in links, links
    excerpts = " ".join(tab.locator(".kb-resultaat__excerpt").all_inner_texts())
    assert WORD in excerpts.lower()
    assert any(url.endswith(".pf_fragment") for url in watch.requests), "Pagefind fragments were not loaded"
    # The filter panel lists the hostile municipalities as text.
    tab.locator(".kb-filtergroep__naam", has_text=re.compile("^gemeente$", re.I)).click()
    labels = " ".join(tab.locator(".kb-filter__label").all_inner_texts())
    assert watch.dialogs == [], "a dialog fired from the search results or the filter panel"
    assert "Kwaadstad \u2039script\u203aalert(1)\u2039/script\u203a" in labels, labels
    assert "Entiteitstad" in labels and "onerror=alert(2)" in labels, labels
    settle(tab)
    assert_inert(tab, watch, "interventies/ (search)", [])


# Pagefind's own excerpts, straight from its API: escaped text, with <mark> the only markup.
RAW_EXCERPTS = """async (word) => {
  const bundle = new URL(document.querySelector('form.kb-header-search').dataset.bundle, document.baseURI);
  const pagefind = await import(new URL('pagefind.js', bundle).href);
  const found = await pagefind.search(word);
  const pages = await Promise.all(found.results.map((hit) => hit.data()));
  return pages.map((page) => page.excerpt);
}"""


@pytest.mark.parametrize("url", ["", "interventies/gewoon/"])
def test_hostile_header_search_stays_inert_in_chromium(visit, origin: str, url: str) -> None:
    """The header's live results show the hostile titles, municipalities and excerpts as text."""
    tab, watch = visit
    tab.goto(f"{origin}/{url}")
    tab.wait_for_load_state("networkidle")
    box = tab.get_by_role("searchbox", name="Zoek een interventie")
    box.click()
    box.press_sequentially(WORD)
    tab.wait_for_function("() => document.querySelectorAll('.kb-header-results__link').length >= 3")
    tab.wait_for_load_state("networkidle")
    # Walk the results with the keyboard and hover them (what settle() does, without leaving the panel).
    for _ in range(4):
        tab.keyboard.press("ArrowDown")
    tab.locator(".kb-header-results__item").first.hover()
    after_page_timers(tab, 200)
    panel = tab.locator("#kb-header-results")
    assert panel.is_visible()
    links = tab.locator(".kb-header-results__link").all_inner_texts()
    assert FIRST_TITLE in links and SECOND_TITLE in links, links
    facts = panel.locator(".kb-header-results__meta").all_inner_texts()
    assert any(fact.startswith(HOSTILE_GEMEENTE + " \u00b7 ") for fact in facts), facts
    assert any(fact.startswith(ENTITY_GEMEENTE + " \u00b7 ") for fact in facts), facts
    assert WORD in " ".join(panel.locator(".kb-header-results__excerpt").all_inner_texts()).lower()
    # The only elements inside the panel are ours; no markup from an entry reached it.
    tags = set(panel.evaluate("(el) => [...el.querySelectorAll('*')].map((node) => node.tagName.toLowerCase())"))
    assert tags <= {"p", "ol", "li", "a", "mark"}, tags
    assert [url for url in watch.requests if "/pagefind/filter/" in url] == []
    assert_inert(tab, watch, f"{url} (header search)", [FIRST_TITLE, SECOND_TITLE, HOSTILE_GEMEENTE])
    excerpts = tab.evaluate(RAW_EXCERPTS, WORD)
    assert len(excerpts) >= 3 and all("<" not in re.sub("</?mark>", "", excerpt) for excerpt in excerpts), excerpts

# ---------------------------------------------------------------------------------------------------------------
# 2. A build killed at any moment leaves the previous site intact
# ---------------------------------------------------------------------------------------------------------------

BIG = 1500
SMALL = {f"klein-{n}.md": entry_text(titel=f"Kleine buurtkamer {n}", gemeente="Utrecht") for n in range(3)}
LEFTOVER = re.compile(r"^\.site\.")


def snapshot(site: Path) -> dict[str, str]:
    """A hash of every file in ``site`` by its path (empty when the folder is gone)."""
    if not site.is_dir():
        return {}
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*")) if path.is_file() and not path.is_symlink()
    }


def leftovers(root: Path) -> list[str]:
    return sorted(path.name for path in root.iterdir() if LEFTOVER.match(path.name))


def missing_from_new_site(site: Path, ids: list[str]) -> list[str]:
    """What a complete site of ``ids`` lacks (empty when it is complete), and any page of the old site in it."""
    wanted = ["index.html", "interventies/index.html", "pagefind/pagefind-entry.json",
              *(f"interventies/{entry_id}/index.html" for entry_id in ids)]
    missing = [name for name in wanted if not (site / name).is_file()]
    if not missing:
        entry = (site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8")
        if f'"page_count":{len(ids)}' not in entry.replace(" ", ""):
            missing.append(f"pagefind-entry.json does not count {len(ids)} pages: {entry[:200]}")
    missing += [f"old page {name}" for name in SMALL if (site / "interventies" / Path(name).stem).exists()]
    return missing


def _count(folder: Path) -> int:
    try:
        return sum(1 for _ in folder.iterdir())
    except OSError:
        return 0


class Build:
    """``kennisbank build`` as its own process group (a terminal's Ctrl-C and a CI timeout hit the whole group)."""

    def __init__(self, root: Path, log: Path) -> None:
        self.root = root
        self.log = log
        self.before = set(leftovers(root))
        self.started = time.monotonic()
        with log.open("wb") as out:
            self.process = subprocess.Popen([*KENNISBANK, "-C", str(root), "build"], stdout=out,
                                            stderr=subprocess.STDOUT, start_new_session=True,
                                            preexec_fn=interruptible)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def pages_written(self) -> int:
        """Entry pages written by this build so far: in a new folder beside site/, or in site/ itself."""
        folders = ["site", *(name for name in leftovers(self.root) if name not in self.before)]
        return max(_count(self.root / name / "interventies") for name in folders)

    def wait_until(self, moment: "Moment", timeout: float = 60) -> bool:
        """Wait for ``moment``; False when the build finished first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            if moment.reached(self):
                return True
            time.sleep(0.01)
        pytest.fail(f"the build never reached {moment.name!r} within {timeout} s:\n{self.output()}")

    def signal(self, number: int) -> None:
        try:
            os.killpg(self.process.pid, number)
        except ProcessLookupError:
            pass

    def wait(self, timeout: float = 120) -> int:
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGKILL)
            self.process.wait()
            pytest.fail(f"the build did not stop within {timeout} s:\n{self.output()}")


@pytest.fixture(scope="module")
def big_entries(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("groot") / "archief"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), "--count", str(BIG), "--out", str(out)],
                   check=True, capture_output=True)
    return out / "entries"


@pytest.fixture
def switched(tmp_path: Path, big_entries: Path) -> tuple[Path, dict[str, str], list[str]]:
    """An archive whose small site is built (its hashes kept), then given 1500 other entries."""
    root = write_archive(tmp_path / "archief", SMALL)
    built = kennisbank(["build"], root, timeout=120)
    assert built.returncode == 0, built.stdout + built.stderr
    old = snapshot(root / "site")
    assert "interventies/klein-0/index.html" in old and "pagefind/pagefind-entry.json" in old
    shutil.rmtree(root / "entries")
    shutil.copytree(big_entries, root / "entries")
    return root, old, sorted(path.stem for path in (root / "entries").glob("*.md"))


class Moment:
    """A moment in a build, told by what can be seen from outside (time, files, processes, the log)."""

    def __init__(self, name: str, reached) -> None:
        self.name = name
        self.reached = reached

    def __repr__(self) -> str:
        return self.name


STARTING = Moment("0.3 s: Python starting", lambda build: build.elapsed() >= 0.3)
CHECKING = Moment("1 s: reading and checking the entries", lambda build: build.elapsed() >= 1.0)
HALF_WRITTEN = Moment("half the entry pages written", lambda build: build.pages_written() >= BIG // 2)
# MkDocs says so after the last plugin step (Pagefind), right before the swap.
SWAP = Moment("at the swap", lambda build: "Documentation built" in build.output())
KILL_POINTS = [STARTING, CHECKING, HALF_WRITTEN, SWAP]


def test_build_killed_at_any_moment_leaves_old_or_complete_new_site(switched, tmp_path: Path) -> None:
    root, old, ids = switched
    site = root / "site"
    seen: list[str] = []
    for number, moment in enumerate([*KILL_POINTS, None]):
        build = Build(root, tmp_path / f"build-{number}.log")
        if moment is not None and build.wait_until(moment):
            build.signal(signal.SIGKILL)
            build.wait()
            state = snapshot(site)
            if state == old:
                seen.append(f"{moment}: old site")
            else:
                missing = missing_from_new_site(site, ids)
                assert state and not missing, (
                    f"killed at {moment!r}: site/ is neither the old site nor a complete new one "
                    f"({len(state)} files; missing {missing[:5]}); leftovers {leftovers(root)}"
                )
                seen.append(f"{moment}: new site")
            seen[-1] += f" after {build.elapsed():.1f} s, leftovers {leftovers(root)}"
            continue
        # This build was not killed (or finished before its kill point): a normal build, which must succeed
        # despite what the killed ones left, and clean it up.
        assert build.wait() == 0, build.output()
        assert missing_from_new_site(site, ids) == []
        assert leftovers(root) == [], "temporary folders of killed builds were left behind"
        seen.append(f"{moment}: finished normally in {build.elapsed():.1f} s")
        break
    print("\n".join(seen))
    assert sum("finished normally" in line for line in seen) == 1
    assert sum("old site" in line for line in seen) >= 3, seen


def test_ctrl_c_during_build_exits_cleanly_and_keeps_old_site(switched, tmp_path: Path) -> None:
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) while pages are being written.

    Pagefind is at work then too: it indexes the entry pages alongside the build.
    """
    root, old, _ids = switched
    build = Build(root, tmp_path / "build.log")
    assert build.wait_until(HALF_WRITTEN), "the build finished before Ctrl-C"
    pressed = time.monotonic()
    build.signal(signal.SIGINT)
    code = build.wait(timeout=15)
    output = build.output()
    print(f"Ctrl-C at {HALF_WRITTEN!r}: exit {code} after {time.monotonic() - pressed:.2f} s; ends {output[-100:]!r}")
    assert code == 1, output
    assert "Traceback" not in output and output.rstrip().endswith("Afgebroken."), output
    assert snapshot(root / "site") == old, "Ctrl-C changed site/"
    assert leftovers(root) == [], "Ctrl-C left a temporary folder"
