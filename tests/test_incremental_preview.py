"""The preview's re-rendered pages are the pages a clean build makes (issue 14).

After each edit of a random edit sequence on the bundled archive, ``PreviewSite.refresh``
re-renders only what it thinks is affected; a clean preview build of the same entries is
then made beside it and every file of the two sites is compared byte for byte (the Pagefind
bundle aside: it follows in the background and is tested by test_serve).
"""

from __future__ import annotations

import os
import random
import re
import shutil
from pathlib import Path

import pytest

from kennisbank.archive import Archive
from kennisbank.files import atomic_write
from kennisbank.serve import PreviewSite

from conftest import REPO

SERVE_URL = "http://127.0.0.1:8000/"


def _site_files(site: Path) -> dict[str, bytes]:
    found = {}
    for folder, folders, names in os.walk(site):
        folders[:] = [name for name in folders if name != "pagefind" and not name.startswith(".")]
        for name in names:
            path = Path(folder) / name
            found[str(path.relative_to(site))] = path.read_bytes()
    return found


def _retitle(text: str, rng: random.Random) -> str:
    return re.sub(r"^titel: .*$", f"titel: Nieuwe titel {rng.randrange(1000)}", text, count=1, flags=re.M)


def _rethemed(text: str, rng: random.Random) -> str:
    theme = rng.choice(["jeugd", "veiligheid", "participatie", "armoede", "zorg"])
    return re.sub(r"^themas: \[", f"themas: [{theme}, ", text, count=1, flags=re.M) if f"{theme}," not in text else text


def _moved(text: str, rng: random.Random) -> str:
    return re.sub(r"^gemeente: .*$", f"gemeente: {rng.choice(['Amsterdam', 'Utrecht', 'Zwolle'])}", text, count=1,
                  flags=re.M)


def _broken(text: str, rng: random.Random) -> str:
    return text.replace("titel:", "titel: [", 1)


def _summarised(text: str, rng: random.Random) -> str:
    return text.replace("\n## ", f"\nEen extra zin nummer {rng.randrange(1000)} over de aanpak.\n\n## ", 1)


EDITS = [_retitle, _rethemed, _moved, _broken, _summarised]


def _save(path: Path, text: str, style: int) -> None:
    """Atomic rename, in place, or Vim's backup-and-write."""
    if style == 0:
        atomic_write(path, text)
    elif style == 1:
        path.write_text(text, encoding="utf-8")
    else:
        backup = path.with_name(path.name + "~")
        os.replace(path, backup)
        path.write_text(text, encoding="utf-8")
        backup.unlink()


@pytest.mark.parametrize("seed", [14, 1414])
def test_refreshed_pages_equal_a_clean_build_after_random_edits(tmp_path: Path, seed: int) -> None:
    root = tmp_path / "archief"
    shutil.copytree(REPO / "entries", root / "entries")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    preview = PreviewSite(Archive.open(root), tmp_path / "preview", SERVE_URL)
    preview.build()
    rng = random.Random(seed)
    originals = {path: path.read_text(encoding="utf-8") for path in sorted((root / "entries").glob("*.md"))}
    fast = 0
    for step in range(5):
        path = rng.choice(sorted(originals))
        edit = rng.choice(EDITS)
        current = path.read_text(encoding="utf-8")
        # A broken entry is mostly fixed again next (restored), as an editor would.
        text = originals[path] if "titel: [" in current else edit(current, rng)
        _save(path, text, rng.randrange(3))
        update = preview.refresh(tmp_path / f"spare{step}")
        assert update is not None, f"step {step}: {edit.__name__} on {path.name} went unnoticed"
        fast += update.full is None
        clean = PreviewSite(Archive.open(root), tmp_path / f"clean{step}", SERVE_URL)
        clean.build()
        served, expected = _site_files(preview.site_dir), _site_files(clean.site_dir)
        assert sorted(served) == sorted(expected)
        differing = [name for name in expected if served[name] != expected[name]]
        assert differing == [], f"step {step}: {edit.__name__} on {path.name}"
        shutil.rmtree(clean.site_dir)
    assert fast >= 3, "most edits were handled without a whole build"


def test_nothing_changed_is_no_update(tmp_path: Path) -> None:
    root = tmp_path / "archief"
    shutil.copytree(REPO / "entries", root / "entries")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    preview = PreviewSite(Archive.open(root), tmp_path / "preview", SERVE_URL)
    preview.build()
    assert preview.refresh() is None


