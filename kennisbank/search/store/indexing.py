"""The index on disk, kept in line with the entries folder.

The index is a cache of the entries folder in the archive's cache folder
(``.kennisbank/`` by default, git-ignored)::

    .kennisbank/index/          Whoosh segments
    .kennisbank/manifest.json   per file: mtime_ns, size, sha256, indexed or skipped, relation targets
    .kennisbank/state.json      digest of every file's (name, mtime, size): the fast freshness check
    .kennisbank/facets.marshal  facet values, years, ids and field lengths per document number, for one generation
    .kennisbank/index.lock      serialises writers (fcntl.flock, waiting)

When a ``scandir`` of the entries folder matches the state, nothing is parsed
(and pydantic is not even imported); otherwise only new and changed files are
parsed and re-indexed, deleted ones are removed. A missing or unreadable index
is rebuilt.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.util.numeric import byte_to_length, length_to_byte

from ...config import Settings
from ...errors import KennisbankError
from ... import parallel
from ...i18n import _
from .. import analysis, documents, facets, scoring
from . import internals
from .schema import FORMAT, DutchTokenizer, make_schema


# Memory for each indexing process's posting pool (past it Whoosh sorts runs on disk).
WRITER_MB = 256


class IndexError_(KennisbankError):
    """The index could not be read or rebuilt."""


def scan_entries(entries_dir: Path) -> dict[str, tuple[int, int]]:
    """name → (mtime_ns, size) of each entry file, by stat alone (as Archive.entry_files selects them)."""
    found: dict[str, tuple[int, int]] = {}
    try:
        iterator = os.scandir(entries_dir)
    except OSError:
        return found
    inside = None
    with iterator:
        for item in iterator:
            if not item.name.endswith(".md"):
                continue
            try:
                if item.is_symlink():
                    inside = inside or entries_dir.resolve()
                    if inside not in Path(item.path).resolve().parents:
                        continue
                info = item.stat()
            except OSError:
                continue
            if item.is_file():
                found[item.name] = (info.st_mtime_ns, info.st_size)
    return found


def stat_digest(scan: dict[str, tuple[int, int]], settings_key: str) -> str:
    """Digest of the scan in the folder's own listing order (sorting 10,000 names cost more
    than the rest): a listing that comes back in another order only costs one check of
    the manifest under the lock, which finds nothing to do."""
    import marshal

    listing = marshal.dumps(list(scan.items()), 2)  # version 2: no back-references, so stable bytes
    return hashlib.sha1(f"{FORMAT}\n{settings_key}\n".encode() + listing).hexdigest()


def _write_json(path: Path, data: Any) -> None:
    _write_text(path, json.dumps(data, ensure_ascii=False))


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


@dataclass
class UpdateReport:
    """What bringing the index up to date did; ``skipped`` counts entries with errors."""

    added: int = 0
    removed: int = 0
    rebuilt: bool = False
    skipped: int = 0
    indexed: int = 0
    skipped_files: list[str] = field(default_factory=list)


def _write_facet_table(paths: dict[str, Path], ix: Any) -> None:
    """Facet values of every document number, for counting without Whoosh's per-match categorizers.

    Valid for one index generation only; written under the writer lock after each commit.
    """
    import marshal

    with ix.reader() as reader:
        table = facet_table_of(reader)
    _write_bytes(paths["facets"], marshal.dumps(table))


def facet_table_of(reader: Any) -> dict[str, Any]:
    """Facet values, years and the id of every document number of one index generation."""
    total = reader.doc_count_all()
    values: dict[str, list[str]] = {}
    docs: dict[str, list[tuple[int, ...]]] = {}
    for name, column in facets.FACET_COLUMNS.items():
        index_of: dict[str, int] = {}
        codes_of: dict[Any, tuple[int, ...]] = {}
        rows = []
        for raw in _column_values(reader, column):
            codes = codes_of.get(raw)
            if codes is None:
                codes = codes_of[raw] = tuple(
                    index_of.setdefault(v, len(index_of)) for v in facets.text(raw).split(",") if v
                )
            rows.append(codes)
        values[name] = list(index_of)
        docs[name] = rows
    starts, ends = year_columns(reader)
    ids = [facets.text(v) for v in _column_values(reader, "id")] if total else []
    # Field lengths (Whoosh's length bytes) and their means over the live documents, for ranking.
    live: list[int] = []
    lengths: dict[str, bytearray] = {f.name: bytearray() for f in scoring.FIELDS}
    for leaf, offset in reader.leaf_readers():
        count = leaf.doc_count_all()
        live += [offset + d for d in (leaf.all_doc_ids() if leaf.has_deletions() else range(count))]
        for name, column in lengths.items():
            raw = internals.length_bytes(leaf, name) if name in leaf.schema else None
            if raw is None:
                raw = bytes(length_to_byte(leaf.doc_field_length(d, name, 0)) for d in range(count))
            column += raw
    averages = {name: (sum(LENGTHS[column[d]] for d in live) / len(live) if live else 0.0)
                for name, column in lengths.items()}
    return {
        "generation": reader.generation(), "count": total, "values": values, "docs": docs,
        "start": starts, "end": ends, "ids": ids, "live": len(live), "live_docs": live,
        "lengths": {name: bytes(column) for name, column in lengths.items()}, "averages": averages,
    }


def _column_values(reader: Any, column: str) -> list[Any]:
    """A column's value for every document number, read segment by segment (ten times faster
    than asking the multi-segment reader document by document)."""
    found: list[Any] = []
    for leaf, _offset in reader.leaf_readers():
        count = leaf.doc_count_all()
        if leaf.has_column(column):
            found += list(leaf.column_reader(column))[:count]
        else:
            found += [b""] * count
    return found


def year_columns(reader: Any) -> tuple[list[int], list[int]]:
    if not reader.doc_count_all():
        return [], []
    return _column_values(reader, "start_jaar"), _column_values(reader, "eind_jaar")


def read_facet_table(settings: Settings, searcher: Any) -> dict[str, Any] | None:
    import marshal

    try:
        table = marshal.loads(cache_paths(settings)["facets"].read_bytes())
        reader = searcher.reader()
        if table["generation"] == reader.generation() and table["count"] == reader.doc_count_all() and "live_docs" in table:
            return table
    except (OSError, ValueError, EOFError, TypeError, KeyError):
        pass
    return None


# The field length each length byte stands for (Whoosh keeps lengths as one byte).
LENGTHS = [byte_to_length(b) for b in range(256)]


def cache_paths(settings: Settings) -> dict[str, Path]:
    cache = settings.cache_dir
    return {
        "cache": cache, "index": cache / "index", "manifest": cache / "manifest.json", "state": cache / "state.json",
        "lock": cache / "index.lock", "facets": cache / "facets.marshal",
    }


def settings_key(settings: Settings) -> str:
    """What, besides the files, decides what gets indexed: the vocabularies (validity) and the folders."""
    vocab = {name: sorted(v.codes) for name, v in settings.vocabularies.items()}
    return hashlib.sha1(json.dumps([str(settings.entries_dir), str(settings.cache_dir), vocab, analysis.analysis().key()],
                                   sort_keys=True).encode()).hexdigest()


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Exclusive lock for writers; a second writer waits rather than failing."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+")
    except OSError as exc:
        raise IndexError_(
            _("cannot create the search index in {folder}: {reason}").format(folder=path.parent, reason=exc.strerror),
            hint=_("check that the cache folder (plugin option cache_dir) is writable"),
        ) from None
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        handle.close()


def _open_index(folder: Path) -> Any:
    """The Whoosh index in ``folder``, read without memory maps: over a map Whoosh copies each
    segment's term and posting files whole into memory on opening (about 20 ms of every search
    at 10,000 entries); read from the file it takes only the blocks a query needs."""
    return FileStorage(str(folder), supports_mmap=False).open_index()


def _open_checked(paths: dict[str, Path], state: dict) -> Any:
    """A searcher on the index when it opens, matches the state and uses this analysis; None otherwise."""
    try:
        searcher = _open_index(paths["index"]).searcher()
    except Exception:  # any damage (missing, truncated, unpicklable files) means: rebuild
        return None
    try:
        tokenizer = searcher.schema["titel"].analyzer
        if (
            isinstance(tokenizer, DutchTokenizer) and tokenizer.version == analysis.version()
            and searcher.doc_count() == state.get("indexed")
        ):
            return searcher
    except Exception:  # as above
        pass
    searcher.close()
    return None


def open_if_fresh(settings: Settings, paths: dict[str, Path]) -> tuple[Any, UpdateReport, dict, str]:
    """(index, report, scan, digest); the index is None when the state does not match the entries folder."""
    scan = scan_entries(settings.entries_dir)
    digest = stat_digest(scan, settings_key(settings))
    state = read_json(paths["state"])
    if isinstance(state, dict) and state.get("digest") == digest:
        searcher = _open_checked(paths, state)
        if searcher is not None:
            return searcher, UpdateReport(skipped=state.get("skipped", 0), indexed=state.get("indexed", 0)), scan, digest
    return None, UpdateReport(), scan, digest


def remove_index(paths: dict[str, Path]) -> None:
    for name in ("state", "manifest", "facets"):
        paths[name].unlink(missing_ok=True)
    if paths["index"].exists():
        shutil.rmtree(paths["index"], ignore_errors=True)


def update(settings: Settings, paths: dict[str, Path], scan: dict[str, tuple[int, int]], digest: str,
            procs: int) -> tuple[Any, UpdateReport]:
    """Bring the index in line with ``scan`` (called with the lock held)."""
    manifest = read_json(paths["manifest"])
    ix = None
    if isinstance(manifest, dict) and manifest.get("format") == FORMAT and manifest.get("settings") == settings_key(settings):
        searcher = _open_checked(paths, {"indexed": manifest.get("indexed")})
        if searcher is not None:
            ix = searcher._ix
            searcher.close()
    if ix is None:
        return _build(settings, paths, scan, digest, procs)
    files: dict[str, list] = manifest["files"]
    report = UpdateReport()
    changed = [name for name, stat in scan.items() if name not in files or tuple(files[name][:2]) != stat]
    removed = [name for name in files if name not in scan]
    # An entry whose relation target appeared or disappeared may have become valid or invalid.
    came_or_went = {name[:-3] for name in [*removed, *(n for n in changed if n not in files)]}
    if came_or_went:
        changed += [name for name, f in files.items()
                    if name in scan and name not in changed and came_or_went.intersection(f[4])]
    known_ids = {name[:-3] for name in scan}
    parsed = documents.parse(settings, [settings.entries_dir / name for name in changed], procs, known_ids)
    real_changes = [p for p in parsed
                    if not (p.name in files and files[p.name][2] == p.sha256 and p.sha256
                            and files[p.name][3] == (p.document is not None))]
    if real_changes or removed:
        writer = internals.writer(ix, WRITER_MB)
        try:
            for name in removed:
                writer.delete_by_term("id", name[:-3])
            for item in real_changes:
                if item.document:
                    writer.update_document(**item.document)
                else:
                    writer.delete_by_term("id", item.name[:-3])
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
    for name in removed:
        del files[name]
    for item in parsed:
        files[item.name] = [*item.stat, item.sha256, item.document is not None, item.targets]
    report.added = sum(1 for p in real_changes if p.document)
    report.removed = len(removed)
    _finish(paths, settings, files, digest, report, ix)
    return _open_index(paths["index"]), report


def _build(settings: Settings, paths: dict[str, Path], scan: dict[str, tuple[int, int]], digest: str,
           procs: int) -> tuple[Any, UpdateReport]:
    """Index every entry from scratch, parsing and indexing on ``procs`` processes."""
    remove_index(paths)
    paths["index"].mkdir(parents=True, exist_ok=True)
    # issue 14: the first index of a large archive takes a while: a progress bar on a terminal.
    from ...progress import progress

    with progress(len(scan), _("reading entries for the search index")):
        parsed = documents.parse(settings, [settings.entries_dir / name for name in sorted(scan)], procs,
                                 {name[:-3] for name in scan})
    found = [p.document for p in parsed if p.document]
    storage = FileStorage(str(paths["index"]))
    ix = storage.create_index(make_schema())
    if parallel.workers(len(found), procs) > 1 and internals.pinned():
        segments = parallel.in_slices(_index_slice, str(paths["index"]), found, limit=procs)
        writer = ix.writer()
        writer.commit(mergetype=lambda _writer, existing: [*existing, *segments])
    else:
        writer = internals.writer(ix, WRITER_MB)
        try:
            for document in found:
                writer.add_document(**document)
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
    files = {p.name: [*p.stat, p.sha256, p.document is not None, p.targets] for p in parsed}
    report = UpdateReport(added=len(found), rebuilt=True)
    _finish(paths, settings, files, digest, report, ix)
    return _open_index(paths["index"]), report


def _index_slice(index_dir: str, documents: list[dict[str, Any]]) -> Any:
    """Index ``documents`` as one segment of their own; the caller commits the segments of all slices.

    Whoosh's own MpWriter pickles every document to its workers and drops a segment when a worker answers
    late; here the documents reach the workers by fork (``parallel``), which write their segments and
    hand them to one commit (``mergetype``, a public hook of commit).
    """
    ix = whoosh_index.open_dir(index_dir)
    writer = internals.writer(ix, WRITER_MB, _lk=False)
    for document in documents:
        writer.add_document(**document)
    return internals.finish_segment(writer)


def _finish(paths: dict[str, Path], settings: Settings, files: dict[str, list], digest: str, report: UpdateReport,
            ix: Any) -> None:
    _write_facet_table(paths, ix)
    report.indexed = sum(1 for f in files.values() if f[3])
    report.skipped_files = sorted(name for name, f in files.items() if not f[3])
    report.skipped = len(report.skipped_files)
    _write_json(paths["manifest"], {"format": FORMAT, "settings": settings_key(settings), "indexed": report.indexed, "files": files})
    _write_json(paths["state"], {"digest": digest, "indexed": report.indexed, "skipped": report.skipped})


def _write_text(path: Path, text: str) -> None:
    _write_bytes(path, text.encode("utf-8"))


def _write_bytes(path: Path, data: bytes) -> None:
    from ...files import atomic_write

    atomic_write(path, data)
