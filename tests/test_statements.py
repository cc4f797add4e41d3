"""What the published site states about itself: security.txt (RFC 9116), the accessibility statement
(the Dutch model statement) and knowledge holders' names only with consent, in the pages and the open data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import re
from pathlib import Path
from typing import Callable

import pytest
import yaml
from conftest import REPO, entry_text

from kennisbank.accessibility import STATUSES, check_accessibility
from kennisbank.archive import Archive
from kennisbank.build import build_site
from kennisbank.config import Settings
from kennisbank.errors import ConfigError
from kennisbank.security import SECURITY_TXT, check_security_txt
from helpers import write_archive

TODAY = dt.date.today()


@pytest.fixture(scope="module")
def demo_site(built_site: Path) -> Path:
    """The repository's own archive, built (once per run: conftest)."""
    return built_site


def parse_security_txt(text: str) -> dict[str, list[str]]:
    """RFC 9116 § 4's grammar: ``Field: value`` lines, comments (#) and blank lines; anything else fails."""
    fields: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        match = re.fullmatch(r"([A-Za-z0-9-]+): ?(\S(?:.*\S)?)", line)
        assert match, f"not a field line: {line!r}"
        fields.setdefault(match[1].lower(), []).append(match[2])
    return fields


# --- security.txt ---------------------------------------------------------------------------------------


def test_demo_security_txt_is_valid_and_unexpired(demo_site: Path) -> None:
    path = demo_site / SECURITY_TXT
    raw = path.read_bytes()
    raw.decode("utf-8")  # § 4: UTF-8 plain text
    fields = parse_security_txt(raw.decode("utf-8"))
    assert fields["contact"], "Contact is required (§ 2.5.3)"
    for contact in fields["contact"]:
        assert contact.startswith(("mailto:", "https://", "tel:"))
    assert len(fields["expires"]) == 1, "Expires must appear exactly once (§ 2.5.5)"
    expires = dt.datetime.strptime(fields["expires"][0], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
    now = dt.datetime.now(dt.timezone.utc)
    assert now < expires <= now + dt.timedelta(days=366)
    assert fields["preferred-languages"] == ["nl, en"]
    site_url = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
    assert fields["canonical"] == [site_url.rstrip("/") + "/.well-known/security.txt"]
    for once in ("expires", "preferred-languages"):
        assert len(fields[once]) == 1


def test_security_txt_with_a_fixed_date_and_several_contacts(tmp_path: Path) -> None:
    expires = (TODAY + dt.timedelta(days=200)).isoformat()
    root = write_archive(tmp_path, {"a.md": entry_text()}, security_txt={
        "contact": ["mailto:security@gemeente.example.nl", "https://gemeente.example.nl/melden"],
        "expires": expires, "acknowledgments": "https://gemeente.example.nl/dank"})
    site = build_site(Archive.open(root), pagefind=False).site_dir
    fields = parse_security_txt((site / SECURITY_TXT).read_text(encoding="utf-8"))
    assert fields["contact"] == ["mailto:security@gemeente.example.nl", "https://gemeente.example.nl/melden"]
    assert fields["expires"] == [f"{expires}T00:00:00Z"]
    assert fields["acknowledgments"] == ["https://gemeente.example.nl/dank"]
    assert "canonical" not in fields  # no site_url


def test_no_security_txt_without_the_option(tmp_path: Path) -> None:
    root = write_archive(tmp_path, {"a.md": entry_text()})
    site = build_site(Archive.open(root), pagefind=False).site_dir
    assert not (site / SECURITY_TXT).exists()
    assert (site / "_headers").is_file()


@pytest.mark.parametrize("option, complaint", [
    ({"expires": 90}, "contact"),
    ({"contact": "security@example.nl", "expires": 90}, "mailto:security@example.nl"),
    ({"contact": "http://example.nl/melden", "expires": 90}, "contact: 'http://example.nl/melden'"),
    ({"contact": "mailto:a@example.nl"}, "expires"),
    ({"contact": "mailto:a@example.nl", "expires": "volgend jaar"}, "expires: 'volgend jaar'"),
    ({"contact": "mailto:a@example.nl", "expires": "2027-13-01"}, "expires: '2027-13-01'"),
    ({"contact": "mailto:a@example.nl", "expires": 0}, "366"),
    ({"contact": "mailto:a@example.nl", "expires": 90, "policy": "beleid.html"}, "policy: "),
    ({"contact": "mailto:a@example.nl", "expires": 90, "expiry": 3}, "'expiry'"),
    ({"contact": "mailto:a@example.nl", "expires": 90, "preferred_languages": "Nederlands; Engels"},
     "preferred_languages"),
])
def test_malformed_security_txt_is_a_config_error(tmp_path: Path, option: dict, complaint: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(complaint)):
        Settings.from_options(tmp_path, {"security_txt": option})


def test_malformed_security_txt_stops_the_build(tmp_path: Path, run: Callable) -> None:
    root = write_archive(tmp_path, {"a.md": entry_text()}, security_txt={"contact": "mailto:a@example.nl",
                                                                        "expires": "binnenkort"})
    result = run(["build", "--no-pagefind"], root)
    assert result.exit_code != 0
    assert "security_txt" in result.output and "binnenkort" in result.output


@pytest.mark.parametrize("days, warned", [(-3, True), (0, True), (20, True), (60, False), (300, False),
                                          (400, True)])
def test_build_warns_when_expires_is_near_past_or_too_far(tmp_path: Path, caplog, days: int, warned: bool) -> None:
    expires = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=days, hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    root = write_archive(tmp_path, {"a.md": entry_text()},
                         security_txt={"contact": "mailto:a@example.nl", "expires": expires})
    with caplog.at_level(logging.WARNING):
        build_site(Archive.open(root), pagefind=False)
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING and "security_txt.expires" in r.getMessage()]
    assert bool(warnings) == warned, warnings


