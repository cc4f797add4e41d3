"""The only module that runs Pagefind: it indexes the entry pages for the reader-side search.

Pagefind comes from PyPI as ``pagefind[bin]``, whose ``pagefind_bin``
package carries the binary. Only entry pages are given to it, and in them
only what ``data-pagefind-body`` marks is indexed: the catalogue, overviews
and navigation never pollute the results. The index is Dutch, so Pagefind
stems Dutch words.

Why not the ``pagefind`` package's own ``pagefind.index.PagefindIndex``: it
reads each of the service's answers after an ``asyncio.sleep(0.1)`` (pagefind
1.5.2), so indexing costs at least 0.1 s per page. Measured with
``benchmarks/bench_pagefind.py`` (the same whole entry pages, on this project's
2-core machine): 34 pages 0.28 s here against 3.65 s, 2,000 pages 7 to 11 s against
230 s. It is also asyncio-only, where the plugin needs to hand pages over from
MkDocs' synchronous events and go on at once. The protocol spoken here is the
one that package speaks (base64 JSON messages, each ended by a comma).
"""

from __future__ import annotations

import base64
import json
import queue
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import KennisbankError
from .i18n import _

LANGUAGE = "nl"
BUNDLE_DIR = "pagefind"
# What the header search box (zoekvak.js) reads before its first search: the words it leaves out of a
# question and the number of pages Pagefind indexed (for the rarity of a word), from the same lists the
# terminal's search uses, so that the two front ends ignore the same words.
BOX_WORDS = "assets/kennisbank/zoekwoorden.json"


def box_words(pages: int) -> str:
    """The content of BOX_WORDS for a site whose Pagefind index holds ``pages`` pages."""
    from .search import analysis

    return json.dumps({
        "stopwords": sorted(analysis.STOPWORDS),
        "questionWords": sorted(analysis.QUESTION_WORDS - analysis.STOPWORDS),
        "pages": pages,
    }, ensure_ascii=False, separators=(",", ":"))


class PagefindError(KennisbankError):
    """Pagefind is missing or failed to index the site."""


@dataclass
class IndexReport:
    pages: int
    seconds: float
    output: str


def executable() -> Path:
    """The Pagefind binary shipped by the ``pagefind_bin`` package."""
    try:
        import pagefind_bin
    except ImportError:
        raise PagefindError(
            _("Pagefind is not installed"),
            hint=_("install it with `pip install 'pagefind[bin]'` (plain `pagefind` carries no binary)"),
        ) from None
    try:
        return pagefind_bin.get_executable()
    except FileNotFoundError as exc:
        raise PagefindError(_("the Pagefind binary is missing: {reason}").format(reason=exc),
                            hint=_("reinstall `pagefind[bin]`")) from None


