"""The page of one entry at ``interventies/<id>/``.

The verdict first (did it work and how sure is that, is it still running or
when and why did it stop, and the flags "verloren succes" and "te vroeg
gestopt"), then the summary card with every fact, then the sections, then the links to other entries (lineage from
both sides, related entries), the people who still know, and the sources.
The card carries Pagefind's filter, sort and meta attributes, so the search
index is built from exactly what a reader sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from markupsafe import Markup

from ..search import analysis
from ..entry import Entry
from ..ids import slugify
from ..lineage import successions
from ..parallel import in_slices
from ..pages import Page, SiteContext, entry_url, relative_url
from ..stats import is_lost_success, is_overdue, is_stopped_too_early, years_run
from . import dutch
from .verdict import running_phrase, stop_phrase, verdict
from .common import (
    RenderedSections, entry_link, http_url, render_markdown, render_template, vocabulary_link,
)
from .entry_facts import places_markup, places_text, status_line, stops_view, studies_view

# (kind, direction) of a succession → the label on this entry's page.
# "out": this entry is the source (it came first); "in": it is the target.
LINEAGE_LABELS = {
    ("opvolger", "in"): "Voorganger",
    ("opvolger", "out"): "Opvolger",
    ("opgegaan_in", "out"): "Opgegaan in",
    ("opgegaan_in", "in"): "Hierin opgegaan",
    ("heruitgevonden_als", "out"): "Later opnieuw bedacht als",
    ("heruitgevonden_als", "in"): "Eerder bedacht als",
}
LINEAGE_ORDER = (
    ("opvolger", "in"), ("opvolger", "out"), ("opgegaan_in", "out"), ("opgegaan_in", "in"),
    ("heruitgevonden_als", "in"), ("heruitgevonden_als", "out"),
)
SIMILAR_LABEL = "Lijkt op"
# relaties.methode, from both sides: a local entry and the method (archetype) it implements.
METHOD_LABEL = "Uitvoering van de methode"
LOCAL_LABEL = "Lokale uitvoeringen"


@dataclass
class Lineage:
    """Every entry's links to others, from both sides, derived once for the whole archive."""

    links: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    @classmethod
    def of(cls, entries: list[Entry]) -> "Lineage":
        known = {entry.id for entry in entries}
        lineage = cls()
        for link in successions(entries):
            lineage._add(link.source, LINEAGE_LABELS[(link.kind, "out")], link.target)
            lineage._add(link.target, LINEAGE_LABELS[(link.kind, "in")], link.source)
        for entry in entries:
            method = entry.meta.relaties.methode
            if method in known and method != entry.id:
                lineage._add(entry.id, METHOD_LABEL, method)
                lineage._add(method, LOCAL_LABEL, entry.id)
            for other in entry.meta.relaties.lijkt_op:
                if other in known and other != entry.id:
                    lineage._add(entry.id, SIMILAR_LABEL, other)
                    lineage._add(other, SIMILAR_LABEL, entry.id)
        return lineage

    def _add(self, entry_id: str, label: str, other: str) -> None:
        targets = self.links.setdefault(entry_id, {}).setdefault(label, [])
        if other not in targets:
            targets.append(other)

    def of_entry(self, entry_id: str) -> list[tuple[str, list[str]]]:
        """Each linked entry once, under its most specific relation (a successor is not also a look-alike)."""
        found = self.links.get(entry_id, {})
        labels = [METHOD_LABEL, LOCAL_LABEL] + [LINEAGE_LABELS[key] for key in LINEAGE_ORDER] + [SIMILAR_LABEL]
        listed: set[str] = set()
        linked = []
        for label in labels:
            others = [other for other in found.get(label, []) if other not in listed]
            listed.update(others)
            if others:
                linked.append((label, others))
        return linked


def sort_key(entry: Entry) -> str:
    """Pagefind's sort value: the first day of the period, so text order is date order (an uncertain start
    by its bounds, "ca. 1989" by 1989; an unknown start by the entry's first known year)."""
    return entry.sort_key[0].isoformat()


@dataclass
class _Job:
    """What every slice of the entry pages needs; inherited by forked workers, never pickled."""

    ctx: SiteContext
    by_id: dict[str, Entry]
    lineage: Lineage
    sections: RenderedSections
    synonyms: analysis.Synonyms


