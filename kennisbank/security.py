"""The published site's security files: ``/.well-known/security.txt`` and the Content-Security-Policy.

security.txt (RFC 9116) comes from the plugin option ``security_txt``; it is
only written when the archive sets a contact. The Content-Security-Policy
allows only the site's own origin. Material's inline scripts are allowed by
their SHA-256 hashes, computed from each built page; Pagefind needs
``'wasm-unsafe-eval'`` to compile its WebAssembly search engine.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import Any, Iterable

from .errors import ConfigError
from .i18n import _

SECURITY_TXT = ".well-known/security.txt"
HEADERS_FILE = "_headers"
DEFAULT_LANGUAGES = "nl, en"
# RFC 9116 § 2.5.5: Expires "less than a year into the future" is recommended; warn well before it lapses.
EXPIRES_WARN_DAYS = 30
EXPIRES_MAX_DAYS = 366
_URI_SCHEMES = ("mailto:", "https://", "tel:")
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_KEYS = ("contact", "expires", "preferred_languages", "policy", "acknowledgments", "hiring", "encryption")


@dataclass(frozen=True)
class SecurityTxt:
    """The validated ``security_txt`` option: what security.txt will say."""

    contact: tuple[str, ...]
    # A fixed moment (aware, UTC), or a number of days after each build.
    expires: dt.datetime | int
    preferred_languages: str = DEFAULT_LANGUAGES
    policy: str | None = None
    acknowledgments: str | None = None
    hiring: str | None = None
    encryption: str | None = None

    def expiry(self, now: dt.datetime) -> dt.datetime:
        if isinstance(self.expires, int):
            return (now + dt.timedelta(days=self.expires)).replace(microsecond=0)
        return self.expires

    def text(self, now: dt.datetime, canonical: str | None) -> str:
        """The file's content (RFC 9116 § 3: one ``Field: value`` per line, CRLF or LF; here LF)."""
        lines = [f"Contact: {contact}" for contact in self.contact]
        lines.append("Expires: " + self.expiry(now).astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
        if self.encryption:
            lines.append(f"Encryption: {self.encryption}")
        if self.acknowledgments:
            lines.append(f"Acknowledgments: {self.acknowledgments}")
        if self.policy:
            lines.append(f"Policy: {self.policy}")
        if self.hiring:
            lines.append(f"Hiring: {self.hiring}")
        lines.append(f"Preferred-Languages: {self.preferred_languages}")
        if canonical:
            lines.append(f"Canonical: {canonical}")
        return "\n".join(lines) + "\n"

    def expiry_problem(self, now: dt.datetime) -> str | None:
        """A warning when the fixed Expires has passed, lapses within 30 days or lies more than a year ahead."""
        if isinstance(self.expires, int):
            return None
        left = self.expires - now
        date = self.expires.strftime("%Y-%m-%d")
        if left <= dt.timedelta(0):
            return _("security_txt.expires {date} has passed: security.txt tells researchers not to trust it; "
                     "set a new date in mkdocs.yml").format(date=date)
        if left <= dt.timedelta(days=EXPIRES_WARN_DAYS):
            return _("security_txt.expires {date} is less than {days} days away: check the contact and set a "
                     "new date in mkdocs.yml").format(date=date, days=EXPIRES_WARN_DAYS)
        if left > dt.timedelta(days=EXPIRES_MAX_DAYS):
            return _("security_txt.expires {date} is more than a year away; RFC 9116 advises less than a year").format(
                date=date)
        return None


def check_security_txt(raw: dict[str, Any], source: str) -> SecurityTxt | None:
    """The ``security_txt`` option, checked; None when it is not set. Raises ConfigError naming each problem."""
    if not raw:
        return None
    problems = []
    for key in raw:
        if key not in _KEYS:
            problems.append(_("unknown key {key} (known: {keys})").format(key=repr(key), keys=", ".join(_KEYS)))
    contacts = raw.get("contact")
    if isinstance(contacts, str):
        contacts = [contacts]
    if not contacts or not isinstance(contacts, list) or not all(isinstance(c, str) for c in contacts):
        problems.append(_("contact: give one or more addresses, e.g. mailto:security@example.nl"))
        contacts = []
    for contact in contacts:
        if not contact.startswith(_URI_SCHEMES) or any(ch.isspace() for ch in contact) or len(contact) < 8:
            hint = _(" (write mailto:{address})").format(address=contact) if "@" in contact and ":" not in contact else ""
            problems.append(_("contact: {value} is not a mailto:, https:// or tel: address").format(
                value=repr(contact)) + hint)
    expires = _expires(raw.get("expires"), problems)
    languages = raw.get("preferred_languages", DEFAULT_LANGUAGES)
    if isinstance(languages, list):
        languages = ", ".join(str(language) for language in languages)
    if not isinstance(languages, str) or not all(
            _LANGUAGE_TAG.match(tag.strip()) for tag in languages.split(",")):
        problems.append(_("preferred_languages: expected language tags separated by commas, e.g. 'nl, en'"))
    links = {}
    for key in ("policy", "acknowledgments", "hiring", "encryption"):
        value = raw.get(key)
        if value is not None and (not isinstance(value, str) or not value.startswith("https://")
                                  or any(ch.isspace() for ch in value)):
            problems.append(_("{key}: expected an https:// address, found {value}").format(key=key, value=repr(value)))
        links[key] = value
    if problems:
        raise ConfigError(_("{file}: invalid security_txt option: {problems}").format(
            file=source, problems="; ".join(problems)))
    assert expires is not None
    return SecurityTxt(contact=tuple(contacts), expires=expires, preferred_languages=languages, **links)


def _expires(value: Any, problems: list[str]) -> dt.datetime | int | None:
    """A date or date-time (ISO 8601; without a zone it is UTC), or a whole number of days after the build."""
    if isinstance(value, bool) or value is None:
        problems.append(_("expires: give a date (2027-03-31) or a number of days after each build (e.g. 180)"))
        return None
    if isinstance(value, int):
        if not 1 <= value <= EXPIRES_MAX_DAYS:
            problems.append(_("expires: a number of days must lie between 1 and {max}, found {value}").format(
                max=EXPIRES_MAX_DAYS, value=value))
            return None
        return value
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            problems.append(_("expires: {value} is not a date (2027-03-31) or date-time (2027-03-31T12:00:00Z)").format(
                value=repr(value)))
            return None
    else:
        problems.append(_("expires: {value} is not a date (2027-03-31) or date-time (2027-03-31T12:00:00Z)").format(
            value=repr(value)))
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


# --- Content-Security-Policy -------------------------------------------------------------------

_INLINE_SCRIPT = re.compile(r"<script(?P<attributes>(?:\s[^>]*)?)>(?P<code>.*?)</script>", re.S | re.I)
_NOT_RUN = re.compile(r"""(?:^|\s)(?:src\s*=|type\s*=\s*["']?application/(?:ld\+)?json)""", re.I)
_META_CHARSET = '<meta charset="utf-8">'

# Every source the pages need, and why (see docs/entry-format.md):
#   default-src 'self'        nothing from another origin (fonts, images, scripts: none are used)
#   script-src 'self' hashes  Material's bundle, zoekvak.js, catalogus.js and Pagefind's pagefind.js (a module
#                             imported at run time); Material's small inline scripts by their hashes
#   'wasm-unsafe-eval'        Pagefind compiles its search engine from WebAssembly
#   style-src 'self'          the theme's and kennisbank's stylesheets; no page has a style attribute or element
#   img-src 'self' data:      Material's icons are SVG data: URLs in its stylesheet
#   connect-src 'self'        Pagefind fetches its index files
#   worker-src 'self'         none are started now; a future Material search worker would be on the own origin
#   object-src 'none', base-uri 'self', form-action 'self'  no plug-ins, no rebasing, forms only to the site
_BASE_POLICY = (
    ("default-src", "'self'"),
    ("script-src", "'self' 'wasm-unsafe-eval'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("worker-src", "'self'"),
    ("manifest-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
)
# Only in a header: a <meta> policy cannot say who may frame the page (CSP 3 § 6.1), nor ask for reports.
_HEADER_ONLY = (("frame-ancestors", "'none'"),)
SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"),
)


def inline_script_hashes(html: str) -> list[str]:
    """The CSP sources (``'sha256-…'``) of the inline scripts a page runs, in order, without repeats."""
    hashes: list[str] = []
    for match in _INLINE_SCRIPT.finditer(html):
        if _NOT_RUN.search(match.group("attributes")):
            continue  # a script with src is allowed by 'self'; a JSON data block is never run
        digest = base64.b64encode(hashlib.sha256(match.group("code").encode("utf-8")).digest()).decode("ascii")
        source = f"'sha256-{digest}'"
        if source not in hashes:
            hashes.append(source)
    return hashes


def policy(script_hashes: Iterable[str], header: bool = False) -> str:
    """The Content-Security-Policy, allowing the given inline-script hashes; ``header`` adds frame-ancestors."""
    hashes = " ".join(sorted(set(script_hashes)))
    directives = []
    for name, value in (*_BASE_POLICY, *(_HEADER_ONLY if header else ())):
        if name == "script-src" and hashes:
            value = f"{value} {hashes}"
        directives.append(f"{name} {value}")
    return "; ".join(directives)


def with_policy(html: str) -> tuple[str, list[str]]:
    """The page with its CSP ``<meta>`` first in ``<head>`` (before any script), and the hashes it allows."""
    hashes = inline_script_hashes(html)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(hashes)}">'
    if _META_CHARSET in html:
        return html.replace(_META_CHARSET, _META_CHARSET + meta, 1), hashes
    head = re.search(r"<head[^>]*>", html, re.I)
    if head is None:
        return html, hashes
    return html[:head.end()] + meta + html[head.end():], hashes


def headers_file(script_hashes: Iterable[str]) -> str:
    """``_headers`` (Netlify, Cloudflare Pages): the policy and the security headers for every path."""
    lines = ["/*", f"  Content-Security-Policy: {policy(script_hashes, header=True)}"]
    lines += [f"  {name}: {value}" for name, value in SECURITY_HEADERS]
    lines += ["", f"/{SECURITY_TXT}", "  Content-Type: text/plain; charset=utf-8"]
    return "\n".join(lines) + "\n"
