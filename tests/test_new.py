"""`kennisbank new`: flags, questions, the id from the title, and never overwriting."""

from __future__ import annotations

import datetime as dt
import multiprocessing
from pathlib import Path

import pytest

from kennisbank.archive import Archive
from kennisbank.errors import EntryExists
from kennisbank.reader import read_entry_file
from kennisbank.ids import slugify
from kennisbank.scaffold import NewEntry, create_entry

FLAGS = [
    "--titel", "Buurtkamer Zuidwijk", "--samenvatting", "Een huiskamer in de wijk.", "--gemeente", "Rotterdam",
    "--start", "2012-03", "--status", "lopend", "--thema", "participatie", "--thema", "armoede",
    "--no-input", "--no-similar",
]
STOPPED = [
    "--titel", "Leerwerkplaats Oost", "--samenvatting", "Een werkplaats.", "--gemeente", "landelijk",
    "--start", "2009", "--status", "gestopt", "--thema", "werk", "--eind", "2013-06",
    "--stopreden", "bezuiniging", "--stopreden", "trekker-vertrokken", "--no-input", "--no-similar",
]


def test_new_with_all_flags_writes_entry_and_prints_path(archive, run):
    root = archive()
    result = run(["new", *FLAGS], root)
    assert result.exit_code == 0, result.output
    assert result.stdout == "entries/buurtkamer-zuidwijk.md\n"
    source = read_entry_file(root / "entries" / "buurtkamer-zuidwijk.md")
    assert source.data["titel"] == "Buurtkamer Zuidwijk"
    assert source.data["gemeente"] == "Rotterdam"
    assert source.data["periode"] == {"start": "2012-03"}
    assert source.data["themas"] == ["participatie", "armoede"]
    assert source.data["laatst_beoordeeld"] == dt.date.today().isoformat()
    assert [s.title for s in source.sections] == ["Context", "Aanpak", "Resultaten", "Lessen"]


def test_new_entry_passes_check_with_only_prompt_warnings(archive, run):
    root = archive()
    run(["new", *FLAGS], root)
    check = run(["check"], root)
    assert check.exit_code == 0
    lines = check.stdout.splitlines()
    assert len(lines) == 4
    assert all(": warning: writing-prompt: " in line for line in lines)
    assert run(["check", "--strict"], root).exit_code == 1


def test_new_stopped_entry_has_stop_record_and_section(archive, run):
    root = archive()
    result = run(["new", *STOPPED], root)
    assert result.stdout == "entries/leerwerkplaats-oost.md\n"
    source = read_entry_file(root / "entries" / "leerwerkplaats-oost.md")
    assert source.data["beeindiging"] == {"datum": "2013-06", "redenen": ["bezuiniging", "trekker-vertrokken"]}
    assert source.data["periode"] == {"start": 2009, "eind": "2013-06"}
    assert source.section("Waarom gestopt") is not None
    check = run(["check"], root)
    assert check.exit_code == 0
    assert "error" not in check.stdout


@pytest.mark.parametrize("start, eind, written", [
    ("ca. 1989", "1995/1996", {"start": "ca. 1989", "eind": "1995 of 1996"}),
    ("eind jaren tachtig", "onbekend", {"start": "eind jaren tachtig", "eind": "onbekend"}),
    ("onbekend", "2004", {"start": "onbekend", "eind": 2004}),
])
def test_new_takes_uncertain_dates_as_the_format_writes_them(archive, run, start, eind, written):
    """Issue 11: what the sources say ("ca. 1989", "1995 of 1996", unknown) instead of a false precise year."""
    root = archive()
    flags = [arg if arg not in ("2009", "2013-06") else {"2009": start, "2013-06": eind}[arg] for arg in STOPPED]
    result = run(["new", *flags], root)
    assert result.exit_code == 0, result.output
    source = read_entry_file(root / "entries" / "leerwerkplaats-oost.md")
    assert source.data["periode"] == written
    check = run(["check"], root)
    assert check.exit_code == 0 and "error" not in check.stdout, check.stdout


def test_new_refuses_an_end_certainly_before_an_uncertain_start(archive, run):
    root = archive()
    flags = [arg if arg not in ("2009", "2013-06") else {"2009": "ca. 1995", "2013-06": "1990"}[arg] for arg in STOPPED]
    result = run(["new", *flags], root)
    assert result.exit_code == 2
    assert not (root / "entries" / "leerwerkplaats-oost.md").exists()


