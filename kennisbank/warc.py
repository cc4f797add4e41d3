"""The built site as one WARC file (ISO 28500), for an archive that outlives its server.

``write_warc`` reads ``site/`` as ``kennisbank build`` left it and writes:

- a ``warcinfo`` record (what wrote the file, from which archive);
- one ``response`` record per site file: HTTP/1.1 200 with Content-Type and
  Content-Length, at the file's URL under ``site_url`` from mkdocs.yml (or
  ``http://localhost/`` when there is none); a folder's ``index.html`` also
  gets a ``revisit`` record at the folder's URL (``/interventies/x/``), the
  address its links use;
- a ``resource`` record with the manifest (JSON): every site file's path,
  URL, size and SHA-256, and the same for the sources;
- one ``resource`` record per source: each entry's Markdown
  (``entries/<id>.md``, text/markdown) and mkdocs.yml, so the archive can be
  rebuilt from the WARC alone.

Each record is gzipped on its own (the usual ``.warc.gz``); a name ending in
``.warc`` gives an uncompressed file. No record is larger than 1 GB, as the
Dutch guideline for archiving government websites asks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import mimetypes
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from . import __version__
from .archive import Archive
from .config import CONFIG_FILE, read_mkdocs_yml
from .errors import KennisbankError, UsageError
from .i18n import _

# The largest record the guideline allows; a site file above it cannot be archived.
MAX_RECORD_BYTES = 1_000_000_000
DEFAULT_BASE_URL = "http://localhost/"
MANIFEST_URI = "urn:kennisbank:manifest.json"
SOURCE_URI = "urn:kennisbank:"

# Types the platform's table may lack or get wrong; Pagefind's own files are binary.
_CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".jsonld": "application/ld+json",
    ".csv": "text/csv; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
    ".wasm": "application/wasm",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".md": "text/markdown; charset=utf-8",
}


class SiteMissing(KennisbankError):
    """There is no built site to archive."""


class RecordTooLarge(KennisbankError):
    """A site file is larger than one WARC record may be."""


class OutputExists(KennisbankError):
    """The WARC file is there already; it is never overwritten."""


@dataclass
class WarcReport:
    path: Path
    files: int
    sources: int
    size: int
    seconds: float
    base_url: str
    base_url_configured: bool


def content_type(path: str) -> str:
    """The Content-Type a web server would send for ``path``."""
    suffix = Path(path).suffix.lower()
    if suffix in _CONTENT_TYPES:
        return _CONTENT_TYPES[suffix]
    guessed, _encoding = mimetypes.guess_type(path)
    return guessed or "application/octet-stream"


def default_output(archive: Archive, today: dt.date | None = None) -> Path:
    """``kennisbank-<date>.warc.gz`` in the archive's root."""
    return archive.root / f"kennisbank-{(today or dt.date.today()).isoformat()}.warc.gz"


def base_url(archive: Archive) -> tuple[str, bool]:
    """The site's address from ``site_url`` in mkdocs.yml (ending in /), and whether it was set there."""
    configured = read_mkdocs_yml(archive.root / CONFIG_FILE).get("site_url")
    if isinstance(configured, str) and configured.strip():
        url = configured.strip()
        return (url if url.endswith("/") else url + "/"), True
    return DEFAULT_BASE_URL, False


def site_files(site_dir: Path) -> list[str]:
    """Every file of the site as a /-separated path relative to ``site_dir``, sorted."""
    return sorted(path.relative_to(site_dir).as_posix() for path in site_dir.rglob("*") if path.is_file())


