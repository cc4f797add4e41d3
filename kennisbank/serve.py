"""`kennisbank serve` for large archives (issue 14): the last site at once, changed pages in a second or two.

MkDocs' own ``serve`` builds the whole site before it answers and again after every save: at
10,000 entries that is most of a minute each time. Here:

- the site of the last ``kennisbank build`` (``site/``) is served at once, while the preview
  is built in the background (without a previous build, requests wait for the first one);
- the preview build is a normal MkDocs build with the kennisbank plugin (preview mode), run
  in this process; what MkDocs needs to render one page again (config, files, navigation,
  Jinja environment) is kept;
- the entries folder is polled; when entry files changed, only they are checked again
  (``incremental.CheckCache``), every page that can show something of them is rendered
  again with the plugin's own renderers (``incremental.affected_pages``) and the pages that
  differ from what was built are written through MkDocs' own page build; the open page then
  reloads. Pagefind's index follows in a background thread;
- when the set of pages changes (an entry added or removed, a new municipality), or mkdocs.yml
  or other files in docs_dir change, the whole preview is built again (said on the terminal)
  into a second folder while the current one stays served.

The live reload is MkDocs' (``LiveReloadServer``): its script is injected into every HTML page;
the Content-Security-Policy <meta> of a built site is dropped when serving it, as a preview
build has none.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from mkdocs.livereload import LiveReloadServer, _timestamp
from mkdocs.plugins import BasePlugin, event_priority

from .archive import Archive
from .checker import ERROR
from .config import CONFIG_FILE, PLUGIN_NAME
from .i18n import _, ngettext
from .incremental import CheckCache, affected_pages, entry_src_uris, file_stat, page_digest
from .pages import SiteContext

log = logging.getLogger("mkdocs.plugins.kennisbank.serve")
# Where inotify is not available the entries are polled this often; a save settles for this long.
POLL_SECONDS = 0.5
SETTLE_SECONDS = 0.1
# Pagefind's index of the preview is made again once the entries have been left alone this long,
# at this niceness: at 10,000 entries it takes a core for tens of seconds.
SEARCH_QUIET_SECONDS = 3.0
SEARCH_NICENESS = 10
CSP_META = re.compile(rb'<meta http-equiv="Content-Security-Policy"[^>]*>')


class _Capture(BasePlugin):
    """Keeps what a build made that rendering one page again needs (runs after the kennisbank plugin)."""

    def __init__(self, plugin: Any) -> None:
        self.plugin = plugin
        self.files: Any = None
        self.nav: Any = None
        self.env: Any = None
        self.digests: dict[str, str] = {}
        self.search: dict[str, str] = {}
        self.order: list[str] = []

    @event_priority(-100)
    def on_files(self, files: Any, config: Any) -> Any:
        from .plugin import _search_document

        self.files = files
        self.order = [uri for uri in files.src_uris if uri in self.plugin.pages]
        self.digests = {uri: page_digest(page) for uri, page in self.plugin.pages.items()}
        self.search = {"/" + page.url: _search_document(page) for page in self.plugin.pages.values() if page.searchable}
        return files

    @event_priority(-100)
    def on_nav(self, nav: Any, config: Any, files: Any) -> Any:
        self.nav = nav
        return nav

    @event_priority(-100)
    def on_env(self, env: Any, config: Any, files: Any) -> Any:
        self.env = env
        return env


@dataclass
class _Built:
    config: Any
    capture: _Capture
    context: SiteContext
    data: dict[str, str]
    entry_uris: set[str]


@dataclass
class Update:
    """What one refresh did: ``full`` (the whole preview built again, with the reason) or ``pages`` rendered again."""

    full: str | None = None
    pages: int = 0
    seconds: float = 0.0


class PreviewSite:
    """The preview in ``site_dir``: ``build`` makes it whole, ``refresh`` brings it up to date with the entries."""

    def __init__(self, archive: Archive, site_dir: Path, serve_url: str | None = None) -> None:
        self.archive = archive
        self.site_dir = site_dir
        self.serve_url = serve_url
        self.cache = CheckCache(archive)
        self.built: _Built | None = None
        # Called once changed pages are written, before the open data (the server reloads the open page).
        self.on_pages: Callable[[], None] | None = None
        self._config_stat = file_stat(archive.root / CONFIG_FILE)

    def build(self, site_dir: Path | None = None) -> None:
        """A whole preview build (MkDocs, the plugin, Pagefind) into ``site_dir``."""
        from mkdocs.commands.build import build

        from .engine import load_site_config as _load_config

        self.site_dir = site_dir or self.site_dir
        self._config_stat = file_stat(self.archive.root / CONFIG_FILE)
        self.cache.check(dt.date.today())
        config = _load_config(self.archive, self.site_dir, strict=False, pagefind=True)
        config.plugins.on_startup(command="serve", dirty=False)
        if self.serve_url:
            config.site_url = self.serve_url
        plugin = config.plugins[PLUGIN_NAME]
        capture = _Capture(plugin)
        config.plugins["kennisbank-serve"] = capture
        build(config, serve_url=self.serve_url)
        # MkDocs keeps every page's HTML after a build; a re-rendered page gets its own again (_populate_page).
        for file in capture.files.documentation_pages():
            if file.page is not None:
                file.page.content = None
        from .pagefind import BOX_WORDS, box_words

        context, data = plugin.built
        data = {**data, BOX_WORDS: box_words(len(capture.search))}
        entry_uris = entry_src_uris(self.archive.entries_dir)
        self.built = _Built(config, capture, context, data, entry_uris)

    def refresh(self, spare: Path | None = None) -> Update | None:
        """Bring the preview up to date; None when nothing changed.

        A whole build, when one is needed, goes into ``spare`` (then the new ``site_dir``) when given.
        """
        started = time.perf_counter()
        if self.built is None or file_stat(self.archive.root / CONFIG_FILE) != self._config_stat:
            return self._rebuild(_("mkdocs.yml changed"), started, spare)
        result, changed = self.cache.check(dt.date.today())
        if not changed:
            return None
        # The checker's messages about the saved files, as a build shows them.
        for problem in result.problems:
            if Path(problem.path).stem in changed:
                (log.warning if problem.severity == ERROR else log.info)(str(problem))
        built = self.built
        if entry_src_uris(self.archive.entries_dir) != built.entry_uris:
            return self._rebuild(_("entries were added or removed"), started, spare)
        if dt.date.today() != built.context.today:
            return self._rebuild(_("a new day (dates on the pages)"), started, spare)
        from .pagefind import BOX_WORDS
        from .plugin import _related_in_background, site_data_files

        # As in a build: related entries found in another process while the other pages are made.
        related = _related_in_background(self.archive, result.entries)
        context = SiteContext(self.archive.settings, result.entries, {}, built.context.today)
        rendered = affected_pages(context, built.context, changed, result.errors, related)
        uris = set(rendered.pages)
        if set(rendered.order) != set(built.capture.order) or not uris <= set(rendered.order):
            return self._rebuild(_("the site gets other pages"), started, spare)
        pages = self._write_pages(rendered.pages, rendered.order)
        seconds = time.perf_counter() - started
        built.context = context
        if self.on_pages is not None:
            self.on_pages()
        # The data files (every entry as JSON and CSV: seconds at 10,000 entries) after the pages are shown.
        data = site_data_files(SiteContext(self.archive.settings, result.entries, {}, context.today),
                               built.config.site_url, lambda: context.related)
        if set(data) | {BOX_WORDS} != set(built.data):
            return self._rebuild(_("the site gets other data files"), started, spare)
        self._write_data(data)
        return Update(pages=pages, seconds=seconds)

    def _write_pages(self, pages: dict, order: list[str]) -> int:
        """Write the pages whose content changed, through MkDocs' own page build; how many."""
        from mkdocs.commands.build import _build_page, _build_theme_template, _populate_page

        from .plugin import _search_document

        built = self.built
        assert built is not None
        capture, config = built.capture, built.config
        files, plugin = capture.files, capture.plugin
        reordered = order != capture.order
        if reordered:  # an entry became valid or invalid: its page moves, as in a build's list of files
            _reorder(files, order)
            capture.order = order
        doc_files = files.documentation_pages()
        written = 0
        for uri, page in pages.items():
            digest = page_digest(page)
            if capture.digests.get(uri) == digest:
                continue
            searchable = page.searchable
            if searchable:
                capture.search["/" + page.url] = _search_document(page)
            else:
                capture.search.pop("/" + page.url, None)
            plugin.pages[uri] = page
            file = files.get_file_from_path(uri)
            _populate_page(file.page, config, files)
            _build_page(file.page, config, doc_files, capture.nav, capture.env)
            capture.digests[uri] = digest
            written += 1
        if written or reordered:
            # The theme's own pages (sitemap.xml, 404.html) list or show pages: made again as in a build.
            for template in config.theme.static_templates:
                _build_theme_template(template, capture.env, files, config, capture.nav)
        return written

    def _write_data(self, data: dict[str, str]) -> None:
        """Write the data files that changed (and Pagefind's word count for the search box)."""
        from .files import atomic_write
        from .pagefind import BOX_WORDS, box_words

        built = self.built
        assert built is not None
        data = {**data, BOX_WORDS: box_words(len(built.capture.search))}
        for path, content in data.items():
            if built.data.get(path) != content:
                atomic_write(Path(built.config.site_dir) / path, content)
                built.data[path] = content

    def _rebuild(self, reason: str, started: float, spare: Path | None) -> Update:
        if spare is not None:
            shutil.rmtree(spare, ignore_errors=True)
        self.build(spare)
        return Update(full=reason, seconds=time.perf_counter() - started)

    def write_search_index(self, bundle: Path) -> None:
        """Pagefind's index of the preview's searchable pages as they are now, into ``bundle``."""
        from .pagefind import BackgroundIndex

        assert self.built is not None
        index = BackgroundIndex()
        try:  # the preview's pages come first: Pagefind gets what the editor's work leaves
            os.setpriority(os.PRIO_PROCESS, index._process.pid, SEARCH_NICENESS)
        except (AttributeError, OSError):
            pass
        for url, document in sorted(dict(self.built.capture.search).items()):
            index.add(url, document)
        index.finish(bundle)


