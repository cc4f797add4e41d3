"""Render the judged plans kept as Markdown in this folder into .docx and .pdf.

Run once by hand from the worktree root (`.venv/bin/python tests/judged/plans/src/render.py`);
the rendered files in `tests/judged/plans/` are what the tests read. python-docx is only
installed in the author's venv, it is not a project dependency.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent
DOCX = ["02", "11", "13"]
PDF = ["04", "09", "12"]
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _runs(paragraph, text: str) -> None:
    for piece in re.split(r"(\*\*[^*]+\*\*|\*[^*]+\*)", text):
        if not piece:
            continue
        if piece.startswith("**"):
            paragraph.add_run(piece[2:-2]).bold = True
        elif piece.startswith("*"):
            paragraph.add_run(piece[1:-1]).italic = True
        else:
            paragraph.add_run(piece)


def to_docx(md: Path, target: Path) -> None:
    import docx  # noqa: PLC0415 - author-only tool

    document = docx.Document()
    document.core_properties.title = md.read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
    document.core_properties.author = "Opgesteld voor de kennisbank-testset"
    lines = md.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        if not line:
            i += 1
            continue
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            document.add_heading(line[level:].strip(), level=0 if level == 1 else level - 1)
        elif line.startswith("|"):
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                cells = [c.strip() for c in lines[i].strip().strip("|").split("|")]
                if not all(re.fullmatch(r":?-+:?", c) for c in cells):
                    rows.append(cells)
                i += 1
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            for r, cells in enumerate(rows):
                for c, cell in enumerate(cells):
                    par = table.cell(r, c).paragraphs[0]
                    _runs(par, cell)
                    if r == 0:
                        for run in par.runs:
                            run.bold = True
            continue
        elif re.match(r"^- ", line):
            _runs(document.add_paragraph(style="List Bullet"), line[2:])
        elif re.match(r"^\d+\. ", line):
            _runs(document.add_paragraph(style="List Number"), re.sub(r"^\d+\. ", "", line))
        else:
            _runs(document.add_paragraph(), line)
        i += 1
    document.save(str(target))


def to_pdf(md: Path, target: Path) -> None:
    import markdown  # noqa: PLC0415
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    body = markdown.markdown(md.read_text(encoding="utf-8"), extensions=["tables"])
    html = (
        "<!doctype html><html lang='nl'><head><meta charset='utf-8'><style>"
        "body{font-family:'DejaVu Sans',Arial,sans-serif;font-size:10.5pt;line-height:1.45;margin:0}"
        "h1{font-size:17pt;color:#154273}h2{font-size:13pt;color:#154273;margin-top:1.4em}"
        "h3{font-size:11pt}table{border-collapse:collapse;margin:.6em 0}"
        "td,th{border:1px solid #999;padding:3px 8px;text-align:left}"
        f"</style></head><body>{body}</body></html>"
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_content(html)
        page.pdf(path=str(target), format="A4", print_background=True,
                 margin={"top": "2cm", "bottom": "2cm", "left": "2.2cm", "right": "2.2cm"})
        browser.close()


def main() -> int:
    for md in sorted(HERE.glob("*.md")):
        number = md.name[:2]
        if number in DOCX:
            to_docx(md, OUT / (md.stem + ".docx"))
        elif number in PDF:
            to_pdf(md, OUT / (md.stem + ".pdf"))
        else:
            continue
        print("rendered", md.stem)
    return 0


if __name__ == "__main__":
    sys.exit(main())
