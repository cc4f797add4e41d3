"""Overview pages: per vocabulary value, per municipality, the timeline, lost
successes, interventions stopped too early, and the project carousel.

URLs (pages.py): ``<vocabulary>/`` and ``<vocabulary>/<code>/`` for every
vocabulary and every value (also values no entry has, so every link from an
entry card resolves), ``gemeenten/`` and ``gemeenten/<slug>/``, and
``tijdlijn/``, ``verloren-successen/``, ``te-vroeg-gestopt/``, ``carrousel/``.
A list longer than the ``list_page_size`` option goes on over further pages
below its first (``status/gestopt/pagina/2/``; listing.py's ``paged``).
Only the index and overview pages are in the navigation.
"""

from __future__ import annotations

from collections import Counter
from typing import Callable

from markupsafe import escape

from ..entry import Entry
from ..lineage import Chain
from ..pages import Page, SiteContext, vocabulary_url
from ..stats import years_run
from ..vocabulary import Vocabulary
from . import dutch
from .charts import Bar, YearRow, bar_chart, data_table, year_chart
from .groups import Groups, group, last_year
from .listing import (
    EntryTable, Links, chain_html, chain_title, entry_link, first_paragraph, labels, page, paged,
    place_name, status_sentence, value_link,
)
from .verdict import verdict

NAV_SECTION = "Overzichten"

# Index page title (plural) and a one-line introduction per vocabulary.
VOCABULARY_PAGES: dict[str, tuple[str, str]] = {
    "themas": ("Thema's", "Het beleidsterrein waarop een interventie zich richtte. Een interventie kan meer dan één thema hebben."),
    "status": ("Status", "Hoe het een interventie verging: loopt ze nog, is ze gestopt, of is ze blijvend geworden?"),
    "stopredenen": ("Redenen van beëindiging", "Waarom gestopte interventies eindigden. Een interventie kan meer dan één reden hebben."),
    "uitkomst": ("Uitkomsten", "Wat het onderzoek naar een interventie liet zien."),
    "niveau": ("Onderzoeksopzet", "Hoe sterk het onderzoek is waarop de uitkomst berust: van geen onderzoek tot een experiment met een controlegroep."),
    "erkenning": ("Erkenning", "Of een interventie is erkend in een Nederlandse databank van erkende interventies (zoals die van Movisie, het NJi of het RIVM), en op welk niveau."),
    "financiering": ("Financiering", "Hoe een interventie werd betaald: uit tijdelijk projectgeld of uit een vaste begroting."),
    "doelgroepen": ("Doelgroepen", "Voor wie een interventie bedoeld was."),
    "schaal": ("Meetniveau", "Op welk niveau het effect is gemeten: bij de deelnemers, in cijfers over de hele wijk, of allebei."),
}
# Counted by frequency on their index page; the others keep their natural order.
RANKED = {"themas", "stopredenen", "doelgroepen"}

# Navigation order within "Overzichten": what a newcomer needs first, first.
NAV_ORDER = {
    "themas": 110, "gemeenten": 120, "verloren-successen": 130, "te-vroeg-gestopt": 140, "carrousel": 150,
    "tijdlijn": 160, "status": 170, "stopredenen": 180, "uitkomst": 190, "niveau": 200, "erkenning": 210,
    "financiering": 220, "doelgroepen": 230, "schaal": 240,
}
TIMELINE_MAX_YEARS = 60


def overview_pages(ctx: SiteContext) -> list[Page]:
    """Every overview page of the site."""
    groups = group(ctx)
    table = EntryTable(groups, ctx.vocabularies)
    size = ctx.settings.list_page_size
    pages: list[Page] = []
    for name, vocabulary in ctx.vocabularies.items():
        pages += vocabulary_pages(vocabulary, groups, table, size)
    pages += place_pages(groups, table, ctx.vocabularies, size)
    pages.append(timeline_page(groups, ctx))
    pages += lost_successes_pages(groups, ctx.vocabularies, size)
    pages += too_early_pages(groups, ctx.vocabularies, size)
    pages += carousel_pages(groups, ctx.vocabularies, size)
    return pages


