"""Progress bars (issue 14): on a terminal a bar with a count, a rate and an estimate; nothing otherwise."""

from __future__ import annotations

import io
import multiprocessing
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kennisbank import progress as progress_module
from kennisbank.archive import Archive
from kennisbank.progress import Progress, progress

from conftest import entry_text

BAR = re.compile(r"tellen\s+\[[#-]+\]\s+(\d+)/(\d+)\s+\d+/s, nog \d+:\d\d")


def test_a_terminal_gets_a_bar_with_count_rate_and_estimate() -> None:
    stream = io.StringIO()
    with progress(1200, "tellen", stream=stream, terminal=True) as advance:
        for _item in range(1200):
            advance()
    shown = [(int(done), int(total)) for done, total in BAR.findall(stream.getvalue())]
    assert shown, stream.getvalue()
    assert shown[-1] == (1200, 1200)
    assert all(total == 1200 for _done, total in shown)


@pytest.mark.parametrize("total, terminal", [(5000, False), (10, True)])
def test_no_bar_off_a_terminal_or_for_small_work(total: int, terminal: bool) -> None:
    stream = io.StringIO()
    with progress(total, "tellen", stream=stream, terminal=terminal) as advance:
        advance(total)
    assert stream.getvalue() == ""


def test_a_failed_block_leaves_the_bar_where_it_was() -> None:
    stream = io.StringIO()
    bar = Progress(1000, "tellen", stream=stream, terminal=True)
    with pytest.raises(RuntimeError):
        with progress(1000, "tellen", stream=stream, terminal=True) as advance:
            advance(300)
            raise RuntimeError
    assert BAR.findall(stream.getvalue())[-1] == ("300", "1000")
    bar.close()


def _advance_in_child(bar: Progress, sender) -> None:
    bar.advance(50)
    sender.send(bar.done)


def test_a_forked_worker_does_not_draw_or_count() -> None:
    stream = io.StringIO()
    bar = Progress(1000, "tellen", stream=stream, terminal=True)
    bar.advance(10)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_advance_in_child, args=(bar, sender))
    child.start()
    assert receiver.recv() == 10
    child.join()
    assert bar.done == 10
    bar.close()


def test_check_shows_its_bar_on_a_terminal(archive, monkeypatch, capsys) -> None:
    root = archive({f"buurtkamer-{n}.md": entry_text(titel=f"Buurtkamer {n}") for n in range(3)})
    monkeypatch.setattr(progress_module, "MIN_TOTAL", 1)
    monkeypatch.setattr(progress_module, "_is_terminal", lambda stream: True)
    result = Archive.open(root).check()
    assert len(result.entries) == 3
    shown = capsys.readouterr().err
    assert re.search(r"interventies controleren\s+\[#+\]\s+3/3", shown), shown


def _run_in_terminal(args: list[str], cwd: Path) -> str:
    """The command's output as a terminal shows it (stdout and stderr on a pseudo-terminal)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "kennisbank", *args], cwd=cwd, stdin=subprocess.DEVNULL,
                               stdout=follower, stderr=follower)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the command has ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait()
    os.close(leader)
    return b"".join(chunks).decode("utf-8", errors="replace")


def test_check_in_a_terminal_and_in_a_pipe(archive) -> None:
    count = progress_module.MIN_TOTAL
    root = archive({f"buurtkamer-{n:04d}.md": entry_text(titel=f"Buurtkamer {n}") for n in range(count)})
    terminal = _run_in_terminal(["check"], root)
    assert re.search(rf"interventies controleren\s+\[#+\]\s+{count}/{count}", terminal), terminal[-2000:]
    piped = subprocess.run([sys.executable, "-m", "kennisbank", "check"], cwd=root, capture_output=True, text=True)
    assert piped.returncode == 0
    assert "controleren" not in piped.stdout + piped.stderr
    assert f"{count} interventies" in piped.stderr + piped.stdout
