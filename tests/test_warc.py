"""`kennisbank archive`: the built site as a WARC file, read back with warcio and replayed in Chromium.

The bundled archive is built for real (Pagefind included) with a ``site_url``
under a sub-path, written as a WARC, and read back with warcio's own reader
(an independent parser: the test never looks at the bytes the way the writer
made them). The replay serves nothing from ``site/``: a tiny HTTP handler
answers only from the records, so a page that loads, and a search that finds,
prove the WARC alone is enough.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import pytest
import yaml
from warcio.archiveiterator import ArchiveIterator

from kennisbank import warc
from kennisbank.archive import Archive
from kennisbank.build import build_site

from conftest import REPO, entry_text
from helpers import FEIJENOORD, FEIJENOORD_TITLE, header_box, serving, type_query

SITE_URL = "https://kennisbank.example.nl/wijkaanpak/"
PREFIX = urlsplit(SITE_URL).path


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled archive with a site_url under a sub-path, built with Pagefind."""
    root = tmp_path_factory.mktemp("warc")
    shutil.copytree(REPO / "entries", root / "entries")
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["site_url"] = SITE_URL
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    build_site(Archive.open(root))
    return root


@pytest.fixture(scope="module")
def warc_file(demo: Path) -> Path:
    from click.testing import CliRunner

    from kennisbank.cli import cli

    output = demo / "demo.warc.gz"
    result = CliRunner().invoke(cli, ["-C", str(demo), "archive", "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert "no site_url" not in result.stderr and "geen site_url" not in result.stderr
    return output


def read_records(path: Path) -> list[tuple[str, dict[str, str], dict[str, str], bytes]]:
    """Every record as (type, WARC headers, HTTP headers, content), read by warcio."""
    records = []
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream):
            http = dict(record.http_headers.headers) if record.http_headers else {}
            records.append((record.rec_type, dict(record.rec_headers.headers), http,
                            record.content_stream().read()))
    return records


@pytest.fixture(scope="module")
def records(warc_file: Path) -> list[tuple[str, dict[str, str], dict[str, str], bytes]]:
    return read_records(warc_file)


def responses(records) -> dict[str, tuple[dict[str, str], bytes]]:
    """Target URI to (HTTP headers, body): the response records, and each revisit resolved to its original."""
    found = {rec["WARC-Target-URI"]: (http, body) for kind, rec, http, body in records if kind == "response"}
    for kind, rec, _http, _body in records:
        if kind == "revisit":
            found[rec["WARC-Target-URI"]] = found[rec["WARC-Refers-To-Target-URI"]]
    return found


def test_archive_holds_every_site_file_with_identical_bytes(demo: Path, records) -> None:
    assert records[0][0] == "warcinfo"
    found = responses(records)
    site = demo / "site"
    files = sorted(p for p in site.rglob("*") if p.is_file())
    pages = [p for p in files if p.suffix == ".html"]
    assert len(pages) > 34
    for path in files:
        relative = path.relative_to(site).as_posix()
        http, body = found[SITE_URL + relative]
        assert body == path.read_bytes(), relative
        assert http["Content-Length"] == str(path.stat().st_size)
    http, _ = found[SITE_URL + f"interventies/{FEIJENOORD}/index.html"]
    assert http["Content-Type"] == "text/html; charset=utf-8"
    # The folder's address, the one the links use, leads to the same page.
    assert found[SITE_URL + f"interventies/{FEIJENOORD}/"] == found[SITE_URL + f"interventies/{FEIJENOORD}/index.html"]
    assert found[SITE_URL] == found[SITE_URL + "index.html"]
    assert all(len(body) <= warc.MAX_RECORD_BYTES for _kind, _rec, _http, body in records)


def test_manifest_hashes_match_the_site_and_the_records(demo: Path, records) -> None:
    [manifest] = [json.loads(body) for kind, rec, _http, body in records
                  if kind == "resource" and rec["WARC-Target-URI"] == warc.MANIFEST_URI]
    site = demo / "site"
    assert sorted(item["path"] for item in manifest["files"]) == sorted(
        p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    found = responses(records)
    for item in manifest["files"]:
        data = (site / item["path"]).read_bytes()
        assert item["size"] == len(data)
        assert item["sha256"] == hashlib.sha256(data).hexdigest() == hashlib.sha256(found[item["url"]][1]).hexdigest()
    sources = {item["path"]: item for item in manifest["sources"]}
    for name, item in sources.items():
        assert item["sha256"] == hashlib.sha256((demo / name).read_bytes()).hexdigest()
    assert manifest["site_url"] == SITE_URL


def test_archive_keeps_every_entry_markdown(demo: Path, records) -> None:
    kept = {rec["WARC-Target-URI"]: (rec["Content-Type"], body) for kind, rec, _http, body in records
            if kind == "resource"}
    entries = sorted((demo / "entries").glob("*.md"))
    # The demo archive grew from 34 to 39 entries with issue 11's entries from real sources.
    assert len(entries) == 39
    for path in entries:
        kind, body = kept[f"{warc.SOURCE_URI}entries/{path.name}"]
        assert kind.startswith("text/markdown")
        assert body == path.read_bytes()
    assert kept[warc.SOURCE_URI + "mkdocs.yml"][1] == (demo / "mkdocs.yml").read_bytes()


class ReplayHandler(BaseHTTPRequestHandler):
    """Answers from the WARC's records alone: ``archived`` maps a target URI to (headers, body)."""

    archived: dict[str, tuple[dict[str, str], bytes]] = {}

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        path = urlsplit(self.path).path
        found = self.archived.get(SITE_URL + path[len(PREFIX):]) if path.startswith(PREFIX) else None
        if found is None:
            self.send_error(404)
            return
        headers, body = found
        self.send_response(200)
        for name in ("Content-Type", "Content-Length"):
            self.send_header(name, headers[name])
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


@contextmanager
def replayed(records) -> Iterator[str]:
    handler = type("Replay", (ReplayHandler,), {"archived": responses(records)})
    with serving(handler) as origin:
        yield origin + PREFIX


@pytest.fixture(scope="module")
def site_url(records) -> Iterator[str]:
    """The replay's address: the site's sub-path on loopback (the name the browser tests' fixtures use)."""
    with replayed(records) as url:
        yield url


@pytest.mark.parametrize("path, heading", [
    ("", None),
    (f"interventies/{FEIJENOORD}/", FEIJENOORD_TITLE),
    ("interventies/", None),
    ("themas/", None),
])
def test_replayed_pages_load_from_the_warc(page, site_url: str, requests: list[str], path: str, heading) -> None:
    response = page.goto(site_url + path)
    assert response is not None and response.status == 200
    title = page.get_by_role("heading", level=1).inner_text()
    assert title == heading if heading else title
    # Stylesheets and scripts came from the WARC too: Material's CSS is applied.
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in ("sticky", "fixed")
    assert any(url.endswith(".css") for url in requests)


def test_replayed_header_search_works_from_the_archived_pagefind(page, site_url: str, requests: list[str]) -> None:
    page.goto(site_url)
    assert FEIJENOORD_TITLE in type_query(page)
    assert any("/pagefind/" in url for url in requests)
    assert header_box(page).is_visible()


def test_archive_without_a_built_site_says_to_build(archive, run) -> None:
    root = archive()
    result = run(["archive"], root)
    assert result.exit_code == 1
    assert "er is geen gebouwde site in site om te archiveren" in result.stderr
    assert "kennisbank build" in result.stderr
    assert "Traceback" not in result.output
    assert not list(root.glob("*.warc*"))


def test_archive_never_overwrites(demo: Path, warc_file: Path, run) -> None:
    before = warc_file.read_bytes()
    result = run(["archive", "-o", str(warc_file)], demo)
    assert result.exit_code == 1
    assert "bestaat al" in result.stderr
    assert warc_file.read_bytes() == before


def test_archive_default_name_and_uncompressed(demo: Path, run) -> None:
    result = run(["archive"], demo)
    assert result.exit_code == 0, result.output
    default = demo / f"kennisbank-{dt.date.today().isoformat()}.warc.gz"
    assert default.read_bytes()[:2] == b"\x1f\x8b"
    plain = demo / "plain.warc"
    assert run(["archive", "-o", str(plain)], demo).exit_code == 0
    assert plain.read_bytes().startswith(b"WARC/1.1\r\n")
    assert len(read_records(plain)) == len(read_records(default))
    default.unlink()
    plain.unlink()


def test_archive_refuses_a_file_larger_than_a_record(demo: Path, run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warc, "MAX_RECORD_BYTES", 10_000)
    output = demo / "too-large.warc.gz"
    result = run(["archive", "-o", str(output)], demo)
    assert result.exit_code == 1
    assert "een WARC-record bevat hoogstens 10000 bytes" in result.stderr
    assert not output.exists()


def test_archive_without_site_url_uses_localhost(archive, run) -> None:
    root = archive({"buurtkamer.md": entry_text()})
    assert run(["build", "--no-pagefind"], root).exit_code == 0
    output = root / "x.warc.gz"
    result = run(["archive", "-o", str(output)], root)
    assert result.exit_code == 0, result.output
    assert "http://localhost/" in result.stderr
    assert "http://localhost/interventies/buurtkamer/index.html" in responses(read_records(output))
