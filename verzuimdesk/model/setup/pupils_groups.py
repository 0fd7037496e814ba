"""Administration operations behind the Leerlingen and Groepen screens (calendar and settings:
:mod:`verzuimdesk.model.setup.settings`).

Each function works inside the caller's transaction and checks its input with Dutch messages. Updates
load the stored row in the caller's session and change it there (``no_autoflush`` keeps the checks of
:mod:`verzuimdesk.model.school.records` and :mod:`verzuimdesk.model.school.reasons` looking at the stored values).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import astuple, dataclass
from typing import Any, TypeVar

from sqlmodel import Session, col, or_, select

from verzuimdesk.model import dutch
from verzuimdesk.model.concurrency import bump, check_version
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.leerplicht import age_on, leerplicht_status
from verzuimdesk.model.register.tiers import pupil_tiers
from verzuimdesk.model.school.names import display_name, sort_name
from verzuimdesk.model.school.records import jaargroep_order, place_in_group, save_group, save_pupil
from verzuimdesk.model.tables import (
    DayOff,
    DeviationWindow,
    Group,
    GroupMembership,
    Guardian,
    Lesson,
    Pupil,
    Reason,
    RegisterTaken,
    TimetableDeviation,
)

DEVIATION_KINDS = {
    "opbouwrooster": "Opbouwrooster",
    "deeltijd": "Deeltijd",
    "gedeeltelijke_vrijstelling": "Gedeeltelijke vrijstelling",
}
WEEKDAY_SHORT = ["ma", "di", "wo", "do", "vr", "za", "zo"]


M = TypeVar("M", Pupil, Group, Reason)


def apply_fields(obj: Any, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        if not hasattr(obj, name) or name == "id":
            raise ValueError(f"unknown field {name}")
        setattr(obj, name, value)


def edited(session: Session, model: type[M], row_id: int | None, fields: dict[str, Any], missing: str, *,
           expected_version: int | None = None, what: str = "") -> M:
    """A new row made from ``fields``, or the stored row ``row_id`` with ``fields`` applied (what an edit
    dialog hands over); ``missing`` is the Dutch message when the row no longer exists. With ``expected_version``
    (the version the dialog loaded) a row changed or removed meanwhile on another PC is a
    :class:`~verzuimdesk.model.errors.ConflictError` about ``what``, listing the user's input (issue 14)."""
    if row_id is None:
        return model(**fields)
    if expected_version is not None:
        check_version(session, model, row_id, expected_version, what, fields=fields)
    stored = session.get(model, row_id)
    if stored is None:
        raise ValidationError(missing)
    apply_fields(stored, fields)
    return stored


# ------------------------------------------------------------------------------------------- pupils


@dataclass(frozen=True)
class PupilRow:
    id: int
    key: str
    name: str
    sort_name: str
    group: str
    birth_date: dt.date | None
    age: int | None
    status: str
    bsn: str
    enrolled_on: dt.date | None
    left_on: dt.date | None
    tier: int | None = None  # attendance tier 1/2/3 on the day asked (only with ``with_tiers``)
    tier_pct: float | None = None  # total absence as % of scheduled time over the tier period

    def has_left(self, today: dt.date) -> bool:
        return self.left_on is not None and self.left_on < today


def pupil_rows(session: Session, today: dt.date, *, with_tiers: bool = False) -> list[PupilRow]:
    """Every pupil with group, age and leerplicht status on ``today`` (vertrokken ones included); with
    ``with_tiers`` also the attendance tier (domain.md §10), for all pupils in one FiguresEngine pass."""
    tiers = {}
    if with_tiers:
        tiers = pupil_tiers(session, today)
    all_groups = {g.id: g for g in session.exec(select(Group)).all()}
    groups = {gid: g.name for gid, g in all_groups.items()}
    profiles: dict[int, str] = {}  # art. 4a lid 2 Lpw: the status follows the group's uitstroomprofiel
    current: dict[int, str] = {}
    for m in session.exec(
        select(GroupMembership).where(GroupMembership.date_from <= today,
                                      or_(col(GroupMembership.date_to).is_(None), col(GroupMembership.date_to) >= today))
    ).all():  # fmt: skip
        current.setdefault(m.pupil_id, groups.get(m.group_id, ""))
        group = all_groups.get(m.group_id)
        if group is not None and group.uitstroomprofiel:
            profiles.setdefault(m.pupil_id, group.uitstroomprofiel)
    rows = []
    for p in session.exec(select(Pupil)).all():
        assert p.id is not None
        rows.append(PupilRow(
            p.id, p.key, display_name(p), sort_name(p).lower(), current.get(p.id, ""), p.birth_date,
            age_on(p.birth_date, today) if p.birth_date else None,
            leerplicht_status(p.birth_date, today, profiles.get(p.id, "")).value, p.bsn or (f"…{p.bsn_last4}" if p.bsn_last4 else ""),
            p.enrolled_on, p.left_on, tiers[p.id].tier if p.id in tiers else None,
            tiers[p.id].absent_pct if p.id in tiers else None,
        ))  # fmt: skip
    return sorted(rows, key=lambda r: r.sort_name)


