"""The catalogue at ``interventies/`` and the open-data page with its files.

The catalogue is a search box and filters with counts (catalogus.js, on the
search API of the index Pagefind writes into ``pagefind/``) above a plain
table of every entry with its outcome and stop reasons, so it still works
without JavaScript. That table goes on over ``interventies/pagina/<n>/``
beyond ``list_page_size`` entries: those pages hold only the list.
"""

from __future__ import annotations

import datetime as dt
import json

from markupsafe import Markup

from ..dcat import CATALOGUE_FILE, OpenData, catalogue_jsonld
from ..entry import json_schema
from ..export import CSV_COLUMNS, LIST_SEPARATOR, export_csv, export_json
from ..pages import Page, SiteContext, relative_url
from . import dutch
from .common import render_template
from .groups import group
from .listing import EntryTable, Links, list_position, page_url, pagination, split

CATALOGUE_URL = "interventies/"
OPEN_DATA_URL = "open-data/"
DATA_FILES = ("data/interventies.json", "data/interventies.csv", "data/schema.json")
# The Pagefind filters (the entry pages' data-pagefind-filter names), in the order the catalogue shows them.
FILTERS = (
    ("thema", "Thema"), ("status", "Status"), ("gemeente", "Gemeente"), ("uitkomst", "Uitkomst"),
    ("stopreden", "Reden van beëindiging"),
)


def catalogue_pages(ctx: SiteContext) -> list[Page]:
    return [*catalogue_page(ctx), open_data_page(ctx)]


def catalogue_page(ctx: SiteContext) -> list[Page]:
    """The catalogue, and the further pages of its plain list when that is longer than ``list_page_size``."""
    table = EntryTable(group(ctx), ctx.vocabularies)
    entries = sorted(ctx.entries, key=lambda e: (e.meta.titel.casefold(), e.id))
    parts = split(entries, ctx.settings.list_page_size)
    count = dutch.count(len(entries), "interventie", "interventies")
    pages = []
    first = 1
    for number, part in enumerate(parts, start=1):
        here = page_url(CATALOGUE_URL, number)
        html = render_template(
            "catalogue.html", count=count, filters=FILTERS,
            table=Markup(table.html(part, Links(here), f"{count}, op alfabetische volgorde", select=True)),
            url_to=lambda target: _relative(here, target),
            number=number, pages=len(parts),
            position=list_position("interventies", first, first + len(part) - 1, len(entries), number, len(parts)),
            pagination=pagination(CATALOGUE_URL, number, len(parts), Links(here)),
        )
        first += len(part)
        if number == 1:
            pages.append(Page(url=here, title="Interventies", html=html, nav="Interventies", nav_order=10,
                              meta={"description": "Zoek en filter alle interventies in de kennisbank."}))
        else:
            pages.append(Page(url=here, title=f"Interventies (pagina {number} van {len(parts)})", html=html,
                              meta={"description": f"Alle interventies op alfabetische volgorde, pagina {number}."}))
    return pages


def open_data_page(ctx: SiteContext) -> Page:
    here = OPEN_DATA_URL
    html = render_template(
        "open_data.html", count=dutch.count(len(ctx.entries), "interventie", "interventies"),
        columns=CSV_COLUMNS, separator=LIST_SEPARATOR.strip(), url_to=lambda target: _relative(here, target),
        open_data=_catalogued(ctx), catalogue_file=CATALOGUE_FILE,
    )
    return Page(url=here, title="Open data", html=html, nav="Open data", nav_order=90,
                meta={"description": "Alle interventies als JSON en CSV, met het JSON-schema."})


def open_data_files(ctx: SiteContext, site_url: str | None = None) -> dict[str, str]:
    """The published data set: the same JSON and CSV as `kennisbank export`, and the JSON Schema.

    With the ``open_data`` option set, also the DCAT-AP-NL catalogue that describes them
    (absolute addresses when ``site_url`` is known).
    """
    files = {
        "data/interventies.json": export_json(ctx.entries),
        "data/interventies.csv": export_csv(ctx.entries),
        "data/schema.json": json.dumps(json_schema(ctx.vocabularies), ensure_ascii=False, indent=2) + "\n",
    }
    if _catalogued(ctx):
        themes = ctx.vocabularies["themas"]
        files[CATALOGUE_FILE] = catalogue_jsonld(
            ctx.settings.open_data, ctx.settings.site_name, files,
            modified=max(_content_date(entry) for entry in ctx.entries),
            keywords={themes.label_of(code) for entry in ctx.entries for code in entry.meta.themas},
            site_url=site_url or None,
        )
    return files


def _catalogued(ctx: SiteContext) -> OpenData | None:
    """The ``open_data`` option when the site has a catalogue: it is set, and there are entries to describe."""
    return ctx.settings.open_data if ctx.entries else None


def _relative(here: str, target: str) -> str:
    if target.endswith("/") or target == "":
        return relative_url(here, target)
    # A file: link relative to its folder, then append the name.
    folder, _, name = target.rpartition("/")
    return relative_url(here, folder + "/" if folder else "") + name


def _content_date(entry) -> dt.date:
    """The date of an entry's content: its last review, or for an import not yet reviewed the day of the import."""
    meta = entry.meta
    if meta.laatst_beoordeeld:
        return meta.laatst_beoordeeld
    return meta.herkomst.geimporteerd if meta.herkomst else dt.date(1970, 1, 1)
