"""The start page for new administrators and the accessibility statement.

The start page says why the kennisbank exists, gives the key figures and
three charts (stop reasons ranked, outcomes by evidence design, interventions
started per year and theme), and leads on to the catalogue, the briefings
and the overviews. The accessibility statement (``toegankelijkheid/``)
follows the Dutch model statement; the organisation's own details come from
``settings.texts`` (see ``ACCESSIBILITY_TEXTS``).
"""

from __future__ import annotations

from markupsafe import escape

from ..pages import Page, SiteContext, vocabulary_url
from . import dutch
from .charts import Bar, bar_chart, stacked_bar_chart, year_chart
from .groups import group
from .listing import Links, page
from .overviews import theme_rows, year_span

START_TITLE = "Start"
STATEMENT_TITLE = "Toegankelijkheid"

# settings.texts keys the accessibility statement uses, when the archive sets them.
ACCESSIBILITY_TEXTS = {
    "organisatie": "the organisation that publishes the site",
    "toegankelijkheid_contact": "where to report a problem: an e-mail address, a web address or a sentence",
    "toegankelijkheid_reactietermijn": "how soon a report is answered, e.g. 'binnen vijf werkdagen'",
    "toegankelijkheid_status": "the compliance status, e.g. 'voldoet gedeeltelijk'",
    "toegankelijkheid_datum": "the date of the statement",
}


def home_pages(ctx: SiteContext) -> list[Page]:
    return [start_page(ctx), accessibility_page(ctx)]


