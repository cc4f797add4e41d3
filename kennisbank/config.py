"""The archive's settings: the ``kennisbank`` plugin block of mkdocs.yml.

One option table (``OPTIONS``) serves the MkDocs plugin and the CLI, which
reads mkdocs.yml without importing MkDocs.
"""

from __future__ import annotations

import difflib
import marshal
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from .accessibility import Accessibility, check_accessibility
from .errors import ArchiveNotFound, ConfigError
from .i18n import _
from .security import SecurityTxt, check_security_txt
from .vocabulary import VOCABULARY_NAMES, Vocabulary, merge_vocabularies

CONFIG_FILE = "mkdocs.yml"
PLUGIN_NAME = "kennisbank"


@dataclass(frozen=True)
class Option:
    """One plugin option: its type, default and (for choices) allowed values."""

    type: type | tuple[type, ...]
    default: Any
    choices: tuple[str, ...] = ()
    optional: bool = False
    minimum: int | None = None


# The one definition of the plugin's options. plugin.py builds MkDocs'
# config schema from it; the CLI validates mkdocs.yml with it without
# importing MkDocs (which costs a search ~90 ms of start-up).
OPTIONS: dict[str, Option] = {
    "entries": Option(str, "entries"),
    "cache_dir": Option(str, ".kennisbank"),
    "review_interval_days": Option(int, 365, minimum=1),
    "max_entry_bytes": Option(int, 1_000_000, minimum=1),
    # `kennisbank precedent` / `similar --file`: the largest plan document read (plans.py).
    "max_plan_bytes": Option(int, 20_000_000, minimum=1),
    "on_error": Option(str, "stop", choices=("stop", "skip")),
    "vocabularies": Option(dict, {}),
    "synonyms": Option(list, []),
    "edit_url": Option(str, None, optional=True),
    "history_url": Option(str, None, optional=True),
    "texts": Option(dict, {}),
    "pagefind": Option(bool, True),
    "list_page_size": Option(int, 100, minimum=1),
    # The open data catalogue (data/catalogus.jsonld, DCAT-AP-NL): publisher, contact, licence; checked in dcat.py.
    "open_data": Option(dict, {}),
    "security_txt": Option(dict, {}),
    "accessibility": Option(dict, {}),
}


def validate_options(options: dict[str, Any], source: str) -> dict[str, Any]:
    """Options with defaults filled in, or a ConfigError naming each bad option."""
    errors = []
    values = {}
    for name, value in options.items():
        if name not in OPTIONS and name != "enabled":
            close = difflib.get_close_matches(name, list(OPTIONS), n=1)
            if close:
                errors.append(_("unknown option {name} (did you mean {suggestion}?)").format(
                    name=repr(name), suggestion=repr(close[0])))
            else:
                errors.append(_("unknown option {name}").format(name=repr(name)))
    for name, option in OPTIONS.items():
        value = options.get(name, option.default)
        if value is None and (option.optional or option.default is None):
            values[name] = None
            continue
        if not isinstance(value, option.type) or (option.type is int and isinstance(value, bool)):
            errors.append(_("{name}: expected {expected}, found {type} {value}").format(
                name=name, expected=option.type.__name__, type=type(value).__name__, value=repr(value)))
        elif option.choices and value not in option.choices:
            errors.append(_("{name}: expected one of {choices}, found {value}").format(
                name=name, choices=", ".join(option.choices), value=repr(value)))
        elif option.minimum is not None and value < option.minimum:
            errors.append(_("{name}: expected at least {minimum}, found {value}").format(
                name=name, minimum=option.minimum, value=repr(value)))
        values[name] = value
    if errors:
        raise ConfigError(_("{file}: invalid kennisbank plugin options: {problems}").format(
            file=source, problems="; ".join(errors)))
    return values


