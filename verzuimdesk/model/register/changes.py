"""Changes to the register, written to the audit trail (issue 10 §5).

Every set, change or removal of a registration is one line in the trail: the pupil, the date and time
span, the register as it was (old) and as it is (new), who, when, and why where a reason is required.

The reason rule. A registration that is older than N school days (setting
``wijzigen_met_reden_na_schooldagen``, default 5) can only be changed or removed with a reason.
Choices, where the issue leaves room:
- "older" is measured from the later of the registration's date and the day it was entered (both must
  lie more than N school days back): a lesson entered today for a day last month can still be corrected
  today; the day's register as the school confirmed it is closed after N school days.
- adding absence where nothing was registered is not a change of a registration (the trail records it,
  old "geen registratie"); a late report from the parents needs no extra reason.
- changes that carry their own reason need none from the user: a leave decision (source "verlof",
  decided and audited in model/law/leave.py) and an import (audited with its file).
- school days are counted with the school calendar (weekdays in a school year that are not a whole
  school day off), from the day after the registration up to and including today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlmodel import Session, select

from verzuimdesk.model import dutch
from verzuimdesk.model.audit import audit
from verzuimdesk.model.errors import ChangeReasonRequired, ValidationError
from verzuimdesk.model.school.calendar import SchoolCalendar
from verzuimdesk.model.store import get_setting, set_setting
from verzuimdesk.model.tables import AbsenceEntry, Reason, Source

REASON_DAYS_KEY = "wijzigen_met_reden_na_schooldagen"
DEFAULT_REASON_DAYS = 5
NOTHING = "geen registratie"
SELF_JUSTIFIED = {Source.LEAVE.value, Source.IMPORT.value}


def reason_days(session: Session) -> int:
    """N: after this many school days a registration can only be changed with a reason."""
    text = get_setting(session, REASON_DAYS_KEY, str(DEFAULT_REASON_DAYS)).strip()
    try:
        value = int(text)
    except ValueError:
        raise ValidationError(f"De instelling '{REASON_DAYS_KEY}' moet een geheel getal zijn, niet '{text}'.") from None
    return max(value, 0)


def set_reason_days(session: Session, days: int) -> None:
    if not 0 <= days <= 200:
        raise ValidationError("Kies een aantal schooldagen van 0 tot en met 200.")
    set_setting(session, REASON_DAYS_KEY, str(days))


def school_days_since(session: Session, day: dt.date, today: dt.date) -> int:
    """School days after ``day`` up to and including ``today`` (0 when ``day`` is today or later)."""
    if day >= today:
        return 0
    start = day + dt.timedelta(days=1)
    return len(SchoolCalendar(session, start, today).school_days())


def describe(session: Session, rows: Iterable[AbsenceEntry]) -> str:
    """The register as text: "09:00–09:45 Z (Ziek); 10:30–11:15 L 10 min", or "geen registratie"."""
    parts: list[str] = []
    for row in sorted(rows, key=lambda r: r.start_minute):
        reason = session.get(Reason, row.reason_id)
        code = f"{reason.code} ({reason.name})" if reason else f"reden {row.reason_id}"
        late = f" {row.minutes_late} min" if row.minutes_late else ""
        note = f" — {row.note}" if row.note else ""
        parts.append(f"{dutch.clock(row.start_minute)}–{dutch.clock(row.end_minute)} {code}{late}{note}")
    return "; ".join(parts) or NOTHING


def overlapping(session: Session, pupil_id: int, day: dt.date, start: int, end: int) -> list[AbsenceEntry]:
    return list(session.exec(
        select(AbsenceEntry).where(
            AbsenceEntry.pupil_id == pupil_id, AbsenceEntry.date == day,
            AbsenceEntry.start_minute < end, AbsenceEntry.end_minute > start,
        )
    ).all())  # fmt: skip


def require_reason(session: Session, old_rows: Iterable[AbsenceEntry], change_reason: str, source: str,
                   today: dt.date) -> None:
    """Refuse (Dutch, :class:`ChangeReasonRequired`) a change of an old registration without a reason."""
    if change_reason.strip() or source in SELF_JUSTIFIED:
        return
    rows = list(old_rows)
    if not rows:
        return
    limit = reason_days(session)
    for row in rows:
        entered = row.created_at.date() if row.created_at else row.date
        if school_days_since(session, max(row.date, entered), today) > limit:
            raise ChangeReasonRequired(
                f"De registratie van {dutch.date_long(row.date)} is ouder dan {limit} schooldagen. Geef een reden "
                "voor deze wijziging; die komt met de wijziging in het logboek."
            )


def record_change(session: Session, action: str, pupil_id: int, day: dt.date, start: int, end: int, old: str,
                  new: str, *, by: str | None, change_reason: str = "", source: str = "") -> None:
    """One line in the trail for a change of the register of one pupil in ``[start, end)`` on ``day``."""
    where = f"{dutch.date_long(day)} {dutch.clock(start)}–{dutch.clock(end)}"
    detail = f"{where} ({source})" if source else where
    audit(session, action, detail, by=by, pupil_id=pupil_id, old=old, new=new, reason=change_reason)


def record_removal(session: Session, row: AbsenceEntry, why: str, *, by: str | None = None) -> None:
    """A registration deleted as a whole by another operation (e.g. a withdrawn leave request)."""
    record_change(session, "registratie verwijderd", row.pupil_id, row.date, row.start_minute, row.end_minute,
                  describe(session, [row]), NOTHING, by=by, change_reason=why)  # fmt: skip
