"""Briefings for new administrators: a short, printable dossier per theme and per municipality.

Each briefing answers, in this order: what was tried, what worked (and how
strong the evidence is), what stopped and why, the successes that were lost,
what is still running, the carousel in that theme or place, and the lessons.
Long lists are cut to a few items with a link to the full overview, so a
briefing stays short at any size of archive.

URLs: ``briefings/``, ``briefings/themas/<code>/``, ``briefings/gemeenten/<slug>/``.
"""

from __future__ import annotations

from collections import Counter

from markupsafe import escape

from ..entry import Entry
from ..pages import Page, SiteContext, vocabulary_url
from ..vocabulary import Vocabulary
from . import dutch
from .charts import Bar, bar_chart, data_table
from .groups import Groups, group
from .listing import (
    Links, chain_html, entry_facts, entry_link, first_paragraph, page, place_name,
    value_link,
)
from .overviews import evidence_note
from .verdict import CAUTION_EFFECT, verdict, weak_designs_in_words

NAV_SECTION = "Briefings"
NAV_ORDER = 300
LIST_LIMIT = 10
LESSON_LIMIT = 12
CHAIN_LIMIT = 8
WORKED = ("positief", "gemengd")
LASTING = ("verduurzaamd", "opgeschaald")


def briefing_pages(ctx: SiteContext) -> list[Page]:
    """The briefings index, a briefing per theme and one per municipality."""
    groups = group(ctx)
    vocabularies = ctx.vocabularies
    themes = vocabularies["themas"]
    pages = [_index(groups, themes)]
    for code, entries in groups.by_value.get("themas", {}).items():
        label = themes.label_of(code)
        pages.append(_briefing(
            f"briefings/themas/{code}/", f"Briefing thema {label}", f"het thema {label.lower()}",
            vocabulary_url("themas", code), entries, groups, ctx,
        ))
    for place in groups.places.values():
        name = place_name(place.name)
        title = "Briefing landelijk beleid" if name == "Landelijk" else f"Briefing {place.name}"
        where = "het landelijk beleid" if name == "Landelijk" else place.name
        pages.append(_briefing(
            f"briefings/gemeenten/{place.slug}/", title, where, f"gemeenten/{place.slug}/", place.entries, groups, ctx,
        ))
    return pages


def _index(groups: Groups, themes: Vocabulary) -> Page:
    links = Links("briefings/")
    theme_items = "".join(
        f'<li><a href="{links.to(f"briefings/themas/{code}/")}">{escape(themes.label_of(code))}</a> '
        f"({escape(dutch.count(len(entries), 'interventie', 'interventies'))})</li>"
        for code, entries in sorted(groups.by_value.get("themas", {}).items(), key=lambda i: themes.label_of(i[0]).casefold())
        if entries
    )
    place_items = "".join(
        f'<li><a href="{links.to(f"briefings/gemeenten/{place.slug}/")}">{escape(place_name(place.name))}</a> '
        f"({escape(dutch.count(len(place.entries), 'interventie', 'interventies'))})</li>"
        for place in groups.places.values()
    )
    body = [
        '<p class="kb-intro">Nieuw als wethouder, directeur of programmamanager? Een briefing vat per thema of per '
        "gemeente samen wat er eerder is geprobeerd, wat werkte, wat stopte en waarom, en welke successen "
        "verloren gingen. Elke briefing past op een paar bladzijden en is gemaakt om te printen.</p>",
        f'<h2>Per thema</h2><ul class="kb-kolommen">{theme_items}</ul>' if theme_items else "",
        f'<h2>Per gemeente</h2><ul class="kb-kolommen">{place_items}</ul>' if place_items else "",
    ]
    if not theme_items and not place_items:
        body.append('<p class="kb-leeg">Er zijn (nog) geen interventies.</p>')
    return page("briefings/", NAV_SECTION, body, NAV_SECTION, NAV_ORDER, kind="briefing",
                heading="Briefings voor nieuwe bestuurders")


def _strength(vocabularies: dict[str, Vocabulary]):
    order = {code: index for index, code in enumerate(vocabularies["niveau"].codes)}
    return lambda entry: order.get(entry.meta.bewijs.niveau, -1)


def _more(links: Links, shown: int, total: int, target: str, what: str) -> str:
    if total <= shown:
        return ""
    return (
        f'<p class="kb-meer">En nog {escape(dutch.number(total - shown))}: zie '
        f'<a href="{links.to(target)}">{escape(what)}</a>.</p>'
    )


def _entry_list(links: Links, entries: list[Entry], vocabularies: dict[str, Vocabulary], more_target: str,
                with_place: bool) -> str:
    items = "".join(
        f"<li>{entry_link(links, entry)} ({escape(entry_facts(entry, vocabularies, with_place))})</li>"
        for entry in entries[:LIST_LIMIT]
    )
    return f"<ul>{items}</ul>" + _more(links, LIST_LIMIT, len(entries), more_target, "het volledige overzicht")


