"""`kennisbank check` and the checker library: all problems, JSON shape, strictness, hostile input."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kennisbank.checker import ERROR, WARNING, check_source
from kennisbank.reader import ReadError, decode, parse_entry_text
from kennisbank.vocabulary import merge_vocabularies

from conftest import entry_text

TODAY = dt.date(2026, 6, 1)
VOCABULARIES = merge_vocabularies({})


def checked(text: str, today: dt.date | None = None, interval: int = 365):
    """Check one entry text; ``today`` defaults to the real date, as entry_text's review date does."""
    source = parse_entry_text(Path("entries/x.md"), text)
    return check_source(source, "entries/x.md", VOCABULARIES, interval, today or dt.date.today())


def five_defects() -> str:
    return entry_text(
        samenvatting="x" * 401,
        periode={"start": "2015", "eind": "2012"},
        themas=["werk", "wonnen"],
        bronnen=[{"titel": "Evaluatie", "url": "javascript:alert(1)"}],
        laatst_beoordeeld="2999-01-01",
    )


def test_check_source_reports_every_defect_of_a_file():
    meta, problems = checked(five_defects())
    assert meta is None
    assert sorted(p.code for p in problems) == ["date-order", "review-future", "too-long", "url-scheme", "vocabulary"]
    assert all(p.severity == ERROR for p in problems)


def test_check_source_gives_typed_front_matter_when_valid():
    meta, problems = checked(entry_text(stopped=True, laatst_beoordeeld="2026-05-01"), today=TODAY)
    assert problems == []
    assert meta.status == "gestopt"
    assert meta.beeindiging.redenen == ["financiering-afgelopen"]
    assert meta.laatst_beoordeeld == dt.date(2026, 5, 1)


def test_check_source_warns_when_review_overdue():
    _, problems = checked(entry_text(laatst_beoordeeld="2024-01-01"), today=TODAY, interval=365)
    assert [(p.code, p.severity) for p in problems] == [("review-overdue", WARNING)]
    assert "882 dagen geleden" in problems[0].message
    assert "elke 365 dagen" in problems[0].message


def test_check_source_accepts_review_today():
    _, problems = checked(entry_text(laatst_beoordeeld=TODAY.isoformat()), today=TODAY)
    assert problems == []


def test_check_source_warns_about_unknown_key_with_suggestion():
    _, problems = checked(entry_text(samenvating="typo"))
    assert [(p.code, p.severity) for p in problems] == [("unknown-key", WARNING)]
    assert "bedoelt u 'samenvatting'?" in problems[0].message


@pytest.mark.parametrize(
    ("changes", "code", "message"),
    [
        (
            {"stopped": True, "beeindiging": {"datum": "2010", "redenen": ["bezuiniging"]}},
            "date-order", "beeindiging.datum (2010) ligt vóór periode.start (2012-03)",
        ),
        ({"periode": {"start": "0201"}}, "invalid-date", "'0201' heeft jaar 201; verwacht een jaar van 1800 tot en met 2999"),
        ({"periode": {"start": "9999-12"}}, "invalid-date", "verwacht een jaar van 1800 tot en met 2999"),
        ({"periode": {"start": "2013-02-29"}}, "invalid-date", "'2013-02-29' bestaat niet: februari 2013 heeft 28 dagen"),
        # PyYAML reads 0 as a number, and pydantic would take it as a Unix timestamp (1970-01-01).
        ({"laatst_beoordeeld": 0}, "invalid-date", "laatst_beoordeeld: ongeldige datum: verwacht JJJJ-MM-DD, gevonden: 0"),
        ({"relaties": {"voorganger": "Jongerenloket Zuid"}}, "relation-target", "'Jongerenloket Zuid' is geen id van een interventie"),
        ({"kennisdragers": [{"rol": "buurtwerker", "naam": "Els", "toestemming": "2020"}]}, "invalid-date",
         "kennisdragers[0].toestemming: ongeldige datum: verwacht JJJJ-MM-DD, gevonden: '2020'"),
        ({"bewijs": {"niveau": "monitoring", "uitkomst": "gemengd", "effect_na_jaren": 2.5}}, "wrong-type",
         "bewijs.effect_na_jaren: verwacht een geheel getal, gevonden: 2.5"),
        ({"themas": []}, "empty-value", "themas moet ten minste één waarde bevatten, gevonden: een lege lijst"),
        ({"bronnen": [{"url": "https://example.org"}]}, "missing-key",
         "verplichte sleutel 'bronnen[0].titel' ontbreekt: voeg 'titel:' toe met de titel van de bron"),
        ({"stopped": True, "beeindiging": {"datum": "2016"}}, "missing-key",
         "verplichte sleutel 'beeindiging.redenen' ontbreekt: voeg 'redenen:' toe met een lijst van deze waarden: financiering-afgelopen, "),
        ({"kennisdragers": [{"organisatie": "Welzijn Zuid"}]}, "missing-key",
         "verplichte sleutel 'kennisdragers[0].rol' ontbreekt: voeg 'rol:' toe met de rol van de persoon"),
    ],
    ids=["stop-before-start", "year-typo", "year-9999", "no-leap-day", "review-number", "relation-not-id",
         "consent-year-only", "effect-fraction", "no-themes", "source-title-missing", "stop-reasons-missing", "role-missing"],
)
def test_check_source_reports_one_problem(changes, code, message):
    _, problems = checked(entry_text(**changes))
    assert [p.code for p in problems] == [code]
    assert message in problems[0].message


