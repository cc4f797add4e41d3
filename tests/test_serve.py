"""`kennisbank serve` as a user runs it: a real process on loopback that rebuilds when an entry changes.

Each test starts ``python -m kennisbank serve`` on a free port in a small
archive (the bundled mkdocs.yml, so the Material theme), changes the entries
on disk and polls the served pages until they show the change, with a
deadline. The server is always stopped with Ctrl-C (SIGINT) and must exit
quietly: no traceback on stderr.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import pytest

from kennisbank.files import atomic_write

from conftest import REPO, entry_text, interruptible

STARTUP_SECONDS = 60  # the first build, on a loaded machine
CHANGE_SECONDS = 20  # a change on disk until the served page shows it
STOP_SECONDS = 15
TITLE = "Buurtkamer Zuidwijk"
NEW_TITLE = "Huiskamer Noordwijk"


class Server:
    """A `kennisbank serve` process with its output in files (read at any moment without blocking)."""

    def __init__(self, root: Path, logs: Path) -> None:
        self.root = root
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self.stdout_path, self.stderr_path = logs / "serve.stdout", logs / "serve.stderr"
        with open(self.stdout_path, "wb") as stdout, open(self.stderr_path, "wb") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "kennisbank", "serve", "--port", str(self.port)],
                cwd=root, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr,
                env={**os.environ, "PYTHONUNBUFFERED": "1"}, preexec_fn=interruptible,
            )

    def output(self) -> str:
        """stdout and stderr so far (the build log is on stderr)."""
        return self.stdout_path.read_text(encoding="utf-8", errors="replace") + self.stderr_path.read_text(
            encoding="utf-8", errors="replace"
        )

    def alive(self) -> bool:
        return self.process.poll() is None

    def get(self, path: str, timeout: float = 3) -> tuple[int, str] | None:
        """(status, body) of ``path``; None when the server does not answer in time (it holds requests while it rebuilds)."""
        try:
            with urllib.request.urlopen(self.origin + path, timeout=timeout) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, ""
        except (urllib.error.URLError, ConnectionError, TimeoutError, socket.timeout):
            return None

    def wait_for(self, what: str, check: Callable[[], bool], seconds: float = CHANGE_SECONDS) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not self.alive():
                pytest.fail(f"the server stopped while waiting for {what} (exit {self.process.returncode}):\n{self.output()}")
            if check():
                return
            time.sleep(0.1)
        pytest.fail(f"no {what} within {seconds} s; server output:\n{self.output()}")

    def title(self, entry_id: str) -> str | None:
        """The <title> of the entry's page, None when it does not answer with 200."""
        answer = self.get(f"/interventies/{entry_id}/")
        if answer is None or answer[0] != 200:
            return None
        found = re.search(r"<title>(.*?)</title>", answer[1], re.S)
        return found[1].strip() if found else None

    def wait_for_title(self, entry_id: str, title: str) -> None:
        self.wait_for(
            f"page /interventies/{entry_id}/ titled {title!r}", lambda: (self.title(entry_id) or "").startswith(title)
        )

    def search_pages(self) -> int | None:
        """How many pages the served Pagefind index holds."""
        answer = self.get("/pagefind/pagefind-entry.json")
        if answer is None or answer[0] != 200:
            return None
        return sum(language["page_count"] for language in json.loads(answer[1])["languages"].values())

    def stop(self) -> int:
        """Ctrl-C, as in a terminal; killed when it does not exit in time. The exit code."""
        if self.alive():
            self.process.send_signal(signal.SIGINT)
            try:
                return self.process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                pytest.fail(f"the server did not stop on Ctrl-C within {STOP_SECONDS} s:\n{self.output()}")
        return self.process.returncode


@pytest.fixture
def site(archive, tmp_path: Path) -> Path:
    """A small archive with two entries and the bundled mkdocs.yml (Material)."""
    root = archive({"buurtkamer.md": entry_text(), "taalcafe.md": entry_text(titel="Taalcafé Oost", stopped=True)})
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


