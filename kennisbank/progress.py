"""Progress bars for long work (issue 14): on a terminal a bar with a rate and an estimate, silent otherwise.

One API for every long task (``build``, ``check``, the first search index, ``import``)::

    from .progress import progress

    with progress(len(files), _("checking entries")) as advance:
        for path in files:
            ...
            advance()          # or advance(n) for a batch

The bar is click's (``click.progressbar``, already a dependency), handed over by the command line
with ``use_bar`` so that the library stays free of click (without a command line nothing is drawn); on stderr, so stdout stays
clean for pipes and ``--json``. It is hidden when stderr is not a terminal (CI, a log file, a
test) and for small jobs (fewer than ``MIN_TOTAL`` items), which finish before a bar helps.
For work spread over callbacks (the MkDocs plugin's events) there is ``Progress`` with
``advance`` and ``close``. Labels come in translated (``_()``); the rate and estimate are
formatted here, in the reader's language.
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from typing import IO, Any, Callable, Iterator

from .i18n import _

# Below this many items no bar is shown: the work is over before it would help.
MIN_TOTAL = 500
# The bar is redrawn at most this often (seconds); a redraw per item would slow a fast loop.
REDRAW_EVERY = 0.1
# What draws a bar: click.progressbar, set by cli.py (use_bar).
_make_bar: Callable[..., Any] | None = None


def use_bar(factory: Callable[..., Any]) -> None:
    """Draw bars with ``factory`` (``click.progressbar``'s signature); the command line calls this."""
    global _make_bar
    _make_bar = factory


class Progress:
    """A bar for ``total`` items; ``advance`` as they are done, ``close`` at the end (or on failure).

    ``advance`` is safe to call from a forked worker: it does nothing there (the bar belongs to
    the process that made it), so a caller may put it in code that runs on either side of a fork.
    """

    def __init__(self, total: int, label: str, stream: IO[str] | None = None, minimum: int | None = None,
                 terminal: bool | None = None) -> None:
        stream = sys.stderr if stream is None else stream
        if terminal is None:
            terminal = _is_terminal(stream)
        self.shown = _make_bar is not None and terminal and total >= (MIN_TOTAL if minimum is None else minimum)
        self.total = total
        self.done = 0
        # A forked worker inherits the bar: only the process that made it draws it.
        self.pid = os.getpid()
        self.started = time.perf_counter()
        self._bar = None
        self._pending = 0
        self._drawn = 0.0
        if self.shown:
            self._bar = _make_bar(
                length=total, label=label, file=stream, show_eta=False, show_percent=False, show_pos=True,
                item_show_func=self._info, width=24,
            )
            # click's bar writes to a terminal only; the test harness passes terminal=True with a buffer.
            self._bar._is_atty = True
            self._bar.__enter__()

    def advance(self, count: int = 1) -> None:
        if self._bar is None or os.getpid() != self.pid:
            return
        self.done += count
        self._pending += count
        now = time.perf_counter()
        if now - self._drawn >= REDRAW_EVERY or self.done >= self.total:
            self._drawn = now
            pending, self._pending = self._pending, 0
            self._bar.update(pending, self.done)

    def close(self) -> None:
        if self._bar is not None and os.getpid() == self.pid:
            bar, self._bar = self._bar, None
            if self._pending:
                bar.update(self._pending, self.done)
            bar.__exit__(None, None, None)

    def _info(self, done: int | None) -> str | None:
        if not done:
            return None
        elapsed = time.perf_counter() - self.started
        if elapsed <= 0:
            return None
        rate = done / elapsed
        left = max(self.total - done, 0) / rate if rate else 0
        return _("{rate}/s, {left} to go").format(rate=f"{rate:.0f}", left=_duration(left))


@contextmanager
def progress(total: int, label: str, stream: IO[str] | None = None, minimum: int | None = None,
             terminal: bool | None = None) -> Iterator[Callable[..., None]]:
    """A progress bar for ``total`` items around a block; yields ``advance(count=1)``.

    When the block ends without an exception its work is done: the bar is filled (items
    finished in a forked worker are not counted as they go, see ``Progress``).
    """
    bar = Progress(total, label, stream, minimum, terminal)
    try:
        yield bar.advance
        if bar.done < total:
            bar.advance(total - bar.done)
    finally:
        bar.close()


def _duration(seconds: float) -> str:
    """``0:07``, ``1:05``, ``1:02:03``: minutes and seconds, hours when needed."""
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