def _reorder(files: Any, order: list[str]) -> None:
    """Put the pages among MkDocs' files in ``order``, in the places pages take (other files stay where they are)."""
    items = list(files.src_uris.items())
    pages = set(order)
    slots = [index for index, (uri, _file) in enumerate(items) if uri in pages]
    by_uri = dict(items)
    for slot, uri in zip(slots, order):
        items[slot] = (uri, by_uri[uri])
    files._src_uris = dict(items)


class _Server(LiveReloadServer):
    """MkDocs' live-reload server without the policy <meta> of a built site (it would block the reload script)."""

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        return super()._inject_js_into_html(CSP_META.sub(b"", content), epoch)

    def reload(self) -> None:
        """Show the newest files: requests that waited are answered and open pages reload."""
        with self._epoch_cond:
            self._wanted_epoch = self._visible_epoch = _timestamp()
            self._epoch_cond.notify_all()

    def hold(self) -> None:
        """Requests wait until ``reload`` (there is nothing to serve yet)."""
        with self._epoch_cond:
            self._wanted_epoch = self._visible_epoch + 1


def _signature(archive: Archive) -> tuple:
    """What the poller compares: the entries' files and mkdocs.yml, by name and stat."""
    entries = archive.entries_dir
    names = sorted(os.listdir(entries)) if entries.is_dir() else []
    return (file_stat(archive.root / CONFIG_FILE), tuple((name, file_stat(entries / name)) for name in names))


