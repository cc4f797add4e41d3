"""One spreadsheet row as an entry: cell values read as the entry format wants them.

Dates as people write them (a date cell, 2012, 2012.0, "maart 2012", "1-3-2012"; the
format's uncertain dates pass as written), free Dutch words mapped to vocabulary codes
(with a did-you-mean), lists split at semicolons and commas, free text to its section.
A contact person's name is never copied (no consent date): the entry records the role
and the organisation only. Every key remembers the column it came from, so that the
checker's problems can be shown at their cell.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any, Mapping as TypingMapping

from .entry import SECTION_TITLES, STOP_SECTION, is_valid_id
from .i18n import _
from . import import_cells as cells
from .import_cells import NOBODY, date_value, guess_themes, text_of
from .import_mapping import VALUE_SYNONYMS, VOCABULARY_OF, Mapping, normalise
from .scaffold import PROMPTS, slugify
from .spreadsheet import Row, Table
from .vocabulary import Vocabulary

# Keys that hold one code: their cell is never split into several words.
_ONE_CODE = ("status", "financiering.soort", "bewijs.niveau", "bewijs.uitkomst", "bewijs.schaal", "bewijs.erkenning")
# Words for "the whole town" in a district column: not a district.
_WHOLE_CITY = {"hele stad", "gehele stad", "stadsbreed", "heel de stad", "alle wijken", "stedelijk", "gemeentebreed"}
_LIST_SPLIT = re.compile(r"\s*(?:[;\n]|,(?!\d))\s*")
_CODE_SPLIT = re.compile(r"\s*(?:[;,/\n+&]| en )\s*")
_PLACE_SPLIT = re.compile(r"\s*(?:[;\n/]|,(?!\d)| en | & )\s*")


class RowReader:
    """Reads one row into (front matter, sections, id); ``problems`` and ``notes`` say what went wrong or changed."""

    def __init__(self, vocabularies: TypingMapping[str, Vocabulary], mapping: Mapping, table: Table, row: Row,
                 today: dt.date) -> None:
        self.vocabularies = vocabularies
        self.mapping = mapping
        self.table = table
        self.row = row
        self.today = today
        self.origin: dict[str, str] = {}  # dotted key or section title → column letter
        self.problems: list[tuple[str | None, str, str]] = []  # (column, key, message)
        self.warnings: list[tuple[str | None, str, str]] = []  # the same, for what is imported all the same
        self.column_of: dict[str, str] = {}  # key or section → its column, also where the cell is empty
        self.notes: list[str] = []
        self.budget = ""  # a line for the Aanpak section
        self.study_source = ""  # a report named in the research column: one more source

    # ---- values -----------------------------------------------------------------------------

    def codes(self, key: str, value: Any, column: str | None) -> list[str]:
        """Codes of the vocabulary of ``key`` for a cell that holds one or several words.

        A word that is not known is reported here and kept as written, so that the checker finds the
        key present (its own message about the value is then left out)."""
        vocabulary = self.vocabularies[VOCABULARY_OF[key]]
        words = [value] if key in _ONE_CODE or not isinstance(value, str) else [
            w for w in _CODE_SPLIT.split(value) if w.strip()]
        if key not in _ONE_CODE and isinstance(value, str) and self.code(vocabulary, value, False):
            words = [value]  # a label with a comma or 'en' in it ("Individu en wijk")
        found = []
        for word in words:
            code = self.code(vocabulary, text_of(word))
            if code is None and key == "beeindiging.redenen":
                # Everyday words for a stop reason that match no code: kept in the stop section, reason 'onbekend'.
                self.warnings.append((column, key, _(
                    "{value!r} is not a known {label}; imported as 'onbekend', the words are kept in the section "
                    "'## Waarom gestopt' (or add the word under 'waarden:' in a mapping file)").format(
                    value=text_of(word), label=vocabulary.label.lower())))
                continue
            if code is None:
                self.problems.append((column, key, self._unknown(vocabulary, text_of(word))))
            found.append(code or text_of(word))
        return list(dict.fromkeys(found))

    def code(self, vocabulary: Vocabulary, word: str, loose: bool = True) -> str | None:
        """The code for ``word``: a code, a label, or a known phrase (``loose``: also inside a longer text)."""
        key = normalise(word)
        if not key:
            return None
        for term in vocabulary:
            if key in (normalise(term.code), normalise(term.label)):
                return term.code
        mapped = self.mapping.word(vocabulary.name, word)
        if mapped in vocabulary:
            return mapped
        if loose and vocabulary.name in ("stopredenen", "status", "niveau"):
            phrases = {**VALUE_SYNONYMS.get(vocabulary.name, {}), **self.mapping.values.get(vocabulary.name, {})}
            for phrase in sorted(phrases, key=len, reverse=True):
                if len(phrase) > 3 and re.search(rf"\b{re.escape(phrase)}\b", key) and phrases[phrase] in vocabulary:
                    return phrases[phrase]
        return None

    def _unknown(self, vocabulary: Vocabulary, word: str) -> str:
        phrases = {**VALUE_SYNONYMS.get(vocabulary.name, {}), **self.mapping.values.get(vocabulary.name, {})}
        close = difflib.get_close_matches(normalise(word), list(phrases), n=1, cutoff=0.75)
        suggestion = phrases[close[0]] if close and phrases[close[0]] in vocabulary else vocabulary.suggest(word)
        message = _("{value!r} is not a known {label}; expected one of {codes}").format(
            value=word, label=vocabulary.label.lower(), codes=", ".join(vocabulary.codes))
        if suggestion:
            message += "; " + _("did you mean {suggestion!r}?").format(suggestion=suggestion)
        return message + " " + _("(or add the word under 'waarden:' in a mapping file)")

    # ---- the row ----------------------------------------------------------------------------

    def read(self, columns: list[tuple[str, str, str | None]]) -> tuple[dict[str, Any], dict[str, str], str | None]:
        values: dict[str, list[tuple[str | None, Any]]] = {}
        for key, value in self.mapping.fixed.items():
            values.setdefault(key, []).append((None, value))
        for column, _header, target in columns:
            if target:
                self.column_of.setdefault(target, column)
            if target and column in self.row.cells:
                if any(c is None for c, _v in values.get(target, [])):
                    values[target] = []  # the sheet's own value replaces the mapping file's fixed one
                values.setdefault(target, []).append((column, self.row.cells[column]))
        meta: dict[str, Any] = {}
        sections: dict[str, list[str]] = {title: [] for title in SECTION_TITLES}

        def first(key: str) -> tuple[str | None, Any]:
            column, value = values.get(key, [(None, None)])[0]
            if column:
                self.origin[key] = column
            return column, value

        def put(path: str, value: Any, column: str | None = None) -> None:
            if value in (None, "", []):
                return
            node = meta
            *parents, last = path.split(".")
            for parent in parents:
                node = node.setdefault(parent, {})
            node[last] = value
            if column:
                self.origin.setdefault(path, column)

        column, titel = first("titel")
        titel = " ".join(text_of(titel).split())
        put("titel", titel, column)
        column, summary = first("samenvatting")
        put("samenvatting", " ".join(text_of(summary).split()), column)
        column, place = first("gemeente")
        places = [p for p in _PLACE_SPLIT.split(text_of(place)) if p] if isinstance(place, str) else (
            [text_of(p) for p in place] if isinstance(place, list) else [text_of(place)] if place else [])
        put("gemeente", places[0] if len(places) == 1 else places, column)
        self._list("wijken", values, put, _PLACE_SPLIT)
        whole = [w for w in meta.get("wijken", []) if normalise(w) in _WHOLE_CITY]
        if whole:
            meta["wijken"] = [w for w in meta["wijken"] if w not in whole] or None
            if meta["wijken"] is None:
                del meta["wijken"]
            self.warnings.append((self.origin.get("wijken"), "wijken", _(
                "{value!r} is not a district; left out of wijken").format(value=whole[0])))
        for key in ("periode.start", "periode.eind"):
            column, value = first(key)
            put(key, date_value(value) if value not in (None, "") else None, column)
        column, status = first("status")
        status_code = self.codes("status", status, column)[:1] if status not in (None, "") else ["onbekend"]
        put("status", status_code[0] if status_code else text_of(status), column)
        column, as_of = first("status_volgens")
        put("status_volgens", date_value(as_of) if as_of not in (None, "") else None, column)
        column, told_by = first("status_bron")
        put("status_bron", text_of(told_by) or None, column)
        for key in ("themas", "doelgroepen"):
            column, value = first(key)
            if value not in (None, ""):
                put(key, value if isinstance(value, list) else self.codes(key, value, column), column)
        self._list("organisaties", values, put, _LIST_SPLIT)
        self._financing(values, first, put, sections)
        self._evidence(first, put)
        self._stop(values, first, put, meta, sections)
        self._studies_and_place_stops(first, put)
        for key in ("relaties.voorganger", "relaties.opvolger", "relaties.opgegaan_in", "relaties.methode"):
            column, value = first(key)
            put(key, text_of(value) or None, column)
        for key in ("relaties.lijkt_op", "relaties.heruitgevonden_als"):
            self._list(key, values, put, _LIST_SPLIT)
        self._people(values, put)
        self._sources(values, first, put)
        column, reviewed = first("laatst_beoordeeld")
        put("laatst_beoordeeld", date_value(reviewed) if reviewed not in (None, "") else None, column)
        column, example = first("voorbeeld")
        if example not in (None, ""):
            put("voorbeeld", normalise(text_of(example)) in ("ja", "true", "waar", "1", "yes"), column)
        for title in SECTION_TITLES:
            for column, value in values.get(title, []):
                text = text_of(value)
                if text:
                    sections[title].append(text)
                    if column:
                        self.origin.setdefault(title, column)
        if not meta.get("themas"):
            themes = guess_themes(self.vocabularies["themas"], " ".join([titel, *sum(sections.values(), [])]))
            if themes:
                put("themas", themes)
                self.notes.append(_("themas: derived from the words of the row ({themes}); check them").format(
                    themes=", ".join(themes)))
            else:
                self.problems.append((self.column_of.get("themas"), "themas", _(
                    "no theme: the sheet has no theme column and the row's words name none; add a column Thema, "
                    "or 'vast: {{themas: [...]}}' in a mapping file").format()))
        if self.budget:
            sections["Aanpak"].append(self.budget)
            self.origin.setdefault("Aanpak", self.origin.get("budget", ""))
        stopped = meta.get("status") == "gestopt"
        if not meta.get("samenvatting"):
            derived = cells.summary_from(sections)
            if derived:
                put("samenvatting", derived)
                self.origin["samenvatting"] = self.origin.get("Aanpak") or self.origin.get("Context", "")
                self.notes.append(_("samenvatting: taken from the description"))
        meta["beoordeeld"] = False
        meta["herkomst"] = {
            "bestand": self.table.file, **({"blad": self.table.sheet} if self.table.sheet else {}),
            "rij": self.row.number, "geimporteerd": self.today.isoformat(),
        }
        meta.setdefault("bronnen", []).append({"titel": self._citation()})
        ordered = cells.ordered(meta)
        texts = {
            title: "\n\n".join(parts) if parts else f"<!-- schrijfhulp: {PROMPTS[title]} -->"
            for title, parts in sections.items() if title != STOP_SECTION or stopped or parts
        }
        column, given_id = first("id")
        entry_id = text_of(given_id) if given_id and is_valid_id(text_of(given_id)) else slugify(titel)
        if given_id and not is_valid_id(text_of(given_id)):
            self.notes.append(_("id: {value!r} is not a valid id; {id!r} taken from the title").format(
                value=text_of(given_id), id=entry_id))
        if titel and not entry_id:
            self.problems.append((self.origin.get("titel"), "titel",
                                  _("{title!r} gives no usable id; use letters or digits").format(title=titel)))
        return ordered, texts, entry_id or None

    def _citation(self) -> str:
        where = f"{self.table.file}, " + (_("sheet {sheet}, ").format(sheet=self.table.sheet) if self.table.sheet else "")
        return where + _("row {row} (imported {date})").format(row=self.row.number, date=self.today.isoformat())

    def _list(self, key: str, values, put, split: re.Pattern) -> None:
        items: list[str] = []
        column = None
        for column_of, value in values.get(key, []):
            column = column or column_of
            items += value if isinstance(value, list) else [p for p in split.split(text_of(value)) if p]
        put(key, list(dict.fromkeys(items)), column)

    def _financing(self, values, first, put, sections) -> None:
        column, kind = first("financiering.soort")
        if kind not in (None, ""):
            codes = self.codes("financiering.soort", kind, column)
            put("financiering.soort", codes[0] if codes else None, column)
        self._list("financiering.bronnen", values, put, _LIST_SPLIT)
        column, plan = first("financiering.vervolgplan")
        if plan not in (None, ""):
            put("financiering.vervolgplan", normalise(text_of(plan)) in ("ja", "true", "waar", "1"), column)
        column, budget = first("budget")
        if budget not in (None, "") and normalise(text_of(budget)) not in NOBODY:
            if isinstance(budget, str) and re.fullmatch(r"\d+", budget.strip()):
                budget = int(budget)
            amount = f"€ {budget:,.0f}".replace(",", ".") if isinstance(budget, (int, float)) else text_of(budget)
            self.budget = _("Budget: {amount}.").format(amount=amount)

    def _evidence(self, first, put) -> None:
        column, value = first("bewijs.niveau")
        vocabulary = self.vocabularies["niveau"]
        design = self.code(vocabulary, text_of(value)) if value not in (None, "") else "geen"
        if design is None:
            # A report named in the cell ("evaluatie 2012 'Orde op zaken'"): something was looked at, how is
            # not said. The weakest design that is more than nothing, and the report kept as a source.
            design = "praktijkervaring"
            self.warnings.append((column, "bewijs.niveau", _(
                "{value!r} does not say how the effect was studied; imported as 'praktijkervaring' and kept "
                "as a source in bronnen").format(value=text_of(value))))
        if value not in (None, "") and normalise(text_of(value)) not in {
                normalise(t.code) for t in vocabulary} | {normalise(t.label) for t in vocabulary} | {"geen", "nee", ""}:
            self.study_source = text_of(value)
        put("bewijs.niveau", design, column)
        column, value = first("bewijs.uitkomst")
        codes = self.codes("bewijs.uitkomst", value, column)[:1] if value not in (None, "") else ["onbekend"]
        put("bewijs.uitkomst", codes[0] if codes else "onbekend", column)
        for key in ("bewijs.schaal", "bewijs.erkenning"):
            column, value = first(key)
            if value not in (None, ""):
                codes = self.codes(key, value, column)
                put(key, codes[0] if codes else None, column)
        column, years = first("bewijs.effect_na_jaren")
        if years not in (None, ""):
            put("bewijs.effect_na_jaren", int(years) if text_of(years).isdigit() else text_of(years), column)

    def _stop(self, values, first, put, meta, sections) -> None:
        column, reasons = first("beeindiging.redenen")
        codes = self.codes("beeindiging.redenen", reasons, column) if reasons not in (None, "") else []
        date_column, date = first("beeindiging.datum")
        stopped = meta.get("status") == "gestopt"
        if not stopped:
            if codes or date not in (None, ""):
                self.problems.append((column or date_column, "beeindiging.redenen", _(
                    "a stop reason is only for status 'gestopt'; the status of this row is {status!r}").format(
                    status=meta.get("status"))))
            return
        if date in (None, ""):
            date_column = self.origin.get("periode.eind")
            date = (meta.get("periode") or {}).get("eind")
        put("beeindiging.datum", date_value(date) if date not in (None, "") else None, date_column)
        if "beeindiging" not in meta:
            self.problems.append((self.origin.get("status"), "beeindiging.datum", _(
                "status is 'gestopt' but the row has no end date; fill in the end date")))
        put("beeindiging.redenen", codes or ["onbekend"], column)
        column, by = first("beeindiging.besloten_door")
        put("beeindiging.besloten_door", text_of(by) or None, column)
        if reasons not in (None, "") and not values.get(STOP_SECTION) and normalise(text_of(reasons)) not in {
                normalise(c) for c in codes}:
            sections[STOP_SECTION].append(_("Reason given in the spreadsheet: {words}").format(words=text_of(reasons)))

    def _studies_and_place_stops(self, first, put) -> None:
        """The export's 'Studies' and 'Beëindigd in' cells: one line each, fields joined by ' | ', free text last."""
        column, cell = first("bewijs.studies")
        studies = []
        for line in text_of(cell).split("\n"):
            if not line.strip():
                continue
            jaar, design, outcome, scale, url, source = (line.split("|", 5) + [""] * 6)[:6]
            study: dict[str, Any] = {}
            if jaar.strip():
                study["jaar"] = int(jaar) if jaar.strip().isdigit() else jaar.strip()
            study["ontwerp"] = self._one("bewijs.niveau", "niveau", design, column)
            study["uitkomst"] = self._one("bewijs.uitkomst", "uitkomst", outcome, column)
            if scale.strip():
                study["schaal"] = self._one("bewijs.schaal", "schaal", scale, column)
            study["bron"] = source.strip()
            if url.strip():
                study["url"] = url.strip()
            studies.append(study)
        put("bewijs.studies", studies, column)
        column, cell = first("beeindigd_in")
        stops = []
        for line in text_of(cell).split("\n"):
            if not line.strip():
                continue
            place, date, reasons, note = (line.split("|", 3) + [""] * 4)[:4]
            stop: dict[str, Any] = {"plaats": place.strip(), "datum": date_value(date.strip()),
                                    "redenen": self.codes("beeindiging.redenen", reasons.strip(), column)}
            if note.strip():
                stop["toelichting"] = note.strip()
            stops.append(stop)
        put("beeindigd_in", stops, column)

    def _one(self, key: str, vocabulary: str, word: str, column: str | None) -> str:
        code = self.code(self.vocabularies[vocabulary], word.strip(), loose=False)
        if code is None:
            self.problems.append((column, key, self._unknown(self.vocabularies[vocabulary], word.strip())))
        return code or word.strip()

    def _people(self, values, put) -> None:
        holders: list[dict[str, Any]] = []
        column = None
        for column_of, value in values.get("kennisdragers", []):
            column = column or column_of
            for line in text_of(value).split("\n"):
                holder = cells.holder(line.strip())
                if holder:
                    holders.append(holder)
        for column_of, value in values.get("contactpersoon", []):
            column = column or column_of
            for part in re.split(r"\s*[;\n]\s*", text_of(value)):
                holder = cells.contact(part)
                if holder is None:
                    continue
                holders.append(holder)
                if holder.pop("_name", False):
                    self.notes.append(_("naam: the contact person's name was not copied (no consent date); "
                                        "only the role{organisation} is recorded").format(
                        organisation=_(" and the organisation") if "organisatie" in holder else ""))
        put("kennisdragers", holders, column)

    def _sources(self, values, first, put) -> None:
        sources: list[dict[str, Any]] = []
        column = None
        for column_of, value in values.get("bronnen", []):
            column = column or column_of
            for line in text_of(value).split("\n"):
                source = cells.source(line.strip())
                if source:
                    sources.append(source)
        if self.study_source:
            sources.append({"titel": self.study_source})
            column = column or self.origin.get("bewijs.niveau")
        put("bronnen", sources, column)
