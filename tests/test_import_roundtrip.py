"""Export for spreadsheet users, then import into an empty archive: the same entries.

What is equal, precisely: for every entry of the bundled archive, the typed front matter
(``FrontMatter.model_dump(mode="json", exclude_none=True)``: every key and value, lists in order,
optional keys left empty counting as absent) and every section (title and text, in order). What the
import adds is left out of the comparison: ``beoordeeld: false``, ``herkomst`` and the last source in
``bronnen`` (the spreadsheet itself). Both the workbook (``--format xlsx``) and the CSV for Dutch
Excel (``--format csv --excel``) are checked.
"""

from __future__ import annotations

import pytest

from kennisbank.archive import Archive

from conftest import REPO


def typed(entry) -> dict:
    return entry.meta.model_dump(mode="json", exclude_none=True)


@pytest.mark.parametrize("args, name", [(["--format", "xlsx"], "export.xlsx"),
                                         (["--format", "csv", "--excel"], "export.csv")])
def test_export_then_import_into_an_empty_archive_gives_the_same_entries(run, tmp_path, args, name):
    exported = tmp_path / name
    result = run(["export", *args, "-o", str(exported)], REPO)
    assert result.exit_code == 0, result.output
    empty = tmp_path / "leeg"
    assert run(["init", str(empty)], tmp_path).exit_code == 0
    imported = run(["import", str(exported)], empty)
    assert imported.exit_code == 0, imported.output
    original = {entry.id: entry for entry in Archive.open(REPO).check().entries}
    result = Archive.open(empty).check()
    assert result.errors == []
    again = {entry.id: entry for entry in result.entries}
    assert sorted(again) == sorted(original)
    for entry_id, entry in original.items():
        copy = again[entry_id]
        front = typed(copy)
        assert front.pop("beoordeeld") is False and typed(entry).pop("beoordeeld") is True
        assert front.pop("herkomst")["bestand"] == name
        assert front["bronnen"].pop()["titel"].startswith(f"{name}, ")
        expected = typed(entry)
        expected.pop("beoordeeld")
        assert front == expected, entry_id
        assert [(s.title, s.text) for s in copy.sections] == [(s.title, s.text) for s in entry.sections], entry_id
