"""Shared fixtures: an archive in a temporary folder, a CLI runner, valid entry texts."""

from __future__ import annotations

import datetime as dt
import os
import signal
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml
from click.testing import CliRunner, Result

# Messages are asserted in Dutch, the default: a developer's English locale must not change them
# (in this process or in the ones the tests start). Tests of the English pass the language themselves.
os.environ["KENNISBANK_TAAL"] = "nl"

from kennisbank import i18n  # noqa: E402
from kennisbank.cli import cli  # noqa: E402
from kennisbank.engine import select_engine  # noqa: E402

# KENNISBANK_ENGINE=properdocs builds every site of the run with ProperDocs (CI's second run, see
# .ci/run): chosen before any test module imports MkDocs, which ProperDocs then stands in for.
ENGINE = select_engine()

REPO = Path(__file__).resolve().parent.parent
SECTIONS = ("Context", "Aanpak", "Resultaten", "Lessen")


def entry_text(stopped: bool = False, body: str | None = None, **changes: Any) -> str:
    """A valid entry, reviewed a month ago; ``changes`` replace front-matter keys (None drops one)."""
    meta: dict[str, Any] = {
        "titel": "Buurtkamer Zuidwijk",
        "samenvatting": "Een huiskamer in de wijk waar bewoners elkaar ontmoetten.",
        "gemeente": "Voorbeeldstad",
        "periode": {"start": "2012-03", "eind": "2016-12"} if stopped else {"start": "2012-03"},
        "status": "gestopt" if stopped else "lopend",
        "themas": ["participatie"],
        "bewijs": {"niveau": "monitoring", "uitkomst": "gemengd"},
        "laatst_beoordeeld": (dt.date.today() - dt.timedelta(days=30)).isoformat(),
    }
    if stopped:
        meta["beeindiging"] = {"datum": "2016-12", "redenen": ["financiering-afgelopen"]}
    meta.update(changes)
    meta = {key: value for key, value in meta.items() if value is not None}
    if body is None:
        titles = [*SECTIONS[:3], "Waarom gestopt", SECTIONS[3]] if stopped else SECTIONS
        body = "".join(f"\n## {title}\n\nTekst over {title.lower()}.\n" for title in titles)
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    return f"---\n{front}---\n{body}"


@pytest.fixture(autouse=True)
def dutch() -> Any:
    """Every test starts in Dutch, also after one that switched the language."""
    i18n.set_language("nl")
    yield
    i18n.set_language("nl")


@pytest.fixture
def archive(tmp_path: Path) -> Callable[..., Path]:
    """Factory: an archive folder with mkdocs.yml (``plugins: [kennisbank]``) and the given entries.

    ``entries`` maps a file name (``"x.md"``) to its text or bytes;
    ``options`` become the plugin's options in mkdocs.yml.
    """
    made = 0

    def make(entries: dict[str, str | bytes] | None = None, options: dict[str, Any] | None = None) -> Path:
        nonlocal made
        made += 1
        root = tmp_path / f"archive{made}"
        (root / "entries").mkdir(parents=True)
        plugin: Any = {"kennisbank": options} if options else "kennisbank"
        config = {"site_name": "Testkennisbank", "docs_dir": "entries", "plugins": [plugin]}
        (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
        for name, content in (entries or {}).items():
            path = root / "entries" / name
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return root

    return make


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def run(runner: CliRunner) -> Callable[..., Result]:
    """``run(args, cwd)``: the kennisbank CLI in archive ``cwd`` (via ``-C``), stdout and stderr apart."""

    def invoke(args: list[str], cwd: Path, **kwargs: Any) -> Result:
        return runner.invoke(cli, ["-C", str(cwd), *args], **kwargs)

    return invoke


def interruptible() -> None:
    """For ``preexec_fn``: Ctrl-C as in a terminal, also when the test run ignores SIGINT (a background job, some CI)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
