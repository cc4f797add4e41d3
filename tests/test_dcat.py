"""The open data catalogue (data/catalogus.jsonld): valid DCAT-AP-NL 3.0, true to the files it describes.

Validated offline with pyshacl against the DCAT-AP 3.0.0 and DCAT-AP-NL 3.0.0 SHACL shapes
in tests/shapes/ (see its README for their source). DCAT-AP-NL asks for both sets.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from pyshacl import validate
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, SKOS

from kennisbank.archive import Archive
from kennisbank.dcat import CATALOGUE_FILE, check_open_data
from kennisbank.errors import ConfigError
from kennisbank.pages import SiteContext
from kennisbank.render.catalogue import open_data_files, open_data_page

from conftest import REPO

SHAPES = Path(__file__).parent / "shapes"
# What a description must satisfy: DCAT-AP's shapes and the Dutch ones on top of them.
REQUIRED = ("dcat-ap-SHACL.ttl", "dcat-ap-nl-SHACL.ttl", "dcat-ap-nl-SHACL-klassebereik.ttl",
            "dcat-ap-nl-SHACL-klassebereik-codelijsten.ttl")
RECOMMENDED = "dcat-ap-nl-SHACL-aanbevolen.ttl"
# Open namespaces: rdflib's closed DCAT and XSD warn when pytest looks for attributes on them.
DCAT = Namespace("http://www.w3.org/ns/dcat#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
CC_BY = URIRef("https://definities.geostandaarden.nl/dcat-ap-nl/id/waardelijst/licenties/naamsvermelding40")


def shapes(*names: str) -> Graph:
    graph = Graph()
    for name in names:
        graph.parse(SHAPES / name, format="turtle")
    return graph


def check(data: Graph, *names: str) -> tuple[bool, Graph, str]:
    """pyshacl's verdict on ``data``. With RDFS inference: the combined DCAT-AP shapes give
    dcat:accessURL and dcat:downloadURL the class rdfs:Resource, which every resource has (rdfs4)."""
    conforms, results, text = validate(data, shacl_graph=shapes(*names), inference="rdfs")
    return conforms, results, text


def result_paths(results: Graph) -> set[URIRef]:
    sh = Namespace("http://www.w3.org/ns/shacl#")
    return {path for path in results.objects(None, sh.resultPath)}


# The demo archive's published address (mkdocs.yml).
SITE_URL = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]


@pytest.fixture(scope="module")
def site(built_site: Path) -> Path:
    """The repository's own archive (entries/ + mkdocs.yml with its open_data block), built (once per run)."""
    return built_site


@pytest.fixture(scope="module")
def catalogue(site: Path) -> Graph:
    return Graph().parse(site / CATALOGUE_FILE, format="json-ld")


@pytest.fixture(scope="module")
def archive(site: Path) -> Archive:
    return Archive.open(site.parent)


def test_catalogue_conforms_to_dcat_ap_nl(catalogue: Graph) -> None:
    conforms, _results, report = check(catalogue, *REQUIRED)
    assert conforms, report


def test_recommended_properties_are_there_but_a_data_service(catalogue: Graph) -> None:
    """Of DCAT-AP-NL's recommendations only dcat:accessService is missing: the files are
    plain downloads, there is no API to name."""
    conforms, results, report = check(catalogue, *REQUIRED, RECOMMENDED)
    assert not conforms
    assert result_paths(results) == {DCAT.accessService}, report


def test_catalogue_is_plain_json_ld_with_one_dataset(site: Path, catalogue: Graph) -> None:
    document = json.loads((site / CATALOGUE_FILE).read_text(encoding="utf-8"))
    # The demo sets site_url: the catalogue's addresses are resolved against its published address.
    assert document["@type"] == "dcat:Catalog" and document["@context"]["@base"] == SITE_URL + CATALOGUE_FILE
    assert list(catalogue.subjects(RDF.type, DCAT.Catalog)) == [URIRef(SITE_URL + CATALOGUE_FILE + "#catalogus")]
    assert len(list(catalogue.subjects(RDF.type, DCAT.Dataset))) == 1
    assert len(list(catalogue.subjects(RDF.type, DCAT.Distribution))) == 2


def _local(site: Path, url: URIRef) -> Path:
    """The file in the built site that a published address (under the demo's site_url) names."""
    text = str(url)
    assert text.startswith(SITE_URL), url
    path = site / unquote(urlsplit(text[len(SITE_URL):]).path)
    assert site.resolve() in path.resolve().parents, url
    return path


