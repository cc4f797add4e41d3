"""Generated site pages: the interface between page renderers and the MkDocs plugin.

Renderers (entry pages, catalogue, overviews, briefings) are plain functions
that take a ``SiteContext`` and return ``Page`` objects with finished,
sanitised HTML for the content area. The plugin turns each into a MkDocs
file with ``File.generated`` and knows nothing of how the HTML was made.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass, field
from typing import Any

from .config import Settings
from .entry import Entry
from .ids import slugify


@dataclass
class Page:
    """One generated page.

    ``url`` is the site-relative directory URL without a leading slash
    (``interventies/<id>/``; ``""`` for the start page). ``html`` is the
    finished content; ``nav`` names the navigation section the page is
    listed under (None: not in the navigation, as every entry page).
    """

    url: str
    title: str
    html: str
    nav: str | None = None
    nav_order: int = 0
    searchable: bool = False
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def src_uri(self) -> str:
        return f"{self.url}index.md" if self.url else "index.md"


@dataclass
class SiteContext:
    """Everything a renderer may use; built once per build by the plugin."""

    settings: Settings
    entries: list[Entry]
    related: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    today: dt.date = field(default_factory=dt.date.today)

    @property
    def vocabularies(self):
        return self.settings.vocabularies

    def by_id(self) -> dict[str, Entry]:
        return {entry.id: entry for entry in self.entries}


def entry_url(entry_id: str) -> str:
    return f"interventies/{entry_id}/"


def relative_url(from_url: str, to_url: str) -> str:
    """Link from the page at ``from_url`` to ``to_url`` (both site-relative directory URLs)."""
    start = posixpath.join("/", from_url)
    target = posixpath.join("/", to_url)
    relative = posixpath.relpath(target, start if start.endswith("/") else posixpath.dirname(start))
    if relative == ".":
        return "./"
    if (to_url.endswith("/") or to_url == "") and not relative.endswith("/"):
        relative += "/"
    return relative


def vocabulary_url(vocabulary: str, code: str) -> str:
    """Overview page of one vocabulary value, e.g. ``themas/werk/``, ``stopredenen/bezuiniging/``."""
    return f"{vocabulary}/{code}/"


def gemeente_slug(gemeente: str) -> str:
    return slugify(gemeente) or "onbekend"


def gemeente_url(gemeente: str) -> str:
    return f"gemeenten/{gemeente_slug(gemeente)}/"


# The site's URL scheme (also in README's "Site" section):
#   ""                          start page for new administrators
#   interventies/               catalogue with Pagefind filters; plain list without JavaScript
#   interventies/<id>/          entry page
#   <vocabulary>/               index of a vocabulary (themas, status, stopredenen, uitkomst, niveau,
#   <vocabulary>/<code>/        erkenning, financiering, doelgroepen, schaal) and one value's overview
#   gemeenten/ gemeenten/<slug>/  per municipality
#   tijdlijn/ verloren-successen/ te-vroeg-gestopt/ carrousel/   overviews
#   toets-uw-plan/ bewijskaart/ vergelijk/   plan check, evidence gap map, side by side (render/plan_pages.py)
#   toets-uw-plan/model.json toets-uw-plan/kaarten/<n>.json vergelijk/data/<id>.json   their data (plan_data.py)
#   briefings/ briefings/themas/<code>/ briefings/gemeenten/<slug>/   briefings
#   open-data/ toegankelijkheid/   data downloads and the accessibility statement
#   <list page>pagina/<n>/      page n (from 2) of a list longer than `list_page_size`: of a value or
#                               municipality page, verloren-successen/, te-vroeg-gestopt/, carrousel/, interventies/
#   data/interventies.json data/interventies.csv data/schema.json   open data files
#   data/catalogus.jsonld       their DCAT-AP-NL catalogue (with the `open_data` option)