def _index_title(vocabulary: Vocabulary) -> str:
    return VOCABULARY_PAGES.get(vocabulary.name, (vocabulary.label, ""))[0]


def vocabulary_pages(vocabulary: Vocabulary, groups: Groups, table: EntryTable, size: int) -> list[Page]:
    """The index of one vocabulary and a page per value."""
    values = groups.by_value.get(vocabulary.name, {})
    title, intro = VOCABULARY_PAGES.get(vocabulary.name, (vocabulary.label, ""))
    index_url = f"{vocabulary.name}/"
    links = Links(index_url)
    codes = list(values)
    if vocabulary.name in RANKED:
        codes.sort(key=lambda code: -len(values[code]))
    rows = "".join(
        f'<tr><th scope="row">{value_link(links, vocabulary, code)}</th>'
        f"<td>{escape(vocabulary.terms[code].uitleg if code in vocabulary.terms else '')}</td>"
        f"<td>{dutch.number(len(values[code]))}</td></tr>"
        for code in codes
    )
    with_value = len({entry.id for code in codes for entry in values[code]})
    body = [
        f'<p class="kb-intro">{escape(intro)}</p>' if intro else "",
        f"<p>{escape(dutch.count(with_value, 'interventie heeft', 'interventies hebben'))} een waarde voor "
        f"{escape(vocabulary.label.lower())}.</p>",
        bar_chart(
            f"grafiek-{vocabulary.name}",
            f"Aantal interventies per {vocabulary.label.lower()}",
            [Bar(vocabulary.label_of(code), len(values[code]), links.to(vocabulary_url(vocabulary.name, code))) for code in codes],
            intro=f"Aantal interventies per {vocabulary.label.lower()}"
            + (", van vaak naar weinig:" if vocabulary.name in RANKED else ":"),
            label_header=vocabulary.label,
        ),
        "<h2>Alle waarden</h2>",
        data_table(f"{title}: betekenis en aantal interventies", ["Waarde", "Betekenis", "Interventies"], rows),
    ]
    pages = [page(index_url, title, body, NAV_SECTION, NAV_ORDER.get(vocabulary.name, 300))]
    for code in values:
        pages += _value_pages(vocabulary, code, values[code], table, size)
    return pages


def _value_pages(vocabulary: Vocabulary, code: str, entries: list[Entry], table: EntryTable, size: int) -> list[Page]:
    url = vocabulary_url(vocabulary.name, code)
    links = Links(url)
    term = vocabulary.terms.get(code)
    label = term.label if term else code
    title = f"{vocabulary.label}: {label}"
    status = table.vocabularies["status"]
    head = [
        f'<p class="kb-uitleg"><strong>{escape(label)}</strong>: {escape(term.uitleg)}</p>' if term and term.uitleg else "",
        f"<p>{status_sentence(entries, status)}</p>" if entries else "",
    ]
    if vocabulary.name == "themas":
        head.append(f'<p><a href="{links.to(f"briefings/themas/{code}/")}">Lees de briefing over dit thema</a></p>')
    caption = f"Interventies met {vocabulary.label.lower()} {label}"
    tail = [f'<p><a href="{links.to(f"{vocabulary.name}/")}">Alle waarden van {escape(_index_title(vocabulary).lower())}</a></p>']
    return paged(url, title, entries, size, lambda part, here: table.html(part, here, caption), head, tail)


