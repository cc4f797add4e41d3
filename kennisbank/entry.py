"""The entry model: one typed definition for the checker, the JSON Schema and the site.

Vocabulary fields are plain strings in the model and checked against the
archive's vocabularies (passed as validation context), so an archive can
extend them; the JSON Schema gets their codes as enums. The typed values
(ids, dates, places, links, codes) live in fields.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Optional

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

from .dates import (  # noqa: F401 - part of the model's API
    MAX_YEAR, MIN_YEAR, DateValue, parse_partial_date, partial_date_bounds, read_date,
)
from .fields import (  # noqa: F401 - part of the model's API
    EntryId, FullDate, HttpUrl, PartialDate, Places, SourceDate, Text, Vocab,
)
from .i18n import _
from .ids import ID_MAX_LENGTH, ID_PATTERN, is_valid_id  # noqa: F401 - part of the model's API
from .reader import Section, SourceFile

SUMMARY_MAX_LENGTH = 400
SECTION_TITLES = ("Context", "Aanpak", "Resultaten", "Waarom gestopt", "Lessen")
STOP_SECTION = "Waarom gestopt"

class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _empty_means_absent(cls, data: Any) -> Any:
        """An optional key left empty (``wijken:``) counts as not given; a required one stays an error."""
        if not isinstance(data, dict):
            return data
        return {
            key: value for key, value in data.items()
            if value is not None or key not in cls.model_fields or cls.model_fields[key].is_required()
        }


class Periode(_Model):
    start: SourceDate
    eind: Optional[SourceDate] = None


class Financiering(_Model):
    soort: Optional[Vocab("financiering")] = None
    bronnen: list[Text] = []
    vervolgplan: Optional[bool] = None


class Studie(_Model):
    """One study of the intervention: its design and outcome, and where it is published."""

    jaar: Optional[Annotated[int, Field(ge=1800, le=2100)]] = None
    ontwerp: Vocab("niveau")
    uitkomst: Vocab("uitkomst")
    schaal: Optional[Vocab("schaal")] = None
    bron: Text
    url: Optional[HttpUrl] = None


# Outcomes that say nothing about an effect: studies with them do not disagree with the others.
SILENT_OUTCOMES = frozenset({"onbekend", "te-vroeg"})


def derive_evidence(studies: list[Studie], designs: list[str]) -> tuple[str, str] | None:
    """(niveau, uitkomst) from studies: the strongest design (last in ``designs``, the vocabulary's order) and
    the outcome of the studies with that design if they agree, else ``gemengd``. None without studies."""
    if not studies:
        return None
    rank = {code: index for index, code in enumerate(designs)}
    strongest = max(studies, key=lambda study: rank.get(study.ontwerp, -1)).ontwerp
    outcomes = {study.uitkomst for study in studies if study.ontwerp == strongest}
    return strongest, (outcomes.pop() if len(outcomes) == 1 else "gemengd")


class Bewijs(_Model):
    """The evidence: stated (niveau, uitkomst), or derived from ``studies`` when those are left out."""

    model_config = ConfigDict(json_schema_extra={"anyOf": [
        {"required": ["niveau", "uitkomst"]},
        {"required": ["studies"], "properties": {"studies": {"type": "array", "minItems": 1}}},
    ]})

    niveau: Optional[Vocab("niveau")] = None
    uitkomst: Optional[Vocab("uitkomst")] = None
    schaal: Optional[Vocab("schaal")] = None
    erkenning: Optional[Vocab("erkenning")] = None
    effect_na_jaren: Optional[Annotated[int, Field(ge=0, le=100)]] = None
    studies: list[Studie] = []
    _derived: frozenset[str] = PrivateAttr(frozenset())

    @model_validator(mode="after")
    def _stated_or_derived(self, info: ValidationInfo) -> "Bewijs":
        derived = self.derived(_designs(info))
        missing = [key for key in ("niveau", "uitkomst") if getattr(self, key) is None]
        if missing and derived is None:
            raise PydanticCustomError(
                "evidence_missing", _("{keys} missing and no studies to derive them from"),
                {"keys": ", ".join(missing), "missing": tuple(missing)},
            )
        for key in missing:
            setattr(self, key, derived[0] if key == "niveau" else derived[1])
        self._derived = frozenset(missing)
        return self

    def derived(self, designs: list[str] | None = None) -> tuple[str, str] | None:
        """(niveau, uitkomst) as the studies give them, or None without studies."""
        return derive_evidence(self.studies, designs if designs is not None else _designs(None))

    def is_stated(self, key: str) -> bool:
        """Whether the entry wrote ``niveau`` or ``uitkomst`` itself (else it was derived from the studies)."""
        return key not in self._derived

    @property
    def disagree(self) -> bool:
        """Whether studies found different effects (studies that could not tell are left out)."""
        return len({study.uitkomst for study in self.studies} - SILENT_OUTCOMES) > 1


def _designs(info: ValidationInfo | None) -> list[str]:
    vocabularies = (info.context or {}).get("vocabularies") if info is not None else None
    if vocabularies is None:
        from .vocabulary import default_vocabularies

        vocabularies = default_vocabularies()
    return vocabularies["niveau"].codes


class Beeindiging(_Model):
    datum: SourceDate
    redenen: Annotated[list[Vocab("stopredenen")], Field(min_length=1)]
    besloten_door: Optional[Text] = None


class Stop(_Model):
    """The intervention stopped in one place (``beeindigd_in``) while it may run on elsewhere."""

    plaats: Text
    datum: SourceDate
    redenen: Annotated[list[Vocab("stopredenen")], Field(min_length=1)]
    toelichting: Optional[Text] = None


class Relaties(_Model):
    voorganger: Optional[EntryId] = None
    opvolger: Optional[EntryId] = None
    opgegaan_in: Optional[EntryId] = None
    lijkt_op: list[EntryId] = []
    heruitgevonden_als: list[EntryId] = []
    # The method (archetype, national method) this local entry implements.
    methode: Optional[EntryId] = None

    def targets(self) -> list[tuple[str, int | None, str]]:
        """(key, index or None, target id) for every link."""
        return relation_targets(self.model_dump())


# The keys of ``relaties``: one target each, or a list of targets.
SINGLE_RELATIONS = ("voorganger", "opvolger", "opgegaan_in", "methode")
LIST_RELATIONS = ("lijkt_op", "heruitgevonden_als")


def relation_targets(relaties: Any) -> list[tuple[str, int | None, str]]:
    """(key, index or None, target id) for every well-formed link in a ``relaties`` mapping, typed or raw.

    Raw front matter works too, so the links of an entry with other errors are still checked.
    """
    if not isinstance(relaties, dict):
        return []
    links: list[tuple[str, int | None, str]] = []
    for key in SINGLE_RELATIONS:
        value = relaties.get(key)
        if isinstance(value, str) and is_valid_id(value.strip()):
            links.append((key, None, value.strip()))
    for key in LIST_RELATIONS:
        values = relaties.get(key)
        if isinstance(values, list):
            links += [
                (key, index, value.strip()) for index, value in enumerate(values)
                if isinstance(value, str) and is_valid_id(value.strip())
            ]
    return links


class Kennisdrager(_Model):
    rol: Text
    organisatie: Optional[Text] = None
    naam: Optional[Text] = None
    toestemming: Optional[FullDate] = None


class Bron(_Model):
    titel: Text
    url: Optional[HttpUrl] = None
    jaar: Optional[Annotated[int, Field(ge=1800, le=2100)]] = None


class Herkomst(_Model):
    """Where an imported entry came from: the spreadsheet, its sheet and row, and the day of the import."""

    bestand: Text
    blad: Optional[Text] = None
    rij: Annotated[int, Field(ge=1)]
    geimporteerd: FullDate


class FrontMatter(_Model):
    """The keys of an entry's front matter (ENTRY-FORMAT.md)."""

    titel: Text
    voorbeeld: bool = False
    samenvatting: Annotated[str, Field(min_length=1, max_length=SUMMARY_MAX_LENGTH)]
    gemeente: Places
    wijken: list[Text] = []
    periode: Periode
    status: Vocab("status")
    status_volgens: Optional[PartialDate] = None
    status_bron: Optional[Text] = None
    themas: Annotated[list[Vocab("themas")], Field(min_length=1)]
    doelgroepen: list[Vocab("doelgroepen")] = []
    organisaties: list[Text] = []
    financiering: Optional[Financiering] = None
    bewijs: Bewijs
    beeindiging: Optional[Beeindiging] = None
    beeindigd_in: list[Stop] = []
    relaties: Relaties = Relaties()
    kennisdragers: list[Kennisdrager] = []
    bronnen: list[Bron] = []
    # Required unless ``beoordeeld`` is false (an import not yet reviewed); model_errors.py enforces it.
    laatst_beoordeeld: Optional[FullDate] = None
    beoordeeld: bool = True
    herkomst: Optional[Herkomst] = None

    @property
    def plaatsen(self) -> list[str]:
        """The places of the entry, one or several."""
        return [self.gemeente] if isinstance(self.gemeente, str) else list(self.gemeente)


KNOWN_KEYS = {
    (): set(FrontMatter.model_fields),
    ("periode",): set(Periode.model_fields),
    ("financiering",): set(Financiering.model_fields),
    ("bewijs",): set(Bewijs.model_fields),
    ("beeindiging",): set(Beeindiging.model_fields),
    ("beeindigd_in", int): set(Stop.model_fields),
    ("bewijs", "studies", int): set(Studie.model_fields),
    ("relaties",): set(Relaties.model_fields),
    ("kennisdragers", int): set(Kennisdrager.model_fields),
    ("bronnen", int): set(Bron.model_fields),
    ("herkomst",): set(Herkomst.model_fields),
}


@dataclass
class Entry:
    """A valid entry: its id, typed front matter, sections and source."""

    id: str
    meta: FrontMatter
    source: SourceFile

    @property
    def path(self) -> Path:
        return self.source.path

    @property
    def digest(self) -> str:
        return self.source.digest

    @property
    def sections(self) -> list[Section]:
        return self.source.sections

    def section_text(self, title: str) -> str:
        section = self.source.section(title)
        return section.text if section else ""

    @property
    def start(self) -> DateValue:
        return read_date(self.meta.periode.start)

    @property
    def end(self) -> DateValue | None:
        return read_date(self.meta.periode.eind) if self.meta.periode.eind else None

    @property
    def stop_date(self) -> DateValue | None:
        return read_date(self.meta.beeindiging.datum) if self.meta.beeindiging else None

    @property
    def start_year(self) -> int:
        """The year to place the entry by: its start ("ca. 1989": 1989); with an unknown start, the first
        known year of its end, stops or status (else of its last review). See ``start.known`` for honesty."""
        year = self.start.year
        if year is not None:
            return year
        meta = self.meta
        later = [meta.periode.eind, meta.beeindiging.datum if meta.beeindiging else None,
                 *(stop.datum for stop in meta.beeindigd_in), meta.status_volgens]
        years = [y for y in (read_date(value).year for value in later if value) if y is not None]
        return min(years) if years else meta.laatst_beoordeeld.year

    @property
    def end_year(self) -> int | None:
        """The year the entry ended as a reader would name it; None when running or unknown."""
        return self.end.year if self.end else None

    @property
    def sort_key(self) -> tuple:
        """Chronological order by start bounds (unknown starts by their fallback year), then title."""
        start = self.start
        first = start.sort_key[1] if start.known else dt.date(self.start_year, 1, 1)
        return (first, start.latest if start.known else first, self.meta.titel.casefold(), self.id)

    def to_data(self, sections: bool = True) -> dict[str, Any]:
        """Open-data form: id, front matter (as JSON types) and optionally the section texts."""
        data: dict[str, Any] = {"id": self.id}
        data.update(self.meta.model_dump(mode="json", exclude_none=True))
        # A personal name only with recorded consent (AVG), as on the entry page: the checker refuses
        # an entry without it, and open data never carries such a name even when one gets through.
        for holder in data.get("kennisdragers") or []:
            if isinstance(holder, dict) and not holder.get("toestemming"):
                holder.pop("naam", None)
        if sections:
            data["secties"] = {s.title: s.text for s in self.sections}
        return data


def _allow_null_when_optional(node: dict[str, Any]) -> None:
    """Optional keys may be empty (null), as the model accepts (``_empty_means_absent``)."""
    required = set(node.get("required", []))
    for name, prop in node.get("properties", {}).items():
        options = prop.get("anyOf", [])
        if name in required or prop.get("type") == "null" or {"type": "null"} in options:
            continue
        node["properties"][name] = {"anyOf": [prop, {"type": "null"}]}


def json_schema(vocabularies: dict[str, Any]) -> dict[str, Any]:
    """JSON Schema of the front matter, with the archive's vocabulary codes as enums."""
    schema = FrontMatter.model_json_schema()

    def fill(node: Any) -> None:
        if isinstance(node, dict):
            name = node.pop("x-vocabulary", None)
            if name:
                node["enum"] = vocabularies[name].codes
            for value in node.values():
                fill(value)
        elif isinstance(node, list):
            for value in node:
                fill(value)

    fill(schema)
    for node in [schema, *schema.get("$defs", {}).values()]:
        _allow_null_when_optional(node)
    # laatst_beoordeeld is required unless the entry is marked as not yet reviewed (beoordeeld: false).
    schema["if"] = {"properties": {"beoordeeld": {"const": False}}, "required": ["beoordeeld"]}
    schema["else"] = {"required": ["laatst_beoordeeld"], "properties": {"laatst_beoordeeld": {"type": "string"}}}
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Kennisbank entry front matter"
    return schema
