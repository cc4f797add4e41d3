"""Paths: ids and files never escape entries/, symlinks are not followed out, init and new refuse dangerous targets."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from kennisbank import files as files_module
from kennisbank.archive import Archive
from kennisbank.files import atomic_write
from kennisbank.errors import UnsafePath

from conftest import entry_text

SECRET = "GEHEIM-wachtwoord-7f3a9c"
NEW = ["new", "--no-input", "--no-similar", "--samenvatting", "Een proef.", "--gemeente", "Utrecht",
       "--start", "2020", "--status", "lopend", "--thema", "werk"]


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    """A file outside every archive holding a secret (and a valid entry, so only the symlink rule can stop it)."""
    path = tmp_path / "buiten" / "geheim.md"
    path.parent.mkdir()
    path.write_text(entry_text(titel=SECRET, samenvatting=SECRET), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "entry_id",
    ["../x", "../../etc/passwd", "/etc/passwd", "a/b", "a\\b", "..", ".", "", "x.md", "abc\n", "ABC", "a--b",
     "buurtkаmer", "ｂｕｕｒｔ", "a" * 81, "a\x00b"],
)
def test_entry_path_refuses_unsafe_ids(archive, entry_id):
    with pytest.raises(UnsafePath, match="geen geldig id voor een interventie"):
        Archive.open(archive()).entry_path(entry_id)


def test_entry_path_stays_in_entries(archive):
    root = archive()
    path = Archive.open(root).entry_path("buurtkamer-zuid")
    assert path == (root / "entries" / "buurtkamer-zuid.md").resolve()


@pytest.mark.parametrize(
    "title, entry_id",
    [("../../etc/passwd", "etc-passwd"), ("/root/.ssh/authorized_keys", "root-ssh-authorized-keys"),
     ("..\\..\\windows\\system32", "windows-system32"), ("Ｃａｆé de ../Wijk", "cafe-de-wijk"),
     ("~/.bashrc", "bashrc")],
)
def test_new_turns_path_like_title_into_safe_id(archive, run, title, entry_id):
    root = archive()
    result = run([*NEW, "--titel", title], root)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"entries/{entry_id}.md"
    assert sorted(p.name for p in (root / "entries").iterdir()) == [f"{entry_id}.md"]
    assert yaml.safe_load((root / "entries" / f"{entry_id}.md").read_text().split("---")[1])["titel"] == title


@pytest.mark.parametrize("title", ["../..", "/", "...", "ж", "\u202e"])
def test_new_refuses_title_without_usable_id(archive, run, title):
    root = archive()
    result = run([*NEW, "--titel", title], root)
    assert result.exit_code == 2
    assert "geeft geen bruikbaar kenmerk" in result.output or "een antwoord is verplicht" in result.output
    assert "Traceback" not in result.output
    assert list((root / "entries").iterdir()) == []


@pytest.mark.parametrize("entry_id", ["../../etc/passwd", "/etc/passwd", "abc\n", "..", "entries/x"])
def test_similar_refuses_path_like_id(archive, run, entry_id):
    root = archive({"buurtkamer-zuidwijk.md": entry_text()})
    result = run(["similar", entry_id], root)
    assert result.exit_code != 0
    assert "geen interventie met id" in result.output
    assert "root:" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_symlink_out_of_archive_is_reported_and_never_read(archive, run, secret_file, tmp_path):
    root = archive({"buurtkamer-zuidwijk.md": entry_text()})
    (root / "entries" / "lek.md").symlink_to(secret_file)
    (root / "entries" / "lek-relatief.md").symlink_to(os.path.relpath(secret_file, root / "entries"))
    (root / "geheim-in-root.md").write_text(entry_text(titel=SECRET), encoding="utf-8")
    (root / "entries" / "naar-root.md").symlink_to("../geheim-in-root.md")
    result = run(["check", "--json"], root)
    problems = json.loads(result.stdout)["problems"]
    assert result.exit_code == 1
    assert sorted((p["path"], p["code"]) for p in problems) == [
        ("entries/lek-relatief.md", "symlink-outside"),
        ("entries/lek.md", "symlink-outside"),
        ("entries/naar-root.md", "symlink-outside"),
    ]
    outputs = [result.output, run(["check"], root).output, run(["stats", "--json"], root).output]
    for fmt in ("json", "csv"):
        outputs.append(run(["export", "--format", fmt], root).output)
        export_file = tmp_path / f"export.{fmt}"
        run(["export", "--format", fmt, "-o", str(export_file)], root)
        outputs.append(export_file.read_text(encoding="utf-8"))
    assert "Buurtkamer Zuidwijk" in outputs[-1]
    for output in outputs:
        assert SECRET not in output


def test_symlink_out_of_archive_is_never_opened(archive, secret_file, monkeypatch):
    root = archive({"buurtkamer-zuidwijk.md": entry_text()})
    (root / "entries" / "lek.md").symlink_to(secret_file)
    opened: list[Path] = []
    real_open = Path.open

    def spy(self, *args, **kwargs):
        opened.append(Path(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", spy)
    Archive.open(root).check()
    assert root / "entries" / "buurtkamer-zuidwijk.md" in opened
    assert not any(path.name == "lek.md" or path.resolve() == secret_file for path in opened)


def test_symlink_inside_entries_is_read(archive, run):
    root = archive({"buurtkamer-zuidwijk.md": entry_text()})
    (root / "entries" / "buurtkamer-alias.md").symlink_to("buurtkamer-zuidwijk.md")
    result = run(["check"], root)
    assert result.exit_code == 0, result.output
    assert "2 interventies gecontroleerd" in result.output


def test_symlinked_folder_of_entries_out_of_archive_is_refused(tmp_path, secret_file):
    root = tmp_path / "archief"
    root.mkdir()
    (root / "mkdocs.yml").write_text("site_name: X\nplugins:\n  - kennisbank\n", encoding="utf-8")
    (root / "entries").symlink_to(secret_file.parent, target_is_directory=True)
    with pytest.raises(Exception, match="wijst buiten het archief"):
        Archive.open(root)


@pytest.mark.parametrize("option", ["entries: ../buiten", "entries: /etc", "cache_dir: ../../tmp"])
def test_config_refuses_folders_outside_archive(tmp_path, run, option):
    root = tmp_path / "archief"
    (root / "entries").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(f"site_name: X\nplugins:\n  - kennisbank:\n      {option}\n", encoding="utf-8")
    result = run(["check"], root)
    assert result.exit_code == 2
    assert "wijst buiten het archief" in result.output


# ---- init ------------------------------------------------------------------------------------


def test_init_refuses_non_empty_folder(run, tmp_path):
    target = tmp_path / "vol"
    target.mkdir()
    (target / "notities.txt").write_text("van iemand anders", encoding="utf-8")
    result = run(["init", str(target)], tmp_path)
    assert result.exit_code == 1
    assert "is niet leeg" in result.output
    assert [p.name for p in target.iterdir()] == ["notities.txt"]


def test_init_refuses_existing_file(run, tmp_path):
    target = tmp_path / "bestand"
    target.write_text("inhoud", encoding="utf-8")
    result = run(["init", str(target)], tmp_path)
    assert result.exit_code == 1
    assert "is geen map" in result.output
    assert target.read_text(encoding="utf-8") == "inhoud"


@pytest.mark.parametrize("dangling", [False, True], ids=["to-empty-folder", "dangling"])
def test_init_refuses_symlink(run, tmp_path, dangling):
    elsewhere = tmp_path / "elders"
    if not dangling:
        elsewhere.mkdir()
    link = tmp_path / "link"
    link.symlink_to(elsewhere, target_is_directory=True)
    result = run(["init", str(link)], tmp_path)
    assert result.exit_code == 1
    assert "symbolische koppeling" in result.output
    assert not dangling or not elsewhere.exists()
    assert dangling or list(elsewhere.iterdir()) == []


def test_init_creates_archive_in_new_folder(run, tmp_path):
    result = run(["init", str(tmp_path / "nieuw")], tmp_path)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "nieuw").iterdir()) == [".gitignore", "README.md", "entries", "mkdocs.yml"]


# ---- new and atomic_write never write through a planted symlink ------------------------------


@pytest.mark.parametrize("existing", [True, False], ids=["to-existing-file", "dangling"])
def test_new_never_writes_through_planted_symlink(archive, run, tmp_path, existing):
    root = archive()
    target = tmp_path / "slachtoffer.txt"
    if existing:
        target.write_text("onaangetast", encoding="utf-8")
    (root / "entries" / "buurtkamer-zuid.md").symlink_to(target)
    result = run([*NEW, "--titel", "Buurtkamer Zuid"], root)
    assert result.exit_code == 1
    assert "bestaat al" in result.output
    assert (target.read_text(encoding="utf-8") == "onaangetast") if existing else not target.exists()


def test_atomic_write_exclusive_never_replaces_symlink_created_in_the_race(tmp_path, monkeypatch):
    target = tmp_path / "slachtoffer.txt"
    target.write_text("onaangetast", encoding="utf-8")
    path = tmp_path / "entries" / "x.md"
    path.parent.mkdir()
    path.symlink_to(target)  # as if planted between new's check and its write
    with pytest.raises(FileExistsError):
        atomic_write(path, "nieuw", exclusive=True)
    assert target.read_text(encoding="utf-8") == "onaangetast"
    assert path.is_symlink()
    assert sorted(p.name for p in path.parent.iterdir()) == ["x.md"]


def test_atomic_write_never_writes_through_planted_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "slachtoffer.txt"
    target.write_text("onaangetast", encoding="utf-8")
    monkeypatch.setattr(files_module.secrets, "token_hex", lambda n: "voorspelbaar")
    folder = tmp_path / "entries"
    folder.mkdir()
    (folder / ".x.md.voorspelbaar.tmp").symlink_to(target)
    with pytest.raises(FileExistsError):
        atomic_write(folder / "x.md", "kwaadaardig")
    assert target.read_text(encoding="utf-8") == "onaangetast"
    assert not (folder / "x.md").exists()


def test_check_reports_files_the_site_would_publish_unchecked(archive, run, secret_file):
    root = archive({"buurtkamer-zuidwijk.md": entry_text(), "kwaad.html": "<script>alert(1)</script>"})
    (root / "entries" / "lek.txt").symlink_to(secret_file)
    (root / "entries" / "map").symlink_to(secret_file.parent, target_is_directory=True)
    (root / "entries" / "concepten").mkdir()
    (root / "entries" / "concepten" / "plaatje.svg").write_text("<svg onload=alert(1)/>", encoding="utf-8")
    (root / "entries" / "concepten" / "later.md").write_text(entry_text(), encoding="utf-8")
    (root / "entries" / ".gitkeep").write_text("", encoding="utf-8")
    # Editors' backups and auto-saves beside an entry being edited are not errors.
    (root / "entries" / "buurtkamer-zuidwijk.md~").write_text(entry_text(), encoding="utf-8")
    (root / "entries" / "#buurtkamer-zuidwijk.md#").write_text(entry_text(), encoding="utf-8")
    result = run(["check", "--json"], root)
    problems = json.loads(result.stdout)["problems"]
    assert result.exit_code == 1
    assert [(p["path"], p["code"]) for p in problems] == [
        ("entries/concepten/plaatje.svg", "not-an-entry"),
        ("entries/kwaad.html", "not-an-entry"),
        ("entries/lek.txt", "not-an-entry"),
        ("entries/map", "not-an-entry"),
    ]
    assert "zou het ongewijzigd kunnen publiceren" in problems[0]["message"]
    assert SECRET not in result.output
