"""The ``kennisbank`` MkDocs plugin: turns the archive's entries into the site.

It only orchestrates. The archive is read and checked by the library, pages
are rendered by ``kennisbank.render`` into finished HTML, and Pagefind runs
from ``kennisbank.pagefind``. MkDocs gets each page as a generated file
(``File.generated``) whose Markdown is empty; the finished HTML replaces the
rendered content in ``on_page_content``. Entry pages are never in the
navigation: with every entry in the nav MkDocs' build is quadratic.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable

from jinja2 import ChoiceLoader, DictLoader, Environment
from markupsafe import escape
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkDocsPage

from .archive import Archive, CheckResult
from .config import OPTIONS, Option, Settings
from .errors import KennisbankError
from .i18n import _, ngettext
from .pages import Page, SiteContext
from .progress import Progress
from .security import HEADERS_FILE, SECURITY_TXT, headers_file, with_policy

log = get_plugin_logger(__name__)

PACKAGE = Path(__file__).parent
THEME_OVERRIDES = PACKAGE / "templates" / "theme"
ASSETS = {
    f"assets/kennisbank/{name}": PACKAGE / "assets" / "kennisbank" / name
    for name in ("kennisbank.css", "overviews.css", "plan.css", "catalogus.js", "zoekvak.js", "toets.js", "vergelijk.js")
}
STYLESHEETS = ("assets/kennisbank/kennisbank.css", "assets/kennisbank/overviews.css", "assets/kennisbank/plan.css")
# On every page: the header search's live results (the catalogue loads its own script).
SCRIPTS = ("assets/kennisbank/zoekvak.js",)
# Where the header's skip link leads.
CONTENT_ANCHOR = '<span id="inhoud" tabindex="-1"></span>'
# Page meta that Material writes into HTML without escaping it.
ESCAPED_META = ("title", "description")
# Log progress every this many pages written.
PROGRESS_EVERY = 1000


def _config_option(option: Option) -> c.BaseConfigOption:
    if option.choices:
        return c.Choice(option.choices, default=option.default)
    if option.optional:
        return c.Optional(c.Type(option.type))
    return c.Type(option.type, default=option.default)


# MkDocs' schema of the plugin options, built from the one definition in config.OPTIONS.
KennisbankConfig = type(
    "KennisbankConfig", (base.Config,), {name: _config_option(option) for name, option in OPTIONS.items()}
)


class NavCache:
    """Material's rendered navigation, shared by pages that share a folder and are not in the nav.

    Links in the nav are relative to the page, so two pages in the same
    folder get the same HTML unless a nav item is one of them or lies below
    one of them; ``key`` is None for those pages (and for pages in the nav).
    """

    ORIGINAL = "partials/kennisbank-material-nav.html"

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.html: dict[str, str] = {}

    def reset(self, nav_urls: list[str]) -> None:
        self.urls = nav_urls
        self.html = {}

    def key(self, page: MkDocsPage | None) -> str | None:
        if page is None or page.url is None or any(url.startswith(page.url) for url in self.urls):
            return None
        return page.url.rstrip("/").rpartition("/")[0]

    def get(self, key: str | None) -> str | None:
        return None if key is None else self.html.get(key)

    def put(self, key: str | None, html: str) -> str:
        if key is not None:
            self.html[key] = html
        return html

    def install(self, env: Environment, theme_dirs: list[str]) -> None:
        """Make the theme's own nav.html reachable under ``ORIGINAL`` (our override shadows its name).

        A theme without ``partials/nav.html`` (not Material) never includes our override either.
        """
        env.globals["kennisbank_nav"] = self
        for folder in theme_dirs:
            path = Path(folder) / "partials" / "nav.html"
            if folder != str(THEME_OVERRIDES) and path.is_file():
                original = DictLoader({self.ORIGINAL: path.read_text(encoding="utf-8")})
                env.loader = ChoiceLoader([env.loader, original])
                return


class KennisbankPlugin(BasePlugin[KennisbankConfig]):  # type: ignore[valid-type]
    """Entries → entry pages, catalogue, overviews, briefings, open data; then the Pagefind index."""

    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.pages: dict[str, Page] = {}
        self.written = 0
        self.total = 0
        self.started = 0.0
        self.archive: Archive | None = None
        self.nav_cache = NavCache()
        self.search_index: Any = None
        # The inline-script hashes of every page written, for the site-wide policy in _headers.
        self.script_hashes: set[str] = set()
        self.security_txt: str | None = None
        self.serving = False
        self.progress = Progress(0, "")  # issue 14

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def _with_policy(self, html: str) -> str:
        """The page with its CSP <meta>; not in a preview, where MkDocs adds its live-reload script inline."""
        if self.settings is not None and self.settings.preview:
            return html
        html, hashes = with_policy(html)
        self.script_hashes.update(hashes)
        return html

    def use_archive(self, archive: Archive) -> None:
        """Build from an archive the caller has already checked (`kennisbank build`), not a second read."""
        self.archive = archive

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not config.use_directory_urls:
            raise PluginError("kennisbank: " + _(
                "set `use_directory_urls: true` in mkdocs.yml; entries live at /interventies/<id>/"))
        root = Path(config.config_file_path).parent.resolve() if config.config_file_path else Path.cwd().resolve()
        try:
            self.settings = Settings.from_options(root, dict(self.config), config.site_name)
            self.settings.preview = self.serving
        except KennisbankError as exc:
            raise PluginError(f"kennisbank: {exc.message}") from None
        self._check_statements(config)
        for name in ("search", "material/search"):
            if name in config.plugins:
                log.warning(_(
                    "the '{name}' plugin is enabled: its lunr index grows to tens of MB for a large archive; "
                    "remove it from `plugins` in mkdocs.yml, kennisbank's Pagefind search replaces it"
                ).format(name=name))
        if config.theme.name != "material":
            log.warning(_("the theme is {theme}; kennisbank's pages are made for 'material'").format(
                theme=repr(config.theme.name)))
        if config.theme.get("font") is not False:
            # Material would load Google Fonts: every reader's address would go to a third party.
            log.info(_("setting `theme.font: false`: the site loads no fonts from outside its own origin"))
            config.theme["font"] = False
        # After a custom_dir (the archive's own overrides win), before the theme's templates.
        position = 1 if config.theme.custom_dir else 0
        config.theme.dirs.insert(position, str(THEME_OVERRIDES))
        for stylesheet in STYLESHEETS:
            if stylesheet not in config.extra_css:
                config.extra_css.append(stylesheet)
        for script in SCRIPTS:
            if script not in map(str, config.extra_javascript):
                config.extra_javascript.append(script)
        return config

    @event_priority(50)
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Replace the raw entry files with the generated pages.

        Runs before other plugins (priority 50 > default 0) so that they see
        the generated pages and not the raw entries.
        """
        assert self.settings is not None
        self._cancel_search_index()
        archive = self.archive if self._same_archive() else Archive(self.settings)
        result = archive.check()
        self._report(result)
        if self.config["pagefind"]:
            from .pagefind import BackgroundIndex

            try:
                # Started now, so that the service is up when the first pages are ready.
                self.search_index = BackgroundIndex()
            except KennisbankError as exc:
                raise PluginError(f"kennisbank: {exc.message}") from None
        # Related entries are found in a process of their own while the other pages and the open data are made.
        related = _related_in_background(archive, result.entries)
        context = SiteContext(self.settings, result.entries, {}, dt.date.today())
        data_files: dict[str, str] = {}

        def before_entries() -> None:
            data_files.update(site_data_files(context, config.site_url, related))

        started = time.perf_counter()
        pages = _render_pages(context, before_entries)
        if self.settings.preview:
            from .render.preview import error_pages

            pages += error_pages(result.errors, {entry.id for entry in result.entries})
        log.info(ngettext("rendered {pages} pages for {count} entry in {seconds} s",
                          "rendered {pages} pages for {count} entries in {seconds} s", len(result.entries)).format(
            pages=len(pages), count=len(result.entries), seconds=f"{time.perf_counter() - started:.1f}"))
        self.pages = {page.src_uri: page for page in pages}
        self.built = (context, data_files)  # issue 14: what `kennisbank serve` re-renders changed pages from
        if self.search_index is not None:
            # Pagefind reads the entry pages while MkDocs writes the site.
            from .pagefind import BUNDLE_DIR

            for page in pages:
                if page.searchable:
                    self.search_index.add("/" + page.url, _search_document(page))
            # MkDocs has emptied site_dir already and writes nothing under pagefind/: the bundle can be written now.
            self.search_index.write(Path(config.site_dir).resolve() / BUNDLE_DIR)

        # Nothing in the entries folder is published as it is: not the raw
        # entries, and not stray files (an .html with a script, a symlink to a
        # secret), which the checker reports but `on_error: skip` would let through.
        # Compared without resolving the file's own path: a symlink to a file
        # outside the archive still lies in the entries folder.
        entries_dir = self.settings.entries_dir
        folders = {os.path.normpath(entries_dir)}
        if _inside(Path(config.docs_dir), entries_dir):
            folders.add(os.path.normpath(os.path.abspath(config.docs_dir)))
        for file in list(files):
            source = os.path.normpath(os.path.abspath(file.abs_src_path)) if file.abs_src_path else None
            if source and any(source == f or source.startswith(f + os.sep) for f in folders):
                files.remove(file)
        for page in pages:
            existing = files.get_file_from_path(page.src_uri)
            if existing is not None:
                log.warning(_("{file} in docs_dir is replaced by kennisbank's generated page /{url}").format(
                    file=existing.src_uri, url=page.url))
                files.remove(existing)
            inclusion = InclusionLevel.NOT_IN_NAV if page.nav is None else InclusionLevel.UNDEFINED
            files.append(File.generated(config, page.src_uri, content="", inclusion=inclusion))
        for path, content in data_files.items():
            files.append(File.generated(config, path, content=content))
        for path, source in ASSETS.items():
            files.append(File.generated(config, path, abs_src_path=str(source)))
        from .pagefind import BOX_WORDS, box_words

        files.append(File.generated(config, BOX_WORDS, content=box_words(sum(page.searchable for page in pages))))
        if not config.nav:
            config.nav = _navigation(pages)
        self.total = len(pages)
        self.written = 0
        self.started = time.perf_counter()
        # issue 14: a bar of the pages MkDocs writes, on a terminal only (kennisbank.progress).
        self.progress.close()
        self.progress = Progress(self.total, _("writing pages"))
        return files

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav_cache.reset([page.url for page in nav.pages])
        # Our pages outside the nav get a page object that skips Markdown for their empty source.
        for file in files.documentation_pages():
            if file.page is None and file.src_uri in self.pages and file.inclusion.is_not_in_nav():
                _GeneratedPage(None, file, config)
        return nav

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        self.nav_cache.install(env, config.theme.dirs)
        return env

    def on_page_markdown(self, markdown: str, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str | None:
        own = self.pages.get(page.file.src_uri)
        if own is None:
            return None
        page.meta.update(own.meta)
        # MkDocs and Material put titles and descriptions into HTML unescaped: escape them here.
        page.meta["title"] = str(escape(own.title))
        for key in ESCAPED_META:
            if isinstance(page.meta.get(key), str) and key != "title":
                page.meta[key] = str(escape(page.meta[key]))
        page.meta.setdefault("hide", ["toc"])
        page.meta["kennisbank_content"] = True
        return ""

    @event_priority(100)
    def on_page_content(self, html: str, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str | None:
        """Put in the finished HTML first, so that other plugins post-process the real content."""
        own = self.pages.get(page.file.src_uri)
        if own is None:
            return None
        # MkDocs keeps the page's content from here on: don't hold a second copy of every page.
        html, own.html = own.html, ""
        return CONTENT_ANCHOR + html

    def on_post_page(self, output: str, page: MkDocsPage, config: MkDocsConfig) -> str | None:
        output = self._with_policy(output)
        if page.file.src_uri in self.pages:
            self.written += 1
            if self.progress.shown:  # issue 14: a bar on a terminal instead of the log lines
                self.progress.advance()
            elif self.written % PROGRESS_EVERY == 0:
                elapsed = time.perf_counter() - self.started
                log.info(_("{written} of {total} pages written ({seconds} s)").format(
                    written=self.written, total=self.total, seconds=f"{elapsed:.0f}"))
        return output

    def on_post_template(self, output_content: str, template_name: str, config: MkDocsConfig) -> str | None:
        """The static pages (404.html) get the policy too; sitemap.xml is no page."""
        if not template_name.endswith(".html"):
            return output_content
        return self._with_policy(output_content)

    def on_post_build(self, config: MkDocsConfig) -> None:
        from .files import atomic_write

        self.progress.close()  # issue 14
        site_dir = Path(config.site_dir)
        atomic_write(site_dir / HEADERS_FILE, headers_file(self.script_hashes))
        self.script_hashes = set()
        if self.security_txt is not None:
            atomic_write(site_dir / SECURITY_TXT, self.security_txt)
        if not self.config["pagefind"] or self.search_index is None:
            return
        from .pagefind import BUNDLE_DIR

        search_index, self.search_index = self.search_index, None
        started = time.perf_counter()
        try:
            report = search_index.finish(Path(config.site_dir).resolve() / BUNDLE_DIR)
        except KennisbankError as exc:
            raise PluginError(f"kennisbank: {exc.message}") from None
        message = _("Pagefind indexed {pages} entry pages ({alongside} s alongside the build, {after} s after it)")
        log.info(message.format(pages=report.pages, alongside=f"{report.seconds:.1f}",
                                after=f"{time.perf_counter() - started:.1f}"))

    def _check_statements(self, config: MkDocsConfig) -> None:
        """security.txt's text for this build; warnings for a lapsing Expires and an old accessibility audit."""
        assert self.settings is not None
        now = dt.datetime.now(dt.timezone.utc)
        security = self.settings.security_txt
        self.security_txt = None
        if security is not None:
            problem = security.expiry_problem(now)
            if problem:
                log.warning(problem)
            canonical = None
            if config.site_url:
                canonical = config.site_url.rstrip("/") + "/" + SECURITY_TXT
            else:
                log.warning(_("security.txt has no Canonical field: set `site_url` in mkdocs.yml "
                              "to the address the site is published at"))
            self.security_txt = security.text(now, canonical)
        problem = self.settings.accessibility.audit_problem(now.date())
        if problem:
            log.warning(problem)

    def on_build_error(self, error: Exception) -> None:
        self.progress.close()  # issue 14
        self._cancel_search_index()

    def _cancel_search_index(self) -> None:
        if self.search_index is not None:
            search_index, self.search_index = self.search_index, None
            search_index.cancel()

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        """Rebuild when an entry changes, also when the entries are not in docs_dir."""
        assert self.settings is not None
        if not _inside(self.settings.entries_dir, Path(config.docs_dir).resolve()):
            server.watch(str(self.settings.entries_dir))
        return server

    def _same_archive(self) -> bool:
        return (self.archive is not None and self.settings is not None
                and self.archive.settings.root == self.settings.root
                and self.archive.settings.entries_dir == self.settings.entries_dir)

    def _report(self, result: CheckResult) -> None:
        """Stop on entries with errors, or (``on_error: skip``) leave them out with a warning."""
        assert self.settings is not None
        for problem in result.warnings:
            log.info(str(problem))
        if not result.errors:
            return
        lines = "\n".join(str(problem) for problem in result.errors)
        broken = len({problem.path for problem in result.errors})
        if self.settings.on_error == "skip" or self.settings.preview:
            why = "on_error: skip" if self.settings.on_error == "skip" else _("preview; fix them and they appear")
            log.warning(ngettext("{count} entry with errors left out of the site ({why}):",
                                 "{count} entries with errors left out of the site ({why}):", broken).format(
                count=broken, why=why) + f"\n{lines}")
            return
        raise PluginError("\n".join([
            "kennisbank: " + ngettext("{count} entry has errors, the site was not built:",
                                      "{count} entries have errors, the site was not built:", broken).format(count=broken),
            lines,
            _("Fix them (`kennisbank check` lists them), or set `on_error: skip` to leave them out."),
        ]))


class _GeneratedPage(MkDocsPage):
    """A page of ours: its Markdown source is empty (the finished HTML comes in ``on_page_content``).

    MkDocs would set up a Markdown converter with every extension for each
    of them (about half a millisecond a page, seconds at 10,000 entries) to
    convert nothing. When another plugin has put Markdown in, it is rendered as usual.
    """

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if self.markdown:
            return super().render(config, files)
        from mkdocs.structure.toc import get_toc

        self.content = ""
        self.toc = get_toc([])
        self._title_from_render = None
        self.present_anchor_ids = set()
        self.links_to_anchors = {}


def _search_document(page: Page) -> str:
    """The document Pagefind indexes for a page: the page's own content, as in the built page."""
    return (
        f'<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>{escape(page.title)}</title></head>'
        f"<body>{CONTENT_ANCHOR}{page.html}</body></html>"
    )


def _inside(path: Path, folder: Path) -> bool:
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


def _related(job: tuple[Archive, list]) -> dict[str, list[tuple[str, float]]]:
    from .related import related_entries

    archive, entries = job
    started = time.perf_counter()
    related = related_entries(archive, entries, limit=5)
    log.info(_("related entries found in {seconds} s").format(seconds=f"{time.perf_counter() - started:.1f}"))
    return related


def _related_in_background(archive: Archive, entries: list) -> Callable[[], dict[str, list[tuple[str, float]]]]:
    """A function that returns the related entries; large archives have them found meanwhile (``parallel``)."""
    from .parallel import in_background

    return in_background(_related, (archive, entries), len(entries))


def site_data_files(context: SiteContext, site_url: str | None,
                    related: Callable[[], dict[str, list[tuple[str, float]]]]) -> dict[str, str]:
    """The site's data files; sets ``context.related`` from ``related()`` on the way (also `kennisbank serve`, issue 14)."""
    from .render.catalogue import open_data_files
    from .render.plan_data import plan_files

    data_files = open_data_files(context, site_url)
    context.related = related()
    # After the related entries: the plan model reads the words they cached.
    data_files.update(plan_files(context))
    return data_files


def _render_pages(context: SiteContext, before_entries: Callable[[], None]) -> list[Page]:
    from .render import site_pages

    return site_pages(context, before_entries)


def _navigation(pages: list[Page]) -> list[Any]:
    """MkDocs' nav from the pages that name a section, never the entries.

    A section with one page whose title is the section's name becomes a
    top-level link; sections are ordered by their first page's nav_order.
    """
    sections: OrderedDict[str, list[Page]] = OrderedDict()
    for page in sorted((p for p in pages if p.nav), key=lambda p: (p.nav_order, p.title.casefold())):
        sections.setdefault(page.nav, []).append(page)
    nav: list[Any] = []
    for name, members in sections.items():
        if len(members) == 1 and members[0].title == name:
            nav.append({str(escape(name)): members[0].src_uri})
        else:
            nav.append({str(escape(name)): [{str(escape(member.title)): member.src_uri} for member in members]})
    return nav
