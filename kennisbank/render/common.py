"""What every renderer of ours shares: templates, safe Markdown, vocabulary links.

Entries come from many hands, so their Markdown is rendered with
Python-Markdown and then cleaned with nh3 against an allowlist: no scripts,
no event handlers, no styles, no frames, no images (an image would be a
request to another origin), and links only to http(s), mailto or within the
site. Front-matter values never pass through Markdown: the Jinja2 templates
escape every one of them.
"""

from __future__ import annotations

import marshal
import re
import xml.etree.ElementTree as etree
from functools import lru_cache
from pathlib import Path
from typing import Any

import markdown
import nh3
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup, escape

from ..pages import entry_url, gemeente_url, relative_url, vocabulary_url
from ..vocabulary import Vocabulary

ALLOWED_TAGS = {
    "p", "br", "hr", "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "sub", "sup", "small",
    "code", "pre", "kbd", "blockquote", "q", "cite", "abbr", "ul", "ol", "li", "dl", "dt", "dd",
    "h3", "h4", "h5", "h6", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "a", "span",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"align", "scope", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "ol": {"start"},
    "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
}
URL_SCHEMES = {"http", "https", "mailto"}
REMOVED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math", "textarea"}
_ENTRY_LINK = re.compile(r"^(?:\./)?(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*)\.md(?P<anchor>#[\w-]*)?$")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


class _EntryMarkdown(Treeprocessor):
    """Keep headings below the page's own (h1 title, h2 sections) and turn ``other-id.md`` links into entry URLs."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag in ("h1", "h2"):
                element.tag = "h3"
            elif element.tag == "a":
                href = element.get("href", "")
                match = _ENTRY_LINK.match(href)
                if match:
                    element.set("href", f"../{match['id']}/{match['anchor'] or ''}")


class _EntryMarkdownExtension(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Python-Markdown's API
        md.treeprocessors.register(_EntryMarkdown(md), "kennisbank_entry", 1)


@lru_cache(maxsize=1)
def _markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["tables", "sane_lists", "pymdownx.magiclink", "pymdownx.betterem", "pymdownx.tilde",
                    _EntryMarkdownExtension()],
        extension_configs={"pymdownx.tilde": {"subscript": False}},
        output_format="html",
    )


def _link_target(tag: str, attribute: str, value: str) -> str | None:
    """nh3 attribute filter: links leave only to http(s)/mailto or stay inside the site."""
    if tag == "a" and attribute == "href":
        if value.startswith("//"):
            return None
        if _SCHEME.match(value) and value.split(":", 1)[0].lower() not in URL_SCHEMES:
            return None
    return value


def sanitise(html: str) -> str:
    """HTML reduced to the allowlist (tags, attributes, URL schemes)."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=REMOVED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        attribute_filter=_link_target,
        strip_comments=True,
    )


def render_markdown(text: str) -> Markup:
    """An entry section's Markdown as sanitised HTML, safe to put in a template."""
    md = _markdown()
    try:
        html = md.convert(text)
    finally:
        md.reset()
    return Markup(sanitise(html))


class RenderedSections:
    """Sanitised HTML of entry sections, kept in the archive's cache folder by entry content hash.

    Markdown and sanitising are most of an entry page's cost; a rebuild
    renders again only the entries whose file changed. Bump ``VERSION`` when
    the Markdown set-up or the allowlist changes.
    """

    VERSION = 1
    FILE = "site-sections.marshal"

    def __init__(self, cache_dir: Path) -> None:
        self.path = cache_dir / self.FILE
        self.old: dict[str, list[str]] = {}
        self.new: dict[str, list[str]] = {}
        try:
            data = marshal.loads(self.path.read_bytes())
            if isinstance(data, dict) and data.get("version") == self.VERSION:
                self.old = data["sections"]
        except (OSError, ValueError, EOFError, TypeError, KeyError):
            self.old = {}

    def get(self, digest: str, texts: list[str]) -> list[Markup]:
        html = self.old.get(digest)
        if html is None or len(html) != len(texts):
            html = [str(render_markdown(text)) for text in texts]
        self.new[digest] = html
        return [Markup(part) for part in html]

    def save(self) -> None:
        """Keep what this build used (entries that are gone drop out); a read-only folder only costs speed."""
        if self.new.keys() == self.old.keys():
            return
        from ..files import write_cache

        write_cache(self.path, marshal.dumps({"version": self.VERSION, "sections": self.new}))


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("kennisbank", "templates/site"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def render_template(name: str, **context: Any) -> str:
    return environment().get_template(name).render(**context)


def vocabulary_link(here: str, vocabulary: Vocabulary, code: str, described_by: str | None = None,
                    pagefind: str | None = None) -> Markup:
    """A link to the overview page of one vocabulary value, carrying its explanation.

    The explanation is the link's ``title`` (for mouse users) and, through
    ``described_by``, the id of a visible glossary item (for everyone else).
    ``pagefind`` names the Pagefind filter the label belongs to.
    """
    term = vocabulary.terms.get(code)
    label = term.label if term else code
    uitleg = term.uitleg if term else ""
    attributes = [f'href="{escape(relative_url(here, vocabulary_url(vocabulary.name, code)))}"']
    if uitleg:
        attributes.append(f'title="{escape(uitleg)}"')
    if described_by:
        attributes.append(f'aria-describedby="{escape(described_by)}"')
    if pagefind:
        attributes.append(f'data-pagefind-filter="{escape(pagefind)}"')
    return Markup(f"<a {' '.join(attributes)}>{escape(label)}</a>")


def pagefind_filter_value(value: str) -> str:
    """A filter value that stays text in Pagefind UI, which shows filter values as HTML (innerHTML).

    Pagefind decodes entities in what it indexes, so escaping cannot help
    (``&amp;lt;`` becomes ``<`` again): ``<``, ``>`` and ``&`` become look-alikes.
    """
    return value.replace("&", "\uff06").replace("<", "\u2039").replace(">", "\u203a")


def gemeente_link(here: str, gemeente: str, pagefind: bool | str = False) -> Markup:
    """A link to a place's page; ``pagefind``: True makes it the page's ``gemeente`` filter and meta,
    ``"filter"`` one of several filter values (the caller sets the meta)."""
    label = "Landelijk" if gemeente.strip().lower() == "landelijk" else gemeente
    href = escape(relative_url(here, gemeente_url(gemeente)))
    if pagefind == "filter":
        return Markup(
            f'<a href="{href}">{escape(label)}</a><span hidden data-pagefind-ignore data-pagefind-filter="gemeente">'
            f"{escape(pagefind_filter_value(label))}</span>"
        )
    if pagefind and pagefind_filter_value(label) != label:
        # The filter from a hidden copy of the name without markup characters (the link itself stays exact).
        return Markup(
            f'<a href="{href}" data-pagefind-meta="gemeente">{escape(label)}</a>'
            f'<span hidden data-pagefind-ignore data-pagefind-filter="gemeente">'
            f"{escape(pagefind_filter_value(label))}</span>"
        )
    extra = ' data-pagefind-filter="gemeente" data-pagefind-meta="gemeente"' if pagefind else ""
    return Markup(f'<a href="{href}"{extra}>{escape(label)}</a>')


def entry_link(here: str, entry_id: str, title: str) -> Markup:
    return Markup(f'<a href="{escape(relative_url(here, entry_url(entry_id)))}">{escape(title)}</a>')


def http_url(value: str | None) -> str | None:
    """``value`` when it is an http(s) URL, else None (never link anything else)."""
    if value and re.match(r"^https?://[^\s/]+", value.strip(), re.IGNORECASE):
        return value.strip()
    return None
