"""The open data catalogue: a DCAT-AP-NL 3.0 description of the site's data set, as JSON-LD.

``data/catalogus.jsonld`` describes the archive as one ``dcat:Dataset`` with
two ``dcat:Distribution``s (``interventies.json`` and ``interventies.csv``),
so that a portal such as data.overheid.nl can harvest it. It is written only
when the archive's ``open_data`` option names a publisher, a contact and a
licence: a catalogue with made-up values would be worse than none.

Plain ``json``, no RDF library: every value is written in JSON-LD's expanded
form (``{"@id": ...}``, ``{"@value": ..., "@type": ...}``), so the document
needs no term definitions beyond its prefixes. Addresses are relative to the
document itself; with ``site_url`` set, ``@base`` makes them absolute (a
harvester needs that, and ``dct:identifier`` must be a stable string). The
tests validate the demo's catalogue with pyshacl against the DCAT-AP 3.0.0
and DCAT-AP-NL 3.0.0 SHACL shapes (``tests/shapes/``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from .errors import ConfigError
from .i18n import _

CATALOGUE_FILE = "data/catalogus.jsonld"
# The EU data theme vocabulary (dcat:theme must take its values from it).
# Codes with their Dutch labels there (skos:prefLabel), which the catalogue repeats for portals and validators.
EU_THEMES = {
    "AGRI": "Landbouw, visserij, bosbouw en voeding", "ECON": "Economie en financiën",
    "EDUC": "Onderwijs, cultuur en sport", "ENER": "Energie", "ENVI": "Milieu",
    "GOVE": "Overheid en publieke sector", "HEAL": "Gezondheid", "INTR": "Internationale vraagstukken",
    "JUST": "Justitie, rechtsstelsel en openbare veiligheid", "OP_DATPRO": "Voorlopige gegevens",
    "REGI": "Regio's en steden", "SOCI": "Bevolking en samenleving", "TECH": "Wetenschap en technologie",
    "TRAN": "Vervoer",
}
EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/"
DUTCH = "http://publications.europa.eu/resource/authority/language/NLD"
NETHERLANDS = "http://publications.europa.eu/resource/authority/country/NLD"
PUBLIC = "http://publications.europa.eu/resource/authority/access-right/PUBLIC"
# DCAT-AP-NL's list of licences (dct:license should take its values from it), and the licences
# a reader knows by name: code in that list, name, and the licence's page at Creative Commons.
LICENCE_LIST = "https://definities.geostandaarden.nl/dcat-ap-nl/id/waardelijst/licenties/"
LICENCES = {
    "cc0": ("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/deed.nl"),
    "naamsvermelding40": ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/deed.nl"),
    "naamsvermelding_gelijkdelen40": ("CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/deed.nl"),
    "public_domain_mark": ("Publiek Domein Merk 1.0", "https://creativecommons.org/publicdomain/mark/1.0/deed.nl"),
}
OPTION_KEYS = ("publisher", "publisher_uri", "contact_email", "contact_url", "licence", "issued", "eu_themes")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"^https?://[^\s/]+\S*$")


@dataclass(frozen=True)
class OpenData:
    """The ``open_data`` option, checked: who publishes the data set, how to reach them, under which licence."""

    publisher: str
    licence: str
    contact_email: str | None = None
    contact_url: str | None = None
    publisher_uri: str | None = None
    issued: dt.date | None = None
    eu_themes: tuple[str, ...] = ("SOCI",)

    @property
    def licence_name(self) -> str:
        return self._licence()[0]

    @property
    def licence_page(self) -> str:
        """Where a reader can read the licence: Creative Commons' page for one of DCAT-AP-NL's list."""
        return self._licence()[1]

    def _licence(self) -> tuple[str, str]:
        if self.licence.startswith(LICENCE_LIST) and self.licence[len(LICENCE_LIST):] in LICENCES:
            return LICENCES[self.licence[len(LICENCE_LIST):]]
        # The same licence by its Creative Commons address (any of its pages, http or https).
        path = re.sub(r"^https?://creativecommons\.org/|(deed\.[a-z-]+|legalcode(\.[a-z-]+)?)$", "", self.licence)
        for name, page in LICENCES.values():
            if page.removeprefix("https://creativecommons.org/").removesuffix("deed.nl") == path.rstrip("/") + "/":
                return name, self.licence
        return self.licence, self.licence


def check_open_data(raw: Mapping[str, Any], source: str) -> OpenData | None:
    """The ``open_data`` option as OpenData (None when it is empty), or a ConfigError naming each problem."""
    if not raw:
        return None
    problems = [_("unknown key {key}").format(key=repr(key)) for key in raw if key not in OPTION_KEYS]
    text: dict[str, str | None] = {}
    for key in ("publisher", "publisher_uri", "contact_email", "contact_url", "licence"):
        value = raw.get(key)
        if value is not None and not isinstance(value, str):
            problems.append(_("{key} must be a text").format(key=key))
        elif key in ("publisher", "licence") and not (value or "").strip():
            problems.append(_("{key} is required").format(key=key))
        text[key] = (value.strip() or None) if isinstance(value, str) else None
    if not text["contact_email"] and not text["contact_url"]:
        problems.append(_("contact_email or contact_url is required"))
    if text["contact_email"] and not _EMAIL.match(text["contact_email"]):
        problems.append(_("contact_email is not an e-mail address: {value}").format(value=repr(text["contact_email"])))
    for key in ("publisher_uri", "contact_url", "licence"):
        if text[key] and not _URL.match(text[key]):
            problems.append(_("{key} is not an http(s) address: {value}").format(key=key, value=repr(text[key])))
    issued = raw.get("issued")
    if isinstance(issued, str):
        try:
            issued = dt.date.fromisoformat(issued)
        except ValueError:
            pass
    if isinstance(issued, dt.datetime) or not (issued is None or isinstance(issued, dt.date)):
        problems.append(_("issued must be a date (YYYY-MM-DD): {value}").format(value=repr(raw.get("issued"))))
        issued = None
    themes = raw.get("eu_themes", ["SOCI"])
    if not isinstance(themes, list) or not themes or any(theme not in EU_THEMES for theme in themes):
        problems.append(_("eu_themes must be a list of codes of the EU data theme vocabulary ({codes})").format(
            codes=", ".join(EU_THEMES)))
        themes = ["SOCI"]
    if problems:
        raise ConfigError(_("{file}: kennisbank option open_data: {problems}").format(
            file=source, problems="; ".join(problems)))
    return OpenData(publisher=text["publisher"], licence=text["licence"], contact_email=text["contact_email"],
                    contact_url=text["contact_url"], publisher_uri=text["publisher_uri"], issued=issued,
                    eu_themes=tuple(dict.fromkeys(themes)))


# --- the catalogue ---------------------------------------------------------------------------------

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "spdx": "http://spdx.org/rdf/terms#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
# The distributions: the file beside this one, its title, IANA media type, EU file type, and what it conforms to.
DISTRIBUTIONS = (
    ("interventies.json", "Alle interventies als JSON", "application/json", "JSON", "schema.json"),
    ("interventies.csv", "Alle interventies als CSV", "text/csv", "CSV", "../open-data/#over-de-csv"),
)
DESCRIPTIONS = {
    "interventies.json": "Alle interventies met hun kenmerken en teksten, één object per interventie.",
    "interventies.csv": "Eén regel per interventie met de kenmerken, zonder de teksten; "
                        "velden met meerdere waarden zijn gescheiden door een puntkomma.",
}


def _iri(value: str, kind: str | Iterable[str] | None = None) -> dict[str, Any]:
    node: dict[str, Any] = {"@id": value}
    if kind:
        node["@type"] = kind if isinstance(kind, str) else list(kind)
    return node


def _text(value: str) -> dict[str, str]:
    return {"@value": value, "@language": "nl"}


def _date(value: dt.date) -> dict[str, str]:
    return {"@value": value.isoformat(), "@type": "xsd:date"}


def catalogue_jsonld(options: OpenData, site_name: str, files: Mapping[str, str], modified: dt.date,
                     keywords: Iterable[str], site_url: str | None = None) -> str:
    """The catalogue for the open data ``files`` (site paths to their text, as written in UTF-8).

    ``modified`` is the date of the newest content (the latest ``laatst_beoordeeld``),
    not the build's: a rebuild of the same entries gives the same catalogue, and a
    harvester sees a new version only when an entry was reviewed.
    """
    dates = {"dct:modified": _date(modified)}
    if options.issued is not None:
        dates = {"dct:issued": _date(options.issued), **dates}
    publisher = _iri(options.publisher_uri or "#uitgever", ["foaf:Agent", "foaf:Organization"])
    publisher["foaf:name"] = options.publisher
    contact: dict[str, Any] = {"@id": "#contact", "@type": ["vcard:Kind", "vcard:Organization"],
                               "vcard:fn": options.publisher}
    if options.contact_email:
        contact["vcard:hasEmail"] = _iri("mailto:" + options.contact_email)
    if options.contact_url:
        contact["vcard:hasURL"] = _iri(options.contact_url)
    licence = _iri(options.licence, "dct:LicenseDocument")
    dutch = _iri(DUTCH, "dct:LinguisticSystem")
    open_data_page = _iri("../open-data/", "foaf:Document")
    dataset_iri = "#interventies"
    distributions = []
    for name, title, media_type, file_type, standard in DISTRIBUTIONS:
        content = files["data/" + name].encode("utf-8")
        distributions.append({
            "@id": f"#{name.replace('.', '-')}",
            "@type": "dcat:Distribution",
            "dct:title": _text(title),
            "dct:description": _text(DESCRIPTIONS[name]),
            "dcat:accessURL": _iri(name),
            "dcat:downloadURL": _iri(name),
            "dcat:mediaType": _iri(f"https://www.iana.org/assignments/media-types/{media_type}", "dct:MediaType"),
            "dct:format": _iri(f"http://publications.europa.eu/resource/authority/file-type/{file_type}",
                               "dct:MediaTypeOrExtent"),
            "dct:conformsTo": _iri(standard, "dct:Standard"),
            "dct:license": licence,
            "dct:language": dutch,
            "dcat:byteSize": {"@value": str(len(content)), "@type": "xsd:nonNegativeInteger"},
            "spdx:checksum": {
                "@type": "spdx:Checksum",
                "spdx:algorithm": _iri("spdx:checksumAlgorithm_sha256", "spdx:ChecksumAlgorithm"),
                "spdx:checksumValue": {"@value": hashlib.sha256(content).hexdigest(), "@type": "xsd:hexBinary"},
            },
            "dct:modified": _date(modified),
        })
    dataset = {
        "@id": dataset_iri,
        "@type": "dcat:Dataset",
        # A harvester's key for the data set: the dataset's own address when the site's is known.
        "dct:identifier": (site_url.rstrip("/") + "/" + CATALOGUE_FILE + dataset_iri) if site_url
        else CATALOGUE_FILE + dataset_iri,
        "dct:title": _text(site_name),
        "dct:description": _text(
            f"Het archief van {site_name}: eerdere interventies in wijken, met wat er is geprobeerd, "
            "waar en door wie, met welk bewijs voor het effect, en waarom ze stopten."),
        "dct:publisher": publisher,
        "dct:creator": publisher,
        "dcat:contactPoint": contact,
        "dct:accessRights": _iri(PUBLIC, "dct:RightsStatement"),
        "dcat:theme": [{**_iri(EU_THEME + code, "skos:Concept"), "skos:prefLabel": _text(EU_THEMES[code])}
                       for code in options.eu_themes],
        "dcat:keyword": [_text(word) for word in sorted(set(keywords), key=str.casefold)],
        "dct:language": dutch,
        "dct:spatial": _iri(NETHERLANDS, "dct:Location"),
        **dates,
        "dcat:landingPage": open_data_page,
        "foaf:page": open_data_page,
        "dct:conformsTo": _iri("schema.json", "dct:Standard"),
        "dcat:distribution": distributions,
    }
    catalogue = {
        "@context": {**CONTEXT, **({"@base": site_url.rstrip("/") + "/" + CATALOGUE_FILE} if site_url else {})},
        "@id": "#catalogus",
        "@type": "dcat:Catalog",
        "dct:title": _text(f"Open data van {site_name}"),
        "dct:description": _text(f"De datasets die {site_name} als open data publiceert."),
        "dct:publisher": publisher,
        "dct:creator": publisher,
        "dcat:contactPoint": contact,
        "dct:license": licence,
        "dct:language": dutch,
        "foaf:homepage": _iri("../", "foaf:Document"),
        **dates,
        "dcat:dataset": dataset,
    }
    return json.dumps(catalogue, ensure_ascii=False, indent=2) + "\n"
