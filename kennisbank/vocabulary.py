"""Controlled vocabularies: the allowed values of an entry's coded fields.

Each value carries a Dutch label and a one-line Dutch explanation that the
site shows to readers. Defaults ship here; an archive extends them in the
plugin configuration of its mkdocs.yml (``vocabularies:``).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any, Mapping


@dataclass(frozen=True)
class Term:
    """One allowed value: the code stored in entries, its label and explanation."""

    code: str
    label: str
    uitleg: str


@dataclass
class Vocabulary:
    """An ordered set of terms for one field (status, themas, ...)."""

    name: str
    label: str
    terms: dict[str, Term] = field(default_factory=dict)

    def __contains__(self, code: object) -> bool:
        return code in self.terms

    def __iter__(self):
        return iter(self.terms.values())

    def __len__(self) -> int:
        return len(self.terms)

    @property
    def codes(self) -> list[str]:
        return list(self.terms)

    def label_of(self, code: str) -> str:
        term = self.terms.get(code)
        return term.label if term else code

    def suggest(self, value: str) -> str | None:
        """The closest known code to a near miss, for a "did you mean" hint."""
        folded = value.strip().lower().replace(" ", "-").replace("_", "-")
        if folded in self.terms:
            return folded
        for term in self.terms.values():
            if folded == term.label.lower().replace(" ", "-"):
                return term.code
        matches = difflib.get_close_matches(folded, self.codes, n=1, cutoff=0.6)
        return matches[0] if matches else None


def _terms(*rows: tuple[str, str, str]) -> dict[str, Term]:
    return {code: Term(code, label, uitleg) for code, label, uitleg in rows}


def default_vocabularies() -> dict[str, Vocabulary]:
    """The vocabularies every archive starts with (ENTRY-FORMAT.md)."""
    return {
        "status": Vocabulary("status", "Status", _terms(
            ("lopend", "Lopend", "De interventie wordt nog uitgevoerd."),
            ("gestopt", "Gestopt", "De interventie is beëindigd en niet voortgezet."),
            ("verduurzaamd", "Verduurzaamd", "De interventie is onderdeel geworden van het reguliere werk en wordt structureel betaald."),
            ("opgeschaald", "Opgeschaald", "De interventie is uitgebreid naar andere wijken, steden of doelgroepen."),
            ("onbekend", "Onbekend", "Niet bekend of de interventie nog loopt."),
        )),
        "themas": Vocabulary("themas", "Thema", _terms(
            ("werk", "Werk", "Toeleiding naar werk, werkloosheid, re-integratie en werkervaring."),
            ("onderwijs", "Onderwijs", "School, schooluitval, startkwalificatie en opleiding."),
            ("gezondheid", "Gezondheid", "Lichamelijke en psychische gezondheid, leefstijl en preventie."),
            ("veiligheid", "Veiligheid", "Criminaliteit, overlast, onveiligheidsgevoelens en handhaving."),
            ("wonen", "Wonen", "Woningen, renovatie, huisvesting en woonomgeving."),
            ("participatie", "Participatie", "Meedoen in de samenleving: vrijwilligerswerk, bewonersinitiatieven, sociaal contact."),
            ("armoede", "Armoede", "Rondkomen met een laag inkomen en de gevolgen daarvan."),
            ("schulden", "Schulden", "Schuldhulpverlening, vroegsignalering en financiële redzaamheid."),
            ("taal", "Taal", "Taalles, laaggeletterdheid en Nederlands als tweede taal."),
            ("jeugd", "Jeugd", "Kinderen en jongeren, opvoeding en jeugdzorg."),
            ("zorg", "Zorg", "Zorg en ondersteuning, welzijn, mantelzorg en wijkteams."),
            ("leefbaarheid", "Leefbaarheid", "Schoon, heel en prettig samenleven in de buurt."),
            ("integratie", "Integratie", "Inburgering, nieuwkomers en contact tussen groepen."),
        )),
        "doelgroepen": Vocabulary("doelgroepen", "Doelgroep", _terms(
            ("kinderen", "Kinderen", "Kinderen tot ongeveer twaalf jaar."),
            ("jongeren", "Jongeren", "Jongeren van ongeveer twaalf tot 27 jaar."),
            ("ouders", "Ouders", "Ouders en opvoeders."),
            ("gezinnen", "Gezinnen", "Gezinnen als geheel, vaak met meerdere problemen."),
            ("ouderen", "Ouderen", "Ouderen, meestal 65 jaar en ouder."),
            ("werkzoekenden", "Werkzoekenden", "Mensen zonder werk die werk zoeken of een uitkering hebben."),
            ("nieuwkomers", "Nieuwkomers", "Statushouders, migranten en andere nieuwe inwoners."),
            ("bewoners", "Bewoners", "Alle bewoners van een buurt of wijk."),
            ("huurders", "Huurders", "Huurders, vaak van een woningcorporatie."),
            ("ondernemers", "Ondernemers", "Ondernemers en winkeliers in de wijk."),
            ("vrijwilligers", "Vrijwilligers", "Bewoners die zich vrijwillig inzetten."),
            ("professionals", "Professionals", "Beroepskrachten zoals welzijnswerkers, wijkagenten en docenten."),
        )),
        "stopredenen": Vocabulary("stopredenen", "Reden van beëindiging", _terms(
            ("financiering-afgelopen", "Tijdelijk geld op", "De tijdelijke financiering liep af en er kwam geen vervolg."),
            ("bezuiniging", "Bezuiniging", "Het budget werd geschrapt of verlaagd."),
            ("trekker-vertrokken", "Trekker vertrokken", "De drijvende kracht achter het project vertrok of viel uit."),
            ("geen-effect", "Geen effect", "Er werd geen effect aangetoond."),
            ("doel-bereikt", "Doel bereikt", "Het doel was bereikt; voortzetting was niet nodig."),
            ("beleidswijziging", "Beleidswijziging", "Een nieuw bestuur of nieuw beleid koos andere prioriteiten."),
            ("opgegaan-in-ander", "Opgegaan in ander programma", "Het werk ging verder als onderdeel van een ander programma."),
            ("verantwoordingslast", "Verantwoordingslast", "De bureaucratie en verantwoordingseisen werden te zwaar."),
            ("gebrek-aan-draagvlak", "Gebrek aan draagvlak", "Bewoners of partners steunden het project onvoldoende."),
            ("onbekend", "Onbekend", "Niet bekend waarom de interventie stopte."),
        )),
        "niveau": Vocabulary("niveau", "Onderzoeksopzet", _terms(
            ("geen", "Geen onderzoek", "Er is niets gemeten of vastgelegd."),
            ("praktijkervaring", "Praktijkervaring", "Ervaringen van uitvoerders en deelnemers, niet systematisch gemeten."),
            ("monitoring", "Monitoring", "Cijfers over bereik en uitvoering werden bijgehouden."),
            ("voor-en-nameting", "Voor- en nameting", "Dezelfde groep werd voor en na de interventie gemeten, zonder vergelijkingsgroep."),
            ("quasi-experimenteel", "Quasi-experimenteel", "Vergeleken met een vergelijkbare groep of wijk zonder de interventie."),
            ("experimenteel", "Experimenteel", "Gerandomiseerd onderzoek met een controlegroep."),
        )),
        "uitkomst": Vocabulary("uitkomst", "Uitkomst", _terms(
            ("positief", "Positief", "Het onderzoek liet een gunstig effect zien."),
            ("gemengd", "Gemengd", "Op sommige doelen wel effect, op andere niet."),
            ("geen-effect", "Geen effect", "Er werd geen effect gevonden."),
            ("negatief", "Negatief", "De situatie werd slechter door de interventie."),
            ("onbekend", "Onbekend", "De uitkomst is niet bekend."),
            ("te-vroeg", "Te vroeg", "Het was te vroeg om effecten te kunnen zien."),
        )),
        "schaal": Vocabulary("schaal", "Meetniveau", _terms(
            ("individu", "Individu", "Het effect is gemeten bij deelnemers."),
            ("wijk", "Wijk", "Het effect is gemeten in cijfers over de hele wijk."),
            ("beide", "Individu en wijk", "Het effect is bij deelnemers en in de wijk gemeten."),
        )),
        "erkenning": Vocabulary("erkenning", "Erkenning", _terms(
            ("goed-beschreven", "Goed beschreven", "Erkend als goed beschreven: doel, doelgroep en aanpak zijn helder."),
            ("goed-onderbouwd", "Goed onderbouwd", "Erkend als goed onderbouwd: er is een theorie waarom het zou werken."),
            ("eerste-aanwijzingen", "Eerste aanwijzingen voor effectiviteit", "Erkend als effectief, met eerste aanwijzingen."),
            ("goede-aanwijzingen", "Goede aanwijzingen voor effectiviteit", "Erkend als effectief, met goede aanwijzingen."),
            ("sterke-aanwijzingen", "Sterke aanwijzingen voor effectiviteit", "Erkend als effectief, met sterke aanwijzingen."),
        )),
        "financiering": Vocabulary("financiering", "Financiering", _terms(
            ("tijdelijk", "Tijdelijk", "Betaald uit tijdelijk projectgeld."),
            ("structureel", "Structureel", "Betaald uit een vaste begroting."),
            ("gemengd", "Gemengd", "Deels tijdelijk, deels structureel betaald."),
            ("onbekend", "Onbekend", "Niet bekend hoe het werd betaald."),
        )),
    }


VOCABULARY_NAMES = tuple(default_vocabularies())


def merge_vocabularies(extra: Mapping[str, Any] | None) -> dict[str, Vocabulary]:
    """Defaults extended by an archive's configuration.

    ``extra`` maps a vocabulary name to ``{code: {label, uitleg}}`` (or to a
    plain label string). The caller validates the shape (see config.py).
    """
    vocabularies = default_vocabularies()
    for name, terms in (extra or {}).items():
        vocabulary = vocabularies[name]
        for code, spec in terms.items():
            if isinstance(spec, str):
                spec = {"label": spec}
            spec = spec or {}
            # Re-declaring a known code may change its label or explanation; what is left out stays.
            known = vocabulary.terms.get(code)
            label = spec.get("label") or (known.label if known else code)
            uitleg = spec.get("uitleg") or (known.uitleg if known else "")
            vocabulary.terms[code] = Term(code, str(label), str(uitleg))
    return vocabularies