def next_pupil_key(session: Session) -> str:
    """A free leerlingnummer: one more than the highest numeric one."""
    numbers = [int(k) for k in session.exec(select(Pupil.key)).all() if k.isdigit()]
    return str(max(numbers, default=1000) + 1)


@dataclass(frozen=True)
class GuardianData:
    name: str
    relation: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""  # only when not living with the pupil (separated parents get a letter each)
    postcode: str = ""
    city: str = ""


def guardians_of(session: Session, pupil_id: int) -> list[GuardianData]:
    rows = session.exec(select(Guardian).where(Guardian.pupil_id == pupil_id).order_by(col(Guardian.id))).all()
    return [GuardianData(g.name, g.relation, g.phone, g.email, g.address, g.postcode, g.city) for g in rows]


def save_guardians(session: Session, pupil_id: int, guardians: list[GuardianData]) -> None:
    """Replace the pupil's parents/carers by ``guardians`` (empty rows are skipped). A change counts up the
    pupil's version: the parents are part of the pupil's card (issue 14; model/concurrency.py)."""
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        raise ValidationError("Deze leerling bestaat niet (meer).")
    keep = [g for g in guardians if any(v.strip() for v in (g.name, g.relation, g.phone, g.email, g.address))]
    for g in keep:
        if not g.name.strip():
            raise ValidationError("Geef van elke ouder of verzorger de naam op.")
        if g.email.strip() and ("@" not in g.email or " " in g.email.strip()):
            raise ValidationError(f"'{g.email}' is geen geldig e-mailadres.")
        if (g.postcode.strip() or g.city.strip()) and not g.address.strip():
            raise ValidationError(f"Vul bij {g.name.strip()} ook straat en huisnummer in, of laat het hele adres "
                                  "leeg als deze ouder bij de leerling woont.")  # fmt: skip
    new = [GuardianData(g.name.strip(), g.relation.strip(), g.phone.strip(), g.email.strip(), g.address.strip(),
                        g.postcode.strip().upper(), g.city.strip()) for g in keep]  # fmt: skip
    if new == guardians_of(session, pupil_id):
        return  # nothing changed: no new rows, no version
    for old in session.exec(select(Guardian).where(Guardian.pupil_id == pupil_id)).all():
        session.delete(old)
    session.flush()
    for g in new:
        session.add(Guardian(pupil_id=pupil_id, name=g.name, relation=g.relation, phone=g.phone, email=g.email,
                             address=g.address, postcode=g.postcode, city=g.city))
    session.flush()
    bump(session, pupil)


def save_pupil_details(
    session: Session,
    pupil_id: int | None,
    fields: dict[str, Any],
    guardians: list[GuardianData] | None = None,
    *,
    group_id: int | None = None,
    group_from: dt.date | None = None,
    expected_version: int | None = None,
) -> Pupil:
    """Create or update a pupil with its parents/carers; a new pupil may be placed in a group at once.
    ``expected_version``: the version of the pupil's card as the dialog loaded it (issue 14)."""
    if expected_version is not None and pupil_id is not None:  # the card as the dialog loaded it (issue 14)
        shown = {**fields, **{f"ouder/verzorger {i}": ", ".join(v for v in astuple(g) if v)
                              for i, g in enumerate(guardians or [], start=1) if any(astuple(g))}}  # fmt: skip
        check_version(session, Pupil, pupil_id, expected_version, _pupil_what(session, pupil_id), fields=shown)
    with session.no_autoflush:
        pupil = save_pupil(session, edited(session, Pupil, pupil_id, fields, "Deze leerling bestaat niet (meer)."))
    assert pupil.id is not None
    if guardians is not None:
        save_guardians(session, pupil.id, guardians)
    if group_id is not None:
        change_group(session, pupil.id, group_id, group_from or pupil.enrolled_on or dt.date.today())
    return pupil


