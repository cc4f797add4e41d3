"""Re-check only the entry files that changed, and re-render only the pages that show something of them (issue 14).

``CheckCache`` keeps each entry file's check, keyed by the file's stat (modification time,
change time, size, inode), and gives the same ``CheckResult`` as ``Archive.check``: files
whose stat changed are read again, the archive-wide checks (relations, lineage) run again on
all of them, which is cheap. It sees every way of saving (atomic rename, in place, Vim's backup
dance) because it compares what is on disk, not the events that led there.

``affected_pages`` renders, for a new ``SiteContext``, every page that can show something of
the changed entries: all pages that are not entry pages (start page counts, catalogue,
overviews, briefings: they list or count entries), the changed entries' own pages (or the
preview's error page), the pages of the entries linked to them by lineage before or after the
change, and those whose related entries name them or changed. The caller compares them with
what was built and writes only the pages that differ.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from stat import S_ISREG
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .archive import Archive, CheckResult, _FileCheck
from .checker import Problem
from .pages import Page, SiteContext, entry_url

Stat = tuple[int, int, int, int]


def file_stat(path: Path) -> Stat | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino)


def _regular_file_stat(path: Path) -> Stat | None:
    """The stat of a regular file (through a symbolic link), None for anything else."""
    try:
        stat = path.stat()
    except OSError:
        return None
    if not S_ISREG(stat.st_mode):
        return None
    return (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino)


class CheckCache:
    """``Archive.check`` that reads again only the files that changed since the last call."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.checked: dict[Path, tuple[Stat | None, _FileCheck]] = {}

    def check(self, today: dt.date) -> tuple[CheckResult, set[str]]:
        """The archive's check result (also left in ``archive``'s cache) and the ids of the files that changed."""
        archive = self.archive
        links = archive.unreadable_symlinks()
        problems = archive.folder_problems(links)
        # archive.entry_files(), with the symbolic links looked at once and every file's stat taken once.
        unsafe = {path for path, _code, _reason in links}
        stats = {path: _regular_file_stat(path) for path in archive._candidates() if path not in unsafe}
        files = [path for path, stat in stats.items() if stat is not None]
        stale = [path for path in files
                 if path not in self.checked or stats[path] is None or self.checked[path][0] != stats[path]]
        fresh = dict(zip(stale, archive._check_files(stale, today))) if stale else {}
        changed = {path.stem for path in stale} | {path.stem for path in self.checked if path not in stats}
        self.checked = {path: (stats[path], fresh[path] if path in fresh else self.checked[path][1]) for path in files}
        result = archive.check_result(files, [self.checked[path][1] for path in files], problems)
        return result, changed


@dataclass
class Rendered:
    pages: dict[str, Page]  # src_uri -> page
    entry_ids: set[str]  # the entries whose pages were rendered again
    order: list[str]  # every page's address, in the order of a clean build


def page_digest(page: Page) -> str:
    """What MkDocs makes a page from: equal digests give equal HTML files."""
    parts = repr((page.url, page.title, page.html, page.nav, page.nav_order, page.searchable,
                  sorted(page.meta.items(), key=lambda item: item[0])))
    return hashlib.sha256(parts.encode("utf-8")).hexdigest()


def linked_ids(lineage, entry_id: str) -> set[str]:
    return {other for others in lineage.links.get(entry_id, {}).values() for other in others}


def affected_entries(changed: set[str], old: SiteContext, new: SiteContext, old_lineage, new_lineage) -> set[str]:
    """The entries whose page may show something of the ``changed`` ones (and the changed ones)."""
    ids = set(changed)
    for entry_id in changed:
        ids |= linked_ids(old_lineage, entry_id) | linked_ids(new_lineage, entry_id)
    for related in (old.related, new.related):
        for entry_id, others in related.items():
            if any(other in changed for other, _score in others):
                ids.add(entry_id)
    for entry_id in set(old.related) | set(new.related):
        if old.related.get(entry_id) != new.related.get(entry_id):
            ids.add(entry_id)
    return ids


def affected_pages(ctx: SiteContext, old: SiteContext, changed: set[str], problems: list[Problem],
                   related: Callable[[], dict[str, list[tuple[str, float]]]]) -> Rendered:
    """Every page that is not an entry page, and the pages of the entries that may show the changed ones.

    ``related()`` gives the related entries (found meanwhile in another process for a large archive).
    """
    from .render import renderers
    from .render.common import RenderedSections
    from .render.entry_page import Lineage, _entry_page, entry_pages
    from .render.preview import error_pages
    from .search import analysis

    # As in a build (render.site_pages): the other pages are made before the related entries are known.
    ctx.related = {}
    pages: list[Page] = []
    order: list[str] = []  # the pages' addresses in the order a build makes them (MkDocs' files, the sitemap)
    for render in renderers():
        if render is entry_pages:
            order += [f"{entry_url(entry.id)}index.md" for entry in ctx.entries]
        else:
            made = render(ctx)
            pages += made
            order += [page.src_uri for page in made]
    ctx.related = related()
    by_id = ctx.by_id()
    new_lineage = Lineage.of(ctx.entries)
    ids = affected_entries(changed, old, ctx, Lineage.of(old.entries), new_lineage)
    analysis.default_lexicon()
    sections = RenderedSections(ctx.settings.cache_dir)
    synonyms = analysis.archive_synonyms(ctx.settings.synonyms)
    terms: dict = {}
    for entry in ctx.entries:
        if entry.id in ids:
            pages.append(_entry_page(ctx, entry, by_id, new_lineage, terms, sections, synonyms))
    sections.save()
    errors = error_pages(problems, set(by_id))
    pages += errors
    order += [page.src_uri for page in errors]
    return Rendered({page.src_uri: page for page in pages}, ids, order)


def entry_src_uris(entries_dir: Path) -> set[str]:
    """The addresses an entry file may have a page at (entry page or the preview's error page)."""
    # Hidden files are no entries (Emacs' lock file .#x.md comes and goes while the editor works).
    names = [name[:-3] for name in os.listdir(entries_dir)
             if name.endswith(".md") and not name.startswith(".")] if entries_dir.is_dir() else []
    return {Page(url=entry_url(name), title="", html="").src_uri for name in names}