def start_page(ctx: SiteContext) -> Page:
    groups = group(ctx)
    links = Links("")
    vocabularies = ctx.vocabularies
    summary = groups.overview
    stopped = summary.per_status.get("gestopt", 0)
    intro = ctx.settings.texts.get("start_intro")
    body: list[str] = []
    if intro:
        body.append(f'<p class="kb-intro">{escape(intro)}</p>')
    body.append(
        '<p class="kb-intro">Wat is er in de wijken al geprobeerd tegen werkloosheid, schooluitval, armoede, '
        "schulden, eenzaamheid en onveiligheid? Wat werkte, en waarom stopte het? Deze kennisbank legt het vast.</p>"
        "<p>Veel wijkprojecten beginnen met tijdelijk geld en verdwijnen als dat geld op is, ook als ze goed werkten: "
        "de <em>projectencarrousel</em>. Wie het project trok, vertrekt; de kennis gaat mee. Een volgend bestuur "
        "bedenkt hetzelfde opnieuw, of stopt iets voordat het effect zichtbaar kon zijn. Deze kennisbank is het "
        "geheugen dat daartegen helpt: per interventie wat er gedaan is, waar, door wie, met welk bewijs, en "
        "waarom het stopte.</p>"
    )

    figures = [
        (len(ctx.entries), "interventies vastgelegd", "interventies/"),
        (stopped, "daarvan gestopt", vocabulary_url("status", "gestopt")),
        (len(summary.lost_successes), "verloren successen: gestopt hoewel het werkte", "verloren-successen/"),
        (len(summary.too_early), "te vroeg gestopt: voordat het effect zichtbaar kon zijn", "te-vroeg-gestopt/"),
    ]
    body.append(
        '<h2>Kerncijfers</h2><ul class="kb-kerncijfers">'
        + "".join(
            f'<li><a href="{links.to(target)}"><span class="kb-kerncijfer">{escape(dutch.number(value))}</span> '
            f"{escape(label)}</a></li>"
            for value, label, target in figures
        )
        + "</ul>"
    )

    body.append(
        "<h2>Waar begin je?</h2><ul>"
        f'<li><a href="{links.to("briefings/")}">Briefings voor nieuwe bestuurders</a>: per thema en per gemeente '
        "wat er geprobeerd is, wat werkte en wat stopte.</li>"
        f'<li><a href="{links.to("interventies/")}">Alle interventies</a>: zoeken en filteren op thema, status, '
        "gemeente, uitkomst en reden van beëindiging.</li>"
        f'<li><a href="{links.to("verloren-successen/")}">Verloren successen</a>, '
        f'<a href="{links.to("te-vroeg-gestopt/")}">te vroeg gestopt</a> en '
        f'<a href="{links.to("carrousel/")}">de projectencarrousel</a>.</li>'
        f'<li>Overzichten per <a href="{links.to("themas/")}">thema</a>, '
        f'<a href="{links.to("gemeenten/")}">gemeente</a>, <a href="{links.to("tijdlijn/")}">tijdvak</a> en '
        f'<a href="{links.to("stopredenen/")}">reden van beëindiging</a>.</li>'
        "</ul>"
    )

    stop = vocabularies["stopredenen"]
    body.append("<h2>Waarom interventies stopten</h2>")
    body.append(bar_chart(
        "grafiek-stopredenen",
        "Redenen van beëindiging",
        [Bar(stop.label_of(code), n, links.to(vocabulary_url("stopredenen", code)))
         for code, n in summary.stop_reasons.most_common()],
        intro="Redenen waarom interventies stopten, van vaak naar weinig genoemd (een interventie kan meer redenen hebben):",
        label_header="Reden van beëindiging",
    ))

    designs = vocabularies["niveau"]
    outcomes = vocabularies["uitkomst"]
    rows = [
        (designs.label_of(code), [summary.outcomes_by_design.get(code, {}).get(o, 0) for o in outcomes.codes])
        for code in designs.codes
        if summary.outcomes_by_design.get(code)
    ]
    body.append("<h2>Wat werkte, en hoe zeker is dat?</h2>")
    body.append(
        "<p>Een positieve uitkomst zegt weinig als er niet goed is gemeten. Per onderzoeksopzet, van geen onderzoek "
        "tot een experiment met controlegroep, de uitkomsten die de interventies lieten zien.</p>"
    )
    body.append(stacked_bar_chart(
        "grafiek-uitkomst-per-opzet",
        "Uitkomsten per onderzoeksopzet",
        rows,
        [term.label for term in outcomes],
        intro="Aantal interventies per onderzoeksopzet, verdeeld naar uitkomst.",
        label_header="Onderzoeksopzet",
    ))

    years = year_span(list(groups.started.values()))
    body.append("<h2>Interventies per jaar en thema</h2>")
    body.append(year_chart(
        "grafiek-per-jaar",
        "Gestarte interventies per jaar en thema",
        years,
        theme_rows(groups.started, vocabularies["themas"], years, lambda code, values: sum(values)),
        intro="Per thema het aantal interventies dat in een jaar begon, en achter elke rij hoeveel dat er samen zijn.",
        peak="de meeste begonnen in {year} ({count})",
    ))
    body.append(
        f'<p><a href="{links.to("tijdlijn/")}">Bekijk de tijdlijn</a> voor het aantal interventies dat per jaar liep.</p>'
    )
    return page("", START_TITLE, body, START_TITLE, 0, kind="start", heading=ctx.settings.site_name)


def _contact(value: str | None) -> str:
    """The contact text as HTML: a mailto link for an address, a link for a web address, else text."""
    if not value:
        return (
            "Neem contact op met de organisatie die deze kennisbank beheert. <em>(De beheerder heeft hier nog geen "
            "contactgegevens ingevuld.)</em>"
        )
    value = value.strip()
    if "@" in value and " " not in value and ":" not in value:
        return f'Stuur een e-mail naar <a href="mailto:{escape(value)}">{escape(value)}</a>.'
    if value.startswith(("https://", "http://")) and " " not in value:
        return f'Gebruik <a href="{escape(value)}">het meldformulier</a>.'
    return str(escape(value))