@dataclass(frozen=True)
class MembershipRow:
    group: str
    date_from: dt.date
    date_to: dt.date | None


def membership_history(session: Session, pupil_id: int) -> list[MembershipRow]:
    """The pupil's groups over time, newest first."""
    rows = session.exec(
        select(GroupMembership, Group).join(Group, col(Group.id) == col(GroupMembership.group_id))
        .where(GroupMembership.pupil_id == pupil_id).order_by(col(GroupMembership.date_from).desc())
    ).all()  # fmt: skip
    return [MembershipRow(g.name, m.date_from, m.date_to) for m, g in rows]


def change_group(session: Session, pupil_id: int, group_id: int, from_date: dt.date, *,
                 expected_version: int | None = None) -> GroupMembership:
    """The pupil goes to ``group_id`` from ``from_date``; the earlier membership is kept as history. Counts up
    the pupil's version (the groups are part of the pupil's card); ``expected_version`` as the dialog loaded it."""
    if expected_version is not None:
        group = session.get(Group, group_id)
        check_version(session, Pupil, pupil_id, expected_version, _pupil_what(session, pupil_id),
                      (f"Naar {group.name if group else 'een andere groep'} vanaf {dutch.date_long(from_date)}",))
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        raise ValidationError("Deze leerling bestaat niet (meer).")
    if pupil.left_on is not None and from_date > pupil.left_on:
        raise ValidationError("De leerling is op die datum al uitgeschreven; kies een eerdere datum.")
    membership = place_in_group(session, pupil_id, group_id, from_date)
    bump(session, pupil)
    return membership


def _pupil_what(session: Session, pupil_id: int | None) -> str:
    """The subject of a conflict about a pupil's card: "De gegevens van Piet Jansen"."""
    pupil = session.get(Pupil, pupil_id) if pupil_id is not None else None
    return f"De gegevens van {display_name(pupil)}" if pupil else "De gegevens van deze leerling"


@dataclass(frozen=True)
class DeviationRow:
    id: int
    kind: str
    date_from: dt.date
    date_to: dt.date | None
    windows: str
    description: str


def describe_windows(windows: list[tuple[int, int, int]]) -> str:
    parts = [f"{WEEKDAY_SHORT[wd]} {dutch.clock(lo)}–{dutch.clock(hi)}" for wd, lo, hi in sorted(windows)]
    return ", ".join(parts) or "geen lestijd"


def deviations_of(session: Session, pupil_id: int) -> list[DeviationRow]:
    devs = session.exec(
        select(TimetableDeviation).where(TimetableDeviation.pupil_id == pupil_id)
        .order_by(col(TimetableDeviation.date_from).desc())
    ).all()  # fmt: skip
    out = []
    for d in devs:
        wins = session.exec(select(DeviationWindow).where(DeviationWindow.deviation_id == d.id)).all()
        assert d.id is not None
        out.append(DeviationRow(d.id, DEVIATION_KINDS.get(d.kind, d.kind), d.date_from, d.date_to,
                                describe_windows([(w.weekday, w.start_minute, w.end_minute) for w in wins]),
                                d.description))
    return out


def end_deviation(session: Session, deviation_id: int, last_day: dt.date) -> TimetableDeviation:
    """The deviation applies up to and including ``last_day``; from the next day the group timetable."""
    dev = session.get(TimetableDeviation, deviation_id)
    if dev is None:
        raise ValidationError("Deze roosterafwijking bestaat niet (meer).")
    if last_day < dev.date_from:
        raise ValidationError("De laatste dag van de roosterafwijking ligt vóór de begindatum.")
    if dev.date_to is not None and last_day > dev.date_to:
        raise ValidationError("De roosterafwijking eindigt al eerder; kies een datum vóór de huidige einddatum.")
    dev.date_to = last_day
    session.add(dev)
    session.flush()
    return dev


