"""Reading plans (plans.py): each format made here with its library, and every kind of bad file.

A bad file gets a Dutch message and exit code 2 from the CLI, never a traceback;
the size and zip-bomb checks run before any library opens the file (the
library is replaced by one that fails the test if it is called).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from odf.opendocument import OpenDocumentText
from odf.text import H, P
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from kennisbank import plans
from kennisbank.plans import PlanError, read_plan

from conftest import entry_text


def text_pdf(path: Path, lines: list[str], user_password: str | None = None, owner_password: str | None = None) -> Path:
    """A PDF with real text (Helvetica), one line per entry of ``lines``."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})})
    commands = ["BT /F1 11 Tf 14 TL 60 780 Td"] + [f"({line}) Tj T*" for line in lines] + ["ET"]
    stream = DecodedStreamObject()
    stream.set_data("\n".join(commands).encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    if user_password is not None:
        writer.encrypt(user_password, owner_password, algorithm="AES-128")
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def word_file(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("Schulden in de wijk", level=1)
    document.add_paragraph("Wij willen gezinnen met een huurachterstand eerder helpen.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Budgetcoaches"
    table.rows[0].cells[1].text = "€ 40.000"
    document.add_paragraph("Na de tabel.")
    document.save(str(path))
    return path


def refuse_library(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if a document library is asked to open the file."""
    def called(*args, **kwargs):
        raise AssertionError("the library was called before the checks refused the file")

    monkeypatch.setattr(docx, "Document", called)
    monkeypatch.setattr("pypdf.PdfReader", called)
    monkeypatch.setattr("odf.opendocument.load", called)


def test_markdown_and_text(tmp_path: Path):
    (tmp_path / "plan.md").write_text("# Plan\n\nSchulden in de wijk.\r\n", encoding="utf-8")
    (tmp_path / "plan.txt").write_bytes("\ufeffTaalcafé voor nieuwkomers.".encode("utf-8"))
    assert read_plan(tmp_path / "plan.md") == "# Plan\n\nSchulden in de wijk.\n"
    assert read_plan(tmp_path / "plan.txt") == "Taalcafé voor nieuwkomers."


def test_docx_headings_paragraphs_and_tables(tmp_path: Path):
    text = read_plan(word_file(tmp_path / "plan.docx"))
    assert text.split("\n\n") == ["## Schulden in de wijk", "Wij willen gezinnen met een huurachterstand eerder helpen.",
                                  "Budgetcoaches · € 40.000", "Na de tabel."]  # in document order


def test_odt_in_document_order(tmp_path: Path):
    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="Eenzaamheid"))
    document.text.addElement(P(text="Ouderen worden dagelijks gebeld door buurtgenoten."))
    document.save(str(tmp_path / "plan.odt"))
    assert read_plan(tmp_path / "plan.odt") == "## Eenzaamheid\n\nOuderen worden dagelijks gebeld door buurtgenoten."


def test_pdf_text_with_ligatures_normalised(tmp_path: Path):
    path = text_pdf(tmp_path / "plan.pdf", ["Vroegsignalering van schulden", "bij de corporatie."])
    assert read_plan(path).split() == ["Vroegsignalering", "van", "schulden", "bij", "de", "corporatie."]
    (tmp_path / "liga.txt").write_text("Le\ufb01er", encoding="utf-8")
    assert read_plan(tmp_path / "liga.txt") == "Lefier"


def test_pdf_with_password_refused(tmp_path: Path):
    path = text_pdf(tmp_path / "geheim.pdf", ["Schulden"], user_password="geheim", owner_password="eigenaar")
    with pytest.raises(PlanError, match="beveiligd met een wachtwoord"):
        read_plan(path)


def test_pdf_with_only_an_owner_password_is_read(tmp_path: Path):
    path = text_pdf(tmp_path / "beperkt.pdf", ["Schulden in de wijk"], user_password="", owner_password="eigenaar")
    assert read_plan(path).strip() == "Schulden in de wijk"


def test_scanned_pdf_without_text(tmp_path: Path):
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    with (tmp_path / "scan.pdf").open("wb") as handle:
        writer.write(handle)
    with pytest.raises(PlanError, match="geen tekst om te lezen"):
        read_plan(tmp_path / "scan.pdf")


def test_zip_bomb_refused_before_unpacking(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "bom.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (plans.MAX_UNCOMPRESSED + 1))
    refuse_library(monkeypatch)
    with pytest.raises(PlanError, match="zipbom"):
        read_plan(path)


def test_high_ratio_member_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "bom.odt"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("content.xml", b" " * (plans.RATIO_FREE_BYTES * 5))
    refuse_library(monkeypatch)
    with pytest.raises(PlanError, match="zipbom"):
        read_plan(path)


def test_too_many_members_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "veel.docx"
    with zipfile.ZipFile(path, "w") as archive:
        for number in range(plans.MAX_MEMBERS + 1):
            archive.writestr(f"deel{number}.xml", "x")
    refuse_library(monkeypatch)
    with pytest.raises(PlanError, match="delen"):
        read_plan(path)


def test_fifty_megabytes_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "groot.pdf"
    with path.open("wb") as handle:
        handle.truncate(50_000_000)
    refuse_library(monkeypatch)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read a file that is too large"))
    with pytest.raises(PlanError, match="te groot.*max_plan_bytes"):
        read_plan(path)


@pytest.mark.parametrize("name, content, message", [
    ("leeg.md", b"", "het bestand is leeg"),
    ("spaties.txt", b"  \n\n ", "geen leesbare tekst"),
    ("plan.xyz", b"tekst", "onbekend bestandstype '.xyz'"),
    ("plan", b"tekst", "onbekend bestandstype"),
    ("plan.doc", b"\xd0\xcf\x11\xe0", "bewaar het als .docx"),
    ("kapot.docx", b"PK\x03\x04 geen zip", "beschadigd of niet echt een .docx-bestand"),
    ("kapot.odt", b"geen zip", "beschadigd of niet echt een .odt-bestand"),
    ("kapot.pdf", b"%PDF-1.4 kapot", "beschadigd of geen leesbare PDF"),
    ("binair.txt", b"\x00\x01\x02tekst", "geen tekstbestand"),
    ("latin1.txt", "café".encode("latin-1"), "geen UTF-8"),
])
def test_bad_files_get_a_dutch_reason(tmp_path: Path, name: str, content: bytes, message: str):
    (tmp_path / name).write_bytes(content)
    with pytest.raises(PlanError, match=message):
        read_plan(tmp_path / name)


def test_a_docx_that_is_a_zip_of_something_else(tmp_path: Path):
    path = tmp_path / "ander.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("iets.txt", "geen Word-document")
    with pytest.raises(PlanError, match="geen leesbaar Word-document"):
        read_plan(path)


def test_missing_file_and_folder(tmp_path: Path):
    with pytest.raises(PlanError, match="niet te lezen"):
        read_plan(tmp_path / "weg.md")
    with pytest.raises(PlanError, match="geen bestand"):
        read_plan(tmp_path)


@pytest.mark.parametrize("name", ["bom.docx", "geheim.pdf", "leeg.md", "groot.pdf"])
def test_cli_bad_plans_exit_2_without_traceback(tmp_path: Path, archive, run, name: str):
    root = archive({"a.md": entry_text()}, options={"max_plan_bytes": 10_000_000})
    path = tmp_path / name
    if name == "bom.docx":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
            bomb.writestr("word/document.xml", b"\0" * 150_000_000)
    elif name == "geheim.pdf":
        text_pdf(path, ["Schulden"], user_password="geheim")
    elif name == "groot.pdf":
        with path.open("wb") as handle:
            handle.truncate(50_000_000)
    else:
        path.write_bytes(b"")
    for command in (["precedent", str(path)], ["similar", "--file", str(path)]):
        result = run(command, root)
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith("Fout: ")
        assert "Traceback" not in result.output and result.exception is not None and isinstance(result.exception, SystemExit)


def test_max_plan_bytes_is_a_setting(tmp_path: Path, archive, run):
    root = archive({"a.md": entry_text()}, options={"max_plan_bytes": 100})
    (tmp_path / "plan.md").write_text("schulden " * 20, encoding="utf-8")
    result = run(["precedent", str(tmp_path / "plan.md")], root)
    assert result.exit_code == 2
    assert "hoogstens 0,0 MB, de instelling max_plan_bytes" in result.stderr


def test_similar_file_reads_word(tmp_path: Path, archive, run):
    root = archive({"schulden.md": entry_text(titel="Budgetcoaches", samenvatting="Huurachterstand en schulden.")})
    result = run(["similar", "--file", str(word_file(tmp_path / "plan.docx")), "--json"], root)
    assert result.exit_code == 0, result.output
    assert "Budgetcoaches" in result.stdout


LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol0 "lol">'
          + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)) + "]>")


@pytest.mark.parametrize("suffix, member", [(".docx", "word/document.xml"), (".odt", "content.xml")])
def test_entity_expansion_bomb_is_refused(tmp_path: Path, suffix: str, member: str):
    """A billion laughs inside the document's XML: the parsers refuse it, and so do we."""
    plain = tmp_path / f"gewoon{suffix}"
    if suffix == ".docx":
        word_file(plain)
    else:
        document = OpenDocumentText()
        document.text.addElement(P(text="gewoon"))
        document.save(str(plain))
    bomb = tmp_path / f"bom{suffix}"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == member:
                text = data.decode("utf-8")
                start = text.index("?>") + 2 if text.startswith("<?xml") else 0
                body = text[start:]
                # the entity used in the first text of the document
                body = body.replace(">Schulden in de wijk<" if suffix == ".docx" else ">gewoon<", ">&lol9;<", 1)
                assert "&lol9;" in body
                data = (text[:start] + LAUGHS + body).encode("utf-8")
            target.writestr(item, data)
    with pytest.raises(PlanError, match="beschadigd"):
        read_plan(bomb)


def test_similar_file_dash_reads_standard_input(archive, run):
    root = archive({"schulden.md": entry_text(titel="Budgetcoaches", samenvatting="Huurachterstand en schulden.")})
    result = run(["similar", "--file", "-", "--json"], root, input="Huurachterstand en schulden bij gezinnen.")
    assert result.exit_code == 0, result.output
    assert "Budgetcoaches" in result.stdout