def test_check_source_accepts_leap_day():
    _, problems = checked(entry_text(periode={"start": "2012-02-29"}))
    assert problems == []


def test_check_source_lets_stopped_section_wait_for_a_known_status():
    _, problems = checked(entry_text(stopped=True, status="gestpot"))
    assert [p.code for p in problems] == ["vocabulary"]


def test_check_source_reports_duplicate_section():
    body = "".join(f"\n## {t}\n\nTekst.\n" for t in ("Context", "Aanpak", "Aanpak", "Resultaten", "Lessen"))
    _, problems = checked(entry_text(body=body))
    assert [p.code for p in problems] == ["section-duplicate"]


def test_check_source_warns_about_unknown_and_empty_sections():
    body = "".join(f"\n## {t}\n\n{'' if t == 'Aanpak' else 'Tekst.'}\n" for t in ("Context", "Aanpak", "Resultaat", "Lessen"))
    _, problems = checked(entry_text(body=body))
    codes = [(p.code, p.severity) for p in problems]
    assert ("section-empty", WARNING) in codes
    assert ("section-unknown", WARNING) in codes
    assert ("section-missing", ERROR) in codes
    assert any("bedoelt u '## Resultaten'?" in p.message for p in problems)


def test_check_cli_reports_all_problems_of_one_file(archive, run):
    result = run(["check"], archive({"x.md": five_defects()}))
    lines = result.stdout.splitlines()
    assert len(lines) == 5
    assert all(line.startswith("entries/x.md:") for line in lines)
    assert result.stderr == "1 interventie gecontroleerd: 5 fouten, 0 waarschuwingen\n"
    assert result.exit_code == 1


def test_check_json_has_the_documented_shape(archive, run):
    root = archive({"x.md": five_defects(), "goed.md": entry_text()})
    result = run(["check", "--json"], root)
    data = json.loads(result.stdout)
    assert set(data) == {"entries", "problems"}
    assert data["entries"] == 2
    assert len(data["problems"]) == 5
    for problem in data["problems"]:
        assert list(problem) == ["path", "line", "code", "severity", "message"]
        assert problem["path"] == "entries/x.md"
        assert isinstance(problem["line"], int) and problem["line"] >= 1
        assert problem["severity"] in ("error", "warning")
    assert result.exit_code == 1


def test_check_json_without_problems(archive, run):
    result = run(["check", "--json"], archive({"goed.md": entry_text()}))
    assert json.loads(result.stdout) == {"entries": 1, "problems": []}
    assert result.exit_code == 0


def test_check_exits_0_on_warnings_without_strict(archive, run):
    root = archive({"oud.md": entry_text(laatst_beoordeeld="2000-01-01")})
    result = run(["check"], root)
    assert "warning: review-overdue" in result.stdout
    assert result.exit_code == 0


def test_check_strict_fails_on_review_overdue(archive, run):
    result = run(["check", "--strict"], archive({"oud.md": entry_text(laatst_beoordeeld="2000-01-01")}))
    assert result.exit_code == 1


def test_check_strict_fails_on_writing_prompt(archive, run):
    body = "\n## Context\n\n<!-- schrijfhulp: Welk probleem? -->\n" + "".join(
        f"\n## {t}\n\nTekst.\n" for t in ("Aanpak", "Resultaten", "Lessen")
    )
    root = archive({"concept.md": entry_text(body=body)})
    plain = run(["check"], root)
    assert plain.stdout.splitlines() == [
        "entries/concept.md:16: warning: writing-prompt: sectie '## Context' bevat nog de schrijfhulp; vervang die door tekst"
    ]
    assert plain.exit_code == 0
    assert run(["check", "--strict"], root).exit_code == 1


