"""What the command line says, in the reader's language: Dutch by default, English when the locale asks.

Messages are written in English in the code, wrapped in ``_()`` (or ``ngettext``), and
translated in gettext catalogues under ``kennisbank/locale/<language>/LC_MESSAGES/``:
``kennisbank.po`` for our own messages and ``click.po`` for click's (usage lines, ``--help``,
"Aborted!", errors). ``make translations`` extracts, updates and compiles them (Babel).

The language is chosen once, from the environment, as gettext does (``LANGUAGE``, ``LC_ALL``,
``LC_MESSAGES``, ``LANG``, the first one set), with two differences: a locale that names no
language (``C``, ``POSIX``, unset) gives Dutch, the archive's language, and so does any
language we have no catalogue for. ``KENNISBANK_TAAL=en|nl`` overrides the locale.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Mapping
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "kennisbank"
CLICK_DOMAIN = "click"
LANGUAGES = ("nl", "en")
DEFAULT = "nl"
# English is the language of the source text: it needs no catalogue.
SOURCE = "en"
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """``nl`` or ``en``, from ``KENNISBANK_TAAL`` or the locale variables (see the module's doc)."""
    environ = os.environ if environ is None else environ
    chosen = environ.get("KENNISBANK_TAAL", "").strip().lower()
    if chosen in LANGUAGES:
        return chosen
    for variable in LOCALE_VARIABLES:
        # LANGUAGE is a list ("de:en"); the others one locale ("en_GB.UTF-8", "nl_NL@euro", "C.UTF-8").
        named = False
        for item in environ.get(variable, "").split(":"):
            language = item.strip().split(".")[0].split("@")[0].split("_")[0].lower()
            if language in LANGUAGES:
                return language
            named = named or language not in ("", "c", "posix")
        if named:  # the variable names only languages we have no catalogue for
            return DEFAULT
    return DEFAULT


def _catalogue(domain: str, language: str) -> _gettext.NullTranslations:
    if language == SOURCE:
        return _gettext.NullTranslations()
    return _gettext.translation(domain, LOCALE_DIR, languages=[language], fallback=True)


class _State:
    language: str = DEFAULT
    own: _gettext.NullTranslations = _gettext.NullTranslations()
    click: _gettext.NullTranslations = _gettext.NullTranslations()


def set_language(language: str) -> None:
    """Speak ``language`` (``nl`` or ``en``) from now on; texts made before (option help) keep theirs."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {', '.join(LANGUAGES)}")
    _State.language = language
    _State.own = _catalogue(DOMAIN, language)
    _State.click = _catalogue(CLICK_DOMAIN, language)


def language() -> str:
    return _State.language


def gettext(message: str) -> str:
    return _State.own.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _State.own.ngettext(singular, plural, n)


_ = gettext


def click_gettext(message: str) -> str:
    return _State.click.gettext(message)


def _click_ngettext(singular: str, plural: str, n: int) -> str:
    return _State.click.ngettext(singular, plural, n)


# click's modules take ``gettext``/``ngettext`` from the stdlib at import, and the stdlib picks
# the language from the environment alone; these are the names to point at our choice instead.
_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils",
                  "_termui_impl", "shell_completion")


def localise_click() -> None:
    """Let click's own texts (usage, ``--help``, errors, "Aborted!") follow our language."""
    import importlib

    for name in _CLICK_MODULES:
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:  # a module a later click has dropped: nothing of it to translate
            continue
        if hasattr(module, "_"):
            module._ = click_gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _click_ngettext  # type: ignore[attr-defined]


def yes_no(answer: str) -> bool | None:
    """A yes/no answer in either language (``j``, ``ja``, ``n``, ``nee``, ``y``, ``yes``, ``no``), or None."""
    answer = answer.strip().lower()
    if answer in ("j", "ja", "y", "yes"):
        return True
    if answer in ("n", "nee", "no"):
        return False
    return None


set_language(language_from_environment())
