"""Every private name of Whoosh that kennisbank uses, with the measured reason and a public fallback.

Whoosh 2.7.4 is pinned. Each function here checks that it runs on that version
(``whoosh.versionstring()``) and otherwise takes the public path, slower but
correct; the rest of the search package uses Whoosh's public API only.

- Start-up: two modules Whoosh imports for one function a search never calls are
  replaced by stand-ins while Whoosh loads (25 ms of every search).
- Postings a block at a time (``_read_ids``, ``_next_block``): a broad question reads
  thousands of postings; one matcher call each was half of its time.
- Field lengths as one column read (``_perdoc``): ten times faster than asking per document.
- Deleted documents (FilterMatcher's set): Whoosh's term counts include deleted documents;
  ranking must not, and counting them under the filter reads one block per deleted document.
- The writer (``_flush_segment``, ``_finalize_segment``): lengths looked up once per document
  and field, blocks written uncompressed, and segments written in parallel workers.
"""

from __future__ import annotations

import bisect
import sys
from typing import Any

PINNED = "2.7.4"

# Modules Whoosh imports for one function that a search never calls: ``whoosh.compat``
# takes ``urlretrieve`` from urllib.request (which drags in http.client, email and ssl)
# and ``whoosh.query.terms`` takes ``variations`` from whoosh.lang.morph_en (hundreds of
# regular expressions): together about 25 ms of every search's start-up.
_STAND_INS = {"urllib.request": "urlretrieve", "whoosh.lang.morph_en": "variations"}


def _stand_in(module_name: str, function_name: str) -> Any:
    """A module whose one function imports the real module (and calls it) only when called."""
    import importlib
    import types

    module = types.ModuleType(module_name)

    def function(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module_name), function_name)(*args, **kwargs)

    setattr(module, function_name, function)
    return module


def install_stand_ins() -> dict[str, Any]:
    """Put the stand-ins in place before Whoosh is imported; ``remove_stand_ins`` takes them away."""
    return {name: sys.modules.setdefault(name, _stand_in(name, function))
            for name, function in _STAND_INS.items() if name not in sys.modules}


def remove_stand_ins(placed: dict[str, Any]) -> None:
    """Whoosh holds the stand-ins' functions; anyone else importing these modules gets the real ones."""
    for name, module in placed.items():
        if sys.modules.get(name) is module:
            del sys.modules[name]


def pinned() -> bool:
    """True on the Whoosh version whose private layout this module knows."""
    import whoosh

    return whoosh.versionstring() == PINNED


def length_bytes(reader: Any, field: str) -> bytes | None:
    """A segment's length byte of ``field`` for every document, in one read (or None)."""
    # Whoosh 2.7's W3 codec keeps lengths as a one-byte column; any other layout asks per document.
    if not pinned():
        return None
    from whoosh.codec import whoosh3
    from whoosh.columns import NumericColumn

    try:
        column = reader._perdoc._cached_reader(whoosh3._lenfield(field), whoosh3.LENGTHS_COLUMN)
        if type(column) is not NumericColumn.Reader or column._fixedlen != 1:
            return None
        if column._count < reader.doc_count_all():
            return None
        return bytes(column._dbfile.get(column._basepos, column._count))
    except Exception:  # a private layout that changed: the public way
        return None