class BackgroundIndex:
    """Pagefind's indexing service, fed each entry page as soon as it is rendered.

    Runs ``pagefind --service`` and talks its protocol (base64 JSON messages,
    each ended by a comma) from two threads, so that Pagefind parses the entry
    pages while MkDocs is still writing the site: the two overlap instead of
    running one after the other, and Pagefind reads only the page content, not
    every page's theme around it. What it indexes is exactly what the built
    page carries: the plugin's finished HTML, in which ``data-pagefind-body``,
    filters, meta and sort mark the same things. Pages are numbered in the
    order they are added, not in the order of files in a folder. ``finish``
    writes the bundle; ``cancel`` stops the service without writing.
    """

    def __init__(self) -> None:
        command = [str(executable()), "--service"]
        try:
            self._process = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            )
        except OSError as exc:
            raise PagefindError(_("cannot run Pagefind ({command}): {reason}").format(
                command=command[0], reason=exc.strerror)) from None
        self.started = time.perf_counter()
        self.pages = 0
        self._written: int | None = None
        self._last_id = 0
        self._answers: dict[int, dict] = {}
        self._errors: list[str] = []
        self._done = threading.Condition()
        self._closed = False
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._reader = threading.Thread(target=self._read, name="kennisbank-pagefind-read", daemon=True)
        self._writer = threading.Thread(target=self._write, name="kennisbank-pagefind-write", daemon=True)
        self._reader.start()
        self._writer.start()
        self._index_id = self._request({"type": "NewIndex", "config": {"force_language": LANGUAGE}})

    def add(self, url: str, html: str) -> None:
        """Index one page (site-relative ``url``, ``html`` the whole document); returns at once."""
        self.pages += 1
        self._queue.put((url, html))

    def write(self, bundle_dir: Path) -> None:
        """Have the bundle written into ``bundle_dir`` once every page added so far is indexed; returns at once."""
        if self._written is None:
            self._written = self._send({"type": "WriteFiles", "index_id": self._index_id.result(),
                                        "output_path": str(bundle_dir)}, wait=True)

    def finish(self, bundle_dir: Path, timeout: float | None = None) -> IndexReport:
        """Wait until the bundle is written into ``bundle_dir``; PagefindError when Pagefind failed."""
        try:
            self.write(bundle_dir)
            assert self._written is not None
            self._wait(self._written, timeout)
            if self._errors:
                raise self._failed()
        finally:
            self._stop()
        return IndexReport(pages=self.pages, seconds=time.perf_counter() - self.started, output="")

    def cancel(self) -> None:
        """Stop the service without writing anything (the build failed)."""
        self._stop()

    # The protocol.

    def _request(self, payload: dict) -> "_Answer":
        return _Answer(self, self._send(payload, wait=True))

    def _send(self, payload: dict, wait: bool = False) -> int:
        with self._done:
            self._last_id += 1
            message_id = self._last_id
        data = base64.b64encode(json.dumps({"message_id": message_id, "payload": payload}).encode("utf-8")) + b","
        if wait:
            # Through the queue, so that it follows every page added before it.
            self._queue.put(data)
        else:
            self._put(data)
        return message_id

    def _put(self, data: bytes) -> None:
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(data)
        except (BrokenPipeError, ValueError, OSError):
            self._fail(_("the Pagefind service stopped"))

    def _write(self) -> None:
        """Encode and send the queued pages in order (the build's thread only queues them)."""
        try:
            self._write_queued()
        except Exception as exc:  # never a traceback from this thread: the build reports it in finish()
            self._fail(_("cannot send pages to Pagefind: {reason}").format(reason=exc))

    def _write_queued(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                break
            if isinstance(item, bytes):
                self._put(item)
                assert self._process.stdin is not None
                try:
                    self._process.stdin.flush()
                except (BrokenPipeError, ValueError, OSError):
                    self._fail(_("the Pagefind service stopped"))
                continue
            url, html = item
            index_id = self._index_id.result()
            if index_id is None:
                continue
            self._send({"type": "AddFile", "index_id": index_id, "url": url, "file_contents": html,
                        "file_path": None})

    def _read(self) -> None:
        assert self._process.stdout is not None
        pending = b""
        while True:
            chunk = self._process.stdout.read1(1 << 16)
            if not chunk:
                self._fail(_("the Pagefind service stopped"))
                return
            pending += chunk
            *messages, pending = pending.split(b",")
            for message in messages:
                self._receive(message)

    def _receive(self, message: bytes) -> None:
        try:
            answer = json.loads(base64.b64decode(message))
        except ValueError:
            return
        if not isinstance(answer, dict):
            return
        payload = answer.get("payload") or {}
        with self._done:
            if payload.get("type") == "Error":
                self._errors.append(str(payload.get("message", _("unknown error"))))
            # Only the answers someone waits for (not the one of every page added).
            if isinstance(answer.get("message_id"), int) and payload.get("type") != "IndexedFile":
                self._answers[answer["message_id"]] = payload
            self._done.notify_all()

    def _wait(self, message_id: int, timeout: float | None) -> dict:
        with self._done:
            if not self._done.wait_for(lambda: message_id in self._answers or self._closed, timeout):
                raise PagefindError(_("Pagefind did not finish indexing within {seconds} s").format(
                    seconds=f"{timeout:.0f}"))
            if message_id not in self._answers:
                raise self._failed()
            return self._answers[message_id]

    def _failed(self) -> PagefindError:
        """The error that reports what Pagefind said (its first ten complaints)."""
        return PagefindError("\n".join([_("Pagefind failed while indexing the entry pages:"), *self._errors[:10]]))

    def _fail(self, reason: str) -> None:
        with self._done:
            if not self._closed:
                self._errors.append(reason)
            self._closed = True
            self._done.notify_all()

    def _stop(self) -> None:
        with self._done:
            self._closed = True
            self._done.notify_all()
        self._queue.put(_STOP)
        try:
            if self._process.stdin is not None:
                self._process.stdin.close()
        except OSError:
            pass
        try:
            self._process.wait(10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


_STOP = object()


class _Answer:
    """The index id Pagefind answers to ``NewIndex``, waited for when first needed."""

    def __init__(self, index: BackgroundIndex, message_id: int) -> None:
        self._index = index
        self._message_id = message_id
        self._value: int | None = None
        self._known = False

    def result(self, timeout: float | None = None) -> int | None:
        if not self._known:
            self._value = self._index._wait(self._message_id, timeout).get("index_id")
            self._known = True
        return self._value
