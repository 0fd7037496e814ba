"""The school's letter templates and their versions.

Every template has a built-in default (version 0, :mod:`defaults`). Saving an edited text adds a new
version; nothing is overwritten, so a letter in the dossier can always be traced to the exact text it was
made from (:class:`~verzuimdesk.model.tables.letters.LetterRecord` keeps the version). Going back to the
default or to an older version is saving that text again as a new version.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from verzuimdesk.model.audit import audit
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.letters.defaults import DEFAULT_BY_KEY, DEFAULTS
from verzuimdesk.model.letters.fields import check_fields
from verzuimdesk.model.store import current_user
from verzuimdesk.model.tables.letters import LetterTemplate

MAX_SUBJECT = 200


@dataclass(frozen=True)
class Template:
    """A template as the letters use it: the text of one version."""

    key: str
    title: str
    moment: str
    subject: str
    body: str
    version: int  # 0: the built-in default
    created_by: str = ""
    created_at: dt.datetime | None = None
    note: str = ""

    @property
    def is_default(self) -> bool:
        return self.version == 0


def _default(key: str) -> Template:
    d = DEFAULT_BY_KEY.get(key)
    if d is None:
        known = ", ".join(t.key for t in DEFAULTS)
        raise ValidationError(f"Onbekend briefsjabloon '{key}'. Kies uit: {known}.")
    return Template(d.key, d.title, d.moment, d.subject, d.body, 0, note="standaardtekst")


def _of(row: LetterTemplate) -> Template:
    moment = DEFAULT_BY_KEY[row.key].moment
    return Template(row.key, row.title, moment, row.subject, row.body, row.version, row.created_by, row.created_at,
                    row.note)  # fmt: skip


def template_versions(session: Session, key: str) -> list[Template]:
    """All versions of ``key``, newest first, ending with the built-in default (version 0)."""
    default = _default(key)
    rows = session.exec(select(LetterTemplate).where(LetterTemplate.key == key)
                        .order_by(col(LetterTemplate.version).desc())).all()  # fmt: skip
    return [_of(r) for r in rows] + [default]


def current_template(session: Session, key: str) -> Template:
    return template_versions(session, key)[0]


def all_templates(session: Session) -> list[Template]:
    """The version in use of every template, in the order of :data:`DEFAULTS`."""
    return [current_template(session, d.key) for d in DEFAULTS]


def check_template(moment: str, subject: str, body: str) -> None:
    """Dutch errors for an empty text, an over-long subject, an unknown field or a field without a value at the
    template's moment."""
    if not subject.strip():
        raise ValidationError("Geef de brief een onderwerp (de regel 'Betreft').")
    if len(subject) > MAX_SUBJECT or "\n" in subject.strip():
        raise ValidationError("Het onderwerp is één regel van hooguit 200 tekens.")
    if not body.strip():
        raise ValidationError("De brieftekst is leeg.")
    check_fields(subject, moment)
    check_fields(body, moment)


def save_template(session: Session, key: str, *, subject: str, body: str, title: str | None = None, note: str = "",
                  by: str | None = None, now: dt.datetime | None = None) -> Template:  # fmt: skip
    """Store an edited text as the next version of ``key`` (checked first; an unchanged text is refused)."""
    current = current_template(session, key)
    subject, body = subject.strip(), body.strip()
    title = (title or current.title).strip()
    if not title:
        raise ValidationError("Geef het sjabloon een naam.")
    check_template(current.moment, subject, body)
    if (subject, body, title) == (current.subject, current.body, current.title):
        raise ValidationError("De tekst is niet gewijzigd; er is geen nieuwe versie opgeslagen.")
    who = by or current_user(session)
    row = LetterTemplate(key=key, version=_next_version(session, key),
                         title=title, subject=subject, body=body, note=note.strip(), created_by=who,
                         created_at=now or dt.datetime.now())  # fmt: skip
    session.add(row)
    session.flush()
    audit(session, "briefsjabloon", f"{key} versie {row.version}", by=who)
    return _of(row)


def _next_version(session: Session, key: str) -> int:
    rows = session.exec(select(LetterTemplate.version).where(LetterTemplate.key == key)).all()
    return max(rows, default=0) + 1


def restore_version(session: Session, key: str, version: int, *, by: str | None = None,
                    now: dt.datetime | None = None) -> Template:  # fmt: skip
    """Use an older version (or the default, version 0) again: its text becomes the next version."""
    old = next((t for t in template_versions(session, key) if t.version == version), None)
    if old is None:
        raise ValidationError(f"Versie {version} van dit sjabloon bestaat niet.")
    label = "de standaardtekst" if version == 0 else f"versie {version}"
    return save_template(session, key, subject=old.subject, body=old.body, title=old.title,
                         note=f"Teruggezet naar {label}.", by=by, now=now)
