"""The start page for new administrators and the accessibility statement.

The start page says why the kennisbank exists, gives the key figures and
three charts (stop reasons ranked, outcomes by evidence design, interventions
started per year and theme), and leads on to the catalogue, the briefings
and the overviews. The accessibility statement (``toegankelijkheid/``)
follows the Dutch model statement; its facts come from the ``accessibility``
option (kennisbank/accessibility.py), some with ``settings.texts`` as fallback.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from ..pages import Page, SiteContext, vocabulary_url
from . import dutch
from .charts import Bar, bar_chart, stacked_bar_chart, year_chart
from .groups import group
from .listing import Links, page
from .overviews import theme_rows, year_span

START_TITLE = "Start"
STATEMENT_TITLE = "Toegankelijkheid"

# settings.texts keys the accessibility statement falls back to when the ``accessibility`` option leaves them out.
ACCESSIBILITY_TEXTS = {
    "organisatie": "the organisation that publishes the site",
    "toegankelijkheid_contact": "where to report a problem: an e-mail address, a web address or a sentence",
    "toegankelijkheid_reactietermijn": "how soon a report is answered, e.g. 'binnen vijf werkdagen'",
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
        f'<li><a href="{links.to("toets-uw-plan/")}">Toets uw plan</a>: plak een voorstel of projectplan en zie welke '
        "interventies erop lijken en welke vragen u vooraf kunt stellen.</li>"
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
        f'<li><a href="{links.to("bewijskaart/")}">De bewijskaart</a>: per thema hoe goed het effect is onderzocht, '
        "en waar vaak iets is geprobeerd maar nooit gemeten.</li>"
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


# What each compliance status means, after the explanation of the statuses on digitoegankelijk.nl.
STATUS_EXPLANATIONS = {
    "A": "Uit onderzoek blijkt dat de site aan alle eisen voldoet.",
    "B": "Uit onderzoek blijkt dat de site nog niet aan alle eisen voldoet. Van elke afwijking is bekend wat de "
         "oorzaak en het gevolg is, en welke maatregelen worden genomen om haar op te heffen.",
    "C": "Er zijn eerste maatregelen genomen om de site aan de eisen te laten voldoen. Een volledig onderzoek naar "
         "alle eisen is nog niet gedaan; dat is binnen zes maanden gepland.",
    "D": "De site voldoet nog niet aan de eisen, en er is nog geen volledig onderzoek gepland.",
    "E": "Het is niet bekend of de site aan de eisen voldoet: de organisatie heeft dat nog niet vastgesteld.",
}
# The measures the software itself takes on every site it builds.
BUILT_IN_MEASURES = (
    "De pagina's gebruiken gewone HTML met koppen in de juiste volgorde, lijsten en tabellen met kolom- en "
    "rijkoppen. De taal van de site is Nederlands.",
    "Elke grafiek heeft een tekst die zegt wat de grafiek laat zien, en de cijfers staan eronder in een tabel "
    "(\u201cBekijk de cijfers\u201d). Staven hebben hun getal als tekst: niets is alleen met kleur aangegeven. "
    "De kleuren hebben voldoende contrast.",
    "Bij elke nieuwe versie van de software wordt de site automatisch getest met axe-core (regels voor WCAG 2.1 A "
    "en AA): de startpagina, het overzicht van alle interventies, een beschrijving van een interventie, de "
    "overzichten en de briefings.",
    "De bediening met alleen het toetsenbord wordt bij elke nieuwe versie in de browser getest: elke link in een "
    "briefing is met de Tab-toets te bereiken en heeft een zichtbare focus, en de cijfers onder een grafiek gaan "
    "met het toetsenbord open.",
    "De site laadt geen lettertypen, scripts of andere bestanden van andere websites.",
    "Zonder JavaScript blijft het overzicht van alle interventies bruikbaar als gewone lijst.",
)
# Known issues when the archive lists none of its own.
DEFAULT_KNOWN_ISSUES = (
    "Automatische tests vinden maar een deel van de mogelijke problemen. De site is nog niet getest met gebruikers "
    "van een schermlezer of vergroting.",
    "Het zoeken en filteren in het overzicht van alle interventies werkt alleen met JavaScript; zonder JavaScript "
    "is er de gewone lijst.",
    "De beschrijvingen van interventies worden door veel verschillende redacteuren geschreven. Niet elke tekst is "
    "even eenvoudig, en niet elke link zegt even goed waar hij heen gaat.",
    "Bronnen waarnaar de beschrijvingen verwijzen, zoals evaluatierapporten in PDF, staan op andere websites en zijn "
    "niet altijd toegankelijk.",
    "Grafieken met veel jaren hebben kleine staven; de tabel onder de grafiek geeft dezelfde cijfers.",
)


def accessibility_page(ctx: SiteContext) -> Page:
    """The accessibility statement in the order of the Dutch model statement (modelverklaring)."""
    texts = ctx.settings.texts
    facts = ctx.settings.accessibility
    organisation = facts.organisation or texts.get("organisatie") or "De organisatie die deze kennisbank beheert"
    contact = facts.contact or texts.get("toegankelijkheid_contact")
    answer = facts.response_time or texts.get("toegankelijkheid_reactietermijn")
    issues = facts.known_issues if facts.known_issues is not None else DEFAULT_KNOWN_ISSUES
    site = escape(ctx.settings.site_name)
    body = [
        f"<p>{escape(organisation)} wil dat iedereen {site} kan gebruiken, ook mensen met een beperking. "
        f"{escape(organisation)} is wettelijk verplicht om deze website te laten voldoen aan het Besluit digitale "
        "toegankelijkheid overheid: aan de Europese norm EN 301 549, die de richtlijnen van WCAG 2.1 op niveau A en "
        f"AA omvat. Deze verklaring gaat over de hele website {site}.</p>",
        '<h2 id="nalevingsstatus">Nalevingsstatus</h2>',
        f'<p class="kb-verklaring__status">De status van deze website is: <strong>{facts.status} \u2013 '
        f"{escape(facts.status_text)}</strong>.</p>",
        f"<p>{escape(STATUS_EXPLANATIONS[facts.status])}</p>",
        '<h2 id="onderzoek">Hoe de site is getest</h2>',
    ]
    if facts.audit_date:
        by = f", door {escape(facts.audited_by)}" if facts.audited_by else ""
        body.append(f"<p>De site is voor het laatst onderzocht op {escape(dutch.date(facts.audit_date))}{by}.</p>")
    else:
        body.append("<p>Er is nog geen datum van een onderzoek naar de toegankelijkheid van deze site opgegeven.</p>")
    if facts.audit_method:
        body.append(f"<p>{escape(facts.audit_method)}</p>")
    body.append("<p>Wat de software van deze kennisbank zelf doet en test:</p><ul>"
                + "".join(f"<li>{escape(measure)}</li>" for measure in BUILT_IN_MEASURES) + "</ul>")
    body.append('<h2 id="bekende-beperkingen">Bekende beperkingen</h2>')
    if issues:
        body.append("<ul>" + "".join(f"<li>{escape(issue)}</li>" for issue in issues) + "</ul>")
    else:
        body.append("<p>Er zijn geen beperkingen bekend.</p>")
    body += [
        '<h2 id="contact">Feedback en contactgegevens</h2>',
        f"<p>Kunt u iets op deze site niet gebruiken, of ziet u een fout? Laat het ons weten. {_contact(contact)}"
        + (f" U krijgt {escape(answer)} een reactie." if answer else "")
        + "</p>",
        '<h2 id="handhaving">Handhavingsprocedure</h2>',
        "<p>Bent u niet tevreden met hoe uw melding is afgehandeld? Dan kunt u contact opnemen met de Nationale "
        "ombudsman, of met de ombudsman of ombudscommissie van uw gemeente.</p>",
        '<h2 id="over-deze-verklaring">Over deze verklaring</h2>',
        f"<p>Deze verklaring is opgesteld of voor het laatst herzien op {escape(dutch.date(facts.statement_date))}.</p>"
        if facts.statement_date else "<p>Deze verklaring heeft nog geen datum.</p>",
    ]
    return page("toegankelijkheid/", STATEMENT_TITLE, body, STATEMENT_TITLE, 900, kind="verklaring",
                # A soft hyphen: on a phone the long word breaks as "Toegankelijkheids-/verklaring", not mid-syllable.
                heading=Markup("Toegankelijkheids&shy;verklaring"))
