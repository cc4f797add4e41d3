"""The entry model's errors (pydantic's) as the checker's problems: a code and a message that says
what to write, on the line of the key. The checker (checker.py) calls ``validate_front_matter``.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Protocol

from pydantic import ValidationError

from .entry import SUMMARY_MAX_LENGTH, FrontMatter
from .i18n import _
from .reader import SourceFile
from .vocabulary import Vocabulary


class Report(Protocol):
    """Where problems go: the checker's collector of one file."""

    def error(self, line: int, code: str, message: str) -> None: ...


def validate_front_matter(source: SourceFile, vocabularies: Mapping[str, Vocabulary], report: Report) -> FrontMatter | None:
    """The front matter as the model, or None with every model error reported (line, code, message)."""
    try:
        meta = FrontMatter.model_validate(source.data, context={"vocabularies": vocabularies})
    except ValidationError as exc:
        meta = None
        for error in exc.errors():
            _report_model_error(source, error, vocabularies, report)
    if not _review_date_given(source, vocabularies, report):
        return None
    return meta


def _review_date_given(source: SourceFile, vocabularies: Mapping[str, Vocabulary], report: Report) -> bool:
    """laatst_beoordeeld is required unless the entry says it was not reviewed yet (``beoordeeld: false``)."""
    data = source.data if isinstance(source.data, dict) else {}
    if data.get("beoordeeld") is False or data.get("laatst_beoordeeld") is not None:
        return True
    loc = ("laatst_beoordeeld",)
    if "laatst_beoordeeld" in data:
        report.error(source.line_of(*loc), "empty-value", _("{key} is empty: {hint}").format(
            key="laatst_beoordeeld", hint=_missing_hint(loc, vocabularies, fill_in=True)))
    else:
        report.error(source.front_matter_line, "missing-key", _("required key {key} is missing: {hint}").format(
            key=repr("laatst_beoordeeld"), hint=_missing_hint(loc, vocabularies)))
    return False


# The pydantic error types of a value of the wrong type.
_TYPE_ERRORS = (
    "string_type", "list_type", "int_type", "int_parsing", "int_from_float", "bool_type", "bool_parsing",
    "dict_type", "model_type", "model_attributes_type", "date_type", "string_pattern_mismatch",
)


def _type_name(kind: str) -> str:
    """What a value of pydantic error type ``kind`` should have been, in the reader's language."""
    if kind == "string_type":
        return _("text")
    if kind == "list_type":
        return _("a list")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return _("a whole number")
    if kind in ("bool_type", "bool_parsing"):
        return _("true or false")
    if kind == "date_type":
        return _("a date YYYY-MM-DD")
    if kind == "string_pattern_mismatch":
        return _("a matching text")
    return _("a mapping of keys")


def _missing_value(name: str) -> str:
    """What to write for a missing required key (the keys without a vocabulary)."""
    if name == "titel":
        return _("the name of the intervention")
    if name == "samenvatting":
        return _("one or two sentences, at most 400 characters")
    if name == "gemeente":
        return _("the municipality, or 'landelijk' for national policy")
    if name == "periode":
        return _("a mapping with at least 'start: YYYY'")
    if name in ("start", "datum"):
        return _("YYYY, YYYY-MM or YYYY-MM-DD")
    if name == "laatst_beoordeeld":
        return _("the date of the last editorial review, YYYY-MM-DD")
    if name == "bewijs":
        return _("a mapping with 'niveau' and 'uitkomst', or a list of 'studies'")
    if name == "ontwerp":
        return _("the study design, one of the codes of 'niveau'")
    if name == "bron":
        return _("the title of the study, or 'title, year'")
    if name == "plaats":
        return _("the place where it stopped")
    if name == "rol":
        return _("the person's role")
    return _("a value")


# Required keys whose value comes from a vocabulary: the hint lists its codes.
_MISSING_VOCABULARIES = {
    "status": "status", "themas": "themas", "niveau": "niveau", "uitkomst": "uitkomst", "redenen": "stopredenen",
    "ontwerp": "niveau",
}


