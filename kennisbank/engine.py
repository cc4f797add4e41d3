"""Which site generator builds the site: MkDocs 1.x, or ProperDocs, its maintained fork.

The plugin, the build and Material import ``mkdocs.*``. ProperDocs ships a
module (``properdocs.replacement``) that, once imported, answers every
``mkdocs.*`` import with the ``properdocs.*`` module of the same name; its
own ``properdocs`` command imports it first thing. ``select_engine`` does the
same for ``kennisbank build`` and ``serve`` when ``KENNISBANK_ENGINE=properdocs``.
It must run before anything in the process imports MkDocs: both cannot be
loaded side by side (see docs/platform.md).
"""

from __future__ import annotations

import os
import sys

from .errors import ConfigError
from .i18n import _

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