def write_warc(archive: Archive, output: Path | None = None) -> WarcReport:
    """Write the built site, a manifest and the sources to ``output`` (default: ``default_output``)."""
    from .engine import site_folder
    from .files import atomic_open

    started = time.perf_counter()
    site_dir = site_folder(archive)
    if not (site_dir / "index.html").is_file():
        raise SiteMissing(
            _("there is no built site in {folder} to archive").format(folder=archive.display_path(site_dir)),
            hint=_("run `kennisbank build` first"))
    output = (output or default_output(archive)).absolute()
    if output.resolve().is_relative_to(site_dir):
        raise UsageError(_("the WARC file cannot be written inside the site it archives ({folder})").format(
            folder=archive.display_path(site_dir)))
    if output.exists():
        raise _exists(output)
    paths = site_files(site_dir)
    for path in paths:
        size = (site_dir / path).stat().st_size
        if size > MAX_RECORD_BYTES:
            raise RecordTooLarge(_("{path} is {size} bytes; a WARC record holds at most {limit} bytes").format(
                path=archive.display_path(site_dir / path), size=size, limit=MAX_RECORD_BYTES))
    url, configured = base_url(archive)
    sources = [archive.root / CONFIG_FILE, *archive.entry_files()]
    manifest: dict[str, Any] = {
        "generator": f"kennisbank {__version__}",
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "site_url": url,
        "files": [],
        "sources": [],
    }
    try:
        with atomic_open(output, exclusive=True) as handle:
            writer = WARCWriter(handle, gzip=not output.name.endswith(".warc"), warc_version="1.1")
            writer.write_record(writer.create_warcinfo_record(output.name, {
                "software": f"kennisbank/{__version__} (warcio)",
                "format": "WARC File Format 1.1",
                "description": _("The site {name}, built by kennisbank, with its sources").format(
                    name=archive.settings.site_name),
                "isPartOf": url,
            }))
            for path in paths:
                data = (site_dir / path).read_bytes()
                manifest["files"].append(_write_response(writer, url, path, data))
            for source in sources:
                data = source.read_bytes()
                name = source.relative_to(archive.root).as_posix()
                record = writer.create_warc_record(
                    SOURCE_URI + name, "resource", payload=io.BytesIO(data), length=len(data),
                    warc_content_type="application/yaml" if name == CONFIG_FILE else content_type(name))
                writer.write_record(record)
                manifest["sources"].append({"path": name, "size": len(data), "sha256": _sha256(data)})
            text = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
            writer.write_record(writer.create_warc_record(
                MANIFEST_URI, "resource", payload=io.BytesIO(text), length=len(text),
                warc_content_type="application/json"))
    except FileExistsError:
        # Created by someone else while the WARC was being written: theirs stays.
        raise _exists(output) from None
    except OSError as exc:
        raise KennisbankError(_("cannot write {path}: {reason}").format(
            path=output, reason=exc.strerror or exc)) from None
    return WarcReport(output, len(paths), len(sources), output.stat().st_size, time.perf_counter() - started,
                      url, configured)


def _exists(output: Path) -> OutputExists:
    return OutputExists(_("{path} exists already; it is not overwritten").format(path=output),
                        hint=_("give another name with -o, or remove the file"))


def _write_response(writer: WARCWriter, url: str, path: str, data: bytes) -> dict[str, Any]:
    """A site file as a ``response`` record (and a ``revisit`` at its folder's URL); its manifest line."""
    uri = url + path
    headers = StatusAndHeaders("200 OK", [
        ("Content-Type", content_type(path)),
        ("Content-Length", str(len(data))),
    ], protocol="HTTP/1.1")
    record = writer.create_warc_record(uri, "response", payload=io.BytesIO(data), length=len(data),
                                       http_headers=headers)
    writer.write_record(record)
    if path == "index.html" or path.endswith("/index.html"):
        folder = url + path[: -len("index.html")]
        revisit = writer.create_revisit_record(
            folder, record.rec_headers.get_header("WARC-Payload-Digest"), uri,
            record.rec_headers.get_header("WARC-Date"),
            http_headers=StatusAndHeaders("200 OK", list(headers.headers), protocol="HTTP/1.1"))
        writer.write_record(revisit)
    return {"path": path, "url": uri, "size": len(data), "sha256": _sha256(data),
            "content_type": content_type(path)}


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
