"""Shared fixtures: an archive in a temporary folder, a CLI runner, valid entry texts, the bundled archive
built once per run, and Chromium (via Playwright) for the tests marked ``browser``.

Every test that uses the ``browser`` fixture (directly or through ``page``) gets the ``browser`` marker
here, so ``pytest -m "not browser"`` runs the rest on a machine without Chromium. Plain helpers (the
loopback server, the link parser, ...) are in ``helpers.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
import yaml
from click.testing import CliRunner, Result

# Messages are asserted in Dutch, the default: a developer's English locale must not change them
# (in this process or in the ones the tests start). Tests of the English pass the language themselves.
os.environ["KENNISBANK_TAAL"] = "nl"

from kennisbank import i18n  # noqa: E402
from kennisbank.cli import cli  # noqa: E402
from kennisbank.engine import select_engine  # noqa: E402

# KENNISBANK_ENGINE=properdocs builds every site of the run with ProperDocs (CI's second run, see
# .ci/run): chosen before any test module imports MkDocs, which ProperDocs then stands in for.
ENGINE = select_engine()

REPO = Path(__file__).resolve().parent.parent
SECTIONS = ("Context", "Aanpak", "Resultaten", "Lessen")


def entry_text(stopped: bool = False, body: str | None = None, **changes: Any) -> str:
    """A valid entry, reviewed a month ago; ``changes`` replace front-matter keys (None drops one)."""
    meta: dict[str, Any] = {
        "titel": "Buurtkamer Zuidwijk",
        "samenvatting": "Een huiskamer in de wijk waar bewoners elkaar ontmoetten.",
        "gemeente": "Voorbeeldstad",
        "periode": {"start": "2012-03", "eind": "2016-12"} if stopped else {"start": "2012-03"},
        "status": "gestopt" if stopped else "lopend",
        "themas": ["participatie"],
        "bewijs": {"niveau": "monitoring", "uitkomst": "gemengd"},
        "laatst_beoordeeld": (dt.date.today() - dt.timedelta(days=30)).isoformat(),
    }
    if stopped:
        meta["beeindiging"] = {"datum": "2016-12", "redenen": ["financiering-afgelopen"]}
    meta.update(changes)
    meta = {key: value for key, value in meta.items() if value is not None}
    if body is None:
        titles = [*SECTIONS[:3], "Waarom gestopt", SECTIONS[3]] if stopped else SECTIONS
        body = "".join(f"\n## {title}\n\nTekst over {title.lower()}.\n" for title in titles)
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    return f"---\n{front}---\n{body}"


@pytest.fixture(autouse=True)
def dutch() -> Any:
    """Every test starts in Dutch, also after one that switched the language."""
    i18n.set_language("nl")
    yield
    i18n.set_language("nl")


@pytest.fixture
def archive(tmp_path: Path) -> Callable[..., Path]:
    """Factory: an archive folder with mkdocs.yml (``plugins: [kennisbank]``) and the given entries.

    ``entries`` maps a file name (``"x.md"``) to its text or bytes;
    ``options`` become the plugin's options in mkdocs.yml.
    """
    made = 0

    def make(entries: dict[str, str | bytes] | None = None, options: dict[str, Any] | None = None) -> Path:
        nonlocal made
        made += 1
        root = tmp_path / f"archive{made}"
        (root / "entries").mkdir(parents=True)
        plugin: Any = {"kennisbank": options} if options else "kennisbank"
        config = {"site_name": "Testkennisbank", "docs_dir": "entries", "plugins": [plugin]}
        (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
        for name, content in (entries or {}).items():
            path = root / "entries" / name
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return root

    return make


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def run(runner: CliRunner) -> Callable[..., Result]:
    """``run(args, cwd)``: the kennisbank CLI in archive ``cwd`` (via ``-C``), stdout and stderr apart."""

    def invoke(args: list[str], cwd: Path, **kwargs: Any) -> Result:
        return runner.invoke(cli, ["-C", str(cwd), *args], **kwargs)

    return invoke


def interruptible() -> None:
    """For ``preexec_fn``: Ctrl-C as in a terminal, also when the test run ignores SIGINT (a background job, some CI)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


# --- Chromium, and the bundled archive built once ------------------------------------------------------

def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs Chromium: the ones that use the ``browser`` fixture, however indirectly."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, driven by Playwright: one for the whole run, a new context per test."""
    from helpers import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.fail(f"Debian's Chromium is missing at {CHROMIUM}: install it with `apt-get install chromium`", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright for Python is missing: install the test extra (`pip install -e '.[test]'`)", pytrace=False)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled archive (a copy of entries/ and mkdocs.yml), built with Pagefind once for the whole run.

    Read-only: a test that changes a site builds or copies its own. Its archive is ``built_site.parent``.
    """
    from kennisbank.archive import Archive
    from kennisbank.build import build_site

    root = tmp_path_factory.mktemp("bundled")
    shutil.copytree(REPO / "entries", root / "entries")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return build_site(Archive.open(root)).site_dir


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The bundled archive's built site, served on 127.0.0.1 by a thread."""
    from helpers import served

    with served(built_site) as origin:
        yield f"{origin}/"


@pytest.fixture
def requests() -> list[str]:
    return []


@pytest.fixture
def page(browser, site_url: str, requests: list[str]) -> Iterator[object]:
    """A fresh page that records the URL of every request it makes, and fails on any outside the origin."""
    from helpers import TIMEOUT_MS

    context = browser.new_context(locale="nl-NL")
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    tab.on("request", lambda request: requests.append(request.url))
    yield tab
    context.close()
    outside = [url for url in requests if not (url.startswith(site_url) or url.startswith(("data:", "blob:")))]
    assert outside == [], "requests outside the site's own origin"


@pytest.fixture(scope="session")
def data(built_site: Path) -> list[dict]:
    """The bundled site's open data, as a reader downloads it."""
    return json.loads((built_site / "data" / "interventies.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def labels() -> dict[str, dict[str, str]]:
    """Code to label per vocabulary of the bundled archive: the open data holds codes, the charts labels."""
    from kennisbank.archive import Archive

    vocabularies = Archive.open(REPO).vocabularies
    return {name: {term.code: term.label for term in vocabulary} for name, vocabulary in vocabularies.items()}


# The bundled site served with the headers of its `_headers` file, and a tab that records CSP violations.
@pytest.fixture(scope="session")
def csp_site(built_site: Path) -> Path:  # noqa: F811 - the demo archive, built with Pagefind
    return built_site


@pytest.fixture(scope="session")
def csp_url(csp_site: Path) -> Iterator[str]:
    """The site served with the headers of its ``_headers`` file."""
    from helpers import QuietHandler, header_policy, served

    headers = header_policy(csp_site)

    class WithHeaders(QuietHandler):
        def end_headers(self) -> None:
            for name, value in headers.items():
                self.send_header(name, value)
            super().end_headers()

    with served(csp_site, WithHeaders) as origin:
        yield f"{origin}/"


@pytest.fixture
def tab(browser, csp_url: str) -> Iterator[object]:
    from helpers import LISTEN, TIMEOUT_MS

    context = browser.new_context(locale="nl-NL")
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.console_messages = []
    page.on("console", lambda message: page.console_messages.append(message.text))
    page.on("pageerror", lambda error: page.console_messages.append(f"page error: {error}"))
    yield page
    context.close()