def test_new_with_existing_title_fails_and_leaves_entry_untouched(archive, run):
    root = archive()
    run(["new", *FLAGS], root)
    path = root / "entries" / "buurtkamer-zuidwijk.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nEigen tekst.\n", encoding="utf-8")
    before = path.read_bytes()
    again = run(["new", *FLAGS], root)
    assert again.exit_code == 1
    first, second = again.stderr.splitlines()
    assert first == "Fout: entries/buurtkamer-zuidwijk.md bestaat al; de bestaande interventie is niet veranderd"
    assert second.endswith(": kies een andere titel, of bewerk de bestaande interventie")
    assert path.read_bytes() == before
    assert sorted(p.name for p in (root / "entries").iterdir()) == ["buurtkamer-zuidwijk.md"]


def test_new_interactive_refuses_existing_title_before_other_questions(archive, run):
    root = archive()
    run(["new", *FLAGS], root)
    result = run(["new", "--no-similar"], root, input="Buurtkamer  Zuidwijk\n")
    assert result.exit_code == 1
    assert "bestaat al" in result.stderr
    assert "Samenvatting" not in result.output


def test_new_interactive_asks_and_reasks_wrong_status(archive, run):
    root = archive()
    answers = [
        "Buurtkamer Zuidwijk", "Een huiskamer in de wijk.", "Rotterdam", "2012",
        "gestpot", "gestopt", "participatie, armoede", "2016-12", "financiering-afgelopen, bezuiniging", "", "",
    ]
    result = run(["new", "--no-similar"], root, input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "'gestpot' is geen bekende status" in result.stderr
    assert "bedoelt u 'gestopt'?" in result.stderr
    assert result.stderr.count("Nummer of code: ") == 2  # the status, asked again
    assert result.stderr.count("Nummer of code [geen]: ") == 1 and result.stderr.count("Nummer of code [onbekend]: ") == 1
    assert result.stdout.splitlines()[-1] == "entries/buurtkamer-zuidwijk.md"
    data = read_entry_file(root / "entries" / "buurtkamer-zuidwijk.md").data
    assert data["status"] == "gestopt"
    assert data["themas"] == ["participatie", "armoede"]
    assert data["periode"] == {"start": 2012, "eind": "2016-12"}
    assert data["beeindiging"]["redenen"] == ["financiering-afgelopen", "bezuiniging"]
    assert run(["check"], root).exit_code == 0


def test_new_interactive_reasks_bad_date_and_theme(archive, run):
    root = archive()
    answers = ["Taalcafé", "Praten over de buurt.", "Utrecht", "2011-02-30", "2011", "lopend", "taaal", "taal", "", ""]
    result = run(["new", "--no-similar"], root, input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "'2011-02-30' bestaat niet: februari 2011 heeft 28 dagen" in result.stderr
    assert "bedoelt u 'taal'?" in result.stderr
    assert read_entry_file(root / "entries" / "taalcafe.md").data["themas"] == ["taal"]


def test_new_no_input_names_every_missing_flag(archive, run):
    root = archive()
    result = run(["new", "--titel", "Iets", "--no-input", "--no-similar"], root)
    assert result.exit_code == 2
    assert "ontbreekt: --samenvatting, --gemeente, --start, --status, --thema" in result.stderr
    assert list((root / "entries").iterdir()) == []


def test_new_no_input_gestopt_needs_end_and_reason(archive, run):
    flags = [f for f in STOPPED if f not in ("--eind", "2013-06")]
    result = run(["new", *flags], archive())
    assert result.exit_code == 2
    assert "status gestopt vraagt --eind en minstens één --stopreden" in result.stderr


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--status", "gestpot", "bedoelt u 'gestopt'?"),
        ("--thema", "wonnen", "bedoelt u 'wonen'?"),
        ("--niveau", "enquete", "is geen bekende onderzoeksopzet"),
        ("--uitkomst", "goed", "is geen bekende uitkomst"),
        ("--lijkt-op", "bestaat-niet", "--lijkt-op: geen interventie met kenmerk 'bestaat-niet'"),
        ("--start", "2011-02-30", "'2011-02-30' bestaat niet"),
        ("--samenvatting", "x" * 401, "de samenvatting is 401 tekens; hoogstens 400"),
    ],
)
def test_new_no_input_rejects_bad_value_with_exit_2(archive, run, flag, value, message):
    flags = list(FLAGS)
    if flag in flags:
        flags[flags.index(flag) + 1] = value
    else:
        flags += [flag, value]
    root = archive()
    result = run(["new", *flags], root)
    assert result.exit_code == 2
    assert message in result.stderr
    assert list((root / "entries").iterdir()) == []


def test_new_refuses_end_before_start(archive, run):
    result = run(["new", *FLAGS, "--eind", "2010"], archive())
    assert result.exit_code == 2
    assert "het einde (2010) ligt voor de start (2012-03)" in result.stderr


