"""Three pages for people about to start something: ``toets-uw-plan/``, ``bewijskaart/`` and ``vergelijk/``.

- **Toets uw plan**: a reader pastes a plan and sees the precedents and the
  questions before it starts, computed in the browser (toets.js) from the
  plan model (plan_data.py); nothing leaves the browser.
- **Bewijskaart** (evidence gap map): themes × study design, weakest to
  strongest, each cell the number of interventions with their outcomes and a
  link to the list of them (``bewijskaart/<theme>/<design>/``, paged as the
  other lists); themes tried often but never measured are named in words.
  Fully static.
- **Vergelijk**: 2–4 entries side by side (vergelijk.js, from
  ``vergelijk/data/<id>.json``), ``vergelijk/?ids=a,b,c``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from ..entry import Entry
from ..pages import Page, SiteContext, entry_url, relative_url
from . import dutch
from .charts import stacked_bar_chart
from .common import render_template
from .groups import group
from .listing import EntryTable, Links, page, paged, place_name
from .plan_data import CARDS_DIR, COMPARE_DIR, MODEL_FILE
from .verdict import STRONG_DESIGNS, WEAK_DESIGNS

PLAN_URL = "toets-uw-plan/"
GAP_MAP_URL = "bewijskaart/"
COMPARE_URL = "vergelijk/"
# A theme with at least this many interventions, none of them measured (weak designs only), is "tried often,
# never measured".
OFTEN = 3
# The outcome words of a cell, short enough for a table cell.
OUTCOME_WORDS = {"positief": "positief", "gemengd": "gemengd", "geen-effect": "geen effect",
                 "negatief": "negatief", "onbekend": "onbekend", "te-vroeg": "te vroeg"}


def plan_pages(ctx: SiteContext) -> list[Page]:
    return [plan_page(), gap_map_page(ctx), *gap_cell_pages(ctx), compare_page()]


def _to(here: str):
    def url_to(target: str) -> str:
        if target.endswith("/") or target == "":
            return relative_url(here, target)
        folder, _, name = target.rpartition("/")
        return relative_url(here, folder + "/" if folder else "") + name
    return url_to


def plan_page() -> Page:
    html = render_template("toets_uw_plan.html", url_to=_to(PLAN_URL), model=MODEL_FILE, compare=COMPARE_URL,
                           cards=CARDS_DIR)
    return _described(page(PLAN_URL, "Toets uw plan", html, "Toets uw plan", 15, kind="toets"),
                      "Plak uw plan en zie welke interventies erop lijken, en welke vragen u vooraf moet stellen. "
                      "Uw tekst blijft in uw browser.")


def compare_page() -> Page:
    html = render_template("vergelijk.html", url_to=_to(COMPARE_URL), data=COMPARE_DIR)
    return _described(page(COMPARE_URL, "Interventies vergelijken", html, kind="vergelijk"),
                      "Twee tot vier interventies naast elkaar: plaats, periode, aanpak, bewijs, uitkomst, geld, "
                      "stopverslag en lessen.")


def _described(made: Page, description: str) -> Page:
    made.meta["description"] = description
    return made


@dataclass
class Cell:
    entries: list[Entry] = field(default_factory=list)

    @property
    def outcomes(self) -> Counter:
        return Counter(entry.meta.bewijs.uitkomst for entry in self.entries)


def gap_cells(entries: list[Entry], themes: list[str], designs: list[str]) -> dict[tuple[str, str], Cell]:
    """(theme, design) → the interventions with that theme and study design (an entry counts once per theme)."""
    cells = {(theme, design): Cell() for theme in themes for design in designs}
    for entry in entries:
        for theme in dict.fromkeys(entry.meta.themas):
            key = (theme, entry.meta.bewijs.niveau)
            if key in cells:
                cells[key].entries.append(entry)
    return cells


def gap_map_page(ctx: SiteContext) -> Page:
    vocab = ctx.vocabularies
    themes_vocab, designs_vocab, outcomes_vocab = vocab["themas"], vocab["niveau"], vocab["uitkomst"]
    used_themes = {code for entry in ctx.entries for code in entry.meta.themas}
    used_designs = {entry.meta.bewijs.niveau for entry in ctx.entries}
    themes = [*themes_vocab.codes, *sorted(used_themes - set(themes_vocab.codes))]
    designs = [*designs_vocab.codes, *sorted(used_designs - set(designs_vocab.codes))]
    cells = gap_cells(ctx.entries, themes, designs)
    here = GAP_MAP_URL
    rows = []
    gaps = []
    for theme in themes:
        tried = [cell for (t, _d), cell in cells.items() if t == theme]
        total = sum(len(cell.entries) for cell in tried)
        measured = sum(len(cells[(theme, d)].entries) for d in designs if d not in WEAK_DESIGNS)
        never_measured = total >= OFTEN and measured == 0
        if never_measured:
            gaps.append({"label": themes_vocab.label_of(theme), "count": dutch.count(total, "interventie", "interventies")})
        rows.append({
            "code": theme, "label": themes_vocab.label_of(theme), "total": total, "gap": never_measured,
            "cells": [_cell_view(theme, design, cells[(theme, design)], never_measured, outcomes_vocab) for design in designs],
        })
    columns = [{"code": d, "label": designs_vocab.label_of(d),
                "kind": "zwak" if d in WEAK_DESIGNS else "sterk" if d in STRONG_DESIGNS else "redelijk"} for d in designs]
    chart = stacked_bar_chart(
        "grafiek-bewijskaart", "Interventies per thema en onderzoeksopzet",
        [(row["label"], [len(cells[(row["code"], d)].entries) for d in designs]) for row in rows if row["total"]],
        [column["label"] for column in columns],
        intro="Per thema het aantal interventies, verdeeld naar onderzoeksopzet van zwak naar sterk "
              "(een interventie met meer thema's telt bij elk thema).",
        label_header="Thema",
    )
    measured_labels = dutch.join([c["label"].lower() for c in columns if c["kind"] != "zwak"])
    html = render_template(
        "bewijskaart.html", rows=rows, columns=columns, chart=Markup(chart), gaps=gaps,
        total=dutch.count(len(ctx.entries), "interventie", "interventies"), often=OFTEN,
        measured=measured_labels, url_to=_to(here),
    )
    return _described(page(here, "Bewijskaart", html, "Overzichten", 125, kind="bewijskaart"),
                      "Per thema en onderzoeksopzet hoeveel interventies er zijn, met hun uitkomsten: waar is vaak "
                      "iets geprobeerd maar nooit gemeten?")


def _cell_view(theme: str, design: str, cell: Cell, gap_row: bool, outcomes_vocab) -> dict:
    outcomes = cell.outcomes
    order = [*outcomes_vocab.codes, *sorted(set(outcomes) - set(outcomes_vocab.codes))]
    split = [f"{dutch.number(outcomes[code])} {OUTCOME_WORDS.get(code, outcomes_vocab.label_of(code).lower())}"
             for code in order if outcomes[code]]
    return {
        "url": relative_url(GAP_MAP_URL, cell_url(theme, design)), "count": len(cell.entries),
        "split": ", ".join(split), "gap": gap_row and design not in WEAK_DESIGNS,
    }


def cell_url(theme: str, design: str) -> str:
    return f"{GAP_MAP_URL}{theme}/{design}/"


def gap_cell_pages(ctx: SiteContext) -> list[Page]:
    """A page per cell of the map with interventions: exactly those, in the table of the overviews."""
    vocab = ctx.vocabularies
    themes, designs = vocab["themas"], vocab["niveau"]
    table = EntryTable(group(ctx), vocab)
    cells = gap_cells(ctx.entries, sorted({t for e in ctx.entries for t in e.meta.themas}),
                      sorted({e.meta.bewijs.niveau for e in ctx.entries}))
    pages: list[Page] = []
    for (theme, design), cell in cells.items():
        if not cell.entries:
            continue
        url = cell_url(theme, design)
        label = f"{themes.label_of(theme)}, {designs.label_of(design).lower()}"
        term = designs.terms.get(design)
        head = [f"<p class=\"kb-intro\">{escape(dutch.count(len(cell.entries), 'interventie', 'interventies'))} met het "
                f"thema {escape(themes.label_of(theme).lower())} en als onderzoeksopzet "
                f"{escape(designs.label_of(design).lower())}{escape(': ' + term.uitleg[0].lower() + term.uitleg[1:]) if term and term.uitleg else '.'}</p>"]
        tail = [f'<p><a href="{Links(url).to(GAP_MAP_URL)}">Terug naar de bewijskaart</a></p>']
        caption = f"Interventies met thema {themes.label_of(theme).lower()} en onderzoeksopzet {designs.label_of(design).lower()}"
        pages += paged(url, f"Bewijskaart: {label}", sorted(cell.entries, key=lambda e: (e.meta.titel.casefold(), e.id)),
                       ctx.settings.list_page_size, lambda part, links: table.html(part, links, caption), head, tail)
    return pages