def test_distributions_describe_the_real_files(site: Path, catalogue: Graph) -> None:
    seen = {}
    for distribution in catalogue.subjects(RDF.type, DCAT.Distribution):
        download = catalogue.value(distribution, DCAT.downloadURL)
        assert catalogue.value(distribution, DCAT.accessURL) == download
        path = _local(site, download)
        content = path.read_bytes()
        assert catalogue.value(distribution, DCAT.byteSize) == Literal(len(content), datatype=XSD.nonNegativeInteger)
        checksum = catalogue.value(distribution, SPDX.checksum)
        assert catalogue.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(catalogue.value(checksum, SPDX.checksumValue)) == hashlib.sha256(content).hexdigest()
        assert catalogue.value(distribution, DCTERMS.license) == CC_BY
        seen[path.name] = str(catalogue.value(distribution, DCAT.mediaType))
    assert seen == {
        "interventies.json": "https://www.iana.org/assignments/media-types/application/json",
        "interventies.csv": "https://www.iana.org/assignments/media-types/text/csv",
    }


def test_dataset_names_publisher_contact_dates_and_themes(site: Path, catalogue: Graph, archive: Archive) -> None:
    entries = archive.check().entries
    dataset = next(catalogue.subjects(RDF.type, DCAT.Dataset))
    publisher = catalogue.value(dataset, DCTERMS.publisher)
    assert str(catalogue.value(publisher, FOAF.name)) == "Kennisbank Wijkaanpak (demo)"
    contact = catalogue.value(dataset, DCAT.contactPoint)
    assert catalogue.value(contact, VCARD.hasEmail) == URIRef("mailto:kennisbank@example.org")
    # modified: the newest review date, so a rebuild of the same entries gives the same catalogue.
    newest = max(entry.meta.laatst_beoordeeld for entry in entries)
    assert catalogue.value(dataset, DCTERMS.modified) == Literal(newest.isoformat(), datatype=XSD.date)
    assert catalogue.value(dataset, DCTERMS.issued) == Literal("2026-01-15", datatype=XSD.date)
    theme = "http://publications.europa.eu/resource/authority/data-theme/"
    assert set(catalogue.objects(dataset, DCAT.theme)) == {URIRef(theme + "SOCI"), URIRef(theme + "REGI")}
    assert str(catalogue.value(URIRef(theme + "SOCI"), SKOS.prefLabel)) == "Bevolking en samenleving"
    keywords = {str(word) for word in catalogue.objects(dataset, DCAT.keyword)}
    labels = {archive.vocabularies["themas"].label_of(code) for entry in entries for code in entry.meta.themas}
    assert keywords == labels and "Werk" in keywords
    assert catalogue.value(dataset, DCTERMS.language) == URIRef(
        "http://publications.europa.eu/resource/authority/language/NLD")
    landing = catalogue.value(dataset, DCAT.landingPage)
    assert (_local(site, landing) / "index.html").is_file()
    schema = catalogue.value(dataset, DCTERMS.conformsTo)
    assert _local(site, schema) == site / "data" / "schema.json"


def _without(graph: Graph, predicate: URIRef) -> Graph:
    broken = Graph()
    for triple in graph:
        if triple[1] != predicate:
            broken.add(triple)
    return broken


@pytest.mark.parametrize("predicate", [DCTERMS.license, DCAT.contactPoint, DCTERMS.publisher, DCAT.accessURL,
                                       DCTERMS.title, DCAT.theme])
def test_a_catalogue_without_a_required_property_fails(catalogue: Graph, predicate: URIRef) -> None:
    conforms, results, _report = check(_without(catalogue, predicate), *REQUIRED)
    assert not conforms
    assert predicate in result_paths(results)


def test_a_catalogue_with_wrong_values_fails(catalogue: Graph) -> None:
    broken = Graph()
    for subject, predicate, value in catalogue:
        if predicate == DCAT.byteSize:
            value = Literal("groot")
        elif predicate == DCTERMS.license:
            value = Literal("CC BY 4.0")  # a name, not the licence's address
        broken.add((subject, predicate, value))
    conforms, results, _report = check(broken, *REQUIRED)
    assert not conforms
    assert {DCAT.byteSize, DCTERMS.license} <= result_paths(results)


def test_open_data_page_links_the_catalogue_and_names_the_licence(site: Path) -> None:
    html = (site / "open-data" / "index.html").read_text(encoding="utf-8")
    assert 'href="../data/catalogus.jsonld"' in html and "DCAT-AP-NL 3.0" in html
    assert ('<a href="https://creativecommons.org/licenses/by/4.0/deed.nl" rel="noopener noreferrer">CC BY 4.0</a>'
            in html)
    assert 'href="mailto:kennisbank@example.org"' in html