def entry_pages(ctx: SiteContext) -> list[Page]:
    """One page per entry; large archives are rendered on several processes (``parallel``)."""
    # The lexicon is loaded here, before any fork, so that worker processes share it.
    analysis.default_lexicon()
    job = _Job(ctx, ctx.by_id(), Lineage.of(ctx.entries), RenderedSections(ctx.settings.cache_dir),
               analysis.archive_synonyms(ctx.settings.synonyms))
    pages: list[Page] = []
    for more, rendered in in_slices(_render_slice, job, ctx.entries):
        pages += more
        job.sections.new.update(rendered)
    job.sections.save()
    return pages


def _render_slice(job: _Job, entries: list[Entry]) -> tuple[list[Page], dict[str, list[str]]]:
    terms: dict[tuple[str, str, str | None], Markup] = {}
    pages = [_entry_page(job.ctx, entry, job.by_id, job.lineage, terms, job.sections, job.synonyms) for entry in entries]
    return pages, {entry.digest: job.sections.new[entry.digest] for entry in entries}


def _entry_page(ctx: SiteContext, entry: Entry, by_id: dict[str, Entry], lineage: Lineage,
                terms: dict[tuple[str, str, str | None], Markup], sections: RenderedSections,
                synonyms: analysis.Synonyms) -> Page:
    here = entry_url(entry.id)
    meta = entry.meta
    vocab = ctx.vocabularies
    used: dict[tuple[str, str], None] = {}

    def term(name: str, code: str, pagefind: str | None = None) -> Markup:
        # Entry pages are siblings, so a value's link is the same on every one of them: make it once.
        used[(name, code)] = None
        key = (name, code, pagefind)
        if key not in terms:
            terms[key] = vocabulary_link(here, vocab[name], code, described_by=f"uitleg-{name}-{code}", pagefind=pagefind)
        return terms[key]

    def link(entry_id: str) -> dict:
        other = by_id[entry_id]
        return {
            "id": entry_id,
            "title": other.meta.titel,
            "link": entry_link(here, entry_id, other.meta.titel),
            "where": f"{places_text(other.meta.plaatsen)}, {dutch.period(other)}",
        }

    stopped_early = is_stopped_too_early(entry)
    judged = verdict(entry, vocab)
    linked = lineage.of_entry(entry.id)
    shown = {other for _label, others in linked for other in others}
    view = {
        "id": entry.id,
        "meta": meta,
        "status": term("status", meta.status, pagefind="status"),
        "period": _period(entry),
        "sort": sort_key(entry),
        "place": places_markup(here, meta.plaatsen),
        "places": places_text(meta.plaatsen),
        "several_places": len(meta.plaatsen) > 1,
        "status_as_of": status_line(entry),
        "studies": studies_view(entry, vocab),
        "place_stops": stops_view(entry, vocab),
        "themes": [term("themas", code, pagefind="thema") for code in meta.themas],
        "groups": [term("doelgroepen", code) for code in meta.doelgroepen],
        "verdict": {
            "phrase": judged.phrase,
            "caution": judged.caution,
            "design": judged.design,
            "running": running_phrase(entry, vocab),
            "stopped": stop_phrase(entry, vocab),
            "lost_success": relative_url(here, "verloren-successen/") if is_lost_success(entry) else None,
            "too_early": relative_url(here, "te-vroeg-gestopt/") if stopped_early else None,
        },
        "strength": judged.strength,
        "design": term("niveau", meta.bewijs.niveau),
        "outcome": term("uitkomst", meta.bewijs.uitkomst, pagefind="uitkomst"),
        "scale": term("schaal", meta.bewijs.schaal) if meta.bewijs.schaal else None,
        "recognition": term("erkenning", meta.bewijs.erkenning) if meta.bewijs.erkenning else None,
        "effect_after": dutch.years(meta.bewijs.effect_na_jaren) if meta.bewijs.effect_na_jaren is not None else None,
        "stopped_early": dutch.years(years_run(entry) or 0) if stopped_early else None,
        "funding": _funding(meta, term),
        "stop": _stop(meta, term),
        "reviewed": dutch.date(meta.laatst_beoordeeld) if meta.laatst_beoordeeld else None,
        "overdue": meta.beoordeeld and is_overdue(entry, ctx.settings.review_interval_days, ctx.today),
        "origin": _origin(meta.herkomst),
        "preamble": render_markdown(entry.source.preamble) if entry.source.preamble.strip() else None,
        "sections": [
            {"title": section.title, "anchor": _anchor(section.title), "html": html}
            for section, html in zip(entry.sections, sections.get(entry.digest, [s.text for s in entry.sections]))
        ],
        "lineage": [(label, [link(other) for other in others if other in by_id]) for label, others in linked],
        # Related entries that the lineage already shows are not repeated.
        "related": [
            link(other) for other, _score in ctx.related.get(entry.id, [])
            if other in by_id and other != entry.id and other not in shown
        ],
        "compare": relative_url(here, "vergelijk/"),
        "people": [_person(person) for person in meta.kennisdragers],
        "sources": [
            {"titel": source.titel, "jaar": source.jaar, "url": http_url(source.url)} for source in meta.bronnen
        ],
        "history_url": _configured_url(ctx.settings.history_url, entry.id),
        "edit_url": _configured_url(ctx.settings.edit_url, entry.id),
        "review_interval": dutch.years(ctx.settings.review_interval_days / 365.25),
        "expansion": search_expansion(entry, synonyms),
    }
    view["glossary"] = [
        {"id": f"uitleg-{name}-{code}", "label": vocab[name].label_of(code), "kind": vocab[name].label,
         "uitleg": vocab[name].terms[code].uitleg if code in vocab[name].terms else ""}
        for name, code in used
    ]
    html = render_template("entry.html", e=view)
    return Page(
        url=here,
        title=meta.titel,
        html=html,
        nav=None,
        searchable=True,
        meta={"description": meta.samenvatting},
    )


