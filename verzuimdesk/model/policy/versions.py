"""The working text of the verzuimbeleid (the generated sections with the school's edits), saved versions, the
MR's consent, and the warning when the settings changed since the version the MR consented to (domain.md §9).

The edits are kept in the setting ``schoolgids_concept`` (JSON: per section key the edited heading and/or
text, whether it is switched on, and a hash of the generated text the edit was based on, so a section edited
before the settings changed is marked *stale*). A saved :class:`PolicyVersion` holds the complete sections (all
of them, with their on/off state) and :func:`~verzuimdesk.model.policy.text.settings_fingerprint` of the moment
it was saved. The ouder- and leerlinggeleding of the MR consents to the schoolgids (seed 004 L388): its date
is recorded per version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from sqlmodel import Session, col, select

from verzuimdesk.model import dutch
from verzuimdesk.model.audit import audit
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.policy.inputs import (
    FINGERPRINT_LABELS,
    gather_inputs,
    parse_fingerprint,
    settings_fingerprint,
)
from verzuimdesk.model.policy.sections import PolicyDocument, Section
from verzuimdesk.model.policy.text import generate_sections
from verzuimdesk.model.school.records import get_school
from verzuimdesk.model.store import current_user, get_setting, set_setting
from verzuimdesk.model.tables.documents import PolicyVersion

DRAFT_KEY = "schoolgids_concept"
TITLE = "Verzuimbeleid"


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _load_draft(session: Session) -> dict[str, dict[str, Any]]:
    text = get_setting(session, DRAFT_KEY, "")
    try:
        data = json.loads(text) if text else {}
    except ValueError:
        raise ValidationError("De concepttekst van het verzuimbeleid is beschadigd; zet de secties terug naar de "
                              "gegenereerde tekst.") from None  # fmt: skip
    return data if isinstance(data, dict) else {}


def _store_draft(session: Session, data: dict[str, dict[str, Any]]) -> None:
    set_setting(session, DRAFT_KEY, json.dumps({k: v for k, v in data.items() if v}, ensure_ascii=False,
                                               sort_keys=True))  # fmt: skip


def merge(generated: list[Section], draft: dict[str, dict[str, Any]]) -> list[Section]:
    """The generated sections with the school's edits applied (pure)."""
    out = []
    for sec in generated:
        edit = draft.get(sec.key, {})
        heading = edit.get("heading") or sec.heading
        edited_text = edit.get("text")
        text = edited_text if edited_text is not None else sec.text
        enabled = True if sec.mandatory else bool(edit.get("enabled", sec.enabled))
        edited = heading != sec.heading or text != sec.text
        stale = edit.get("text") is not None and edit.get("based_on") not in (None, _hash(sec.text))
        out.append(Section(sec.key, heading, text, sec.mandatory, enabled, edited, stale))
    return out


def draft_sections(session: Session) -> list[Section]:
    """The current working text: every section, generated from the settings, with the school's edits."""
    return merge(generate_sections(gather_inputs(session)), _load_draft(session))


def _generated(session: Session, key: str) -> Section:
    for sec in generate_sections(gather_inputs(session)):
        if sec.key == key:
            return sec
    raise ValidationError(f"Onbekende sectie '{key}'.")


def edit_section(session: Session, key: str, *, heading: str | None = None, text: str | None = None) -> Section:
    """Store an edited heading and/or text; a value equal to the generated one removes the edit."""
    sec = _generated(session, key)
    draft = _load_draft(session)
    edit = dict(draft.get(key, {}))
    if heading is not None:
        if not heading.strip():
            raise ValidationError("Geef de sectie een kop.")
        edit["heading"] = heading.strip() if heading.strip() != sec.heading else None
    if text is not None:
        clean = text.replace("\r\n", "\n").strip()
        if not clean:
            raise ValidationError("De tekst van een sectie kan niet leeg zijn; zet de sectie uit of terug naar de "
                                  "gegenereerde tekst.")  # fmt: skip
        edit["text"] = clean if clean != sec.text else None
        edit["based_on"] = _hash(sec.text) if edit["text"] is not None else None
    draft[key] = {k: v for k, v in edit.items() if v is not None}
    _store_draft(session, draft)
    return next(s for s in merge([sec], draft) if s.key == key)


def reset_section(session: Session, key: str) -> Section:
    """Back to the generated heading and text (the on/off choice stays)."""
    sec = _generated(session, key)
    draft = _load_draft(session)
    edit = {k: v for k, v in draft.get(key, {}).items() if k == "enabled"}
    draft[key] = edit
    _store_draft(session, draft)
    return merge([sec], draft)[0]


def set_section_enabled(session: Session, key: str, enabled: bool) -> None:
    sec = _generated(session, key)
    if sec.mandatory and not enabled:
        raise ValidationError(f"'{sec.heading}' is een verplicht onderdeel van het verzuimbeleid en kan niet uit.")
    draft = _load_draft(session)
    edit = dict(draft.get(key, {}))
    edit["enabled"] = enabled
    if enabled == sec.enabled:
        edit.pop("enabled")
    draft[key] = edit
    _store_draft(session, draft)


