"""Hostile input stays inert: every bad file is one clear problem, never a traceback or code run, in bounded
memory. How fast each is refused is measured by benchmarks/bench_checks.py, not asserted here."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path
from typing import Callable

import pytest
import yaml

from kennisbank.archive import Archive
from kennisbank.reader import MAX_FRONT_MATTER_CHARS

from conftest import entry_text

def check_json(run, root: Path) -> tuple[int, list[dict]]:
    """Exit code and problems of ``kennisbank check --json`` (no traceback allowed)."""
    result = run(["check", "--json"], root)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)["problems"]


def only_problem(run, root: Path) -> dict:
    code, problems = check_json(run, root)
    assert code == 1
    assert len(problems) == 1, problems
    return problems[0]


def traced_check(root: Path) -> tuple[int, list]:
    """Peak traced memory in bytes and the problems of checking ``root``."""
    tracemalloc.start()
    try:
        result = Archive.open(root).check()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak, result.problems


def problems_of(root: Path) -> list:
    return Archive.open(root).check().problems


def with_front(extra: str, **changes) -> str:
    """A valid entry with ``extra`` YAML lines at the top of its front matter."""
    return entry_text(**changes).replace("---\n", "---\n" + extra, 1)


BILLION_LAUGHS = "".join(
    ['lol0: &lol0 "lol"\n']
    + [f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 10)}]\n" for i in range(1, 10)]
)


# ---- size, encoding, bytes ---------------------------------------------------------------


def test_check_reports_file_over_configured_size_limit(archive, run):
    root = archive({"groot.md": entry_text(body="\n## Context\n\n" + "tekst " * 1000)}, options={"max_entry_bytes": 2000})
    problem = only_problem(run, root)
    assert problem["code"] == "file-too-large"
    assert problem["path"] == "entries/groot.md"
    assert "hoogstens 2.000 bytes" in problem["message"]
    assert "max_entry_bytes" in problem["message"]


def test_check_refuses_huge_file_without_reading_it(archive, run):
    root = archive()
    with open(root / "entries" / "reus.md", "wb") as handle:
        handle.truncate(2**31)  # a sparse 2 GB file: reading it would take seconds and gigabytes
    peak, problems = traced_check(root)
    assert [(p.code, p.path) for p in problems] == [("file-too-large", "entries/reus.md")]
    assert "2.147.483.648 bytes" in problems[0].message
    assert peak < 5_000_000


def test_check_default_size_limit_is_one_megabyte(archive, run):
    root = archive({"groot.md": entry_text(body="\n## Context\n\n" + "x" * 1_000_001)})
    assert only_problem(run, root)["code"] == "file-too-large"
    assert Archive.open(root).settings.max_entry_bytes == 1_000_000


@pytest.mark.parametrize(
    "raw, line, words",
    [
        (entry_text().replace("Zuidwijk", "Zuidw\x00ijk").encode(), 2, "NUL-byte"),
        (entry_text().replace("Zuidwijk", "Zuidwéijk").encode("latin-1"), 2, "geen geldige UTF-8"),
        (entry_text().encode("utf-16"), 1, "NUL-byte"),
        (b"\xff\xfe\xfd" * 10, 1, "geen geldige UTF-8"),
    ],
    ids=["nul", "latin-1", "utf-16", "garbage"],
)
def test_check_reports_bad_bytes_as_one_encoding_problem(archive, run, raw, line, words):
    problem = only_problem(run, archive({"bytes.md": raw}))
    assert (problem["code"], problem["line"]) == ("encoding", line)
    assert words in problem["message"]


def test_check_accepts_bom_and_crlf_with_right_lines(archive, run):
    text = entry_text(status="gestop")
    raw = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    root = archive({"windows.md": raw, "mac.md": text.replace("\n", "\r").encode("utf-8")})
    code, problems = check_json(run, root)
    status_line = text.split("\n").index("status: gestop") + 1
    assert [(p["path"], p["line"], p["code"]) for p in problems] == [
        ("entries/mac.md", status_line, "vocabulary"),
        ("entries/windows.md", status_line, "vocabulary"),
    ]
    assert "bedoelt u 'gestopt'" in problems[0]["message"]


def test_check_accepts_valid_entry_with_bom_and_crlf(archive, run):
    raw = b"\xef\xbb\xbf" + entry_text().replace("\n", "\r\n").encode("utf-8")
    code, problems = check_json(run, archive({"windows.md": raw}))
    assert (code, problems) == (0, [])
    entry = Archive.open(archive({"windows.md": raw})).entries()[0]
    assert entry.meta.titel == "Buurtkamer Zuidwijk"
    assert entry.section_text("Context") == "Tekst over context."


# ---- YAML: aliases, tags, nesting --------------------------------------------------------


def test_check_refuses_billion_laughs_with_bounded_memory(archive, run):
    root = archive({"lol.md": with_front(BILLION_LAUGHS)})
    peak, problems = traced_check(root)
    # The line is the anchor's: an alias is the very node it repeats.
    assert [(p.code, p.line) for p in problems] == [("yaml-unsafe", 2)]
    assert "YAML-aliassen" in problems[0].message
    assert peak < 5_000_000


@pytest.mark.parametrize(
    "yaml_lines, line",
    [
        ("basis: &basis Rotterdam\ngemeente2: *basis\n", 3),
        ("basis: &b {x: 1}\nkopie:\n  <<: *b\n", 4),
        ("lijst: &l [a]\nwijken: *l\n", 3),
    ],
    ids=["scalar-alias", "merge-key", "list-alias"],
)
def test_check_refuses_aliases(archive, run, yaml_lines, line):
    problem = only_problem(run, archive({"alias.md": with_front(yaml_lines)}))
    assert (problem["code"], problem["line"]) == ("yaml-unsafe", line)


def test_python_tag_payload_is_live_but_never_runs_in_check(archive, run, tmp_path):
    marker = tmp_path / "pwned"
    payload = f"titel: !!python/object/apply:builtins.open [{str(marker)!r}, 'w']\n"
    # The payload is real: an unsafe loader creates the file.
    yaml.unsafe_load(payload)
    assert marker.exists()
    marker.unlink()
    root = archive({"tag.md": with_front(payload, titel=None)})
    problem = only_problem(run, root)
    assert (problem["code"], problem["line"]) == ("yaml-unsafe", 2)
    assert "python/object/apply:builtins.open" in problem["message"]
    assert not marker.exists()


@pytest.mark.parametrize(
    "yaml_line",
    [
        "titel: !!python/object/apply:os.system ['touch {marker}']",
        "titel: !!python/object/new:subprocess.Popen [['touch', '{marker}']]",
        "titel: !!python/name:os.system",
        "!!python/object/apply:os.system ['touch {marker}']: sleutel",
        "titel: !!binary aGFsbG8=",
        "titel: !!set {{a: null}}",
        "titel: !!timestamp 2020-01-01",
        "titel: !Ref bestaat",
        "? !!python/tuple [a, b]\n: waarde",
    ],
    ids=["os.system", "popen", "name", "in-key", "binary", "set", "timestamp", "local-tag", "complex-key"],
)
def test_check_refuses_tags(archive, run, tmp_path, yaml_line):
    marker = tmp_path / "pwned"
    root = archive({"tag.md": with_front(yaml_line.format(marker=marker) + "\n", titel=None)})
    problem = only_problem(run, root)
    assert (problem["code"], problem["line"]) == ("yaml-unsafe", 2)
    assert not marker.exists()


@pytest.mark.parametrize(
    "yaml_lines",
    [
        "diep: " + "[" * 5000 + "]" * 5000 + "\n",
        "diep: " + "{a: " * 2000 + "1" + "}" * 2000 + "\n",
        "diep:\n  " + "- " * 2000 + "x\n",
        "".join(" " * depth + f"k{depth}:\n" for depth in range(60)) + " " * 60 + "v: 1\n",
        "diep:\n" + "".join(" " * (2 * depth) + "-\n" for depth in range(60)),
    ],
    ids=["flow-lists", "flow-maps", "block-dashes", "block-maps", "block-lists"],
)
def test_check_refuses_deep_nesting(archive, run, yaml_lines):
    root = archive({"diep.md": with_front(yaml_lines)})
    problem = only_problem(run, root)
    assert problem["code"] in ("yaml-unsafe", "yaml-syntax")
    assert "nest" in problem["message"]


# ---- hostile values ------------------------------------------------------------------------


def test_check_refuses_oversized_front_matter_without_parsing_it(archive, run):
    huge_list = "wijken: [" + ", ".join(["Noord"] * 100_000) + "]\n"
    root = archive({"lijst.md": with_front(huge_list)})
    peak, problems = traced_check(root)
    assert [p.code for p in problems] == ["front-matter-too-large"]
    assert f"hoogstens {MAX_FRONT_MATTER_CHARS:,}".replace(",", ".") in problems[0].message
    # Parsed, 100,000 list items would take far more than the text itself (about 700 kB).
    assert peak < 5_000_000


def test_check_handles_long_list_within_limit(archive, run):
    root = archive({"lijst.md": with_front("wijken: [" + ", ".join(["Noord"] * 12_000) + "]\n")})
    assert problems_of(root) == []
    assert len(Archive.open(root).entries()[0].meta.wijken) == 12_000


def test_check_handles_very_long_lines(archive, run):
    long_title = "Buurt" * 15_000
    body = "\n## Context\n\n" + "woord " * 150_000 + "\n\n## Aanpak\n\nA.\n\n## Resultaten\n\nR.\n\n## Lessen\n\nL.\n"
    root = archive({"lang.md": entry_text(titel=long_title, body=body)})
    assert problems_of(root) == []
    assert Archive.open(root).entries()[0].meta.titel == long_title


def test_check_reports_ten_thousand_keys(archive, run):
    root = archive({"sleutels.md": with_front("".join(f"k{i}: 1\n" for i in range(10_000)))})
    problems = problems_of(root)
    assert len(problems) == 10_000
    assert {p.code for p in problems} == {"unknown-key"}
    assert problems[0].line == 2


@pytest.mark.parametrize(
    "changes, line, shown",
    [
        ({"titel": "Buurt\x1b[2J\x1b]0;gehackt\x07kamer"}, "titel:", "\\x1b"),
        ({"titel": "Buurtkamer \u202egnp.exe"}, "titel:", "\\u202e"),
        ({"gemeente": "Voor\x85beeldstad"}, "gemeente:", "U+0085"),
        ({"wijken": ["Noord", "Zu\x00id"]}, "- \"Zu", "\\x00"),
    ],
    ids=["ansi-escape", "bidi-override", "c1-control", "escaped-nul-in-list"],
)
def test_check_reports_hidden_characters_in_values(archive, run, changes, line, shown):
    text = entry_text(**changes)
    line = next(number for number, content in enumerate(text.split("\n"), 1) if content.startswith(line))
    problem = only_problem(run, archive({"verborgen.md": text}))
    assert (problem["code"], problem["line"]) == ("hidden-character", line)
    assert shown in problem["message"]


def test_check_output_never_sends_terminal_escapes(archive, run):
    body = "\n## Context\x1b]0;gehackt\x07\n\nTekst\x1b[31m rood.\n\n## Aanpak\n\nA.\n\n## Resultaten\n\nR.\n\n## Lessen\n\nL.\n"
    root = archive({"escape.md": entry_text(body=body)})
    for args in (["check"], ["check", "--json"]):
        result = run(args, root)
        assert result.exit_code == 1
        assert "\x1b" not in result.output and "\x07" not in result.output
        assert "hidden-character" in result.output


def test_check_reports_unicode_lookalike_ids(archive, run):
    cyrillic = "buurtkаmer"  # the 'а' is Cyrillic
    root = archive({
        f"{cyrillic}.md": entry_text(),
        "ｂｕｕｒｔ.md": entry_text(),
        "echt.md": entry_text(relaties={"lijkt_op": [cyrillic]}),
    })
    code, problems = check_json(run, root)
    assert code == 1
    by_path = {(p["path"], p["code"]) for p in problems}
    assert (f"entries/{cyrillic}.md", "invalid-id") in by_path
    assert ("entries/ｂｕｕｒｔ.md", "invalid-id") in by_path
    assert ("entries/echt.md", "relation-target") in by_path
    fullwidth = next(p for p in problems if p["path"] == "entries/ｂｕｕｒｔ.md")
    assert "hernoem het bestand naar 'buurt.md'" in fullwidth["message"]
    lookalike = next(p for p in problems if p["path"] == f"entries/{cyrillic}.md")
    assert "is het teken CYRILLIC SMALL LETTER A" in lookalike["message"]


def test_check_reports_huge_number_as_yaml_problem(archive, run):
    problem = only_problem(run, archive({"getal.md": with_front("getal: " + "9" * 5000 + "\n")}))
    assert (problem["code"], problem["line"]) == ("yaml-syntax", 2)
    assert "een getal is te lang (meer dan 4.300 cijfers)" in problem["message"]


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_check_reports_unicode_line_separator_at_its_line(archive, run, separator):
    # YAML counts U+2028/U+2029 as line breaks: refused at their real line, not a YAML error lines further on.
    text = entry_text().replace("titel: Buurtkamer Zuidwijk", f"titel: Buurt{separator}kamer")
    problem = only_problem(run, archive({"scheiding.md": text}))
    assert (problem["code"], problem["line"]) == ("hidden-character", 2)
    assert f"U+{ord(separator):04X}" in problem["message"]