def place_pages(groups: Groups, table: EntryTable, vocabularies: dict[str, Vocabulary], size: int) -> list[Page]:
    """``gemeenten/`` and a page per municipality (``landelijk`` for national policy)."""
    links = Links("gemeenten/")
    rows = []
    for place in groups.places.values():
        counts = Counter(entry.meta.status for entry in place.entries)
        lost = sum(1 for entry in place.entries if entry.id in groups.lost_ids)
        rows.append(
            f'<tr><th scope="row"><a href="{links.to(f"gemeenten/{place.slug}/")}">{escape(place_name(place.name))}</a></th>'
            f"<td>{dutch.number(len(place.entries))}</td><td>{dutch.number(counts['lopend'])}</td>"
            f"<td>{dutch.number(counts['gestopt'])}</td><td>{dutch.number(lost)}</td>"
            f'<td><a href="{links.to(f"briefings/gemeenten/{place.slug}/")}">Briefing<span class="kb-visually-hidden"> '
            f"{escape(place_name(place.name))}</span></a></td></tr>"
        )
    body = [
        '<p class="kb-intro">Waar de interventies plaatsvonden. Beleid van het Rijk staat onder <em>Landelijk</em>.</p>',
        f"<p>{escape(dutch.count(len(groups.places), 'gemeente', 'gemeenten'))} (inclusief landelijk beleid).</p>",
        data_table(
            "Interventies per gemeente",
            ["Gemeente", "Interventies", "Lopend", "Gestopt", "Verloren successen", "Briefing"], "".join(rows),
        ),
    ]
    pages = [page("gemeenten/", "Gemeenten", body, NAV_SECTION, NAV_ORDER["gemeenten"])]
    status = vocabularies["status"]
    for place in groups.places.values():
        url = f"gemeenten/{place.slug}/"
        here = Links(url)
        name = place_name(place.name)
        title = "Landelijk beleid" if name == "Landelijk" else f"Gemeente {place.name}"
        head = [
            f"<p>{status_sentence(place.entries, status)}</p>",
            f'<p><a href="{here.to(f"briefings/gemeenten/{place.slug}/")}">Lees de briefing over {escape(name)}</a></p>',
        ]
        tail = [f'<p><a href="{here.to("gemeenten/")}">Alle gemeenten</a></p>']
        caption = f"Interventies in {name}"
        pages += paged(url, title, place.entries, size, lambda part, links: table.html(part, links, caption), head, tail)
    return pages


def year_span(counters: list[Counter]) -> list[int]:
    """The years any counter has, first to last (at most the last ``TIMELINE_MAX_YEARS``)."""
    present = [year for counter in counters for year, n in counter.items() if n]
    if not present:
        return []
    last = max(present)
    first = max(min(present), last - TIMELINE_MAX_YEARS + 1)
    return list(range(first, last + 1))


def theme_rows(
    counts: dict[str, Counter], themes: Vocabulary, years: list[int], total: Callable[[str, list[int]], int],
    uncertain: dict[str, Counter] | None = None,
) -> list[YearRow]:
    """One row of per-year numbers per theme that has any, in the vocabulary's order.

    ``total(code, values)`` is the number of different interventions the row stands for; ``uncertain``
    counts, per theme and year, how many of them perhaps did not run then (drawn apart).
    """
    rows = []
    for code in [*themes.codes, *(c for c in counts if c not in themes.terms)]:
        counter = counts.get(code)
        if counter:
            values = [counter.get(year, 0) for year in years]
            if any(values):
                unsure = (uncertain or {}).get(code) or Counter()
                rows.append(YearRow(themes.label_of(code), values, total(code, values),
                                    [unsure.get(year, 0) for year in years]))
    return rows


