"""The typed values of the entry model (entry.py): ids, dates, places, links, vocabulary codes.

Each is an ``Annotated`` type with its validator (errors worded for the editor) and its JSON Schema.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Callable, NoReturn, Union

from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo, WithJsonSchema
from pydantic_core import PydanticCustomError

from .dates import MAX_YEAR, MIN_YEAR, parse_partial_date, read_date
from .i18n import _
from .ids import ID_MAX_LENGTH, ID_PATTERN, is_valid_id  # noqa: F401 - the id rules, for the model

def _date_check(read: Callable[[str], str]) -> Callable[[Any], Any]:
    """A validator of a date written as text or a year: ``read`` gives its stored text or raises ValueError."""

    def check(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            return value
        try:
            return read(str(value).strip())
        except ValueError as exc:
            raise PydanticCustomError("invalid-date", _("invalid date: {reason}"), {"reason": str(exc)}) from None

    return check


def _exact_date(text: str) -> str:
    parse_partial_date(text)
    return text


PartialDate = Annotated[
    str,
    BeforeValidator(_date_check(_exact_date)),
    WithJsonSchema({
        "anyOf": [
            {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR},
            {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
        ],
        "description": "YYYY, YYYY-MM or YYYY-MM-DD",
    }),
]


_DECADE_WORD = r"(\d0|\d{3}0|nul|tien|twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig)s?"
# A date as sources give it: exact, approximate, one of two years, a decade or unknown (ENTRY-FORMAT.md).
SourceDate = Annotated[
    str,
    BeforeValidator(_date_check(lambda text: read_date(text).text)),
    WithJsonSchema({
        "anyOf": [
            {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR},
            {"type": "string", "pattern": r"^\s*\d{4}(-\d{2}(-\d{2})?)?\s*$"},
            {"type": "string", "pattern": r"^\s*([cC][aA]\.?|[cC][iI][rR][cC][aA])\s*\d{4}\s*$"},
            {"type": "string", "pattern": r"^\s*\d{4}\s*(/|\s[oO][fF]\s)\s*\d{4}\s*$"},
            {"type": "string", "pattern": r"^\s*((begin|midden|eind)\s+)?(de\s+)?jaren\s+'?" + _DECADE_WORD + r"\s*$"},
            {"type": "string", "pattern": r"^\s*[oO]nbekend\s*$"},
        ],
        "description": "YYYY, YYYY-MM, YYYY-MM-DD, 'ca. YYYY', 'YYYY of YYYY', a decade ('eind jaren tachtig') "
                       "or 'onbekend'",
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


def _places(value: Any) -> Any:
    """``gemeente``: one place as text, or a list of places; each a non-empty text."""
    if isinstance(value, str):
        if not value.strip():
            raise PydanticCustomError("empty-value", _("needs a text, found {value}"), {"value": repr(value)})
        return value.strip()
    if isinstance(value, list):
        if not value:
            raise PydanticCustomError("empty-value", _("needs at least one place, found an empty list"))
        places = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise PydanticCustomError(
                    "wrong-type", _("item {index}: expected the name of a place, found {value}"),
                    {"index": index, "value": repr(item) if isinstance(item, (str, int, float)) else _kind_of(item),
                     "at": (index,)},
                )
            places.append(item.strip())
        return places
    if value is None:
        return value
    raise PydanticCustomError(
        "wrong-type", _("expected text or a list of places, found {value}"),
        {"value": repr(value) if isinstance(value, (int, float)) else _kind_of(value)},
    )


# One place ("Rotterdam") or several ([Rotterdam, Den Haag]).
Places = Annotated[
    Union[str, list[str]],
    BeforeValidator(_places),
    WithJsonSchema({"anyOf": [
        {"type": "string", "minLength": 1},
        {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
    ]}),
]
