"""``kennisbank compare ID ID [ID ...]``: entries side by side, in columns or blocks, and its errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import entry_text

SECTIONS = {
    "Context": "De wijk had veel schulden.",
    "Aanpak": "Budgetcoaches gingen langs bij huishoudens met een achterstand.\n\nTweede alinea die niet getoond wordt.",
    "Resultaten": "Minder huisuitzettingen.",
    "Waarom gestopt": "Het geld van het fonds was op.",
    "Lessen": "Regel de financiering vooraf.",
}


def make(titel: str, stopped: bool = True, **changes) -> str:
    titles = [t for t in SECTIONS if stopped or t != "Waarom gestopt"]
    body = "".join(f"\n## {t}\n\n{SECTIONS[t]}\n" for t in titles)
    return entry_text(stopped=stopped, titel=titel, body=body, **changes)


ENTRIES = {
    "budgetcoaches-noord.md": make("Budgetcoaches Noord", gemeente="Schiedam", wijken=["Oost"],
                                   financiering={"soort": "tijdelijk", "bronnen": ["Oranje Fonds"], "vervolgplan": False}),
    "schuldhulp-zuid.md": make("Schuldhulp Zuid"),
    "taalcafe-west.md": make("Taalcafé West", stopped=False),
    "sportcoach-oost.md": make("Sportcoach Oost", stopped=False),
    "kapot.md": "---\ntitel: kapot\n---\n",
}
ALL = ["budgetcoaches-noord", "schuldhulp-zuid", "taalcafe-west", "sportcoach-oost"]


@pytest.fixture
def root(archive) -> Path:
    return archive(ENTRIES)


def test_columns_when_wide_enough(run, root: Path):
    result = run(["compare", *ALL, "--width", "160"], root)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert all(title in lines[0] for title in ("Budgetcoaches Noord", "Schuldhulp Zuid", "Taalcafé West", "Sportcoach Oost"))
    assert max(len(line) for line in lines) <= 160
    for label in ("Plaats", "Periode", "Aanpak", "Bewijs", "Uitkomst", "Kosten en financiering", "Stopverslag", "Lessen"):
        assert label in lines
    place = lines[lines.index("Plaats") + 1]
    assert place.startswith("Schiedam (Oost)") and "Voorbeeldstad" in place


def test_blocks_when_too_narrow(run, root: Path):
    result = run(["compare", *ALL[:3], "--width", "80"], root)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "1. Budgetcoaches Noord  [budgetcoaches-noord]"
    assert "2. Schuldhulp Zuid  [schuldhulp-zuid]" in lines and "3. Taalcafé West  [taalcafe-west]" in lines
    assert "   Plaats: Schiedam (Oost)" in lines
    assert max(len(line) for line in lines) <= 80


def test_two_entries_fit_side_by_side_at_80(run, root: Path):
    lines = run(["compare", *ALL[:2], "--width", "80"], root).stdout.splitlines()
    assert "Budgetcoaches Noord" in lines[0] and "Schuldhulp Zuid" in lines[0]
    assert max(len(line) for line in lines) <= 80


def test_what_each_row_says(run, root: Path):
    items = json.loads(run(["compare", *ALL[:3], "--json"], root).stdout)["interventies"]
    first, _, running = items
    assert first["aanpak"] == "Budgetcoaches gingen langs bij huishoudens met een achterstand."
    assert first["financiering"] == "Tijdelijk; Oranje Fonds; vervolgplan: nee"
    assert first["stopverslag"] == "gestopt in december 2016: tijdelijk geld op. Het geld van het fonds was op."
    assert first["lessen"] == "Regel de financiering vooraf."
    assert running["stopverslag"].startswith("niet gestopt (loopt sinds")
    assert running["financiering"] == "niet vastgelegd"
    text = run(["compare", *ALL[:3], "--width", "80"], root).stdout
    assert "Tijdelijk; Oranje Fonds; vervolgplan: nee" in " ".join(text.split())


@pytest.mark.parametrize("ids, message", [
    (["budgetcoaches-noord"], "2 tot 4"),
    ([*ALL, "budgetcoaches-noord"], "2 tot 4"),
    (["budgetcoaches-noord", "budgetcoaches-noord"], "meer dan eens"),
    (["budgetcoaches-noord", "kapot"], "bevat fouten"),
])
def test_wrong_ids(run, root: Path, ids: list[str], message: str):
    result = run(["compare", *ids], root)
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output


def test_unknown_id_suggests_the_nearest(run, root: Path):
    result = run(["compare", "budgetcoaches-noord", "schuldhulp-zud"], root)
    assert result.exit_code == 2
    assert "geen interventie met id 'schuldhulp-zud'" in result.stderr
    assert "bedoelt u 'schuldhulp-zuid'?" in result.stderr
