"""The accessibility statement's facts: the plugin option ``accessibility``, checked.

The statement at ``/toegankelijkheid/`` follows the Dutch model statement
(digitoegankelijk.nl): the compliance status A–E in its official wording,
the last audit (date, method, by whom), the known issues, contact and
response time, and the date of the statement. render/home.py writes it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .errors import ConfigError
from .i18n import _

# The compliance statuses (nalevingsstatus) of the model statement, in their official wording.
STATUSES = {
    "A": "voldoet volledig",
    "B": "voldoet gedeeltelijk",
    "C": "eerste maatregelen genomen",
    "D": "eisen nog niet vervuld",
    "E": "niet bekend",
}
# The build warns when the last audit is older than this.
AUDIT_MAX_AGE_DAYS = 365
_KEYS = ("organisation", "status", "statement_date", "audit_date", "audit_method", "audited_by", "known_issues",
         "contact", "response_time")


@dataclass(frozen=True)
class Accessibility:
    status: str = "E"
    organisation: str | None = None
    statement_date: dt.date | None = None
    audit_date: dt.date | None = None
    audit_method: str | None = None
    audited_by: str | None = None
    known_issues: tuple[str, ...] | None = None
    contact: str | None = None
    response_time: str | None = None

    @property
    def status_text(self) -> str:
        return STATUSES[self.status]

    def audit_problem(self, today: dt.date) -> str | None:
        """A warning when the last audit is more than a year old."""
        if self.audit_date is None or (today - self.audit_date).days <= AUDIT_MAX_AGE_DAYS:
            return None
        return _("accessibility.audit_date {date} is more than a year ago: have the site tested again and update "
                 "the accessibility statement in mkdocs.yml").format(date=self.audit_date.isoformat())


def check_accessibility(raw: dict[str, Any], source: str) -> Accessibility:
    problems = []
    for key in raw:
        if key not in _KEYS:
            problems.append(_("unknown key {key} (known: {keys})").format(key=repr(key), keys=", ".join(_KEYS)))
    status = raw.get("status", "E")
    if not isinstance(status, str) or status.strip().upper() not in STATUSES:
        problems.append(_("status: expected one of A, B, C, D, E, found {value}").format(value=repr(status)))
        status = "E"
    dates = {}
    for key in ("statement_date", "audit_date"):
        dates[key] = _date(raw.get(key), key, problems)
    texts = {}
    for key in ("organisation", "audit_method", "audited_by", "contact", "response_time"):
        value = raw.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            problems.append(_("{key}: expected a text, found {value}").format(key=key, value=repr(value)))
            value = None
        texts[key] = value.strip() if value else None
    issues = raw.get("known_issues")
    if issues is not None and (not isinstance(issues, list) or not all(isinstance(i, str) and i.strip() for i in issues)):
        problems.append(_("known_issues: expected a list of texts"))
        issues = None
    if problems:
        raise ConfigError(_("{file}: invalid accessibility option: {problems}").format(
            file=source, problems="; ".join(problems)))
    return Accessibility(status=status.strip().upper(), known_issues=None if issues is None else tuple(issues),
                         **dates, **texts)


def _date(value: Any, key: str, problems: list[str]) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    problems.append(_("{key}: expected a date like 2026-11-20, found {value}").format(key=key, value=repr(value)))
    return None
