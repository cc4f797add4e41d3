"""publiccode.yml (Standard for Public Code, specification 0.4): the mandatory keys, the allowed
values, and the same licence and version as pyproject.toml."""

from __future__ import annotations

import re
from importlib.metadata import metadata

import pytest
import yaml

from conftest import REPO

PUBLICCODE = yaml.safe_load((REPO / "publiccode.yml").read_text(encoding="utf-8"))
# The installed package's metadata: pyproject.toml's name, version and licence.
PACKAGE = metadata("kennisbank")

# The specification's mandatory keys (https://yml.publiccode.tools/schema.core.html, 0.4).
MANDATORY = ("publiccodeYmlVersion", "name", "url", "platforms", "categories", "developmentStatus",
             "softwareType", "description", "legal", "maintenance", "localisation")
DEVELOPMENT_STATUS = ("concept", "development", "beta", "stable", "obsolete")
SOFTWARE_TYPES = ("standalone/mobile", "standalone/iot", "standalone/desktop", "standalone/web",
                  "standalone/backend", "standalone/other", "addon", "library", "configurationFiles")
MAINTENANCE = ("internal", "contract", "community", "none")
# The categories and scope lists of 0.4 that this file may use (the full lists are longer).
CATEGORIES = ("knowledge-management", "content-management", "data-visualization", "data-analytics",
              "data-collection", "document-management")
SCOPES = ("local-authorities", "welfare", "employment", "society", "government", "healthcare", "education")


def test_mandatory_keys_are_there() -> None:
    assert [key for key in MANDATORY if not PUBLICCODE.get(key)] == []
    assert PUBLICCODE["publiccodeYmlVersion"] == "0.4"


def test_licence_and_version_are_the_projects() -> None:
    assert PUBLICCODE["legal"]["license"] == "EUPL-1.2" == PACKAGE["License"]
    assert PUBLICCODE["name"] == PACKAGE["Name"]
    assert PUBLICCODE["softwareVersion"] == PACKAGE["Version"]


def test_values_come_from_the_specifications_lists() -> None:
    assert re.match(r"^https?://\S+$", PUBLICCODE["url"])
    assert PUBLICCODE["developmentStatus"] in DEVELOPMENT_STATUS
    assert PUBLICCODE["softwareType"] in SOFTWARE_TYPES
    assert set(PUBLICCODE["platforms"]) <= {"web", "windows", "mac", "linux", "ios", "android"}
    assert PUBLICCODE["categories"] and set(PUBLICCODE["categories"]) <= set(CATEGORIES)
    assert set(PUBLICCODE["intendedAudience"]["scope"]) <= set(SCOPES)
    assert PUBLICCODE["intendedAudience"]["countries"] == ["nl"]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_description_fits_the_limits(language: str) -> None:
    description = PUBLICCODE["description"][language]
    assert 0 < len(description["shortDescription"]) <= 150
    assert "\n" not in description["shortDescription"]
    assert 150 <= len(description["longDescription"]) <= 10000
    assert description["features"] and all(isinstance(feature, str) for feature in description["features"])


def test_maintenance_names_who_to_ask() -> None:
    maintenance = PUBLICCODE["maintenance"]
    assert maintenance["type"] in MAINTENANCE
    if maintenance["type"] in ("internal", "community"):
        assert maintenance["contacts"] and all(contact.get("name") for contact in maintenance["contacts"])
    if maintenance["type"] == "contract":
        assert maintenance["contractors"] and all(c.get("name") for c in maintenance["contractors"])


def test_localisation() -> None:
    localisation = PUBLICCODE["localisation"]
    assert localisation["localisationReady"] is True
    assert "nl" in localisation["availableLanguages"]
    # The command line's own catalogue: Dutch, with English as the source language.
    assert (REPO / "kennisbank" / "locale" / "nl" / "LC_MESSAGES" / "kennisbank.po").is_file()


def test_dependencies_are_named_with_string_versions() -> None:
    for dependency in PUBLICCODE["dependsOn"]["open"]:
        assert dependency["name"]
        assert all(isinstance(dependency[key], str) for key in ("version", "versionMin", "versionMax")
                   if key in dependency)