def test_check_exits_0_on_empty_archive(archive, run):
    result = run(["check"], archive())
    assert result.stdout == "0 interventies gecontroleerd: 0 fouten, 0 waarschuwingen\n"
    assert result.exit_code == 0


def test_check_exits_2_outside_an_archive(tmp_path, run):
    result = run(["check"], tmp_path)
    assert result.exit_code == 2
    assert "geen mkdocs.yml gevonden" in result.stderr
    assert "kennisbank init" in result.stderr


def test_check_reports_missing_entries_folder(archive, run):
    root = archive()
    (root / "entries").rmdir()
    result = run(["check"], root)
    assert result.stdout.startswith("entries:1: entries-missing: de map met interventies bestaat niet")
    assert result.exit_code == 1


def test_check_accepts_vocabulary_extended_in_mkdocs_yml(archive, run):
    extension = {"themas": {"digitalisering": {"label": "Digitalisering", "uitleg": "Digitale vaardigheden."}}}
    text = entry_text(themas=["digitalisering"])
    assert run(["check"], archive({"x.md": text}, options={"vocabularies": extension})).exit_code == 0
    refused = run(["check"], archive({"x.md": text}))
    assert "'digitalisering' is geen bekende waarde voor thema" in refused.stdout
    assert refused.exit_code == 1


def test_check_rejects_bad_plugin_options_with_exit_2(archive, run):
    result = run(["check"], archive(options={"review_interval_days": "vaak", "entires": "x"}))
    assert result.exit_code == 2
    assert "ongeldige opties voor de kennisbank-plugin" in result.stderr
    assert "onbekende optie 'entires' (bedoelt u 'entries'?)" in result.stderr
    assert "review_interval_days: verwacht int, gevonden: str 'vaak'" in result.stderr
    assert "Traceback" not in result.output


def test_check_rejects_review_interval_below_one(archive, run):
    result = run(["check"], archive(options={"review_interval_days": -5}))
    assert result.exit_code == 2
    assert "review_interval_days: verwacht ten minste 1, gevonden: -5" in result.stderr


def test_check_rejects_unknown_vocabulary_name(archive, run):
    result = run(["check"], archive(options={"vocabularies": {"themes": {"a": "A"}}}))
    assert result.exit_code == 2
    assert "onbekende vocabulaire 'themes'" in result.stderr
    assert "bekende vocabulaires: status, themas" in result.stderr


