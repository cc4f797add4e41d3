"""Work on forked processes: the package's one way to use more than one core, with one threshold.

A large archive's files are checked, its entry pages rendered, its search documents parsed and indexed,
and its related entries found on several processes at once. Each of those calls ``in_slices`` (split a
list, work on its slices at once, results in order) or ``in_background`` (one function beside the
caller's own work). The work is shared with the workers by ``fork``, never pickled: the function and
what it works on are left in a module global before the fork, which the workers inherit. Only results
are sent back. Where ``fork`` is missing (Windows, macOS's default), or below ``PARALLEL_FROM`` items,
everything runs in the calling process. A worker ignores Ctrl-C (the calling process handles it and
stops the workers); a worker that fails has its part done again in the calling process, which then
reports the error itself.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Any, Callable, Sequence, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many items (files, entries, documents) a second process costs more than it saves. Measured
# on 2 cores (generated archives): at 600 entries a build without Pagefind took the same either way and a
# first search (index built) was slower forked; at 1,000 both were faster forked (build 6.7 s against
# 7.6 s, first search 1.3-1.7 s against 2.0-2.3 s). The build used 2,000, the search index 200 and 500.
PARALLEL_FROM = 1000
MAX_WORKERS = 4

# (function, shared) for the forked workers; set only while they are being started.
_work: tuple[Callable[..., Any], Any] | None = None


def workers(count: int, limit: int = MAX_WORKERS) -> int:
    """How many processes (the caller's included) should share ``count`` items."""
    if count < PARALLEL_FROM or limit < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return max(1, min(cores, limit, MAX_WORKERS))


def in_slices(function: Callable[[Any, Sequence[Item]], Result], shared: Any, items: Sequence[Item],
              limit: int = MAX_WORKERS) -> list[Result]:
    """``function(shared, part)`` for consecutive parts of ``items``, in order: one part here, the others
    in forked workers at the same time. One part (the whole list) when the list is short."""
    count = workers(len(items), limit)
    bounds = [(len(items) * i // count, len(items) * (i + 1) // count) for i in range(count)]
    parts = [items[start:end] for start, end in bounds]
    if count == 1:
        return [function(shared, items)]
    children = _start(function, shared, parts[1:])
    try:
        results = [function(shared, parts[0])]
        for (child, receiver), part in zip(children, parts[1:]):
            results.append(_result(child, receiver, lambda part=part: function(shared, part)))
        return results
    finally:
        _stop(children)


def in_background(function: Callable[[Any], Result], shared: Any, count: int) -> Callable[[], Result]:
    """A function that returns ``function(shared)``: for ``count`` items or more it is computed meanwhile
    in a forked worker, else when asked for."""
    if workers(count) == 1:
        return lambda: function(shared)
    children = _start(lambda shared, _part: function(shared), shared, [()])

    def result() -> Result:
        child, receiver = children[0]
        try:
            return _result(child, receiver, lambda: function(shared))
        finally:
            _stop(children)

    return result


def _start(function: Callable[[Any, Any], Any], shared: Any, parts: Sequence[Any]) -> list[tuple[Any, Any]]:
    global _work
    context = multiprocessing.get_context("fork")
    children = []
    _work = (function, shared)
    try:
        for part in parts:
            receiver, sender = context.Pipe(duplex=False)
            child = context.Process(target=_child, args=(sender, part), daemon=True)
            child.start()
            sender.close()
            children.append((child, receiver))
    except BaseException:
        _stop(children)
        raise
    finally:
        _work = None
    return children


def _child(sender: Any, part: Any) -> None:
    """In the forked worker: do its part and send the result back."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    assert _work is not None
    function, shared = _work
    sender.send(function(shared, part))
    sender.close()


def _result(child: Any, receiver: Any, here: Callable[[], Result]) -> Result:
    try:
        answer = receiver.recv()
    except (EOFError, OSError):
        return here()  # the worker failed: its part here (an error then surfaces in this process)
    child.join()
    return answer


def _stop(children: list[tuple[Any, Any]]) -> None:
    """Close the pipes; a worker still at work (after Ctrl-C or an error here) is stopped at once."""
    for child, receiver in children:
        receiver.close()
        if child.is_alive():
            child.terminate()
        child.join()