@contextmanager
def serving(root: Path, logs: Path) -> Iterator[Server]:
    """The archive served, once it answers; stopped with Ctrl-C afterwards, which must exit cleanly."""
    server = Server(root, logs)
    try:
        server.wait_for("answer on /", lambda: (server.get("/") or (0,))[0] == 200, STARTUP_SECONDS)
        yield server
    finally:
        code = server.stop()
    output = server.output()
    assert "Traceback" not in output, output
    assert code == 0, output


def replace_atomically(path: Path, text: str) -> None:
    """As many editors and tools save: a temporary file beside it, renamed over it."""
    atomic_write(path, text)


def write_in_place(path: Path, text: str) -> None:
    """As other editors save: the same file truncated and written again."""
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def save_with_backup(path: Path, text: str) -> None:
    """As Vim saves by default: the old file renamed to a backup (``name.md~``), a new one written, the backup removed."""
    backup = path.with_name(path.name + "~")
    os.replace(path, backup)
    write_in_place(path, text)
    backup.unlink()


@pytest.mark.parametrize(
    "save", [replace_atomically, write_in_place, save_with_backup], ids=["atomic-replace", "in-place", "vim-backup"]
)
def test_changed_entry_is_served_anew(site: Path, tmp_path: Path, save) -> None:
    with serving(site, tmp_path) as server:
        assert (server.title("buurtkamer") or "").startswith(TITLE)
        save(site / "entries" / "buurtkamer.md", entry_text(titel=NEW_TITLE))
        server.wait_for_title("buurtkamer", NEW_TITLE)
        # The other entry's page was rebuilt too and is still there.
        assert (server.title("taalcafe") or "").startswith("Taalcafé Oost")


def test_open_page_reloads_itself_when_its_entry_changes(site: Path, tmp_path: Path, browser) -> None:  # noqa: F811
    context = browser.new_context(locale="nl-NL")
    try:
        # The tab stays open (its livereload request waiting) while the server stops: it still exits cleanly.
        with serving(site, tmp_path) as server:
            tab = context.new_page()
            tab.set_default_timeout(CHANGE_SECONDS * 1000)
            tab.goto(f"{server.origin}/interventies/buurtkamer/")
            assert tab.locator("h1").first.inner_text().strip() == TITLE
            replace_atomically(site / "entries" / "buurtkamer.md", entry_text(titel=NEW_TITLE))
            # No reload from here: MkDocs' livereload script in the page must do it.
            tab.wait_for_function("title => document.title.startsWith(title)", arg=NEW_TITLE)
            assert tab.locator("h1").first.inner_text().strip() == NEW_TITLE
    finally:
        context.close()


def test_invalid_entry_is_reported_and_the_fix_brings_the_page_back(site: Path, tmp_path: Path) -> None:
    path = site / "entries" / "buurtkamer.md"
    with serving(site, tmp_path) as server:
        write_in_place(path, entry_text().replace(f"titel: {TITLE}", "titel: [Buurtkamer"))
        server.wait_for(
            "the checker's message for the broken entry",
            lambda: re.search(r"entries/buurtkamer\.md:2: yaml-syntax", server.output()) is not None,
        )
        assert server.alive()
        write_in_place(path, entry_text(titel=NEW_TITLE))
        server.wait_for_title("buurtkamer", NEW_TITLE)


def test_serve_starts_with_a_broken_entry_left_out_until_it_is_fixed(site: Path, tmp_path: Path) -> None:
    path = site / "entries" / "buurtkamer.md"
    write_in_place(path, entry_text().replace(f"titel: {TITLE}", "titel: [Buurtkamer"))
    with serving(site, tmp_path) as server:
        assert re.search(r"entries/buurtkamer\.md:2: yaml-syntax", server.output())
        assert "weggelaten uit de site (voorvertoning" in server.output()
        assert (server.title("taalcafe") or "").startswith("Taalcafé Oost")
        # At the entry's address: a Dutch page with the checker's messages, not "not found".
        status, body = server.get("/interventies/buurtkamer/") or (0, "")
        assert status == 200
        assert "Deze beschrijving heeft fouten" in body
        assert re.search(r"entries/buurtkamer\.md:2</code>.*\(yaml-syntax\)", body)
        write_in_place(path, entry_text(titel=NEW_TITLE))
        server.wait_for_title("buurtkamer", NEW_TITLE)