def test_with_site_url_every_address_is_absolute(archive: Archive) -> None:
    context = SiteContext(archive.settings, archive.check().entries)
    files = open_data_files(context, site_url="https://kennisbank.example.nl/wijken/")
    graph = Graph().parse(data=files[CATALOGUE_FILE], format="json-ld")
    conforms, _results, report = check(graph, *REQUIRED)
    assert conforms, report
    addresses = {str(node) for triple in graph for node in triple if isinstance(node, URIRef)}
    assert [a for a in addresses if not a.startswith(("http://", "https://", "mailto:"))] == []
    local = {a for a in addresses if a.startswith("https://kennisbank.example.nl/")}
    assert "https://kennisbank.example.nl/wijken/data/interventies.json" in local
    assert "https://kennisbank.example.nl/wijken/open-data/" in local
    dataset = next(graph.subjects(RDF.type, DCAT.Dataset))
    assert str(graph.value(dataset, DCTERMS.identifier)) == str(dataset) == \
        "https://kennisbank.example.nl/wijken/data/catalogus.jsonld#interventies"


def test_no_catalogue_without_the_open_data_option_or_without_entries(archive: Archive) -> None:
    entries = archive.check().entries
    for context in (SiteContext(dataclasses.replace(archive.settings, open_data=None), entries),
                    SiteContext(archive.settings, [])):
        files = open_data_files(context)
        assert CATALOGUE_FILE not in files and "data/interventies.json" in files
        html = open_data_page(context).html
        assert "catalogus.jsonld" not in html and 'id="licentie"' not in html
    assert "catalogus.jsonld" in open_data_page(SiteContext(archive.settings, entries)).html


GOOD = {"publisher": "Gemeente Voorbeeld", "contact_email": "data@voorbeeld.nl",
        "licence": "http://creativecommons.org/publicdomain/zero/1.0/"}


def test_open_data_option_is_checked() -> None:
    assert check_open_data({}, "mkdocs.yml") is None
    options = check_open_data({**GOOD, "issued": dt.date(2025, 3, 1), "eu_themes": ["SOCI", "HEAL"]}, "mkdocs.yml")
    assert options.issued == dt.date(2025, 3, 1) and options.eu_themes == ("SOCI", "HEAL")
    assert (options.licence_name, options.licence_page) == ("CC0 1.0", GOOD["licence"])


@pytest.mark.parametrize("licence, name, page", [
    ("https://definities.geostandaarden.nl/dcat-ap-nl/id/waardelijst/licenties/cc0", "CC0 1.0",
     "https://creativecommons.org/publicdomain/zero/1.0/deed.nl"),
    ("https://creativecommons.org/licenses/by/4.0/legalcode", "CC BY 4.0",
     "https://creativecommons.org/licenses/by/4.0/legalcode"),
    ("http://creativecommons.org/licenses/by-sa/4.0/deed.nl", "CC BY-SA 4.0",
     "http://creativecommons.org/licenses/by-sa/4.0/deed.nl"),
    ("https://example.org/eigen-licentie", "https://example.org/eigen-licentie", "https://example.org/eigen-licentie"),
])
def test_open_data_page_names_known_licences(licence: str, name: str, page: str) -> None:
    options = check_open_data({**GOOD, "licence": licence}, "mkdocs.yml")
    assert (options.licence_name, options.licence_page) == (name, page)
    assert check_open_data({**GOOD, "issued": "2025-03-01"}, "mkdocs.yml").issued == dt.date(2025, 3, 1)


@pytest.mark.parametrize("change, problem", [
    ({"licence": None}, "licence"),
    ({"publisher": " "}, "publisher"),
    ({"contact_email": None}, "contact_url"),
    ({"contact_email": "geen-adres"}, "contact_email"),
    ({"licence": "CC-BY"}, "licence"),
    ({"issued": "gisteren"}, "issued"),
    ({"eu_themes": ["SOCIAL"]}, "eu_themes"),
    ({"licentie": "x"}, "licentie"),
])
def test_open_data_option_problems_are_named(change: dict, problem: str) -> None:
    raw = {key: value for key, value in {**GOOD, **change}.items() if value is not None}
    with pytest.raises(ConfigError) as error:
        check_open_data(raw, "mkdocs.yml")
    assert "open_data" in str(error.value.message) and problem in str(error.value.message)