def _missing_hint(loc: tuple[Any, ...], vocabularies: Mapping[str, Vocabulary], fill_in: bool = False) -> str:
    """What to write for a missing key (``add ...``) or an empty one (``fill in ...``)."""
    name = str(loc[-1])
    if name in _MISSING_VOCABULARIES:
        codes = ", ".join(vocabularies[_MISSING_VOCABULARIES[name]].codes)
        if name in ("themas", "redenen"):
            if fill_in:
                message = _("fill in '{name}:' with a list of {codes}")
            else:
                message = _("add '{name}:' with a list of {codes}")
        elif fill_in:
            message = _("fill in '{name}:' with one of {codes}")
        else:
            message = _("add '{name}:' with one of {codes}")
        return message.format(name=name, codes=codes)
    if name == "titel" and "bronnen" in loc:
        if fill_in:
            return _("fill in 'titel:' with the title of the source")
        return _("add 'titel:' with the title of the source")
    message = _("fill in '{name}:' with {value}") if fill_in else _("add '{name}:' with {value}")
    return message.format(name=name, value=_missing_value(name))


def _report_model_error(
    source: SourceFile, error: Mapping[str, Any], vocabularies: Mapping[str, Vocabulary], report: Report
) -> None:
    loc = tuple(error["loc"])
    kind = error["type"]
    key = dotted(loc)
    if kind == "missing":
        line = source.line_of(*loc[:-1]) if len(loc) > 1 else source.front_matter_line
        report.error(line, "missing-key", _("required key {key} is missing: {hint}").format(
            key=repr(key), hint=_missing_hint(loc, vocabularies)))
        return
    context = error.get("ctx") or {}
    if kind == "evidence_missing":
        # Stated niveau/uitkomst left out and no studies: as a missing key each, on the line of 'bewijs'.
        for name in context.get("missing", ()):
            report.error(source.line_of(*loc), "missing-key", _("required key {key} is missing: {hint}").format(
                key=repr(dotted(loc + (name,))), hint=_missing_hint(loc + (name,), vocabularies)))
        return
    # A custom error may point below its key (``at``: the index of a list item).
    line = source.line_of(*loc, *context.get("at", ()))
    value = error.get("input")
    if kind == "invalid_key":
        # A key YAML reads as a number or true/false; the reader recorded its line as text.
        line = source.line_of(*(str(part).lower() if isinstance(part, bool) else str(part) for part in loc))
        key = dotted(loc[:-1] + (str(loc[-1]),))
        report.error(line, "wrong-type", _("key {key} must be a word, not a number or true/false").format(key=repr(key)))
        return
    if kind in ("vocabulary", "invalid-date", "url-scheme", "url-invalid", "wrong-type", "empty-value"):
        report.error(line, kind, f"{key}: {error['msg']}")
    elif kind == "invalid-id":
        report.error(line, "relation-target", f"{key}: {error['msg']}")
    elif kind == "string_too_long":
        limit = error.get("ctx", {}).get("max_length", SUMMARY_MAX_LENGTH)
        report.error(line, "too-long", _("{key} is {length} characters; at most {limit} allowed, shorten it").format(
            key=key, length=len(value), limit=limit))
    elif kind in ("too_short", "string_too_short"):
        message = _("{key} needs at least one value, found {value}") if kind == "too_short" else _(
            "{key} needs a text, found {value}")
        report.error(line, "empty-value", message.format(key=key, value=shown(value)))
    elif kind in _TYPE_ERRORS and value is None:
        report.error(line, "empty-value", _("{key} is empty: {hint}").format(
            key=key, hint=_missing_hint(loc, vocabularies, fill_in=True)))
    elif kind in _TYPE_ERRORS and kind == "list_type" and isinstance(value, str):
        message = _("{key}: expected {expected}, found {value}; write it as a list: [{item}]")
        report.error(line, "wrong-type",
                     message.format(key=key, expected=_type_name(kind), value=shown(value), item=value))
    elif kind in _TYPE_ERRORS:
        report.error(line, "wrong-type", _("{key}: expected {expected}, found {value}").format(
            key=key, expected=_type_name(kind), value=shown(value)))
    elif kind in ("greater_than_equal", "less_than_equal"):
        context = error.get("ctx", {})
        if kind == "greater_than_equal":
            message = _("{key}: input should be greater than or equal to {limit}, found {value}")
        else:
            message = _("{key}: input should be less than or equal to {limit}, found {value}")
        limit = context.get("ge", context.get("le", ""))
        report.error(line, "out-of-range", message.format(key=key, limit=limit, value=shown(value)))
    else:
        report.error(line, "invalid-value", f"{key}: {error['msg']}")


def dotted(path: Iterable[Any]) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def shown(value: Any) -> str:
    if value is None:
        return _("nothing")
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, list):
        return _("a list") if value else _("an empty list")
    if isinstance(value, dict):
        return _("a mapping") if value else _("an empty mapping")
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "...'"