def test_check_rejects_plugin_options_that_are_not_a_mapping(archive, run):
    root = archive()
    (root / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - kennisbank: [a]\n", encoding="utf-8")
    result = run(["check"], root)
    assert result.exit_code == 2
    assert "moeten de vorm optie: waarde hebben" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_check_rejects_entries_folder_outside_archive(archive, run):
    result = run(["check"], archive(options={"entries": "../elders"}))
    assert result.exit_code == 2
    assert "wijst buiten het archief" in result.stderr


def test_check_reports_symlink_out_of_entries_and_does_not_read_it(archive, run, tmp_path):
    secret = tmp_path / "geheim.md"
    secret.write_text(entry_text(titel="Geheim"), encoding="utf-8")
    root = archive({"goed.md": entry_text()})
    os.symlink(secret, root / "entries" / "geheim.md")
    result = run(["check", "--json"], root)
    data = json.loads(result.stdout)
    assert data["entries"] == 1
    assert data["problems"] == [{
        "path": "entries/geheim.md", "line": 1, "code": "symlink-outside", "severity": "error",
        "message": "deze symbolische link wijst buiten de map met interventies en wordt niet gelezen",
    }]
    exported = json.loads(run(["export"], root).stdout)
    assert [entry["titel"] for entry in exported] == ["Buurtkamer Zuidwijk"]


def test_check_reports_looping_and_dangling_symlinks(archive, run):
    root = archive()
    os.symlink("lus.md", root / "entries" / "lus.md")
    os.symlink("nergens.md", root / "entries" / "weg.md")
    result = run(["check"], root)
    assert result.stdout.splitlines() == [
        "entries/lus.md:1: symlink-broken: deze symbolische link is kapot of verwijst in een kring en wordt niet gelezen",
        "entries/weg.md:1: symlink-broken: deze symbolische link is kapot of verwijst in een kring en wordt niet gelezen",
    ]
    assert result.exit_code == 1


def test_check_follows_symlink_inside_entries(archive, run):
    root = archive({"goed.md": entry_text()})
    (root / "entries" / "drafts").mkdir()
    (root / "entries" / "goed.md").rename(root / "entries" / "drafts" / "goed.md")
    os.symlink("drafts/goed.md", root / "entries" / "goed.md")
    result = run(["check"], root)
    assert result.exit_code == 0


def test_check_never_runs_python_tags(archive, run, tmp_path):
    marker = tmp_path / "uitgevoerd"
    text = entry_text().replace(
        "titel: Buurtkamer Zuidwijk", f'titel: !!python/object/apply:os.system ["touch {marker}"]'
    )
    result = run(["check"], archive({"x.md": text}))
    assert "yaml-unsafe: YAML-tag 'tag:yaml.org,2002:python/object/apply:os.system' is niet toegestaan" in result.stdout
    assert not marker.exists()
    assert result.exit_code == 1


def test_check_refuses_billion_laughs(archive, run):
    text = "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b]\n---\n"
    result = run(["check"], archive({"x.md": text}))
    assert "yaml-unsafe: YAML-aliassen" in result.stdout
    assert result.exit_code == 1


def test_check_reports_file_larger_than_limit(archive, run):
    result = run(["check"], archive({"groot.md": entry_text()}, options={"max_entry_bytes": 100}))
    assert "entries/groot.md:1: file-too-large: het bestand is" in result.stdout
    assert "een interventie mag hoogstens 100 bytes zijn" in result.stdout


def test_check_reports_empty_and_nul_files(archive, run):
    root = archive({"leeg.md": "", "nul.md": b"---\ntitel: a\x00b\n---\n", "kaal.md": "---\n---\n"})
    lines = run(["check"], root).stdout.splitlines()
    assert lines == [
        "entries/kaal.md:1: front-matter-empty: de front matter is leeg: de verplichte sleutels ontbreken",
        "entries/leeg.md:1: front-matter-missing: geen front matter: het bestand moet beginnen met een regel '---', "
        "dan de YAML-sleutels en een afsluitende '---'",
        "entries/nul.md:2: encoding: het bestand bevat een NUL-byte; een interventie moet gewone UTF-8-tekst zijn",
    ]


def test_check_reports_relation_to_itself(archive, run):
    result = run(["check"], archive({"zelf.md": entry_text(relaties={"lijkt_op": ["zelf"]})}))
    assert "relation-target: relaties.lijkt_op[0] verwijst naar de interventie zelf" in result.stdout


def test_check_accepts_relations_between_entries(archive, run):
    root = archive({
        "oud.md": entry_text(stopped=True, relaties={"opvolger": "nieuw"}),
        "nieuw.md": entry_text(relaties={"voorganger": "oud", "lijkt_op": ["oud"]}),
    })
    assert run(["check"], root).exit_code == 0


# Arbitrary input: the reader and checker answer with a ReadError or problems, never another exception.

_YAMLISH = st.text(alphabet=" \n\t:-[]{}&*!|>'\"#?,%@`.=<0123456789abeglnostuw_é\\", max_size=200)
_KEYS = st.sampled_from([
    "titel", "samenvatting", "gemeente", "wijken", "periode", "start", "eind", "status", "themas", "bewijs",
    "niveau", "uitkomst", "beeindiging", "datum", "redenen", "relaties", "voorganger", "lijkt_op",
    "kennisdragers", "naam", "toestemming", "bronnen", "url", "jaar", "laatst_beoordeeld", "voorbeeld", "x",
])
_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30),
    st.sampled_from(["2011-02-30", "9999-12", "0000", "2026-01-01", "gestopt", "werk", "javascript:x", "2999-01-01"]),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=5)),
    max_leaves=20,
)


def _survives(text: str) -> None:
    try:
        source = parse_entry_text(Path("entries/x.md"), text)
    except ReadError as exc:
        assert exc.code and exc.message and exc.line >= 1
        return
    meta, problems = check_source(source, "entries/x.md", VOCABULARIES, 365, TODAY)
    assert all(p.line >= 1 and p.severity in (ERROR, WARNING) for p in problems)
    assert meta is not None or any(p.severity == ERROR for p in problems)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_check_source_survives_arbitrary_text(text):
    _survives(text)