def serve_preview(archive: Archive, port: int) -> None:
    """Serve on 127.0.0.1:``port`` until Ctrl-C (see the module's doc)."""
    from .engine import site_folder

    work = Path(tempfile.mkdtemp(prefix="kennisbank-serve-"))
    folders = [work / "a", work / "b"]
    last = site_folder(archive)
    ready = (last / "index.html").is_file()
    server = _Server(builder=lambda: None, host="127.0.0.1", port=port, root=str(last if ready else folders[0]))
    # Makes MkDocs' server inject its reload script; the watching is ours (see the poll below).
    server._watched_paths[str(archive.entries_dir)] = 1
    preview = PreviewSite(archive, folders[0], server.url)
    preview.on_pages = server.reload
    try:
        server.server_bind()
        server.server_activate()
        if not ready:
            server.hold()
        server.serve_thread.start()
        if ready:
            log.info(_("Serving the last build on {url} while the preview is built").format(url=server.url))
        preview.build()
        server.root = str(folders[0])
        server.reload()
        log.info(_("Preview on {url}; changed entries appear within seconds").format(url=server.url))
        try:
            _watch(archive, preview, server, folders)
        except KeyboardInterrupt:
            log.info(_("Preview stopped"))
    finally:
        server.shutdown()
        shutil.rmtree(work, ignore_errors=True)


def _watch(archive: Archive, preview: PreviewSite, server: _Server, folders: list[Path]) -> None:
    """Poll the entries; bring the preview up to date when they changed and have settled."""
    search = _SearchIndexer(preview, server)
    try:
        _poll(archive, preview, server, folders, search)
    finally:
        search.stop()