def timeline_page(groups: Groups, ctx: SiteContext) -> Page:
    links = Links("tijdlijn/")
    themes = ctx.vocabularies["themas"]
    years = year_span(list(groups.running.values()))
    this_year = ctx.today.year

    def ran_in_span(code: str, values: list[int]) -> int:
        # Each intervention once, however many years it ran (the columns count it in every one of them).
        return sum(
            1 for entry in groups.by_value.get("themas", {}).get(code, [])
            if entry.start_year <= years[-1] and last_year(entry, this_year) >= years[0]
        )

    rows = theme_rows(groups.running, themes, years, ran_in_span, uncertain=groups.uncertain)
    chart = ""
    if rows:
        chart = year_chart(
            "grafiek-tijdlijn",
            "Lopende interventies per jaar en thema",
            years,
            rows,
            intro="Per thema hoeveel interventies er in een jaar liepen (een interventie telt mee in elk jaar dat "
            "ze liep), en achter elke rij hoeveel verschillende interventies dat samen zijn. Een lichter, gearceerd "
            "deel telt interventies waarvan de bronnen het begin of einde alleen bij benadering noemen (zoals "
            "'ca. 1989' of '1995 of 1996'): die liepen in dat jaar misschien.",
            peak="in {year} liepen er de meeste tegelijk ({count})",
            open_table=True,
        )
    per_theme = []
    for code, entries in groups.by_value.get("themas", {}).items():
        if entries:
            # Sorted by start; an unknown start never stands for the first year.
            first = next((entry for entry in entries if entry.start.known), None)
            started = f", de eerste gestart in {dutch.year(first.meta.periode.start)}" if first else ""
            per_theme.append(
                f'<li>{value_link(links, themes, code)}: {escape(dutch.count(len(entries), "interventie", "interventies"))}'
                f"{escape(started)}</li>"
            )
    body = [
        '<p class="kb-intro">Hoe de interventies per thema elkaar in de tijd opvolgden. Golven van projecten die '
        "tegelijk beginnen en tegelijk stoppen, wijzen vaak op tijdelijk geld: de projectencarrousel.</p>",
        chart or '<p class="kb-leeg">Er zijn (nog) geen interventies.</p>',
        f'<h2>Per thema</h2><ul>{"".join(per_theme)}</ul>' if per_theme else "",
    ]
    return page("tijdlijn/", "Tijdlijn per thema", body, NAV_SECTION, NAV_ORDER["tijdlijn"])


def evidence_note(entry: Entry, vocabularies: dict[str, Vocabulary]) -> str:
    """The strength of the evidence behind an outcome and its study design, in the entry page's words,
    with the caution where it is weak: ``Zwak bewijs: het effect is niet met een meting aangetoond
    (onderzoeksopzet: praktijkervaring).`` (escaped)."""
    judged = verdict(entry, vocabularies)
    grounds = f"onderzoeksopzet: {judged.design.lower()}"
    if entry.meta.bewijs.erkenning:
        grounds += f"; erkend als {vocabularies['erkenning'].label_of(entry.meta.bewijs.erkenning).lower()}"
    if not judged.strength:
        return str(escape(grounds[0].upper() + grounds[1:] + "."))
    strength = escape(judged.strength[0].upper() + judged.strength[1:])
    if judged.caution:
        return f'<strong class="kb-zwak">{strength}:</strong> {escape(judged.caution)} ({escape(grounds)}).'
    return f"{strength} ({escape(grounds)})."


def lost_successes_pages(groups: Groups, vocabularies: dict[str, Vocabulary], size: int) -> list[Page]:
    links = Links("verloren-successen/")
    lost = groups.lost_successes
    reasons = Counter(reason for entry in lost for reason in entry.meta.beeindiging.redenen)
    stop = vocabularies["stopredenen"]
    body = [
        '<p class="kb-intro">Interventies die stopten, hoewel het onderzoek een positieve uitkomst liet zien. '
        "Wat ging er verloren, en waarom stopte het?</p>",
        f"<p>{escape(dutch.count(len(lost), 'verloren succes', 'verloren successen'))}.</p>",
    ]
    if reasons:
        body.append(bar_chart(
            "grafiek-verloren-redenen",
            "Waarom verloren successen stopten",
            [Bar(stop.label_of(code), n, links.to(vocabulary_url("stopredenen", code))) for code, n in reasons.most_common()],
            intro="Redenen van beëindiging van de verloren successen, van vaak naar weinig genoemd:",
            label_header="Reden van beëindiging",
        ))

    def cards(part: list[Entry], links: Links) -> str:
        return "".join(_lost_success_card(entry, vocabularies, links) for entry in part)

    return paged("verloren-successen/", "Verloren successen", lost, size, cards, body, [],
                 noun=("verloren succes", "verloren successen"), nav=NAV_SECTION, nav_order=NAV_ORDER["verloren-successen"])


