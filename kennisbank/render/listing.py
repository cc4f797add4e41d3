"""Pieces the overview, briefing and start pages share: links, entry tables, chains, lessons.

Everything that comes from an entry is escaped here (``markupsafe.escape``)
or, for section text, rendered by ``common.render_markdown`` (Markdown, then
nh3 against an allowlist).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache
from html import escape as html_escape
from typing import TypeVar

from markupsafe import Markup, escape

from ..entry import Entry
from ..lineage import Chain, Succession
from ..pages import Page, entry_url, relative_url
from ..vocabulary import Vocabulary
from . import common, dutch
from .charts import data_table
from .common import render_markdown
from .groups import NATIONAL, Groups
from .verdict import verdict

ENTRY_COLUMNS = ("Interventie", "Gemeente", "Periode", "Status", "Uitkomst", "Redenen van beëindiging")

RELATION_WORDS = {
    "opvolger": "opgevolgd door",
    "opgegaan_in": "opgegaan in",
    "heruitgevonden_als": "heruitgevonden als",
}

# common.render_markdown writes links between entries as ``../<id>/`` (right on
# an entry page); on our pages they are rewritten to the entry's real URL.
_ENTRY_HREF = re.compile(r'href="\.\./(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*)/(?P<rest>[^"]*)"')


class Links:
    """Relative links from one page; the same result as ``relative_url`` for directory URLs, without its cost."""

    def __init__(self, here: str) -> None:
        self.here = here
        self.root = relative_url(here, "")

    def to(self, target: str) -> str:
        """The link to ``target``, escaped for an attribute (archive vocabularies may add odd codes)."""
        if self.root == "./":
            return str(escape(target or "./"))
        return str(escape(self.root + target))


def place_name(gemeente: str | list[str]) -> str:
    """A place as readers see it (``Landelijk``); several places joined: ``Rotterdam, Den Haag``."""
    if isinstance(gemeente, list):
        return ", ".join(place_name(place) for place in gemeente)
    return "Landelijk" if gemeente.strip().lower() == NATIONAL else gemeente


def page(url: str, title: str, body: list[str] | str, nav: str | None = None, nav_order: int = 0,
         kind: str = "overzicht", heading: str | None = None) -> Page:
    """A page whose content opens with one ``<h1>``: ``heading``, or else the title (common.py's convention)."""
    content = body if isinstance(body, str) else "".join(body)
    html = f'<div class="kb-{kind}"><h1>{escape(heading or title)}</h1>{content}</div>'
    return Page(url=url, title=title, html=html, nav=nav, nav_order=nav_order, meta={"kennisbank": kind})


T = TypeVar("T")

# Further pages of a long list live below its first page: ``status/gestopt/pagina/2/``.
PAGE_SEGMENT = "pagina"
# Page numbers linked on either side of the current page; the rest are left out (…).
PAGES_AROUND = 2


def page_url(url: str, number: int) -> str:
    """Page ``number`` of the list whose first page is ``url``."""
    return url if number == 1 else f"{url}{PAGE_SEGMENT}/{number}/"


def split(items: Sequence[T], size: int, weight: Callable[[T], int] | None = None) -> list[list[T]]:
    """``items`` in order, in pages of at most ``size`` (by ``weight``; an item heavier than ``size`` has a page alone).

    An empty list is one empty page, so that every list has a first page.
    """
    pages: list[list[T]] = [[]]
    filled = 0
    for item in items:
        heavy = weight(item) if weight else 1
        if pages[-1] and filled + heavy > size:
            pages.append([])
            filled = 0
        pages[-1].append(item)
        filled += heavy
    return pages


def page_numbers(current: int, total: int) -> list[int | None]:
    """The page numbers to link: the first, the last and ``PAGES_AROUND`` around ``current``; None for a gap."""
    shown = {1, total, *range(current - PAGES_AROUND, current + PAGES_AROUND + 1)}
    numbers: list[int | None] = []
    for number in sorted(n for n in shown if 1 <= n <= total):
        if numbers and number - numbers[-1] == 2:  # type: ignore[operator]
            numbers.append(number - 1)  # a gap of one page: its number takes no more room than "…"
        elif numbers and number - numbers[-1] > 2:  # type: ignore[operator]
            numbers.append(None)
        numbers.append(number)
    return numbers


def pagination(url: str, current: int, total: int, links: Links) -> str:
    """The navigation between the pages of one list (empty for a list on one page)."""
    if total <= 1:
        return ""

    def link(number: int, text: str, extra: str = "") -> str:
        return f'<a href="{links.to(page_url(url, number))}"{extra}>{text}</a>'

    items = []
    if current > 1:
        items.append(
            '<li class="kb-paginering__stap">'
            + link(current - 1, 'Vorige<span class="kb-visually-hidden"> pagina</span>', ' rel="prev"') + "</li>"
        )
    for number in page_numbers(current, total):
        if number is None:
            items.append('<li class="kb-paginering__gat" aria-hidden="true">…</li>')
            continue
        extra = ' aria-current="page"' if number == current else ""
        items.append("<li>" + link(number, f'<span class="kb-visually-hidden">Pagina </span>{number}', extra) + "</li>")
    if current < total:
        items.append(
            '<li class="kb-paginering__stap">'
            + link(current + 1, 'Volgende<span class="kb-visually-hidden"> pagina</span>', ' rel="next"') + "</li>"
        )
    return f'<nav class="kb-paginering" aria-label="Paginering"><ul>{"".join(items)}</ul></nav>'


def list_position(noun: str, first: int, last: int, total: int, number: int, pages: int) -> str:
    """Where this page is in its list: "Interventies 101–200 van 5.000 (pagina 2 van 50)."."""
    return (
        f'<p class="kb-paginering__stand">{escape(noun.capitalize())} {dutch.number(first)}–'
        f"{dutch.number(last)} van {dutch.number(total)} (pagina {number} van {pages}).</p>"
    )


def paged(url: str, title: str, items: Sequence[T], size: int, render: Callable[[list[T], Links], str],
          head: list[str], tail: list[str], noun: tuple[str, str] = ("interventie", "interventies"),
          weight: Callable[[T], int] | None = None, nav: str | None = None, nav_order: int = 0,
          kind: str = "overzicht") -> list[Page]:
    """A page that lists ``items``, split over pages of at most ``size`` when it is longer.

    The first page keeps ``url`` and everything around the list (``head``
    and ``tail``, written for that page's links); the next ones, at
    ``url/pagina/<n>/``, hold only a short introduction, their part of the
    list and the navigation. Only the first page can be in the navigation.
    """
    parts = split(items, size, weight)
    total = len(parts)
    if total == 1:
        return [page(url, title, [*head, render(parts[0], Links(url)), *tail], nav, nav_order, kind)]
    pages = []
    first = 1
    for number, part in enumerate(parts, start=1):
        here = page_url(url, number)
        links = Links(here)
        last = first + len(part) - 1
        listing = list_position(noun[1], first, last, len(items), number, total) + render(part, links) + pagination(url, number, total, links)
        if number == 1:
            pages.append(page(url, title, [*head, listing, *tail], nav, nav_order, kind))
        else:
            intro = (
                f'<p class="kb-intro">Het vervolg van de lijst op <a href="{links.to(url)}">{escape(title)}</a>.</p>'
            )
            pages.append(page(here, f"{title} (pagina {number} van {total})", [intro, listing], kind=kind))
        first = last + 1
    return pages


def labels(vocabulary: Vocabulary, codes: list[str]) -> str:
    return ", ".join(vocabulary.label_of(code) for code in codes)


def stop_reasons(entry: Entry) -> list[str]:
    return list(entry.meta.beeindiging.redenen) if entry.meta.beeindiging else []


def entry_facts(entry: Entry, vocabularies: dict[str, Vocabulary], with_place: bool = True) -> str:
    """``1998–2002, Rotterdam, gestopt: tijdelijk geld op`` (plain text, not escaped)."""
    parts = [dutch.period(entry)]
    if with_place:
        parts.append(place_name(entry.meta.gemeente))
    status = vocabularies["status"].label_of(entry.meta.status).lower()
    reasons = stop_reasons(entry)
    if reasons:
        status += ": " + labels(vocabularies["stopredenen"], reasons).lower()
    parts.append(status)
    return ", ".join(parts)


class EntryTable:
    """The table of entries on overview pages; each row is built once per link depth and reused."""

    def __init__(self, groups: Groups, vocabularies: dict[str, Vocabulary]) -> None:
        self.groups = groups
        self.vocabularies = vocabularies
        self._rows: dict[tuple[str, str], str] = {}

    def row(self, entry: Entry, links: Links, select: bool = False) -> str:
        key = (entry.id, links.root, select)
        row = self._rows.get(key)
        if row is None:
            vocab = self.vocabularies
            meta = entry.meta
            choose = (
                f'<td class="kb-kies"><label><input type="checkbox" name="ids" value="{escape(entry.id)}">'
                f'<span class="kb-visually-hidden">Vergelijk {escape(meta.titel)}</span></label></td>'
            ) if select else ""
            row = (
                f'<tr><th scope="row"><a href="{links.to(entry_url(entry.id))}">{escape(meta.titel)}</a></th>'
                "<td>" + ", ".join(
                    f'<a href="{links.to(self.groups.place_url(place))}">{escape(place_name(place))}</a>'
                    for place in meta.plaatsen
                ) + "</td>"
                f"<td>{escape(dutch.period(entry))}</td>"
                f"<td>{escape(vocab['status'].label_of(meta.status))}</td>"
                f"<td>{escape(verdict(entry, vocab).phrase)}</td>"
                f"<td>{escape(labels(vocab['stopredenen'], stop_reasons(entry)))}</td>{choose}</tr>"
            )
            self._rows[key] = row
        return row

    def html(self, entries: list[Entry], links: Links, caption: str, select: bool = False) -> str:
        """The table; with ``select`` a last column of checkboxes (``ids``) for the comparison form."""
        if not entries:
            return '<p class="kb-leeg">Er zijn (nog) geen interventies.</p>'
        rows = "".join(self.row(entry, links, select) for entry in entries)
        return data_table(caption, list(ENTRY_COLUMNS) + ["Vergelijk"] * select, rows, "kb-interventies")


def status_sentence(entries: list[Entry], status: Vocabulary) -> str:
    """``12 interventies: 3 lopend, 8 gestopt en 1 verduurzaamd.`` (escaped)."""
    counts = Counter(entry.meta.status for entry in entries)
    parts = [f"{dutch.number(counts[code])} {term.label.lower()}" for code, term in status.terms.items() if counts[code]]
    parts += [f"{dutch.number(n)} {code}" for code, n in counts.items() if code not in status.terms]
    head = dutch.count(len(entries), "interventie", "interventies")
    return str(escape(f"{head}: {dutch.join(parts)}." if parts else f"{head}."))


def chain_html(chain: Chain, groups: Groups, vocabularies: dict[str, Vocabulary], links: Links) -> str:
    """A chain as an ordered list: ``A (1998–2002, …) → opgevolgd door B → heruitgevonden als C``.

    Where a chain branches, the branches follow as a nested list; an entry
    reached twice is named again without repeating what follows it.
    """
    shown: set[str] = set()

    def step(entry_id: str, via: Succession | None) -> str:
        entry = groups.by_id[entry_id]
        relation = (
            f'<span class="kb-keten__relatie"><span aria-hidden="true">→ </span>{RELATION_WORDS[via.kind]}</span> '
            if via else ""
        )
        return (
            f'<li>{relation}<a href="{links.to(entry_url(entry_id))}">{escape(entry.meta.titel)}</a> '
            f'<span class="kb-keten__feiten">({escape(entry_facts(entry, vocabularies))})</span>'
        )

    def walk(entry_id: str, via: Succession | None) -> list[str]:
        items = [step(entry_id, via)]
        if entry_id in shown:
            items[0] += " <em>(zie hierboven)</em></li>"
            return items
        shown.add(entry_id)
        following = chain.next.get(entry_id, [])
        if len(following) == 1:
            items[0] += "</li>"
            return items + walk(following[0].target, following[0])
        if following:
            branches = "".join(
                f'<li><ol class="kb-keten">{"".join(walk(link.target, link))}</ol></li>' for link in following
            )
            items[0] += f'<ul class="kb-keten__takken">{branches}</ul>'
        items[0] += "</li>"
        return items

    lists = [f'<ol class="kb-keten">{"".join(walk(root, None))}</ol>' for root in chain.roots]
    return "".join(lists)


def chain_title(chain: Chain, groups: Groups) -> str:
    """``A → B``, ``A → … → Z`` for a straight chain; ``A en 4 andere interventies`` where it branches."""
    first = groups.by_id[chain.roots[0]].meta.titel
    if not chain.is_linear:
        return f"{first} en {dutch.count(len(chain.members) - 1, 'andere interventie', 'andere interventies')}"
    last = chain.roots[0]
    while chain.next.get(last):
        last = chain.next[last][0].target
        if last == chain.roots[0]:
            break
    middle = " → " if len(chain.members) == 2 else " → … → "
    return f"{first}{middle}{groups.by_id[last].meta.titel}"


def first_paragraph(entry: Entry, section: str, links: Links) -> Markup:
    """The first paragraph of an entry section as sanitised HTML (empty when the section is)."""
    text = entry.section_text(section).strip()
    if not text:
        return Markup("")
    html = _paragraph_html(re.split(r"\n[ \t]*\n", text, maxsplit=1)[0])
    html = _ENTRY_HREF.sub(lambda m: f'href="{links.to(entry_url(m["id"]))}{m["rest"]}"', html)
    return Markup(html)


# Prose without any Markdown or HTML syntax, links or list markers: Python-Markdown
# would only wrap it in <p>, so escaping it gives the same HTML at a fraction of the cost.
_PLAIN = re.compile(r"[^*_`\[\]<>&#\\|~!@:]*")
_BLOCK_START = re.compile(r"^[ \t]*([-+*>=]|\d+[.)]|    )", re.MULTILINE)


@lru_cache(maxsize=20_000)
def _paragraph_html(paragraph: str) -> str:
    """One paragraph of entry Markdown as sanitised HTML (keyed by its text, so never stale)."""
    plain = _PLAIN.fullmatch(paragraph) and not _BLOCK_START.search(paragraph)
    if plain and "www." not in paragraph and "  \n" not in paragraph:
        return f"<p>{html_escape(paragraph.strip(), quote=False)}</p>"
    return str(render_markdown(paragraph))


def entry_link(links: Links, entry: Entry) -> Markup:
    return common.entry_link(links.here, entry.id, entry.meta.titel)


def value_link(links: Links, vocabulary: Vocabulary, code: str) -> Markup:
    """A vocabulary value linked to its overview page, with its explanation as the link title."""
    return common.vocabulary_link(links.here, vocabulary, code)
