"""The site generator: MkDocs by default, ProperDocs with KENNISBANK_ENGINE=properdocs (CI runs the site tests with both)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kennisbank.engine import ENGINE_VARIABLE, engine_name

from conftest import ENGINE, entry_text

GENERATOR = re.compile(r'<meta name="generator" content="([^"]+)">')


def test_site_is_built_by_the_engine_the_run_asks_for(archive, run) -> None:
    root = archive({"buurtkamer.md": entry_text()})
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"] = {"name": "material", "language": "nl"}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    result = run(["build", "--no-pagefind"], root)
    assert result.exit_code == 0, result.output
    generator = GENERATOR.search((root / "site" / "interventies" / "buurtkamer" / "index.html").read_text("utf-8"))[1]
    if ENGINE == "properdocs":
        assert generator.startswith("mkdocs-ProperDocs "), generator
    else:
        assert generator.startswith("mkdocs-1."), generator
    assert "mkdocs-material-" in generator


def test_unknown_engine_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENGINE_VARIABLE, "hugo")
    with pytest.raises(Exception) as raised:
        engine_name()
    assert "KENNISBANK_ENGINE=hugo is geen bekende sitegenerator; verwacht: mkdocs, properdocs" in str(raised.value)


def test_properdocs_after_mkdocs_in_one_process_is_refused(archive) -> None:
    root = archive({"buurtkamer.md": entry_text()})
    script = "import mkdocs.config, kennisbank.cli; kennisbank.cli.main()"
    env = {**os.environ, ENGINE_VARIABLE: "properdocs"}
    done = subprocess.run([sys.executable, "-c", script, "-C", str(root), "build", "--no-pagefind"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "maar MkDocs zelf was in dit proces al geladen" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (Path(root) / "site").exists()
