"""Golden files: each entry in tests/golden/ beside the exact output `kennisbank check` gives for it.

``invalid/<case>.md`` has one defect and ``invalid/<case>.expected`` the
lines `check` prints for it; ``valid/<case>.md`` must give no problem at
all. Entries that a case's relations point to live in ``<case>.extra/``.
Each case is checked alone, in an archive of its own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
INVALID = sorted((GOLDEN / "invalid").glob("*.md"))
VALID = sorted((GOLDEN / "valid").glob("*.md"))
# The golden files carry fixed review dates; a wide interval keeps them from
# turning overdue as the years pass ("future" cases use 2999).
OPTIONS = {"review_interval_days": 1_000_000}


def check_alone(case: Path, archive, run):
    entries = {case.name: case.read_bytes()}
    extra = case.with_name(f"{case.stem}.extra")
    if extra.is_dir():
        entries.update({path.name: path.read_bytes() for path in extra.glob("*.md")})
    return run(["check"], archive(entries, options=OPTIONS))


@pytest.mark.parametrize("case", INVALID, ids=lambda path: path.stem)
def test_check_invalid_entry_reports_its_defect(case, archive, run):
    expected = case.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    result = check_alone(case, archive, run)
    assert result.stdout.splitlines() == expected
    assert result.exit_code == 1
    assert "Traceback" not in result.output


@pytest.mark.parametrize("case", VALID, ids=lambda path: path.stem)
def test_check_valid_entry_passes(case, archive, run):
    result = check_alone(case, archive, run)
    assert result.stdout.endswith(" gecontroleerd: 0 fouten, 0 waarschuwingen\n")
    assert len(result.stdout.splitlines()) == 1
    assert result.exit_code == 0


def test_golden_invalid_cases_each_have_an_expectation():
    stems = {path.stem for path in INVALID}
    expectations = {path.stem for path in (GOLDEN / "invalid").glob("*.expected")}
    assert stems == expectations
    assert len(stems) >= 22


def test_golden_invalid_cases_have_one_defect_each():
    for case in INVALID:
        lines = case.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
        assert len(lines) == 1, case.name
        assert lines[0].startswith(f"entries/{case.name}:"), case.name


def test_golden_valid_cases_include_bom_and_crlf():
    raw = [path.read_bytes() for path in VALID]
    assert any(data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data for data in raw)