def test_an_expiring_security_txt_fails_a_strict_build(tmp_path: Path, run: Callable) -> None:
    expires = (TODAY + dt.timedelta(days=10)).isoformat()
    root = write_archive(tmp_path, {"a.md": entry_text()},
                         security_txt={"contact": "mailto:a@example.nl", "expires": expires})
    assert run(["build", "--no-pagefind"], root).exit_code == 0
    assert run(["build", "--no-pagefind", "--strict"], root).exit_code == 1


def test_expires_in_days_follows_the_build() -> None:
    option = check_security_txt({"contact": "mailto:a@example.nl", "expires": 30}, "mkdocs.yml")
    now = dt.datetime(2026, 1, 31, 12, 0, 0, 500, tzinfo=dt.timezone.utc)
    assert "Expires: 2026-03-02T12:00:00Z" in option.text(now, None)
    assert option.expiry_problem(now) is None


# --- the accessibility statement --------------------------------------------------------------------------


def statement(site: Path) -> str:
    html = (site / "toegankelijkheid" / "index.html").read_text(encoding="utf-8")
    return html[html.index('<div class="kb-verklaring">'):html.index("</article>")]


def text_of(html: str) -> str:
    inline = re.sub(r"</?(strong|em|a)\b[^>]*>", "", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", inline)).replace("&#39;", "'")


def test_demo_statement_has_every_section_of_the_model(demo_site: Path) -> None:
    html = statement(demo_site)
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", html)
    assert headings == ["Nalevingsstatus", "Hoe de site is getest", "Bekende beperkingen",
                        "Feedback en contactgegevens", "Handhavingsprocedure", "Over deze verklaring"]
    text = text_of(html)
    options = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))["plugins"][0]["kennisbank"]
    facts = options["accessibility"]
    assert f"{facts['organisation']} is wettelijk verplicht" in text
    assert "Besluit digitale toegankelijkheid overheid" in text
    assert f"De status van deze website is: {facts['status']} \u2013 {STATUSES[facts['status']]}" in text
    assert "onderzocht op 20 november 2026, door de ontwikkelaars van kennisbank" in text
    assert "axe-core" in text
    assert 'href="mailto:toegankelijkheid@kennisbank.example.nl"' in html
    assert "binnen vijf werkdagen" in text
    assert "Nationale ombudsman" in text
    assert "voor het laatst herzien op 20 november 2026" in text
    assert len(re.findall(r"<li>", html[html.index('id="bekende-beperkingen"'):])) >= 3


@pytest.mark.parametrize("status", sorted(STATUSES))
def test_statement_status_follows_the_option(tmp_path: Path, status: str) -> None:
    root = write_archive(tmp_path, {"a.md": entry_text()}, accessibility={
        "status": status.lower() if status == "B" else status, "organisation": "Gemeente Voorbeeldstad",
        "known_issues": ["Tabellen op smalle schermen schuiven.", "PDF's zijn niet getagd."],
        "audit_date": TODAY.isoformat(), "audited_by": "Bureau Toegankelijk", "audit_method": "WCAG-EM, 50 eisen.",
        "statement_date": TODAY.isoformat(), "contact": "https://voorbeeldstad.example.nl/meld",
    })
    text = text_of(statement(build_site(Archive.open(root), pagefind=False).site_dir))
    assert f"De status van deze website is: {status} \u2013 {STATUSES[status]}." in text
    for other in set(STATUSES) - {status}:
        assert STATUSES[other] not in text
    assert "Gemeente Voorbeeldstad is wettelijk verplicht" in text
    assert "Tabellen op smalle schermen schuiven." in text and "PDF's zijn niet getagd." in text
    assert "door Bureau Toegankelijk" in text and "WCAG-EM, 50 eisen." in text