# ------------------------------------------------------------------------------------------- groups


@dataclass(frozen=True)
class GroupRow:
    id: int
    name: str
    key: str
    jaargroep: str
    pupils: int
    lessons_per_week: int
    minutes_per_week: int
    active: bool


def timetable_on(session: Session, group_id: int, day: dt.date | None = None) -> list[tuple[int, int, int, int, str]]:
    """The group's lessons as (weekday, number, start, end, label): valid on ``day``, or (without ``day``)
    the open-ended timetable that an edit continues from."""
    q = select(Lesson).where(Lesson.group_id == group_id)
    if day is None:
        q = q.where(col(Lesson.valid_to).is_(None))
    else:
        q = q.where(or_(col(Lesson.valid_from).is_(None), col(Lesson.valid_from) <= day),
                    or_(col(Lesson.valid_to).is_(None), col(Lesson.valid_to) >= day))
    rows = [(les.weekday, les.number, les.start_minute, les.end_minute, les.label) for les in session.exec(q).all()]
    return sorted(rows)


def group_rows(session: Session, today: dt.date) -> list[GroupRow]:
    out = []
    for g in session.exec(select(Group)).all():
        assert g.id is not None
        members = session.exec(
            select(GroupMembership.pupil_id).join(Pupil, col(Pupil.id) == col(GroupMembership.pupil_id))
            .where(GroupMembership.group_id == g.id, GroupMembership.date_from <= today,
                   or_(col(GroupMembership.date_to).is_(None), col(GroupMembership.date_to) >= today),
                   or_(col(Pupil.left_on).is_(None), col(Pupil.left_on) >= today))
        ).all()  # fmt: skip
        lessons = timetable_on(session, g.id, today)
        out.append(GroupRow(g.id, g.name, g.key, g.jaargroep, len(set(members)), len(lessons),
                            sum(end - start for _wd, _n, start, end, _l in lessons), g.active))
    return sorted(out, key=lambda r: (not r.active, jaargroep_order(r.jaargroep), r.name.lower()))


def save_group_details(session: Session, group_id: int | None, fields: dict[str, Any], *,
                       expected_version: int | None = None) -> Group:
    """Create or change a group; ``expected_version`` as the dialog loaded it (issue 14)."""
    stored = session.get(Group, group_id) if group_id is not None else None
    what = f"De gegevens van groep {stored.name}" if stored else "De gegevens van deze groep"
    with session.no_autoflush:
        return save_group(session, edited(session, Group, group_id, fields, "Deze groep bestaat niet (meer).",
                                          expected_version=expected_version, what=what))


def remove_group(session: Session, group_id: int) -> None:
    """Delete a group that was never used; a group with history can only be set to "niet actief"."""
    group = session.get(Group, group_id)
    if group is None:
        raise ValidationError("Deze groep bestaat niet (meer).")
    used = session.exec(select(GroupMembership.id).where(GroupMembership.group_id == group_id).limit(1)).first()
    taken = session.exec(select(RegisterTaken.id).where(RegisterTaken.group_id == group_id).limit(1)).first()
    if used is not None or taken is not None:
        raise ValidationError(
            f"{group.name} heeft (gehad) leerlingen of registraties en kan niet worden verwijderd. "
            "Zet de groep op 'niet actief'; de geschiedenis blijft dan bewaard."
        )
    for row in session.exec(select(Lesson).where(Lesson.group_id == group_id)).all():
        session.delete(row)
    for day_off in session.exec(select(DayOff).where(DayOff.group_id == group_id)).all():
        session.delete(day_off)
    session.flush()
    session.delete(group)
    session.flush()


def copy_day_to_all(lessons: list[tuple[int, int, int, int, str]], source: int = 0,
                    weekdays: range = range(5)) -> list[tuple[int, int, int, int, str]]:
    """The lessons of weekday ``source`` copied onto every other weekday (their own lessons replaced)."""
    template = [row for row in lessons if row[0] == source]
    out = [row for row in lessons if row[0] not in weekdays or row[0] == source]
    for wd in weekdays:
        if wd != source:
            out += [(wd, *row[1:]) for row in template]
    return sorted(out)
