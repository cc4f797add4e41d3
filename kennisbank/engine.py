"""Which site generator builds the site: MkDocs 1.x, or ProperDocs, its maintained fork.

The plugin, the build and Material import ``mkdocs.*``. ProperDocs ships a
module (``properdocs.replacement``) that, once imported, answers every
``mkdocs.*`` import with the ``properdocs.*`` module of the same name; its
own ``properdocs`` command imports it first thing. ``select_engine`` does the
same for ``kennisbank build`` and ``serve`` when ``KENNISBANK_ENGINE=properdocs``.
It must run before anything in the process imports MkDocs: both cannot be
loaded side by side (see docs/platform.md).

Here too, what building and serving both need of the archive's site: its
folder (``site_folder``), its ``mkdocs.yml`` (``config_file``) and the loaded
configuration with the plugin given the checked archive (``load_site_config``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .config import CONFIG_FILE, PLUGIN_NAME, plugin_options, read_mkdocs_yml
from .errors import ConfigError
from .i18n import _

if TYPE_CHECKING:
    from .archive import Archive

ENGINE_VARIABLE = "KENNISBANK_ENGINE"
ENGINES = ("mkdocs", "properdocs")
DEFAULT_ENGINE = "mkdocs"


def engine_name() -> str:
    """The engine that ``KENNISBANK_ENGINE`` asks for (default ``mkdocs``); ConfigError for an unknown one."""
    engine = os.environ.get(ENGINE_VARIABLE, "").strip().lower() or DEFAULT_ENGINE
    if engine not in ENGINES:
        raise ConfigError(_("{variable}={value} is not a known site generator; expected one of {engines}").format(
            variable=ENGINE_VARIABLE, value=engine, engines=", ".join(ENGINES)))
    return engine


def select_engine() -> str:
    """Make ``mkdocs.*`` imports load the engine ``KENNISBANK_ENGINE`` asks for; its name."""
    engine = engine_name()
    if engine != "properdocs":
        return engine
    loaded = sys.modules.get("mkdocs")
    if loaded is not None and loaded.__name__ != "properdocs":
        raise ConfigError(_("{variable}=properdocs, but MkDocs itself was loaded already in this process").format(
            variable=ENGINE_VARIABLE), hint=_("set the variable before kennisbank starts"))
    try:
        import properdocs.replacement  # noqa: F401 - imported for its effect: mkdocs.* becomes properdocs.*
    except ImportError:
        raise ConfigError(_("{variable}=properdocs, but ProperDocs is not installed").format(
            variable=ENGINE_VARIABLE), hint=_("install it with `pip install properdocs`")) from None
    return engine


def site_folder(archive: Archive) -> Path:
    """The archive's output folder (``site_dir`` in mkdocs.yml, default ``site``)."""
    config = read_mkdocs_yml(archive.root / CONFIG_FILE)
    site_dir = config.get("site_dir") or "site"
    if not isinstance(site_dir, str):
        raise ConfigError(_("{file}: site_dir must be a folder name, found {value}").format(
            file=CONFIG_FILE, value=repr(site_dir)))
    return (archive.root / site_dir).resolve()


def config_file(archive: Archive) -> Path:
    """The archive's mkdocs.yml; ConfigError when the kennisbank plugin is not in it."""
    config_file = archive.root / CONFIG_FILE
    if plugin_options(read_mkdocs_yml(config_file)) is None:
        raise ConfigError(
            _("{file}: the kennisbank plugin is not configured").format(file=config_file),
            hint=_("add `plugins: [kennisbank]` to mkdocs.yml (see `kennisbank init` for a complete example)"),
        )
    return config_file


def load_site_config(archive: Archive, site_dir: Path, strict: bool, pagefind: bool):
    """MkDocs' (or ProperDocs') configuration of the archive's site, its plugin given the checked archive."""
    select_engine()
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    config_file_path = config_file(archive)
    try:
        config = load_config(config_file=str(config_file_path), site_dir=str(site_dir), strict=strict)
    except ConfigurationError as exc:
        raise ConfigError(f"{config_file_path}: {exc}") from None
    plugin = config.plugins[PLUGIN_NAME]
    plugin.config["pagefind"] = pagefind
    # The archive was read and checked before the build: the plugin reuses it.
    plugin.use_archive(archive)
    return config
