"""`kennisbank import`: headers and words mapped, problems at their cell, dry run, skip-bad, never overwriting,
duplicates, bounded files (zip bombs), Dutch Excel CSV, and formula injection on the way out and back in."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from kennisbank.import_mapping import Mapping
from kennisbank.import_cells import date_value
from kennisbank.reader import read_entry_file

from conftest import entry_text

HEADERS = ["Projectnaam", "Gemeente", "Wijk", "Startjaar", "Einddatum", "Status", "Reden beëindiging", "Omschrijving",
           "Contactpersoon"]
GOOD = ["Buurtkamer Zuid", "Rotterdam", "Zuidwijk, Oost", 2012, dt.datetime(2016, 6, 30), "gestopt", "subsidie afgelopen",
        "Een huiskamer voor bewoners van de wijk, met koffie en activiteiten.", "mw. J. de Vries (Welzijn Zuid)"]
RUNNING = ["Taalcafé Noord", "Rotterdam", "Noord", "ca. 2015", None, "loopt nog", None,
           "Wekelijks Nederlands praten met vrijwilligers in de bibliotheek.", "wijkregisseur"]
BAD = ["Fietsenplan", "Rotterdam", "Oost", "20x9", None, "weet ik veel", None, "Fietsen opknappen voor werkzoekenden.",
       None]


def workbook(path: Path, rows: list[list], sheet: str = "Blad1", headers: list[str] = HEADERS) -> Path:
    book = openpyxl.Workbook()
    page = book.active
    page.title = sheet
    page.append(headers)
    for row in rows:
        page.append(row)
    book.save(path)
    return path


def entries_of(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "entries").glob("*.md"))


# ---- mapping: headers and words, judged by hand ----------------------------------------------------------


@pytest.mark.parametrize("header, target", [
    ("Projectnaam", "titel"), ("Naam project", "titel"), ("  PROJECTNAAM ", "titel"), ("Wijk", "wijken"),
    ("Wijken", "wijken"), ("Startjaar", "periode.start"), ("Begindatum", "periode.start"),
    ("Einddatum", "periode.eind"), ("Status", "status"), ("Reden beëindiging", "beeindiging.redenen"),
    ("Reden beeindiging:", "beeindiging.redenen"), ("Budget", "budget"), ("Financier", "financiering.bronnen"),
    ("Contactpersoon", "contactpersoon"), ("Resultaat", "Resultaten"), ("Onderzoek", "bewijs.niveau"),
    ("Omschrijving", "Aanpak"), ("Opmerkingen", "Lessen"), ("Lessen", "Lessen"), ("Gemeente", "gemeente"),
    ("Thema's", "themas"), ("Interne code", None),
])
def test_headers_map_to_keys(header, target):
    assert Mapping().target(header) == target


def test_mapping_file_overrides_headers():
    mapping = Mapping(columns={"Naam": "samenvatting", "Omschrijving": "Context", "Wijk": None})
    assert mapping.target("naam") == "samenvatting"
    assert mapping.target("Omschrijving") == "Context"
    assert mapping.target("Wijk") is None
    assert mapping.target("Projectnaam") == "titel"


@pytest.mark.parametrize("written, expected", [
    (2012, 2012), (2012.0, 2012), ("2012", 2012), (dt.datetime(2016, 6, 30), "2016-06-30"),
    (dt.date(2016, 6, 30), "2016-06-30"), ("30-6-2013", "2013-06-30"), ("1/3/2011", "2011-03-01"),
    ("maart 2012", "2012-03"), ("2012-3", "2012-03"), ("1995/1996", "1995 of 1996"), ("ca 1996", "ca. 1996"),
    ("eind jaren 80", "eind jaren tachtig"), ("Onbekend", "onbekend"), ("20x9", "20x9"),
])
def test_dates_as_people_write_them(written, expected):
    assert date_value(written) == expected


def test_words_map_to_codes_and_rows_become_entries(archive, run, tmp_path):
    root = archive()
    sheet = workbook(tmp_path / "projecten.xlsx", [GOOD, RUNNING])
    result = run(["import", str(sheet)], root)
    assert result.exit_code == 0, result.output
    assert entries_of(root) == ["buurtkamer-zuid.md", "taalcafe-noord.md"]
    stopped = read_entry_file(root / "entries" / "buurtkamer-zuid.md").data
    assert stopped["status"] == "gestopt"
    assert stopped["periode"] == {"start": 2012, "eind": "2016-06-30"}
    assert stopped["beeindiging"] == {"datum": "2016-06-30", "redenen": ["financiering-afgelopen"]}
    assert stopped["wijken"] == ["Zuidwijk", "Oost"]
    assert stopped["beoordeeld"] is False and "laatst_beoordeeld" not in stopped
    assert stopped["herkomst"] == {"bestand": "projecten.xlsx", "blad": "Blad1", "rij": 2,
                                   "geimporteerd": dt.date.today().isoformat()}
    assert stopped["bronnen"][-1]["titel"].startswith("projecten.xlsx, blad Blad1, rij 2")
    # A personal name without consent never becomes kennisdragers[].naam: role and organisation only, and it is said.
    assert stopped["kennisdragers"] == [{"rol": "contactpersoon", "organisatie": "Welzijn Zuid"}]
    assert "de Vries" not in (root / "entries" / "buurtkamer-zuid.md").read_text(encoding="utf-8")
    assert "naam van de contactpersoon niet overgenomen" in result.output
    running = read_entry_file(root / "entries" / "taalcafe-noord.md").data
    assert running["status"] == "lopend" and running["periode"] == {"start": "ca. 2015"}
    assert running["kennisdragers"] == [{"rol": "wijkregisseur"}]
    assert running["themas"] == ["taal", "participatie"]  # no theme column: from the row's words, and said
    assert "afgeleid uit de woorden van de rij" in result.output
    check = run(["check"], root)
    assert check.exit_code == 0 and " fout" not in check.stdout.replace("0 fouten", "")


def test_archive_vocabulary_from_mkdocs_yml_is_honoured(archive, run, tmp_path):
    root = archive(options={"vocabularies": {"stopredenen": {"aanbesteding-verloren": "Aanbesteding verloren"}}})
    row = [*GOOD[:6], "aanbesteding verloren", *GOOD[7:]]
    result = run(["import", str(workbook(tmp_path / "p.xlsx", [row]))], root)
    assert result.exit_code == 0, result.output
    data = read_entry_file(root / "entries" / "buurtkamer-zuid.md").data
    assert data["beeindiging"]["redenen"] == ["aanbesteding-verloren"]


def test_mapping_file_words_and_fixed_values(archive, run, tmp_path):
    root = archive()
    mapping = tmp_path / "koppeling.yaml"
    mapping.write_text("kolommen:\n  Gemeente: null\nwaarden:\n  status:\n    weet ik veel: onbekend\n"
                       "vast:\n  gemeente: Schiedam\n  themas: [werk]\n", encoding="utf-8")
    row = [*BAD[:3], "2019", None, *BAD[5:]]
    result = run(["import", str(workbook(tmp_path / "p.xlsx", [row])), "--mapping", str(mapping)], root)
    assert result.exit_code == 0, result.output
    data = read_entry_file(root / "entries" / "fietsenplan.md").data
    assert (data["gemeente"], data["status"], data["themas"]) == ("Schiedam", "onbekend", ["werk"])


def test_write_mapping_is_a_starting_point_and_never_overwrites(archive, run, tmp_path):
    root = archive()
    sheet = workbook(tmp_path / "p.xlsx", [GOOD], headers=[*HEADERS[:-1], "Interne code"])
    target = tmp_path / "koppeling.yaml"
    result = run(["import", str(sheet), "--write-mapping", str(target)], root)
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert "  Projectnaam: titel  # kolom A" in text and "  Interne code: null  # niet herkend  # kolom I" in text
    assert entries_of(root) == []
    assert run(["import", str(sheet), "--mapping", str(target)], root).exit_code == 0
    again = run(["import", str(sheet), "--write-mapping", str(target)], root)
    assert again.exit_code == 1 and "bestaat al" in again.stderr


# ---- problems at their cell; nothing written unless --skip-bad -------------------------------------------


def test_bad_cells_are_reported_at_their_cell_and_nothing_is_written(archive, run, tmp_path):
    root = archive()
    result = run(["import", str(workbook(tmp_path / "p.xlsx", [GOOD, BAD]))], root)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith("p.xlsx:Blad1!D3: periode.start: ongeldige datum:") and "'20x9'" in line for line in lines)
    assert any(line.startswith("p.xlsx:Blad1!F3: status: 'weet ik veel' is geen bekende status") for line in lines)
    assert entries_of(root) == []
    assert "Niets geschreven" in result.stderr


def test_skip_bad_writes_the_good_rows(archive, run, tmp_path):
    root = archive()
    result = run(["import", str(workbook(tmp_path / "p.xlsx", [GOOD, BAD, RUNNING])), "--skip-bad"], root)
    assert result.exit_code == 0, result.output
    assert entries_of(root) == ["buurtkamer-zuid.md", "taalcafe-noord.md"]
    assert "1 rij met fouten" in result.stderr


def test_dry_run_writes_nothing_and_says_what_it_would(archive, run, tmp_path):
    root = archive()
    before = sorted(p.name for p in root.rglob("*"))
    result = run(["import", str(workbook(tmp_path / "p.xlsx", [GOOD, RUNNING])), "--dry-run"], root)
    assert result.exit_code == 0, result.output
    assert "zou entries/buurtkamer-zuid.md schrijven (rij 2)" in result.stdout
    assert sorted(p.name for p in root.rglob("*")) == before
    bad = run(["import", str(workbook(tmp_path / "q.xlsx", [GOOD, BAD])), "--dry-run"], root)
    assert bad.exit_code == 1 and sorted(p.name for p in root.rglob("*")) == before


def test_never_overwrites_an_existing_entry(archive, run, tmp_path):
    existing = entry_text(titel="Buurtkamer Zuid")
    root = archive({"buurtkamer-zuid.md": existing})
    result = run(["import", str(workbook(tmp_path / "p.xlsx", [GOOD, RUNNING])), "--no-similar"], root)
    assert result.exit_code == 0, result.output
    assert (root / "entries" / "buurtkamer-zuid.md").read_text(encoding="utf-8") == existing
    assert "p.xlsx:Blad1!A2: entries/buurtkamer-zuid.md bestaat al; rij overgeslagen" in result.stdout
    assert entries_of(root) == ["buurtkamer-zuid.md", "taalcafe-noord.md"]


def test_a_row_twice_in_the_sheet_is_imported_once(archive, run, tmp_path):
    root = archive()
    result = run(["import", str(workbook(tmp_path / "p.xlsx", [GOOD, GOOD]))], root)
    assert result.exit_code == 0, result.output
    assert "p.xlsx:Blad1!A3: zelfde kenmerk buurtkamer-zuid als rij 2; rij overgeslagen" in result.stdout
    assert entries_of(root) == ["buurtkamer-zuid.md"]


def test_deja_vu_duplicate_needs_the_same_place_and_years(archive, run, tmp_path):
    """The déjà-vu candidates of new count as a duplicate only with a place in common and years that agree."""
    text = entry_text(
        stopped=True, titel="Huiskamer voor bewoners in Zuidwijk", gemeente="Rotterdam",
        samenvatting="Een huiskamer voor bewoners van de wijk, met koffie en activiteiten.",
        periode={"start": 2012, "eind": "2016-06"}, beeindiging={"datum": "2016-06", "redenen": ["bezuiniging"]})
    root = archive({"huiskamer-zuidwijk.md": text})
    elsewhere = [GOOD[0] + " Utrecht", "Utrecht", *GOOD[2:]]
    result = run(["import", str(workbook(tmp_path / "p.xlsx", [GOOD, elsewhere]))], root)
    assert result.exit_code == 0, result.output
    assert "p.xlsx:Blad1!A2: lijkt op de bestaande interventie huiskamer-zuidwijk" in result.stdout
    assert entries_of(root) == ["buurtkamer-zuid-utrecht.md", "huiskamer-zuidwijk.md"]


# ---- CSV as Dutch Excel writes it -------------------------------------------------------------------------


def test_csv_with_bom_semicolons_crlf_and_cell_references(archive, run, tmp_path):
    root = archive()
    rows = [";".join(HEADERS), "Buurtkamer Zuid;Rotterdam;Zuidwijk;2012;30-6-2016;gestopt;subsidie afgelopen;"
            "\"Een huiskamer;\r\nmet koffie.\";", "Fietsenplan;Rotterdam;Oost;20x9;;loopt nog;;Fietsen.;"]
    path = tmp_path / "lijst.csv"
    path.write_bytes(("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8"))
    result = run(["import", str(path)], root)
    assert result.exit_code == 1
    # Rows are records as a spreadsheet shows them (header = 1), also after a line break inside a cell.
    assert "lijst.csv:3:D: periode.start: ongeldige datum" in result.stdout
    assert run(["import", str(path), "--skip-bad"], root).exit_code == 0
    data = read_entry_file(root / "entries" / "buurtkamer-zuid.md")
    assert data.data["periode"] == {"start": 2012, "eind": "2016-06-30"}
    assert data.data["herkomst"]["bestand"] == "lijst.csv" and "blad" not in data.data["herkomst"]
    assert data.section("Aanpak").text == "Een huiskamer;\nmet koffie."


def test_csv_in_windows_1252_is_read(archive, run, tmp_path):
    root = archive()
    path = tmp_path / "oud.csv"
    path.write_bytes(("Projectnaam;Gemeente;Startjaar;Status;Thema;Omschrijving\r\n"
                      "Taalcafé Noord;Rotterdam;2015;loopt nog;taal;Praten over de buurt.\r\n").encode("cp1252"))
    result = run(["import", str(path)], root)
    assert result.exit_code == 0, result.output
    assert "Windows-1252" in result.stdout
    assert read_entry_file(root / "entries" / "taalcafe-noord.md").data["titel"] == "Taalcafé Noord"


# ---- files people bring are bounded -----------------------------------------------------------------------


def test_zip_bomb_is_refused_before_it_is_unpacked(archive, run, tmp_path):
    root = archive()
    bomb = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as packed:
        packed.writestr("[Content_Types].xml", "<Types/>")
        packed.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    result = run(["import", str(bomb)], root)
    assert result.exit_code == 1
    assert "zipbom" in result.stderr and "niet geïmporteerd" in result.stderr
    assert "Traceback" not in result.output
    assert entries_of(root) == []


def test_too_many_members_and_xml_entities_are_refused(archive, run, tmp_path):
    root = archive()
    many = tmp_path / "veel.xlsx"
    with zipfile.ZipFile(many, "w") as packed:
        for number in range(1001):
            packed.writestr(f"x/{number}.xml", "<a/>")
    result = run(["import", str(many)], root)
    assert result.exit_code == 1 and "1001 onderdelen" in result.stderr
    laughs = tmp_path / "lach.xlsx"
    with zipfile.ZipFile(laughs, "w") as packed:
        packed.writestr("xl/sharedStrings.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')
    result = run(["import", str(laughs)], root)
    assert result.exit_code == 1 and "XML-entiteiten" in result.stderr


def test_not_a_spreadsheet_and_too_large(archive, run, tmp_path, monkeypatch):
    root = archive()
    fake = tmp_path / "nep.xlsx"
    fake.write_text("dit is geen werkmap", encoding="utf-8")
    result = run(["import", str(fake)], root)
    assert result.exit_code == 1 and "geen Excel-werkmap" in result.stderr and "Traceback" not in result.output
    other = tmp_path / "lijst.pdf"
    other.write_bytes(b"%PDF-1.4")
    assert "geef een .xlsx- of .csv-bestand" in run(["import", str(other)], root).stderr
    from kennisbank import spreadsheet

    monkeypatch.setattr(spreadsheet, "MAX_FILE_BYTES", 10)
    big = workbook(tmp_path / "groot.xlsx", [GOOD])
    result = run(["import", str(big)], root)
    assert result.exit_code == 1 and "ten hoogste" in result.stderr


def test_formulas_are_read_as_the_value_excel_cached(tmp_path):
    """openpyxl writes no cached value, so the sheet's XML gets one, as Excel would have saved it."""
    from kennisbank.spreadsheet import read_table

    path = workbook(tmp_path / "f.xlsx", [[*GOOD[:3], "=2000+12", *GOOD[4:]]])
    with zipfile.ZipFile(path) as packed:
        parts = {name: packed.read(name) for name in packed.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    empty_value = re.compile(r"<f>2000\+12</f><v\s*/>|<f>2000\+12</f><v></v>")
    assert empty_value.search(sheet)
    parts["xl/worksheets/sheet1.xml"] = empty_value.sub("<f>2000+12</f><v>2012</v>", sheet).encode()
    with zipfile.ZipFile(path, "w") as packed:
        for name, data in parts.items():
            packed.writestr(name, data)
    table = read_table(path)
    assert table.rows[0].cells["D"] == 2012


# ---- export for spreadsheet users, and back ----------------------------------------------------------------


HOSTILE = entry_text(
    titel="=HYPERLINK(\"http://x.example\",\"klik\")", gemeente="@SUM(1+1)", organisaties=["+31 stichting", "-min"],
    body="".join(f"\n## {t}\n\n- punt over {t.lower()}\n" for t in ("Context", "Aanpak", "Resultaten", "Lessen")),
)


def test_export_xlsx_neutralises_formulas_and_imports_back(archive, run, tmp_path):
    root = archive({"formule.md": HOSTILE})
    target = tmp_path / "export.xlsx"
    result = run(["export", "--format", "xlsx", "-o", str(target)], root)
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Interventies", "Studies", "Beëindigingen"]
    sheet = book["Interventies"]
    assert sheet.freeze_panes == "A2"
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells)
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert not [text for text in texts if text[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'=HYPERLINK(\"http://x.example\",\"klik\")" in texts and "'@SUM(1+1)" in texts
    other = archive()
    back = run(["import", str(target), "--no-similar"], other)
    assert back.exit_code == 0, back.output
    data = read_entry_file(other / "entries" / "formule.md")
    assert data.data["titel"] == "=HYPERLINK(\"http://x.example\",\"klik\")"
    assert data.data["gemeente"] == "@SUM(1+1)" and data.data["organisaties"] == ["+31 stichting", "-min"]
    assert data.section("Context").text == "- punt over context"


def test_export_csv_for_dutch_excel(archive, run, tmp_path):
    root = archive({"formule.md": HOSTILE})
    result = run(["export", "--format", "csv", "--excel"], root)
    assert result.exit_code == 0, result.output
    raw = result.stdout_bytes
    assert raw.startswith("\ufeffKenmerk;Titel;Samenvatting;".encode("utf-8"))
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert ";\"'=HYPERLINK(\"\"http://x.example\"\",\"\"klik\"\")\";" in raw.decode("utf-8")
    assert run(["export", "--format", "json", "--excel"], root).exit_code == 2
    assert run(["export", "--format", "xlsx"], root).exit_code == 2  # a workbook needs -o


def test_open_data_csv_still_defused_by_the_same_function(archive, run):
    root = archive({"formule.md": HOSTILE})
    text = run(["export", "--format", "csv"], root).stdout
    assert "'=HYPERLINK" in text and "'@SUM(1+1)" in text


def test_import_help_is_dutch(run, archive):
    text = run(["import", "--help"], archive()).stdout
    assert "Maak van de rijen van een spreadsheet" in text and "--skip-bad" in text and "projecten.csv:14:C" in text


def test_a_sheet_without_a_title_column_is_refused_with_its_headers(archive, run, tmp_path):
    root = archive()
    empty = tmp_path / "leeg.csv"
    empty.write_bytes(b"")
    result = run(["import", str(empty)], root)
    assert result.exit_code == 1 and "geen kopjes" in result.stderr
    other = tmp_path / "anders.csv"
    other.write_text("Kolom1;Kolom2\r\na;b\r\n", encoding="utf-8")
    result = run(["import", str(other)], root)
    assert result.exit_code == 1 and "Kolom1, Kolom2" in result.stderr and "--write-mapping" in result.stderr


def test_the_sheet_with_a_title_column_is_read_or_the_one_the_mapping_names(archive, run, tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Toelichting"
    book.active.append(["Deze lijst is bijgehouden door de afdeling Wijken."])
    projects = book.create_sheet("Projecten")
    projects.append(HEADERS)
    projects.append(GOOD)
    path = tmp_path / "twee.xlsx"
    book.save(path)
    root = archive()
    result = run(["import", str(path), "--dry-run"], root)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("twee.xlsx (blad Projecten): 1 rij")
    mapping = tmp_path / "k.yaml"
    mapping.write_text("blad: Overzicht\n", encoding="utf-8")
    wrong = run(["import", str(path), "--mapping", str(mapping)], root)
    assert wrong.exit_code == 1 and "heeft geen blad 'Overzicht'; de bladen: Toelichting, Projecten" in wrong.stderr