def search_expansion(entry: Entry, synonyms: analysis.Synonyms) -> str:
    """Words Pagefind indexes beside the entry's own text (hidden from readers): the parts of its
    compounds and the thesaurus terms of its words, from the same Dutch analysis as `search`."""
    meta = entry.meta
    text = "\n".join([
        meta.titel, meta.samenvatting, entry.source.preamble, *(section.title for section in entry.sections),
        *(section.text for section in entry.sections), *meta.wijken, *meta.organisaties,
        *(source.titel for source in meta.bronnen),
    ])
    return " ".join(analysis.expansion_terms(text, synonyms=synonyms))


def _period(entry: Entry) -> str:
    """``maart 2012 tot en met december 2016``; with an uncertain date as the sources give it:
    ``ca. 1989 – 1995 of 1996``, ``onbekend – 2004``, ``begin onbekend, loopt nog``."""
    start = dutch.partial_date(entry.meta.periode.start)
    end = entry.meta.periode.eind
    if end:
        if entry.start.certain and entry.end.certain:
            return f"{start} tot en met {dutch.partial_date(end)}"
        return f"{start} – {dutch.partial_date(end)}"
    running = entry.meta.status == "lopend"
    # A status reported by an older source: "liep nog in 2019", not a claim about today.
    still = f"liep nog in {dutch.partial_date(entry.meta.status_volgens)}" if entry.meta.status_volgens else "loopt nog"
    if not entry.start.known:
        return f"begin onbekend, {still}" if running else "begin en einde onbekend"
    return f"sinds {start}, {still}" if running else f"vanaf {start}, einde onbekend"


def _funding(meta, term) -> dict | None:
    funding = meta.financiering
    if funding is None:
        return None
    plan = {True: "ja", False: "nee", None: None}[funding.vervolgplan]
    return {
        "kind": term("financiering", funding.soort) if funding.soort else None,
        "sources": funding.bronnen,
        "plan": plan,
    }


def _stop(meta, term) -> dict | None:
    stop = meta.beeindiging
    if stop is None:
        return None
    return {
        "date": dutch.partial_date(stop.datum),
        "reasons": [term("stopredenen", code, pagefind="stopreden") for code in stop.redenen],
        "by": stop.besloten_door,
    }


def _person(person) -> dict:
    # A personal name only with recorded consent (AVG): the checker enforces it, we enforce it again.
    name = person.naam if person.naam and person.toestemming else None
    return {"rol": person.rol, "organisatie": person.organisatie, "naam": name}


def _configured_url(template: str | None, entry_id: str) -> str | None:
    if not template:
        return None
    return http_url(template.replace("{id}", entry_id))


@lru_cache(maxsize=64)
def _anchor(title: str) -> str:
    return slugify(title) or "sectie"


def _origin(herkomst) -> str | None:
    """Where an imported entry came from, in words: 'projecten.xlsx (blad Blad1, rij 14)'."""
    if herkomst is None:
        return None
    if herkomst.blad:
        return f"{herkomst.bestand} (blad {herkomst.blad}, rij {herkomst.rij})"
    return f"{herkomst.bestand} (rij {herkomst.rij})"