def _briefing(url: str, title: str, subject: str, overview_url: str, entries: list[Entry], groups: Groups,
              ctx: SiteContext) -> Page:
    vocabularies = ctx.vocabularies
    links = Links(url)
    is_place = url.startswith("briefings/gemeenten/")
    status_of = Counter(entry.meta.status for entry in entries)
    lost = [entry for entry in entries if entry.id in groups.lost_ids]
    too_early = [entry for entry in entries if entry.id in groups.too_early_ids]
    stopped = [entry for entry in entries if entry.meta.status == "gestopt"]
    body: list[str] = [
        f'<p class="kb-stand">Stand van de kennisbank op {escape(dutch.date(ctx.today))}.</p>',
    ]
    if not entries:
        body.append(
            f"<p>De kennisbank bevat (nog) geen interventies over {escape(subject)}. Dat betekent niet dat er niets "
            "is geprobeerd: het is alleen niet vastgelegd.</p>"
        )
        return page(url, title, body, kind="briefing")

    # Groups keep entries sorted by start, so the first and last started first and last (unknown starts left out).
    years = [entry.start_year for entry in entries if entry.start.known] or [entries[0].start_year]
    first, last = years[0], years[-1]
    started = str(first) if first == last else f"tussen {first} en {last}"
    body.append(
        f'<p class="kb-intro">Wat is er eerder geprobeerd voor {escape(subject)}, wat werkte, wat stopte en waarom? '
        f"Deze briefing vat de {escape(dutch.count(len(entries), 'interventie', 'interventies'))} samen die de "
        f"kennisbank kent, gestart {escape(started)}.</p>"
    )

    # What was tried, in figures.
    figures = [
        ("Interventies", dutch.number(len(entries))),
        ("Nog lopend", dutch.number(status_of["lopend"])),
        ("Gestopt", dutch.number(status_of["gestopt"])),
        ("Blijvend geworden (verduurzaamd of opgeschaald)", dutch.number(sum(status_of[s] for s in LASTING))),
        ("Verloren successen", dutch.number(len(lost))),
        ("Te vroeg gestopt", dutch.number(len(too_early))),
    ]
    body.append(
        '<h2>In het kort</h2><dl class="kb-cijfers">'
        + "".join(f"<div><dt>{escape(label)}</dt><dd>{escape(value)}</dd></div>" for label, value in figures)
        + "</dl>"
    )

    body.append(_what_worked(entries, vocabularies, links, overview_url))
    body.append(_what_stopped(stopped, vocabularies, links, url))

    body.append("<h2>Verloren successen</h2>")
    if lost:
        body.append(
            "<p>Deze interventies stopten, hoewel het onderzoek een positieve uitkomst liet zien:</p>"
            + _entry_list(links, lost, vocabularies, "verloren-successen/", not is_place)
        )
    else:
        body.append("<p>Geen: er is geen interventie met een positieve uitkomst gestopt.</p>")
    if too_early:
        body.append(
            f"<p>{escape(dutch.count(len(too_early), 'interventie stopte', 'interventies stopten'))} voordat het "
            'effect zichtbaar kon zijn (zie <a href="' + links.to("te-vroeg-gestopt/") + '">te vroeg gestopt</a>).</p>'
        )

    running = [entry for entry in entries if entry.meta.status == "lopend"]
    lasting = [entry for entry in entries if entry.meta.status in LASTING]
    body.append("<h2>Wat nog loopt</h2>")
    body.append(
        _entry_list(links, running, vocabularies, overview_url, not is_place) if running
        else "<p>Geen van de interventies loopt nog.</p>"
    )
    if lasting:
        body.append("<h3>Blijvend geworden</h3>" + _entry_list(links, lasting, vocabularies, overview_url, not is_place))

    chains = groups.chains_with(entries)
    if chains:
        body.append(
            "<h2>De carrousel</h2><p>Interventies die elkaar opvolgden, in een ander programma opgingen of opnieuw "
            "werden uitgevonden:</p>"
            + "".join(chain_html(chain, groups, vocabularies, links) for chain in chains[:CHAIN_LIMIT])
            + _more(links, CHAIN_LIMIT, len(chains), "carrousel/", "de projectencarrousel")
        )

    body.append(_lessons(entries, vocabularies, links))
    body.append(
        '<section class="kb-geen-print"><h2>Verder lezen</h2><ul>'
        f'<li><a href="{links.to(overview_url)}">Alle interventies over {escape(subject)}</a></li>'
        f'<li><a href="{links.to("interventies/")}">Zoeken in alle interventies</a></li>'
        f'<li><a href="{links.to("briefings/")}">Andere briefings</a></li></ul></section>'
    )
    return page(url, title, body, kind="briefing")