@settings(max_examples=400, deadline=None)
@given(_YAMLISH, st.text(max_size=50))
def test_check_source_survives_yamlish_front_matter(front, body):
    _survives(f"---\n{front}\n---\n{body}")


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(_KEYS, _VALUES, max_size=10))
def test_check_source_survives_arbitrary_front_matter_values(data):
    _survives(f"---\n{yaml.safe_dump(data, allow_unicode=True)}---\n\n## Context\n\nx\n")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_decode_survives_arbitrary_bytes(raw):
    try:
        text = decode(b"---\n" + raw, 1_000)
    except ReadError as exc:
        assert exc.code in ("encoding", "file-too-large")
        return
    _survives(text)


def test_check_source_reports_complex_and_merge_keys_as_unsafe():
    for extra in ("? [a]\n: x", "<<: {a: 1}"):
        text = entry_text().replace("gemeente: Voorbeeldstad", f"gemeente: Voorbeeldstad\n{extra}")
        try:
            checked(text)
        except ReadError as exc:
            assert (exc.code, exc.line, exc.message) == ("yaml-unsafe", 5, "sleutels moeten gewone woorden zijn")
        else:
            raise AssertionError(f"{extra!r} was accepted")


def test_check_source_reports_number_key_at_its_line():
    _, problems = checked(entry_text().replace("gemeente: Voorbeeldstad", "gemeente: Voorbeeldstad\n1: x"))
    assert [(p.line, p.code, p.severity) for p in problems] == [(5, "unknown-key", WARNING), (5, "wrong-type", ERROR)]


def test_check_source_reads_lone_equals_sign_as_text():
    meta, problems = checked(entry_text().replace("titel: Buurtkamer Zuidwijk", "titel: ="))
    assert problems == []
    assert meta.titel == "="


def test_check_source_treats_empty_optional_keys_as_absent():
    text = entry_text().replace("gemeente: Voorbeeldstad", "gemeente: Voorbeeldstad\nwijken:\nrelaties:\nbronnen:")
    meta, problems = checked(text)
    assert problems == []
    assert meta.wijken == [] and meta.relaties.targets() == [] and meta.bronnen == []


def test_check_source_reports_empty_required_key_with_what_to_write():
    _, problems = checked(entry_text().replace("status: lopend", "status:"))
    assert [(p.line, p.code, p.message) for p in problems] == [(
        7, "empty-value",
        "status is leeg: vul 'status:' in met een van deze waarden: lopend, gestopt, verduurzaamd, opgeschaald, onbekend",
    )]


def test_check_skips_hidden_files_such_as_editor_locks(archive, run):
    root = archive({"goed.md": entry_text(), ".goed.md": "kladversie"})
    os.symlink("iemand@machine.1234", root / "entries" / ".#goed.md")
    result = run(["check"], root)
    assert result.stdout == "1 interventie gecontroleerd: 0 fouten, 0 waarschuwingen\n"


def test_check_in_missing_folder_does_not_fall_back_to_a_parent_archive(archive, run):
    root = archive({"goed.md": entry_text()})
    result = run(["check"], root / "bestaat-niet")
    assert result.exit_code == 2
    assert "bestaat niet" in result.stderr


def test_check_source_refuses_url_with_space_or_quote():
    for url in ("https://example.org/eind rapport.pdf", 'https://example.org/"onmouseover="x', "https://e.org/<script>"):
        _, problems = checked(entry_text(bronnen=[{"titel": "Rapport", "url": url}]))
        assert [p.code for p in problems] == ["url-invalid"], url
        assert "codeer die met procenttekens" in problems[0].message


def test_check_source_accepts_url_with_query_and_fragment():
    _, problems = checked(entry_text(bronnen=[{"titel": "Rapport", "url": "https://example.org/a?b=1&c=%20#d"}]))
    assert problems == []


def test_check_reads_mkdocs_yml_with_material_and_env_tags_without_running_them(archive, run, tmp_path):
    root = archive({"goed.md": entry_text()})
    marker = tmp_path / "uitgevoerd"
    (root / "mkdocs.yml").write_text(
        "site_name: !ENV [SITE_NAME, 'Wijken']\n"
        "markdown_extensions:\n"
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        f"      gevaar: !!python/object/apply:os.system ['touch {marker}']\n"
        "plugins:\n  - kennisbank:\n      review_interval_days: 30\n",
        encoding="utf-8",
    )
    result = run(["check"], root)
    assert result.exit_code == 0, result.output
    assert not marker.exists()


