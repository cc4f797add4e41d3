"""The entry model: one typed definition for the checker, the JSON Schema and the site.

Vocabulary fields are plain strings in the model and checked against the
archive's vocabularies (passed as validation context), so an archive can
extend them; the JSON Schema gets their codes as enums.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, NoReturn, Optional

from pydantic import (
    AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, WithJsonSchema, model_validator,
)
from pydantic_core import PydanticCustomError

from .dates import MAX_YEAR, MIN_YEAR, parse_partial_date, partial_date_bounds  # noqa: F401 - part of the model's API
from .i18n import _
from .ids import ID_MAX_LENGTH, ID_PATTERN, is_valid_id  # noqa: F401 - part of the model's API
from .reader import Section, SourceFile

SUMMARY_MAX_LENGTH = 400

SECTION_TITLES = ("Context", "Aanpak", "Resultaten", "Waarom gestopt", "Lessen")
STOP_SECTION = "Waarom gestopt"


def _partial_date(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        value = str(value)
    if isinstance(value, str):
        try:
            parse_partial_date(value.strip())
        except ValueError as exc:
            raise PydanticCustomError("invalid-date", _("invalid date: {reason}"), {"reason": str(exc)}) from None
        return value.strip()
    return value


PartialDate = Annotated[
    str,
    BeforeValidator(_partial_date),
    WithJsonSchema({
        "anyOf": [
            {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR},
            {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
        ],
        "description": "YYYY, YYYY-MM or YYYY-MM-DD",
    }),
]


def _full_date(value: Any) -> Any:
    """A YYYY-MM-DD date. Only text: pydantic would read a YAML number as a Unix timestamp."""
    if isinstance(value, (dt.date, type(None))):
        return value
    text = value.strip() if isinstance(value, str) else str(value)
    if not isinstance(value, (str, int, float)) or isinstance(value, bool) or not re.match(r"^\d{4}-\d{2}-\d{2}$", text):
        raise PydanticCustomError(
            "invalid-date", _("invalid date: expected YYYY-MM-DD, found {value}"),
            {"value": repr(value) if isinstance(value, (str, int, float)) else _kind_of(value)},
        )
    try:
        parse_partial_date(text)
    except ValueError as exc:
        raise PydanticCustomError("invalid-date", _("invalid date: {reason}"), {"reason": str(exc)}) from None
    return dt.date.fromisoformat(text)


def _kind_of(value: Any) -> str:
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a mapping")
    return _("a {type}").format(type=type(value).__name__)


FullDate = Annotated[
    dt.date,
    BeforeValidator(_full_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
]


def _vocabulary(name: str):
    """Validator checking a code against the archive vocabulary ``name`` from the context."""

    def check(value: str, info: ValidationInfo) -> str:
        vocabularies = (info.context or {}).get("vocabularies")
        if vocabularies is None or value in vocabularies[name]:
            return value
        vocabulary = vocabularies[name]
        suggestion = vocabulary.suggest(value)
        if suggestion:
            message = _("{value} is not a known {label}; expected one of {codes}; did you mean {suggestion}?")
        else:
            message = _("{value} is not a known {label}; expected one of {codes}")
        raise PydanticCustomError(
            "vocabulary", message,
            {"value": repr(value), "label": vocabulary.label.lower(), "codes": ", ".join(vocabulary.codes),
             "suggestion": repr(suggestion)},
        )

    return AfterValidator(check)


def Vocab(name: str):  # noqa: N802 - reads as a type
    return Annotated[str, _vocabulary(name), Field(json_schema_extra={"x-vocabulary": name})]


def _refuse(kind: str, message: str, value: Any) -> NoReturn:
    """A validation error of ``kind``; ``{value}`` in ``message`` becomes the value as written (quoted)."""
    raise PydanticCustomError(kind, message, {"value": repr(value)})


def _entry_id(value: str) -> str:
    if not is_valid_id(value):
        _refuse(
            "invalid-id",
            _("{value} is not an entry id: lowercase letters, digits and single hyphens, at most 80 characters"), value,
        )
    return value


# WithJsonSchema: pydantic leaves Field(pattern=...) out of the schema next to an AfterValidator.
EntryId = Annotated[
    str, AfterValidator(_entry_id),
    WithJsonSchema({"type": "string", "pattern": ID_PATTERN, "maxLength": ID_MAX_LENGTH}),
]


# Characters a link never holds unencoded; in an attribute they could break out of it.
_URL_UNSAFE = re.compile(r"[\s\"'<>`\\]")


def _http_url(value: str) -> str:
    url = value.strip()
    if not re.match(r"^https?://[^\s/?#]+", url, re.IGNORECASE):
        _refuse("url-scheme", _("URL {value} is not allowed: only http:// and https:// links"), value)
    if _URL_UNSAFE.search(url):
        _refuse(
            "url-invalid",
            _("URL {value} contains a space, quote, backslash or angle bracket; percent-encode it (a space is %20)"),
            value,
        )
    return url


HttpUrl = Annotated[
    str, AfterValidator(_http_url),
    WithJsonSchema({"type": "string", "pattern": r"^\s*[hH][tT][tT][pP][sS]?://[^\s/?#\"'<>`\\]+[^\s\"'<>`\\]*\s*$"}),
]
Text = Annotated[str, Field(min_length=1)]


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
    start: PartialDate
    eind: Optional[PartialDate] = None


class Financiering(_Model):
    soort: Optional[Vocab("financiering")] = None
    bronnen: list[Text] = []
    vervolgplan: Optional[bool] = None


class Bewijs(_Model):
    niveau: Vocab("niveau")
    uitkomst: Vocab("uitkomst")
    schaal: Optional[Vocab("schaal")] = None
    erkenning: Optional[Vocab("erkenning")] = None
    effect_na_jaren: Optional[Annotated[int, Field(ge=0, le=100)]] = None


class Beeindiging(_Model):
    datum: PartialDate
    redenen: Annotated[list[Vocab("stopredenen")], Field(min_length=1)]
    besloten_door: Optional[Text] = None


class Relaties(_Model):
    voorganger: Optional[EntryId] = None
    opvolger: Optional[EntryId] = None
    opgegaan_in: Optional[EntryId] = None
    lijkt_op: list[EntryId] = []
    heruitgevonden_als: list[EntryId] = []

    def targets(self) -> list[tuple[str, int | None, str]]:
        """(key, index or None, target id) for every link."""
        return relation_targets(self.model_dump())


# The keys of ``relaties``: one target each, or a list of targets.
SINGLE_RELATIONS = ("voorganger", "opvolger", "opgegaan_in")
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


class FrontMatter(_Model):
    """The keys of an entry's front matter (ENTRY-FORMAT.md)."""

    titel: Text
    voorbeeld: bool = False
    samenvatting: Annotated[str, Field(min_length=1, max_length=SUMMARY_MAX_LENGTH)]
    gemeente: Text
    wijken: list[Text] = []
    periode: Periode
    status: Vocab("status")
    themas: Annotated[list[Vocab("themas")], Field(min_length=1)]
    doelgroepen: list[Vocab("doelgroepen")] = []
    organisaties: list[Text] = []
    financiering: Optional[Financiering] = None
    bewijs: Bewijs
    beeindiging: Optional[Beeindiging] = None
    relaties: Relaties = Relaties()
    kennisdragers: list[Kennisdrager] = []
    bronnen: list[Bron] = []
    laatst_beoordeeld: FullDate


KNOWN_KEYS = {
    (): set(FrontMatter.model_fields),
    ("periode",): set(Periode.model_fields),
    ("financiering",): set(Financiering.model_fields),
    ("bewijs",): set(Bewijs.model_fields),
    ("beeindiging",): set(Beeindiging.model_fields),
    ("relaties",): set(Relaties.model_fields),
    ("kennisdragers", int): set(Kennisdrager.model_fields),
    ("bronnen", int): set(Bron.model_fields),
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
    def start_year(self) -> int:
        return parse_partial_date(self.meta.periode.start)[0]

    @property
    def end_year(self) -> int | None:
        return parse_partial_date(self.meta.periode.eind)[0] if self.meta.periode.eind else None

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
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Kennisbank entry front matter"
    return schema
