"""The judged municipal spreadsheet (tests/judged/import/, helper H0) imported with --skip-bad into a copy of the
demo archive: every expectation of expected.yaml, for the workbook and for the same data as Dutch Excel CSV.

The expectations were written before the importer existed and are never edited here; the test reads them.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest
import yaml

from kennisbank.reader import read_entry_file
from kennisbank.spreadsheet import read_table

from conftest import REPO

JUDGED = REPO / "tests" / "judged" / "import"
EXPECTED = yaml.safe_load((JUDGED / "expected.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=["xlsx", "csv"])
def imported(request, tmp_path_factory):
    """(kind, archive root, result of `import --skip-bad`, {row: entry data}) for the workbook and for the CSV."""
    from click.testing import CliRunner

    from kennisbank.cli import cli

    root = tmp_path_factory.mktemp(f"judged-{request.param}")
    shutil.copytree(REPO / "entries", root / "entries")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    before = {p.name for p in (root / "entries").glob("*.md")}
    name = EXPECTED["bestand"] if request.param == "xlsx" else EXPECTED["csv"]
    result = CliRunner().invoke(cli, ["-C", str(root), "import", str(JUDGED / name), "--skip-bad"])
    rows = {}
    for path in sorted((root / "entries").glob("*.md")):
        if path.name not in before:
            data = read_entry_file(path).data
            rows[data["herkomst"]["rij"]] = (path.stem, data)
    check = CliRunner().invoke(cli, ["-C", str(root), "check"])
    return request.param, root, result, rows, check


def cell(kind: str, ref: str) -> str:
    """expected.yaml's 'Blad1!E22' as the importer writes it for this file."""
    sheet, place = ref.split("!")
    column = "".join(c for c in place if c.isalpha())
    row = place[len(column):]
    return f"{EXPECTED['bestand']}:{sheet}!{column}{row}" if kind == "xlsx" else f"{EXPECTED['csv']}:{row}:{column}"


def test_the_import_succeeds_and_every_entry_passes_check(imported):
    _kind, _root, result, rows, check = imported
    assert result.exit_code == 0, result.output
    assert check.exit_code == 0, check.stdout
    errors = EXPECTED["fouten"]
    duplicates = EXPECTED["duplicaat"]
    assert len(rows) == EXPECTED["rijen"] - len(errors) - len(duplicates)


def test_the_bad_rows_are_reported_at_their_cell_with_their_key(imported):
    kind, _root, result, rows, _check = imported
    lines = [line for line in result.stdout.splitlines() if ": warning: " not in line and ": let op: " not in line]
    for error in EXPECTED["fouten"]:
        prefix = f"{cell(kind, error['cel'])}: {error['sleutel']}: "
        assert any(line.startswith(prefix) for line in lines), (prefix, error["waarom"])
        assert error["rij"] not in rows
    # Every cell reported as an error, and only these (the duplicate is reported apart, as skipped).
    at_cell = re.compile(r"^(\S+![A-Z]+\d+|\S+\.csv:\d+:[A-Z]+): ")
    reported = {at_cell.match(line)[1] for line in lines if at_cell.match(line) and "bestaande interventie" not in line}
    assert reported == {cell(kind, error["cel"]) for error in EXPECTED["fouten"]}


def test_the_duplicate_is_reported_and_skipped_and_look_alikes_are_not(imported):
    kind, _root, result, rows, _check = imported
    for duplicate in EXPECTED["duplicaat"]:
        assert f"{cell(kind, duplicate['cel'])}: lijkt op de bestaande interventie {duplicate['entry']}" in result.stdout
        assert duplicate["rij"] not in rows
    for other in EXPECTED["geen_duplicaat"]:
        assert other["rij"] in rows, other
        assert rows[other["rij"]][1]["titel"] == other["titel"]


def test_formulas_read_as_cached_values():
    table = read_table(JUDGED / EXPECTED["bestand"])
    by_row = {row.number: row.cells for row in table.rows}
    for formula in EXPECTED["formules"]:
        place = formula["cel"].split("!")[1]
        column = "".join(c for c in place if c.isalpha())
        assert by_row[int(place[len(column):])][column] == formula["waarde"]


def test_every_imported_entry_is_marked_and_cites_the_sheet(imported):
    kind, _root, _result, rows, _check = imported
    name = EXPECTED["bestand"] if kind == "xlsx" else EXPECTED["csv"]
    assert EXPECTED["herkomst_altijd"]
    for row, (_id, data) in rows.items():
        assert data["beoordeeld"] is False
        expected = {"bestand": name, "rij": row, "geimporteerd": dt.date.today().isoformat()}
        if kind == "xlsx":
            expected["blad"] = EXPECTED["blad"]
        assert data["herkomst"] == expected
        assert any(source["titel"].startswith(name) for source in data["bronnen"])
        assert all("naam" not in holder for holder in data.get("kennisdragers", []))


def _as_text(value):
    if isinstance(value, dict):
        return {key: _as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_text(item) for item in value]
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


@pytest.mark.parametrize("good", EXPECTED["goede_rijen"], ids=lambda good: f"rij {good['rij']}")
def test_good_rows_as_a_careful_editor_expects(imported, good):
    _kind, _root, _result, rows, _check = imported
    assert good["rij"] in rows
    _id, data = rows[good["rij"]]
    for key in ("titel", "gemeente", "wijken", "periode", "status", "beeindiging"):
        if key not in good:
            continue
        expected = good[key]
        found = data.get(key)
        if key == "beeindiging" and expected is None:
            assert found is None
            continue
        assert _as_text(found) == _as_text(expected), (key, found, expected)
