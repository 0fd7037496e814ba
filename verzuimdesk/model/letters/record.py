"""The dossier knows: every letter made is recorded (what, when, to whom, by whom, the checksum of the file),
and the signal it answered is marked as handled with it (action "brief"); the batch of letters due in a week.

Choice for the batch (``due_moments``): a letter is due in a week for each signal of the ladder, zorgelijk
verzuim or care that arose in that week and is still open, each melding drafted that week, and each
conversation held or planned that week — unless a letter for it has been made already.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass

from sqlmodel import Session, col, select

from verzuimdesk.model import dutch
from verzuimdesk.model.audit import audit
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.signals.inbox import compute_signals, handle_signal
from verzuimdesk.model.letters.compose import Letter
from verzuimdesk.model.letters.fields import SIGNAL_MOMENTS, TALK_HELD, TALK_PLANNED
from verzuimdesk.model.letters.moments import Moment, contact_moment, melding_moment
from verzuimdesk.model.school.calendar import week_monday
from verzuimdesk.model.store import current_user
from verzuimdesk.model.tables.law import ContactMoment, Melding
from verzuimdesk.model.tables.letters import LetterRecord

FORMATS = ("pdf", "docx")
SENT_AS = ("", "eml", "mailto")


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def record_letters(session: Session, letters: list[Letter], *, fmt: str, data: bytes, file_name: str = "",
                   by: str | None = None, now: dt.datetime | None = None) -> list[LetterRecord]:  # fmt: skip
    """Record ``letters`` (one file, ``data``) in the dossier; a signal they answer is marked handled ("brief")."""
    if fmt not in FORMATS:
        raise ValidationError(f"Onbekend bestandsformaat '{fmt}'; kies pdf of docx.")
    if not letters:
        raise ValidationError("Er zijn geen brieven om vast te leggen.")
    who = by or current_user(session)
    stamp = now or dt.datetime.now()
    digest = checksum(data)
    handled: dict[int, int] = {}  # id(moment) -> SignalHandling.id: one handling per signal, not per addressee
    out = []
    for letter in letters:
        moment = letter.moment
        handling_id: int | None = None
        if moment.signal is not None:
            if id(moment) not in handled:
                row = handle_signal(session, moment.signal, "brief", f"{letter.template.title} gemaakt", by=who,
                                    now=stamp)  # fmt: skip
                assert row.id is not None
                handled[id(moment)] = row.id
            handling_id = handled[id(moment)]
        record = LetterRecord(
            pupil_id=letter.pupil_id, template_key=letter.template.key, template_version=letter.template.version,
            title=letter.template.title, subject=letter.subject, addressee=letter.addressee.names,
            guardian_ids=",".join(str(g) for g in letter.addressee.guardian_ids), made_on=letter.date, format=fmt,
            file_name=file_name, checksum=digest, signal_handling_id=handling_id, melding_id=moment.melding_id,
            contact_id=moment.contact_id, made_by=who, made_at=stamp,
        )  # fmt: skip
        session.add(record)
        out.append(record)
    session.flush()
    pupils = sorted({letter.pupil_key for letter in letters})
    audit(session, "brief", f"{dutch.plural(len(letters), 'brief', 'brieven')} ({fmt}) voor "
          f"{'leerling' if len(pupils) == 1 else 'leerlingen'} {', '.join(pupils)}", by=who)
    return out


def mark_sent(session: Session, record_ids: list[int], how: str, *, by: str | None = None) -> None:
    """Note that the letters were prepared as e-mail (``eml`` or ``mailto``); the program does not send them."""
    if how not in SENT_AS[1:]:
        raise ValidationError("Kies 'eml' of 'mailto'.")
    for rid in record_ids:
        record = session.get(LetterRecord, rid)
        if record is None:
            raise ValidationError("Deze brief staat niet (meer) in het dossier.")
        record.sent_as = how
        session.add(record)
    session.flush()
    audit(session, "brief als e-mail", f"{dutch.plural(len(record_ids), 'brief', 'brieven')} via {how}", by=by)


def letters_of(session: Session, pupil_id: int) -> list[LetterRecord]:
    return list(session.exec(select(LetterRecord).where(LetterRecord.pupil_id == pupil_id)
                             .order_by(col(LetterRecord.made_at).desc(), col(LetterRecord.id).desc())).all())


@dataclass(frozen=True)
class LetterCounts:
    """Letters and conversations in a period (the per-pupil overview and the yearly evaluation)."""

    letters: int
    per_template: dict[str, int]
    conversations_held: int
    conversations_planned: int


def letter_counts(session: Session, start: dt.date, end: dt.date, pupil_id: int | None = None) -> LetterCounts:
    q = select(LetterRecord).where(LetterRecord.made_on >= start, LetterRecord.made_on <= end)
    c = select(ContactMoment).where(ContactMoment.date >= start, ContactMoment.date <= end,
                                    ContactMoment.kind == "gesprek")  # fmt: skip
    if pupil_id is not None:
        q = q.where(LetterRecord.pupil_id == pupil_id)
        c = c.where(ContactMoment.pupil_id == pupil_id)
    records = session.exec(q).all()
    talks = session.exec(c).all()
    return LetterCounts(len(records), dict(Counter(r.title for r in records)),
                        sum(1 for t in talks if not t.planned), sum(1 for t in talks if t.planned))


def due_moments(session: Session, week_of: dt.date) -> list[Moment]:
    """The moments of the week of ``week_of`` (Monday to Sunday) that still need a letter (module docstring)."""
    monday = week_monday(week_of)
    sunday = monday + dt.timedelta(days=6)
    out: list[Moment] = []
    for signal in compute_signals(session, sunday):
        if signal.kind in SIGNAL_MOMENTS and monday <= signal.end <= sunday:
            out.append(Moment(signal.kind, signal.pupil_id, signal=signal))
    lettered_meldingen = set(session.exec(select(LetterRecord.melding_id)
                                          .where(col(LetterRecord.melding_id).is_not(None))).all())  # fmt: skip
    for melding in session.exec(select(Melding).order_by(col(Melding.created_at))).all():
        if monday <= melding.created_at.date() <= sunday and melding.id not in lettered_meldingen:
            out.append(melding_moment(session, melding.id or 0))
    lettered_contacts = set(session.exec(select(LetterRecord.contact_id)
                                         .where(col(LetterRecord.contact_id).is_not(None))).all())  # fmt: skip
    talks = session.exec(select(ContactMoment).where(ContactMoment.kind == "gesprek")
                         .order_by(col(ContactMoment.date), col(ContactMoment.id))).all()  # fmt: skip
    for talk in talks:
        if talk.id in lettered_contacts:
            continue
        made = talk.created_at.date() if talk.planned else talk.date
        if monday <= made <= sunday:
            moment = contact_moment(session, talk.id or 0)
            assert moment.kind in (TALK_HELD, TALK_PLANNED)
            out.append(moment)
    return out


def due_letters(session: Session, week_of: dt.date) -> list[tuple[str, list[Moment]]]:
    """The letters due in the week of ``week_of``: (template key, the moments it answers). Two signals of one
    pupil that call for the same letter (say, two rules of zorgelijk verzuim) share one letter, not two on the
    same day; the first moment is the one the letter is written for."""
    from verzuimdesk.model.letters.moments import fitting_templates

    groups: dict[tuple[int, str, int], tuple[str, list[Moment]]] = {}
    for n, m in enumerate(due_moments(session, week_of)):
        key = fitting_templates(session, m)[0]
        groups.setdefault((m.pupil_id, key, 0 if m.signal is not None else n + 1), (key, []))[1].append(m)
    return list(groups.values())


@dataclass(frozen=True)
class DueLetter:
    """A line of the week's list: the pupil, what happened, and the letter that fits."""

    pupil_name: str
    what: str
    letter: str
    moments: list[Moment]


def due_overview(session: Session, week_of: dt.date) -> list[DueLetter]:
    from verzuimdesk.model.letters.defaults import DEFAULT_BY_KEY
    from verzuimdesk.model.school.names import display_name
    from verzuimdesk.model.tables import Pupil

    out = []
    for key, moments in due_letters(session, week_of):
        pupil = session.get(Pupil, moments[0].pupil_id)
        out.append(DueLetter(display_name(pupil) if pupil else "", "; ".join(m.describe() for m in moments),
                             DEFAULT_BY_KEY[key].title, moments))  # fmt: skip
    return out
