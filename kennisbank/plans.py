"""Reading a plan as people write it: Markdown or plain text, Word (.docx), PDF, OpenDocument (.odt).

``kennisbank precedent`` and ``similar --file`` read plans here. Every path is
bounded before a library sees the file: its size (``max_plan_bytes`` in
mkdocs.yml), for the zip-based formats the number of members, their total
uncompressed size and compression ratio (a zip bomb is refused without being
unpacked), for PDFs the number of pages, and for all the length of the text.
Anything the libraries cannot read (a corrupt file, a password-protected PDF,
a scan without text) is a ``PlanError``: a clear message, never a traceback.
Nothing in a document is ever run: the libraries only read its text.
"""

from __future__ import annotations

import sys
import unicodedata
import zipfile
from pathlib import Path
from typing import BinaryIO

from .errors import UsageError
from .i18n import _

DEFAULT_MAX_BYTES = 20_000_000
# Zip-based formats (docx, odt): refused before unpacking when any of these is exceeded.
MAX_MEMBERS = 1_000
MAX_UNCOMPRESSED = 100_000_000
MAX_RATIO = 100
# A member this small may be compressed at any ratio (a few kB of repeated XML is normal).
RATIO_FREE_BYTES = 1_000_000
MAX_PDF_PAGES = 500
MAX_CHARACTERS = 2_000_000
TEXT_SUFFIXES = (".md", ".markdown", ".txt", ".text")
FORMATS = ".md, .txt, .docx, .pdf, .odt"
TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


class PlanError(UsageError):
    """A plan that cannot be read, with the reason in the reader's words."""


def read_plan(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The text of the plan at ``path`` (``-``: standard input), paragraphs separated by blank lines."""
    if str(path) == "-":
        return _text_of(_read_bounded(sys.stdin.buffer, max_bytes, _("standard input")), _("standard input"))
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise PlanError(_("{file}: not a file").format(file=path))
    except OSError as exc:
        raise PlanError(_("{file}: cannot read: {reason}").format(file=path, reason=exc.strerror or exc)) from None
    if size > max_bytes:
        raise PlanError(_("{file}: too large ({size} MB; at most {limit} MB, the max_plan_bytes setting)").format(
            file=path, size=_megabytes(size), limit=_megabytes(max_bytes)))
    if size == 0:
        raise PlanError(_("{file}: the file is empty").format(file=path))
    if suffix in TEXT_SUFFIXES:
        text = _text_of(path.read_bytes(), path)
    elif suffix == ".docx":
        _check_zip(path)
        text = _guarded(path, "Word", lambda: _docx_text(path))
    elif suffix == ".odt":
        _check_zip(path)
        text = _guarded(path, "OpenDocument", lambda: _odt_text(path))
    elif suffix == ".pdf":
        text = _pdf_text(path)
    elif suffix in (".doc", ".rtf", ".pages", ".wpd"):
        raise PlanError(_("{file}: this older or other word processor format cannot be read; "
                          "save it as .docx, .odt or .pdf").format(file=path))
    else:
        raise PlanError(_("{file}: unknown file type {suffix!r}; a plan can be {formats}").format(
            file=path, suffix=suffix or _("(none)"), formats=FORMATS))
    return _checked(text, path)


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.1f}".replace(".", ",")


def _read_bounded(stream: BinaryIO, max_bytes: int, name: str) -> bytes:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise PlanError(_("{file}: too large ({size} MB; at most {limit} MB, the max_plan_bytes setting)").format(
            file=name, size=_("more than {limit}").format(limit=_megabytes(max_bytes)), limit=_megabytes(max_bytes)))
    return data


def _text_of(data: bytes, name: object) -> str:
    if b"\0" in data[:8192]:
        raise PlanError(_("{file}: not a text file (binary content); a plan can be {formats}").format(
            file=name, formats=FORMATS))
    try:
        return _checked(data.decode("utf-8-sig"), name)
    except UnicodeDecodeError:
        raise PlanError(_("{file}: not UTF-8 text").format(file=name)) from None


def _checked(text: str, name: object) -> str:
    # NFKC: a PDF's ligatures ("ﬁ") and width variants become the letters search knows.
    text = unicodedata.normalize("NFKC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise PlanError(_("{file}: no readable text in it").format(file=name))
    if len(text) > MAX_CHARACTERS:
        raise PlanError(_("{file}: too long ({n} characters; at most {limit})").format(
            file=name, n=len(text), limit=MAX_CHARACTERS))
    return text


def _check_zip(path: Path) -> None:
    """Refuse a docx/odt that is not a zip, or that would unpack to too much (a zip bomb), before any library opens it."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise PlanError(_("{file}: damaged or not really a {suffix} file").format(
            file=path, suffix=path.suffix.lower())) from None
    if len(members) > MAX_MEMBERS:
        raise PlanError(_("{file}: refused: the document holds {n} parts (at most {limit})").format(
            file=path, n=len(members), limit=MAX_MEMBERS))
    total = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    bomb = total > MAX_UNCOMPRESSED or any(
        member.file_size > RATIO_FREE_BYTES and member.file_size > MAX_RATIO * max(1, member.compress_size)
        for member in members) or (total > RATIO_FREE_BYTES and total > MAX_RATIO * max(1, packed))
    if bomb:
        raise PlanError(_("{file}: refused: it would unpack to {size} MB from {packed} MB (a zip bomb?)").format(
            file=path, size=_megabytes(total), packed=_megabytes(packed)))