# ---------------------------------------------------------------------------------------------- versions


def save_version(session: Session, *, school_year: str, note: str = "", by: str | None = None,
                 now: dt.datetime | None = None) -> PolicyVersion:  # fmt: skip
    """A version of the working text, with the fingerprint of the settings it was generated from."""
    if not school_year.strip():
        raise ValidationError("Geef het schooljaar van de schoolgids op, bijvoorbeeld 2026-2027.")
    sections = draft_sections(session)
    version = PolicyVersion(
        title=TITLE, school_year=school_year.strip(), note=note.strip(),
        sections_json=json.dumps([s.to_json() for s in sections], ensure_ascii=False),
        settings_fingerprint=settings_fingerprint(session), created_by=by or current_user(session),
        created_at=now or dt.datetime.now(),
    )  # fmt: skip
    session.add(version)
    session.flush()
    audit(session, "verzuimbeleid opgeslagen", f"versie {version.id} ({version.school_year})", by=version.created_by)
    return version


def record_consent(session: Session, version_id: int, on: dt.date, *, by: str | None = None,
                   today: dt.date | None = None) -> PolicyVersion:  # fmt: skip
    """Record the date on which the MR (ouder- en leerlinggeleding) consented to this version."""
    version = get_version(session, version_id)
    if on > (today or dt.date.today()):
        raise ValidationError("De datum van instemming ligt in de toekomst; leg de instemming vast als de MR heeft "
                              "ingestemd.")  # fmt: skip
    version.mr_consent_date = on
    session.add(version)
    session.flush()
    audit(session, "instemming MR", f"versie {version_id}: {on.isoformat()}", by=by)
    return version


def get_version(session: Session, version_id: int) -> PolicyVersion:
    version = session.get(PolicyVersion, version_id)
    if version is None:
        raise ValidationError(f"Versie {version_id} van het verzuimbeleid bestaat niet.")
    return version


def versions(session: Session) -> list[PolicyVersion]:
    """All saved versions, newest first."""
    return list(session.exec(select(PolicyVersion).order_by(col(PolicyVersion.id).desc())).all())


def version_sections(version: PolicyVersion) -> list[Section]:
    return [Section.from_json(item) for item in json.loads(version.sections_json or "[]")]


def last_consented(session: Session) -> PolicyVersion | None:
    return session.exec(
        select(PolicyVersion).where(col(PolicyVersion.mr_consent_date).is_not(None))
        .order_by(col(PolicyVersion.mr_consent_date).desc(), col(PolicyVersion.id).desc())
    ).first()  # fmt: skip


def changed_parts(old: str, new: str) -> list[str]:
    """The parts (keys of FINGERPRINT_LABELS) whose hash differs between two fingerprints."""
    before, after = parse_fingerprint(old), parse_fingerprint(new)
    return [key for key in FINGERPRINT_LABELS if before.get(key) != after.get(key)]


def policy_out_of_date(session: Session) -> str | None:
    """A Dutch warning when the settings the text is generated from changed since the version the MR consented
    to (naming what changed), else None (also when no version has the MR's consent yet)."""
    version = last_consented(session)
    if version is None:
        return None
    current = settings_fingerprint(session)
    if current == version.settings_fingerprint:
        return None
    parts = changed_parts(version.settings_fingerprint, current)
    what = ", ".join(FINGERPRINT_LABELS[p] for p in parts) if parts else "de instellingen"
    date = dutch.date_long(version.mr_consent_date) if version.mr_consent_date else ""
    return (f"Het programma werkt niet meer precies zoals het verzuimbeleid waarmee de MR op {date} instemde "
            f"(versie {version.id}): gewijzigd zijn {what}. Sla een nieuwe versie op en leg die voor aan de MR.")


# ---------------------------------------------------------------------------------------------- documents


def version_line(version: PolicyVersion | None) -> str:
    if version is None:
        return "Concepttekst, nog niet opgeslagen als versie"
    line = f"Versie {version.id}, opgeslagen op {dutch.date_long(version.created_at.date())}"
    if version.mr_consent_date:
        return line + f"; instemming medezeggenschapsraad op {dutch.date_long(version.mr_consent_date)}"
    return line + "; nog geen instemming van de medezeggenschapsraad"


def policy_document(session: Session, version_id: int | None = None, *, school_year: str = "") -> PolicyDocument:
    """The document to write: a saved version, or (``version_id`` None) the current working text."""
    school = get_school(session)
    version = get_version(session, version_id) if version_id is not None else None
    sections = version_sections(version) if version is not None else draft_sections(session)
    return PolicyDocument(
        title=version.title if version is not None else TITLE, school_name=school.name if school else "",
        school_year=version.school_year if version is not None else school_year, version_line=version_line(version),
        sections=tuple(s for s in sections if s.enabled),
    )  # fmt: skip
