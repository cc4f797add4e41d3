"""Open data and overviews: `export`, `schema` and `stats`, on a small archive and on the bundled one."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import jsonschema
import pytest

from kennisbank.reader import ReadError, read_entry_file

from conftest import REPO, entry_text

BUNDLED = sorted((REPO / "entries").glob("*.md"))
GOLDEN = Path(__file__).parent / "golden"


def small_archive(archive) -> Path:
    return archive({
        "buurtkamer.md": entry_text(wijken=["Zuidwijk", "Oost"], themas=["participatie", "armoede"]),
        "leerwerkplaats.md": entry_text(
            stopped=True, titel="Leerwerkplaats", themas=["werk"],
            bewijs={"niveau": "voor-en-nameting", "uitkomst": "positief"},
            beeindiging={"datum": "2016-12", "redenen": ["bezuiniging", "trekker-vertrokken"]},
        ),
        "taalcafe.md": entry_text(
            stopped=True, titel="Taalcafé", themas=["taal", "participatie"],
            beeindiging={"datum": "2015", "redenen": ["bezuiniging"]},
        ),
    })


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_export_json_has_one_record_per_bundled_entry(run):
    result = run(["export", "--format", "json"], REPO)
    data = json.loads(result.stdout)
    assert len(data) == len(BUNDLED) >= 30
    assert sorted(record["id"] for record in data) == sorted(path.stem for path in BUNDLED)
    assert result.exit_code == 0


def test_export_csv_has_one_row_per_bundled_entry(run):
    rows = csv_rows(run(["export", "--format", "csv"], REPO).stdout)
    assert len(rows) == len(BUNDLED)
    assert sorted(row["id"] for row in rows) == sorted(path.stem for path in BUNDLED)


def test_export_json_of_small_archive(archive, run):
    data = json.loads(run(["export"], small_archive(archive)).stdout)
    assert [record["id"] for record in data] == ["buurtkamer", "leerwerkplaats", "taalcafe"]
    first = data[0]
    assert first["titel"] == "Buurtkamer Zuidwijk"
    assert first["wijken"] == ["Zuidwijk", "Oost"]
    assert first["periode"] == {"start": "2012-03"}
    assert list(first["secties"]) == ["Context", "Aanpak", "Resultaten", "Lessen"]
    assert first["secties"]["Aanpak"] == "Tekst over aanpak."
    assert data[1]["beeindiging"]["redenen"] == ["bezuiniging", "trekker-vertrokken"]


def test_export_csv_of_small_archive_joins_lists(archive, run):
    rows = csv_rows(run(["export", "--format", "csv"], small_archive(archive)).stdout)
    assert len(rows) == 3
    assert rows[0]["wijken"] == "Zuidwijk; Oost"
    assert rows[0]["themas"] == "participatie; armoede"
    assert rows[0]["periode.eind"] == ""
    assert rows[1]["beeindiging.redenen"] == "bezuiniging; trekker-vertrokken"
    assert rows[1]["bewijs.uitkomst"] == "positief"
    assert rows[2]["titel"] == "Taalcafé"


def test_export_csv_defuses_formulas(archive, run):
    root = archive({"x.md": entry_text(
        titel='=HYPERLINK("https://example.org","klik")', gemeente="+31 20 1234567",
        wijken=["@SUM(A1:A9)", "-2+3", "Noord"], organisaties=["\tverborgen"],
    )})
    row = csv_rows(run(["export", "--format", "csv"], root).stdout)[0]
    assert row["titel"] == '\'=HYPERLINK("https://example.org","klik")'
    assert row["gemeente"] == "'+31 20 1234567"
    assert row["wijken"] == "'@SUM(A1:A9); -2+3; Noord"
    assert not row["organisaties"].startswith("\t")


def test_export_csv_keeps_negative_numbers_and_plain_text(archive, run):
    root = archive({"x.md": entry_text(titel="-5", gemeente="Den Haag")})
    row = csv_rows(run(["export", "--format", "csv"], root).stdout)[0]
    assert row["titel"] == "-5"
    assert row["gemeente"] == "Den Haag"


def test_export_to_file_writes_same_text_atomically(archive, run, tmp_path):
    root = small_archive(archive)
    target = tmp_path / "uit" / "open-data.csv"
    result = run(["export", "--format", "csv", "-o", str(target)], root)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"3 interventies geschreven naar {target}\n"
    assert target.read_text(encoding="utf-8") == run(["export", "--format", "csv"], root).stdout
    assert sorted(p.name for p in target.parent.iterdir()) == ["open-data.csv"]


def test_export_to_file_keeps_old_file_when_writing_fails(archive, run, tmp_path, monkeypatch):
    target = tmp_path / "open-data.json"
    target.write_text("oud\n", encoding="utf-8")

    def broken_replace(source, destination):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    result = run(["export", "-o", str(target)], small_archive(archive))
    assert result.exit_code == 1
    assert result.stderr == f"Fout: kan {target} niet schrijven: No space left on device\n"
    assert target.read_text(encoding="utf-8") == "oud\n"
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("archive")) == ["open-data.json"]


def test_export_to_file_below_a_file_fails_cleanly(archive, run, tmp_path):
    (tmp_path / "bestand").write_text("x", encoding="utf-8")
    result = run(["export", "-o", str(tmp_path / "bestand" / "uit.json")], small_archive(archive))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Fout: kan {tmp_path / 'bestand' / 'uit.json'} niet schrijven: ")


def test_export_leaves_out_entries_with_errors_and_says_so(archive, run):
    root = archive({"goed.md": entry_text(), "fout.md": entry_text(status="gestpot")})
    result = run(["export"], root)
    assert [record["id"] for record in json.loads(result.stdout)] == ["goed"]
    assert "waarschuwing: 1 interventie met fouten is weggelaten" in result.stderr


# The JSON Schema: generated from the checker's model, it must accept what the checker accepts.

@pytest.fixture(scope="module")
def schema_validator():
    from click.testing import CliRunner

    from kennisbank.cli import cli

    schema = json.loads(CliRunner().invoke(cli, ["-C", str(REPO), "schema"]).stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def test_schema_is_draft_2020_12_with_vocabulary_enums(schema_validator):
    schema = schema_validator.schema
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(schema["required"]) >= {"titel", "samenvatting", "gemeente", "periode", "status", "themas", "bewijs"}
    # laatst_beoordeeld is required unless the entry is an import not yet reviewed (beoordeeld: false).
    assert schema["if"] == {"properties": {"beoordeeld": {"const": False}}, "required": ["beoordeeld"]}
    assert schema["else"]["required"] == ["laatst_beoordeeld"]
    assert schema["properties"]["status"]["enum"] == ["lopend", "gestopt", "verduurzaamd", "opgeschaald", "onbekend"]


@pytest.mark.parametrize("path", BUNDLED, ids=lambda path: path.stem)
def test_schema_validates_bundled_entry(schema_validator, path):
    data = read_entry_file(path).data
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in schema_validator.iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize("path", sorted((GOLDEN / "valid").glob("*.md")), ids=lambda path: path.stem)
def test_schema_validates_valid_golden_entry(schema_validator, path):
    assert list(schema_validator.iter_errors(read_entry_file(path).data)) == []


@pytest.mark.parametrize("case", [
    "status-misspelt", "key-missing", "nested-key-missing", "url-javascript", "url-ftp", "summary-too-long",
    "themas-string", "theme-misspelt", "stopreden-unknown", "date-format", "review-date-number",
    "gemeente-list-item", "study-design-misspelt", "study-source-missing", "place-stop-reason-missing",
    "status-as-of-uncertain", "evidence-without-studies",
])
def test_schema_rejects_invalid_golden_entry(schema_validator, case):
    data = read_entry_file(GOLDEN / "invalid" / f"{case}.md").data
    assert list(schema_validator.iter_errors(data)) != []


def test_schema_includes_vocabulary_extended_in_mkdocs_yml(archive, run):
    root = archive(options={"vocabularies": {"themas": {"digitalisering": "Digitalisering"}}})
    schema = json.loads(run(["schema"], root).stdout)
    assert "digitalisering" in schema["properties"]["themas"]["items"]["enum"]


def test_bundled_entries_are_all_readable():
    for path in BUNDLED:
        try:
            read_entry_file(path)
        except ReadError as exc:  # pragma: no cover - the assertion names the file
            raise AssertionError(f"{path.name}: {exc.message}") from None


# stats: the terminal overview and its JSON.

def test_stats_json_has_the_documented_shape(archive, run):
    data = json.loads(run(["stats", "--json"], small_archive(archive)).stdout)
    assert list(data) == [
        "entries", "status", "themas", "stopredenen", "uitkomst_per_niveau", "start_per_jaar", "achterstallig",
        "verloren_successen", "te_vroeg_gestopt",
    ]
    assert data["entries"] == 3
    assert data["status"] == {"lopend": 1, "gestopt": 2}
    assert data["themas"] == {"participatie": 2, "armoede": 1, "werk": 1, "taal": 1}
    assert list(data["stopredenen"].items()) == [("bezuiniging", 2), ("trekker-vertrokken", 1)]
    assert data["uitkomst_per_niveau"] == {"monitoring": {"gemengd": 2}, "voor-en-nameting": {"positief": 1}}
    assert data["start_per_jaar"] == {"2012": 3}
    assert data["achterstallig"] == []
    assert data["verloren_successen"] == ["leerwerkplaats"]


def test_stats_text_shows_status_themes_ranked_reasons_and_lost_successes(archive, run):
    result = run(["stats"], small_archive(archive))
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("3 interventies\n\nPer status\n")
    assert "  Gestopt           2  " in text
    assert "  Participatie      2  " in text
    reasons = text.split("Redenen van beëindiging (meest genoemde eerst)\n")[1].split("\n\n")[0].splitlines()
    assert [line.split()[0] for line in reasons] == ["Bezuiniging", "Trekker"]
    assert "Verloren successen (gestopt hoewel de uitkomst positief was): 1\n  leerwerkplaats  Voorbeeldstad, 2012-03–2016-12" in text


def test_stats_lists_entries_overdue_for_review(archive, run):
    root = archive({"oud.md": entry_text(laatst_beoordeeld="2001-01-01")})
    data = json.loads(run(["stats", "--json"], root).stdout)
    assert data["achterstallig"] == ["oud"]
    assert "Beoordeling achterstallig: 1\n  oud  laatst beoordeeld op 2001-01-01" in run(["stats"], root).stdout


def test_stats_of_bundled_archive_counts_every_entry(run):
    data = json.loads(run(["stats", "--json"], REPO).stdout)
    assert data["entries"] == len(BUNDLED)
    assert sum(data["status"].values()) == len(BUNDLED)
    assert data["verloren_successen"]


def test_schema_rejects_relation_that_is_not_an_id(schema_validator):
    data = read_entry_file(GOLDEN / "valid" / "wijkleerbedrijf-oost.md").data
    data["relaties"]["voorganger"] = "Leerwerkplaats Oost"
    errors = list(schema_validator.iter_errors(data))
    assert errors
    assert all(list(error.absolute_path)[:1] == ["relaties"] for error in errors)
    data["relaties"]["voorganger"] = "leerwerkplaats-oost"
    assert list(schema_validator.iter_errors(data)) == []


def test_schema_accepts_empty_optional_keys_as_the_checker_does(schema_validator):
    data = read_entry_file(GOLDEN / "valid" / "taalmaatjes-noord.md").data
    data.update(wijken=None, relaties=None, bronnen=None, financiering=None)
    assert list(schema_validator.iter_errors(data)) == []
    data["gemeente"] = None
    assert list(schema_validator.iter_errors(data)) != []


def test_stats_says_when_entries_with_errors_are_not_counted(archive, run):
    root = archive({"goed.md": entry_text(), "fout.md": entry_text(status="gestpot")})
    result = run(["stats", "--json"], root)
    assert json.loads(result.stdout)["entries"] == 1
    assert result.stderr == "waarschuwing: 1 interventie met fouten is niet meegeteld; gebruik `kennisbank check`\n"
