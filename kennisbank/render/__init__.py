"""Page renderers: plain functions from a ``SiteContext`` to ``Page`` objects.

Each module renders one kind of page (entry pages, the catalogue, overviews,
briefings, the start page) and knows nothing of MkDocs; the plugin collects
their pages and hands them to MkDocs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from ..pages import Page, SiteContext


def renderers() -> list[Callable[["SiteContext"], list["Page"]]]:
    """Every page renderer of the site, in the order their pages are made."""
    from .briefings import briefing_pages
    from .catalogue import catalogue_pages
    from .entry_page import entry_pages
    from .home import home_pages
    from .overviews import overview_pages
    from .plan_pages import plan_pages

    return [home_pages, catalogue_pages, entry_pages, overview_pages, briefing_pages, plan_pages]


def site_pages(ctx: "SiteContext", before_entries: Callable[[], None] | None = None) -> list["Page"]:
    """All generated pages; a URL made twice is a bug in a renderer, not something to hide.

    Entry pages are rendered last, after ``before_entries``: they alone need
    the related entries, which the plugin may still be computing meanwhile.
    """
    from .entry_page import entry_pages

    ordered = renderers()
    rendered: dict[Callable, list[Page]] = {}
    for render in sorted(ordered, key=lambda render: render is entry_pages):
        if render is entry_pages and before_entries is not None:
            before_entries()
        rendered[render] = render(ctx)
    pages: list[Page] = [page for render in ordered for page in rendered[render]]
    seen: dict[str, str] = {}
    for page in pages:
        if page.url in seen:
            raise ValueError(f"two pages for /{page.url}: {seen[page.url]!r} and {page.title!r}")
        seen[page.url] = page.title
    return pages