def _what_worked(entries: list[Entry], vocabularies: dict[str, Vocabulary], links: Links, overview_url: str) -> str:
    outcome = vocabularies["uitkomst"]
    worked = [entry for entry in entries if entry.meta.bewijs.uitkomst in WORKED]
    strength = _strength(vocabularies)
    worked.sort(key=lambda e: (-strength(e), WORKED.index(e.meta.bewijs.uitkomst), e.meta.titel.casefold()))
    outcomes = Counter(entry.meta.bewijs.uitkomst for entry in entries)
    weak = sum(1 for entry in worked if verdict(entry, vocabularies).weak)
    weak_words = escape(weak_designs_in_words(vocabularies["niveau"]))
    out = ["<h2>Wat werkte</h2>"]
    if not worked:
        out.append("<p>Bij geen van de interventies is een positieve of gemengde uitkomst vastgelegd.</p>")
    else:
        out.append(
            f"<p>{escape(dutch.count(outcomes['positief'], 'interventie had', 'interventies hadden'))} een positieve en "
            f"{escape(dutch.number(outcomes['gemengd']))} een gemengde uitkomst.</p>"
        )
        if weak == len(worked):
            out.append(
                '<p class="kb-let-op"><strong>Let op:</strong> bij al deze interventies berust de uitkomst op zwak '
                f"bewijs ({weak_words}): {escape(CAUTION_EFFECT)}.</p>"
            )
        elif weak:
            out.append(
                f'<p class="kb-let-op"><strong>Let op:</strong> bij {escape(dutch.number(weak))} daarvan berust de '
                f"uitkomst op zwak bewijs ({weak_words}); daarvoor geldt: "
                f"{escape(CAUTION_EFFECT)}.</p>"
            )
        rows = "".join(
            f'<tr><th scope="row">{entry_link(links, entry)}</th>'
            f"<td>{escape(outcome.label_of(entry.meta.bewijs.uitkomst))}</td>"
            f"<td>{evidence_note(entry, vocabularies)}</td></tr>"
            for entry in worked[:LIST_LIMIT]
        )
        out.append(data_table(
            "Interventies met een positieve of gemengde uitkomst, het sterkste onderzoek eerst",
            ["Interventie", "Uitkomst", "Bewijs"], rows,
        ))
        out.append(_more(links, LIST_LIMIT, len(worked), overview_url, "het volledige overzicht"))
    no_effect = outcomes["geen-effect"] + outcomes["negatief"]
    if no_effect:
        out.append(
            f"<p>Bij {escape(dutch.count(no_effect, 'interventie', 'interventies'))} werd geen of een negatief effect "
            "gevonden.</p>"
        )
    unknown = outcomes["onbekend"] + outcomes["te-vroeg"]
    if unknown:
        out.append(
            f"<p>Van {escape(dutch.count(unknown, 'interventie', 'interventies'))} is de uitkomst onbekend of was het "
            "te vroeg om effect te zien.</p>"
        )
    return "".join(out)


def _what_stopped(stopped: list[Entry], vocabularies: dict[str, Vocabulary], links: Links, url: str) -> str:
    stop = vocabularies["stopredenen"]
    out = ["<h2>Wat stopte en waarom</h2>"]
    if not stopped:
        out.append("<p>Geen van de interventies is gestopt.</p>")
        return "".join(out)
    reasons = Counter(reason for entry in stopped for reason in entry.meta.beeindiging.redenen).most_common()
    out.append(
        f"<p>{escape(dutch.count(len(stopped), 'interventie is', 'interventies zijn'))} gestopt. "
        "De redenen, van vaak naar weinig genoemd (een interventie kan meer redenen hebben):</p>"
    )
    out.append(
        '<ol class="kb-redenen">'
        + "".join(
            f"<li>{value_link(links, stop, code)}: {escape(dutch.count(n, 'keer', 'keer'))}</li>" for code, n in reasons
        )
        + "</ol>"
    )
    slug = url.rstrip("/").rsplit("/", 1)[-1]
    out.append(bar_chart(
        f"grafiek-stopredenen-{slug}",
        "Redenen van beëindiging",
        [Bar(stop.label_of(code), n, links.to(vocabulary_url("stopredenen", code))) for code, n in reasons],
        intro="Redenen van beëindiging, van vaak naar weinig genoemd:",
        label_header="Reden van beëindiging",
    ))
    return "".join(out)


def _lessons(entries: list[Entry], vocabularies: dict[str, Vocabulary], links: Links) -> str:
    strength = _strength(vocabularies)
    with_lessons = [entry for entry in entries if entry.section_text("Lessen").strip()]
    chosen = sorted(with_lessons, key=lambda e: (-strength(e), e.sort_key))[:LESSON_LIMIT]
    out = ["<h2>Lessen</h2>"]
    if not chosen:
        out.append("<p>Er zijn (nog) geen lessen vastgelegd.</p>")
        return "".join(out)
    if len(with_lessons) > len(chosen):
        out.append(
            f"<p>De lessen van {escape(dutch.number(len(chosen)))} van de {escape(dutch.number(len(with_lessons)))} "
            "interventies, die met het sterkste onderzoek eerst.</p>"
        )
    for entry in chosen:
        out.append(
            f'<section class="kb-les"><h3>{entry_link(links, entry)}</h3>'
            f"{first_paragraph(entry, 'Lessen', links)}</section>"
        )
    return "".join(out)