def _guarded(path: Path, kind: str, read) -> str:
    try:
        return read()
    except PlanError:
        raise
    except Exception:  # the libraries raise many kinds of error on a damaged file; all mean the same here
        raise PlanError(_("{file}: damaged or not a readable {kind} document").format(file=path, kind=kind)) from None


def _docx_text(path: Path) -> str:
    """Paragraphs and tables in document order (a subsidy form is often one big table); headings marked."""
    import docx
    from docx.table import Table

    blocks = []
    for part in docx.Document(str(path)).iter_inner_content():
        if isinstance(part, Table):
            for row in part.rows:
                cells = [cell.text.strip() for cell in row.cells]
                line = " · ".join(dict.fromkeys(c for c in cells if c))  # merged cells repeat their text
                if line:
                    blocks.append(line)
            continue
        text = part.text.strip()
        if text:
            style = (part.style.name or "").lower() if part.style is not None else ""
            blocks.append(f"## {text}" if style.startswith(("heading", "kop", "title", "titel")) else text)
    return "\n\n".join(blocks)


def _odt_text(path: Path) -> str:
    from odf import teletype
    from odf.opendocument import load

    document = load(str(path))
    # Headings and paragraphs in document order (lists, tables and sections are walked into).
    return "\n\n".join(_odt_blocks(document.text, teletype))


def _odt_blocks(element, teletype) -> list[str]:
    if element.qname == (TEXT_NS, "h"):
        words = teletype.extractText(element).strip()
        return [f"## {words}"] if words else []
    if element.qname == (TEXT_NS, "p"):
        words = teletype.extractText(element).strip()
        return [words] if words else []
    found = []
    for child in getattr(element, "childNodes", []):
        found.extend(_odt_blocks(child, teletype))
    return found


def _pdf_text(path: Path) -> str:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    # pypdf logs its repairs of damaged files; the reader gets one message from us instead.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL + 1)

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            # An empty user password (only printing or copying restricted) still opens.
            try:
                opened = reader.decrypt("")
            except Exception:
                opened = 0
            if not opened:
                raise PlanError(_("{file}: the PDF is protected with a password; save an unprotected copy").format(
                    file=path))
        if len(reader.pages) > MAX_PDF_PAGES:
            raise PlanError(_("{file}: too many pages ({n}; at most {limit})").format(
                file=path, n=len(reader.pages), limit=MAX_PDF_PAGES))
        pages = []
        characters = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            characters += len(text)
            if characters > MAX_CHARACTERS:
                raise PlanError(_("{file}: too long (more than {limit} characters)").format(file=path, limit=MAX_CHARACTERS))
            pages.append(text)
    except PlanError:
        raise
    except (FileNotDecryptedError, DependencyError):
        raise PlanError(_("{file}: the PDF is protected with a password; save an unprotected copy").format(
            file=path)) from None
    except Exception:  # pypdf raises many kinds of error on a damaged file
        raise PlanError(_("{file}: damaged or not a readable PDF").format(file=path)) from None
    # A page break is not a paragraph break: a sentence often runs on to the next page.
    text = "\n".join(pages)
    if not text.strip():
        raise PlanError(_("{file}: the PDF has no text to read (a scan?); save it with text, "
                          "or paste the text with --text").format(file=path))
    return text
