"""Plain helpers shared by the test modules (no fixtures: those are in conftest.py).

The browser's constants and the HTTP server on loopback, the HTML link parser and the Material
archive writer of the site tests, and the header search's typing helpers.
"""

from __future__ import annotations

import os
import re
import threading
from contextlib import contextmanager
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit

import yaml

from kennisbank.security import HEADERS_FILE

# Debian's Chromium (never `playwright install`); KENNISBANK_TEST_CHROMIUM points elsewhere, e.g. nowhere
# to show that `pytest -m "not browser"` needs no browser.
CHROMIUM = Path(os.environ.get("KENNISBANK_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
FEIJENOORD = "jongeren-aan-de-slag-feijenoord"
FEIJENOORD_TITLE = "Jongeren aan de slag in Feijenoord"
TIMEOUT_MS = 15_000
MATERIAL = {"name": "material", "language": "nl", "font": False}


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


@contextmanager
def served(folder: Path, handler: type[SimpleHTTPRequestHandler] = QuietHandler) -> Iterator[str]:
    """``folder`` served on 127.0.0.1 by a thread: its origin ``http://127.0.0.1:<port>``."""
    with serving(partial(handler, directory=str(folder))) as origin:
        yield origin


@contextmanager
def serving(handler) -> Iterator[str]:
    """A request handler (class or factory) on 127.0.0.1 in a thread: its origin ``http://127.0.0.1:<port>``."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# --- Pages in the browser ----------------------------------------------------------------------------

def search_results(tab) -> list[str]:
    """The catalogue's result titles, once a search has shown them."""
    tab.wait_for_selector(".kb-resultaat__link")
    return tab.locator(".kb-resultaat__link").all_inner_texts()


def result_count(tab) -> int:
    """The number in the catalogue's result count ("12 interventies voor …")."""
    message = tab.locator(".kb-resultaten__aantal")
    message.wait_for()
    tab.wait_for_function(
        "() => /\\d/.test(document.querySelector('.kb-resultaten__aantal')?.textContent || '')"
    )
    return int(re.search(r"\d+", message.inner_text())[0])


WORD = "Hillesluis"
RESULT_LINK = ".kb-header-results__link"


# The debounce of both search boxes (zoekvak.js, catalogus.js): a search starts this long after the last key.
DEBOUNCE_MS = 150


def after_page_timers(tab, delay_ms: int = DEBOUNCE_MS) -> None:
    """Return once every timer the page has set so far with a delay up to ``delay_ms`` has fired.

    HTML runs timers of one window with equal or shorter delays, set earlier, before a later one: a timer
    of ``delay_ms`` set now fires after the page's pending debounce. A wait on that condition (the page
    has acted on what was typed), not a guess at how long it takes.
    """
    tab.evaluate("delay => new Promise(resolve => setTimeout(resolve, delay))", delay_ms)


def header_box(tab):
    return tab.get_by_role("searchbox", name="Zoek een interventie")


def type_query(tab, term: str = WORD) -> list[str]:
    """Type ``term`` in the header box as a reader does; the titles of the results shown under it."""
    box = header_box(tab)
    box.click()
    box.press_sequentially(term)
    tab.wait_for_selector(RESULT_LINK)
    return tab.locator(RESULT_LINK).all_inner_texts()


# --- Built sites as files ----------------------------------------------------------------------------

class Links(HTMLParser):
    """Every href/src of a page, the nav links apart, and the tags and attributes seen."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.nav_links: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._nav_depth = 0
        self._stack: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.tags.append((tag, values))
        is_nav = tag == "nav" and "md-nav" in (values.get("class") or "")
        if tag in VOID:
            is_nav = False
        else:
            self._stack.append(is_nav)
        if is_nav:
            self._nav_depth += 1
        for name in ("href", "src"):
            value = values.get(name)
            if value is not None:
                self.links.append((tag, value))
                if self._nav_depth and tag == "a":
                    self.nav_links.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or not self._stack:
            return
        if self._stack.pop():
            self._nav_depth -= 1


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}



def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser



def _target(site: Path, page_path: Path, link: str) -> Path | None:
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    base = site if path.startswith("/") else page_path.parent
    return (base / path.lstrip("/")).resolve()


def broken_links(site: Path, pages: list[Path]) -> list[str]:
    """Each link on ``pages`` to a file or folder of ``site`` that does not exist, as "page: <tag> link"."""
    broken = []
    for path in pages:
        for tag, link in parse(path).links:
            target = _target(site, path, link)
            if target is None:
                continue
            if not (target.is_file() or (target.is_dir() and (target / "index.html").is_file())):
                broken.append(f"{path.relative_to(site)}: <{tag}> {link}")
    return broken



def write_archive(root: Path, entries: dict[str, str], **options) -> Path:
    """A Material archive (as `kennisbank init` writes it) with the given entries."""
    plugin = {"kennisbank": options} if options else "kennisbank"
    config = {"site_name": "Testkennisbank", "docs_dir": "entries", "site_dir": "site", "theme": MATERIAL,
              "plugins": [plugin]}
    (root / "entries").mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    for name, text in entries.items():
        (root / "entries" / name).write_text(text, encoding="utf-8")
    return root


# The Content-Security-Policy in Chromium (test_csp_browser and the plan pages).
LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(`${event.effectiveDirective} blocked ${event.blockedURI || 'inline'}`
    + ` (${event.sourceFile || ''}:${event.lineNumber || ''}) ${event.sample || ''}`);
});
"""


def header_policy(site_dir: Path) -> dict[str, str]:
    """The headers ``_headers`` gives every path (``/*``)."""
    headers, block = {}, None
    for line in (site_dir / HEADERS_FILE).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith(" "):
            block = line.strip()
        elif line.strip() and block == "/*":
            name, _, value = line.strip().partition(": ")
            headers[name] = value
    return headers


def violations(page) -> list[str]:
    # A violation is reported by an event queued as a task: once the network is idle and a task queued
    # now has run, every violation of what the page has loaded has been reported.
    page.wait_for_load_state("networkidle")
    page.evaluate("() => new Promise(resolve => setTimeout(resolve, 0))")
    reported = page.evaluate("() => window.__cspViolations")
    console = [text for text in page.console_messages
               if re.search(r"Content Security Policy|Content-Security-Policy|page error", text)]
    return reported + console