def test_added_entry_appears_and_removed_entry_disappears(site: Path, tmp_path: Path) -> None:
    entries = site / "entries"
    with serving(site, tmp_path) as server:
        assert server.get("/interventies/nieuw/") == (404, "")
        assert server.search_pages() == 2
        replace_atomically(entries / "nieuw.md", entry_text(titel="Nieuwe interventie"))
        server.wait_for_title("nieuw", "Nieuwe interventie")
        assert server.search_pages() == 3
        (entries / "taalcafe.md").unlink()
        server.wait_for("a 404 for the removed entry", lambda: (server.get("/interventies/taalcafe/") or (0,))[0] == 404)
        assert server.search_pages() == 2
        # The catalogue follows (and the search index above): the new entry listed, the removed one gone.
        catalogue = server.get("/interventies/")
        assert catalogue is not None and catalogue[0] == 200
        assert "Nieuwe interventie" in catalogue[1] and "Taalcafé Oost" not in catalogue[1]


def related_section(html: str) -> str:
    found = re.search(r'<section class="kb-verwant".*?</section>', html, re.S)
    return found[0] if found else ""


def test_related_entries_follow_a_changed_title(tmp_path: Path) -> None:
    """Another entry's page lists a related entry by its title: a new title shows there too."""
    root = tmp_path / "bundled"
    shutil.copytree(REPO / "entries", root / "entries")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    with serving(root, tmp_path) as server:
        answer = server.get("/interventies/jongeren-aan-de-slag-feijenoord/")
        assert answer is not None and answer[0] == 200
        related = re.search(r'href="\.\./([a-z0-9-]+)/"', related_section(answer[1]))
        assert related, "the page lists related entries"
        other = root / "entries" / f"{related[1]}.md"
        text = other.read_text(encoding="utf-8")
        title = re.search(r"^titel: (.+)$", text, re.M)
        assert title
        replace_atomically(other, text.replace(title[0], "titel: Volstrekt nieuwe titel", 1))

        def shows_new_title() -> bool:
            answer = server.get("/interventies/jongeren-aan-de-slag-feijenoord/")
            return answer is not None and "Volstrekt nieuwe titel" in related_section(answer[1])

        server.wait_for("the new title among the related entries", shows_new_title)


def test_port_in_use_is_a_clear_message(site: Path, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "kennisbank", "serve", "--port", str(port)], cwd=site, stdin=subprocess.DEVNULL,
            capture_output=True, text=True, timeout=STARTUP_SECONDS, preexec_fn=interruptible,
        )
    assert done.returncode == 1, done.stderr
    assert f"kan het voorbeeld niet tonen op 127.0.0.1:{port}" in done.stderr and "probeer een andere --port" in done.stderr
    assert "Traceback" not in done.stderr


def test_ctrl_c_while_cleaning_up_is_not_a_port_problem(site: Path, run, monkeypatch) -> None:
    """Ctrl-C during a build: MkDocs removes its temporary site in a ``finally``, which fails while Pagefind
    still writes into it. The OSError that replaces the KeyboardInterrupt is no reason to blame the port."""

    def serve(*args, **kwargs) -> None:
        try:
            raise KeyboardInterrupt
        finally:
            raise OSError(errno.ENOTEMPTY, "Directory not empty", "/tmp/mkdocs_x/pagefind")

    monkeypatch.setattr("kennisbank.serve.serve_preview", serve)
    result = run(["serve", "--port", "8000"], site)
    assert result.exit_code == 1
    assert "Afgebroken." in result.stderr
    assert "--port" not in result.stderr


def test_ctrl_c_during_the_first_build_exits_quietly(tmp_path: Path) -> None:
    """Ctrl-C while Pagefind indexes the first build: "Aborted!", no traceback and no blame on the port."""
    root = tmp_path / "bundled"
    shutil.copytree(REPO / "entries", root / "entries")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    server = Server(root, tmp_path)
    try:
        server.wait_for("the pages rendered", lambda: "pagina's gemaakt voor" in server.output(), STARTUP_SECONDS)
    finally:
        code = server.stop()
    output = server.output()
    assert "Traceback" not in output and "another --port" not in output, output
    # Interrupted during the build ("Aborted!"), or, on a fast machine, just after it while serving.
    assert (code, "Afgebroken." in output) in {(1, True), (0, False)}, output