def test_new_refuses_stop_reason_for_running_entry(archive, run):
    result = run(["new", *FLAGS, "--stopreden", "bezuiniging"], archive())
    assert result.exit_code == 2
    assert "--stopreden is alleen voor status 'gestopt'" in result.stderr


def test_new_keeps_yaml_special_characters_in_answers(archive, run):
    flags = list(FLAGS)
    flags[1] = "Wijk: 'samen' & #1 [proef]"
    flags[3] = "Begon als #proef: 'samen' - en > meer."
    flags[5] = "Den Haag: Escamp"
    root = archive()
    result = run(["new", *flags], root)
    assert result.stdout == "entries/wijk-samen-1-proef.md\n"
    data = read_entry_file(root / "entries" / "wijk-samen-1-proef.md").data
    assert data["titel"] == "Wijk: 'samen' & #1 [proef]"
    assert data["samenvatting"] == "Begon als #proef: 'samen' - en > meer."
    assert data["gemeente"] == "Den Haag: Escamp"
    assert run(["check"], root).exit_code == 0


def test_new_outside_an_archive_exits_2(tmp_path, run):
    assert run(["new", *FLAGS], tmp_path).exit_code == 2


@pytest.mark.parametrize(
    ("title", "entry_id"),
    [
        ("Jongeren aan de slag in Feijenoord", "jongeren-aan-de-slag-in-feijenoord"),
        ("Café Één: de ‘Wijk’ & co!", "cafe-een-de-wijk-co"),
        ("  Project  --  2.0  ", "project-2-0"),
        ("Coördinatie Ĳsselmonde", "coordinatie-ijsselmonde"),
        ("Straße, Ærø en Łódź", "strasse-aero-en-lodz"),
        ("Wijk/aanpak (2008–2012)", "wijk-aanpak-2008-2012"),
    ],
)
def test_slugify_makes_ascii_lowercase_hyphenated_id(title, entry_id):
    assert slugify(title) == entry_id


def test_slugify_cuts_long_titles_at_a_word_boundary():
    title = "Het grote programma voor " + "samenwerking tussen bewoners en professionals " * 4
    entry_id = slugify(title)
    assert len(entry_id) <= 80
    assert title.lower().replace(" ", "-").startswith(entry_id + "-")


def test_slugify_cuts_one_long_word_at_80():
    assert slugify("a" * 120) == "a" * 80


def test_new_refuses_title_without_letters_or_digits(archive, run):
    flags = list(FLAGS)
    flags[1] = "!!! ???"
    result = run(["new", *flags], archive())
    assert result.exit_code == 2
    assert "geeft geen bruikbaar kenmerk" in result.stderr


def _create_in_race(root: str, barrier, results) -> None:
    answers = NewEntry("Race Zuid", "Twee tegelijk.", "Utrecht", "2020", "lopend", ["werk"])
    archive = Archive.open(Path(root))
    barrier.wait()
    try:
        create_entry(archive, answers)
    except EntryExists as exc:
        results.put(("exists", exc.message))
    else:
        results.put(("created", ""))


def test_new_in_two_processes_at_once_creates_one_entry(archive):
    context = multiprocessing.get_context("fork")
    root = archive()
    barrier = context.Barrier(2)
    results = context.Queue()
    workers = [context.Process(target=_create_in_race, args=(str(root), barrier, results)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=20)
    outcomes = sorted(results.get(timeout=5) for _ in workers)
    assert [kind for kind, _ in outcomes] == ["created", "exists"]
    assert "entries/race-zuid.md" in outcomes[1][1]
    assert "de bestaande interventie is niet veranderd" in outcomes[1][1]
    assert sorted(p.name for p in (root / "entries").iterdir()) == ["race-zuid.md"]
    assert read_entry_file(root / "entries" / "race-zuid.md").data["titel"] == "Race Zuid"


def test_slugify_keeps_a_word_that_ends_exactly_at_80():
    title = "a" * 40 + " " + "b" * 39 + " volgende"
    assert slugify(title) == "a" * 40 + "-" + "b" * 39


def test_new_interactive_reasks_end_before_start(archive, run):
    root = archive()
    answers = ["Leerwerkplaats Oost", "Een werkplaats.", "Utrecht", "2012", "gestopt", "werk", "2010", "2014", "bezuiniging",
               "", ""]
    result = run(["new", "--no-similar"], root, input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "het einde (2010) ligt voor de start (2012)" in result.stderr
    assert read_entry_file(root / "entries" / "leerwerkplaats-oost.md").data["beeindiging"]["datum"] == 2014
