"""`kennisbank review`, the radar, and the model's mark for imported entries (beoordeeld, herkomst)."""

from __future__ import annotations

import datetime as dt
import json

from conftest import entry_text

TODAY = dt.date.today()
HOLDER = [{"rol": "projectleider", "organisatie": "Welzijn Zuid"}]


def fresh(**changes) -> str:
    changes.setdefault("kennisdragers", HOLDER)
    return entry_text(**changes)


def test_nothing_due_exits_0(archive, run):
    root = archive({"a.md": fresh()})
    result = run(["review"], root)
    assert result.exit_code == 0, result.output
    assert result.stdout == "Niets te doen: 1 interventie bijgewerkt.\n"


def test_each_kind_of_finding_at_its_line_and_exit_1(archive, run):
    old = (TODAY - dt.timedelta(days=400)).isoformat()
    root = archive({
        "oud.md": fresh(laatst_beoordeeld=old),
        "zonder.md": entry_text(),
        "toestemming.md": fresh(kennisdragers=[{"rol": "buurtwerker", "naam": "An", "toestemming": old}]),
        "import.md": fresh(laatst_beoordeeld=None, beoordeeld=False, herkomst={
            "bestand": "p.xlsx", "blad": "Blad1", "rij": 7, "geimporteerd": TODAY.isoformat()}),
    })
    result = run(["review"], root)
    assert result.exit_code == 1
    out = result.stdout
    assert "Aan herziening toe (1): lees de interventie opnieuw" in out and "\n  entries/oud.md:" in out and f"laatst beoordeeld op {old}, 400 dagen geleden" in out
    assert "Geïmporteerd, nog niet beoordeeld (1): beoordeel elke interventie" in out and "\n  entries/import.md:" in out
    assert "geïmporteerd uit p.xlsx, Blad1 (rij 7)" in out
    assert "Zonder kennisdrager (1): wie kan er nog over vertellen?" in out and "\n  entries/zonder.md:" in out
    assert "Toestemming ouder dan de beoordelingstermijn (1): " in out and "\n  entries/toestemming.md:" in out
    assert "4 punten te doen in 4 interventies." in out
    line = next(l for l in out.splitlines() if "entries/oud.md:" in l)
    number = int(line.split(":")[1])
    assert (root / "entries" / "oud.md").read_text(encoding="utf-8").splitlines()[number - 1].startswith(
        "laatst_beoordeeld:")


def test_missing_relation_is_reported_but_not_due(archive, run):
    root = archive({"a.md": fresh(relaties={"lijkt_op": ["nog-niet-geimporteerd"]})})
    result = run(["review"], root)
    assert result.exit_code == 0, result.output
    assert "Relaties naar interventies die niet in het archief staan (gemeld, niet te doen) (1): " in result.stdout
    assert "'nog-niet-geimporteerd'" in result.stdout
    assert run(["check"], root).exit_code == 1  # check still refuses it


def test_review_json(archive, run):
    root = archive({"a.md": entry_text(), "b.md": fresh()})
    result = run(["review", "--json"], root)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["due"] == 1 and data["entries"] == 2 and data["review_interval_days"] == 365
    assert [f["id"] for f in data["no_holders"]] == ["a"] and data["overdue"] == [] and data["missing_relations"] == []


def test_not_reviewed_entry_may_lack_review_date_but_others_may_not(archive, run):
    root = archive({
        "import.md": fresh(laatst_beoordeeld=None, beoordeeld=False),
        "vergeten.md": fresh(laatst_beoordeeld=None),
        "fout.md": fresh(beoordeeld=False, herkomst={"bestand": "p.csv", "rij": 0, "geimporteerd": "gisteren"}),
    })
    result = run(["check"], root)
    lines = result.stdout.splitlines()
    assert not [l for l in lines if l.startswith("entries/import.md")]
    assert any(l.startswith("entries/vergeten.md:1: missing-key: verplichte sleutel 'laatst_beoordeeld' ontbreekt")
               for l in lines)
    assert any(l.startswith("entries/fout.md:") and "herkomst.rij" in l for l in lines)
    assert any(l.startswith("entries/fout.md:") and "herkomst.geimporteerd" in l for l in lines)


def test_schema_knows_the_mark(archive, run):
    schema = json.loads(run(["schema"], archive()).stdout)
    assert "laatst_beoordeeld" not in schema["required"]
    assert schema["else"]["required"] == ["laatst_beoordeeld"]
    import jsonschema
    import yaml

    def valid(text: str) -> bool:
        front = yaml.safe_load(text.split("---\n")[1])
        return not list(jsonschema.Draft202012Validator(schema).iter_errors(json.loads(json.dumps(front, default=str))))

    assert valid(fresh(laatst_beoordeeld=None, beoordeeld=False))
    assert not valid(fresh(laatst_beoordeeld=None))


def _entry_html(root, entry_id: str, today: dt.date = TODAY) -> str:
    from kennisbank.archive import Archive
    from kennisbank.pages import SiteContext
    from kennisbank.render.entry_page import entry_pages

    opened = Archive.open(root)
    result = opened.check()
    assert not result.errors, [str(p) for p in result.errors]
    pages = {page.url: page for page in entry_pages(SiteContext(opened.settings, result.entries, today=today))}
    return next(page.html for url, page in pages.items() if url.rstrip("/").endswith(entry_id))


def test_entry_page_shows_the_review_state(archive):
    old = (TODAY - dt.timedelta(days=400)).isoformat()
    root = archive({
        "import.md": fresh(laatst_beoordeeld=None, beoordeeld=False, herkomst={
            "bestand": "projecten.xlsx", "blad": "Blad1", "rij": 14, "geimporteerd": TODAY.isoformat()}),
        "oud.md": fresh(laatst_beoordeeld=old),
        "vers.md": fresh(),
    })
    imported = _entry_html(root, "import")
    assert "Nog niet beoordeeld." in imported and "projecten.xlsx (blad Blad1, rij 14)" in imported
    assert "Aan herziening toe" not in imported and "Laatst beoordeeld op" not in imported
    overdue = _entry_html(root, "oud")
    assert "Aan herziening toe." in overdue and "(aan herziening toe)" in overdue and "Nog niet beoordeeld" not in overdue
    current = _entry_html(root, "vers")
    assert "Laatst beoordeeld op" in current
    assert "Aan herziening toe" not in current and "Nog niet beoordeeld" not in current
