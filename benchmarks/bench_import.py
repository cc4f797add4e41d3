"""Import benchmark: `kennisbank import --dry-run` against reading the same sheet with plain openpyxl / csv.

    flock /tmp/kb-bench.lock .venv/bin/python benchmarks/bench_import.py --rows 100 1000 --repeat 3

For each size it writes a workbook and a Dutch Excel CSV of synthetic rows (Dutch headers, free words for
status and stop reasons, Excel dates), then times, as medians of ``--repeat`` runs in this process:

- ``plan_import`` (read, map, write as text, check every row) with and without the déjà-vu check
  against the bundled archive (half the rows are in Amsterdam, a place the archive knows, so the
  déjà-vu search runs for them; the other half are in a place it does not know and skip it);
- the baseline: openpyxl (read-only, cached values) or ``csv`` reading every cell, nothing more;
- refusing a zip bomb (60 MB of zeros packed into about 60 KB).

It prints the medians and the ratio to the baseline.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import shutil
import statistics
import tempfile
import time
import zipfile
from pathlib import Path

import openpyxl

from kennisbank.archive import Archive
from kennisbank.import_mapping import Mapping
from kennisbank.importer import plan_import
from kennisbank.spreadsheet import SpreadsheetError, check_zip

REPO = Path(__file__).resolve().parents[1]
HEADERS = ["Projectnaam", "Wijk", "Gemeente", "Startjaar", "Einddatum", "Status", "Reden beëindiging", "Budget",
           "Omschrijving", "Resultaat", "Opmerkingen"]
STATUSES = ["loopt nog", "gestopt", "structureel", "beëindigd", "onbekend"]
REASONS = ["subsidie afgelopen", "bezuinigingen", "projectleider vertrokken", "nieuw beleid", ""]
WORDS = ["buurt", "bewoners", "jongeren", "taal", "schulden", "werk", "ouderen", "gezondheid", "wijkteam", "school"]


def rows(count: int) -> list[list]:
    out = []
    for number in range(count):
        status = STATUSES[number % len(STATUSES)]
        stopped = status in ("gestopt", "beëindigd")
        start = 1990 + number % 30
        out.append([
            f"Project {number} {WORDS[number % 10]} {WORDS[(number * 7) % 10]}", "Noord, Oost",
            "Amsterdam" if number % 2 else "Voorbeeldstad", start,
            dt.datetime(start + 3, 6, 30) if stopped else None, status, REASONS[number % 5] if stopped else None,
            1000 * (number + 1), f"Een aanpak met {WORDS[number % 10]} en {WORDS[(number + 3) % 10]} in de wijk.",
            "Veel deelnemers.", "Meer tijd nodig.",
        ])
    return out


def write(folder: Path, count: int) -> tuple[Path, Path]:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Blad1"
    sheet.append(HEADERS)
    data = rows(count)
    for row in data:
        sheet.append(row)
    xlsx = folder / f"p{count}.xlsx"
    book.save(xlsx)
    csv_path = folder / f"p{count}.csv"
    with csv_path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADERS)
        for row in data:
            writer.writerow([f"{v.day}-{v.month}-{v.year}" if isinstance(v, dt.datetime) else v for v in row])
    return xlsx, csv_path


def median(work, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def baseline(path: Path) -> None:
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for _row in book.active.iter_rows(values_only=True):
            pass
        book.close()
    else:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for _row in csv.reader(handle, delimiter=";"):
                pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        archive_root = folder / "archief"
        (archive_root / "entries").mkdir(parents=True)
        for path in (REPO / "entries").glob("*.md"):
            shutil.copy(path, archive_root / "entries" / path.name)
        shutil.copy(REPO / "mkdocs.yml", archive_root / "mkdocs.yml")
        archive = Archive.open(archive_root)
        print(f"{'file':<12}{'rows':>6}{'baseline s':>12}{'import s':>10}{'ratio':>8}{'+déjà-vu s':>12}{'per row ms':>12}")
        for count in options.rows:
            for path in write(folder, count):
                base = median(lambda: baseline(path), options.repeat)
                plain = median(lambda: plan_import(archive, path, Mapping(), similar=False), options.repeat)
                similar = median(lambda: plan_import(archive, path, Mapping(), similar=True), max(1, options.repeat // 2))
                print(f"{path.suffix:<12}{count:>6}{base:>12.3f}{plain:>10.3f}{plain / base:>8.1f}{similar:>12.3f}"
                      f"{1000 * similar / count:>12.2f}")
        bomb = folder / "bom.xlsx"
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as packed:
            packed.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))

        def refuse() -> None:
            try:
                check_zip(bomb)
            except SpreadsheetError:
                return
            raise AssertionError("the zip bomb was not refused")

        print(f"zip bomb ({bomb.stat().st_size // 1024} KB packed, 60 MB unpacked) refused in "
              f"{1000 * median(refuse, options.repeat):.2f} ms (median)")


if __name__ == "__main__":
    main()