@dataclass
class Settings:
    """Validated settings the library works with, independent of MkDocs."""

    root: Path
    entries_dir: Path
    cache_dir: Path
    review_interval_days: int = 365
    max_entry_bytes: int = 1_000_000
    max_plan_bytes: int = 20_000_000
    on_error: str = "stop"
    vocabularies: dict[str, Vocabulary] = field(default_factory=merge_vocabularies)
    synonyms: list[list[str]] = field(default_factory=list)
    edit_url: str | None = None
    history_url: str | None = None
    texts: dict[str, str] = field(default_factory=dict)
    list_page_size: int = 100
    site_name: str = "Kennisbank"
    # The checked `open_data` option (a kennisbank.dcat.OpenData); None: no catalogue is written.
    open_data: Any = None
    security_txt: SecurityTxt | None = None  # None: no security.txt
    accessibility: Accessibility = field(default_factory=Accessibility)
    # A preview (`kennisbank serve`, MkDocs' serve command): entries with errors are left out with their
    # messages on the console and on their page, and pages get no CSP <meta> (live reload is inline).
    preview: bool = False

    @classmethod
    def from_options(cls, root: Path, options: Mapping[str, Any], site_name: str = "Kennisbank",
                     source: str = CONFIG_FILE) -> "Settings":
        """Settings from the plugin options (mkdocs.yml's, or MkDocs' plugin config), checked against ``OPTIONS``.

        MkDocs' plugin config knows each option's type but not its minimum:
        both ways in are checked here, by the one table.
        """
        options = validate_options(dict(options), source)
        from .dcat import check_open_data

        return cls(
            root=root,
            entries_dir=_inside(root, options["entries"], "entries"),
            cache_dir=_inside(root, options["cache_dir"], "cache_dir"),
            review_interval_days=options["review_interval_days"],
            max_entry_bytes=options["max_entry_bytes"],
            max_plan_bytes=options["max_plan_bytes"],
            on_error=options["on_error"],
            vocabularies=merge_vocabularies(_check_vocabularies(options["vocabularies"])),
            synonyms=_check_synonyms(options["synonyms"]),
            edit_url=options["edit_url"],
            history_url=options["history_url"],
            texts={str(k): str(v) for k, v in options["texts"].items()},
            list_page_size=options["list_page_size"],
            site_name=site_name,
            open_data=check_open_data(options["open_data"], source),
            security_txt=check_security_txt(options["security_txt"], source),
            accessibility=check_accessibility(options["accessibility"], source),
        )


@lru_cache(maxsize=1)
def _tolerant_loader() -> type:
    """A safe loader that reads mkdocs.yml's custom tags as inert values.

    mkdocs.yml may hold ``!ENV`` or ``!!python/name:`` tags (Material's emoji
    setup). We never execute them; we only need the plugin block. (PyYAML is
    imported here, not with the module: a search with mkdocs.yml unchanged
    takes its settings from the parse cache and never needs it.)
    """
    import yaml

    class TolerantLoader(yaml.SafeLoader):
        pass

    def inert(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return loader.construct_scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node)
        return loader.construct_mapping(node)

    TolerantLoader.add_multi_constructor("!", inert)
    TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", inert)
    return TolerantLoader