def accessibility_page(ctx: SiteContext) -> Page:
    texts = ctx.settings.texts
    links = Links("toegankelijkheid/")
    organisation = texts.get("organisatie") or "De organisatie die deze kennisbank beheert"
    status = texts.get("toegankelijkheid_status")
    when = texts.get("toegankelijkheid_datum")
    answer = texts.get("toegankelijkheid_reactietermijn")
    body = [
        f"<p>{escape(organisation)} wil dat iedereen deze kennisbank kan gebruiken, ook mensen met een beperking. "
        "Overheidsorganisaties moeten voldoen aan de Europese norm EN 301 549, die de richtlijnen van WCAG 2.1 op "
        "niveau A en AA omvat (Besluit digitale toegankelijkheid overheid). Deze site is gebouwd om daaraan te "
        "voldoen.</p>",
        "<h2>Stand van zaken</h2>",
    ]
    if status:
        body.append(f"<p>Deze site {escape(status)} aan WCAG 2.1 niveau AA"
                    + (f" (vastgesteld op {escape(when)})" if when else "") + ".</p>")
    else:
        body.append(
            "<p>Er is nog geen volledig onderzoek door een onafhankelijke deskundige gedaan. Daarom zeggen we niet dat "
            "de site volledig voldoet. Hieronder staat wat we wel hebben getest en welke beperkingen we kennen.</p>"
        )
    body += [
        "<h2>Wat we hebben gedaan en getest</h2><ul>"
        "<li>De pagina's gebruiken gewone HTML met koppen in de juiste volgorde, lijsten en tabellen met "
        "kolom- en rijkoppen. De taal van de site is Nederlands.</li>"
        "<li>Elke grafiek heeft een tekst die zegt wat de grafiek laat zien, en de cijfers staan eronder in een "
        "tabel (&ldquo;Bekijk de cijfers&rdquo;). Staven hebben hun getal als tekst: niets is alleen met kleur "
        "aangegeven. De kleuren hebben voldoende contrast.</li>"
        "<li>Bij elke nieuwe versie van de software wordt de site automatisch getest met axe-core (regels voor "
        "WCAG 2.1 A en AA): de startpagina, het overzicht van alle interventies, een beschrijving van een "
        "interventie, de overzichten en de briefings.</li>"
        "<li>De bediening met alleen het toetsenbord wordt bij elke nieuwe versie in de browser getest: elke link in "
        "een briefing is met de Tab-toets te bereiken en heeft een zichtbare focus, en de cijfers onder een grafiek "
        "gaan met het toetsenbord open.</li>"
        "<li>De site laadt geen lettertypen, scripts of andere bestanden van andere websites.</li>"
        "<li>Zonder JavaScript blijft het overzicht van alle interventies bruikbaar als gewone lijst.</li>"
        "</ul>",
        "<h2>Bekende beperkingen</h2><ul>"
        "<li>Automatische tests vinden maar een deel van de mogelijke problemen. De site is nog niet getest met "
        "gebruikers van een schermlezer of vergroting.</li>"
        f'<li>Het <a href="{links.to("interventies/")}">zoeken en filteren</a> werkt alleen met JavaScript.</li>'
        "<li>De beschrijvingen van interventies worden door veel verschillende redacteuren geschreven. Niet elke "
        "tekst is even eenvoudig, en niet elke link zegt even goed waar hij heen gaat.</li>"
        "<li>Bronnen waarnaar de beschrijvingen verwijzen, zoals evaluatierapporten in PDF, staan op andere websites "
        "en zijn niet altijd toegankelijk.</li>"
        "<li>Grafieken met veel jaren hebben kleine staven; de tabel onder de grafiek geeft dezelfde cijfers.</li>"
        "</ul>",
        "<h2>Een probleem melden</h2>",
        f"<p>Kunt u iets op deze site niet gebruiken, of ziet u een fout? Laat het ons weten. {_contact(texts.get('toegankelijkheid_contact'))}"
        + (f" U krijgt {escape(answer)} een reactie." if answer else "")
        + "</p>",
        "<p>Bent u niet tevreden met hoe uw melding is afgehandeld? Dan kunt u contact opnemen met de Nationale "
        "ombudsman, of met de ombudsman of ombudscommissie van uw gemeente.</p>",
    ]
    return page("toegankelijkheid/", STATEMENT_TITLE, body, STATEMENT_TITLE, 900, kind="verklaring",
                heading="Toegankelijkheidsverklaring")
