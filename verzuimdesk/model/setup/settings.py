"""Administration operations behind the Kalender and Instellingen screens (days off, lesweken, region,
school data, leerplichtambtenaren, reasons). Same conventions as :mod:`verzuimdesk.model.setup.pupils_groups`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from verzuimdesk.model import dutch
from verzuimdesk.model.audit import audit
from verzuimdesk.model.concurrency import check_version, lock_name
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.school.calendar import SchoolCalendar, daterange, regional_school_holidays
from verzuimdesk.model.school.reasons import save_reason
from verzuimdesk.model.school.records import get_school, save_school
from verzuimdesk.model.setup.pupils_groups import WEEKDAY_SHORT, apply_fields, edited
from verzuimdesk.model.tables import (
    AbsenceEntry,
    DayOff,
    DayOffKind,
    Group,
    LeerplichtContact,
    Reason,
    ReasonMappingChange,
    School,
    SchoolYear,
)

DAY_OFF_KIND_LABELS = {
    DayOffKind.HOLIDAY.value: "Schoolvakantie",
    DayOffKind.PUBLIC_HOLIDAY.value: "Feestdag",
    DayOffKind.STUDY_DAY.value: "Studiedag",
    DayOffKind.OTHER.value: "Vrij (overig)",
}


# ----------------------------------------------------------------------------------------- calendar


@dataclass(frozen=True)
class DayMark:
    """How a day shows in the year view: a whole-school day off and/or partial free periods."""

    kind: str  # DayOffKind value, "" for a school day, "weekend"
    text: str
    partial: tuple[str, ...] = ()


@dataclass(frozen=True)
class YearOverview:
    year: SchoolYear
    days: dict[dt.date, DayMark]
    lesweken: list[tuple[int, dt.date]]  # (number within the year, Monday)
    school_days: int

    def lesweek_number(self, monday: dt.date) -> int | None:
        return {m: n for n, m in self.lesweken}.get(monday)


def lesweken_of_year(session: Session, year_id: int) -> list[tuple[int, dt.date]]:
    """School-level lesweken of the year, numbered 1, 2, … (weeks wholly off are skipped)."""
    year = _year(session, year_id)
    mondays = SchoolCalendar(session, year.start_date, year.end_date).lesweken()
    return list(enumerate(mondays, start=1))


def _year(session: Session, year_id: int) -> SchoolYear:
    year = session.get(SchoolYear, year_id)
    if year is None:
        raise ValidationError("Dit schooljaar bestaat niet (meer).")
    return year


def year_overview(session: Session, year_id: int) -> YearOverview:
    year = _year(session, year_id)
    cal = SchoolCalendar(session, year.start_date, year.end_date)
    groups = {g.id: g.name for g in session.exec(select(Group)).all()}
    partial: dict[dt.date, list[str]] = {}
    for row in session.exec(select(DayOff).where(DayOff.date_from <= year.end_date,
                                                 DayOff.date_to >= year.start_date)).all():
        if row.group_id is None and row.start_minute is None:
            continue
        who = groups.get(row.group_id, "") if row.group_id else "hele school"
        when = (f" {dutch.clock(row.start_minute)}–{dutch.clock(row.end_minute)}"
                if row.start_minute is not None and row.end_minute is not None else "")
        for day in daterange(max(row.date_from, year.start_date), min(row.date_to, year.end_date)):
            if day.weekday() < 5 and (row.weekday is None or day.weekday() == row.weekday):
                partial.setdefault(day, []).append(f"{row.description} ({who}{when})")
    days: dict[dt.date, DayMark] = {}
    for day in daterange(year.start_date, year.end_date):
        off = cal.day_off(day)
        if day.weekday() >= 5:
            days[day] = DayMark("weekend", "weekend")
        elif off is not None:
            days[day] = DayMark(off.kind, off.description or DAY_OFF_KIND_LABELS.get(off.kind, off.kind))
        else:
            days[day] = DayMark("", "", tuple(partial.get(day, ())))
    mondays = cal.lesweken()
    return YearOverview(year, days, list(enumerate(mondays, start=1)), len(cal.school_days()))


@dataclass(frozen=True)
class DayOffRow:
    id: int
    kind: str
    date_from: dt.date
    date_to: dt.date
    description: str
    group: str
    weekday: str
    times: str
    group_id: int | None
    version: int = 0  # as listed: deleting a day off changed meanwhile on another PC is a conflict (issue 14)


def days_off_of_year(session: Session, year_id: int) -> list[DayOffRow]:
    year = _year(session, year_id)
    groups = {g.id: g.name for g in session.exec(select(Group)).all()}
    rows = session.exec(select(DayOff).where(DayOff.date_from <= year.end_date, DayOff.date_to >= year.start_date)
                        .order_by(col(DayOff.date_from))).all()  # fmt: skip
    out = []
    for r in rows:
        assert r.id is not None
        times = (f"{dutch.clock(r.start_minute)}–{dutch.clock(r.end_minute)}"
                 if r.start_minute is not None and r.end_minute is not None else "hele dag")
        out.append(DayOffRow(r.id, DAY_OFF_KIND_LABELS.get(r.kind, r.kind), r.date_from, r.date_to, r.description,
                             groups.get(r.group_id, "") if r.group_id else "hele school",
                             "" if r.weekday is None else WEEKDAY_SHORT[r.weekday], times, r.group_id, r.version))
    return out


def update_day_off(session: Session, day_off_id: int, *, expected_version: int | None = None, **fields: Any) -> DayOff:
    """Change a day off; the same checks as :func:`verzuimdesk.model.school.calendar.add_day_off`.
    ``expected_version``: as the dialog loaded it; changed meanwhile on another PC → a conflict (issue 14)."""
    row = session.get(DayOff, day_off_id)
    if row is not None:
        check_version(session, DayOff, day_off_id, expected_version, f"De vrije dag ‘{row.description}’",
                      fields=fields)  # fmt: skip
    if row is None:
        raise ValidationError("Deze vrije dag bestaat niet (meer).")
    apply_fields(row, fields)
    if row.date_to < row.date_from:
        raise ValidationError("De einddatum ligt vóór de begindatum.")
    if (row.start_minute is None) != (row.end_minute is None):
        raise ValidationError("Geef bij een vrij dagdeel zowel de begin- als de eindtijd op.")
    if row.start_minute is not None and row.end_minute is not None and row.end_minute <= row.start_minute:
        raise ValidationError("De eindtijd van het vrije dagdeel ligt niet na de begintijd.")
    if not row.description.strip():
        raise ValidationError("Geef een omschrijving, bijvoorbeeld 'Studiedag'.")
    row.description = row.description.strip()
    row.from_region_table = False
    session.add(row)
    session.flush()
    return row


def delete_day_off(session: Session, day_off_id: int, *, expected_version: int | None = None) -> None:
    row = session.get(DayOff, day_off_id)
    if row is not None:
        check_version(session, DayOff, day_off_id, expected_version, f"De vrije dag ‘{row.description}’",
                      (f"Verwijderen: {row.description}",))
    if row is None:
        raise ValidationError("Deze vrije dag bestaat niet (meer).")
    session.delete(row)
    session.flush()


def next_school_year_name(session: Session, today: dt.date) -> str:
    """The school year after the last one in the database (or the current one when there is none)."""
    last = session.exec(select(SchoolYear).order_by(col(SchoolYear.start_date).desc())).first()
    start = last.start_date.year + 1 if last else (today.year if today.month >= 8 else today.year - 1)
    return f"{start}-{start + 1}"


def apply_region_holidays(session: Session, region: str, today: dt.date) -> list[str]:
    """Replace the regional school holidays of school years that have not started by those of ``region``;
    holidays the school changed by hand stay. Returns the names of the school years changed."""
    changed = []
    for year in session.exec(select(SchoolYear).where(SchoolYear.start_date > today)).all():
        for row in session.exec(select(DayOff).where(DayOff.school_year_id == year.id, DayOff.from_region_table == True,
                                                     DayOff.kind == DayOffKind.HOLIDAY.value)).all():  # fmt: skip
            session.delete(row)
        session.flush()
        for p in regional_school_holidays(region, year.name):
            session.add(DayOff(school_year_id=year.id, date_from=p.start, date_to=p.end, kind=DayOffKind.HOLIDAY.value,
                               description=p.name, from_region_table=True))
        changed.append(year.name)
    session.flush()
    return changed


# ----------------------------------------------------------------------------------------- settings


def save_school_details(session: Session, fields: dict[str, Any], *, update_holidays_from: dt.date | None = None,
                        expected_version: int | None = None) -> School:
    """Store the school data; with ``update_holidays_from`` a changed region also replaces the regional
    holidays of school years starting after that date. ``expected_version``: the version of the school's record
    as the screen loaded it (0 = there was none); changed meanwhile on another PC → a conflict (issue 14)."""
    _check_school(session, expected_version, fields)
    school = get_school(session) or School(name="")
    old_region = school.region if school.id is not None else None
    apply_fields(school, fields)
    save_school(session, school)
    if update_holidays_from is not None and old_region is not None and old_region != school.region:
        years = apply_region_holidays(session, school.region, update_holidays_from)
        audit(session, "regio gewijzigd", f"{old_region} → {school.region}; vakanties bijgewerkt: {', '.join(years) or '-'}")
    return school


def _check_school(session: Session, expected_version: int | None, fields: dict[str, Any] | None = None) -> None:
    """The school's record still has the version the screen loaded (one row; a first save locks its name, so that
    two PCs setting up the school at once do not make two)."""
    if expected_version is None:
        return
    lock_name(session, "school")
    stored = get_school(session)
    check_version(session, School, stored.id if stored else -1, expected_version, "De gegevens van de school",
                  fields=fields)


def save_leerplicht_contact(session: Session, contact_id: int | None, fields: dict[str, Any], *,
                            expected_version: int | None = None) -> LeerplichtContact:
    """Add (``contact_id`` None) or change a leerplichtambtenaar; ``expected_version`` as the dialog loaded it."""
    fields = {k: (v or "").strip() for k, v in fields.items()}
    lock_name(session, f"leerplichtcontact:{fields.get('gemeente', '')}")  # two PCs adding the same gemeente
    if contact_id is not None:
        stored = session.get(LeerplichtContact, contact_id)
        check_version(session, LeerplichtContact, contact_id, expected_version,
                      f"De leerplichtambtenaar van {stored.gemeente if stored else 'deze gemeente'}", fields=fields)
    contact = LeerplichtContact(gemeente="") if contact_id is None else session.get(LeerplichtContact, contact_id)
    if contact is None:
        raise ValidationError("Deze leerplichtambtenaar bestaat niet (meer).")
    apply_fields(contact, fields)
    if not contact.gemeente:
        raise ValidationError("Geef de gemeente op waarvoor deze leerplichtambtenaar werkt.")
    if contact.email and "@" not in contact.email:
        raise ValidationError(f"'{contact.email}' is geen geldig e-mailadres.")
    clash = session.exec(select(LeerplichtContact).where(LeerplichtContact.gemeente == contact.gemeente)).first()
    if clash is not None and clash.id != contact.id:
        raise ValidationError(f"Voor de gemeente {contact.gemeente} is al een leerplichtambtenaar vastgelegd.")
    session.add(contact)
    session.flush()
    return contact


def delete_leerplicht_contact(session: Session, contact_id: int, *, expected_version: int | None = None) -> None:
    """Remove a leerplichtambtenaar; one changed meanwhile on another PC (``expected_version``) is a conflict."""
    contact = session.get(LeerplichtContact, contact_id)
    if contact is not None:
        check_version(session, LeerplichtContact, contact_id, expected_version,
                      f"De leerplichtambtenaar van {contact.gemeente}", (f"Verwijderen: {contact.gemeente}",))
    if contact is None:
        raise ValidationError("Deze leerplichtambtenaar bestaat niet (meer).")
    session.delete(contact)
    session.flush()


def mapping_change_needs_why(session: Session, reason_id: int | None, category: str, legal_ground: str) -> bool:
    """True when saving this mapping changes a reason that is already used in the register."""
    if reason_id is None:
        return False
    stored = session.get(Reason, reason_id)
    if stored is None or (stored.category, stored.legal_ground) == (category, legal_ground):
        return False
    return session.exec(select(AbsenceEntry.id).where(AbsenceEntry.reason_id == reason_id).limit(1)).first() is not None


def save_reason_details(session: Session, reason_id: int | None, fields: dict[str, Any], *, by: str,
                        why: str = "", now: dt.datetime | None = None, expected_version: int | None = None) -> Reason:
    """Create or change a reason through :func:`save_reason` (audited mapping changes); ``expected_version`` as
    the editor loaded it (issue 14)."""
    stored = session.get(Reason, reason_id) if reason_id is not None else None
    what = f"De reden {stored.code} ({stored.name})" if stored else "Deze reden"
    with session.no_autoflush:
        reason = edited(session, Reason, reason_id, fields, "Deze reden bestaat niet (meer).",
                        expected_version=expected_version, what=what)
        return save_reason(session, reason, by=by, why=why, now=now)


@dataclass(frozen=True)
class MappingChangeRow:
    at: dt.datetime
    by: str
    reason: str
    old: tuple[str, str]
    new: tuple[str, str]
    why: str


def reason_mapping_history(session: Session) -> list[MappingChangeRow]:
    rows = session.exec(select(ReasonMappingChange, Reason).join(Reason, col(Reason.id) == col(ReasonMappingChange.reason_id))
                        .order_by(col(ReasonMappingChange.changed_at).desc())).all()  # fmt: skip
    return [MappingChangeRow(c.changed_at, c.changed_by, f"{r.code} {r.name}", (c.old_category, c.old_legal_ground),
                             (c.new_category, c.new_legal_ground), c.why) for c, r in rows]



LOGO_SUFFIXES = (".png", ".jpg", ".jpeg")


def set_school_logo(session: Session, source: Path | None, folder: Path, *,
                    expected_version: int | None = None) -> School:
    """Use the image at ``source`` as the logo on documents (``None`` removes it). The image is checked and
    copied to ``folder``, so that moving or deleting the original does not break the documents.
    ``expected_version``: the school's record as the screen loaded it (issue 14)."""
    import shutil

    from reportlab.lib.utils import ImageReader

    _check_school(session, expected_version, {"logo_path": "(nieuw logo)" if source else "(geen logo)"})
    school = get_school(session)
    if school is None:
        raise ValidationError("Richt eerst de school in.")
    if source is None:
        school.logo_path = ""
    else:
        if source.suffix.lower() not in LOGO_SUFFIXES or not source.is_file():
            raise ValidationError("Kies een afbeelding in PNG- of JPG-formaat als logo.")
        try:
            width, height = ImageReader(str(source)).getSize()
        except Exception:  # noqa: BLE001 - any unreadable image gets the same Dutch message
            raise ValidationError(f"Het bestand {source.name} is geen leesbare afbeelding.") from None
        if width < 16 or height < 16:
            raise ValidationError("Deze afbeelding is te klein voor een logo (minstens 16 × 16 beeldpunten).")
        target = folder / f"schoollogo{source.suffix.lower()}"
        if source.resolve() != target.resolve():
            shutil.copyfile(source, target)
        school.logo_path = str(target)
    session.add(school)
    session.flush()
    audit(session, "logo", school.logo_path or "verwijderd")
    return school
