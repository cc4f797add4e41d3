"""The precedent briefing (precedent.py's ``Briefing.to_json``) as terminal text, Markdown or a standalone HTML page.

All three write the same content, from the JSON form, so that ``--format json``
is exactly what the others show. Text wraps at the terminal's width (at most
100 columns; 80 when not a terminal); HTML goes through an autoescaped Jinja
template (``templates/site/precedent.html``).
"""

from __future__ import annotations

import textwrap
from typing import Any, Callable

from ..i18n import _, ngettext
from . import dutch


def _labels() -> dict[str, str]:
    return {
        "verdict": _("Outcome"),
        "running": _("Still running"),
        "lessons": _("Lessons"),
        "holders": _("Who knows more"),
        "matched": _("Matches paragraph {number}"),
        "whole": _("Matches the plan as a whole"),
    }


def heading(data: dict[str, Any]) -> str:
    plan = data["plan"]
    found = len(data["precedenten"])
    return _("Precedents for {source} ({words}, {paragraphs}): {found}").format(
        source=plan["bron"],
        words=ngettext("{n} word", "{n} words", plan["woorden"]).format(n=dutch.number(plan["woorden"])),
        paragraphs=ngettext("{n} paragraph", "{n} paragraphs", plan["alineas"]).format(n=plan["alineas"]),
        found=ngettext("{n} past intervention", "{n} past interventions", found).format(n=found))


def _place(item: dict[str, Any]) -> str:
    place = item["gemeente"] + (f" ({', '.join(item['wijken'])})" if item["wijken"] else "")
    return f"{place} · {item['periode']}"


def _verdict(item: dict[str, Any]) -> str:
    return item["oordeel"] + (f" ({item['voorzichtig']})" if item["voorzichtig"] else "")


def _fields(item: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(label, text, is a quote of the plan) of a precedent below its title and summary, in reading order."""
    labels = _labels()
    fields = [(labels["verdict"], _verdict(item), False), (labels["running"], item["loopt"], False)]
    if item["lessen"]:
        fields.append((labels["lessons"], item["lessen"], False))
    if item["kennisdragers"]:
        fields.append((labels["holders"], "; ".join(item["kennisdragers"]), False))
    for match in item["alineas"]:
        fields.append((labels["matched"].format(number=match["nummer"]), match["begin"], True))
    if not item["alineas"]:
        fields.append((labels["whole"], "", False))
    return fields


def render_text(data: dict[str, Any], width: int = 80, bold: Callable[[str], str] = str) -> str:
    """The briefing for a terminal: numbered precedents, then the questions, wrapped at ``width``."""
    width = max(40, min(width, 100))
    lines = [*(bold(line) for line in _wrap("", heading(data), width)), ""]
    if not data["precedenten"]:
        lines.append(_("No past intervention resembles this plan."))
    for number, item in enumerate(data["precedenten"], start=1):
        lines += [bold(line) for line in _wrap(f"{number}. ", f"{item['titel']}  [{item['id']}]", width)]
        indent = " " * len(f"{number}. ")
        lines += _wrap(indent, _place(item), width)
        lines += _wrap(indent, item["samenvatting"], width)
        for label, text, quoted in _fields(item):
            text = f"“{text}”" if quoted else text
            lines += _wrap(indent, f"{label}: {text}" if text else label, width)
        lines.append("")
    if data["precedenten"]:  # no precedent, no questions from them
        lines += _questions_text(data, width, bold)
    return "\n".join(lines).rstrip() + "\n"


def _questions_text(data: dict[str, Any], width: int, bold: Callable[[str], str]) -> list[str]:
    lines = [bold(_("Questions before you start")), ""]  # short: fits any width
    if not data["vragen"]:
        return lines + _wrap("", _("None of these past interventions has stopped: no stop record to learn from."), width)
    for question in data["vragen"]:
        lines += _wrap("- ", question["vraag"], width)
        lines += _wrap("  ", f"{question['waarom']} ({_which(data, question)})", width)
    return lines


def _which(data: dict[str, Any], question: dict[str, Any]) -> str:
    """``zie 1 en 3``: the numbers of the precedents a question comes from."""
    numbers = {item["id"]: number for number, item in enumerate(data["precedenten"], start=1)}
    return _("see {numbers}").format(numbers=dutch.join([str(numbers[i]) for i in question["interventies"]]))


def _wrap(first: str, text: str, width: int) -> list[str]:
    """``text`` wrapped under an indent (``first`` on the first line)."""
    return textwrap.wrap(text, width=width, initial_indent=first, subsequent_indent=" " * len(first),
                         break_long_words=False, break_on_hyphens=False) or [first.rstrip()]


def render_markdown(data: dict[str, Any]) -> str:
    """The briefing as Markdown (for a wiki, a memo, an e-mail)."""
    lines = [f"# {_md(heading(data))}", ""]
    if not data["precedenten"]:
        lines += [_md(_("No past intervention resembles this plan.")), ""]
    for number, item in enumerate(data["precedenten"], start=1):
        lines += [f"## {number}. {_md(item['titel'])} (`{item['id']}`)", "", f"*{_md(_place(item))}*", "",
                  _md(item["samenvatting"]), ""]
        for label, text, quoted in _fields(item):
            text = f"“{text}”" if quoted else text
            lines.append(f"- **{_md(label)}**" + (f": {_md(text)}" if text else ""))
        lines.append("")
    if not data["precedenten"]:  # no precedent, no questions from them
        return "\n".join(lines).rstrip() + "\n"
    lines += [f"## {_md(_('Questions before you start'))}", ""]
    if not data["vragen"]:
        lines.append(_md(_("None of these past interventions has stopped: no stop record to learn from.")))
    for question in data["vragen"]:
        lines.append(f"- **{_md(question['vraag'])}** {_md(question['waarom'])} ({_md(_which(data, question))})")
    return "\n".join(lines).rstrip() + "\n"


def _md(text: str) -> str:
    """Plain text made inert in Markdown: no markup, links or HTML from a plan or an entry."""
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text


def render_html(data: dict[str, Any]) -> str:
    """The briefing as a standalone HTML page (autoescaped template)."""
    from .common import render_template

    return render_template("precedent.html", data=data, heading=heading(data), place=_place, verdict=_verdict,
                           fields=_fields, which=lambda question: _which(data, question))
