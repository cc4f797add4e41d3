"""`kennisbank init DIR`: a new, empty, working archive, never over an existing folder's content."""

from __future__ import annotations

import pytest
import yaml

from kennisbank.cli import cli
from kennisbank.config import load_settings, plugin_options, read_mkdocs_yml

NEW_ENTRY = [
    "new", "--titel", "Buurtkamer Zuidwijk", "--samenvatting", "Een huiskamer in de wijk.", "--gemeente", "Rotterdam",
    "--start", "2012", "--status", "lopend", "--thema", "participatie", "--no-input", "--no-similar",
]


def snapshot(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_init_creates_archive_files(tmp_path, runner):
    target = tmp_path / "wijken"
    result = runner.invoke(cli, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Leeg archief gemaakt in {target}\nVerder: cd {target} && kennisbank new\n"
    assert sorted(p.name for p in target.iterdir()) == [".gitignore", "README.md", "entries", "mkdocs.yml"]
    assert (target / "entries").is_dir()
    assert list((target / "entries").glob("*.md")) == []
    assert "site/" in (target / ".gitignore").read_text(encoding="utf-8")
    assert (target / "README.md").read_text(encoding="utf-8").startswith("# Kennisbank wijken\n")


def test_init_configures_the_plugin_in_mkdocs_yml(tmp_path, runner):
    runner.invoke(cli, ["init", str(tmp_path / "wijken")])
    config = read_mkdocs_yml(tmp_path / "wijken" / "mkdocs.yml")
    assert config["site_name"] == "Kennisbank wijken"
    assert plugin_options(config)["entries"] == "entries"
    settings = load_settings(tmp_path / "wijken")
    assert settings.entries_dir == (tmp_path / "wijken" / "entries").resolve()


def test_init_archive_passes_check_with_no_entries(tmp_path, runner, run):
    runner.invoke(cli, ["init", str(tmp_path / "leeg")])
    result = run(["check"], tmp_path / "leeg")
    assert result.stdout == "0 interventies gecontroleerd: 0 fouten, 0 waarschuwingen\n"
    assert result.exit_code == 0


def test_init_archive_accepts_new_entry(tmp_path, runner, run):
    runner.invoke(cli, ["init", str(tmp_path / "wijken")])
    created = run(NEW_ENTRY, tmp_path / "wijken")
    assert created.stdout == "entries/buurtkamer-zuidwijk.md\n"
    check = run(["check"], tmp_path / "wijken")
    assert check.exit_code == 0
    assert check.stderr == "1 interventie gecontroleerd: 0 fouten, 4 waarschuwingen\n"


def test_init_in_existing_empty_folder(tmp_path, runner):
    result = runner.invoke(cli, ["init", str(tmp_path)])
    assert result.exit_code == 0
    assert (tmp_path / "mkdocs.yml").is_file()


def test_init_refuses_non_empty_folder_and_changes_nothing(tmp_path, runner):
    (tmp_path / "notities.txt").write_text("van mij\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "mkdocs.yml").write_text("site_name: eigen\n", encoding="utf-8")
    before = snapshot(tmp_path)
    result = runner.invoke(cli, ["init", str(tmp_path)])
    assert result.exit_code == 1
    first, second = result.stderr.splitlines()
    assert first == f"Fout: {tmp_path} is niet leeg; geef een nieuwe of lege map"
    assert second.endswith(": kennisbank init NIEUWE-MAP")
    assert snapshot(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notities.txt", "sub"]


def test_init_refuses_folder_with_only_hidden_files(tmp_path, runner):
    (tmp_path / ".git").mkdir()
    result = runner.invoke(cli, ["init", str(tmp_path)])
    assert result.exit_code == 1
    assert not (tmp_path / "mkdocs.yml").exists()


def test_init_refuses_a_file(tmp_path, runner):
    target = tmp_path / "bestand"
    target.write_text("x", encoding="utf-8")
    result = runner.invoke(cli, ["init", str(target)])
    assert result.exit_code == 1
    assert "bestaat en is geen map" in result.stderr
    assert target.read_text(encoding="utf-8") == "x"


def test_init_writes_site_name_with_quotes_as_valid_yaml(tmp_path, runner, run):
    name = 'Kennisbank "Zuid" \\ \'t Oosten: #1'
    result = runner.invoke(cli, ["init", str(tmp_path / "zuid"), "--naam", name])
    assert result.exit_code == 0
    assert yaml.safe_load((tmp_path / "zuid" / "mkdocs.yml").read_text(encoding="utf-8"))["site_name"] == name
    assert run(["check"], tmp_path / "zuid").exit_code == 0


def test_mkdocs_yml_parse_cache_follows_every_change(tmp_path):
    """The parse of mkdocs.yml is kept in .kennisbank/ by its exact bytes: any edit is read anew,
    and a damaged cache file is ignored."""
    (tmp_path / ".kennisbank").mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Een\nplugins:\n  - kennisbank:\n      review_interval_days: 100\n", encoding="utf-8")
    assert load_settings(tmp_path).review_interval_days == 100
    assert (tmp_path / ".kennisbank" / "mkdocs.yml.marshal").is_file()
    assert load_settings(tmp_path).review_interval_days == 100
    # Same size, other content: read anew.
    config.write_text("site_name: Een\nplugins:\n  - kennisbank:\n      review_interval_days: 200\n", encoding="utf-8")
    assert load_settings(tmp_path).review_interval_days == 200
    (tmp_path / ".kennisbank" / "mkdocs.yml.marshal").write_bytes(b"\x00kapot")
    assert load_settings(tmp_path).review_interval_days == 200
    # Values marshal cannot hold (a date) are simply parsed each time.
    config.write_text("site_name: Een\ncopyright: 2020-01-01\nplugins:\n  - kennisbank\n", encoding="utf-8")
    assert read_mkdocs_yml(config)["copyright"].year == 2020


@pytest.mark.parametrize("name", ["review_interval_days", "max_entry_bytes", "list_page_size"])
def test_every_minimum_is_checked_also_for_mkdocs_plugin_config(tmp_path, name):
    """MkDocs' plugin config knows the types, not the minimums: Settings checks them, for every option."""
    from kennisbank.config import OPTIONS, Settings
    from kennisbank.errors import ConfigError

    options = {key: option.default for key, option in OPTIONS.items()}
    options[name] = 0
    with pytest.raises(ConfigError, match=f"{name}: verwacht ten minste 1, gevonden: 0"):
        Settings.from_options(tmp_path, options)
