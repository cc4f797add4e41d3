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

    return [home_pages, catalogue_pages, entry_pages, overview_pages, briefing_pages]


def site_pages(ctx: "SiteContext") -> list["Page"]:
    """All generated pages; a URL made twice is a bug in a renderer, not something to hide."""
    pages: list[Page] = []
    for render in renderers():
        pages += render(ctx)
    seen: dict[str, str] = {}
    for page in pages:
        if page.url in seen:
            raise ValueError(f"two pages for /{page.url}: {seen[page.url]!r} and {page.title!r}")
        seen[page.url] = page.title
    return pages