def test_cli_help_lists_the_editor_commands(runner):
    from kennisbank.cli import cli

    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    listed = {line.split()[0] for line in result.stdout.split("Opdrachten:\n")[1].splitlines() if line.strip()}
    assert listed >= {"init", "new", "check", "export", "schema", "stats"}


def test_python_m_kennisbank_runs_the_cli():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "kennisbank", "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert result.stdout.startswith("kennisbank, versie ")


def test_check_explains_empty_mkdocs_yml(archive, run):
    root = archive()
    (root / "mkdocs.yml").write_text("# nog leeg\n", encoding="utf-8")
    result = run(["check"], root)
    assert result.exit_code == 2
    assert "mkdocs.yml: het bestand is leeg; het heeft site_name en de kennisbank-plugin nodig" in result.stderr


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.from_regex(r"[a-zA-Z0-9 ._-]{1,12}", fullmatch=True), st.binary(max_size=300)), max_size=4))
def test_check_cli_survives_arbitrary_files(files):
    import tempfile

    from click.testing import CliRunner

    from kennisbank.cli import cli

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "entries").mkdir()
        (root / "mkdocs.yml").write_text("site_name: x\nplugins: [kennisbank]\n", encoding="utf-8")
        for name, content in files:
            (root / "entries" / f"{name}.md").write_bytes(b"---\n" + content)
        result = CliRunner().invoke(cli, ["-C", folder, "check", "--json"])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert result.exit_code in (0, 1)
        assert json.loads(result.stdout)["entries"] == len({name for name, _ in files if not name.startswith(".")})


def test_check_reports_entries_path_that_is_a_file(archive, run):
    root = archive()
    (root / "entries").rmdir()
    (root / "entries").write_text("geen map\n", encoding="utf-8")
    result = run(["check"], root)
    assert result.stdout.startswith("entries:1: entries-missing: de map met interventies is een bestand, geen map; maak de map aan")
    assert result.exit_code == 1


def test_check_reports_broken_relation_of_an_entry_with_other_errors(archive, run):
    text = entry_text(gemeente=None, relaties={"voorganger": "bestaat-niet", "lijkt_op": ["ook-niet", "Geen Id"]})
    result = run(["check"], archive({"x.md": text}))
    codes = [line.split(": ")[1] for line in result.stdout.splitlines()]
    assert sorted(codes) == ["missing-key", "relation-target", "relation-target", "relation-target"]
    assert "relaties.lijkt_op[0] verwijst naar 'ook-niet', maar er is geen interventie ook-niet.md" in result.stdout
    assert "relaties.lijkt_op[1]: 'Geen Id' is geen id van een interventie" in result.stdout


def test_vocabulary_extension_keeps_what_a_redeclared_code_leaves_out():
    vocabularies = merge_vocabularies({"themas": {"werk": {"uitleg": "Eigen uitleg."}, "sport": None}})
    assert vocabularies["themas"].terms["werk"].label == "Werk"
    assert vocabularies["themas"].terms["werk"].uitleg == "Eigen uitleg."
    assert vocabularies["themas"].label_of("sport") == "sport"
    assert vocabularies["themas"].codes[-1] == "sport"


def test_check_lineage_in_a_circle_is_a_warning(archive, run) -> None:
    root = archive({
        "oud.md": entry_text(titel="Oud", relaties={"opvolger": "nieuw"}),
        "nieuw.md": entry_text(titel="Nieuw", relaties={"heruitgevonden_als": ["oud"]}),
        "los.md": entry_text(titel="Los", relaties={"voorganger": "oud"}),
    })
    result = run(["check"], root)
    assert result.exit_code == 0, result.output
    cycles = [line for line in result.output.splitlines() if "relation-cycle" in line]
    assert len(cycles) == 1
    assert cycles[0].startswith("entries/nieuw.md:") and "nieuw → oud → nieuw" in cycles[0]
    assert run(["check", "--strict"], root).exit_code == 1


def test_check_lineage_chain_without_circle_is_quiet(archive, run) -> None:
    root = archive({
        "a.md": entry_text(titel="A", relaties={"opvolger": "b"}),
        "b.md": entry_text(titel="B", relaties={"voorganger": "a", "opvolger": "c"}),
        "c.md": entry_text(titel="C", relaties={"opgegaan_in": "d"}),
        "d.md": entry_text(titel="D"),
    })
    result = run(["check"], root)
    assert result.exit_code == 0 and "relation-cycle" not in result.output