def test_statement_without_options_says_status_e_and_keeps_the_texts_fallback(tmp_path: Path) -> None:
    root = write_archive(tmp_path, {"a.md": entry_text()}, texts={
        "organisatie": "Woonstichting Oost", "toegankelijkheid_contact": "help@oost.example.nl",
        "toegankelijkheid_reactietermijn": "binnen twee weken"})
    text = text_of(statement(build_site(Archive.open(root), pagefind=False).site_dir))
    assert "De status van deze website is: E \u2013 niet bekend." in text
    assert "Woonstichting Oost is wettelijk verplicht" in text
    assert "help@oost.example.nl" in text and "binnen twee weken" in text
    assert "Deze verklaring heeft nog geen datum." in text


@pytest.mark.parametrize("age_days, warned", [(400, True), (366, True), (300, False), (0, False)])
def test_build_warns_when_the_audit_is_more_than_a_year_old(tmp_path: Path, caplog, age_days: int,
                                                            warned: bool) -> None:
    root = write_archive(tmp_path, {"a.md": entry_text()}, accessibility={
        "status": "B", "audit_date": (TODAY - dt.timedelta(days=age_days)).isoformat()})
    with caplog.at_level(logging.WARNING):
        build_site(Archive.open(root), pagefind=False)
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING and "accessibility.audit_date" in r.getMessage()]
    assert bool(warnings) == warned, warnings


def test_an_old_audit_fails_a_strict_build(tmp_path: Path, run: Callable) -> None:
    root = write_archive(tmp_path, {"a.md": entry_text()}, accessibility={"audit_date": "2020-01-15"})
    result = run(["build", "--no-pagefind"], root)
    assert result.exit_code == 0
    assert run(["build", "--no-pagefind", "--strict"], root).exit_code == 1


@pytest.mark.parametrize("option, complaint", [
    ({"status": "F"}, "status"), ({"status": 1}, "status"), ({"audit_date": "vorig jaar"}, "audit_date"),
    ({"known_issues": "alles"}, "known_issues"), ({"statu": "A"}, "'statu'"),
])
def test_malformed_accessibility_option_is_a_config_error(option: dict, complaint: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(complaint)):
        check_accessibility(option, "mkdocs.yml")


# --- knowledge holders' names -------------------------------------------------------------------------------

SECRET_NAME = "Geheime Naamvan Derksen"
PUBLIC_NAME = "Openbare Naamvan Jansen"


def test_a_name_without_consent_is_never_published(tmp_path: Path) -> None:
    """The checker refuses the entry; with `on_error: skip` the build goes on without it, and the name is nowhere."""
    root = write_archive(tmp_path, {
        "met-toestemming.md": entry_text(titel="Met toestemming", kennisdragers=[
            {"rol": "projectleider", "organisatie": "Welzijn Oost", "naam": PUBLIC_NAME, "toestemming": "2024-05-01"}]),
        "zonder-toestemming.md": entry_text(titel="Zonder toestemming", kennisdragers=[
            {"rol": "projectleider", "organisatie": "Welzijn Oost", "naam": SECRET_NAME}]),
    }, on_error="skip")
    site = build_site(Archive.open(root), pagefind=False).site_dir
    published = [path for path in site.rglob("*") if path.is_file()]
    assert any(PUBLIC_NAME in path.read_text("utf-8", errors="replace") for path in published)
    for path in published:
        assert SECRET_NAME not in path.read_text("utf-8", errors="replace"), path
    data = json.loads((site / "data" / "interventies.json").read_text(encoding="utf-8"))
    assert [e["id"] for e in data] == ["met-toestemming"]
    assert data[0]["kennisdragers"][0]["naam"] == PUBLIC_NAME
    rows = list(csv.DictReader(io.StringIO((site / "data" / "interventies.csv").read_text(encoding="utf-8"))))
    assert [row["id"] for row in rows] == ["met-toestemming"]


def test_open_data_drops_a_name_without_consent_that_got_past_the_checker(tmp_path: Path) -> None:
    """Open data enforces consent itself, as the entry page does, should an entry ever get past the checker."""
    from kennisbank.checker import _Report, _validate_model, check_source
    from kennisbank.entry import Entry
    from kennisbank.export import export_csv, export_json
    from kennisbank.reader import parse_entry_text
    from kennisbank.vocabulary import merge_vocabularies

    source = parse_entry_text(tmp_path / "x.md", entry_text(kennisdragers=[
        {"rol": "projectleider", "naam": SECRET_NAME},
        {"rol": "onderzoeker", "naam": PUBLIC_NAME, "toestemming": "2024-05-01"}]))
    vocabularies = merge_vocabularies({})
    meta, problems = check_source(source, "x.md", vocabularies, 365, TODAY)
    assert meta is None and "consent-missing" in [problem.code for problem in problems]
    entry = Entry("x", _validate_model(source, vocabularies, _Report("x.md")), source)  # as if let through
    holders = json.loads(export_json([entry]))[0]["kennisdragers"]
    assert holders == [{"rol": "projectleider"},
                       {"rol": "onderzoeker", "naam": PUBLIC_NAME, "toestemming": "2024-05-01"}]
    assert SECRET_NAME not in export_csv([entry])