def test_the_served_last_build_loses_its_policy_meta_and_gets_the_reload_script() -> None:
    from kennisbank.serve import _Server

    server = _Server(builder=lambda: None, host="127.0.0.1", port=0, root=".")
    try:
        page = (b'<html><head><meta http-equiv="Content-Security-Policy" content="script-src \'self\'">'
                b"</head><body><h1>Buurtkamer</h1></body></html>")
        served = server._inject_js_into_html(page, 1)
        assert b"Content-Security-Policy" not in served
        assert b"<h1>Buurtkamer</h1><script>" in served and b"livereload" in served
    finally:
        server.server_close()


def test_serve_shows_the_last_build_first_and_then_follows_edits(tmp_path: Path) -> None:
    import subprocess
    import sys

    from test_serve import NEW_TITLE, replace_atomically, serving

    from conftest import entry_text

    root = tmp_path / "archief"
    (root / "entries").mkdir(parents=True)
    (root / "entries" / "buurtkamer.md").write_text(entry_text(), encoding="utf-8")
    (root / "entries" / "taalcafe.md").write_text(entry_text(titel="Taalcafé Oost", stopped=True), encoding="utf-8")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    built = subprocess.run([sys.executable, "-m", "kennisbank", "build"], cwd=root, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    with serving(root, tmp_path) as server:
        server.wait_for("the preview", lambda: "Voorvertoning op" in server.output())
        assert "De laatst gebouwde site staat op" in server.output()
        replace_atomically(root / "entries" / "buurtkamer.md", entry_text(titel=NEW_TITLE))
        server.wait_for_title("buurtkamer", NEW_TITLE)
        server.wait_for("the log of the re-rendered pages", lambda: "opnieuw gemaakt in" in server.output())
    # The last build itself is left as it was: the preview is made elsewhere.
    assert NEW_TITLE not in (root / "site" / "interventies" / "buurtkamer" / "index.html").read_text(encoding="utf-8")


def test_the_check_cache_agrees_with_a_whole_check(tmp_path: Path) -> None:
    import datetime as dt

    from kennisbank.incremental import CheckCache

    from conftest import entry_text

    root = tmp_path / "archief"
    (root / "entries").mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    entries = root / "entries"
    (entries / "buurtkamer.md").write_text(entry_text(), encoding="utf-8")
    (entries / "taalcafe.md").write_text(entry_text(titel="Taalcafé Oost", stopped=True), encoding="utf-8")
    (entries / "notities.txt").write_text("geen interventie", encoding="utf-8")
    (tmp_path / "geheim.md").write_text(entry_text(), encoding="utf-8")
    (entries / "buiten.md").symlink_to(tmp_path / "geheim.md")
    cache = CheckCache(Archive.open(root))
    today = dt.date.today()

    def same() -> set[str]:
        result, changed = cache.check(today)
        whole = Archive.open(root).check(today)
        assert [str(p) for p in result.problems] == [str(p) for p in whole.problems]
        assert [e.id for e in result.entries] == [e.id for e in whole.entries]
        assert result.files == whole.files
        return changed

    assert same() == {"buurtkamer", "taalcafe"}
    assert same() == set()
    atomic_write(entries / "buurtkamer.md", entry_text(titel="Nieuwe titel", relaties={"lijkt_op": ["bestaat-niet"]}))
    assert same() == {"buurtkamer"}
    (entries / "taalcafe.md").write_text(entry_text().replace("titel:", "titel: [", 1), encoding="utf-8")
    assert same() == {"taalcafe"}
    (entries / "taalcafe.md").unlink()
    assert same() == {"taalcafe"}


def test_an_emacs_lock_file_does_not_force_a_whole_build(tmp_path: Path) -> None:
    root = tmp_path / "archief"
    shutil.copytree(REPO / "entries", root / "entries")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    preview = PreviewSite(Archive.open(root), tmp_path / "preview", SERVE_URL)
    preview.build()
    path = sorted((root / "entries").glob("*.md"))[0]
    # Emacs marks the file it edits with a dangling symbolic link beside it, and saves in place.
    (root / "entries" / f".#{path.name}").symlink_to("redacteur@werkplek.4242:1700000000")
    path.write_text(_retitle(path.read_text(encoding="utf-8"), random.Random(1)), encoding="utf-8")
    update = preview.refresh(tmp_path / "spare")
    assert update is not None and update.full is None and update.pages >= 1