def postings(matcher: Any, within: set[int] | None = None) -> tuple[list[int], list[float]]:
    """Document numbers and weights of a term's postings, a block at a time where the codec allows.

    With ``within``, blocks that hold none of those documents are skipped unread
    (the list may then hold other documents too).
    """
    ids: list[int] = []
    weights: list[float] = []
    excluded: frozenset[int] = frozenset()
    if not pinned():
        # The public way: one call per posting; the matcher already leaves deleted documents out.
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        return ids, weights
    if type(matcher).__name__ == "FilterMatcher" and matcher._exclude:  # a segment with deleted documents
        excluded, matcher = frozenset(matcher._ids), matcher.child
    if all(hasattr(matcher, name) for name in ("_read_ids", "_read_weights", "_next_block", "_atend")):
        wanted = sorted(within) if within is not None else None
        next_wanted = 0
        while matcher.is_active():
            if wanted is not None:
                # Each block holds the documents after the previous block's last, up to its own.
                if next_wanted == len(wanted):
                    break
                last = matcher._maxid
                if wanted[next_wanted] > last:
                    matcher._next_block()
                    continue
                next_wanted = bisect.bisect_right(wanted, last, next_wanted)
            matcher._read_ids()
            matcher._read_weights()
            start = matcher._i
            ids += matcher._ids[start:]
            weights += matcher._weights[start:]
            matcher._next_block()
    else:
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
    if excluded:
        kept = [i for i, d in enumerate(ids) if d not in excluded]
        ids, weights = [ids[i] for i in kept], [weights[i] for i in kept]
    return ids, weights


def deleted_with(reader: Any, field: str, btext: bytes) -> int:
    """How many deleted documents of a segment hold the term (Whoosh's count includes them)."""
    if not reader.has_deletions():
        return 0
    if not pinned():
        # The public way: all postings (live ones only) counted against Whoosh's total.
        live = sum(1 for _ in reader.postings(field, btext).all_ids())
        return reader.doc_frequency(field, btext) - live
    matcher = reader.postings(field, btext)
    if type(matcher).__name__ != "FilterMatcher" or not matcher._exclude:
        return 0  # Whoosh filters deleted documents out of a segment's postings with a FilterMatcher
    deleted, matcher = sorted(matcher._ids), matcher.child
    matcher.reset()  # the filter has moved it past deleted documents at the start
    found = 0
    for docnum in deleted:
        if not matcher.is_active():
            break
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            found += 1
    return found


def writer(ix: Any, limitmb: int, **options: Any) -> Any:
    """A segment writer for ``ix`` (as ``ix.writer()``) that looks up each document's field lengths once
    and writes posting blocks uncompressed.

    Whoosh keeps each block of postings as one pickled tuple with the positions
    in it, zlib-compressed by default: ranking a question that matches a few
    thousand entries then spends a fifth of its time in zlib. Uncompressed, the
    index is about 2.5 times larger (10,000 entries: 104 MB instead of 37 MB,
    beside 42 MB of entries) and such a query 20 % faster.

    Whoosh's writer also asks the segment's length column for the length of the
    document's field at every posting it writes (to keep block statistics):
    a fifth of a full build's time. The answers are kept per (document, field).
    """
    from whoosh.codec import whoosh3
    from whoosh.writing import SegmentWriter

    if not pinned():
        return ix.writer(limitmb=limitmb, **options)

    class Writer(SegmentWriter):
        def _flush_segment(self) -> None:
            # SegmentWriter._flush_segment (Whoosh 2.7.4) with the lengths remembered.
            self.perdocwriter.close()
            lengths = _RememberedLengths(self.per_document_reader()) if self.codec.length_stats else None
            self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
            self.fieldwriter.close()
            if lengths is not None:
                lengths.close()

    return Writer(ix, **{"limitmb": limitmb, "codec": whoosh3.W3Codec(compression=0), **options})


class _RememberedLengths:
    """A per-document reader's ``doc_field_length``, each answer kept."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._known: dict[tuple[int, str], int] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        key = (docnum, fieldname)
        known = self._known.get(key)
        if known is None:
            known = self._known[key] = self._reader.doc_field_length(docnum, fieldname, default)
        return known

    def close(self) -> None:
        self._reader.close()


def finish_segment(writer: Any) -> Any:
    """The segment a worker's writer wrote, for one commit of all segments in the parent."""
    return writer._finalize_segment()


def index_of(searcher: Any) -> Any:
    """The index a searcher reads (to write to it after a freshness check)."""
    return searcher._ix
