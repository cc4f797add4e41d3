"""The quality of "Toets uw plan" in Chromium: its top-3 hit rate over the judged plans of tests/judged/plans.

Each plan is pasted as a reader would paste it: a ``.md`` or ``.txt`` plan as written; a ``.docx`` or
``.pdf`` plan as the text its Markdown source in ``src/`` stands for (headings as lines of their own, table
cells separated by tabs, no Markdown marks), which is what copying from Word or a PDF viewer gives. A plan
is a hit when at least one of the precedents a careful reader named (``judgements.yaml``, written before
any search ran) is among the page's first three. Target: at least 0.9.
"""

from __future__ import annotations

import re

import yaml
from playwright.sync_api import expect

from conftest import REPO
from helpers import violations

PLANS = REPO / "tests" / "judged" / "plans"
TARGET = 0.9


def as_pasted(markdown: str) -> str:
    """Markdown as the plain text a copy from Word or a PDF viewer gives."""
    lines = []
    for line in markdown.splitlines():
        if re.fullmatch(r"\s*\|?[\s:|-]+\|?\s*", line) and "-" in line:
            continue  # a table's separator row
        if line.lstrip().startswith("|"):
            line = "\t".join(cell.strip() for cell in line.strip().strip("|").split("|"))
        line = re.sub(r"^#+\s*", "", line)
        line = re.sub(r"\*\*|__|(?<!\w)[*_](?!\s)|`", "", line)
        lines.append(line)
    return "\n".join(lines)


def judged_plans() -> list[tuple[str, str, list[str]]]:
    """(file, text as pasted, judged precedent ids) for every judged plan."""
    plans = []
    for plan in yaml.safe_load((PLANS / "judgements.yaml").read_text(encoding="utf-8"))["plans"]:
        source = PLANS / plan.get("source", plan["file"])
        text = source.read_text(encoding="utf-8")
        if "source" in plan:
            text = as_pasted(text)
        plans.append((plan["file"], text, [p["id"] for p in plan["precedents"]]))
    return plans


def test_judged_material_is_there() -> None:
    plans = judged_plans()
    assert len(plans) >= 12
    assert all(len(text.split()) >= 300 for _, text, _ in plans)


def test_plan_page_finds_the_judged_precedents_in_its_top_three(tab, csp_url: str) -> None:  # noqa: F811
    tab.goto(csp_url + "toets-uw-plan/")
    box = tab.get_by_role("textbox", name="Tekst van uw plan")
    status = tab.locator("#kb-toets-status")
    report = []
    hits = 0
    for name, text, judged in judged_plans():
        box.fill("")
        tab.evaluate("() => { document.getElementById('kb-toets-status').textContent = ''; }")
        box.fill(text)
        tab.get_by_role("button", name="Zoek vergelijkbare projecten").click()
        expect(status).to_contain_text("gevonden")
        shown = [card.get_attribute("data-id") for card in tab.locator(".kb-toets__voorbeeld").all()]
        hit = any(entry_id in shown[:3] for entry_id in judged)
        hits += hit
        report.append(f"{'hit ' if hit else 'MISS'} {name}: top 3 {shown[:3]}, judged {judged}")
    rate = hits / len(report)
    print(f"\nToets uw plan, top-3 hit rate over {len(report)} judged plans: {rate:.2f}\n" + "\n".join(report))
    assert rate >= TARGET, "\n".join(report)
    assert violations(tab) == []
