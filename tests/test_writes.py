"""Nothing is lost: writes are atomic, racing `new` runs leave one entry, Ctrl-C leaves no debris."""

from __future__ import annotations

import ast
import datetime as dt
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import kennisbank
from kennisbank.archive import Archive
from kennisbank.files import atomic_write
from kennisbank.errors import EntryExists
from kennisbank.scaffold import NewEntry, create_entry

from conftest import REPO, interruptible

PACKAGE = Path(kennisbank.__file__).parent
# Writers that roll their own temporary-file-and-rename instead of calling
# files.atomic_write (module, function): each may only shrink. The lock
# file of the index is opened for appending and never holds data.
OWN_ATOMIC_WRITES = {
    ("search/store/indexing.py", "locked"),
}
WRITE_MODES = set("wax+")


def _writes(tree: ast.AST) -> list[tuple[str, int]]:
    """(enclosing function, line) of every call that opens a file for writing or writes one whole."""
    found: list[tuple[str, int]] = []

    def visit(node: ast.AST, function: str) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            function = node.name
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            modes = [arg.value for arg in node.args[1:2] + [k.value for k in node.keywords if k.arg == "mode"]
                     if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
            if name in ("write_text", "write_bytes") or (
                name in ("open", "fdopen") and any(WRITE_MODES & set(mode) for mode in modes)
            ):
                found.append((function, node.lineno))
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(tree, "<module>")
    return found


def test_package_writes_files_only_through_atomic_write():
    stray = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE).as_posix()
        for function, line in _writes(ast.parse(path.read_text(encoding="utf-8"))):
            if (module, function) not in OWN_ATOMIC_WRITES and (module, function) != ("files.py", "atomic_open"):
                stray.append(f"kennisbank/{module}:{line} in {function}()")
    assert stray == [], "write through kennisbank.files.atomic_write (or atomic_open) instead"


def test_atomic_write_interrupted_keeps_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "export.json"
    path.write_text("oud en heel", encoding="utf-8")

    def interrupt(descriptor: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(path, "nieuw" * 1000)
    assert path.read_text(encoding="utf-8") == "oud en heel"
    assert [p.name for p in tmp_path.iterdir()] == ["export.json"]


def test_atomic_write_writes_text_and_bytes_whole(tmp_path):
    atomic_write(tmp_path / "a.txt", "één\nregel\n")
    atomic_write(tmp_path / "b.bin", b"\x00\xff")
    assert (tmp_path / "a.txt").read_bytes() == "één\nregel\n".encode("utf-8")
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\xff"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.bin"]


# ---- racing `new` ----------------------------------------------------------------------------


def _answers(title: str) -> NewEntry:
    return NewEntry(title, "Een proef in de wijk.", "Utrecht", "2020", "lopend", ["werk"])


def _create_after(barrier, root: str, title: str, results) -> None:
    archive = Archive.open(Path(root))
    barrier.wait()
    try:
        results.put(("created", str(create_entry(archive, _answers(title), dt.date(2026, 1, 1)))))
    except EntryExists as exc:
        results.put(("refused", exc.message))


def test_new_racing_for_same_id_leaves_one_entry_and_one_clear_error(archive):
    root = archive()
    context = multiprocessing.get_context("fork")
    for round_ in range(10):
        title = f"Buurtkamer ronde {round_}"
        barrier, results = context.Barrier(2), context.Queue()
        workers = [context.Process(target=_create_after, args=(barrier, str(root), title, results)) for _ in range(2)]
        for worker in workers:
            worker.start()
        outcomes = sorted(results.get(timeout=30) for _ in workers)
        for worker in workers:
            worker.join(timeout=30)
        assert [kind for kind, _ in outcomes] == ["created", "refused"], outcomes
        assert "de bestaande interventie is niet veranderd" in outcomes[1][1]
    files = sorted(p.name for p in (root / "entries").iterdir())
    assert files == [f"buurtkamer-ronde-{n}.md" for n in range(10)]
    result = Archive.open(root).check(today=dt.date(2026, 1, 2))
    assert len(result.entries) == 10
    assert {p.code for p in result.problems} <= {"writing-prompt"}


def test_new_racing_through_the_command_line(archive):
    root = archive()
    command = [sys.executable, "-m", "kennisbank", "-C", str(root), "new", "--no-input", "--no-similar",
               "--titel", "Buurtkamer Race", "--samenvatting", "Een proef.", "--gemeente", "Utrecht",
               "--start", "2020", "--status", "lopend", "--thema", "werk"]
    runs = [subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    finished = sorted((run.wait(timeout=60), *run.communicate()) for run in runs)
    (won, won_out, _), (lost, _, lost_err) = finished
    assert (won, lost) == (0, 1)
    assert won_out.strip() == "entries/buurtkamer-race.md"
    assert "Fout: entries/buurtkamer-race.md" in lost_err
    assert "Traceback" not in lost_err
    assert [p.name for p in (root / "entries").iterdir()] == ["buurtkamer-race.md"]


# ---- Ctrl-C ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def large_archive(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("groot") / "archief"
    subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "generate.py"), "--count", "3000", "--out", str(root)],
        check=True, capture_output=True,
    )
    return root


def _interrupted(root: Path, args: list[str], delay: float) -> tuple[bool, int, str]:
    """Run a command, send SIGINT after ``delay``: (was it still running, exit code, stderr).

    A command that does not stop within 30 s of Ctrl-C fails the test; how fast it stops is not asserted.
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "kennisbank", "-C", str(root), *args],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=interruptible,
    )
    time.sleep(delay)
    running = process.poll() is None
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    return running, process.returncode, stderr


def _debris(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.name.endswith(".tmp") or ".tmp" in p.name)


@pytest.mark.parametrize("command", ["check", "export"])
def test_ctrl_c_exits_promptly_without_traceback_or_debris(large_archive, tmp_path, command):
    output = tmp_path / "open-data.json"
    args = ["check"] if command == "check" else ["export", "-o", str(output)]
    # Interrupt at a quarter, half and three quarters of an uninterrupted run,
    # so the test holds on a fast idle machine and a slow busy one alike.
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kennisbank", "-C", str(large_archive), *args],
                   cwd=large_archive, capture_output=True, timeout=120)
    duration = time.perf_counter() - started
    if output.exists():
        output.unlink()
    interrupted_mid_run = 0
    for delay in (max(0.15, duration * share) for share in (0.25, 0.5, 0.75)):
        running, code, stderr = _interrupted(large_archive, args, delay)
        assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
        if running and code != 0:
            interrupted_mid_run += 1
            assert code == 1
            assert stderr.endswith("Afgebroken.\n")
        assert _debris(large_archive) == [] and _debris(tmp_path) == []
        if output.exists():  # the interrupt came after the rename: the file is whole
            assert len(json.loads(output.read_text(encoding="utf-8"))) == 3000
            output.unlink()
    assert interrupted_mid_run >= 2, "the command finished before it could be interrupted; use a larger archive"