def _poll(archive: Archive, preview: PreviewSite, server: _Server, folders: list[Path], search: "_SearchIndexer") -> None:
    changes = _Changes(archive)
    try:
        # The first round compares the files with what the build read (they may have changed meanwhile).
        first = True
        while True:
            if not first:
                changes.wait()
            first = False
            changes.settle()
            _round(preview, server, folders, search)
    finally:
        changes.stop()


class _Changes:
    """Tells when the entries or mkdocs.yml may have changed: inotify (watchdog) where it works, else polling.

    Only a hint: what changed is found by comparing the files with what was read (CheckCache).
    """

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.event = threading.Event()
        self.observer: Any = None
        self.seen = _signature(archive)
        try:
            from watchdog.events import FileSystemEventHandler
            from watchdog.observers import Observer

            config = str(archive.root / CONFIG_FILE)
            entries = str(archive.entries_dir)
            changes = self

            class Handler(FileSystemEventHandler):
                def on_any_event(self, event: Any) -> None:
                    paths = (str(event.src_path), str(getattr(event, "dest_path", "") or ""))
                    if any(path == config or path.startswith(entries) for path in paths):
                        changes.event.set()

            observer = Observer()
            observer.schedule(Handler(), entries, recursive=True)
            observer.schedule(Handler(), str(archive.root), recursive=False)
            observer.start()
            self.observer = observer
        except (ImportError, OSError):
            self.observer = None

    def _changed(self) -> bool:
        if self.observer is not None:
            changed = self.event.is_set()
            self.event.clear()
            return changed
        now = _signature(self.archive)
        changed, self.seen = now != self.seen, now
        return changed

    def wait(self) -> None:
        while not self._changed():
            if self.observer is not None:
                self.event.wait(1.0)
            else:
                time.sleep(POLL_SECONDS)

    def settle(self) -> None:
        """Wait until saving has settled (an editor's rename-and-write takes a few steps)."""
        time.sleep(SETTLE_SECONDS)
        while self._changed():
            time.sleep(SETTLE_SECONDS)

    def stop(self) -> None:
        if self.observer is not None:
            self.observer.stop()


def _round(preview: PreviewSite, server: _Server, folders: list[Path], search: "_SearchIndexer") -> None:
    """Bring the preview up to date once, and say what was done."""
    spare = folders[1] if Path(server.root) == folders[0] else folders[0]
    try:
        update = preview.refresh(spare)
    except Exception as exc:  # noqa: BLE001 - the preview goes on; the editor fixes and saves again
        log.error(_("the preview could not be brought up to date: {reason}").format(reason=exc))
        return
    if update is None:
        return
    server.root = str(preview.site_dir)
    server.reload()
    if update.full:
        log.info(_("whole preview built again ({reason}) in {seconds} s").format(
            reason=update.full, seconds=f"{update.seconds:.1f}"))
    else:
        log.info(ngettext("{n} page rendered again in {seconds} s", "{n} pages rendered again in {seconds} s",
                          update.pages).format(n=update.pages, seconds=f"{update.seconds:.1f}"))
        search.wake()


class _SearchIndexer:
    """Pagefind's index of the preview, made again in a background thread after pages changed."""

    def __init__(self, preview: PreviewSite, server: _Server) -> None:
        self.preview = preview
        self.server = server
        self.wanted = threading.Event()
        self.stopped = False
        threading.Thread(target=self._run, name="kennisbank-serve-search", daemon=True).start()

    def wake(self) -> None:
        self.wanted.set()

    def stop(self) -> None:
        self.stopped = True
        self.wanted.set()

    def _run(self) -> None:
        while True:
            self.wanted.wait()
            self.wanted.clear()
            # Another save soon after: wait for it (the editor is still at work).
            while not self.stopped and self.wanted.wait(SEARCH_QUIET_SECONDS):
                self.wanted.clear()
            if self.stopped:
                return
            try:
                self._index(Path(self.server.root))
            except Exception as exc:  # noqa: BLE001 - the search of the preview lags; the pages do not
                if not self.stopped:
                    log.warning(_("the preview's search index was not updated: {reason}").format(reason=exc))

    def _index(self, site: Path) -> None:
        from .pagefind import BUNDLE_DIR

        fresh, old = site / f".{BUNDLE_DIR}.new", site / f".{BUNDLE_DIR}.old"
        shutil.rmtree(fresh, ignore_errors=True)
        self.preview.write_search_index(fresh)
        shutil.rmtree(old, ignore_errors=True)
        if (site / BUNDLE_DIR).exists():
            os.replace(site / BUNDLE_DIR, old)
        os.replace(fresh, site / BUNDLE_DIR)
        shutil.rmtree(old, ignore_errors=True)