def _lost_success_card(entry: Entry, vocabularies: dict[str, Vocabulary], links: Links) -> str:
    meta = entry.meta
    stop = vocabularies["stopredenen"]
    return (
        f'<article class="kb-kaart"><h2>{entry_link(links, entry)}</h2>'
        f'<p class="kb-feiten">{escape(place_name(meta.gemeente))} · {escape(dutch.period(entry))} · '
        f"{evidence_note(entry, vocabularies)}</p>"
        f"<h3>Wat verloren ging</h3><p>{escape(meta.samenvatting)}</p>"
        f"<h3>Waarom het stopte</h3><p>{escape(labels(stop, meta.beeindiging.redenen))}"
        f"{escape(', besloten door ' + meta.beeindiging.besloten_door) if meta.beeindiging.besloten_door else ''}.</p>"
        f"{first_paragraph(entry, 'Waarom gestopt', links)}</article>"
    )


def too_early_pages(groups: Groups, vocabularies: dict[str, Vocabulary], size: int) -> list[Page]:
    stop = vocabularies["stopredenen"]
    measured = [(entry, years_run(entry) or 0.0) for entry in groups.too_early]
    measured.sort(key=lambda item: item[0].meta.bewijs.effect_na_jaren - item[1], reverse=True)

    def table(part: list[tuple[Entry, float]], links: Links) -> str:
        if not part:
            return ""
        rows = "".join(
            f'<tr><th scope="row">{entry_link(links, entry)}</th>'
            f'<td>{escape(place_name(entry.meta.gemeente))}</td><td>{escape(dutch.period(entry))}</td>'
            f"<td>{escape(dutch.years(ran))}</td><td>{escape(dutch.years(entry.meta.bewijs.effect_na_jaren))}</td>"
            f"<td>{escape(labels(stop, entry.meta.beeindiging.redenen))}</td></tr>"
            for entry, ran in part
        )
        return data_table(
            "Te vroeg gestopte interventies: looptijd en verwachte termijn van effect",
            ["Interventie", "Gemeente", "Periode", "Gelopen", "Effect verwacht na", "Redenen van beëindiging"], rows,
        )

    body = [
        '<p class="kb-intro">Interventies die stopten voordat hun effect zichtbaar kon zijn: ze liepen korter dan '
        "de tijd waarna effecten te verwachten waren. Dat ze &ldquo;niets opleverden&rdquo;, is dan niet vastgesteld.</p>",
        f"<p>{escape(dutch.count(len(measured), 'interventie', 'interventies'))} stopte te vroeg. "
        "Gesorteerd op het grootste tekort aan looptijd.</p>",
    ]
    return paged("te-vroeg-gestopt/", "Te vroeg gestopt", measured, size, table, body, [],
                 nav=NAV_SECTION, nav_order=NAV_ORDER["te-vroeg-gestopt"])


def carousel_pages(groups: Groups, vocabularies: dict[str, Vocabulary], size: int) -> list[Page]:
    """The chains, whole: a page holds chains up to ``size`` entries together (a longer chain has a page alone)."""
    body = [
        '<p class="kb-intro">De projectencarrousel: interventies die elkaar opvolgden, in een ander programma '
        "opgingen of later opnieuw werden uitgevonden. Elke keten begint bij de oudste interventie.</p>",
        f"<p>{escape(dutch.count(len(groups.chains), 'keten', 'ketens'))} met samen "
        f"{escape(dutch.count(sum(len(c.members) for c in groups.chains), 'interventie', 'interventies'))}.</p>",
    ]

    def sections(part: list[Chain], links: Links) -> str:
        return "".join(
            f'<section class="kb-keten-blok"><h2>{escape(chain_title(chain, groups))}</h2>'
            f"{chain_html(chain, groups, vocabularies, links)}</section>"
            for chain in part
        )

    return paged("carrousel/", "Projectencarrousel", groups.chains, size, sections, body, [], noun=("keten", "ketens"),
                 weight=lambda chain: len(chain.members), nav=NAV_SECTION, nav_order=NAV_ORDER["carrousel"])
