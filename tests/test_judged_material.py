"""The judged material for issues 12 (tests/judged/plans) and 11 (tests/judged/import) holds together.

These files were judged by hand before any system ran; this test does not judge them again. It
guards their integrity for the tests that use them: every precedent names an entry that exists,
every `alinea` is a heading that really occurs in its plan (also inside the .docx), the counts the
brief asked for hold, the PDFs carry text, and the spreadsheet's cells named in expected.yaml hold
what the judgement says, in the .xlsx (read as raw XML, with Excel's cached formula values) and in
the Dutch Excel CSV. Only the standard library and PyYAML are used.
"""

from __future__ import annotations

import csv
import html
import io
import re
import zipfile
from pathlib import Path

import yaml

from conftest import REPO

PLANS = REPO / "tests" / "judged" / "plans"
IMPORT = REPO / "tests" / "judged" / "import"
ENTRY_IDS = {p.stem for p in (REPO / "entries").glob("*.md")}
STOP_CODES = {"financiering-afgelopen", "bezuiniging", "trekker-vertrokken", "geen-effect", "doel-bereikt",
              "beleidswijziging", "opgegaan-in-ander", "verantwoordingslast", "gebrek-aan-draagvlak", "onbekend"}


def _plans() -> list[dict]:
    return yaml.safe_load((PLANS / "judgements.yaml").read_text(encoding="utf-8"))["plans"]


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S)
    return "\n".join(html.unescape("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p))) for p in paragraphs)


def _plan_text(plan: dict) -> str:
    path = PLANS / plan["file"]
    if path.suffix == ".docx":
        return _docx_text(path)
    return (PLANS / plan.get("source", plan["file"])).read_text(encoding="utf-8")


def test_every_precedent_is_an_entry_and_every_alinea_is_in_its_plan() -> None:
    for plan in _plans():
        assert (PLANS / plan["file"]).is_file(), plan["file"]
        text = _plan_text(plan)
        ids = [p["id"] for p in plan["precedents"]]
        assert 1 <= len(ids) <= 5 and len(set(ids)) == len(ids), plan["file"]
        for precedent in plan["precedents"]:
            assert precedent["id"] in ENTRY_IDS, (plan["file"], precedent["id"])
            assert precedent["reden"].strip(), (plan["file"], precedent["id"])
            if "alinea" in precedent:
                assert precedent["alinea"] in text, (plan["file"], precedent["alinea"])


def test_the_set_has_the_shape_the_brief_asked_for() -> None:
    plans = _plans()
    suffixes = [Path(p["file"]).suffix for p in plans]
    singles = [p for p in plans if len(p["precedents"]) == 1]
    several = [p for p in plans if any("alinea" in x for x in p["precedents"])]
    assert len(plans) >= 14
    assert suffixes.count(".docx") >= 3 and suffixes.count(".pdf") >= 3
    assert 2 <= len(singles) <= 3
    assert len(several) >= 3
    assert sum(p["words"] > 1200 for p in plans) >= 2
    assert all(300 <= p["words"] <= 1500 for p in plans)
    for plan in plans:
        if plan["file"].endswith((".md", ".txt")):
            words = len(re.sub(r"[#|*]", " ", _plan_text(plan)).split())
            assert abs(words - plan["words"]) <= 0.05 * plan["words"], (plan["file"], words)


def test_the_pdfs_are_text_based() -> None:
    for pdf in PLANS.glob("*.pdf"):
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-"), pdf.name
        assert b"/Font" in data and b"/Subtype /Image" not in data, pdf.name


def _sheet_cells() -> dict[str, str]:
    """Cell reference -> the value Excel shows (cached value for formulas), from the raw XML."""
    with zipfile.ZipFile(IMPORT / "gemeente-projecten.xlsx") as z:
        names = z.namelist()
        shared: list[str] = []
        if "xl/sharedStrings.xml" in names:
            for si in re.findall(r"<si>(.*?)</si>", z.read("xl/sharedStrings.xml").decode("utf-8"), flags=re.S):
                shared.append(html.unescape("".join(re.findall(r"<t[^>]*>([^<]*)</t>", si))))
        workbook = z.read("xl/workbook.xml").decode("utf-8")
        assert re.findall(r'<sheet [^>]*name="([^"]+)"', workbook) == ["Blad1"]
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    cells: dict[str, str] = {}
    for ref, attrs, body in re.findall(r'<c r="([A-Z]+\d+)"([^>]*?)(?:/>|>(.*?)</c>)', sheet, flags=re.S):
        value = re.search(r"<v>([^<]*)</v>", body or "")
        inline = re.search(r"<is>.*?<t[^>]*>([^<]*)</t>", body or "", flags=re.S)
        if 't="s"' in attrs and value:
            cells[ref] = shared[int(value.group(1))]
        elif inline:
            cells[ref] = html.unescape(inline.group(1))
        elif value:
            cells[ref] = value.group(1)
        if "<f>" in (body or ""):
            assert value and value.group(1), f"formula in {ref} has no cached value"
    return cells


def test_the_spreadsheet_holds_what_expected_yaml_says() -> None:
    expected = yaml.safe_load((IMPORT / "expected.yaml").read_text(encoding="utf-8"))
    cells = _sheet_cells()
    headers = [cells.get(f"{col}1") for col in "ABCDEFGHIJKLMN"]
    assert headers == expected["kolommen"]
    rows = {int(re.sub(r"[A-Z]", "", ref)) for ref in cells}
    assert max(rows) - 1 == expected["rijen"] >= 45
    assert 4 <= len(expected["fouten"]) <= 6
    for fout in expected["fouten"]:
        ref = fout["cel"].split("!")[1]
        assert headers["ABCDEFGHIJKLMN".index(ref[0])] == fout["kolom"]
    assert "A14" not in cells and cells["F29"] == "???" and cells["E35"] == "31-02-2010" and cells["D41"] == "19995"
    for formula in expected["formules"]:
        assert float(cells[formula["cel"].split("!")[1]]) == formula["waarde"]
    for row in expected["goede_rijen"] + expected["duplicaat"] + expected["geen_duplicaat"]:
        assert cells[f"A{row['rij']}"] == row["titel"]
    for dup in expected["duplicaat"] + expected["geen_duplicaat"]:
        assert dup.get("entry", dup.get("lijkt_op")) in ENTRY_IDS
    for row in expected["goede_rijen"]:
        if row.get("beeindiging"):
            assert set(row["beeindiging"]["redenen"]) <= STOP_CODES


def test_the_csv_is_what_dutch_excel_writes() -> None:
    raw = (IMPORT / "gemeente-projecten.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in raw and re.search(rb"(?<!\r)\n", raw.split(b'"')[0]) is None
    records = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    expected = yaml.safe_load((IMPORT / "expected.yaml").read_text(encoding="utf-8"))
    assert records[0] == expected["kolommen"]
    assert len(records) - 1 == expected["rijen"] and {len(r) for r in records} == {14}
    cells = _sheet_cells()
    assert records[2][0] == cells["A3"] and records[9][7] == "75000" and records[2][4] == "30-6-2013"