def find_root(start: Path) -> Path:
    """The archive root: ``start`` or the nearest parent holding mkdocs.yml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise ArchiveNotFound(
        _("no {file} found in {folder} or any parent folder").format(file=CONFIG_FILE, folder=start),
        hint=_("run the command in an archive, or create one with `kennisbank init DIR`"),
    )


def read_mkdocs_yml(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(_("{file}: cannot read: {reason}").format(file=path, reason=exc.strerror)) from None
    cached = _parsed_before(path, raw)
    if cached is not None:
        return cached
    import yaml

    try:
        data = yaml.load(raw.decode("utf-8"), Loader=_tolerant_loader())  # noqa: S506 - safe loader subclass
    except UnicodeDecodeError as exc:
        raise ConfigError(_("{file}: not UTF-8 ({reason} at byte {offset})").format(
            file=path, reason=exc.reason, offset=exc.start)) from None
    except yaml.YAMLError as exc:
        raise ConfigError(_("{file}: invalid YAML: {reason}").format(file=path, reason=exc)) from None
    if data is None:
        raise ConfigError(
            _("{file}: the file is empty; it needs site_name and the kennisbank plugin").format(file=path),
            hint=_("`kennisbank init NEW-FOLDER` writes a working one to copy from"),
        )
    if not isinstance(data, dict):
        raise ConfigError(_("{file}: expected a mapping of settings, found {type}").format(
            file=path, type=type(data).__name__))
    _remember_parse(path, raw, data)
    return data


# The last parse of mkdocs.yml, with the bytes it came from, in the default cache folder
# (when that exists): a search then needs neither PyYAML nor the parse.
_PARSE_CACHE_VERSION = 1


def _parse_cache(path: Path) -> Path:
    return path.parent / OPTIONS["cache_dir"].default / "mkdocs.yml.marshal"


def _parsed_before(path: Path, raw: bytes) -> dict[str, Any] | None:
    try:
        version, source, data = marshal.loads(_parse_cache(path).read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if version != _PARSE_CACHE_VERSION or source != raw or not isinstance(data, dict):
        return None
    return data


def _remember_parse(path: Path, raw: bytes, data: dict[str, Any]) -> None:
    cache = _parse_cache(path)
    if not cache.parent.is_dir():
        return  # no default cache folder (yet): nothing is created for this
    try:
        content = marshal.dumps((_PARSE_CACHE_VERSION, raw, data))
    except ValueError:
        return  # a value marshal cannot hold (a date): parsed each time
    from .files import write_cache

    write_cache(cache, content)


def plugin_options(mkdocs_config: dict[str, Any]) -> dict[str, Any] | None:
    """The options under ``plugins: - kennisbank:``; None when the plugin is not configured."""
    plugins = mkdocs_config.get("plugins") or []
    if isinstance(plugins, dict):
        plugins = [{k: v} for k, v in plugins.items()]
    for item in plugins:
        if item == PLUGIN_NAME:
            return {}
        if isinstance(item, dict) and PLUGIN_NAME in item:
            options = item[PLUGIN_NAME] or {}
            if not isinstance(options, dict):
                raise ConfigError(
                    _("{file}: the kennisbank plugin's options must be a mapping of option: value, "
                      "found {type} {value}").format(file=CONFIG_FILE, type=type(options).__name__, value=repr(options))
                )
            return dict(options)
    return None


def load_settings(start: Path | None = None) -> Settings:
    """Settings of the archive at or above ``start`` (default: the working folder)."""
    root = find_root(start or Path.cwd())
    path = root / CONFIG_FILE
    mkdocs_config = read_mkdocs_yml(path)
    options = plugin_options(mkdocs_config)
    if options is None:
        options = {}
    site_name = mkdocs_config.get("site_name")
    return Settings.from_options(root, options, site_name if isinstance(site_name, str) else "Kennisbank", str(path))


def _inside(root: Path, relative: str, key: str) -> Path:
    path = (root / relative).resolve()
    if path != root and root not in path.parents:
        raise ConfigError(_("{file}: kennisbank option {option} points outside the archive: {value}").format(
            file=CONFIG_FILE, option=repr(key), value=repr(relative)))
    return path


def _check_vocabularies(raw: dict[str, Any]) -> dict[str, Any]:
    for name, terms in raw.items():
        if name not in VOCABULARY_NAMES:
            raise ConfigError(
                _("{file}: unknown vocabulary {name} under kennisbank.vocabularies").format(
                    file=CONFIG_FILE, name=repr(name)),
                hint=_("known vocabularies: {names}").format(names=", ".join(VOCABULARY_NAMES)),
            )
        if not isinstance(terms, dict):
            raise ConfigError(_("{file}: vocabularies.{name} must map codes to {{label, uitleg}}").format(
                file=CONFIG_FILE, name=name))
        for code, spec in terms.items():
            if not isinstance(code, str) or not code or code != code.lower() or " " in code:
                raise ConfigError(_("{file}: vocabularies.{name}: code {code} must be lowercase without spaces").format(
                    file=CONFIG_FILE, name=name, code=repr(code)))
            if spec is not None and not isinstance(spec, (str, dict)):
                raise ConfigError(_("{file}: vocabularies.{name}.{code} must be a label or {{label, uitleg}}").format(
                    file=CONFIG_FILE, name=name, code=code))
    return raw


def _check_synonyms(raw: list[Any]) -> list[list[str]]:
    groups = []
    for group in raw:
        if not isinstance(group, list) or not all(isinstance(word, str) for word in group) or len(group) < 2:
            raise ConfigError(_("{file}: kennisbank.synonyms must be a list of word lists, "
                                "e.g. [[werkloosheid, werkeloosheid]]").format(file=CONFIG_FILE))
        groups.append([word.lower() for word in group])
    return groups
