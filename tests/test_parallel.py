"""kennisbank.parallel: the one way the package works on several processes."""

from __future__ import annotations

import os

import pytest

from kennisbank import parallel
from kennisbank.archive import Archive

from conftest import entry_text


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Work on two processes from four items on (on any machine with fork)."""
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 4)
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)


def square_with_pid(offset: int, part: list[int]) -> list[tuple[int, int]]:
    return [(offset + value * value, os.getpid()) for value in part]


def test_short_lists_stay_in_this_process() -> None:
    assert parallel.workers(parallel.PARALLEL_FROM - 1) == 1
    results = parallel.in_slices(square_with_pid, 0, [1, 2, 3])
    assert results == [[(1, os.getpid()), (4, os.getpid()), (9, os.getpid())]]


def test_slices_come_back_in_order_from_forked_workers(forking) -> None:
    assert parallel.workers(10) == 2
    results = parallel.in_slices(square_with_pid, 100, list(range(10)))
    assert len(results) == 2
    flat = [value for part in results for value, _pid in part]
    assert flat == [100 + value * value for value in range(10)]
    pids = [{pid for _value, pid in part} for part in results]
    assert pids[0] == {os.getpid()} and len(pids[1]) == 1 and pids[1] != {os.getpid()}


def test_limit_one_keeps_everything_here(forking) -> None:
    assert parallel.in_slices(square_with_pid, 0, list(range(10)), limit=1) == [square_with_pid(0, list(range(10)))]


def fails_in_a_worker(parent: int, part: list[int]) -> list[int]:
    if os.getpid() != parent:
        os._exit(3)  # the worker dies without an answer
    return [value + 1 for value in part]


def test_a_failed_worker_has_its_part_done_here(forking) -> None:
    assert parallel.in_slices(fails_in_a_worker, os.getpid(), list(range(6))) == [[1, 2, 3], [4, 5, 6]]


def error_in_part(_shared: None, part: list[int]) -> list[int]:
    if 5 in part:
        raise ValueError("vijf")
    return part


def test_an_error_in_a_part_surfaces_here(forking, capfd) -> None:
    with pytest.raises(ValueError, match="vijf"):
        parallel.in_slices(error_in_part, None, list(range(6)))


def pid_of(shared: int) -> tuple[int, int]:
    return shared, os.getpid()


def test_background_work_is_forked_for_many_items_and_done_on_demand_for_few(forking) -> None:
    assert parallel.in_background(pid_of, 7, count=2)() == (7, os.getpid())
    value, pid = parallel.in_background(pid_of, 7, count=10)()
    assert value == 7 and pid != os.getpid()


def test_the_archive_checks_alike_on_one_or_two_processes(archive, monkeypatch: pytest.MonkeyPatch) -> None:
    entries = {f"buurtkamer-{n}.md": entry_text(titel=f"Buurtkamer {n}") for n in range(6)}
    entries["kapot.md"] = entry_text(status="gestop")
    root = archive(entries)
    alone = Archive.open(root).check()
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 4)
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    assert parallel.workers(alone.files) == 2
    shared = Archive.open(root).check()
    assert [e.id for e in shared.entries] == [e.id for e in alone.entries] and len(alone.entries) == 6
    assert [str(p) for p in shared.problems] == [str(p) for p in alone.problems] != []
